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

/**
 * Builds an EIP-4361 (Sign-In with Ethereum) message, byte-identical to
 * `new SiweMessage(fields).prepareMessage()` of the `siwe` package.
 *
 * Throws `INVALID_FIELD` naming the field, or `INVALID_ADDRESS` for an address that is not
 * EIP-55 checksummed (see `toChecksumAddress`).
 */
export function createSiweMessage(fields: WithDates<SiweMessageFields>): string;

/**
 * Parses an EIP-4361 message strictly: the EIP-4361 ABNF, an EIP-55 address, fields in order,
 * nothing after the last field. Absent optional fields are absent from the result.
 *
 * Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
 */
export function parseSiweMessage(text: string): SiweMessageFields;

/**
 * Builds a Sign-In With Solana message, byte-identical to `createSignInMessageText` of
 * `@solana/wallet-standard-util`.
 *
 * Throws `INVALID_FIELD` naming the field, or `INVALID_ADDRESS` for an address that is not a
 * base58 32-byte key.
 */
export function createSolanaSignInMessage(input: WithDates<SolanaSignInInput>): string;

/**
 * Parses a Sign-In With Solana message strictly. Absent optional fields are absent from the
 * result.
 *
 * Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
 */
export function parseSolanaSignInMessage(text: string): SolanaSignInInput;

/**
 * Builds the message Dynamic's SDK asks a wallet to sign. `domain` defaults to `location.host`,
 * `uri` to `location.origin + location.pathname`, `issuedAt` to now.
 *
 * Throws `INVALID_FIELD` naming the field (also for a missing `domain` or `uri` where there is no
 * `location`, as in Node), `INVALID_ADDRESS`, or `UNSUPPORTED_CHAIN`.
 */
export function createDynamicSignInMessage(params: WithDates<DynamicSignInParams>): string;

/**
 * Parses a message in Dynamic's template. `chain` is `EVM` for Ethereum; when the statement is
 * Dynamic's default one, `appName` is returned instead of `statement`.
 *
 * Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
 */
export function parseDynamicSignInMessage(text: string): DynamicSignInParams;

/**
 * The EIP-55 checksummed form of an address given in any letter case.
 *
 * Throws `INVALID_ADDRESS` when the text is not `0x` followed by 40 hex digits.
 */
export function toChecksumAddress(address: string): string;

/**
 * Whether `address` is a Solana address: base58 text of exactly 32 bytes (`false` for any
 * non-string).
 */
export function isValidSolanaAddress(address: unknown): boolean;

/**
 * A fresh nonce for a sign-in message: 128 bits from the platform's CSPRNG
 * (`crypto.getRandomValues`), written as 22 letters and digits.
 *
 * Throws `RANDOM_UNAVAILABLE` when `globalThis.crypto.getRandomValues` is missing or fails.
 */
export function generateNonce(): string;
