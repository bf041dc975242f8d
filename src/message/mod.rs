//! Sign-in messages: build them exactly, parse them strictly.
//!
//! - [`siwe`]: EIP-4361 Sign-In with Ethereum, byte-identical to the `siwe` npm package.
//! - [`siws`]: Sign-In With Solana, byte-identical to `@solana/wallet-standard-util`.
//! - [`dynamic`]: the template Dynamic's SDK asks a wallet to sign before `verify/link`.
//!
//! Every `create_*` validates each field and refuses what the matching `parse_*` would refuse, so
//! `parse(create(f)) == f` and `create(parse(t)) == t`. Parse errors carry `MESSAGE_PARSE`
//! (`INVALID_ADDRESS` for the address), build errors `INVALID_FIELD`; both name the field.

pub mod dynamic;
pub mod grammar;
pub mod siwe;
pub mod siws;

pub use dynamic::{
    ChainFamily, DynamicSignInParams, create_dynamic_sign_in_message, parse_dynamic_sign_in_message,
};
pub use grammar::parse_rfc3339_ms;
pub use siwe::{SiweMessage, create_siwe_message, parse_siwe_message};
pub use siws::{
    SiwsDialect, SolanaSignInInput, create_solana_sign_in_message, parse_solana_sign_in_message,
};

use crate::error::{Error, ErrorCode, Result};

/// Characters of a generated nonce.
const NONCE_ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// 62^22 > 2^128, so 22 base-62 digits hold any 16 random bytes.
const NONCE_LEN: usize = 22;

/// A nonce from 16 random bytes: the 128-bit number written in base 62 with exactly 22
/// alphanumeric characters. Writing the whole number out (rather than one character per byte
/// modulo 62) keeps every character free of bias; the nonce carries all 128 bits.
pub fn generate_nonce_from(random: &[u8; 16]) -> String {
    let mut value = u128::from_be_bytes(*random);
    let mut digits = [b'0'; NONCE_LEN];
    for digit in digits.iter_mut().rev() {
        // value % 62 < 62, so the index is always in range.
        *digit = NONCE_ALPHABET[(value % 62) as usize];
        value /= 62;
    }
    digits.iter().map(|&c| char::from(c)).collect()
}

/// The labelled lines after the statement, in the order EIP-4361 fixes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Label {
    Uri,
    Version,
    ChainId,
    Nonce,
    IssuedAt,
    ExpirationTime,
    NotBefore,
    RequestId,
    Resources,
}

impl Label {
    const ALL: [Label; 9] = [
        Label::Uri,
        Label::Version,
        Label::ChainId,
        Label::Nonce,
        Label::IssuedAt,
        Label::ExpirationTime,
        Label::NotBefore,
        Label::RequestId,
        Label::Resources,
    ];

    /// The line prefix (`Resources:` stands alone on its line).
    pub(crate) const fn prefix(self) -> &'static str {
        match self {
            Label::Uri => "URI: ",
            Label::Version => "Version: ",
            Label::ChainId => "Chain ID: ",
            Label::Nonce => "Nonce: ",
            Label::IssuedAt => "Issued At: ",
            Label::ExpirationTime => "Expiration Time: ",
            Label::NotBefore => "Not Before: ",
            Label::RequestId => "Request ID: ",
            Label::Resources => "Resources:",
        }
    }

    /// The JavaScript field name, used in errors.
    pub(crate) const fn field(self) -> &'static str {
        match self {
            Label::Uri => "uri",
            Label::Version => "version",
            Label::ChainId => "chainId",
            Label::Nonce => "nonce",
            Label::IssuedAt => "issuedAt",
            Label::ExpirationTime => "expirationTime",
            Label::NotBefore => "notBefore",
            Label::RequestId => "requestId",
            Label::Resources => "resources",
        }
    }

    fn of_line(line: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|label| match label {
            Label::Resources => line == label.prefix(),
            _ => line.starts_with(label.prefix()),
        })
    }
}

/// Whether a statement could be mistaken for the first field line (relevant where both the
/// statement and the fields are optional).
/// Writes the `Resources:` section (EIP-4361's, also SIWS's and Dynamic's), when there is one.
pub(crate) fn push_resources(out: &mut String, resources: &Option<Vec<String>>) {
    if let Some(resources) = resources {
        out.push_str("\nResources:");
        for resource in resources {
            out.push_str("\n- ");
            out.push_str(resource);
        }
    }
}

pub(crate) fn starts_with_label(text: &str) -> bool {
    Label::ALL
        .iter()
        .any(|label| text.starts_with(label.prefix()))
}

/// The raw values of the labelled lines, each present at most once and in order.
#[derive(Default, Debug)]
pub(crate) struct FieldLines<'a> {
    values: [Option<&'a str>; 8],
    pub(crate) resources: Option<Vec<&'a str>>,
}

impl<'a> FieldLines<'a> {
    pub(crate) fn get(&self, label: Label) -> Option<&'a str> {
        self.values.get(label as usize).copied().flatten()
    }

    /// Splits `block` (the text after the statement's blank line) into labelled lines, each at
    /// most once and in order, with every `required` label present.
    pub(crate) fn parse(block: &'a str, required: &[Label]) -> Result<Self> {
        let missing = |label: Label| {
            parse_error(
                label.field(),
                format!("the {:?} line is missing", label.prefix().trim_end()),
            )
        };
        // The first required label in `from..to` (indices into Label::ALL), if any.
        let skipped = |from: usize, to: usize| {
            required
                .iter()
                .copied()
                .filter(|&l| (from..to).contains(&(l as usize)))
                .min()
        };
        let mut fields = FieldLines::default();
        let mut next = 0usize; // index into Label::ALL of the earliest label still allowed
        for line in block.split('\n') {
            let label = Label::of_line(line);
            if let Some(resources) = fields.resources.as_mut() {
                if let Some(resource) = line.strip_prefix("- ") {
                    resources.push(resource);
                    continue;
                }
                return Err(match label {
                    Some(label) => parse_error(
                        label.field(),
                        format!("{:?} must come before Resources", label.prefix().trim_end()),
                    ),
                    None => parse_error(
                        "resources",
                        "each resource line must be \"- \" followed by a URI, with nothing after the last",
                    ),
                }
                .with_received(line));
            }
            let Some(label) = label else {
                // Name the first required line still missing, else the next one allowed.
                let wanted = skipped(next, Label::ALL.len()).or(Label::ALL.get(next).copied());
                let expected = wanted.map_or("the end of the message", |l| l.prefix().trim_end());
                let field = wanted.map_or("message", |l| l.field());
                let what = if line.is_empty() {
                    "an empty line"
                } else {
                    "an unknown line"
                };
                return Err(
                    parse_error(field, format!("expected {expected:?} but found {what}"))
                        .with_received(line),
                );
            };
            if (label as usize) < next {
                return Err(parse_error(
                    label.field(),
                    format!(
                        "{:?} is out of order or repeated (EIP-4361 fixes the order of fields)",
                        label.prefix().trim_end()
                    ),
                )
                .with_received(line));
            }
            if let Some(skipped) = skipped(next, label as usize) {
                return Err(missing(skipped).with_received(line));
            }
            next = label as usize + 1;
            match label {
                Label::Resources => fields.resources = Some(Vec::new()),
                _ => {
                    if let Some(slot) = fields.values.get_mut(label as usize) {
                        *slot = line.strip_prefix(label.prefix());
                    }
                }
            }
        }
        match skipped(next, Label::ALL.len()) {
            Some(label) => Err(missing(label)),
            None => Ok(fields),
        }
    }
}

pub(crate) fn parse_error(field: &str, message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(ErrorCode::MessageParse, format!("{field}: {message}")).with_field(field)
}

pub(crate) fn field_error(field: &str, message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(ErrorCode::InvalidField, format!("{field}: {message}")).with_field(field)
}

/// Whether errors are reported as a parse failure or as a bad field given to a builder.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Parse,
    Create,
}

impl Mode {
    pub(crate) fn error(self, field: &str, message: impl Into<String>) -> Error {
        match self {
            Mode::Parse => parse_error(field, message),
            Mode::Create => field_error(field, message),
        }
    }

    /// Checks an EVM address strictly (EIP-55). Building a message, the error also says how to
    /// get the checksummed form; parsing a signed one, it only says what is wrong with the text.
    pub(crate) fn evm_address(self, address: &str) -> Result<()> {
        crate::evm::eip55::parse_address_strict(address)
            .map(|_| ())
            .map_err(|mut e| {
                if self == Mode::Create && e.expected.is_some() {
                    e.message
                        .push_str("; build the message with toChecksumAddress(address)");
                }
                e
            })
    }

    /// Wraps a grammar check's reason into this mode's error for `field`.
    pub(crate) fn check(
        self,
        field: &str,
        value: &str,
        result: core::result::Result<(), &'static str>,
    ) -> Result<()> {
        result.map_err(|reason| self.error(field, reason).with_received(value))
    }
}

/// The two fixed header lines shared by every template: `{prefix} wants you to sign in with your
/// {chain} account:` then the address. Returns (prefix, address, rest after the address line).
pub(crate) fn split_header<'a>(
    text: &'a str,
    chain_name: &str,
) -> Result<(&'a str, &'a str, Option<&'a str>)> {
    let (first, rest) = text.split_once('\n').ok_or_else(|| {
        parse_error(
            "address",
            "the message has one line; the address must follow the header line",
        )
    })?;
    let prefix = first
        .strip_suffix(" account:")
        .and_then(|f| f.strip_suffix(chain_name))
        .and_then(|f| f.strip_suffix(" wants you to sign in with your "))
        .ok_or_else(|| {
            parse_error(
                "domain",
                format!(
                    "the first line must be \"<domain> wants you to sign in with your {chain_name} account:\""
                ),
            )
            .with_received(first)
        })?;
    Ok(match rest.split_once('\n') {
        Some((address, after)) => (prefix, address, Some(after)),
        None => (prefix, rest, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonce_is_base62_of_the_whole_number() {
        assert_eq!(generate_nonce_from(&[0; 16]), "0".repeat(22));
        // 2^128 - 1 in base 62 (checked with BigInt in JavaScript: (2n**128n-1n) base 62).
        assert_eq!(generate_nonce_from(&[0xff; 16]), "7n42DGM5Tflk9n8mt7Fhc7");
        let mut one = [0u8; 16];
        one[15] = 63;
        assert_eq!(generate_nonce_from(&one), format!("{}11", "0".repeat(20)));
        for seed in 0u8..=255 {
            let nonce = generate_nonce_from(&[seed; 16]);
            assert_eq!(nonce.len(), NONCE_LEN);
            assert_eq!(grammar::check_nonce(&nonce), Ok(()));
        }
    }

    #[test]
    fn field_lines_order_and_errors() {
        let ok = FieldLines::parse(
            "URI: a:b\nNonce: x\nResources:\n- r:1\n- r:2",
            &[Label::Uri],
        )
        .unwrap();
        assert_eq!(ok.get(Label::Uri), Some("a:b"));
        assert_eq!(ok.get(Label::Nonce), Some("x"));
        assert_eq!(ok.get(Label::Version), None);
        assert_eq!(ok.resources, Some(vec!["r:1", "r:2"]));

        let e = FieldLines::parse("Nonce: x\nURI: a:b", &[]).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::MessageParse, Some("uri"))
        );
        let e = FieldLines::parse("Nonce: x\nNonce: y", &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("nonce"));
        let e = FieldLines::parse("URI: a:b\n\nNonce: y", &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("version"));
        let e = FieldLines::parse("Resources:\n- a:b\nRequest ID: x", &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("requestId"));
        let e = FieldLines::parse("Resources:\n- a:b\n", &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("resources"));
        let e = FieldLines::parse("Resources:\n-a:b", &[]).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("resources"));

        let required = [Label::Uri, Label::Version, Label::Nonce];
        let e = FieldLines::parse("URI: a:b\nNonce: x", &required).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("version"));
        let e = FieldLines::parse("URI: a:b\nVersion: 1", &required).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("nonce"));
        assert!(FieldLines::parse("URI: a:b\nVersion: 1\nNonce: x", &required).is_ok());
    }
}
