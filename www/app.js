// The demo page: wallet discovery, sign-in, linking, Snag and global wallet connections, all
// through the wallet-linker package (pkg/, mapped as "wallet-linker" by the page's import map).
// Snag is reached through this site's backend only (`/api/link`, the package's createLinkServer,
// mounted by www/serve.mjs): it issues a nonce, checks the signed proof and the user's Dynamic JWT,
// and calls Snag with the API key and the Snag ids it alone holds. The page never sees them.
// TON wallets (TON Connect injected bridges) are linked to Snag only, through the same backend,
// with a TON Connect ton_proof of the backend's nonce; Dynamic is not involved for TON.
import * as wl from 'wallet-linker';
import { DemoEvmWallet, DemoSmartAccountWallet, DemoSolanaWallet, DemoSuiWallet, DemoTonWallet } from './demo-wallets.js';

const $ = (id) => document.getElementById(id);
const SETTINGS_KEY = 'wallet-linker-demo:settings';
const SETTINGS_FIELDS = ['environmentId', 'baseUrl', 'appName'];
const DISCOVERY_MS = 150;
/** This site's backend routes (createLinkServer's basePath). */
const LINK_PATH = '/api/link';

const STEPS = [
  ['connect', 'Connect the wallet'],
  ['nonce', 'Get a nonce from Dynamic'],
  ['message', 'Write the message'],
  ['sign', 'Sign in the wallet'],
  ['verify', 'Verify the signature in this page'],
  ['link', 'Send the proof to Dynamic'],
  ['snag', 'Sign again for Snag; this site’s backend checks it and connects the wallet'],
];

/** Linking a TON wallet: Snag only, through this site's backend (Dynamic takes no TON proof). */
const TON_STEPS = [
  ['nonce', 'Get a nonce from this site’s backend'],
  ['sign', 'Connect the TON wallet with a ton_proof of the nonce'],
  ['verify', 'Verify the proof in this page'],
  ['snag', 'Send it to this site’s backend, which connects the wallet on Snag'],
];

/**
 * The demo server's TEST-ONLY config: `evm` (`{ rpcUrl, chainId, smartAccounts }`) when it runs a
 * chain (`node www/serve.mjs --anvil`, or the end-to-end test), and `ton` (the demo TON wallet:
 * address, publicKey, walletStateInit, secretSeed), built by the server with @ton/ton.
 */
async function loadDemoConfig() {
  try {
    const response = await fetch('/demo-config.json', { cache: 'no-store' });
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}
const demoConfig = await loadDemoConfig();
const demoChain = demoConfig?.evm ?? null;

// TEST-ONLY wallets with in-page keys. They announce themselves the way extensions do, so the
// page finds them through the same discovery as real wallets. With a demo chain, the EVM wallet
// lives on it (its node answers the reads a smart-account check needs), and each of the chain's
// smart accounts gets a wallet that signs with its owner's key.
const demoWallets = {
  evm: new DemoEvmWallet(demoChain ? { chainId: demoChain.chainId, rpcUrl: demoChain.rpcUrl } : {}).announce(),
  sol: new DemoSolanaWallet().register(),
  sui: new DemoSuiWallet().register(),
  smartAccounts: (demoChain?.smartAccounts ?? []).map((a) =>
    new DemoSmartAccountWallet({ ...a, rpcUrl: demoChain.rpcUrl, chainId: demoChain.chainId }).announce(),
  ),
  // A TON Connect injected bridge at window.demoTonWallet, as TON wallet extensions inject theirs.
  ton: demoConfig?.ton ? new DemoTonWallet(demoConfig.ton).install() : null,
};
const allDemoWallets = () => [demoWallets.evm, demoWallets.sol, demoWallets.sui, demoWallets.ton, ...demoWallets.smartAccounts].filter(Boolean);
// Handy for tests and curious visitors; these keys are worthless by design.
window.demoWallets = demoWallets;

const BEHAVIOUR_LABELS = {
  sign: 'Sign normally',
  reject: 'Decline (error 4001)',
  tamper: 'Tamper with the signature',
  stranger: 'Sign with a key that does not own the account',
};

const state = {
  sandbox: null,
  settings: null,
  rawDynamic: null,
  dynamic: null,
  link: null,
  snag: null,
  wallets: [],
  selectedProvider: null,
  user: null,
  lastProof: null,
  lastVerify: null,
  busy: false,
};

// ---------------------------------------------------------------------------------------------
// Small helpers

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function short(text, keep = 6) {
  if (typeof text !== 'string' || text.length <= keep * 2 + 1) return text;
  return `${text.slice(0, keep + (text.startsWith('0x') ? 2 : 0))}…${text.slice(-keep)}`;
}

/** JSON for display: long opaque strings (JWTs) shortened so the structure stays readable. */
function displayJson(value) {
  if (value === undefined) return '(none)';
  return JSON.stringify(
    value,
    (key, v) => {
      if (v instanceof Date) return v.toISOString();
      if (typeof v === 'string' && v.length > 96 && !v.includes('\n') && !v.includes(' ')) {
        return `${v.slice(0, 40)}… (${v.length} characters)`;
      }
      return v;
    },
    2,
  );
}

const micros = (n) => `${Math.round(n).toLocaleString('en-US')} µs`;

// ---------------------------------------------------------------------------------------------
// Settings

function sandboxDefaults() {
  return {
    environmentId: state.sandbox?.environmentId ?? '',
    baseUrl: `${location.origin}/api/v0`,
    appName: 'wallet-linker demo',
  };
}

function loadSettings() {
  const defaults = sandboxDefaults();
  try {
    const saved = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null');
    // Only the settings the page still has (older versions also kept Snag ids here).
    if (saved && typeof saved === 'object') {
      const known = SETTINGS_FIELDS.filter((k) => typeof saved[k] === 'string').map((k) => [k, saved[k]]);
      return { ...defaults, ...Object.fromEntries(known) };
    }
  } catch {
    // Unreadable settings: fall back to the defaults.
  }
  return defaults;
}

function fillSettingsForm() {
  const form = $('settings-form');
  for (const [name, value] of Object.entries(state.settings)) {
    if (form.elements[name]) form.elements[name].value = value;
  }
  const inSandbox = state.sandbox && state.settings.environmentId === state.sandbox.environmentId &&
    state.settings.baseUrl === `${location.origin}/api/v0`;
  $('env-badge').textContent = inSandbox
    ? `Local sandbox · ${short(state.settings.environmentId, 4)}`
    : `Dynamic · ${short(state.settings.environmentId, 4) || 'no environment'}`;
  $('env-badge').classList.toggle('badge-live', !inSandbox);
  $('snag-backend-url').textContent = `${location.origin}${LINK_PATH}`;
  $('settings-summary').textContent = inSandbox ? 'local sandbox' : new URL(state.settings.baseUrl).host;
}

function makeClients() {
  const s = state.settings;
  state.rawDynamic = new wl.DynamicClient({ environmentId: s.environmentId, baseUrl: s.baseUrl });
  state.dynamic = loggedDynamic(state.rawDynamic, s.environmentId);
  state.link = new wl.LinkServerClient({ baseUrl: `${location.origin}${LINK_PATH}` });
  state.snag = loggedLinkServer(state.link);
  state.user = null;
  state.lastVerify = null;
}

// ---------------------------------------------------------------------------------------------
// The request log: the clients are wrapped in objects with the same methods (linkWallet only
// needs the methods), which record each call's request and response.

async function logCall(method, path, request, call) {
  const entry = { method, path, request, time: new Date() };
  const item = renderLogEntry(entry);
  try {
    entry.response = await call();
    entry.ok = true;
    return entry.response;
  } catch (error) {
    entry.error = error;
    throw error;
  } finally {
    updateLogEntry(item, entry);
  }
}

function loggedDynamic(client, environmentId) {
  const path = (p) => `/sdk/${short(environmentId, 4)}/${p}`;
  const verifyCall = (method, p) => (request) => {
    state.lastVerify = { method, request };
    return logCall('POST', path(p), request, () => client[method](request));
  };
  return {
    environmentId,
    get authToken() {
      return client.authToken;
    },
    getNonce: () => logCall('GET', path('nonce'), undefined, () => client.getNonce()),
    verify: verifyCall('verify', 'verify'),
    verifyLink: verifyCall('verifyLink', 'verify/link'),
    createGlobalWalletConnection: (request) =>
      logCall('POST', path('globalWallets/connections'), request, () => client.createGlobalWalletConnection(request)),
  };
}

/**
 * The link server client, logged. linkWallet recognises a link server by `getNonce` and hands it
 * the new Dynamic JWT through `authToken`, so the wrapper passes that property through.
 */
function loggedLinkServer(client) {
  return {
    get authToken() {
      return client.authToken;
    },
    set authToken(token) {
      client.authToken = token;
    },
    getNonce: () => logCall('GET', `${LINK_PATH}/nonce`, undefined, () => client.getNonce()),
    connectWallet: (params) => logCall('POST', `${LINK_PATH}/snag/connect`, params, () => client.connectWallet(params)),
  };
}

function renderLogEntry(entry) {
  const status = el('span', { class: 'log-status pending', text: 'pending' });
  const body = el('div', { class: 'log-body' });
  const item = el(
    'li',
    { class: 'log-item' },
    el(
      'details',
      {},
      el(
        'summary',
        {},
        el('span', { class: `method method-${entry.method.toLowerCase()}`, text: entry.method }),
        el('span', { class: 'log-path mono', text: entry.path }),
        status,
      ),
      body,
    ),
  );
  item.status = status;
  item.body = body;
  $('log').prepend(item);
  return item;
}

function updateLogEntry(item, entry) {
  item.status.className = `log-status ${entry.ok ? 'ok' : 'failed'}`;
  item.status.textContent = entry.ok ? 'OK' : [entry.error?.status, entry.error?.code].filter(Boolean).join(' ');
  item.body.append(
    el('h4', { text: 'Request' }),
    el('pre', { class: 'mono block', tabindex: '0', text: displayJson(entry.request) }),
    el('h4', { text: entry.ok ? 'Response' : 'Error' }),
    el('pre', {
      class: 'mono block',
      tabindex: '0',
      text: entry.ok
        ? displayJson(entry.response)
        : displayJson({ code: entry.error?.code, status: entry.error?.status, apiCode: entry.error?.apiCode, message: entry.error?.message, body: entry.error?.body }),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Wallets

function demoOf(adapter) {
  const provider = adapter.provider;
  // A TON adapter's provider is the bridge (`window.<key>.tonconnect`).
  return allDemoWallets().find((w) => w === provider || (w.tonconnect && w.tonconnect === provider)) ?? null;
}

async function discoverWallets() {
  const [evm, sol, sui, ton] = await Promise.all([
    wl.discoverEvmWallets(DISCOVERY_MS),
    wl.discoverSolanaWallets(DISCOVERY_MS),
    wl.discoverSuiWallets(DISCOVERY_MS),
    wl.discoverTonWallets(),
  ]);
  state.wallets = [...evm, ...sol, ...sui, ...ton].map((adapter) => ({ adapter, demo: demoOf(adapter) }));
  const stillThere = state.wallets.some((w) => w.adapter.provider === state.selectedProvider);
  if (!stillThere) state.selectedProvider = state.wallets[0]?.adapter.provider ?? null;
  renderWallets();
}

function selectedWallet() {
  return state.wallets.find((w) => w.adapter.provider === state.selectedProvider) ?? null;
}

/** The chains' names as the page shows them, by Dynamic's ChainEnum (adapters) or credential chain. */
const CHAIN_LABELS = { EVM: 'EVM', SOL: 'Solana', SUI: 'Sui', TON: 'TON' };
const CREDENTIAL_CHAINS = { eip155: 'EVM', solana: 'SOL', sui: 'SUI' };

/** The message format for a chain: Sui wallets sign Dynamic's template only. */
function messageFormatFor(chain, standard) {
  if (!standard || chain === 'SUI') return 'dynamic';
  return chain === 'SOL' ? 'siws' : 'siwe';
}

/** Snag's walletType of a chain. */
const SNAG_WALLET_TYPES = { EVM: 'evm', SOL: 'solana', SUI: 'sui' };

function walletIcon(adapter) {
  // EIP-6963 and the Wallet Standard give icons as data URIs; nothing else is loaded.
  if (typeof adapter.icon === 'string' && adapter.icon.startsWith('data:image/')) {
    return el('img', { class: 'wallet-icon', src: adapter.icon, alt: '', width: '32', height: '32' });
  }
  return el('span', { class: 'wallet-icon wallet-icon-blank', 'aria-hidden': 'true', text: adapter.name.slice(0, 1) });
}

function renderWallets() {
  const picker = $('wallet-picker');
  picker.querySelectorAll('.wallet').forEach((n) => n.remove());
  $('wallets-empty').hidden = state.wallets.length > 0;
  $('wallets-empty').textContent = 'No wallet found. Install a browser wallet, or reload for the demo wallets.';
  state.wallets.forEach((wallet, index) => {
    const { adapter, demo } = wallet;
    const id = `wallet-${index}`;
    const address = adapter.address ?? demo?.address;
    const input = el('input', {
      type: 'radio',
      name: 'wallet',
      id,
      value: String(index),
      checked: adapter.provider === state.selectedProvider,
      'data-chain': adapter.chain,
      'data-demo': demo ? 'true' : undefined,
    });
    input.addEventListener('change', () => {
      state.selectedProvider = adapter.provider;
      updateDemoControls();
      // Sign-in depends on the wallet (a TON wallet only links).
      updateButtons();
    });
    const label = el(
      'label',
      { class: 'wallet', for: id },
      input,
      walletIcon(adapter),
      el(
        'span',
        { class: 'wallet-text' },
        el('span', { class: 'wallet-name', text: adapter.name }),
        el(
          'span',
          { class: 'tags' },
          el('span', { class: `tag tag-${adapter.chain.toLowerCase()}`, text: CHAIN_LABELS[adapter.chain] ?? adapter.chain }),
          demo ? el('span', { class: 'tag tag-warn', text: 'Test only' }) : el('span', { class: 'tag', text: sourceLabel(adapter) }),
        ),
        address ? el('span', { class: 'wallet-address mono', text: short(address, 6) }) : null,
      ),
    );
    picker.append(label);
  });
  updateDemoControls();
}

function sourceLabel({ source, chain }) {
  if (chain === 'TON') return 'TON Connect';
  return { eip6963: 'EIP-6963', injected: 'window.ethereum', 'wallet-standard': 'Wallet Standard', 'legacy-injected': 'window.solana' }[source] ?? source;
}

function updateDemoControls() {
  const wallet = selectedWallet();
  $('demo-controls').hidden = !wallet?.demo;
  if (!wallet?.demo) return;
  const select = $('demo-behaviour');
  const behaviours = wallet.demo.behaviours ?? Object.keys(BEHAVIOUR_LABELS).slice(0, 3);
  if ([...select.options].map((o) => o.value).join() !== behaviours.join()) {
    select.replaceChildren(...behaviours.map((b) => el('option', { value: b, text: BEHAVIOUR_LABELS[b] ?? b })));
  }
  // The TON wallet declines with TON Connect's error 300, not EIP-1193's 4001.
  for (const option of select.options) option.textContent = wallet.demo.behaviourLabels?.[option.value] ?? BEHAVIOUR_LABELS[option.value] ?? option.value;
  select.value = wallet.demo.behaviour;
}

// ---------------------------------------------------------------------------------------------
// Progress, results and errors

function resetSteps(withSnag, steps = STEPS) {
  const list = $('steps');
  list.replaceChildren(
    ...steps.filter(([id]) => id !== 'snag' || withSnag).map(([id, text]) =>
      el('li', { class: 'step', 'data-step': id, 'data-state': 'pending' }, el('span', { class: 'step-dot', 'aria-hidden': 'true' }), el('span', { text })),
    ),
  );
}

function setStep(step) {
  for (const item of $('steps').children) {
    if (item.dataset.state === 'active') {
      item.dataset.state = 'done';
      item.removeAttribute('aria-current');
    }
  }
  const item = $('steps').querySelector(`[data-step="${step}"]`);
  if (item) {
    item.dataset.state = 'active';
    item.setAttribute('aria-current', 'step');
  }
}

function finishSteps(failedStep) {
  for (const item of $('steps').children) {
    if (item.dataset.state === 'active') item.dataset.state = failedStep ? 'failed' : 'done';
    if (failedStep && item.dataset.step === failedStep) item.dataset.state = 'failed';
    item.removeAttribute('aria-current');
  }
}

function setStatus(text) {
  $('status').textContent = text;
}

const PLAIN_WORDS = {
  USER_REJECTED: () => 'You declined the request in the wallet.',
  SIGNATURE_MISMATCH: () =>
    'The signature does not match the wallet’s address (neither its key’s nor accepted by its account contract). It was stopped in this page and never sent.',
  RPC_ERROR: () => 'The wallet’s network could not check the signature (a smart account’s is checked on its chain). Nothing was sent.',
  CHAIN_ID_MISMATCH: () => 'The network that checks the signature is not on the message’s chain.',
  HTTP_ERROR: (e) => {
    const reason = API_CODES[e.apiCode];
    return `The server refused the request${e.status ? ` (HTTP ${e.status})` : ''}${reason ? `: ${reason}` : '.'}`;
  },
  NETWORK: () => 'The server could not be reached. Check the base URL, and that this origin is allowed (CORS).',
  TIMEOUT: () => 'The server took too long to answer.',
  ABORTED: () => 'The request was cancelled.',
  WALLET_NOT_FOUND: () => 'This wallet cannot do that (it lacks the needed feature).',
  WALLET_ERROR: () => 'The wallet reported an error.',
  INVALID_RESPONSE: () => 'The server answered with something unexpected.',
  INVALID_ARGUMENT: () => 'A setting or an input is not valid.',
  INVALID_FIELD: () => 'A field of the message is not valid.',
  INVALID_ADDRESS: () => 'The wallet address is not valid.',
  UNSUPPORTED_CHAIN: () => 'This chain is not supported here.',
  BROWSER_SECRET: () => 'A server key would be exposed in this page, so the client refused it.',
};

const API_CODES = {
  invalid_verification: 'the proof is not valid — its nonce was already used or has expired, or its signature or message was refused.',
  // This site's backend (createLinkServer)
  UNAUTHENTICATED: 'this site’s backend could not verify your Dynamic session. Sign in again.',
  NONCE_UNKNOWN: 'this site’s backend did not issue this nonce, or it has expired or was already used.',
  DOMAIN_MISMATCH: 'the signed message names another site.',
  ADDRESS_MISMATCH: 'the signed message names another wallet.',
  SIGNATURE_MISMATCH: 'the signature does not match the wallet.',
  EXPIRED: 'the signed message is too old.',
  merge_accounts_confirmation: 'this wallet already belongs to another user (the two accounts would have to be merged).',
  reassign_wallet_confirm: 'this wallet belongs to another user who has other credentials (it would have to be transferred).',
};

function showError(error, boxId = 'error') {
  const box = $(boxId);
  const code = error?.code ?? 'ERROR';
  const words = PLAIN_WORDS[code]?.(error) ?? 'Something went wrong.';
  const facts = [['code', code], ['step', error?.step], ['status', error?.status], ['apiCode', error?.apiCode]].filter(([, v]) => v !== undefined && v !== null);
  box.replaceChildren(
    el('p', { class: 'alert-title', text: words }),
    el('p', { class: 'alert-detail', text: error?.message ?? String(error) }),
    el('p', { class: 'alert-codes' }, ...facts.flatMap(([k, v], i) => [i ? ' · ' : '', `${k} `, el('code', { text: String(v) })])),
  );
  box.hidden = false;
  box.dataset.code = code;
}

function clearError() {
  for (const box of [$('error'), $('more-error'), $('settings-error')]) {
    box.hidden = true;
    box.replaceChildren();
    delete box.dataset.code;
  }
}

const CONTRACT_KINDS = {
  erc1271: 'smart-account signature (EIP-1271)',
  erc6492: 'smart-account signature (EIP-6492, account not deployed yet)',
};

function renderResult(result) {
  $('result-empty').hidden = true;
  $('result-body').hidden = false;
  const check = $('local-check');
  const kind = result.localCheck.kind;
  const contract = CONTRACT_KINDS[kind];
  check.dataset.kind = kind ?? '';
  check.replaceChildren(
    el('span', { class: 'ok-mark', 'aria-hidden': 'true', text: '✓' }),
    contract ? ` Valid ${contract} by ` : ' Valid signature by ',
    el('code', { class: 'breakable', text: result.localCheck.address }),
    ', checked in this page in ',
    el('strong', { id: 'local-micros', text: micros(result.localCheck.micros) }),
    contract ? ', by its account contract through the wallet’s network, before anything was sent.' : ' before anything was sent.',
  );
  $('message').textContent = result.message;
  $('signature').textContent = result.signature;
}

function renderCredentials(credentials) {
  const list = $('credentials');
  if (!credentials?.length) {
    list.replaceChildren(el('li', { class: 'muted', text: state.user ? 'No credentials.' : 'Sign in to see the user’s credentials.' }));
    return;
  }
  list.replaceChildren(
    ...credentials.map((c) => {
      const wallet = c.format === 'blockchain';
      const chainEnum = CREDENTIAL_CHAINS[c.chain];
      const chain = CHAIN_LABELS[chainEnum] ?? c.chain ?? c.format;
      return el(
        'li',
        { class: 'credential', 'data-address': c.address ?? '', 'data-chain': c.chain ?? '' },
        el('span', { class: `tag tag-${wallet ? (chainEnum ?? 'other').toLowerCase() : 'other'}`, text: wallet ? chain : c.format }),
        el('span', { class: 'credential-main mono breakable', text: c.address ?? c.email ?? c.publicIdentifier ?? c.id }),
        wallet ? el('span', { class: 'muted credential-meta', text: c.walletName ?? c.wallet_name ?? '' }) : null,
      );
    }),
  );
}

function renderSession() {
  const session = $('session');
  if (state.user) {
    const wallets = state.user.verifiedCredentials?.filter((c) => c.format === 'blockchain').length ?? 0;
    session.replaceChildren('Signed in as user ', el('code', { text: short(state.user.id, 6) }), ` · ${wallets} wallet${wallets === 1 ? '' : 's'} linked.`);
  } else {
    session.textContent = 'Signed out. Sign in with a wallet first, then link others.';
  }
  updateButtons();
}

function updateButtons() {
  const signedIn = Boolean(state.user);
  const busy = state.busy;
  // A TON wallet cannot sign in to Dynamic: it is linked (to Snag) once a user is signed in.
  $('sign-in').disabled = busy || !selectedWallet() || selectedWallet().adapter.chain === 'TON';
  $('link').disabled = busy || !signedIn || !selectedWallet();
  $('sign-out').disabled = busy || !signedIn;
  $('snag-connect').disabled = busy || !state.lastProof || !state.snag;
  $('global-connection').disabled = busy || !signedIn;
  $('replay').disabled = busy || !state.lastVerify;
}

function setBusy(busy) {
  state.busy = busy;
  document.querySelector('main').setAttribute('aria-busy', String(busy));
  updateButtons();
}

function showMore(title, value) {
  $('more-result').replaceChildren(el('h3', { text: title }), el('pre', { class: 'mono block', tabindex: '0', text: displayJson(value) }));
}

// ---------------------------------------------------------------------------------------------
// Actions

async function signInOrLink(mode) {
  const wallet = selectedWallet();
  if (!wallet) return;
  if (wallet.adapter.chain === 'TON') {
    await linkTon(wallet);
    return;
  }
  const withSnag = $('with-snag').checked && Boolean(state.snag);
  clearError();
  resetSteps(withSnag);
  setBusy(true);
  setStatus(mode === 'signIn' ? `Signing in with ${wallet.adapter.name}…` : `Linking ${wallet.adapter.name}…`);
  const standard = $('message-format').value === 'standard';
  const options = {
    dynamic: state.dynamic,
    wallet: wallet.adapter,
    mode,
    // Demo wallets get a readable key; other wallets use the adapter's (e.g. "metamask").
    walletName: wallet.demo ? wallet.demo.walletKey : undefined,
    environmentId: state.settings.environmentId,
    appName: state.settings.appName || undefined,
    // Sign-In with Ethereum / Solana where the chain has one; Sui wallets sign Dynamic's template.
    messageFormat: messageFormatFor(wallet.adapter.chain, standard),
    onStep: setStep,
  };
  if (withSnag) {
    // The backend decides the Snag ids and user; the wallet signs a second message with its nonce.
    options.snag = { client: state.snag };
  }
  try {
    const result = await wl.linkWallet(options);
    // The last LinkResult, for tests and curious visitors.
    window.lastLinkResult = result;
    finishSteps();
    state.user = result.user;
    state.lastProof = { ...result, format: options.messageFormat, adapter: wallet.adapter };
    renderResult(result);
    renderCredentials(result.verifiedCredentials);
    renderWallets();
    setStatus(
      `${mode === 'signIn' ? 'Signed in with' : 'Linked'} ${short(result.address, 6)}.` +
        (result.snag ? ` Connected to Snag user ${short(result.snag.id, 4)}.` : ''),
    );
    if (result.snag) showMore('Snag connection', result.snag);
  } catch (error) {
    finishSteps(error?.step ?? 'connect');
    showError(error);
    setStatus('');
  } finally {
    setBusy(false);
    renderSession();
  }
}

/** Marks a coded error with the step it happened at (errors of the package may already say). */
const atStep = (step) => (error) => {
  if (error && typeof error === 'object' && !error.step) {
    try {
      error.step = step;
    } catch {
      // A frozen error keeps its own fields.
    }
  }
  throw error;
};

/**
 * Links a TON wallet to Snag through this site's backend: a nonce from the backend, a TON Connect
 * ton_proof of it from the wallet (`adapter.tonProof`), checked in this page with verifyTonProof
 * (this page's host, the nonce), then posted with the user's Dynamic session to the backend, which
 * checks it again and calls Snag (`walletType: "ton"`). Dynamic takes no TON proof here: its verify
 * format for TON wallets is not documented. Resolves to Snag's answer; throws a coded error.
 */
async function tonProofToSnag(adapter, onStep = () => {}) {
  // The backend only takes a proof over a nonce it issued, from a signed-in user.
  state.snag.authToken = state.rawDynamic.authToken;
  onStep('nonce');
  const nonce = await state.snag.getNonce().catch(atStep('nonce'));
  onStep('sign');
  const { address, tonVerification } = await adapter
    .tonProof({ payload: nonce, manifestUrl: `${location.origin}/tonconnect-manifest.json` })
    .catch(atStep('sign'));
  onStep('verify');
  const started = performance.now();
  let checked;
  try {
    checked = wl.verifyTonProof({ proof: tonVerification.proof, account: tonVerification.account, domain: location.host, payload: nonce });
  } catch (error) {
    atStep('verify')(error);
  }
  const micros = (performance.now() - started) * 1000;
  state.lastProof = { chain: 'TON', address, adapter, tonVerification, checked, micros };
  renderTonResult(state.lastProof);
  onStep('snag');
  const response = await state.snag.connectWallet({ walletType: 'ton', walletAddress: address, tonVerification }).catch(atStep('snag'));
  return { address, tonVerification, checked, snag: response };
}

async function linkTon(wallet) {
  clearError();
  resetSteps(true, TON_STEPS);
  setBusy(true);
  setStatus(`Linking ${wallet.adapter.name} to Snag: approve the connection in the wallet…`);
  try {
    const result = await tonProofToSnag(wallet.adapter, setStep);
    window.lastTonResult = result;
    finishSteps();
    renderWallets();
    showMore('Snag connection', result.snag);
    setStatus(`Linked ${short(result.address, 6)} (TON) to Snag user ${short(result.snag.id, 4)}.`);
  } catch (error) {
    finishSteps(error?.step ?? 'sign');
    showError(error);
    setStatus('');
  } finally {
    setBusy(false);
    renderSession();
  }
}

/** The last TON proof, in the result card: what the wallet signed, and the page's verdict. */
function renderTonResult(proof) {
  $('result-empty').hidden = true;
  $('result-body').hidden = false;
  const check = $('local-check');
  check.dataset.kind = 'ton-proof';
  check.replaceChildren(
    el('span', { class: 'ok-mark', 'aria-hidden': 'true', text: '✓' }),
    ` Valid TON Connect proof (wallet ${proof.checked.wallet}) by `,
    el('code', { class: 'breakable', text: proof.address }),
    ', checked in this page in ',
    el('strong', { id: 'local-micros', text: micros(proof.micros) }),
    ' before anything was sent.',
  );
  const { domain, timestamp, payload, signature } = proof.tonVerification.proof;
  $('message').textContent = [
    'ton-proof-item-v2/ (TON Connect ton_proof)',
    `address:   ${proof.address}`,
    `domain:    ${domain.value}`,
    `timestamp: ${timestamp} (${new Date(Number(timestamp) * 1000).toISOString()})`,
    `payload:   ${payload}`,
  ].join('\n');
  $('signature').textContent = signature;
}

/**
 * A new message like the last proof's (its format and fields) for the backend's `nonce`, issued now.
 */
function snagMessage(proof, nonce) {
  const issuedAt = new Date().toISOString();
  switch (proof.format) {
    case 'siwe': {
      const { expirationTime, notBefore, ...fields } = wl.parseSiweMessage(proof.message);
      return wl.createSiweMessage({ ...fields, nonce, issuedAt });
    }
    case 'siws': {
      const { expirationTime, notBefore, ...input } = wl.parseSolanaSignInMessage(proof.message);
      return wl.createSolanaSignInMessage({ ...input, nonce, issuedAt });
    }
    default:
      return wl.createDynamicSignInMessage({ ...wl.parseDynamicSignInMessage(proof.message), nonce, issuedAt });
  }
}

/**
 * The page's own check of the new proof (the backend checks it again): throws a coded error. An
 * EVM signature that is not the address's key's is checked through the wallet's own provider.
 */
async function checkSnagProof(proof, message, signature, nonce) {
  const common = { message, signature, domain: location.host, nonce };
  if (proof.chain === 'SOL') wl.verifySolanaSignIn({ ...common, publicKey: proof.address });
  else if (proof.chain === 'SUI') checkSuiProof(proof, message, signature, nonce);
  else await wl.verifyEvmSignIn({ ...common, address: proof.address, rpc: proof.adapter.provider });
}

/** A Sui proof: Dynamic's template for this page, the nonce and address asked, signed by the address's key. */
function checkSuiProof(proof, message, signature, nonce) {
  const fields = wl.parseDynamicSignInMessage(message);
  const refuse = (code, text) => {
    throw Object.assign(new Error(text), { code, step: 'verify' });
  };
  if (fields.chain !== 'SUI' || fields.domain !== location.host || fields.nonce !== nonce || fields.address !== proof.address) {
    refuse('INVALID_FIELD', 'The signed message is not the one this page asked for.');
  }
  if (!wl.verifySuiPersonalMessage(message, signature, proof.address)) {
    refuse('SIGNATURE_MISMATCH', `The signature is not ${proof.address}'s signature of the message (checked as a Sui personal message).`);
  }
}

async function connectSnag() {
  const proof = state.lastProof;
  if (!proof || !state.snag) return;
  clearError();
  setBusy(true);
  setStatus(`Connecting ${short(proof.address, 6)} to Snag: sign the message in the wallet…`);
  try {
    if (proof.chain === 'TON') {
      // A TON wallet proves itself with a new ton_proof of a new nonce.
      const { snag } = await tonProofToSnag(proof.adapter);
      showMore('Snag connection', snag);
      setStatus(`Connected ${short(proof.address, 6)} to Snag user ${short(snag.id, 4)}.`);
      return;
    }
    // The backend only takes a proof over a nonce it issued, from a signed-in user.
    state.snag.authToken = state.rawDynamic.authToken;
    const nonce = await state.snag.getNonce();
    const message = snagMessage(proof, nonce);
    const signature = await proof.adapter.signMessage(message);
    await checkSnagProof(proof, message, signature, nonce);
    const response = await state.snag.connectWallet({
      walletType: SNAG_WALLET_TYPES[proof.chain] ?? 'evm',
      walletAddress: proof.address,
      message,
      signature,
    });
    showMore('Snag connection', response);
    setStatus(`Connected ${short(proof.address, 6)} to Snag user ${short(response.id, 4)}.`);
  } catch (error) {
    showError(error, 'more-error');
    setStatus('');
  } finally {
    setBusy(false);
  }
}

async function createGlobalConnection() {
  clearError();
  setBusy(true);
  try {
    const connection = await state.dynamic.createGlobalWalletConnection({ expiresAt: new Date(Date.now() + 60 * 60 * 1000) });
    showMore('Global wallet connection', connection);
    setStatus(`Global wallet connection ${short(connection.id, 4)} created (${connection.status}).`);
  } catch (error) {
    showError(error, 'more-error');
  } finally {
    setBusy(false);
  }
}

async function replayLastProof() {
  const last = state.lastVerify;
  if (!last) return;
  clearError();
  setBusy(true);
  try {
    await state.dynamic[last.method](last.request);
    showMore('Replay', { warning: 'The server accepted a replayed proof: its nonce was not single-use.' });
  } catch (error) {
    showError(error, 'more-error');
    $('more-result').replaceChildren(el('p', { class: 'muted', text: 'Refused, as it should be: a nonce is good for one proof only.' }));
  } finally {
    setBusy(false);
  }
}

function signOut() {
  makeClients();
  state.lastProof = null;
  renderCredentials([]);
  renderSession();
  setStatus('Signed out.');
}

function saveSettings(event) {
  event.preventDefault();
  const form = $('settings-form');
  const next = Object.fromEntries(new FormData(form).entries());
  try {
    new URL(next.baseUrl);
    state.settings = { ...state.settings, ...next };
    makeClients();
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(state.settings));
    fillSettingsForm();
    renderCredentials([]);
    renderSession();
    clearError();
    setStatus('Settings saved.');
  } catch (error) {
    showError(error, 'settings-error');
  }
}

function useSandbox() {
  localStorage.removeItem(SETTINGS_KEY);
  state.settings = sandboxDefaults();
  makeClients();
  fillSettingsForm();
  renderCredentials([]);
  renderSession();
  setStatus('Using the local sandbox.');
}

// ---------------------------------------------------------------------------------------------

async function start() {
  try {
    const response = await fetch('/__sandbox/state', { cache: 'no-store' });
    if (response.ok) state.sandbox = await response.json();
  } catch {
    state.sandbox = null;
  }
  state.settings = loadSettings();
  fillSettingsForm();
  try {
    makeClients();
  } catch (error) {
    showError(error, 'settings-error');
    $('settings').open = true;
  }
  resetSteps(false);
  $('sign-in').addEventListener('click', () => signInOrLink('signIn'));
  $('link').addEventListener('click', () => signInOrLink('link'));
  $('sign-out').addEventListener('click', signOut);
  $('snag-connect').addEventListener('click', connectSnag);
  $('global-connection').addEventListener('click', createGlobalConnection);
  $('replay').addEventListener('click', replayLastProof);
  $('rescan').addEventListener('click', () => discoverWallets().then(updateButtons));
  $('clear-log').addEventListener('click', () => $('log').replaceChildren());
  $('settings-form').addEventListener('submit', saveSettings);
  $('use-sandbox').addEventListener('click', useSandbox);
  $('demo-behaviour').addEventListener('change', (event) => {
    const wallet = selectedWallet();
    if (wallet?.demo) wallet.demo.behaviour = event.target.value;
  });
  $('with-snag').checked = Boolean(state.snag);
  await discoverWallets();
  renderSession();
  document.body.dataset.ready = 'true';
}

start().catch((error) => {
  const box = $('load-error');
  box.textContent = `The demo could not start: ${error?.message ?? error}`;
  box.hidden = false;
});
