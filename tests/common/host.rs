//! A scripted JavaScript value for the native tests of the code that reaches the caller's objects
//! (`wallet_linker::host::HostValue`): objects and arrays shared by reference, as in JavaScript,
//! and functions written as Rust closures. A promise is not modelled: `settle` gives the value
//! itself (a function "rejects" by returning `Err`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use serde_json::Value;
use wallet_linker::api::{
    HttpRequest, HttpResponse, JsonCodec, JsonKind, Transport, TransportError,
};
use wallet_linker::host::HostValue;
use wallet_linker::options_reader::JsLike;

type Function = Rc<dyn Fn(&[Js]) -> Result<Js, Js>>;

#[derive(Clone)]
pub enum Js {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    Str(String),
    /// A `Uint8Array`.
    Bytes(Vec<u8>),
    Array(Rc<RefCell<Vec<Js>>>),
    /// An object: its members in insertion order, and its class (`None` for a plain object).
    Object(Rc<RefCell<Vec<(String, Js)>>>, Option<&'static str>),
    Function(Function),
}

impl Js {
    /// A plain object with these members.
    pub fn object<const N: usize>(members: [(&str, Js); N]) -> Js {
        let members = members.into_iter().map(|(k, v)| (k.to_owned(), v));
        Js::Object(Rc::new(RefCell::new(members.collect())), None)
    }

    /// An instance of `class` (what `type_name` reports), with these members.
    pub fn instance(class: &'static str) -> Js {
        Js::Object(Rc::new(RefCell::new(Vec::new())), Some(class))
    }

    pub fn function(f: impl Fn(&[Js]) -> Result<Js, Js> + 'static) -> Js {
        Js::Function(Rc::new(f))
    }

    pub fn text(text: &str) -> Js {
        Js::Str(text.to_owned())
    }

    /// JSON as the value `JSON.parse` makes.
    pub fn json(value: &Value) -> Js {
        match value {
            Value::Null => Js::Null,
            Value::Bool(b) => Js::Bool(*b),
            Value::Number(n) => Js::Number(n.as_f64().unwrap()),
            Value::String(s) => Js::Str(s.clone()),
            Value::Array(items) => {
                Js::Array(Rc::new(RefCell::new(items.iter().map(Js::json).collect())))
            }
            Value::Object(map) => {
                let members = map.iter().map(|(k, v)| (k.clone(), Js::json(v)));
                Js::Object(Rc::new(RefCell::new(members.collect())), None)
            }
        }
    }

    /// The value as JSON (`undefined` and functions as `null`, bytes as an array).
    pub fn to_json(&self) -> Value {
        match self {
            Js::Undefined | Js::Null | Js::Function(_) => Value::Null,
            Js::Bool(b) => Value::Bool(*b),
            Js::Number(n) => serde_json::json!(n),
            Js::Str(s) => Value::String(s.clone()),
            Js::Bytes(b) => serde_json::json!(b),
            Js::Array(items) => Value::Array(items.borrow().iter().map(Js::to_json).collect()),
            Js::Object(members, _) => Value::Object(
                members
                    .borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// What a `throw` of a plain `Error` with `message` (and `code`, when given) looks like.
    pub fn thrown(message: &str, code: Option<Js>) -> Js {
        let error = Js::instance("Error");
        error.set("message", Js::text(message)).unwrap();
        if let Some(code) = code {
            error.set("code", code).unwrap();
        }
        error
    }
}

impl std::fmt::Debug for Js {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

impl From<String> for Js {
    fn from(text: String) -> Self {
        Js::Str(text)
    }
}

impl JsLike for Js {
    fn is_nullish(&self) -> bool {
        matches!(self, Js::Undefined | Js::Null)
    }
    fn boolean(&self) -> Option<bool> {
        match self {
            Js::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            Js::Number(n) => Some(*n),
            _ => None,
        }
    }
    fn text(&self) -> Option<String> {
        match self {
            Js::Str(s) => Some(s.clone()),
            _ => None,
        }
    }
    fn bigint(&self) -> Option<String> {
        None
    }
    fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            Js::Bytes(b) => Some(b.clone()),
            _ => None,
        }
    }
    fn date(&self) -> Option<Option<String>> {
        None
    }
    fn array_length(&self) -> Option<u32> {
        match self {
            Js::Array(items) => Some(items.borrow().len() as u32),
            _ => None,
        }
    }
    fn element(&self, index: u32) -> Self {
        match self {
            Js::Array(items) => items
                .borrow()
                .get(index as usize)
                .cloned()
                .unwrap_or(Js::Undefined),
            _ => Js::Undefined,
        }
    }
    fn is_record(&self) -> bool {
        matches!(self, Js::Object(..) | Js::Bytes(_))
    }
    fn member(&self, name: &'static str) -> Option<Self> {
        Some(self.get(name))
    }
    fn entries(&self) -> Vec<(String, Self)> {
        match self {
            Js::Object(members, _) => members.borrow().clone(),
            _ => Vec::new(),
        }
    }
    fn type_name(&self) -> String {
        match self {
            Js::Undefined => "undefined",
            Js::Null => "null",
            Js::Bool(_) => "boolean",
            Js::Number(_) => "number",
            Js::Str(_) => "string",
            Js::Bytes(_) => "Uint8Array",
            Js::Array(_) => "array",
            Js::Object(_, Some(class)) => class,
            Js::Object(_, None) => "object",
            Js::Function(_) => "function",
        }
        .to_owned()
    }
}

impl HostValue for Js {
    fn undefined() -> Self {
        Js::Undefined
    }
    /// A fixed clock: 2026-01-01T00:00:00Z.
    fn clock_ms() -> i64 {
        1_767_225_600_000
    }
    fn from_f64(n: f64) -> Self {
        Js::Number(n)
    }
    fn from_bool(b: bool) -> Self {
        Js::Bool(b)
    }
    fn from_bytes(bytes: &[u8]) -> Self {
        Js::Bytes(bytes.to_vec())
    }
    fn new_object() -> Self {
        Js::object([])
    }
    fn new_array(items: Vec<Self>) -> Self {
        Js::Array(Rc::new(RefCell::new(items)))
    }
    fn get(&self, key: &str) -> Self {
        match self {
            Js::Object(members, _) => members
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .unwrap_or(Js::Undefined),
            Js::Array(items) if key == "length" => Js::Number(items.borrow().len() as f64),
            _ => Js::Undefined,
        }
    }
    fn set(&self, key: &str, value: Self) -> Result<(), Self> {
        let Js::Object(members, _) = self else {
            return Err(Js::thrown("cannot set a member of a primitive", None));
        };
        let mut members = members.borrow_mut();
        match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, old)) => *old = value,
            None => members.push((key.to_owned(), value)),
        }
        Ok(())
    }
    fn delete(&self, key: &str) {
        if let Js::Object(members, _) = self {
            members.borrow_mut().retain(|(k, _)| k != key);
        }
    }
    fn is_function(&self) -> bool {
        matches!(self, Js::Function(_))
    }
    fn call(&self, args: &[Self]) -> Result<Self, Self> {
        match self {
            Js::Function(f) => f(args),
            _ => Err(Js::thrown("not a function", None)),
        }
    }
    fn call_method(&self, method: &str, args: &[Self]) -> Result<Self, Self> {
        match self.get(method) {
            Js::Function(f) => f(args),
            _ => Err(Js::thrown(&format!("{method} is not a function"), None)),
        }
    }
    async fn settle(self) -> Result<Self, Self> {
        Ok(self)
    }
    fn snapshot(&self) -> Result<Self, Self> {
        // The scripted values are plain data already, except members a test marks as throwing.
        match self.get("$throws") {
            Js::Str(message) => Err(Js::thrown(&message, None)),
            _ => Ok(self.clone()),
        }
    }
    fn json_text(&self) -> Option<String> {
        Some(self.to_json().to_string())
    }
    fn is_coded_error(&self) -> bool {
        matches!(self, Js::Object(_, Some("WalletLinkerError")))
    }
    fn new_coded_error(code: &str, message: &str) -> Self {
        let error = Js::instance("WalletLinkerError");
        error.set("code", Js::text(code)).unwrap();
        error.set("message", Js::text(message)).unwrap();
        error
    }
    fn checked_text(&self, _field: &str) -> wallet_linker::Result<Option<String>> {
        Ok(self.text())
    }
    fn checked_bytes(&self, _field: &str) -> wallet_linker::Result<Option<Vec<u8>>> {
        Ok(self.bytes())
    }
}

/// JSON documents as scripted values (the wasm build parses with the engine's `JSON.parse`).
#[derive(Clone, Copy)]
pub struct JsCodec;

impl JsonCodec for JsCodec {
    type Raw = Js;
    fn parse(&self, text: &str) -> Result<Js, String> {
        serde_json::from_str(text)
            .map(|v: Value| Js::json(&v))
            .map_err(|e| e.to_string())
    }
    fn member(&self, value: &Js, key: &str) -> Option<Js> {
        Some(value.get(key)).filter(|v| !v.is_nullish())
    }
    fn kind(&self, value: &Js) -> JsonKind {
        match value {
            Js::Undefined | Js::Null | Js::Function(_) => JsonKind::Null,
            Js::Bool(_) => JsonKind::Bool,
            Js::Number(_) => JsonKind::Number,
            Js::Str(_) => JsonKind::String,
            Js::Array(_) => JsonKind::Array,
            Js::Bytes(_) | Js::Object(..) => JsonKind::Object,
        }
    }
    fn as_string(&self, value: &Js) -> Option<String> {
        value.text()
    }
    fn as_number(&self, value: &Js) -> Option<f64> {
        value.number()
    }
    fn set_number(&self, object: &mut Js, key: &str, value: f64) {
        let _ = object.set(key, Js::Number(value));
    }
    fn element(&self, value: &Js, index: usize) -> Option<Js> {
        value
            .array_length()
            .filter(|len| (index as u32) < *len)
            .map(|_| value.element(index as u32))
    }
}

/// HTTP answered from a script (in order), recording every request; the clock stands still.
#[derive(Clone, Default)]
pub struct ScriptedHttp {
    pub replies: Rc<RefCell<VecDeque<Result<HttpResponse, TransportError>>>>,
    pub requests: Rc<RefCell<Vec<HttpRequest>>>,
    pub now_ms: i64,
}

impl ScriptedHttp {
    /// Answers each request with status 200 and one of `bodies` (JSON), in order.
    pub fn json(now_ms: i64, bodies: &[Value]) -> Self {
        let replies = bodies.iter().map(|body| {
            Ok(HttpResponse {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: body.to_string(),
            })
        });
        ScriptedHttp {
            replies: Rc::new(RefCell::new(replies.collect())),
            now_ms,
            ..ScriptedHttp::default()
        }
    }
}

impl Transport for ScriptedHttp {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(request.clone());
        let reply = self.replies.borrow_mut().pop_front();
        reply.unwrap_or_else(|| panic!("an unexpected request to {}", request.url))
    }
    async fn sleep(&self, _ms: u64) -> Result<(), TransportError> {
        Ok(())
    }
    fn now_ms(&self) -> i64 {
        self.now_ms
    }
    fn random(&self) -> f64 {
        0.0
    }
}
