//! The service clients over the caller's JavaScript values ([`HostValue`]): a constructor's
//! options, each method's arguments checked and reduced to their model's members, and what a
//! response's value becomes. The WebAssembly layer only sends the prepared [`Call`] and hands
//! over the promise.
//!
//! No model is converted to or from Rust: a request argument is copied ([`host::snapshot`]),
//! checked against its model's field table ([`Field`]: required members present, every known
//! member of its JSON type), reduced to the known members (as the official clients' `ToJSON` do)
//! and written by the engine's `JSON.stringify`; a response is the value `JSON.parse` made.

use std::rc::Rc;

use super::types::{
    Field, FieldType, INTERNAL_USER_FIELDS_FIELDS, SNAG_CONNECT_PARAMS_FIELDS,
    SNAG_TON_VERIFICATION_FIELDS, VERIFY_REQUEST_FIELDS, VERIFY_UNLINK_REQUEST_FIELDS,
};
use super::{
    Call, ClientOptions, Credentials, DEFAULT_DYNAMIC_BASE_URL, DEFAULT_SNAG_BASE_URL,
    DynamicAdminClient, DynamicClient, DynamicOperation, JsonCodec, LinkServerClient,
    SecretPlacement, SnagClient, Transport,
};
use crate::error::{Error, ErrorCode, Result};
use crate::host::{self, HostValue, wrong_type};

/// An options object, read member by member.
struct Options<V> {
    object: V,
}

impl<V: HostValue> Options<V> {
    /// `value` as the options of `call` (`new DynamicClient(options)`).
    fn read(value: &V, call: &str) -> Result<Self> {
        if !value.is_record() || value.bytes().is_some() {
            let received = value.type_name();
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("{call}: options must be an object, received {received}"),
            )
            .with_field("options")
            .with_expected("an object")
            .with_received(received));
        }
        Ok(Options {
            object: value.clone(),
        })
    }

    fn get(&self, key: &str) -> V {
        self.object.get(key)
    }

    fn string(&self, key: &str) -> Result<String> {
        self.optional_string(key)?
            .ok_or_else(|| wrong_type(key, "a string", &self.get(key)))
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>> {
        let value = self.get(key);
        if value.is_nullish() {
            return Ok(None);
        }
        match value.checked_text(key)? {
            Some(text) => Ok(Some(text)),
            None => Err(wrong_type(key, "a string", &value)),
        }
    }

    fn optional_number(&self, key: &str) -> Result<Option<f64>> {
        self.optional(key, "a number", V::number)
    }

    fn optional_bool(&self, key: &str) -> Result<Option<bool>> {
        self.optional(key, "a boolean", V::boolean)
    }

    /// Member `key` read by `read` (`None` when absent); `expected` says what it must be.
    fn optional<T>(
        &self,
        key: &str,
        expected: &str,
        read: fn(&V) -> Option<T>,
    ) -> Result<Option<T>> {
        let value = self.get(key);
        if value.is_nullish() {
            return Ok(None);
        }
        read(&value)
            .map(Some)
            .ok_or_else(|| wrong_type(key, expected, &value))
    }

    /// The options every client shares.
    fn client_options(&self, default_base_url: &str) -> Result<ClientOptions> {
        ClientOptions::from_parts(
            default_base_url,
            self.optional_string("baseUrl")?.as_deref(),
            self.optional_number("timeoutMs")?,
            self.optional_number("maxRetries")?,
            self.optional_bool("retryStateChanging")?,
        )?
        .with_deadline(self.optional_number("deadlineMs")?)
    }

    fn allow_browser(&self) -> Result<bool> {
        Ok(self
            .optional_bool("dangerouslyAllowBrowser")?
            .unwrap_or(false))
    }
}

/// The JSON text of a request argument: a copy of `value` with only the members `fields` lists,
/// each checked. `argument` names it in errors (`"request"`).
fn request_json<V: HostValue>(value: &V, argument: &str, fields: &[Field]) -> Result<String> {
    let copy = host::snapshot(&record(value, argument)?, argument)?;
    let picked = pick(&copy, fields, argument, argument)?;
    stringify(&picked, argument)
}

/// `value` when it is an object (not an array or a typed array).
fn record<V: HostValue>(value: &V, argument: &str) -> Result<V> {
    match value.is_record() && value.bytes().is_none() {
        true => Ok(value.clone()),
        false => Err(wrong_type(argument, "an object", value)),
    }
}

fn stringify<V: HostValue>(value: &V, argument: &str) -> Result<String> {
    value.json_text().ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("{argument} cannot be written as JSON"),
        )
        .with_field(argument)
    })
}

/// A new object with the members of `object` that `fields` lists, checked (`path` names
/// `object` in messages, e.g. `request.oauth`). `object` is a snapshot: plain data, no getters,
/// `undefined` and `null` members already dropped.
fn pick<V: HostValue>(object: &V, fields: &[Field], argument: &str, path: &str) -> Result<V> {
    let object = record(object, path).map_err(|e| e.with_field(argument))?;
    let out = V::new_object();
    for field in fields {
        let value = object.get(field.name);
        if value.is_nullish() {
            if field.required {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("{path}.{} is required", field.name),
                )
                .with_field(argument));
            }
            continue;
        }
        let member = || format!("{path}.{}", field.name);
        let value = match field.ty {
            FieldType::String if value.text().is_some() => value,
            FieldType::Bool if value.boolean().is_some() => value,
            FieldType::Number if value.number().is_some_and(f64::is_finite) => value,
            FieldType::Strings if is_array_of_strings(&value) => value,
            FieldType::Any => value,
            FieldType::Model(inner) => pick(&value, inner, argument, &member())?,
            FieldType::Models(inner) if value.array_length().is_some() => {
                let items = (0..value.array_length().unwrap_or(0)).map(|i| {
                    pick(
                        &value.element(i),
                        inner,
                        argument,
                        &format!("{}[{i}]", member()),
                    )
                });
                V::new_array(items.collect::<Result<_>>()?)
            }
            ty => {
                let expected = match ty {
                    FieldType::String => "a string",
                    FieldType::Bool => "a boolean",
                    FieldType::Number => "a finite number",
                    FieldType::Strings => "an array of strings",
                    _ => "an array of objects",
                };
                return Err(wrong_type(&member(), expected, &value).with_field(argument));
            }
        };
        let _ = out.set(field.name, value);
    }
    Ok(out)
}

fn is_array_of_strings<V: HostValue>(value: &V) -> bool {
    let length = value.array_length();
    length.is_some_and(|n| (0..n).all(|i| value.element(i).text().is_some()))
}

/// What a call's value becomes once the response is parsed and checked.
pub enum Finish<T, J> {
    /// The parsed response, as it is.
    Value,
    /// The response's `nonce` (the call checked that it is a non-empty string).
    Nonce,
    /// The parsed response; its `jwt` replaces the client's token.
    KeepJwt(Rc<DynamicClient<T, J>>),
}

impl<V: HostValue, T: Transport, J: JsonCodec<Raw = V>> Finish<T, J> {
    pub fn apply(&self, value: V) -> V {
        match self {
            Finish::Value => value,
            Finish::Nonce => value.get("nonce"),
            Finish::KeepJwt(client) => {
                client.keep_jwt(&value);
                value
            }
        }
    }
}

/// The core client behind one of the JavaScript client classes.
pub enum HostClient<T, J> {
    Dynamic(Rc<DynamicClient<T, J>>),
    Admin(DynamicAdminClient<T, J>),
    Snag(SnagClient<T, J>),
    LinkServer(LinkServerClient<T>),
}

impl<V, T, J> HostClient<T, J>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    /// The client for `new <class>(options)`; `transport` makes the transport from
    /// `options.signal` (`undefined` when absent). Keys in a browser (`in_browser`) are refused
    /// (`BROWSER_SECRET`) unless `dangerouslyAllowBrowser: true`.
    pub fn new(
        class: &str,
        options: &V,
        in_browser: bool,
        transport: impl Fn(&V) -> Result<T>,
        json: J,
    ) -> Result<Self> {
        let options = Options::read(options, &format!("new {class}(options)"))?;
        let transport = || transport(&options.get("signal"));
        Ok(match class {
            "DynamicClient" => {
                let environment_id = options.string("environmentId")?;
                let auth_token = options.optional_string("authToken")?;
                let mut client_options = options.client_options(DEFAULT_DYNAMIC_BASE_URL)?;
                if let Some(credentials) = options.optional_string("credentials")? {
                    client_options.credentials =
                        Credentials::parse(&credentials).ok_or_else(|| {
                            Error::new(
                                ErrorCode::InvalidArgument,
                                "credentials must be \"include\", \"same-origin\" or \"omit\"",
                            )
                            .with_field("credentials")
                            .with_received(credentials.clone())
                        })?;
                }
                HostClient::Dynamic(Rc::new(DynamicClient::new(
                    &environment_id,
                    auth_token.as_deref(),
                    client_options,
                    transport()?,
                    json,
                )?))
            }
            "DynamicAdminClient" => {
                let allow = options.allow_browser()?;
                let environment_id = options.string("environmentId")?;
                let api_token = options.string("apiToken")?;
                HostClient::Admin(DynamicAdminClient::new(
                    &environment_id,
                    &api_token,
                    SecretPlacement::new(in_browser, allow),
                    options.client_options(DEFAULT_DYNAMIC_BASE_URL)?,
                    transport()?,
                    json,
                )?)
            }
            "SnagClient" => {
                let allow = options.allow_browser()?;
                let api_key = options.optional_string("apiKey")?;
                HostClient::Snag(SnagClient::new(
                    api_key.as_deref(),
                    SecretPlacement::new(in_browser, allow),
                    options.client_options(DEFAULT_SNAG_BASE_URL)?,
                    transport()?,
                    json,
                )?)
            }
            _ => {
                let base_url = options.string("baseUrl")?;
                let client_options = options.client_options(&base_url)?;
                let auth_token = options.optional_string("authToken")?;
                HostClient::LinkServer(LinkServerClient::new(
                    client_options,
                    auth_token.as_deref(),
                    transport()?,
                )?)
            }
        })
    }

    /// The call of client method `method` with its arguments, and what its value becomes.
    pub fn prepare(&self, method: &str, argument: &V, options: &V) -> Result<(Call, Finish<T, J>)> {
        Ok(match self {
            HostClient::Dynamic(client) => {
                let operation = DynamicOperation::from_name(method).ok_or_else(|| {
                    Error::new(ErrorCode::Internal, format!("no client method {method}"))
                })?;
                let body = match operation {
                    DynamicOperation::GetNonce => None,
                    DynamicOperation::CreateGlobalWalletConnection => {
                        Some(global_wallet_connection_json(argument)?)
                    }
                    DynamicOperation::VerifyUnlink => Some(request_json(
                        argument,
                        "request",
                        VERIFY_UNLINK_REQUEST_FIELDS,
                    )?),
                    _ => Some(request_json(argument, "request", VERIFY_REQUEST_FIELDS)?),
                };
                let finish = match operation {
                    DynamicOperation::GetNonce => Finish::Nonce,
                    _ => Finish::KeepJwt(client.clone()),
                };
                (client.prepare(operation, body)?, finish)
            }
            HostClient::Admin(client) => {
                let (body, upsert) = bulk_arguments(argument, options)?;
                (
                    client.prepare_bulk_create_users(body, upsert),
                    Finish::Value,
                )
            }
            HostClient::Snag(client) => {
                let body = request_json(argument, "params", SNAG_CONNECT_PARAMS_FIELDS)?;
                (client.prepare_connect_wallet(body), Finish::Value)
            }
            HostClient::LinkServer(client) if method == "getNonce" => {
                (client.prepare_get_nonce(), Finish::Nonce)
            }
            HostClient::LinkServer(client) => {
                (link_server_connect(client, argument)?, Finish::Value)
            }
        })
    }

    pub fn transport(&self) -> &T {
        match self {
            HostClient::Dynamic(client) => client.transport(),
            HostClient::Admin(client) => client.transport(),
            HostClient::Snag(client) => client.transport(),
            HostClient::LinkServer(client) => client.transport(),
        }
    }

    pub fn environment_id(&self) -> Option<String> {
        match self {
            HostClient::Dynamic(client) => Some(client.environment_id().to_owned()),
            _ => None,
        }
    }

    pub fn auth_token(&self) -> Option<String> {
        match self {
            HostClient::Dynamic(client) => client.auth_token(),
            HostClient::LinkServer(client) => client.auth_token(),
            _ => None,
        }
    }

    /// Replaces the JWT (`undefined` or `null` forgets it).
    pub fn set_auth_token(&self, token: &V) -> Result<()> {
        let token = match token.is_nullish() {
            true => None,
            false => Some(
                token
                    .checked_text("authToken")?
                    .ok_or_else(|| wrong_type("authToken", "a string", token))?,
            ),
        };
        match self {
            HostClient::Dynamic(client) => client.set_auth_token(token.as_deref()),
            HostClient::LinkServer(client) => client.set_auth_token(token.as_deref()),
            _ => Ok(()),
        }
    }
}

/// `{"expiresAt": ISO 8601}` from `{ expiresAt: string | Date }`.
fn global_wallet_connection_json<V: HostValue>(value: &V) -> Result<String> {
    let options = Options::read(value, "createGlobalWalletConnection")
        .map_err(|e| e.with_field("request"))?;
    let expires_at = options.get("expiresAt");
    let expires_at = match expires_at.date() {
        Some(iso) => iso,
        None => Some(options.string("expiresAt")?),
    };
    let Some(expires_at) = expires_at.filter(|text| !text.is_empty()) else {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "expiresAt must be a valid Date or an ISO 8601 timestamp",
        )
        .with_field("expiresAt"));
    };
    let body = V::new_object();
    let _ = body.set("expiresAt", V::from_str(&expires_at));
    stringify(&body, "request")
}

/// The JSON array of users and the `upsert` option.
fn bulk_arguments<V: HostValue>(users: &V, options: &V) -> Result<(String, Option<bool>)> {
    if users.array_length().is_none() {
        return Err(wrong_type("users", "an array of users", users));
    }
    let copy = host::snapshot(users, "users")?;
    let picked = (0..copy.array_length().unwrap_or(0)).map(|i| {
        let path = format!("users[{i}]");
        pick(
            &copy.element(i),
            INTERNAL_USER_FIELDS_FIELDS,
            "users",
            &path,
        )
    });
    let picked = V::new_array(picked.collect::<Result<_>>()?);
    let upsert = match options.is_nullish() {
        true => None,
        false => Options::read(options, "bulkCreateUsers")?.optional_bool("upsert")?,
    };
    Ok((stringify(&picked, "users")?, upsert))
}

/// `LinkServerClient.connectWallet`'s call: `walletType`, `walletAddress` and the proof (`message`
/// and `signature`, or for TON the `tonVerification`; flat or in `verificationData`).
fn link_server_connect<V: HostValue, T: Transport>(
    client: &LinkServerClient<T>,
    params: &V,
) -> Result<Call> {
    let params = Options::read(&record(params, "params")?, "connectWallet")?;
    let proof = params.get("verificationData");
    let wallet_type = params.string("walletType")?;
    if wallet_type == "ton" {
        let mut ton = params.get("tonVerification");
        if ton.is_nullish() {
            ton = proof.get("tonVerification");
        }
        let ton = request_json(&ton, "tonVerification", SNAG_TON_VERIFICATION_FIELDS)?;
        return client.prepare_connect_ton(&params.string("walletAddress")?, &ton);
    }
    let proof_field = |key: &str| -> Result<String> {
        match params.optional_string(key)? {
            Some(value) => Ok(value),
            None => Options {
                object: proof.clone(),
            }
            .string(key),
        }
    };
    client.prepare_connect(
        &wallet_type,
        &params.string("walletAddress")?,
        &proof_field("message")?,
        &proof_field("signature")?,
    )
}
