// The wallet protocols' plumbing (events, registries, method calls). What the answers mean
// (addresses, signatures, errors) is decided in src/wasm/wallets.rs and the core.
import { WalletLinkerError } from './error.js';

// One registry per page, filled by listeners installed on first use and kept for the page's life:
// wallets may announce or register long after the first discovery.
const announced = new Map(); // EIP-6963 uuid -> { uuid, name, icon, rdns, provider }
const registered = new Set(); // Wallet Standard wallets
let eip6963Listening = false;
let standardListening = false;

// The global object when it can dispatch events (a window or a worker); undefined in Node.
function eventTarget() {
  const g = globalThis;
  return typeof g.addEventListener === 'function' && typeof g.dispatchEvent === 'function' ? g : undefined;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value) => (typeof value === 'string' ? value : undefined);

function onAnnounce(event) {
  const info = event?.detail?.info;
  const provider = event?.detail?.provider;
  if (typeof info?.uuid !== 'string' || typeof info?.name !== 'string') return;
  if (typeof provider?.request !== 'function') return;
  // A wallet announces again on every request: one entry per uuid, the newest.
  announced.delete(info.uuid);
  announced.set(info.uuid, { uuid: info.uuid, name: info.name, icon: text(info.icon), rdns: text(info.rdns), provider });
}

// EIP-6963 announcements heard within `ms` of a request, and the legacy `window.ethereum`.
export async function discoverEip6963(ms) {
  const target = eventTarget();
  if (!target) return { announced: [] };
  if (!eip6963Listening) {
    eip6963Listening = true;
    target.addEventListener('eip6963:announceProvider', onAnnounce);
  }
  target.dispatchEvent(new Event('eip6963:requestProvider'));
  await sleep(ms);
  const injected = typeof target.ethereum?.request === 'function' ? target.ethereum : undefined;
  return { announced: [...announced.values()], injected };
}

// Wallet Standard wallets registered before this call or within `ms`, and the legacy injected
// Solana provider (`window.phantom.solana`, then `window.solana`).
export async function discoverWalletStandard(ms) {
  const target = eventTarget();
  if (!target) return { wallets: [] };
  if (!standardListening) {
    standardListening = true;
    const api = Object.freeze({
      register(...wallets) {
        const added = wallets.filter((w) => w !== null && typeof w === 'object' && !registered.has(w));
        for (const wallet of added) registered.add(wallet);
        return () => added.forEach((wallet) => registered.delete(wallet));
      },
    });
    // Wallets loaded after us ask for the API; a wallet's own failure must not break the others.
    target.addEventListener('wallet-standard:register-wallet', (event) => {
      if (typeof event?.detail === 'function') {
        try { event.detail(api); } catch {}
      }
    });
    // Wallets loaded before us listen for `app-ready`.
    target.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }));
  }
  await sleep(ms);
  const phantom = target.phantom?.solana;
  const legacy = typeof phantom?.signMessage === 'function' ? phantom : target.solana;
  const usable = typeof legacy?.connect === 'function' && typeof legacy?.signMessage === 'function';
  return { wallets: [...registered], legacy: usable ? legacy : undefined };
}

const isSolanaChain = (chain) => typeof chain === 'string' && chain.startsWith('solana:');

export function feature(wallet, name) {
  const value = wallet?.features?.[name];
  return value !== null && typeof value === 'object' ? value : undefined;
}

export function isSolanaStandardWallet(wallet) {
  return Array.isArray(wallet?.chains) && wallet.chains.some(isSolanaChain)
    && feature(wallet, 'standard:connect') !== undefined
    && (feature(wallet, 'solana:signMessage') !== undefined || feature(wallet, 'solana:signIn') !== undefined);
}

// `object[method]`, or WALLET_NOT_FOUND: the wallet lacks what the protocol promises.
function need(object, name, what) {
  if (typeof object?.[name] !== 'function') throw new WalletLinkerError('WALLET_NOT_FOUND', `${what} has no ${name}() method`);
  return object[name].bind(object);
}

export function eip1193Request(provider, method, params) {
  return need(provider, 'request', 'the provider')({ method, params });
}

// `standard:connect`, then the account to use: one on a Solana chain, else the first.
export async function connectWalletStandard(wallet) {
  const output = await need(feature(wallet, 'standard:connect'), 'connect', 'standard:connect')();
  let accounts = output?.accounts;
  if (!Array.isArray(accounts) || accounts.length === 0) accounts = wallet.accounts;
  if (!Array.isArray(accounts)) return undefined;
  return accounts.find((a) => Array.isArray(a?.chains) && a.chains.some(isSolanaChain)) ?? accounts[0];
}

// A Wallet Standard feature resolves to one output per input.
const first = (outputs) => (Array.isArray(outputs) ? outputs[0] : outputs);

export async function walletStandardSignMessage(wallet, account, message) {
  return first(await need(feature(wallet, 'solana:signMessage'), 'signMessage', 'solana:signMessage')({ account, message }));
}

export async function walletStandardSignIn(wallet, input) {
  return first(await need(feature(wallet, 'solana:signIn'), 'signIn', 'solana:signIn')(input));
}

// `connect()` resolves to `{ publicKey }` in Phantom; older wallets only set `provider.publicKey`.
// The key as a base58 string or its bytes.
export async function connectLegacySolana(provider) {
  const output = await provider.connect();
  const key = output?.publicKey ?? provider.publicKey;
  if (key instanceof Uint8Array || typeof key === 'string') return key;
  return typeof key?.toBase58 === 'function' ? key.toBase58() : undefined;
}

// The legacy `signMessage(bytes, "utf8")`: `{ signature }` or the signature itself.
export async function legacySolanaSignMessage(provider, message) {
  const output = await provider.signMessage(message, 'utf8');
  return output?.signature ?? output;
}
