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
