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
