//! The local signature checks ([`crate::evm`], [`crate::solana`], [`crate::sui`],
//! [`crate::signin`], [`crate::ton`]) over the caller's values.

use serde::{Deserialize, Serialize};

use super::{Signed, evm_signature, message_bytes, solana_public_key, solana_signature, text};
use crate::error::{Error, ErrorCode, Result};
use crate::host::HostValue;
use crate::message::{SiweMessage, SolanaSignInInput};
use crate::signin::{self, Now};
use crate::{evm, solana, ton};

/// `recoverEvmAddress(message, signature)`: the EIP-55 address that signed.
pub fn recover_evm_address<V: HostValue>(message: &V, signature: &V) -> Result<String> {
    let message = message_bytes(message)?;
    let signature = evm_signature(signature)?;
    evm::recover_address(&message, &signature).map(|a| evm::eip55::checksum_of_bytes(&a))
}

/// `verifyEvmSignature(message, signature, address)`.
pub fn verify_evm_signature<V: HostValue>(message: &V, signature: &V, address: &V) -> Result<bool> {
    let verifier = evm::EvmVerifier::new(&text(address, "address")?)?;
    let message = message_bytes(message)?;
    let signature = evm_signature(signature)?;
    verifier.verify(&message, &signature)
}

/// The verifier of a Solana public key (checked and decompressed once).
pub fn solana_key<V: HostValue>(public_key: &V) -> Result<solana::SolanaVerifier> {
    solana::SolanaVerifier::new(&solana_public_key(public_key)?)
}

/// `SolanaVerifier.verify(message, signature)`.
pub fn verify_solana_with<V: HostValue>(
    key: &solana::SolanaVerifier,
    message: &V,
    signature: &V,
) -> Result<bool> {
    let message = message_bytes(message)?;
    let signature = solana_signature(signature)?;
    key.verify(&message, &signature)
}

/// `verifySolanaSignature(message, signature, publicKey)`.
pub fn verify_solana_signature<V: HostValue>(
    message: &V,
    signature: &V,
    public_key: &V,
) -> Result<bool> {
    verify_solana_with(&solana_key(public_key)?, message, signature)
}

/// `verifySuiPersonalMessage(message, signature, address)`.
pub fn verify_sui_personal_message<V: HostValue>(
    message: &V,
    signature: &V,
    address: &V,
) -> Result<bool> {
    let message = message_bytes(message)?;
    let signature = text(signature, "signature")?;
    let address = text(address, "address")?;
    crate::sui::verify_personal_message(&message, &signature, &address)
}

/// `verifySiweSignIn(options)`: the message's fields.
pub fn verify_siwe_sign_in<V: HostValue>(options: &V) -> Result<SiweMessage> {
    let (signed, mut check) = Signed::<V>::read::<signin::SiweCheck>(options)?;
    let signature = evm_signature(&signed.signature)?;
    check.now_ms = signed.now_ms()?;
    let message = text(&signed.message, "message")?;
    signin::verify_siwe_sign_in(&message, &signature, &check)
}

/// `verifySolanaSignIn(options)`: the message's fields.
pub fn verify_solana_sign_in<V: HostValue>(options: &V) -> Result<SolanaSignInInput> {
    let (signed, mut check) = Signed::<V>::read::<signin::SolanaSignInCheck>(options)?;
    let message = message_bytes(&signed.message)?;
    let signature = solana_signature(&signed.signature)?;
    if !signed.public_key.is_nullish() {
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
    check.now_ms = signed.now_ms()?;
    signin::verify_solana_sign_in(&message, &signature, &check)
}

/// What `verifyTonProof` reads besides the check: the wallet's reply and the time.
#[derive(Deserialize)]
struct TonReply {
    proof: ton::TonProof,
    account: ton::TonAccount,
    now: Option<Now>,
}

/// `verifyTonProof`'s result.
#[derive(Serialize)]
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

/// `verifyTonProof(options)`.
pub fn verify_ton_proof<V: HostValue>(options: &V) -> Result<V> {
    let copy = crate::host::snapshot(options, "options")?;
    let reply: TonReply =
        crate::host::read_fields(&copy, "options", &["now"], ErrorCode::InvalidArgument)?;
    let mut check: ton::TonProofCheck = crate::host::read_snapshot(&copy, "options")?;
    check.now_ms = Now::epoch_ms(reply.now.as_ref(), V::clock_ms)?;
    let verified = ton::verify_ton_proof(&reply.proof, &reply.account, &check)?;
    let flags = ton::FriendlyFlags {
        bounceable: false,
        testnet: verified.chain == ton::TonChain::Testnet,
        url_safe: true,
    };
    V::serialize(&TonProofResult {
        address: verified.address.to_raw(),
        friendly_address: verified.address.to_friendly(flags),
        chain: verified.chain.as_str(),
        wallet: verified.wallet.as_str(),
        public_key: base16ct::lower::encode_string(&verified.public_key),
        timestamp: verified.timestamp,
    })
}
