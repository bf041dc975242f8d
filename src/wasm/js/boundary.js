// The JavaScript half of the WebAssembly boundary, in one module (one file keeps the page's module
// graph small: the wasm-bindgen test server stalled on a fifth concurrent snippet request). Every
// function here only reaches JS objects, events and promises; what their answers mean is decided
// in Rust.

// The Rust side of the boundary (src/wasm/mod.rs, `Core`), handed over when the module starts.
let core;
export function setCore(value) {
  core = value;
}
// A synchronous export or wallet rule of the core, by name (src/exports/mod.rs, `call`).
const call = (name, a, b, c) => core.call(name, a, b, c);

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

// The service clients: each class holds its core client (src/wasm/clients.rs), which reads the
// options and arguments, prepares and sends the calls. Methods never throw: a bad argument
// rejects the returned promise.
export class DynamicClient {
  #core;
  constructor(options) { this.#core = core.client('DynamicClient', options); }
  getNonce() { return this.#core.send('getNonce'); }
  verify(request) { return this.#core.send('verify', request); }
  verifyLink(request) { return this.#core.send('verifyLink', request); }
  verifyUnlink(request) { return this.#core.send('verifyUnlink', request); }
  createGlobalWalletConnection(request) { return this.#core.send('createGlobalWalletConnection', request); }
  get environmentId() { return this.#core.environmentId; }
  get authToken() { return this.#core.authToken; }
  set authToken(token) { this.#core.setAuthToken(token); }
  setAuthToken(token) { this.#core.setAuthToken(token); }
}

export class DynamicAdminClient {
  #core;
  constructor(options) { this.#core = core.client('DynamicAdminClient', options); }
  bulkCreateUsers(users, options) { return this.#core.send('bulkCreateUsers', users, options); }
}

export class SnagClient {
  #core;
  constructor(options) { this.#core = core.client('SnagClient', options); }
  connectWallet(params) { return this.#core.send('connectWallet', params); }
}

export class LinkServerClient {
  #core;
  constructor(options) { this.#core = core.client('LinkServerClient', options); }
  getNonce() { return this.#core.send('getNonce'); }
  connectWallet(params) { return this.#core.send('connectWallet', params); }
  get authToken() { return this.#core.authToken; }
  set authToken(token) { this.#core.setAuthToken(token); }
}

// ---------------------------------------------------------------------------------------------
// linkWallet

// The flow runs in the core (src/link.rs and src/flow.rs); the host below is how it reaches the
// caller's objects. Every wait is raced against `signal`, and what the objects throw
// becomes a coded error.
export function linkWallet(options) {
  return core.linkWallet(options, linkHost(options));
}

const aborted = () => new WalletLinkerError('ABORTED', 'linkWallet was aborted by its signal');

// `value` (a promise or a plain value), rejected with ABORTED as soon as `signal` fires.
function raceAbort(value, signal) {
  if (!signal) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(aborted());
  let onAbort;
  const abort = new Promise((_, reject) => {
    onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort);
  });
  return Promise.race([value, abort]).finally(() => signal.removeEventListener('abort', onAbort));
}

function linkHost(options) {
  // A member that cannot be read is undefined here: the core reports it when it reads the options.
  const read = (object, key) => {
    try {
      return object?.[key];
    } catch {
      return undefined;
    }
  };
  const [dynamic, wallet, signMessage, signal, onStep] = ['dynamic', 'wallet', 'signMessage', 'signal', 'onStep'].map((key) => read(options, key));
  const snagClient = read(read(options, 'snag'), 'client');
  const live = typeof AbortSignal === 'function' && signal instanceof AbortSignal ? signal : undefined;
  // A wallet's failure: 4001 is USER_REJECTED, anything else WALLET_ERROR (the core decides).
  const fromWallet = async (what, request) => {
    try {
      return await raceAbort(request(), live);
    } catch (thrown) {
      throw call('error', thrown, what);
    }
  };
  // A service's failure keeps its code (e.g. HTTP_ERROR); anything else is INVALID_RESPONSE.
  const service = (object) => async (method, argument) => {
    if (typeof object?.[method] !== 'function') {
      throw new WalletLinkerError('INVALID_ARGUMENT', `the client has no ${method}() method`, { field: method });
    }
    try {
      return await raceAbort(object[method](argument), live);
    } catch (thrown) {
      throw core.serviceError(thrown);
    }
  };
  return {
    connect: () => fromWallet('connect', async () => {
      const address = await wallet.connect();
      return typeof address === 'string' ? address : wallet.address;
    }),
    sign: (message) => fromWallet('sign the message', () => (signMessage ? signMessage(message) : wallet.signMessage(message))),
    signIn: (input) => fromWallet('sign in', () => wallet.signIn(input)),
    dynamic: service(dynamic),
    snag: service(snagClient),
    step: (step) => {
      try {
        onStep?.(step);
      } catch {}
    },
    aborted: () => live?.aborted === true,
    signal: live,
    now: Date.now,
    // `performance.now()` where there is one.
    preciseNow: typeof globalThis.performance?.now === 'function' ? () => performance.now() : Date.now,
    location: fromLocation,
  };
}

// `location.host`, or `location.origin + location.pathname`, for a default.
export function fromLocation(parts) {
  const location = globalThis.location;
  const values = parts.map((part) => location?.[part]);
  return values.every((v) => typeof v === 'string') ? values.join('') : undefined;
}

// ---------------------------------------------------------------------------------------------
// The link server's runtime (src/wasm/server.rs)

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

function subtle() {
  const found = globalThis.crypto?.subtle;
  if (!found) throw new WalletLinkerError('INTERNAL', 'WebCrypto (crypto.subtle) is not available in this runtime');
  return found;
}

// A JWKS key for RS256 verification; undefined for a key that does not import.
export async function importRsaKey(jwk) {
  const crypto = subtle();
  return crypto.importKey('jwk', jwk, RS256, false, ['verify']).catch(() => undefined);
}

export async function verifyRs256(key, data, signature) {
  return subtle().verify(RS256, key, signature, data);
}


export function verifyDynamicJwt(token, options) {
  return core.verifyDynamicJwt(token, options);
}

// ---------------------------------------------------------------------------------------------
// Wallet adapters

// The wallet protocols' plumbing (events, registries, method calls) and `WalletAdapter`, one shape
// for every wallet. What the answers mean (addresses, signatures, errors) is decided in Rust
// (`call`, src/exports/wallets.rs).

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
async function discoverEip6963(target, ms) {
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
async function discoverWalletStandard(target, ms) {
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

// The injected TON Connect bridges: every own property of `window` whose `tonconnect` has
// `connect()`. A throwing getter is skipped.
function discoverTonConnect(target) {
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

const onChain = (prefix) => (chain) => typeof chain === 'string' && chain.startsWith(prefix);

function feature(wallet, name) {
  const value = wallet?.features?.[name];
  return value !== null && typeof value === 'object' ? value : undefined;
}

function isStandardWallet(wallet, prefix, ...signing) {
  return Array.isArray(wallet?.chains) && wallet.chains.some(onChain(prefix))
    && feature(wallet, 'standard:connect') !== undefined
    && signing.some((name) => feature(wallet, name) !== undefined);
}
const isSolanaStandardWallet = (wallet) => isStandardWallet(wallet, 'solana:', 'solana:signMessage', 'solana:signIn');
const isSuiStandardWallet = (wallet) => isStandardWallet(wallet, 'sui:', 'sui:signPersonalMessage');

// `object[method]`, or WALLET_NOT_FOUND: the wallet lacks what the protocol promises.
function need(object, name, what) {
  if (typeof object?.[name] !== 'function') throw new WalletLinkerError('WALLET_NOT_FOUND', `${what} has no ${name}() method`);
  return object[name].bind(object);
}

function eip1193Request(provider, method, params) {
  return need(provider, 'request', 'the provider')({ method, params });
}

// A Wallet Standard feature resolves to one output per input.
const first = (outputs) => (Array.isArray(outputs) ? outputs[0] : outputs);

// `request()`'s result awaited; what it throws or rejects with becomes the core's coded error for
// `what` (4001 is USER_REJECTED).
const asked = (request, what) => new Promise((resolve) => resolve(request())).catch((thrown) => {
  throw call('error', thrown, what);
});

const CHAINS = { eip1193: 'EVM', solana: 'SOL', legacy: 'SOL', sui: 'SUI', ton: 'TON' };
const notFound = (message, field) => new WalletLinkerError('WALLET_NOT_FOUND', message, { field });
const tonNeedsProof = () => new WalletLinkerError('INVALID_ARGUMENT',
  'a TON Connect wallet connects with a proof and signs no messages: call tonProof({ payload, manifestUrl })');
const MADE_HERE = Symbol('WalletAdapter');

// One wallet, whatever interface it speaks (declared in src/wasm/types/wallets.d.ts).
export class WalletAdapter {
  #kind; #target; #info; #source; #address; #account; #chainId;

  constructor(token, kind, target, info, source) {
    if (token !== MADE_HERE) throw new WalletLinkerError('INVALID_ARGUMENT', 'WalletAdapter is made by discover*Wallets() or WalletAdapter.from*()');
    this.#kind = kind;
    this.#target = target;
    this.#info = info;
    this.#source = source;
  }

  static fromEip1193(provider, info) {
    if (typeof provider?.request !== 'function') {
      throw new WalletLinkerError('INVALID_ARGUMENT', 'provider must be an EIP-1193 provider (an object with request())', { field: 'provider' });
    }
    const given = info !== null && typeof info === 'object';
    return evmAdapter(provider, given ? info : {}, given ? 'eip6963' : 'injected');
  }

  static fromWalletStandard(wallet) {
    if (isSuiStandardWallet(wallet) && !isSolanaStandardWallet(wallet)) return standardAdapter('sui', wallet);
    if (!isSolanaStandardWallet(wallet)) {
      throw notFound('wallet must be a Wallet Standard wallet with a solana: chain, standard:connect, and solana:signMessage or solana:signIn; or with a sui: chain, standard:connect and sui:signPersonalMessage', 'wallet');
    }
    return standardAdapter('solana', wallet);
  }

  static fromTonConnect(bridge) {
    if (typeof bridge?.connect !== 'function') {
      throw notFound('bridge must be a TON Connect injected bridge (an object with connect())', 'bridge');
    }
    return tonAdapter('TON wallet', bridge);
  }

  get name() { return this.#info.name; }
  get icon() { return text(this.#info.icon); }
  get rdns() { return text(this.#info.rdns); }
  get uuid() { return text(this.#info.uuid); }
  get chain() { return CHAINS[this.#kind]; }
  get source() { return this.#source; }
  get walletName() { return call('walletKey', this.#info.name); }
  get address() { return this.#address; }
  get chainId() { return this.#chainId; }
  get canSignIn() { return this.#kind === 'solana' && feature(this.#target, 'solana:signIn') !== undefined; }
  get provider() { return this.#target; }

  async connect() {
    const target = this.#target;
    switch (this.#kind) {
      case 'eip1193': {
        const accounts = await asked(() => eip1193Request(target, 'eth_requestAccounts', []), 'connect');
        const address = call('evmAccount', accounts);
        // The chain id is informative (the message's Chain ID): a wallet that cannot tell it is
        // still usable.
        try {
          this.#chainId = call('chainId', await eip1193Request(target, 'eth_chainId', []));
        } catch {}
        return (this.#address = address);
      }
      case 'solana':
      case 'sui': {
        if (feature(target, 'standard:connect') === undefined) throw notFound(`${this.name} has no standard:connect feature`);
        const account = await asked(() => connectWalletStandard(target, this.#kind + ':'), 'connect');
        const address = call('address', this.chain, account);
        this.#account = account;
        return (this.#address = address);
      }
      case 'legacy':
        return (this.#address = call('keyAddress', await asked(() => connectLegacySolana(target), 'connect')));
      default:
        throw tonNeedsProof();
    }
  }

  async signMessage(message) {
    call('text', message, 'message');
    if (this.#kind === 'ton') throw tonNeedsProof();
    const address = this.#address ?? (await this.connect());
    const bytes = new TextEncoder().encode(message);
    const target = this.#target;
    const sign = (request) => asked(request, 'sign the message');
    switch (this.#kind) {
      case 'eip1193': {
        // personal_sign takes the message as hex of its UTF-8 bytes, then the address.
        const hex = '0x' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
        const signature = await sign(() => eip1193Request(target, 'personal_sign', [hex, address]));
        if (typeof signature !== 'string') throw new WalletLinkerError('WALLET_ERROR', 'personal_sign did not return a hex string');
        return signature;
      }
      case 'solana': {
        const feat = feature(target, 'solana:signMessage');
        if (feat === undefined) throw notFound(`${this.name} cannot sign messages (no solana:signMessage)`);
        const output = first(await sign(() => need(feat, 'signMessage', 'solana:signMessage')({ account: this.#account, message: bytes })));
        const signed = output?.signedMessage;
        if (signed instanceof Uint8Array && !sameBytes(signed, bytes)) {
          throw new WalletLinkerError('WALLET_ERROR', 'the wallet signed different bytes than the message it was given');
        }
        return call('signature', output?.signature);
      }
      case 'legacy': {
        // The legacy `signMessage(bytes, "utf8")`: `{ signature }` or the signature itself.
        const output = await sign(() => target.signMessage(bytes, 'utf8'));
        return call('signature', output?.signature ?? output);
      }
      default: {
        // `sui:signPersonalMessage`: `{ bytes, signature }`, both base64.
        const feat = feature(target, 'sui:signPersonalMessage');
        const output = first(await sign(() => need(feat, 'signPersonalMessage', 'sui:signPersonalMessage')({ message: bytes, account: this.#account })));
        if (typeof output?.signature !== 'string') throw new WalletLinkerError('WALLET_ERROR', 'sui:signPersonalMessage returned no signature');
        return output.signature;
      }
    }
  }

  async signIn(input) {
    if (input === null || typeof input !== 'object') {
      throw new WalletLinkerError('INVALID_ARGUMENT', 'input must be an object', { field: 'input' });
    }
    if (!this.canSignIn) throw notFound(`${this.name} does not support Sign-In With Solana (solana:signIn)`);
    const feat = feature(this.#target, 'solana:signIn');
    const output = first(await asked(() => need(feat, 'signIn', 'solana:signIn')(input), 'sign in'));
    const checked = call('signIn', output);
    this.#address = checked.address;
    this.#account = output.account;
    return checked;
  }

  async tonProof(options) {
    const payload = call('text', options?.payload, 'payload');
    const manifestUrl = call('text', options?.manifestUrl, 'manifestUrl');
    if (this.#kind !== 'ton') throw notFound(`${this.name} is not a TON Connect wallet`);
    const items = [{ name: 'ton_addr' }, { name: 'ton_proof', payload }];
    let event;
    try {
      event = await need(this.#target, 'connect', 'the TON Connect bridge')(2, { manifestUrl, items });
    } catch (thrown) {
      throw call('error', thrown, 'connect');
    }
    if (event?.event === 'connect_error') {
      // TON Connect's USER_REJECTS_ERROR is 300.
      if (event.payload?.code === 300) throw new WalletLinkerError('USER_REJECTED', 'the user rejected the request in the wallet (connect)');
      throw call('error', Object.assign(new Error(event.payload?.message ?? 'connect_error'), { code: event.payload?.code }), 'connect');
    }
    const replies = Array.isArray(event?.payload?.items) ? event.payload.items : [];
    const find = (name) => replies.find((item) => item?.name === name);
    const output = call('tonProof', find('ton_addr'), find('ton_proof'));
    this.#address = output.address;
    return output;
  }
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function evmAdapter(provider, info, source) {
  const name = text(info.name) ?? call('injectedName', 'EVM', provider);
  return new WalletAdapter(MADE_HERE, 'eip1193', provider, { name, icon: info.icon, rdns: info.rdns, uuid: info.uuid }, source);
}

function standardAdapter(kind, wallet) {
  const info = { name: text(wallet.name) ?? 'Wallet', icon: wallet.icon };
  return new WalletAdapter(MADE_HERE, kind, wallet, info, 'wallet-standard');
}

function tonAdapter(key, bridge) {
  const info = bridge.walletInfo;
  return new WalletAdapter(MADE_HERE, 'ton', bridge, { name: text(info?.name) ?? key, icon: info?.image }, 'injected');
}

// `standard:connect`, then the account to use: one on a chain named `prefix…` (`solana:`,
// `sui:`), else the first.
async function connectWalletStandard(wallet, prefix) {
  const output = await need(feature(wallet, 'standard:connect'), 'connect', 'standard:connect')();
  let accounts = output?.accounts;
  if (!Array.isArray(accounts) || accounts.length === 0) accounts = wallet.accounts;
  if (!Array.isArray(accounts)) return undefined;
  return accounts.find((a) => Array.isArray(a?.chains) && a.chains.some(onChain(prefix))) ?? accounts[0];
}

// `connect()` resolves to `{ publicKey }` in Phantom; older wallets only set `provider.publicKey`.
// The key as a base58 string or its bytes.
async function connectLegacySolana(provider) {
  const output = await provider.connect();
  const key = output?.publicKey ?? provider.publicKey;
  if (key instanceof Uint8Array || typeof key === 'string') return key;
  return typeof key?.toBase58 === 'function' ? key.toBase58() : undefined;
}

// Waits `timeoutMs` (checked by the core) for wallets with `find`; none where there is no window.
async function discover(timeoutMs, find) {
  const ms = call('timeout', timeoutMs);
  const target = eventTarget();
  return target ? find(target, ms) : [];
}

export function discoverEvmWallets(timeoutMs) {
  return discover(timeoutMs, async (target, ms) => {
    const found = await discoverEip6963(target, ms);
    const list = found.announced.map((a) => evmAdapter(a.provider, a, 'eip6963'));
    if (list.length === 0 && found.injected) list.push(evmAdapter(found.injected, {}, 'injected'));
    return list;
  });
}

export function discoverSolanaWallets(timeoutMs) {
  return discover(timeoutMs, async (target, ms) => {
    const found = await discoverWalletStandard(target, ms);
    const list = found.wallets.filter(isSolanaStandardWallet).map((w) => standardAdapter('solana', w));
    if (list.length === 0 && found.legacy) {
      const name = call('injectedName', 'SOL', found.legacy);
      list.push(new WalletAdapter(MADE_HERE, 'legacy', found.legacy, { name }, 'legacy-injected'));
    }
    return list;
  });
}

export function discoverSuiWallets(timeoutMs) {
  return discover(timeoutMs, async (target, ms) => {
    const found = await discoverWalletStandard(target, ms);
    return found.wallets.filter(isSuiStandardWallet).map((w) => standardAdapter('sui', w));
  });
}

export function discoverTonWallets() {
  return discover(undefined, async (target) => discoverTonConnect(target).map(({ key, bridge }) => tonAdapter(key, bridge)));
}

// ---------------------------------------------------------------------------------------------
// EVM RPC through an EIP-1193 provider (the on-chain signature checks)

// `provider.request({ method, params })` with `params` given as JSON text, rejected with
// `timedOut` after `ms`; a synchronous throw becomes a rejection.
function providerRequest(provider, method, params, ms, timedOut) {
  const answer = new Promise((resolve) => resolve(eip1193Request(provider, method, JSON.parse(params))));
  return withTimeout(answer, ms, timedOut);
}

// What the core calls in the runtime (src/server/host.rs, src/exports/rpc.rs).
export const runtime = { importRsaKey, verifyRs256, withTimeout, providerRequest };

// ---------------------------------------------------------------------------------------------
// Messages and local verification (src/exports/messages.rs, verify.rs)

export function recoverEvmAddress(message, signature) {
  return call('recoverEvmAddress', message, signature);
}
export function verifyEvmSignature(message, signature, address) {
  return call('verifyEvmSignature', message, signature, address);
}
export function verifySolanaSignature(message, signature, publicKey) {
  return call('verifySolanaSignature', message, signature, publicKey);
}
export function verifySuiPersonalMessage(message, signature, address) {
  return call('verifySuiPersonalMessage', message, signature, address);
}
export function verifySiweSignIn(options) {
  return call('verifySiweSignIn', options);
}
export function verifySolanaSignIn(options) {
  return call('verifySolanaSignIn', options);
}
export function verifyEvmMessage(options) {
  return core.verifyEvmMessage(options);
}
export function verifyEvmSignIn(options) {
  return core.verifyEvmSignIn(options);
}
export function verifyTonProof(options) {
  return call('verifyTonProof', options);
}
export function createSiweMessage(fields) {
  return call('createSiweMessage', fields);
}
export function parseSiweMessage(text) {
  return call('parseSiweMessage', text);
}
export function createSolanaSignInMessage(input) {
  return call('createSolanaSignInMessage', input);
}
export function parseSolanaSignInMessage(text) {
  return call('parseSolanaSignInMessage', text);
}
export function createDynamicSignInMessage(params) {
  return call('createDynamicSignInMessage', params, fromLocation(['host']), fromLocation(['origin', 'pathname']));
}
export function parseDynamicSignInMessage(text) {
  return call('parseDynamicSignInMessage', text);
}
export function toChecksumAddress(address) {
  return call('toChecksumAddress', address);
}
export function isValidSolanaAddress(address) {
  return call('isValidSolanaAddress', address);
}
export function generateNonce() {
  return call('generateNonce', randomBytes());
}

// 16 bytes from the runtime's secure random source, or the text saying why there is none.
function randomBytes() {
  const crypto = globalThis.crypto;
  if (typeof crypto !== 'object' || crypto === null) return 'globalThis.crypto is missing';
  if (typeof crypto.getRandomValues !== 'function') return 'crypto.getRandomValues is missing';
  try {
    return crypto.getRandomValues(new Uint8Array(16));
  } catch {
    return 'crypto.getRandomValues threw';
  }
}

// A Solana public key checked and decompressed once, for verifying many signatures with it.
export class SolanaVerifier {
  #key;
  constructor(publicKey) {
    this.#key = core.solanaKey(publicKey);
  }
  verify(message, signature) {
    return this.#key.verify(message, signature);
  }
  get address() {
    return this.#key.address;
  }
  // Frees the key's memory in the module now, rather than when the object is collected.
  free() {
    this.#key.free();
  }
}
if (typeof Symbol.dispose === 'symbol') SolanaVerifier.prototype[Symbol.dispose] = SolanaVerifier.prototype.free;
