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
