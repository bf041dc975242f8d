// TEST ONLY: a throw-away local chain for the demo page's smart-account wallets. Starts Anvil (from
// npm, on a free loopback port, through tests/js/anvil-harness.mjs) and deploys the test account
// factory and one TestSmartAccount (EIP-1271: it accepts its owner's EIP-191 signatures), and
// names a second account of the same owner that is not deployed (EIP-6492). The owner is Anvil's
// public dev account 1: a well-known key, worthless anywhere but a fresh Anvil.
//
// Used by `node www/serve.mjs --anvil` and by the end-to-end test. Node only; never served.
import { DEV_KEYS, deployTestAccounts, startAnvil } from '../tests/js/anvil-harness.mjs';

/** The smart accounts' owner key (Anvil dev account 1). */
export const DEMO_OWNER_KEY = DEV_KEYS[1];
/** The CREATE2 salt of the account that stays undeployed (the deployed one uses salt 1). */
export const UNDEPLOYED_SALT = `0x${'00'.repeat(31)}02`;

export const DEMO_SMART_ACCOUNT_NAMES = {
  deployed: 'Demo Smart Account (test only)',
  undeployed: 'Demo Smart Account, not deployed (test only)',
};

/**
 * Deploys the demo's accounts on `env` (a startAnvil() result) and returns `{ accounts, deployed,
 * undeployed, config }`: `accounts` as deployTestAccounts gives them, `deployed` / `undeployed`
 * the two accounts' addresses (with the undeployed one's factoryCalldata), and `config` the demo
 * server's `evm` option ({ rpcUrl, chainId, smartAccounts }).
 */
export async function deployDemoSmartAccounts(env) {
  const owner = env.accounts[1];
  const accounts = await deployTestAccounts(env, { owner: owner.address });
  const undeployed = await accounts.counterfactual(owner.address, UNDEPLOYED_SALT);
  const config = {
    rpcUrl: env.url,
    chainId: env.chainId,
    smartAccounts: [
      { name: DEMO_SMART_ACCOUNT_NAMES.deployed, rdns: 'test.wallet-linker.smart-account', account: accounts.account, ownerKey: DEMO_OWNER_KEY },
      {
        name: DEMO_SMART_ACCOUNT_NAMES.undeployed,
        rdns: 'test.wallet-linker.smart-account.undeployed',
        account: undeployed.address,
        ownerKey: DEMO_OWNER_KEY,
        factory: accounts.factory,
        factoryCalldata: undeployed.factoryCalldata,
      },
    ],
  };
  return { accounts, owner, deployed: { address: accounts.account }, undeployed, config };
}

/** startAnvil() then deployDemoSmartAccounts(): `{ env, ...accounts, stop() }` (stops Anvil). */
export async function startDemoChain(anvilOptions) {
  const env = await startAnvil(anvilOptions);
  try {
    return { env, ...(await deployDemoSmartAccounts(env)), stop: () => env.stop() };
  } catch (e) {
    await env.stop();
    throw e;
  }
}
