// Where the portable suite finds the sandbox: the browser runner sets globalThis.SANDBOX_URL; in
// Node each test file starts its own sandbox on a free loopback port.
import { platform } from './harness.mjs';

export let sandboxUrl = globalThis.SANDBOX_URL;
export let closeSandbox = async () => {};
if (!sandboxUrl && platform === 'node') {
  // A non-literal specifier keeps the Node-only server out of the browser bundle.
  const serverModule = new URL('../../www/sandbox/server.mjs', import.meta.url).href;
  const { createSandbox } = await import(serverModule);
  const sandbox = await createSandbox({ logErrors: false }).listen(0);
  sandboxUrl = sandbox.url;
  closeSandbox = sandbox.close;
}
if (!sandboxUrl) throw new Error('no sandbox: set globalThis.SANDBOX_URL or run in Node');
