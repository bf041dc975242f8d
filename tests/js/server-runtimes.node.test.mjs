// The attack list of `wallet-linker/server` (server-cases.mjs) against the same link servers
// (server-app.mjs) running in workerd, Deno and Bun, served by tests/js/runtimes.mjs as a
// Worker-style module `export default { fetch }`. The module imports 'wallet-linker/server' by
// name (workerd: bundled by esbuild with the `workerd` condition) and gets its configuration in
// its source: the sandbox's loopback URL (Dynamic's JWKS and Snag's stand-in run in this process,
// so every case still reads the sandbox's record of Snag calls).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { RUNTIMES, runtimeVersion, serveModule } from './runtimes.mjs';
import { cases } from './server-cases.mjs';
import { appConfig, startSandbox } from './server-fixtures.mjs';
import { workerSource } from './server-worker.mjs';

// Every case in every runtime: the whole list in workerd (the Workers target) and in Deno and Bun.
const PLAN = ['workerd', 'deno', 'bun'];
for (const runtime of PLAN) assert.ok(RUNTIMES.includes(runtime), `runtimes.mjs serves ${runtime}`);

for (const runtime of PLAN) {
  describe(`attack list in ${runtime} (${runtimeVersion(runtime)})`, () => {
    let sb;
    let served;
    const ctx = {};
    before(async () => {
      sb = await startSandbox();
      served = await serveModule(runtime, workerSource(await appConfig(sb.sandbox, sb.url)));
      Object.assign(ctx, { url: (path) => `${served.url}${path}`, sandbox: sb.sandbox, environmentId: sb.sandbox.environmentId });
      if (runtime === 'workerd') {
        // The bundle holds the package's workerd entry (the .wasm as a module), not node.js.
        const inputs = Object.keys(served.metafile.inputs);
        assert.ok(inputs.some((f) => f.endsWith('pkg/workerd.js')), inputs.join('\n'));
        assert.ok(!inputs.some((f) => f.endsWith('pkg/node.js')), inputs.join('\n'));
      }
    });
    after(async () => {
      await served?.stop();
      await sb?.close();
    });
    for (const c of cases) {
      test(c.name, async () => {
        try {
          await c.run(ctx);
        } catch (error) {
          // What the runtime printed helps more than the assertion alone.
          error.message += `\n--- ${runtime} output (last 2000 characters) ---\n${served.output().slice(-2000)}`;
          throw error;
        }
      });
    }
  });
}
