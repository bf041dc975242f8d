// Hostile input at the JS boundary: every exported function and constructor, called with values of
// the wrong type, must throw (or reject with) a WalletLinkerError carrying a code — never a
// WebAssembly.RuntimeError ("unreachable"), nor a TypeError from the glue — and failing calls must
// not grow the module's memory.
import { test, assert } from './harness.mjs';
import * as wl from 'wallet-linker';

const throwingGetters = new Proxy({}, {
  get(_, key) {
    if (key === 'then') return undefined;
    throw new Error(`getter ${String(key)} throws`);
  },
  has: () => true,
  ownKeys: () => ['domain', 'address', 'message'],
  getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
});

const HUGE = 'a'.repeat(1 << 20) + 'b';
const BAD_VALUES = [
  ['undefined', undefined],
  ['null', null],
  ['number', 42],
  ['NaN', NaN],
  ['bigint', 10n],
  ['boolean', true],
  ['symbol', Symbol('s')],
  ['empty object', {}],
  ['array', ['a', 1]],
  ['function', () => 1],
  ['1 MiB string', HUGE],
  ['lone surrogate', 'abc\uD800def'],
  ['empty bytes', new Uint8Array(0)],
  ['huge bytes', new Uint8Array((1 << 20) + 1)],
  ['object with throwing getters', throwingGetters],
];

// Functions that take no input or answer any value without throwing.
const TOTAL = new Set(['version', 'errorCodes', 'isWalletLinkerError', 'WalletLinkerError', 'generateNonce', 'initSync']);
// Functions whose first argument is a required string, bytes or options object: every value
// below is of the wrong type for it, so each call must throw our error. The other exports may
// accept some of the values (optional arguments, timeouts, predicates answering false) but must
// never throw anything else.
const STRICT_FIRST_ARGUMENT = new Set([
  'createSiweMessage', 'parseSiweMessage', 'createSolanaSignInMessage', 'parseSolanaSignInMessage',
  'createDynamicSignInMessage', 'parseDynamicSignInMessage', 'toChecksumAddress',
  'recoverEvmAddress', 'verifyEvmSignature', 'verifySolanaSignature', 'verifySiweSignIn',
  'verifySolanaSignIn', 'linkWallet', 'DynamicClient', 'DynamicAdminClient', 'SolanaVerifier',
]);
const ACCEPTABLE_AS_FIRST = new Map([
  // Any plain object is a fine (if empty) options bag when every option is optional.
  ['linkWallet', new Set()],
]);

const isClass = (f) => /^class\b/.test(Function.prototype.toString.call(f));
const exported = Object.entries(wl).filter(([, v]) => typeof v === 'function');

function describe(e) {
  return `${e?.constructor?.name}/${e?.name}: ${e?.message}`;
}

async function outcome(call) {
  // Asynchronous exports must reject promptly on bad input, not wait on anything.
  const deadline = (p) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 5 s')), 5000))]);
  try {
    const value = call();
    if (value && typeof value.then === 'function') await deadline(value);
    return { threw: false };
  } catch (e) {
    return { threw: true, error: e };
  }
}

test('the package exports functions to check', () => {
  assert.ok(exported.length >= 3, `only ${exported.map(([n]) => n)}`);
});

for (const [name, fn] of exported) {
  if (TOTAL.has(name)) continue;
  test(`${name}: wrong types give WalletLinkerError codes`, async () => {
    const arity = Math.max(fn.length, 1);
    for (let position = 0; position < arity; position++) {
      for (const [label, bad] of BAD_VALUES) {
        const args = Array.from({ length: arity }, (_, i) => (i === position ? bad : 'x'));
        const { threw, error } = await outcome(() => (isClass(fn) ? new fn(...args) : fn(...args)));
        if (!threw) {
          const strict = position === 0 && STRICT_FIRST_ARGUMENT.has(name) && !ACCEPTABLE_AS_FIRST.get(name)?.has(label);
          const bytesWhereTextOrBytes = label === 'empty bytes' && /^(recover|verify)(Evm|Solana)Signature$|^recoverEvmAddress$/.test(name);
          assert.ok(!strict || bytesWhereTextOrBytes, `${name} accepted ${label} as its first argument`);
          continue;
        }
        assert.ok(!(error instanceof WebAssembly.RuntimeError), `${name}(${label}@${position}) trapped: ${describe(error)}`);
        assert.equal(wl.isWalletLinkerError(error), true, `${name}(${label}@${position}) threw ${describe(error)}`);
        assert.ok(error instanceof wl.WalletLinkerError && error.name === 'WalletLinkerError', `${name}(${label}@${position}): not an instance`);
        assert.match(error.code, /^[A-Z_0-9]+$/);
      }
    }
  });
}

test('tens of thousands of failing calls do not grow wasm memory', async () => {
  const memory = () => wl.initSync().memory.buffer.byteLength;
  // Synchronous functions only: asynchronous ones (wallet discovery, flows) may wait on timers.
  const callers = exported
    .filter(([n, f]) => !TOTAL.has(n) && !isClass(f))
    .map(([, f]) => f)
    .filter((f) => {
      try {
        const r = f({ domain: 'x' }, 'not-hex', 'zz');
        if (r && typeof r.then === 'function') {
          r.catch(() => {});
          return false;
        }
      } catch {
        // a failing call is what this test repeats
      }
      return true;
    });
  assert.ok(callers.length >= 10, `only ${callers.length} synchronous exports`);
  const round = () => {
    for (let i = 0; i < 2000; i++) {
      for (const f of callers) {
        try {
          f(i % 2 ? undefined : { domain: 'x', message: 7 }, 'not-hex', 'zz');
        } catch {
          // expected
        }
      }
    }
  };
  round(); // warm-up: the allocator reaches its working size
  const before = memory();
  for (let r = 0; r < 5; r++) round();
  const after = memory();
  assert.ok(after <= before, `memory grew from ${before} to ${after} bytes`);
});

// Options objects: every member given a value of the wrong type is named in `field` (its path for a
// nested one) with a message in plain words, never serde's text naming the whole object.
const SERDE_WORDS = /invalid type|expected (u8|u16|u32|u64|i64|f64|a string|a sequence|a boolean|struct)|missing field|unknown variant|Couldn't deserialize/;
const OPTION_CALLS = [
  ['createSiweMessage', (o) => wl.createSiweMessage(o), {
    scheme: 'https', domain: 'service.org', address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', statement: 'I accept',
    uri: 'https://service.org/login', version: '1', chainId: 1, nonce: '32891757', issuedAt: '2021-09-30T16:25:24.000Z',
    expirationTime: '2031-09-30T16:25:24.000Z', notBefore: '2021-09-30T16:25:24.000Z', requestId: 'r1', resources: ['https://service.org/a'],
  }],
  ['createSolanaSignInMessage', (o) => wl.createSolanaSignInMessage(o), {
    domain: 'example.com', address: '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa', statement: 'Sign in', uri: 'https://example.com',
    version: '1', chainId: 'mainnet', nonce: 'abcdefgh', issuedAt: '2021-09-30T16:25:24.000Z', expirationTime: '2031-09-30T16:25:24.000Z',
    notBefore: '2021-09-30T16:25:24.000Z', requestId: 'r1', resources: ['https://example.com/a'],
  }],
  ['createDynamicSignInMessage', (o) => wl.createDynamicSignInMessage(o), {
    chain: 'EVM', domain: 'app.example', address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', statement: 'Sign in', appName: 'Acme',
    uri: 'https://app.example/', chainId: 1, nonce: 'abcdefgh1234', issuedAt: '2025-01-01T00:00:00Z', environmentId: 'env-1',
    resources: ['https://app.example/a'],
  }],
  ['verifySiweSignIn', (o) => wl.verifySiweSignIn(o), {
    message: 'text', signature: `0x${'11'.repeat(65)}`, domain: 'example.com', nonce: 'abcdefgh', now: 0, address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
    chainId: 1, uri: 'https://example.com', scheme: 'https', clockSkewSeconds: 60, maxAgeSeconds: 300,
  }],
  ['verifySolanaSignIn', (o) => wl.verifySolanaSignIn(o), {
    message: 'text', signature: new Uint8Array(64), publicKey: '5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa', domain: 'example.com',
    nonce: 'abcdefgh', now: 0, chainId: 'mainnet', uri: 'https://example.com', clockSkewSeconds: 60, maxAgeSeconds: 300,
  }],
  ['linkWallet', (o) => wl.linkWallet(o), {
    dynamic: { getNonce: async () => 'abcdefgh1234', verify: async () => ({}), verifyLink: async () => ({}) },
    signMessage: () => '0x', chain: 'EVM', address: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2', walletName: 'w',
    walletProvider: 'browserExtension', environmentId: 'env', messageFormat: 'dynamic', mode: 'signIn', appName: 'Acme',
    statement: 'Sign in', domain: 'example.com', uri: 'https://example.com/', chainId: 1, signal: new AbortController().signal,
    snag: { client: { connectWallet: async () => ({}) }, websiteId: 'w', organizationId: 'o', userId: 'u', proof: 'signature', confirmDisconnect: false },
  }],
];

/** A value of another type than `valid`'s (the members that take several types get an object). */
const otherType = (valid) => (typeof valid === 'number' ? 'text' : typeof valid === 'boolean' ? 'yes' : 42);

/** Every member path of `options` with its value (plain objects are entered, arrays are not). */
function members(options, prefix = '') {
  return Object.entries(options).flatMap(([key, value]) => {
    const path = `${prefix}${key}`;
    const nested = value && Object.getPrototypeOf(value) === Object.prototype && !['dynamic', 'client'].includes(key);
    return [[path, value], ...(nested ? members(value, `${path}.`) : [])];
  });
}

function withMember(options, path, value) {
  const [head, ...rest] = path.split('.');
  return { ...options, [head]: rest.length ? withMember(options[head], rest.join('.'), value) : value };
}

for (const [name, call, valid] of OPTION_CALLS) {
  test(`${name}: a member of the wrong type is named, in plain words`, async () => {
    // `snag.client` is duck-typed when the Snag step runs, after the wallet has signed.
    for (const [path, value] of members(valid).filter(([path]) => path !== 'snag.client')) {
      // A plain object is of the wrong type unless the member holds an object (a client, a signal).
      const bads = value !== null && (typeof value === 'object' || typeof value === 'function') ? [otherType(value)] : [{ nested: true }, otherType(value)];
      for (const bad of bads) {
        const { threw, error } = await outcome(() => call(withMember(valid, path, bad)));
        const label = `${name}({ ${path}: ${JSON.stringify(bad)} })`;
        assert.ok(threw, `${label} was accepted`);
        assert.equal(wl.isWalletLinkerError(error), true, `${label} threw ${describe(error)}`);
        assert.ok(error.field === path || error.field.startsWith(`${path}.`), `${label}: field ${error.field} (${error.message})`);
        assert.ok(error.message.startsWith(error.field), `${label}: ${error.message}`);
        assert.doesNotMatch(error.message, SERDE_WORDS, label);
      }
    }
  });
}
