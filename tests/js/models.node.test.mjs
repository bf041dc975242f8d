// Our JSON against the official generated clients': each call is made twice through a fetch stub,
// once with wallet-linker and once with the official client (@dynamic-labs/sdk-api-core,
// @dynamic-labs/sdk-api, @snagsolutions/sdk), and the method, path, auth header and body they send
// must be equal; the same canned response must come back as the same data. The .d.ts enum unions
// must list every value of the official enums.
import { test, assert } from './harness.mjs';
import { readFileSync } from 'node:fs';
import * as sdk from '@dynamic-labs/sdk-api-core';
import * as adminSdk from '@dynamic-labs/sdk-api';
import snagPackage from '@snagsolutions/sdk';
import { DynamicAdminClient, DynamicClient, SnagClient } from 'wallet-linker';

const SnagSolutions = snagPackage.default ?? snagPackage;
const ENV = '95b11417-f18f-457f-8804-68e361f9164f';
const BASE = 'http://127.0.0.1:9/api/v0';
const JWT = 'header.payload.signature';

/** What a fetch call sent, whatever its calling convention (Request, or url + init). */
async function sentBy(input, init) {
  const request = new Request(input, init);
  const body = request.body === null ? undefined : await request.text();
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname + url.search,
    authorization: request.headers.get('authorization'),
    apiKey: request.headers.get('x-api-key'),
    contentType: request.headers.get('content-type'),
    body: body === undefined ? undefined : JSON.parse(body),
  };
}

/** Installs a global fetch stub answering `response` (status, JSON) and records what it got. */
function stubGlobalFetch(status, response) {
  const original = globalThis.fetch;
  const sent = [];
  globalThis.fetch = async (input, init) => {
    sent.push(await sentBy(input, init));
    return new Response(JSON.stringify(response), { status, headers: { 'content-type': 'application/json' } });
  };
  return { sent, restore: () => (globalThis.fetch = original) };
}

/** A fetch function for the official clients, recording the same way. */
function recordingFetch(status, response, sent) {
  return async (input, init) => {
    sent.push(await sentBy(input, init));
    return new Response(JSON.stringify(response), { status, headers: { 'content-type': 'application/json' } });
  };
}

/** Runs our call and the official call against the same canned answer; returns both sides. */
async function both({ status = 200, response }, ours, official) {
  const stub = stubGlobalFetch(status, response);
  let ourResult;
  try {
    ourResult = await ours();
  } finally {
    stub.restore();
  }
  const officialSent = [];
  const officialResult = await official(recordingFetch(status, response, officialSent));
  assert.equal(stub.sent.length, 1);
  assert.equal(officialSent.length, 1);
  return { ours: stub.sent[0], official: officialSent[0], ourResult, officialResult };
}

const plain = (value) => JSON.parse(JSON.stringify(value));
const sdkApi = (fetchApi, accessToken) =>
  new sdk.SDKApi(new sdk.Configuration({ basePath: BASE, fetchApi, accessToken: accessToken && (() => accessToken) }));

// Responses in the official shape, with timestamps as the official ToJSON writes them (so a
// FromJSON/ToJSON round trip is the identity on them).
const credential = {
  id: '11111111-1111-4111-8111-111111111111',
  format: 'blockchain',
  address: '0xbF394748301603f18d953C90F0b087CBEC0E1834',
  chain: 'eip155',
  refId: 'r1',
  signerRefId: 's1',
  name_service: { avatar: 'https://example.com/a.png', name: 'alice.eth' },
  public_identifier: '0xbF39...1834',
  wallet_name: 'metamask',
  wallet_provider: 'browserExtension',
  wallet_properties: { turnkeyHDWalletId: 'hd', isAuthenticatorAttached: true },
  wallet_additional_addresses: [{ address: 'bc1q', publicKey: 'pk', type: 'ordinals' }],
  oauth_account_photos: ['p'],
  oauth_emails: ['e@example.com'],
  oauth_metadata: { k: 'v' },
  previous_users: ['u0'],
  lastSelectedAt: '2026-01-01T00:00:00.000Z',
  signInEnabled: true,
  verifiedAt: '2026-01-01T00:00:01.000Z',
};
const sdkUser = {
  id: '22222222-2222-4222-8222-222222222222',
  projectEnvironmentId: ENV,
  verifiedCredentials: [credential, { id: '33333333-3333-4333-8333-333333333333', format: 'email', email: 'a@example.com', signInEnabled: true }],
  lastVerifiedCredentialId: credential.id,
  sessionId: 's',
  alias: 'al',
  email: 'a@example.com',
  firstVisit: '2026-01-01T00:00:00.000Z',
  lastVisit: '2026-01-02T00:00:00.000Z',
  newUser: false,
  metadata: { plan: 'gold', n: 3, nested: { list: [1, 'two', null] } },
  mfaBackupCodeAcknowledgement: 'pending',
  lists: ['l'],
  scope: 'user:basic',
  missingFields: [{ name: 'email', required: true, enabled: true, unique: true, verify: true, type: 'standard', label: 'Email', position: 1 }],
};
const verifyResponse = { user: sdkUser, jwt: JWT, minifiedJwt: 'min', expiresAt: 1767229200, mfaToken: 'm' };

const fullVerifyRequest = {
  oauth: { provider: 'google', accessToken: 'at', didToken: 'did' },
  signedMessage: '0xsig',
  messageToSign: 'example.com wants you to sign in with your Ethereum account:\n0xbF394748301603f18d953C90F0b087CBEC0E1834',
  publicWalletAddress: '0xbF394748301603f18d953C90F0b087CBEC0E1834',
  chain: 'EVM',
  walletName: 'metamask',
  walletProvider: 'browserExtension',
  skipEmptyAccountCheck: true,
  captchaToken: 'captcha',
  network: '1',
  additionalWalletAddresses: [{ address: 'bc1q', publicKey: 'pk', type: 'ordinals', network: 'mainnet' }],
  backup: 'b',
  password: 'pw',
  passwordSource: 'user',
  sessionPublicKey: 'spk',
  requestedScopes: ['credential:link', 'wallet:sign'],
};
const minimalVerifyRequest = {
  signedMessage: 'sig',
  messageToSign: 'msg',
  publicWalletAddress: '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d',
  chain: 'SOL',
  walletName: 'phantom',
  walletProvider: 'browserExtension',
};

// Members the models do not know: the official ToJSON drops them at every level, and so do we.
const verifyRequestWithUnknownMembers = {
  ...fullVerifyRequest,
  unknownTopLevel: 'x',
  oauth: { ...fullVerifyRequest.oauth, unknownNested: 1 },
  additionalWalletAddresses: [{ ...fullVerifyRequest.additionalWalletAddresses[0], unknownInArray: true }],
};

for (const [label, request] of [
  ['full', fullVerifyRequest],
  ['minimal', minimalVerifyRequest],
  ['with unknown members', verifyRequestWithUnknownMembers],
]) {
  for (const method of ['verify', 'verifyLink']) {
    test(`${method} (${label} VerifyRequest) sends what the official client sends`, async () => {
      const { ours, official, ourResult, officialResult } = await both(
        { response: verifyResponse },
        () => new DynamicClient({ environmentId: ENV, baseUrl: BASE, authToken: JWT, maxRetries: 0 })[method](request),
        (fetchApi) => sdkApi(fetchApi, JWT)[method]({ environmentId: ENV, verifyRequest: sdk.VerifyRequestFromJSON(request) }),
      );
      assert.deepEqual(ours, official);
      assert.deepEqual(ours.body, plain(sdk.VerifyRequestToJSON(sdk.VerifyRequestFromJSON(request))));
      assert.equal(ours.path, `/api/v0/sdk/${ENV}/${method === 'verify' ? 'verify' : 'verify/link'}`);
      assert.deepEqual(ourResult, plain(sdk.VerifyResponseToJSON(officialResult)));
    });
  }
}

test('unknown response members reach the caller; the known ones read as the official model reads them', async () => {
  // The official FromJSON/ToJSON keeps only the members it knows; we hand the parsed JSON over.
  const response = { ...verifyResponse, addedLater: { a: [1] }, user: { ...sdkUser, addedToUser: 'x' } };
  const { ourResult, officialResult } = await both(
    { response },
    () => new DynamicClient({ environmentId: ENV, baseUrl: BASE, authToken: JWT }).verifyLink(minimalVerifyRequest),
    (fetchApi) => sdkApi(fetchApi, JWT).verifyLink({ environmentId: ENV, verifyRequest: sdk.VerifyRequestFromJSON(minimalVerifyRequest) }),
  );
  const official = plain(sdk.VerifyResponseToJSON(officialResult));
  assert.equal(official.addedLater, undefined);
  assert.deepEqual(ourResult, { ...official, addedLater: { a: [1] }, user: { ...official.user, addedToUser: 'x' } });
});

test('verifyUnlink sends what the official client sends', async () => {
  for (const request of [
    { walletId: 'w1' },
    { walletId: 'w', verifiedCrentialId: 'legacy', verifiedCredentialId: 'vc', primaryWalletId: 'p' },
  ]) {
    const { ours, official, ourResult, officialResult } = await both(
      { response: verifyResponse },
      () => new DynamicClient({ environmentId: ENV, baseUrl: BASE, authToken: JWT }).verifyUnlink(request),
      (fetchApi) => sdkApi(fetchApi, JWT).verifyUnlink({ environmentId: ENV, verifyUnlinkRequest: sdk.VerifyUnlinkRequestFromJSON(request) }),
    );
    assert.deepEqual(ours, official);
    assert.deepEqual(ours.body, request);
    assert.deepEqual(ourResult, plain(sdk.VerifyResponseToJSON(officialResult)));
  }
});

test('getNonce sends what the official client sends', async () => {
  const { ours, official, ourResult, officialResult } = await both(
    { response: { nonce: 'abcdef0123456789' } },
    () => new DynamicClient({ environmentId: ENV, baseUrl: BASE, authToken: JWT }).getNonce(),
    (fetchApi) => sdkApi(fetchApi).getNonce({ environmentId: ENV }),
  );
  assert.deepEqual({ ...ours, contentType: null }, { ...official, contentType: null });
  assert.equal(ours.authorization, null);
  assert.equal(ourResult, officialResult.nonce);
});

test('createGlobalWalletConnection sends what the official client sends', async () => {
  const expiresAt = new Date('2026-02-01T12:00:00.000Z');
  const connection = {
    id: '44444444-4444-4444-8444-444444444444',
    userId: sdkUser.id,
    appUrl: 'https://app.example',
    status: 'connected',
    expiresAt: '2026-02-01T12:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const { ours, official, ourResult, officialResult } = await both(
    { status: 201, response: connection },
    () => new DynamicClient({ environmentId: ENV, baseUrl: BASE, authToken: JWT }).createGlobalWalletConnection({ expiresAt }),
    (fetchApi) =>
      sdkApi(fetchApi, JWT).createGlobalWalletConnection({ environmentId: ENV, globalWalletConnectionCreateRequest: { expiresAt } }),
  );
  assert.deepEqual(ours, official);
  assert.deepEqual(ourResult, plain(sdk.GlobalWalletConnectionToJSON(officialResult)));
});

test('bulkCreateUsers sends what the official admin client sends', async () => {
  const users = [
    {
      alias: 'A', firstName: 'Ada', lastName: 'L', jobTitle: 'eng', phoneNumber: '+1555', metadata: { tier: 2, tags: ['x'] },
      mfaBackupCodeAcknowledgement: 'complete', tShirtSize: 'M', team: 't', policiesConsent: true, country: 'US',
      username: 'ada', btcWallet: 'bc1', kdaWallet: 'k:1', ltcWallet: 'L1', ckbWallet: 'ckb1', kasWallet: 'kaspa:1',
      dogeWallet: 'D1', emailNotification: true, discordNotification: false, newsletterNotification: true,
      emailVerifiedAt: '2026-01-01T00:00:00.000Z', email: 'ada@example.com',
      wallets: [{ publicWalletAddress: '0xbF394748301603f18d953C90F0b087CBEC0E1834', chain: 'EVM', walletName: 'metamask',
        walletProvider: 'browserExtension', additionalWalletAddresses: [{ address: 'a', type: 'evm' }] }],
      oauthAccounts: [{ provider: 'discord', accountId: '1', emails: ['d@example.com'], displayName: 'D', username: 'd', photos: ['p'], profile: { id: 1 } }],
    },
    { email: 'bob@example.com' },
  ];
  const user = { id: 'u1', projectEnvironmentId: ENV, email: 'bob@example.com', createdAt: '2026-01-01T00:00:00.000Z',
    wallets: [{ id: 'w', name: 'metamask', chain: 'EVM', publicKey: '0xabc', provider: 'browserExtension', lastSelectedAt: 'x' }],
    oauthAccounts: [{ id: 'o', provider: 'discord', accountUsername: 'd' }],
    mfaDevices: [{ type: 'totp', verified: true, id: 'm', default: true }],
    sessions: [{ id: 's', createdAt: '2026-01-01T00:00:00.000Z', ipAddress: '127.0.0.1' }],
    chainalysisChecks: [{ id: 'c', createdAt: '2026-01-01T00:00:00.000Z', result: 'OK', walletPublicKey: '0xabc', response: '{}' }] };
  const response = { created: [user], updated: [], failed: [{ user, error: 'exists', code: 'email_already_exists' }], total: 2 };
  for (const upsert of [true, false, undefined]) {
    const { ours, official, ourResult, officialResult } = await both(
      { status: 201, response },
      () =>
        new DynamicAdminClient({ environmentId: ENV, apiToken: 'dyn_token', baseUrl: BASE }).bulkCreateUsers(
          users,
          upsert === undefined ? undefined : { upsert },
        ),
      (fetchApi) =>
        new adminSdk.UsersApi(new adminSdk.Configuration({ basePath: BASE, fetchApi, accessToken: () => 'dyn_token' })).bulkCreateUser({
          environmentId: ENV,
          internalUserFields: users.map(adminSdk.InternalUserFieldsFromJSON),
          upsert,
        }),
    );
    assert.deepEqual(ours, official, `upsert ${upsert}`);
    assert.deepEqual(ourResult, plain(adminSdk.BulkUserCreateResponseToJSON(officialResult)));
  }
});

test('connectWallet sends what the official Snag client sends', async () => {
  const params = {
    organizationId: '123e4567-e89b-12d3-a456-426614174001',
    websiteId: '123e4567-e89b-12d3-a456-426614174000',
    walletType: 'ton',
    walletAddress: 'EQabc',
    userId: '123e4567-e89b-12d3-a456-426614174002',
    confirmDisconnect: true,
    verificationData: {
      message: 'm', signature: 's', accessToken: 'at', dynamicAuthToken: 'jwt',
      tonVerification: {
        account: { address: '0:abc', chain: '-239', publicKey: 'pk', walletStateInit: 'te6' },
        proof: { timestamp: 1767225600, domain: { lengthBytes: 11, value: 'example.com' }, payload: 'p', signature: 'sig', state_init: 'si' },
      },
    },
  };
  const answer = { id: 'snag-user', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', walletAddress: 'EQabc' };
  const { ours, official, ourResult, officialResult } = await both(
    { response: answer },
    () => new SnagClient({ apiKey: 'key', baseUrl: 'http://127.0.0.1:9/snag' }).connectWallet(params),
    (fetch) => new SnagSolutions({ apiKey: 'key', baseURL: 'http://127.0.0.1:9/snag', fetch, maxRetries: 0 }).users.connect(params),
  );
  assert.deepEqual({ ...ours, contentType: null }, { ...official, contentType: null });
  assert.match(ours.contentType, /^application\/json/);
  assert.deepEqual(ours.body, params);
  assert.deepEqual(ourResult, officialResult);
});

test('the .d.ts enum unions list every value of the official enums', () => {
  const dts = readFileSync(new URL('../../pkg/wallet_linker.d.ts', import.meta.url), 'utf8');
  const union = (name) => {
    const match = new RegExp(`export type ${name} = ([^;]*);`).exec(dts);
    assert.ok(match, `no union ${name} in the .d.ts`);
    assert.match(match[1], /\(string & \{\}\)/, `${name} must accept values added later`);
    return [...match[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  };
  const official = {
    ChainEnum: sdk.ChainEnum,
    WalletProviderEnum: sdk.WalletProviderEnum,
    WalletAddressType: sdk.WalletAddressType,
    PasswordSourceTypeEnum: sdk.PasswordSourceTypeEnum,
    TokenScope: sdk.TokenScope,
    ProviderEnum: sdk.ProviderEnum,
    JwtVerifiedCredentialFormatEnum: sdk.JwtVerifiedCredentialFormatEnum,
    MfaBackupCodeAcknowledgement: sdk.MfaBackupCodeAcknowledgement,
    GlobalWalletConnectionStatusEnum: sdk.GlobalWalletConnectionStatusEnum,
    KycFieldType: sdk.KycFieldType,
    CustomFieldType: sdk.CustomFieldType,
    UnprocessableEntityErrorCode: sdk.UnprocessableEntityErrorCode,
    ChainalysisCheckResultEnum: adminSdk.ChainalysisCheckResultEnum,
    MFADeviceType: adminSdk.MFADeviceType,
  };
  for (const [name, values] of Object.entries(official)) {
    assert.ok(values, `the official package has no ${name}`);
    assert.deepEqual(new Set(union(name)), new Set(Object.values(values)), name);
  }
  // Snag ships types only: its unions are read from its .d.ts.
  const snagDts = readFileSync(new URL('../../node_modules/@snagsolutions/sdk/resources/users/users.d.ts', import.meta.url), 'utf8');
  const snagParams = snagDts.slice(snagDts.indexOf('export interface UserConnectParams'));
  const walletTypes = /walletType:([^;]*);/.exec(snagParams)[1];
  assert.deepEqual(union('SnagWalletType'), [...walletTypes.matchAll(/'([^']*)'/g)].map((m) => m[1]));
  const tonChains = /chain:([^;]*);/.exec(snagParams.slice(snagParams.indexOf('interface Account')))[1];
  assert.deepEqual(union('SnagTonNetwork'), [...tonChains.matchAll(/'([^']*)'/g)].map((m) => m[1]));
});

test('request and response interfaces name the official fields', () => {
  const dts = readFileSync(new URL('../../pkg/wallet_linker.d.ts', import.meta.url), 'utf8');
  // An interface's members, with those of the interfaces it extends (shared user fields).
  const fields = (name) => {
    const match = new RegExp(`export interface ${name}(?: extends ([\\w, ]+))? \\{([\\s\\S]*?)\\n\\}`).exec(dts);
    assert.ok(match, `no interface ${name}`);
    const own = [...match[2].matchAll(/^\s*(\w+)(\?)?:/gm)].map((m) => m[1] + (m[2] ?? ''));
    const inherited = (match[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).flatMap(fields);
    return [...own, ...inherited].sort();
  };
  // Wire names and optionality from the official FromJSON: required keys are read without `exists`.
  const officialFields = (fromJson) => {
    const source = String(fromJson);
    return [...source.matchAll(/'(\w+)': (!exists\(json, '(\w+)'\))?[^\n]*json\['(\w+)'\]/g)].map((m) => m[4] + (m[2] ? '?' : '')).sort();
  };
  for (const [ours, official] of [
    ['VerifyRequest', sdk.VerifyRequestFromJSONTyped],
    ['VerifyUnlinkRequest', sdk.VerifyUnlinkRequestFromJSONTyped],
    ['VerifyResponse', sdk.VerifyResponseFromJSONTyped],
    ['SdkUser', sdk.SdkUserFromJSONTyped],
    ['JwtVerifiedCredential', sdk.JwtVerifiedCredentialFromJSONTyped],
    ['WalletAdditionalAddress', sdk.WalletAdditionalAddressFromJSONTyped],
    ['OauthProviderRequest', sdk.OauthProviderRequestFromJSONTyped],
    ['GlobalWalletConnection', sdk.GlobalWalletConnectionFromJSONTyped],
    ['NonceResponse', sdk.NonceResponseFromJSONTyped],
    ['InternalUserFields', adminSdk.InternalUserFieldsFromJSONTyped],
    ['BulkUserCreateResponse', adminSdk.BulkUserCreateResponseFromJSONTyped],
    ['User', adminSdk.UserFromJSONTyped],
    ['Wallet', adminSdk.WalletFromJSONTyped],
    ['MFADevice', adminSdk.MFADeviceFromJSONTyped],
  ]) {
    const expected = officialFields(official);
    assert.ok(expected.length > 0, `could not read ${ours}'s official fields`);
    assert.deepEqual(fields(ours), expected, ours);
  }
});
