// Node-side fixtures of the backend tests: the sandbox (Dynamic's JWKS and Snag's stand-in), wallet
// proofs made with independent libraries (viem, tweetnacl, @noble/curves) or with the package's
// message builders, forged tokens (by hand and with jose), and an HTTP client that reads the
// answer whatever it is. The servers under test may run in another runtime; these never do.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import net from 'node:net';

import bs58 from 'bs58';
import nacl from 'tweetnacl';
import { ed25519 } from '@noble/curves/ed25519.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage as viemSiweMessage } from 'viem/siwe';
import { createDynamicSignInMessage, createSolanaSignInMessage, generateNonce } from 'wallet-linker';

import { createSandbox } from '../../www/sandbox/server.mjs';

export const DOMAIN = 'app.example.com';
export const WEBSITE_ID = 'website-from-config';
export const ORGANIZATION_ID = 'organization-from-config';

/** A URL on 127.0.0.1 where nothing listens (a port that was free a moment ago). */
export async function deadUrl() {
  const port = await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address();
      server.close(() => resolve(p));
    });
  });
  return `http://127.0.0.1:${port}`;
}

/** A sandbox on a free loopback port: `{ sandbox, url, close }`. */
export async function startSandbox(options = {}) {
  const sandbox = createSandbox({ logErrors: false, ...options });
  const listening = await sandbox.listen(0);
  return { sandbox, url: listening.url, close: listening.close };
}

/** The JSON configuration of server-app.mjs's servers for a sandbox. */
export async function appConfig(sandbox, sandboxUrl) {
  return {
    domain: DOMAIN,
    environmentId: sandbox.environmentId,
    sandboxUrl,
    snagApiKey: sandbox.snagApiKey,
    websiteId: WEBSITE_ID,
    organizationId: ORGANIZATION_ID,
    deadUrl: await deadUrl(),
  };
}

/** Listens on 127.0.0.1 with a request listener; resolves to `{ url, server, close }`. */
export async function listen(listener) {
  const server = createServer(listener);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ------------------------------------------------------------------------------------------------
// HTTP

/** Reads a fetch Response: `{ status, headers, text, json }` (json undefined when not JSON). */
export async function read(response) {
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * POSTs to `url`: `body` an object (sent as JSON), a string, bytes or a ReadableStream (sent
 * chunked); `jwt` becomes `Authorization: Bearer`, `authorization` replaces the header as is.
 */
export async function post(url, { jwt, authorization, body, headers = {} } = {}) {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', ...headers } };
  if (authorization !== undefined) init.headers.authorization = authorization;
  else if (jwt !== undefined) init.headers.authorization = `Bearer ${jwt}`;
  if (body instanceof ReadableStream) {
    init.body = body;
    init.duplex = 'half';
  } else if (typeof body === 'string' || body instanceof Uint8Array) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  return read(await fetch(url, init));
}

/**
 * On one keep-alive connection: `POST path` with a chunked body of `chunkCount` × 16 KiB (the
 * chunks written as fast as the socket takes them, the terminating chunk included), then
 * `GET nextPath`. Resolves to `{ first, connection, second }`: the first answer's status line and
 * `Connection` header, and the second answer's status code, or `'closed'` when the server closed
 * the connection, or `'no answer'` when nothing came within `waitMs` of the start; and
 * `sentBeforeAnswer`, the body bytes written before the first answer arrived.
 */
export function oversizedThenReuse(url, { path, nextPath, headers = {}, chunkCount = 64, waitMs = 3000 }) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = '';
    let settled = false;
    let sent = 0;
    let sentBeforeAnswer = null;
    const finish = (second) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const responses = received.split(/(?=HTTP\/1\.1 \d{3})/);
      const head = responses[0] ?? '';
      resolve({
        first: head.split('\r\n')[0],
        connection: /\r\nconnection: *([^\r]*)/i.exec(head)?.[1]?.toLowerCase() ?? null,
        second,
        sentBeforeAnswer,
      });
    };
    // One deadline for everything: a server that stops reading can stall the writes too.
    const timer = setTimeout(() => finish('no answer'), waitMs);
    socket.on('data', (d) => {
      sentBeforeAnswer ??= sent;
      received += d;
      const second = /HTTP\/1\.1 (\d{3})/g;
      const codes = [...received.matchAll(second)].map((m) => Number(m[1]));
      if (codes.length >= 2) finish(codes[1]);
    });
    socket.on('close', () => finish('closed'));
    socket.on('error', (e) => (settled ? undefined : received ? finish('closed') : reject(e)));
    (async () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n${extra}\r\n`);
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      for (let i = 0; i < chunkCount && !socket.destroyed; i += 1) {
        socket.write('4000\r\n');
        socket.write(chunk);
        const flushed = socket.write('\r\n');
        sent += chunk.length;
        if (!flushed) await new Promise((r) => socket.once('drain', r));
      }
      if (socket.destroyed) return;
      socket.write('0\r\n\r\n');
      socket.write(`GET ${nextPath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
    })().catch(() => finish('closed'));
  });
}

// ------------------------------------------------------------------------------------------------
// Wallets and proofs

/** A fresh EVM wallet (viem account). */
export function evmWallet() {
  return privateKeyToAccount(generatePrivateKey());
}

/** A fresh Solana wallet: `{ address, secretKey, publicKey, sign(text) (base58, tweetnacl) }`. */
export function solanaWallet() {
  const pair = nacl.sign.keyPair();
  return {
    address: bs58.encode(pair.publicKey),
    publicKey: pair.publicKey,
    secretKey: pair.secretKey,
    sign: (text) => bs58.encode(nacl.sign.detached(new TextEncoder().encode(text), pair.secretKey)),
    /** The same signature made by @noble/curves (ed25519 is deterministic). */
    signNoble: (text) => bs58.encode(ed25519.sign(new TextEncoder().encode(text), pair.secretKey.slice(0, 32))),
  };
}

const iso = (ms) => new Date(ms).toISOString();

/**
 * A SIWE proof made and signed by viem: `{ walletType, walletAddress, message, signature }`.
 * `fields` overrides viem's createSiweMessage parameters (domain, nonce, issuedAt as a Date, ...);
 * `address` the walletAddress sent (default the signer's).
 */
export async function siweProof({ wallet = evmWallet(), nonce, fields = {}, walletAddress } = {}) {
  const message = viemSiweMessage({
    domain: DOMAIN,
    address: wallet.address,
    uri: `https://${DOMAIN}/link`,
    version: '1',
    chainId: 1,
    nonce,
    issuedAt: new Date(),
    ...fields,
  });
  return {
    walletType: 'evm',
    walletAddress: walletAddress ?? wallet.address,
    message,
    signature: await wallet.signMessage({ message }),
  };
}

/** Dynamic's EVM sign-in template (the package's createDynamicSignInMessage), signed by viem. */
export async function dynamicEvmProof({ wallet = evmWallet(), nonce, environmentId, params = {} }) {
  const message = createDynamicSignInMessage({
    chain: 'EVM',
    chainId: 1,
    domain: DOMAIN,
    address: wallet.address,
    uri: `https://${DOMAIN}/`,
    appName: 'Example',
    nonce,
    issuedAt: iso(Date.now()),
    environmentId,
    ...params,
  });
  return { walletType: 'evm', walletAddress: wallet.address, message, signature: await wallet.signMessage({ message }) };
}

/** Dynamic's Solana sign-in template, signed by tweetnacl. */
export function dynamicSolanaProof({ wallet = solanaWallet(), nonce, environmentId }) {
  const message = createDynamicSignInMessage({
    chain: 'SOL',
    domain: DOMAIN,
    address: wallet.address,
    uri: `https://${DOMAIN}/`,
    appName: 'Example',
    nonce,
    issuedAt: iso(Date.now()),
    environmentId,
  });
  return { walletType: 'solana', walletAddress: wallet.address, message, signature: wallet.sign(message) };
}

/**
 * A Sign-In With Solana proof (the package's createSolanaSignInMessage), signed by tweetnacl, or
 * by @noble/curves with `noble: true`. `input` overrides fields; a field set to undefined is left
 * out of the message.
 */
export function siwsProof({ wallet = solanaWallet(), nonce, input = {}, walletAddress, noble = false } = {}) {
  const fields = { domain: DOMAIN, address: wallet.address, uri: `https://${DOMAIN}/link`, version: '1', chainId: 'mainnet', nonce, issuedAt: iso(Date.now()), ...input };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  const message = createSolanaSignInMessage(fields);
  return {
    walletType: 'solana',
    walletAddress: walletAddress ?? wallet.address,
    message,
    signature: noble ? wallet.signNoble(message) : wallet.sign(message),
  };
}

/** A nonce this server never issued (same shape as an issued one). */
export const foreignNonce = () => generateNonce();

// ------------------------------------------------------------------------------------------------
// The Snag stand-in's record

/**
 * Runs `fn` and resolves to `[result, snagCalls]`: the Snag requests the sandbox received while it
 * ran (every request under /snag/, accepted, refused or faulted).
 */
export async function withSnagRecord(sandbox, fn) {
  const mark = sandbox.state.requestSeq;
  const result = await fn();
  const calls = sandbox.snagRequests().filter((r) => r.seq > mark);
  return [result, calls];
}

/** The exact body Snag must receive for `proof` from a server configured with the test ids. */
export function expectedSnagBody(proof, extra = {}) {
  return {
    walletAddress: proof.walletAddress,
    walletType: proof.walletType,
    websiteId: WEBSITE_ID,
    organizationId: ORGANIZATION_ID,
    ...extra,
    verificationData: { message: proof.message, signature: proof.signature },
  };
}

/** Asserts a JSON refusal `{ code, message, field? }` with `status` (and `field` when given). */
export function assertRefusal(res, status, code, field) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get?.('content-type') ?? res.headers['content-type'], /^application\/json/);
  assert.equal(res.json?.code, code, res.text);
  assert.equal(typeof res.json.message, 'string');
  assert.ok(res.json.message.length > 0);
  if (field !== undefined) assert.equal(res.json.field, field, res.text);
}
