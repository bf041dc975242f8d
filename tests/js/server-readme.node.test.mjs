// The README's backend examples are executed, so they cannot rot: the Node server (node:http,
// toNodeHandler, RedisNonceStore with a real redis-server, verifyDynamicJwt on a route of its own)
// as a child process, and the Cloudflare Worker in workerd through runtimes.mjs. Both point at the
// sandbox (Dynamic's JWKS, Snag's stand-in) through the environment variables the examples read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { createClient } from 'redis';

import { startRedis, freePort } from './redis-harness.mjs';
import { serveModule } from './runtimes.mjs';
import { backendExample, substitute } from './server-readme.mjs';
import {
  DOMAIN,
  ORGANIZATION_ID,
  WEBSITE_ID,
  assertRefusal,
  expectedSnagBody,
  post,
  read,
  siweProof,
  siwsProof,
  startSandbox,
  withSnagRecord,
} from './server-fixtures.mjs';

let sb;
before(async () => {
  sb = await startSandbox();
});
after(() => sb?.close());

/** What both examples read from their environment. */
const serviceEnv = () => ({
  DYNAMIC_ENVIRONMENT_ID: sb.sandbox.environmentId,
  DYNAMIC_API_URL: `${sb.url}/api/v0`,
  SNAG_API_KEY: sb.sandbox.snagApiKey,
  SNAG_API_URL: `${sb.url}/snag`,
  SNAG_WEBSITE_ID: WEBSITE_ID,
  SNAG_ORGANIZATION_ID: ORGANIZATION_ID,
});

async function getNonce(base) {
  const res = await read(await fetch(`${base}/api/link/nonce`));
  assert.equal(res.status, 200, res.text);
  return res.json.nonce;
}

/** A proof goes through once (Snag receives exactly the configured body), then is a replay. */
async function acceptedThenReplayed(base, proof) {
  const jwt = sb.sandbox.issueJwt();
  const [res, calls] = await withSnagRecord(sb.sandbox, () => post(`${base}/api/link/snag/connect`, { jwt, body: proof }));
  assert.equal(res.status, 200, res.text);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].apiKey, 'valid');
  assert.deepEqual(calls[0].body, expectedSnagBody(proof));
  assert.deepEqual(res.json, calls[0].response);
  const [replay, none] = await withSnagRecord(sb.sandbox, () => post(`${base}/api/link/snag/connect`, { jwt, body: proof }));
  assertRefusal(replay, 409, 'NONCE_UNKNOWN', 'nonce');
  assert.deepEqual(none, []);
}

test('README backend: the Node server runs as written (Redis nonces, toNodeHandler, verifyDynamicJwt)', async (t) => {
  const redis = await startRedis();
  t.after(() => redis.stop());
  const file = fileURLToPath(new URL('./server-readme-node.generated.mjs', import.meta.url));
  writeFileSync(file, backendExample('node'));
  t.after(() => rmSync(file, { force: true }));
  const port = await freePort();
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, ...serviceEnv(), REDIS_URL: redis.url, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.after(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const base = `http://127.0.0.1:${port}`;
  // Up once the nonce route answers.
  let nonce;
  for (const deadline = Date.now() + 15_000; nonce === undefined; ) {
    try {
      nonce = await getNonce(base);
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the README server did not come up: ${error.message}\n${output}`);
      await sleep(50);
    }
  }
  // The nonce lives in Redis under the store's default prefix, with the default 5 min TTL.
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  await client.connect();
  t.after(() => client.destroy());
  const ttl = await client.pTTL(`wallet-linker:nonce:${nonce}`);
  assert.ok(ttl > 290_000 && ttl <= 300_000, `PTTL ${ttl}`);

  await acceptedThenReplayed(base, await siweProof({ nonce }));
  await acceptedThenReplayed(base, siwsProof({ nonce: await getNonce(base) }));
  const [noJwt, none] = await withSnagRecord(sb.sandbox, async () => post(`${base}/api/link/snag/connect`, { body: await siweProof({ nonce: await getNonce(base) }) }));
  assertRefusal(noJwt, 401, 'UNAUTHENTICATED', 'authorization');
  assert.deepEqual(none, []);

  // The route guarded by verifyDynamicJwt.
  const sub = crypto.randomUUID();
  const me = await read(await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${sb.sandbox.issueJwt({ sub })}` } }));
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json, { userId: sub, wallets: 0 });
  const expired = await read(await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${sb.sandbox.issueJwt({}, { ttlSeconds: -600 })}` } }));
  assert.deepEqual([expired.status, expired.json], [401, { code: 'UNAUTHENTICATED' }]);
  const anonymous = await read(await fetch(`${base}/api/me`));
  assert.deepEqual([anonymous.status, anonymous.json], [401, { code: 'UNAUTHENTICATED' }]);
  const other = await read(await fetch(`${base}/elsewhere`));
  assert.equal(other.status, 404);
  assert.equal(child.exitCode, null, output);
});

test('README backend: the Cloudflare Worker runs as written in workerd', async (t) => {
  // The Worker gets its environment as the second argument of fetch; runtimes.mjs serves a module
  // without bindings, so the README's default export is wrapped to hand it one.
  const env = { ...serviceEnv(), APP_DOMAIN: DOMAIN };
  const source = `${substitute(backendExample('worker'), 'export default {', 'const readmeWorker = {')}
export default { fetch: (request) => readmeWorker.fetch(request, ${JSON.stringify(env)}) };
`;
  const served = await serveModule('workerd', source);
  t.after(() => served.stop());
  const inputs = Object.keys(served.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith('pkg/workerd.js')), 'bundled with the workerd entry');
  const base = served.url;
  try {
    await acceptedThenReplayed(base, siwsProof({ nonce: await getNonce(base) }));
    await acceptedThenReplayed(base, await siweProof({ nonce: await getNonce(base) }));
    // alg none with a valid proof: refused, nothing reaches Snag.
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: 'x', environment_id: sb.sandbox.environmentId, iss: sb.sandbox.issuer, exp: 9e9 })).toString('base64url');
    const [forged, none] = await withSnagRecord(sb.sandbox, async () =>
      post(`${base}/api/link/snag/connect`, { jwt: `${header}.${claims}.`, body: await siweProof({ nonce: await getNonce(base) }) }),
    );
    assertRefusal(forged, 401, 'UNAUTHENTICATED', 'alg');
    assert.deepEqual(none, []);
    const other = await fetch(`${base}/elsewhere`);
    assert.deepEqual([other.status, await other.text()], [404, 'Not found']);
  } catch (error) {
    error.message += `\n--- workerd output ---\n${served.output().slice(-2000)}`;
    throw error;
  }
});
