//! What wallets' answers mean, whatever interface they come through (EIP-1193, the Wallet
//! Standard, legacy injected providers). The WebAssembly layer reads the JavaScript values; the
//! decisions are here, tested natively.

/// An `eth_chainId` answer (`0x`-prefixed hex quantity) as a number.
pub fn parse_hex_quantity(text: &str) -> Option<u64> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// The wallet key Dynamic expects in `walletName` (`metamask`, `phantom`, ...): the display name
/// in lower case without spaces or punctuation.
pub fn wallet_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if key.is_empty() {
        "unknown".to_owned()
    } else {
        key
    }
}

/// A thrown value's `code`, as wallets send it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorCodeValue<'a> {
    Number(f64),
    Text(&'a str),
    Absent,
}

/// Whether a wallet's error is the user's refusal: EIP-1193 code 4001 (as a number or a string,
/// as some wallets send it), or ethers' `ACTION_REJECTED`.
pub fn is_user_rejection(code: ErrorCodeValue<'_>) -> bool {
    match code {
        ErrorCodeValue::Number(n) => n == 4001.0,
        ErrorCodeValue::Text(text) => matches!(text, "4001" | "ACTION_REJECTED"),
        ErrorCodeValue::Absent => false,
    }
}

/// A display name for a legacy injected EVM provider, from the flags wallets set on it
/// (`flag(name)`: whether `provider[name] === true`). Wallets that imitate MetaMask also set
/// `isMetaMask`, so theirs are read first.
pub fn injected_evm_name(flag: impl Fn(&str) -> bool) -> &'static str {
    [
        ("isRabby", "Rabby"),
        ("isCoinbaseWallet", "Coinbase Wallet"),
        ("isBraveWallet", "Brave Wallet"),
        ("isMetaMask", "MetaMask"),
    ]
    .into_iter()
    .find(|(key, _)| flag(key))
    .map_or("Injected wallet", |(_, name)| name)
}

/// A display name for a legacy injected Solana provider (`window.phantom.solana`,
/// `window.solana`), from its flags.
pub fn legacy_solana_name(flag: impl Fn(&str) -> bool) -> &'static str {
    [("isPhantom", "Phantom"), ("isSolflare", "Solflare")]
        .into_iter()
        .find(|(key, _)| flag(key))
        .map_or("Injected Solana wallet", |(_, name)| name)
}
