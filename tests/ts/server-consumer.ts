// A TypeScript backend's view of `wallet-linker/server`: this file must compile under tsc --strict.
import {
  createLinkServer,
  MemoryNonceStore,
  RedisNonceStore,
  toNodeHandler,
  verifyDynamicJwt,
} from 'wallet-linker/server';
import type { DynamicJwtUser, LinkServer, LinkServerConfig, NonceStore } from 'wallet-linker/server';

const store: NonceStore = new MemoryNonceStore({ maxEntries: 1000 });
const config: LinkServerConfig = {
  domain: 'app.example.com',
  dynamic: { environmentId: 'env' },
  snag: { apiKey: 'key', websiteId: 'w', organizationId: 'o' },
  nonces: store,
  maxAgeSeconds: 120,
  snagUserId: async (user: DynamicJwtUser) => (user.verifiedCredentials.length > 0 ? user.userId : undefined),
};
const server: LinkServer = createLinkServer(config);
export const handler: (request: Request) => Promise<Response> = (request) => server.fetch(request);
export const nodeHandler = toNodeHandler(server);
export const redis = (client: unknown): NonceStore => new RedisNonceStore(client, { prefix: 'app:' });
export async function userOf(token: string): Promise<string> {
  const user = await verifyDynamicJwt(token, { environmentId: 'env', clockSkewSeconds: 30 });
  return `${user.userId} ${user.expiresAt}`;
}
