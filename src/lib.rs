//! # wallet-linker
//!
//! Prove that a user owns a wallet and link that wallet to the user's accounts.
//!
//! The crate is a pure-Rust core (sign-in messages, local signature checks, service request and
//! response models, retry policy, the linking flow and the link server's rules) with a thin
//! WebAssembly layer (`wasm` module, compiled for `wasm32` only). What reads the caller's
//! JavaScript values is generic over [`host::HostValue`], which the wasm layer answers for
//! `JsValue` and the native tests with a scripted value.
//!
//! Time is passed in by the caller or asked of the host ([`host::HostValue::clock_ms`]): the core
//! reads no clock itself, so boundaries are testable.

pub mod api;
pub mod error;
pub mod evm;
pub mod exports;
pub mod flow;
pub mod host;
pub mod link;
pub mod message;
pub mod options_reader;
pub mod server;
pub mod signin;
pub mod solana;
pub mod sui;
pub mod ton;
pub mod wallet;

pub use error::{Error, ErrorCode, Result};

/// A value given as text or as bytes: a message (text is signed as its UTF-8 bytes), a signature
/// or a key (text in the encoding its chain uses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextOrBytes {
    Text(String),
    Bytes(Vec<u8>),
}

impl TextOrBytes {
    /// The bytes a string stands for when it is signed: its UTF-8 encoding.
    pub fn into_utf8_bytes(self) -> Vec<u8> {
        match self {
            TextOrBytes::Text(text) => text.into_bytes(),
            TextOrBytes::Bytes(bytes) => bytes,
        }
    }

    /// The bytes as given, or `decode`d from the text.
    pub fn decode(self, decode: impl FnOnce(&str) -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        match self {
            TextOrBytes::Text(text) => decode(&text),
            TextOrBytes::Bytes(bytes) => Ok(bytes),
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub mod wasm;
