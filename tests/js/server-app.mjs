// The link servers the shared backend cases (server-cases.mjs) run against, as one Fetch API
// handler. Runtime-agnostic: no Node API, no import of its own, so the same file runs in Node
// (through toNodeHandler), Deno, Bun and workerd. The caller hands in `wallet-linker/server`'s
// exports and a JSON configuration (see server-fixtures.mjs `appConfig`).
//
// One server per behaviour, each under its own base path:
//   /link        the default: MemoryNonceStore, the sandbox's Dynamic and Snag
//   /move        allowMoveWallet: true
//   /hook        snagUserId: (user) => `snag-${user.userId}`
//   /snag-down   Snag at a closed loopback port
//   /jwks-down   Dynamic (the JWKS) at a closed loopback port
//   /store-down  a nonce store whose consume() rejects (Redis gone after the nonce was issued)
//   /store-full  a nonce store whose issue() throws
// Anything else goes to /link's server, which answers it (404 ROUTE_NOT_FOUND).

/** A store that issues through `inner` and fails every consume, as a Redis that went away. */
class ConsumeFailsStore {
  constructor(inner) {
    this.inner = inner;
  }
  issue(ttlMs) {
    return this.inner.issue(ttlMs);
  }
  async consume() {
    throw new Error('connect ECONNREFUSED 127.0.0.1:6379 (test store)');
  }
}

/** A store that cannot issue. */
class IssueFailsStore {
  issue() {
    throw new Error('the test store is down');
  }
  consume() {
    return false;
  }
}

/**
 * `lib`: `{ createLinkServer, MemoryNonceStore }`; `config`: `{ domain, environmentId, sandboxUrl,
 * snagApiKey, websiteId, organizationId, deadUrl }`. Returns `{ fetch(request), servers }`.
 */
export function createTestApp(lib, config) {
  const { createLinkServer, MemoryNonceStore } = lib;
  const base = (basePath, overrides = {}) =>
    createLinkServer({
      domain: config.domain,
      basePath,
      dynamic: { environmentId: config.environmentId, baseUrl: `${config.sandboxUrl}/api/v0`, ...overrides.dynamic },
      snag: {
        apiKey: config.snagApiKey,
        baseUrl: `${config.sandboxUrl}/snag`,
        websiteId: config.websiteId,
        organizationId: config.organizationId,
        ...overrides.snag,
      },
      ...overrides.top,
    });
  const servers = {
    link: base('/link'),
    move: base('/move', { top: { allowMoveWallet: true } }),
    hook: base('/hook', { top: { snagUserId: (user) => `snag-${user.userId}` } }),
    'snag-down': base('/snag-down', { snag: { baseUrl: `${config.deadUrl}/snag` } }),
    'jwks-down': base('/jwks-down', { dynamic: { baseUrl: `${config.deadUrl}/api/v0` } }),
    'store-down': base('/store-down', { top: { nonces: new ConsumeFailsStore(new MemoryNonceStore()) } }),
    'store-full': base('/store-full', { top: { nonces: new IssueFailsStore() } }),
  };
  return {
    servers,
    fetch(request) {
      const first = new URL(request.url).pathname.split('/')[1];
      const server = Object.hasOwn(servers, first) ? servers[first] : servers.link;
      return server.fetch(request);
    },
  };
}
