//! The wallet adapters: `WalletAdapter` and the `discover*Wallets` functions are JavaScript
//! (`js/boundary.js`: events, registries and the protocols' calls), exported as they are. What
//! the wallets' answers mean is decided here, through `crate::wallet`: the adapters hand each
//! answer to the boundary's [`Core`].

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{Core, input};
use crate::error::{Error, ErrorCode, Result};
use crate::flow::WalletSignature;
use crate::wallet;

#[wasm_bindgen(typescript_custom_section)]
const TS_WALLETS: &str = include_str!("types/wallets.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = WalletAdapter, reexport, skip_typescript)]
    fn wallet_adapter_class();
    #[wasm_bindgen(js_name = discoverEvmWallets, reexport, skip_typescript)]
    fn discover_evm_wallets();
    #[wasm_bindgen(js_name = discoverSolanaWallets, reexport, skip_typescript)]
    fn discover_solana_wallets();
    #[wasm_bindgen(js_name = discoverSuiWallets, reexport, skip_typescript)]
    fn discover_sui_wallets();
    #[wasm_bindgen(js_name = discoverTonWallets, reexport, skip_typescript)]
    fn discover_ton_wallets();
}

/// `object[key]`; `undefined` for a non-object or a getter that throws.
pub(crate) fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() && !object.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn get_string(object: &JsValue, key: &str) -> Option<String> {
    get(object, key).as_string()
}

pub(crate) fn get_function(object: &JsValue, key: &str) -> Option<js_sys::Function> {
    get(object, key).dyn_into().ok()
}

/// A signature or key a wallet gave: bytes or text; `None` for anything else.
fn text_or_bytes(value: &JsValue, field: &str) -> Result<Option<WalletSignature>> {
    if !value.is_string() && !value.is_instance_of::<Uint8Array>() {
        return Ok(None);
    }
    input::text_or_bytes(value, field).map(Some)
}

/// The wallet rules the JavaScript adapters call.
#[wasm_bindgen(js_class = Core)]
impl Core {
    /// A thrown wallet value as a `WalletLinkerError` (4001 is `USER_REJECTED`).
    pub fn error(&self, thrown: JsValue, what: &str) -> JsValue {
        crate::host::wallet_error(&thrown, what).into()
    }

    /// A string argument, checked (length, lone surrogates).
    pub fn text(&self, value: JsValue, field: &str) -> Result<String> {
        input::string(&value, field)
    }

    /// The discovery wait from `timeoutMs`.
    pub fn timeout(&self, value: JsValue) -> Result<u32> {
        wallet::discovery_timeout(match value.is_undefined() || value.is_null() {
            true => None,
            false => Some(value.as_f64().unwrap_or(f64::NAN)),
        })
    }

    /// `eth_requestAccounts`' answer: its first account, checksummed.
    #[wasm_bindgen(js_name = evmAccount)]
    pub fn evm_account(&self, accounts: JsValue) -> Result<String> {
        let first = Array::is_array(&accounts)
            .then(|| Array::from(&accounts).get(0).as_string())
            .flatten();
        wallet::evm_account(first.as_deref()).map_err(|e| match &e.received {
            None => e.with_received(accounts.as_string().unwrap_or_default()),
            Some(_) => e,
        })
    }

    /// `eth_chainId`'s answer as a number, if it is one.
    #[wasm_bindgen(js_name = chainId)]
    pub fn chain_id(&self, answer: JsValue) -> Option<f64> {
        // Chain ids in use are far below 2^53.
        wallet::evm_chain_id(answer.as_string().as_deref(), answer.as_f64()).map(|id| id as f64)
    }

    /// A Wallet Standard account's address on `chain` (`SOL` or `SUI`).
    pub fn address(&self, chain: &str, account: JsValue) -> Result<String> {
        if account.is_undefined() {
            return Err(Error::new(
                ErrorCode::WalletError,
                "the wallet returned no account",
            ));
        }
        wallet::standard_address(chain, get_string(&account, "address").as_deref())
    }

    /// A Solana signature (bytes, base58 or base64) as base58.
    pub fn signature(&self, value: JsValue) -> Result<String> {
        wallet::solana_signature(text_or_bytes(&value, "signature")?)
    }

    /// A legacy injected Solana provider's key (bytes or base58) as its address.
    #[wasm_bindgen(js_name = keyAddress)]
    pub fn key_address(&self, key: JsValue) -> Result<String> {
        wallet::solana_key_address(text_or_bytes(&key, "publicKey")?)
    }

    /// `solana:signIn`'s output, checked: `{ address, message, signature }`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, output: JsValue) -> Result<JsValue> {
        let signed = get(&output, "signedMessage")
            .dyn_ref::<Uint8Array>()
            .map(Uint8Array::to_vec);
        let checked = wallet::sign_in_output(
            get_string(&get(&output, "account"), "address").as_deref(),
            signed,
            text_or_bytes(&get(&output, "signature"), "signature")?,
        )?;
        input::to_js(&checked)
    }

    /// TON Connect's `ton_addr` and `ton_proof` replies as `{ address, tonVerification }`.
    #[wasm_bindgen(js_name = tonProof)]
    pub fn ton_proof(&self, address_item: JsValue, proof_item: JsValue) -> Result<JsValue> {
        let no_proof = |why: String| {
            Error::new(
                ErrorCode::WalletError,
                format!("the wallet gave no ton_proof: {why}"),
            )
        };
        if proof_item.is_undefined() {
            return Err(no_proof("no ton_proof item in its reply".into()));
        }
        let failed = get(&proof_item, "error");
        if !failed.is_undefined() {
            return Err(no_proof(get_string(&failed, "message").unwrap_or_default()));
        }
        let proof: crate::ton::TonProof =
            super::de::read(input::snapshot(&get(&proof_item, "proof"), "proof")?, &[])
                .map_err(|e| e.into_error("proof", ErrorCode::WalletError))?;
        let text = |key: &str| get_string(&address_item, key).unwrap_or_default();
        let account = crate::ton::TonAccount {
            address: text("address"),
            chain: text("network"),
            public_key: text("publicKey"),
            wallet_state_init: get_string(&address_item, "walletStateInit"),
        };
        input::to_js(&wallet::ton_proof_output(proof, account)?)
    }

    /// The key Dynamic expects as `walletName`.
    #[wasm_bindgen(js_name = walletKey)]
    pub fn wallet_key(&self, name: &str) -> String {
        wallet::wallet_key(name)
    }

    /// A display name for an injected provider, from the flags it sets (`chain`: EVM or SOL).
    #[wasm_bindgen(js_name = injectedName)]
    pub fn injected_name(&self, chain: &str, provider: JsValue) -> String {
        let flag = |name: &str| get(&provider, name).as_bool() == Some(true);
        match chain {
            "SOL" => wallet::legacy_solana_name(flag),
            _ => wallet::injected_evm_name(flag),
        }
        .to_owned()
    }
}
