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

/// Declares a model once: the struct, each member's wire name, and for request models (`=> TABLE`)
/// the [`Field`] table the WebAssembly layer sends by (only these members, each of its type).
///
/// Members: `req name: Type = "wireName"` or `opt name: Type = "wireName"` (an `opt` member is
/// `Option<Type>`: `x?: T` in TypeScript, omitted from JSON when absent), then `as FieldType::…` in
/// a request model, and `, ts "TsType"` where the TypeScript type is narrower.
macro_rules! model {
    ($(#[$meta:meta])* pub struct $name:ident => $fields:ident { $($body:tt)* }) => {
        model!(@munch [$(#[$meta])*] $name [$fields] [] [] $($body)*);
    };
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        model!(@munch [$(#[$meta])*] $name [] [] [] $($body)*);
    };
    (@munch [$($meta:tt)*] $name:ident [$($fields:ident)?] [$($out:tt)*] [$($table:tt)*]
        $(#[doc = $doc:literal])*
        req $field:ident: $ty:ty = $wire:literal $(as $kind:expr)? $(, ts $ts:literal)?;
        $($rest:tt)*
    ) => {
        model!(@munch [$($meta)*] $name [$($fields)?]
            [$($out)*
                $(#[doc = $doc])*
                #[serde(rename = $wire)]
                $(#[cfg_attr(target_arch = "wasm32", tsify(type = $ts))])?
                pub $field: $ty,
            ]
            [$($table)* $(req($wire, $kind),)?]
            $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident [$($fields:ident)?] [$($out:tt)*] [$($table:tt)*]
        $(#[doc = $doc:literal])*
        opt $field:ident: $ty:ty = $wire:literal $(as $kind:expr)? $(, ts $ts:literal)?;
        $($rest:tt)*
    ) => {
        model!(@munch [$($meta)*] $name [$($fields)?]
            [$($out)*
                $(#[doc = $doc])*
                #[serde(rename = $wire, default, skip_serializing_if = "Option::is_none")]
                #[cfg_attr(target_arch = "wasm32", tsify(optional $(, type = $ts)?))]
                pub $field: Option<$ty>,
            ]
            [$($table)* $(opt($wire, $kind),)?]
            $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident [$($fields:ident)?] [$($out:tt)*] [$($table:tt)*]
        $(#[doc = $doc:literal])*
        flat $field:ident: $ty:ty;
        $($rest:tt)*
    ) => {
        model!(@munch [$($meta)*] $name [$($fields)?]
            [$($out)* $(#[doc = $doc])* #[serde(flatten)] pub $field: $ty,]
            [$($table)*]
            $($rest)*);
    };
    (@munch [$($meta:tt)*] $name:ident [$fields:ident] [$($out:tt)*] [$($table:tt)*]) => {
        model!(@struct [$($meta)*] $name [$($out)*]);

        #[doc = concat!("The members of [`", stringify!($name), "`] a request may carry.")]
        pub const $fields: &[Field] = &[$($table)*];
    };
    (@munch [$($meta:tt)*] $name:ident [] [$($out:tt)*] [$($table:tt)*]) => {
        model!(@struct [$($meta)*] $name [$($out)*]);
    };
    (@struct [$($meta:tt)*] $name:ident [$($out:tt)*]) => {
        $($meta)*
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        pub struct $name {
            $($out)*
        }
    };
}

// ---- Dynamic SDK API (`@dynamic-labs/sdk-api-core`): requests ----

model! {
    /// Proof of wallet ownership sent to `POST /sdk/{environmentId}/verify` (sign in) and `/verify/link`.
    pub struct VerifyRequest => VERIFY_REQUEST_FIELDS {
        opt oauth: OauthProviderRequest = "oauth" as FieldType::Model(OAUTH_PROVIDER_REQUEST_FIELDS);
        /// The wallet's signature of `messageToSign` (0x-hex for EVM, base58 for Solana).
        req signed_message: String = "signedMessage" as FieldType::String;
        /// The exact message the wallet signed.
        req message_to_sign: String = "messageToSign" as FieldType::String;
        req public_wallet_address: String = "publicWalletAddress" as FieldType::String;
        req chain: String = "chain" as FieldType::String, ts "ChainEnum";
        /// The wallet's name as Dynamic knows it, e.g. `metamask`, `phantom`.
        req wallet_name: String = "walletName" as FieldType::String;
        req wallet_provider: String = "walletProvider" as FieldType::String, ts "WalletProviderEnum";
        opt skip_empty_account_check: bool = "skipEmptyAccountCheck" as FieldType::Bool;
        opt captcha_token: String = "captchaToken" as FieldType::String;
        opt network: String = "network" as FieldType::String;
        opt additional_wallet_addresses: Vec<WalletAdditionalAddress> = "additionalWalletAddresses" as FieldType::Models(WALLET_ADDITIONAL_ADDRESS_FIELDS);
        opt backup: String = "backup" as FieldType::String;
        opt password: String = "password" as FieldType::String;
        opt password_source: String = "passwordSource" as FieldType::String, ts "PasswordSourceTypeEnum";
        opt session_public_key: String = "sessionPublicKey" as FieldType::String;
        opt requested_scopes: Vec<String> = "requestedScopes" as FieldType::Strings, ts "TokenScope[]";
    }
}

model! {
    /// OAuth data sent along with a verification (`OauthProviderRequest`).
    pub struct OauthProviderRequest => OAUTH_PROVIDER_REQUEST_FIELDS {
        opt provider: String = "provider" as FieldType::String, ts "ProviderEnum";
        opt access_token: String = "accessToken" as FieldType::String;
        opt did_token: String = "didToken" as FieldType::String;
    }
}

model! {
    /// Another address of the same wallet, e.g. a Bitcoin ordinals address (`WalletAdditionalAddress`).
    pub struct WalletAdditionalAddress => WALLET_ADDITIONAL_ADDRESS_FIELDS {
        req address: String = "address" as FieldType::String;
        opt public_key: String = "publicKey" as FieldType::String;
        req type_: String = "type" as FieldType::String, ts "WalletAddressType";
        opt network: String = "network" as FieldType::String;
    }
}

model! {
    /// Body of `POST /sdk/{environmentId}/verify/unlink`; name the wallet or the credential to remove. `verifiedCrentialId` is the API's own (misspelt) legacy field.
    pub struct VerifyUnlinkRequest => VERIFY_UNLINK_REQUEST_FIELDS {
        opt wallet_id: String = "walletId" as FieldType::String;
        opt verified_crential_id: String = "verifiedCrentialId" as FieldType::String;
        opt verified_credential_id: String = "verifiedCredentialId" as FieldType::String;
        opt primary_wallet_id: String = "primaryWalletId" as FieldType::String;
    }
}

model! {
    /// Body of `POST /sdk/{environmentId}/globalWallets/connections`.
    pub struct GlobalWalletConnectionCreateRequest {
        /// When the connection expires, as an ISO 8601 timestamp.
        req expires_at: String = "expiresAt";
    }
}

// ---- Dynamic SDK API: responses ----

model! {
    /// Answer of `GET /sdk/{environmentId}/nonce`.
    pub struct NonceResponse {
        opt nonce: String = "nonce";
    }
}

/// Answer of `verify`, `verify/link` and `verify/unlink`: the user with all verified credentials, and a new JWT unless cookie authentication is on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct VerifyResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_token: Option<String>,
    /// The new session JWT (absent when Dynamic uses an httpOnly cookie instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<String>,
    pub user: SdkUser,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minified_jwt: Option<String>,
    /// Unix time (seconds) when the JWT expires.
    #[serde(deserialize_with = "unix_seconds")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number"))]
    pub expires_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elevated_access_token: Option<String>,
}

model! {
    /// The members [`SdkUser`] and the admin API's [`User`] share (their order on the wire is theirs).
    pub struct UserProfile {
        opt last_verified_credential_id: String = "lastVerifiedCredentialId";
        opt session_id: String = "sessionId";
        opt alias: String = "alias";
        opt country: String = "country";
        opt email: String = "email";
        opt first_name: String = "firstName";
        opt job_title: String = "jobTitle";
        opt last_name: String = "lastName";
        opt phone_number: String = "phoneNumber";
        opt policies_consent: bool = "policiesConsent";
        opt t_shirt_size: String = "tShirtSize";
        opt team: String = "team";
        opt username: String = "username";
        opt first_visit: String = "firstVisit";
        opt last_visit: String = "lastVisit";
        opt new_user: bool = "newUser";
        opt metadata: Value = "metadata", ts "Record<string, unknown>";
        opt mfa_backup_code_acknowledgement: String = "mfaBackupCodeAcknowledgement", ts "MfaBackupCodeAcknowledgement";
        opt btc_wallet: String = "btcWallet";
        opt kda_wallet: String = "kdaWallet";
        opt ltc_wallet: String = "ltcWallet";
        opt ckb_wallet: String = "ckbWallet";
        opt kas_wallet: String = "kasWallet";
        opt doge_wallet: String = "dogeWallet";
        opt email_notification: bool = "emailNotification";
        opt discord_notification: bool = "discordNotification";
        opt newsletter_notification: bool = "newsletterNotification";
        opt lists: Vec<String> = "lists";
    }
}

model! {
    /// The signed-in user as the SDK API returns it (`SdkUser`).
    pub struct SdkUser {
        req id: String = "id";
        req project_environment_id: String = "projectEnvironmentId";
        req verified_credentials: Vec<JwtVerifiedCredential> = "verifiedCredentials";
        /// The profile members an SDK user and an admin user share.
        flat profile: UserProfile;
        opt scope: String = "scope";
        opt missing_fields: Vec<ProjectSettingsKyc> = "missingFields";
    }
}

model! {
    /// One verified credential of a user: a wallet, an email, an OAuth account... (`JwtVerifiedCredential`; several fields are snake_case on the wire).
    pub struct JwtVerifiedCredential {
        opt address: String = "address";
        opt chain: String = "chain";
        opt ref_id: String = "refId";
        opt signer_ref_id: String = "signerRefId";
        opt email: String = "email";
        req id: String = "id";
        opt name_service: NameServiceData = "name_service";
        opt public_identifier: String = "public_identifier";
        opt wallet_name: String = "wallet_name";
        opt wallet_provider: String = "wallet_provider", ts "WalletProviderEnum";
        opt wallet_properties: Value = "wallet_properties", ts "Record<string, unknown>";
        opt business_account_properties: Value = "business_account_properties", ts "Record<string, unknown>";
        req format: String = "format", ts "JwtVerifiedCredentialFormatEnum";
        opt oauth_provider: String = "oauth_provider", ts "ProviderEnum";
        opt oauth_username: String = "oauth_username";
        opt oauth_display_name: String = "oauth_display_name";
        opt oauth_account_id: String = "oauth_account_id";
        opt phone_number: String = "phoneNumber";
        opt phone_country_code: String = "phoneCountryCode";
        opt iso_country_code: String = "isoCountryCode";
        opt oauth_account_photos: Vec<String> = "oauth_account_photos";
        opt oauth_emails: Vec<String> = "oauth_emails";
        opt oauth_metadata: Value = "oauth_metadata", ts "Record<string, unknown>";
        opt previous_users: Vec<String> = "previous_users";
        opt embedded_wallet_id: String = "embedded_wallet_id";
        opt wallet_additional_addresses: Vec<WalletAdditionalAddress> = "wallet_additional_addresses";
        opt last_selected_at: String = "lastSelectedAt";
        req sign_in_enabled: bool = "signInEnabled";
        opt verified_at: String = "verifiedAt";
    }
}

model! {
    /// ENS-style name and avatar of a wallet (`NameServiceData`).
    pub struct NameServiceData {
        opt avatar: String = "avatar";
        opt name: String = "name";
    }
}

model! {
    /// A user-information field the environment asks for (`ProjectSettingsKyc`).
    pub struct ProjectSettingsKyc {
        req name: String = "name";
        req required: bool = "required";
        req enabled: bool = "enabled";
        req unique: bool = "unique";
        req verify: bool = "verify";
        opt type_: String = "type", ts "KycFieldType";
        opt validation_rules: Value = "validationRules", ts "Record<string, unknown>";
        opt validation_type: String = "validationType", ts "CustomFieldType";
        opt label: String = "label";
        opt position: f64 = "position";
    }
}

model! {
    /// Answer of `POST /sdk/{environmentId}/globalWallets/connections` (timestamps are ISO 8601 strings).
    pub struct GlobalWalletConnection {
        req id: String = "id";
        req user_id: String = "userId";
        req app_url: String = "appUrl";
        req status: String = "status", ts "GlobalWalletConnectionStatusEnum";
        opt expires_at: String = "expiresAt";
        req created_at: String = "createdAt";
        opt updated_at: String = "updatedAt";
    }
}

// ---- Dynamic admin API (`@dynamic-labs/sdk-api`): `POST /environments/{environmentId}/users/bulk` ----

model! {
    /// One user to create (or update, with `upsert`) (`InternalUserFields`).
    pub struct InternalUserFields => INTERNAL_USER_FIELDS_FIELDS {
        opt alias: String = "alias" as FieldType::String;
        opt first_name: String = "firstName" as FieldType::String;
        opt last_name: String = "lastName" as FieldType::String;
        opt job_title: String = "jobTitle" as FieldType::String;
        opt phone_number: String = "phoneNumber" as FieldType::String;
        opt metadata: Value = "metadata" as FieldType::Any, ts "Record<string, unknown>";
        opt mfa_backup_code_acknowledgement: String = "mfaBackupCodeAcknowledgement" as FieldType::String, ts "MfaBackupCodeAcknowledgement";
        opt t_shirt_size: String = "tShirtSize" as FieldType::String;
        opt team: String = "team" as FieldType::String;
        opt policies_consent: bool = "policiesConsent" as FieldType::Bool;
        opt country: String = "country" as FieldType::String;
        opt username: String = "username" as FieldType::String;
        opt btc_wallet: String = "btcWallet" as FieldType::String;
        opt kda_wallet: String = "kdaWallet" as FieldType::String;
        opt ltc_wallet: String = "ltcWallet" as FieldType::String;
        opt ckb_wallet: String = "ckbWallet" as FieldType::String;
        opt kas_wallet: String = "kasWallet" as FieldType::String;
        opt doge_wallet: String = "dogeWallet" as FieldType::String;
        opt email_notification: bool = "emailNotification" as FieldType::Bool;
        opt discord_notification: bool = "discordNotification" as FieldType::Bool;
        opt newsletter_notification: bool = "newsletterNotification" as FieldType::Bool;
        /// ISO 8601 timestamp.
        opt email_verified_at: String = "emailVerifiedAt" as FieldType::String;
        opt email: String = "email" as FieldType::String;
        opt wallets: Vec<CreateWalletRequest> = "wallets" as FieldType::Models(CREATE_WALLET_REQUEST_FIELDS);
        opt oauth_accounts: Vec<CreateUserOauthRequest> = "oauthAccounts" as FieldType::Models(CREATE_USER_OAUTH_REQUEST_FIELDS);
    }
}

model! {
    /// A wallet to attach to a new user (`CreateWalletRequest`).
    pub struct CreateWalletRequest => CREATE_WALLET_REQUEST_FIELDS {
        req public_wallet_address: String = "publicWalletAddress" as FieldType::String;
        req chain: String = "chain" as FieldType::String, ts "ChainEnum";
        req wallet_name: String = "walletName" as FieldType::String;
        req wallet_provider: String = "walletProvider" as FieldType::String, ts "WalletProviderEnum";
        opt additional_wallet_addresses: Vec<WalletAdditionalAddress> = "additionalWalletAddresses" as FieldType::Models(WALLET_ADDITIONAL_ADDRESS_FIELDS);
    }
}

model! {
    /// An OAuth account to attach to a new user (`CreateUserOauthRequest`).
    pub struct CreateUserOauthRequest => CREATE_USER_OAUTH_REQUEST_FIELDS {
        req provider: String = "provider" as FieldType::String, ts "ProviderEnum";
        req account_id: String = "accountId" as FieldType::String;
        opt emails: Vec<String> = "emails" as FieldType::Strings;
        opt display_name: String = "displayName" as FieldType::String;
        opt username: String = "username" as FieldType::String;
        opt photos: Vec<String> = "photos" as FieldType::Strings;
        opt profile: Value = "profile" as FieldType::Any, ts "Record<string, unknown>";
    }
}

model! {
    /// Answer of `users/bulk`: the users created, updated, and those that failed with why.
    pub struct BulkUserCreateResponse {
        opt created: Vec<User> = "created";
        opt updated: Vec<User> = "updated";
        opt failed: Vec<BulkUserCreateResponseFailed> = "failed";
        opt total: f64 = "total";
    }
}

model! {
    /// A user `users/bulk` could not create, with the error and its code.
    pub struct BulkUserCreateResponseFailed {
        opt user: User = "user";
        opt error: String = "error";
        opt code: String = "code", ts "UnprocessableEntityErrorCode";
    }
}

model! {
    /// A user as the admin API returns it (`User`).
    pub struct User {
        req id: String = "id";
        req project_environment_id: String = "projectEnvironmentId";
        opt verified_credentials: Vec<JwtVerifiedCredential> = "verifiedCredentials";
        /// The profile members an SDK user and an admin user share.
        flat profile: UserProfile;
        opt scope: String = "scope";
        opt missing_fields: Vec<ProjectSettingsKyc> = "missingFields";
        opt wallet_public_key: String = "walletPublicKey";
        opt wallet: String = "wallet";
        opt chain: String = "chain", ts "ChainEnum";
        opt created_at: String = "createdAt";
        opt updated_at: String = "updatedAt";
        opt sessions: Vec<Session> = "sessions";
        opt wallets: Vec<Wallet> = "wallets";
        opt chainalysis_checks: Vec<ChainalysisCheck> = "chainalysisChecks";
        opt oauth_accounts: Vec<OAuthAccount> = "oauthAccounts";
        opt mfa_devices: Vec<MFADevice> = "mfaDevices";
    }
}

model! {
    /// A session of a user (`Session`).
    pub struct Session {
        opt id: String = "id";
        opt created_at: String = "createdAt";
        opt ip_address: String = "ipAddress";
        opt user_agent: String = "userAgent";
        opt revoked_at: String = "revokedAt";
    }
}

model! {
    /// A wallet of a user (`Wallet`).
    pub struct Wallet {
        req id: String = "id";
        req name: String = "name";
        req chain: String = "chain", ts "ChainEnum";
        req public_key: String = "publicKey";
        req provider: String = "provider", ts "WalletProviderEnum";
        opt properties: Value = "properties", ts "Record<string, unknown>";
        opt last_selected_at: String = "lastSelectedAt";
    }
}

model! {
    /// A sanctions screening of a wallet (`ChainalysisCheck`).
    pub struct ChainalysisCheck {
        req id: String = "id";
        req created_at: String = "createdAt";
        req result: String = "result", ts "ChainalysisCheckResultEnum";
        req wallet_public_key: String = "walletPublicKey";
        req response: String = "response";
    }
}

model! {
    /// An OAuth account of a user (`OAuthAccount`).
    pub struct OAuthAccount {
        opt id: String = "id";
        opt provider: String = "provider", ts "ProviderEnum";
        opt account_username: String = "accountUsername";
    }
}

model! {
    /// An MFA device of a user (`MFADevice`).
    pub struct MFADevice {
        opt type_: String = "type", ts "MFADeviceType";
        opt verified: bool = "verified";
        opt id: String = "id";
        opt created_at: String = "createdAt";
        opt verified_at: String = "verifiedAt";
        opt default: bool = "default";
        opt alias: String = "alias";
    }
}

// ---- Snag Solutions API (`@snagsolutions/sdk`): `POST /api/users/connect` ----

model! {
    /// Connects a wallet to a Snag user (`UserConnectParams`).
    pub struct SnagConnectParams => SNAG_CONNECT_PARAMS_FIELDS {
        req organization_id: String = "organizationId" as FieldType::String;
        req wallet_address: String = "walletAddress" as FieldType::String;
        req wallet_type: String = "walletType" as FieldType::String, ts "SnagWalletType";
        req website_id: String = "websiteId" as FieldType::String;
        opt confirm_disconnect: bool = "confirmDisconnect" as FieldType::Bool;
        /// The Snag user to connect this wallet to.
        opt user_id: String = "userId" as FieldType::String;
        /// Proof of ownership of `walletAddress`.
        opt verification_data: SnagVerificationData = "verificationData" as FieldType::Model(SNAG_VERIFICATION_DATA_FIELDS);
    }
}

model! {
    /// Proof that the user owns the wallet (`UserConnectParams.VerificationData`).
    pub struct SnagVerificationData => SNAG_VERIFICATION_DATA_FIELDS {
        opt access_token: String = "accessToken" as FieldType::String;
        opt dynamic_auth_token: String = "dynamicAuthToken" as FieldType::String;
        opt message: String = "message" as FieldType::String;
        opt signature: String = "signature" as FieldType::String;
        opt ton_verification: SnagTonVerification = "tonVerification" as FieldType::Model(SNAG_TON_VERIFICATION_FIELDS);
    }
}

model! {
    /// A TON Connect proof (`VerificationData.TonVerification`).
    pub struct SnagTonVerification => SNAG_TON_VERIFICATION_FIELDS {
        req account: SnagTonAccount = "account" as FieldType::Model(SNAG_TON_ACCOUNT_FIELDS);
        req proof: SnagTonProof = "proof" as FieldType::Model(SNAG_TON_PROOF_FIELDS);
    }
}

model! {
    /// The TON account of a TON Connect proof.
    pub struct SnagTonAccount => SNAG_TON_ACCOUNT_FIELDS {
        req address: String = "address" as FieldType::String;
        req chain: String = "chain" as FieldType::String, ts "SnagTonNetwork";
        req public_key: String = "publicKey" as FieldType::String;
        opt wallet_state_init: String = "walletStateInit" as FieldType::String;
    }
}

model! {
    /// The signed TON Connect `ton_proof` (`state_init` is snake_case on the wire).
    pub struct SnagTonProof => SNAG_TON_PROOF_FIELDS {
        req domain: SnagTonProofDomain = "domain" as FieldType::Model(SNAG_TON_PROOF_DOMAIN_FIELDS);
        req payload: String = "payload" as FieldType::String;
        req signature: String = "signature" as FieldType::String;
        req timestamp: f64 = "timestamp" as FieldType::Number;
        opt state_init: String = "state_init" as FieldType::String;
    }
}

model! {
    /// The domain of a TON Connect proof.
    pub struct SnagTonProofDomain => SNAG_TON_PROOF_DOMAIN_FIELDS {
        req length_bytes: f64 = "lengthBytes" as FieldType::Number;
        req value: String = "value" as FieldType::String;
    }
}

model! {
    /// Answer of Snag's `users/connect` (`UserConnectResponse`).
    pub struct SnagConnectResponse {
        req id: String = "id";
        req created_at: String = "createdAt";
        req updated_at: String = "updatedAt";
        req wallet_address: String = "walletAddress";
    }
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
