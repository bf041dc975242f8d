// Browser stand-in for harness.mjs: the subset of node:test and node:assert/strict the suite uses.
// The browser runner (browser.node.test.mjs) bundles the suite with this file and reads
// `globalThis.__suite` when the run is over.

export const platform = 'browser';

const registered = [];
export function test(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  registered.push({ name, options: options ?? {}, fn });
}

async function runOne(name, fn, results) {
  const started = performance.now();
  const context = {
    name,
    diagnostic: () => {},
    test: async (subName, subOptions, subFn) => {
      if (typeof subOptions === 'function') subFn = subOptions;
      await runOne(`${name} > ${subName}`, subFn, results);
    },
  };
  try {
    await fn(context);
    results.push({ name, ok: true, ms: performance.now() - started });
  } catch (error) {
    results.push({
      name,
      ok: false,
      ms: performance.now() - started,
      error: `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}\n${error?.stack ?? ''}`,
    });
  }
}

export async function runRegistered() {
  const results = [];
  for (const { name, options, fn } of registered) {
    if (options.skip) {
      results.push({ name, ok: false, error: 'skipped tests are not allowed in this suite' });
      continue;
    }
    await runOne(name, fn, results);
  }
  return results;
}

class AssertionError extends Error {
  constructor(message, actual, expected) {
    super(message);
    this.name = 'AssertionError';
    this.actual = actual;
    this.expected = expected;
  }
}

const show = (v) => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? `${v}n` : JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? `${x}n` : x instanceof Uint8Array ? Array.from(x) : x));
  } catch {
    return String(v);
  }
};

function isDeepStrictEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !isDeepStrictEqual(v, b.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    if (a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (const k of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !isDeepStrictEqual(a[k], b[k])) return false;
  }
  if (a instanceof Error) return a.message === b.message && a.name === b.name;
  return true;
}

function matchesExpected(error, expected, message) {
  if (expected === undefined) return;
  if (expected instanceof RegExp) {
    if (!expected.test(String(error?.message ?? error)) && !expected.test(String(error))) {
      throw new AssertionError(message ?? `error ${show(String(error))} does not match ${expected}`);
    }
    return;
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return;
    if (Error.isPrototypeOf(expected) || expected === Error) {
      throw new AssertionError(message ?? `error is not an instance of ${expected.name}`);
    }
    if (expected.call({}, error) !== true) {
      throw new AssertionError(message ?? 'the validation function did not return true');
    }
    return;
  }
  if (typeof expected === 'object' && expected !== null) {
    for (const [key, value] of Object.entries(expected)) {
      const actual = error?.[key];
      const ok = value instanceof RegExp && typeof actual === 'string' ? value.test(actual) : isDeepStrictEqual(actual, value);
      if (!ok) {
        throw new AssertionError(
          message ?? `error.${key}: expected ${show(value)}, received ${show(actual)} (message: ${error?.message})`,
          actual,
          value,
        );
      }
    }
  }
}

function assert(value, message) {
  if (!value) throw new AssertionError(message ?? `expected a truthy value, received ${show(value)}`);
}
assert.ok = assert;
assert.AssertionError = AssertionError;
assert.fail = (message = 'failed') => {
  throw new AssertionError(message);
};
assert.equal = assert.strictEqual = (actual, expected, message) => {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(message ?? `expected ${show(expected)}, received ${show(actual)}`, actual, expected);
  }
};
assert.notEqual = assert.notStrictEqual = (actual, expected, message) => {
  if (Object.is(actual, expected)) throw new AssertionError(message ?? `expected a value other than ${show(expected)}`);
};
assert.deepEqual = assert.deepStrictEqual = (actual, expected, message) => {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new AssertionError(message ?? `not deep-equal:\n  received ${show(actual)}\n  expected ${show(expected)}`, actual, expected);
  }
};
assert.notDeepEqual = assert.notDeepStrictEqual = (actual, expected, message) => {
  if (isDeepStrictEqual(actual, expected)) throw new AssertionError(message ?? `expected values to differ: ${show(actual)}`);
};
assert.match = (string, regexp, message) => {
  if (typeof string !== 'string' || !regexp.test(string)) {
    throw new AssertionError(message ?? `${show(string)} does not match ${regexp}`);
  }
};
assert.doesNotMatch = (string, regexp, message) => {
  if (typeof string !== 'string' || regexp.test(string)) {
    throw new AssertionError(message ?? `${show(string)} matches ${regexp}`);
  }
};
assert.throws = (fn, expected, message) => {
  if (typeof expected === 'string') [message, expected] = [expected, undefined];
  let threw = false;
  let error;
  try {
    fn();
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) throw new AssertionError(message ?? 'missing expected exception');
  matchesExpected(error, expected, message);
};
assert.doesNotThrow = (fn, message) => {
  try {
    fn();
  } catch (e) {
    throw new AssertionError(`${message ?? 'got an unwanted exception'}: ${e?.message ?? e}`);
  }
};
assert.rejects = async (promiseOrFn, expected, message) => {
  if (typeof expected === 'string') [message, expected] = [expected, undefined];
  let threw = false;
  let error;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    threw = true;
    error = e;
  }
  if (!threw) throw new AssertionError(message ?? 'missing expected rejection');
  matchesExpected(error, expected, message);
};
assert.doesNotReject = async (promiseOrFn, message) => {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    throw new AssertionError(`${message ?? 'got an unwanted rejection'}: ${e?.message ?? e}`);
  }
};
export { assert };
