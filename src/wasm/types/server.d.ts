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
