//! Solana accounts: base58 public keys and strict ed25519 signature checks.

pub mod pubkey;
pub mod verify;

pub use pubkey::{PUBLIC_KEY_LENGTH, is_valid_address, parse_public_key};
pub use verify::{SIGNATURE_LENGTH, SolanaVerifier, decode_signature, verify};
