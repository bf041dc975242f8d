//! The service clients as JavaScript classes: `DynamicClient`, `DynamicAdminClient`, `SnagClient`.
//!
//! Each class wraps the core client (`crate::api`) over [`FetchTransport`] and [`JsJson`]. This file
//! only reads options and arguments (bad ones become `INVALID_ARGUMENT`, never a glue `TypeError`),
//! and turns results into promises. Methods never throw: a bad argument rejects the returned
//! promise.
//!
//! No model is converted to or from Rust here. A request argument is copied
//! ([`input::snapshot`]), checked against its model's field table ([`crate::api::types::Field`]:
//! required members present, every known member of its JSON type), reduced to the known members
//! (as the official clients' `ToJSON` do) and sent through `JSON.stringify`. A response is the
//! value `JSON.parse` made, checked for the members its model requires; the TypeScript types come
//! from the models' tsify declarations. Every call runs through one future ([`send`]), so the
//! async machinery exists once, not once per method.

use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::Core;
use super::fetch::{FetchTransport, JsJson};
use super::input;
use crate::api::types::{
    Field, FieldType, INTERNAL_USER_FIELDS_FIELDS, SNAG_CONNECT_PARAMS_FIELDS,
    SNAG_TON_VERIFICATION_FIELDS, VERIFY_REQUEST_FIELDS, VERIFY_UNLINK_REQUEST_FIELDS,
};
use crate::api::{
    Call, ClientOptions, Credentials, DEFAULT_DYNAMIC_BASE_URL, DEFAULT_SNAG_BASE_URL,
    DynamicAdminClient, DynamicClient, DynamicOperation, LinkServerClient, SnagClient, execute,
};
use crate::error::{Error, ErrorCode, Result};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENTS: &str = include_str!("types/clients.d.ts");

/// True in a page (`window`, `document`) or a browser's web worker (`importScripts`): code served
/// to visitors, with any key in it. Servers (Node, Deno, Bun, workerd) have none of the three.
pub(super) fn is_browser() -> bool {
    let global = js_sys::global();
    ["window", "document", "importScripts"].iter().any(|name| {
        Reflect::get(&global, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined())
    })
}

/// The options object of a constructor, read field by field.
pub(super) struct Options {
    object: Object,
}

impl Options {
    pub(super) fn read(value: &JsValue, class: &str) -> Result<Self> {
        if !value.is_object() || Array::is_array(value) {
            let received = if value.is_null() {
                "null".to_owned()
            } else if Array::is_array(value) {
                "array".to_owned()
            } else {
                value.js_typeof().as_string().unwrap_or_default()
            };
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("new {class}(options): options must be an object, received {received}"),
            )
            .with_field("options")
            .with_expected("an object")
            .with_received(received));
        }
        Ok(Options {
            object: value.clone().unchecked_into(),
        })
    }

    pub(super) fn get(&self, key: &str) -> Result<JsValue> {
        Reflect::get(&self.object, &JsValue::from_str(key)).map_err(|_| {
            Error::new(
                ErrorCode::InvalidArgument,
                format!("options.{key} could not be read"),
            )
            .with_field(key)
        })
    }

    pub(super) fn string(&self, key: &str) -> Result<String> {
        input::string(&self.get(key)?, key)
    }

    pub(super) fn optional_string(&self, key: &str) -> Result<Option<String>> {
        input::optional_string(&self.get(key)?, key)
    }

    pub(super) fn optional_number(&self, key: &str) -> Result<Option<f64>> {
        let value = self.get(key)?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_f64()
            .map(Some)
            .ok_or_else(|| wrong_type(key, "a number", &value))
    }

    pub(super) fn optional_bool(&self, key: &str) -> Result<Option<bool>> {
        let value = self.get(key)?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_bool()
            .map(Some)
            .ok_or_else(|| wrong_type(key, "a boolean", &value))
    }

    pub(super) fn signal(&self) -> Result<Option<AbortSignal>> {
        let value = self.get("signal")?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .dyn_into::<AbortSignal>()
            .map(Some)
            .map_err(|value| wrong_type("signal", "an AbortSignal", &value))
    }

    /// The options every client shares.
    pub(super) fn client_options(&self, default_base_url: &str) -> Result<ClientOptions> {
        ClientOptions::from_parts(
            default_base_url,
            self.optional_string("baseUrl")?.as_deref(),
            self.optional_number("timeoutMs")?,
            self.optional_number("maxRetries")?,
            self.optional_bool("retryStateChanging")?,
        )?
        .with_deadline(self.optional_number("deadlineMs")?)
    }
}

fn wrong_type(field: &str, expected: &str, value: &JsValue) -> Error {
    let received = if value.is_null() {
        "null".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    };
    Error::new(
        ErrorCode::InvalidArgument,
        format!("{field} must be {expected}, received {received}"),
    )
    .with_field(field)
    .with_expected(expected)
    .with_received(received)
}

/// What a call's promise resolves to, once the response is parsed and checked.
enum Finish {
    /// The parsed response, as it is.
    Value,
    /// The response's `nonce` (the call checked that it is a non-empty string).
    Nonce,
    /// The parsed response; its `jwt` replaces the client's token.
    KeepJwt(Rc<Dynamic>),
}

/// Sends a prepared call as a promise; a preparation error rejects it instead of throwing.
fn send(transport: &FetchTransport, prepared: Result<Call>, finish: Finish) -> Promise {
    let call = match prepared {
        Ok(call) => call,
        Err(e) => return Promise::reject(&e.into()),
    };
    let transport = transport.clone();
    wasm_bindgen_futures::future_to_promise(async move {
        let value = execute(&transport, &JsJson, &call).await?.value;
        Ok(match finish {
            Finish::Value => value,
            Finish::Nonce => Reflect::get(&value, &JsValue::from_str("nonce"))?,
            Finish::KeepJwt(client) => {
                client.keep_jwt(&value);
                value
            }
        })
    })
}

/// The JSON text of a request argument: a copy of `value` with only the members `fields` lists,
/// each checked. `argument` names it in errors (`"request"`).
fn request_json(value: &JsValue, argument: &str, fields: &[Field]) -> Result<String> {
    if !is_object(value) {
        return Err(wrong_type(argument, "an object", value));
    }
    let copy = input::snapshot(value, argument)?;
    let picked = pick(&copy, fields, argument, argument)?;
    stringify(&picked, argument)
}

fn is_object(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

fn stringify(value: &JsValue, argument: &str) -> Result<String> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| {
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
fn pick(object: &JsValue, fields: &[Field], argument: &str, path: &str) -> Result<JsValue> {
    if !is_object(object) {
        return Err(wrong_type(path, "an object", object).with_field(argument));
    }
    let out = Object::new();
    for field in fields {
        let key = JsValue::from_str(field.name);
        let value = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        if value.is_undefined() {
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
            FieldType::String if value.is_string() => value,
            FieldType::Bool if value.as_bool().is_some() => value,
            FieldType::Number if value.as_f64().is_some_and(f64::is_finite) => value,
            FieldType::Strings if is_array_of(&value, JsValue::is_string) => value,
            FieldType::Any => value,
            FieldType::Model(inner) => pick(&value, inner, argument, &member())?,
            FieldType::Models(inner) if Array::is_array(&value) => {
                let items = Array::new();
                for (i, item) in Array::from(&value).iter().enumerate() {
                    items.push(&pick(
                        &item,
                        inner,
                        argument,
                        &format!("{}[{i}]", member()),
                    )?);
                }
                items.into()
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
        let _ = Reflect::set(&out, &key, &value);
    }
    Ok(out.into())
}

fn is_array_of(value: &JsValue, test: fn(&JsValue) -> bool) -> bool {
    Array::is_array(value) && Array::from(value).every(&mut |item, _, _| test(&item))
}

type Dynamic = DynamicClient<FetchTransport, JsJson>;

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = DynamicClient, reexport, skip_typescript)]
    fn dynamic_client_class();
    #[wasm_bindgen(js_name = DynamicAdminClient, reexport, skip_typescript)]
    fn dynamic_admin_client_class();
    #[wasm_bindgen(js_name = SnagClient, reexport, skip_typescript)]
    fn snag_client_class();
    #[wasm_bindgen(js_name = LinkServerClient, reexport, skip_typescript)]
    fn link_server_client_class();
}

/// The core client behind one of the JavaScript client classes (`boundary.js`).
enum Client {
    Dynamic(Rc<Dynamic>),
    Admin(Rc<DynamicAdminClient<FetchTransport, JsJson>>),
    Snag(Rc<SnagClient<FetchTransport, JsJson>>),
    LinkServer(Rc<LinkServerClient<FetchTransport>>),
}

/// What a JavaScript client class holds: its core client. Private: made by [`Core::client`].
#[wasm_bindgen(private)]
pub struct ClientCore {
    client: Client,
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// The core client for `new <class>(options)`. Keys in a browser throw `BROWSER_SECRET`
    /// unless `dangerouslyAllowBrowser: true`.
    pub fn client(&self, class: &str, options: JsValue) -> Result<ClientCore> {
        let options = Options::read(&options, class)?;
        let allow = || -> Result<bool> {
            Ok(options
                .optional_bool("dangerouslyAllowBrowser")?
                .unwrap_or(false))
        };
        let transport = || options.signal().map(FetchTransport::new);
        let client = match class {
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
                Client::Dynamic(Rc::new(DynamicClient::new(
                    &environment_id,
                    auth_token.as_deref(),
                    client_options,
                    transport()?,
                    JsJson,
                )?))
            }
            "DynamicAdminClient" => {
                let allow = allow()?;
                let environment_id = options.string("environmentId")?;
                let api_token = options.string("apiToken")?;
                Client::Admin(Rc::new(DynamicAdminClient::new(
                    &environment_id,
                    &api_token,
                    is_browser(),
                    allow,
                    options.client_options(DEFAULT_DYNAMIC_BASE_URL)?,
                    transport()?,
                    JsJson,
                )?))
            }
            "SnagClient" => {
                let allow = allow()?;
                let api_key = options.optional_string("apiKey")?;
                Client::Snag(Rc::new(SnagClient::new(
                    api_key.as_deref(),
                    is_browser(),
                    allow,
                    options.client_options(DEFAULT_SNAG_BASE_URL)?,
                    transport()?,
                    JsJson,
                )?))
            }
            _ => {
                let base_url = options.string("baseUrl")?;
                let client_options = options.client_options(&base_url)?;
                let auth_token = options.optional_string("authToken")?;
                Client::LinkServer(Rc::new(LinkServerClient::new(
                    client_options,
                    auth_token.as_deref(),
                    transport()?,
                )?))
            }
        };
        Ok(ClientCore { client })
    }
}

#[wasm_bindgen(js_class = ClientCore)]
impl ClientCore {
    /// Sends the client method `method` with its arguments; the promise never throws
    /// synchronously (a bad argument rejects it).
    pub fn send(&self, method: &str, argument: JsValue, options: JsValue) -> Promise {
        match &self.client {
            Client::Dynamic(client) => {
                let Some(operation) = DynamicOperation::from_name(method) else {
                    return unknown(method);
                };
                let body = match operation {
                    DynamicOperation::GetNonce => Ok(None),
                    DynamicOperation::CreateGlobalWalletConnection => {
                        global_wallet_connection_json(&argument).map(Some)
                    }
                    DynamicOperation::VerifyUnlink => {
                        request_json(&argument, "request", VERIFY_UNLINK_REQUEST_FIELDS).map(Some)
                    }
                    _ => request_json(&argument, "request", VERIFY_REQUEST_FIELDS).map(Some),
                };
                let prepared = body.and_then(|body| client.prepare(operation, body));
                let finish = match operation {
                    DynamicOperation::GetNonce => Finish::Nonce,
                    _ => Finish::KeepJwt(client.clone()),
                };
                send(client.transport(), prepared, finish)
            }
            Client::Admin(client) => {
                let prepared = bulk_arguments(&argument, &options)
                    .map(|(body, upsert)| client.prepare_bulk_create_users(body, upsert));
                send(client.transport(), prepared, Finish::Value)
            }
            Client::Snag(client) => {
                let prepared = request_json(&argument, "params", SNAG_CONNECT_PARAMS_FIELDS)
                    .map(|body| client.prepare_connect_wallet(body));
                send(client.transport(), prepared, Finish::Value)
            }
            Client::LinkServer(client) if method == "getNonce" => send(
                client.transport(),
                Ok(client.prepare_get_nonce()),
                Finish::Nonce,
            ),
            Client::LinkServer(client) => send(
                client.transport(),
                link_server_connect(client, &argument),
                Finish::Value,
            ),
        }
    }

    #[wasm_bindgen(getter, js_name = environmentId)]
    pub fn environment_id(&self) -> Option<String> {
        match &self.client {
            Client::Dynamic(client) => Some(client.environment_id().to_owned()),
            _ => None,
        }
    }

    #[wasm_bindgen(getter, js_name = authToken)]
    pub fn auth_token(&self) -> Option<String> {
        match &self.client {
            Client::Dynamic(client) => client.auth_token(),
            Client::LinkServer(client) => client.auth_token(),
            _ => None,
        }
    }

    /// Replaces the JWT (`undefined` or `null` forgets it).
    #[wasm_bindgen(js_name = setAuthToken)]
    pub fn set_auth_token(&self, token: JsValue) -> Result<()> {
        let token = input::optional_string(&token, "authToken")?;
        match &self.client {
            Client::Dynamic(client) => client.set_auth_token(token.as_deref()),
            Client::LinkServer(client) => client.set_auth_token(token.as_deref()),
            _ => Ok(()),
        }
    }
}

fn unknown(method: &str) -> Promise {
    Promise::reject(&Error::new(ErrorCode::Internal, format!("no client method {method}")).into())
}

/// `{"expiresAt": ISO 8601}` from `{ expiresAt: string | Date }`.
fn global_wallet_connection_json(value: &JsValue) -> Result<String> {
    let options = Options::read(value, "createGlobalWalletConnection")
        .map_err(|e| e.with_field("request"))?;
    let expires_at = options.get("expiresAt")?;
    let expires_at = match expires_at.dyn_ref::<js_sys::Date>() {
        Some(date) if date.get_time().is_nan() => None,
        Some(date) => Some(String::from(date.to_iso_string())),
        None => Some(input::string(&expires_at, "expiresAt")?),
    };
    let Some(expires_at) = expires_at.filter(|text| !text.is_empty()) else {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "expiresAt must be a valid Date or an ISO 8601 timestamp",
        )
        .with_field("expiresAt"));
    };
    let body = Object::new();
    let _ = Reflect::set(
        &body,
        &JsValue::from_str("expiresAt"),
        &JsValue::from_str(&expires_at),
    );
    stringify(&body, "request")
}

/// The JSON array of users and the `upsert` option.
fn bulk_arguments(users: &JsValue, options: &JsValue) -> Result<(String, Option<bool>)> {
    if !Array::is_array(users) {
        return Err(wrong_type("users", "an array of users", users));
    }
    let copy = Array::from(&input::snapshot(users, "users")?);
    let picked = Array::new();
    for (i, user) in copy.iter().enumerate() {
        let path = format!("users[{i}]");
        picked.push(&pick(&user, INTERNAL_USER_FIELDS_FIELDS, "users", &path)?);
    }
    let upsert = if options.is_undefined() || options.is_null() {
        None
    } else {
        Options::read(options, "bulkCreateUsers")?.optional_bool("upsert")?
    };
    Ok((stringify(&picked, "users")?, upsert))
}

/// `LinkServerClient.connectWallet`'s call: `walletType`, `walletAddress` and the proof (`message`
/// and `signature`, or for TON the `tonVerification`; flat or in `verificationData`).
fn link_server_connect(
    client: &LinkServerClient<FetchTransport>,
    params: &JsValue,
) -> Result<Call> {
    if !is_object(params) {
        return Err(wrong_type("params", "an object", params));
    }
    let params = Options::read(params, "connectWallet")?;
    let proof = params.get("verificationData")?;
    let wallet_type = params.string("walletType")?;
    if wallet_type == "ton" {
        let mut ton = params.get("tonVerification")?;
        if ton.is_undefined() {
            ton = super::wallets::get(&proof, "tonVerification");
        }
        let ton = request_json(&ton, "tonVerification", SNAG_TON_VERIFICATION_FIELDS)?;
        return client.prepare_connect_ton(&params.string("walletAddress")?, &ton);
    }
    let proof_field = |key: &str| -> Result<String> {
        match params.optional_string(key)? {
            Some(value) => Ok(value),
            None => input::string(&super::wallets::get(&proof, key), key),
        }
    };
    client.prepare_connect(
        &wallet_type,
        &params.string("walletAddress")?,
        &proof_field("message")?,
        &proof_field("signature")?,
    )
}
