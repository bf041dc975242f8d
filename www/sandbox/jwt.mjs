// JSON Web Tokens (RFC 7515, RFC 7519) and JSON Web Key Sets (RFC 7517) with node:crypto only.
//
// The sandbox signs its Dynamic tokens as Dynamic does: RS256 (RSASSA-PKCS1-v1_5 with SHA-256) with
// an RSA 2048 key of its own, the key id in the header `kid`, the public key published as a JWKS.
// Every sandbox instance draws its own key pair (lazily, on first use: generating one takes ~0.1 s),
// so tokens from one sandbox never verify on another.
//
// `createJwtKeyring()` holds the keys of one sandbox: the current signing key and the older keys
// still published after a rotation. Its `verify` accepts RS256 only and only with a published key:
// `alg: none`, the HMAC algorithms (also when keyed with the public key's PEM or JWK text, the
// algorithm-confusion attack), every other algorithm, unknown `kid`s and keys carried inside the
// token (`jwk`, `jku`, `x5u`, `x5c` headers are never read) are refused.
//
// `signJwt()` signs arbitrary claims with an arbitrary key and algorithm, for tests that need
// foreign, forged or confused tokens.

import {
  constants,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  KeyObject,
  sign as cryptoSign,
  verify as cryptoVerify,
} from 'node:crypto';

export const JWT_ALG = 'RS256';
const MAX_TOKEN_LENGTH = 16 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public JWK: the sandbox's `kid`s. */
export function jwkThumbprint(jwk) {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/**
 * A fresh RSA signing key: { kid, alg: 'RS256', privateKey, publicKey (KeyObjects), publicJwk }.
 * `publicJwk` is the JWKS entry { kty, n, e, kid, alg, use: 'sig' }; `kid` defaults to its
 * RFC 7638 thumbprint.
 */
export function generateRsaSigningKey({ kid, modulusLength = 2048 } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
  const { kty, n, e } = publicKey.export({ format: 'jwk' });
  const id = kid ?? jwkThumbprint({ kty, n, e });
  return { kid: id, alg: JWT_ALG, privateKey, publicKey, publicJwk: { kty, n, e, kid: id, alg: JWT_ALG, use: 'sig' } };
}

// ---------------------------------------------------------------------------------------------
// Signing with any key and algorithm (tests).

const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

function asPrivateKey(key) {
  if (key instanceof KeyObject) return key;
  if (key && typeof key === 'object' && !Buffer.isBuffer(key) && !(key instanceof Uint8Array)) {
    // A private JWK, or { privateKey } as generateRsaSigningKey returns.
    if (key.privateKey instanceof KeyObject) return key.privateKey;
    return createPrivateKey({ key, format: 'jwk' });
  }
  return createPrivateKey(key);
}

/** The HMAC secret for `key`: bytes as given; a public key as its PEM text; a JWK as its JSON. */
function asHmacSecret(key) {
  if (key instanceof KeyObject) {
    if (key.type === 'secret') return key.export();
    return Buffer.from(String(key.export({ format: 'pem', type: key.type === 'public' ? 'spki' : 'pkcs8' })));
  }
  if (typeof key === 'string') return Buffer.from(key, 'utf8');
  if (Buffer.isBuffer(key) || key instanceof Uint8Array) return Buffer.from(key);
  if (key && typeof key === 'object') return Buffer.from(JSON.stringify(key), 'utf8');
  throw new TypeError('an HMAC key must be bytes, a string, a KeyObject or a JWK');
}

/** The raw signature of `data` for JWS algorithm `alg` (RFC 7518 section 3). */
export function jwsSignature(alg, key, data) {
  const bytes = Buffer.from(data);
  const match = /^(HS|RS|PS|ES)(256|384|512)$/.exec(alg);
  if (alg === 'none') return Buffer.alloc(0);
  if (alg === 'EdDSA' || alg === 'Ed25519') return cryptoSign(null, bytes, asPrivateKey(key));
  if (!match) throw new TypeError(`signJwt: unsupported alg ${alg}`);
  const hash = HASH[match[2]];
  switch (match[1]) {
    case 'HS':
      return createHmac(hash, createSecretKey(asHmacSecret(key))).update(bytes).digest();
    case 'RS':
      return cryptoSign(hash, bytes, asPrivateKey(key));
    case 'PS':
      return cryptoSign(hash, bytes, {
        key: asPrivateKey(key),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(match[2]) / 8,
      });
    default: // ES: JOSE wants the fixed-size r || s form, not DER.
      return cryptoSign(hash, bytes, { key: asPrivateKey(key), dsaEncoding: 'ieee-p1363' });
  }
}

/**
 * Signs `claims` into a compact JWS. Options:
 *   key     the signing key: a private KeyObject, PEM text or private JWK for RS*, PS*, ES*, EdDSA;
 *           for HS* the secret (bytes or text), or a public key / JWK whose PEM / JSON text becomes
 *           the secret (what an algorithm-confusion attacker does); unused for `none`.
 *   alg     default 'RS256'; also RS384/512, PS256/384/512, ES256/384/512, EdDSA, HS256/384/512, none.
 *   kid     put in the header when given.
 *   typ     default 'JWT' (null leaves it out).
 *   header  further header members (they win over the above).
 */
export function signJwt(claims, { key, alg = JWT_ALG, kid, typ = 'JWT', header = {} } = {}) {
  const head = { alg, ...(typ === null ? {} : { typ }), ...(kid === undefined ? {} : { kid }), ...header };
  const signingInput = `${base64url(JSON.stringify(head))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${jwsSignature(alg, key, signingInput).toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------
// Reading tokens.

/** Splits and decodes a compact token: { header, claims, signingInput, signature } or null. */
export function decodeJwt(token) {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return null;
  const [head, body, signature] = parts;
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(header) || !isObject(claims)) return null;
  return { header, claims, signingInput: `${head}.${body}`, signature: Buffer.from(signature, 'base64url') };
}

/** Reads the claims of a token without checking it (for tests and logs). */
export function decodeJwtClaims(token) {
  const body = String(token).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
}

/** Reads the header of a token without checking it. */
export function decodeJwtHeader(token) {
  const head = String(token).split('.')[0] ?? '';
  return JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
}

// ---------------------------------------------------------------------------------------------
// The keyring of one sandbox.

/**
 * Keys of one sandbox. `generate(kid?)` makes a key (default: generateRsaSigningKey); the first
 * key is drawn on first use.
 */
export function createJwtKeyring({ generate = (kid) => generateRsaSigningKey({ kid }) } = {}) {
  let current = null;
  const published = new Map(); // kid -> key, the JWKS (current first after a rotation)
  const retired = new Map(); // kid -> key, dropped from the JWKS; kept only so tests can sign with them

  function ensure() {
    if (!current) {
      current = generate();
      published.set(current.kid, current);
    }
    return current;
  }

  /** The key of `kid` (published or retired), or the current key when `kid` is undefined. */
  function key(kid) {
    if (kid === undefined) return ensure();
    ensure();
    const found = published.get(kid) ?? retired.get(kid);
    if (!found) throw new Error(`No sandbox JWT key with kid ${kid}`);
    return found;
  }

  function jwks() {
    const head = ensure();
    return { keys: [head, ...[...published.values()].filter((k) => k !== head)].map((k) => ({ ...k.publicJwk })) };
  }

  return {
    /** The current key id. */
    get kid() {
      return ensure().kid;
    },
    key,

    /** The published keys' JWKS: { keys: [{ kty, n, e, kid, alg, use }] }, the current key first. */
    jwks,

    /**
     * A new current key. With `keepOld` (default true) the previous keys stay in the JWKS and keep
     * verifying; without, they leave it (tokens they signed stop verifying). Returns
     * { kid, previousKid, kids } (kids: the JWKS's key ids).
     */
    rotate({ keepOld = true, kid } = {}) {
      const previous = ensure();
      const next = generate(kid);
      if (published.has(next.kid) || retired.has(next.kid)) throw new Error(`kid ${next.kid} is already in use`);
      if (!keepOld) {
        for (const [id, k] of published) retired.set(id, k);
        published.clear();
      }
      published.set(next.kid, next);
      current = next;
      return { kid: next.kid, previousKid: previous.kid, kids: jwks().keys.map((k) => k.kid) };
    },

    /** Signs `payload` with the current key (or the key of `kid`) as RS256. */
    sign(payload, { kid } = {}) {
      const k = key(kid);
      return signJwt(payload, { key: k.privateKey, alg: JWT_ALG, kid: k.kid });
    },

    /**
     * Checks a compact token: { ok: true, claims, header } or { ok: false, error }. `nowSeconds` is
     * compared with `exp` (required) and `nbf` (when present).
     */
    verify(token, nowSeconds) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { ok: false, error: 'Invalid token' };
      const decoded = decodeJwt(token);
      if (!decoded) return { ok: false, error: 'Malformed token' };
      const { header, claims, signingInput, signature } = decoded;
      // RS256 only: refuses "none", HMAC (algorithm confusion) and every other algorithm.
      if (header.alg !== JWT_ALG) return { ok: false, error: 'Unsupported token algorithm' };
      if (header.crit !== undefined) return { ok: false, error: 'Unsupported critical token header' };
      ensure();
      const k = typeof header.kid === 'string' ? published.get(header.kid) : undefined;
      if (!k) return { ok: false, error: 'Unknown token key' };
      const modulusBytes = Buffer.from(k.publicJwk.n, 'base64url').length;
      if (signature.length !== modulusBytes || !cryptoVerify('sha256', Buffer.from(signingInput), k.publicKey, signature)) {
        return { ok: false, error: 'Invalid token signature' };
      }
      if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, error: 'Token expired' };
      if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) {
        return { ok: false, error: 'Token not yet valid' };
      }
      return { ok: true, claims, header };
    },
  };
}

/** A public KeyObject from a JWKS entry (tests). */
export function publicKeyFromJwk(jwk) {
  return createPublicKey({ key: jwk, format: 'jwk' });
}
