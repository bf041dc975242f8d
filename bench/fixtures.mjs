// Benchmark fixtures: keys, signatures and messages, made once by independent libraries (viem for
// secp256k1 / EIP-191, tweetnacl for ed25519, siwe and @solana/wallet-standard-util for the message
// text) and shared by every contender — JS peers, our package and the native binary.
// Deterministic: the same fixtures on every run, so runs compare.
import { privateKeyToAccount } from 'viem/accounts';
import nacl from 'tweetnacl';
import bs58 from 'bs58';
import { SiweMessage } from 'siwe';
import { createSignInMessageText } from '@solana/wallet-standard-util';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { keyPairFromSeed } from '@ton/crypto';
import { makeProof, tonWallet } from '../tests/js/ton-fixtures.mjs';

// Arbitrary fixed test keys (never used elsewhere).
const EVM_PRIVATE_KEY = '0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f';
const ED25519_SEED = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export async function makeFixtures() {
  const account = privateKeyToAccount(EVM_PRIVATE_KEY);
  const issuedAt = '2026-11-20T10:00:00.000Z';
  const nowMs = Date.parse('2026-11-20T10:01:00.000Z');
  const siweFields = {
    domain: 'app.example.com',
    address: account.address,
    statement: 'Sign in to Example to link this wallet to your account.',
    uri: 'https://app.example.com/login',
    version: '1',
    chainId: 1,
    nonce: 'Xk3pQ9rT2mW8vB4n',
    issuedAt,
    expirationTime: '2026-11-20T10:10:00.000Z',
    requestId: 'req-7f3a',
    resources: ['https://app.example.com/terms', 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
  };
  const siweMessage = new SiweMessage(siweFields).prepareMessage();
  const siweSignature = await account.signMessage({ message: siweMessage });

  // A plain message for the bare EIP-191 check (typical length of a sign-in message).
  const evmMessage = `Link wallet ${account.address} to account 42 at ${issuedAt}`;
  const evmSignature = await account.signMessage({ message: evmMessage });

  const keyPair = nacl.sign.keyPair.fromSeed(ED25519_SEED);
  const solanaAddress = bs58.encode(keyPair.publicKey);
  const siwsInput = {
    domain: 'app.example.com',
    address: solanaAddress,
    statement: 'Sign in to Example to link this wallet to your account.',
    uri: 'https://app.example.com/login',
    version: '1',
    chainId: 'mainnet',
    nonce: 'Xk3pQ9rT2mW8vB4n',
    issuedAt,
    expirationTime: '2026-11-20T10:10:00.000Z',
    requestId: 'req-7f3a',
    resources: ['https://app.example.com/terms', 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'],
  };
  const siwsMessage = createSignInMessageText(siwsInput);
  const siwsBytes = new TextEncoder().encode(siwsMessage);
  const solanaSignature = nacl.sign.detached(siwsBytes, keyPair.secretKey);

  // Sui: a personal message signed by an Ed25519 key through @mysten/sui (the wallets' default).
  const suiKeypair = Ed25519Keypair.fromSecretKey(ED25519_SEED);
  const suiMessage = `Link wallet to account 42 at ${issuedAt}`;
  const { signature: suiSignature } = await suiKeypair.signPersonalMessage(new TextEncoder().encode(suiMessage));

  // TON: a v4r2 wallet's TON Connect proof (the most common wallet), as Snag's tonVerification.
  const tonTimestamp = Math.floor(nowMs / 1000);
  const ton = makeProof('v4r2', 'Xk3pQ9rT2mW8vB4n', {
    timestamp: tonTimestamp,
    wallet: tonWallet('v4r2', keyPairFromSeed(Buffer.from(ED25519_SEED))),
  });

  return {
    ton: { proof: ton.proof, account: ton.account, domain: ton.proof.domain.value, payload: 'Xk3pQ9rT2mW8vB4n', nowMs },
    sui: { address: suiKeypair.getPublicKey().toSuiAddress(), message: suiMessage, signature: suiSignature },
    evm: { address: account.address, message: evmMessage, signature: evmSignature },
    siwe: { fields: siweFields, message: siweMessage, signature: siweSignature, domain: siweFields.domain, nonce: siweFields.nonce, nowMs },
    solana: {
      address: solanaAddress,
      publicKeyHex: toHex(keyPair.publicKey),
      message: siwsMessage,
      signatureHex: toHex(solanaSignature),
    },
    siws: { input: siwsInput, message: siwsMessage },
  };
}
