// The local sandbox that plays Dynamic and Snag over real HTTP, for the tests and the demo.
// Node 20, ESM, node:http only. In-memory state; every instance has its own RSA key for its JWTs.
//
// Routes (paths as the real services, under a prefix):
//   Dynamic SDK API (base URL `${url}/api/v0`)
//     GET  /api/v0/sdk/{environmentId}/nonce                       -> 200 NonceResponse {nonce}
//     POST /api/v0/sdk/{environmentId}/verify                      -> 200 VerifyResponse (sign in)
//     POST /api/v0/sdk/{environmentId}/verify/link        (Bearer) -> 200 VerifyResponse (new jwt)
//     POST /api/v0/sdk/{environmentId}/verify/unlink      (Bearer) -> 200 VerifyResponse (new jwt)
//     POST /api/v0/sdk/{environmentId}/globalWallets/connections (Bearer) -> 201 GlobalWalletConnection
//     GET  /api/v0/sdk/{environmentId}/.well-known/jwks.json        -> 200 JwksResponse {keys: [...]}
//     GET  /api/v0/sdk/{environmentId}/.well-known/jwks             -> the same (Dynamic serves both)
//   Dynamic admin API (base URL `${url}/api/v0`, Bearer = the admin API token)
//     POST /api/v0/environments/{environmentId}/users/bulk?upsert=true|false
//          body: a bare JSON array of InternalUserFields -> 201 BulkUserCreateResponse
//   Snag (base URL `${url}/snag`, X-API-KEY required: missing -> 401, wrong -> 403)
//     POST /snag/api/users/connect -> 200 {walletAddress, id, createdAt, updatedAt}
//          needs a wallet proof: verificationData {message, signature} signed by walletAddress
//          (evm: viem, solana: tweetnacl, sui: @mysten/sui), for ton verificationData.tonVerification
//          (a TON Connect ton_proof, checked with @ton/core + @ton/crypto, see ton.mjs), or
//          verificationData.dynamicAuthToken, a JWT of this sandbox whose verified_credentials list
//          walletAddress; without one -> 422, with a bad one -> 400 (see snagConnect)
//   There is no key-adding proxy: a browser never reaches Snag; the demo's backend
//   (`createLinkServer` of wallet-linker/server) checks the proof and calls Snag with the key.
//
// JWTs: RS256 like Dynamic's (jwt.mjs), signed with an RSA 2048 key drawn per sandbox instance,
// `kid` (the key's RFC 7638 thumbprint) in the header and in the claims; claims as Dynamic's
// MinifiedDynamicJwt: kid, aud (the Origin, else "sandbox"), iss `app.dynamicauth.com/<environment>`,
// sub (user id), sid, environment_id, last_verified_credential_id, scope "user:basic", iat, exp;
// the full `jwt` adds verified_credentials. Verification accepts RS256 with a published key only.
//
// Errors: 400/401/403/404/405/413 `{error}`; 422 `{error, code, payload?}` with `code` from the
// official UnprocessableEntityErrorCode; 429/503 (fault injection) with Retry-After.
//
// Signature checks (independent of the package under test, see signature.mjs): EVM (chain EVM or
// ETH) with viem, Solana (chain SOL) with tweetnacl; the Solana signature may be base58 or base64;
// Sui (chain SUI) with @mysten/sui's verifyPersonalMessageSignature (a personal message; Sui's
// serialized signature in base64, Ed25519, secp256k1 or secp256r1 keys; the address 0x + 64 hex,
// recorded in lower case). A Sui message must be Dynamic's template (Sui has no other sign-in
// format): URI, Version, Request ID, no Chain ID. Every Sui check, accepted or not, is recorded in
// the state's `suiSignatureChecks` (see checkSuiSignature); a Sui credential's `chain` is "sui".
// Without `evmRpcUrl` an EVM signature must be its address's key's (viem `verifyMessage`, offline),
// so a smart account's is refused. With `evmRpcUrl`, a message whose Chain ID is that RPC's chain
// is checked with viem's `publicClient.verifyMessage` against it: an EOA's, an EIP-1271 account's
// (as the deployed contract answers) or an EIP-6492 one's (an account not deployed yet), accepted
// only if the chain says so; a message on another chain, or without a Chain ID, gets the offline
// check. An RPC that cannot answer gives 503 (nothing consumed). Every EVM check, accepted or not,
// is recorded in the state's `evmSignatureChecks` (see checkEvmSignature).
// TON (Snag only: Dynamic's routes take no TON chain): Snag's verificationData.tonVerification, a
// TON Connect ton_proof, is checked with @ton/core and @ton/crypto (ton.mjs): the state init hashes
// to the account's address, which is walletAddress; its code is a wallet v3r2, v4r2 or v5r1 whose
// key (read from its data) is account.publicKey and signed the proof's message; the timestamp is at
// most `tonProofMaxAgeSeconds` old (default 15 minutes). Every TON check is recorded in the state's
// `tonProofChecks` (see checkTonVerification).
// The message (message.mjs) must name the same account and address, its domain must equal the
// request's Origin host (or, without an Origin header, be one of `allowedDomains`, by default any
// loopback host), its Request ID (when present) the environment id, its Issued At must not be in
// the future (60 s skew), Expiration Time/Not Before must hold, and its nonce must be one this
// sandbox issued, unused and unexpired; the nonce is then consumed, so a replayed verify/link is
// refused (422 invalid_verification) and never adds a second credential.
//
// Linking a wallet that belongs to another user is refused with 422: merge_accounts_confirmation
// when that wallet is the other user's only credential (merging the accounts is the way out),
// reassign_wallet_confirm when the other user has more credentials (the wallet would have to be
// transferred). Neither changes state.
//
// Test-control endpoints (CORS-enabled; never logged, never faulted):
//   GET    /__sandbox/state    users with credentials, nonces (issued/used), Snag users,
//                              connections and requests (every call under /snag/, accepted or
//                              refused, see snagRecord), global wallet connections, armed faults,
//                              the JWKS, the EVM and Sui signature checks (evmSignatureChecks,
//                              suiSignatureChecks), the TON proof checks (tonProofChecks) and
//                              the request log
//                              [{seq, method, path, status, time, fault?}]
//   POST   /__sandbox/reset    forget all state (users, nonces, logs, faults; the JWT keys stay)
//   POST   /__sandbox/session  {email?, userId?, ttlSeconds?} -> a signed-in user: VerifyResponse
//                              JSON (user, jwt, minifiedJwt, expiresAt); ttlSeconds <= 0 gives an
//                              already-expired token
//   POST   /__sandbox/faults   a fault spec, an array of them, or {faults: [...]} (see faults.mjs)
//   GET    /__sandbox/faults   the armed faults
//   DELETE /__sandbox/faults   disarm all
//   POST   /__sandbox/jwt      {claims?, ttlSeconds?, kid?} -> {jwt, kid, claims}: a token minted
//                              directly (see issueJwt), for tokens of no user, expired ones, ...
//   POST   /__sandbox/jwt/rotate  {keepOld?: boolean (default true), kid?} -> {kid, previousKid, kids}
//
// CORS: origins allowed by `allowedOrigins` (default: any http(s) loopback origin) get
// Access-Control-Allow-Origin (echoed) with credentials, Expose-Headers Retry-After and
// retry-after-ms; preflights allow Authorization, Content-Type, X-API-KEY. Requests from other
// origins get 403.
//
// Cookie mode: with `authMode: 'cookie'`, verify/link/unlink set an httpOnly DYNAMIC_JWT_TOKEN
// cookie and leave `jwt`/`minifiedJwt` out of the body. The cookie is accepted in both modes.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { ContractError, parse, serialize, UnprocessableEntityErrorCode } from './contract.mjs';
import { createFaultTable, deliverWithFault } from './faults.mjs';
import { createJwtKeyring, decodeJwtClaims } from './jwt.mjs';
import { parseRfc3339, parseSignInMessage } from './message.mjs';
import {
  createEvmRpcVerifier,
  decodeSolanaAddress,
  EvmRpcUnavailable,
  normalizeEvmAddress,
  normalizeSuiAddress,
  suiSignatureScheme,
  verifyEvmSignature,
  verifySolanaSignature,
  verifySuiSignature,
} from './signature.mjs';

// For tests that build their own tokens (foreign keys, other algorithms, forged headers).
export { decodeJwtClaims, decodeJwtHeader, generateRsaSigningKey, signJwt } from './jwt.mjs';

/** The sandbox's own environment id (any UUID works; this one is fixed so URLs are stable). */
export const DEFAULT_ENVIRONMENT_ID = '5a1d0b0c-0e5e-4a7d-9c3b-5a4db0c0ffee';
export const DEFAULT_SNAG_API_KEY = 'sandbox-snag-key';
/** Deliberately not shaped like a real Dynamic key. */
export const DEFAULT_DYNAMIC_API_TOKEN = 'dyn_sandbox_admin_token';
export const JWT_COOKIE_NAME = 'DYNAMIC_JWT_TOKEN';

const DEFAULT_NONCE_TTL_MS = 10 * 60 * 1000;
const DEFAULT_JWT_TTL_SECONDS = 2 * 60 * 60;
const DEFAULT_TON_PROOF_MAX_AGE_SECONDS = 15 * 60;
const CLOCK_SKEW_MS = 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LOG_ENTRIES = 2000;
const MAX_NONCES = 10000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
const ALLOW_HEADERS = 'Authorization, Content-Type, X-API-KEY';
const EXPOSE_HEADERS = 'Retry-After, retry-after-ms';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

const CODES = UnprocessableEntityErrorCode;

// Credentials' `chain` as Dynamic reports it, per chain family.
const CREDENTIAL_CHAIN = { evm: 'eip155', solana: 'solana', sui: 'sui' };

function chainFamily(chain) {
  if (chain === 'EVM' || chain === 'ETH') return 'evm';
  if (chain === 'SOL') return 'solana';
  if (chain === 'SUI') return 'sui';
  return null;
}

// EVM and Sui addresses are hex (any case is the same wallet); Solana's base58 is case-sensitive.
const caseless = (family) => family === 'evm' || family === 'sui';

// The TON checks (ton.mjs and its @ton libraries), imported on the first TON request.
let tonModule;
const loadTon = () => (tonModule ??= import('./ton.mjs'));

function walletKey(family, address) {
  return `${family}:${caseless(family) ? address.toLowerCase() : address}`;
}

// ---------------------------------------------------------------------------------------------
// Results: handlers return { status, json?, text?, headers? }.

const json = (status, body, headers = {}) => ({ status, json: body, headers });
const error = (status, message, headers) => json(status, { error: message }, headers);
const unprocessable = (code, message, payload) =>
  json(422, serialize.unprocessableEntity({ error: message, code, payload }));

class HttpError extends Error {
  constructor(result) {
    super(result.json?.error ?? `HTTP ${result.status}`);
    this.result = result;
  }
}
const fail = (result) => {
  throw new HttpError(result);
};

function toBuffer(result) {
  if (result.json !== undefined) return Buffer.from(JSON.stringify(result.json));
  if (result.text !== undefined) return Buffer.from(result.text);
  return Buffer.alloc(0);
}

function contentTypeOf(result) {
  if (result.json !== undefined) return 'application/json; charset=utf-8';
  if (result.text !== undefined) return 'text/plain; charset=utf-8';
  return undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * Creates a sandbox. Options: environmentId, snagApiKey, dynamicApiToken, nonceTtlMs,
 * jwtTtlSeconds, allowedOrigins (array of origins/RegExps, or a predicate; default any loopback
 * origin), allowedDomains (message domains accepted without an Origin header; default any
 * loopback host), authMode ('header' | 'cookie'), now (clock in epoch ms), logErrors (default true),
 * tonProofMaxAgeSeconds (the oldest TON proof Snag's stand-in accepts, by `now`; default 900),
 * evmRpcUrl (an EVM JSON-RPC URL: smart-account signatures of messages on its chain are checked
 * there with viem, see the file's header; default none, EOA signatures only) and evmRpcTimeoutMs
 * (default 5000).
 *
 * Besides `handle`/`listen`, the instance offers tests: `issueJwt`, `rotateJwtKey`, `jwks`, `jwtKey`
 * (the signing key material), `verifyJwt` and `snagRequests` (see their comments below). The RSA
 * key is drawn on first use (~0.1-0.3 s, synchronously); a test that times its first JWKS fetch can
 * call `jwks()` beforehand to keep the draw out of it.
 */
export function createSandbox(options = {}) {
  const environmentId = options.environmentId ?? DEFAULT_ENVIRONMENT_ID;
  const snagApiKey = options.snagApiKey ?? DEFAULT_SNAG_API_KEY;
  const dynamicApiToken = options.dynamicApiToken ?? DEFAULT_DYNAMIC_API_TOKEN;
  const nonceTtlMs = options.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
  const tonProofMaxAgeSeconds = options.tonProofMaxAgeSeconds ?? DEFAULT_TON_PROOF_MAX_AGE_SECONDS;
  const jwtTtlSeconds = options.jwtTtlSeconds ?? DEFAULT_JWT_TTL_SECONDS;
  const authMode = options.authMode ?? 'header';
  const now = options.now ?? Date.now;
  const logErrors = options.logErrors ?? true;
  const isAllowedOrigin = originPredicate(options.allowedOrigins);
  const allowedDomains = options.allowedDomains?.map((d) => d.toLowerCase()) ?? null;
  const evmRpc = options.evmRpcUrl ? createEvmRpcVerifier(options.evmRpcUrl, { timeoutMs: options.evmRpcTimeoutMs ?? 5000 }) : null;
  const jwt = createJwtKeyring();
  const issuer = `app.dynamicauth.com/${environmentId}`;
  const faults = createFaultTable();
  const timers = new Set();

  const state = {
    environmentId,
    users: new Map(), // id -> user record
    walletOwners: new Map(), // walletKey -> { userId, credentialId }
    nonces: new Map(), // nonce -> { nonce, issuedAt, expiresAt, usedAt }
    snagUsers: new Map(), // id -> { id, createdAt, updatedAt }
    snagConnections: new Map(), // `${walletType}:${address}` -> connection
    snagRequests: [], // every request under /snag/ (see snagRecord)
    globalWalletConnections: [],
    evmSignatureChecks: [], // every EVM signature check (see checkEvmSignature)
    suiSignatureChecks: [], // every Sui signature check (see checkSuiSignature)
    tonProofChecks: [], // every TON proof check (see checkTonVerification)
    requestLog: [],
    requestSeq: 0,
    faults,
  };

  function reset() {
    state.users.clear();
    state.walletOwners.clear();
    state.nonces.clear();
    state.snagUsers.clear();
    state.snagConnections.clear();
    state.snagRequests.length = 0;
    state.globalWalletConnections.length = 0;
    state.evmSignatureChecks.length = 0;
    state.suiSignatureChecks.length = 0;
    state.tonProofChecks.length = 0;
    state.requestLog.length = 0;
    state.requestSeq = 0;
    faults.clear();
  }

  function sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  // ----- users and credentials -----

  function createUser(fields = {}) {
    const t = now();
    const user = {
      id: randomUUID(),
      projectEnvironmentId: environmentId,
      createdAt: t,
      updatedAt: t,
      firstVisit: t,
      lastVisit: t,
      fields: {},
      credentials: [],
      lastVerifiedCredentialId: undefined,
      sessionId: undefined,
    };
    assignFields(user, fields);
    state.users.set(user.id, user);
    return user;
  }

  function assignFields(user, fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined || key === 'wallets' || key === 'oauthAccounts') continue;
      user.fields[key] = value;
    }
    user.updatedAt = now();
  }

  function addEmailCredential(user, email) {
    const credential = {
      id: randomUUID(),
      format: 'email',
      email,
      publicIdentifier: email,
      signInEnabled: true,
      verifiedAt: now(),
      lastSelectedAt: now(),
    };
    user.credentials.push(credential);
    user.fields.email = email;
    return credential;
  }

  function addWalletCredential(user, { family, address, chain, walletName, walletProvider }) {
    const t = now();
    const credential = {
      id: randomUUID(),
      format: 'blockchain',
      family,
      address,
      chain: CREDENTIAL_CHAIN[family] ?? chain.toLowerCase(),
      chainEnum: chain,
      walletName,
      walletProvider,
      publicIdentifier: address,
      signInEnabled: true,
      verifiedAt: t,
      lastSelectedAt: t,
    };
    user.credentials.push(credential);
    state.walletOwners.set(walletKey(family, address), { userId: user.id, credentialId: credential.id });
    user.updatedAt = t;
    return credential;
  }

  function removeCredential(user, credential) {
    user.credentials = user.credentials.filter((c) => c !== credential);
    if (credential.format === 'blockchain') state.walletOwners.delete(walletKey(credential.family, credential.address));
    if (credential.format === 'email' && user.fields.email === credential.email) delete user.fields.email;
    user.updatedAt = now();
  }

  /** Official JwtVerifiedCredential (typed: Dates), serialised by the official ToJSON. */
  function typedCredential(c) {
    return {
      id: c.id,
      format: c.format,
      address: c.address,
      chain: c.chain,
      email: c.email,
      publicIdentifier: c.publicIdentifier,
      walletName: c.walletName,
      walletProvider: c.walletProvider,
      signInEnabled: c.signInEnabled,
      lastSelectedAt: new Date(c.lastSelectedAt),
      verifiedAt: new Date(c.verifiedAt),
    };
  }

  /** Official SdkUser (typed). */
  function typedSdkUser(user, extra = {}) {
    return {
      ...user.fields,
      id: user.id,
      projectEnvironmentId: user.projectEnvironmentId,
      verifiedCredentials: user.credentials.map(typedCredential),
      lastVerifiedCredentialId: user.lastVerifiedCredentialId,
      sessionId: user.sessionId,
      firstVisit: new Date(user.firstVisit),
      lastVisit: new Date(user.lastVisit),
      ...extra,
    };
  }

  /** Official admin User (typed). */
  function typedAdminUser(user) {
    return {
      ...typedSdkUser(user),
      createdAt: new Date(user.createdAt),
      updatedAt: new Date(user.updatedAt),
      wallets: user.credentials
        .filter((c) => c.format === 'blockchain')
        .map((c) => ({
          id: c.id,
          name: c.walletName,
          chain: c.chainEnum,
          publicKey: c.address,
          provider: c.walletProvider,
          lastSelectedAt: new Date(c.lastSelectedAt).toISOString(),
        })),
    };
  }

  function credentialClaims(c) {
    return {
      id: c.id,
      format: c.format,
      address: c.address,
      chain: c.chain,
      email: c.email,
      public_identifier: c.publicIdentifier,
      wallet_name: c.walletName,
      wallet_provider: c.walletProvider,
      signInEnabled: c.signInEnabled,
    };
  }

  function issueTokens(user, ctx, ttlSeconds = jwtTtlSeconds) {
    const iat = Math.floor(now() / 1000);
    const exp = iat + ttlSeconds;
    const claims = {
      kid: jwt.kid,
      aud: ctx.origin ?? 'sandbox',
      iss: issuer,
      sub: user.id,
      sid: user.sessionId,
      environment_id: environmentId,
      last_verified_credential_id: user.lastVerifiedCredentialId,
      scope: 'user:basic',
      iat,
      exp,
    };
    return {
      jwt: jwt.sign({ ...claims, verified_credentials: user.credentials.map(credentialClaims) }),
      minifiedJwt: jwt.sign(claims),
      expiresAt: exp,
    };
  }

  /**
   * Mints a token directly, signed by the sandbox (RS256, the current key or the key of `kid`, also
   * one dropped from the JWKS by a rotation). `claims` go over the defaults { kid, aud: 'sandbox',
   * iss, sub: <random UUID>, sid, environment_id, scope: 'user:basic', iat, exp: iat + ttlSeconds,
   * verified_credentials: [] }; a claim given as `undefined` is left out (e.g. `{ exp: undefined }`).
   * ttlSeconds defaults to jwtTtlSeconds; <= 0 gives an already-expired token. The `sub` need not be
   * a sandbox user (the sandbox's own Dynamic routes refuse such a token with 401 User not found).
   */
  function issueJwt(claims = {}, { ttlSeconds = jwtTtlSeconds, kid } = {}) {
    if (!Number.isFinite(ttlSeconds)) throw new TypeError('issueJwt: ttlSeconds must be a number');
    const key = jwt.key(kid);
    const iat = Math.floor(now() / 1000);
    const payload = {
      kid: key.kid,
      aud: 'sandbox',
      iss: issuer,
      sub: randomUUID(),
      sid: randomUUID(),
      environment_id: environmentId,
      scope: 'user:basic',
      iat,
      exp: iat + Math.trunc(ttlSeconds),
      verified_credentials: [],
      ...claims,
    };
    return jwt.sign(payload, { kid: key.kid });
  }

  /** A VerifyResponse result (with the cookie in cookie mode). */
  function sessionResult(user, ctx, { newUser, ttlSeconds, status = 200 } = {}) {
    const tokens = issueTokens(user, ctx, ttlSeconds);
    const cookieMode = authMode === 'cookie';
    const body = serialize.verifyResponse({
      user: typedSdkUser(user, newUser === undefined ? {} : { newUser }),
      expiresAt: tokens.expiresAt,
      jwt: cookieMode ? undefined : tokens.jwt,
      minifiedJwt: cookieMode ? undefined : tokens.minifiedJwt,
    });
    const headers = {};
    if (cookieMode) {
      const maxAge = Math.max(0, tokens.expiresAt - Math.floor(now() / 1000));
      headers['Set-Cookie'] = `${JWT_COOKIE_NAME}=${tokens.jwt}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;
    }
    return json(status, body, headers);
  }

  // ----- auth -----

  function bearerOrCookie(req) {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return m ? m[1] : '';
    }
    for (const part of String(req.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === JWT_COOKIE_NAME) return value.join('=');
    }
    return null;
  }

  function authenticateUser(ctx) {
    const token = bearerOrCookie(ctx.req);
    if (token === null) fail(error(401, 'Missing authorization token'));
    if (token === '') fail(error(401, 'Malformed Authorization header'));
    const checked = jwt.verify(token, Math.floor(now() / 1000));
    if (!checked.ok) fail(error(401, checked.error));
    if (checked.claims.environment_id !== ctx.environmentId) fail(error(401, 'Token was issued for another environment'));
    const user = state.users.get(checked.claims.sub);
    if (!user) fail(error(401, 'User not found'));
    return { user, claims: checked.claims };
  }

  function authenticateAdmin(ctx) {
    const header = ctx.req.headers.authorization;
    if (header === undefined) fail(error(401, 'Missing authorization token'));
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m || m[1] !== dynamicApiToken) fail(error(401, 'Invalid API token'));
  }

  // ----- sign-in message checks -----

  function domainAllowed(domain, ctx) {
    const d = domain.toLowerCase();
    if (ctx.origin) {
      let host = null;
      try {
        host = new URL(ctx.origin).host.toLowerCase();
      } catch {
        host = null;
      }
      if (host === d) return true;
      return Boolean(allowedDomains?.includes(d));
    }
    return allowedDomains ? allowedDomains.includes(d) : LOOPBACK_HOST.test(d);
  }

  /**
   * Checks an EVM signature of `message` by `address` (see the file's header) and records it in
   * `evmSignatureChecks`: { seq, path, address, chainId (the message's, or null), walletProvider
   * (as the request sent it, or null), verifier ('viem publicClient.verifyMessage' through the
   * RPC, or 'viem verifyMessage' offline), rpcUrl and rpcChainId (null offline), valid, error? }.
   * Resolves to the verdict; fails with 503 when the RPC cannot answer (after an offline check
   * that did not already accept the signature).
   */
  async function checkEvmSignature(ctx, { address, message, signature, chainId, walletProvider }) {
    const entry = {
      seq: ctx.seq,
      path: ctx.pathname,
      address,
      chainId: chainId ?? null,
      walletProvider: walletProvider ?? null,
      verifier: 'viem verifyMessage',
      rpcUrl: null,
      rpcChainId: null,
      valid: false,
    };
    const record = () => {
      state.evmSignatureChecks.push(entry);
      if (state.evmSignatureChecks.length > MAX_LOG_ENTRIES) state.evmSignatureChecks.splice(0, state.evmSignatureChecks.length - MAX_LOG_ENTRIES);
    };
    const offline = () => verifyEvmSignature({ address, message, signature });
    if (evmRpc && chainId !== undefined) {
      try {
        const rpcChainId = await evmRpc.chainId();
        if (String(rpcChainId) === String(chainId)) {
          Object.assign(entry, { verifier: 'viem publicClient.verifyMessage', rpcUrl: evmRpc.url, rpcChainId });
          entry.valid = await evmRpc.verify({ address, message, signature });
          record();
          return entry.valid;
        }
      } catch (e) {
        if (!(e instanceof EvmRpcUnavailable)) throw e;
        // A key's signature needs no chain; anything else cannot be decided now.
        entry.verifier = 'viem verifyMessage';
        entry.error = e.message;
        entry.valid = await offline();
        record();
        if (entry.valid) return true;
        return fail(error(503, `The sandbox could not check the signature on chain ${chainId}: ${e.message}`, { 'Retry-After': '1' }));
      }
    }
    entry.valid = await offline();
    record();
    return entry.valid;
  }

  /**
   * Checks a Sui signature of `message` by `address` with @mysten/sui (signature.mjs) and records
   * it in `suiSignatureChecks`: { seq, path, address (as given), scheme ('ed25519', 'secp256k1',
   * 'secp256r1', or null when the signature is not one of those), walletProvider (as the request
   * sent it, or null), verifier ('@mysten/sui verifyPersonalMessageSignature'), valid }.
   */
  async function checkSuiSignature(ctx, { address, message, signature, walletProvider }) {
    const entry = {
      seq: ctx.seq,
      path: ctx.pathname,
      address,
      scheme: suiSignatureScheme(signature),
      walletProvider: walletProvider ?? null,
      verifier: '@mysten/sui verifyPersonalMessageSignature',
      valid: await verifySuiSignature({ address, message, signature }),
    };
    state.suiSignatureChecks.push(entry);
    if (state.suiSignatureChecks.length > MAX_LOG_ENTRIES) state.suiSignatureChecks.splice(0, state.suiSignatureChecks.length - MAX_LOG_ENTRIES);
    return entry.valid;
  }

  /**
   * Checks Snag's `verificationData.tonVerification` for `walletAddress` with @ton/core and
   * @ton/crypto (ton.mjs: state init, address, wallet code and key, signature; the timestamp at
   * most `tonProofMaxAgeSeconds` old by the sandbox's clock, at most 60 s ahead) and records it in
   * `tonProofChecks`: { seq, path, walletAddress (as given), address (the account's raw form, or
   * null), wallet ('v3r2' | 'v4r2' | 'v5r1', or null), publicKey (the state init's key, hex, or
   * null), domain, timestamp, payload (as the proof names them), verifier ('@ton/core +
   * @ton/crypto'), valid, error? (why it was refused) }. Resolves to the entry.
   */
  async function checkTonVerification(ctx, ton, { walletAddress, tonVerification }) {
    const checked = await ton.checkTonProof({
      walletAddress,
      tonVerification,
      nowMs: now(),
      maxAgeSeconds: tonProofMaxAgeSeconds,
      skewSeconds: CLOCK_SKEW_MS / 1000,
    });
    const { proof } = tonVerification;
    const entry = {
      seq: ctx.seq,
      path: ctx.pathname,
      walletAddress,
      address: checked.address,
      wallet: checked.wallet,
      publicKey: checked.publicKey,
      domain: proof.domain.value,
      timestamp: proof.timestamp,
      payload: proof.payload,
      verifier: ton.TON_VERIFIER,
      valid: checked.valid,
    };
    if (!checked.valid) entry.error = checked.error;
    state.tonProofChecks.push(entry);
    if (state.tonProofChecks.length > MAX_LOG_ENTRIES) state.tonProofChecks.splice(0, state.tonProofChecks.length - MAX_LOG_ENTRIES);
    return entry;
  }

  /** Checks a VerifyRequest end to end; consumes the nonce. Returns the wallet it proves. */
  async function checkVerifyRequest(request, ctx) {
    const family = chainFamily(request.chain);
    if (!family) fail(unprocessable(CODES.UnsupportedChain, `Chain ${request.chain} is not supported by the sandbox (EVM, ETH, SOL, SUI)`));
    let address;
    if (family === 'evm') {
      address = normalizeEvmAddress(request.publicWalletAddress);
      if (!address) fail(unprocessable(CODES.InvalidWalletAddress, 'publicWalletAddress is not an EVM address'));
    } else if (family === 'sui') {
      address = normalizeSuiAddress(request.publicWalletAddress);
      if (!address) fail(unprocessable(CODES.InvalidWalletAddress, 'publicWalletAddress is not a Sui address (0x and 64 hex digits)'));
    } else {
      if (!decodeSolanaAddress(request.publicWalletAddress)) {
        fail(unprocessable(CODES.InvalidWalletAddress, 'publicWalletAddress is not a base58 Solana public key'));
      }
      address = request.publicWalletAddress;
    }
    const invalid = (message) => fail(unprocessable(CODES.InvalidVerification, message));

    const parsed = parseSignInMessage(request.messageToSign);
    if (!parsed.ok) invalid(`messageToSign is not a sign-in message: ${parsed.error}`);
    const message = parsed.message;
    const account = { evm: 'Ethereum', solana: 'Solana', sui: 'Sui' }[family];
    if (message.account !== account) invalid(`messageToSign asks for a ${message.account} account, chain is ${request.chain}`);
    const messageAddress =
      family === 'evm' ? normalizeEvmAddress(message.address) : family === 'sui' ? normalizeSuiAddress(message.address) : message.address;
    if (messageAddress !== address) invalid('The address in messageToSign does not match publicWalletAddress');
    if (family === 'sui') {
      // Dynamic's template is the only sign-in message of a Sui wallet.
      const missing = [['URI', 'uri'], ['Version', 'version'], ['Request ID', 'requestId']].filter(([, k]) => message[k] === undefined);
      if (missing.length) invalid(`messageToSign is not Dynamic's Sui template: no ${missing.map(([label]) => label).join(', ')}`);
      if (message.chainId !== undefined) invalid("messageToSign is not Dynamic's Sui template: it has a Chain ID");
    }

    let signatureValid;
    if (family === 'evm') {
      signatureValid = await checkEvmSignature(ctx, {
        address,
        message: request.messageToSign,
        signature: request.signedMessage,
        chainId: message.chainId,
        walletProvider: request.walletProvider,
      });
    } else if (family === 'sui') {
      signatureValid = await checkSuiSignature(ctx, {
        address,
        message: request.messageToSign,
        signature: request.signedMessage,
        walletProvider: request.walletProvider,
      });
    } else {
      signatureValid = verifySolanaSignature({ address, message: request.messageToSign, signature: request.signedMessage });
    }
    if (!signatureValid) invalid('Invalid signature');

    if (!domainAllowed(message.domain, ctx)) {
      invalid(`The message domain ${message.domain} is not allowed${ctx.origin ? ` for origin ${ctx.origin}` : ''}`);
    }
    if (message.requestId !== undefined && message.requestId !== ctx.environmentId) {
      invalid('The message Request ID does not match the environment');
    }
    const t = now();
    if (message.issuedAt === undefined) invalid('The message has no Issued At');
    if (parseRfc3339(message.issuedAt) > t + CLOCK_SKEW_MS) invalid('The message Issued At is in the future');
    if (message.expirationTime !== undefined && parseRfc3339(message.expirationTime) <= t) invalid('The message has expired');
    if (message.notBefore !== undefined && parseRfc3339(message.notBefore) > t + CLOCK_SKEW_MS) invalid('The message is not valid yet');

    if (message.nonce === undefined) invalid('The message has no Nonce');
    const nonce = state.nonces.get(message.nonce);
    if (!nonce) invalid('Invalid nonce: not issued by this environment');
    if (nonce.usedAt !== undefined) invalid('Invalid nonce: already used');
    if (t >= nonce.expiresAt) invalid('Invalid nonce: expired');
    nonce.usedAt = t;
    nonce.usedBy = ctx.pathname;

    return {
      family,
      address,
      chain: request.chain,
      walletName: request.walletName,
      walletProvider: request.walletProvider,
    };
  }

  // ----- Dynamic SDK handlers -----

  function getNonce(ctx) {
    const t = now();
    const nonce = randomBytes(16).toString('hex');
    state.nonces.set(nonce, { nonce, issuedAt: t, expiresAt: t + nonceTtlMs, usedAt: undefined });
    if (state.nonces.size > MAX_NONCES) state.nonces.delete(state.nonces.keys().next().value);
    return json(200, serialize.nonceResponse({ nonce }));
  }

  async function verify(ctx) {
    const request = parse.verifyRequest(ctx.body());
    const wallet = await checkVerifyRequest(request, ctx);
    const owner = state.walletOwners.get(walletKey(wallet.family, wallet.address));
    let user;
    let credential;
    let newUser = false;
    if (owner) {
      user = state.users.get(owner.userId);
      credential = user.credentials.find((c) => c.id === owner.credentialId);
      credential.lastSelectedAt = now();
    } else {
      user = createUser();
      credential = addWalletCredential(user, wallet);
      newUser = true;
    }
    user.sessionId = randomUUID();
    user.lastVisit = now();
    user.lastVerifiedCredentialId = credential.id;
    return sessionResult(user, ctx, { newUser });
  }

  async function verifyLink(ctx) {
    const { user } = authenticateUser(ctx);
    const request = parse.verifyRequest(ctx.body());
    const wallet = await checkVerifyRequest(request, ctx);
    const owner = state.walletOwners.get(walletKey(wallet.family, wallet.address));
    let credential;
    if (owner && owner.userId !== user.id) {
      const other = state.users.get(owner.userId);
      if (other.credentials.length <= 1) {
        fail(
          unprocessable(CODES.MergeAccountsConfirmation, 'This wallet is the only credential of another account; merge the accounts to link it', {
            mergeConflicts: { fromUser: typedSdkUser(other), conflicts: [] },
          }),
        );
      }
      fail(unprocessable(CODES.ReassignWalletConfirm, 'This wallet is linked to another account; confirm to reassign it'));
    }
    if (owner) {
      // Already linked to this user: nothing new (a fresh proof of an existing link).
      credential = user.credentials.find((c) => c.id === owner.credentialId);
      credential.lastSelectedAt = now();
    } else {
      credential = addWalletCredential(user, wallet);
    }
    user.lastVerifiedCredentialId = credential.id;
    return sessionResult(user, ctx);
  }

  function verifyUnlink(ctx) {
    const { user } = authenticateUser(ctx);
    const request = parse.verifyUnlinkRequest(ctx.body());
    const id = request.verifiedCredentialId ?? request.verifiedCrentialId ?? request.walletId;
    if (!id) fail(unprocessable(CODES.InvalidUnlinkRequest, 'verifiedCredentialId (or walletId) is required'));
    const credential = user.credentials.find((c) => c.id === id);
    if (!credential) fail(unprocessable(CODES.InvalidUnlinkRequest, 'No such verified credential on this user'));
    if (user.credentials.length <= 1) {
      fail(unprocessable(CODES.CannotDeleteLastSignInVerifiedCredential, 'Cannot unlink the last sign-in credential'));
    }
    removeCredential(user, credential);
    if (user.lastVerifiedCredentialId === id) {
      const primary = user.credentials.find((c) => c.id === request.primaryWalletId);
      user.lastVerifiedCredentialId = (primary ?? user.credentials[0]).id;
    }
    return sessionResult(user, ctx);
  }

  /** JwksResponse: the public keys that verify this environment's tokens (no auth, as Dynamic's). */
  function getJwks() {
    return json(200, jwt.jwks());
  }

  function createGlobalWalletConnection(ctx) {
    const { user } = authenticateUser(ctx);
    const request = parse.globalWalletConnectionCreateRequest(ctx.body());
    const t = new Date(now());
    const connection = {
      id: randomUUID(),
      userId: user.id,
      appUrl: ctx.origin ?? `http://${ctx.req.headers.host ?? 'localhost'}`,
      status: 'connected',
      createdAt: t,
      updatedAt: t,
      expiresAt: request.expiresAt,
    };
    state.globalWalletConnections.push(connection);
    return json(201, serialize.globalWalletConnection(connection));
  }

  // ----- Dynamic admin -----

  function bulkCreateUsers(ctx) {
    authenticateAdmin(ctx);
    const upsertParam = ctx.url.searchParams.get('upsert');
    if (upsertParam !== null && upsertParam !== 'true' && upsertParam !== 'false') {
      fail(error(400, 'request.query.upsert must be true or false'));
    }
    const upsert = upsertParam === 'true';
    const inputs = parse.internalUserFieldsArray(ctx.body());
    const created = [];
    const updated = [];
    const failed = [];
    for (const fields of inputs) {
      const outcome = bulkOne(fields, upsert);
      if (outcome.failed) failed.push(outcome.failed);
      else if (outcome.created) created.push(typedAdminUser(outcome.created));
      else updated.push(typedAdminUser(outcome.updated));
    }
    return json(201, serialize.bulkUserCreateResponse({ created, updated, failed, total: inputs.length }));
  }

  function bulkOne(fields, upsert) {
    const users = [...state.users.values()];
    const byEmail = fields.email && users.find((u) => u.fields.email?.toLowerCase() === fields.email.toLowerCase());
    const byUsername = fields.username && users.find((u) => u.fields.username === fields.username);
    const wallets = [];
    for (const w of fields.wallets ?? []) {
      const family = chainFamily(w.chain);
      const address =
        family === 'evm' ? normalizeEvmAddress(w.publicWalletAddress) : family === 'sui' ? normalizeSuiAddress(w.publicWalletAddress) : w.publicWalletAddress;
      if (!address || (family === 'solana' && !decodeSolanaAddress(address))) {
        return { failed: { error: `Invalid wallet address ${w.publicWalletAddress}`, code: CODES.InvalidWalletAddress } };
      }
      wallets.push({ family: family ?? w.chain.toLowerCase(), address, chain: w.chain, walletName: w.walletName, walletProvider: w.walletProvider });
    }
    const walletUsers = wallets
      .map((w) => state.walletOwners.get(walletKey(w.family, w.address)))
      .filter(Boolean)
      .map((o) => state.users.get(o.userId));
    // Match by email, else username; by wallet only when the entry names neither.
    const match = byEmail || byUsername || (!fields.email && !fields.username ? walletUsers[0] : undefined);

    if (match && !upsert) {
      const code = byEmail ? CODES.EmailAlreadyExists : byUsername ? CODES.UsernameAlreadyExists : CODES.DuplicateExists;
      return { failed: { user: typedAdminUser(match), error: 'Resources already exists for this Object', code } };
    }
    if (byUsername && match && byUsername !== match) {
      return { failed: { user: typedAdminUser(byUsername), error: 'Username already taken', code: CODES.UsernameAlreadyExists } };
    }
    const foreignWallet = walletUsers.find((u) => u !== match);
    if (foreignWallet) {
      return { failed: { user: typedAdminUser(foreignWallet), error: 'A wallet already belongs to another user', code: CODES.DuplicateExists } };
    }
    const user = match ?? createUser();
    const { email, ...rest } = fields;
    assignFields(user, rest);
    if (email && !user.credentials.some((c) => c.format === 'email' && c.email.toLowerCase() === email.toLowerCase())) {
      for (const old of user.credentials.filter((c) => c.format === 'email')) removeCredential(user, old);
      addEmailCredential(user, email);
    }
    for (const wallet of wallets) {
      if (!state.walletOwners.has(walletKey(wallet.family, wallet.address))) addWalletCredential(user, wallet);
    }
    return match ? { updated: user } : { created: user };
  }

  // ----- Snag -----

  /**
   * `verificationData.dynamicAuthToken`: a token this sandbox signed (RS256, a key of its own
   * JWKS: a rotated-out key or any other signer is refused), unexpired (and past its `nbf`), of
   * this environment, whose `verified_credentials` list `walletAddress` (a well-formed evm or sui
   * address in any case, a base58 solana key exactly, a ton address in any of its forms, compared
   * parsed with `ton`, the loaded ton.mjs). Fails with 400 otherwise.
   */
  function snagTokenProof(token, walletType, walletAddress, ton) {
    const wellFormed =
      walletType === 'evm'
        ? normalizeEvmAddress(walletAddress)
        : walletType === 'sui'
          ? normalizeSuiAddress(walletAddress)
          : walletType === 'ton'
            ? ton.parseTonAddress(walletAddress)
            : decodeSolanaAddress(walletAddress);
    if (!wellFormed) fail(error(400, `walletAddress is not a valid ${walletType} address`));
    const checked = jwt.verify(token, Math.floor(now() / 1000));
    if (!checked.ok) fail(error(400, `Invalid dynamicAuthToken: ${checked.error}`));
    if (checked.claims.environment_id !== environmentId) {
      fail(error(400, 'Invalid dynamicAuthToken: issued for another environment'));
    }
    const credentials = Array.isArray(checked.claims.verified_credentials) ? checked.claims.verified_credentials : [];
    const same = (address) =>
      typeof address === 'string' &&
      (walletType === 'ton'
        ? Boolean(ton.parseTonAddress(address)?.equals(wellFormed))
        : caseless(walletType)
          ? address.toLowerCase() === walletAddress.toLowerCase()
          : address === walletAddress);
    if (!credentials.some((c) => c !== null && typeof c === 'object' && same(c.address))) {
      fail(error(400, 'The dynamicAuthToken does not list walletAddress among its verified credentials'));
    }
  }

  // Snag documents `verificationData`, and its `message` and `signature`, as optional
  // (UserConnectParams.verificationData?: { message?, signature?, dynamicAuthToken?, ... }): a body
  // without them is a valid request by the model, so its absence is not a 400 (a body that breaks
  // the model, such as a number as `message`, is: the contract check answers those). This sandbox
  // plays a Snag website that requires a wallet proof, so it refuses a connect without one as 422
  // Unprocessable Entity: the request is well-formed and understood, and refused on its content.
  // Two proofs count, as in Snag's SDK model: a signed message (`message` and `signature`, both
  // non-empty), and a Dynamic JWT (`dynamicAuthToken`, see snagTokenProof). Every proof given must
  // hold; one that does not stays a 400 (`Invalid wallet signature` for a signature, as this sandbox
  // has always answered it). Only evm, solana, sui and ton wallets are checked here (viem,
  // tweetnacl, @mysten/sui, @ton/core + @ton/crypto; the address forms of Dynamic's credentials):
  // other wallet types get a 422. A sui signature is Sui's serialized one of the message as a
  // personal message. An evm signature is checked as the Dynamic routes check it
  // (checkEvmSignature: through `evmRpcUrl` for a message on its chain, so a smart account's proof
  // holds only when the chain accepts it). A ton wallet is proven by Snag's
  // `verificationData.tonVerification` (a TON Connect ton_proof with the wallet's state init, see
  // checkTonVerification; refused with 400 `Invalid wallet signature: <why>`), not by a message
  // and signature (422); `tonVerification` proves nothing but a ton wallet (422 for other types).
  async function snagConnect(ctx, apiKey) {
    if (apiKey === undefined) fail(error(401, 'Missing X-API-KEY header'));
    if (apiKey !== snagApiKey) fail(error(403, 'Invalid API key'));
    const params = parse.snagUserConnectParams(ctx.body());
    const { message, signature, dynamicAuthToken, tonVerification } = params.verificationData ?? {};
    const signed = typeof message === 'string' && message !== '' && typeof signature === 'string' && signature !== '';
    const tokened = typeof dynamicAuthToken === 'string' && dynamicAuthToken !== '';
    const tonProved = tonVerification !== undefined && tonVerification !== null;
    const ton = params.walletType === 'ton' ? await loadTon() : null;
    if (ton) {
      if (signed) {
        fail(error(422, 'A ton wallet is proven by verificationData.tonVerification (a TON Connect ton_proof), not by a message and signature'));
      }
      if (!tonProved && !tokened) {
        fail(error(422, 'verificationData.tonVerification is required (or verificationData.dynamicAuthToken): a proof of walletAddress'));
      }
    } else {
      if (tonProved) fail(error(422, `verificationData.tonVerification proves ton wallets only, not ${params.walletType}`));
      if (!signed && !tokened) {
        fail(
          error(
            422,
            'verificationData.message and verificationData.signature are required (or verificationData.dynamicAuthToken): a proof of walletAddress',
          ),
        );
      }
      if (params.walletType !== 'evm' && params.walletType !== 'solana' && params.walletType !== 'sui') {
        fail(error(422, `The sandbox verifies evm, solana, sui and ton wallet proofs only, not ${params.walletType}`));
      }
    }
    if (tonProved) {
      const checked = await checkTonVerification(ctx, ton, { walletAddress: params.walletAddress, tonVerification });
      if (!checked.valid) fail(error(400, `Invalid wallet signature: ${checked.error}`));
    }
    if (signed) {
      let valid;
      if (params.walletType === 'evm') {
        const address = normalizeEvmAddress(params.walletAddress);
        const parsed = parseSignInMessage(message);
        valid = Boolean(address) && (await checkEvmSignature(ctx, { address, message, signature, chainId: parsed.ok ? parsed.message.chainId : undefined }));
      } else if (params.walletType === 'sui') {
        valid = Boolean(normalizeSuiAddress(params.walletAddress)) && (await checkSuiSignature(ctx, { address: params.walletAddress, message, signature }));
      } else {
        valid = verifySolanaSignature({ address: params.walletAddress, message, signature });
      }
      if (!valid) fail(error(400, 'Invalid wallet signature'));
    }
    if (tokened) snagTokenProof(dynamicAuthToken, params.walletType, params.walletAddress, ton);

    // A ton address has several forms (raw, user-friendly): one wallet, one connection.
    const addressKey = ton
      ? ton.normalizeTonAddress(params.walletAddress)
      : caseless(params.walletType)
        ? params.walletAddress.toLowerCase()
        : params.walletAddress;
    const key = `${params.walletType}:${addressKey}`;
    const t = new Date(now()).toISOString();
    const existing = state.snagConnections.get(key);
    if (existing && params.userId !== undefined && existing.userId !== params.userId && params.confirmDisconnect !== true) {
      fail(error(400, 'This wallet is connected to another user; pass confirmDisconnect: true to move it'));
    }
    const userId = params.userId ?? existing?.userId ?? randomUUID();
    let user = state.snagUsers.get(userId);
    if (!user) {
      user = { id: userId, createdAt: t, updatedAt: t };
      state.snagUsers.set(userId, user);
    }
    user.updatedAt = t;
    state.snagConnections.set(key, {
      userId,
      walletAddress: params.walletAddress,
      walletType: params.walletType,
      websiteId: params.websiteId,
      organizationId: params.organizationId,
      createdAt: existing?.createdAt ?? t,
      updatedAt: t,
    });
    return json(200, { walletAddress: params.walletAddress, id: user.id, createdAt: user.createdAt, updatedAt: user.updatedAt });
  }

  /**
   * Records a request under /snag/ once it is answered: what Snag received, accepted or refused,
   * faulted or not (preflights and CORS refusals included). Entry:
   *   { seq, time, method, path, apiKey: 'valid' | 'invalid' | 'missing', body, bodyBytes,
   *     status, fault?, handled, response }
   * body: the parsed JSON body (its text, cut at 4 KiB, when it is not JSON; null when empty, not
   * read, or over 64 KiB); status: the HTTP status delivered (null when a fault reset the connection
   * first); handled: whether the sandbox processed it (false when a fault answered in its place, or
   * it was a preflight, a refused origin or a body over 1 MiB; a fault with `apply`, such as
   * lost-response, processes it and then loses the answer); response: the JSON answer of that
   * processing (a refusal's `{ error }` too), null when not processed.
   */
  function snagRecord(ctx, status, fault) {
    const raw = ctx.rawBody;
    let body = null;
    if (raw.length > 0 && raw.length <= 64 * 1024) {
      const text = raw.toString('utf8');
      try {
        body = JSON.parse(text);
      } catch {
        body = text.slice(0, 4096);
      }
    }
    const presented = ctx.req.headers['x-api-key'];
    const entry = {
      seq: ctx.seq,
      time: new Date(now()).toISOString(),
      method: ctx.method,
      path: ctx.pathWithQuery,
      apiKey: presented === undefined ? 'missing' : presented === snagApiKey ? 'valid' : 'invalid',
      body,
      bodyBytes: raw.length,
      status,
      handled: ctx.result !== undefined,
      response: ctx.result?.json ?? null,
    };
    if (fault) entry.fault = fault.kind;
    state.snagRequests.push(entry);
    if (state.snagRequests.length > MAX_LOG_ENTRIES) state.snagRequests.splice(0, state.snagRequests.length - MAX_LOG_ENTRIES);
  }

  /** The Snag request records, in arrival order (copies). */
  function snagRequests() {
    return structuredClone([...state.snagRequests].sort((a, b) => a.seq - b.seq));
  }

  // ----- test control -----

  function snapshot() {
    return {
      environmentId,
      users: [...state.users.values()].map((u) => serialize.sdkUser(typedSdkUser(u))),
      nonces: [...state.nonces.values()].map((n) => ({
        nonce: n.nonce,
        issuedAt: new Date(n.issuedAt).toISOString(),
        expiresAt: new Date(n.expiresAt).toISOString(),
        usedAt: n.usedAt === undefined ? null : new Date(n.usedAt).toISOString(),
        usedBy: n.usedBy ?? null,
      })),
      snag: {
        users: [...state.snagUsers.values()],
        connections: [...state.snagConnections.values()],
        requests: snagRequests(),
      },
      jwks: jwt.jwks(),
      globalWalletConnections: state.globalWalletConnections.map((c) => serialize.globalWalletConnection(c)),
      evmSignatureChecks: structuredClone(state.evmSignatureChecks),
      suiSignatureChecks: structuredClone(state.suiSignatureChecks),
      tonProofChecks: structuredClone(state.tonProofChecks),
      faults: faults.list(),
      requestLog: state.requestLog,
      requestSeq: state.requestSeq,
    };
  }

  function controlSession(ctx) {
    const body = ctx.rawBody.length ? ctx.body() : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(error(400, 'request.body must be an object'));
    const { email, userId, ttlSeconds } = body;
    if (ttlSeconds !== undefined && !Number.isInteger(ttlSeconds)) fail(error(400, 'ttlSeconds must be an integer'));
    let user;
    if (userId !== undefined) {
      user = state.users.get(userId);
      if (!user) fail(error(404, 'No such user'));
    } else {
      user = createUser();
      const credential = addEmailCredential(user, typeof email === 'string' ? email : `sandbox-${user.id.slice(0, 8)}@example.com`);
      user.lastVerifiedCredentialId = credential.id;
    }
    user.sessionId = randomUUID();
    return sessionResult(user, ctx, { ttlSeconds, newUser: userId === undefined });
  }

  function controlJwt(ctx) {
    const body = ctx.rawBody.length ? ctx.body() : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(error(400, 'request.body must be an object'));
    const { claims = {}, ttlSeconds, kid } = body;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) fail(error(400, 'claims must be an object'));
    if (ttlSeconds !== undefined && !Number.isInteger(ttlSeconds)) fail(error(400, 'ttlSeconds must be an integer'));
    if (kid !== undefined && typeof kid !== 'string') fail(error(400, 'kid must be a string'));
    let token;
    try {
      token = issueJwt(claims, { ttlSeconds, kid });
    } catch (e) {
      fail(error(400, e.message));
    }
    return json(200, { jwt: token, kid: kid ?? jwt.kid, claims: decodeJwtClaims(token) });
  }

  function controlRotate(ctx) {
    const body = ctx.rawBody.length ? ctx.body() : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fail(error(400, 'request.body must be an object'));
    if (body.keepOld !== undefined && typeof body.keepOld !== 'boolean') fail(error(400, 'keepOld must be a boolean'));
    if (body.kid !== undefined && (typeof body.kid !== 'string' || body.kid === '')) fail(error(400, 'kid must be a non-empty string'));
    try {
      return json(200, rotateJwtKey({ keepOld: body.keepOld, kid: body.kid }));
    } catch (e) {
      return fail(error(400, e.message));
    }
  }

  /**
   * A new signing key for the sandbox's tokens. keepOld (default true): the previous keys stay in
   * the JWKS (their tokens keep verifying); false drops them (their tokens stop verifying, here and
   * for any verifier that refetches the JWKS). Returns { kid, previousKid, kids }.
   */
  function rotateJwtKey({ keepOld = true, kid } = {}) {
    return jwt.rotate({ keepOld, kid });
  }

  function controlFaults(ctx) {
    if (ctx.method === 'GET') return json(200, { faults: faults.list() });
    if (ctx.method === 'DELETE') {
      faults.clear();
      return json(200, { faults: [] });
    }
    const body = ctx.body();
    const specs = Array.isArray(body) ? body : Array.isArray(body?.faults) ? body.faults : [body];
    const armed = [];
    try {
      for (const spec of specs) armed.push(faults.arm(spec));
    } catch (e) {
      fail(error(400, e.message));
    }
    return json(200, { armed });
  }

  // ----- routing -----

  const SDK_ROUTE =
    /^\/api\/v0\/sdk\/([^/]+)\/(nonce|verify|verify\/link|verify\/unlink|globalWallets\/connections|\.well-known\/jwks\.json|\.well-known\/jwks)$/;
  const ADMIN_ROUTE = /^\/api\/v0\/environments\/([^/]+)\/users\/bulk$/;
  const SDK_HANDLERS = {
    nonce: ['GET', getNonce],
    verify: ['POST', verify],
    'verify/link': ['POST', verifyLink],
    'verify/unlink': ['POST', verifyUnlink],
    'globalWallets/connections': ['POST', createGlobalWalletConnection],
    '.well-known/jwks.json': ['GET', getJwks],
    '.well-known/jwks': ['GET', getJwks],
  };

  function checkEnvironment(id) {
    if (!UUID.test(id)) fail(error(400, 'environmentId must be a UUID'));
    if (id !== environmentId) fail(error(404, 'Environment not found'));
    return id;
  }

  function onlyMethod(ctx, method) {
    if (ctx.method !== method) fail(error(405, 'Method not allowed', { Allow: `${method}, OPTIONS` }));
  }

  async function route(ctx) {
    const { pathname } = ctx;
    let m;
    if ((m = SDK_ROUTE.exec(pathname))) {
      ctx.environmentId = checkEnvironment(decodeURIComponent(m[1]));
      const [method, handler] = SDK_HANDLERS[m[2]];
      onlyMethod(ctx, method);
      return handler(ctx);
    }
    if ((m = ADMIN_ROUTE.exec(pathname))) {
      ctx.environmentId = checkEnvironment(decodeURIComponent(m[1]));
      onlyMethod(ctx, 'POST');
      return bulkCreateUsers(ctx);
    }
    if (pathname === '/snag/api/users/connect') {
      onlyMethod(ctx, 'POST');
      return snagConnect(ctx, ctx.req.headers['x-api-key']);
    }
    if (pathname === '/__sandbox/state') {
      onlyMethod(ctx, 'GET');
      return json(200, snapshot());
    }
    if (pathname === '/__sandbox/reset') {
      onlyMethod(ctx, 'POST');
      reset();
      return json(200, { ok: true });
    }
    if (pathname === '/__sandbox/session') {
      onlyMethod(ctx, 'POST');
      return controlSession(ctx);
    }
    if (pathname === '/__sandbox/jwt') {
      onlyMethod(ctx, 'POST');
      return controlJwt(ctx);
    }
    if (pathname === '/__sandbox/jwt/rotate') {
      onlyMethod(ctx, 'POST');
      return controlRotate(ctx);
    }
    if (pathname === '/__sandbox/faults') {
      if (!['GET', 'POST', 'DELETE'].includes(ctx.method)) fail(error(405, 'Method not allowed', { Allow: 'GET, POST, DELETE, OPTIONS' }));
      return controlFaults(ctx);
    }
    return error(404, 'Not found');
  }

  function isSandboxPath(pathname) {
    return (
      pathname.startsWith('/api/') ||
      pathname.startsWith('/snag/') ||
      pathname.startsWith('/__sandbox/')
    );
  }

  function corsHeaders(origin) {
    if (!origin) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': EXPOSE_HEADERS,
      Vary: 'Origin',
    };
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  function log(ctx, status, fault) {
    if (ctx.pathname.startsWith('/__sandbox/')) return;
    if (ctx.pathname.startsWith('/snag/')) snagRecord(ctx, status, fault);
    const entry = { seq: ctx.seq, method: ctx.method, path: ctx.pathWithQuery, status, time: new Date(now()).toISOString() };
    if (fault) entry.fault = fault.kind;
    state.requestLog.push(entry);
    if (state.requestLog.length > MAX_LOG_ENTRIES) state.requestLog.splice(0, state.requestLog.length - MAX_LOG_ENTRIES);
  }

  function send(res, result, baseHeaders) {
    const body = toBuffer(result);
    const type = contentTypeOf(result);
    res.writeHead(result.status, {
      ...baseHeaders,
      ...(type ? { 'Content-Type': type } : {}),
      ...result.headers,
      'Content-Length': body.length,
    });
    res.end(body);
  }

  const guardedSockets = new WeakSet();

  async function processRequest(req, res, url) {
    res.on('error', () => {});
    // One listener per socket, not per request: keep-alive sockets serve many requests.
    if (!guardedSockets.has(req.socket)) {
      guardedSockets.add(req.socket);
      req.socket.on('error', () => {});
    }
    const origin = req.headers.origin;
    const ctx = {
      req,
      url,
      method: req.method,
      pathname: url.pathname,
      pathWithQuery: url.pathname + url.search,
      // Numbered on arrival (logged on completion), so a test can ask for the requests that
      // arrived after a point, even when a slow earlier one completes later or the log was trimmed.
      seq: url.pathname.startsWith('/__sandbox/') ? 0 : ++state.requestSeq,
      origin: origin && origin !== 'null' ? origin : undefined,
      rawBody: Buffer.alloc(0),
      environmentId: undefined,
      result: undefined, // what routing answered, once it ran
    };
    ctx.body = () => {
      if (ctx.rawBody.length === 0) fail(error(400, 'Request body is required'));
      try {
        return JSON.parse(ctx.rawBody.toString('utf8'));
      } catch {
        return fail(error(400, 'Request body is not valid JSON'));
      }
    };

    if (origin !== undefined && !isAllowedOrigin(origin)) {
      const result = error(403, `Origin ${origin} is not allowed`);
      send(res, result, {});
      log(ctx, result.status);
      return;
    }
    const cors = corsHeaders(ctx.origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
        'Content-Length': 0,
      });
      res.end();
      log(ctx, 204);
      return;
    }

    const fault = ctx.pathname.startsWith('/__sandbox/') ? null : faults.take(req.method, ctx.pathWithQuery);
    const body = await readBody(req);

    let result;
    if (body === null) {
      result = error(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    } else {
      ctx.rawBody = body;
      if (!fault || fault.apply) {
        try {
          result = await route(ctx);
        } catch (e) {
          if (e instanceof HttpError) result = e.result;
          else if (e instanceof ContractError) result = error(400, e.message);
          else {
            if (logErrors) console.error('[sandbox]', e);
            result = error(500, `Internal sandbox error: ${e.message}`);
          }
        }
        ctx.result = result;
      }
    }

    if (!fault) {
      send(res, result, cors);
      log(ctx, result.status);
      return;
    }
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    const bodyBuffer = result ? toBuffer(result) : Buffer.alloc(0);
    const shaped = result && {
      status: result.status,
      headers: { ...(contentTypeOf(result) ? { 'Content-Type': contentTypeOf(result) } : {}), ...result.headers },
      body: bodyBuffer,
    };
    const status = deliverWithFault(req, res, fault, shaped, cors);
    log(ctx, status, fault);
  }

  function handle(req, res) {
    let url;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    } catch {
      return false;
    }
    if (!isSandboxPath(url.pathname)) return false;
    processRequest(req, res, url).catch((e) => {
      if (logErrors) console.error('[sandbox]', e);
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: 'Internal sandbox error' }));
      } else {
        res.destroy();
      }
    });
    return true;
  }

  async function listen(port = 0, host = '127.0.0.1') {
    const server = createServer((req, res) => {
      if (!handle(req, res)) {
        const body = JSON.stringify({ error: 'Not found' });
        res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      }
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    const address = server.address();
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${hostPart}:${address.port}`,
      port: address.port,
      server,
      close: () => closeServer(server),
    };
  }

  function closeServer(server) {
    dispose();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Cancels pending fault delays (call when closing a server that mounts `handle`). */
  function dispose() {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  }

  return {
    handle,
    listen,
    state,
    reset,
    snapshot,
    dispose,
    environmentId,
    snagApiKey,
    dynamicApiToken,
    issuer,
    issueJwt,
    rotateJwtKey,
    /** The JWKS as served: { keys: [{ kty, n, e, kid, alg: 'RS256', use: 'sig' }] } (current key first). */
    jwks: () => jwt.jwks(),
    /** The signing key material { kid, alg, privateKey, publicKey (KeyObjects), publicJwk }: the current one, or of `kid`. */
    jwtKey: (kid) => jwt.key(kid),
    /** The sandbox's own check of a token: { ok: true, claims, header } or { ok: false, error }. */
    verifyJwt: (token, nowSeconds = Math.floor(now() / 1000)) => jwt.verify(token, nowSeconds),
    snagRequests,
  };
}

function originPredicate(allowed) {
  if (allowed === undefined || allowed === null) return (origin) => LOOPBACK_ORIGIN.test(origin);
  if (typeof allowed === 'function') return allowed;
  const list = Array.isArray(allowed) ? allowed : [allowed];
  return (origin) =>
    list.some((entry) => (entry instanceof RegExp ? entry.test(origin) : entry === '*' || entry === origin));
}
