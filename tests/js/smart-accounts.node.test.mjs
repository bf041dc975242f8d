// EVM smart-account signatures (EIP-1271, EIP-6492) on a local Anvil: every case of the table
// (tests/js/anvil-harness.mjs setUpCases) is checked against three verifiers that must agree:
//   viem            publicClient.verifyMessage (its own deployless ERC-6492 validator),
//   Ambire          @ambire/signature-validator verifyMessage with an ethers 5 provider,
//   verifyEvmMessage this package (its deployless contracts/SignatureValidator.sol).
// Then what only ours promises: RPC failures reject with a code (NETWORK, TIMEOUT,
// INVALID_RESPONSE, RPC_ERROR) and never resolve `valid`, and an EOA signature costs no RPC
// request. Counts and times per kind go through a counting proxy in front of Anvil (printed, not
// asserted, except EOA = 0 requests for ours).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { createPublicClient, hexToBytes, http, stringToBytes } from 'viem';
import { createSiweMessage } from 'viem/siwe';

import {
  anvilChain,
  freePort,
  safeMessageHash,
  setUpCases,
  startAnvil,
  startBrokenRpc,
  startCountingProxy,
} from './anvil-harness.mjs';

const started = performance.now();
const require = createRequire(import.meta.url);

// Ambire's verifyMessage calls `provider.call({ data })` with an ethers 5 provider (or a viem
// client). It depends on ethers ^5 itself, which npm nests under it (the project's ethers is 6):
// the provider is made with that same ethers 5, resolved from Ambire's own directory.
const ambirePath = require.resolve('@ambire/signature-validator');
const { verifyMessage: ambireVerifyMessage } = require(ambirePath);
const ethers5 = createRequire(ambirePath)('ethers');
assert.match(ethers5.version, /^ethers\/5\./, "Ambire's ethers is 5.x");

// wallet-linker's verifyEvmMessage, loaded on first use so that the rest of this file runs
// before the package exports it.
let oursPromise;
function loadVerifyEvmMessage() {
  oursPromise ??= import('wallet-linker').then((m) => {
    if (typeof m.verifyEvmMessage !== 'function') throw new Error('wallet-linker does not export verifyEvmMessage (yet)');
    return m.verifyEvmMessage;
  });
  return oursPromise;
}
async function verifyEvmMessage(params) {
  const verify = await loadVerifyEvmMessage();
  return verify(params);
}

const env = await startAnvil();
const t0 = performance.now();
const setup = await setUpCases(env);
console.log(`anvil started in ${env.startMs.toFixed(0)} ms; accounts and Safe deployed in ${(performance.now() - t0).toFixed(0)} ms`);
const ethersProvider = new ethers5.providers.StaticJsonRpcProvider(env.url, env.chainId);

/** name -> { expected, viem, ambire, ours }: printed as a table at the end. */
const table = new Map();
const record = (name, column, value) => table.set(name, { ...table.get(name), [column]: value });
const show = (v) => (v === undefined ? '-' : typeof v === 'object' ? `throws: ${v.threw}` : String(v));

after(async () => {
  await env.stop();
  const rows = [...table.entries()].map(([name, r]) => `| ${name} | ${show(r.expected)} | ${show(r.viem)} | ${show(r.ambire)} | ${show(r.ours)} |`);
  console.log(['', '| case | expected | viem | Ambire | verifyEvmMessage |', '|---|---|---|---|---|', ...rows].join('\n'));
  console.log(`smart-accounts.node.test.mjs: ${(performance.now() - started).toFixed(0)} ms`);
});

/** viem's verdict (viem answers false for a reverting validator; it throws only on RPC trouble). */
function viemVerdict(client, c) {
  return client.verifyMessage({ address: c.address, message: c.message, signature: c.signature });
}

/** Ambire's verdict: true, false, or `{ threw }` (it throws when its validator reverts). */
async function ambireVerdict(provider, c) {
  try {
    return await ambireVerifyMessage({ provider, signer: c.address, message: c.message, signature: c.signature });
  } catch (e) {
    return { threw: e.message.split('\n')[0].slice(0, 120) };
  }
}

/** Ambire throws when its own validator reverts: for an expected `false`, that is a "not valid". */
function assertAmbire(outcome, expected) {
  if (expected) return assert.equal(outcome, true);
  if (typeof outcome === 'object') {
    return assert.match(outcome.threw, /UniversalValidator|SignatureValidator|revert/i, 'a revert of its validator, not an RPC failure');
  }
  return assert.equal(outcome, false);
}

async function verifyEvmSignIn(options) {
  const { verifyEvmSignIn: verify } = await import('wallet-linker');
  return verify(options);
}

const expectations = { domain: 'example.test', nonce: 'n0nce12345678' };

/** A SIWE message for `address` on `chainId`, signed by `signer` (default the owner) and wrapped. */
async function signIn({ address, chainId, signer = setup.owner, wrap = (sig) => sig }) {
  const message = createSiweMessage({
    ...expectations, address, chainId, uri: 'https://example.test/login', version: '1', issuedAt: new Date(),
  });
  return { message, signature: wrap(await signer.signMessage({ message })) };
}

async function oursVerdict(c, rpc = env.url, extra = {}) {
  return verifyEvmMessage({ message: c.message, signature: c.signature, address: c.address, rpc, ...extra });
}

function assertOurs(result, c) {
  assert.equal(result.valid, c.expected);
  if (c.expected) assert.equal(result.kind, c.expectedKind);
  else assert.equal(result.kind, undefined, 'no kind when not valid');
}

const caseNamed = (name) => {
  const c = setup.cases.find((x) => x.name === name);
  assert.ok(c, name);
  return c;
};

describe('the Safe is set up as the table needs', () => {
  test("Safe: the owner's signature is accepted through isValidSignature(bytes32,bytes) (readContract)", async () => {
    const c = caseNamed('Safe 1.4.1 1-of-1, owner');
    const isValidSignature = {
      type: 'function',
      name: 'isValidSignature',
      stateMutability: 'view',
      inputs: [{ type: 'bytes32' }, { type: 'bytes' }],
      outputs: [{ type: 'bytes4' }],
    };
    const magic = await env.publicClient.readContract({ address: setup.safe.safe, abi: [isValidSignature], functionName: 'isValidSignature', args: [setup.hash, c.signature] });
    assert.equal(magic, '0x1626ba7e');
    // The hash the owner signed is the handler's own SafeMessage hash of abi.encode(hash).
    const handlerHash = await env.publicClient.readContract({
      address: setup.safe.fallbackHandler,
      abi: setup.safe.handlerAbi,
      functionName: 'getMessageHashForSafe',
      args: [setup.safe.safe, setup.hash],
    });
    assert.equal(handlerHash, safeMessageHash({ safe: setup.safe.safe, chainId: env.chainId, hash: setup.hash }));
  });
});

describe('case table: viem, Ambire and verifyEvmMessage', () => {
  for (const c of setup.cases) {
    record(c.name, 'expected', c.expected);
    const recordOnly = c.peers === 'record';
    test(`viem: ${c.name}${recordOnly ? ' (recorded, not asserted)' : ''}`, async (t) => {
      const verdict = await viemVerdict(env.publicClient, c);
      record(c.name, 'viem', verdict);
      if (recordOnly) t.diagnostic(`viem says ${verdict}`);
      else assert.equal(verdict, c.expected);
    });
    test(`Ambire: ${c.name}${recordOnly ? ' (recorded, not asserted)' : ''}`, async (t) => {
      const verdict = await ambireVerdict(ethersProvider, c);
      record(c.name, 'ambire', verdict);
      if (recordOnly) t.diagnostic(`Ambire says ${show(verdict)}`);
      else assertAmbire(verdict, c.expected);
    });
    test(`verifyEvmMessage: ${c.name}`, async () => {
      const result = await oursVerdict(c);
      record(c.name, 'ours', result.valid);
      assertOurs(result, c);
    });
  }

  test('verifyEvmMessage: message and signature as Uint8Array', async () => {
    for (const name of ['EOA, valid', 'EIP-1271 TestSmartAccount, owner', 'EIP-6492 undeployed, valid']) {
      const c = caseNamed(name);
      const result = await verifyEvmMessage({ message: stringToBytes(c.message), signature: hexToBytes(c.signature), address: c.address, rpc: env.url });
      assertOurs(result, c);
    }
  });

  test('verifyEvmMessage: an EIP-1193 provider as rpc', async () => {
    const methods = [];
    const provider = {
      request: (args) => {
        methods.push(args.method);
        return env.publicClient.request(args);
      },
    };
    for (const name of ['EIP-1271 TestSmartAccount, owner', 'EIP-1271 TestSmartAccount, non-owner', 'EIP-6492 undeployed, valid']) {
      const c = caseNamed(name);
      assertOurs(await oursVerdict(c, provider), c);
    }
    assert.deepEqual(methods, ['eth_call', 'eth_call', 'eth_call']);
  });
});

describe('wrong chain: signatures made on chain 31337, checked on an Anvil with chain id 31338', () => {
  let other;
  let otherSetup;
  let otherProvider;
  before(async () => {
    other = await startAnvil({ chainId: 31338 });
    otherSetup = await setUpCases(other);
    otherProvider = new ethers5.providers.StaticJsonRpcProvider(other.url, other.chainId);
    // Same deployer, same nonces: the same contracts at the same addresses on both chains.
    assert.equal(otherSetup.safe.safe, setup.safe.safe);
    assert.equal(otherSetup.accounts.account, setup.accounts.account);
  });
  after(() => other?.stop());

  // The Safe's SafeMessage domain has the chain id: chain 31337's signature is not valid on 31338.
  const safeCase = () => ({ ...caseNamed('Safe 1.4.1 1-of-1, owner'), name: 'wrong chain: Safe owner signature from chain 31337', expected: false });
  // TestSmartAccount checks a plain EIP-191 hash: nothing in it names a chain, so it is valid on
  // both; only a sign-in message's own Chain ID can tell (the sign-in check, below).
  const plainCase = () => ({ ...caseNamed('EIP-1271 TestSmartAccount, owner'), name: 'wrong chain: TestSmartAccount signature (not chain-bound)' });

  for (const make of [safeCase, plainCase]) {
    test(`viem, Ambire and verifyEvmMessage: ${make().name}`, async () => {
      const c = make();
      record(c.name, 'expected', c.expected);
      const viem = await viemVerdict(other.publicClient, c);
      record(c.name, 'viem', viem);
      const ambire = await ambireVerdict(otherProvider, c);
      record(c.name, 'ambire', ambire);
      assert.equal(viem, c.expected);
      assertAmbire(ambire, c.expected);
      const result = await oursVerdict(c, other.url);
      record(c.name, 'ours', result.valid);
      assertOurs(result, c);
    });
  }

  test('verifyEvmSignIn: a SIWE message for chain 31337 checked through the chain-31338 RPC is CHAIN_ID_MISMATCH', async () => {
    const { message, signature } = await signIn({ address: setup.accounts.account, chainId: env.chainId });
    await assert.rejects(verifyEvmSignIn({ message, signature, rpc: other.url, ...expectations }), (e) => {
      assert.equal(e.code, 'CHAIN_ID_MISMATCH', e.message);
      assert.equal(e.field, 'rpc');
      return true;
    });
  });
});

describe('verifyEvmSignIn: SIWE for every kind of account, against viem/siwe', () => {
  test('a deployed EIP-1271 account, an undeployed EIP-6492 one and an EOA sign in; viem agrees', async () => {
    const undeployed = caseNamed('EIP-6492 undeployed, valid');
    for (const [address, kind, wrap] of [
      [setup.accounts.account, 'erc1271', (sig) => sig],
      [undeployed.address, 'erc6492', (sig) => undeployed.wrap(sig)],
      [setup.owner.address, 'eoa', (sig) => sig],
    ]) {
      const { message, signature } = await signIn({ address, chainId: env.chainId, wrap });
      const result = await verifyEvmSignIn({ message, signature, rpc: env.url, ...expectations });
      assert.equal(result.kind, kind);
      assert.equal(result.fields.address, address);
      assert.equal(await env.publicClient.verifySiweMessage({ message, signature, ...expectations }), true, `viem: ${kind}`);
    }
  });

  test("Dynamic's EVM template (an EIP-4361 message with a Request ID) signs a smart account in", async () => {
    const { createDynamicSignInMessage } = await import('wallet-linker');
    const message = createDynamicSignInMessage({
      chain: 'EVM', chainId: env.chainId, domain: expectations.domain, address: setup.accounts.account, uri: 'https://example.test/',
      appName: 'Example', nonce: expectations.nonce, issuedAt: new Date().toISOString(), environmentId: 'env-1',
    });
    const signature = await setup.owner.signMessage({ message });
    const result = await verifyEvmSignIn({ message, signature, rpc: env.url, ...expectations });
    assert.equal(result.kind, 'erc1271');
    assert.equal(result.fields.requestId, 'env-1');
  });

  test('the sign-in rules come first: a wrong nonce or domain is refused without the RPC', async () => {
    const { message, signature } = await signIn({ address: setup.accounts.account, chainId: env.chainId });
    const dead = `http://127.0.0.1:${await freePort()}`;
    for (const [override, code] of [[{ nonce: 'someOtherNonce1' }, 'NONCE_MISMATCH'], [{ domain: 'evil.test' }, 'DOMAIN_MISMATCH']]) {
      await assert.rejects(verifyEvmSignIn({ message, signature, rpc: dead, ...expectations, ...override }), (e) => e.code === code);
    }
  });

  test("another owner's signature for the account is SIGNATURE_MISMATCH; viem agrees", async () => {
    const { message, signature } = await signIn({ address: setup.accounts.account, chainId: env.chainId, signer: setup.stranger });
    await assert.rejects(verifyEvmSignIn({ message, signature, rpc: env.url, ...expectations }), (e) => e.code === 'SIGNATURE_MISMATCH');
    assert.equal(await env.publicClient.verifySiweMessage({ message, signature, ...expectations }), false);
  });
});

describe('RPC failures: verifyEvmMessage rejects with a code and never resolves valid', () => {
  const needsRpc = () => [caseNamed('EIP-1271 TestSmartAccount, owner'), caseNamed('EIP-6492 undeployed, valid')];
  const code = (expected, apiCode) => (e) => {
    assert.equal(e.code, expected, `${e.code}: ${e.message}`);
    if (apiCode !== undefined) assert.equal(e.apiCode, apiCode);
    return true;
  };

  test('RPC down (nothing listens on the port): NETWORK', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    for (const c of needsRpc()) await assert.rejects(oursVerdict(c, url, { timeoutMs: 5000 }), code('NETWORK'));
  });

  test('RPC that accepts and never answers, timeoutMs 200: TIMEOUT', async () => {
    const rpc = await startBrokenRpc('hang');
    try {
      for (const c of needsRpc()) {
        const t = performance.now();
        await assert.rejects(oursVerdict(c, rpc.url, { timeoutMs: 200 }), code('TIMEOUT'));
        // Not a speed check: the 200 ms bound must end the wait, long before node's own timeout.
        assert.ok(performance.now() - t < 10_000, 'rejected within 10 s');
      }
      assert.ok(rpc.state.hits >= 2, 'the requests reached the server');
    } finally {
      await rpc.close();
    }
  });

  test('malformed JSON: INVALID_RESPONSE', async () => {
    const rpc = await startBrokenRpc('malformed');
    try {
      for (const c of needsRpc()) await assert.rejects(oursVerdict(c, rpc.url, { timeoutMs: 5000 }), code('INVALID_RESPONSE'));
    } finally {
      await rpc.close();
    }
  });

  test('an eth_call result other than 0x00 / 0x01 (0x02, 0x, 0x0101): INVALID_RESPONSE', async () => {
    for (const result of ['0x02', '0x', '0x0101']) {
      const rpc = await startBrokenRpc('result', { result });
      try {
        for (const c of needsRpc()) await assert.rejects(oursVerdict(c, rpc.url, { timeoutMs: 5000 }), code('INVALID_RESPONSE'), result);
      } finally {
        await rpc.close();
      }
    }
  });

  test('a JSON-RPC error object {code: -32000}: RPC_ERROR with apiCode "-32000"', async () => {
    const rpc = await startBrokenRpc('error');
    try {
      for (const c of needsRpc()) await assert.rejects(oursVerdict(c, rpc.url, { timeoutMs: 5000 }), code('RPC_ERROR', '-32000'));
    } finally {
      await rpc.close();
    }
  });

  test('a valid EOA signature needs no RPC: valid even with the RPC down', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const c = caseNamed('EOA, valid');
    assertOurs(await oursVerdict(c, url, { timeoutMs: 5000 }), c);
  });

  test('an EOA signature that does not recover to the address is settled on chain: NETWORK with the RPC down', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await assert.rejects(oursVerdict(caseNamed('EOA, signature of another message'), url, { timeoutMs: 5000 }), code('NETWORK'));
  });
});

describe('RPC requests and time per verification kind (through a counting proxy; printed)', () => {
  const kinds = [
    ['eoa', 'EOA, valid'],
    ['erc1271 (TestSmartAccount)', 'EIP-1271 TestSmartAccount, owner'],
    ['erc1271 (Safe)', 'Safe 1.4.1 1-of-1, owner'],
    ['erc6492 (undeployed)', 'EIP-6492 undeployed, valid'],
  ];
  const ROUNDS = 20;
  let proxy;
  const report = [];
  before(async () => {
    proxy = await startCountingProxy(env.url);
  });
  after(async () => {
    await proxy?.close();
    console.log(['', '| verifier | kind | RPC requests (methods) | mean time per verification |', '|---|---|---|---|', ...report].join('\n'));
  });

  /** One verification through the proxy (counted), then ROUNDS straight to Anvil (timed). */
  async function measure(verifier, kind, c, throughProxy, direct) {
    proxy.reset();
    const verdict = await throughProxy(c);
    const { requests, methods } = proxy.stats;
    const t = performance.now();
    for (let i = 0; i < ROUNDS; i += 1) await direct(c);
    const ms = (performance.now() - t) / ROUNDS;
    report.push(`| ${verifier} | ${kind} | ${requests} (${Object.entries(methods).map(([m, n]) => `${m} ${n}`).join(', ') || 'none'}) | ${ms.toFixed(2)} ms |`);
    return { verdict, requests };
  }

  for (const [kind, name] of kinds) {
    test(`verifyEvmMessage: ${kind}${kind === 'eoa' ? ' (0 requests)' : ''}`, async () => {
      const c = caseNamed(name);
      const { verdict, requests } = await measure(
        'verifyEvmMessage',
        kind,
        c,
        (x) => oursVerdict(x, proxy.url),
        (x) => oursVerdict(x),
      );
      assertOurs(verdict, c);
      if (kind === 'eoa') assert.equal(requests, 0, 'an EOA signature is checked locally');
    });
  }

  for (const [kind, name] of kinds) {
    test(`viem: ${kind}`, async () => {
      const viaProxy = createPublicClient({ chain: anvilChain(env.chainId, proxy.url), transport: http(proxy.url, { retryCount: 0 }) });
      const c = caseNamed(name);
      const { verdict } = await measure('viem', kind, c, (x) => viemVerdict(viaProxy, x), (x) => viemVerdict(env.publicClient, x));
      assert.equal(verdict, true);
    });
  }

  for (const [kind, name] of kinds) {
    test(`Ambire: ${kind}`, async () => {
      const viaProxy = new ethers5.providers.StaticJsonRpcProvider(proxy.url, env.chainId);
      const c = caseNamed(name);
      const { verdict } = await measure('Ambire', kind, c, (x) => ambireVerdict(viaProxy, x), (x) => ambireVerdict(ethersProvider, x));
      assert.equal(verdict, true);
    });
  }
});
