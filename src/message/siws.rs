//! Sign-In With Solana messages (the Solana Wallet Standard's `solana:signIn`).
//!
//! [`create_solana_sign_in_message`] writes exactly what `createSignInMessageText` of
//! `@solana/wallet-standard-util` writes:
//!
//! ```text
//! {domain} wants you to sign in with your Solana account:
//! {address}
//! [ LF LF {statement} ]
//! [ LF LF field lines: URI, Version, Chain ID, Nonce, Issued At, Expiration Time, Not Before,
//!   Request ID, Resources — each optional, in this order ]
//! ```
//!
//! Unlike EIP-4361 there is no empty line at all when the statement is absent. Because both the
//! statement and the fields are optional, a statement may not begin with a field label such as
//! `Nonce: ` (the text would read as that field). Values follow the EIP-4361 rules: the address is
//! a base58 32-byte key, `Version` is `1`, the nonce has at least 8 letters or digits, times are
//! RFC 3339, URIs are RFC 3986, and the chain id is a Solana cluster name. Empty strings are
//! refused (the reference builder silently drops them, so they could not survive a round trip).

use super::grammar;
use super::{FieldLines, Label, Mode, split_header, starts_with_label};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// Chain ids the Sign-In With Solana specification and the Wallet Standard's chain names allow.
pub const SOLANA_CHAIN_IDS: &[&str] = &[
    "mainnet",
    "testnet",
    "devnet",
    "localnet",
    "solana:mainnet",
    "solana:testnet",
    "solana:devnet",
    "solana:localnet",
];

/// The Wallet Standard's `SolanaSignInInput`, with `domain` and `address` required (a message
/// always has both).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SolanaSignInInput {
    /// RFC 3986 authority requesting the signature (`host[:port]`).
    pub domain: String,
    /// The signing account: a base58 32-byte public key.
    pub address: String,
    /// Human-readable assertion: one line without control characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// RFC 3986 URI of the resource that is the subject of the signing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Always `"1"` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// A cluster: `mainnet`, `testnet`, `devnet`, `localnet`, or the same with `solana:` before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_id: Option<String>,
    /// At least 8 letters or digits, against replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// RFC 3339 date-time of the message's creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// RFC 3339 date-time after which the message is no longer valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
    /// RFC 3339 date-time before which the message is not yet valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// System-specific identifier of the sign-in request (RFC 3986 `pchar`s, not empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// RFC 3986 URIs the user wishes to have resolved as part of authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
}

impl SolanaSignInInput {
    /// The optional single-line fields with their labels, in message order.
    fn labelled(&self) -> [(Label, &Option<String>); 8] {
        [
            (Label::Uri, &self.uri),
            (Label::Version, &self.version),
            (Label::ChainId, &self.chain_id),
            (Label::Nonce, &self.nonce),
            (Label::IssuedAt, &self.issued_at),
            (Label::ExpirationTime, &self.expiration_time),
            (Label::NotBefore, &self.not_before),
            (Label::RequestId, &self.request_id),
        ]
    }

    fn has_fields(&self) -> bool {
        self.resources.is_some() || self.labelled().iter().any(|(_, v)| v.is_some())
    }
}

fn check_address(address: &str) -> Result<()> {
    if crate::solana::is_valid_address(address) {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::InvalidAddress,
        "address: a Solana address is a 32-byte public key written as 32 to 44 base58 characters",
    )
    .with_field("address")
    .with_received(address))
}

fn validate_fields(input: &SolanaSignInInput, mode: Mode) -> Result<()> {
    mode.check(
        "domain",
        &input.domain,
        grammar::check_authority(&input.domain, true),
    )?;
    check_address(&input.address)?;
    if let Some(statement) = &input.statement {
        if statement.is_empty() {
            return Err(mode.error("statement", "is empty (leave it out instead)"));
        }
        mode.check(
            "statement",
            statement,
            grammar::check_plain_statement(statement),
        )?;
        if starts_with_label(statement) {
            return Err(mode
                .error(
                    "statement",
                    "must not begin with a field label such as \"Nonce: \" (it would read as that field)",
                )
                .with_received(statement.as_str()));
        }
    }
    for (label, value) in input.labelled() {
        let Some(value) = value else { continue };
        let field = label.field();
        let check = match label {
            Label::Uri => grammar::check_uri(value),
            Label::Version if value != super::siwe::SIWE_VERSION => Err("must be \"1\""),
            Label::Version => Ok(()),
            Label::ChainId if !SOLANA_CHAIN_IDS.contains(&value.as_str()) => {
                Err("must be mainnet, testnet, devnet or localnet, optionally prefixed by solana:")
            }
            Label::ChainId => Ok(()),
            Label::Nonce => grammar::check_nonce(value),
            Label::IssuedAt | Label::ExpirationTime | Label::NotBefore => {
                grammar::check_rfc3339(value)
            }
            Label::RequestId => grammar::check_request_id(value),
            Label::Resources => Ok(()),
        };
        mode.check(field, value, check)?;
    }
    for resource in input.resources.iter().flatten() {
        mode.check("resources", resource, grammar::check_uri(resource))?;
    }
    Ok(())
}

/// Builds the Sign-In With Solana message text, byte-identical to `createSignInMessageText` of
/// `@solana/wallet-standard-util` for every valid input.
///
/// Errors: `INVALID_FIELD` naming the field, `INVALID_ADDRESS` for an address that is not a
/// base58 32-byte key.
pub fn create_solana_sign_in_message(input: &SolanaSignInInput) -> Result<String> {
    validate_fields(input, Mode::Create)?;
    let mut out = String::with_capacity(256);
    out.push_str(&input.domain);
    out.push_str(" wants you to sign in with your Solana account:\n");
    out.push_str(&input.address);
    if let Some(statement) = &input.statement {
        out.push_str("\n\n");
        out.push_str(statement);
    }
    if input.has_fields() {
        out.push('\n');
        for (label, value) in input.labelled() {
            if let Some(value) = value {
                out.push('\n');
                out.push_str(label.prefix());
                out.push_str(value);
            }
        }
        if let Some(resources) = &input.resources {
            out.push_str("\nResources:");
            for resource in resources {
                out.push_str("\n- ");
                out.push_str(resource);
            }
        }
    }
    Ok(out)
}

/// Parses a Sign-In With Solana message strictly (see the module documentation).
///
/// Errors: `MESSAGE_PARSE` naming the field at fault, `INVALID_ADDRESS` for the address.
pub fn parse_solana_sign_in_message(text: &str) -> Result<SolanaSignInInput> {
    let (domain, address, rest) = split_header(text, "Solana")?;
    let mut input = SolanaSignInInput {
        domain: domain.to_owned(),
        address: address.to_owned(),
        ..SolanaSignInInput::default()
    };
    let mode = Mode::Parse;
    // Header pieces are checked first so that errors follow the text's order.
    mode.check("domain", domain, grammar::check_authority(domain, true))?;
    check_address(address)?;
    if let Some(rest) = rest {
        let body = rest.strip_prefix('\n').ok_or_else(|| {
            mode.error(
                "address",
                "the address line must be followed by an empty line, or end the message",
            )
            .with_received(address)
        })?;
        let block = if starts_with_label(body) {
            Some(body)
        } else {
            let (statement, after) = match body.split_once('\n') {
                Some((statement, after)) => (statement, Some(after)),
                None => (body, None),
            };
            input.statement = Some(statement.to_owned());
            match after {
                None => None,
                Some(after) => match after.strip_prefix('\n') {
                    Some(block) if starts_with_label(block) => Some(block),
                    _ => {
                        return Err(mode
                            .error(
                                "statement",
                                "the statement must be one line, followed by the end or by an empty line and the fields",
                            )
                            .with_received(statement));
                    }
                },
            }
        };
        if let Some(block) = block {
            let lines = FieldLines::parse(block, &[])?;
            let owned = |label| lines.get(label).map(str::to_owned);
            input.uri = owned(Label::Uri);
            input.version = owned(Label::Version);
            input.chain_id = owned(Label::ChainId);
            input.nonce = owned(Label::Nonce);
            input.issued_at = owned(Label::IssuedAt);
            input.expiration_time = owned(Label::ExpirationTime);
            input.not_before = owned(Label::NotBefore);
            input.request_id = owned(Label::RequestId);
            input.resources = lines
                .resources
                .map(|r| r.into_iter().map(str::to_owned).collect());
        }
    }
    validate_fields(&input, mode)?;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRESS: &str = "5ZpUL5ZqCMeyaPNv96S2VQkcQHCsx2aQxFJd1CGYFzqa";

    #[test]
    fn layout_without_statement_or_fields() {
        let mut input = SolanaSignInInput {
            domain: "example.com".into(),
            address: ADDRESS.into(),
            ..Default::default()
        };
        let bare = create_solana_sign_in_message(&input).unwrap();
        assert_eq!(
            bare,
            format!("example.com wants you to sign in with your Solana account:\n{ADDRESS}")
        );
        input.nonce = Some("12345678".into());
        let fields_only = create_solana_sign_in_message(&input).unwrap();
        assert!(fields_only.ends_with(&format!("{ADDRESS}\n\nNonce: 12345678")));
        for text in [bare, fields_only] {
            assert_eq!(
                create_solana_sign_in_message(&parse_solana_sign_in_message(&text).unwrap())
                    .unwrap(),
                text
            );
        }
    }

    #[test]
    fn statement_that_reads_as_a_field_is_refused() {
        let input = SolanaSignInInput {
            domain: "example.com".into(),
            address: ADDRESS.into(),
            statement: Some("Nonce: 12345678".into()),
            ..Default::default()
        };
        let e = create_solana_sign_in_message(&input).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidField, Some("statement"))
        );
    }
}
