// Starts a throw-away Debian redis-server on a free loopback port (no persistence) and stops it.
// Used by the Node-only tests of RedisNonceStore; the machine's redis service is never touched.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Parses one RESP reply at the start of `text`: `{ value, rest }`, or undefined if incomplete. */
function parseReply(text) {
  const eol = text.indexOf('\r\n');
  if (eol < 0) return undefined;
  const head = text.slice(1, eol);
  const after = text.slice(eol + 2);
  switch (text[0]) {
    case '+':
      return { value: head, rest: after };
    case '-':
      return { value: new Error(head), rest: after };
    case ':':
      return { value: Number(head), rest: after };
    case '$': {
      const length = Number(head);
      if (length < 0) return { value: null, rest: after };
      if (Buffer.byteLength(after) < length + 2) return undefined;
      return { value: after.slice(0, length), rest: after.slice(length + 2) };
    }
    default:
      throw new Error(`unexpected RESP reply: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/**
 * One command on a fresh socket to 127.0.0.1:`port` (strings and integers only; no arrays in the
 * reply). Resolves to the reply, or rejects with an error reply or a socket error.
 */
export function redisCommand(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(2000, () => socket.destroy(new Error(`${args[0]} timed out`)));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      text += chunk;
      let reply;
      try {
        reply = parseReply(text);
      } catch (e) {
        socket.destroy();
        reject(e);
        return;
      }
      if (reply) {
        socket.end();
        if (reply.value instanceof Error) reject(reply.value);
        else resolve(reply.value);
      }
    });
    const encoded = args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('');
    socket.write(`*${args.length}\r\n${encoded}`);
  });
}

async function ping(port) {
  const reply = await redisCommand(port, 'PING');
  if (reply !== 'PONG') throw new Error(`unexpected reply to PING: ${reply}`);
}

/** Makes a fresh cluster-enabled node a one-node cluster that owns every slot, and waits for it. */
async function becomeCluster(port) {
  await redisCommand(port, 'CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const info = await redisCommand(port, 'CLUSTER', 'INFO');
    if (/cluster_state:ok/.test(info)) return;
    if (Date.now() > deadline) throw new Error(`the one-node cluster did not become ok:\n${info}`);
    await sleep(25);
  }
}

const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `redis-server --port <free port> --bind 127.0.0.1 --save '' --appendonly no` and waits
 * until it answers PING (with `cluster: true`, a cluster-enabled node that owns all 16384 slots). Returns `{ host, port, url, stop() }`; `stop()` ends it (SIGTERM, then
 * SIGKILL after 3 s) and resolves once it has exited. Retries on another port if the chosen one
 * was taken in between.
 */
export async function startRedis({ binary = 'redis-server', attempts = 3, cluster = false } = {}) {
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
    let configDir;
    if (cluster) {
      // Its own node table in a scratch directory, and a free cluster-bus port (not port + 10000).
      configDir = mkdtempSync(path.join(tmpdir(), 'wl-redis-cluster-'));
      const busPort = await freePort();
      args.push('--cluster-enabled', 'yes', '--cluster-config-file', path.join(configDir, 'nodes.conf'),
        '--cluster-port', String(busPort), '--cluster-announce-ip', '127.0.0.1', '--dir', configDir);
    }
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.once('error', (e) => (output += `\nspawn error: ${e.message}`));
    let exitInfo;
    exited.then((info) => {
      exitInfo = info;
      running.delete(child);
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && exitInfo === undefined) {
      try {
        await ping(port);
        const stop = async () => {
          if (exitInfo === undefined) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            await exited;
            clearTimeout(timer);
          }
          if (configDir) rmSync(configDir, { recursive: true, force: true });
        };
        if (cluster) {
          try {
            await becomeCluster(port);
          } catch (e) {
            await stop();
            throw e;
          }
        }
        return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, stop, process: child };
      } catch {
        await sleep(25);
      }
    }
    if (exitInfo === undefined) child.kill('SIGKILL');
    await exited;
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    lastError = new Error(`redis-server did not start on port ${port}: ${output.trim() || JSON.stringify(exitInfo)}`);
  }
  throw lastError;
}
