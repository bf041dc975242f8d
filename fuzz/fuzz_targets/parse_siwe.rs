//! EIP-4361 parsing: never panics, and every accepted text is written back byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_linker::message::{create_siwe_message, parse_siwe_message};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(message) = parse_siwe_message(text) {
        assert_eq!(create_siwe_message(&message).as_deref(), Ok(text));
    }
});
