//! The bodies of the package's functions over the caller's JavaScript values ([`HostValue`]):
//! reading and checking each argument, calling the core, shaping the result. The WebAssembly
//! layer declares each export and hands its arguments here, so what an argument may be, and
//! every error it gets, is decided (and tested natively) in the core.

pub mod messages;
pub mod rpc;
pub mod verify;
pub mod wallets;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorCode, Result};
use crate::host::{self, HostValue, wrong_type};
use crate::signin::Now;
use crate::{TextOrBytes, evm, solana};

/// The package's synchronous functions by name, with the arguments JavaScript passed
/// (`undefined` where it passed fewer): what `Core.call` runs.
pub fn call<V: HostValue>(name: &str, a: &V, b: &V, c: &V) -> Result<V> {
    let text = |text: String| V::from_str(&text);
    Ok(match name {
        "recoverEvmAddress" => text(verify::recover_evm_address(a, b)?),
        "verifyEvmSignature" => V::from_bool(verify::verify_evm_signature(a, b, c)?),
        "verifySolanaSignature" => V::from_bool(verify::verify_solana_signature(a, b, c)?),
        "verifySuiPersonalMessage" => V::from_bool(verify::verify_sui_personal_message(a, b, c)?),
        "verifySiweSignIn" => V::serialize(&verify::verify_siwe_sign_in(a)?)?,
        "verifySolanaSignIn" => V::serialize(&verify::verify_solana_sign_in(a)?)?,
        "verifyTonProof" => verify::verify_ton_proof(a)?,
        "createSiweMessage" => text(messages::create_siwe_message(a)?),
        "createSolanaSignInMessage" => text(messages::create_solana_sign_in_message(a)?),
        "createDynamicSignInMessage" => text(messages::create_dynamic_sign_in_message(a, b, c)?),
        "parseSiweMessage" => messages::parse_message("siwe", a)?,
        "parseSolanaSignInMessage" => messages::parse_message("solana", a)?,
        "parseDynamicSignInMessage" => messages::parse_message("dynamic", a)?,
        "toChecksumAddress" => text(evm::eip55::to_checksum_address(&self::text(a, "address")?)?),
        "isValidSolanaAddress" => {
            let address = self::text(a, "address");
            V::from_bool(address.is_ok_and(|address| solana::is_valid_address(&address)))
        }
        "generateNonce" => text(messages::generate_nonce(a)?),
        #[cfg(feature = "services")]
        _ => wallets::answer(name, a, b)?,
        #[cfg(not(feature = "services"))]
        _ => return Err(Error::new(ErrorCode::Internal, format!("no export {name}"))),
    })
}

/// A required string argument, checked (length, lone surrogates).
pub fn text<V: HostValue>(value: &V, field: &str) -> Result<String> {
    value
        .checked_text(field)?
        .ok_or_else(|| wrong_type(field, "a string", value))
}

/// A string or a `Uint8Array` argument.
pub fn text_or_bytes<V: HostValue>(value: &V, field: &str) -> Result<TextOrBytes> {
    host::given_text_or_bytes(value, field)?
        .ok_or_else(|| wrong_type(field, "a string or a Uint8Array", value))
}

/// Message bytes: a string is signed as its UTF-8 encoding.
pub fn message_bytes<V: HostValue>(value: &V) -> Result<Vec<u8>> {
    text_or_bytes(value, "message").map(TextOrBytes::into_utf8_bytes)
}

/// An EVM signature of a key: hex text (with or without `0x`) or 65 bytes.
pub fn evm_signature<V: HostValue>(value: &V) -> Result<Vec<u8>> {
    text_or_bytes(value, "signature")?.decode(evm::decode_signature)
}

/// A signature of any kind of EVM account: hex of any length, or bytes.
pub fn any_evm_signature<V: HostValue>(value: &V) -> Result<Vec<u8>> {
    text_or_bytes(value, "signature")?.decode(evm::contract::decode_any_signature)
}

/// A Solana signature: base58 or padded base64 text (see [`solana::decode_signature`]) or bytes.
pub fn solana_signature<V: HostValue>(value: &V) -> Result<Vec<u8>> {
    text_or_bytes(value, "signature")?
        .decode(|text| solana::decode_signature(text).map(|s| s.to_vec()))
}

/// A Solana public key: a base58 address or 32 bytes.
pub fn solana_public_key<V: HostValue>(value: &V) -> Result<Vec<u8>> {
    text_or_bytes(value, "publicKey")?
        .decode(|text| solana::parse_public_key(text).map(|k| k.to_vec()))
}

/// The members of a sign-in's options that its check does not read: the signed message, its
/// signature, the time (a `Date` reads as its ISO text) and the expected key (Solana's only). The
/// check reads the others from the same copy of the options ([`Signed::read`]).
pub struct Signed<V> {
    pub message: V,
    pub signature: V,
    pub now: Option<Now>,
    pub public_key: V,
}

#[derive(Deserialize)]
struct Time {
    now: Option<Now>,
}

impl<V: HostValue> Signed<V> {
    /// The signed members of `options`, and the check `C` read from the same copy.
    pub fn read<C: DeserializeOwned>(options: &V) -> Result<(Self, C)> {
        Self::from_copy(&host::snapshot(options, "options")?)
    }

    /// [`Signed::read`] from the options' copy, when another reader shares it.
    pub fn from_copy<C: DeserializeOwned>(copy: &V) -> Result<(Self, C)> {
        let time: Time = host::read_fields(copy, "options", &["now"], ErrorCode::InvalidArgument)?;
        let signed = Signed {
            message: required(copy, "message")?,
            signature: required(copy, "signature")?,
            now: time.now,
            public_key: copy.get("publicKey"),
        };
        Ok((signed, host::read_snapshot(copy, "options")?))
    }

    /// The time the check runs at: `now`, or the engine's clock.
    pub fn now_ms(&self) -> Result<i64> {
        Now::epoch_ms(self.now.as_ref(), V::clock_ms)
    }
}

/// Member `key` of an options copy; `INVALID_ARGUMENT` when it is absent.
fn required<V: HostValue>(copy: &V, key: &str) -> Result<V> {
    let value = copy.get(key);
    match value.is_nullish() {
        true => Err(
            Error::new(ErrorCode::InvalidArgument, format!("{key} is required")).with_field(key),
        ),
        false => Ok(value),
    }
}
