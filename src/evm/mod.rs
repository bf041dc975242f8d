//! Ethereum (EVM) accounts: EIP-55 addresses, EIP-191 `personal_sign` hashing, signature forms
//! and secp256k1 public-key recovery.

pub mod contract;
pub mod eip191;
pub mod eip55;
pub mod signature;

pub use contract::{EvmRpc, SignatureKind, Verdict, verify_message};
pub use eip55::{keccak256, parse_address, parse_address_strict, to_checksum_address};
pub use eip191::{EvmVerifier, eip191_hash, recover_address, recover_signer, verify_signature};
pub use signature::{EvmSignature, decode_signature};

/// `0x` and lowercase hex, as EVM JSON-RPC and the services write bytes.
pub fn hex_0x(bytes: &[u8]) -> String {
    let mut out = String::from("0x");
    out.push_str(&base16ct::lower::encode_string(bytes));
    out
}
