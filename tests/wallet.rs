//! Wallet-protocol decisions: chain ids, wallet keys, refusals and injected providers' names.

use wallet_linker::wallet::{
    ErrorCodeValue, injected_evm_name, is_user_rejection, legacy_solana_name, parse_hex_quantity,
    wallet_key,
};

#[test]
fn chain_ids_from_eth_chain_id() {
    assert_eq!(parse_hex_quantity("0x1"), Some(1));
    assert_eq!(parse_hex_quantity("0X89"), Some(137));
    assert_eq!(parse_hex_quantity("0xffffffffffffffff"), Some(u64::MAX));
    for bad in ["", "0x", "1", "0x1g", "0x10000000000000000", " 0x1", "0x-1"] {
        assert_eq!(parse_hex_quantity(bad), None, "{bad:?}");
    }
}

#[test]
fn wallet_keys_are_lower_case_alphanumerics() {
    assert_eq!(wallet_key("MetaMask"), "metamask");
    assert_eq!(wallet_key("Coinbase Wallet"), "coinbasewallet");
    assert_eq!(wallet_key("OKX Wallet!"), "okxwallet");
    assert_eq!(wallet_key("ü ✓"), "unknown");
    assert_eq!(wallet_key(""), "unknown");
}

#[test]
fn refusals_are_4001_or_action_rejected() {
    assert!(is_user_rejection(ErrorCodeValue::Number(4001.0)));
    assert!(is_user_rejection(ErrorCodeValue::Text("4001")));
    assert!(is_user_rejection(ErrorCodeValue::Text("ACTION_REJECTED")));
    for other in [
        ErrorCodeValue::Number(4100.0),
        ErrorCodeValue::Number(-32603.0),
        ErrorCodeValue::Text("4001 "),
        ErrorCodeValue::Text("action_rejected"),
        ErrorCodeValue::Absent,
    ] {
        assert!(!is_user_rejection(other), "{other:?}");
    }
}

#[test]
fn injected_providers_are_named_by_their_flags() {
    let flags = |set: &'static [&'static str]| move |name: &str| set.contains(&name);
    assert_eq!(injected_evm_name(flags(&["isMetaMask"])), "MetaMask");
    // Rabby, Coinbase and Brave also claim to be MetaMask.
    assert_eq!(
        injected_evm_name(flags(&["isMetaMask", "isRabby"])),
        "Rabby"
    );
    assert_eq!(
        injected_evm_name(flags(&["isMetaMask", "isBraveWallet"])),
        "Brave Wallet"
    );
    assert_eq!(
        injected_evm_name(flags(&["isCoinbaseWallet"])),
        "Coinbase Wallet"
    );
    assert_eq!(injected_evm_name(flags(&[])), "Injected wallet");
    assert_eq!(legacy_solana_name(flags(&["isPhantom"])), "Phantom");
    assert_eq!(legacy_solana_name(flags(&["isSolflare"])), "Solflare");
    assert_eq!(legacy_solana_name(flags(&[])), "Injected Solana wallet");
}
