//! Client of the Snag Solutions API (`POST /api/users/connect`).
//!
//! Snag authenticates with a server-side `X-API-KEY`, so this client belongs on a server. A page
//! talks to the dapp's backend instead ([`super::LinkServerClient`] and [`crate::server`]), which
//! checks the caller and the proof before calling Snag with the key.

use super::client::{
    Call, ClientOptions, SecretPlacement, decode_reply, encode_body, execute, validate_credential,
};
use super::json::{JsonCodec, ModelCodec};
use super::transport::{Method, Transport};
use super::types::{SNAG_CONNECT_RESPONSE_REQUIRED, SnagConnectParams, SnagConnectResponse};
use crate::error::{Error, ErrorCode, Result};

/// Snag's API root.
pub const DEFAULT_SNAG_BASE_URL: &str = "https://admin.snagsolutions.io";

pub struct SnagClient<T, C> {
    api_key: Option<String>,
    options: ClientOptions,
    transport: T,
    codec: C,
}

impl<T: Transport, C: JsonCodec> SnagClient<T, C> {
    /// With an `api_key`, refuses to be built in a browser unless the caller allowed it
    /// (`placement`). Without one, `options.base_url` must be a backend route that adds the key
    /// (not Snag's own API, which would refuse every call).
    pub fn new(
        api_key: Option<&str>,
        placement: SecretPlacement,
        options: ClientOptions,
        transport: T,
        codec: C,
    ) -> Result<Self> {
        if api_key.is_none() && options.base_url == DEFAULT_SNAG_BASE_URL {
            // Snag refuses every keyless call: without a key the client must go through a backend.
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "SnagClient needs an apiKey (on a server); in a browser, use LinkServerClient \
                 with your backend's createLinkServer, or the baseUrl of your own backend route",
            )
            .with_field("apiKey"));
        }
        let api_key = match api_key {
            Some(key) => {
                placement.check("apiKey", "SnagClient")?;
                Some(validate_credential(key, "apiKey")?)
            }
            None => None,
        };
        Ok(SnagClient {
            api_key,
            options,
            transport,
            codec,
        })
    }

    /// `POST /api/users/connect` with `body`, the JSON text of a [`SnagConnectParams`]; gives the
    /// parsed [`SnagConnectResponse`].
    pub async fn connect_wallet_json(&self, body: String) -> Result<C::Raw> {
        let call = self.prepare_connect_wallet(body);
        Ok(execute(&self.transport, &self.codec, &call).await?.value)
    }

    /// Builds the call of [`SnagClient::connect_wallet_json`] without sending it.
    pub fn prepare_connect_wallet(&self, body: String) -> Call {
        Call::new(
            ("Snag", "connectWallet"),
            &self.options,
            Method::Post,
            format!("{}/api/users/connect", self.options.base_url),
            self.api_key.clone().map(|key| ("X-API-KEY", key)),
            Some(body),
            SNAG_CONNECT_RESPONSE_REQUIRED,
        )
    }

    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }
}

impl<T: Transport, C: ModelCodec> SnagClient<T, C> {
    /// `POST /api/users/connect`: connects a wallet to a Snag user.
    pub async fn connect_wallet(&self, params: &SnagConnectParams) -> Result<SnagConnectResponse> {
        let body = encode_body(&self.codec, params, "connectWallet")?;
        let call = self.prepare_connect_wallet(body);
        let reply = execute(&self.transport, &self.codec, &call).await?;
        decode_reply(&self.codec, &call, reply)
    }
}
