// `wallet-linker/server`: the backend half of a link. Every rule is in the wasm core
// (`LinkServerCore`, `verifyDynamicJwt`); this file only moves bytes between the Fetch API and it.
// Runs wherever `Request`/`Response` exist: Node, Deno, Bun, Cloudflare Workers.
import { LinkServerCore, verifyDynamicJwt } from '#init';
import { MemoryNonceStore, RedisNonceStore } from './nonce-stores.js';

export { MemoryNonceStore, RedisNonceStore, verifyDynamicJwt };

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
      const [kind, text] = await readBody(request, limit);
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
      await reader.cancel().catch(() => {});
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
  // Pulled chunk by chunk, so nothing past the server's limit is buffered; the rest is drained
  // (not destroyed: the refusal still has to reach the client).
  const chunks = req[Symbol.asyncIterator]();
  const body = hasBody
    ? new ReadableStream({
        async pull(controller) {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value));
        },
        cancel() {
          req.resume();
        },
      })
    : undefined;
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
