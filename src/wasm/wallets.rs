//! Wallet adapters over the browser's wallet interfaces, through js-sys only (no framework):
//!
//! - EVM: EIP-6963 discovery (`eip6963:requestProvider` / `eip6963:announceProvider`) with a
//!   fallback to `window.ethereum`; EIP-1193 `eth_requestAccounts`, `eth_chainId` and
//!   `personal_sign` with the message hex-encoded as UTF-8.
//! - Sui: Wallet Standard wallets with a `sui:` chain, `standard:connect` and
//!   `sui:signPersonalMessage` (the signature is Sui's serialized form, base64).
//! - TON: TON Connect's injected JS bridge (`window.<wallet>.tonconnect`), connected with the
//!   `ton_addr` and `ton_proof` items: the proof, as Snag's `tonVerification`, is what a TON
//!   wallet gives (it signs no messages).
//! - Solana: the Wallet Standard's register protocol (`wallet-standard:register-wallet` /
//!   `wallet-standard:app-ready`), features `standard:connect`, `solana:signMessage` and
//!   `solana:signIn`, with a fallback to the legacy injected `window.phantom.solana` /
//!   `window.solana` provider.
//!
//! Every wallet becomes a [`WalletAdapter`] with one shape (`connect`, `signMessage`, `signIn`),
//! which `linkWallet` accepts as `options.wallet`. A user's refusal (EIP-1193 code 4001) is
//! `USER_REJECTED`; any other wallet failure is `WALLET_ERROR`, a missing wallet or feature
//! `WALLET_NOT_FOUND`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::error::from_js;
use super::input;
use crate::error::{Error, ErrorCode, Result};
use crate::wallet::{self, ErrorCodeValue, is_user_rejection};

#[wasm_bindgen(typescript_custom_section)]
const TS_WALLETS: &str = include_str!("types/wallets.d.ts");

// ---------------------------------------------------------------------------------------------
// Small js-sys helpers: property reads never throw here (a throwing getter reads as undefined).

pub(crate) fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() && !object.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn get_string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

pub(crate) fn get_function(object: &JsValue, key: &str) -> Option<Function> {
    get(object, key).dyn_into::<Function>().ok()
}

/// Awaits a value that may be a promise (or any thenable); a rejection comes back as `Err`.
pub(crate) async fn settle(value: JsValue) -> core::result::Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&value)).await
}

/// Calls `object[name](...args)` and awaits its result. `Ok(None)` when there is no such method.
pub(crate) async fn call_method(
    object: &JsValue,
    name: &str,
    args: &[JsValue],
) -> core::result::Result<Option<JsValue>, JsValue> {
    let Some(function) = get_function(object, name) else {
        return Ok(None);
    };
    let arguments: Array = args.iter().collect();
    let value = Reflect::apply(&function, object, &arguments)?;
    settle(value).await.map(Some)
}

/// A thrown wallet value as a coded error: 4001 is `USER_REJECTED`, an error of this package
/// keeps its code, anything else is `WALLET_ERROR` with the wallet's message in `received`.
pub(crate) fn wallet_error(value: &JsValue, what: &str) -> Error {
    let wallet_message = get_string(value, "message").or_else(|| value.as_string());
    let code = get(value, "code");
    let text = code.as_string();
    let code = match (code.as_f64(), text.as_deref()) {
        (Some(n), _) => ErrorCodeValue::Number(n),
        (None, Some(text)) => ErrorCodeValue::Text(text),
        _ => ErrorCodeValue::Absent,
    };
    if is_user_rejection(code) {
        let mut e = Error::new(
            ErrorCode::UserRejected,
            format!("the user rejected the request in the wallet ({what})"),
        );
        if let Some(message) = wallet_message {
            e = e.with_received(message);
        }
        return e;
    }
    let inner = from_js(value, ErrorCode::WalletError);
    if inner.code != ErrorCode::WalletError {
        return inner;
    }
    let mut e = Error::new(
        ErrorCode::WalletError,
        format!("the wallet failed to {what}: {}", inner.message),
    );
    if let Some(message) = wallet_message {
        e = e.with_received(message);
    }
    e
}

fn not_found(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::WalletNotFound, message)
}

/// Longest discovery wait accepted.
const MAX_DISCOVERY_MS: f64 = 60_000.0;
/// Default discovery wait: wallets answer the request event synchronously; this leaves room for
/// the ones that answer from a later task.
const DEFAULT_DISCOVERY_MS: u32 = 100;

fn discovery_timeout(value: &JsValue) -> Result<u32> {
    if value.is_undefined() || value.is_null() {
        return Ok(DEFAULT_DISCOVERY_MS);
    }
    match value.as_f64() {
        Some(ms) if ms.is_finite() && (0.0..=MAX_DISCOVERY_MS).contains(&ms) => Ok(ms as u32),
        _ => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("timeoutMs must be a number of milliseconds from 0 to {MAX_DISCOVERY_MS}"),
        )
        .with_field("timeoutMs")
        .with_received(value.as_f64().map_or_else(
            || value.js_typeof().as_string().unwrap_or_default(),
            |n| n.to_string(),
        ))),
    }
}

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = discoverEip6963)]
    async fn discover_eip6963(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = discoverWalletStandard)]
    async fn discover_wallet_standard(ms: u32) -> JsValue;
    fn feature(wallet: &JsValue, name: &str) -> JsValue;
    #[wasm_bindgen(js_name = isSolanaStandardWallet)]
    fn is_solana_standard_wallet(wallet: &JsValue) -> bool;
    #[wasm_bindgen(js_name = discoverTonConnect)]
    fn discover_ton_connect() -> Array;
    #[wasm_bindgen(catch, js_name = tonConnect)]
    async fn ton_connect(
        bridge: &JsValue,
        manifest_url: &str,
        payload: &str,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = isSuiStandardWallet)]
    fn is_sui_standard_wallet(wallet: &JsValue) -> bool;
    #[wasm_bindgen(catch, js_name = suiSignPersonalMessage)]
    async fn sui_sign_personal_message(
        wallet: &JsValue,
        account: &JsValue,
        message: &[u8],
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = eip1193Request)]
    async fn eip1193_request(
        provider: &JsValue,
        method: &str,
        params: Array,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = connectWalletStandard)]
    async fn connect_wallet_standard(
        wallet: &JsValue,
        chain_prefix: &str,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = walletStandardSignMessage)]
    async fn wallet_standard_sign_message(
        wallet: &JsValue,
        account: &JsValue,
        message: &[u8],
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = walletStandardSignIn)]
    async fn wallet_standard_sign_in(
        wallet: &JsValue,
        input: JsValue,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = connectLegacySolana)]
    async fn connect_legacy_solana_key(
        provider: &JsValue,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = legacySolanaSignMessage)]
    async fn legacy_solana_sign_message(
        provider: &JsValue,
        message: &[u8],
    ) -> core::result::Result<JsValue, JsValue>;
}

// ---------------------------------------------------------------------------------------------
// Discovery exports.

/// Finds the EVM wallets in this page: every EIP-6963 announcement received within `timeoutMs`
/// (default 100) of a `eip6963:requestProvider` event, or, when none announces, the legacy
/// `window.ethereum`. Resolves to an empty array where there is no window (Node).
#[wasm_bindgen(js_name = discoverEvmWallets, unchecked_return_type = "Promise<WalletAdapter[]>")]
pub fn discover_evm_wallets(
    #[wasm_bindgen(js_name = timeoutMs, unchecked_optional_param_type = "number")]
    timeout_ms: Option<JsValue>,
) -> Promise {
    discover(timeout_ms, async |timeout| {
        let found = discover_eip6963(timeout).await;
        let mut list: Vec<Inner> = Array::from(&get(&found, "announced"))
            .iter()
            .map(|a| {
                let name = get_string(&a, "name").unwrap_or_default();
                Inner::evm(get(&a, "provider"), name, &a, "eip6963")
            })
            .collect();
        let injected = get(&found, "injected");
        if list.is_empty() && !injected.is_undefined() {
            let name = injected_evm_name(&injected);
            list.push(Inner::evm(injected, name, &JsValue::UNDEFINED, "injected"));
        }
        list
    })
}

/// Finds the Sui wallets in this page: Wallet Standard wallets (registered before this call or
/// within `timeoutMs`, default 100) that have a `sui:` chain, `standard:connect` and
/// `sui:signPersonalMessage`. Resolves to an empty array where there is no window.
#[wasm_bindgen(js_name = discoverSuiWallets, unchecked_return_type = "Promise<WalletAdapter[]>")]
pub fn discover_sui_wallets(
    #[wasm_bindgen(js_name = timeoutMs, unchecked_optional_param_type = "number")]
    timeout_ms: Option<JsValue>,
) -> Promise {
    discover(timeout_ms, async |timeout| {
        let found = discover_wallet_standard(timeout).await;
        Array::from(&get(&found, "wallets"))
            .iter()
            .filter(is_sui_standard_wallet)
            .map(Inner::sui)
            .collect()
    })
}

/// Finds the TON wallets in this page: TON Connect's injected bridges (`window.<key>.tonconnect`,
/// as Tonkeeper, MyTonWallet and others inject them). Resolves to an empty array where there is
/// no window.
#[wasm_bindgen(js_name = discoverTonWallets, unchecked_return_type = "Promise<WalletAdapter[]>")]
pub fn discover_ton_wallets() -> Promise {
    discover(None, async |_| {
        discover_ton_connect()
            .iter()
            .map(|found| {
                Inner::ton(
                    get_string(&found, "key").unwrap_or_default(),
                    get(&found, "bridge"),
                )
            })
            .collect()
    })
}

/// Waits `timeoutMs` for wallets with `find`, then makes an adapter of each.
fn discover(
    timeout_ms: Option<JsValue>,
    find: impl AsyncFnOnce(u32) -> Vec<Inner> + 'static,
) -> Promise {
    let timeout = discovery_timeout(&timeout_ms.unwrap_or(JsValue::UNDEFINED));
    wasm_bindgen_futures::future_to_promise(async move {
        let adapters: Array = find(timeout?)
            .await
            .into_iter()
            .map(|inner| JsValue::from(WalletAdapter::new(inner)))
            .collect();
        Ok(adapters.into())
    })
}

/// A display name for a legacy injected EVM provider, from the flags wallets set on it.
fn injected_evm_name(provider: &JsValue) -> String {
    wallet::injected_evm_name(|name| get(provider, name).as_bool() == Some(true)).to_owned()
}

/// Finds the Solana wallets in this page: Wallet Standard wallets (registered before this call or
/// within `timeoutMs`, default 100) that have a `solana:` chain, `standard:connect`, and
/// `solana:signMessage` or `solana:signIn`; or, when there is none, the legacy injected
/// `window.phantom.solana` / `window.solana`. Resolves to an empty array where there is no window.
#[wasm_bindgen(js_name = discoverSolanaWallets, unchecked_return_type = "Promise<WalletAdapter[]>")]
pub fn discover_solana_wallets(
    #[wasm_bindgen(js_name = timeoutMs, unchecked_optional_param_type = "number")]
    timeout_ms: Option<JsValue>,
) -> Promise {
    discover(timeout_ms, async |timeout| {
        let found = discover_wallet_standard(timeout).await;
        let mut list: Vec<Inner> = Array::from(&get(&found, "wallets"))
            .iter()
            .filter(is_solana_standard_wallet)
            .map(Inner::standard)
            .collect();
        let legacy = get(&found, "legacy");
        if list.is_empty() && !legacy.is_undefined() {
            list.push(Inner::legacy_solana(legacy));
        }
        list
    })
}

// ---------------------------------------------------------------------------------------------
// The adapter.

enum Backend {
    /// An EIP-1193 provider.
    Eip1193(JsValue),
    /// A Wallet Standard wallet on Solana.
    Standard(JsValue),
    /// A Wallet Standard wallet on Sui.
    SuiStandard(JsValue),
    /// TON Connect's injected bridge.
    TonConnect(JsValue),
    /// A legacy injected Solana provider (`connect()`, `signMessage(bytes, "utf8")`).
    LegacySolana(JsValue),
}

struct Inner {
    backend: Backend,
    name: String,
    icon: Option<String>,
    rdns: Option<String>,
    uuid: Option<String>,
    source: &'static str,
    address: RefCell<Option<String>>,
    /// The Wallet Standard account chosen at connect time (needed by `solana:signMessage`).
    account: RefCell<JsValue>,
    chain_id: Cell<Option<u64>>,
}

impl Inner {
    fn new(backend: Backend, name: String, icon: Option<String>, source: &'static str) -> Self {
        Inner {
            backend,
            name,
            icon,
            rdns: None,
            uuid: None,
            source,
            address: RefCell::new(None),
            account: RefCell::new(JsValue::UNDEFINED),
            chain_id: Cell::new(None),
        }
    }

    /// An EIP-1193 provider with its EIP-6963 `info` (icon, rdns, uuid), if any.
    fn evm(provider: JsValue, name: String, info: &JsValue, source: &'static str) -> Self {
        Inner {
            rdns: get_string(info, "rdns"),
            uuid: get_string(info, "uuid"),
            ..Inner::new(
                Backend::Eip1193(provider),
                name,
                get_string(info, "icon"),
                source,
            )
        }
    }

    fn standard(wallet: JsValue) -> Self {
        let name = get_string(&wallet, "name").unwrap_or_else(|| "Wallet".to_owned());
        let icon = get_string(&wallet, "icon");
        Inner::new(Backend::Standard(wallet), name, icon, "wallet-standard")
    }

    fn sui(wallet: JsValue) -> Self {
        let name = get_string(&wallet, "name").unwrap_or_else(|| "Wallet".to_owned());
        let icon = get_string(&wallet, "icon");
        Inner::new(Backend::SuiStandard(wallet), name, icon, "wallet-standard")
    }

    fn ton(key: String, bridge: JsValue) -> Self {
        let info = get(&bridge, "walletInfo");
        let name = get_string(&info, "name").unwrap_or(key);
        let icon = get_string(&info, "image");
        Inner::new(Backend::TonConnect(bridge), name, icon, "injected")
    }

    fn legacy_solana(provider: JsValue) -> Self {
        let name = wallet::legacy_solana_name(|flag| get(&provider, flag).as_bool() == Some(true));
        Inner::new(
            Backend::LegacySolana(provider),
            name.to_owned(),
            None,
            "legacy-injected",
        )
    }

    fn chain(&self) -> &'static str {
        match self.backend {
            Backend::Eip1193(_) => "EVM",
            Backend::Standard(_) | Backend::LegacySolana(_) => "SOL",
            Backend::SuiStandard(_) => "SUI",
            Backend::TonConnect(_) => "TON",
        }
    }

    fn has_feature(&self, name: &str) -> bool {
        match &self.backend {
            Backend::Standard(wallet) | Backend::SuiStandard(wallet) => {
                !feature(wallet, name).is_undefined()
            }
            _ => false,
        }
    }

    async fn connect(&self) -> Result<String> {
        let address = match &self.backend {
            Backend::Eip1193(provider) => self.connect_evm(provider).await?,
            Backend::Standard(wallet) => self.connect_standard(wallet, "solana:").await?,
            Backend::SuiStandard(wallet) => self.connect_standard(wallet, "sui:").await?,
            Backend::TonConnect(_) => return Err(ton_needs_proof()),
            Backend::LegacySolana(provider) => connect_legacy_solana(provider).await?,
        };
        *self.address.borrow_mut() = Some(address.clone());
        Ok(address)
    }

    async fn connect_evm(&self, provider: &JsValue) -> Result<String> {
        let accounts = eip1193_request(provider, "eth_requestAccounts", Array::new())
            .await
            .map_err(|e| wallet_error(&e, "connect"))?;
        let first = Array::is_array(&accounts)
            .then(|| Array::from(&accounts).get(0))
            .and_then(|a| a.as_string())
            .ok_or_else(|| {
                Error::new(ErrorCode::WalletError, "the wallet returned no account")
                    .with_received(accounts.as_string().unwrap_or_default())
            })?;
        let address = crate::evm::to_checksum_address(&first).map_err(|e| {
            Error::new(
                ErrorCode::WalletError,
                format!("the wallet returned an invalid address: {}", e.message),
            )
            .with_received(first.clone())
        })?;
        // The chain id is informative (the message's Chain ID): a wallet that cannot tell it is
        // still usable.
        if let Ok(chain) = eip1193_request(provider, "eth_chainId", Array::new()).await {
            self.chain_id.set(
                chain
                    .as_string()
                    .as_deref()
                    .and_then(wallet::parse_hex_quantity)
                    .or_else(|| {
                        chain
                            .as_f64()
                            .filter(|n| n.fract() == 0.0 && *n > 0.0)
                            .map(|n| n as u64)
                    }),
            );
        }
        Ok(address)
    }

    async fn connect_standard(&self, wallet: &JsValue, chain_prefix: &str) -> Result<String> {
        if !self.has_feature("standard:connect") {
            return Err(not_found(format!(
                "{} has no standard:connect feature",
                self.name
            )));
        }
        let account = connect_wallet_standard(wallet, chain_prefix)
            .await
            .map_err(|e| wallet_error(&e, "connect"))?;
        if account.is_undefined() {
            return Err(Error::new(
                ErrorCode::WalletError,
                "the wallet returned no account",
            ));
        }
        let address = get_string(&account, "address");
        let address = match &self.backend {
            Backend::SuiStandard(_) => address
                .and_then(|a| crate::sui::parse_address(&a).ok())
                .map(|a| crate::sui::format_address(&a)),
            _ => address.filter(|a| crate::solana::is_valid_address(a)),
        }
        .ok_or_else(|| {
            Error::new(
                ErrorCode::WalletError,
                format!("the wallet's account has no valid {} address", self.chain()),
            )
        })?;
        *self.account.borrow_mut() = account;
        Ok(address)
    }

    async fn ensure_connected(&self) -> Result<String> {
        let known = self.address.borrow().clone();
        match known {
            Some(address) => Ok(address),
            None => self.connect().await,
        }
    }

    async fn sign_message(&self, message: &str) -> Result<String> {
        let address = self.ensure_connected().await?;
        let failed = |e: JsValue| wallet_error(&e, "sign the message");
        match &self.backend {
            Backend::Eip1193(provider) => {
                // personal_sign takes the message as hex of its UTF-8 bytes, then the address.
                let params = Array::of2(
                    &JsValue::from_str(&crate::evm::hex_0x(message.as_bytes())),
                    &JsValue::from_str(&address),
                );
                let signature = eip1193_request(provider, "personal_sign", params)
                    .await
                    .map_err(failed)?;
                signature.as_string().ok_or_else(|| {
                    Error::new(
                        ErrorCode::WalletError,
                        "personal_sign did not return a hex string",
                    )
                })
            }
            Backend::Standard(wallet) => {
                if !self.has_feature("solana:signMessage") {
                    return Err(not_found(format!(
                        "{} cannot sign messages (no solana:signMessage)",
                        self.name
                    )));
                }
                let account = self.account.borrow().clone();
                let output = wallet_standard_sign_message(wallet, &account, message.as_bytes())
                    .await
                    .map_err(failed)?;
                let signed = get(&output, "signedMessage");
                if let Some(signed) = signed.dyn_ref::<Uint8Array>()
                    && signed.to_vec() != message.as_bytes()
                {
                    return Err(Error::new(
                        ErrorCode::WalletError,
                        "the wallet signed different bytes than the message it was given",
                    ));
                }
                signature_base58(&get(&output, "signature"))
            }
            Backend::LegacySolana(provider) => {
                let signature = legacy_solana_sign_message(provider, message.as_bytes())
                    .await
                    .map_err(failed)?;
                signature_base58(&signature)
            }
            Backend::TonConnect(_) => Err(ton_needs_proof()),
            Backend::SuiStandard(wallet) => {
                let account = self.account.borrow().clone();
                let output = sui_sign_personal_message(wallet, &account, message.as_bytes())
                    .await
                    .map_err(failed)?;
                get_string(&output, "signature").ok_or_else(|| {
                    Error::new(
                        ErrorCode::WalletError,
                        "sui:signPersonalMessage returned no signature",
                    )
                })
            }
        }
    }

    async fn sign_in(&self, input: JsValue) -> Result<JsValue> {
        let Backend::Standard(wallet) = &self.backend else {
            return Err(self.no_sign_in());
        };
        if !self.has_feature("solana:signIn") {
            return Err(self.no_sign_in());
        }
        let output = wallet_standard_sign_in(wallet, input)
            .await
            .map_err(|e| wallet_error(&e, "sign in"))?;
        let account = get(&output, "account");
        let address = get_string(&account, "address")
            .filter(|a| crate::solana::is_valid_address(a))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::WalletError,
                    "solana:signIn returned no valid account",
                )
            })?;
        let signed = get(&output, "signedMessage");
        let signed = signed
            .dyn_ref::<Uint8Array>()
            .map(Uint8Array::to_vec)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::WalletError,
                    "solana:signIn returned no signedMessage bytes",
                )
            })?;
        let message = String::from_utf8(signed).map_err(|_| {
            Error::new(
                ErrorCode::WalletError,
                "the message the wallet signed is not UTF-8 text",
            )
        })?;
        let signature = signature_base58(&get(&output, "signature"))?;
        *self.address.borrow_mut() = Some(address.clone());
        *self.account.borrow_mut() = account;
        input::to_js(&WalletSignInOutput {
            address,
            message,
            signature,
        })
    }

    /// TON Connect's `connect` with `ton_addr` and `ton_proof`: the proof and the account as
    /// Snag's `tonVerification` (not verified here: `verifyTonProof`, or the backend, does that).
    async fn ton_proof(&self, payload: &str, manifest_url: &str) -> Result<JsValue> {
        let Backend::TonConnect(bridge) = &self.backend else {
            return Err(not_found(format!(
                "{} is not a TON Connect wallet",
                self.name
            )));
        };
        let replies =
            ton_connect(bridge, manifest_url, payload)
                .await
                .map_err(|thrown| match get(&thrown, "code").as_f64() {
                    // TON Connect's USER_REJECTS_ERROR.
                    Some(300.0) => Error::new(
                        ErrorCode::UserRejected,
                        "the user rejected the request in the wallet (connect)",
                    ),
                    _ => wallet_error(&thrown, "connect"),
                })?;
        let proof_item = get(&replies, "proof");
        let no_proof = |why: &str| {
            Error::new(
                ErrorCode::WalletError,
                format!("the wallet gave no ton_proof: {why}"),
            )
        };
        if proof_item.is_undefined() {
            return Err(no_proof("no ton_proof item in its reply"));
        }
        let failed = get(&proof_item, "error");
        if !failed.is_undefined() {
            return Err(no_proof(
                &get_string(&failed, "message").unwrap_or_default(),
            ));
        }
        let read = |value: JsValue, what: &str| {
            let copy = input::snapshot(&value, what)?;
            super::de::read(copy, &[]).map_err(|e| e.into_error(what, ErrorCode::WalletError))
        };
        let proof: crate::ton::TonProof = read(get(&proof_item, "proof"), "proof")?;
        let item = get(&replies, "address");
        let account = crate::ton::TonAccount {
            address: get_string(&item, "address").unwrap_or_default(),
            chain: get_string(&item, "network").unwrap_or_default(),
            public_key: get_string(&item, "publicKey").unwrap_or_default(),
            wallet_state_init: get_string(&item, "walletStateInit"),
        };
        if crate::ton::TonAddress::parse(&account.address).is_err() {
            return Err(Error::new(
                ErrorCode::WalletError,
                "the wallet's ton_addr reply has no valid address",
            ));
        }
        *self.address.borrow_mut() = Some(account.address.clone());
        input::to_js(&TonProofOutput {
            address: account.address.clone(),
            ton_verification: crate::ton::build_ton_verification(proof, account),
        })
    }

    fn no_sign_in(&self) -> Error {
        not_found(format!(
            "{} does not support Sign-In With Solana (solana:signIn)",
            self.name
        ))
    }
}

/// `WalletAdapter.tonProof`'s result.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct TonProofOutput {
    address: String,
    ton_verification: crate::ton::TonVerification,
}

fn ton_needs_proof() -> Error {
    Error::new(
        ErrorCode::InvalidArgument,
        "a TON Connect wallet connects with a proof and signs no messages: call tonProof({ payload, manifestUrl })",
    )
}

/// `WalletAdapter.signIn`'s result.
#[derive(serde::Serialize)]
struct WalletSignInOutput {
    address: String,
    message: String,
    signature: String,
}

async fn connect_legacy_solana(provider: &JsValue) -> Result<String> {
    let key = connect_legacy_solana_key(provider)
        .await
        .map_err(|e| wallet_error(&e, "connect"))?;
    let address = match key.dyn_ref::<Uint8Array>() {
        Some(bytes) => <[u8; 32]>::try_from(bytes.to_vec().as_slice())
            .ok()
            .map(|key| crate::solana::pubkey::to_address(&key)),
        None => key.as_string(),
    };
    address
        .filter(|a| crate::solana::is_valid_address(a))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::WalletError,
                "the wallet returned no valid public key",
            )
        })
}

/// A Solana signature from a wallet (bytes, or text in base58 / base64) as base58.
pub(crate) fn signature_base58(value: &JsValue) -> Result<String> {
    let bytes = if value.is_instance_of::<Uint8Array>() {
        input::bytes(value, "signature")?
    } else if let Some(text) = value.as_string() {
        crate::solana::decode_signature(&text)?.to_vec()
    } else {
        return Err(Error::new(
            ErrorCode::WalletError,
            "the wallet returned no signature bytes",
        ));
    };
    Ok(bs58::encode(bytes).into_string())
}

/// One wallet, whatever interface it speaks: `connect()`, `signMessage(message)` and, for Wallet
/// Standard wallets with `solana:signIn`, `signIn(input)`. Pass it to `linkWallet` as
/// `options.wallet`.
#[wasm_bindgen]
pub struct WalletAdapter {
    inner: Rc<Inner>,
}

impl WalletAdapter {
    fn new(inner: Inner) -> Self {
        WalletAdapter {
            inner: Rc::new(inner),
        }
    }
}

fn reject(e: Error) -> Promise {
    Promise::reject(&e.into())
}

#[wasm_bindgen]
impl WalletAdapter {
    /// An adapter for an EIP-1193 provider you found yourself (`info` as in EIP-6963, optional).
    #[wasm_bindgen(js_name = fromEip1193)]
    pub fn from_eip1193(
        #[wasm_bindgen(unchecked_param_type = "Eip1193Provider")] provider: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Eip6963ProviderInfo")] info: Option<
            JsValue,
        >,
    ) -> Result<WalletAdapter> {
        let info = info.unwrap_or(JsValue::UNDEFINED);
        if get_function(&provider, "request").is_none() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "provider must be an EIP-1193 provider (an object with request())",
            )
            .with_field("provider"));
        }
        let name = get_string(&info, "name").unwrap_or_else(|| injected_evm_name(&provider));
        let source = if info.is_object() {
            "eip6963"
        } else {
            "injected"
        };
        Ok(WalletAdapter::new(Inner::evm(
            provider, name, &info, source,
        )))
    }

    /// An adapter for a Wallet Standard wallet you found yourself (e.g. through
    /// `@wallet-standard/app`).
    #[wasm_bindgen(js_name = fromWalletStandard)]
    pub fn from_wallet_standard(
        #[wasm_bindgen(unchecked_param_type = "StandardWallet")] wallet: JsValue,
    ) -> Result<WalletAdapter> {
        if is_sui_standard_wallet(&wallet) && !is_solana_standard_wallet(&wallet) {
            return Ok(WalletAdapter::new(Inner::sui(wallet)));
        }
        if !is_solana_standard_wallet(&wallet) {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "wallet must be a Wallet Standard wallet with a solana: chain, standard:connect, and solana:signMessage or solana:signIn; or with a sui: chain, standard:connect and sui:signPersonalMessage",
            )
            .with_field("wallet"));
        }
        Ok(WalletAdapter::new(Inner::standard(wallet)))
    }

    /// An adapter for a TON Connect injected bridge you found yourself (`window.<key>.tonconnect`).
    #[wasm_bindgen(js_name = fromTonConnect)]
    pub fn from_ton_connect(
        #[wasm_bindgen(unchecked_param_type = "unknown")] bridge: JsValue,
    ) -> Result<WalletAdapter> {
        if get_function(&bridge, "connect").is_none() {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "bridge must be a TON Connect injected bridge (an object with connect())",
            )
            .with_field("bridge"));
        }
        Ok(WalletAdapter::new(Inner::ton(
            "TON wallet".to_owned(),
            bridge,
        )))
    }

    /// The wallet's display name, e.g. "MetaMask".
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// The wallet's icon as the wallet gave it (a data URI for EIP-6963 and the Wallet Standard).
    #[wasm_bindgen(getter)]
    pub fn icon(&self) -> Option<String> {
        self.inner.icon.clone()
    }

    /// EIP-6963 reverse-DNS id, e.g. `io.metamask`.
    #[wasm_bindgen(getter)]
    pub fn rdns(&self) -> Option<String> {
        self.inner.rdns.clone()
    }

    /// EIP-6963 announcement uuid (stable for the page's life).
    #[wasm_bindgen(getter)]
    pub fn uuid(&self) -> Option<String> {
        self.inner.uuid.clone()
    }

    /// `"EVM"`, `"SOL"`, `"SUI"` or `"TON"` (Dynamic's `ChainEnum`).
    #[wasm_bindgen(
        getter,
        unchecked_return_type = "\"EVM\" | \"SOL\" | \"SUI\" | \"TON\""
    )]
    pub fn chain(&self) -> String {
        self.inner.chain().to_owned()
    }

    /// How the wallet was found.
    #[wasm_bindgen(getter, unchecked_return_type = "WalletSource")]
    pub fn source(&self) -> String {
        self.inner.source.to_owned()
    }

    /// The key Dynamic expects as `walletName` (the name in lower case without spaces).
    #[wasm_bindgen(getter, js_name = walletName)]
    pub fn wallet_name(&self) -> String {
        wallet::wallet_key(&self.inner.name)
    }

    /// The connected address (EIP-55 for EVM, base58 for Solana); undefined before `connect()`.
    #[wasm_bindgen(getter)]
    pub fn address(&self) -> Option<String> {
        self.inner.address.borrow().clone()
    }

    /// The EVM chain id the wallet reported at `connect()`.
    #[wasm_bindgen(getter, js_name = chainId)]
    pub fn chain_id(&self) -> Option<f64> {
        // Chain ids in use are far below 2^53.
        self.inner.chain_id.get().map(|id| id as f64)
    }

    /// Whether `signIn` is available (a Wallet Standard wallet with `solana:signIn`).
    #[wasm_bindgen(getter, js_name = canSignIn)]
    pub fn can_sign_in(&self) -> bool {
        self.inner.has_feature("solana:signIn")
    }

    /// The underlying EIP-1193 provider or Wallet Standard wallet.
    #[wasm_bindgen(getter, unchecked_return_type = "unknown")]
    pub fn provider(&self) -> JsValue {
        match &self.inner.backend {
            Backend::Eip1193(p)
            | Backend::Standard(p)
            | Backend::SuiStandard(p)
            | Backend::TonConnect(p)
            | Backend::LegacySolana(p) => p.clone(),
        }
    }

    /// Asks the wallet for its account (the wallet may show a prompt). Resolves to the address.
    /// Rejects with `USER_REJECTED` when the user declines, `WALLET_ERROR` otherwise.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn connect(&self) -> Promise {
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(JsValue::from_str(&inner.connect().await?))
        })
    }

    /// Asks the wallet to sign `message` (its UTF-8 bytes), connecting first if needed. Resolves
    /// to the signature: 0x-hex for EVM (EIP-191 `personal_sign`), base58 for Solana.
    #[wasm_bindgen(js_name = signMessage, unchecked_return_type = "Promise<string>")]
    pub fn sign_message(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] message: JsValue,
    ) -> Promise {
        let message = match input::string(&message, "message") {
            Ok(message) => message,
            Err(e) => return reject(e),
        };
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(JsValue::from_str(&inner.sign_message(&message).await?))
        })
    }

    /// TON Connect: connects with the `ton_addr` and `ton_proof` items (`payload`: the nonce your
    /// backend issued; `manifestUrl`: your TON Connect manifest) and resolves to the address and
    /// Snag's `tonVerification` (check it with `verifyTonProof`, or send it to your backend).
    /// Rejects with `USER_REJECTED` when the user declines.
    #[wasm_bindgen(js_name = tonProof, unchecked_return_type = "Promise<TonProofOutput>")]
    pub fn ton_proof(
        &self,
        #[wasm_bindgen(unchecked_param_type = "{ payload: string; manifestUrl: string }")]
        options: JsValue,
    ) -> Promise {
        let payload = input::string(&get(&options, "payload"), "payload");
        let manifest_url = input::string(&get(&options, "manifestUrl"), "manifestUrl");
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(inner.ton_proof(&payload?, &manifest_url?).await?)
        })
    }

    /// Sign-In With Solana through the wallet's `solana:signIn` feature: the wallet connects,
    /// builds the message from `input` and signs it. Rejects with `WALLET_NOT_FOUND` when the
    /// wallet lacks the feature.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<WalletSignInOutput>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<SolanaSignInInput>")] input: JsValue,
    ) -> Promise {
        if !input.is_object() {
            return reject(
                Error::new(ErrorCode::InvalidArgument, "input must be an object")
                    .with_field("input"),
            );
        }
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move { Ok(inner.sign_in(input).await?) })
    }
}
