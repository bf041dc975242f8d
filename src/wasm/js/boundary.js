// The JavaScript half of the WebAssembly boundary, in one module (one file keeps the page's module
// graph small: the wasm-bindgen test server stalled on a fifth concurrent snippet request). Every
// function here only reaches JS objects, events and promises; what their answers mean is decided
// in Rust.

// ---------------------------------------------------------------------------------------------
// Errors

const made = new WeakSet();
const DETAILS = ['field', 'expected', 'received', 'apiCode', 'body', 'step', 'status'];
export class WalletLinkerError extends Error {
  constructor(code, message, details) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    made.add(this);
    this.code = code;
    for (const key of DETAILS) if (details?.[key] !== undefined) this[key] = details[key];
  }
}
Object.defineProperty(WalletLinkerError.prototype, 'name', { value: 'WalletLinkerError', writable: true, configurable: true });
export function isWalletLinkerError(value) {
  return made.has(value);
}

// ---------------------------------------------------------------------------------------------
// Arguments

// `true`/`false`, or `undefined` on engines before ES2024.
export function isWellFormed(s) {
  return typeof s.isWellFormed === 'function' ? s.isWellFormed() : undefined;
}
const SNAPSHOT_MAX_DEPTH = 32, SNAPSHOT_MAX_ITEMS = 100000;
// A plain-data copy of an argument: plain objects and arrays are copied (undefined/null-valued
// keys dropped), anything else (typed arrays, class instances, functions) is kept as it is.
export function snapshot(value) {
  const open = new Set();
  const copy = (v, depth) => {
    if (v === null || typeof v !== 'object') return v;
    const proto = Object.getPrototypeOf(v);
    const isArray = Array.isArray(v);
    if (!isArray && proto !== Object.prototype && proto !== null) return v;
    if (depth > SNAPSHOT_MAX_DEPTH) throw new RangeError('nested more than ' + SNAPSHOT_MAX_DEPTH + ' levels deep');
    if (open.has(v)) throw new TypeError('contains a cycle');
    open.add(v);
    let out;
    if (isArray) {
      if (v.length > SNAPSHOT_MAX_ITEMS) throw new RangeError('has more than ' + SNAPSHOT_MAX_ITEMS + ' items');
      out = [];
      for (let i = 0; i < v.length; i++) out.push(copy(v[i], depth + 1));
    } else {
      const keys = Object.keys(v);
      if (keys.length > SNAPSHOT_MAX_ITEMS) throw new RangeError('has more than ' + SNAPSHOT_MAX_ITEMS + ' keys');
      out = {};
      for (const k of keys) {
        const item = v[k];
        if (item !== undefined && item !== null) out[k] = copy(item, depth + 1);
      }
    }
    open.delete(v);
    return out;
  };
  return copy(value, 0);
}

// ---------------------------------------------------------------------------------------------
// Transport (the service clients)

const JSON_MAX_DEPTH = 64;
// `freeForm`: the wire names of the models' free-form members, passed by the core
// (types::FREE_FORM_FIELDS): their nulls are data. Elsewhere a null member reads as absent, as in
// the official clients.
export function parseJson(text, freeForm) {
  const FREE_FORM = new Set(freeForm);
  const value = JSON.parse(text);
  const drop = (v, depth) => {
    if (v === null || typeof v !== 'object') return;
    if (depth > JSON_MAX_DEPTH) throw new RangeError('JSON nested deeper than ' + JSON_MAX_DEPTH + ' levels');
    if (Array.isArray(v)) {
      for (const item of v) drop(item, depth + 1);
      return;
    }
    for (const key of Object.keys(v)) {
      if (v[key] === null) delete v[key];
      else if (!FREE_FORM.has(key)) drop(v[key], depth + 1);
    }
  };
  drop(value, 0);
  return value;
}
// The body as text, read chunk by chunk: past `limit` bytes reading stops (the connection is
// aborted) and what arrived so far, already longer than the limit, is returned for the core to
// refuse. A chunked or compressed body is bounded too, not only one that declares its length.
async function readBounded(response, limit, controller) {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      controller.abort();
      break;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

// A thrown value in short: its message, plus its cause's code or message.
export function describe(error) {
  let text = typeof error?.message === 'string' ? error.message : typeof error === 'string' ? error : 'unknown error';
  const cause = error?.cause;
  const detail = cause !== null && typeof cause === 'object' ? cause.code ?? cause.message : undefined;
  if (typeof detail === 'string') text += ` (${detail})`;
  return text;
}

// The socket error codes of a failed fetch, for the core to classify: Node's fetch (undici) names
// one in `cause.code`, or one per address tried in `cause.errors[i].code`; browsers name none.
function socketCodes(error) {
  const cause = error?.cause;
  if (cause === null || typeof cause !== 'object') return [];
  const errors = Array.isArray(cause.errors) && cause.errors.length > 0 ? cause.errors : [cause];
  return errors.map((e) => (typeof e?.code === 'string' ? e.code : null));
}

// One attempt of a request ({ method, url, headers: [[name, value]], body?, credentials }), with
// its own AbortController, aborted by a timer after `timeoutMs` or by the caller's `signal`; both
// also cover reading the body. Resolves to { status, headers, body } or to { failed, message,
// codes } where `failed` is "aborted", "timeout", "invalid" (the request could not be built) or
// "network".
export async function attempt(request, timeoutMs, signal, limit) {
  if (signal?.aborted) return { failed: 'aborted' };
  const controller = new AbortController();
  let built;
  try {
    built = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: request.credentials,
      signal: controller.signal,
    });
  } catch (error) {
    // E.g. a relative baseUrl outside a page, or a header value the platform rejects.
    return { failed: 'invalid', message: describe(error) };
  }
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  signal?.addEventListener('abort', abort);
  try {
    const response = await fetch(built);
    const headers = [...response.headers];
    // Not worth reading past a declared length the core refuses; aborting frees the connection.
    if (Number(response.headers.get('content-length')) > limit) {
      controller.abort();
      return { status: response.status, headers, body: '' };
    }
    return { status: response.status, headers, body: await readBounded(response, limit, controller) };
  } catch (error) {
    if (signal?.aborted) return { failed: 'aborted' };
    if (controller.signal.aborted) return { failed: 'timeout' };
    return { failed: 'network', message: describe(error), codes: socketCodes(error) };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
}

// Resolves after `ms`, or as soon as `signal` aborts.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

// `value` (a promise or a plain value), or a rejection with `timedOut` after `ms` (the link
// server's nonce store: a Redis client queueing while disconnected must not hang a request).
export function withTimeout(value, ms, timedOut) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(timedOut), ms);
  });
  return Promise.race([value, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// linkWallet

// linkWallet's waits and defaults from the page.

const aborted = () => new WalletLinkerError('ABORTED', 'linkWallet was aborted by its signal');

// `value` (a promise or a plain value), rejected with ABORTED as soon as `signal` fires.
export function raceAbort(value, signal) {
  if (!signal) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(aborted());
  let onAbort;
  const abort = new Promise((_, reject) => {
    onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort);
  });
  return Promise.race([value, abort]).finally(() => signal.removeEventListener('abort', onAbort));
}

// `performance.now()` where there is one, else `Date.now()`.
export function preciseNow() {
  return typeof globalThis.performance?.now === 'function' ? performance.now() : Date.now();
}

// `location.host`, or `location.origin + location.pathname`, for a default.
export function fromLocation(parts) {
  const location = globalThis.location;
  const values = parts.map((part) => location?.[part]);
  return values.every((v) => typeof v === 'string') ? values.join('') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Wallet protocols

// The wallet protocols' plumbing (events, registries, method calls). What the answers mean
// (addresses, signatures, errors) is decided in src/wasm/wallets.rs and the core.

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

const onChain = (prefix) => (chain) => typeof chain === 'string' && chain.startsWith(prefix);
const isSolanaChain = onChain('solana:');

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

export function isSuiStandardWallet(wallet) {
  return Array.isArray(wallet?.chains) && wallet.chains.some(onChain('sui:'))
    && feature(wallet, 'standard:connect') !== undefined
    && feature(wallet, 'sui:signPersonalMessage') !== undefined;
}

// `standard:connect`, then the account to use: one on a chain named `prefix…` (`solana:`,
// `sui:`), else the first.
export async function connectWalletStandard(wallet, prefix) {
  const output = await need(feature(wallet, 'standard:connect'), 'connect', 'standard:connect')();
  let accounts = output?.accounts;
  if (!Array.isArray(accounts) || accounts.length === 0) accounts = wallet.accounts;
  if (!Array.isArray(accounts)) return undefined;
  return accounts.find((a) => Array.isArray(a?.chains) && a.chains.some(onChain(prefix))) ?? accounts[0];
}

// `sui:signPersonalMessage`: `{ bytes, signature }`, both base64.
export async function suiSignPersonalMessage(wallet, account, message) {
  const sign = need(feature(wallet, 'sui:signPersonalMessage'), 'signPersonalMessage', 'sui:signPersonalMessage');
  return first(await sign({ message, account }));
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

// ---------------------------------------------------------------------------------------------
// EVM RPC through an EIP-1193 provider (the on-chain signature checks)

// `provider.request({ method, params })` with `params` given as JSON text, rejected with
// `timedOut` after `ms`; a synchronous throw becomes a rejection.
export function providerRequest(provider, method, params, ms, timedOut) {
  const answer = new Promise((resolve) => resolve(eip1193Request(provider, method, JSON.parse(params))));
  return withTimeout(answer, ms, timedOut);
}

// ---------------------------------------------------------------------------------------------
// TON Connect's injected JS bridge (`window.<wallet>.tonconnect`)

// The injected bridges in this page: every own property of `window` whose `tonconnect` has
// `connect()`. A throwing getter is skipped.
export function discoverTonConnect() {
  const target = eventTarget();
  if (!target) return [];
  const found = [];
  const seen = new Set();
  for (const key of Object.keys(target)) {
    try {
      const holder = target[key];
      // `window`, `self`, `top`, `parent` and `frames` are the window again: skip them, and list
      // a bridge held under two names once.
      if (holder === target) continue;
      const bridge = holder?.tonconnect;
      if (typeof bridge?.connect !== 'function' || seen.has(bridge)) continue;
      seen.add(bridge);
      found.push({ key, bridge });
    } catch {}
  }
  return found;
}

// `connect(2, { manifestUrl, items })`: the wallet's ConnectEvent, or its `connect_error` thrown
// with the wallet's code (300: the user declined).
export async function tonConnect(bridge, manifestUrl, payload) {
  const items = [{ name: 'ton_addr' }, { name: 'ton_proof', payload }];
  const event = await need(bridge, 'connect', 'the TON Connect bridge')(2, { manifestUrl, items });
  if (event?.event === 'connect_error') {
    throw Object.assign(new Error(event.payload?.message ?? 'connect_error'), { code: event.payload?.code });
  }
  const replies = Array.isArray(event?.payload?.items) ? event.payload.items : [];
  return {
    address: replies.find((item) => item?.name === 'ton_addr'),
    proof: replies.find((item) => item?.name === 'ton_proof'),
  };
}
