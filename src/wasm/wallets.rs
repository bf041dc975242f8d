//! The wallet adapters: `WalletAdapter` and the `discover*Wallets` functions are JavaScript
//! (`js/boundary.js`: events, registries and the protocols' calls), exported as they are. They hand
//! each answer to the core through `Core.call` ([`crate::exports::wallets::answer`]).

use wasm_bindgen::prelude::*;

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
