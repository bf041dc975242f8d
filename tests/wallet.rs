//! Wallet-protocol decisions: chain ids, wallet keys, refusals and injected providers' names.

use wallet_linker::ErrorCode;
use wallet_linker::flow::WalletSignature;
use wallet_linker::wallet::{
    DEFAULT_DISCOVERY_MS, ErrorCodeValue, discovery_timeout, evm_account, evm_chain_id,
    injected_evm_name, is_user_rejection, legacy_solana_name, parse_hex_quantity, sign_in_output,
    solana_key_address, solana_signature, standard_address, thrown_error, wallet_key,
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

#[test]
fn evm_accounts_are_checksummed_or_refused() {
    let lower = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
    let checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assert_eq!(evm_account(Some(lower)).unwrap(), checksummed);
    assert_eq!(evm_account(None).unwrap_err().code, ErrorCode::WalletError);
    let bad = evm_account(Some("0x1234")).unwrap_err();
    assert_eq!(bad.code, ErrorCode::WalletError);
    assert_eq!(bad.received.as_deref(), Some("0x1234"));
}

#[test]
fn evm_chain_ids_from_text_or_whole_numbers() {
    assert_eq!(evm_chain_id(Some("0x89"), None), Some(137));
    assert_eq!(evm_chain_id(None, Some(10.0)), Some(10));
    for n in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 1e300] {
        assert_eq!(evm_chain_id(None, Some(n)), None, "{n}");
    }
    assert_eq!(evm_chain_id(Some("1"), None), None);
}

#[test]
fn standard_addresses_follow_their_chain() {
    let sol = "11111111111111111111111111111111";
    assert_eq!(standard_address("SOL", Some(sol)).unwrap(), sol);
    let sui = format!("0x{}", "aB".repeat(32));
    assert_eq!(
        standard_address("SUI", Some(&sui)).unwrap(),
        sui.to_lowercase()
    );
    assert!(standard_address("SUI", Some("0x2")).is_err());
    assert_eq!(
        standard_address("SOL", Some("0x2")).unwrap_err().code,
        ErrorCode::WalletError
    );
    assert_eq!(
        standard_address("SUI", Some(sol)).unwrap_err().code,
        ErrorCode::WalletError
    );
    assert!(standard_address("SOL", None).is_err());
}

#[test]
fn solana_signatures_and_keys_become_base58() {
    let bytes = vec![7u8; 64];
    let base58 = bs58_encode(&bytes);
    assert_eq!(
        solana_signature(Some(WalletSignature::Bytes(bytes.clone()))).unwrap(),
        base58
    );
    assert_eq!(
        solana_signature(Some(WalletSignature::Text(base58.clone()))).unwrap(),
        base58
    );
    assert!(solana_signature(Some(WalletSignature::Text("0xabc".into()))).is_err());
    assert_eq!(
        solana_signature(None).unwrap_err().code,
        ErrorCode::WalletError
    );
    let key = [9u8; 32];
    assert_eq!(
        solana_key_address(Some(WalletSignature::Bytes(key.to_vec()))).unwrap(),
        bs58_encode(&key)
    );
    assert!(solana_key_address(Some(WalletSignature::Bytes(vec![9; 31]))).is_err());
    assert!(solana_key_address(Some(WalletSignature::Text("not base58!".into()))).is_err());
    assert!(solana_key_address(None).is_err());
}

fn bs58_encode(bytes: &[u8]) -> String {
    // The alphabet's order is the encoding's definition; a plain big-number division keeps this
    // independent of the crate under test.
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new();
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for digit in digits.iter_mut() {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    std::iter::repeat_n('1', zeros)
        .chain(digits.iter().rev().map(|d| ALPHABET[*d as usize] as char))
        .collect()
}

#[test]
fn sign_in_outputs_are_checked() {
    let sol = "11111111111111111111111111111111";
    let signature = Some(WalletSignature::Bytes(vec![1; 64]));
    let ok = sign_in_output(Some(sol), Some(b"hello".to_vec()), signature.clone()).unwrap();
    assert_eq!((ok.address.as_str(), ok.message.as_str()), (sol, "hello"));
    let fails = [
        sign_in_output(None, Some(b"m".to_vec()), signature.clone()),
        sign_in_output(Some("0x1"), Some(b"m".to_vec()), signature.clone()),
        sign_in_output(Some(sol), None, signature.clone()),
        sign_in_output(Some(sol), Some(vec![0xff, 0xfe]), signature.clone()),
        sign_in_output(Some(sol), Some(b"m".to_vec()), None),
    ];
    for result in fails {
        assert_eq!(result.unwrap_err().code, ErrorCode::WalletError);
    }
}

#[test]
fn discovery_waits_are_bounded() {
    assert_eq!(discovery_timeout(None).unwrap(), DEFAULT_DISCOVERY_MS);
    assert_eq!(discovery_timeout(Some(0.0)).unwrap(), 0);
    assert_eq!(discovery_timeout(Some(60_000.0)).unwrap(), 60_000);
    for bad in [-1.0, 60_001.0, f64::NAN, f64::INFINITY] {
        let e = discovery_timeout(Some(bad)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidArgument, Some("timeoutMs"))
        );
    }
}

#[test]
fn thrown_wallet_values_keep_refusals_and_our_codes() {
    let wallet = || wallet_linker::Error::new(ErrorCode::WalletError, "boom");
    let refused = thrown_error(
        ErrorCodeValue::Number(4001.0),
        Some("no".into()),
        wallet(),
        "connect",
    );
    assert_eq!(refused.code, ErrorCode::UserRejected);
    assert_eq!(refused.received.as_deref(), Some("no"));
    let ours = wallet_linker::Error::new(ErrorCode::WalletNotFound, "missing");
    let kept = thrown_error(ErrorCodeValue::Absent, None, ours, "connect");
    assert_eq!(kept.code, ErrorCode::WalletNotFound);
    let other = thrown_error(
        ErrorCodeValue::Number(-32603.0),
        Some("boom".into()),
        wallet(),
        "sign in",
    );
    assert_eq!(other.code, ErrorCode::WalletError);
    assert_eq!(other.message, "the wallet failed to sign in: boom");
}
