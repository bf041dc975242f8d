//! TON: addresses, bags of cells, wallet state inits and TON Connect's `ton_proof`.
//!
//! A TON Connect wallet proves it controls an address by signing a `ton_proof` (see [`proof`]).
//! The key it signs with is checked offline: the wallet sends its StateInit (the cells its address
//! is the hash of), whose data holds the key for the standard wallet contracts ([`wallet`]), read
//! from a strict, bounded bag-of-cells reader ([`boc`]).

pub mod address;
pub mod boc;
pub mod proof;
pub mod wallet;

pub use address::{AddressForm, FriendlyFlags, TonAddress};
pub use boc::{BagOfCells, Cell, CellSlice};
pub use proof::{
    TonAccount, TonChain, TonProof, TonProofCheck, TonProofDomain, TonVerification,
    VerifiedTonProof, build_ton_verification, ton_proof_digest, ton_proof_message,
    verify_ton_proof,
};
pub use wallet::{StateInit, Wallet, WalletVersion};
