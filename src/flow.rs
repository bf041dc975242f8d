//! The decisions of the linking flow (`linkWallet`), free of JavaScript: which chain family and
//! message format, which local check runs, the text the wallet signs, the signature as the
//! services expect it, and the requests to Dynamic and Snag. The WebAssembly layer only reads the
//! caller's objects, awaits the wallet and the services, and reports steps.
//!
//! Flow: connect → nonce → message → sign → verify (locally: a bad signature never reaches the
//! network) → link (Dynamic `verify/link`, or `verify` to sign in) → snag (optional). Each failure
//! carries the [`LinkStep`] it happened in.

use serde::{Deserialize, Serialize};

use crate::api::{SnagConnectParams, SnagVerificationData, VerifyRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::message::{
    ChainFamily, DynamicSignInParams, SiweMessage, SolanaSignInInput, dynamic::default_statement,
};
use crate::signin::{SiweCheck, SolanaSignInCheck};
use crate::{evm, solana};

/// The message a wallet signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum LinkMessageFormat {
    /// Dynamic's template (what Dynamic's own SDK asks wallets to sign). The default.
    Dynamic,
    /// EIP-4361 Sign-In with Ethereum.
    Siwe,
    /// Sign-In With Solana (through the wallet's `solana:signIn` when it has it).
    Siws,
}

/// Whether the flow signs a user in or links a wallet to the signed-in user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum LinkMode {
    /// `verifyLink`: add the wallet to the signed-in user.
    Link,
    /// `verify`: sign in (or sign up) with the wallet.
    SignIn,
}

impl LinkMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            LinkMode::Link => "link",
            LinkMode::SignIn => "signIn",
        }
    }

    /// The Dynamic client method of this mode.
    pub const fn dynamic_method(self) -> &'static str {
        match self {
            LinkMode::Link => "verifyLink",
            LinkMode::SignIn => "verify",
        }
    }
}

/// The steps of `linkWallet`, as reported to `onStep` and in an error's `step`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum LinkStep {
    Connect,
    Nonce,
    Message,
    Sign,
    Verify,
    Link,
    Snag,
}

impl LinkStep {
    pub const fn as_str(self) -> &'static str {
        match self {
            LinkStep::Connect => "connect",
            LinkStep::Nonce => "nonce",
            LinkStep::Message => "message",
            LinkStep::Sign => "sign",
            LinkStep::Verify => "verify",
            LinkStep::Link => "link",
            LinkStep::Snag => "snag",
        }
    }
}

/// Tags an error with the step it happened in.
pub fn at<T>(step: LinkStep, result: Result<T>) -> Result<T> {
    result.map_err(|e| e.with_step(step.as_str()))
}

/// What proves the wallet to Snag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum SnagProof {
    /// The same message and signature (`verificationData.message` / `.signature`). The default.
    Signature,
    /// The new Dynamic JWT (`verificationData.dynamicAuthToken`).
    DynamicAuthToken,
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// What the caller and its objects said, as plain values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanInput {
    /// `options.chain`, else the wallet's `chain`.
    pub chain: Option<String>,
    pub format: Option<LinkMessageFormat>,
    pub mode: Option<LinkMode>,
    /// Whether the Dynamic client holds a JWT (then the default mode is `Link`).
    pub signed_in: bool,
    /// `options.environmentId`, else the client's.
    pub environment_id: Option<String>,
    /// `options.domain`, else the page's `location.host`.
    pub domain: Option<String>,
    /// `options.uri`, else the page's `location.origin + location.pathname`.
    pub uri: Option<String>,
    /// The caller gave the address (so the wallet's own sign-in cannot choose it).
    pub address_given: bool,
    /// The caller signs through a `signMessage` callback.
    pub sign_callback: bool,
    /// The wallet has `solana:signIn` (`canSignIn` and `signIn`).
    pub wallet_signs_in: bool,
}

/// Everything the flow settled before the first network call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub chain: String,
    pub family: ChainFamily,
    pub format: LinkMessageFormat,
    pub mode: LinkMode,
    pub environment_id: Option<String>,
    pub domain: String,
    pub uri: String,
    /// Sign-In With Solana through the wallet's own `signIn` (it builds the message).
    pub wallet_sign_in: bool,
}

/// Settles the plan, or says which option is missing or does not fit.
pub fn plan(input: PlanInput) -> Result<Plan> {
    let chain = input.chain.ok_or_else(|| {
        invalid(
            "chain",
            "chain is required (\"EVM\" or \"SOL\") when the wallet does not tell it",
        )
    })?;
    let family = match ChainFamily::of_chain(&chain) {
        Some(family @ (ChainFamily::Evm | ChainFamily::Solana)) => family,
        _ => {
            return Err(Error::new(
                ErrorCode::UnsupportedChain,
                format!("linkWallet links EVM (EVM, ETH) and Solana (SOL) wallets, not {chain:?}"),
            )
            .with_field("chain")
            .with_received(chain));
        }
    };
    let format = input.format.unwrap_or(LinkMessageFormat::Dynamic);
    if matches!(
        (family, format),
        (ChainFamily::Evm, LinkMessageFormat::Siws)
            | (ChainFamily::Solana, LinkMessageFormat::Siwe)
    ) {
        return Err(invalid(
            "messageFormat",
            format!("messageFormat {format:?} does not fit the chain {chain}"),
        )
        .with_received(format!("{format:?}").to_lowercase()));
    }
    let mode = input.mode.unwrap_or(if input.signed_in {
        LinkMode::Link
    } else {
        LinkMode::SignIn
    });
    if format == LinkMessageFormat::Dynamic && input.environment_id.is_none() {
        return Err(invalid(
            "environmentId",
            "environmentId is required for Dynamic's message template (its Request ID)",
        ));
    }
    let from_page = |field: &str| {
        invalid(
            field,
            format!(
                "{field} is required here (there is no globalThis.location to default it from)"
            ),
        )
    };
    let domain = input.domain.ok_or_else(|| from_page("domain"))?;
    let uri = input.uri.ok_or_else(|| from_page("uri"))?;
    let wallet_sign_in = format == LinkMessageFormat::Siws
        && !input.sign_callback
        && !input.address_given
        && input.wallet_signs_in;
    Ok(Plan {
        chain,
        family,
        format,
        mode,
        environment_id: input.environment_id,
        domain,
        uri,
        wallet_sign_in,
    })
}

/// The parts of the message the caller may choose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageText {
    pub statement: Option<String>,
    /// Names the app in Dynamic's default statement; default the domain.
    pub app_name: Option<String>,
    /// The Solana cluster a Sign-In With Solana names (`options.chainId` as text).
    pub solana_chain_id: Option<String>,
}

/// The Sign-In With Solana fields (the wallet fills `address` itself when it signs in).
pub fn siws_input(
    plan: &Plan,
    text: &MessageText,
    address: String,
    nonce: &str,
    issued_at: &str,
) -> SolanaSignInInput {
    SolanaSignInInput {
        domain: plan.domain.clone(),
        address,
        statement: text.statement.clone(),
        uri: Some(plan.uri.clone()),
        version: Some("1".to_owned()),
        chain_id: text.solana_chain_id.clone(),
        nonce: Some(nonce.to_owned()),
        issued_at: Some(issued_at.to_owned()),
        request_id: plan.environment_id.clone(),
        ..SolanaSignInInput::default()
    }
}

/// The text the wallet signs for `address` and `nonce`, in the plan's format.
pub fn build_message(
    plan: &Plan,
    text: &MessageText,
    address: &str,
    chain_id: Option<u64>,
    nonce: &str,
    issued_at: &str,
) -> Result<String> {
    let app_name = text.app_name.clone().unwrap_or_else(|| plan.domain.clone());
    match plan.format {
        LinkMessageFormat::Dynamic => {
            crate::message::create_dynamic_sign_in_message(&DynamicSignInParams {
                chain: plan.chain.clone(),
                domain: Some(plan.domain.clone()),
                address: address.to_owned(),
                statement: text.statement.clone(),
                app_name: Some(app_name),
                uri: Some(plan.uri.clone()),
                chain_id,
                nonce: nonce.to_owned(),
                issued_at: Some(issued_at.to_owned()),
                environment_id: plan.environment_id.clone().unwrap_or_default(),
                resources: None,
            })
        }
        LinkMessageFormat::Siwe => crate::message::create_siwe_message(&SiweMessage {
            scheme: None,
            domain: plan.domain.clone(),
            address: address.to_owned(),
            statement: Some(
                text.statement
                    .clone()
                    .unwrap_or_else(|| default_statement(&app_name)),
            ),
            uri: plan.uri.clone(),
            version: "1".to_owned(),
            chain_id: chain_id.unwrap_or(1),
            nonce: nonce.to_owned(),
            issued_at: issued_at.to_owned(),
            expiration_time: None,
            not_before: None,
            request_id: plan.environment_id.clone(),
            resources: None,
        }),
        LinkMessageFormat::Siws => crate::message::create_solana_sign_in_message(&siws_input(
            plan,
            text,
            address.to_owned(),
            nonce,
            issued_at,
        )),
    }
}

/// The address as the message and the services write it: EIP-55 for EVM, base58 for Solana.
pub fn wallet_address(family: ChainFamily, address: &str) -> Result<String> {
    match family {
        ChainFamily::Solana if solana::is_valid_address(address) => Ok(address.to_owned()),
        ChainFamily::Solana => Err(Error::new(
            ErrorCode::InvalidAddress,
            "address must be a base58 Solana public key",
        )
        .with_field("address")
        .with_received(address)),
        _ => evm::to_checksum_address(address).map_err(|e| e.with_field("address")),
    }
}

/// Largest integer a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn chain_id_number(value: f64) -> Option<u64> {
    (value.fract() == 0.0 && (1.0..=MAX_SAFE_INTEGER).contains(&value)).then_some(value as u64)
}

/// The EVM chain id: the caller's (which must be a positive integer), else the wallet's, else 1.
pub fn evm_chain_id(given: Option<f64>, wallet: Option<f64>) -> Result<u64> {
    match given {
        Some(value) => chain_id_number(value).ok_or_else(|| {
            invalid(
                "chainId",
                "chainId must be a positive integer for EVM chains",
            )
        }),
        None => Ok(wallet.and_then(chain_id_number).unwrap_or(1)),
    }
}

/// A signature as the wallet gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalletSignature {
    Text(String),
    Bytes(Vec<u8>),
}

/// The signature as the services expect it (0x-hex for EVM, base58 for Solana) and its bytes.
pub fn normalize_signature(
    family: ChainFamily,
    signature: WalletSignature,
) -> Result<(String, Vec<u8>)> {
    match (family, signature) {
        (ChainFamily::Solana, WalletSignature::Text(text)) => {
            let bytes = solana::decode_signature(&text)?;
            Ok((bs58::encode(bytes).into_string(), bytes.to_vec()))
        }
        (ChainFamily::Solana, WalletSignature::Bytes(bytes)) => {
            Ok((bs58::encode(&bytes).into_string(), bytes))
        }
        (_, signature) => {
            let bytes = match signature {
                WalletSignature::Text(text) => evm::decode_signature(&text)?,
                WalletSignature::Bytes(bytes) => bytes,
            };
            let mut hex = String::with_capacity(2 + 2 * bytes.len());
            hex.push_str("0x");
            for b in &bytes {
                hex.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
                hex.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
            }
            Ok((hex, bytes))
        }
    }
}

/// The local verification: `Ok(())` when the signature is the address's over the message. A
/// sign-in format also gets its full check (domain, nonce, time, chain).
pub fn verify_locally(
    plan: &Plan,
    message: &str,
    signature: &[u8],
    address: &str,
    nonce: &str,
    chain_id: Option<u64>,
    now_ms: i64,
) -> Result<()> {
    let mismatch = || {
        Error::new(
            ErrorCode::SignatureMismatch,
            format!("the signature was not made by {address} over this message; nothing was sent"),
        )
        .with_field("signature")
        .with_expected(address)
    };
    match (plan.family, plan.format) {
        (ChainFamily::Solana, LinkMessageFormat::Siws) => {
            let check = SolanaSignInCheck {
                domain: plan.domain.clone(),
                nonce: nonce.to_owned(),
                now_ms,
                public_key: Some(solana::parse_public_key(address)?),
                ..SolanaSignInCheck::default()
            };
            crate::signin::verify_solana_sign_in(message.as_bytes(), signature, &check).map(|_| ())
        }
        (ChainFamily::Solana, _) => {
            let key = solana::parse_public_key(address)?;
            solana::verify(message.as_bytes(), signature, &key)?
                .then_some(())
                .ok_or_else(mismatch)
        }
        (_, LinkMessageFormat::Siwe) => {
            let check = SiweCheck {
                domain: plan.domain.clone(),
                nonce: nonce.to_owned(),
                now_ms,
                address: Some(address.to_owned()),
                chain_id,
                ..SiweCheck::default()
            };
            crate::signin::verify_siwe_sign_in(message, signature, &check).map(|_| ())
        }
        _ => evm::verify_signature(message.as_bytes(), signature, address)?
            .then_some(())
            .ok_or_else(mismatch),
    }
}

/// A signed message, verified locally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    pub address: String,
    pub message: String,
    /// 0x-hex (EVM) or base58 (Solana).
    pub signature: String,
}

/// Dynamic's `VerifyRequest` for a proof.
pub fn verify_request(
    plan: &Plan,
    proof: &Proof,
    wallet_name: Option<String>,
    wallet_provider: Option<String>,
) -> Result<VerifyRequest> {
    let wallet_name = wallet_name
        .ok_or_else(|| invalid("walletName", "walletName is required (e.g. \"metamask\")"))?;
    Ok(VerifyRequest {
        oauth: None,
        signed_message: proof.signature.clone(),
        message_to_sign: proof.message.clone(),
        public_wallet_address: proof.address.clone(),
        chain: plan.chain.clone(),
        wallet_name,
        wallet_provider: wallet_provider.unwrap_or_else(|| "browserExtension".to_owned()),
        skip_empty_account_check: None,
        captcha_token: None,
        network: None,
        additional_wallet_addresses: None,
        backup: None,
        password: None,
        password_source: None,
        session_public_key: None,
        requested_scopes: None,
    })
}

/// Snag's `walletType` for a chain family.
pub fn wallet_type(family: ChainFamily) -> &'static str {
    match family {
        ChainFamily::Solana => "solana",
        _ => "evm",
    }
}

/// `options.snag` when the client is a `SnagClient` (the ids are the caller's).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnagTarget {
    pub website_id: Option<String>,
    pub organization_id: Option<String>,
    pub user_id: Option<String>,
    pub proof: Option<SnagProof>,
    pub confirm_disconnect: Option<bool>,
}

/// Snag's `users/connect` parameters for a proof, or for the new Dynamic JWT (`jwt`, else the
/// client's `auth_token`) when the target asks for that proof.
pub fn snag_params(
    target: &SnagTarget,
    family: ChainFamily,
    proof: &Proof,
    jwt: Option<String>,
) -> Result<SnagConnectParams> {
    let required = |value: &Option<String>, field: &str| {
        value.clone().filter(|v| !v.is_empty()).ok_or_else(|| {
            invalid(
                field,
                format!("{field} is required when snag.client is a SnagClient"),
            )
        })
    };
    let verification_data = match target.proof.unwrap_or(SnagProof::Signature) {
        SnagProof::Signature => SnagVerificationData {
            access_token: None,
            dynamic_auth_token: None,
            message: Some(proof.message.clone()),
            signature: Some(proof.signature.clone()),
            ton_verification: None,
        },
        SnagProof::DynamicAuthToken => SnagVerificationData {
            access_token: None,
            dynamic_auth_token: Some(jwt.ok_or_else(|| {
                invalid(
                    "snag.proof",
                    "there is no Dynamic JWT to give Snag (cookie mode?); use proof: \"signature\"",
                )
            })?),
            message: None,
            signature: None,
            ton_verification: None,
        },
    };
    Ok(SnagConnectParams {
        organization_id: required(&target.organization_id, "snag.organizationId")?,
        wallet_address: proof.address.clone(),
        wallet_type: wallet_type(family).to_owned(),
        website_id: required(&target.website_id, "snag.websiteId")?,
        confirm_disconnect: target.confirm_disconnect,
        user_id: target.user_id.clone(),
        verification_data: Some(verification_data),
    })
}
