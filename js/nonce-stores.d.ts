/** Where `wallet-linker/server` keeps the nonces it issued until they are used or expire. */
export interface NonceStore {
  /** Mints a fresh nonce that `consume` accepts once within `ttlMs` (an integer, 1 ms to one day). */
  issue(ttlMs: number): Promise<string> | string;
  /**
   * `true` exactly once for an issued, unexpired nonce (atomic); `false` otherwise, including for
   * anything that is not a non-empty string of at most 128 characters. A store that cannot answer
   * throws (or rejects); it never returns `false` for that.
   */
  consume(nonce: string): Promise<boolean> | boolean;
}

export interface MemoryNonceStoreOptions {
  /**
   * Most unexpired nonces held at once (default 100000). Expired nonces are swept; when all are
   * live, `issue` throws a `WalletLinkerError` with `code: "NONCE_STORE"` rather than evict one.
   */
  maxEntries?: number;
}

/**
 * Nonces in this process's memory (one server process; use `RedisNonceStore` for several).
 * Bad options throw a `WalletLinkerError` (`INVALID_ARGUMENT`, `field` naming the option).
 */
export declare class MemoryNonceStore implements NonceStore {
  constructor(options?: MemoryNonceStoreOptions);
  issue(ttlMs: number): string;
  consume(nonce: string): boolean;
}

export interface RedisNonceStoreOptions {
  /** Key prefix (default `"wallet-linker:nonce:"`); the key is prefix + nonce. */
  prefix?: string;
}

/**
 * Nonces in Redis (>= 6.2): `SET prefix+nonce 1 NX PX ttl` to issue, `GETDEL prefix+nonce` to
 * consume. Keys expire in Redis itself.
 */
export declare class RedisNonceStore implements NonceStore {
  /**
   * @param client a connected `redis` (node-redis v4+) client, pool, cluster or sentinel, or an
   * `ioredis` client or cluster; commands are sent raw through `sendCommand` (node-redis) or
   * `call` (ioredis).
   */
  constructor(client: unknown, options?: RedisNonceStoreOptions);
  issue(ttlMs: number): Promise<string>;
  consume(nonce: string): Promise<boolean>;
}
