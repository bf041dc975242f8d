// Serves one Worker-style module (`export default { fetch(request) }`) over HTTP on a loopback port
// in each server runtime the package supports: Node (node:http and a small Request/Response
// adapter), Deno (`Deno.serve`), Bun (`Bun.serve`) and workerd (the module bundled by esbuild with
// the `workerd` condition, the .wasm files as `wasm` modules of a generated capnp config).
//
//   const { url, stop } = await serveModule('deno', source);
//
// The module is written to a fresh temporary directory whose `node_modules` is a link to the
// repository's, so it imports 'wallet-linker' (node_modules/wallet-linker -> ../pkg), the server
// subpath and any dev dependency by name. Runtimes come from node_modules/.bin (npm packages
// `deno`, `bun`, `workerd`); nothing leaves the machine: servers listen on 127.0.0.1, Deno may only
// use the network on 127.0.0.1, workerd's outbound fetch may only reach loopback and private
// addresses (see WORKERD_NETWORK).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name) => path.join(root, 'node_modules/.bin', name);

/** Every runtime `serveModule` knows, in the order tests usually run them. */
export const RUNTIMES = ['node', 'deno', 'bun', 'workerd'];

/** `--version` of each runtime's binary (one line), for test names and reports. */
export function runtimeVersion(runtime) {
  if (runtime === 'node') return process.version;
  const out = execFileSync(bin(runtime), ['--version'], { encoding: 'utf8' });
  return out.split('\n')[0].trim();
}

/**
 * workerd's outbound network: the default `internet` service allows only public addresses, so a
 * worker's fetch() to 127.0.0.1 fails. Tests reach local stand-ins (JWKS, Snag) through this
 * service instead, set as the worker's `globalOutbound`. Public addresses are left out on purpose.
 */
export const WORKERD_NETWORK = ['local', 'private'];

/**
 * Deno's permissions: read files (node.js reads the .wasm from disk; node_modules), and the network
 * on 127.0.0.1 only (the listening socket and outbound requests to local stand-ins).
 */
export const DENO_PERMISSIONS = ['--allow-read', '--allow-net=127.0.0.1'];

// The Node host: http.createServer → Request → module.fetch → Response → http.ServerResponse.
const NODE_HOST = `import http from 'node:http';
import mod from './handler.mjs';
const server = http.createServer(async (req, res) => {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(new URL(req.url, 'http://' + (req.headers.host ?? '127.0.0.1')), {
      method: req.method, headers, body: hasBody ? Buffer.concat(chunks) : undefined,
    });
    const response = await mod.fetch(request);
    const out = {};
    response.headers.forEach((value, name) => { out[name] = value; });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('host error: ' + (error?.stack ?? error));
  }
});
server.listen(0, '127.0.0.1', () => console.log('LISTENING ' + server.address().port));
`;

const DENO_HOST = `import mod from './handler.mjs';
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log('LISTENING ' + port) },
  (request) => mod.fetch(request));
`;

const BUN_HOST = `import mod from './handler.mjs';
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (request) => mod.fetch(request) });
console.log('LISTENING ' + server.port);
`;

/** A fresh directory holding handler.mjs, a package.json and a link to the repository's node_modules. */
function workspace(source) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wl-runtime-'));
  writeFileSync(path.join(dir, 'handler.mjs'), source);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'wl-runtime-host', private: true, type: 'module' }));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** workerd's compatibility date: the date of the installed workerd ("workerd 2026-11-17"). */
function workerdDate() {
  const match = /(\d{4}-\d{2}-\d{2})/.exec(runtimeVersion('workerd'));
  if (!match) throw new Error('cannot read the date of workerd --version');
  return match[1];
}

/**
 * Bundles dir/handler.mjs for workerd and writes dir/worker/config.capnp. Returns the esbuild
 * metafile (its `inputs` show which package entry was bundled).
 */
async function prepareWorkerd(dir, { compatibilityFlags = [] } = {}) {
  const outdir = path.join(dir, 'worker');
  mkdirSync(outdir);
  const result = await esbuild.build({
    entryPoints: [path.join(dir, 'handler.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    loader: { '.wasm': 'copy' },
    outdir,
    entryNames: 'worker',
    assetNames: '[name]-[hash]',
    metafile: true,
    absWorkingDir: root, // metafile paths are relative to the repository
    logLevel: 'silent',
  });
  const wasmFiles = readdirSync(outdir).filter((f) => f.endsWith('.wasm'));
  const modules = [
    '(name = "worker.js", esModule = embed "worker.js")',
    // The bundle imports "./name-hash.wasm", which workerd resolves to the module "name-hash.wasm".
    ...wasmFiles.map((f) => `(name = ${JSON.stringify(f)}, wasm = embed ${JSON.stringify(f)})`),
  ];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ${JSON.stringify(WORKERD_NETWORK)})),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    ${modules.join(',\n    ')}
  ],
  compatibilityDate = ${JSON.stringify(workerdDate())},
  compatibilityFlags = ${JSON.stringify(compatibilityFlags)},
  globalOutbound = "loopback",
);
`;
  writeFileSync(path.join(outdir, 'config.capnp'), config);
  return result.metafile;
}

/** Resolves with the port once the child reports it (`LISTENING <port>` or workerd's control fd). */
function waitForPort(child, runtime, timeoutMs) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${runtime} did not start within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      error.message += output ? `\n--- ${runtime} output ---\n${output}` : '';
      reject(error);
    };
    const onOutput = (chunk) => {
      output += chunk;
      const match = /LISTENING (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', (chunk) => (output += chunk));
    // workerd --control-fd=3 writes one JSON line per event: {"event":"listen","socket":"http","port":N}.
    child.stdio[3]?.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue;
        try {
          const event = JSON.parse(line);
          if (event.event === 'listen' && event.socket === 'http') {
            clearTimeout(timer);
            resolve(event.port);
          }
        } catch {
          output += line;
        }
      }
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`${runtime} exited (${code ?? signal}) before listening`)));
  });
}

const children = new Set();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Serves the ES module `source` (which must `export default { fetch(request) }`) in `runtime`.
 * Resolves to `{ url, stop, output, metafile }`: `url` is `http://127.0.0.1:<port>` (no trailing
 * slash), `stop()` ends the process and removes the temporary directory, `output()` is what the
 * process printed so far, `metafile` (workerd only) is esbuild's record of the bundle.
 *
 * Options: `env` (extra environment variables), `startTimeoutMs` (default 30000),
 * `compatibilityFlags` (workerd), `denoPermissions` (default DENO_PERMISSIONS).
 */
export async function serveModule(
  runtime,
  source,
  { env = {}, startTimeoutMs = 30_000, compatibilityFlags, denoPermissions = DENO_PERMISSIONS } = {},
) {
  const dir = workspace(source);
  let command;
  let args;
  let metafile;
  const stdio = ['ignore', 'pipe', 'pipe'];
  switch (runtime) {
    case 'node':
      writeFileSync(path.join(dir, 'host.mjs'), NODE_HOST);
      command = process.execPath;
      args = ['host.mjs'];
      break;
    case 'deno':
      writeFileSync(path.join(dir, 'host.mjs'), DENO_HOST);
      command = bin('deno');
      args = ['run', '--no-prompt', '--no-lock', ...denoPermissions, 'host.mjs'];
      break;
    case 'bun':
      writeFileSync(path.join(dir, 'host.mjs'), BUN_HOST);
      command = bin('bun');
      args = ['run', '--no-install', 'host.mjs'];
      break;
    case 'workerd':
      metafile = await prepareWorkerd(dir, { compatibilityFlags });
      command = bin('workerd');
      args = ['serve', '--control-fd=3', path.join(dir, 'worker/config.capnp')];
      stdio.push('pipe');
      break;
    default:
      throw new Error(`unknown runtime ${runtime}; known: ${RUNTIMES.join(', ')}`);
  }
  const child = spawn(command, args, {
    cwd: dir,
    stdio,
    env: {
      ...process.env,
      // No update checks, telemetry or colour codes in the output.
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
      NO_COLOR: '1',
      DO_NOT_TRACK: '1',
      ...env,
    },
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => children.delete(child));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await waitForPort(child, runtime, startTimeoutMs);
    return { url: `http://127.0.0.1:${port}`, stop, output: () => output, metafile };
  } catch (error) {
    await stop();
    throw error;
  }
}
