// Where the portable suite finds the sandbox and the dapp's link server (createLinkServer): the
// browser runner sets globalThis.SANDBOX_URL and globalThis.LINK_SERVER_URL; in Node each test
// file starts its own sandbox and link server on free loopback ports.
//
// `linkDomain` is the only domain the link server accepts in a proof, so the domain page-style
// tests sign: the page's `location.host` in a browser, NODE_LINK_DOMAIN in Node.
import { platform } from './harness.mjs';
import { LINK_SNAG_IDS, NODE_LINK_DOMAIN } from './harness-link.mjs';

export { LINK_SNAG_IDS };
export let sandboxUrl = globalThis.SANDBOX_URL;
export let linkServerUrl = globalThis.LINK_SERVER_URL;
export const linkDomain = platform === 'browser' ? location.host : NODE_LINK_DOMAIN;
export let closeSandbox = async () => {};
if (!sandboxUrl && platform === 'node') {
  // Non-literal specifiers keep the Node-only servers out of the browser bundle.
  const serverModule = new URL('../../www/sandbox/server.mjs', import.meta.url).href;
  const linkModule = new URL('./harness-link-server.mjs', import.meta.url).href;
  const { createSandbox } = await import(serverModule);
  const { startLinkServer } = await import(linkModule);
  const instance = createSandbox({ logErrors: false });
  const sandbox = await instance.listen(0);
  sandboxUrl = sandbox.url;
  const link = await startLinkServer({
    sandboxUrl,
    environmentId: instance.environmentId,
    snagApiKey: instance.snagApiKey,
    domain: linkDomain,
  });
  linkServerUrl = link.url;
  closeSandbox = async () => {
    await link.close();
    await sandbox.close();
  };
}
if (!sandboxUrl) throw new Error('no sandbox: set globalThis.SANDBOX_URL or run in Node');
if (!linkServerUrl) throw new Error('no link server: set globalThis.LINK_SERVER_URL or run in Node');
