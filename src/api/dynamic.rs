//! Clients of Dynamic's SDK API (`/sdk/{environmentId}/...`, user-facing, JWT auth) and admin API
//! (`/environments/{environmentId}/...`, server-side API token).

use super::client::{
    AuthToken, Call, ClientOptions, SecretPlacement, decode_reply, encode_body,
    encode_path_segment, execute, validate_credential,
};
use super::json::{JsonCodec, ModelCodec};
use super::transport::{Credentials, Method, Transport};
use super::types::{
    BULK_USER_CREATE_RESPONSE_REQUIRED, BulkUserCreateResponse, GLOBAL_WALLET_CONNECTION_REQUIRED,
    GlobalWalletConnection, GlobalWalletConnectionCreateRequest, InternalUserFields,
    NONCE_RESPONSE_REQUIRED, Required, VERIFY_RESPONSE_REQUIRED, VerifyRequest, VerifyResponse,
    VerifyUnlinkRequest,
};
use crate::error::{Error, ErrorCode, Result};

/// Dynamic's API root; both the SDK and the admin API live under it.
pub const DEFAULT_DYNAMIC_BASE_URL: &str = "https://app.dynamicauth.com/api/v0";

const SERVICE: &str = "Dynamic";
const ADMIN_SERVICE: &str = "Dynamic admin";

/// The calls of the SDK API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynamicOperation {
    /// `GET /sdk/{environmentId}/nonce`: a fresh single-use nonce for a sign-in message.
    GetNonce,
    /// `POST /sdk/{environmentId}/verify` ([`VerifyRequest`] → [`VerifyResponse`]): signs in.
    Verify,
    /// `POST /sdk/{environmentId}/verify/link` ([`VerifyRequest`] → [`VerifyResponse`]): links a
    /// wallet to the signed-in user.
    VerifyLink,
    /// `POST /sdk/{environmentId}/verify/unlink` ([`VerifyUnlinkRequest`] → [`VerifyResponse`]).
    VerifyUnlink,
    /// `POST /sdk/{environmentId}/globalWallets/connections`
    /// ([`GlobalWalletConnectionCreateRequest`] → [`GlobalWalletConnection`]).
    CreateGlobalWalletConnection,
}

impl DynamicOperation {
    /// The JS method name, the path under `/sdk/{environmentId}/`, whether it acts for the
    /// signed-in user, and what its response must hold.
    const fn route(self) -> (&'static str, &'static str, bool, &'static [Required]) {
        match self {
            Self::GetNonce => ("getNonce", "nonce", false, NONCE_RESPONSE_REQUIRED),
            Self::Verify => ("verify", "verify", false, VERIFY_RESPONSE_REQUIRED),
            Self::VerifyLink => ("verifyLink", "verify/link", true, VERIFY_RESPONSE_REQUIRED),
            Self::VerifyUnlink => (
                "verifyUnlink",
                "verify/unlink",
                true,
                VERIFY_RESPONSE_REQUIRED,
            ),
            Self::CreateGlobalWalletConnection => (
                "createGlobalWalletConnection",
                "globalWallets/connections",
                true,
                GLOBAL_WALLET_CONNECTION_REQUIRED,
            ),
        }
    }

    /// The JS method name (`"verifyLink"`).
    pub const fn name(self) -> &'static str {
        self.route().0
    }

    /// The operation a JS method name stands for.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::GetNonce,
            Self::Verify,
            Self::VerifyLink,
            Self::VerifyUnlink,
            Self::CreateGlobalWalletConnection,
        ]
        .into_iter()
        .find(|operation| operation.name() == name)
    }
}

/// A client of the SDK API for one environment.
///
/// Authentication is a user JWT sent as `Authorization: Bearer`, or Dynamic's httpOnly cookie
/// (`Credentials::Include`). Every response that carries a new `jwt` replaces the token used for
/// later calls.
///
/// The `*_json` calls take the request body as JSON text and give the response as the codec
/// parsed it (checked for the members the models require); with a [`ModelCodec`], the typed
/// calls (`verify_link(&VerifyRequest) -> VerifyResponse`, ...) do the conversions.
pub struct DynamicClient<T, C> {
    environment_id: String,
    /// `environment_id` percent-encoded for the path.
    environment: String,
    options: ClientOptions,
    auth_token: AuthToken,
    transport: T,
    codec: C,
}

impl<T: Transport, C: JsonCodec> DynamicClient<T, C> {
    /// `auth_token` is the user's current JWT, if any (required by the calls that act for a
    /// signed-in user unless `options.credentials` is `Include`).
    pub fn new(
        environment_id: &str,
        auth_token: Option<&str>,
        options: ClientOptions,
        transport: T,
        codec: C,
    ) -> Result<Self> {
        let environment_id = validate_credential(environment_id, "environmentId")?;
        let auth_token = AuthToken::new(auth_token)?;
        Ok(DynamicClient {
            environment: encode_path_segment(&environment_id),
            environment_id,
            options,
            auth_token,
            transport,
            codec,
        })
    }

    /// The environment this client talks to.
    pub fn environment_id(&self) -> &str {
        &self.environment_id
    }

    /// The JWT used for authenticated calls: the one given, or the newest a response returned.
    pub fn auth_token(&self) -> Option<String> {
        self.auth_token.get()
    }

    /// Replaces (or, with `None`, forgets) the JWT.
    pub fn set_auth_token(&self, token: Option<&str>) -> Result<()> {
        self.auth_token.set(token)
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// `GET /sdk/{environmentId}/nonce`: a fresh single-use nonce for a sign-in message.
    pub async fn get_nonce(&self) -> Result<String> {
        let call = self.prepare(DynamicOperation::GetNonce, None)?;
        let reply = execute(&self.transport, &self.codec, &call).await?;
        // The call checked that the nonce is a non-empty string.
        Ok(self
            .codec
            .member(&reply.value, "nonce")
            .and_then(|nonce| self.codec.as_string(&nonce))
            .unwrap_or_default())
    }

    /// Sends `operation` with `body` (JSON text of its request model; `None` for `GetNonce`) and
    /// gives the parsed response, keeping a returned `jwt`.
    pub async fn send_json(
        &self,
        operation: DynamicOperation,
        body: Option<String>,
    ) -> Result<C::Raw> {
        let call = self.prepare(operation, body)?;
        let reply = execute(&self.transport, &self.codec, &call).await?;
        self.keep_jwt(&reply.value);
        Ok(reply.value)
    }

    /// Builds the call of `operation` (see [`DynamicClient::send_json`]) without sending it.
    /// Fails with `INVALID_ARGUMENT` when the call acts for the signed-in user and there is
    /// neither a JWT nor cookie authentication.
    pub fn prepare(&self, operation: DynamicOperation, body: Option<String>) -> Result<Call> {
        let (name, path, for_user, required) = operation.route();
        let token = self.auth_token.get();
        let authorization = match token {
            Some(token) if for_user => Some(("Authorization", format!("Bearer {token}"))),
            None if for_user && self.options.credentials != Credentials::Include => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!(
                        "Dynamic {name} needs the signed-in user's authToken \
                         (or credentials: 'include' for cookie authentication)"
                    ),
                )
                .with_field("authToken"));
            }
            // The official client sends no Authorization header for nonce and verify.
            _ => None,
        };
        let method = match operation {
            DynamicOperation::GetNonce => Method::Get,
            _ => Method::Post,
        };
        Ok(Call::new(
            (SERVICE, name),
            &self.options,
            method,
            format!("{}/sdk/{}/{path}", self.options.base_url, self.environment),
            authorization,
            body,
            required,
        ))
    }

    /// Keeps the `jwt` of a response (a non-empty string) for later calls.
    pub fn keep_jwt(&self, response: &C::Raw) {
        if let Some(jwt) = self.jwt_of(response) {
            self.auth_token.keep(jwt);
        }
    }

    fn jwt_of(&self, response: &C::Raw) -> Option<String> {
        self.codec
            .member(response, "jwt")
            .and_then(|jwt| self.codec.as_string(&jwt))
            .filter(|jwt| !jwt.is_empty())
    }
}

impl<T: Transport, C: ModelCodec> DynamicClient<T, C> {
    /// `POST /sdk/{environmentId}/verify`: signs in with a wallet signature.
    pub async fn verify(&self, request: &VerifyRequest) -> Result<VerifyResponse> {
        self.typed(DynamicOperation::Verify, request).await
    }

    /// `POST /sdk/{environmentId}/verify/link`: links a wallet to the signed-in user.
    pub async fn verify_link(&self, request: &VerifyRequest) -> Result<VerifyResponse> {
        self.typed(DynamicOperation::VerifyLink, request).await
    }

    /// `POST /sdk/{environmentId}/verify/unlink`: removes a wallet from the signed-in user.
    pub async fn verify_unlink(&self, request: &VerifyUnlinkRequest) -> Result<VerifyResponse> {
        self.typed(DynamicOperation::VerifyUnlink, request).await
    }

    /// `POST /sdk/{environmentId}/globalWallets/connections`.
    pub async fn create_global_wallet_connection(
        &self,
        request: &GlobalWalletConnectionCreateRequest,
    ) -> Result<GlobalWalletConnection> {
        if request.expires_at.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "expiresAt must be an ISO 8601 timestamp",
            )
            .with_field("expiresAt"));
        }
        self.typed(DynamicOperation::CreateGlobalWalletConnection, request)
            .await
    }

    async fn typed<B: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        operation: DynamicOperation,
        request: &B,
    ) -> Result<R> {
        let body = encode_body(&self.codec, request, operation.name())?;
        let call = self.prepare(operation, Some(body))?;
        let reply = execute(&self.transport, &self.codec, &call).await?;
        // Only the token of a response that is valid as a whole is kept.
        let jwt = self.jwt_of(&reply.value);
        let response = decode_reply(&self.codec, &call, reply)?;
        if let Some(jwt) = jwt {
            self.auth_token.keep(jwt);
        }
        Ok(response)
    }
}

/// A client of the admin API for one environment, authenticated with a server-side API token.
pub struct DynamicAdminClient<T, C> {
    environment: String,
    api_token: String,
    options: ClientOptions,
    transport: T,
    codec: C,
}

impl<T: Transport, C: JsonCodec> DynamicAdminClient<T, C> {
    /// Refuses to be built in a browser unless the caller allowed it (`placement`): the API token
    /// can administer every user of the environment.
    pub fn new(
        environment_id: &str,
        api_token: &str,
        placement: SecretPlacement,
        options: ClientOptions,
        transport: T,
        codec: C,
    ) -> Result<Self> {
        placement.check("apiToken", "DynamicAdminClient")?;
        let environment_id = validate_credential(environment_id, "environmentId")?;
        Ok(DynamicAdminClient {
            environment: encode_path_segment(&environment_id),
            api_token: validate_credential(api_token, "apiToken")?,
            options,
            transport,
            codec,
        })
    }

    /// `POST /environments/{environmentId}/users/bulk[?upsert=true|false]` with `body`, the JSON
    /// text of an array of [`InternalUserFields`]; gives the parsed [`BulkUserCreateResponse`].
    pub async fn bulk_create_users_json(
        &self,
        body: String,
        upsert: Option<bool>,
    ) -> Result<C::Raw> {
        let call = self.prepare_bulk_create_users(body, upsert);
        Ok(execute(&self.transport, &self.codec, &call).await?.value)
    }

    /// Builds the call of [`DynamicAdminClient::bulk_create_users_json`] without sending it.
    pub fn prepare_bulk_create_users(&self, body: String, upsert: Option<bool>) -> Call {
        let query = match upsert {
            Some(true) => "?upsert=true",
            Some(false) => "?upsert=false",
            None => "",
        };
        Call::new(
            (ADMIN_SERVICE, "bulkCreateUsers"),
            &self.options,
            Method::Post,
            format!(
                "{}/environments/{}/users/bulk{query}",
                self.options.base_url, self.environment
            ),
            Some(("Authorization", format!("Bearer {}", self.api_token))),
            Some(body),
            BULK_USER_CREATE_RESPONSE_REQUIRED,
        )
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T: Transport, C: ModelCodec> DynamicAdminClient<T, C> {
    /// `POST /environments/{environmentId}/users/bulk[?upsert=true|false]`: creates many users
    /// (and with `upsert`, updates existing ones). The body is a bare JSON array.
    pub async fn bulk_create_users(
        &self,
        users: &[InternalUserFields],
        upsert: Option<bool>,
    ) -> Result<BulkUserCreateResponse> {
        let body = encode_body(&self.codec, users, "bulkCreateUsers")?;
        let call = self.prepare_bulk_create_users(body, upsert);
        let reply = execute(&self.transport, &self.codec, &call).await?;
        decode_reply(&self.codec, &call, reply)
    }
}
