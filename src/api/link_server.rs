//! Client of a dapp backend that runs `createLinkServer` (see [`crate::server`]): the page gets
//! its nonce there and posts the signed proof with the user's Dynamic JWT; the backend checks it
//! and calls Snag with its key.

use super::client::{AuthToken, Call, ClientOptions};
use super::transport::Method;
use super::types::{NONCE_RESPONSE_REQUIRED, SNAG_CONNECT_RESPONSE_REQUIRED};
use crate::error::{Error, ErrorCode, Result};
use crate::server::JsonWriter;

pub struct LinkServerClient<T> {
    options: ClientOptions,
    auth_token: AuthToken,
    transport: T,
}

impl<T> LinkServerClient<T> {
    /// `options.base_url` is the server's base path, e.g. `/api/link` or `https://app.example/api/link`.
    pub fn new(options: ClientOptions, auth_token: Option<&str>, transport: T) -> Result<Self> {
        Ok(LinkServerClient {
            options,
            auth_token: AuthToken::new(auth_token)?,
            transport,
        })
    }

    pub fn auth_token(&self) -> Option<String> {
        self.auth_token.get()
    }

    pub fn set_auth_token(&self, token: Option<&str>) -> Result<()> {
        self.auth_token.set(token)
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// `GET {base}/nonce`: a nonce the server issued (response `{ nonce, expiresAt }`).
    pub fn prepare_get_nonce(&self) -> Call {
        Call::new(
            ("LinkServer", "getNonce"),
            &self.options,
            Method::Get,
            format!("{}/nonce", self.options.base_url),
            None,
            None,
            NONCE_RESPONSE_REQUIRED,
        )
    }

    /// `POST {base}/snag/connect` with the proof and the user's JWT (required).
    pub fn prepare_connect(
        &self,
        wallet_type: &str,
        wallet_address: &str,
        message: &str,
        signature: &str,
    ) -> Result<Call> {
        let mut body = JsonWriter::new();
        body.string("walletType", wallet_type);
        body.string("walletAddress", wallet_address);
        body.string("message", message);
        body.string("signature", signature);
        self.prepare_connect_body(body.finish())
    }

    /// `POST {base}/snag/connect` with a TON wallet's `tonVerification` (the JSON text of its
    /// TON Connect proof and account; the server checks every member).
    pub fn prepare_connect_ton(
        &self,
        wallet_address: &str,
        ton_verification: &str,
    ) -> Result<Call> {
        let mut body = JsonWriter::new();
        body.string("walletType", "ton");
        body.string("walletAddress", wallet_address);
        body.raw("tonVerification", ton_verification);
        self.prepare_connect_body(body.finish())
    }

    fn prepare_connect_body(&self, body: String) -> Result<Call> {
        let token = self.auth_token.get().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "LinkServer connectWallet needs the signed-in user's Dynamic JWT (authToken)",
            )
            .with_field("authToken")
        })?;
        Ok(Call::new(
            ("LinkServer", "connectWallet"),
            &self.options,
            Method::Post,
            format!("{}/snag/connect", self.options.base_url),
            Some(("Authorization", format!("Bearer {token}"))),
            Some(body),
            SNAG_CONNECT_RESPONSE_REQUIRED,
        ))
    }
}
