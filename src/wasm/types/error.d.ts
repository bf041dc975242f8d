/** Every code a `WalletLinkerError` can carry. Codes are stable: never renamed once released. */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  | "INPUT_TOO_LARGE"
  | "INVALID_HEX"
  | "INVALID_BASE58"
  | "INVALID_BASE64"
  | "INVALID_ADDRESS"
  | "INVALID_PUBLIC_KEY"
  | "INVALID_SIGNATURE_LENGTH"
  | "INVALID_SIGNATURE"
  | "MESSAGE_PARSE"
  | "INVALID_FIELD"
  | "SIGNATURE_MISMATCH"
  | "ADDRESS_MISMATCH"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "ISSUED_IN_FUTURE"
  | "DOMAIN_MISMATCH"
  | "NONCE_MISMATCH"
  | "CHAIN_ID_MISMATCH"
  | "URI_MISMATCH"
  | "SCHEME_MISMATCH"
  | "UNSUPPORTED_CHAIN"
  | "BROWSER_SECRET"
  | "HTTP_ERROR"
  | "INVALID_RESPONSE"
  | "TIMEOUT"
  | "NETWORK"
  | "ABORTED"
  | "USER_REJECTED"
  | "WALLET_NOT_FOUND"
  | "WALLET_ERROR"
  | "RANDOM_UNAVAILABLE"
  | "MISSING_FIELD"
  | "UNAUTHENTICATED"
  | "NONCE_UNKNOWN"
  | "NONCE_STORE"
  | "ROUTE_NOT_FOUND"
  | "INTERNAL";

/** Details of a `WalletLinkerError` besides its `code` and `message`. */
export interface WalletLinkerErrorDetails {
  /** The input field at fault, e.g. "nonce" or "signature". */
  field?: string;
  expected?: string;
  received?: string;
  /** HTTP status of a failed service call. */
  status?: number;
  /** The service's own error code, e.g. Dynamic's "invalid_verification". */
  apiCode?: string;
  /** The response body of a failed service call (bounded). */
  body?: string;
  /** The step of `linkWallet` that failed. */
  step?: LinkStep;
  /** The underlying error, if any (the standard `Error` option). */
  cause?: unknown;
}

/**
 * What every function of this package throws (or rejects with): `e instanceof WalletLinkerError`
 * holds for each of them, and `e.code` tells them apart.
 */
export declare class WalletLinkerError extends Error {
  /**
   * An error of this package's kind, e.g. for a wallet adapter or a test double to throw: the
   * package passes it through as it is.
   */
  constructor(code: ErrorCode, message: string, details?: WalletLinkerErrorDetails);
  name: "WalletLinkerError";
  code: ErrorCode;
}
/** The details (`field`, `expected`, `received`, `status`, `apiCode`, `body`, `step`). */
export interface WalletLinkerError extends Omit<WalletLinkerErrorDetails, "cause"> {}

/**
 * True when `value` was made by this package's `WalletLinkerError` class (not for another
 * `Error` that merely carries that name).
 */
export function isWalletLinkerError(value: unknown): value is WalletLinkerError;
