//! The sign-in message Dynamic's SDK asks a wallet to sign before `verify/link`, so a dapp can
//! link a wallet exactly as Dynamic's SDK would:
//!
//! ```text
//! {domain} wants you to sign in with your {ChainName} account:
//! {address}
//!
//! {statement}
//!
//! URI: {uri}
//! Version: 1
//! Chain ID: {chainId}          (EVM chains only)
//! Nonce: {nonce}
//! Issued At: {issuedAt}
//! Request ID: {environmentId}
//! Resources:                   (optional, as in EIP-4361)
//! - {uri}
//! ```
//!
//! The default statement names the app (see [`default_statement`]). For EVM chains the text is
//! an EIP-4361 message, so the statement follows the EIP-4361 character rules and the address
//! must be EIP-55 checksummed.

use super::grammar;
use super::{FieldLines, Label, Mode, split_header};
use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// Parameters of Dynamic's sign-in message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DynamicSignInParams {
    /// Dynamic's `ChainEnum`: `EVM` or `ETH` (Ethereum), `SOL` (Solana), `SUI` (Sui) or `BTC`
    /// (Bitcoin).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "DynamicSignInChain"))]
    pub chain: String,
    /// The page's host (`host[:port]`). In the browser build it defaults to `location.host`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The wallet address, in the chain's usual form (EIP-55 for EVM chains).
    pub address: String,
    /// The statement; defaults to Dynamic's welcome text naming `appName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The app name used by the default statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_name: Option<String>,
    /// The page's URI. In the browser build it defaults to `location.origin + location.pathname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// EIP-155 chain id: required for EVM chains, absent for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_id: Option<u64>,
    /// The nonce from Dynamic's `GET /sdk/{environmentId}/nonce`.
    pub nonce: String,
    /// RFC 3339 date-time of the message's creation. In the browser build it defaults to now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// The Dynamic environment id, written as the `Request ID`.
    pub environment_id: String,
    /// Optional RFC 3986 resource URIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
}

/// The chain families Dynamic's `ChainEnum` names and the template is known for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChainFamily {
    Evm,
    Solana,
    Sui,
    Bitcoin,
}

impl ChainFamily {
    /// The family of a Dynamic `ChainEnum` value (`EVM` and `ETH` are one family).
    pub fn of_chain(chain: &str) -> Option<ChainFamily> {
        match chain {
            "EVM" | "ETH" => Some(ChainFamily::Evm),
            "SOL" => Some(ChainFamily::Solana),
            "SUI" => Some(ChainFamily::Sui),
            "BTC" => Some(ChainFamily::Bitcoin),
            _ => None,
        }
    }

    fn of_name(name: &str) -> Option<ChainFamily> {
        [
            ChainFamily::Evm,
            ChainFamily::Solana,
            ChainFamily::Sui,
            ChainFamily::Bitcoin,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }

    /// The chain name in the header line.
    fn name(self) -> &'static str {
        match self {
            ChainFamily::Evm => "Ethereum",
            ChainFamily::Solana => "Solana",
            ChainFamily::Sui => "Sui",
            ChainFamily::Bitcoin => "Bitcoin",
        }
    }

    /// The `ChainEnum` value `parse` returns (`ETH` and `EVM` share one template).
    fn chain(self) -> &'static str {
        match self {
            ChainFamily::Evm => "EVM",
            ChainFamily::Solana => "SOL",
            ChainFamily::Sui => "SUI",
            ChainFamily::Bitcoin => "BTC",
        }
    }

    fn check_address(self, address: &str, mode: Mode) -> Result<()> {
        let invalid = |expected: &str| {
            Error::new(
                ErrorCode::InvalidAddress,
                format!("address: a {} address is {expected}", self.name()),
            )
            .with_field("address")
            .with_received(address)
        };
        match self {
            ChainFamily::Evm => mode.evm_address(address),
            ChainFamily::Solana if crate::solana::is_valid_address(address) => Ok(()),
            ChainFamily::Solana => Err(invalid("a base58 32-byte public key")),
            ChainFamily::Sui
                if address.len() == 66
                    && address.starts_with("0x")
                    && address.bytes().skip(2).all(|c| c.is_ascii_hexdigit()) =>
            {
                Ok(())
            }
            ChainFamily::Sui => Err(invalid("0x followed by 64 hex digits")),
            ChainFamily::Bitcoin
                if (14..=90).contains(&address.len())
                    && address.bytes().all(|c| c.is_ascii_alphanumeric()) =>
            {
                Ok(())
            }
            ChainFamily::Bitcoin => Err(invalid("14 to 90 letters and digits (base58 or bech32)")),
        }
    }
}

const WELCOME: &str = "Welcome to ";
const WELCOME_MIDDLE: &str = ". Signing is the only way we can truly know that you are the owner of the wallet you are connecting. Signing is a safe, gas-less transaction that does not in any way give ";
const WELCOME_END: &str = " permission to perform any transactions with your wallet.";

/// Dynamic's default statement for an app.
pub fn default_statement(app_name: &str) -> String {
    format!("{WELCOME}{app_name}{WELCOME_MIDDLE}{app_name}{WELCOME_END}")
}

/// The app name when `statement` is exactly [`default_statement`] of one.
fn app_name_of_default(statement: &str) -> Option<&str> {
    let inner = statement.strip_prefix(WELCOME)?.strip_suffix(WELCOME_END)?;
    let fixed = WELCOME_MIDDLE.len();
    let name_len = inner.len().checked_sub(fixed)? / 2;
    let name = inner.get(..name_len)?;
    (!name.is_empty() && inner.get(name_len..)? == format!("{WELCOME_MIDDLE}{name}"))
        .then_some(name)
}

fn resolve_statement(params: &DynamicSignInParams, mode: Mode) -> Result<(String, &'static str)> {
    match (&params.statement, &params.app_name) {
        (Some(statement), _) => Ok((statement.clone(), "statement")),
        (None, Some(app_name)) => {
            if app_name.is_empty() {
                return Err(mode.error("appName", "is empty"));
            }
            Ok((default_statement(app_name), "appName"))
        }
        (None, None) => Err(mode.error(
            "statement",
            "give a statement, or appName for Dynamic's default statement",
        )),
    }
}

fn validate(params: &DynamicSignInParams, mode: Mode) -> Result<(ChainFamily, String)> {
    let family = ChainFamily::of_chain(&params.chain).ok_or_else(|| {
        Error::new(
            ErrorCode::UnsupportedChain,
            "chain: the Dynamic sign-in template is known for EVM, ETH, SOL, SUI and BTC",
        )
        .with_field("chain")
        .with_received(params.chain.as_str())
    })?;
    let required = |field: &str, value: &Option<String>| -> Result<String> {
        value
            .clone()
            .ok_or_else(|| mode.error(field, "is required"))
    };
    let domain = required("domain", &params.domain)?;
    mode.check("domain", &domain, grammar::check_authority(&domain, true))?;
    family.check_address(&params.address, mode)?;
    let (statement, statement_field) = resolve_statement(params, mode)?;
    if statement.is_empty() {
        return Err(mode.error("statement", "is empty"));
    }
    let statement_check = match family {
        ChainFamily::Evm => grammar::check_siwe_statement(&statement),
        _ => grammar::check_plain_statement(&statement),
    };
    mode.check(statement_field, &statement, statement_check)?;
    let uri = required("uri", &params.uri)?;
    mode.check("uri", &uri, grammar::check_uri(&uri))?;
    match (family, params.chain_id) {
        (ChainFamily::Evm, Some(id)) => {
            mode.check("chainId", &id.to_string(), grammar::check_chain_id(id))?
        }
        (ChainFamily::Evm, None) => return Err(mode.error("chainId", "is required for EVM chains")),
        (_, Some(id)) => {
            return Err(mode
                .error(
                    "chainId",
                    format!("is not part of the {} template", family.chain()),
                )
                .with_received(id.to_string()));
        }
        (_, None) => {}
    }
    mode.check("nonce", &params.nonce, grammar::check_nonce(&params.nonce))?;
    let issued_at = required("issuedAt", &params.issued_at)?;
    mode.check("issuedAt", &issued_at, grammar::check_rfc3339(&issued_at))?;
    mode.check(
        "environmentId",
        &params.environment_id,
        grammar::check_request_id(&params.environment_id),
    )?;
    for resource in params.resources.iter().flatten() {
        mode.check("resources", resource, grammar::check_uri(resource))?;
    }
    Ok((family, statement))
}

/// Builds the message Dynamic's SDK would ask the wallet to sign.
///
/// Errors: `INVALID_FIELD` naming the field, `INVALID_ADDRESS` for an address in the wrong form,
/// `UNSUPPORTED_CHAIN` for a chain the template is not known for.
pub fn create_dynamic_sign_in_message(params: &DynamicSignInParams) -> Result<String> {
    let (family, statement) = validate(params, Mode::Create)?;
    let mut out = String::with_capacity(512);
    for part in [
        params.domain.as_deref().unwrap_or_default(),
        " wants you to sign in with your ",
        family.name(),
        " account:\n",
        &params.address,
        "\n\n",
        &statement,
        "\n\nURI: ",
        params.uri.as_deref().unwrap_or_default(),
        "\nVersion: 1",
    ] {
        out.push_str(part);
    }
    if let Some(id) = params.chain_id {
        out.push_str("\nChain ID: ");
        out.push_str(&id.to_string());
    }
    for part in [
        "\nNonce: ",
        &params.nonce,
        "\nIssued At: ",
        params.issued_at.as_deref().unwrap_or_default(),
        "\nRequest ID: ",
        &params.environment_id,
    ] {
        out.push_str(part);
    }
    super::push_resources(&mut out, &params.resources);
    Ok(out)
}

/// Parses a message in Dynamic's template. `chain` comes back as `EVM` for Ethereum; when the
/// statement is Dynamic's default one, `appName` is returned instead of `statement`.
///
/// Errors: `MESSAGE_PARSE` naming the field at fault, `INVALID_ADDRESS` for the address.
pub fn parse_dynamic_sign_in_message(text: &str) -> Result<DynamicSignInParams> {
    let mode = Mode::Parse;
    let (first_line, _) = text.split_once('\n').unwrap_or((text, ""));
    let family = first_line
        .strip_suffix(" account:")
        .and_then(|head| head.rsplit_once(' '))
        .and_then(|(_, name)| ChainFamily::of_name(name))
        .ok_or_else(|| {
            mode.error(
                "chain",
                "the first line must be \"<domain> wants you to sign in with your <Ethereum|Solana|Sui|Bitcoin> account:\"",
            )
            .with_received(first_line)
        })?;
    let (domain, address, rest) = split_header(text, family.name())?;
    // Header pieces are checked first so that errors follow the text's order.
    mode.check("domain", domain, grammar::check_authority(domain, true))?;
    family.check_address(address, mode)?;
    let statement_and_fields = rest
        .and_then(|r| r.strip_prefix('\n'))
        .ok_or_else(|| mode.error("statement", "the address must be followed by an empty line"))?;
    let (statement, block) = statement_and_fields.split_once("\n\n").ok_or_else(|| {
        mode.error(
            "statement",
            "the statement must be followed by an empty line",
        )
    })?;
    let mut required = vec![
        Label::Uri,
        Label::Version,
        Label::Nonce,
        Label::IssuedAt,
        Label::RequestId,
    ];
    if family == ChainFamily::Evm {
        required.push(Label::ChainId);
    }
    let lines = FieldLines::parse(block, &required).map_err(|mut e| {
        // The template writes the environment id as the Request ID.
        if e.field.as_deref() == Some("requestId") {
            e.field = Some("environmentId".to_owned());
        }
        e
    })?;
    for label in [Label::ExpirationTime, Label::NotBefore] {
        if lines.get(label).is_some() {
            return Err(mode.error(label.field(), "is not part of Dynamic's template"));
        }
    }
    let required = |label: Label, field: &str| {
        lines.get(label).ok_or_else(|| {
            mode.error(
                field,
                format!("the {:?} line is missing", label.prefix().trim_end()),
            )
        })
    };
    let version = required(Label::Version, "version")?;
    if version != super::siwe::SIWE_VERSION {
        return Err(mode
            .error("version", "must be \"1\"")
            .with_received(version));
    }
    let chain_id = match lines.get(Label::ChainId) {
        Some(text) => Some(
            grammar::parse_chain_id(text)
                .map_err(|reason| mode.error("chainId", reason).with_received(text))?,
        ),
        None => None,
    };
    let (statement, app_name) = match app_name_of_default(statement) {
        Some(app_name) => (None, Some(app_name.to_owned())),
        None => (Some(statement.to_owned()), None),
    };
    let params = DynamicSignInParams {
        chain: family.chain().to_owned(),
        domain: Some(domain.to_owned()),
        address: address.to_owned(),
        statement,
        app_name,
        uri: Some(required(Label::Uri, "uri")?.to_owned()),
        chain_id,
        nonce: required(Label::Nonce, "nonce")?.to_owned(),
        issued_at: Some(required(Label::IssuedAt, "issuedAt")?.to_owned()),
        environment_id: required(Label::RequestId, "environmentId")?.to_owned(),
        resources: lines
            .resources
            .map(|r| r.into_iter().map(str::to_owned).collect()),
    };
    validate(&params, mode)?;
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_statement_round_trips_to_app_name() {
        for name in ["Acme", "A", "My dApp", "x. Signing is"] {
            assert_eq!(app_name_of_default(&default_statement(name)), Some(name));
        }
        assert_eq!(app_name_of_default("Welcome to Acme."), None);
        let mismatched = format!("{WELCOME}Acme{WELCOME_MIDDLE}Other{WELCOME_END}");
        assert_eq!(app_name_of_default(&mismatched), None);
    }
}
