// A throw-away Anvil (node_modules/.bin/anvil, from @foundry-rs/anvil) on a free loopback port,
// viem clients for its well-known dev keys, and the accounts the EVM smart-account tests need:
// TestAccountFactory / TestSmartAccount (contracts/test, compiled into contracts/build), a 1-of-1
// Safe 1.4.1 from @safe-global/safe-contracts' artifacts, EIP-6492 wrapping, and small HTTP
// servers that stand in front of (or instead of) an RPC: a request-counting proxy and broken RPCs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import {
  concatHex,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  hashMessage,
  hashTypedData,
  http as httpTransport,
  zeroAddress,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

import { freePort } from './redis-harness.mjs';

export { freePort };

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `node_modules/.bin/anvil`: @foundry-rs/anvil's wrapper, which runs its platform binary. */
export const ANVIL_BIN = path.join(root, 'node_modules/.bin/anvil');

/**
 * The private keys of Anvil's default dev accounts 0-4 (mnemonic "test test … junk"): public test
 * keys, funded on any fresh Anvil, worthless anywhere else.
 */
export const DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
];

/** The 32-byte suffix that marks an EIP-6492 signature. */
export const ERC6492_MAGIC = `0x${'6492'.repeat(16)}`;
export const ERC1271_MAGIC = '0x1626ba7e';

/** ABIs and creation code of contracts/build/test-contracts.json (scripts/compile-contracts.mjs). */
export function loadBuiltContracts() {
  return JSON.parse(readFileSync(path.join(root, 'contracts/build/test-contracts.json'), 'utf8'));
}

/** A Safe 1.4.1 artifact (`Safe`, `SafeL2`, `SafeProxyFactory`, `CompatibilityFallbackHandler`). */
export function safeArtifact(name) {
  const files = {
    Safe: 'contracts/Safe.sol/Safe.json',
    SafeL2: 'contracts/SafeL2.sol/SafeL2.json',
    SafeProxyFactory: 'contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json',
    CompatibilityFallbackHandler: 'contracts/handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json',
  };
  const { abi, bytecode } = require(`@safe-global/safe-contracts/build/artifacts/${files[name]}`);
  return { abi, bytecode };
}

/** A JSON-RPC call with fetch (no viem): `result`, or throws with the error object or status. */
export async function rpc(url, method, params = [], { timeoutMs = 2000 } = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) throw Object.assign(new Error(`${method}: ${body.error.message}`), { rpcError: body.error });
  return body.result;
}

const running = new Set();
function killAll() {
  // The wrapper and Anvil share the process group made for them (detached), so one kill ends both.
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
process.once('exit', killAll);
// A test process ended by a signal runs no 'exit' handlers: end the Anvils first, then let the
// signal do what it would have done (unless someone else handles it).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/** viem chain object for an Anvil on `url` (no multicall3 / ERC-6492 verifier: viem goes deployless). */
export function anvilChain(chainId, url) {
  return defineChain({
    id: chainId,
    name: `Anvil ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
}

/**
 * Starts `node_modules/.bin/anvil --host 127.0.0.1 --port <free port>` (in its own process group)
 * and waits until `eth_chainId` answers. Retries on another port if the chosen one was taken in
 * between. Returns `{ url, port, chainId, startMs, publicClient, walletClients, accounts, stop() }`:
 * `walletClients[i]` / `accounts[i]` are dev key i's (DEV_KEYS); `stop()` ends Anvil (SIGTERM,
 * SIGKILL after 3 s) and resolves once it has exited.
 */
export async function startAnvil({ chainId = 31337, args = [], binary = ANVIL_BIN, attempts = 3 } = {}) {
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const started = performance.now();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn(
      binary,
      ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--accounts', String(DEV_KEYS.length), ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    running.add(child);
    let output = '';
    const keep = (d) => {
      output = (output + d).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let exitInfo;
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        exitInfo = { code, signal };
        running.delete(child);
        resolve(exitInfo);
      }),
    );
    child.once('error', (e) => keep(`\nspawn error: ${e.message}`));
    const kill = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && exitInfo === undefined) {
      let answered;
      try {
        answered = Number(await rpc(url, 'eth_chainId', [], { timeoutMs: 1000 }));
      } catch {
        await sleep(20);
        continue;
      }
      if (answered !== chainId) {
        kill('SIGKILL');
        await exited;
        throw new Error(`the server on port ${port} answered chain id ${answered}, not ${chainId}`);
      }
      const startMs = performance.now() - started;
      const stop = async () => {
        if (exitInfo !== undefined) return;
        kill('SIGTERM');
        const timer = setTimeout(() => kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      };
      const chain = anvilChain(chainId, url);
      const transport = () => httpTransport(url, { retryCount: 0 });
      const publicClient = createPublicClient({ chain, transport: transport(), pollingInterval: 20 });
      const accounts = DEV_KEYS.map((k) => privateKeyToAccount(k));
      const walletClients = accounts.map((account) => createWalletClient({ account, chain, transport: transport(), pollingInterval: 20 }));
      return { url, port, chainId, chain, startMs, publicClient, walletClients, accounts, stop, process: child, output: () => output };
    }
    if (exitInfo === undefined) kill('SIGKILL');
    await exited;
    lastError = new Error(`anvil did not start on port ${port}: ${output.trim() || JSON.stringify(exitInfo)}`);
  }
  throw lastError;
}

/** Sends a contract deployment from `walletClient` and waits for it: the new contract's address. */
export async function deploy(env, walletClient, { abi, bytecode, args = [] }) {
  const hash = await walletClient.deployContract({ abi, bytecode, args });
  const receipt = await env.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deployment failed: ${hash}`);
  return getAddress(receipt.contractAddress);
}

/** Sends a contract call from `walletClient` and waits for it to be mined successfully. */
export async function send(env, walletClient, request) {
  const hash = await walletClient.writeContract(request);
  const receipt = await env.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction reverted: ${request.functionName} ${hash}`);
  return receipt;
}

/**
 * Deploys a contract whose runtime code is `runtimeHex` (no constructor logic): for odd EIP-1271
 * answers the Solidity contracts cannot give (a short answer, a non-standard word).
 */
export async function deployRuntime(env, walletClient, runtimeHex) {
  const runtime = runtimeHex.replace(/^0x/, '');
  const size = runtime.length / 2;
  if (size > 255) throw new Error('deployRuntime: runtime code over 255 bytes');
  // PUSH1 size DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN, then the runtime code.
  const init = `0x60${size.toString(16).padStart(2, '0')}80600b6000396000f3${runtime}`;
  return deploy(env, walletClient, { abi: [], bytecode: init });
}

const SALT_DEPLOYED = `0x${'00'.repeat(31)}01`;

/**
 * Deploys TestAccountFactory from `walletClients[0]` and, through it, a TestSmartAccount owned by
 * `owner` (default dev account 1). Returns `{ factory, factoryAbi, accountAbi, account, owner,
 * counterfactual(owner, salt) }`; `counterfactual` gives `{ address, factoryCalldata }` of an
 * account the factory would deploy (checked to have no code yet).
 */
export async function deployTestAccounts(env, { owner = env.accounts[1].address, deployer = env.walletClients[0] } = {}) {
  const built = loadBuiltContracts().contracts;
  const factoryAbi = built.TestAccountFactory.abi;
  const accountAbi = built.TestSmartAccount.abi;
  const factory = await deploy(env, deployer, built.TestAccountFactory);
  await send(env, deployer, { address: factory, abi: factoryAbi, functionName: 'deploy', args: [owner, SALT_DEPLOYED] });
  const account = getAddress(
    await env.publicClient.readContract({ address: factory, abi: factoryAbi, functionName: 'addressOf', args: [owner, SALT_DEPLOYED] }),
  );
  const code = await env.publicClient.getCode({ address: account });
  if (!code || code === '0x') throw new Error('TestSmartAccount was not deployed by the factory');

  async function counterfactual(accountOwner, salt) {
    const address = getAddress(
      await env.publicClient.readContract({ address: factory, abi: factoryAbi, functionName: 'addressOf', args: [accountOwner, salt] }),
    );
    const deployed = await env.publicClient.getCode({ address });
    if (deployed && deployed !== '0x') throw new Error(`counterfactual account ${address} is already deployed`);
    const factoryCalldata = encodeFunctionData({ abi: factoryAbi, functionName: 'deploy', args: [accountOwner, salt] });
    return { address, factoryCalldata };
  }
  return { factory, factoryAbi, accountAbi, account, owner, counterfactual };
}

const SAFE_MESSAGE_TYPES = { SafeMessage: [{ name: 'message', type: 'bytes' }] };

/**
 * The hash a Safe owner signs so that the Safe accepts `hash` through EIP-1271
 * `isValidSignature(bytes32 hash, bytes signature)` (CompatibilityFallbackHandler 1.4.1): the
 * EIP-712 hash of `SafeMessage(bytes message)` with `message = abi.encode(hash)`, domain
 * `{ chainId, verifyingContract: safe }`.
 */
export function safeMessageHash({ safe, chainId, hash }) {
  return hashTypedData({
    domain: { chainId, verifyingContract: safe },
    types: SAFE_MESSAGE_TYPES,
    primaryType: 'SafeMessage',
    message: { message: hash },
  });
}

/** A Safe owner's signature of `hash` for the Safe's EIP-1271: r‖s‖v (v 27/28) of safeMessageHash. */
export async function safeSignature({ account, safe, chainId, hash }) {
  return account.sign({ hash: safeMessageHash({ safe, chainId, hash }) });
}

/**
 * Deploys Safe 1.4.1 (singleton `Safe`), SafeProxyFactory and CompatibilityFallbackHandler from
 * `deployer`, then a 1-of-1 Safe proxy owned by `owner` (default dev account 1) with that
 * fallback handler. Returns `{ safe, owner, singleton, proxyFactory, fallbackHandler, abi,
 * handlerAbi, sign(account, hash) }`.
 */
export async function deploySafe(env, { owner = env.accounts[1].address, deployer = env.walletClients[0], saltNonce = 0n } = {}) {
  const safeL1 = safeArtifact('Safe');
  const factoryArtifact = safeArtifact('SafeProxyFactory');
  const handlerArtifact = safeArtifact('CompatibilityFallbackHandler');
  const singleton = await deploy(env, deployer, safeL1);
  const proxyFactory = await deploy(env, deployer, factoryArtifact);
  const fallbackHandler = await deploy(env, deployer, handlerArtifact);
  const initializer = encodeFunctionData({
    abi: safeL1.abi,
    functionName: 'setup',
    args: [[owner], 1n, zeroAddress, '0x', fallbackHandler, zeroAddress, 0n, zeroAddress],
  });
  const request = { address: proxyFactory, abi: factoryArtifact.abi, functionName: 'createProxyWithNonce', args: [singleton, initializer, saltNonce] };
  const { result } = await env.publicClient.simulateContract({ ...request, account: deployer.account });
  await send(env, deployer, request);
  const safe = getAddress(result);
  const owners = await env.publicClient.readContract({ address: safe, abi: safeL1.abi, functionName: 'getOwners' });
  if (owners.length !== 1 || getAddress(owners[0]) !== getAddress(owner)) throw new Error(`Safe owners: ${owners}`);
  return {
    safe,
    owner,
    singleton,
    proxyFactory,
    fallbackHandler,
    abi: safeL1.abi,
    handlerAbi: handlerArtifact.abi,
    sign: (account, hash) => safeSignature({ account, safe, chainId: env.chainId, hash }),
  };
}

/** EIP-6492 wrapper: `abi.encode(address factory, bytes factoryCalldata, bytes inner) ‖ magic`. */
export function wrap6492(factory, factoryCalldata, innerSig) {
  const encoded = encodeAbiParameters(
    [{ type: 'address' }, { type: 'bytes' }, { type: 'bytes' }],
    [factory, factoryCalldata, innerSig],
  );
  return concatHex([encoded, ERC6492_MAGIC]);
}

/** The deployless validator's eth_call data: creation code ‖ abi.encode(signer, hash, signature). */
export function validatorCallData(signer, hash, signature) {
  const { bytecode } = loadBuiltContracts().contracts.SignatureValidator;
  return concatHex([bytecode, encodeAbiParameters([{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes' }], [signer, hash, signature])]);
}

/** Runs the deployless validator on `env`'s chain: '0x01', '0x00', or whatever else it returned. */
export async function callValidator(env, { address, hash, message, signature }) {
  const digest = hash ?? hashMessage(message);
  const { data } = await env.publicClient.call({ data: validatorCallData(address, digest, signature) });
  return data;
}

/** Flips the lowest bit of byte `index` of a hex string (0x-prefixed). */
export function flipByte(hex, index) {
  const bytes = Buffer.from(hex.slice(2), 'hex');
  bytes[index] ^= 0x01;
  return `0x${bytes.toString('hex')}`;
}

export const MESSAGE = 'wallet-linker smart-account test: sign in to example.test\nNonce: 8c2f4e7a91';
export const OTHER_MESSAGE = 'wallet-linker smart-account test: a different message';

/**
 * Deploys everything the case table needs on `env` (same deployer, same order: the same
 * addresses on every fresh Anvil) and returns `{ accounts, safe, cases }`. Each case:
 * `{ name, kind, address, message, signature, expected, expectedKind, peers }`, where `expected`
 * is the deployless validator's (and so verifyEvmMessage's) verdict; `peers: 'record'` marks a
 * case where viem's / Ambire's answer is only recorded, not asserted.
 */
export async function setUpCases(env) {
  const [, owner, stranger] = env.accounts;
  const accounts = await deployTestAccounts(env, { owner: owner.address });
  const safe = await deploySafe(env, { owner: owner.address });
  const cf = await accounts.counterfactual(owner.address, `0x${'00'.repeat(31)}02`);
  const cfOtherOwner = await accounts.counterfactual(stranger.address, `0x${'00'.repeat(31)}02`);
  const cfForEoa = await accounts.counterfactual(owner.address, `0x${'00'.repeat(31)}03`);

  const hash = hashMessage(MESSAGE);
  const ownerSig = await owner.signMessage({ message: MESSAGE });
  const strangerSig = await stranger.signMessage({ message: MESSAGE });
  const ownerOtherSig = await owner.signMessage({ message: OTHER_MESSAGE });

  const base = { message: MESSAGE };
  const cases = [
    { name: 'EOA, valid', kind: 'eoa', address: owner.address, signature: ownerSig, expected: true, expectedKind: 'eoa' },
    { name: 'EOA, signature of another message', kind: 'eoa', address: owner.address, signature: ownerOtherSig, expected: false },
    { name: 'EIP-1271 TestSmartAccount, owner', kind: 'erc1271', address: accounts.account, signature: ownerSig, expected: true, expectedKind: 'erc1271' },
    { name: 'EIP-1271 TestSmartAccount, non-owner', kind: 'erc1271', address: accounts.account, signature: strangerSig, expected: false },
    { name: 'EIP-1271 TestSmartAccount, another message', kind: 'erc1271', address: accounts.account, signature: ownerOtherSig, expected: false },
    { name: 'Safe 1.4.1 1-of-1, owner', kind: 'erc1271', address: safe.safe, signature: await safe.sign(owner, hash), expected: true, expectedKind: 'erc1271' },
    { name: 'Safe 1.4.1 1-of-1, non-owner', kind: 'erc1271', address: safe.safe, signature: await safe.sign(stranger, hash), expected: false },
    {
      name: 'EIP-6492 undeployed, valid',
      kind: 'erc6492',
      address: cf.address,
      signature: wrap6492(accounts.factory, cf.factoryCalldata, ownerSig),
      expected: true,
      expectedKind: 'erc6492',
      /** Wraps another owner signature for the same undeployed account. */
      wrap: (sig) => wrap6492(accounts.factory, cf.factoryCalldata, sig),
    },
    {
      name: "EIP-6492 undeployed, factory calldata deploys another owner's account",
      kind: 'erc6492',
      address: cf.address,
      signature: wrap6492(accounts.factory, cfOtherOwner.factoryCalldata, ownerSig),
      expected: false,
    },
    {
      name: 'EIP-6492 undeployed, factory calldata reverts',
      kind: 'erc6492',
      address: cf.address,
      signature: wrap6492(accounts.factory, '0xdeadbeef', ownerSig),
      expected: false,
    },
    {
      name: 'EIP-6492 undeployed, tampered inner signature',
      kind: 'erc6492',
      address: cf.address,
      signature: wrap6492(accounts.factory, cf.factoryCalldata, flipByte(ownerSig, 5)),
      expected: false,
    },
    {
      name: 'EIP-6492 wrapper, account already deployed',
      kind: 'erc6492',
      address: accounts.account,
      signature: wrap6492(accounts.factory, encodeFunctionData({ abi: accounts.factoryAbi, functionName: 'deploy', args: [owner.address, SALT_DEPLOYED] }), ownerSig),
      expected: true,
      expectedKind: 'erc6492',
    },
    {
      // A wrapped signature is a contract account's: the factory call deploys some other account,
      // the signer still has no code, so it is not valid even though the inner signature is the
      // EOA's (EIP-6492's reference validator, viem and Ambire agree).
      name: 'EIP-6492 wrapper around an EOA signature',
      kind: 'erc6492',
      address: owner.address,
      signature: wrap6492(accounts.factory, cfForEoa.factoryCalldata, ownerSig),
      expected: false,
    },
  ].map((c) => ({ ...base, ...c }));
  return { accounts, safe, cases, owner, stranger, hash };
}

// ------------------------------------------------------------------------------------------------
// HTTP servers in front of, or instead of, an RPC. All on 127.0.0.1, all closed by `close()`.

function listenLocal(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    const sockets = new Set();
    server.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      const close = () =>
        new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        });
      resolve({ url: `http://127.0.0.1:${port}`, port, server, close });
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/**
 * An HTTP proxy in front of `targetUrl` that counts what passes: `requests` (HTTP requests),
 * `calls` (JSON-RPC calls, a batch counting each of its entries) and `methods` (calls per method).
 * `reset()` zeroes them.
 */
export async function startCountingProxy(targetUrl) {
  const stats = { requests: 0, calls: 0, methods: {} };
  const server = await listenLocal(async (req, res) => {
    const body = await readBody(req);
    stats.requests += 1;
    try {
      const parsed = JSON.parse(body);
      for (const call of Array.isArray(parsed) ? parsed : [parsed]) {
        stats.calls += 1;
        stats.methods[call.method] = (stats.methods[call.method] ?? 0) + 1;
      }
    } catch {
      stats.methods['(unparsable)'] = (stats.methods['(unparsable)'] ?? 0) + 1;
    }
    try {
      const upstream = await fetch(targetUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await upstream.text();
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(text);
    } catch (e) {
      res.writeHead(502);
      res.end(String(e));
    }
  });
  return {
    ...server,
    stats,
    reset() {
      stats.requests = 0;
      stats.calls = 0;
      stats.methods = {};
    },
  };
}

/**
 * A broken RPC on a loopback port. `mode`:
 * - 'hang': accepts the request and never answers;
 * - 'malformed': answers 200 with a body that is not JSON;
 * - 'error': answers a JSON-RPC error object `{ code: -32000, message: 'header not found' }`;
 * - 'result': answers `result` (option) to every call, e.g. '0x02'.
 * `hits` counts the requests it received.
 */
export async function startBrokenRpc(mode, { result = '0x02', error = { code: -32000, message: 'header not found' } } = {}) {
  const state = { hits: 0 };
  const server = await listenLocal(async (req, res) => {
    const body = await readBody(req);
    state.hits += 1;
    if (mode === 'hang') return; // never answers; close() destroys the socket
    if (mode === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":"2.0","id":1,"result":');
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = { id: null };
    }
    const answer = (call) =>
      mode === 'error' ? { jsonrpc: '2.0', id: call.id ?? null, error } : { jsonrpc: '2.0', id: call.id ?? null, result };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
  });
  return { ...server, state };
}
