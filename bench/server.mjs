// Throughput of the backend's verify-and-connect (`wallet-linker/server`, POST snag/connect), in
// Node, with MemoryNonceStore and with RedisNonceStore (node-redis and ioredis, a throw-away local
// redis-server from tests/js/redis-harness.mjs). Not part of the test command:
//
//   node bench/server.mjs [--seconds 5] [--concurrency 16] [--stores memory,node-redis,ioredis]
//                         [--snag stub|sandbox] [--wallet evm|solana]
//
// Every request is a full accepted connect: a fresh nonce issued by the server under test (GET
// nonce, before the timed window), a SIWE message signed by viem (or a Sign-In With Solana message
// signed by @noble/curves), a Dynamic RS256 JWT (the sandbox's; its JWKS fetched once and
// cached), then the server checks the JWT, the proof, consumes the nonce and calls Snag. Snag is a
// minimal stand-in answering 200 at once (`--snag stub`, the default: the server's own cost), or
// the sandbox's, which re-verifies each proof with viem (`--snag sandbox`).
//
// Layout on the 2 cores: the link server runs alone in a child process (one core, as a Node
// server does); the load generator, the sandbox (JWKS) and the Snag stand-in share this process.
// Timed: `--seconds` of closed-loop load with `--concurrency` requests in flight over keep-alive
// connections; every answer must be 200 and the stand-in must count exactly as many connects.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';

const CHILD_FLAG = '--link-server-child';

if (process.argv.includes(CHILD_FLAG)) {
  await runChild(JSON.parse(process.argv[process.argv.indexOf(CHILD_FLAG) + 1]));
} else {
  await main();
}

// ------------------------------------------------------------------------------------------------
// The server under test (child process)

async function runChild(config) {
  const { createLinkServer, MemoryNonceStore, RedisNonceStore, toNodeHandler } = await import('wallet-linker/server');
  let nonces;
  if (config.store === 'memory') {
    nonces = new MemoryNonceStore();
  } else if (config.store === 'node-redis') {
    const { createClient } = await import('redis');
    const client = createClient({ url: config.redisUrl });
    await client.connect();
    nonces = new RedisNonceStore(client, { prefix: `bench:${process.pid}:` });
  } else if (config.store === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(config.redisUrl, { lazyConnect: true });
    await client.connect();
    nonces = new RedisNonceStore(client, { prefix: `bench:${process.pid}:` });
  } else {
    throw new Error(`unknown store ${config.store}`);
  }
  const server = createLinkServer({
    domain: config.domain,
    dynamic: { environmentId: config.environmentId, baseUrl: config.dynamicUrl },
    snag: { apiKey: config.snagApiKey, baseUrl: config.snagUrl, websiteId: 'bench-website', organizationId: 'bench-organization' },
    nonces,
  });
  const http = createServer(toNodeHandler(server));
  http.keepAliveTimeout = 60_000;
  http.listen(0, '127.0.0.1', () => console.log(`LISTENING ${http.address().port}`));
}

function startChild(config) {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, CHILD_FLAG, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d) => {
      output += d;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        resolve({
          url: `http://127.0.0.1:${match[1]}`,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => reject(new Error(`link server exited (${code}): ${output}`)));
  });
}

// ------------------------------------------------------------------------------------------------
// The load generator (this process)

async function main() {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '16' },
      stores: { type: 'string', default: 'memory,node-redis,ioredis' },
      snag: { type: 'string', default: 'stub' },
      wallet: { type: 'string', default: 'evm' },
      proofs: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const stores = values.stores.split(',');

  const { createSandbox } = await import('../www/sandbox/server.mjs');
  const { startRedis } = await import('../tests/js/redis-harness.mjs');
  const sandbox = createSandbox({ logErrors: false });
  // The sandbox behind a server of ours that counts the Snag connects it accepted (its own record
  // keeps the last 2000 only).
  const sandboxCount = { accepted: 0 };
  const sandboxServer = await listenCounting(sandbox, sandboxCount);
  const stub = await startSnagStub(sandbox.snagApiKey);
  const snagUrl = values.snag === 'sandbox' ? `${sandboxServer.url}/snag` : stub.url;
  const needsRedis = stores.some((s) => s !== 'memory');
  const redis = needsRedis ? await startRedis() : null;

  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), Node ${process.version}`;
  console.log(`# wallet-linker/server: POST snag/connect throughput`);
  console.log(`${machine}; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`${seconds} s per run, concurrency ${concurrency}, ${values.wallet} proofs, Snag: ${values.snag === 'sandbox' ? "the sandbox's (verifies each proof with viem)" : 'a 200 stub'}\n`);
  console.log('| nonce store | requests | req/s | p50 ms | p99 ms | max ms | Snag calls | prepared |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');

  const results = [];
  for (const store of stores) {
    const child = await startChild({
      store,
      redisUrl: redis?.url,
      domain: 'app.example.com',
      environmentId: sandbox.environmentId,
      dynamicUrl: `${sandboxServer.url}/api/v0`,
      snagApiKey: sandbox.snagApiKey,
      snagUrl,
    });
    try {
      // Warm-up: JIT, the JWKS fetch, keep-alive connections; it also sizes the timed run's
      // supply of proofs (three times what the warm-up rate would use: the warm-up runs cold).
      const warm = await prepare(child.url, sandbox, 1000, values.wallet);
      const warmRun = await load(child.url, warm, { seconds: 1, concurrency, untilExhausted: true });
      if (warmRun.failures.length > 0) throw new Error(`${store} warm-up: ${warmRun.failures[0]}`);
      const estimate = Number(values.proofs ?? 0) || Math.max(1000 * seconds, Math.ceil((warmRun.ok / warmRun.elapsedS) * seconds * 3));
      const proofs = await prepare(child.url, sandbox, estimate, values.wallet);
      const snagBefore = values.snag === 'sandbox' ? sandboxCount.accepted : stub.count;
      const run = await load(child.url, proofs, { seconds, concurrency });
      const snagCalls = (values.snag === 'sandbox' ? sandboxCount.accepted : stub.count) - snagBefore;
      if (run.failures.length > 0) throw new Error(`${store}: ${run.failures.length} requests failed, first: ${run.failures[0]}`);
      if (snagCalls !== run.ok) throw new Error(`${store}: ${run.ok} accepted but Snag counted ${snagCalls}`);
      const rate = run.ok / run.elapsedS;
      results.push({ store, ...run, rate });
      const exhausted = run.exhausted ? ' (ran out: window cut short)' : '';
      console.log(
        `| ${store} | ${run.ok} | ${Math.round(rate).toLocaleString('en-US')} | ${run.p50.toFixed(2)} | ${run.p99.toFixed(2)} | ${run.max.toFixed(1)} | ${snagCalls} | ${proofs.length}${exhausted} |`,
      );
    } finally {
      await child.stop();
    }
  }
  console.log(`\nload average at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await redis?.stop();
  await stub.close();
  await sandboxServer.close();
  return results;
}

/** The sandbox on a loopback port, counting the 200s of Snag's users/connect in `count.accepted`. */
async function listenCounting(sandbox, count) {
  const server = createServer((req, res) => {
    if (req.url === '/snag/api/users/connect') {
      res.on('finish', () => {
        if (res.statusCode === 200) count.accepted += 1;
      });
    }
    if (!sandbox.handle(req, res)) res.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        sandbox.dispose();
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** Snag's users/connect answering 200 at once (after checking the key and reading the body). */
async function startSnagStub(apiKey) {
  const stub = { count: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== '/api/users/connect' || req.headers['x-api-key'] !== apiKey) {
        res.writeHead(403, { 'content-type': 'application/json' });
        return res.end('{"error":"refused"}');
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      stub.count += 1;
      const now = new Date().toISOString();
      const answer = JSON.stringify({ walletAddress: body.walletAddress, id: 'bench-user', createdAt: now, updatedAt: now });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${server.address().port}`;
  stub.close = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  return stub;
}

/** `count` ready requests: a nonce from the server under test each, signed; JWTs from a pool. */
async function prepare(url, sandbox, count, wallet) {
  const { privateKeyToAccount, generatePrivateKey } = await import('viem/accounts');
  const { createSiweMessage } = await import('viem/siwe');
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  const bs58 = (await import('bs58')).default;
  const { createSolanaSignInMessage } = await import('wallet-linker');
  const nonces = [];
  const workers = Array.from({ length: 16 }, async () => {
    while (nonces.length < count) {
      const res = await fetch(`${url}/nonce`);
      if (res.status !== 200) throw new Error(`GET nonce: ${res.status} ${await res.text()}`);
      nonces.push((await res.json()).nonce);
    }
  });
  await Promise.all(workers);
  nonces.length = count;
  const jwts = Array.from({ length: 64 }, () => sandbox.issueJwt());
  const account = privateKeyToAccount(generatePrivateKey());
  const seed = ed25519.utils.randomSecretKey();
  const solanaAddress = bs58.encode(ed25519.getPublicKey(seed));
  const issuedAt = new Date();
  const prepared = [];
  for (const [i, nonce] of nonces.entries()) {
    let body;
    if (wallet === 'solana') {
      const message = createSolanaSignInMessage({ domain: 'app.example.com', address: solanaAddress, uri: 'https://app.example.com/', version: '1', nonce, issuedAt: issuedAt.toISOString() });
      const signature = bs58.encode(ed25519.sign(new TextEncoder().encode(message), seed));
      body = { walletType: 'solana', walletAddress: solanaAddress, message, signature };
    } else {
      const message = createSiweMessage({ domain: 'app.example.com', address: account.address, uri: 'https://app.example.com/', version: '1', chainId: 1, nonce, issuedAt });
      body = { walletType: 'evm', walletAddress: account.address, message, signature: await account.signMessage({ message }) };
    }
    prepared.push({ jwt: jwts[i % jwts.length], body: JSON.stringify(body) });
  }
  return prepared;
}

/**
 * Closed-loop load: `concurrency` loops, each sending the next prepared request as soon as its
 * previous one answered, until `seconds` have passed (or the requests run out).
 */
async function load(url, prepared, { seconds, concurrency, untilExhausted = false }) {
  let next = 0;
  let ok = 0;
  let exhausted = false;
  const failures = [];
  const latencies = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loops = Array.from({ length: concurrency }, async () => {
    while (untilExhausted || performance.now() < deadline) {
      const item = prepared[next++];
      if (!item) {
        exhausted = !untilExhausted;
        return;
      }
      const t0 = performance.now();
      const res = await fetch(`${url}/snag/connect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${item.jwt}`, 'content-type': 'application/json' },
        body: item.body,
      });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status === 200) ok += 1;
      else failures.push(`${res.status} ${text}`);
    }
  });
  await Promise.all(loops);
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { ok, failures, elapsedS, exhausted, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN };
}
