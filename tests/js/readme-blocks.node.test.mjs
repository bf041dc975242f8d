// The README's code and API tables against what tsc checks (scripts/test.sh, TypeScript step):
// every ts/js block becomes a module of tests/ts/readme/ (readme-blocks.mjs), and every function
// and method of the API tables is called in tests/ts/documented-calls.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AMBIENT, moduleFor, readmeBlocks } from './readme-blocks.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const documented = readFileSync(new URL('../ts/documented-calls.ts', import.meta.url), 'utf8');

test('every ts and js block of the README is taken, the quick start and the backends included', () => {
  const blocks = readmeBlocks(readme);
  const fences = readme.split('\n').filter((line) => /^```(ts|js)\s*$/.test(line)).length;
  assert.equal(blocks.length, fences);
  assert.ok(blocks.length >= 8, `only ${blocks.length} blocks`);
  assert.ok(blocks.some((b) => b.lang === 'ts' && b.code.includes('verifySiweSignIn({ message, signature, domain')), 'the quick start');
  assert.ok(blocks.some((b) => b.lang === 'js' && b.code.includes('toNodeHandler(')), 'the Node server');
  assert.ok(blocks.some((b) => b.lang === 'js' && b.code.includes('export default')), 'the Worker');
  assert.deepEqual(readmeBlocks('text\n```ts\nconst a = 1;\n```\n```sh\nls\n```\n```js\nb();\n```\n').map((b) => [b.lang, b.line]), [['ts', 2], ['js', 8]]);
  assert.throws(() => readmeBlocks('```ts\nopen'), /unclosed/);
});

test('a block gets the package imports and placeholders it leaves out, nothing it declares', () => {
  const exports = { 'wallet-linker': ['LinkServerClient', 'linkWallet', 'version'], 'wallet-linker/server': ['createLinkServer', 'version'] };
  const ts = moduleFor({ lang: 'ts', line: 7, code: "const server = new LinkServerClient({ baseUrl: '/x', authToken: dynamicJwt });\nconst x = server.version;" }, exports);
  assert.match(ts, /^import \{ LinkServerClient \} from 'wallet-linker';$/m);
  assert.doesNotMatch(ts, /linkWallet|createLinkServer/, 'unused exports are not imported');
  assert.doesNotMatch(ts, /import \{[^}]*version/, 'a property is not a use');
  assert.match(ts, /^declare const dynamicJwt: string;$/m);
  assert.match(ts, /\nexport \{\};\n$/, 'each block is a module of its own');
  const imported = moduleFor({ lang: 'ts', line: 1, code: "import { createLinkServer } from 'wallet-linker/server';\nconst token = 't';\ncreateLinkServer({ token });" }, exports);
  assert.doesNotMatch(imported, /^import \{ createLinkServer \}.*\n[\s\S]*^import \{ createLinkServer \}/m);
  assert.doesNotMatch(imported, /declare const token/, 'declared in the block');
  const js = moduleFor({ lang: 'js', line: 1, code: 'linkWallet({ environmentId });' }, exports);
  assert.match(js, /\/\*\* @type \{string\} \*\/\nconst environmentId = /);
  assert.deepEqual(Object.values(AMBIENT).filter((t) => t !== 'string'), []);
});

/**
 * The names called in the API section (`name(` inside backticks): the signature column of its
 * tables (both columns where the second lists methods: Services, Flow and wallets) and the
 * Helpers line.
 */
function apiNames() {
  const api = readme.split('\n## API')[1].split('\n## Error codes')[0];
  const names = new Set();
  let heading = '';
  for (const line of api.split('\n')) {
    let cells = [];
    if (line.startsWith('### ')) {
      heading = line.slice(4);
    } else if (line.startsWith('|') && !/^\| (function|class) \|/.test(line)) {
      const columns = ['Services', 'Flow and wallets'].includes(heading) ? 2 : 1;
      cells = line.split(/(?<!\\)\|/).slice(1, 1 + columns);
    } else if (heading === 'Helpers' && line.startsWith('`')) {
      cells = [line];
    }
    for (const cell of cells) {
      for (const [, code] of cell.matchAll(/`([^`]+)`/g)) {
        for (const [, name] of code.matchAll(/(?:^|[\s.(!])(?:new\s+)?([A-Za-z][A-Za-z0-9]*)\(/g)) names.add(name);
      }
    }
  }
  return [...names];
}

test('documented-calls.ts calls every function and method of the API tables', () => {
  const names = apiNames();
  for (const expected of ['createSiweMessage', 'DynamicClient', 'bulkCreateUsers', 'setAuthToken', 'fromEip1193', 'signIn', 'isWalletLinkerError']) {
    assert.ok(names.includes(expected), `the README's tables no longer name ${expected}: ${names.join(', ')}`);
  }
  const missing = names.filter((name) => !new RegExp(`\\b${name}\\(`).test(documented));
  assert.deepEqual(missing, [], 'called nowhere in tests/ts/documented-calls.ts');
  // The forms the README documents as optional or nullable, written as documented.
  for (const form of [/\.bulkCreateUsers\(users\)/, /\.bulkCreateUsers\(users, \{ upsert: true \}\)/, /\.setAuthToken\(null\)/,
    /discoverEvmWallets\(\)/, /discoverSolanaWallets\(\)/, /WalletAdapter\.fromEip1193\(provider\)/, /createSiweMessage\(\{[^}]*issuedAt: new Date\(\)/]) {
    assert.match(documented, form);
  }
});
