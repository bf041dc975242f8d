// Sign-in messages cross-checked against the reference packages: `siwe` (v3) for EIP-4361 and
// `@solana/wallet-standard-util` for Sign-In With Solana, on seeded random field sets in both
// directions, plus error codes and fields for bad input, and the address and nonce helpers.
import { test, assert, platform } from './harness.mjs';
import * as wl from 'wallet-linker';
import { SiweMessage } from 'siwe';
import { createSignInMessageText, parseSignInMessageText } from '@solana/wallet-standard-util';
import { getAddress } from 'viem';
import { createSiweMessage as createViemSiweMessage } from 'viem/siwe';
import { PublicKey } from '@solana/web3.js';
import bs58 from 'bs58';

// Seeded so that a failure is reproducible: set MESSAGES_SEED to replay another run.
const SEED = Number(globalThis.process?.env?.MESSAGES_SEED ?? 0x5eed4361);
const CASES = 300;

/** mulberry32: a small, well-mixed 32-bit PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (items) => items[int(0, items.length - 1)];
  const chance = (p) => next() < p;
  const string = (alphabet, lo, hi) => {
    const chars = Array.from(alphabet);
    let out = '';
    for (let n = int(lo, hi); n > 0; n--) out += pick(chars);
    return out;
  };
  const bytes = (n) => Uint8Array.from({ length: n }, () => int(0, 255));
  return { next, int, pick, chance, string, bytes };
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const PCHAR_PLAIN = ALNUM + "-._~!$&'()*+,;=:@";
const HEX = '0123456789ABCDEF';
// EIP-4361 statement characters: RFC 3986 reserved + unreserved + space.
const SIWE_STATEMENT = ALNUM + " -._~:/?#[]@!$&'()*+,;=";
const LABELS = ['URI: ', 'Version: ', 'Chain ID: ', 'Nonce: ', 'Issued At: ', 'Expiration Time: ', 'Not Before: ', 'Request ID: ', 'Resources:'];

function pchars(r, lo, hi, extra = '') {
  let out = '';
  for (let n = r.int(lo, hi); n > 0; n--) {
    out += r.chance(0.1) ? `%${r.pick(HEX)}${r.pick(HEX)}` : r.pick(Array.from(PCHAR_PLAIN + extra));
  }
  return out;
}

function host(r) {
  switch (r.int(0, 5)) {
    case 0:
      return [r.int(0, 255), r.int(0, 255), r.int(0, 255), r.int(0, 255)].join('.');
    case 1:
      return r.pick(['[::1]', '[2001:db8::7]', '[::cafe]', '[fe80::1:2]', '[::ffff:10.0.0.1]']);
    case 2:
      return 'localhost';
    default: {
      const labels = Array.from({ length: r.int(1, 3) }, () => r.string(LOWER + '0123456789', 1, 10));
      return labels.join('.') + (r.chance(0.7) ? `.${r.string(LOWER, 2, 6)}` : '');
    }
  }
}

function authority(r) {
  const user = r.chance(0.15) ? `${r.string(ALNUM, 1, 6)}${r.chance(0.3) ? `:${r.string(ALNUM, 1, 6)}` : ''}@` : '';
  const port = r.chance(0.3) ? `:${r.int(0, 65535)}` : '';
  return `${user}${host(r)}${port}`;
}

function uri(r) {
  switch (r.int(0, 5)) {
    case 0:
      return `did:key:z${r.string('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 10, 46)}`;
    case 1:
      return `urn:${r.string(LOWER, 1, 8)}:${r.string(ALNUM + ':._-', 1, 20)}`;
    default: {
      const scheme = r.pick(['https', 'http', 'ipfs', 'wss']);
      let path = '';
      for (let n = r.int(0, 3); n > 0; n--) path += `/${pchars(r, 0, 6)}`;
      const query = r.chance(0.3) ? `?${pchars(r, 0, 10, '/?')}` : '';
      const fragment = r.chance(0.2) ? `#${pchars(r, 0, 6, '/?')}` : '';
      return `${scheme}://${authority(r)}${path}${query}${fragment}`;
    }
  }
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

function dateTime(r) {
  const year = r.chance(0.8) ? r.int(1970, 2100) : r.int(0, 9999);
  const month = r.int(1, 12);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  const day = r.int(1, days);
  const time = `${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, r.chance(0.05) ? 60 : 59))}`;
  const fraction = r.chance(0.5) ? `.${r.string('0123456789', 1, 9)}` : '';
  const offset = r.chance(0.6) ? r.pick(['Z', 'Z', 'z']) : `${r.pick(['+', '-'])}${pad(r.int(0, 23))}:${pad(r.int(0, 59))}`;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}${r.chance(0.9) ? 'T' : 't'}${time}${fraction}${offset}`;
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const evmAddress = (r) => getAddress(`0x${hex(r.bytes(20))}`);
const solanaAddress = (r) => bs58.encode(r.bytes(32));
const maybe = (r, p, make) => (r.chance(p) ? make() : undefined);

/** Drops keys whose value is undefined, so objects compare by the keys actually present. */
function present(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function siweFields(r) {
  return present({
    scheme: maybe(r, 0.2, () => r.pick(['https', 'http', 'app+x', 'a.b-c'])),
    domain: authority(r),
    address: evmAddress(r),
    statement: maybe(r, 0.7, () => r.string(SIWE_STATEMENT, 0, 60)),
    uri: uri(r),
    version: '1',
    chainId: r.chance(0.7) ? r.int(1, 100000) : r.int(1, Number.MAX_SAFE_INTEGER),
    nonce: r.string(ALNUM, 8, 32),
    issuedAt: dateTime(r),
    expirationTime: maybe(r, 0.4, () => dateTime(r)),
    notBefore: maybe(r, 0.3, () => dateTime(r)),
    requestId: maybe(r, 0.3, () => pchars(r, 1, 24)),
    resources: maybe(r, 0.4, () => Array.from({ length: r.int(0, 3) }, () => uri(r))),
  });
}

function plainStatement(r) {
  const alphabet = ALNUM + ' .,:;!?\'"%{}|\\^`<>-éüß漢字🙂–—';
  for (;;) {
    const s = r.string(alphabet, 1, 40);
    if (!LABELS.some((label) => s.startsWith(label))) return s;
  }
}

function siwsInput(r) {
  return present({
    domain: authority(r),
    address: solanaAddress(r),
    statement: maybe(r, 0.6, () => plainStatement(r)),
    uri: maybe(r, 0.7, () => uri(r)),
    version: maybe(r, 0.6, () => '1'),
    chainId: maybe(r, 0.5, () =>
      r.pick(['mainnet', 'testnet', 'devnet', 'localnet', 'solana:mainnet', 'solana:testnet', 'solana:devnet', 'solana:localnet'])),
    nonce: maybe(r, 0.7, () => r.string(ALNUM, 8, 32)),
    issuedAt: maybe(r, 0.6, () => dateTime(r)),
    expirationTime: maybe(r, 0.3, () => dateTime(r)),
    notBefore: maybe(r, 0.3, () => dateTime(r)),
    requestId: maybe(r, 0.3, () => pchars(r, 1, 24)),
    resources: maybe(r, 0.3, () => Array.from({ length: r.int(0, 3) }, () => uri(r))),
  });
}

/** The fields of a `siwe` SiweMessage object, as plain data. */
function siweData(message) {
  return present({
    scheme: message.scheme,
    domain: message.domain,
    address: message.address,
    statement: message.statement,
    uri: message.uri,
    version: message.version,
    chainId: message.chainId,
    nonce: message.nonce,
    issuedAt: message.issuedAt,
    expirationTime: message.expirationTime,
    notBefore: message.notBefore,
    requestId: message.requestId,
    resources: message.resources,
  });
}

function codeOf(fn) {
  try {
    fn();
  } catch (e) {
    assert.equal(e.name, 'WalletLinkerError', `not our error: ${e}`);
    return { code: e.code, field: e.field, message: e.message, expected: e.expected };
  }
  assert.fail('expected an error');
}

function assertNoUndefinedKeys(object) {
  for (const [key, value] of Object.entries(object)) {
    assert.notEqual(value, undefined, `${key} is present with the value undefined`);
    assert.notEqual(value, null, `${key} is null`);
  }
}

/** One random edit: delete, insert or replace a character. */
function mutate(r, text) {
  const chars = Array.from(text);
  const at = r.int(0, chars.length);
  const c = r.pick(['\n', '\r', ' ', '0', '1', 'a', 'A', 'Z', ':', '-', '.', '/', '%', '@', '#', '?', '[', '"', 'é']);
  const op = r.int(0, 2);
  if (op === 0 && at < chars.length) chars.splice(at, 1);
  else if (op === 1 || at === chars.length) chars.splice(at, 0, c);
  else chars[at] = c;
  return chars.join('');
}

// ------------------------------------------------------------------------------------------------
// EIP-4361 against `siwe`.

test(`createSiweMessage is byte-identical to siwe's prepareMessage (${CASES} random field sets, seed ${SEED})`, () => {
  const r = prng(SEED);
  for (let i = 0; i < CASES; i++) {
    const fields = siweFields(r);
    const ours = wl.createSiweMessage(fields);
    const theirs = new SiweMessage({ ...fields }).prepareMessage();
    assert.equal(ours, theirs, `case ${i}: ${JSON.stringify(fields)}`);
  }
});

test(`siwe parses our messages to the same fields, and we parse siwe's (${CASES} cases, seed ${SEED + 1})`, () => {
  const r = prng(SEED + 1);
  for (let i = 0; i < CASES; i++) {
    const fields = siweFields(r);
    const ours = wl.createSiweMessage(fields);
    assert.deepEqual(siweData(new SiweMessage(ours)), fields, `case ${i}: siwe parsing ours`);
    const theirs = new SiweMessage({ ...fields }).prepareMessage();
    const parsed = wl.parseSiweMessage(theirs);
    assertNoUndefinedKeys(parsed);
    assert.deepEqual(parsed, fields, `case ${i}: ours parsing siwe's`);
  }
});

test(`parseSiweMessage is never laxer than siwe: random one-character edits (seed ${SEED + 2})`, () => {
  const r = prng(SEED + 2);
  let accepted = 0;
  for (let i = 0; i < CASES * 3; i++) {
    const text = mutate(r, wl.createSiweMessage(siweFields(r)));
    let ours;
    try {
      ours = wl.parseSiweMessage(text);
    } catch (e) {
      assert.ok(['MESSAGE_PARSE', 'INVALID_ADDRESS'].includes(e.code), `${e.code}: ${e.message}`);
      assert.equal(typeof e.field, 'string', `no field named: ${e.message}`);
      continue;
    }
    accepted++;
    assert.deepEqual(siweData(new SiweMessage(text)), ours, `siwe reads ${JSON.stringify(text)} differently`);
    assert.equal(wl.createSiweMessage(ours), text, 'create(parse(t)) == t');
  }
  assert.ok(accepted > 0, 'no edited message was accepted: the check would be vacuous');
});

test('EIP-4361 statement forms: absent, empty and present match siwe', () => {
  const base = {
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce: '32891757',
    issuedAt: '2021-09-30T16:25:24.000Z',
  };
  for (const statement of [undefined, '', 'I accept']) {
    const fields = present({ ...base, statement });
    const text = wl.createSiweMessage(fields);
    assert.equal(text, new SiweMessage({ ...fields }).prepareMessage());
    assert.deepEqual(wl.parseSiweMessage(text), fields);
  }
});

// ------------------------------------------------------------------------------------------------
// Sign-In With Solana against @solana/wallet-standard-util.

test(`createSolanaSignInMessage is byte-identical to createSignInMessageText (${CASES} cases, seed ${SEED + 3})`, () => {
  const r = prng(SEED + 3);
  for (let i = 0; i < CASES; i++) {
    const input = siwsInput(r);
    assert.equal(wl.createSolanaSignInMessage(input), createSignInMessageText(input), `case ${i}: ${JSON.stringify(input)}`);
  }
});

test(`wallet-standard parses our messages to the same input, and we parse its (${CASES} cases, seed ${SEED + 4})`, () => {
  const r = prng(SEED + 4);
  for (let i = 0; i < CASES; i++) {
    const input = siwsInput(r);
    const ours = wl.createSolanaSignInMessage(input);
    assert.deepEqual(present(parseSignInMessageText(ours)), input, `case ${i}: wallet-standard parsing ours`);
    const parsed = wl.parseSolanaSignInMessage(createSignInMessageText(input));
    assertNoUndefinedKeys(parsed);
    assert.deepEqual(parsed, input, `case ${i}: ours parsing wallet-standard's`);
  }
});

test(`parseSolanaSignInMessage is never laxer than wallet-standard: one-character edits (seed ${SEED + 5})`, () => {
  const r = prng(SEED + 5);
  let accepted = 0;
  for (let i = 0; i < CASES * 3; i++) {
    const text = mutate(r, wl.createSolanaSignInMessage(siwsInput(r)));
    let ours;
    try {
      ours = wl.parseSolanaSignInMessage(text);
    } catch (e) {
      assert.ok(['MESSAGE_PARSE', 'INVALID_ADDRESS'].includes(e.code), `${e.code}: ${e.message}`);
      assert.equal(typeof e.field, 'string', `no field named: ${e.message}`);
      continue;
    }
    accepted++;
    assert.deepEqual(present(parseSignInMessageText(text) ?? {}), ours, `wallet-standard reads ${JSON.stringify(text)} differently`);
    assert.equal(wl.createSolanaSignInMessage(ours), text, 'create(parse(t)) == t');
  }
  assert.ok(accepted > 0, 'no edited message was accepted: the check would be vacuous');
});

test("wallet-standard-util's own round-trip cases (single-line statements; a real address for 'A')", () => {
  // From @solana/wallet-standard-util v1.1.4, src/__tests__/signIn.ts (`signInMessageTests`).
  const address = '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa';
  const cases = [
    [{ domain: 'solana.com', address }, `solana.com wants you to sign in with your Solana account:\n${address}`],
    [{ domain: 'solana.com', address, statement: 'S' }, `solana.com wants you to sign in with your Solana account:\n${address}\n\nS`],
    [{ domain: 'solana.com', address, uri: 'https://solana.com' },
      `solana.com wants you to sign in with your Solana account:\n${address}\n\nURI: https://solana.com`],
    [{ domain: 'solana.com', address, statement: 'S', uri: 'https://solana.com' },
      `solana.com wants you to sign in with your Solana account:\n${address}\n\nS\n\nURI: https://solana.com`],
  ];
  for (const [input, text] of cases) {
    assert.equal(createSignInMessageText(input), text);
    assert.equal(wl.createSolanaSignInMessage(input), text);
    assert.deepEqual(wl.parseSolanaSignInMessage(text), input);
  }
  // Their multi-line statement case is refused: statements are one line.
  const multi = codeOf(() => wl.createSolanaSignInMessage({ domain: 'solana.com', address, statement: 'S\n\nS' }));
  assert.deepEqual([multi.code, multi.field], ['INVALID_FIELD', 'statement']);
});

// ------------------------------------------------------------------------------------------------
// Dynamic's template.

test("Dynamic's EVM template is an EIP-4361 message siwe accepts", () => {
  const r = prng(SEED + 6);
  for (let i = 0; i < 50; i++) {
    const params = present({
      chain: r.pick(['EVM', 'ETH']),
      domain: authority(r),
      address: evmAddress(r),
      appName: maybe(r, 0.5, () => r.string(ALNUM + ' ', 1, 20)),
      uri: uri(r),
      chainId: r.int(1, 100000),
      nonce: r.string(ALNUM, 8, 40),
      issuedAt: dateTime(r),
      environmentId: pchars(r, 1, 36),
    });
    if (!params.appName) params.statement = r.string(SIWE_STATEMENT, 1, 60);
    const text = wl.createDynamicSignInMessage(params);
    const siwe = new SiweMessage(text);
    assert.equal(siwe.requestId, params.environmentId);
    assert.equal(siwe.chainId, params.chainId);
    assert.equal(siwe.address, params.address);
    const expectedStatement = params.statement ??
      `Welcome to ${params.appName}. Signing is the only way we can truly know that you are the owner of the wallet you are connecting. Signing is a safe, gas-less transaction that does not in any way give ${params.appName} permission to perform any transactions with your wallet.`;
    assert.equal(siwe.statement, expectedStatement);
    assert.deepEqual(wl.parseDynamicSignInMessage(text), { ...params, chain: 'EVM' });
  }
});

test(`Dynamic's domain and uri default to the page's location (${platform})`, () => {
  const params = {
    chain: 'SOL',
    address: '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa',
    appName: 'Acme',
    nonce: 'abcdefgh1234',
    environmentId: 'env-1',
  };
  if (globalThis.location) {
    const text = wl.createDynamicSignInMessage(params);
    assert.ok(text.startsWith(`${location.host} wants you to sign in with your Solana account:\n`), text);
    assert.ok(text.includes(`\nURI: ${location.origin}${location.pathname}\n`), text);
    assert.ok(!text.includes('Chain ID'), 'no Chain ID line for Solana');
    const issuedAt = /\nIssued At: (.*)\n/.exec(text)[1];
    assert.ok(Math.abs(Date.parse(issuedAt) - Date.now()) < 60_000, `issuedAt defaults to now: ${issuedAt}`);
  } else {
    const e = codeOf(() => wl.createDynamicSignInMessage(params));
    assert.deepEqual([e.code, e.field], ['INVALID_FIELD', 'domain']);
    const withDomain = codeOf(() => wl.createDynamicSignInMessage({ ...params, domain: 'app.example' }));
    assert.deepEqual([withDomain.code, withDomain.field], ['INVALID_FIELD', 'uri']);
  }
  const explicit = wl.createDynamicSignInMessage({ ...params, domain: 'app.example', uri: 'https://app.example/', issuedAt: '2025-01-01T00:00:00Z' });
  assert.equal(explicit, 'app.example wants you to sign in with your Solana account:\n5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa\n\n' +
    'Welcome to Acme. Signing is the only way we can truly know that you are the owner of the wallet you are connecting. Signing is a safe, gas-less transaction that does not in any way give Acme permission to perform any transactions with your wallet.\n\n' +
    'URI: https://app.example/\nVersion: 1\nNonce: abcdefgh1234\nIssued At: 2025-01-01T00:00:00Z\nRequest ID: env-1');
});

// ------------------------------------------------------------------------------------------------
// Errors: codes and fields.

test('createSiweMessage names the bad field; siwe refuses the same field sets', () => {
  const good = {
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    statement: 'I accept',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce: '32891757',
    issuedAt: '2021-09-30T16:25:24.000Z',
  };
  const cases = [
    [{ domain: 'service org' }, 'INVALID_FIELD', 'domain'],
    [{ scheme: '1x' }, 'INVALID_FIELD', 'scheme'],
    [{ address: good.address.toLowerCase() }, 'INVALID_ADDRESS', 'address'],
    [{ address: '0x1234' }, 'INVALID_ADDRESS', 'address'],
    [{ statement: 'two\nlines' }, 'INVALID_FIELD', 'statement'],
    [{ uri: 'not a uri' }, 'INVALID_FIELD', 'uri'],
    [{ nonce: '1234567' }, 'INVALID_FIELD', 'nonce'],
    [{ issuedAt: 'Wed Oct 05 2011 16:48:00 GMT+0200' }, 'INVALID_FIELD', 'issuedAt'],
    [{ expirationTime: '2021-02-30T00:00:00Z' }, 'INVALID_FIELD', 'expirationTime'],
    [{ notBefore: '2021-09-30T25:00:00Z' }, 'INVALID_FIELD', 'notBefore'],
    [{ requestId: 'a b' }, 'INVALID_FIELD', 'requestId'],
    [{ resources: ['https://ok.example', '- not a uri'] }, 'INVALID_FIELD', 'resources'],
    [{ version: '2' }, 'INVALID_FIELD', 'version'],
    [{ chainId: 0 }, 'INVALID_FIELD', 'chainId'],
  ];
  for (const [change, code, field] of cases) {
    const fields = { ...good, ...change };
    const e = codeOf(() => wl.createSiweMessage(fields));
    assert.deepEqual([e.code, e.field], [code, field], `${JSON.stringify(change)}: ${e.message}`);
    if (field !== 'version' && field !== 'chainId') {
      // siwe v3 prints any version and chain id; everything else it refuses too.
      assert.throws(() => new SiweMessage({ ...fields }), `siwe accepted ${JSON.stringify(change)}`);
    }
  }
  const lower = codeOf(() => wl.createSiweMessage({ ...good, address: good.address.toLowerCase() }));
  assert.match(lower.message, /toChecksumAddress/);
  assert.equal(lower.expected, good.address);

  const missing = codeOf(() => wl.createSiweMessage({ ...good, domain: undefined }));
  assert.deepEqual([missing.code, missing.field, missing.message], ['INVALID_FIELD', 'domain', 'domain is required']);
  const wrongType = codeOf(() => wl.createSiweMessage({ ...good, chainId: '1' }));
  assert.deepEqual([wrongType.code, wrongType.field, wrongType.message], ['INVALID_ARGUMENT', 'chainId', 'chainId must be a whole number, received string']);
  for (const notAnObject of [undefined, null, 'text', 42, []]) {
    assert.equal(codeOf(() => wl.createSiweMessage(notAnObject)).code, 'INVALID_ARGUMENT');
  }
});

test('a member of the wrong type is named in plain words, not in serde\'s', () => {
  const siwe = {
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce: '32891757',
    issuedAt: '2021-09-30T16:25:24.000Z',
  };
  const siws = { domain: 'example.com', address: '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa' };
  const dynamic = { chain: 'SOL', domain: 'app.example', uri: 'https://app.example/', address: siws.address, nonce: 'abcdefgh1234', environmentId: 'env-1' };
  const cases = [
    // [call, field, message, received]
    [() => wl.createSiweMessage({ ...siwe, chainId: '1' }), 'chainId', 'chainId must be a whole number, received string', 'string'],
    [() => wl.createSiweMessage({ ...siwe, chainId: 1.5 }), 'chainId', 'chainId must be a whole number, received 1.5', '1.5'],
    [() => wl.createSiweMessage({ ...siwe, chainId: -1 }), 'chainId', 'chainId must be a whole number, received -1', '-1'],
    [() => wl.createSiweMessage({ ...siwe, chainId: 2 ** 60 }), 'chainId', /^chainId must be a whole number up to 9007199254740991/, '1152921504606847000'],
    [() => wl.createSiweMessage({ ...siwe, nonce: 32891757 }), 'nonce', 'nonce must be a string, received number', 'number'],
    [() => wl.createSiweMessage({ ...siwe, domain: ['service.org'] }), 'domain', 'domain must be a string, received array', 'array'],
    [() => wl.createSiweMessage({ ...siwe, statement: { text: 'x' } }), 'statement', 'statement must be a string, received object', 'object'],
    [() => wl.createSiweMessage({ ...siwe, resources: 'https://a.example' }), 'resources', 'resources must be an array, received string', 'string'],
    [() => wl.createSiweMessage({ ...siwe, resources: ['https://a.example', 7] }), 'resources[1]', 'resources[1] must be a string, received number', 'number'],
    [() => wl.createSiweMessage({ ...siwe, uri: new URL('https://service.org/') }), 'uri', 'uri must be a string, received URL', 'URL'],
    [() => wl.createSolanaSignInMessage({ ...siws, address: bs58.decode(siws.address) }), 'address', 'address must be a string, received Uint8Array', 'Uint8Array'],
    [() => wl.createSolanaSignInMessage({ ...siws, chainId: 1 }), 'chainId', 'chainId must be a string, received number', 'number'],
    [() => wl.createDynamicSignInMessage({ ...dynamic, chain: 1 }), 'chain', 'chain must be a string, received number', 'number'],
    [() => wl.createDynamicSignInMessage({ ...dynamic, chain: 'EVM', chainId: true }), 'chainId', 'chainId must be a whole number, received boolean', 'boolean'],
  ];
  for (const [call, field, message, received] of cases) {
    const e = codeOf(call);
    assert.equal(e.code, 'INVALID_ARGUMENT', e.message);
    assert.equal(e.field, field, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.doesNotMatch(e.message, /invalid type|expected u64|missing field|fields:|input:|params:/, 'serde\'s words');
    let thrown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    assert.equal(thrown.received, received);
  }
  const missing = [
    [() => wl.createSiweMessage({ ...siwe, nonce: null }), 'nonce'],
    [() => wl.createSolanaSignInMessage({ domain: 'example.com' }), 'address'],
    [() => wl.createDynamicSignInMessage({ ...dynamic, environmentId: undefined }), 'environmentId'],
  ];
  for (const [call, field] of missing) {
    const e = codeOf(call);
    assert.deepEqual([e.code, e.field, e.message], ['INVALID_FIELD', field, `${field} is required`]);
  }
});

test('message times accept a Date: the text toISOString() gives, as viem writes it', () => {
  const issuedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const expirationTime = new Date(issuedAt.getTime() + 3_600_000);
  const notBefore = new Date(issuedAt.getTime() - 1);
  const siwe = {
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce: '32891757',
  };
  const withDates = wl.createSiweMessage({ ...siwe, issuedAt, expirationTime, notBefore });
  const withText = wl.createSiweMessage({
    ...siwe,
    issuedAt: issuedAt.toISOString(),
    expirationTime: expirationTime.toISOString(),
    notBefore: notBefore.toISOString(),
  });
  assert.equal(withDates, withText);
  assert.match(withDates, /\nIssued At: 2026-01-02T03:04:05\.678Z\nExpiration Time: 2026-01-02T04:04:05\.678Z\nNot Before: 2026-01-02T03:04:05\.677Z$/);
  assert.equal(withDates, createViemSiweMessage({ ...siwe, address: siwe.address, issuedAt, expirationTime, notBefore }), 'viem, given the same Dates');
  const parsed = wl.parseSiweMessage(withDates);
  assert.deepEqual([parsed.issuedAt, parsed.expirationTime, parsed.notBefore], [issuedAt, expirationTime, notBefore].map((d) => d.toISOString()));

  const siws = { domain: 'example.com', address: '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa', nonce: 'abcdefgh' };
  assert.equal(
    wl.createSolanaSignInMessage({ ...siws, issuedAt, expirationTime, notBefore }),
    wl.createSolanaSignInMessage({ ...siws, issuedAt: issuedAt.toISOString(), expirationTime: expirationTime.toISOString(), notBefore: notBefore.toISOString() }),
  );
  const dynamic = { chain: 'SOL', domain: 'app.example', uri: 'https://app.example/', address: siws.address, nonce: 'abcdefgh1234', environmentId: 'env-1', appName: 'Acme' };
  assert.match(wl.createDynamicSignInMessage({ ...dynamic, issuedAt }), /\nIssued At: 2026-01-02T03:04:05\.678Z\n/);

  // An invalid Date names its field; a Date where text is wanted is a wrong type.
  for (const field of ['issuedAt', 'expirationTime', 'notBefore']) {
    const e = codeOf(() => wl.createSiweMessage({ ...siwe, issuedAt, [field]: new Date('not a date') }));
    assert.deepEqual([e.code, e.field], ['INVALID_FIELD', field], e.message);
    assert.match(e.message, new RegExp(`^${field} must be a valid Date`));
  }
  const wrong = codeOf(() => wl.createSiweMessage({ ...siwe, issuedAt, nonce: new Date() }));
  assert.deepEqual([wrong.code, wrong.field, wrong.message], ['INVALID_ARGUMENT', 'nonce', 'nonce must be a string, received Date']);
  // The caller's object is read, not changed.
  const fields = { ...siwe, issuedAt };
  wl.createSiweMessage(fields);
  assert.equal(fields.issuedAt, issuedAt);
});

test('parse functions name the field and refuse non-strings', () => {
  const text = wl.createSiweMessage({
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce: '32891757',
    issuedAt: '2021-09-30T16:25:24.000Z',
  });
  const cases = [
    [text.replace('0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', '0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2'), 'INVALID_ADDRESS', 'address'],
    [text.replace('Version: 1', 'Version: 2'), 'MESSAGE_PARSE', 'version'],
    [text.replace('Nonce: 32891757\n', ''), 'MESSAGE_PARSE', 'nonce'],
    [`${text}\n`, 'MESSAGE_PARSE', 'expirationTime'],
    [text.replace('Chain ID: 1', 'Chain ID: 01'), 'MESSAGE_PARSE', 'chainId'],
  ];
  for (const [bad, code, field] of cases) {
    const e = codeOf(() => wl.parseSiweMessage(bad));
    assert.deepEqual([e.code, e.field], [code, field], e.message);
  }
  for (const parse of [wl.parseSiweMessage, wl.parseSolanaSignInMessage, wl.parseDynamicSignInMessage]) {
    for (const notText of [undefined, null, 42, {}, new Uint8Array(3)]) {
      assert.equal(codeOf(() => parse(notText)).code, 'INVALID_ARGUMENT');
    }
  }
  const solana = codeOf(() => wl.parseSolanaSignInMessage('solana.com wants you to sign in with your Solana account:\nA'));
  assert.deepEqual([solana.code, solana.field], ['INVALID_ADDRESS', 'address']);
});

// ------------------------------------------------------------------------------------------------
// Helpers.

test(`toChecksumAddress agrees with viem's getAddress (${CASES} random addresses, seed ${SEED + 7})`, () => {
  const r = prng(SEED + 7);
  for (let i = 0; i < CASES; i++) {
    const lower = `0x${hex(r.bytes(20))}`;
    const expected = getAddress(lower);
    assert.equal(wl.toChecksumAddress(lower), expected);
    assert.equal(wl.toChecksumAddress(expected), expected);
    assert.equal(wl.toChecksumAddress(lower.toUpperCase().replace('0X', '0x')), expected);
  }
  for (const bad of ['', '0x', '0x123', `0x${'g'.repeat(40)}`, `${'a'.repeat(40)}`]) {
    const e = codeOf(() => wl.toChecksumAddress(bad));
    assert.deepEqual([e.code, e.field], ['INVALID_ADDRESS', 'address']);
  }
  assert.equal(codeOf(() => wl.toChecksumAddress(undefined)).code, 'INVALID_ARGUMENT');
});

test(`isValidSolanaAddress agrees with @solana/web3.js PublicKey (seed ${SEED + 8})`, () => {
  const r = prng(SEED + 8);
  const web3Accepts = (text) => {
    try {
      new PublicKey(text);
      return true;
    } catch {
      return false;
    }
  };
  const samples = [];
  for (let i = 0; i < CASES; i++) {
    samples.push(solanaAddress(r));
    samples.push(bs58.encode(r.bytes(r.int(0, 40))));
    samples.push(r.string('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl', 30, 46));
  }
  for (const text of samples) assert.equal(wl.isValidSolanaAddress(text), web3Accepts(text), text);
  for (const notText of [undefined, null, 42, {}, new Uint8Array(32)]) assert.equal(wl.isValidSolanaAddress(notText), false);
});

test('generateNonce: 22 alphanumerics from the CSPRNG, all distinct, accepted by siwe', () => {
  const seen = new Set();
  for (let i = 0; i < 1000; i++) {
    const nonce = wl.generateNonce();
    assert.match(nonce, /^[0-9A-Za-z]{22}$/);
    seen.add(nonce);
  }
  assert.equal(seen.size, 1000);
  const nonce = wl.generateNonce();
  const fields = {
    domain: 'service.org',
    address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    uri: 'https://service.org/login',
    version: '1',
    chainId: 1,
    nonce,
    issuedAt: '2021-09-30T16:25:24.000Z',
  };
  assert.equal(new SiweMessage(wl.createSiweMessage(fields)).nonce, nonce);
  // Every character position takes many values (a stuck or biased digit would show here).
  const perPosition = Array.from({ length: 22 }, () => new Set());
  for (const n of seen) Array.from(n).forEach((c, i) => perPosition[i].add(c));
  // The first digit of a 128-bit number in base 62 is at most 7 (62^21 * 8 > 2^128).
  assert.ok(perPosition[0].size <= 8 && perPosition[0].size >= 6, `first digit values: ${perPosition[0].size}`);
  for (const values of perPosition.slice(1)) assert.ok(values.size > 50, `a position took only ${values.size} values`);
});
