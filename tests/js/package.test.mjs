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
  assert.ok(thrown instanceof wl.WalletLinkerError);
  assert.equal(wl.isWalletLinkerError(thrown), true);
  assert.equal(thrown.name, 'WalletLinkerError');
  assert.equal(thrown.code, 'INVALID_ARGUMENT');
  assert.equal(thrown.field, 'address');
  assert.equal(typeof thrown.message, 'string');
  assert.match(String(thrown.stack), /^WalletLinkerError: /, 'the stack names the class');
});

test('an Error merely named WalletLinkerError is not one', () => {
  const named = Object.assign(new Error('forged'), { name: 'WalletLinkerError', code: 'INTERNAL' });
  assert.equal(wl.isWalletLinkerError(named), false);
  assert.equal(named instanceof wl.WalletLinkerError, false);
  class Lookalike extends Error {}
  Lookalike.prototype.name = 'WalletLinkerError';
  assert.equal(wl.isWalletLinkerError(Object.assign(new Lookalike('x'), { code: 'EXPIRED' })), false);
  // Even an object on the class's prototype chain lacks the brand that only the constructor sets.
  assert.equal(wl.isWalletLinkerError(Object.create(wl.WalletLinkerError.prototype)), false);
  for (const value of [null, 'WalletLinkerError', 42, {}, []]) assert.equal(wl.isWalletLinkerError(value), false);
});

test('WalletLinkerError is an exported class a caller can construct', () => {
  assert.equal(typeof wl.WalletLinkerError, 'function');
  const cause = new TypeError('underlying');
  const e = new wl.WalletLinkerError('HTTP_ERROR', 'the service failed', { status: 503, apiCode: 'busy', field: 'nonce', step: 'nonce', cause });
  assert.ok(e instanceof Error && e instanceof wl.WalletLinkerError);
  assert.equal(wl.isWalletLinkerError(e), true);
  assert.equal(e.name, 'WalletLinkerError');
  assert.equal(e.message, 'the service failed');
  assert.deepEqual({ code: e.code, status: e.status, apiCode: e.apiCode, field: e.field, step: e.step },
    { code: 'HTTP_ERROR', status: 503, apiCode: 'busy', field: 'nonce', step: 'nonce' });
  assert.equal(e.cause, cause);
  assert.equal('expected' in e, false, 'absent details are absent');
  assert.deepEqual(Object.keys(new wl.WalletLinkerError('EXPIRED', 'x')), ['code']);
});

test('rejections are instances too, and a callback can throw one through the package', async () => {
  const address = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
  const options = (signMessage) => ({
    domain: 'example.com', uri: 'https://example.com/', environmentId: 'env', chain: 'EVM', address, walletName: 'w',
    dynamic: { getNonce: async () => 'abcdef0123456789', verify: () => assert.fail('not reached'), verifyLink: () => assert.fail('not reached') },
    signMessage,
  });
  const rejection = async (promise) => {
    try {
      await promise;
    } catch (e) {
      return e;
    }
    assert.fail('expected a rejection');
  };
  // The package's own error, thrown by the wallet callback, keeps its code.
  const own = await rejection(wl.linkWallet(options(() => { throw new wl.WalletLinkerError('WALLET_NOT_FOUND', 'no signer'); })));
  assert.ok(own instanceof wl.WalletLinkerError);
  assert.equal(own.code, 'WALLET_NOT_FOUND');
  assert.equal(own.step, 'sign');
  // An error that only borrows the name is the wallet's failure, not a code of ours.
  const forged = Object.assign(new Error('forged'), { name: 'WalletLinkerError', code: 'WALLET_NOT_FOUND' });
  const wrapped = await rejection(wl.linkWallet(options(() => { throw forged; })));
  assert.ok(wrapped instanceof wl.WalletLinkerError);
  assert.notEqual(wrapped, forged);
  assert.equal(wrapped.code, 'WALLET_ERROR');
  assert.equal(wrapped.step, 'sign');
  assert.match(wrapped.message, /forged/);
});

/** A file of the installed package, next to its entry: read from disk in Node, fetched in a page. */
async function packageFile(name) {
  const url = new URL(name, import.meta.resolve('wallet-linker'));
  if (url.protocol === 'file:') {
    const fs = 'node:fs/promises'; // not resolved by the browser bundle
    const { readFile } = await import(fs);
    return readFile(url, 'utf8');
  }
  const response = await fetch(url);
  assert.equal(response.status, 200, `${url}: HTTP ${response.status}`);
  return response.text();
}

test(`the package ships both licenses it declares (${platform})`, async () => {
  const manifest = JSON.parse(await packageFile('package.json'));
  assert.equal(manifest.license, 'MIT OR Apache-2.0');
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) assert.ok(manifest.files.includes(file), `${file} not in "files"`);
  const mit = await packageFile('LICENSE-MIT');
  assert.match(mit, /^MIT License\n\nCopyright \(c\) 2026 The wallet-linker authors\n/);
  assert.match(mit, /Permission is hereby granted, free of charge, to any person obtaining a copy/);
  assert.match(mit, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  const apache = await packageFile('LICENSE-APACHE');
  assert.match(apache, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(apache, /9\. Accepting Warranty or Additional Liability\./);
  assert.match(apache, /END OF TERMS AND CONDITIONS\s*$/);
});

test(`the package's README is the user-facing part (${platform})`, async () => {
  const readme = await packageFile('README.md');
  for (const heading of ['## Install', '## API', '## Error codes', '## Backend', '## Security', '## Design notes']) {
    assert.ok(readme.split('\n').includes(heading), `missing ${heading}`);
  }
  assert.match(readme, /`linkWallet\(options\): Promise<LinkResult>`/);
  assert.match(readme, /\| `INVALID_ARGUMENT` \|/, 'the error code table');
  assert.doesNotMatch(readme, /\.\/dev\b/, 'development commands');
  assert.doesNotMatch(readme, /^## Development/m);
  assert.doesNotMatch(readme, /^Layout:/m);
  assert.doesNotMatch(readme, /docs\/bench\.svg/, 'the chart is not in the package');
  assert.doesNotMatch(readme, /<!--/, 'tooling markers');
  assert.doesNotMatch(readme, /\n\n\n/);
});
