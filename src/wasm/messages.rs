//! The sign-in messages' and address helpers' exports (run by `Core.call`,
//! [`crate::exports::call`]; the page's location and the random bytes come from `js/boundary.js`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = createSiweMessage, reexport, skip_typescript)]
    fn reexport_create_siwe_message();
    #[wasm_bindgen(js_name = parseSiweMessage, reexport, skip_typescript)]
    fn reexport_parse_siwe_message();
    #[wasm_bindgen(js_name = createSolanaSignInMessage, reexport, skip_typescript)]
    fn reexport_create_solana_sign_in_message();
    #[wasm_bindgen(js_name = parseSolanaSignInMessage, reexport, skip_typescript)]
    fn reexport_parse_solana_sign_in_message();
    #[wasm_bindgen(js_name = createDynamicSignInMessage, reexport, skip_typescript)]
    fn reexport_create_dynamic_sign_in_message();
    #[wasm_bindgen(js_name = parseDynamicSignInMessage, reexport, skip_typescript)]
    fn reexport_parse_dynamic_sign_in_message();
    #[wasm_bindgen(js_name = toChecksumAddress, reexport, skip_typescript)]
    fn reexport_to_checksum_address();
    #[wasm_bindgen(js_name = isValidSolanaAddress, reexport, skip_typescript)]
    fn reexport_is_valid_solana_address();
    #[wasm_bindgen(js_name = generateNonce, reexport, skip_typescript)]
    fn reexport_generate_nonce();
}

#[wasm_bindgen(typescript_custom_section)]
const TS_MESSAGE_INPUT: &str = include_str!("types/messages.d.ts");
