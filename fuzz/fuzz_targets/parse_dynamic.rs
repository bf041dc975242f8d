//! Dynamic's template: parsing never panics, and every accepted text is written back byte for
//! byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_linker::message::{create_dynamic_sign_in_message, parse_dynamic_sign_in_message};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(params) = parse_dynamic_sign_in_message(text) {
        assert_eq!(create_dynamic_sign_in_message(&params).as_deref(), Ok(text));
    }
});
