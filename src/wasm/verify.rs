//! The local signature checks' exports (run by `Core.call`, [`crate::exports::call`]) and the
//! Solana key a `SolanaVerifier` holds.

use crate::error::Result;
use crate::exports::verify as checks;
use crate::solana;
use wasm_bindgen::prelude::*;

use super::Core;

/// A Solana public key checked and decompressed once (`SolanaVerifier`, boundary.js, holds one).
#[wasm_bindgen(private)]
pub struct SolanaKey {
    inner: solana::SolanaVerifier,
}

#[wasm_bindgen]
impl SolanaKey {
    pub fn verify(&self, message: JsValue, signature: JsValue) -> Result<bool> {
        checks::verify_solana_with(&self.inner, &message, &signature)
    }

    #[wasm_bindgen(getter)]
    pub fn address(&self) -> String {
        solana::pubkey::to_address(self.inner.public_key())
    }
}

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = recoverEvmAddress, reexport, skip_typescript)]
    fn reexport_recover_evm_address();
    #[wasm_bindgen(js_name = verifyEvmSignature, reexport, skip_typescript)]
    fn reexport_verify_evm_signature();
    #[wasm_bindgen(js_name = verifySolanaSignature, reexport, skip_typescript)]
    fn reexport_verify_solana_signature();
    #[wasm_bindgen(js_name = verifySuiPersonalMessage, reexport, skip_typescript)]
    fn reexport_verify_sui_personal_message();
    #[wasm_bindgen(js_name = verifySiweSignIn, reexport, skip_typescript)]
    fn reexport_verify_siwe_sign_in();
    #[wasm_bindgen(js_name = verifySolanaSignIn, reexport, skip_typescript)]
    fn reexport_verify_solana_sign_in();
    #[wasm_bindgen(js_name = verifyTonProof, reexport, skip_typescript)]
    fn reexport_verify_ton_proof();
    #[wasm_bindgen(js_name = SolanaVerifier, reexport, skip_typescript)]
    fn reexport__solana_verifier();
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SIGN_IN_OPTIONS: &str = include_str!("types/verify.d.ts");

#[wasm_bindgen(js_class = Core)]
impl Core {
    #[wasm_bindgen(js_name = solanaKey)]
    pub fn solana_key(&self, public_key: JsValue) -> Result<SolanaKey> {
        let inner = checks::solana_key(&public_key)?;
        Ok(SolanaKey { inner })
    }
}
