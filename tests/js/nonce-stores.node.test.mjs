// The nonce stores of `wallet-linker/server`: MemoryNonceStore, and RedisNonceStore against a real
// redis-server (Debian's, on a loopback port) through both client libraries, node-redis and ioredis.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, createCluster } from 'redis';
import { Redis, Cluster } from 'ioredis';
import { MemoryNonceStore, RedisNonceStore, WalletLinkerError, isWalletLinkerError } from 'wallet-linker/server';
import * as wl from 'wallet-linker';

/** The store's errors are the package's: one class, whichever entry it is imported from. */
const ours = (code, field) => (e) => e instanceof WalletLinkerError && e instanceof wl.WalletLinkerError && isWalletLinkerError(e) &&
  e.code === code && (field === undefined || e.field === field);
import { startRedis, redisCommand } from './redis-harness.mjs';

const NONCE = /^[0-9A-Za-z]{22}$/;

// A one-node Redis Cluster takes about 2 s to accept writes (CLUSTER_WRITABLE_DELAY): start it now,
// while the other suites run.
const clusterStarting = startRedis({ cluster: true });
clusterStarting.catch(() => {}); // reported by the cluster suite
const BAD_TTLS = [0, -1, 1.5, 86_400_001, Number.NaN, Infinity, '1000', undefined, null, 10n];
const UNISSUABLE = [undefined, null, 42, {}, ['x'], '', 'x'.repeat(129)];

/** A stand-in client that records raw commands and answers from `reply` (or throws from it). */
function recordingClient(kind, reply = () => null) {
  const calls = [];
  const send = async (args) => {
    calls.push(args);
    return reply(args);
  };
  const client = kind === 'ioredis' ? { call: (...args) => send(args), sendCommand: () => assert.fail('ioredis sendCommand used') } : { sendCommand: send };
  return { client, calls };
}

describe('MemoryNonceStore', () => {
  test('issues 22-character base62 nonces, each accepted exactly once', () => {
    const store = new MemoryNonceStore();
    const nonces = Array.from({ length: 50 }, () => store.issue(60_000));
    assert.equal(new Set(nonces).size, 50);
    for (const n of nonces) assert.match(n, NONCE);
    for (const n of nonces) assert.equal(store.consume(n), true);
    for (const n of nonces) assert.equal(store.consume(n), false, 'a second consume must fail');
  });

  test('unknown, malformed and overlong nonces are refused', () => {
    const store = new MemoryNonceStore();
    const issued = store.issue(60_000);
    assert.equal(store.consume('0'.repeat(22)), false);
    assert.equal(store.consume(issued.toLowerCase() === issued ? issued.toUpperCase() : issued.toLowerCase()), false, 'case matters');
    for (const bad of UNISSUABLE) assert.equal(store.consume(bad), false, `consume(${String(bad).slice(0, 20)})`);
    assert.equal(store.consume(issued), true, 'the refusals did not disturb the issued nonce');
  });

  test('a nonce expires after its ttl; a longer-lived one does not', async () => {
    const store = new MemoryNonceStore();
    const short = store.issue(40);
    const long = store.issue(60_000);
    await sleep(80);
    assert.equal(store.consume(short), false, 'expired');
    assert.equal(store.consume(long), true);
  });

  test('ttlMs must be an integer from 1 ms to one day', () => {
    const store = new MemoryNonceStore();
    for (const ttl of BAD_TTLS) {
      assert.throws(() => store.issue(ttl), (e) => ours('INVALID_ARGUMENT', 'ttlMs')(e) && /ttlMs/.test(e.message), `ttl ${String(ttl)}`);
    }
    assert.match(store.issue(1), NONCE);
    assert.match(store.issue(86_400_000), NONCE);
  });

  test('maxEntries: a full store refuses to issue (never evicts a live nonce) until one is used', () => {
    const store = new MemoryNonceStore({ maxEntries: 3 });
    const live = [store.issue(60_000), store.issue(60_000), store.issue(60_000)];
    assert.throws(() => store.issue(60_000), (e) => ours('NONCE_STORE')(e) && /full/.test(e.message) && /maxEntries/.test(e.message));
    assert.throws(() => store.issue(60_000), (e) => e.code === 'NONCE_STORE', 'still full');
    for (const n of live.slice(1)) assert.equal(store.consume(n), true, 'the live nonces survived the refusals');
    const again = store.issue(60_000);
    assert.equal(store.consume(live[0]), true);
    assert.equal(store.consume(again), true);
  });

  test('maxEntries: expired nonces are swept to make room', async () => {
    const store = new MemoryNonceStore({ maxEntries: 4 });
    const keep = store.issue(60_000);
    const dying = [store.issue(30), store.issue(30), store.issue(30)];
    assert.throws(() => store.issue(60_000), (e) => e.code === 'NONCE_STORE');
    await sleep(60);
    const fresh = [store.issue(60_000), store.issue(60_000), store.issue(60_000)];
    assert.throws(() => store.issue(60_000), (e) => e.code === 'NONCE_STORE', 'full again with live nonces');
    for (const n of dying) assert.equal(store.consume(n), false);
    for (const n of [keep, ...fresh]) assert.equal(store.consume(n), true);
  });

  test('holds 100000 live nonces by default, then refuses cheaply', () => {
    const store = new MemoryNonceStore();
    const first = store.issue(60_000);
    for (let i = 1; i < 100_000; i += 1) store.issue(60_000);
    const t0 = performance.now();
    for (let i = 0; i < 1000; i += 1) assert.throws(() => store.issue(60_000), (e) => e.code === 'NONCE_STORE');
    assert.ok(performance.now() - t0 < 500, 'a full store refuses without scanning its entries each time');
    assert.equal(store.consume(first), true);
    assert.match(store.issue(60_000), NONCE, 'room for one again');
  });

  test('nonces of one ttl expire in issue order and make room without a full sweep', async () => {
    const store = new MemoryNonceStore({ maxEntries: 100 });
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < 100; i += 1) store.issue(15);
      await sleep(30);
    }
    const live = Array.from({ length: 100 }, () => store.issue(60_000));
    assert.throws(() => store.issue(60_000), (e) => e.code === 'NONCE_STORE');
    for (const n of live) assert.equal(store.consume(n), true);
  });

  test('invalid options are refused', () => {
    for (const maxEntries of [0, -1, 1.5, '10', null]) {
      assert.throws(() => new MemoryNonceStore({ maxEntries }), ours('INVALID_ARGUMENT', 'maxEntries'), `maxEntries ${maxEntries}`);
    }
    assert.throws(() => new MemoryNonceStore(null), ours('INVALID_ARGUMENT', 'options'));
  });

  test('concurrent consumes of one nonce: exactly one succeeds', async () => {
    const store = new MemoryNonceStore();
    for (let round = 0; round < 200; round += 1) {
      const n = store.issue(60_000);
      const results = await Promise.all(Array.from({ length: 4 }, async () => store.consume(n)));
      assert.equal(results.filter(Boolean).length, 1, `round ${round}`);
    }
  });
});

describe('RedisNonceStore without a server', () => {
  test('chooses ioredis `call` over `sendCommand`, and node-redis `sendCommand`; sends raw SET NX PX and GETDEL', async () => {
    for (const kind of ['ioredis', 'node-redis']) {
      const { client, calls } = recordingClient(kind, (args) => (args[0] === 'SET' ? 'OK' : args[0] === 'GETDEL' ? '1' : null));
      const store = new RedisNonceStore(client);
      const nonce = await store.issue(1234);
      assert.match(nonce, NONCE);
      assert.equal(await store.consume(nonce), true);
      const key = `wallet-linker:nonce:${nonce}`;
      assert.deepEqual(calls, [['SET', key, '1', 'NX', 'PX', '1234'], ['GETDEL', key]], kind);
    }
  });

  test('node-redis cluster and sentinel clients get their own sendCommand shapes', async () => {
    const calls = [];
    const cluster = { sendCommand(firstKey, isReadonly, args, options) { calls.push(['cluster', firstKey, isReadonly, args, options]); return args[0] === 'SET' ? 'OK' : '1'; } };
    const sentinel = { sendCommand(isReadonly, args, options) { calls.push(['sentinel', isReadonly, args, options]); return args[0] === 'SET' ? 'OK' : '1'; } };
    const a = await new RedisNonceStore(cluster).issue(500);
    assert.equal(await new RedisNonceStore(cluster).consume(a), true);
    const b = await new RedisNonceStore(sentinel).issue(500);
    assert.equal(await new RedisNonceStore(sentinel).consume(b), true);
    const ka = `wallet-linker:nonce:${a}`;
    const kb = `wallet-linker:nonce:${b}`;
    assert.deepEqual(calls, [
      ['cluster', ka, false, ['SET', ka, '1', 'NX', 'PX', '500'], undefined],
      ['cluster', ka, false, ['GETDEL', ka], undefined],
      ['sentinel', false, ['SET', kb, '1', 'NX', 'PX', '500'], undefined],
      ['sentinel', false, ['GETDEL', kb], undefined],
    ]);
  });

  test('a custom prefix names the keys', async () => {
    const { client, calls } = recordingClient('node-redis', () => 'OK');
    const nonce = await new RedisNonceStore(client, { prefix: 'app:n:' }).issue(1000);
    assert.equal(calls[0][1], `app:n:${nonce}`);
  });

  test('malformed nonces are refused without a round trip; bad ttls reject without one', async () => {
    const { client, calls } = recordingClient('ioredis', () => assert.fail('no command expected'));
    const store = new RedisNonceStore(client);
    for (const bad of UNISSUABLE) assert.equal(await store.consume(bad), false);
    for (const ttl of BAD_TTLS) {
      await assert.rejects(store.issue(ttl), (e) => ours('INVALID_ARGUMENT', 'ttlMs')(e) && /ttlMs/.test(e.message), `ttl ${String(ttl)}`);
    }
    assert.deepEqual(calls, []);
  });

  test('a refused SET NX rejects (the nonce was not stored)', async () => {
    const { client } = recordingClient('node-redis', () => null);
    await assert.rejects(new RedisNonceStore(client).issue(1000), (e) => ours('NONCE_STORE')(e) && /SET NX/.test(e.message));
  });

  test('something that is not a client is refused', () => {
    for (const bad of [undefined, null, 'redis://127.0.0.1', {}, { get() {}, set() {} }]) {
      assert.throws(() => new RedisNonceStore(bad), ours('INVALID_ARGUMENT', 'client'));
    }
    assert.throws(() => new RedisNonceStore({ call() {} }, { prefix: 7 }), ours('INVALID_ARGUMENT', 'prefix'));
  });
});

describe('RedisNonceStore against redis-server', () => {
  let redis;
  const clients = {};
  before(async () => {
    redis = await startRedis();
    clients['node-redis'] = createClient({ url: redis.url });
    clients['node-redis'].on('error', () => {});
    await clients['node-redis'].connect();
    clients.ioredis = new Redis(redis.port, redis.host, { lazyConnect: true, disconnectTimeout: 50 });
    await clients.ioredis.connect();
  });
  after(async () => {
    clients['node-redis']?.destroy();
    clients.ioredis?.disconnect();
    await redis?.stop();
  });
  /** Raw command through node-redis, for looking at the keys the stores write. */
  const raw = (...args) => clients['node-redis'].sendCommand(args.map(String));

  for (const kind of ['node-redis', 'ioredis']) {
    test(`[${kind}] issue stores prefix+nonce with a PX ttl; consume is single use and deletes it`, async () => {
      const store = new RedisNonceStore(clients[kind]);
      const nonce = await store.issue(60_000);
      assert.match(nonce, NONCE);
      const key = `wallet-linker:nonce:${nonce}`;
      assert.equal(await raw('GET', key), '1');
      const pttl = Number(await raw('PTTL', key));
      assert.ok(pttl > 59_000 && pttl <= 60_000, `PTTL ${pttl}`);
      assert.equal(await store.consume(nonce), true);
      assert.equal(Number(await raw('EXISTS', key)), 0, 'consumed keys are deleted');
      assert.equal(await store.consume(nonce), false);
    });

    test(`[${kind}] keys expire in Redis itself (PX)`, async () => {
      const store = new RedisNonceStore(clients[kind], { prefix: `expiry-${kind}:` });
      const nonce = await store.issue(80);
      const key = `expiry-${kind}:${nonce}`;
      const pttl = Number(await raw('PTTL', key));
      assert.ok(pttl > 0 && pttl <= 80, `PTTL ${pttl}`);
      await sleep(200);
      assert.equal(Number(await raw('PTTL', key)), -2, 'Redis has no such key any more');
      assert.equal(await store.consume(nonce), false);
    });

    test(`[${kind}] unknown and malformed nonces are refused`, async () => {
      const store = new RedisNonceStore(clients[kind]);
      assert.equal(await store.consume('0'.repeat(22)), false);
      assert.equal(await store.consume('never-issued'), false);
      for (const bad of UNISSUABLE) assert.equal(await store.consume(bad), false);
    });

    test(`[${kind}] an error reply rejects (never false)`, async () => {
      const store = new RedisNonceStore(clients[kind], { prefix: `wrongtype-${kind}:` });
      await raw('RPUSH', `wrongtype-${kind}:abc`, 'x');
      await assert.rejects(store.consume('abc'), /WRONGTYPE/);
    });
  }

  test('a nonce issued through node-redis is consumed through ioredis (same keys)', async () => {
    const issuer = new RedisNonceStore(clients['node-redis']);
    const consumer = new RedisNonceStore(clients.ioredis);
    const nonce = await issuer.issue(60_000);
    assert.equal(await consumer.consume(nonce), true);
    assert.equal(await issuer.consume(nonce), false);
  });

  test('two stores on two connections race 200 times for one nonce: exactly one wins each time', async () => {
    const a = new RedisNonceStore(clients['node-redis']);
    const b = new RedisNonceStore(clients.ioredis);
    const wins = { a: 0, b: 0 };
    for (let round = 0; round < 200; round += 1) {
      const nonce = await (round % 2 ? a : b).issue(60_000);
      const [ra, rb] = await Promise.all([a.consume(nonce), b.consume(nonce)]);
      assert.equal(Number(ra) + Number(rb), 1, `round ${round}: ${ra} ${rb}`);
      wins[ra ? 'a' : 'b'] += 1;
    }
    assert.equal(wins.a + wins.b, 200);
  });
});

describe('RedisNonceStore against a one-node Redis Cluster (node-redis createCluster, ioredis Cluster)', () => {
  let redis;
  const clients = {};
  before(async () => {
    redis = await clusterStarting;
    clients['node-redis'] = createCluster({ rootNodes: [{ url: redis.url }] });
    clients['node-redis'].on('error', () => {});
    await clients['node-redis'].connect();
    clients.ioredis = new Cluster([{ host: redis.host, port: redis.port }], { lazyConnect: true, redisOptions: { disconnectTimeout: 50 } });
    await clients.ioredis.connect();
  });
  after(async () => {
    await clients['node-redis']?.close();
    clients.ioredis?.disconnect();
    await (redis ?? (await clusterStarting.catch(() => undefined)))?.stop();
  });

  for (const kind of ['node-redis', 'ioredis']) {
    test(`[${kind}] single use, PX ttl, unknown nonces refused`, async () => {
      const store = new RedisNonceStore(clients[kind]);
      const nonce = await store.issue(60_000);
      const pttl = Number(await redisCommand(redis.port, 'PTTL', `wallet-linker:nonce:${nonce}`));
      assert.ok(pttl > 59_000 && pttl <= 60_000, `PTTL ${pttl}`);
      assert.equal(await store.consume(nonce), true);
      assert.equal(await store.consume(nonce), false);
      assert.equal(await store.consume('0'.repeat(22)), false);
    });
  }

  test('the two cluster clients race 50 times for one nonce: exactly one wins each time', async () => {
    const a = new RedisNonceStore(clients['node-redis']);
    const b = new RedisNonceStore(clients.ioredis);
    for (let round = 0; round < 50; round += 1) {
      const nonce = await (round % 2 ? a : b).issue(60_000);
      const [ra, rb] = await Promise.all([a.consume(nonce), b.consume(nonce)]);
      assert.equal(Number(ra) + Number(rb), 1, `round ${round}: ${ra} ${rb}`);
    }
  });
});

describe('RedisNonceStore when Redis is down: the promise rejects, never false', () => {
  let redis;
  const stores = {};
  const clients = [];
  before(async () => {
    redis = await startRedis();
    // Clients configured to fail fast while disconnected; with their defaults node-redis rejects
    // after its 5 s command timeout and ioredis after 20 retries (over a minute).
    const offline = createClient({ url: redis.url, disableOfflineQueue: true });
    const closed = createClient({ url: redis.url });
    const retryOnce = new Redis(redis.port, redis.host, { maxRetriesPerRequest: 1, lazyConnect: true, disconnectTimeout: 50 });
    const disconnected = new Redis(redis.port, redis.host, { lazyConnect: true, disconnectTimeout: 50 });
    for (const c of [offline, closed, retryOnce, disconnected]) {
      c.on('error', () => {});
      await c.connect();
      clients.push(c);
    }
    stores['node-redis, server stopped'] = new RedisNonceStore(offline);
    stores['node-redis, client closed'] = new RedisNonceStore(closed);
    stores['ioredis, server stopped'] = new RedisNonceStore(retryOnce);
    stores['ioredis, client disconnected'] = new RedisNonceStore(disconnected);
    closed.destroy();
    disconnected.disconnect();
    await redis.stop();
  });
  after(async () => {
    for (const c of clients) {
      if (typeof c.call === 'function') c.disconnect(); // ioredis
      else if (c.isOpen) c.destroy(); // node-redis (also stops its reconnection attempts)
    }
    await redis?.stop();
  });

  for (const name of ['node-redis, server stopped', 'node-redis, client closed', 'ioredis, server stopped', 'ioredis, client disconnected']) {
    test(name, async () => {
      await assert.rejects(stores[name].issue(60_000), Error, 'issue');
      await assert.rejects(stores[name].consume('0'.repeat(22)), Error, 'consume');
    });
  }
});
