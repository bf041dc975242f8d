//! Sign-In With Solana messages, in the two dialects found in the wild, each read by its own
//! grammar:
//!
//! - the Solana Wallet Standard's (`solana:signIn`; Phantom, Solflare), described below;
//! - Web3Auth's `sign-in-with-solana` (SIP-99, [`SiwsDialect::Web3Auth`]): EIP-4361's layout with
//!   the Solana header: after the address an empty line, the statement and an empty line (or,
//!   without a statement, two empty lines), then the required `URI`, `Version`, a numeric
//!   `Chain ID`, `Nonce` and `Issued At`, and the optional fields.
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

/// The dialect of a Sign-In With Solana message other than the Wallet Standard's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum SiwsDialect {
    /// Web3Auth's `sign-in-with-solana` (SIP-99): EIP-4361's layout, a numeric chain id.
    Web3Auth,
}

/// The Wallet Standard's `SolanaSignInInput`, with `domain` and `address` required (a message
/// always has both), and the dialect when it is not the Wallet Standard's.
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
    /// `web3auth` for Web3Auth's dialect (then `uri`, `version`, `chainId` (decimal), `nonce` and
    /// `issuedAt` are required); absent for the Wallet Standard's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<SiwsDialect>,
}

/// Web3Auth's required field lines.
const WEB3AUTH_REQUIRED: [Label; 5] = [
    Label::Uri,
    Label::Version,
    Label::ChainId,
    Label::Nonce,
    Label::IssuedAt,
];

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
            Label::ChainId if input.dialect == Some(SiwsDialect::Web3Auth) => {
                grammar::parse_chain_id(value).map(|_| ())
            }
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
    if input.dialect == Some(SiwsDialect::Web3Auth) {
        for (label, value) in input.labelled() {
            if value.is_none() && WEB3AUTH_REQUIRED.contains(&label) {
                return Err(mode.error(label.field(), "is required in Web3Auth's dialect"));
            }
        }
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
    let web3auth = input.dialect == Some(SiwsDialect::Web3Auth);
    if let Some(statement) = &input.statement {
        out.push_str("\n\n");
        out.push_str(statement);
    } else if web3auth {
        // Web3Auth writes the empty line of the absent statement too.
        out.push('\n');
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
        super::push_resources(&mut out, &input.resources);
    }
    Ok(out)
}

/// Parses a Sign-In With Solana message strictly, in either dialect (see the module
/// documentation); `dialect` says which one it read. No text is valid in both.
///
/// Errors: `MESSAGE_PARSE` naming the field at fault, `INVALID_ADDRESS` for the address. When
/// neither grammar reads the text, the error is the one of the dialect its layout or chain id
/// points to.
pub fn parse_solana_sign_in_message(text: &str) -> Result<SolanaSignInInput> {
    let wallet_standard = parse_wallet_standard(text);
    let Err(first) = wallet_standard else {
        return wallet_standard;
    };
    match parse_web3auth(text) {
        Ok(input) => Ok(input),
        Err(second) if looks_like_web3auth(text) => Err(second),
        Err(_) => Err(first),
    }
}

/// Whether the text's layout is Web3Auth's: two empty lines after the address; or, after a
/// statement (where the two layouts coincide), a numeric chain id.
fn looks_like_web3auth(text: &str) -> bool {
    let after_address = text.splitn(3, '\n').nth(2).unwrap_or_default();
    if after_address.starts_with("\n\n") {
        return true;
    }
    let statement_first = after_address
        .strip_prefix('\n')
        .is_some_and(|body| !starts_with_label(body));
    statement_first
        && text.split('\n').any(|line| {
            line.strip_prefix(Label::ChainId.prefix())
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Web3Auth's grammar: the address, an empty line, then the statement and an empty line, or a
/// second empty line; then the fields, the five required ones included.
fn parse_web3auth(text: &str) -> Result<SolanaSignInInput> {
    let (domain, address, rest) = split_header(text, "Solana")?;
    let mode = Mode::Parse;
    mode.check("domain", domain, grammar::check_authority(domain, true))?;
    check_address(address)?;
    let body = rest
        .and_then(|rest| rest.strip_prefix('\n'))
        .ok_or_else(|| {
            mode.error(
                "address",
                "the address line must be followed by an empty line",
            )
        })?;
    let (statement, block) = match body.strip_prefix('\n') {
        Some(block) => (None, block),
        None => {
            let (statement, after) = body.split_once('\n').unwrap_or((body, ""));
            let block = after.strip_prefix('\n').ok_or_else(|| {
                mode.error(
                    "statement",
                    "the statement must be one line followed by an empty line",
                )
                .with_received(statement)
            })?;
            (Some(statement), block)
        }
    };
    let lines = FieldLines::parse(block, &WEB3AUTH_REQUIRED)?;
    let input = SolanaSignInInput {
        domain: domain.to_owned(),
        address: address.to_owned(),
        statement: statement.map(str::to_owned),
        dialect: Some(SiwsDialect::Web3Auth),
        ..SolanaSignInInput::default()
    }
    .with_lines(&lines);
    validate_fields(&input, mode)?;
    Ok(input)
}

impl SolanaSignInInput {
    /// `self` with the values of the labelled lines.
    fn with_lines(self, lines: &FieldLines<'_>) -> SolanaSignInInput {
        let owned = |label| lines.get(label).map(str::to_owned);
        SolanaSignInInput {
            uri: owned(Label::Uri),
            version: owned(Label::Version),
            chain_id: owned(Label::ChainId),
            nonce: owned(Label::Nonce),
            issued_at: owned(Label::IssuedAt),
            expiration_time: owned(Label::ExpirationTime),
            not_before: owned(Label::NotBefore),
            request_id: owned(Label::RequestId),
            resources: lines
                .resources
                .as_ref()
                .map(|r| r.iter().copied().map(str::to_owned).collect()),
            ..self
        }
    }
}

/// The Wallet Standard's grammar (see the module documentation).
fn parse_wallet_standard(text: &str) -> Result<SolanaSignInInput> {
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
            input = input.with_lines(&FieldLines::parse(block, &[])?);
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
