// The package as a user gets it: import, error model, exported names.
import { test, assert, platform } from './harness.mjs';
import * as wl from 'wallet-linker';

test(`package imports and initialises itself (${platform})`, () => {
  assert.equal(typeof wl.version, 'function');
  assert.match(wl.version(), /^\d+\.\d+\.\d+/);
  assert.equal(wl.default, undefined, 'no default export: the package initialises on import');
});

test('errorCodes lists unique SCREAMING_SNAKE_CASE codes, including the documented ones', () => {
  const codes = wl.errorCodes();
  assert.ok(Array.isArray(codes));
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^[A-Z][A-Z0-9_]*$/);
  for (const code of ['INVALID_HEX', 'INVALID_ADDRESS', 'INVALID_SIGNATURE_LENGTH', 'MESSAGE_PARSE', 'EXPIRED',
    'DOMAIN_MISMATCH', 'NONCE_MISMATCH', 'HTTP_ERROR', 'TIMEOUT', 'NETWORK', 'ABORTED']) {
    assert.ok(codes.includes(code), `missing ${code}`);
  }
});

test('isWalletLinkerError tells our errors from others', () => {
  assert.equal(wl.isWalletLinkerError(new Error('x')), false);
  assert.equal(wl.isWalletLinkerError(undefined), false);
  assert.equal(wl.isWalletLinkerError({ name: 'WalletLinkerError', code: 'INTERNAL' }), false, 'a plain object is not an Error');
  let thrown;
  try {
    wl.toChecksumAddress(undefined);
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof Error);
  assert.equal(wl.isWalletLinkerError(thrown), true);
  assert.equal(thrown.name, 'WalletLinkerError');
  assert.equal(thrown.code, 'INVALID_ARGUMENT');
  assert.equal(typeof thrown.message, 'string');
});
