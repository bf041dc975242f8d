//! What the wallets' answers mean, over the values the JavaScript adapters (`WalletAdapter` and
//! the `discover*Wallets` functions in `src/wasm/js/boundary.js`) hand over: each function reads
//! one answer and applies [`crate::wallet`]'s rule to it.

use crate::TextOrBytes;
use crate::error::{Error, ErrorCode, Result};
use crate::host::{self, HostValue};
use crate::{ton, wallet};

/// The wallet rule `name` applied to the adapters' arguments `a` and `b`.
pub fn answer<V: HostValue>(name: &str, a: &V, b: &V) -> Result<V> {
    let text = |answer: Result<String>| answer.map(|text| V::from_str(&text));
    // A chain, a field or a name comes from the adapters as text.
    let label = |value: &V| value.text().unwrap_or_default();
    match name {
        "error" => Ok(host::error_value(&host::wallet_error(a, &label(b)))),
        "text" => text(super::text(a, &label(b))),
        "timeout" => timeout(a).map(|ms| V::from_f64(f64::from(ms))),
        "evmAccount" => text(evm_account(a)),
        "chainId" => Ok(chain_id(a).map_or_else(V::undefined, V::from_f64)),
        "address" => text(address(&label(a), b)),
        "signature" => text(signature(a)),
        "keyAddress" => text(key_address(a)),
        "signIn" => sign_in(a),
        "tonProof" => ton_proof(a, b),
        "walletKey" => Ok(V::from_str(&wallet::wallet_key(&label(a)))),
        "injectedName" => Ok(V::from_str(injected_name(&label(a), b))),
        _ => Err(Error::new(ErrorCode::Internal, format!("no export {name}"))),
    }
}

/// A signature or key a wallet gave: bytes or text; `None` for anything else.
fn given<V: HostValue>(value: &V, field: &str) -> Result<Option<TextOrBytes>> {
    host::given_text_or_bytes(value, field)
}

/// The discovery wait from `timeoutMs`.
pub fn timeout<V: HostValue>(value: &V) -> Result<u32> {
    wallet::discovery_timeout(match value.is_nullish() {
        true => None,
        false => Some(value.number().unwrap_or(f64::NAN)),
    })
}

/// `eth_requestAccounts`' answer: its first account, checksummed.
pub fn evm_account<V: HostValue>(accounts: &V) -> Result<String> {
    let first = accounts
        .array_length()
        .and_then(|_| accounts.element(0).text());
    wallet::evm_account(first.as_deref()).map_err(|e| match &e.received {
        None => e.with_received(accounts.text().unwrap_or_default()),
        Some(_) => e,
    })
}

/// `eth_chainId`'s answer as a number, if it is one.
pub fn chain_id<V: HostValue>(answer: &V) -> Option<f64> {
    // Chain ids in use are far below 2^53.
    wallet::evm_chain_id(answer.text().as_deref(), answer.number()).map(|id| id as f64)
}

/// A Wallet Standard account's address on `chain` (`SOL` or `SUI`).
pub fn address<V: HostValue>(chain: &str, account: &V) -> Result<String> {
    if account.is_nullish() {
        return Err(Error::new(
            ErrorCode::WalletError,
            "the wallet returned no account",
        ));
    }
    wallet::standard_address(chain, account.get_text("address").as_deref())
}

/// A Solana signature (bytes, base58 or base64) as base58.
pub fn signature<V: HostValue>(value: &V) -> Result<String> {
    wallet::solana_signature(given(value, "signature")?)
}

/// A legacy injected Solana provider's key (bytes or base58) as its address.
pub fn key_address<V: HostValue>(key: &V) -> Result<String> {
    wallet::solana_key_address(given(key, "publicKey")?)
}

/// `solana:signIn`'s output, checked: `{ address, message, signature }`.
pub fn sign_in<V: HostValue>(output: &V) -> Result<V> {
    let signed = output.get("signedMessage").checked_bytes("signedMessage")?;
    let checked = wallet::sign_in_output(
        output.get("account").get_text("address").as_deref(),
        signed,
        given(&output.get("signature"), "signature")?,
    )?;
    V::serialize(&checked)
}

/// TON Connect's `ton_addr` and `ton_proof` replies as `{ address, tonVerification }`.
pub fn ton_proof<V: HostValue>(address_item: &V, proof_item: &V) -> Result<V> {
    let no_proof = |why: String| {
        Error::new(
            ErrorCode::WalletError,
            format!("the wallet gave no ton_proof: {why}"),
        )
    };
    if proof_item.is_nullish() {
        return Err(no_proof("no ton_proof item in its reply".into()));
    }
    let failed = proof_item.get("error");
    if !failed.is_nullish() {
        return Err(no_proof(failed.get_text("message").unwrap_or_default()));
    }
    let copy = host::snapshot(&proof_item.get("proof"), "proof")?;
    let proof: ton::TonProof = host::read_fields(&copy, "proof", &[], ErrorCode::WalletError)?;
    let text = |key: &str| address_item.get_text(key).unwrap_or_default();
    let account = ton::TonAccount {
        address: text("address"),
        chain: text("network"),
        public_key: text("publicKey"),
        wallet_state_init: address_item.get_text("walletStateInit"),
    };
    V::serialize(&wallet::ton_proof_output(proof, account)?)
}

/// A display name for an injected provider, from the flags it sets (`chain`: EVM or SOL).
pub fn injected_name<V: HostValue>(chain: &str, provider: &V) -> &'static str {
    let flag = |name: &str| provider.get(name).boolean() == Some(true);
    match chain {
        "SOL" => wallet::legacy_solana_name(flag),
        _ => wallet::injected_evm_name(flag),
    }
}
