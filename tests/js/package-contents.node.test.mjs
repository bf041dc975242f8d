// What `npm publish` would upload from pkg/: `npm pack --dry-run` lists it (no network needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageReadme } from '../../scripts/package-readme.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `${root}pkg`;

test('npm pack includes the licenses, the user README and every entry', () => {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8' }));
  const files = packed.files.map((f) => f.path);
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE', 'README.md', 'package.json', 'index.js', 'node.js', 'workerd.js',
    'index.d.ts', 'server.js', 'server.d.ts', 'wallet_linker.js', 'wallet_linker_bg.wasm',
    'verify/index.js', 'verify/node.js', 'verify/workerd.js', 'verify/index.d.ts', 'verify/wallet_linker.js',
    'verify/wallet_linker_bg.wasm']) {
    assert.ok(files.includes(file), `${file} is not in the package: ${files.join(', ')}`);
  }
  for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.equal(readFileSync(`${pkg}/${file}`, 'utf8'), readFileSync(`${root}${file}`, 'utf8'), `${file} differs from the repository's`);
  }
  assert.equal(readFileSync(`${pkg}/README.md`, 'utf8'), packageReadme(readFileSync(`${root}README.md`, 'utf8')), 'pkg/README.md is stale');
});

test('the package README leaves out exactly the marked parts', () => {
  const readme = [
    '# t', '', 'kept', '<!-- quick-start:begin (a marker) -->', '```ts', 'code', '```', '<!-- quick-start:end -->', '',
    '<!-- package:omit:begin (dev) -->', '## Development', '', './dev test', '<!-- package:omit:end -->', '', '', 'tail', '',
  ].join('\n');
  assert.equal(packageReadme(readme), '# t\n\nkept\n```ts\ncode\n```\n\ntail\n');
  assert.throws(() => packageReadme('<!-- package:omit:begin -->\nx\n'), /not closed/);
  assert.throws(() => packageReadme('x\n<!-- package:omit:end -->\n'), /without a begin/);
  assert.throws(() => packageReadme('<!-- package:omit:begin -->\n<!-- package:omit:begin -->\n'), /inside/);
});
