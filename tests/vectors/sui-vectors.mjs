// Writes tests/vectors/sui_personal_message.json: Sui personal-message signatures made by
// @mysten/sui (the version in package-lock.json) with fixed keys of each scheme, for the native
// tests (tests/sui.rs). Run: node tests/vectors/sui-vectors.mjs
import { writeFileSync } from 'node:fs';

import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';

const secret = (byte) => new Uint8Array(32).fill(byte);
const keypairs = [
  ['ed25519', Ed25519Keypair.fromSecretKey(secret(0x11))],
  ['secp256k1', Secp256k1Keypair.fromSecretKey(secret(0x22))],
  ['secp256r1', Secp256r1Keypair.fromSecretKey(secret(0x33))],
];
const messages = ['', 'hello', 'Link this wallet to your account\nNonce: 8c2f4e7a91', 'x'.repeat(200)];

const vectors = [];
for (const [scheme, keypair] of keypairs) {
  for (const text of messages) {
    const message = new TextEncoder().encode(text);
    const { signature } = await keypair.signPersonalMessage(message);
    const address = keypair.getPublicKey().toSuiAddress();
    await verifyPersonalMessageSignature(message, signature, { address }); // throws if not valid
    vectors.push({ scheme, message: text, address, signature });
  }
}
const { version } = JSON.parse((await import('node:fs')).readFileSync(new URL('../../node_modules/@mysten/sui/package.json', import.meta.url), 'utf8'));
writeFileSync(
  new URL('./sui_personal_message.json', import.meta.url),
  `${JSON.stringify({ source: `@mysten/sui ${version}, tests/vectors/sui-vectors.mjs`, vectors }, null, 1)}\n`,
);
console.log(`${vectors.length} vectors`);
