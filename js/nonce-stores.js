// Nonce stores for `wallet-linker/server`: issue a fresh nonce that `consume` accepts exactly once
// before it expires. No dependencies; runs in Node, Deno, Bun and workerd. The nonces come from the
// wasm core's `generateNonce` (128 bits from `crypto.getRandomValues`, 22 base62 characters).
import { WalletLinkerError, generateNonce } from '#init';

/** Longest accepted nonce lifetime: one day. */
const MAX_TTL_MS = 86_400_000;
/** Longest string `consume` looks up; anything longer was never issued. */
const MAX_NONCE_LENGTH = 128;

function argumentError(message, field) {
  return new WalletLinkerError('INVALID_ARGUMENT', message, { field });
}

function checkTtl(ttlMs) {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
    throw argumentError(`ttlMs must be an integer from 1 to ${MAX_TTL_MS} (one day) milliseconds, got ${describe(ttlMs)}`, 'ttlMs');
  }
}

/** Whether `nonce` can name an issued nonce (a non-empty string of at most 128 characters). */
function plausible(nonce) {
  return typeof nonce === 'string' && nonce.length > 0 && nonce.length <= MAX_NONCE_LENGTH;
}

function describe(value) {
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

/**
 * Nonces in a `Map` of nonce → expiry (epoch ms), for one process. At most `maxEntries` unexpired
 * nonces are held: expired ones are swept, and when every slot holds a live nonce `issue` throws
 * (code `NONCE_STORE`) instead of evicting one that a client may still be signing.
 */
export class MemoryNonceStore {
  #entries = new Map();
  #maxEntries;
  /** No entry expires before this instant (epoch ms), so a sweep before it finds nothing. */
  #earliestExpiry = Infinity;
  /** When the last full sweep ran (epoch ms): at most one per second, so a flood costs O(1) each. */
  #lastSweep = -Infinity;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object') throw argumentError('MemoryNonceStore options must be an object', 'options');
    const { maxEntries = 100_000 } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw argumentError(`maxEntries must be a positive integer, got ${describe(maxEntries)}`, 'maxEntries');
    }
    this.#maxEntries = maxEntries;
  }

  issue(ttlMs) {
    checkTtl(ttlMs);
    const now = Date.now();
    this.#dropOldestExpired(now);
    if (this.#entries.size >= this.#maxEntries) {
      this.#sweep(now);
      if (this.#entries.size >= this.#maxEntries) {
        throw new WalletLinkerError(
          'NONCE_STORE',
          `MemoryNonceStore is full: ${this.#maxEntries} unexpired nonces (maxEntries); ` +
            'refusing to evict a live nonce. Raise maxEntries, shorten the nonce lifetime, or rate-limit GET nonce.',
        );
      }
    }
    let nonce = generateNonce();
    // 128 random bits never collide in practice; a repeat would otherwise extend a live nonce.
    while (this.#entries.has(nonce)) nonce = generateNonce();
    const expiry = now + ttlMs;
    this.#entries.set(nonce, expiry);
    if (expiry < this.#earliestExpiry) this.#earliestExpiry = expiry;
    return nonce;
  }

  consume(nonce) {
    if (!plausible(nonce)) return false;
    const expiry = this.#entries.get(nonce);
    if (expiry === undefined) return false;
    this.#entries.delete(nonce);
    return Date.now() < expiry;
  }

  /** Cheap, amortised clean-up: drops expired entries at the old end of the insertion order. */
  #dropOldestExpired(now) {
    let dropped = 0;
    for (const [nonce, expiry] of this.#entries) {
      if (expiry > now || dropped === 8) break;
      this.#entries.delete(nonce);
      dropped += 1;
    }
  }

  /**
   * Full sweep of a full store, skipped while no entry can have expired and run at most once a
   * second, so refusing a flood stays cheap. (Nonces of one ttl expire in insertion order and are
   * dropped by #dropOldestExpired; this catches the ones stuck behind a longer-lived nonce.)
   */
  #sweep(now) {
    if (now < this.#earliestExpiry || now - this.#lastSweep < 1000) return;
    this.#lastSweep = now;
    let earliest = Infinity;
    for (const [nonce, expiry] of this.#entries) {
      if (expiry <= now) this.#entries.delete(nonce);
      else if (expiry < earliest) earliest = expiry;
    }
    this.#earliestExpiry = earliest;
  }
}

/**
 * Nonces in Redis, shared by every process that uses the same server and prefix:
 * `SET prefix+nonce 1 NX PX ttl` to issue, `GETDEL prefix+nonce` to consume (atomic, so one of
 * several racing requests wins; Redis >= 6.2). Keys expire in Redis itself.
 *
 * `client`: a connected node-redis (`redis` v4+) client, pool, cluster or sentinel, or an ioredis
 * client or cluster. Commands are sent raw (ioredis `call`, node-redis `sendCommand`), so no
 * command helper or client version matters.
 * Errors of the client (Redis down, connection closed, an error reply) reject the promise: a store
 * that cannot answer never says `false`.
 */
export class RedisNonceStore {
  #send;
  #prefix;

  constructor(client, options = {}) {
    if (client === null || (typeof client !== 'object' && typeof client !== 'function')) {
      throw argumentError('RedisNonceStore needs a connected node-redis or ioredis client', 'client');
    }
    if (typeof client.call === 'function') {
      // ioredis, Redis or Cluster (it also has a `sendCommand`, which takes a Command object:
      // test `call` first).
      this.#send = (args) => client.call(...args);
    } else if (typeof client.sendCommand === 'function') {
      // node-redis. Its three kinds of client take raw commands differently; tell them apart by
      // the arity of sendCommand: cluster (firstKey, isReadonly, args, options) routes by key,
      // sentinel (isReadonly, args, options), client and pool (args, options).
      const arity = client.sendCommand.length;
      if (arity === 4) this.#send = (args) => client.sendCommand(args[1], false, args);
      else if (arity === 3) this.#send = (args) => client.sendCommand(false, args);
      else this.#send = (args) => client.sendCommand(args);
    } else {
      throw argumentError('RedisNonceStore: the client has neither `call` (ioredis) nor `sendCommand` (node-redis)', 'client');
    }
    if (options === null || typeof options !== 'object') throw argumentError('RedisNonceStore options must be an object', 'options');
    const { prefix = 'wallet-linker:nonce:' } = options;
    if (typeof prefix !== 'string' || prefix.length > 256) {
      throw argumentError(`prefix must be a string of at most 256 characters, got ${describe(prefix)}`, 'prefix');
    }
    this.#prefix = prefix;
  }

  async issue(ttlMs) {
    checkTtl(ttlMs);
    const nonce = generateNonce();
    const reply = await this.#send(['SET', this.#prefix + nonce, '1', 'NX', 'PX', String(ttlMs)]);
    if (String(reply) !== 'OK') {
      // NX refused: the key exists (a 128-bit collision, or someone else's key under our prefix).
      throw new WalletLinkerError('NONCE_STORE', `RedisNonceStore: SET NX did not store the nonce (reply: ${describe(reply)})`);
    }
    return nonce;
  }

  async consume(nonce) {
    if (!plausible(nonce)) return false;
    const reply = await this.#send(['GETDEL', this.#prefix + nonce]);
    return reply !== null && reply !== undefined;
  }
}
