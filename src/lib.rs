//! # wallet-linker
//!
//! Prove that a user owns a wallet and link that wallet to the user's accounts.
//!
//! The crate is a pure-Rust core (sign-in messages, local signature checks, service request and
//! response models, retry policy) with a thin WebAssembly layer (`wasm` module, compiled for
//! `wasm32` only) that converts values and errors at the JavaScript boundary.
//!
//! Time is always passed in by the caller (no clock reads in the core), so boundaries are testable.

pub mod api;
pub mod error;
pub mod evm;
pub mod flow;
pub mod message;
pub mod options_reader;
pub mod server;
pub mod signin;
pub mod solana;
pub mod sui;
pub mod ton;
pub mod wallet;

pub use error::{Error, ErrorCode, Result};

#[cfg(target_arch = "wasm32")]
pub mod wasm;
