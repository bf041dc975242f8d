// contracts/: the committed build output is what the pinned solc makes of the sources
// (`scripts/compile-contracts.mjs --check`), and the deployless SignatureValidator gives the
// expected one-byte answer on a fresh Anvil for every case of the smart-account table and for
// input built to break it (bad lengths, v values, high s, malformed EIP-6492 wrappers, odd
// EIP-1271 answers, random bytes). Called the way wallet-linker calls it: eth_call, no `to`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  concatHex,
  encodeAbiParameters,
  encodeFunctionData,
  hashMessage,
  numberToHex,
  parseSignature,
  recoverAddress,
  serializeCompactSignature,
  signatureToCompactSignature,
  toHex,
  zeroAddress,
} from 'viem';

import {
  ERC6492_MAGIC,
  MESSAGE,
  callValidator,
  deployRuntime,
  loadBuiltContracts,
  setUpCases,
  startAnvil,
  validatorCallData,
  wrap6492,
} from './anvil-harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, 'scripts/compile-contracts.mjs');
const started = performance.now();

describe('compiled contracts are up to date', () => {
  test('scripts/compile-contracts.mjs --check: contracts/build is what the pinned solc makes now', () => {
    const t = performance.now();
    const run = spawnSync(process.execPath, [script, '--check'], { cwd: root, encoding: 'utf8' });
    console.log(`compile-contracts --check: ${(performance.now() - t).toFixed(0)} ms`);
    assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);

    const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.solc;
    assert.match(pinned, /^0\.8\.\d+$/, 'solc is pinned to one exact 0.8.x version');
    const built = loadBuiltContracts();
    assert.ok(built.solc.startsWith(`${pinned}+commit.`), `built with solc ${built.solc}, package.json pins ${pinned}`);
    assert.deepEqual(Object.keys(built.contracts).sort(), ['SignatureValidator', 'TestAccountFactory', 'TestSmartAccount']);

    const hex = readFileSync(path.join(root, 'contracts/build/SignatureValidator.hex'), 'utf8');
    assert.match(hex, /^[0-9a-f]+\n$/, 'lowercase hex, no 0x, one line with a trailing newline');
    assert.equal(`0x${hex.trim()}`, built.contracts.SignatureValidator.bytecode);
  });

  test('--check exits 1 and names the file when a committed file is stale', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wl-contracts-'));
    try {
      for (const f of ['SignatureValidator.hex', 'test-contracts.json']) copyFileSync(path.join(root, 'contracts/build', f), path.join(dir, f));
      const hexFile = path.join(dir, 'SignatureValidator.hex');
      writeFileSync(hexFile, readFileSync(hexFile, 'utf8').replace(/^../, '00'));
      const run = spawnSync(process.execPath, [script, '--check', '--build-dir', dir], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 1, `${run.stdout}${run.stderr}`);
      assert.match(run.stderr, /SignatureValidator\.hex differs/);
      assert.doesNotMatch(run.stderr, /test-contracts\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deployless SignatureValidator on Anvil (eth_call, no `to`)', () => {
  let env;
  let setup;
  before(async () => {
    env = await startAnvil();
    console.log(`anvil started in ${env.startMs.toFixed(0)} ms`);
    const t = performance.now();
    setup = await setUpCases(env);
    console.log(`contracts and Safe deployed in ${(performance.now() - t).toFixed(0)} ms`);
  });
  after(async () => {
    await env?.stop();
    console.log(`contracts.node.test.mjs: ${(performance.now() - started).toFixed(0)} ms`);
  });

  /** Asserts the validator's answer for `signature` by `address` over MESSAGE (or `hash`). */
  async function expectAnswer(expected, { address, signature, hash = hashMessage(MESSAGE) }) {
    const data = await callValidator(env, { address, hash, signature });
    assert.equal(data, expected ? '0x01' : '0x00');
  }

  test('the case table', async (t) => {
    for (const c of setup.cases) {
      await t.test(c.name, async () => {
        assert.equal(await callValidator(env, c), c.expected ? '0x01' : '0x00');
      });
    }
  });

  describe('ECDSA (signer without code)', () => {
    test('v as 0/1 is accepted like 27/28', async () => {
      const sig = await setup.owner.signMessage({ message: MESSAGE });
      const v = parseInt(sig.slice(-2), 16);
      await expectAnswer(true, { address: setup.owner.address, signature: `${sig.slice(0, -2)}${toHex(v - 27, { size: 1 }).slice(2)}` });
    });

    test('EIP-2098 compact r‖vs (64 bytes) is accepted, both parities', async () => {
      const parities = new Set();
      for (let i = 0; parities.size < 2 && i < 32; i += 1) {
        const message = `${MESSAGE} #${i}`;
        const sig = await setup.owner.signMessage({ message });
        const { yParity } = parseSignature(sig);
        if (parities.has(yParity)) continue;
        parities.add(yParity);
        const compact = serializeCompactSignature(signatureToCompactSignature(parseSignature(sig)));
        assert.equal((compact.length - 2) / 2, 64);
        await expectAnswer(true, { address: setup.owner.address, signature: compact, hash: hashMessage(message) });
      }
      assert.equal(parities.size, 2);
    });

    test('high s (the malleated twin of a valid signature) is rejected (EIP-2)', async () => {
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const sig = await setup.owner.signMessage({ message: MESSAGE });
      const { r, s, yParity } = parseSignature(sig);
      const highS = numberToHex(n - BigInt(s), { size: 32 });
      const twin = concatHex([r, highS, toHex(yParity === 0 ? 28 : 27, { size: 1 })]);
      // The twin recovers to the same key with plain ecrecover: only the s check rejects it.
      const hash = hashMessage(MESSAGE);
      let recovered;
      try {
        recovered = await recoverAddress({ hash, signature: twin });
      } catch {
        recovered = undefined; // a library that refuses high s itself
      }
      if (recovered) assert.equal(recovered, setup.owner.address);
      await expectAnswer(false, { address: setup.owner.address, signature: twin });
    });

    test('v other than 0, 1, 27, 28 is rejected', async () => {
      const sig = await setup.owner.signMessage({ message: MESSAGE });
      for (const v of [2, 26, 29, 0x1b + 0x80]) {
        await expectAnswer(false, { address: setup.owner.address, signature: `${sig.slice(0, -2)}${toHex(v, { size: 1 }).slice(2)}` });
      }
    });

    test('wrong lengths are 0x00, not a revert', async () => {
      const sig = await setup.owner.signMessage({ message: MESSAGE });
      for (const signature of ['0x', '0x00', sig.slice(0, 2 + 63 * 2), `${sig}00`, `${sig}${sig.slice(2)}`, ERC6492_MAGIC]) {
        await expectAnswer(false, { address: setup.owner.address, signature });
      }
    });

    test('the zero address never validates (ecrecover failure returns 0)', async () => {
      await expectAnswer(false, { address: zeroAddress, signature: `0x${'00'.repeat(64)}1b` });
      await expectAnswer(false, { address: zeroAddress, signature: `0x${'00'.repeat(64)}` });
    });
  });

  describe('EIP-1271 answers', () => {
    // Runtime code: return `size` bytes of memory after MSTORE(0, word).
    const answer = (wordHex, size) => `7f${wordHex}60005260${toHex(size, { size: 1 }).slice(2)}6000f3`;
    const revertRuntime = '60006000fd';

    test('a 4-byte answer, even the magic value, is not valid (fewer than 32 bytes)', async () => {
      const signer = await deployRuntime(env, env.walletClients[0], answer(`1626ba7e${'00'.repeat(28)}`, 4));
      await expectAnswer(false, { address: signer, signature: '0x1234' });
    });

    test('the magic value as an ABI bytes4 word is valid; with dirty low bytes it is not', async () => {
      // viem's and Ambire's validators decode a bytes4, which refuses non-zero padding.
      const clean = await deployRuntime(env, env.walletClients[0], answer(`1626ba7e${'00'.repeat(28)}`, 32));
      await expectAnswer(true, { address: clean, signature: '0x' });
      const dirty = await deployRuntime(env, env.walletClients[0], answer(`1626ba7e${'ab'.repeat(28)}`, 32));
      await expectAnswer(false, { address: dirty, signature: '0x' });
    });

    test('another value, or a revert, is not valid', async () => {
      const other = await deployRuntime(env, env.walletClients[0], answer(`ffffffff${'00'.repeat(28)}`, 32));
      await expectAnswer(false, { address: other, signature: '0x' });
      const magicLow = await deployRuntime(env, env.walletClients[0], answer(`${'00'.repeat(28)}1626ba7e`, 32));
      await expectAnswer(false, { address: magicLow, signature: '0x' });
      const reverting = await deployRuntime(env, env.walletClients[0], revertRuntime);
      await expectAnswer(false, { address: reverting, signature: '0x' });
      // A contract without isValidSignature (the factory): reverts, so 0x00.
      await expectAnswer(false, { address: setup.accounts.factory, signature: await setup.owner.signMessage({ message: MESSAGE }) });
    });
  });

  describe('malformed EIP-6492 wrappers are 0x00, not a revert', () => {
    const word = (n) => numberToHex(n, { size: 32 }).slice(2);

    test('too short, bad address word, offsets and lengths out of range', async () => {
      const { cases, accounts } = setup;
      const valid = cases.find((c) => c.name === 'EIP-6492 undeployed, valid');
      const body = valid.signature.slice(0, -64); // without the magic
      const address = valid.address;
      const bad = {
        'magic only': ERC6492_MAGIC,
        '95 bytes then magic': `0x${'00'.repeat(95)}${ERC6492_MAGIC.slice(2)}`,
        'address word with high bits': `0x01${body.slice(4)}${ERC6492_MAGIC.slice(2)}`,
        'truncated body': `${body.slice(0, -80)}${ERC6492_MAGIC.slice(2)}`,
        'first offset past the end': `0x${word(BigInt(accounts.factory))}${word(1n << 20n)}${word(0x60n)}${word(0n)}${ERC6492_MAGIC.slice(2)}`,
        'offset near 2^256': `0x${word(BigInt(accounts.factory))}${word((1n << 256n) - 32n)}${word(0x60n)}${word(0n)}${ERC6492_MAGIC.slice(2)}`,
        'length 2^256-1': `0x${word(BigInt(accounts.factory))}${word(0x60n)}${word(0x60n)}${word((1n << 256n) - 1n)}${ERC6492_MAGIC.slice(2)}`,
        'length one past the end': `0x${word(BigInt(accounts.factory))}${word(0x60n)}${word(0x60n)}${word(1n)}${ERC6492_MAGIC.slice(2)}`,
      };
      for (const [name, signature] of Object.entries(bad)) {
        const data = await callValidator(env, { address, hash: hashMessage(MESSAGE), signature });
        assert.equal(data, '0x00', name);
      }
      // Decodes (two empty byte strings at one offset, as abi.decode allows), then the factory
      // rejects the empty calldata: 0x00 all the same.
      const emptyBoth = `0x${word(BigInt(accounts.factory))}${word(0x60n)}${word(0x60n)}${word(0n)}${ERC6492_MAGIC.slice(2)}`;
      assert.equal(await callValidator(env, { address, hash: hashMessage(MESSAGE), signature: emptyBoth }), '0x00');
    });

    test('a factory without code (the call "succeeds") leaves the account undeployed: 0x00', async () => {
      const valid = setup.cases.find((c) => c.name === 'EIP-6492 undeployed, valid');
      const noCode = '0x000000000000000000000000000000000000dEaD';
      const inner = await setup.owner.signMessage({ message: MESSAGE });
      const factoryCalldata = encodeFunctionData({ abi: setup.accounts.factoryAbi, functionName: 'deploy', args: [setup.owner.address, `0x${'00'.repeat(31)}02`] });
      await expectAnswer(false, { address: valid.address, signature: wrap6492(noCode, factoryCalldata, inner) });
    });

    test('the wrapper is unwrapped once: a wrapped wrapper is passed as is to isValidSignature', async () => {
      const valid = setup.cases.find((c) => c.name === 'EIP-6492 undeployed, valid');
      const twice = wrap6492(setup.accounts.factory, encodeFunctionData({ abi: setup.accounts.factoryAbi, functionName: 'deploy', args: [setup.owner.address, `0x${'00'.repeat(31)}02`] }), valid.signature);
      await expectAnswer(false, { address: valid.address, signature: twice });
    });

    test('random bytes, with and without the magic, never revert and never validate (seeded)', async () => {
      let seed = 0x2545f491;
      const next = () => {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return seed >>> 0;
      };
      const bytes = (n) => Array.from({ length: n }, () => (next() & 0xff).toString(16).padStart(2, '0')).join('');
      const targets = [setup.owner.address, setup.accounts.account, setup.safe.safe, setup.cases.find((c) => c.name === 'EIP-6492 undeployed, valid').address];
      const hash = hashMessage(MESSAGE);
      const factoryWord = word(BigInt(setup.accounts.factory));
      for (let i = 0; i < 160; i += 1) {
        let signature;
        switch (i % 4) {
          case 0:
            signature = `0x${bytes(next() % 200)}`;
            break;
          case 1:
            signature = `0x${bytes(next() % 200)}${ERC6492_MAGIC.slice(2)}`;
            break;
          case 2: {
            // A plausible head (small offsets), random tail: exercises the offset and length checks.
            const tail = bytes(next() % 160);
            const size = 96 + tail.length / 2;
            signature = `0x${factoryWord}${word(BigInt(next() % (size + 8)))}${word(BigInt(next() % (size + 8)))}${tail}${ERC6492_MAGIC.slice(2)}`;
            break;
          }
          default:
            signature = wrap6492(setup.accounts.factory, `0x${bytes(next() % 80)}`, `0x${bytes([64, 65, 66, next() % 100][next() % 4])}`);
        }
        const address = targets[i % targets.length];
        const data = await callValidator(env, { address, hash, signature });
        assert.equal(data, '0x00', `case ${i}: ${address} ${signature}`);
      }
    });
  });

  test('the answer is exactly one byte, and a malformed constructor encoding is the only revert', async () => {
    const valid = setup.cases[0];
    const { data } = await env.publicClient.call({ data: validatorCallData(valid.address, hashMessage(valid.message), valid.signature) });
    assert.equal(data, '0x01');
    // Not something wallet-linker sends: the constructor's own argument decoding rejects it.
    const { bytecode } = loadBuiltContracts().contracts.SignatureValidator;
    const truncated = concatHex([bytecode, encodeAbiParameters([{ type: 'address' }, { type: 'bytes32' }], [valid.address, hashMessage(valid.message)])]);
    await assert.rejects(env.publicClient.call({ data: truncated }));
    console.log(`validator creation code: ${(bytecode.length - 2) / 2} bytes`);
  });
});
