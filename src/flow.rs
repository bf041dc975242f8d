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
use crate::evm::{EvmRpc, SignatureKind};
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
            "chain is required (\"EVM\", \"SOL\" or \"SUI\") when the wallet does not tell it",
        )
    })?;
    let family = match ChainFamily::of_chain(&chain) {
        Some(family @ (ChainFamily::Evm | ChainFamily::Solana | ChainFamily::Sui)) => family,
        _ => {
            return Err(Error::new(
                ErrorCode::UnsupportedChain,
                format!(
                    "linkWallet links EVM (EVM, ETH), Solana (SOL) and Sui (SUI) wallets, not \
                     {chain:?}"
                ),
            )
            .with_field("chain")
            .with_received(chain));
        }
    };
    let format = input.format.unwrap_or(LinkMessageFormat::Dynamic);
    let fits = match family {
        ChainFamily::Evm => format != LinkMessageFormat::Siws,
        ChainFamily::Solana => format != LinkMessageFormat::Siwe,
        // Sui wallets sign Dynamic's template.
        _ => format == LinkMessageFormat::Dynamic,
    };
    if !fits {
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

/// The address as the message and the services write it: EIP-55 for EVM, base58 for Solana,
/// lowercase `0x` hex for Sui.
pub fn wallet_address(family: ChainFamily, address: &str) -> Result<String> {
    match family {
        ChainFamily::Sui => {
            crate::sui::parse_address(address).map(|a| crate::sui::format_address(&a))
        }
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

/// A chain id as JavaScript holds it: a whole number from 1 to 2^53 - 1.
pub(crate) fn chain_id_number(value: f64) -> Option<u64> {
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
pub use crate::TextOrBytes as WalletSignature;

/// The signature as the services expect it (0x-hex for EVM, base58 for Solana) and its bytes.
pub fn normalize_signature(
    family: ChainFamily,
    signature: WalletSignature,
) -> Result<(String, Vec<u8>)> {
    match (family, signature) {
        // Sui's serialized signature (flag ‖ signature ‖ key), sent as base64.
        (ChainFamily::Sui, signature) => {
            let parsed = match signature {
                WalletSignature::Text(text) => crate::sui::SuiSignature::parse(&text)?,
                WalletSignature::Bytes(bytes) => crate::sui::SuiSignature::from_bytes(&bytes)?,
            };
            Ok((parsed.serialize(), parsed.to_bytes()))
        }
        (ChainFamily::Solana, WalletSignature::Text(text)) => {
            let bytes = solana::decode_signature(&text)?;
            Ok((bs58::encode(bytes).into_string(), bytes.to_vec()))
        }
        (ChainFamily::Solana, WalletSignature::Bytes(bytes)) => {
            Ok((bs58::encode(&bytes).into_string(), bytes))
        }
        (_, signature) => {
            // A contract account's signature may be longer than an EOA's 65 bytes.
            let bytes = match signature {
                WalletSignature::Text(text) => evm::contract::decode_any_signature(&text)?,
                WalletSignature::Bytes(bytes) => bytes,
            };
            Ok((evm::hex_0x(&bytes), bytes))
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
        (ChainFamily::Sui, _) => {
            let signature = crate::sui::SuiSignature::from_bytes(signature)?;
            let address = crate::sui::parse_address(address)?;
            crate::sui::verify_signed_by(message.as_bytes(), &signature, &address)?
                .then_some(())
                .ok_or_else(mismatch)
        }
        (ChainFamily::Solana, _) => {
            let key = solana::parse_public_key(address)?;
            solana::verify(message.as_bytes(), signature, &key)?
                .then_some(())
                .ok_or_else(mismatch)
        }
        (_, LinkMessageFormat::Siwe) => {
            let check = siwe_check(plan, address, nonce, chain_id, now_ms);
            crate::signin::verify_siwe_sign_in(message, signature, &check).map(|_| ())
        }
        _ => evm::verify_signature(message.as_bytes(), signature, address)?
            .then_some(())
            .ok_or_else(mismatch),
    }
}

fn siwe_check(
    plan: &Plan,
    address: &str,
    nonce: &str,
    chain_id: Option<u64>,
    now_ms: i64,
) -> SiweCheck {
    SiweCheck {
        domain: plan.domain.clone(),
        nonce: nonce.to_owned(),
        now_ms,
        address: Some(address.to_owned()),
        chain_id,
        ..SiweCheck::default()
    }
}

/// The verify step: [`verify_locally`], and for an EVM signature that is not the address's key's,
/// the account contract on the message's chain through `rpc` (EIP-1271, EIP-6492; see
/// [`evm::contract`]). Gives how an EVM signature was accepted (`None` for Solana). Without an
/// RPC, a contract account's signature fails as the local check failed it.
#[allow(clippy::too_many_arguments)]
pub async fn verify_proof<R: EvmRpc>(
    plan: &Plan,
    message: &str,
    signature: &[u8],
    address: &str,
    nonce: &str,
    chain_id: Option<u64>,
    now_ms: i64,
    rpc: Option<&R>,
) -> Result<Option<SignatureKind>> {
    let local = verify_locally(plan, message, signature, address, nonce, chain_id, now_ms);
    if plan.family != ChainFamily::Evm {
        return local.map(|()| None);
    }
    let refused = match local {
        Ok(()) => return Ok(Some(SignatureKind::Eoa)),
        Err(e) => e,
    };
    let refusal = evm::contract::is_signature_refusal(&refused);
    let (Some(rpc), Some(chain), true) = (rpc, chain_id, refusal) else {
        return Err(refused);
    };
    let on_chain = async {
        if plan.format == LinkMessageFormat::Siwe {
            let check = siwe_check(plan, address, nonce, chain_id, now_ms);
            return crate::signin::verify_siwe_sign_in_with_rpc(message, signature, &check, rpc)
                .await
                .map(|(_, kind)| kind);
        }
        evm::contract::check_chain(rpc, chain).await?;
        let account = evm::parse_address(address)?;
        let hash = evm::eip191_hash(message.as_bytes());
        match evm::contract::verify_on_chain(rpc, &account, &hash, signature).await? {
            evm::Verdict {
                valid: true,
                kind: Some(kind),
            } => Ok(kind),
            _ => Err(Error::new(
                ErrorCode::SignatureMismatch,
                format!(
                    "the signature was made neither by {address}'s key nor accepted by its \
                     account contract on chain {chain}; nothing was sent"
                ),
            )
            .with_field("signature")
            .with_expected(address)),
        }
    };
    match on_chain.await {
        Ok(kind) => Ok(Some(kind)),
        // EIP-1193 4200: the provider does not run eth_call (a wallet without a node). It cannot
        // look up contract accounts, as if there were no RPC: the local refusal stands.
        Err(e) if e.code == ErrorCode::RpcError && e.api_code.as_deref() == Some("4200") => {
            let mut refused = refused;
            refused.message.push_str(
                " (the wallet's provider cannot run eth_call to check a contract account)",
            );
            Err(refused)
        }
        Err(e) => Err(e),
    }
}

/// Dynamic's `walletProvider`: the caller's, else `smartContractWallet` for a contract account
/// (Dynamic then checks the signature on chain too), else `browserExtension`.
pub fn wallet_provider(given: Option<String>, kind: Option<SignatureKind>) -> String {
    given.unwrap_or_else(|| {
        match kind {
            Some(SignatureKind::Erc1271 | SignatureKind::Erc6492) => "smartContractWallet",
            _ => "browserExtension",
        }
        .to_owned()
    })
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
    wallet_provider: String,
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
        wallet_provider,
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

/// Snag's `walletType`: `evm` or `solana` by chain family; an EVM wallet may be given as `imx`
/// (Immutable Passport, a smart account on Immutable zkEVM), which Snag keeps apart.
pub fn wallet_type(family: ChainFamily, requested: Option<&str>) -> Result<&'static str> {
    match (family, requested) {
        (ChainFamily::Solana, None | Some("solana")) => Ok("solana"),
        (ChainFamily::Solana, Some(_)) => Err(invalid(
            "snag.walletType",
            "a Solana wallet's snag.walletType is \"solana\"",
        )),
        (ChainFamily::Sui, None | Some("sui")) => Ok("sui"),
        (ChainFamily::Sui, Some(_)) => Err(invalid(
            "snag.walletType",
            "a Sui wallet's snag.walletType is \"sui\"",
        )),
        (_, None | Some("evm")) => Ok("evm"),
        (_, Some("imx")) => Ok("imx"),
        (_, Some(_)) => Err(invalid(
            "snag.walletType",
            "an EVM wallet's snag.walletType is \"evm\" or \"imx\" (Immutable Passport)",
        )),
    }
}

/// `options.snag` when the client is a `SnagClient` (the ids are the caller's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SnagTarget {
    /// Snag's `walletType` when it is not the chain family's (`imx`); see [`wallet_type`].
    pub wallet_type: Option<String>,
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
        wallet_type: wallet_type(family, target.wallet_type.as_deref())?.to_owned(),
        website_id: required(&target.website_id, "snag.websiteId")?,
        confirm_disconnect: target.confirm_disconnect,
        user_id: target.user_id.clone(),
        verification_data: Some(verification_data),
    })
}

// ---------------------------------------------------------------------------------------------
// The flow itself, over the platform's wallet, services and clock.

/// What a wallet's own Sign-In With Solana returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletSignIn {
    pub address: String,
    /// The exact text it signed.
    pub message: String,
    pub signature: WalletSignature,
}

/// The wallet (or the caller's `signMessage` callback). Errors are already coded
/// (`USER_REJECTED`, `WALLET_ERROR`, ...).
#[allow(async_fn_in_trait)]
pub trait Wallet {
    /// The address the caller gave or the wallet already knows, if any.
    fn known_address(&self) -> Option<String>;
    /// Asks the wallet for its address (the user may be prompted).
    async fn connect(&self) -> Result<String>;
    /// The EVM chain id the wallet is on, as it reports it.
    fn chain_id(&self) -> Option<f64>;
    async fn sign_message(&self, message: &str) -> Result<WalletSignature>;
    /// Sign-In With Solana by the wallet itself (`input` has no address: the wallet writes its own).
    async fn sign_in(&self, input: &SolanaSignInInput) -> Result<WalletSignIn>;
}

/// Dynamic, as a client of the SDK API.
#[allow(async_fn_in_trait)]
pub trait DynamicApi {
    /// Dynamic's `VerifyResponse` as the platform holds it (handed to the caller as it is).
    type Response;
    async fn get_nonce(&self) -> Result<String>;
    /// `verifyLink` or `verify`, per `mode`.
    async fn verify(&self, mode: LinkMode, request: &VerifyRequest) -> Result<Self::Response>;
    /// The JWT the client holds (for Snag's `dynamicAuthToken` when the response has none).
    fn auth_token(&self) -> Option<String>;
    /// The new JWT of a response, if it has one.
    fn response_jwt(&self, response: &Self::Response) -> Option<String>;
    /// Whether the response names the user (a response without one is `INVALID_RESPONSE`).
    fn response_has_user(&self, response: &Self::Response) -> bool;
}

/// Snag: a `SnagClient` (the caller's ids and key) or the dapp's link server (its own nonces,
/// ids and key).
#[allow(async_fn_in_trait)]
pub trait SnagApi {
    type Response;
    /// A link server only accepts proofs with a nonce it issued.
    fn is_link_server(&self) -> bool;
    /// The link server's nonce.
    async fn get_nonce(&self) -> Result<String>;
    /// Gives the link server the user's new Dynamic JWT.
    fn set_auth_token(&self, jwt: &str) -> Result<()>;
    /// A `SnagClient`'s `connectWallet`.
    async fn connect(&self, params: &SnagConnectParams) -> Result<Self::Response>;
    /// A link server's `connectWallet` with a proof.
    async fn connect_proof(&self, wallet_type: &str, proof: &Proof) -> Result<Self::Response>;
}

/// Steps, cancellation and clocks.
pub trait Host {
    /// Called as each step starts.
    fn step(&self, step: LinkStep);
    /// `ABORTED` once the caller cancelled.
    fn check_aborted(&self) -> Result<()>;
    /// Epoch milliseconds (time windows) and RFC 3339 text (`issuedAt`).
    fn now_ms(&self) -> i64;
    fn now_text(&self) -> String;
    /// A fine clock in milliseconds, for timing the local check.
    fn precise_ms(&self) -> f64;
}

/// `linkWallet`'s options that are data (the binding reads the caller's objects: the clients, the
/// wallet, the callbacks, the signal, the RPC).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LinkWalletInput {
    pub chain: Option<String>,
    pub address: Option<String>,
    pub wallet_name: Option<String>,
    pub wallet_provider: Option<String>,
    pub environment_id: Option<String>,
    pub message_format: Option<LinkMessageFormat>,
    pub mode: Option<LinkMode>,
    pub snag: Option<SnagTarget>,
    pub app_name: Option<String>,
    pub statement: Option<String>,
    pub domain: Option<String>,
    pub uri: Option<String>,
    pub chain_id: Option<GivenChainId>,
}

/// `options.chainId`: an EVM chain id, or a Solana cluster for Sign-In With Solana.
#[derive(Clone, Debug, PartialEq)]
pub enum GivenChainId {
    Number(f64),
    Cluster(String),
}

impl<'de> Deserialize<'de> for GivenChainId {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> core::result::Result<Self, D::Error> {
        struct Given;
        impl<'de> serde::de::Visitor<'de> for Given {
            type Value = GivenChainId;
            fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_f64<E>(self, n: f64) -> core::result::Result<GivenChainId, E> {
                Ok(GivenChainId::Number(n))
            }
            fn visit_u64<E>(self, n: u64) -> core::result::Result<GivenChainId, E> {
                Ok(GivenChainId::Number(n as f64))
            }
            fn visit_i64<E>(self, n: i64) -> core::result::Result<GivenChainId, E> {
                Ok(GivenChainId::Number(n as f64))
            }
            fn visit_str<E>(self, text: &str) -> core::result::Result<GivenChainId, E> {
                Ok(GivenChainId::Cluster(text.to_owned()))
            }
            fn visit_bool<E: serde::de::Error>(
                self,
                _: bool,
            ) -> core::result::Result<GivenChainId, E> {
                Err(E::custom(WRONG_CHAIN_ID))
            }
            fn visit_bytes<E: serde::de::Error>(
                self,
                _: &[u8],
            ) -> core::result::Result<GivenChainId, E> {
                Err(E::custom(WRONG_CHAIN_ID))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                _: A,
            ) -> core::result::Result<GivenChainId, A::Error> {
                Err(serde::de::Error::custom(WRONG_CHAIN_ID))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                _: A,
            ) -> core::result::Result<GivenChainId, A::Error> {
                Err(serde::de::Error::custom(WRONG_CHAIN_ID))
            }
        }
        const WRONG_CHAIN_ID: &str = "must be a number or a string";
        deserializer.deserialize_any(Given)
    }
}

impl LinkWalletInput {
    /// The flow's options: the wallet's own name when `walletName` is not given.
    pub fn flow_options(&self, wallet_name: Option<String>) -> FlowOptions {
        let (chain_id, cluster) = match &self.chain_id {
            None => (None, None),
            Some(GivenChainId::Number(n)) => (Some(*n), None),
            Some(GivenChainId::Cluster(text)) => (Some(f64::NAN), Some(text.clone())),
        };
        FlowOptions {
            text: MessageText {
                statement: self.statement.clone(),
                app_name: self.app_name.clone(),
                solana_chain_id: cluster,
            },
            wallet_name: self.wallet_name.clone().or(wallet_name),
            wallet_provider: self.wallet_provider.clone(),
            chain_id,
            snag: self.snag.clone(),
        }
    }
}

/// The options the flow needs besides the plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlowOptions {
    pub text: MessageText,
    pub wallet_name: Option<String>,
    pub wallet_provider: Option<String>,
    /// The EVM chain id the caller gave (as JavaScript holds it).
    pub chain_id: Option<f64>,
    /// Connect the wallet to Snag too.
    pub snag: Option<SnagTarget>,
}

impl FlowOptions {
    /// The Snag `walletType` the caller asked for, if any.
    fn snag_wallet_type(&self) -> Option<&str> {
        self.snag.as_ref().and_then(|t| t.wallet_type.as_deref())
    }
}

/// What a successful flow produced.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkOutcome<D, S> {
    pub proof: Proof,
    /// How the EVM signature was accepted (`None` for Solana).
    pub kind: Option<SignatureKind>,
    pub wallet_name: String,
    /// The local check's time, microseconds.
    pub micros: f64,
    pub jwt: Option<String>,
    pub response: D,
    pub snag: Option<S>,
}

fn step_begins(host: &impl Host, step: LinkStep) -> Result<()> {
    at(step, host.check_aborted())?;
    host.step(step);
    Ok(())
}

fn nonce_text(nonce: String, what: &str) -> Result<String> {
    if nonce.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            format!("{what} did not give a nonce string"),
        ));
    }
    Ok(nonce)
}

/// Runs the flow: connect → nonce → message → sign → verify → link → snag. Every failure carries
/// its step; nothing reaches a service unless the signature verified locally.
///
/// `rpc` settles EVM signatures that are not the address's key's (smart accounts); without one
/// they are refused at the verify step.
pub async fn run<W, D, S, H, R>(
    plan: &Plan,
    options: &FlowOptions,
    wallet: &W,
    dynamic: &D,
    snag: Option<&S>,
    host: &H,
    rpc: Option<&R>,
) -> Result<LinkOutcome<D::Response, S::Response>>
where
    W: Wallet,
    D: DynamicApi,
    S: SnagApi,
    H: Host,
    R: EvmRpc,
{
    host.check_aborted()?;
    // 1. The address (the wallet may prompt the user), unless the wallet signs in by itself.
    let mut address = None;
    let mut chain_id = None;
    if !plan.wallet_sign_in {
        step_begins(host, LinkStep::Connect)?;
        let known = match wallet.known_address() {
            Some(address) => address,
            None => at(LinkStep::Connect, wallet.connect().await)?,
        };
        address = Some(at(LinkStep::Connect, wallet_address(plan.family, &known))?);
        if plan.family == ChainFamily::Evm {
            chain_id = Some(at(
                LinkStep::Message,
                evm_chain_id(options.chain_id, wallet.chain_id()),
            )?);
        }
    }

    // 2. A fresh nonce from Dynamic.
    step_begins(host, LinkStep::Nonce)?;
    let nonce = at(
        LinkStep::Nonce,
        dynamic
            .get_nonce()
            .await
            .and_then(|n| nonce_text(n, "getNonce()")),
    )?;

    // 3 and 4. The message, and the wallet's signature of it.
    step_begins(host, LinkStep::Message)?;
    let issued_at = host.now_text();
    let (address, message, signature) = match address {
        Some(address) => {
            let message = at(
                LinkStep::Message,
                build_message(plan, &options.text, &address, chain_id, &nonce, &issued_at),
            )?;
            step_begins(host, LinkStep::Sign)?;
            let signature = at(LinkStep::Sign, wallet.sign_message(&message).await)?;
            (address, message, signature)
        }
        None => {
            let input = siws_input(plan, &options.text, String::new(), &nonce, &issued_at);
            step_begins(host, LinkStep::Sign)?;
            let signed = at(LinkStep::Sign, wallet.sign_in(&input).await)?;
            (signed.address, signed.message, signed.signature)
        }
    };

    // 5. The check: nothing leaves the page unless the signature is right (a smart account's is
    // asked of its contract through the RPC).
    step_begins(host, LinkStep::Verify)?;
    let started = host.precise_ms();
    let (signature, bytes) = at(
        LinkStep::Verify,
        normalize_signature(plan.family, signature),
    )?;
    let kind = at(
        LinkStep::Verify,
        verify_proof(
            plan,
            &message,
            &bytes,
            &address,
            &nonce,
            chain_id,
            host.now_ms(),
            rpc,
        )
        .await,
    )?;
    let micros = ((host.precise_ms() - started) * 1000.0).round().max(0.0);
    let proof = Proof {
        address,
        message,
        signature,
    };

    // 6. Dynamic: link the wallet, or sign in with it.
    step_begins(host, LinkStep::Link)?;
    let request = at(
        LinkStep::Link,
        verify_request(
            plan,
            &proof,
            options.wallet_name.clone(),
            wallet_provider(options.wallet_provider.clone(), kind),
        ),
    )?;
    let response = at(LinkStep::Link, dynamic.verify(plan.mode, &request).await)?;
    if !dynamic.response_has_user(&response) {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            format!("{}() gave no user", plan.mode.dynamic_method()),
        )
        .with_step(LinkStep::Link.as_str()));
    }
    let jwt = dynamic.response_jwt(&response);

    // 7. Snag: the same proof (or the new JWT) to a SnagClient; a link server gets a proof with
    // its own nonce.
    let snag = match (snag, &options.snag) {
        (Some(client), target) => {
            step_begins(host, LinkStep::Snag)?;
            let connected = if client.is_link_server() {
                let link = LinkServerLink {
                    first: &proof,
                    jwt: &jwt,
                    chain_id,
                    rpc,
                };
                connect_link_server(plan, options, wallet, client, host, link).await
            } else {
                let token = jwt.clone().or_else(|| dynamic.auth_token());
                let target = target.clone().unwrap_or_default();
                match snag_params(&target, plan.family, &proof, token) {
                    Ok(params) => client.connect(&params).await,
                    Err(e) => Err(e),
                }
            };
            Some(at(LinkStep::Snag, connected)?)
        }
        (None, _) => None,
    };
    Ok(LinkOutcome {
        wallet_name: request.wallet_name,
        proof,
        kind,
        micros,
        jwt,
        response,
        snag,
    })
}

/// What the link server's proof builds on: the first proof, the user's new JWT, the chain, and
/// the RPC for smart accounts.
struct LinkServerLink<'a, R> {
    first: &'a Proof,
    jwt: &'a Option<String>,
    chain_id: Option<u64>,
    rpc: Option<&'a R>,
}

/// The link server's proof: its nonce, a second message in the same format, the wallet's
/// signature, the same local check, then the post with the user's new JWT.
async fn connect_link_server<W: Wallet, S: SnagApi, H: Host, R: EvmRpc>(
    plan: &Plan,
    options: &FlowOptions,
    wallet: &W,
    server: &S,
    host: &H,
    link: LinkServerLink<'_, R>,
) -> Result<S::Response> {
    let LinkServerLink {
        first,
        jwt,
        chain_id,
        rpc,
    } = link;
    let nonce = nonce_text(server.get_nonce().await?, "the link server's getNonce()")?;
    let message = build_message(
        plan,
        &options.text,
        &first.address,
        chain_id,
        &nonce,
        &host.now_text(),
    )?;
    host.check_aborted()?;
    let signature = wallet.sign_message(&message).await?;
    let (signature, bytes) = normalize_signature(plan.family, signature)?;
    verify_proof(
        plan,
        &message,
        &bytes,
        &first.address,
        &nonce,
        chain_id,
        host.now_ms(),
        rpc,
    )
    .await?;
    if let Some(jwt) = jwt {
        server.set_auth_token(jwt)?;
    }
    let proof = Proof {
        address: first.address.clone(),
        message,
        signature,
    };
    let wallet_type = wallet_type(plan.family, options.snag_wallet_type())?;
    server.connect_proof(wallet_type, &proof).await
}
