//! The wallet adapters: `WalletAdapter` and the `discover*Wallets` functions are JavaScript
//! (`js/boundary.js`: events, registries and the protocols' calls), exported as they are. They hand
//! each answer to [`Core`], which applies [`crate::exports::wallets`]' rules to it.

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

use super::{Core, input};
use crate::error::Result;
use crate::exports::wallets as answers;

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
        answers::timeout(&value)
    }

    /// `eth_requestAccounts`' answer: its first account, checksummed.
    #[wasm_bindgen(js_name = evmAccount)]
    pub fn evm_account(&self, accounts: JsValue) -> Result<String> {
        answers::evm_account(&accounts)
    }

    /// `eth_chainId`'s answer as a number, if it is one.
    #[wasm_bindgen(js_name = chainId)]
    pub fn chain_id(&self, answer: JsValue) -> Option<f64> {
        answers::chain_id(&answer)
    }

    /// A Wallet Standard account's address on `chain` (`SOL` or `SUI`).
    pub fn address(&self, chain: &str, account: JsValue) -> Result<String> {
        answers::address(chain, &account)
    }

    /// A Solana signature (bytes, base58 or base64) as base58.
    pub fn signature(&self, value: JsValue) -> Result<String> {
        answers::signature(&value)
    }

    /// A legacy injected Solana provider's key (bytes or base58) as its address.
    #[wasm_bindgen(js_name = keyAddress)]
    pub fn key_address(&self, key: JsValue) -> Result<String> {
        answers::key_address(&key)
    }

    /// `solana:signIn`'s output, checked: `{ address, message, signature }`.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, output: JsValue) -> Result<JsValue> {
        answers::sign_in(&output)
    }

    /// TON Connect's `ton_addr` and `ton_proof` replies as `{ address, tonVerification }`.
    #[wasm_bindgen(js_name = tonProof)]
    pub fn ton_proof(&self, address_item: JsValue, proof_item: JsValue) -> Result<JsValue> {
        answers::ton_proof(&address_item, &proof_item)
    }

    /// The key Dynamic expects as `walletName`.
    #[wasm_bindgen(js_name = walletKey)]
    pub fn wallet_key(&self, name: &str) -> String {
        crate::wallet::wallet_key(name)
    }

    /// A display name for an injected provider, from the flags it sets (`chain`: EVM or SOL).
    #[wasm_bindgen(js_name = injectedName)]
    pub fn injected_name(&self, chain: &str, provider: JsValue) -> String {
        answers::injected_name(chain, &provider).to_owned()
    }
}
