// The size budget (size-budget.json, scripts/sizes.mjs --check): the built entries are within it,
// and an entry over its budget fails the check, naming the entry and both figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const check = (env = {}) => spawnSync(process.execPath, ['scripts/sizes.mjs', '--check'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });

test('the built entries are within size-budget.json', () => {
  const run = check();
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /wallet-linker\/verify: \.wasm \d+ B raw, \d+ B gzip -9/);
});

test('an entry over its budget fails the check', () => {
  const budget = JSON.parse(readFileSync(path.join(root, 'size-budget.json'), 'utf8'));
  budget.entries['wallet-linker/verify'].wasmGzip = 1000;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'budget-')), 'size-budget.json');
  writeFileSync(file, JSON.stringify(budget));
  const run = check({ SIZE_BUDGET: file });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /over budget .*wallet-linker\/verify \.wasm \d+ > 1000/);
  assert.doesNotMatch(run.stderr, /wallet-linker \.wasm/);
});
