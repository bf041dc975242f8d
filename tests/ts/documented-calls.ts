// Every call form of the README's API tables, as documented, under tsc --strict: an argument the
// README marks optional is left out somewhere here, and each documented alternative is written
// once. tests/js/readme-blocks.node.test.mjs checks that each function or method of the tables
// appears in this file. Nothing here runs (tsc only).
import {
  DynamicAdminClient,
  DynamicClient,
  LinkServerClient,
  SnagClient,
  SolanaVerifier,
  WalletAdapter,
  WalletLinkerError,
  createDynamicSignInMessage,
  createSiweMessage,
  createSolanaSignInMessage,
  discoverEvmWallets,
  discoverSolanaWallets,
  discoverSuiWallets,
  discoverTonWallets,
  errorCodes,
  generateNonce,
  isValidSolanaAddress,
  isWalletLinkerError,
  linkWallet,
  parseDynamicSignInMessage,
  parseSiweMessage,
  parseSolanaSignInMessage,
  recoverEvmAddress,
  toChecksumAddress,
  verifyEvmMessage,
  verifyEvmSignIn,
  verifyEvmSignature,
  verifySiweSignIn,
  verifySolanaSignIn,
  verifySolanaSignature,
  verifySuiPersonalMessage,
  verifyTonProof,
  version,
} from 'wallet-linker';
import type {
  BulkUserCreateResponse,
  DynamicSignInChain,
  DynamicSignInParams,
  Eip1193Provider,
  ErrorCode,
  EvmSignInResult,
  EvmSignatureKind,
  EvmVerdict,
  TonProofResult,
  GlobalWalletConnection,
  InternalUserFields,
  LinkResult,
  LinkStep,
  SiweMessageFields,
  SnagConnectParams,
  SnagConnectResponse,
  SolanaSignInInput,
  StandardWallet,
  VerifyRequest,
  VerifyResponse,
  VerifyUnlinkRequest,
  WalletSignInOutput,
} from 'wallet-linker';
import {
  MemoryNonceStore,
  RedisNonceStore,
  createLinkServer,
  toNodeHandler,
  verifyDynamicJwt,
} from 'wallet-linker/server';
import type { DynamicJwtUser, LinkServer, NonceStore } from 'wallet-linker/server';

declare const bytes: Uint8Array;
declare const text: string;
declare const evmAddress: string;
declare const solanaAddress: string;
declare const jwt: string;
declare const provider: Eip1193Provider;
declare const standardWallet: StandardWallet;
declare const verifyRequest: VerifyRequest;
declare const unlinkRequest: VerifyUnlinkRequest;
declare const users: InternalUserFields[];
declare const snagParams: SnagConnectParams;
declare const redisClient: unknown;

export async function messages(): Promise<void> {
  // Times as RFC 3339 text or as Dates.
  const siwe: string = createSiweMessage({
    domain: 'example.com', address: evmAddress, uri: 'https://example.com', version: '1', chainId: 1, nonce: text,
    issuedAt: new Date().toISOString(),
  });
  createSiweMessage({
    domain: 'example.com', address: evmAddress, uri: 'https://example.com', version: '1', chainId: 1, nonce: text,
    issuedAt: new Date(), expirationTime: new Date(), notBefore: '2026-01-01T00:00:00Z', statement: 'Sign in.', resources: [],
  });
  const fields: SiweMessageFields = parseSiweMessage(siwe);
  const issued: string = fields.issuedAt;

  const siws: string = createSolanaSignInMessage({ domain: 'example.com', address: solanaAddress });
  createSolanaSignInMessage({ domain: 'example.com', address: solanaAddress, nonce: text, issuedAt: new Date(), chainId: 'mainnet' });
  const input: SolanaSignInInput = parseSolanaSignInMessage(siws);

  const chain: DynamicSignInChain = 'SOL';
  const dynamicText: string = createDynamicSignInMessage({
    chain, address: solanaAddress, nonce: text, environmentId: 'env', appName: 'Acme', issuedAt: new Date(),
  });
  createDynamicSignInMessage({ chain: 'EVM', address: evmAddress, chainId: 1, nonce: text, environmentId: 'env', domain: 'example.com', uri: 'https://example.com' });
  // @ts-expect-error: a chain the template does not know
  createDynamicSignInMessage({ chain: 'TON', address: text, nonce: text, environmentId: 'env' });
  const params: DynamicSignInParams = parseDynamicSignInMessage(dynamicText);
  const parsedChain: DynamicSignInChain = parseDynamicSignInMessage(dynamicText).chain;

  const checksummed: string = toChecksumAddress(evmAddress.toLowerCase());
  const valid: boolean = isValidSolanaAddress(solanaAddress);
  const nonce: string = generateNonce();
  void [issued, input, params, parsedChain, checksummed, valid, nonce];
}

export function signatures(): void {
  const recovered: string = recoverEvmAddress(text, text);
  recoverEvmAddress(bytes, bytes);
  const evm: boolean = verifyEvmSignature(text, text, evmAddress);
  verifyEvmSignature(bytes, bytes, evmAddress);
  const sol: boolean = verifySolanaSignature(text, text, solanaAddress);
  verifySolanaSignature(bytes, bytes, bytes);
  const verifier = new SolanaVerifier(solanaAddress);
  const many: boolean = verifier.verify(text, bytes) && new SolanaVerifier(bytes).verify(bytes, text);
  const key: string = verifier.address;

  const siwe: SiweMessageFields = verifySiweSignIn({ message: text, signature: text, domain: 'example.com', nonce: text });
  verifySiweSignIn({
    message: text, signature: bytes, domain: 'example.com', nonce: text, now: new Date(), address: evmAddress, chainId: 1,
    uri: 'https://example.com', scheme: 'https', clockSkewSeconds: 60, maxAgeSeconds: 300,
  });
  verifySiweSignIn({ message: text, signature: text, domain: 'example.com', nonce: text, now: Date.now() });
  verifySiweSignIn({ message: text, signature: text, domain: 'example.com', nonce: text, now: '2026-01-01T00:00:00Z' });
  const siws: SolanaSignInInput = verifySolanaSignIn({ message: bytes, signature: bytes, domain: 'example.com', nonce: text });
  verifySolanaSignIn({
    message: text, signature: text, publicKey: solanaAddress, domain: 'example.com', nonce: text, now: new Date(),
    chainId: 'mainnet', uri: 'https://example.com', clockSkewSeconds: 60, maxAgeSeconds: 300,
  });
  const ton: TonProofResult = verifyTonProof({
    proof: { timestamp: 1, domain: { lengthBytes: 11, value: 'example.com' }, payload: text, signature: text },
    account: { address: text, chain: '-239', publicKey: text, walletStateInit: text },
    domain: 'example.com', payload: text,
  });
  verifyTonProof({
    proof: { timestamp: '1', domain: { lengthBytes: 11, value: 'example.com' }, payload: text, signature: text, state_init: text },
    account: { address: text, chain: '-3', publicKey: text },
    domain: 'example.com', payload: text, now: new Date(), maxAgeSeconds: 300, clockSkewSeconds: 60, chain: '-3',
  });
  void ton;
  const sui: boolean = verifySuiPersonalMessage(text, text, text) || verifySuiPersonalMessage(bytes, text, text);
  void [recovered, evm, sol, many, key, siwe, siws, sui];
}

export async function smartAccounts(provider: Eip1193Provider): Promise<EvmSignatureKind | undefined> {
  const verdict: EvmVerdict = await verifyEvmMessage({ message: text, signature: text, address: evmAddress, rpc: 'https://rpc.example' });
  await verifyEvmMessage({ message: bytes, signature: bytes, address: evmAddress, rpc: provider, timeoutMs: 5_000 });
  const signedIn: EvmSignInResult = await verifyEvmSignIn({
    message: text, signature: text, domain: 'example.com', nonce: text, rpc: provider, timeoutMs: 5_000, now: new Date(),
  });
  const fields: SiweMessageFields = signedIn.fields;
  void fields;
  return verdict.valid ? verdict.kind : signedIn.kind;
}

export async function services(): Promise<void> {
  const dynamic = new DynamicClient({ environmentId: 'env' });
  new DynamicClient({
    environmentId: 'env', baseUrl: 'https://app.dynamicauth.com/api/v0', authToken: jwt, credentials: 'include',
    timeoutMs: 10_000, maxRetries: 2, signal: new AbortController().signal, retryStateChanging: false,
  });
  const nonce: string = await dynamic.getNonce();
  const signedIn: VerifyResponse = await dynamic.verify(verifyRequest);
  const linked: VerifyResponse = await dynamic.verifyLink(verifyRequest);
  const unlinked: VerifyResponse = await dynamic.verifyUnlink(unlinkRequest);
  const connection: GlobalWalletConnection = await dynamic.createGlobalWalletConnection({ expiresAt: new Date() });
  await dynamic.createGlobalWalletConnection({ expiresAt: '2026-01-01T00:00:00Z' });
  const token: string | undefined = dynamic.authToken;
  const environment: string = dynamic.environmentId;
  dynamic.authToken = jwt;
  dynamic.setAuthToken(jwt);
  dynamic.setAuthToken(undefined);
  dynamic.setAuthToken(null); // signs out: the documented way to forget the JWT

  const admin = new DynamicAdminClient({ environmentId: 'env', apiToken: 'dyn_secret' });
  new DynamicAdminClient({ environmentId: 'env', apiToken: 'dyn_secret', baseUrl: 'https://app.dynamicauth.com/api/v0', dangerouslyAllowBrowser: true });
  const created: BulkUserCreateResponse = await admin.bulkCreateUsers(users);
  await admin.bulkCreateUsers(users, { upsert: true });
  await admin.bulkCreateUsers(users, {});

  const snag = new SnagClient({});
  new SnagClient({ baseUrl: 'https://admin.snagsolutions.io', apiKey: 'key', dangerouslyAllowBrowser: false });
  const snagged: SnagConnectResponse = await snag.connectWallet(snagParams);

  const server = new LinkServerClient({ baseUrl: '/api/link' });
  new LinkServerClient({ baseUrl: '/api/link', authToken: jwt, timeoutMs: 10_000, maxRetries: 1, signal: new AbortController().signal });
  const serverNonce: string = await server.getNonce();
  const viaServer: SnagConnectResponse = await server.connectWallet({ walletType: 'evm', walletAddress: evmAddress, message: text, signature: text });
  server.authToken = jwt;
  const serverToken: string | undefined = server.authToken;
  void [nonce, signedIn, linked, unlinked, connection, token, environment, created, snagged, serverNonce, viaServer, serverToken];
}

export async function flowAndWallets(): Promise<void> {
  const evmWallets: WalletAdapter[] = await discoverEvmWallets();
  await discoverEvmWallets(500);
  const solanaWallets: WalletAdapter[] = await discoverSolanaWallets();
  await discoverSolanaWallets(500);
  const injected: WalletAdapter = WalletAdapter.fromEip1193(provider);
  WalletAdapter.fromEip1193(provider, { uuid: 'u', name: 'Wallet', icon: 'data:,', rdns: 'com.example' });
  const standard: WalletAdapter = WalletAdapter.fromWalletStandard(standardWallet);
  const address: string = await injected.connect();
  const signed: string = await injected.signMessage(text);
  const signedIn: WalletSignInOutput = await standard.signIn({ domain: 'example.com', nonce: text });

  const dynamic = new DynamicClient({ environmentId: 'env', authToken: jwt });
  const result: LinkResult = await linkWallet({ dynamic, wallet: injected, chain: 'EVM', walletName: injected.walletName, appName: 'My dapp' });
  await linkWallet({
    dynamic, chain: 'SOL', address: solanaAddress, walletName: 'phantom', signMessage: async () => bytes, environmentId: 'env',
    messageFormat: 'siws', mode: 'signIn', chainId: 'mainnet', signal: new AbortController().signal,
    onStep: (step: LinkStep) => void step,
    snag: { client: new LinkServerClient({ baseUrl: '/api/link' }) },
  });
  await linkWallet({
    dynamic, wallet: injected, rpc: 'https://rpc.example', snag: { client: new LinkServerClient({ baseUrl: '/api/link' }), walletType: 'imx' },
  });
  await linkWallet({
    dynamic, wallet: standard,
    snag: { client: new SnagClient({ apiKey: 'key' }), websiteId: 'w', organizationId: 'o', userId: 'u', proof: 'dynamicAuthToken', confirmDisconnect: true },
  });
  const [ton] = await discoverTonWallets();
  const tonReply = await WalletAdapter.fromTonConnect(ton.provider).tonProof({ payload: 'nonce', manifestUrl: 'https://example.com/tonconnect-manifest.json' });
  await new LinkServerClient({ baseUrl: '/api/link', authToken: jwt }).connectWallet({ walletType: 'ton', walletAddress: tonReply.address, tonVerification: tonReply.tonVerification });
  const suiWallets: WalletAdapter[] = await discoverSuiWallets(50);
  await discoverSuiWallets();
  void [evmWallets, solanaWallets, suiWallets, address, signed, signedIn, result];
}

export function helpers(error: unknown): string {
  const codes: ErrorCode[] = errorCodes();
  const v: string = version();
  if (isWalletLinkerError(error)) {
    const step: LinkStep | undefined = error.step;
    return `${error.code} ${step ?? ''}`;
  }
  if (error instanceof WalletLinkerError) return error.code;
  throw new WalletLinkerError('INTERNAL', `${codes.length} codes, version ${v}`, { cause: error });
}

export async function backend(): Promise<void> {
  const link: LinkServer = createLinkServer({
    domain: 'app.example.com',
    dynamic: { environmentId: 'env' },
    snag: { apiKey: 'key', websiteId: 'w', organizationId: 'o' },
  });
  createLinkServer({
    domain: 'app.example.com',
    basePath: '/api/link',
    dynamic: { environmentId: 'env', baseUrl: 'https://app.dynamicauth.com/api/v0', jwksUrl: 'https://example.com/jwks.json', timeoutMs: 5000 },
    snag: { apiKey: 'key', websiteId: 'w', organizationId: 'o', baseUrl: 'https://admin.snagsolutions.io', timeoutMs: 5000, maxRetries: 1 },
    nonces: new MemoryNonceStore(),
    nonceStoreTimeoutMs: 5000,
    nonceTtlMs: 300_000,
    maxAgeSeconds: 300,
    clockSkewSeconds: 60,
    snagUserId: async (user: DynamicJwtUser) => user.userId,
    allowMoveWallet: false,
    rpc: { '8453': 'https://mainnet.base.org', '13371': 'https://rpc.immutable.com' },
    now: () => Date.now(),
  });
  const response: Response = await link.fetch(new Request('https://app.example.com/nonce'));
  const handler = toNodeHandler(link);
  const stores: NonceStore[] = [new MemoryNonceStore({ maxEntries: 1000 }), new RedisNonceStore(redisClient), new RedisNonceStore(redisClient, { prefix: 'app:' })];
  const user: DynamicJwtUser = await verifyDynamicJwt(jwt, { environmentId: 'env' });
  await verifyDynamicJwt(jwt, { environmentId: 'env', baseUrl: 'https://app.dynamicauth.com/api/v0', jwksUrl: 'https://example.com/jwks.json', clockSkewSeconds: 60, timeoutMs: 5000 });
  void [response, handler, stores, user];
}
