// `wallet-linker/verify`, the entry with messages and local checks only (its own, smaller build):
// it exports exactly that, and each of its functions answers as the main entry does, valid input
// and refused input alike, with its own WalletLinkerError class. Portable: also run in Chromium.
import { test, assert } from './harness.mjs';
import * as full from 'wallet-linker';
import * as verify from 'wallet-linker/verify';
import { privateKeyToAccount } from 'viem/accounts';
import { ed25519 } from '@noble/curves/ed25519.js';
import bs58 from 'bs58';
import suiVectors from '../vectors/sui_personal_message.json' with { type: 'json' };
import tonVectors from '../vectors/ton_proof.json' with { type: 'json' };

const VERIFY_ONLY = [
  'SolanaVerifier', 'WalletLinkerError', 'createDynamicSignInMessage', 'createSiweMessage',
  'createSolanaSignInMessage', 'errorCodes', 'generateNonce', 'initSync', 'isValidSolanaAddress',
  'isWalletLinkerError', 'parseDynamicSignInMessage', 'parseSiweMessage', 'parseSolanaSignInMessage',
  'recoverEvmAddress', 'toChecksumAddress', 'verifyEvmSignature', 'verifySiweSignIn',
  'verifySolanaSignIn', 'verifySolanaSignature', 'verifySuiPersonalMessage', 'verifyTonProof', 'version',
];

test('the verify entry exports the messages and local checks, and nothing that calls a service', () => {
  assert.deepEqual(Object.keys(verify).sort(), VERIFY_ONLY);
  for (const name of ['DynamicClient', 'SnagClient', 'linkWallet', 'discoverEvmWallets', 'verifyEvmMessage', 'LinkServerCore']) {
    assert.ok(name in full && !(name in verify), name);
  }
  assert.equal(verify.version(), full.version());
  assert.deepEqual(verify.errorCodes(), full.errorCodes());
});

/** What `call(entry)` gives: its value, or its error's code and message. */
function outcome(entry, call) {
  try {
    return { value: call(entry) };
  } catch (e) {
    assert.ok(entry.isWalletLinkerError(e) && e instanceof entry.WalletLinkerError, `not the entry's own error: ${e}`);
    return { code: e.code, message: e.message, field: e.field };
  }
}

const same = (call, what) => assert.deepEqual(outcome(verify, call), outcome(full, call), what);

const account = privateKeyToAccount('0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const secret = new Uint8Array(32).fill(7);
const solanaAddress = bs58.encode(ed25519.getPublicKey(secret));
const NOW = Date.parse('2026-06-01T00:00:00Z');

const siweFields = {
  domain: 'app.example.com', address: account.address, statement: 'Sign in.', uri: 'https://app.example.com/',
  version: '1', chainId: 10, nonce: 'abcdefgh1234', issuedAt: '2026-06-01T00:00:00.000Z',
};
const siwsInput = { domain: 'app.example.com', address: solanaAddress, nonce: 'abcdefgh1234', issuedAt: '2026-06-01T00:00:00.000Z' };

test('messages: built and parsed the same, refused the same', () => {
  const siwe = full.createSiweMessage(siweFields);
  same((e) => e.createSiweMessage(siweFields), 'SIWE build');
  same((e) => e.parseSiweMessage(siwe), 'SIWE parse');
  same((e) => e.parseSiweMessage(siwe.replace('Version: 1', 'Version: 2')), 'SIWE refused');
  same((e) => e.createSiweMessage({ ...siweFields, address: account.address.toLowerCase() }), 'unchecksummed');
  const siws = full.createSolanaSignInMessage(siwsInput);
  same((e) => e.createSolanaSignInMessage(siwsInput), 'SIWS build');
  same((e) => e.parseSolanaSignInMessage(siws), 'SIWS parse');
  same((e) => e.parseSolanaSignInMessage(`${siws}\nExtra: line`), 'SIWS refused');
  const dynamic = { ...siweFields, chain: 'EVM', appName: 'Acme', environmentId: 'env' };
  same((e) => e.createDynamicSignInMessage(dynamic), 'Dynamic build');
  same((e) => e.createDynamicSignInMessage({ ...dynamic, environmentId: undefined }), 'Dynamic refused');
  const dynamicText = full.createDynamicSignInMessage(dynamic);
  same((e) => e.parseDynamicSignInMessage(dynamicText), 'Dynamic parse');
  same((e) => e.toChecksumAddress(account.address.toLowerCase()), 'checksum');
  same((e) => e.isValidSolanaAddress(solanaAddress), 'Solana address');
  assert.match(verify.generateNonce(), /^[A-Za-z0-9]{22}$/);
});

test('EVM and Solana signatures and sign-ins: the same verdicts', async () => {
  const message = full.createSiweMessage(siweFields);
  const signature = await account.signMessage({ message });
  same((e) => e.recoverEvmAddress(message, signature), 'recover');
  same((e) => e.verifyEvmSignature(message, signature, account.address), 'valid');
  same((e) => e.verifyEvmSignature(`${message} `, signature, account.address), 'other message');
  same((e) => e.verifyEvmSignature(message, '0x12', account.address), 'malformed');
  const check = { message, signature, domain: 'app.example.com', nonce: 'abcdefgh1234', now: NOW };
  same((e) => e.verifySiweSignIn(check), 'SIWE sign-in');
  same((e) => e.verifySiweSignIn({ ...check, nonce: 'another-nonce' }), 'SIWE other nonce');

  const siws = full.createSolanaSignInMessage(siwsInput);
  const solanaSignature = ed25519.sign(new TextEncoder().encode(siws), secret);
  same((e) => e.verifySolanaSignature(siws, solanaSignature, solanaAddress), 'ed25519');
  same((e) => e.verifySolanaSignature(`${siws}!`, solanaSignature, solanaAddress), 'ed25519 other');
  same((e) => new e.SolanaVerifier(solanaAddress).verify(siws, solanaSignature), 'SolanaVerifier');
  same((e) => new e.SolanaVerifier(solanaAddress).address, 'SolanaVerifier address');
  const signIn = { message: siws, signature: solanaSignature, domain: 'app.example.com', nonce: 'abcdefgh1234', now: NOW };
  same((e) => e.verifySolanaSignIn(signIn), 'SIWS sign-in');
  same((e) => e.verifySolanaSignIn({ ...signIn, domain: 'evil.example' }), 'SIWS other domain');
});

test('Sui and TON: the public vectors give the same verdicts', () => {
  for (const v of suiVectors.vectors) {
    same((e) => e.verifySuiPersonalMessage(v.message, v.signature, v.address), `Sui ${v.scheme}`);
  }
  // tests/vectors/ton_proof.json (made with @ton/ton, @ton/core and @ton/crypto), valid and refused.
  for (const v of [...tonVectors.valid.slice(0, 6), ...tonVectors.invalid.slice(0, 12)]) {
    const options = { proof: v.proof, account: v.account, domain: v.proof.domain.value, payload: v.proof.payload, now: Number(v.proof.timestamp) * 1000 };
    same((e) => e.verifyTonProof(options), v.name);
  }
});

test('its errors are its own class: the main entry does not claim them', () => {
  const thrown = outcome(verify, () => {
    try {
      verify.parseSiweMessage('not a message');
    } catch (e) {
      assert.equal(full.isWalletLinkerError(e), false);
      assert.equal(e.name, 'WalletLinkerError');
      throw e;
    }
  });
  assert.equal(thrown.code, 'MESSAGE_PARSE');
});
