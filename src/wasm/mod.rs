//! The JavaScript face of the crate: conversions at the boundary only. No logic lives here that
//! the core could hold.

mod clients;
mod de;
pub mod error;
mod fetch;
mod flow;
pub mod input;
mod messages;
mod rpc;
mod server;
mod verify;
mod wallets;

use wasm_bindgen::prelude::wasm_bindgen;

/// Runs once, when the module is instantiated.
#[wasm_bindgen(start)]
fn start() {
    wallets::install();
}

/// The package version (from Cargo.toml).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
