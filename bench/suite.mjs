// The contenders and the timing loop, shared by the Node run (bench/node-run.mjs) and the Chromium
// run (bench/browser-entry.mjs, bundled by bench/run.mjs). Portable: no node: modules. The package
// under test (`wl`) is passed in by each entry, so both load the same snapshot of pkg/.
//
// Every contender does the whole operation a dapp would call, from the same inputs (the fixtures),
// and is checked once before timing: its result must be right, and a verifier must also refuse a
// signature over another message. A contender that fails its check is reported, never timed.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import * as nobleEd from '@noble/ed25519';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { recoverMessageAddress } from 'viem';
import { verifyMessage as ethersVerifyMessage } from 'ethers';
import { SiweMessage } from 'siwe';
import { createSignInMessageText, parseSignInMessageText } from '@solana/wallet-standard-util';
import nacl from 'tweetnacl';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import * as tinySecp from 'tiny-secp256k1';

nobleEd.hashes.sha512 = sha512;

/** The operations, in table order. `unit` is what one operation is. */
export const OPERATIONS = [
  { id: 'evm', title: 'EVM EIP-191 recover + address compare' },
  { id: 'solana', title: 'Solana ed25519 verify' },
  { id: 'sui', title: 'Sui personal message verify (Ed25519)' },
  { id: 'ton', title: 'TON Connect proof verify (wallet v4r2: state init, key, signature)' },
  { id: 'siwe-build', title: 'SIWE message build' },
  { id: 'siwe-parse', title: 'SIWE message parse' },
  { id: 'siws-build', title: 'Sign-In With Solana message build' },
  { id: 'siws-parse', title: 'Sign-In With Solana message parse' },
  { id: 'siwe-verify', title: 'Full SIWE sign-in check (parse, domain, nonce, time, signature)' },
];

const utf8 = new TextEncoder();

/** The EIP-191 `personal_sign` digest of a text message, with @noble/hashes keccak. */
function eip191Hash(message) {
  const body = utf8.encode(message);
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${body.length}`);
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix);
  data.set(body, prefix.length);
  return keccak_256(data);
}

/** EIP-191 `personal_sign` recovery with @noble/curves + @noble/hashes, as a dapp would write it. */
function nobleEvmVerify(message, signatureHex, address) {
  const hash = eip191Hash(message);
  const rsv = hexToBytes(signatureHex.slice(2));
  const recovered = new Uint8Array(65); // noble's "recovered" format: recovery id first
  recovered[0] = rsv[64] >= 27 ? rsv[64] - 27 : rsv[64];
  recovered.set(rsv.subarray(0, 64), 1);
  const publicKey = secp256k1.Signature.fromBytes(recovered, 'recovered').recoverPublicKey(hash).toBytes(false);
  const signer = keccak_256(publicKey.subarray(1)).subarray(12);
  return bytesToHex(signer) === address.slice(2).toLowerCase();
}

/** The same recovery with tiny-secp256k1 (libsecp256k1 compiled to wasm) and @noble/hashes keccak. */
function tinySecpEvmVerify(message, signatureHex, address) {
  const rsv = hexToBytes(signatureHex.slice(2));
  const publicKey = tinySecp.recover(eip191Hash(message), rsv.subarray(0, 64), rsv[64] >= 27 ? rsv[64] - 27 : rsv[64], false);
  return publicKey !== null && bytesToHex(keccak_256(publicKey.subarray(1)).subarray(12)) === address.slice(2).toLowerCase();
}

const sameSiweFields = (parsed, fields) =>
  parsed.address === fields.address &&
  parsed.domain === fields.domain &&
  parsed.nonce === fields.nonce &&
  parsed.statement === fields.statement &&
  Number(parsed.chainId) === fields.chainId &&
  parsed.expirationTime === fields.expirationTime &&
  parsed.requestId === fields.requestId &&
  JSON.stringify(parsed.resources) === JSON.stringify(fields.resources);

const sameSiwsFields = (parsed, input) =>
  parsed != null &&
  parsed.address === input.address &&
  parsed.domain === input.domain &&
  parsed.nonce === input.nonce &&
  parsed.statement === input.statement &&
  parsed.chainId === input.chainId &&
  parsed.expirationTime === input.expirationTime &&
  JSON.stringify(parsed.resources) === JSON.stringify(input.resources);

/**
 * The contenders for `fixtures` (see bench/fixtures.mjs), ours from the package module `wl`. Each: { op, name, ours, run, check,
 * refuse? }: `run()` is one operation (sync or async), `check(result)` whether its result is
 * right, `refuse()` the same call over a wrong input, which must give false, null, or throw.
 */
export async function makeContenders(wl, fixtures) {
  const { evm, siwe, solana, siws, sui, ton } = fixtures;
  const contenders = [];
  const add = (c) => contenders.push({ ours: false, ...c });

  // EVM: one EIP-191 signature over a one-line message, hex as wallets return it.
  const otherMessage = `${evm.message}!`;
  add({
    op: 'evm', name: 'wallet-linker verifyEvmSignature', ours: true,
    run: () => wl.verifyEvmSignature(evm.message, evm.signature, evm.address),
    check: (r) => r === true,
    refuse: () => wl.verifyEvmSignature(otherMessage, evm.signature, evm.address),
  });
  add({
    op: 'evm', name: '@noble/curves secp256k1 + @noble/hashes keccak',
    run: () => nobleEvmVerify(evm.message, evm.signature, evm.address),
    check: (r) => r === true,
    refuse: () => nobleEvmVerify(otherMessage, evm.signature, evm.address),
  });
  add({
    op: 'evm', name: 'tiny-secp256k1 (libsecp256k1 in wasm) + @noble/hashes keccak',
    run: () => tinySecpEvmVerify(evm.message, evm.signature, evm.address),
    check: (r) => r === true,
    refuse: () => tinySecpEvmVerify(otherMessage, evm.signature, evm.address),
  });
  add({
    op: 'evm', name: 'viem recoverMessageAddress',
    run: async () => (await recoverMessageAddress({ message: evm.message, signature: evm.signature })) === evm.address,
    check: (r) => r === true,
    refuse: async () => (await recoverMessageAddress({ message: otherMessage, signature: evm.signature })) === evm.address,
  });
  add({
    op: 'evm', name: 'ethers verifyMessage',
    run: () => ethersVerifyMessage(evm.message, evm.signature) === evm.address,
    check: (r) => r === true,
    refuse: () => ethersVerifyMessage(otherMessage, evm.signature) === evm.address,
  });

  // Solana: bytes in (the Wallet Standard hands out bytes), strict semantics where a library has
  // them (noble's `zip215: false`; ours is always strict).
  const message = utf8.encode(solana.message);
  const wrongMessage = utf8.encode(`${solana.message}!`);
  const signature = hexToBytes(solana.signatureHex);
  const publicKey = hexToBytes(solana.publicKeyHex);
  const verifier = new wl.SolanaVerifier(publicKey);
  add({
    op: 'solana', name: 'wallet-linker verifySolanaSignature', ours: true,
    run: () => wl.verifySolanaSignature(message, signature, publicKey),
    check: (r) => r === true,
    refuse: () => wl.verifySolanaSignature(wrongMessage, signature, publicKey),
  });
  add({
    op: 'solana', name: 'wallet-linker SolanaVerifier (key decoded once)', ours: true, variant: 'prepared',
    run: () => verifier.verify(message, signature),
    check: (r) => r === true,
    refuse: () => verifier.verify(wrongMessage, signature),
  });
  add({
    op: 'solana', name: '@noble/curves ed25519',
    run: () => ed25519.verify(signature, message, publicKey, { zip215: false }),
    check: (r) => r === true,
    refuse: () => ed25519.verify(signature, wrongMessage, publicKey, { zip215: false }),
  });
  add({
    op: 'solana', name: '@noble/ed25519',
    run: () => nobleEd.verify(signature, message, publicKey, { zip215: false }),
    check: (r) => r === true,
    refuse: () => nobleEd.verify(signature, wrongMessage, publicKey, { zip215: false }),
  });
  add({
    op: 'solana', name: 'tweetnacl',
    run: () => nacl.sign.detached.verify(message, signature, publicKey),
    check: (r) => r === true,
    refuse: () => nacl.sign.detached.verify(wrongMessage, signature, publicKey),
  });
  const subtle = globalThis.crypto?.subtle;
  const importKey = () => subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  let webCryptoKey = null;
  try {
    webCryptoKey = await importKey();
  } catch {
    // No Ed25519 in this runtime's WebCrypto: the rows are reported as unavailable.
  }
  const webCryptoVerify = (key, data) => subtle.verify({ name: 'Ed25519' }, key, signature, data);
  add({
    op: 'solana', name: 'WebCrypto Ed25519 (importKey + verify)', webCrypto: true,
    unavailable: webCryptoKey ? undefined : 'no Ed25519 in WebCrypto',
    run: async () => webCryptoVerify(await importKey(), message),
    check: (r) => r === true,
    refuse: async () => webCryptoVerify(await importKey(), wrongMessage),
  });
  add({
    op: 'solana', name: 'WebCrypto Ed25519 (key imported once)', webCrypto: true, variant: 'prepared',
    unavailable: webCryptoKey ? undefined : 'no Ed25519 in WebCrypto',
    run: () => webCryptoVerify(webCryptoKey, message),
    check: (r) => r === true,
    refuse: () => webCryptoVerify(webCryptoKey, wrongMessage),
  });

  // Sui: the serialized signature and the address as a wallet and a backend have them.
  const suiBytes = utf8.encode(sui.message);
  const suiOther = utf8.encode(`${sui.message}!`);
  add({
    op: 'sui', name: 'wallet-linker verifySuiPersonalMessage', ours: true,
    run: () => wl.verifySuiPersonalMessage(suiBytes, sui.signature, sui.address),
    check: (r) => r === true,
    refuse: () => wl.verifySuiPersonalMessage(suiOther, sui.signature, sui.address),
  });
  add({
    op: 'sui', name: '@mysten/sui verifyPersonalMessageSignature',
    run: async () => (await verifyPersonalMessageSignature(suiBytes, sui.signature, { address: sui.address })).toSuiAddress() === sui.address,
    check: (r) => r === true,
    refuse: async () => (await verifyPersonalMessageSignature(suiOther, sui.signature, { address: sui.address })) && true,
  });

  // TON: ours against the same checks written with @ton/core + @ton/crypto, as a backend would
  // (the TON Connect demo backend's approach): state init → address and key, then the signature.
  const tonOptions = { proof: ton.proof, account: ton.account, domain: ton.domain, payload: ton.payload, now: ton.nowMs };
  const tonOther = { ...tonOptions, payload: `${ton.payload}0`, proof: { ...ton.proof, payload: `${ton.payload}0` } };
  add({
    op: 'ton', name: 'wallet-linker verifyTonProof', ours: true,
    run: () => wl.verifyTonProof(tonOptions),
    check: (r) => r.address === ton.account.address,
    refuse: () => wl.verifyTonProof(tonOther),
  });
  const tonPeer = await import('./ton-peer.mjs').catch((e) => ({ unavailable: String(e?.message ?? e) }));
  add({
    op: 'ton', name: '@ton/core + @ton/crypto (state init, key, signVerify)',
    unavailable: tonPeer.unavailable,
    run: () => tonPeer.verify(tonOptions),
    check: (r) => r === true,
    refuse: () => tonPeer.verify(tonOther),
  });

  // SIWE build and parse. siwe's constructor also validates (it re-parses the text it builds),
  // as ours validates every field: both do the full job.
  add({
    op: 'siwe-build', name: 'wallet-linker createSiweMessage', ours: true,
    run: () => wl.createSiweMessage(siwe.fields),
    check: (r) => r === siwe.message,
  });
  add({
    op: 'siwe-build', name: 'siwe new SiweMessage(fields).prepareMessage()',
    run: () => new SiweMessage(siwe.fields).prepareMessage(),
    check: (r) => r === siwe.message,
  });
  add({
    op: 'siwe-parse', name: 'wallet-linker parseSiweMessage', ours: true,
    run: () => wl.parseSiweMessage(siwe.message),
    check: (r) => sameSiweFields(r, siwe.fields),
  });
  add({
    op: 'siwe-parse', name: 'siwe new SiweMessage(text)',
    run: () => new SiweMessage(siwe.message),
    check: (r) => sameSiweFields(r, siwe.fields),
  });

  // Sign-In With Solana build and parse.
  add({
    op: 'siws-build', name: 'wallet-linker createSolanaSignInMessage', ours: true,
    run: () => wl.createSolanaSignInMessage(siws.input),
    check: (r) => r === siws.message,
  });
  add({
    op: 'siws-build', name: '@solana/wallet-standard-util createSignInMessageText',
    run: () => createSignInMessageText(siws.input),
    check: (r) => r === siws.message,
  });
  add({
    op: 'siws-parse', name: 'wallet-linker parseSolanaSignInMessage', ours: true,
    run: () => wl.parseSolanaSignInMessage(siws.message),
    check: (r) => sameSiwsFields(r, siws.input),
  });
  add({
    op: 'siws-parse', name: '@solana/wallet-standard-util parseSignInMessageText',
    run: () => parseSignInMessageText(siws.message),
    check: (r) => sameSiwsFields(r, siws.input),
  });

  // Full sign-in check, no RPC: siwe v3 without a provider verifies an EOA signature with ethers'
  // verifyMessage and only falls back to EIP-1271 (which needs a provider) on a mismatch.
  const time = new Date(siwe.nowMs).toISOString();
  const params = { signature: siwe.signature, domain: siwe.domain, nonce: siwe.nonce, time };
  add({
    op: 'siwe-verify', name: 'wallet-linker verifySiweSignIn', ours: true,
    run: () => wl.verifySiweSignIn({ message: siwe.message, signature: siwe.signature, domain: siwe.domain, nonce: siwe.nonce, now: siwe.nowMs }),
    check: (r) => r.address === siwe.fields.address && r.nonce === siwe.nonce,
    refuse: () => wl.verifySiweSignIn({ message: siwe.message, signature: evm.signature, domain: siwe.domain, nonce: siwe.nonce, now: siwe.nowMs }),
  });
  add({
    op: 'siwe-verify', name: 'siwe new SiweMessage(text).verify({ signature, domain, nonce, time })',
    run: () => new SiweMessage(siwe.message).verify(params),
    check: (r) => r.success === true && r.data.address === siwe.fields.address,
    refuse: () => new SiweMessage(siwe.message).verify({ ...params, signature: evm.signature }),
  });
  return contenders;
}

/** Whether a call over a wrong input was refused (false, null, `success: false`, or a throw). */
async function refused(refuse) {
  try {
    const result = await refuse();
    return result === false || result === null || result?.success === false;
  } catch {
    return true;
  }
}

let sink; // keeps results alive so no engine can drop the calls

async function timeBatch(contender, count) {
  const run = contender.run;
  const started = performance.now();
  if (contender.isAsync) {
    for (let i = 0; i < count; i++) sink = await run();
  } else {
    for (let i = 0; i < count; i++) sink = run();
  }
  return performance.now() - started;
}

/** Warms a contender up for `warmupMs` (JIT tiers, wasm tier-up) and returns a batch size of about a tenth of a sample. */
async function warmUp(contender, { sampleMs, warmupMs }) {
  let batch = 1;
  let warm = 0;
  while (warm < warmupMs) {
    const ms = await timeBatch(contender, batch);
    warm += ms;
    if (ms < sampleMs / 10) batch *= 2;
  }
  return batch;
}

/** One sample: operations per second over at least `sampleMs`. */
async function sample(contender, batch, sampleMs) {
  let ops = 0;
  let ms = 0;
  while (ms < sampleMs) {
    ms += await timeBatch(contender, batch);
    ops += batch;
  }
  return (ops * 1000) / ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Checks every contender, warms each up, then takes `samples` rounds of one sample per contender
 * (round-robin, so a burst of load on a shared machine hits every contender alike) and reports
 * each one's median rate. `log` gets a line per contender.
 */
export async function runSuite(wl, fixtures, { samples = 5, sampleMs = 250, warmupMs = 300 } = {}, log = () => {}) {
  const results = [];
  const timed = [];
  for (const c of await makeContenders(wl, fixtures)) {
    const row = { op: c.op, name: c.name, ours: c.ours, variant: c.variant ?? null, webCrypto: !!c.webCrypto };
    if (c.unavailable) {
      results.push({ ...row, error: c.unavailable });
      log(`  ${c.name}: unavailable (${c.unavailable})`);
      continue;
    }
    try {
      const first = c.run();
      c.isAsync = typeof first?.then === 'function';
      const result = await first;
      if (!c.check(result)) throw new Error(`wrong result: ${String(JSON.stringify(result)).slice(0, 200)}`);
      if (c.refuse && !(await refused(c.refuse))) throw new Error('accepted a signature over another message');
    } catch (e) {
      results.push({ ...row, error: `correctness check failed: ${e?.message ?? e}` });
      log(`  ${c.name}: CORRECTNESS CHECK FAILED: ${e?.message ?? e}`);
      continue;
    }
    const entry = { ...row, samples: [] };
    results.push(entry);
    timed.push({ c, entry, batch: await warmUp(c, { sampleMs, warmupMs }) });
    log(`  ${c.name}: answer checked, warmed up`);
  }
  for (let round = 0; round < samples; round++) {
    for (const t of timed) t.entry.samples.push(await sample(t.c, t.batch, sampleMs));
  }
  for (const t of timed) {
    t.entry.opsPerSec = median(t.entry.samples);
    log(`  ${t.entry.name}: ${Math.round(t.entry.opsPerSec).toLocaleString('en-US')} ops/s`);
  }
  return results;
}
