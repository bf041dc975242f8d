// The package in every server runtime: Node, Deno, Bun and workerd each serve a Worker-style
// handler that imports 'wallet-linker' and 'wallet-linker/server', checks a viem-signed SIWE
// message, runs the server's nonce route and a fetch to a loopback server, and answers JSON that
// this test asserts. Also: require() of both entry points from CommonJS.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { RUNTIMES, serveModule, runtimeVersion } from './runtimes.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NONCE = /^[0-9A-Za-z]{22}$/;

// A fixed key (never a real one): the same signature every run.
const account = privateKeyToAccount('0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const fields = {
  domain: 'app.example.com:8443',
  address: account.address,
  statement: 'Link this wallet to my account.',
  uri: 'https://app.example.com:8443/link',
  version: '1',
  chainId: 1,
  nonce: 'k3Yb7Qv9LmP2xZ8r',
  issuedAt: '2026-11-01T12:00:00.000Z',
  expirationTime: '2026-11-01T12:10:00.000Z',
};
const viemMessage = createSiweMessage({ ...fields, issuedAt: new Date(fields.issuedAt), expirationTime: new Date(fields.expirationTime) });
const signature = await account.signMessage({ message: viemMessage });

// Runs inside each runtime. Everything it reports is checked below.
const HANDLER = `
import * as wl from 'wallet-linker';
import * as server from 'wallet-linker/server';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/server') {
      // The server subpath answers through its own fetch handler; forward the request.
      const linkServer = globalThis.__linkServer ??= server.createLinkServer({
        domain: 'app.example.com:8443',
        dynamic: { environmentId: 'env-test' },
        snag: { apiKey: 'snag-key', websiteId: 'w', organizationId: 'o', baseUrl: 'http://127.0.0.1:9' },
      });
      const inner = new Request(new URL(url.searchParams.get('path'), url), request);
      return linkServer.fetch(inner);
    }
    const input = await request.json();
    const out = { runtime: input.runtime };
    const attempt = (name, f) => {
      try { out[name] = f(); } catch (e) { out[name] = { error: e.name, code: e.code, message: e.message }; }
    };
    attempt('version', () => wl.version());
    attempt('createSiweMessage', () => wl.createSiweMessage(input.fields));
    attempt('verifyEvmSignature', () => wl.verifyEvmSignature(input.message, input.signature, input.fields.address));
    attempt('verifyEvmSignatureTampered', () => wl.verifyEvmSignature(input.message.replace('Link', 'Lure'), input.signature, input.fields.address));
    attempt('recoverEvmAddress', () => wl.recoverEvmAddress(input.message, input.signature));
    attempt('verifySiweSignIn', () => wl.verifySiweSignIn({
      message: input.message, signature: input.signature, domain: input.fields.domain, nonce: input.fields.nonce,
      now: '2026-11-01T12:05:00Z',
    }).address);
    attempt('verifySiweSignInExpired', () => wl.verifySiweSignIn({
      message: input.message, signature: input.signature, domain: input.fields.domain, nonce: input.fields.nonce,
      now: '2026-11-01T12:30:00Z',
    }));
    attempt('generateNonce', () => wl.generateNonce());
    attempt('isWalletLinkerError', () => {
      try { wl.toChecksumAddress('0x123'); } catch (e) { return [wl.isWalletLinkerError(e), e.code]; }
    });
    // 'wallet-linker/server' reaches the core through '#init': the same instance as 'wallet-linker'.
    out.sameCoreInstance = server.verifyDynamicJwt === wl.verifyDynamicJwt;
    out.serverExports = Object.keys(server).sort();
    attempt('memoryStore', () => {
      const store = new server.MemoryNonceStore({ maxEntries: 2 });
      const nonce = store.issue(60000);
      return [typeof nonce, nonce.length, store.consume(nonce), store.consume(nonce)];
    });
    if (typeof import.meta.resolve === 'function' && input.runtime !== 'workerd') {
      attempt('resolved', () => import.meta.resolve('wallet-linker'));
    }
    try {
      const response = await fetch(input.loopbackUrl);
      out.loopback = [response.status, await response.text()];
    } catch (e) {
      out.loopback = { error: String(e) };
    }
    return Response.json(out);
  },
};
`;

describe('the package in each server runtime', () => {
  let loopback;
  before(async () => {
    // Stands in for the JWKS and Snag endpoints the server tests reach from inside the runtimes.
    loopback = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`loopback saw ${req.method} ${req.url}`);
    });
    await new Promise((resolve) => loopback.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise((resolve) => loopback.close(resolve)));

  for (const runtime of RUNTIMES) {
    test(`${runtime} (${runtimeVersion(runtime)}): import, verify a viem signature, server routes, loopback fetch`, async () => {
      const served = await serveModule(runtime, HANDLER);
      try {
        const response = await fetch(served.url, {
          method: 'POST',
          body: JSON.stringify({
            runtime,
            fields,
            message: viemMessage,
            signature,
            loopbackUrl: `http://127.0.0.1:${loopback.address().port}/jwks?from=${runtime}`,
          }),
        });
        const text = await response.text();
        assert.equal(response.status, 200, `${text}\n${served.output()}`);
        const out = JSON.parse(text);
        assert.match(out.version, /^\d+\.\d+\.\d+/);
        assert.equal(out.createSiweMessage, viemMessage, 'createSiweMessage is byte-identical to viem');
        assert.equal(out.verifyEvmSignature, true);
        assert.equal(out.verifyEvmSignatureTampered, false);
        assert.equal(out.recoverEvmAddress, account.address);
        assert.equal(out.verifySiweSignIn, account.address);
        assert.equal(out.verifySiweSignInExpired.code, 'EXPIRED');
        assert.equal(out.verifySiweSignInExpired.error, 'WalletLinkerError');
        assert.match(out.generateNonce, NONCE);
        assert.deepEqual(out.isWalletLinkerError, [true, 'INVALID_ADDRESS']);
        assert.equal(out.sameCoreInstance, true, "'#init' and 'wallet-linker' resolve to the same initialised module");
        for (const name of ['MemoryNonceStore', 'RedisNonceStore', 'createLinkServer', 'toNodeHandler', 'verifyDynamicJwt']) {
          assert.ok(out.serverExports.includes(name), `wallet-linker/server exports ${name}`);
        }
        assert.deepEqual(out.memoryStore, ['string', 22, true, false]);
        assert.deepEqual(out.loopback, [200, `loopback saw GET /jwks?from=${runtime}`], 'outbound fetch to 127.0.0.1');
        if (runtime === 'workerd') {
          const bundled = Object.keys(served.metafile.inputs).map((p) => path.resolve(root, p));
          const pkg = (f) => path.join(root, 'pkg', f);
          assert.ok(bundled.includes(pkg('workerd.js')), `workerd.js bundled: ${bundled.join(', ')}`);
          assert.ok(!bundled.includes(pkg('node.js')) && !bundled.includes(pkg('index.js')), 'only the workerd entry');
        } else {
          assert.equal(fileURLToPath(out.resolved), path.join(root, 'pkg/node.js'), `${runtime} loads the node entry`);
        }

        // The server subpath's own routes, through the runtime's Request/Response.
        const nonceResponse = await fetch(`${served.url}/server?path=/nonce`);
        assert.equal(nonceResponse.status, 200);
        assert.match(nonceResponse.headers.get('content-type'), /^application\/json/);
        const issued = await nonceResponse.json();
        assert.match(issued.nonce, NONCE);
        const expiresIn = Date.parse(issued.expiresAt) - Date.now();
        assert.ok(expiresIn > 290_000 && expiresIn <= 300_000, `expiresAt ${issued.expiresAt}`);
        const refused = await fetch(`${served.url}/server?path=/snag/connect`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ walletType: 'evm', walletAddress: account.address, message: viemMessage, signature }),
        });
        assert.equal(refused.status, 401);
        assert.equal((await refused.json()).code, 'UNAUTHENTICATED');
      } finally {
        await served.stop();
      }
    });
  }
});

describe('CommonJS', () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'wl-cjs-'));
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    // A project file: Deno resolves packages from node_modules (and so the package's own '#init'
    // import map) only in a directory with a package.json or a deno.json.
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'wl-cjs-probe', private: true }));
    writeFileSync(
      path.join(dir, 'probe.cjs'),
      `const wl = require('wallet-linker');
const server = require('wallet-linker/server');
const store = new server.MemoryNonceStore();
const nonce = store.issue(1000);
console.log(JSON.stringify({
  version: wl.version(),
  valid: wl.verifyEvmSignature(${JSON.stringify(viemMessage)}, ${JSON.stringify(signature)}, ${JSON.stringify(account.address)}),
  sameCoreInstance: server.verifyDynamicJwt === wl.verifyDynamicJwt,
  createLinkServer: typeof server.createLinkServer,
  consumed: [store.consume(nonce), store.consume(nonce)],
  resolved: require.resolve('wallet-linker'),
}));
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const commands = {
    node: [process.execPath, ['probe.cjs']],
    bun: [path.join(root, 'node_modules/.bin/bun'), ['probe.cjs']],
    deno: [path.join(root, 'node_modules/.bin/deno'), ['run', '--no-prompt', '--no-lock', '--allow-read', 'probe.cjs']],
  };
  for (const [runtime, [command, args]] of Object.entries(commands)) {
    test(`require('wallet-linker') and require('wallet-linker/server') in ${runtime}`, () => {
      const stdout = execFileSync(command, args, {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = JSON.parse(stdout);
      assert.match(out.version, /^\d+\.\d+\.\d+/);
      assert.equal(out.valid, true);
      assert.equal(out.sameCoreInstance, true);
      assert.equal(out.createLinkServer, 'function');
      assert.deepEqual(out.consumed, [true, false]);
      assert.equal(out.resolved, path.join(root, 'pkg/node.js'));
    });
  }
});
