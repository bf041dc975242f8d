//! JS exports of the local signature checks ([`crate::evm`], [`crate::solana`], [`crate::sui`],
//! [`crate::signin`]):
//! argument conversion only.

use super::input;
use crate::TextOrBytes;
use crate::error::{Error, ErrorCode, Result};
use crate::message::siwe::SiweMessage;
use crate::message::siws::SolanaSignInInput;
use crate::options_reader::FieldError;
use crate::{evm, signin, solana};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use super::Core;

/// Message bytes: a string is signed as its UTF-8 encoding.
pub(super) fn message_bytes(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "message").map(TextOrBytes::into_utf8_bytes)
}

/// An EVM signature: hex text (with or without `0x`) or bytes.
fn evm_signature(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "signature")?.decode(evm::decode_signature)
}

/// A Solana signature: base58 or padded base64 text (see [`solana::decode_signature`]) or bytes.
fn solana_signature(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "signature")?
        .decode(|text| solana::decode_signature(text).map(|s| s.to_vec()))
}

/// A Solana public key: a base58 address or 32 bytes.
fn solana_public_key(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "publicKey")?
        .decode(|text| solana::parse_public_key(text).map(|k| k.to_vec()))
}

/// A Solana public key checked and decompressed once (`SolanaVerifier`, boundary.js, holds one).
#[wasm_bindgen(private)]
pub struct SolanaKey {
    inner: solana::SolanaVerifier,
}

#[wasm_bindgen]
impl SolanaKey {
    pub fn verify(&self, message: JsValue, signature: JsValue) -> Result<bool> {
        let message = message_bytes(&message)?;
        let signature = solana_signature(&signature)?;
        self.inner.verify(&message, &signature)
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

/// The members of the sign-in options that the core's check does not read: the signed message,
/// its signature, the time (a `Date` reads as its ISO text) and the expected key (Solana's only: a
/// SIWE check ignores it). The check ([`signin::SiweCheck`], [`signin::SolanaSignInCheck`]) reads
/// the others from the same copy of the options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Signed {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub(super) message: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    pub(super) signature: JsValue,
    #[serde(default)]
    pub(super) now: Option<signin::Now>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    public_key: JsValue,
}

/// The options read twice from one copy: the JavaScript-only members `J`, then the core's check `C`.
pub(super) fn read_options<J: DeserializeOwned, C: DeserializeOwned>(
    options: &JsValue,
) -> Result<(J, C)> {
    let copy = input::snapshot(options, "options")?;
    let fail = |e: FieldError| e.into_error("options", ErrorCode::InvalidArgument);
    let signed = super::de::read(copy.clone(), &["now"]).map_err(fail)?;
    let check = super::de::read(copy, &[]).map_err(fail)?;
    Ok((signed, check))
}

pub(super) fn now_ms(now: Option<&signin::Now>) -> Result<i64> {
    signin::Now::epoch_ms(now, || js_sys::Date::now() as i64)
}

/// What `verifyTonProof` reads besides the check: the wallet's reply and the time.
#[derive(Deserialize)]
struct TonReply {
    proof: crate::ton::TonProof,
    account: crate::ton::TonAccount,
    #[serde(default)]
    now: Option<signin::Now>,
}

/// `verifyTonProof`'s result.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct TonProofResult {
    /// Raw form, `0:<64 hex>`.
    address: String,
    /// User-friendly, non-bounceable (how wallets show their own address).
    friendly_address: String,
    chain: &'static str,
    wallet: &'static str,
    public_key: String,
    timestamp: u64,
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    #[wasm_bindgen(js_name = solanaKey)]
    pub fn solana_key(&self, public_key: JsValue) -> Result<SolanaKey> {
        Ok(SolanaKey {
            inner: solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?,
        })
    }

    #[wasm_bindgen(js_name = recoverEvmAddress)]
    pub fn recover_evm_address(&self, message: JsValue, signature: JsValue) -> Result<String> {
        let message = message_bytes(&message)?;
        let signature = evm_signature(&signature)?;
        evm::recover_address(&message, &signature).map(|a| evm::eip55::checksum_of_bytes(&a))
    }

    #[wasm_bindgen(js_name = verifyEvmSignature)]
    pub fn verify_evm_signature(
        &self,
        message: JsValue,
        signature: JsValue,
        address: JsValue,
    ) -> Result<bool> {
        let verifier = evm::EvmVerifier::new(&input::string(&address, "address")?)?;
        let message = message_bytes(&message)?;
        let signature = evm_signature(&signature)?;
        verifier.verify(&message, &signature)
    }

    #[wasm_bindgen(js_name = verifySolanaSignature)]
    pub fn verify_solana_signature(
        &self,
        message: JsValue,
        signature: JsValue,
        public_key: JsValue,
    ) -> Result<bool> {
        let verifier = solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?;
        let message = message_bytes(&message)?;
        let signature = solana_signature(&signature)?;
        verifier.verify(&message, &signature)
    }

    #[wasm_bindgen(js_name = verifySuiPersonalMessage)]
    pub fn verify_sui_personal_message(
        &self,
        message: JsValue,
        signature: JsValue,
        address: JsValue,
    ) -> Result<bool> {
        let message = message_bytes(&message)?;
        let signature = input::string(&signature, "signature")?;
        let address = input::string(&address, "address")?;
        crate::sui::verify_personal_message(&message, &signature, &address)
    }

    #[wasm_bindgen(js_name = verifySiweSignIn)]
    pub fn verify_siwe_sign_in(&self, options: JsValue) -> Result<Ts<SiweMessage>> {
        let (signed, mut check) = read_options::<Signed, signin::SiweCheck>(&options)?;
        let signature = evm_signature(&signed.signature)?;
        check.now_ms = now_ms(signed.now.as_ref())?;
        let message = input::string(&signed.message, "message")?;
        let fields = signin::verify_siwe_sign_in(&message, &signature, &check)?;
        input::ts_out(&fields)
    }

    #[wasm_bindgen(js_name = verifySolanaSignIn)]
    pub fn verify_solana_sign_in(&self, options: JsValue) -> Result<Ts<SolanaSignInInput>> {
        let (signed, mut check) = read_options::<Signed, signin::SolanaSignInCheck>(&options)?;
        let message = message_bytes(&signed.message)?;
        let signature = solana_signature(&signed.signature)?;
        if !signed.public_key.is_undefined() {
            let bytes = solana_public_key(&signed.public_key)?;
            check.public_key = Some(<[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidPublicKey,
                    "a Solana public key is 32 bytes",
                )
                .with_field("publicKey")
                .with_received(format!("{} bytes", bytes.len()))
            })?);
        }
        check.now_ms = now_ms(signed.now.as_ref())?;
        let fields = signin::verify_solana_sign_in(&message, &signature, &check)?;
        input::ts_out(&fields)
    }

    #[wasm_bindgen(js_name = verifyTonProof)]
    pub fn verify_ton_proof(&self, options: JsValue) -> Result<JsValue> {
        let (reply, mut check) = read_options::<TonReply, crate::ton::TonProofCheck>(&options)?;
        check.now_ms = now_ms(reply.now.as_ref())?;
        let verified = crate::ton::verify_ton_proof(&reply.proof, &reply.account, &check)?;
        let flags = crate::ton::FriendlyFlags {
            bounceable: false,
            testnet: verified.chain == crate::ton::TonChain::Testnet,
            url_safe: true,
        };
        input::to_js(&TonProofResult {
            address: verified.address.to_raw(),
            friendly_address: verified.address.to_friendly(flags),
            chain: verified.chain.as_str(),
            wallet: verified.wallet.as_str(),
            public_key: base16ct::lower::encode_string(&verified.public_key),
            timestamp: verified.timestamp,
        })
    }
}
