// Node only: the dapp backend the portable suite's page-style tests talk to. It is the package's
// own `createLinkServer` (wallet-linker/server) over `toNodeHandler`, configured against a
// sandbox: Dynamic's JWKS from the sandbox's /api/v0, Snag at the sandbox's /snag with its key.
// Its Snag ids (LINK_SNAG_IDS) are its own, not anything a test page sends.
//
// The link server has no CORS of its own (a real one is same-origin with its page); the tests'
// page (Chromium) is on another port, so a small wrapper here answers preflights and adds
// Access-Control-Allow-Origin for loopback origins, and counts what reached the server.
import { createServer } from 'node:http';
import { createLinkServer, toNodeHandler } from 'wallet-linker/server';
import { LINK_SNAG_IDS } from './harness-link.mjs';

const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** CORS for loopback origins around a Node handler (preflights answered here, 204). */
export function withLoopbackCors(handler) {
  return (req, res) => {
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' && LOOPBACK_ORIGIN.test(origin);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      if (allowed) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(allowed ? 204 : 403);
      res.end();
      return;
    }
    handler(req, res);
  };
}

/**
 * Starts a link server on a free loopback port for the sandbox at `sandboxUrl`. `domain` is the
 * only domain proofs may name (what the tests sign). Resolves to
 * { url, domain, snagIds, requests, server, close() } where `requests` lists
 * `${method} ${path}` of every non-preflight request that reached the link server.
 */
export async function startLinkServer({ sandboxUrl, environmentId, snagApiKey, domain, snagIds = LINK_SNAG_IDS, ...overrides }) {
  const linkServer = createLinkServer({
    domain,
    dynamic: { environmentId, baseUrl: `${sandboxUrl}/api/v0` },
    snag: { apiKey: snagApiKey, baseUrl: `${sandboxUrl}/snag`, ...snagIds },
    ...overrides,
  });
  const requests = [];
  const handle = toNodeHandler(linkServer);
  const server = createServer(
    withLoopbackCors((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      handle(req, res);
    }),
  );
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    domain,
    snagIds,
    requests,
    server,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
