//! Signatures of every kind of EVM account, for EIP-191 messages:
//!
//! - an externally owned account (EOA): a secp256k1 signature, checked locally with no network;
//! - a deployed contract account (EIP-1271): its `isValidSignature(bytes32,bytes)` decides;
//! - an account not deployed yet (EIP-6492): the signature carries the factory call that deploys
//!   it, wrapped and marked by a 32-byte suffix.
//!
//! Anything but a valid EOA signature is settled by one `eth_call` of a *deployless* validator:
//! no `to`, and `data` the creation code of `contracts/SignatureValidator.sol` followed by the
//! ABI encoding of `(address signer, bytes32 hash, bytes signature)`. Its constructor unwraps
//! EIP-6492 (running the factory call inside the `eth_call`, so nothing is deployed), asks
//! EIP-1271, falls back to `ecrecover`, and returns one byte: `0x01` valid, `0x00` not. An RPC that
//! cannot answer is an error, never a "not valid".

use serde::Serialize;

use super::eip55::parse_address;
use super::eip191::{eip191_hash, recover_signer};
use super::signature::EvmSignature;
use crate::error::{Error, ErrorCode, Result};

/// The suffix that marks an EIP-6492 signature: `0x6492` repeated 16 times.
pub const ERC6492_SUFFIX: [u8; 32] = {
    let mut suffix = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        suffix[i] = if i % 2 == 0 { 0x64 } else { 0x92 };
        i += 1;
    }
    suffix
};

/// The validator's creation code (hex), compiled by `scripts/compile-contracts.mjs` from
/// `contracts/SignatureValidator.sol`; a test recompiles it and compares.
const VALIDATOR_CREATION_CODE_HEX: &str =
    include_str!("../../contracts/build/SignatureValidator.hex");

/// Largest signature sent to a validator: an EIP-6492 wrapper carries a factory call, which is
/// small in practice; this bounds the `eth_call` a caller can make us send.
pub const MAX_CONTRACT_SIGNATURE_BYTES: usize = 64 * 1024;

/// Decodes a signature of any kind of account from hex (with or without `0x`): EOA signatures
/// are 64 or 65 bytes, a contract account's may be longer (up to [`MAX_CONTRACT_SIGNATURE_BYTES`]).
pub fn decode_any_signature(text: &str) -> Result<Vec<u8>> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if digits.len() / 2 > MAX_CONTRACT_SIGNATURE_BYTES {
        return Err(signature_length(digits.len() / 2));
    }
    base16ct::mixed::decode_vec(digits).map_err(|_| {
        Error::new(
            ErrorCode::InvalidHex,
            "the signature is not hex (an even number of hex digits, with or without 0x)",
        )
        .with_field("signature")
    })
}

fn signature_length(len: usize) -> Error {
    Error::new(
        ErrorCode::InvalidSignatureLength,
        format!("a contract account's signature is 1 to {MAX_CONTRACT_SIGNATURE_BYTES} bytes"),
    )
    .with_field("signature")
    .with_received(format!("{len} bytes"))
}

/// How a valid signature was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureKind {
    /// A secp256k1 signature of the address's key, checked locally.
    Eoa,
    /// A deployed contract account's `isValidSignature` (EIP-1271).
    Erc1271,
    /// An account deployed by the signature's own factory call (EIP-6492), then EIP-1271.
    Erc6492,
}

impl SignatureKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureKind::Eoa => "eoa",
            SignatureKind::Erc1271 => "erc1271",
            SignatureKind::Erc6492 => "erc6492",
        }
    }
}

/// The answer of [`verify_message`]: `valid: false` is a verdict, reached only when the chain
/// answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub valid: bool,
    /// How a valid signature was accepted; absent when not valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<SignatureKind>,
}

impl Verdict {
    const INVALID: Verdict = Verdict {
        valid: false,
        kind: None,
    };

    const fn valid(kind: SignatureKind) -> Verdict {
        Verdict {
            valid: true,
            kind: Some(kind),
        }
    }
}

/// An EVM JSON-RPC endpoint: a URL reached over HTTP ([`crate::api::JsonRpcClient`]) or a wallet's
/// EIP-1193 provider (the WebAssembly layer).
#[allow(async_fn_in_trait)]
pub trait EvmRpc {
    /// Calls `method` with `params` (the JSON text of an array) and gives its `result`, which must
    /// be a string. Failures are coded: `RPC_ERROR` (a JSON-RPC error, its code in `apiCode`),
    /// `TIMEOUT`, `NETWORK`, `HTTP_ERROR`, `INVALID_RESPONSE`.
    async fn request(&self, method: &'static str, params: &str) -> Result<String>;
}

/// A JSON-RPC error object (or an EIP-1193 provider's thrown error) as `RPC_ERROR`, its code in
/// `apiCode`.
pub fn rpc_error(method: &str, code: Option<f64>, message: Option<&str>) -> Error {
    let mut e = Error::new(
        ErrorCode::RpcError,
        format!(
            "the RPC answered {method} with an error: {}",
            message.unwrap_or("(no message)")
        ),
    );
    if let Some(code) = code {
        e = e.with_api_code(crate::api::client::number_text(code));
    }
    e
}

/// Whether a local EVM check failed on the signature itself (not its message, domain, nonce or
/// time): only then may the signer be a contract account, worth asking on chain.
pub fn is_signature_refusal(error: &Error) -> bool {
    matches!(
        error.code,
        ErrorCode::SignatureMismatch
            | ErrorCode::InvalidSignatureLength
            | ErrorCode::InvalidSignature
    )
}

/// Whether `signature` is an EIP-6492 wrapper (it ends with [`ERC6492_SUFFIX`]).
pub fn is_erc6492(signature: &[u8]) -> bool {
    signature.ends_with(&ERC6492_SUFFIX)
}

/// Whether `signature` is `address`'s secp256k1 signature of the EIP-191 hash of `message`.
pub fn is_eoa_signature(message: &[u8], signature: &[u8], address: &[u8; 20]) -> bool {
    EvmSignature::from_bytes(signature)
        .ok()
        .and_then(|signature| recover_signer(message, &signature))
        .is_some_and(|signer| &signer == address)
}

/// The `data` of the validator's `eth_call`: creation code ‖ `abi.encode(signer, hash, signature)`.
pub fn validator_call_data(signer: &[u8; 20], hash: &[u8; 32], signature: &[u8]) -> Vec<u8> {
    let padded = signature.len().div_ceil(32) * 32;
    let mut data = validator_creation_code();
    data.reserve(4 * 32 + padded);
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(signer);
    data.extend_from_slice(&word);
    data.extend_from_slice(hash);
    data.extend_from_slice(&abi_word(3 * 32));
    data.extend_from_slice(&abi_word(signature.len()));
    data.extend_from_slice(signature);
    data.resize(data.len() + padded - signature.len(), 0);
    data
}

fn abi_word(value: usize) -> [u8; 32] {
    let mut word = [0u8; 32];
    word[24..].copy_from_slice(&(value as u64).to_be_bytes());
    word
}

fn validator_creation_code() -> Vec<u8> {
    // Committed by scripts/compile-contracts.mjs; tests/contract.rs checks it decodes.
    base16ct::mixed::decode_vec(VALIDATOR_CREATION_CODE_HEX.trim()).unwrap_or_default()
}

/// The `eth_call` params that run the validator: `[{"data": "0x…"}, "latest"]`.
pub fn validator_call_params(signer: &[u8; 20], hash: &[u8; 32], signature: &[u8]) -> String {
    let data = validator_call_data(signer, hash, signature);
    let mut params = String::with_capacity(data.len() * 2 + 32);
    params.push_str("[{\"data\":\"0x");
    params.push_str(&base16ct::lower::encode_string(&data));
    params.push_str("\"},\"latest\"]");
    params
}

/// Reads the validator's answer: `0x01` valid, `0x00` not, anything else `INVALID_RESPONSE`.
pub fn validator_answer(result: &str) -> Result<bool> {
    match result.to_ascii_lowercase().as_str() {
        "0x01" => Ok(true),
        "0x00" => Ok(false),
        _ => Err(Error::new(
            ErrorCode::InvalidResponse,
            "the RPC's eth_call of the signature validator did not return one byte (0x01 or 0x00)",
        )
        .with_expected("0x01 or 0x00")
        .with_received(result)),
    }
}

/// Verifies `signature` of `message` (EIP-191 `personal_sign`) by `address`, whatever kind of
/// account it is: a valid EOA signature is accepted with no RPC call; anything else is decided by
/// one `eth_call` of the validator through `rpc`.
pub async fn verify_message<R: EvmRpc>(
    rpc: &R,
    message: &[u8],
    signature: &[u8],
    address: &str,
) -> Result<Verdict> {
    let signer = parse_address(address).map_err(|e| e.with_field("address"))?;
    if is_eoa_signature(message, signature, &signer) {
        return Ok(Verdict::valid(SignatureKind::Eoa));
    }
    verify_on_chain(rpc, &signer, &eip191_hash(message), signature).await
}

/// The validator's verdict on `signature` of `hash` by `signer`, through one `eth_call`.
pub async fn verify_on_chain<R: EvmRpc>(
    rpc: &R,
    signer: &[u8; 20],
    hash: &[u8; 32],
    signature: &[u8],
) -> Result<Verdict> {
    if signature.is_empty() || signature.len() > MAX_CONTRACT_SIGNATURE_BYTES {
        return Err(signature_length(signature.len()));
    }
    let params = validator_call_params(signer, hash, signature);
    let result = rpc.request("eth_call", &params).await?;
    Ok(if validator_answer(&result)? {
        Verdict::valid(if is_erc6492(signature) {
            SignatureKind::Erc6492
        } else {
            SignatureKind::Erc1271
        })
    } else {
        Verdict::INVALID
    })
}

/// Checks that `rpc` serves chain `expected` (`eth_chainId`): a contract account is resolved on
/// the message's chain (EIP-4361), and the same address may be another contract, or none,
/// elsewhere.
pub async fn check_chain<R: EvmRpc>(rpc: &R, expected: u64) -> Result<()> {
    let answer = rpc.request("eth_chainId", "[]").await?;
    let chain = crate::wallet::parse_hex_quantity(&answer).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidResponse,
            "the RPC's eth_chainId is not a hex quantity",
        )
        .with_received(answer.as_str())
    })?;
    if chain != expected {
        return Err(Error::new(
            ErrorCode::ChainIdMismatch,
            format!(
                "the RPC serves chain {chain}, but the message is for chain {expected}: a contract \
                 account is checked on the message's chain"
            ),
        )
        .with_field("rpc")
        .with_expected(expected.to_string())
        .with_received(chain.to_string()));
    }
    Ok(())
}
