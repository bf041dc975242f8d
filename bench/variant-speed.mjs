// Our EVM and Solana verification and SIWE parsing speed for several builds of the package in one Node process,
// interleaved round by round so that machine load hits every build alike.
// `node bench/variant-speed.mjs FIXTURES.json '[{"id","glue","wasm"}, ...]'` prints JSON
// { id: { evm, solana, siweParse } } (median ops/s).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [fixturesPath, modulesJson] = process.argv.slice(2);
const { evm, solana, siwe } = JSON.parse(readFileSync(fixturesPath, 'utf8'));
const hex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16));
const message = new TextEncoder().encode(solana.message);
const signature = hex(solana.signatureHex);
const publicKey = hex(solana.publicKeyHex);

const builds = [];
for (const m of JSON.parse(modulesJson)) {
  const glue = await import(pathToFileURL(m.glue).href);
  glue.initSync({ module: readFileSync(m.wasm) });
  const ops = {
    evm: () => glue.verifyEvmSignature(evm.message, evm.signature, evm.address),
    solana: () => glue.verifySolanaSignature(message, signature, publicKey),
    siweParse: () => glue.parseSiweMessage(siwe.message).nonce === siwe.nonce,
  };
  for (const [op, run] of Object.entries(ops)) {
    if (run() !== true) throw new Error(`${m.id}: ${op} gave a wrong answer`);
  }
  builds.push({ id: m.id, ops });
}

function rate(run, ms) {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (let i = 0; i < 20; i++) run();
    count += 20;
  }
  return (count * 1000) / (performance.now() - started);
}

const samples = {};
for (const b of builds) for (const op of Object.keys(b.ops)) rate(b.ops[op], 150); // warm-up
for (let round = 0; round < 7; round++) {
  for (const b of builds) {
    for (const [op, run] of Object.entries(b.ops)) ((samples[b.id] ??= {})[op] ??= []).push(rate(run, 250));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const out = {};
for (const [id, ops] of Object.entries(samples)) {
  out[id] = Object.fromEntries(Object.entries(ops).map(([op, xs]) => [op, median(xs)]));
}
console.log(JSON.stringify(out));
