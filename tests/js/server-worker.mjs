// The worker module of the runtime matrix: server-app.mjs (pasted in, it imports nothing) with its
// configuration in the source, as `export default { fetch }`, importing 'wallet-linker/server' by
// name so each runtime resolves the package entry of its own condition (workerd, deno, bun, node).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const APP_SOURCE = readFileSync(new URL('./server-app.mjs', import.meta.url), 'utf8');
assert.doesNotMatch(APP_SOURCE, /^import /m, 'server-app.mjs must stay self-contained (it is pasted into the worker)');

/** The module source; `config` as server-fixtures.mjs `appConfig` makes it. */
export function workerSource(config) {
  return `import { createLinkServer, MemoryNonceStore } from 'wallet-linker/server';
${APP_SOURCE}
const app = createTestApp({ createLinkServer, MemoryNonceStore }, ${JSON.stringify(config)});
export default { fetch: (request) => app.fetch(request) };
`;
}
