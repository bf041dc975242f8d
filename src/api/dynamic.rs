//! Clients of Dynamic's SDK API (`/sdk/{environmentId}/...`, user-facing, JWT auth) and admin API
//! (`/environments/{environmentId}/...`, server-side API token).

use core::cell::RefCell;

use super::client::{
    Call, ClientOptions, check_secret_placement, encode_body, encode_path_segment, execute,
    validate_credential,
};
use super::json::JsonCodec;
use super::retry::Idempotency;
use super::transport::{Credentials, Method, Transport};
use super::types::{
    BulkUserCreateResponse, GlobalWalletConnection, GlobalWalletConnectionCreateRequest,
    InternalUserFields, NonceResponse, VerifyRequest, VerifyResponse, VerifyUnlinkRequest,
};
use crate::error::{Error, ErrorCode, Result};

/// Dynamic's API root; both the SDK and the admin API live under it.
pub const DEFAULT_DYNAMIC_BASE_URL: &str = "https://app.dynamicauth.com/api/v0";

const SERVICE: &str = "Dynamic";
const ADMIN_SERVICE: &str = "Dynamic admin";

/// A client of the SDK API for one environment.
///
/// Authentication is a user JWT sent as `Authorization: Bearer`, or Dynamic's httpOnly cookie
/// (`Credentials::Include`). Every response that carries a new `jwt` replaces the token used for
/// later calls.
pub struct DynamicClient<T, C> {
    environment_id: String,
    /// `environment_id` percent-encoded for the path.
    environment: String,
    options: ClientOptions,
    auth_token: RefCell<Option<String>>,
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
        let auth_token = auth_token
            .map(|t| validate_credential(t, "authToken"))
            .transpose()?;
        Ok(DynamicClient {
            environment: encode_path_segment(&environment_id),
            environment_id,
            options,
            auth_token: RefCell::new(auth_token),
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
        self.auth_token.borrow().clone()
    }

    /// Replaces (or, with `None`, forgets) the JWT.
    pub fn set_auth_token(&self, token: Option<&str>) -> Result<()> {
        let token = token
            .map(|t| validate_credential(t, "authToken"))
            .transpose()?;
        *self.auth_token.borrow_mut() = token;
        Ok(())
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// `GET /sdk/{environmentId}/nonce`: a fresh single-use nonce for a sign-in message.
    pub async fn get_nonce(&self) -> Result<String> {
        let call = self.call("getNonce", Method::Get, "nonce", None, Auth::None)?;
        let response: NonceResponse =
            execute(&self.transport, &self.codec, &self.options, call).await?;
        match response.nonce {
            Some(nonce) if !nonce.is_empty() => Ok(nonce),
            _ => Err(Error::new(
                ErrorCode::InvalidResponse,
                "Dynamic getNonce: the response has no nonce",
            )
            .with_field("nonce")),
        }
    }

    /// `POST /sdk/{environmentId}/verify`: signs in with a wallet signature.
    pub async fn verify(&self, request: &VerifyRequest) -> Result<VerifyResponse> {
        self.verify_call("verify", "verify", request, Auth::None)
            .await
    }

    /// `POST /sdk/{environmentId}/verify/link`: links a wallet to the signed-in user.
    pub async fn verify_link(&self, request: &VerifyRequest) -> Result<VerifyResponse> {
        self.verify_call("verifyLink", "verify/link", request, Auth::User)
            .await
    }

    /// `POST /sdk/{environmentId}/verify/unlink`: removes a wallet from the signed-in user.
    pub async fn verify_unlink(&self, request: &VerifyUnlinkRequest) -> Result<VerifyResponse> {
        self.verify_call("verifyUnlink", "verify/unlink", request, Auth::User)
            .await
    }

    /// `POST /sdk/{environmentId}/globalWallets/connections`.
    pub async fn create_global_wallet_connection(
        &self,
        request: &GlobalWalletConnectionCreateRequest,
    ) -> Result<GlobalWalletConnection> {
        let operation = "createGlobalWalletConnection";
        if request.expires_at.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "expiresAt must be an ISO 8601 timestamp",
            )
            .with_field("expiresAt"));
        }
        let body = encode_body(&self.codec, request, operation)?;
        let call = self.call(
            operation,
            Method::Post,
            "globalWallets/connections",
            Some(body),
            Auth::User,
        )?;
        execute(&self.transport, &self.codec, &self.options, call).await
    }

    async fn verify_call<B: serde::Serialize>(
        &self,
        operation: &str,
        path: &str,
        request: &B,
        auth: Auth,
    ) -> Result<VerifyResponse> {
        let body = encode_body(&self.codec, request, operation)?;
        let call = self.call(operation, Method::Post, path, Some(body), auth)?;
        let response: VerifyResponse =
            execute(&self.transport, &self.codec, &self.options, call).await?;
        if let Some(jwt) = response.jwt.as_deref().filter(|jwt| !jwt.is_empty()) {
            *self.auth_token.borrow_mut() = Some(jwt.to_owned());
        }
        Ok(response)
    }

    fn call<'a>(
        &self,
        operation: &'a str,
        method: Method,
        path: &str,
        body: Option<String>,
        auth: Auth,
    ) -> Result<Call<'a>> {
        let mut headers = Vec::new();
        let token = self.auth_token.borrow().clone();
        match (auth, token) {
            (Auth::None, _) => {}
            (Auth::User, Some(token)) => {
                headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
            }
            (Auth::User, None) if self.options.credentials == Credentials::Include => {}
            (Auth::User, None) => {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!(
                        "Dynamic {operation} needs the signed-in user's authToken \
                         (or credentials: 'include' for cookie authentication)"
                    ),
                )
                .with_field("authToken"));
            }
        }
        Ok(Call {
            service: SERVICE,
            operation,
            method,
            url: format!("{}/sdk/{}/{path}", self.options.base_url, self.environment),
            headers,
            body,
            idempotency: match method {
                Method::Get => Idempotency::Idempotent,
                Method::Post => Idempotency::StateChanging,
            },
        })
    }
}

#[derive(Clone, Copy)]
enum Auth {
    /// No `Authorization` header (the official client sends none for nonce and verify).
    None,
    /// The user's JWT, unless cookie authentication is on.
    User,
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
    /// Refuses to be built in a browser (`is_browser`) unless `dangerously_allow_browser`: the API
    /// token can administer every user of the environment.
    pub fn new(
        environment_id: &str,
        api_token: &str,
        is_browser: bool,
        dangerously_allow_browser: bool,
        options: ClientOptions,
        transport: T,
        codec: C,
    ) -> Result<Self> {
        check_secret_placement(
            is_browser,
            dangerously_allow_browser,
            "apiToken",
            "DynamicAdminClient",
        )?;
        let environment_id = validate_credential(environment_id, "environmentId")?;
        Ok(DynamicAdminClient {
            environment: encode_path_segment(&environment_id),
            api_token: validate_credential(api_token, "apiToken")?,
            options,
            transport,
            codec,
        })
    }

    /// `POST /environments/{environmentId}/users/bulk[?upsert=true|false]`: creates many users
    /// (and with `upsert`, updates existing ones). The body is a bare JSON array.
    pub async fn bulk_create_users(
        &self,
        users: &[InternalUserFields],
        upsert: Option<bool>,
    ) -> Result<BulkUserCreateResponse> {
        let operation = "bulkCreateUsers";
        let body = encode_body(&self.codec, users, operation)?;
        let query = match upsert {
            Some(true) => "?upsert=true",
            Some(false) => "?upsert=false",
            None => "",
        };
        let call = Call {
            service: ADMIN_SERVICE,
            operation,
            method: Method::Post,
            url: format!(
                "{}/environments/{}/users/bulk{query}",
                self.options.base_url, self.environment
            ),
            headers: vec![(
                "Authorization".to_owned(),
                format!("Bearer {}", self.api_token),
            )],
            body: Some(body),
            idempotency: Idempotency::StateChanging,
        };
        execute(&self.transport, &self.codec, &self.options, call).await
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }
}
