// Many linkWallet flows at once in one page (or one Node process) against the sandbox: every
// credential is linked exactly once and every nonce is used once. Portable: Node and Chromium.
import { test, assert } from './harness.mjs';
import * as wl from 'wallet-linker';
import { sandboxUrl, closeSandbox } from './sandbox-url.mjs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ed25519 } from '@noble/curves/ed25519.js';
import bs58 from 'bs58';


const control = async (path, body) => {
  const response = await fetch(`${sandboxUrl}/__sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
};

const inPage = typeof location !== 'undefined' && Boolean(location.host);
const domain = inPage ? location.host : 'localhost:5173';
const uri = inPage ? `${location.origin}/` : 'http://localhost:5173/';

function wallet(index) {
  if (index % 2 === 0) {
    const account = privateKeyToAccount(generatePrivateKey());
    return { chain: 'EVM', walletName: 'metamask', address: account.address, signMessage: (m) => account.signMessage({ message: m }) };
  }
  const secret = ed25519.utils.randomSecretKey();
  const address = bs58.encode(ed25519.getPublicKey(secret));
  return { chain: 'SOL', walletName: 'phantom', address, signMessage: (m) => ed25519.sign(new TextEncoder().encode(m), secret) };
}

const USERS = 20;
const WALLETS_PER_USER = 10;

test(`${USERS * WALLETS_PER_USER} linkWallet flows in parallel link each wallet exactly once`, { timeout: 300_000 }, async () => {
  const { environmentId } = await control('state');
  const baseUrl = `${sandboxUrl}/api/v0`;
  const sessions = await Promise.all(Array.from({ length: USERS }, () => control('session', {})));
  const plans = sessions.flatMap((session) =>
    Array.from({ length: WALLETS_PER_USER }, (_, i) => ({ session, wallet: wallet(i) })),
  );
  const results = await Promise.allSettled(
    plans.map(({ session, wallet: w }) =>
      wl.linkWallet({
        dynamic: new wl.DynamicClient({ environmentId, baseUrl, authToken: session.jwt }),
        environmentId,
        domain,
        uri,
        chain: w.chain,
        address: w.address,
        walletName: w.walletName,
        signMessage: w.signMessage,
        mode: 'link',
      }),
    ),
  );
  const failures = results.filter((r) => r.status === 'rejected').map((r) => `${r.reason?.code}: ${r.reason?.message}`);
  assert.deepEqual(failures, [], 'every flow succeeds');

  const state = await control('state');
  for (const session of sessions) {
    const user = state.users.find((u) => u.id === session.user.id);
    const linked = user.verifiedCredentials.filter((c) => c.format === 'blockchain').map((c) => c.address).sort();
    const planned = plans.filter((p) => p.session === session).map((p) => p.wallet.address).sort();
    assert.deepEqual(linked, planned, `user ${user.id}: each planned wallet exactly once, nothing else`);
  }
  const nonces = results.map((r) => r.value.message.match(/\nNonce: (\S+)\n/)[1]);
  assert.equal(new Set(nonces).size, plans.length, 'each flow got its own nonce');
  const used = new Map(state.nonces.map((n) => [n.nonce, n.usedAt]));
  for (const nonce of nonces) assert.ok(used.get(nonce), `nonce ${nonce} is marked used`);
  const links = state.requestLog.filter((r) => r.method === 'POST' && r.path.endsWith('/verify/link'));
  assert.ok(links.length >= plans.length, 'every flow reached verify/link');
  await closeSandbox();
});
