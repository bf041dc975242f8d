// `wallet-linker/server`: the backend half of a link. Every rule is in the wasm core
// (`LinkServerCore`, `verifyDynamicJwt`); this file only moves bytes between the Fetch API and it.
// Runs wherever `Request`/`Response` exist: Node, Deno, Bun, Cloudflare Workers.
import { LinkServerCore, WalletLinkerError, isWalletLinkerError, verifyDynamicJwt } from '#init';
import { MemoryNonceStore, RedisNonceStore } from './nonce-stores.js';

export { MemoryNonceStore, RedisNonceStore, WalletLinkerError, isWalletLinkerError, verifyDynamicJwt };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/**
 * The server's routes as a Fetch API handler: `{ fetch(request) }` (see server.d.ts).
 * Throws a `WalletLinkerError` (`INVALID_ARGUMENT`, `BROWSER_SECRET`) for a bad configuration.
 */
export function createLinkServer(config) {
  const nonces = config?.nonces ?? new MemoryNonceStore();
  const core = new LinkServerCore(config, nonces);
  const limit = core.maxBodyBytes;
  return {
    nonces,
    async fetch(request) {
      const { pathname } = new URL(request.url);
      const [kind, text] = await readBody(request, limit).catch((cause) => {
        // The upload broke off (the client went away): no answer can reach it.
        throw new WalletLinkerError('NETWORK', `the request body could not be read: ${cause?.message ?? cause}`, { cause });
      });
      const { status, body, allow } = await core.handle(
        request.method,
        pathname,
        request.headers.get('authorization') ?? undefined,
        kind,
        text,
      );
      return new Response(body, { status, headers: allow ? { ...JSON_HEADERS, allow } : JSON_HEADERS });
    },
  };
}

/** Reads at most `limit` bytes: `["text", string]`, `["too-large"]` or `["not-text"]`. */
async function readBody(request, limit) {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return ['text', ''];
  const declared = Number(request.headers.get('content-length'));
  if (declared > limit) {
    await request.body.cancel().catch(() => {});
    return ['too-large'];
  }
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await discardRest(reader);
      return ['too-large'];
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return ['text', new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)];
  } catch {
    return ['not-text'];
  }
}

/**
 * Reads and drops what is left of a refused body (at most 1 MiB, for at most 1 s) before
 * cancelling: a runtime that closes a connection with the upload unread may reset it and lose the
 * 413 on its way out (seen in workerd).
 */
async function discardRest(reader, maxBytes = 1 << 20, maxMs = 1000) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, maxMs, { late: true });
  });
  try {
    for (let dropped = 0; dropped <= maxBytes; ) {
      const next = await Promise.race([reader.read(), late]);
      if (next.late) break;
      if (next.done) return;
      dropped += next.value.byteLength;
    }
  } catch {
    return;
  } finally {
    clearTimeout(timer);
  }
  await reader.cancel().catch(() => {});
}

/**
 * Adapts a `{ fetch(request) }` server to Node's `http.createServer((req, res) => ...)`.
 * The body is handed over as a stream, so the server's size limit applies while reading.
 */
export function toNodeHandler(server) {
  return (req, res) => {
    serveNode(server, req, res).catch((error) => {
      if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ code: 'INTERNAL', message: String(error?.message ?? error) }));
    });
  };
}

async function serveNode(server, req, res) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  // Chunks flow from `req` into the stream with backpressure (paused while a chunk waits); when
  // the server stops reading (a body over its limit), the rest is drained and dropped, not
  // destroyed: the refusal still has to reach the client, and the connection stays usable.
  let body;
  if (hasBody) {
    body = new ReadableStream(
      {
        start(controller) {
          req.on('data', (chunk) => {
            controller.enqueue(new Uint8Array(chunk));
            if (controller.desiredSize <= 0) req.pause();
          });
          req.on('end', () => controller.close());
          req.on('error', (error) => controller.error(error));
        },
        pull() {
          req.resume();
        },
        cancel() {
          for (const event of ['data', 'end', 'error']) req.removeAllListeners(event);
          req.on('error', () => {});
          req.resume();
        },
      },
      { highWaterMark: 1 },
    );
  }
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
    method: req.method,
    headers,
    body,
    duplex: 'half',
  });
  const response = await server.fetch(request);
  const out = {};
  response.headers.forEach((value, name) => {
    out[name] = value;
  });
  res.writeHead(response.status, out);
  res.end(Buffer.from(await response.arrayBuffer()));
}
