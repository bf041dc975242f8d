/** The identity a verified Dynamic JWT carries. */
export interface DynamicJwtUser {
  /** `sub`: Dynamic's user id. */
  userId: string;
  environmentId: string;
  issuer: string;
  /** `exp`, epoch seconds. */
  expiresAt: number;
  /** `verified_credentials` (empty when the token has none). */
  verifiedCredentials: unknown[];
  claims: Record<string, unknown>;
}

/** Options of `verifyDynamicJwt`. */
export interface VerifyDynamicJwtOptions {
  environmentId: string;
  /** Dynamic's API root; default `https://app.dynamicauth.com/api/v0`. */
  baseUrl?: string;
  /** Default `${baseUrl}/sdk/${environmentId}/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** Default 60. */
  clockSkewSeconds?: number;
  /** The current time, epoch milliseconds (tests). */
  now?: number;
  /** Timeout of the JWKS request; default 30000. */
  timeoutMs?: number;
}

/**
 * Verifies a Dynamic JWT (RS256 with the environment's JWKS, through WebCrypto) and resolves to
 * its user. Rejects with `UNAUTHENTICATED` (its `field` names the failed check) for a missing,
 * malformed, forged, expired or not-yet-valid token, a refused `alg` (anything but RS256), an
 * unknown `kid`, or a token of another environment; with `NETWORK`, `TIMEOUT`, `HTTP_ERROR` or
 * `INVALID_RESPONSE` when the JWKS cannot be fetched.
 */
export function verifyDynamicJwt(token: string, options: VerifyDynamicJwtOptions): Promise<DynamicJwtUser>;
