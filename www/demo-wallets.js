// TEST-ONLY demo wallets for the demo page and the end-to-end test. Their private keys live in
// this page's memory: anyone who can run script here can sign with them. Never hold value with
// them. They are not part of the npm package.
//
// - DemoEvmWallet: an EIP-1193 provider announced through EIP-6963 (`eip6963:announceProvider`,
//   answering every `eip6963:requestProvider`). personal_sign is EIP-191 over keccak-256,
//   signed with secp256k1 from @noble/curves. Given an `rpcUrl`, it forwards read methods
//   (eth_call, eth_getCode, ...) there, as a real wallet forwards them to its node.
// - DemoSmartAccountWallet: an EIP-1193 provider (EIP-6963 too) for a smart account: its address
//   is the account contract's, personal_sign is the account OWNER key's EIP-191 signature, wrapped
//   with EIP-6492 (factory, factory calldata) while the account is not deployed (eth_getCode on
//   its RPC says so), and read methods go to `rpcUrl` with fetch.
// - DemoSolanaWallet: a Wallet Standard wallet registered through the standard's window events
//   (`wallet-standard:register-wallet`, and `wallet-standard:app-ready` for apps that load
//   later), with standard:connect, standard:disconnect, standard:events, solana:signMessage and
//   solana:signIn; ed25519 from @noble/curves.
// - DemoSuiWallet: a Wallet Standard wallet registered the same way, on sui:mainnet and sui:testnet,
//   with standard:connect, standard:disconnect, standard:events and sui:signPersonalMessage
//   (`{ message, account }` -> `{ bytes, signature }`, both base64). Its Ed25519 key signs as Sui
//   does, built by hand here (the page cannot load @mysten/sui): the personal message's intent
//   (3, 0, 0) ‖ ULEB128 length ‖ message is hashed with blake2b-256 and the 32-byte digest is signed;
//   the signature is Sui's serialized form, base64 of flag 0 ‖ signature ‖ public key; the address
//   is 0x + hex(blake2b-256(0x00 ‖ public key)). tests/js/sui-demo-wallet.node.test.mjs checks it
//   against @mysten/sui.
// - DemoTonWallet: a TON Connect injected bridge (`window.demoTonWallet.tonconnect`, protocol 2):
//   `connect(2, { manifestUrl, items })` fetches the manifest as wallets do and answers a
//   ConnectEvent with `ton_addr` (raw address, network -239, public key, walletStateInit) and, when
//   asked, `ton_proof`. The wallet (a v4r2, its StateInit built by www/serve.mjs with @ton/ton and
//   served in /demo-config.json) signs "ton-proof-item-v2/" ‖ workchain (int32 BE) ‖ address hash ‖
//   domain length (u32 LE) ‖ domain ‖ timestamp (u64 LE) ‖ payload as TON Connect does: Ed25519 over
//   sha256(0xffff ‖ "ton-connect" ‖ sha256(message)), the domain being this page's host.
//   tests/js/ton-demo-wallet.node.test.mjs checks it against @ton/core + @ton/crypto.
//
// Each has a `behaviour` (one of its `behaviours`): "sign" (default), "reject" (the user declines:
// EIP-1193 error 4001; TON Connect's connect_error 300), or "tamper" (signs different bytes than asked, so the signature does not
// match the message); the smart account also has "stranger" (signs with a key that does not own
// the account, so its contract refuses the signature).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const BEHAVIOURS = ['sign', 'reject', 'tamper'];
export const SMART_ACCOUNT_BEHAVIOURS = ['sign', 'reject', 'tamper', 'stranger'];

/** The 32-byte suffix that marks an EIP-6492 signature. */
export const ERC6492_MAGIC = '6492'.repeat(16);

/** EIP-1193 methods that only read the chain: a wallet forwards them to its node. */
export const READ_METHODS = new Set([
  'eth_call', 'eth_getCode', 'eth_blockNumber', 'eth_getBalance', 'eth_getStorageAt', 'eth_getTransactionCount',
  'eth_estimateGas', 'eth_gasPrice', 'eth_feeHistory', 'eth_getBlockByNumber', 'eth_getBlockByHash',
  'eth_getTransactionByHash', 'eth_getTransactionReceipt', 'eth_getLogs', 'net_version',
]);

const utf8 = new TextEncoder();

function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex) {
  const digits = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (digits.length % 2 !== 0 || /[^0-9a-f]/i.test(digits)) throw new Error('invalid hex');
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Base58 (Bitcoin alphabet) of a short byte string such as a 32-byte key. */
export function base58(bytes) {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** An error shaped like EIP-1193's ProviderRpcError. */
function rpcError(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

const userRejected = () => rpcError(4001, 'User rejected the request.');

let rpcId = 0;

/**
 * A JSON-RPC call to `url` with fetch (the chain's node answers CORS): its `result`, or throws an
 * EIP-1193-shaped error: the node's JSON-RPC error (code, message, data), or 4900 (disconnected)
 * when the node cannot be reached or answers something else.
 */
export async function forwardRpc(url, method, params = []) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
    });
  } catch (cause) {
    throw Object.assign(rpcError(4900, `The demo wallet could not reach its node: ${cause?.message ?? cause}`), { cause });
  }
  const body = await response.json().catch(() => null);
  if (body?.error) throw Object.assign(rpcError(body.error.code, body.error.message), { data: body.error.data });
  if (!response.ok || body === null || !('result' in body)) {
    throw rpcError(4900, `The demo wallet's node answered HTTP ${response.status} without a JSON-RPC result.`);
  }
  return body.result;
}

/** The message bytes of a personal_sign request: 0x-hex bytes (the usual form) or plain text. */
function personalSignBytes(data) {
  return /^0x([0-9a-f]{2})*$/i.test(data) ? fromHex(data) : utf8.encode(String(data));
}

/** EIP-191 personal_sign of `message` bytes with `secretKey`: r ‖ s ‖ v with v = 27 + recovery bit. */
export function personalSignWith(secretKey, message) {
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${message.length}`);
  const digest = keccak_256(new Uint8Array([...prefix, ...message]));
  const recovered = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered' });
  const signature = new Uint8Array(65);
  signature.set(recovered.subarray(1), 0);
  signature[64] = 27 + recovered[0];
  return `0x${toHex(signature)}`;
}

/** The lower-case address of a secp256k1 key: the last 20 bytes of keccak-256 of its public key. */
export function evmAddressOf(secretKey) {
  const publicKey = secp256k1.getPublicKey(secretKey, false);
  return `0x${toHex(keccak_256(publicKey.subarray(1)).subarray(12))}`;
}

const word = (n) => BigInt(n).toString(16).padStart(64, '0');
const padWords = (hex) => hex.padEnd(Math.ceil(hex.length / 64) * 64, '0');
const strip0x = (hex) => (hex.startsWith('0x') ? hex.slice(2) : hex).toLowerCase();

/**
 * EIP-6492 wrapper: `abi.encode(address factory, bytes factoryCalldata, bytes signature) ‖ magic`
 * (the two `bytes` as ABI dynamic values: offsets in the head, length-prefixed and zero-padded).
 */
export function wrapErc6492(factory, factoryCalldata, signature) {
  const calldata = strip0x(factoryCalldata);
  const inner = strip0x(signature);
  const calldataTail = word(calldata.length / 2) + padWords(calldata);
  const head = word(BigInt(`0x${strip0x(factory)}`)) + word(3 * 32) + word(3 * 32 + calldataTail.length / 2);
  return `0x${head}${calldataTail}${word(inner.length / 2)}${padWords(inner)}${ERC6492_MAGIC}`;
}

function icon(background, label) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="${background}"/><text x="16" y="21" font-family="system-ui,sans-serif" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">${label}</text></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

/** An EIP-1193 provider with an in-page secp256k1 key. TEST ONLY. */
export class DemoEvmWallet {
  constructor({ secretKey, chainId = 1, rpcUrl, name = 'Demo EVM wallet (test only)' } = {}) {
    this.secretKey = secretKey ?? secp256k1.utils.randomSecretKey();
    this.address = evmAddressOf(this.secretKey);
    this.chainId = chainId;
    // Without a node, read methods are unsupported (4200), as they were.
    this.rpcUrl = rpcUrl;
    this.behaviours = BEHAVIOURS;
    this.behaviour = 'sign';
    this.connected = false;
    this.isDemoWallet = true;
    this.walletKey = 'demoevm';
    this.info = Object.freeze({
      uuid: crypto.randomUUID(),
      name,
      icon: icon('#4f46e5', 'EVM'),
      rdns: 'dev.wallet-linker.demo-evm',
    });
    this.calls = [];
  }

  /** EIP-191 personal_sign of `message` bytes: r ‖ s ‖ v with v = 27 + recovery bit. */
  personalSign(message) {
    return personalSignWith(this.secretKey, message);
  }

  async request({ method, params = [] } = {}) {
    this.calls.push(method);
    switch (method) {
      case 'eth_requestAccounts':
        if (this.behaviour === 'reject') throw userRejected();
        this.connected = true;
        return [this.address];
      case 'eth_accounts':
        return this.connected ? [this.address] : [];
      case 'eth_chainId':
        return `0x${this.chainId.toString(16)}`;
      case 'personal_sign': {
        if (this.behaviour === 'reject') throw userRejected();
        const [data, account] = params;
        if (typeof account !== 'string' || account.toLowerCase() !== this.address) {
          throw rpcError(4100, 'The requested account has not been authorized by the user.');
        }
        // Wallets accept the message as 0x-hex bytes (the usual form) or as plain text.
        let message = personalSignBytes(data);
        if (this.behaviour === 'tamper') message = new Uint8Array([...message, 0x21]);
        return this.personalSign(message);
      }
      default:
        if (this.rpcUrl && READ_METHODS.has(method)) return forwardRpc(this.rpcUrl, method, params);
        throw rpcError(4200, `The demo wallet does not support ${method}.`);
    }
  }

  on() {}
  removeListener() {}

  /** Announces the wallet now and on every later `eip6963:requestProvider` (EIP-6963). */
  announce(target = window) {
    const detail = Object.freeze({ info: this.info, provider: this });
    const announce = () => target.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
    target.addEventListener('eip6963:requestProvider', announce);
    announce();
    return this;
  }
}

/**
 * An EIP-1193 provider for a smart account (EIP-1271), with its owner's key in this page. TEST ONLY.
 * Options: rpcUrl (the account's chain's node; reads go there), chainId, account (the account
 * contract's address), ownerKey (0x-hex secp256k1 key of the account's owner), factory and
 * factoryCalldata (how the account is deployed: its signatures are EIP-6492-wrapped with them while
 * the chain has no code at the address; without them, never wrapped), name, rdns.
 */
export class DemoSmartAccountWallet {
  constructor({
    rpcUrl,
    chainId,
    account,
    ownerKey,
    factory,
    factoryCalldata,
    name = 'Demo Smart Account (test only)',
    rdns = 'test.wallet-linker.smart-account',
  } = {}) {
    if (typeof rpcUrl !== 'string' || !rpcUrl) throw new TypeError('DemoSmartAccountWallet: rpcUrl is required');
    if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new TypeError('DemoSmartAccountWallet: chainId must be a positive integer');
    if (typeof account !== 'string' || !/^0x[0-9a-f]{40}$/i.test(account)) throw new TypeError('DemoSmartAccountWallet: account must be an address');
    this.rpcUrl = rpcUrl;
    this.chainId = chainId;
    this.address = account.toLowerCase();
    this.ownerKey = fromHex(ownerKey);
    this.owner = evmAddressOf(this.ownerKey);
    // "stranger" signs with a key of its own, which owns no account.
    this.strangerKey = secp256k1.utils.randomSecretKey();
    this.factory = factory;
    this.factoryCalldata = factoryCalldata;
    this.behaviours = SMART_ACCOUNT_BEHAVIOURS;
    this.behaviour = 'sign';
    this.connected = false;
    this.isDemoWallet = true;
    this.isSmartAccount = true;
    this.walletKey = 'demosmartaccount';
    this.info = Object.freeze({ uuid: crypto.randomUUID(), name, icon: icon('#b45309', 'SA'), rdns });
    /** Every method asked, in order. */
    this.calls = [];
    /** How the last signature was made: { signer, wrapped, deployed }. */
    this.lastSignature = null;
  }

  /** Whether the chain has code at the account's address (eth_getCode on the wallet's node). */
  async isDeployed() {
    const code = await forwardRpc(this.rpcUrl, 'eth_getCode', [this.address, 'latest']);
    return typeof code === 'string' && code !== '0x' && code !== '0x0';
  }

  async request({ method, params = [] } = {}) {
    this.calls.push(method);
    switch (method) {
      case 'eth_requestAccounts':
        if (this.behaviour === 'reject') throw userRejected();
        this.connected = true;
        return [this.address];
      case 'eth_accounts':
        return this.connected ? [this.address] : [];
      case 'eth_chainId':
        return `0x${this.chainId.toString(16)}`;
      case 'personal_sign': {
        if (this.behaviour === 'reject') throw userRejected();
        const [data, account] = params;
        if (typeof account !== 'string' || account.toLowerCase() !== this.address) {
          throw rpcError(4100, 'The requested account has not been authorized by the user.');
        }
        let message = personalSignBytes(data);
        if (this.behaviour === 'tamper') message = new Uint8Array([...message, 0x21]);
        const key = this.behaviour === 'stranger' ? this.strangerKey : this.ownerKey;
        const inner = personalSignWith(key, message);
        const deployed = await this.isDeployed();
        const wrapped = !deployed && Boolean(this.factory && this.factoryCalldata);
        this.lastSignature = { signer: evmAddressOf(key), wrapped, deployed };
        return wrapped ? wrapErc6492(this.factory, this.factoryCalldata, inner) : inner;
      }
      default:
        if (READ_METHODS.has(method)) return forwardRpc(this.rpcUrl, method, params);
        throw rpcError(4200, `The demo smart account does not support ${method}.`);
    }
  }

  on() {}
  removeListener() {}

  /** Announces the wallet now and on every later `eip6963:requestProvider` (EIP-6963). */
  announce(target = window) {
    const detail = Object.freeze({ info: this.info, provider: this });
    const announce = () => target.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
    target.addEventListener('eip6963:requestProvider', announce);
    announce();
    return this;
  }
}

/** `createSignInMessageText` of the Solana Wallet Standard's util package, field for field. */
export function solanaSignInText(input) {
  let text = `${input.domain} wants you to sign in with your Solana account:\n${input.address}`;
  if (input.statement) text += `\n\n${input.statement}`;
  const fields = [];
  const add = (label, value) => value && fields.push(`${label}: ${value}`);
  add('URI', input.uri);
  add('Version', input.version);
  add('Chain ID', input.chainId);
  add('Nonce', input.nonce);
  add('Issued At', input.issuedAt);
  add('Expiration Time', input.expirationTime);
  add('Not Before', input.notBefore);
  add('Request ID', input.requestId);
  if (input.resources) fields.push('Resources:', ...input.resources.map((r) => `- ${r}`));
  if (fields.length) text += `\n\n${fields.join('\n')}`;
  return text;
}

const SOLANA_CHAINS = Object.freeze(['solana:mainnet', 'solana:devnet', 'solana:testnet']);
const SOLANA_FEATURES = Object.freeze(['solana:signMessage', 'solana:signIn']);

/**
 * What the demo Wallet Standard wallets share: the connected state, `standard:connect`,
 * `standard:disconnect`, `standard:events` and the window-event registration. TEST ONLY.
 */
class DemoStandardWallet {
  #listeners = new Set();
  #connected = false;

  /** The three `standard:` features, for a subclass's `features`. */
  standardFeatures(version) {
    return {
      'standard:connect': { version, connect: () => this.connectStandard() },
      'standard:disconnect': { version, disconnect: async () => this.setConnected(false) },
      'standard:events': { version, on: (event, listener) => this.#on(event, listener) },
    };
  }

  get accounts() {
    return this.#connected ? [this.account] : [];
  }

  #on(event, listener) {
    const entry = { event, listener };
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  setConnected(connected) {
    this.#connected = connected;
    for (const { event, listener } of this.#listeners) if (event === 'change') listener({ accounts: this.accounts });
  }

  async connectStandard() {
    this.calls.push('connect');
    if (this.behaviour === 'reject') throw userRejected();
    this.setConnected(true);
    return { accounts: this.accounts };
  }

  /** Registers the wallet by the Wallet Standard's window-event protocol. */
  register(target = window) {
    registerWalletStandard(this, target);
    return this;
  }
}

/** A Wallet Standard wallet with an in-page ed25519 key. TEST ONLY. */
export class DemoSolanaWallet extends DemoStandardWallet {
  constructor({ secretKey, name = 'Demo Solana wallet (test only)' } = {}) {
    super();
    this.secretKey = secretKey ?? ed25519.utils.randomSecretKey();
    this.publicKey = ed25519.getPublicKey(this.secretKey);
    this.address = base58(this.publicKey);
    this.behaviours = BEHAVIOURS;
    this.behaviour = 'sign';
    this.isDemoWallet = true;
    this.walletKey = 'demosolana';
    this.calls = [];
    this.version = '1.0.0';
    this.name = name;
    this.icon = icon('#0d9488', 'SOL');
    this.chains = SOLANA_CHAINS;
    this.account = Object.freeze({
      address: this.address,
      publicKey: this.publicKey,
      chains: SOLANA_CHAINS,
      features: SOLANA_FEATURES,
      label: 'Demo account',
    });
    const version = '1.0.0';
    this.features = Object.freeze({
      ...this.standardFeatures(version),
      'solana:signMessage': { version, signMessage: (...inputs) => this.#signMessage(inputs) },
      'solana:signIn': { version, signIn: (...inputs) => this.#signIn(inputs) },
    });
  }

  #sign(message) {
    const signed = this.behaviour === 'tamper' ? new Uint8Array([...message, 0x21]) : message;
    return ed25519.sign(signed, this.secretKey);
  }

  async #signMessage(inputs) {
    this.calls.push('signMessage');
    if (this.behaviour === 'reject') throw userRejected();
    return inputs.map(({ account, message }) => {
      if (account?.address !== this.address) throw new Error('unknown account');
      return { signedMessage: message, signature: this.#sign(message), signatureType: 'ed25519' };
    });
  }

  async #signIn(inputs) {
    this.calls.push('signIn');
    if (this.behaviour === 'reject') throw userRejected();
    this.setConnected(true);
    return inputs.map((input = {}) => {
      const text = solanaSignInText({ ...input, address: this.address, domain: input.domain ?? location.host });
      const signedMessage = utf8.encode(text);
      return { account: this.account, signedMessage, signature: this.#sign(signedMessage), signatureType: 'ed25519' };
    });
  }

}

/** The Wallet Standard's window-event registration (`register-wallet` now, `app-ready` later). */
function registerWalletStandard(wallet, target) {
  const callback = ({ register }) => register(wallet);
  try {
    target.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: callback }));
  } catch (error) {
    console.error('wallet-standard:register-wallet event could not be dispatched', error);
  }
  target.addEventListener('wallet-standard:app-ready', ({ detail: api }) => callback(api));
}

function base64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

const concatBytes = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** ULEB128 of a length (BCS's length prefix of a vector). */
export function uleb128(n) {
  const out = [];
  let rest = n;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return new Uint8Array(out);
}

/** Sui's intent of a personal message: scope PersonalMessage (3), version 0, app id Sui (0). */
const SUI_PERSONAL_MESSAGE_INTENT = new Uint8Array([3, 0, 0]);
/** The signature scheme flag of Ed25519 in Sui's serialized signatures and addresses. */
const SUI_ED25519_FLAG = 0;

/** What a Sui key signs for a personal message: blake2b-256(intent ‖ ULEB128 length ‖ message). */
export function suiPersonalMessageDigest(message) {
  return blake2b(concatBytes(SUI_PERSONAL_MESSAGE_INTENT, uleb128(message.length), message), { dkLen: 32 });
}

/** The Sui address of an Ed25519 public key: 0x + hex(blake2b-256(flag 0 ‖ public key)). */
export function suiAddressOf(publicKey) {
  return `0x${toHex(blake2b(concatBytes(new Uint8Array([SUI_ED25519_FLAG]), publicKey), { dkLen: 32 }))}`;
}

/** Sui's serialized personal-message signature by an Ed25519 key: base64(0 ‖ signature ‖ public key). */
export function suiSignPersonalMessageWith(secretKey, message) {
  const signature = ed25519.sign(suiPersonalMessageDigest(message), secretKey);
  return base64(concatBytes(new Uint8Array([SUI_ED25519_FLAG]), signature, ed25519.getPublicKey(secretKey)));
}

const SUI_CHAINS = Object.freeze(['sui:mainnet', 'sui:testnet']);
const SUI_FEATURES = Object.freeze(['sui:signPersonalMessage']);

/** A Sui Wallet Standard wallet with an in-page Ed25519 key. TEST ONLY. */
export class DemoSuiWallet extends DemoStandardWallet {
  constructor({ secretKey, name = 'Demo Sui wallet (test only)' } = {}) {
    super();
    this.secretKey = secretKey ?? ed25519.utils.randomSecretKey();
    this.publicKey = ed25519.getPublicKey(this.secretKey);
    this.address = suiAddressOf(this.publicKey);
    this.behaviours = BEHAVIOURS;
    this.behaviour = 'sign';
    this.isDemoWallet = true;
    this.walletKey = 'demosui';
    this.calls = [];
    this.version = '1.0.0';
    this.name = name;
    this.icon = icon('#2563eb', 'SUI');
    this.chains = SUI_CHAINS;
    this.account = Object.freeze({
      address: this.address,
      publicKey: this.publicKey,
      chains: SUI_CHAINS,
      features: SUI_FEATURES,
      label: 'Demo account',
    });
    const version = '1.0.0';
    this.features = Object.freeze({
      ...this.standardFeatures(version),
      'sui:signPersonalMessage': { version: '1.1.0', signPersonalMessage: (input) => this.#signPersonalMessage(input) },
    });
  }

  async #signPersonalMessage({ message, account } = {}) {
    this.calls.push('signPersonalMessage');
    if (this.behaviour === 'reject') throw userRejected();
    // Sui addresses are hex: any case names the same account.
    if (typeof account?.address !== 'string' || account.address.toLowerCase() !== this.address) throw new Error('unknown account');
    if (!(message instanceof Uint8Array)) throw new TypeError('sui:signPersonalMessage: message must be a Uint8Array');
    // "tamper" signs other bytes than it reports as signed.
    const signed = this.behaviour === 'tamper' ? concatBytes(message, new Uint8Array([0x21])) : message;
    return { bytes: base64(message), signature: suiSignPersonalMessageWith(this.secretKey, signed) };
  }

}

// ---------------------------------------------------------------------------------------------
// TON Connect

/** The raw form of a TON address, `workchain:64 hex`, as { workchain, hash }. */
export function parseRawTonAddress(address) {
  const match = /^(-?\d+):([0-9a-fA-F]{64})$/.exec(String(address));
  if (!match) throw new TypeError(`not a raw TON address: ${address}`);
  return { workchain: Number(match[1]), hash: fromHex(match[2]) };
}

/**
 * The message of a TON Connect ton_proof: "ton-proof-item-v2/" ‖ workchain (int32 BE) ‖ address
 * hash (32) ‖ domain length (uint32 LE) ‖ domain (UTF-8) ‖ timestamp (uint64 LE, seconds) ‖ payload.
 */
export function tonProofMessage(address, domain, timestamp, payload) {
  const { workchain, hash } = parseRawTonAddress(address);
  const domainBytes = utf8.encode(domain);
  const head = new DataView(new ArrayBuffer(4));
  head.setInt32(0, workchain, false);
  const length = new DataView(new ArrayBuffer(4));
  length.setUint32(0, domainBytes.length, true);
  const time = new DataView(new ArrayBuffer(8));
  time.setBigUint64(0, BigInt(timestamp), true);
  return concatBytes(
    utf8.encode('ton-proof-item-v2/'),
    new Uint8Array(head.buffer),
    hash,
    new Uint8Array(length.buffer),
    domainBytes,
    new Uint8Array(time.buffer),
    utf8.encode(payload),
  );
}

/** What a TON wallet's key signs for a proof message: sha256(0xffff ‖ "ton-connect" ‖ sha256(message)). */
export function tonProofDigest(message) {
  return sha256(concatBytes(new Uint8Array([0xff, 0xff]), utf8.encode('ton-connect'), sha256(message)));
}

/** TON Connect's ConnectEventError. */
const tonConnectError = (id, code, message) => ({ event: 'connect_error', id, payload: { code, message } });

/**
 * A TON Connect injected bridge for a wallet v4r2 whose key is in this page. TEST ONLY.
 * Options: address (raw), publicKey (hex), walletStateInit (base64 BoC), secretSeed (hex): the
 * `ton` member of /demo-config.json; name; domain (default: this page's host, `location.host`);
 * network (default "-239", mainnet). `install()` puts it at `window.demoTonWallet`, where
 * discoverTonWallets looks (`window.<key>.tonconnect`).
 */
export class DemoTonWallet {
  #listeners = new Set();
  #connected = false;
  #eventId = 0;

  constructor({ address, publicKey, walletStateInit, secretSeed, name = 'Demo TON wallet (test only)', domain, network = '-239' } = {}) {
    parseRawTonAddress(address);
    if (typeof walletStateInit !== 'string' || !walletStateInit) throw new TypeError('DemoTonWallet: walletStateInit is required');
    this.secretKey = fromHex(secretSeed);
    this.publicKeyHex = toHex(ed25519.getPublicKey(this.secretKey));
    if (publicKey !== undefined && String(publicKey).toLowerCase() !== this.publicKeyHex) {
      throw new TypeError('DemoTonWallet: publicKey is not the key of secretSeed');
    }
    this.address = address.toLowerCase();
    this.walletStateInit = walletStateInit;
    this.network = network;
    this.domain = domain;
    this.behaviours = BEHAVIOURS;
    this.behaviourLabels = { reject: 'Decline (TON Connect error 300)' };
    this.behaviour = 'sign';
    this.isDemoWallet = true;
    this.walletKey = 'demoton';
    /** Every bridge method asked, in order; `lastRequest` is the last connect request. */
    this.calls = [];
    this.lastRequest = null;
    const deviceInfo = Object.freeze({
      platform: 'browser',
      appName: 'demoton',
      appVersion: '1.0.0',
      maxProtocolVersion: 2,
      features: Object.freeze(['SendTransaction', Object.freeze({ name: 'SendTransaction', maxMessages: 4 })]),
    });
    this.deviceInfo = deviceInfo;
    this.tonconnect = Object.freeze({
      deviceInfo,
      walletInfo: Object.freeze({ name, image: icon('#0098ea', 'TON') }),
      protocolVersion: 2,
      isWalletBrowser: false,
      connect: (protocolVersion, request) => this.#connect(protocolVersion, request),
      restoreConnection: () => this.#restoreConnection(),
      send: async (message) => {
        this.calls.push('send');
        return { error: { code: 400, message: `The demo TON wallet does not support ${message?.method}.` }, id: String(message?.id ?? '') };
      },
      listen: (callback) => {
        this.#listeners.add(callback);
        return () => this.#listeners.delete(callback);
      },
      disconnect: async () => {
        this.calls.push('disconnect');
        this.#connected = false;
        for (const listener of this.#listeners) listener({ event: 'disconnect', id: ++this.#eventId, payload: {} });
      },
    });
  }

  #addressItem() {
    return { name: 'ton_addr', address: this.address, network: this.network, publicKey: this.publicKeyHex, walletStateInit: this.walletStateInit };
  }

  /** The ton_proof reply for `payload`, signed now for `domain`. */
  proofItem(payload, domain, timestamp = Math.floor(Date.now() / 1000)) {
    // "tamper" signs another payload than the one it reports as signed.
    const signed = this.behaviour === 'tamper' ? `${payload}!` : payload;
    const signature = ed25519.sign(tonProofDigest(tonProofMessage(this.address, domain, timestamp, signed)), this.secretKey);
    return {
      name: 'ton_proof',
      proof: { timestamp, domain: { lengthBytes: utf8.encode(domain).length, value: domain }, payload, signature: base64(signature) },
    };
  }

  async #connect(protocolVersion, request) {
    this.calls.push('connect');
    this.lastRequest = request;
    const id = ++this.#eventId;
    if (protocolVersion !== 2) return tonConnectError(id, 1, `Bad request: protocol version ${protocolVersion} is not supported.`);
    const items = Array.isArray(request?.items) ? request.items : null;
    if (!items || typeof request.manifestUrl !== 'string') return tonConnectError(id, 1, 'Bad request: a manifestUrl and items are required.');
    // As wallets do: the app's manifest must load and name the app.
    let manifest;
    try {
      const response = await fetch(request.manifestUrl, { cache: 'no-store' });
      if (!response.ok) return tonConnectError(id, 2, `App manifest not found (HTTP ${response.status}).`);
      manifest = await response.json();
    } catch {
      return tonConnectError(id, 2, 'App manifest not found.');
    }
    if (typeof manifest?.url !== 'string' || typeof manifest?.name !== 'string') return tonConnectError(id, 3, 'App manifest content error.');
    if (this.behaviour === 'reject') return tonConnectError(id, 300, 'User declined the connection.');
    const domain = this.domain ?? location.host;
    const replies = [];
    for (const item of items) {
      if (item?.name === 'ton_addr') replies.push(this.#addressItem());
      else if (item?.name === 'ton_proof') {
        replies.push(typeof item.payload === 'string' ? this.proofItem(item.payload, domain) : { name: 'ton_proof', error: { code: 1, message: 'No payload.' } });
      } else replies.push({ name: String(item?.name), error: { code: 400, message: 'Method not supported.' } });
    }
    this.#connected = true;
    return { event: 'connect', id, payload: { items: replies, device: this.deviceInfo } };
  }

  async #restoreConnection() {
    this.calls.push('restoreConnection');
    const id = ++this.#eventId;
    if (!this.#connected) return tonConnectError(id, 0, 'Not connected.');
    return { event: 'connect', id, payload: { items: [this.#addressItem()], device: this.deviceInfo } };
  }

  /** Injects the bridge as a TON Connect wallet extension does: `target[key] = { tonconnect }`. */
  install(target = window, key = 'demoTonWallet') {
    target[key] = this;
    return this;
  }
}
