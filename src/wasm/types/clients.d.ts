/** Options of `new DynamicClient(...)`. */
export interface DynamicClientOptions {
  /** The Dynamic environment id. */
  environmentId: string;
  /** API root; default `https://app.dynamicauth.com/api/v0`. */
  baseUrl?: string;
  /** The signed-in user's JWT, sent as `Authorization: Bearer` by `verifyLink`, `verifyUnlink`
   * and `createGlobalWalletConnection`. Replaced by each response that carries a new `jwt`. */
  authToken?: string;
  /** `"include"` for Dynamic's cookie authentication (an httpOnly cookie instead of a returned
   * `jwt`); default fetch's `"same-origin"`. */
  credentials?: "include" | "same-origin" | "omit";
  /** Timeout of each attempt in milliseconds (default 30000, at most 600000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  /** Retries after the first attempt (default 2, at most 10). */
  maxRetries?: number;
  /** Aborting it rejects every pending and later call of this client with `ABORTED`. */
  signal?: AbortSignal;
  /** Also retry state-changing calls (verify, link, unlink, connections) after a lost response or
   * a 5xx, which may make the server act twice. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `new DynamicAdminClient(...)`. For servers: the API token administers every user. */
export interface DynamicAdminClientOptions {
  environmentId: string;
  /** A Dynamic API token (`dyn_...`). Refused in a browser unless `dangerouslyAllowBrowser`. */
  apiToken: string;
  /** API root; default `https://app.dynamicauth.com/api/v0`. */
  baseUrl?: string;
  /** Allow the token in a page (only for private tools: every visitor could read it). */
  dangerouslyAllowBrowser?: boolean;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  /** Also retry `bulkCreateUsers` after a lost response or a 5xx. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `bulkCreateUsers`. */
export interface BulkCreateUsersOptions {
  /** Update users that already exist (`?upsert=true`). */
  upsert?: boolean;
}

/** Options of `new SnagClient(...)`: for servers, with the `apiKey`. A page uses
 * `LinkServerClient` with your backend's `createLinkServer` (`wallet-linker/server`) instead,
 * which checks the caller and the proof before it calls Snag with the key. */
export interface SnagClientOptions {
  /** API root; default `https://admin.snagsolutions.io` (which needs `apiKey`). */
  baseUrl?: string;
  /** Snag API key, sent as `X-API-KEY`. Refused in a browser unless `dangerouslyAllowBrowser`. */
  apiKey?: string;
  dangerouslyAllowBrowser?: boolean;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  /** Also retry `connectWallet` after a lost response or a 5xx. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `new LinkServerClient(...)`: your backend running `createLinkServer`. */
export interface LinkServerClientOptions {
  /** The server's `basePath`: a same-origin path such as `/api/link`, or a full URL. */
  baseUrl: string;
  /** The signed-in user's Dynamic JWT (`linkWallet` sets the new one after a link). */
  authToken?: string;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
}

/** What `LinkServerClient.connectWallet` sends (it also takes a `SnagConnectParams`). */
export type LinkServerConnectParams =
  | {
      walletType: "evm" | "imx" | "solana" | "sui";
      walletAddress: string;
      /** The signed message, with a nonce from `getNonce()`. */
      message: string;
      /** 0x-hex (EVM), base58 (Solana) or Sui's serialized signature (base64). */
      signature: string;
    }
  | {
      walletType: "ton";
      walletAddress: string;
      /** The wallet's TON Connect proof (its payload: a nonce from `getNonce()`) and account. */
      tonVerification: SnagTonVerification;
    };

/** `createGlobalWalletConnection`'s argument: `expiresAt` as an ISO 8601 string or a `Date`. */
export interface GlobalWalletConnectionInput {
  expiresAt: string | Date;
}

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

/** A client of Dynamic's SDK API for one environment (nonce, sign-in, link, unlink, global
 * wallet connections). Methods never throw: a bad argument rejects the returned promise. */
export class DynamicClient {
  /**
   * `POST /sdk/{environmentId}/globalWallets/connections`.
   */
  createGlobalWalletConnection(request: GlobalWalletConnectionInput): Promise<GlobalWalletConnection>;
  /**
   * `GET /sdk/{environmentId}/nonce`: a fresh nonce for a sign-in message.
   */
  getNonce(): Promise<string>;
  constructor(options: DynamicClientOptions);
  /**
   * Replaces the JWT (`undefined` or `null` forgets it).
   */
  setAuthToken(token: string | null | undefined): void;
  /**
   * `POST /sdk/{environmentId}/verify/link`: links the signed wallet to the signed-in user;
   * keeps the new JWT. Not retried after a lost response (it would link twice).
   */
  verifyLink(request: VerifyRequest): Promise<VerifyResponse>;
  /**
   * `POST /sdk/{environmentId}/verify/unlink`: removes a wallet from the signed-in user.
   */
  verifyUnlink(request: VerifyUnlinkRequest): Promise<VerifyResponse>;
  /**
   * `POST /sdk/{environmentId}/verify`: signs in with a signed message; keeps the new JWT.
   */
  verify(request: VerifyRequest): Promise<VerifyResponse>;
  /**
   * The JWT sent by authenticated calls: the one given, or the newest a response returned.
   */
  authToken: string | undefined;
  /**
   * The environment id given to the constructor.
   */
  readonly environmentId: string;
}
/** A client of Dynamic's admin API (server-side: it holds an API token). */
export class DynamicAdminClient {
  /**
   * `POST /environments/{environmentId}/users/bulk`: creates (with `upsert`, also updates)
   * many users at once.
   */
  bulkCreateUsers(users: InternalUserFields[], options?: BulkCreateUsersOptions): Promise<BulkUserCreateResponse>;
  /**
   * Throws `BROWSER_SECRET` in a browser unless `dangerouslyAllowBrowser: true`.
   */
  constructor(options: DynamicAdminClientOptions);
}
/** A client of the Snag Solutions API. */
export class SnagClient {
  /**
   * `POST /api/users/connect`: connects a wallet to a Snag user. Not retried after a lost
   * response.
   */
  connectWallet(params: SnagConnectParams): Promise<SnagConnectResponse>;
  /**
   * With an `apiKey`, throws `BROWSER_SECRET` in a browser unless `dangerouslyAllowBrowser`.
   * Without one, `baseUrl` must name a backend route of yours that adds the key after its own
   * checks (in a page, prefer `LinkServerClient`).
   */
  constructor(options: SnagClientOptions);
}
/** A client of your backend's `createLinkServer` routes (`wallet-linker/server`): the page takes
 * its nonce there and posts the signed proof with the user's Dynamic JWT; the backend checks it
 * and calls Snag with its key. Works as `linkWallet`'s `snag.client`. */
export class LinkServerClient {
  /**
   * `POST {baseUrl}/snag/connect` with `walletType`, `walletAddress` and the proof (`message`
   * and `signature`, or for `walletType: "ton"` the `tonVerification`; flat or in
   * `verificationData` as in `SnagConnectParams`). Other members are not sent: the server takes
   * the Snag ids from its own configuration.
   */
  connectWallet(params: LinkServerConnectParams | SnagConnectParams): Promise<SnagConnectResponse>;
  /**
   * `GET {baseUrl}/nonce`: a nonce issued by your server.
   */
  getNonce(): Promise<string>;
  /**
   * `baseUrl` is the server's `basePath` (same origin, e.g. `/api/link`, or a full URL).
   */
  constructor(options: LinkServerClientOptions);
  /**
   * The signed-in user's Dynamic JWT (`undefined` forgets it).
   */
  authToken: string | undefined;
}
