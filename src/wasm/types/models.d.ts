/** Chains Dynamic knows (`ChainEnum`). Open: a value the service adds later is kept. */
export type ChainEnum = "ETH" | "EVM" | "FLOW" | "SOL" | "ALGO" | "STARK" | "COSMOS" | "BTC" |
  "ECLIPSE" | "SUI" | "SPARK" | "TRON" | "APTOS" | "TON" | "STELLAR" | "ALEO" | "TEMPO" | "MIDNIGHT"
  | (string & {});
/** How a wallet is reached (`WalletProviderEnum`). Open: a value the service adds later is kept. */
export type WalletProviderEnum = "browserExtension" | "custodialService" | "walletConnect" |
  "qrCode" | "deepLink" | "embeddedWallet" | "smartContractWallet" | (string & {});
/** Kinds of additional wallet address (`WalletAddressType`). Open: a value the service adds later is kept. */
export type WalletAddressType = "ordinals" | "payment" | "cosmos" | "evm" | "stellar" | "ton" |
  "midnight_unshielded" | "midnight_dust" | "midnight_shielded" | (string & {});
/** Who chose an embedded wallet password (`PasswordSourceTypeEnum`). Open: a value the service adds later is kept. */
export type PasswordSourceTypeEnum = "dynamic" | "user" | (string & {});
/** Scopes a JWT may be requested with (`TokenScope`). Open: a value the service adds later is kept. */
export type TokenScope = "business_account:governance:update" | "business_account:link_wallet" |
  "business_account:member:add" | "business_account:member:remove" |
  "business_account:member:role:update" | "business_account:proposal:approve" |
  "business_account:proposal:veto" | "business_account:role:define" | "business_account:role:delete"
  | "business_account:signer:add" | "business_account:signer:remove" |
  "business_account:transfer_ownership" | "business_account:wallet:create" |
  "business_account:wallet:remove" | "console:admin_action:review" |
  "console:approval_workflow:update" | "console:member:invite" | "console:mfa:reset" |
  "console:project:delete" | "console:settings:update" | "console:sso:update" |
  "console:user:delete" | "credential:link" | "credential:update" | "credential:unlink" |
  "user:update" | "user:delete" | "wallet:export" | "wallet:delete" | "wallet:refresh" |
  "wallet:reshare" | "wallet:delegate" | "wallet:sign" | "wallet:restore" | (string & {});
/** Sign-in and service providers (`ProviderEnum`). Open: a value the service adds later is kept. */
export type ProviderEnum = "emailOnly" | "magicLink" | "apple" | "bitbucket" | "coinbasesocial" |
  "discord" | "epicgames" | "facebook" | "farcaster" | "github" | "gitlab" | "google" | "instagram"
  | "linkedin" | "microsoft" | "twitch" | "twitter" | "blocto" | "banxa" | "coinbaseOnramp" |
  "cryptoDotCom" | "moonPay" | "dynamic" | "alchemy" | "zerodev" | "telegram" | "turnkey" |
  "coinbaseWaas" | "sms" | "spotify" | "tiktok" | "line" | "steam" | "shopify" | "zksync" | "kraken"
  | "blockaid" | "passkey" | "okta" | "sendgrid" | "resend" | "trmWalletScreening" |
  "chainalysisAddressScreening" | "gemini" | (string & {});
/** Kinds of verified credential (`JwtVerifiedCredentialFormatEnum`). Open: a value the service adds later is kept. */
export type JwtVerifiedCredentialFormatEnum = "blockchain" | "email" | "oauth" | "passkey" |
  "phoneNumber" | "externalUser" | "totp" | (string & {});
/** State of the MFA backup-code acknowledgement (`MfaBackupCodeAcknowledgement`). Open: a value the service adds later is kept. */
export type MfaBackupCodeAcknowledgement = "pending" | "complete" | (string & {});
/** State of a global wallet connection (`GlobalWalletConnectionStatusEnum`). Open: a value the service adds later is kept. */
export type GlobalWalletConnectionStatusEnum = "connected" | "disconnected" | (string & {});
/** Kinds of user-information field (`KycFieldType`). Open: a value the service adds later is kept. */
export type KycFieldType = "standard" | "custom" | (string & {});
/** Input types of a custom field (`CustomFieldType`). Open: a value the service adds later is kept. */
export type CustomFieldType = "text" | "checkbox" | "select" | (string & {});
/** Result of a Chainalysis screening (`ChainalysisCheckResultEnum`, admin API). Open: a value the service adds later is kept. */
export type ChainalysisCheckResultEnum = "OK" | "BLOCKED" | "FAILED" | (string & {});
/** Kinds of MFA device (`MFADeviceType`, admin API). Open: a value the service adds later is kept. */
export type MFADeviceType = "totp" | "passkey" | "email" | (string & {});
/** Dynamic's 422 error codes (`UnprocessableEntityErrorCode`), seen as `apiCode`. Open: a value the service adds later is kept. */
export type UnprocessableEntityErrorCode = "email_cannot_be_null" | "exchange_cannot_be_enabled" |
  "transfer_amount_too_small" | "transfer_address_not_whitelisted" | "invalid_scopes" |
  "unknown_transfer_error" | "transfer_mfa_required" | "transfer_mfa_failed" |
  "invalid_transfer_funds" | "invalid_transfer_currency" | "invalid_exchange_provider" |
  "invalid_transfer_network" | "invalid_email" | "email_already_exists" | "allowlist_already_exists"
  | "allowlist_entry_already_exists" | "reassign_wallet_error" | "reassign_wallet_confirm" |
  "members_cannot_delete_themself" | "username_already_exists" | "wrong_email_verification_token" |
  "wrong_sms_verification_token" | "invalid_email_verification" | "invalid_sms_verification" |
  "invalid_verification" | "invalid_position" | "too_many_sms_verification_attempts" |
  "too_many_email_verification_attempts" | "too_many_verification_attempts" |
  "organization_name_already_exists" | "project_name_already_exists" | "wallet_not_deployed" |
  "email_verification_required" | "phone_verification_required" | "invite_address_required" |
  "provider_not_available" | "forbidden_unlink_request" | "invalid_unlink_request" |
  "too_many_api_tokens" | "lock_timeout" | "lock_too_many_attempts" |
  "nft_token_gating_not_supported_for_chain" | "empty_chain_name" | "no_enabled_email_provider" |
  "no_enabled_sms_provider" | "invalid_key_export_url" | "invalid_dynamic_props" |
  "too_many_requests" | "too_many_organizations_for_user" | "too_many_projects_for_organization" |
  "email_associated_with_different_provider" | "user_has_already_account_with_email" |
  "user_has_already_account_with_phone_number" | "other_verify_failure" |
  "email_tied_to_embedded_wallet" | "invalid_invite" | "social_account_already_exists" |
  "invalid_email_address" | "invalid_gate" | "conflicting_embedded_wallet_providers" |
  "invalid_user" | "invalid_cors_origins" | "invalid_mobile_deeplink_urls" |
  "unauthorized_mobile_deeplink_url" | "invalid_private_key_format" |
  "invalid_embedded_wallet_settings" | "wallet_not_support_passkey" |
  "recovery_email_unavailable_or_invalid" | "connect_error" | "invalid_wallet_name" |
  "invalid_wallet_address" | "email_recovery_disabled" | "no_compatible_wallet_service_enabled" |
  "missing_aa_project_id" | "linked_embedded_wallet" | "invalid_mpc_environment" | "invalid_regex" |
  "repeated_options" | "missing_phone_number_or_email" | "duplicate_exists" | "mfa_device_not_found"
  | "mfa_invalid_code" | "mfa_invalid_request" | "invalid_phone" | "gate_exists" |
  "invalid_embedded_wallet_chains_configuration" | "merge_accounts_confirmation" |
  "merge_accounts_invalid" | "invalid_wallet_id" | "unable_to_fetch_balances" |
  "cannot_switch_to_unique" | "custom_field_data_not_unique" | "metadata_size_exceeded" |
  "invalid_custom_hostname" | "blocked_user_cannot_transfer_wallet" |
  "feature_not_enabled_in_suborg" | "invalid_username" | "invalid_external_auth" |
  "invalid_chain_address_match" | "invalid_update" | "cannot_delete_last_project" |
  "no_hd_wallet_found" | "wallet_account_exists_for_chain" | "too_many_embedded_wallets_for_user" |
  "too_many_embedded_wallets_per_chain_for_user" | "invalid_session_public_key" |
  "custom_field_not_unique" | "invalid_aa_project_configuration" | "no_v1_embedded_wallet_found" |
  "embedded_wallet_address_already_linked" | "key_share_already_backed_up" |
  "invalid_key_shares_length" | "wallet_not_active" | "wallet_service_connection_error" |
  "no_global_wallet_found" | "invalid_metadata_value" | "max_passkeys_per_user" |
  "passkey_not_found" | "cannot_delete_passkey_linked_to_embedded_wallet" |
  "cannot_delete_last_sign_in_verified_credential" | "credential_not_enabled_for_sign_in" |
  "unsupported_chain" | "share_set_id_required" | "address_screening_byok_auth" |
  "address_screening_byok_quota" | "address_screening_byok_shape" |
  "address_screening_byok_upstream" | "captcha_settings_incomplete_key_pair" |
  "invalid_signed_transaction" | "signed_transaction_wallet_mismatch" | "unsupported_waas_chain" |
  "network_not_enabled" | "broadcast_rejected" | "broadcast_requires_resign" |
  "broadcast_outcome_unknown" | "broadcast_rate_limited" | "broadcast_idempotency_conflict" |
  "broadcast_wallet_ineligible" | "broadcast_not_submitted" |
  "offline_recovery_cloud_backup_conflict" | (string & {});
/** Wallet types Snag connects (`UserConnectParams.walletType`). Open: a value the service adds later is kept. */
export type SnagWalletType = "evm" | "solana" | "imx" | "sui" | "ton" | "cosmos" | "ultra" | "agw" |
  "flow_cadence" | "substrate" | (string & {});
/** TON networks: mainnet `-239`, testnet `-3` (`TonVerification.Account.chain`). Open: a value the service adds later is kept. */
export type SnagTonNetwork = "-239" | "-3" | (string & {});
