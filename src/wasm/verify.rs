//! JS exports of the local signature checks ([`crate::evm`], [`crate::solana`], [`crate::sui`],
//! [`crate::signin`]):
//! argument conversion only.

use super::input::{self, TextOrBytes};
use super::rpc::Rpc;
use crate::error::{Error, ErrorCode, Result};
use crate::message::siwe::SiweMessage;
use crate::message::siws::SolanaSignInInput;
use crate::options_reader::FieldError;
use crate::{evm, signin, solana};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tsify::Ts;
use wasm_bindgen::prelude::*;

/// Message bytes: a string is signed as its UTF-8 encoding.
fn message_bytes(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "message").map(TextOrBytes::into_utf8_bytes)
}

/// An EVM signature: hex text (with or without `0x`) or bytes.
fn evm_signature(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "signature")? {
        TextOrBytes::Text(text) => evm::decode_signature(&text),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// A Solana signature: base58 or padded base64 text (see [`solana::decode_signature`]) or bytes.
fn solana_signature(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "signature")? {
        TextOrBytes::Text(text) => solana::decode_signature(&text).map(|s| s.to_vec()),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// A Solana public key: a base58 address or 32 bytes.
fn solana_public_key(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "publicKey")? {
        TextOrBytes::Text(text) => solana::parse_public_key(&text).map(|k| k.to_vec()),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// The EIP-55 address that signed `message` with EIP-191 `personal_sign`. Strings are signed as
/// their UTF-8 bytes. Accepts 65-byte `r‖s‖v` (`v` in 0, 1, 27, 28) and 64-byte EIP-2098
/// signatures, as hex or bytes; a high `s` is normalised (as `ecrecover` does).
///
/// Throws `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH` (e.g. a smart-contract wallet's signature,
/// which needs an on-chain EIP-1271/6492 check), or `INVALID_SIGNATURE`.
#[wasm_bindgen(js_name = recoverEvmAddress)]
pub fn recover_evm_address(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] signature: JsValue,
) -> Result<String> {
    let message = message_bytes(&message)?;
    let signature = evm_signature(&signature)?;
    evm::recover_address(&message, &signature).map(|a| evm::eip55::checksum_of_bytes(&a))
}

/// Whether `signature` over `message` (EIP-191) was made by `address` (compared
/// case-insensitively). `false` for a well-formed signature by another key; throws a coded error
/// for malformed input (`INVALID_ADDRESS`, `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH`,
/// `INVALID_SIGNATURE`).
#[wasm_bindgen(js_name = verifyEvmSignature)]
pub fn verify_evm_signature(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] signature: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
) -> Result<bool> {
    let verifier = evm::EvmVerifier::new(&input::string(&address, "address")?)?;
    let message = message_bytes(&message)?;
    let signature = evm_signature(&signature)?;
    verifier.verify(&message, &signature)
}

/// Whether `signature` is a valid ed25519 signature of `message` by `publicKey`, with the strict
/// rules of Solana's runtime (canonical `S`, no small-order `R`) and small-order keys refused.
/// The signature is bytes, base58, or padded base64 (text ending in `=` is base64); the key is a
/// base58 address or 32 bytes.
///
/// `false` for a well-formed signature that does not verify; throws `INVALID_PUBLIC_KEY`,
/// `INVALID_SIGNATURE_LENGTH`, `INVALID_SIGNATURE` (`S` not canonical), `INVALID_BASE58`,
/// `INVALID_BASE64` for malformed input.
#[wasm_bindgen(js_name = verifySolanaSignature)]
pub fn verify_solana_signature(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
    #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string | Uint8Array")]
    public_key: JsValue,
) -> Result<bool> {
    let verifier = solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?;
    let message = message_bytes(&message)?;
    let signature = solana_signature(&signature)?;
    verifier.verify(&message, &signature)
}

/// Whether `signature` (Sui's serialized form: base64 of flag ‖ signature ‖ public key, as
/// `signPersonalMessage` returns it) signs `message` as a Sui personal message for `address`
/// (`0x` and 64 hex digits). Ed25519, secp256k1 and secp256r1 keys. `false` for a well-formed
/// signature by another key or over other bytes; throws `UNSUPPORTED_SIGNATURE_SCHEME` for
/// multisig, zkLogin and passkey signatures, and a coded error for malformed input.
#[wasm_bindgen(js_name = verifySuiPersonalMessage)]
pub fn verify_sui_personal_message(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] signature: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
) -> Result<bool> {
    let message = message_bytes(&message)?;
    let signature = input::string(&signature, "signature")?;
    let address = input::string(&address, "address")?;
    crate::sui::verify_personal_message(&message, &signature, &address)
}

/// A Solana public key checked and decompressed once, for verifying many signatures with it.
#[wasm_bindgen(js_name = SolanaVerifier)]
pub struct JsSolanaVerifier {
    inner: solana::SolanaVerifier,
}

#[wasm_bindgen(js_class = SolanaVerifier)]
impl JsSolanaVerifier {
    /// Throws `INVALID_PUBLIC_KEY` for a key that is not 32 bytes, not on the curve, or of small
    /// order (and `INVALID_BASE58` for a malformed address).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string | Uint8Array")]
        public_key: JsValue,
    ) -> Result<JsSolanaVerifier> {
        Ok(JsSolanaVerifier {
            inner: solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?,
        })
    }

    /// Same contract as `verifySolanaSignature`.
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
    ) -> Result<bool> {
        let message = message_bytes(&message)?;
        let signature = solana_signature(&signature)?;
        self.inner.verify(&message, &signature)
    }

    /// The key's base58 address.
    #[wasm_bindgen(getter)]
    pub fn address(&self) -> String {
        solana::pubkey::to_address(self.inner.public_key())
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SIGN_IN_OPTIONS: &str = include_str!("types/verify.d.ts");

/// The members of the sign-in options that the core's check does not read: the signed message,
/// its signature, the time (a `Date` reads as its ISO text) and the expected key (Solana's only: a
/// SIWE check ignores it). The check ([`signin::SiweCheck`], [`signin::SolanaSignInCheck`]) reads
/// the others from the same copy of the options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Signed {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    message: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    signature: JsValue,
    #[serde(default)]
    now: Option<signin::Now>,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    public_key: JsValue,
}

/// The options read twice from one copy: the JavaScript-only members `J`, then the core's check `C`.
fn read_options<J: DeserializeOwned, C: DeserializeOwned>(options: &JsValue) -> Result<(J, C)> {
    let copy = input::snapshot(options, "options")?;
    let fail = |e: FieldError| e.into_error("options", ErrorCode::InvalidArgument);
    let signed = super::de::read(copy.clone(), &["now"]).map_err(fail)?;
    let check = super::de::read(copy, &[]).map_err(fail)?;
    Ok((signed, check))
}

fn now_ms(now: Option<&signin::Now>) -> Result<i64> {
    signin::Now::epoch_ms(now, || js_sys::Date::now() as i64)
}

/// Verifies a Sign-In with Ethereum: parses the message, requires `domain` and `nonce` to match
/// exactly, checks the time window (`now` in [notBefore, expirationTime), `issuedAt` not in the
/// future, each with `clockSkewSeconds` of slack), chain id / URI / scheme when given, then the
/// signature against the message's address. Returns the parsed fields.
///
/// Throws `MESSAGE_PARSE`, `DOMAIN_MISMATCH`, `NONCE_MISMATCH`, `SCHEME_MISMATCH`,
/// `URI_MISMATCH`, `CHAIN_ID_MISMATCH`, `ADDRESS_MISMATCH`, `EXPIRED`, `NOT_YET_VALID`,
/// `ISSUED_IN_FUTURE`, `SIGNATURE_MISMATCH` (with `expected` / `received`), or a signature format
/// error.
#[wasm_bindgen(js_name = verifySiweSignIn)]
pub fn verify_siwe_sign_in(
    #[wasm_bindgen(unchecked_param_type = "VerifySiweSignInOptions")] options: JsValue,
) -> Result<Ts<SiweMessage>> {
    let (signed, mut check) = read_options::<Signed, signin::SiweCheck>(&options)?;
    let signature = evm_signature(&signed.signature)?;
    check.now_ms = now_ms(signed.now.as_ref())?;
    let message = input::string(&signed.message, "message")?;
    let fields = signin::verify_siwe_sign_in(&message, &signature, &check)?;
    input::ts_out(&fields)
}

/// Verifies a Sign-In With Solana: the same checks as `verifySiweSignIn` (the nonce is required),
/// over the bytes the wallet signed — the message text, or that text inside a Solana off-chain
/// message envelope — and requires the message's address to equal `publicKey` when given.
/// Returns the parsed fields.
#[wasm_bindgen(js_name = verifySolanaSignIn)]
pub fn verify_solana_sign_in(
    #[wasm_bindgen(unchecked_param_type = "VerifySolanaSignInOptions")] options: JsValue,
) -> Result<Ts<SolanaSignInInput>> {
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

/// The members `verifyEvmMessage` and `verifyEvmSignIn` add: the RPC and its time budget.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OnChain {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    rpc: JsValue,
    #[serde(default)]
    timeout_ms: Option<f64>,
    #[serde(default)]
    address: Option<String>,
}

impl OnChain {
    fn rpc(self) -> Result<Rpc> {
        if self.rpc.is_undefined() || self.rpc.is_null() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "rpc is required: an http(s) JSON-RPC URL or an EIP-1193 provider",
            )
            .with_field("rpc"));
        }
        Rpc::from_js(self.rpc, self.timeout_ms)
    }
}

/// A signature of any kind of account: hex of any length, or bytes.
fn any_evm_signature(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "signature")? {
        TextOrBytes::Text(text) => evm::contract::decode_any_signature(&text),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// Verifies an EIP-191 `personal_sign` signature by any kind of EVM account: a valid EOA
/// signature resolves `{ valid: true, kind: "eoa" }` with no RPC call; anything else is decided
/// on chain through `rpc` (a JSON-RPC URL or an EIP-1193 provider) by one `eth_call` of a
/// deployless validator, which unwraps EIP-6492 (an account not deployed yet), asks EIP-1271 and
/// falls back to `ecrecover`. `{ valid: false }` is the chain's verdict; an RPC that could not
/// answer rejects (`RPC_ERROR`, `TIMEOUT`, `NETWORK`, `HTTP_ERROR`, `INVALID_RESPONSE`).
#[wasm_bindgen(js_name = verifyEvmMessage, unchecked_return_type = "Promise<EvmVerdict>")]
pub fn verify_evm_message(
    #[wasm_bindgen(unchecked_param_type = "VerifyEvmMessageOptions")] options: JsValue,
) -> js_sys::Promise {
    let prepared = (|| -> Result<_> {
        let (signed, on_chain) = read_options::<Signed, OnChain>(&options)?;
        let message = message_bytes(&signed.message)?;
        let signature = any_evm_signature(&signed.signature)?;
        let address = on_chain.address.clone().ok_or_else(|| {
            Error::new(ErrorCode::InvalidArgument, "address is required").with_field("address")
        })?;
        Ok((message, signature, address, on_chain.rpc()?))
    })();
    wasm_bindgen_futures::future_to_promise(async move {
        let (message, signature, address, rpc) = prepared?;
        let verdict = evm::verify_message(&rpc, &message, &signature, &address).await?;
        Ok(input::to_js(&verdict)?)
    })
}

/// `verifySiweSignIn` for every kind of account (SIWE and Dynamic's EVM template): the same
/// checks, then the signature through `rpc` when it is not a valid EOA signature. The RPC must
/// serve the message's chain (`CHAIN_ID_MISMATCH`). Resolves to the parsed fields and how the
/// signature was accepted.
#[wasm_bindgen(js_name = verifyEvmSignIn, unchecked_return_type = "Promise<EvmSignInResult>")]
pub fn verify_evm_sign_in(
    #[wasm_bindgen(unchecked_param_type = "VerifyEvmSignInOptions")] options: JsValue,
) -> js_sys::Promise {
    let prepared = (|| -> Result<_> {
        let (signed, mut check) = read_options::<Signed, signin::SiweCheck>(&options)?;
        let (_, on_chain) = read_options::<Signed, OnChain>(&options)?;
        check.now_ms = now_ms(signed.now.as_ref())?;
        let message = input::string(&signed.message, "message")?;
        let signature = any_evm_signature(&signed.signature)?;
        Ok((message, signature, check, on_chain.rpc()?))
    })();
    wasm_bindgen_futures::future_to_promise(async move {
        let (message, signature, check, rpc) = prepared?;
        let (fields, kind) =
            signin::verify_siwe_sign_in_with_rpc(&message, &signature, &check, &rpc).await?;
        Ok(input::to_js(&EvmSignInResult { fields, kind })?)
    })
}

#[derive(serde::Serialize)]
struct EvmSignInResult {
    fields: SiweMessage,
    kind: evm::SignatureKind,
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

/// Verifies a TON Connect `ton_proof` with the wallet's account, as Snag's `tonVerification`
/// carries them: the account's state init must hash to its address and hold `publicKey` (wallet
/// contracts v3r2, v4r2, v5r1), the proof must name `domain` and carry `payload` (the nonce you
/// issued), be at most `maxAgeSeconds` old (default 300) and be signed by that key. Resolves
/// nothing over the network. Returns what it established; throws a coded error otherwise.
#[wasm_bindgen(js_name = verifyTonProof, unchecked_return_type = "TonProofResult")]
pub fn verify_ton_proof(
    #[wasm_bindgen(unchecked_param_type = "VerifyTonProofOptions")] options: JsValue,
) -> Result<JsValue> {
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
