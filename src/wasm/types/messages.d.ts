/**
 * `T` with its message times (`issuedAt`, `expirationTime`, `notBefore`) as RFC 3339 strings or
 * `Date`s. A `Date` is written as `toISOString()` writes it (UTC, milliseconds:
 * `2026-01-01T00:00:00.000Z`), as viem's `createSiweMessage` does.
 */
export type WithDates<T> = {
  [K in keyof T]: K extends "issuedAt" | "expirationTime" | "notBefore" ? T[K] | Date : T[K];
};

/** The `chain` values Dynamic's sign-in template is known for (`ETH` is written as `EVM`). */
export type DynamicSignInChain = "EVM" | "ETH" | "SOL" | "SUI" | "BTC";
