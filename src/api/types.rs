//! Request and response models of the Dynamic and Snag APIs.
//!
//! Field names are the JSON names on the wire, exactly as the
//! official generated clients write them (`@dynamic-labs/sdk-api-core` 0.40.0,
//! `@dynamic-labs/sdk-api` 0.0.847, `@snagsolutions/sdk` 0.1.0-alpha.212; their `XToJSON`
//! functions). The JS test `tests/js/models.node.test.mjs` checks our JSON against theirs.
//!
//! - Optional fields are `x?: T` in TypeScript and are omitted from JSON when absent (never
//!   `null`); a `null` from a service reads as absent (outside the free-form members, whose
//!   `null`s are data: [`FREE_FORM_FIELDS`]).
//! - Unknown fields in responses are ignored by the typed models. In WebAssembly the clients hand
//!   the parsed response to JavaScript as it is, so unknown fields reach the caller; what is
//!   checked there is listed in the `*_REQUIRED` tables (responses) and `*_FIELDS` tables
//!   (requests: only the listed members are sent, as the official clients' `ToJSON` do).
//! - Enumerations are plain strings whose known values are listed below (and as open TypeScript
//!   unions such as `ChainEnum`): the services add values over time (Dynamic's `ChainEnum` gained
//!   STELLAR, ALEO, TEMPO and MIDNIGHT), and a new value must not break a response.
//! - Timestamps are ISO 8601 strings, as on the wire (the official clients turn them into `Date`).
//! - Free-form objects (`metadata`, `wallet_properties`, ...) are [`Value`]s.

use serde::{Deserialize, Serialize};

use super::json::Value;

// Known values of the string enumerations (from the official clients' enums).
/// Chains Dynamic knows (`ChainEnum`).
pub const CHAIN_ENUM: &[&str] = &[
    "ETH", "EVM", "FLOW", "SOL", "ALGO", "STARK", "COSMOS", "BTC", "ECLIPSE", "SUI", "SPARK",
    "TRON", "APTOS", "TON", "STELLAR", "ALEO", "TEMPO", "MIDNIGHT",
];

/// How a wallet is reached (`WalletProviderEnum`).
pub const WALLET_PROVIDER_ENUM: &[&str] = &[
    "browserExtension",
    "custodialService",
    "walletConnect",
    "qrCode",
    "deepLink",
    "embeddedWallet",
    "smartContractWallet",
];

/// Kinds of additional wallet address (`WalletAddressType`).
pub const WALLET_ADDRESS_TYPE: &[&str] = &[
    "ordinals",
    "payment",
    "cosmos",
    "evm",
    "stellar",
    "ton",
    "midnight_unshielded",
    "midnight_dust",
    "midnight_shielded",
];

/// Who chose an embedded wallet password (`PasswordSourceTypeEnum`).
pub const PASSWORD_SOURCE_TYPE_ENUM: &[&str] = &["dynamic", "user"];

/// Scopes a JWT may be requested with (`TokenScope`).
pub const TOKEN_SCOPE: &[&str] = &[
    "business_account:governance:update",
    "business_account:link_wallet",
    "business_account:member:add",
    "business_account:member:remove",
    "business_account:member:role:update",
    "business_account:proposal:approve",
    "business_account:proposal:veto",
    "business_account:role:define",
    "business_account:role:delete",
    "business_account:signer:add",
    "business_account:signer:remove",
    "business_account:transfer_ownership",
    "business_account:wallet:create",
    "business_account:wallet:remove",
    "console:admin_action:review",
    "console:approval_workflow:update",
    "console:member:invite",
    "console:mfa:reset",
    "console:project:delete",
    "console:settings:update",
    "console:sso:update",
    "console:user:delete",
    "credential:link",
    "credential:update",
    "credential:unlink",
    "user:update",
    "user:delete",
    "wallet:export",
    "wallet:delete",
    "wallet:refresh",
    "wallet:reshare",
    "wallet:delegate",
    "wallet:sign",
    "wallet:restore",
];

/// Sign-in and service providers (`ProviderEnum`).
pub const PROVIDER_ENUM: &[&str] = &[
    "emailOnly",
    "magicLink",
    "apple",
    "bitbucket",
    "coinbasesocial",
    "discord",
    "epicgames",
    "facebook",
    "farcaster",
    "github",
    "gitlab",
    "google",
    "instagram",
    "linkedin",
    "microsoft",
    "twitch",
    "twitter",
    "blocto",
    "banxa",
    "coinbaseOnramp",
    "cryptoDotCom",
    "moonPay",
    "dynamic",
    "alchemy",
    "zerodev",
    "telegram",
    "turnkey",
    "coinbaseWaas",
    "sms",
    "spotify",
    "tiktok",
    "line",
    "steam",
    "shopify",
    "zksync",
    "kraken",
    "blockaid",
    "passkey",
    "okta",
    "sendgrid",
    "resend",
    "trmWalletScreening",
    "chainalysisAddressScreening",
    "gemini",
];

/// Kinds of verified credential (`JwtVerifiedCredentialFormatEnum`).
pub const JWT_VERIFIED_CREDENTIAL_FORMAT_ENUM: &[&str] = &[
    "blockchain",
    "email",
    "oauth",
    "passkey",
    "phoneNumber",
    "externalUser",
    "totp",
];

/// State of the MFA backup-code acknowledgement (`MfaBackupCodeAcknowledgement`).
pub const MFA_BACKUP_CODE_ACKNOWLEDGEMENT: &[&str] = &["pending", "complete"];

/// State of a global wallet connection (`GlobalWalletConnectionStatusEnum`).
pub const GLOBAL_WALLET_CONNECTION_STATUS_ENUM: &[&str] = &["connected", "disconnected"];

/// Kinds of user-information field (`KycFieldType`).
pub const KYC_FIELD_TYPE: &[&str] = &["standard", "custom"];

/// Input types of a custom field (`CustomFieldType`).
pub const CUSTOM_FIELD_TYPE: &[&str] = &["text", "checkbox", "select"];

/// Result of a Chainalysis screening (`ChainalysisCheckResultEnum`, admin API).
pub const CHAINALYSIS_CHECK_RESULT_ENUM: &[&str] = &["OK", "BLOCKED", "FAILED"];

/// Kinds of MFA device (`MFADeviceType`, admin API).
pub const MFA_DEVICE_TYPE: &[&str] = &["totp", "passkey", "email"];

/// Dynamic's 422 error codes (`UnprocessableEntityErrorCode`), seen as `apiCode`.
pub const UNPROCESSABLE_ENTITY_ERROR_CODE: &[&str] = &[
    "email_cannot_be_null",
    "exchange_cannot_be_enabled",
    "transfer_amount_too_small",
    "transfer_address_not_whitelisted",
    "invalid_scopes",
    "unknown_transfer_error",
    "transfer_mfa_required",
    "transfer_mfa_failed",
    "invalid_transfer_funds",
    "invalid_transfer_currency",
    "invalid_exchange_provider",
    "invalid_transfer_network",
    "invalid_email",
    "email_already_exists",
    "allowlist_already_exists",
    "allowlist_entry_already_exists",
    "reassign_wallet_error",
    "reassign_wallet_confirm",
    "members_cannot_delete_themself",
    "username_already_exists",
    "wrong_email_verification_token",
    "wrong_sms_verification_token",
    "invalid_email_verification",
    "invalid_sms_verification",
    "invalid_verification",
    "invalid_position",
    "too_many_sms_verification_attempts",
    "too_many_email_verification_attempts",
    "too_many_verification_attempts",
    "organization_name_already_exists",
    "project_name_already_exists",
    "wallet_not_deployed",
    "email_verification_required",
    "phone_verification_required",
    "invite_address_required",
    "provider_not_available",
    "forbidden_unlink_request",
    "invalid_unlink_request",
    "too_many_api_tokens",
    "lock_timeout",
    "lock_too_many_attempts",
    "nft_token_gating_not_supported_for_chain",
    "empty_chain_name",
    "no_enabled_email_provider",
    "no_enabled_sms_provider",
    "invalid_key_export_url",
    "invalid_dynamic_props",
    "too_many_requests",
    "too_many_organizations_for_user",
    "too_many_projects_for_organization",
    "email_associated_with_different_provider",
    "user_has_already_account_with_email",
    "user_has_already_account_with_phone_number",
    "other_verify_failure",
    "email_tied_to_embedded_wallet",
    "invalid_invite",
    "social_account_already_exists",
    "invalid_email_address",
    "invalid_gate",
    "conflicting_embedded_wallet_providers",
    "invalid_user",
    "invalid_cors_origins",
    "invalid_mobile_deeplink_urls",
    "unauthorized_mobile_deeplink_url",
    "invalid_private_key_format",
    "invalid_embedded_wallet_settings",
    "wallet_not_support_passkey",
    "recovery_email_unavailable_or_invalid",
    "connect_error",
    "invalid_wallet_name",
    "invalid_wallet_address",
    "email_recovery_disabled",
    "no_compatible_wallet_service_enabled",
    "missing_aa_project_id",
    "linked_embedded_wallet",
    "invalid_mpc_environment",
    "invalid_regex",
    "repeated_options",
    "missing_phone_number_or_email",
    "duplicate_exists",
    "mfa_device_not_found",
    "mfa_invalid_code",
    "mfa_invalid_request",
    "invalid_phone",
    "gate_exists",
    "invalid_embedded_wallet_chains_configuration",
    "merge_accounts_confirmation",
    "merge_accounts_invalid",
    "invalid_wallet_id",
    "unable_to_fetch_balances",
    "cannot_switch_to_unique",
    "custom_field_data_not_unique",
    "metadata_size_exceeded",
    "invalid_custom_hostname",
    "blocked_user_cannot_transfer_wallet",
    "feature_not_enabled_in_suborg",
    "invalid_username",
    "invalid_external_auth",
    "invalid_chain_address_match",
    "invalid_update",
    "cannot_delete_last_project",
    "no_hd_wallet_found",
    "wallet_account_exists_for_chain",
    "too_many_embedded_wallets_for_user",
    "too_many_embedded_wallets_per_chain_for_user",
    "invalid_session_public_key",
    "custom_field_not_unique",
    "invalid_aa_project_configuration",
    "no_v1_embedded_wallet_found",
    "embedded_wallet_address_already_linked",
    "key_share_already_backed_up",
    "invalid_key_shares_length",
    "wallet_not_active",
    "wallet_service_connection_error",
    "no_global_wallet_found",
    "invalid_metadata_value",
    "max_passkeys_per_user",
    "passkey_not_found",
    "cannot_delete_passkey_linked_to_embedded_wallet",
    "cannot_delete_last_sign_in_verified_credential",
    "credential_not_enabled_for_sign_in",
    "unsupported_chain",
    "share_set_id_required",
    "address_screening_byok_auth",
    "address_screening_byok_quota",
    "address_screening_byok_shape",
    "address_screening_byok_upstream",
    "captcha_settings_incomplete_key_pair",
    "invalid_signed_transaction",
    "signed_transaction_wallet_mismatch",
    "unsupported_waas_chain",
    "network_not_enabled",
    "broadcast_rejected",
    "broadcast_requires_resign",
    "broadcast_outcome_unknown",
    "broadcast_rate_limited",
    "broadcast_idempotency_conflict",
    "broadcast_wallet_ineligible",
    "broadcast_not_submitted",
    "offline_recovery_cloud_backup_conflict",
];

/// Wallet types Snag connects (`UserConnectParams.walletType`).
pub const SNAG_WALLET_TYPE: &[&str] = &[
    "evm",
    "solana",
    "imx",
    "sui",
    "ton",
    "cosmos",
    "ultra",
    "agw",
    "flow_cadence",
    "substrate",
];

/// TON networks: mainnet `-239`, testnet `-3` (`TonVerification.Account.chain`).
pub const SNAG_TON_NETWORK: &[&str] = &["-239", "-3"];

/// Every enumeration: its TypeScript name and known values (the TS unions are checked against it).
pub const ENUMS: &[(&str, &[&str])] = &[
    ("ChainEnum", CHAIN_ENUM),
    ("WalletProviderEnum", WALLET_PROVIDER_ENUM),
    ("WalletAddressType", WALLET_ADDRESS_TYPE),
    ("PasswordSourceTypeEnum", PASSWORD_SOURCE_TYPE_ENUM),
    ("TokenScope", TOKEN_SCOPE),
    ("ProviderEnum", PROVIDER_ENUM),
    (
        "JwtVerifiedCredentialFormatEnum",
        JWT_VERIFIED_CREDENTIAL_FORMAT_ENUM,
    ),
    (
        "MfaBackupCodeAcknowledgement",
        MFA_BACKUP_CODE_ACKNOWLEDGEMENT,
    ),
    (
        "GlobalWalletConnectionStatusEnum",
        GLOBAL_WALLET_CONNECTION_STATUS_ENUM,
    ),
    ("KycFieldType", KYC_FIELD_TYPE),
    ("CustomFieldType", CUSTOM_FIELD_TYPE),
    ("ChainalysisCheckResultEnum", CHAINALYSIS_CHECK_RESULT_ENUM),
    ("MFADeviceType", MFA_DEVICE_TYPE),
    (
        "UnprocessableEntityErrorCode",
        UNPROCESSABLE_ENTITY_ERROR_CODE,
    ),
    ("SnagWalletType", SNAG_WALLET_TYPE),
    ("SnagTonNetwork", SNAG_TON_NETWORK),
];

/// Declares a request model once: the struct (serde names from the wire names given, optional
/// members `x?: T` in TypeScript and omitted from JSON when absent) and its [`Field`] table
/// (what the WebAssembly layer sends: only these members, each of its type).
///
/// `req name: Type = "wireName", FieldType::…;` or `opt name: Type = "wireName", …;` (an `opt`
/// member is `Option<Type>`), with `, ts "TsType"` where the TypeScript type is narrower.
macro_rules! request_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $fields:ident { $($body:tt)* }
    ) => {
        request_model!(@munch [$(#[$meta])*] $name $fields [] [] $($body)*);
    };
    (@munch [$($meta:tt)*] $name:ident $fields:ident [$($out:tt)*] [$($table:tt)*]
        $(#[doc = $doc:literal])*
        req $field:ident: $ty:ty = $wire:literal, $kind:expr $(, ts $ts:literal)?;
        $($rest:tt)*
    ) => {
        request_model!(@munch [$($meta)*] $name $fields
            [$($out)*
                $(#[doc = $doc])*
                #[serde(rename = $wire)]
                $(#[cfg_attr(target_arch = "wasm32", tsify(type = $ts))])?
                pub $field: $ty,
            ]
            [$($table)* req($wire, $kind),]
            $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident $fields:ident [$($out:tt)*] [$($table:tt)*]
        $(#[doc = $doc:literal])*
        opt $field:ident: $ty:ty = $wire:literal, $kind:expr $(, ts $ts:literal)?;
        $($rest:tt)*
    ) => {
        request_model!(@munch [$($meta)*] $name $fields
            [$($out)*
                $(#[doc = $doc])*
                #[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")]
                #[cfg_attr(target_arch = "wasm32", tsify(optional $(, type = $ts)?))]
                pub $field: Option<$ty>,
            ]
            [$($table)* opt($wire, $kind),]
            $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident $fields:ident [$($out:tt)*] [$($table:tt)*]) => {
        $($meta)*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        pub struct $name {
            $($out)*
        }

        #[doc = concat!("The members of [`", stringify!($name), "`] a request may carry.")]
        pub const $fields: &[Field] = &[$($table)*];
    };
}

// ---- Dynamic SDK API (`@dynamic-labs/sdk-api-core`): requests ----

request_model! {
    /// Proof of wallet ownership sent to `POST /sdk/{environmentId}/verify` (sign in) and `/verify/link`.
    pub struct VerifyRequest => VERIFY_REQUEST_FIELDS {
        opt oauth: OauthProviderRequest = "oauth", FieldType::Model(OAUTH_PROVIDER_REQUEST_FIELDS);
        /// The wallet's signature of `messageToSign` (0x-hex for EVM, base58 for Solana).
        req signed_message: String = "signedMessage", FieldType::String;
        /// The exact message the wallet signed.
        req message_to_sign: String = "messageToSign", FieldType::String;
        req public_wallet_address: String = "publicWalletAddress", FieldType::String;
        req chain: String = "chain", FieldType::String, ts "ChainEnum";
        /// The wallet's name as Dynamic knows it, e.g. `metamask`, `phantom`.
        req wallet_name: String = "walletName", FieldType::String;
        req wallet_provider: String = "walletProvider", FieldType::String, ts "WalletProviderEnum";
        opt skip_empty_account_check: bool = "skipEmptyAccountCheck", FieldType::Bool;
        opt captcha_token: String = "captchaToken", FieldType::String;
        opt network: String = "network", FieldType::String;
        opt additional_wallet_addresses: Vec<WalletAdditionalAddress> = "additionalWalletAddresses", FieldType::Models(WALLET_ADDITIONAL_ADDRESS_FIELDS);
        opt backup: String = "backup", FieldType::String;
        opt password: String = "password", FieldType::String;
        opt password_source: String = "passwordSource", FieldType::String, ts "PasswordSourceTypeEnum";
        opt session_public_key: String = "sessionPublicKey", FieldType::String;
        opt requested_scopes: Vec<String> = "requestedScopes", FieldType::Strings, ts "TokenScope[]";
    }
}

request_model! {
    /// OAuth data sent along with a verification (`OauthProviderRequest`).
    pub struct OauthProviderRequest => OAUTH_PROVIDER_REQUEST_FIELDS {
        opt provider: String = "provider", FieldType::String, ts "ProviderEnum";
        opt access_token: String = "accessToken", FieldType::String;
        opt did_token: String = "didToken", FieldType::String;
    }
}

request_model! {
    /// Another address of the same wallet, e.g. a Bitcoin ordinals address (`WalletAdditionalAddress`).
    pub struct WalletAdditionalAddress => WALLET_ADDITIONAL_ADDRESS_FIELDS {
        req address: String = "address", FieldType::String;
        opt public_key: String = "publicKey", FieldType::String;
        req type_: String = "type", FieldType::String, ts "WalletAddressType";
        opt network: String = "network", FieldType::String;
    }
}

request_model! {
    /// Body of `POST /sdk/{environmentId}/verify/unlink`; name the wallet or the credential to remove. `verifiedCrentialId` is the API's own (misspelt) legacy field.
    pub struct VerifyUnlinkRequest => VERIFY_UNLINK_REQUEST_FIELDS {
        opt wallet_id: String = "walletId", FieldType::String;
        opt verified_crential_id: String = "verifiedCrentialId", FieldType::String;
        opt verified_credential_id: String = "verifiedCredentialId", FieldType::String;
        opt primary_wallet_id: String = "primaryWalletId", FieldType::String;
    }
}

/// Body of `POST /sdk/{environmentId}/globalWallets/connections`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct GlobalWalletConnectionCreateRequest {
    /// When the connection expires, as an ISO 8601 timestamp.
    pub expires_at: String,
}

// ---- Dynamic SDK API: responses ----

/// Answer of `GET /sdk/{environmentId}/nonce`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NonceResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub nonce: Option<String>,
}

/// Answer of `verify`, `verify/link` and `verify/unlink`: the user with all verified credentials, and a new JWT unless cookie authentication is on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub mfa_token: Option<String>,
    /// The new session JWT (absent when Dynamic uses an httpOnly cookie instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub jwt: Option<String>,
    pub user: SdkUser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub minified_jwt: Option<String>,
    /// Unix time (seconds) when the JWT expires.
    #[serde(deserialize_with = "unix_seconds")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub elevated_access_token: Option<String>,
}

/// The signed-in user as the SDK API returns it (`SdkUser`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SdkUser {
    pub id: String,
    pub project_environment_id: String,
    pub verified_credentials: Vec<JwtVerifiedCredential>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_verified_credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub policies_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub t_shirt_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub first_visit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_visit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub new_user: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "MfaBackupCodeAcknowledgement")
    )]
    pub mfa_backup_code_acknowledgement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub btc_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub kda_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ltc_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ckb_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub kas_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub doge_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub discord_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub newsletter_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lists: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub missing_fields: Option<Vec<ProjectSettingsKyc>>,
}

/// One verified credential of a user: a wallet, an email, an OAuth account... (`JwtVerifiedCredential`; several fields are snake_case on the wire).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct JwtVerifiedCredential {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub chain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ref_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub signer_ref_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email: Option<String>,
    pub id: String,
    #[serde(rename = "name_service")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub name_service: Option<NameServiceData>,
    #[serde(rename = "public_identifier")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub public_identifier: Option<String>,
    #[serde(rename = "wallet_name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub wallet_name: Option<String>,
    #[serde(rename = "wallet_provider")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "WalletProviderEnum"))]
    pub wallet_provider: Option<String>,
    #[serde(rename = "wallet_properties")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub wallet_properties: Option<Value>,
    #[serde(rename = "business_account_properties")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub business_account_properties: Option<Value>,
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "JwtVerifiedCredentialFormatEnum")
    )]
    pub format: String,
    #[serde(rename = "oauth_provider")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ProviderEnum"))]
    pub oauth_provider: Option<String>,
    #[serde(rename = "oauth_username")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_username: Option<String>,
    #[serde(rename = "oauth_display_name")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_display_name: Option<String>,
    #[serde(rename = "oauth_account_id")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_country_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub iso_country_code: Option<String>,
    #[serde(rename = "oauth_account_photos")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_account_photos: Option<Vec<String>>,
    #[serde(rename = "oauth_emails")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_emails: Option<Vec<String>>,
    #[serde(rename = "oauth_metadata")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub oauth_metadata: Option<Value>,
    #[serde(rename = "previous_users")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub previous_users: Option<Vec<String>>,
    #[serde(rename = "embedded_wallet_id")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub embedded_wallet_id: Option<String>,
    #[serde(rename = "wallet_additional_addresses")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub wallet_additional_addresses: Option<Vec<WalletAdditionalAddress>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_selected_at: Option<String>,
    pub sign_in_enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub verified_at: Option<String>,
}

/// ENS-style name and avatar of a wallet (`NameServiceData`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct NameServiceData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub avatar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub name: Option<String>,
}

/// A user-information field the environment asks for (`ProjectSettingsKyc`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ProjectSettingsKyc {
    pub name: String,
    pub required: bool,
    pub enabled: bool,
    pub unique: bool,
    pub verify: bool,
    #[serde(rename = "type")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "KycFieldType"))]
    pub type_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub validation_rules: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "CustomFieldType"))]
    pub validation_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub position: Option<f64>,
}

/// Answer of `POST /sdk/{environmentId}/globalWallets/connections` (timestamps are ISO 8601 strings).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct GlobalWalletConnection {
    pub id: String,
    pub user_id: String,
    pub app_url: String,
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "GlobalWalletConnectionStatusEnum")
    )]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub expires_at: Option<String>,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated_at: Option<String>,
}

// ---- Dynamic admin API (`@dynamic-labs/sdk-api`): `POST /environments/{environmentId}/users/bulk` ----

request_model! {
    /// One user to create (or update, with `upsert`) (`InternalUserFields`).
    pub struct InternalUserFields => INTERNAL_USER_FIELDS_FIELDS {
        opt alias: String = "alias", FieldType::String;
        opt first_name: String = "firstName", FieldType::String;
        opt last_name: String = "lastName", FieldType::String;
        opt job_title: String = "jobTitle", FieldType::String;
        opt phone_number: String = "phoneNumber", FieldType::String;
        opt metadata: Value = "metadata", FieldType::Any, ts "Record<string, unknown>";
        opt mfa_backup_code_acknowledgement: String = "mfaBackupCodeAcknowledgement", FieldType::String, ts "MfaBackupCodeAcknowledgement";
        opt t_shirt_size: String = "tShirtSize", FieldType::String;
        opt team: String = "team", FieldType::String;
        opt policies_consent: bool = "policiesConsent", FieldType::Bool;
        opt country: String = "country", FieldType::String;
        opt username: String = "username", FieldType::String;
        opt btc_wallet: String = "btcWallet", FieldType::String;
        opt kda_wallet: String = "kdaWallet", FieldType::String;
        opt ltc_wallet: String = "ltcWallet", FieldType::String;
        opt ckb_wallet: String = "ckbWallet", FieldType::String;
        opt kas_wallet: String = "kasWallet", FieldType::String;
        opt doge_wallet: String = "dogeWallet", FieldType::String;
        opt email_notification: bool = "emailNotification", FieldType::Bool;
        opt discord_notification: bool = "discordNotification", FieldType::Bool;
        opt newsletter_notification: bool = "newsletterNotification", FieldType::Bool;
        /// ISO 8601 timestamp.
        opt email_verified_at: String = "emailVerifiedAt", FieldType::String;
        opt email: String = "email", FieldType::String;
        opt wallets: Vec<CreateWalletRequest> = "wallets", FieldType::Models(CREATE_WALLET_REQUEST_FIELDS);
        opt oauth_accounts: Vec<CreateUserOauthRequest> = "oauthAccounts", FieldType::Models(CREATE_USER_OAUTH_REQUEST_FIELDS);
    }
}

request_model! {
    /// A wallet to attach to a new user (`CreateWalletRequest`).
    pub struct CreateWalletRequest => CREATE_WALLET_REQUEST_FIELDS {
        req public_wallet_address: String = "publicWalletAddress", FieldType::String;
        req chain: String = "chain", FieldType::String, ts "ChainEnum";
        req wallet_name: String = "walletName", FieldType::String;
        req wallet_provider: String = "walletProvider", FieldType::String, ts "WalletProviderEnum";
        opt additional_wallet_addresses: Vec<WalletAdditionalAddress> = "additionalWalletAddresses", FieldType::Models(WALLET_ADDITIONAL_ADDRESS_FIELDS);
    }
}

request_model! {
    /// An OAuth account to attach to a new user (`CreateUserOauthRequest`).
    pub struct CreateUserOauthRequest => CREATE_USER_OAUTH_REQUEST_FIELDS {
        req provider: String = "provider", FieldType::String, ts "ProviderEnum";
        req account_id: String = "accountId", FieldType::String;
        opt emails: Vec<String> = "emails", FieldType::Strings;
        opt display_name: String = "displayName", FieldType::String;
        opt username: String = "username", FieldType::String;
        opt photos: Vec<String> = "photos", FieldType::Strings;
        opt profile: Value = "profile", FieldType::Any, ts "Record<string, unknown>";
    }
}

/// Answer of `users/bulk`: the users created, updated, and those that failed with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BulkUserCreateResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created: Option<Vec<User>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated: Option<Vec<User>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub failed: Option<Vec<BulkUserCreateResponseFailed>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub total: Option<f64>,
}

/// A user `users/bulk` could not create, with the error and its code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct BulkUserCreateResponseFailed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub user: Option<User>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "UnprocessableEntityErrorCode")
    )]
    pub code: Option<String>,
}

/// A user as the admin API returns it (`User`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub project_environment_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub verified_credentials: Option<Vec<JwtVerifiedCredential>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_verified_credential_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub phone_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub policies_consent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub t_shirt_size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub first_visit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_visit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub new_user: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "MfaBackupCodeAcknowledgement")
    )]
    pub mfa_backup_code_acknowledgement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub btc_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub kda_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ltc_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ckb_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub kas_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub doge_wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub email_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub discord_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub newsletter_notification: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub lists: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub missing_fields: Option<Vec<ProjectSettingsKyc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub wallet_public_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub wallet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ChainEnum"))]
    pub chain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sessions: Option<Vec<Session>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub wallets: Option<Vec<Wallet>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub chainalysis_checks: Option<Vec<ChainalysisCheck>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub oauth_accounts: Option<Vec<OAuthAccount>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub mfa_devices: Option<Vec<MFADevice>>,
}

/// A session of a user (`Session`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Session {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub revoked_at: Option<String>,
}

/// A wallet of a user (`Wallet`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    pub id: String,
    pub name: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ChainEnum"))]
    pub chain: String,
    pub public_key: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "WalletProviderEnum"))]
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(optional, type = "Record<string, unknown>")
    )]
    pub properties: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub last_selected_at: Option<String>,
}

/// A sanctions screening of a wallet (`ChainalysisCheck`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ChainalysisCheck {
    pub id: String,
    pub created_at: String,
    #[cfg_attr(target_arch = "wasm32", tsify(type = "ChainalysisCheckResultEnum"))]
    pub result: String,
    pub wallet_public_key: String,
    pub response: String,
}

/// An OAuth account of a user (`OAuthAccount`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct OAuthAccount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "ProviderEnum"))]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub account_username: Option<String>,
}

/// An MFA device of a user (`MFADevice`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct MFADevice {
    #[serde(rename = "type")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional, type = "MFADeviceType"))]
    pub type_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub verified_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub alias: Option<String>,
}

// ---- Snag Solutions API (`@snagsolutions/sdk`): `POST /api/users/connect` ----

request_model! {
    /// Connects a wallet to a Snag user (`UserConnectParams`).
    pub struct SnagConnectParams => SNAG_CONNECT_PARAMS_FIELDS {
        req organization_id: String = "organizationId", FieldType::String;
        req wallet_address: String = "walletAddress", FieldType::String;
        req wallet_type: String = "walletType", FieldType::String, ts "SnagWalletType";
        req website_id: String = "websiteId", FieldType::String;
        opt confirm_disconnect: bool = "confirmDisconnect", FieldType::Bool;
        /// The Snag user to connect this wallet to.
        opt user_id: String = "userId", FieldType::String;
        /// Proof of ownership of `walletAddress`.
        opt verification_data: SnagVerificationData = "verificationData", FieldType::Model(SNAG_VERIFICATION_DATA_FIELDS);
    }
}

request_model! {
    /// Proof that the user owns the wallet (`UserConnectParams.VerificationData`).
    pub struct SnagVerificationData => SNAG_VERIFICATION_DATA_FIELDS {
        opt access_token: String = "accessToken", FieldType::String;
        opt dynamic_auth_token: String = "dynamicAuthToken", FieldType::String;
        opt message: String = "message", FieldType::String;
        opt signature: String = "signature", FieldType::String;
        opt ton_verification: SnagTonVerification = "tonVerification", FieldType::Model(SNAG_TON_VERIFICATION_FIELDS);
    }
}

request_model! {
    /// A TON Connect proof (`VerificationData.TonVerification`).
    pub struct SnagTonVerification => SNAG_TON_VERIFICATION_FIELDS {
        req account: SnagTonAccount = "account", FieldType::Model(SNAG_TON_ACCOUNT_FIELDS);
        req proof: SnagTonProof = "proof", FieldType::Model(SNAG_TON_PROOF_FIELDS);
    }
}

request_model! {
    /// The TON account of a TON Connect proof.
    pub struct SnagTonAccount => SNAG_TON_ACCOUNT_FIELDS {
        req address: String = "address", FieldType::String;
        req chain: String = "chain", FieldType::String, ts "SnagTonNetwork";
        req public_key: String = "publicKey", FieldType::String;
        opt wallet_state_init: String = "walletStateInit", FieldType::String;
    }
}

request_model! {
    /// The signed TON Connect `ton_proof` (`state_init` is snake_case on the wire).
    pub struct SnagTonProof => SNAG_TON_PROOF_FIELDS {
        req domain: SnagTonProofDomain = "domain", FieldType::Model(SNAG_TON_PROOF_DOMAIN_FIELDS);
        req payload: String = "payload", FieldType::String;
        req signature: String = "signature", FieldType::String;
        req timestamp: f64 = "timestamp", FieldType::Number;
        opt state_init: String = "state_init", FieldType::String;
    }
}

request_model! {
    /// The domain of a TON Connect proof.
    pub struct SnagTonProofDomain => SNAG_TON_PROOF_DOMAIN_FIELDS {
        req length_bytes: f64 = "lengthBytes", FieldType::Number;
        req value: String = "value", FieldType::String;
    }
}

/// Answer of Snag's `users/connect` (`UserConnectResponse`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SnagConnectResponse {
    pub id: String,
    pub created_at: String,
    pub updated_at: String,
    pub wallet_address: String,
}

/// Largest Unix time in seconds accepted (far beyond any real expiry; exact in an `f64`).
const MAX_UNIX_SECONDS: f64 = 9.0e15;

/// A Unix time in seconds from a JSON number: a whole, finite number.
pub(crate) fn unix_seconds_from_f64(value: f64) -> Option<i64> {
    (value.is_finite() && value.fract() == 0.0 && value.abs() < MAX_UNIX_SECONDS)
        .then_some(value as i64)
}

/// A Unix time in seconds from a numeric string (`"1715620310"`).
pub(crate) fn unix_seconds_from_str(text: &str) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| (*v as f64).abs() < MAX_UNIX_SECONDS)
}

/// Reads a Unix time in seconds given as a JSON number or as a numeric string (the API reference
/// shows `"expiresAt": "1715620310"`, the official model says `number`).
fn unix_seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    struct Seconds;
    impl serde::de::Visitor<'_> for Seconds {
        type Value = i64;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a Unix time in seconds")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
            unix_seconds_from_f64(v as f64).ok_or_else(|| E::custom("expiresAt is out of range"))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
            unix_seconds_from_f64(v as f64).ok_or_else(|| E::custom("expiresAt is out of range"))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            unix_seconds_from_f64(v)
                .ok_or_else(|| E::custom("expiresAt is not a whole number of seconds"))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
            unix_seconds_from_str(v)
                .ok_or_else(|| E::custom("expiresAt is not a whole number of seconds"))
        }
    }
    deserializer.deserialize_any(Seconds)
}

// ---- What the clients check without converting whole models ----
//
// In WebAssembly the clients hand the services' JSON to the caller as parsed, and send the
// caller's objects as given once checked: the tables below say what is checked. Native tests
// hold each table against its serde model.

/// A member a successful response must hold: `path` from the root, of the given shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Required {
    pub path: &'static [&'static str],
    pub shape: Shape,
}

/// The JSON shape of a [`Required`] member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Object,
    Array,
    String,
    NonEmptyString,
    /// A whole number of seconds, or a numeric string (then replaced by the number, which is what
    /// the model declares; for members of the root only).
    UnixSeconds,
}

impl Shape {
    /// What the shape is, for messages.
    pub const fn expected(self) -> &'static str {
        match self {
            Shape::Object => "an object",
            Shape::Array => "an array",
            Shape::String => "a string",
            Shape::NonEmptyString => "a non-empty string",
            Shape::UnixSeconds => "a Unix time in seconds",
        }
    }
}

const fn must(path: &'static [&'static str], shape: Shape) -> Required {
    Required { path, shape }
}

/// [`NonceResponse`]: the client's only use of it is the nonce.
pub const NONCE_RESPONSE_REQUIRED: &[Required] = &[must(&["nonce"], Shape::NonEmptyString)];

/// [`VerifyResponse`]'s required members, and its [`SdkUser`]'s.
pub const VERIFY_RESPONSE_REQUIRED: &[Required] = &[
    must(&["user"], Shape::Object),
    must(&["user", "id"], Shape::String),
    must(&["user", "projectEnvironmentId"], Shape::String),
    must(&["user", "verifiedCredentials"], Shape::Array),
    must(&["expiresAt"], Shape::UnixSeconds),
];

/// [`GlobalWalletConnection`]'s required members.
pub const GLOBAL_WALLET_CONNECTION_REQUIRED: &[Required] = &[
    must(&["id"], Shape::String),
    must(&["userId"], Shape::String),
    must(&["appUrl"], Shape::String),
    must(&["status"], Shape::String),
    must(&["createdAt"], Shape::String),
];

/// [`BulkUserCreateResponse`] has only optional members.
pub const BULK_USER_CREATE_RESPONSE_REQUIRED: &[Required] = &[];

/// [`SnagConnectResponse`]'s required members.
pub const SNAG_CONNECT_RESPONSE_REQUIRED: &[Required] = &[
    must(&["id"], Shape::String),
    must(&["createdAt"], Shape::String),
    must(&["updatedAt"], Shape::String),
    must(&["walletAddress"], Shape::String),
];

/// Wire names of the free-form ([`Value`]) members of the response models: a `null` inside them
/// is data and is kept, while a `null` member of a model reads as absent and is dropped.
pub const FREE_FORM_FIELDS: &[&str] = &[
    "metadata",
    "properties",
    "wallet_properties",
    "business_account_properties",
    "oauth_metadata",
    "validationRules",
    "profile",
];

/// A member of a request model, as the WebAssembly layer checks a caller's object before sending
/// it: only the listed members are sent (as the official clients' `ToJSON` do), each of its type;
/// a required one must be present (`undefined` and `null` count as absent).
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The wire (and JS) name.
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
}

/// The JSON type of a request [`Field`].
#[derive(Clone, Copy, Debug)]
pub enum FieldType {
    String,
    Bool,
    /// A finite number.
    Number,
    /// An array of strings.
    Strings,
    /// Free-form JSON (a [`Value`]), sent as given.
    Any,
    /// A nested model.
    Model(&'static [Field]),
    /// An array of a nested model.
    Models(&'static [Field]),
}

const fn req(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        required: false,
    }
}
