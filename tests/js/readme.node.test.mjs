// The README quick start is executed, so it cannot rot (it is also type-checked: scripts/test.sh
// writes it to tests/ts/quickstart.generated.ts before running tsc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { quickStart } from './readme-quickstart.mjs';

test('README quick start runs and prints what it promises', () => {
  const file = fileURLToPath(new URL('./quickstart.generated.mjs', import.meta.url));
  writeFileSync(file, quickStart());
  try {
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
    assert.match(out, /^signed in as 0x[0-9a-fA-F]{40}$/m);
    assert.match(out, /^refused: the message is for example\.com, not evil\.example$/m);
    assert.match(out, /^true$/m);
  } finally {
    rmSync(file, { force: true });
  }
});
