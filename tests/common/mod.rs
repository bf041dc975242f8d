//! Test doubles shared by the integration tests.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use k256::ecdsa::SigningKey;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wallet_linker::api::{JsonCodec, JsonKind, ModelCodec};
use wallet_linker::evm;
use wallet_linker::evm::EvmRpc;

/// serde_json as the platform codec (the wasm build uses the JS engine's JSON instead).
pub struct SerdeJson;

impl JsonCodec for SerdeJson {
    type Raw = serde_json::Value;
    fn parse(&self, text: &str) -> Result<Self::Raw, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
    fn member(&self, value: &Self::Raw, key: &str) -> Option<Self::Raw> {
        value.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn kind(&self, value: &Self::Raw) -> JsonKind {
        match value {
            serde_json::Value::Null => JsonKind::Null,
            serde_json::Value::Bool(_) => JsonKind::Bool,
            serde_json::Value::Number(_) => JsonKind::Number,
            serde_json::Value::String(_) => JsonKind::String,
            serde_json::Value::Array(_) => JsonKind::Array,
            serde_json::Value::Object(_) => JsonKind::Object,
        }
    }
    fn as_string(&self, value: &Self::Raw) -> Option<String> {
        value.as_str().map(str::to_owned)
    }
    fn as_number(&self, value: &Self::Raw) -> Option<f64> {
        value.as_f64()
    }
    fn set_number(&self, object: &mut Self::Raw, key: &str, value: f64) {
        if let Some(object) = object.as_object_mut() {
            object.insert(key.to_owned(), value.into());
        }
    }
    fn element(&self, value: &Self::Raw, index: usize) -> Option<Self::Raw> {
        value.as_array()?.get(index).cloned()
    }
}

impl ModelCodec for SerdeJson {
    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, String> {
        serde_json::to_string(value).map_err(|e| e.to_string())
    }
    fn decode<T: DeserializeOwned>(&self, value: Self::Raw) -> Result<T, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }
}

/// Runs a future that never waits (every test double here answers at once).
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a test double waited"),
    }
}

/// A compact JWT of `header` and `claims`, signed by `sign` over its signing input.
pub fn jwt(
    header: &serde_json::Value,
    claims: &serde_json::Value,
    sign: impl Fn(&[u8]) -> Vec<u8>,
) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let encode = |bytes: &[u8]| Base64UrlUnpadded::encode_string(bytes);
    let header = encode(header.to_string().as_bytes());
    let input = format!("{header}.{}", encode(claims.to_string().as_bytes()));
    format!("{input}.{}", encode(&sign(input.as_bytes())))
}

/// A fixed secp256k1 key and its EIP-55 address.
pub fn evm_key() -> (SigningKey, String) {
    let key = SigningKey::from_slice(&[0x24; 32]).unwrap();
    let point = key.verifying_key().to_sec1_point(false);
    let hash = <sha3::Keccak256 as sha3::Digest>::digest(&point.as_bytes()[1..]);
    let address = evm::eip55::checksum_of_bytes(&hash[12..].try_into().unwrap());
    (key, address)
}

/// `personal_sign` of `message` by `key`: `r ‖ s ‖ v` with `v` 27 or 28.
pub fn personal_sign(key: &SigningKey, message: &str) -> Vec<u8> {
    let (signature, recovery) = key.sign_prehash_recoverable(&evm::eip191_hash(message.as_bytes()));
    let mut bytes = signature.to_bytes().to_vec();
    bytes.push(27 + recovery.to_byte());
    bytes
}

/// An RPC that answers from a script and records every call.
#[derive(Default)]
pub struct ScriptedRpc {
    pub answers: RefCell<VecDeque<wallet_linker::Result<String>>>,
    pub calls: RefCell<Vec<(&'static str, String)>>,
}

impl ScriptedRpc {
    pub fn answering(answers: Vec<wallet_linker::Result<String>>) -> Self {
        ScriptedRpc {
            answers: RefCell::new(answers.into()),
            ..ScriptedRpc::default()
        }
    }

    pub fn methods(&self) -> Vec<&'static str> {
        self.calls.borrow().iter().map(|(m, _)| *m).collect()
    }
}

impl EvmRpc for ScriptedRpc {
    async fn request(&self, method: &'static str, params: &str) -> wallet_linker::Result<String> {
        self.calls.borrow_mut().push((method, params.to_owned()));
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected RPC call {method}"))
    }
}

/// A fixed Sui Ed25519 key (from `seed`): its address, and a signer of personal messages that
/// gives the serialized signature (base64 of flag 0 ‖ signature ‖ key).
pub fn sui_key(seed: u8) -> (String, impl Fn(&[u8]) -> String) {
    use base64ct::{Base64, Encoding};
    use ed25519_dalek::Signer;
    use wallet_linker::sui;
    let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
    let public = key.verifying_key().to_bytes();
    let address = sui::format_address(&sui::address_of(sui::SuiScheme::Ed25519, &public));
    let sign = move |message: &[u8]| {
        let signature = key.sign(&sui::personal_message_digest(message)).to_bytes();
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(&signature);
        bytes.extend_from_slice(&public);
        Base64::encode_string(&bytes)
    };
    (address, sign)
}
pub mod host;
