// Types of `wallet-linker/server` (the backend half; see the README's Backend section).
import type { DynamicJwtUser, VerifyDynamicJwtOptions } from './wallet_linker.js';
import type { NonceStore } from './nonce-stores.js';

export type { DynamicJwtUser, VerifyDynamicJwtOptions, ErrorCode, WalletLinkerErrorDetails } from './wallet_linker.js';
/** The same class and check as the package's main entry (one class: `instanceof` works across both). */
export { WalletLinkerError, isWalletLinkerError } from './wallet_linker.js';
export { MemoryNonceStore, RedisNonceStore } from './nonce-stores.js';
export type { NonceStore, MemoryNonceStoreOptions, RedisNonceStoreOptions } from './nonce-stores.js';

/**
 * Verifies a Dynamic JWT: RS256 only (WebCrypto), the environment's JWKS (cached; an unknown `kid`
 * refetches it at most once per 30 s), `exp`, `nbf`, `environment_id`, `iss`, `sub`. Rejects with a
 * `WalletLinkerError`: `UNAUTHENTICATED` (its `field` names the failed check), or `NETWORK`,
 * `TIMEOUT`, `HTTP_ERROR`, `INVALID_RESPONSE` when the JWKS cannot be fetched.
 */
export declare function verifyDynamicJwt(token: string, options: VerifyDynamicJwtOptions): Promise<DynamicJwtUser>;

export interface LinkServerConfig {
  /** The only domain a proof may name (RFC 3986 authority, port included), e.g. `app.example.com`. */
  domain: string;
  dynamic: {
    environmentId: string;
    /** Dynamic's API root; default `https://app.dynamicauth.com/api/v0`. */
    baseUrl?: string;
    /** Default `${baseUrl}/sdk/${environmentId}/.well-known/jwks.json`. */
    jwksUrl?: string;
    /** Timeout of the JWKS request in ms (default 30000). */
    timeoutMs?: number;
  };
  snag: {
    /** Snag's API key: it stays on the server (a browser is refused with `BROWSER_SECRET`). */
    apiKey: string;
    /** Default `https://admin.snagsolutions.io`; the call goes to `{baseUrl}/api/users/connect`. */
    baseUrl?: string;
    websiteId: string;
    organizationId: string;
    timeoutMs?: number;
    maxRetries?: number;
  };
  /** Where issued nonces live; default a new `MemoryNonceStore` (one process). */
  nonces?: NonceStore;
  /**
   * Longest wait for the nonce store, in ms (1 to 60000; default 5000). A store that does not
   * answer in time (e.g. a Redis client queueing commands while disconnected) fails the request
   * with 503 `NONCE_STORE`.
   */
  nonceStoreTimeoutMs?: number;
  /** Lifetime of an issued nonce in ms (1000 to 86400000; default 300000). */
  nonceTtlMs?: number;
  /** Oldest accepted proof, in seconds since its `issuedAt` (1 to 86400; default 300). */
  maxAgeSeconds?: number;
  /** Clock skew allowed for token and message times, in seconds (default 60). */
  clockSkewSeconds?: number;
  /**
   * The Snag user id for the authenticated Dynamic user. Default: none (Snag decides). The id is
   * never taken from the request body.
   */
  snagUserId?: (user: DynamicJwtUser) => string | undefined | Promise<string | undefined>;
  /** Send `confirmDisconnect: true`, moving a wallet already connected to another Snag user. Default false. */
  allowMoveWallet?: boolean;
  /**
   * EVM JSON-RPC URLs by chain id, e.g. `{ "8453": "https://base.example/rpc" }`. A smart
   * account's proof (EIP-1271, or EIP-6492 for an account not deployed yet) is accepted only for a
   * message on one of these chains, after the account contract accepts it there; a key's (EOA)
   * signature never calls them. An RPC that cannot answer fails the request with 503.
   */
  rpc?: Record<string, string>;
  /** The routes' prefix; default `/` (routes `GET /nonce`, `POST /snag/connect`). */
  basePath?: string;
  /** The clock (epoch ms), for tests. */
  now?: () => number;
}

/** A Fetch API handler: runs unchanged in Node, Deno, Bun and Cloudflare Workers. */
export interface LinkServer {
  fetch(request: Request): Promise<Response>;
  /** The nonce store in use. */
  readonly nonces: NonceStore;
}

/**
 * Serves `GET {basePath}nonce` → `{ nonce, expiresAt }` and `POST {basePath}snag/connect`
 * (`Authorization: Bearer <Dynamic JWT>`, body `{ walletType, walletAddress, message, signature }`)
 * → Snag's response. Refusals are JSON `{ code, message, field? }` with 400, 401, 404/405, 409,
 * 413, 422, 502 or 503. Throws a `WalletLinkerError` for a bad configuration.
 */
export declare function createLinkServer(config: LinkServerConfig): LinkServer;

/** What `toNodeHandler` uses of Node's `http.IncomingMessage` (no dependency on @types/node). */
export interface NodeRequestLike extends AsyncIterable<Uint8Array> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  resume(): unknown;
}

/** What `toNodeHandler` uses of Node's `http.ServerResponse`. */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
}

/** Adapts a `LinkServer` to `http.createServer` (Node): `createServer(toNodeHandler(server))`. */
export declare function toNodeHandler(
  server: { fetch(request: Request): Promise<Response> },
): (req: NodeRequestLike, res: NodeResponseLike) => void;
