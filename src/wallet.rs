//! What wallets' answers mean, whatever interface they come through (EIP-1193, the Wallet
//! Standard, legacy injected providers). The WebAssembly layer reads the JavaScript values; the
//! decisions are here, tested natively.

use crate::error::{Error, ErrorCode, Result};
use crate::flow::WalletSignature;

/// An `eth_chainId` answer (`0x`-prefixed hex quantity) as a number.
pub fn parse_hex_quantity(text: &str) -> Option<u64> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// The wallet key Dynamic expects in `walletName` (`metamask`, `phantom`, ...): the display name
/// in lower case without spaces or punctuation.
pub fn wallet_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if key.is_empty() {
        "unknown".to_owned()
    } else {
        key
    }
}

/// A thrown value's `code`, as wallets send it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorCodeValue<'a> {
    Number(f64),
    Text(&'a str),
    Absent,
}

/// Whether a wallet's error is the user's refusal: EIP-1193 code 4001 (as a number or a string,
/// as some wallets send it), or ethers' `ACTION_REJECTED`.
pub fn is_user_rejection(code: ErrorCodeValue<'_>) -> bool {
    match code {
        ErrorCodeValue::Number(n) => n == 4001.0,
        ErrorCodeValue::Text(text) => matches!(text, "4001" | "ACTION_REJECTED"),
        ErrorCodeValue::Absent => false,
    }
}

/// A display name for a legacy injected EVM provider, from the flags wallets set on it
/// (`flag(name)`: whether `provider[name] === true`). Wallets that imitate MetaMask also set
/// `isMetaMask`, so theirs are read first.
pub fn injected_evm_name(flag: impl Fn(&str) -> bool) -> &'static str {
    [
        ("isRabby", "Rabby"),
        ("isCoinbaseWallet", "Coinbase Wallet"),
        ("isBraveWallet", "Brave Wallet"),
        ("isMetaMask", "MetaMask"),
    ]
    .into_iter()
    .find(|(key, _)| flag(key))
    .map_or("Injected wallet", |(_, name)| name)
}

/// A display name for a legacy injected Solana provider (`window.phantom.solana`,
/// `window.solana`), from its flags.
pub fn legacy_solana_name(flag: impl Fn(&str) -> bool) -> &'static str {
    [("isPhantom", "Phantom"), ("isSolflare", "Solflare")]
        .into_iter()
        .find(|(key, _)| flag(key))
        .map_or("Injected Solana wallet", |(_, name)| name)
}

fn failed(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::WalletError, message)
}

/// The address `eth_requestAccounts` answered (its first account), EIP-55 checksummed.
pub fn evm_account(first: Option<&str>) -> Result<String> {
    let first = first.ok_or_else(|| failed("the wallet returned no account"))?;
    crate::evm::to_checksum_address(first).map_err(|e| {
        failed(format!(
            "the wallet returned an invalid address: {}",
            e.message
        ))
        .with_received(first)
    })
}

/// An `eth_chainId` answer, hex text or (from some wallets) a number; `None` when it is neither:
/// the chain id is informative, and a wallet that cannot tell it is still usable.
pub fn evm_chain_id(text: Option<&str>, number: Option<f64>) -> Option<u64> {
    text.and_then(parse_hex_quantity)
        .or_else(|| number.and_then(crate::flow::chain_id_number))
}

/// A Wallet Standard account's address on `chain` (`"SOL"`: base58, `"SUI"`: normalised hex).
pub fn standard_address(chain: &str, address: Option<&str>) -> Result<String> {
    let valid = match chain {
        "SUI" => address
            .and_then(|a| crate::sui::parse_address(a).ok())
            .map(|a| crate::sui::format_address(&a)),
        _ => address
            .filter(|a| crate::solana::is_valid_address(a))
            .map(str::to_owned),
    };
    valid.ok_or_else(|| failed(format!("the wallet's account has no valid {chain} address")))
}

/// A Solana wallet's signature (bytes, or base58 / base64 text) as base58.
pub fn solana_signature(signature: Option<WalletSignature>) -> Result<String> {
    match signature {
        Some(WalletSignature::Bytes(bytes)) => Ok(bs58::encode(bytes).into_string()),
        Some(WalletSignature::Text(text)) => {
            Ok(bs58::encode(crate::solana::decode_signature(&text)?).into_string())
        }
        None => Err(failed("the wallet returned no signature bytes")),
    }
}

/// A legacy injected Solana provider's public key (bytes or base58 text) as an address.
pub fn solana_key_address(key: Option<WalletSignature>) -> Result<String> {
    let address = match key {
        Some(WalletSignature::Bytes(bytes)) => <[u8; 32]>::try_from(bytes.as_slice())
            .ok()
            .map(|key| crate::solana::pubkey::to_address(&key)),
        Some(WalletSignature::Text(text)) => Some(text),
        None => None,
    };
    address
        .filter(|a| crate::solana::is_valid_address(a))
        .ok_or_else(|| failed("the wallet returned no valid public key"))
}

/// What `solana:signIn` returned, checked: the account's address, the exact text signed and the
/// signature in base58.
#[derive(Debug, PartialEq, serde::Serialize)]
pub struct SignInOutput {
    pub address: String,
    pub message: String,
    pub signature: String,
}

pub fn sign_in_output(
    address: Option<&str>,
    signed: Option<Vec<u8>>,
    signature: Option<WalletSignature>,
) -> Result<SignInOutput> {
    let address = address
        .filter(|a| crate::solana::is_valid_address(a))
        .ok_or_else(|| failed("solana:signIn returned no valid account"))?;
    let signed = signed.ok_or_else(|| failed("solana:signIn returned no signedMessage bytes"))?;
    let message = String::from_utf8(signed)
        .map_err(|_| failed("the message the wallet signed is not UTF-8 text"))?;
    Ok(SignInOutput {
        address: address.to_owned(),
        message,
        signature: solana_signature(signature)?,
    })
}

/// Longest discovery wait accepted, in milliseconds.
pub const MAX_DISCOVERY_MS: u32 = 60_000;
/// Default discovery wait: wallets answer the request event synchronously; this leaves room for
/// the ones that answer from a later task.
pub const DEFAULT_DISCOVERY_MS: u32 = 100;

/// The discovery wait from `timeoutMs` (`None`: absent).
pub fn discovery_timeout(ms: Option<f64>) -> Result<u32> {
    match ms {
        None => Ok(DEFAULT_DISCOVERY_MS),
        Some(ms) if ms.is_finite() && (0.0..=f64::from(MAX_DISCOVERY_MS)).contains(&ms) => {
            Ok(ms as u32)
        }
        Some(_) => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("timeoutMs must be a number of milliseconds from 0 to {MAX_DISCOVERY_MS}"),
        )
        .with_field("timeoutMs")),
    }
}

/// A wallet's thrown value as a coded error. `code` and `wallet_message` are the value's `code`
/// and `message`; `thrown` is the value read as an error (one of this package's keeps its code,
/// anything else reads as `WALLET_ERROR`); `what` names the request (`"connect"`).
pub fn thrown_error(
    code: ErrorCodeValue<'_>,
    wallet_message: Option<String>,
    thrown: Error,
    what: &str,
) -> Error {
    let e = if is_user_rejection(code) {
        Error::new(
            ErrorCode::UserRejected,
            format!("the user rejected the request in the wallet ({what})"),
        )
    } else if thrown.code != ErrorCode::WalletError {
        return thrown;
    } else {
        failed(format!("the wallet failed to {what}: {}", thrown.message))
    };
    match wallet_message {
        Some(message) => e.with_received(message),
        None => e,
    }
}

/// What a TON Connect wallet gives for a proof: its address and Snag's `tonVerification`.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TonProofOutput {
    pub address: String,
    pub ton_verification: crate::ton::TonVerification,
}

/// The `ton_addr` and `ton_proof` replies as [`TonProofOutput`] (not verified here:
/// `verifyTonProof`, or the backend, does that). The address must be a TON address.
pub fn ton_proof_output(
    proof: crate::ton::TonProof,
    account: crate::ton::TonAccount,
) -> Result<TonProofOutput> {
    if crate::ton::TonAddress::parse(&account.address).is_err() {
        return Err(failed("the wallet's ton_addr reply has no valid address"));
    }
    Ok(TonProofOutput {
        address: account.address.clone(),
        ton_verification: crate::ton::build_ton_verification(proof, account),
    })
}
