// Smart accounts through the whole package on a local Anvil: `linkWallet` checks a contract
// account's signature through the wallet's own EIP-1193 provider (or `options.rpc`) before anything
// reaches Dynamic, and the backend (`createLinkServer({ rpc })`) accepts a smart account's proof
// only on a configured chain, after the account contract accepts it there. Every refusal is
// checked to reach neither Dynamic nor Snag.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { createSiweMessage } from 'viem/siwe';
import { linkWallet } from 'wallet-linker';
import { createLinkServer } from 'wallet-linker/server';

import { deployTestAccounts, freePort, startAnvil, wrap6492 } from './anvil-harness.mjs';
import { DOMAIN, ORGANIZATION_ID, WEBSITE_ID, startSandbox, withSnagRecord } from './server-fixtures.mjs';

const env = await startAnvil();
const [, owner, stranger] = env.accounts;
const accounts = await deployTestAccounts(env, { owner: owner.address });
const undeployed = await accounts.counterfactual(owner.address, `0x${'00'.repeat(31)}77`);
const sandbox = await startSandbox({ evmRpcUrl: env.url });
after(async () => {
  await env.stop();
  await sandbox.close();
});

/** An EIP-1193 provider that forwards to Anvil and counts the calls by method. */
function anvilProvider(url = env.url) {
  const calls = [];
  return {
    calls,
    async request({ method, params = [] }) {
      calls.push(method);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      const { result, error } = await response.json();
      if (error) throw Object.assign(new Error(error.message), { code: error.code });
      return result;
    },
  };
}

/** A smart-account wallet: the account's address, its owner's (or `signer`'s) signature. */
function smartWallet({ address = accounts.account, signer = owner, wrap = (sig) => sig, provider = anvilProvider() } = {}) {
  return {
    chain: 'EVM',
    address,
    chainId: env.chainId,
    walletName: 'demosmartaccount',
    provider,
    signMessage: async (message) => wrap(await signer.signMessage({ message })),
  };
}

/** A Dynamic stand-in that records each verify request. */
function dynamicRecorder() {
  const requests = [];
  const answer = (request) => {
    requests.push(request);
    return { jwt: 'jwt', user: { id: 'user-1', verifiedCredentials: [] } };
  };
  return { requests, getNonce: async () => 'n0nce12345678', verify: async (r) => answer(r), verifyLink: async (r) => answer(r), environmentId: 'env-1' };
}

const flowOptions = { domain: DOMAIN, uri: `https://${DOMAIN}/link`, environmentId: 'env-1' };

describe('linkWallet with smart accounts', () => {
  test("a deployed EIP-1271 account links, checked through the wallet's own provider", async () => {
    for (const messageFormat of ['dynamic', 'siwe']) {
      const dynamic = dynamicRecorder();
      const wallet = smartWallet();
      const result = await linkWallet({ ...flowOptions, dynamic, wallet, messageFormat });
      assert.equal(result.localCheck.kind, 'erc1271');
      assert.deepEqual(wallet.provider.calls, ['eth_chainId', 'eth_call'], 'chain first, then one eth_call');
      assert.equal(dynamic.requests.length, 1);
      assert.equal(dynamic.requests[0].walletProvider, 'smartContractWallet');
      assert.equal(dynamic.requests[0].publicWalletAddress, accounts.account);
    }
  });

  test('an undeployed EIP-6492 account links through options.rpc (a URL), not the provider', async () => {
    const dynamic = dynamicRecorder();
    const wrap = (sig) => wrap6492(accounts.factory, undeployed.factoryCalldata, sig);
    const wallet = smartWallet({ address: undeployed.address, wrap });
    const result = await linkWallet({ ...flowOptions, dynamic, wallet, rpc: env.url });
    assert.equal(result.localCheck.kind, 'erc6492');
    assert.deepEqual(wallet.provider.calls, [], 'options.rpc wins over the wallet provider');
    assert.equal(dynamic.requests[0].walletProvider, 'smartContractWallet');
    assert.ok(result.signature.endsWith('6492'.repeat(16)), 'the wrapped signature is what Dynamic gets');
  });

  test('a key signs without any RPC call, and walletProvider stays browserExtension', async () => {
    const dynamic = dynamicRecorder();
    const wallet = smartWallet({ address: owner.address });
    const result = await linkWallet({ ...flowOptions, dynamic, wallet });
    assert.equal(result.localCheck.kind, 'eoa');
    assert.deepEqual(wallet.provider.calls, []);
    assert.equal(dynamic.requests[0].walletProvider, 'browserExtension');
  });

  test("a stranger's signature, a wrong chain, an RPC that fails: step verify, nothing sent to Dynamic", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    for (const [what, wallet, extra, code] of [
      ['stranger', smartWallet({ signer: stranger }), {}, 'SIGNATURE_MISMATCH'],
      ['message on another chain', smartWallet(), { chainId: 8453 }, 'CHAIN_ID_MISMATCH'],
      ['RPC down', smartWallet(), { rpc: dead }, 'NETWORK'],
      ['no provider, no rpc', { ...smartWallet(), provider: undefined }, {}, 'SIGNATURE_MISMATCH'],
    ]) {
      const dynamic = dynamicRecorder();
      await assert.rejects(linkWallet({ ...flowOptions, dynamic, wallet, ...extra }), (e) => {
        assert.equal(e.code, code, `${what}: ${e.code} ${e.message}`);
        assert.equal(e.step, 'verify', what);
        return true;
      });
      assert.equal(dynamic.requests.length, 0, `${what}: Dynamic got nothing`);
    }
  });
});

describe('createLinkServer({ rpc }) with smart accounts', () => {
  const server = (rpc) =>
    createLinkServer({
      domain: DOMAIN,
      dynamic: { environmentId: sandbox.sandbox.environmentId, baseUrl: `${sandbox.url}/api/v0` },
      snag: { apiKey: sandbox.sandbox.snagApiKey, baseUrl: `${sandbox.url}/snag`, websiteId: WEBSITE_ID, organizationId: ORGANIZATION_ID },
      ...(rpc && { rpc }),
    });

  /** A connect with a fresh nonce of `link`, signed by `signer` for `address` on `chainId`. */
  async function connect(link, { address = accounts.account, signer = owner, chainId = env.chainId, walletType = 'evm' } = {}) {
    const { nonce } = await (await link.fetch(new Request(`https://${DOMAIN}/nonce`))).json();
    const message = createSiweMessage({ domain: DOMAIN, address, uri: `https://${DOMAIN}/link`, version: '1', chainId, nonce, issuedAt: new Date() });
    const body = { walletType, walletAddress: address, message, signature: await signer.signMessage({ message }) };
    const jwt = sandbox.sandbox.issueJwt();
    return withSnagRecord(sandbox.sandbox, async () => {
      const response = await link.fetch(new Request(`https://${DOMAIN}/snag/connect`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }));
      return { status: response.status, json: await response.json() };
    });
  }

  test("the account's proof is accepted on the configured chain, after its contract accepts it", async () => {
    const [res, snag] = await connect(server({ [env.chainId]: env.url }));
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(snag.length, 1);
    assert.equal(snag[0].body.walletAddress, accounts.account);
  });

  test('refused and unreached: no RPC for the chain, a stranger, an RPC on another chain, an RPC down', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    for (const [what, link, input, status, code] of [
      ['no rpc configured', server(undefined), {}, 422, 'SIGNATURE_MISMATCH'],
      ['rpc for another chain only', server({ 8453: env.url }), {}, 422, 'SIGNATURE_MISMATCH'],
      ['stranger', server({ [env.chainId]: env.url }), { signer: stranger }, 422, 'SIGNATURE_MISMATCH'],
      ["the chain's URL serves another chain", server({ 1: env.url }), { chainId: 1 }, 422, 'CHAIN_ID_MISMATCH'],
      ['RPC down', server({ [env.chainId]: dead }), {}, 503, 'NETWORK'],
      ['imx outside Immutable zkEVM', server({ [env.chainId]: env.url }), { walletType: 'imx' }, 422, 'CHAIN_ID_MISMATCH'],
    ]) {
      const [res, snag] = await connect(link, input);
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json.code, code, what);
      assert.equal(snag.length, 0, `${what}: Snag got nothing`);
    }
  });

  test('a bad rpc option is refused when the server is created', () => {
    for (const rpc of [{ mainnet: env.url }, { 1: 'ws://127.0.0.1:1' }]) {
      assert.throws(() => server(rpc), (e) => e.code === 'INVALID_ARGUMENT' && /^rpc/.test(e.field));
    }
  });
});

