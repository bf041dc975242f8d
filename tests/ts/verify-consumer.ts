// `wallet-linker/verify` as a TypeScript user imports it: its functions are typed, and what it
// does not have (clients, linkWallet) is a type error, not a runtime surprise.
import {
  SolanaVerifier, createSiweMessage, isWalletLinkerError, parseSiweMessage, verifySiweSignIn,
  verifySolanaSignature, verifyTonProof, type SiweMessageFields, type TonProofResult,
} from 'wallet-linker/verify';

const fields: SiweMessageFields = parseSiweMessage(createSiweMessage({
  domain: 'example.com', address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', uri: 'https://example.com',
  version: '1', chainId: 1, nonce: 'abcdefgh1234', issuedAt: new Date(),
}));
const checked: SiweMessageFields = verifySiweSignIn({ message: '', signature: '0x', domain: fields.domain, nonce: fields.nonce });
const valid: boolean = verifySolanaSignature('m', new Uint8Array(64), new SolanaVerifier('11111111111111111111111111111111').address);
declare const reply: Parameters<typeof verifyTonProof>[0];
const ton: TonProofResult = verifyTonProof(reply);
try {
  void [checked, valid, ton];
} catch (e) {
  if (isWalletLinkerError(e)) console.log(e.code);
}

// @ts-expect-error: the verify entry has no service clients.
import { DynamicClient } from 'wallet-linker/verify';
void DynamicClient;
