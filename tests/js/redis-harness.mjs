// Starts a throw-away Debian redis-server on a free loopback port (no persistence) and stops it.
// Used by the Node-only tests of RedisNonceStore; the machine's redis service is never touched.
import { spawn } from 'node:child_process';
import net from 'node:net';
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

/** One RESP round trip on a fresh socket (`PING` → `+PONG`), or an error. */
function ping(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('PING timed out')));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.includes('\r\n')) {
        socket.end();
        if (reply.startsWith('+PONG')) resolve();
        else reject(new Error(`unexpected reply to PING: ${JSON.stringify(reply)}`));
      }
    });
    socket.write('PING\r\n');
  });
}

const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `redis-server --port <free port> --bind 127.0.0.1 --save '' --appendonly no` and waits
 * until it answers PING. Returns `{ host, port, url, stop() }`; `stop()` ends it (SIGTERM, then
 * SIGKILL after 3 s) and resolves once it has exited. Retries on another port if the chosen one
 * was taken in between.
 */
export async function startRedis({ binary = 'redis-server', attempts = 3 } = {}) {
  let lastError;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
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
        };
        return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, stop, process: child };
      } catch {
        await sleep(25);
      }
    }
    if (exitInfo === undefined) child.kill('SIGKILL');
    await exited;
    lastError = new Error(`redis-server did not start on port ${port}: ${output.trim() || JSON.stringify(exitInfo)}`);
  }
  throw lastError;
}
