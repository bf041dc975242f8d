//! The JavaScript face of the crate: conversions at the boundary only. No logic lives here that
//! the core could hold.

mod clients;
mod error;
mod input;
mod messages;
mod verify;
