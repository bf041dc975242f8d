// HS256 JSON Web Tokens (RFC 7519) with node:crypto: real, verifiable tokens signed with a secret
// that each sandbox instance draws at random, so tokens from one sandbox never work on another.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const HEADER = { alg: 'HS256', typ: 'JWT', kid: 'sandbox' };

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

export function createJwtSigner(secret = randomBytes(32)) {
  const mac = (data) => createHmac('sha256', secret).update(data).digest();

  return {
    /** Signs `payload` (an object of claims) and returns the compact token. */
    sign(payload) {
      const head = base64url(JSON.stringify(HEADER));
      const body = base64url(JSON.stringify(payload));
      return `${head}.${body}.${mac(`${head}.${body}`).toString('base64url')}`;
    },

    /**
     * Checks a compact token. Returns { ok: true, claims } or { ok: false, error }.
     * `nowSeconds` is compared with `exp` (and `nbf` when present).
     */
    verify(token, nowSeconds) {
      if (typeof token !== 'string' || token.length > 16 * 1024) return { ok: false, error: 'Invalid token' };
      const parts = token.split('.');
      if (parts.length !== 3) return { ok: false, error: 'Malformed token' };
      const [head, body, signature] = parts;
      let header;
      let claims;
      try {
        header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return { ok: false, error: 'Malformed token' };
      }
      // Only our algorithm: refuses "none" and algorithm-confusion tokens.
      if (!header || header.alg !== 'HS256') return { ok: false, error: 'Unsupported token algorithm' };
      const expected = mac(`${head}.${body}`);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, error: 'Invalid token signature' };
      }
      if (!claims || typeof claims !== 'object') return { ok: false, error: 'Malformed token' };
      if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, error: 'Token expired' };
      if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return { ok: false, error: 'Token not yet valid' };
      return { ok: true, claims };
    },
  };
}

/** Reads the claims of a token without checking it (for tests and logs). */
export function decodeJwtClaims(token) {
  const body = String(token).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
}
