// The TON Connect proof check as a backend writes it with @ton/core and @ton/crypto (the approach
// of TON Connect's demo backend): the state init's address and the key in its data (wallet v4r2:
// after seqno and subwallet id), then the signature over the specification's message. Portable
// (Buffer comes from the bundle's shim in Chromium).
import { Cell, contractAddress, loadStateInit } from '@ton/core';
import { sha256_sync, signVerify } from '@ton/crypto';

const utf8 = (text) => Buffer.from(text, 'utf8');

export function verify({ proof, account, domain, payload, now }) {
  const init = loadStateInit(Cell.fromBase64(account.walletStateInit).beginParse());
  const address = contractAddress(0, init);
  if (address.toRawString() !== account.address) return false;
  const data = init.data.beginParse();
  data.skip(64);
  const key = data.loadBuffer(32);
  if (key.toString('hex') !== account.publicKey) return false;
  if (proof.domain.value !== domain || proof.payload !== payload) return false;
  if (now / 1000 - proof.timestamp > 300) return false;
  const workchain = Buffer.alloc(4);
  workchain.writeInt32BE(address.workChain);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(Buffer.byteLength(domain));
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(BigInt(proof.timestamp));
  const message = Buffer.concat([utf8('ton-proof-item-v2/'), workchain, address.hash, length, utf8(domain), time, utf8(payload)]);
  const digest = sha256_sync(Buffer.concat([Buffer.from([0xff, 0xff]), utf8('ton-connect'), sha256_sync(message)]));
  return signVerify(digest, Buffer.from(proof.signature, 'base64'), key);
}
