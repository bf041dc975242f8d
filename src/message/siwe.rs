//! EIP-4361 Sign-In with Ethereum messages.
//!
//! [`SiweMessage::to_message`] writes exactly what `new SiweMessage(fields).prepareMessage()` of
//! the `siwe` npm package (v3) writes; [`SiweMessage::from_str`] follows the EIP-4361 ABNF:
//!
//! ```text
//! [ scheme "://" ] domain " wants you to sign in with your Ethereum account:" LF
//! address LF
//! LF
//! [ statement LF ]
//! LF
//! "URI: " uri LF
//! "Version: 1" LF
//! "Chain ID: " chain-id LF
//! "Nonce: " nonce LF
//! "Issued At: " issued-at
//! [ LF "Expiration Time: " expiration-time ]
//! [ LF "Not Before: " not-before ]
//! [ LF "Request ID: " request-id ]
//! [ LF "Resources:" *( LF "- " uri ) ]
//! ```
//!
//! A present but empty statement (`statement: ""`) is written as an empty line, an absent one
//! (`None`) as nothing, as the `siwe` package does. Two points are stricter than the ABNF, so
//! that every accepted message survives a round trip: an empty `Request ID` is refused (the `siwe`
//! package would drop it), and the chain id has no leading zeros and is at most 2^53 - 1.

use super::grammar;
use super::{FieldLines, Label, Mode, parse_error, split_header};
use crate::error::{Error, Result};
use core::str::FromStr;
use serde::{Deserialize, Serialize};

/// The only version EIP-4361 defines.
pub const SIWE_VERSION: &str = "1";

/// The fields of an EIP-4361 message, named as in the `siwe` npm package (`SiweMessageFields`
/// in TypeScript).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(rename = "SiweMessageFields"))]
#[serde(rename_all = "camelCase")]
pub struct SiweMessage {
    /// RFC 3986 scheme of the requesting origin (e.g. `https`), written as `scheme://domain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// RFC 3986 authority requesting the signature: `host[:port]`, optionally with user info.
    pub domain: String,
    /// The signing account, EIP-55 checksummed.
    pub address: String,
    /// Human-readable assertion, one line of RFC 3986 reserved/unreserved characters and spaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// RFC 3986 URI of the resource that is the subject of the signing.
    pub uri: String,
    /// Always `"1"`.
    pub version: String,
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// At least 8 letters or digits, against replay.
    pub nonce: String,
    /// RFC 3339 date-time of the message's creation.
    pub issued_at: String,
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

impl SiweMessage {
    /// Checks every field against the EIP-4361 grammar.
    ///
    /// Errors: `INVALID_FIELD` naming the field, or `INVALID_ADDRESS` (field `address`) for an
    /// address that is malformed or not EIP-55 checksummed.
    pub fn validate(&self) -> Result<()> {
        validate_fields(self, Mode::Create)
    }

    /// The message text to sign, after [`validate`](Self::validate).
    pub fn to_message(&self) -> Result<String> {
        self.validate()?;
        Ok(self.render())
    }

    /// Writes the message the way `siwe`'s `toMessage` does.
    fn render(&self) -> String {
        let mut out = String::with_capacity(256);
        if let Some(scheme) = &self.scheme {
            out.push_str(scheme);
            out.push_str("://");
        }
        out.push_str(&self.domain);
        out.push_str(" wants you to sign in with your Ethereum account:\n");
        out.push_str(&self.address);
        out.push_str("\n\n");
        if let Some(statement) = &self.statement {
            out.push_str(statement);
            out.push('\n');
        }
        out.push_str("\nURI: ");
        out.push_str(&self.uri);
        out.push_str("\nVersion: ");
        out.push_str(&self.version);
        out.push_str("\nChain ID: ");
        out.push_str(&self.chain_id.to_string());
        out.push_str("\nNonce: ");
        out.push_str(&self.nonce);
        out.push_str("\nIssued At: ");
        out.push_str(&self.issued_at);
        for (label, value) in [
            (Label::ExpirationTime, &self.expiration_time),
            (Label::NotBefore, &self.not_before),
            (Label::RequestId, &self.request_id),
        ] {
            if let Some(value) = value {
                out.push('\n');
                out.push_str(label.prefix());
                out.push_str(value);
            }
        }
        super::push_resources(&mut out, &self.resources);
        out
    }
}

/// The rules shared by building and parsing; `mode` picks the error code.
fn validate_fields(m: &SiweMessage, mode: Mode) -> Result<()> {
    if let Some(scheme) = &m.scheme {
        mode.check("scheme", scheme, grammar::check_scheme(scheme))?;
    }
    mode.check(
        "domain",
        &m.domain,
        grammar::check_authority(&m.domain, true),
    )?;
    mode.evm_address(&m.address)?;
    if let Some(statement) = &m.statement {
        mode.check(
            "statement",
            statement,
            grammar::check_siwe_statement(statement),
        )?;
    }
    mode.check("uri", &m.uri, grammar::check_uri(&m.uri))?;
    if m.version != SIWE_VERSION {
        return Err(mode
            .error("version", "must be \"1\"")
            .with_expected(SIWE_VERSION)
            .with_received(m.version.as_str()));
    }
    mode.check(
        "chainId",
        &m.chain_id.to_string(),
        grammar::check_chain_id(m.chain_id),
    )?;
    mode.check("nonce", &m.nonce, grammar::check_nonce(&m.nonce))?;
    mode.check(
        "issuedAt",
        &m.issued_at,
        grammar::check_rfc3339(&m.issued_at),
    )?;
    for (field, value) in [
        ("expirationTime", &m.expiration_time),
        ("notBefore", &m.not_before),
    ] {
        if let Some(value) = value {
            mode.check(field, value, grammar::check_rfc3339(value))?;
        }
    }
    if let Some(request_id) = &m.request_id {
        mode.check(
            "requestId",
            request_id,
            grammar::check_request_id(request_id),
        )?;
    }
    for resource in m.resources.iter().flatten() {
        mode.check("resources", resource, grammar::check_uri(resource))?;
    }
    Ok(())
}

/// Builds the EIP-4361 message for `fields` (see [`SiweMessage::to_message`]).
pub fn create_siwe_message(fields: &SiweMessage) -> Result<String> {
    fields.to_message()
}

/// Parses an EIP-4361 message strictly (see [`SiweMessage::from_str`]).
pub fn parse_siwe_message(text: &str) -> Result<SiweMessage> {
    text.parse()
}

/// The field lines every EIP-4361 message has.
const REQUIRED: [Label; 5] = [
    Label::Uri,
    Label::Version,
    Label::ChainId,
    Label::Nonce,
    Label::IssuedAt,
];

impl FromStr for SiweMessage {
    type Err = Error;

    /// Errors: `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS` for an address
    /// that is malformed or not EIP-55 checksummed.
    fn from_str(text: &str) -> Result<Self> {
        let (prefix, address, rest) = split_header(text, "Ethereum")?;
        let (scheme, domain) = match prefix.split_once("://") {
            Some((scheme, domain)) => (Some(scheme), domain),
            None => (None, prefix),
        };
        // Header pieces are checked first so that errors follow the text's order.
        if let Some(scheme) = scheme {
            Mode::Parse.check("scheme", scheme, grammar::check_scheme(scheme))?;
        }
        Mode::Parse.check("domain", domain, grammar::check_authority(domain, true))?;
        Mode::Parse.evm_address(address)?;
        let rest = rest.ok_or_else(|| {
            parse_error(
                "uri",
                "the message ends after the address; URI, Version, Chain ID, Nonce and Issued At are required",
            )
        })?;
        // After the address line: "\n" statement "\n\n", or "\n\n" (empty statement), or "\n"
        // (no statement); then the fields.
        let (statement, block) = if let Some(block) = rest.strip_prefix("\n\n\n") {
            (Some(""), block)
        } else if let Some(block) = rest.strip_prefix("\n\n") {
            (None, block)
        } else if let Some(after) = rest.strip_prefix('\n') {
            let (statement, after) = after.split_once('\n').unwrap_or((after, ""));
            let block = after.strip_prefix('\n').ok_or_else(|| {
                parse_error(
                    "statement",
                    "the statement must be one line followed by an empty line",
                )
                .with_received(statement)
            })?;
            (Some(statement), block)
        } else {
            return Err(parse_error(
                "address",
                "the address line must be followed by an empty line",
            )
            .with_received(address));
        };
        if let Some(statement) = statement {
            Mode::Parse.check(
                "statement",
                statement,
                grammar::check_siwe_statement(statement),
            )?;
        }
        let lines = FieldLines::parse(block, &REQUIRED)?;
        let required = |label: Label| {
            lines.get(label).ok_or_else(|| {
                parse_error(
                    label.field(),
                    format!("the {:?} line is missing", label.prefix().trim_end()),
                )
            })
        };
        let chain_id_text = required(Label::ChainId)?;
        let message = SiweMessage {
            scheme: scheme.map(str::to_owned),
            domain: domain.to_owned(),
            address: address.to_owned(),
            statement: statement.map(str::to_owned),
            uri: required(Label::Uri)?.to_owned(),
            version: required(Label::Version)?.to_owned(),
            chain_id: grammar::parse_chain_id(chain_id_text)
                .map_err(|reason| parse_error("chainId", reason).with_received(chain_id_text))?,
            nonce: required(Label::Nonce)?.to_owned(),
            issued_at: required(Label::IssuedAt)?.to_owned(),
            expiration_time: lines.get(Label::ExpirationTime).map(str::to_owned),
            not_before: lines.get(Label::NotBefore).map(str::to_owned),
            request_id: lines.get(Label::RequestId).map(str::to_owned),
            resources: lines
                .resources
                .map(|r| r.into_iter().map(str::to_owned).collect()),
        };
        validate_fields(&message, Mode::Parse)?;
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn example() -> SiweMessage {
        SiweMessage {
            scheme: None,
            domain: "service.org".into(),
            address: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2".into(),
            statement: Some(
                "I accept the ServiceOrg Terms of Service: https://service.org/tos".into(),
            ),
            uri: "https://service.org/login".into(),
            version: "1".into(),
            chain_id: 1,
            nonce: "32891757".into(),
            issued_at: "2021-09-30T16:25:24.000Z".into(),
            expiration_time: None,
            not_before: None,
            request_id: None,
            resources: Some(vec![
                "ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu".into(),
                "https://example.com/my-web2-claim.json".into(),
            ]),
        }
    }

    #[test]
    fn statement_forms_differ_by_one_empty_line() {
        let mut m = example();
        m.resources = None;
        let with = m.to_message().unwrap();
        assert!(with.contains("Cc2\n\nI accept"), "{with}");
        assert!(with.contains("/tos\n\nURI: "), "{with}");
        m.statement = Some(String::new());
        let empty = m.to_message().unwrap();
        assert!(empty.contains("Cc2\n\n\n\nURI: "), "{empty}");
        m.statement = None;
        let none = m.to_message().unwrap();
        assert!(none.contains("Cc2\n\n\nURI: "), "{none}");
        for text in [with, empty, none] {
            let parsed: SiweMessage = text.parse().unwrap();
            assert_eq!(parsed.to_message().unwrap(), text);
        }
    }

    #[test]
    fn address_errors_use_invalid_address() {
        let mut m = example();
        m.address = m.address.to_lowercase();
        let e = m.to_message().unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidAddress);
        assert!(
            e.message.contains("toChecksumAddress"),
            "building: {}",
            e.message
        );
        let text = example().render().replace(&example().address, &m.address);
        let e = text.parse::<SiweMessage>().unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidAddress);
        // A signed text cannot be rebuilt: the parser only says what is wrong with it.
        assert!(
            !e.message.contains("toChecksumAddress"),
            "parsing: {}",
            e.message
        );
        assert_eq!(e.expected.as_deref(), Some(example().address.as_str()));
    }
}
