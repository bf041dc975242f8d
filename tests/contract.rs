#![cfg(not(target_arch = "wasm32"))]
//! Signatures of every kind of EVM account (`wallet_linker::evm::contract`): EOAs never reach the
//! RPC, contract accounts are settled by one `eth_call` of the deployless validator, and an RPC
//! that cannot answer is an error, never "not valid". The validator itself runs on a real chain in
//! tests/js/smart-accounts.node.test.mjs.

#![allow(clippy::result_large_err)]

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;

use common::{ScriptedRpc, SerdeJson, evm_key, personal_sign, ready};
use wallet_linker::api::json_rpc::{rpc_timeout_ms, validate_rpc_url};
use wallet_linker::api::{HttpRequest, HttpResponse, JsonRpcClient, Transport, TransportError};
use wallet_linker::evm::contract::{
    ERC6492_SUFFIX, EvmRpc, SignatureKind, Verdict, check_chain, is_erc6492, validator_answer,
    validator_call_data, verify_message,
};
use wallet_linker::message::{SiweMessage, create_siwe_message};
use wallet_linker::signin::{SiweCheck, verify_siwe_sign_in_with_rpc};
use wallet_linker::{ErrorCode, Result, evm};

const MESSAGE: &str = "Link this wallet";

fn ok(text: &str) -> Result<String> {
    Ok(text.to_owned())
}

fn contract_address() -> String {
    "0x5FbDB2315678afecb367f032d93F642f64180aa3".to_owned()
}

fn verify(rpc: &ScriptedRpc, signature: &[u8], address: &str) -> Result<Verdict> {
    ready(verify_message(rpc, MESSAGE.as_bytes(), signature, address))
}

fn wrapped_6492(inner: &[u8]) -> Vec<u8> {
    let mut signature = vec![0xab; 96];
    signature.extend_from_slice(inner);
    signature.extend_from_slice(&ERC6492_SUFFIX);
    signature
}

#[test]
fn an_eoa_signature_never_reaches_the_rpc() {
    let (key, address) = evm_key();
    let rpc = ScriptedRpc::default();
    let verdict = verify(&rpc, &personal_sign(&key, MESSAGE), &address).unwrap();
    assert_eq!(
        verdict,
        Verdict {
            valid: true,
            kind: Some(SignatureKind::Eoa)
        }
    );
    // Lower-case addresses are the same account.
    let verdict = verify(&rpc, &personal_sign(&key, MESSAGE), &address.to_lowercase()).unwrap();
    assert!(verdict.valid);
    assert!(rpc.methods().is_empty());
}

#[test]
fn anything_else_is_one_eth_call_of_the_validator() {
    let (key, _) = evm_key();
    let signature = personal_sign(&key, MESSAGE); // the owner's, but the account is a contract
    let rpc = ScriptedRpc::answering(vec![ok("0x01")]);
    let verdict = verify(&rpc, &signature, &contract_address()).unwrap();
    assert_eq!(
        verdict,
        Verdict {
            valid: true,
            kind: Some(SignatureKind::Erc1271)
        }
    );
    let calls = rpc.calls.borrow();
    assert_eq!(calls.len(), 1);
    let (method, params) = &calls[0];
    assert_eq!(*method, "eth_call");
    let signer: [u8; 20] = evm::parse_address(&contract_address()).unwrap();
    let data = validator_call_data(&signer, &evm::eip191_hash(MESSAGE.as_bytes()), &signature);
    assert_eq!(
        params,
        &format!("[{{\"data\":\"{}\"}},\"latest\"]", evm::hex_0x(&data))
    );
}

#[test]
fn the_call_data_is_the_creation_code_and_the_abi_encoded_arguments() {
    let signer = [0x11; 20];
    let hash = [0x22; 32];
    let signature = [0x33; 65];
    let data = validator_call_data(&signer, &hash, &signature);
    // abi.encode(address, bytes32, bytes): 3 head words, the length word, 65 bytes padded to 96.
    let arguments = &data[data.len() - (3 * 32 + 32 + 96)..];
    let code = &data[..data.len() - arguments.len()];
    assert!(code.len() > 100, "the committed creation code is missing");
    let mut expected = vec![0u8; 12];
    expected.extend_from_slice(&signer);
    expected.extend_from_slice(&hash);
    expected.extend_from_slice(&[0u8; 31]);
    expected.push(0x60); // offset of the bytes: after the three head words
    expected.extend_from_slice(&[0u8; 31]);
    expected.push(65);
    expected.extend_from_slice(&signature);
    expected.extend_from_slice(&[0u8; 31]);
    assert_eq!(arguments, expected.as_slice());
    // A signature of whole words gets no padding.
    let data = validator_call_data(&signer, &hash, &[0x44; 64]);
    assert_eq!(data.len(), code.len() + 4 * 32 + 64);
}

#[test]
fn an_erc6492_wrapper_is_named_as_such() {
    let (key, _) = evm_key();
    let signature = wrapped_6492(&personal_sign(&key, MESSAGE));
    assert!(is_erc6492(&signature));
    assert!(!is_erc6492(&signature[..signature.len() - 1]));
    let rpc = ScriptedRpc::answering(vec![ok("0x01")]);
    assert_eq!(
        verify(&rpc, &signature, &contract_address()).unwrap().kind,
        Some(SignatureKind::Erc6492)
    );
}

#[test]
fn the_validators_no_is_a_verdict_and_anything_else_an_error() {
    let signature = [0x55; 65];
    let rpc = ScriptedRpc::answering(vec![ok("0x00")]);
    assert_eq!(
        verify(&rpc, &signature, &contract_address()).unwrap(),
        Verdict {
            valid: false,
            kind: None
        }
    );
    assert!(validator_answer("0X01").unwrap());
    for answer in ["0x", "0x1", "0x0001", "0x02", "", "true", "0x0100"] {
        let rpc = ScriptedRpc::answering(vec![ok(answer)]);
        let error = verify(&rpc, &signature, &contract_address()).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidResponse, "{answer:?}");
    }
}

#[test]
fn an_rpc_failure_is_never_read_as_valid_or_invalid() {
    for code in [
        ErrorCode::RpcError,
        ErrorCode::Timeout,
        ErrorCode::Network,
        ErrorCode::HttpError,
    ] {
        let rpc = ScriptedRpc::answering(vec![Err(wallet_linker::Error::new(code, "down"))]);
        assert_eq!(
            verify(&rpc, &[0x55; 65], &contract_address())
                .unwrap_err()
                .code,
            code
        );
    }
}

#[test]
fn malformed_arguments_fail_before_the_rpc() {
    let rpc = ScriptedRpc::default();
    let error = verify(&rpc, &[0x55; 65], "0x1234").unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidAddress);
    assert_eq!(error.field.as_deref(), Some("address"));
    for signature in [vec![], vec![1; 64 * 1024 + 1]] {
        let error = verify(&rpc, &signature, &contract_address()).unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidSignatureLength);
    }
    assert!(rpc.methods().is_empty());
}

#[test]
fn the_chain_must_be_the_messages() {
    let rpc = ScriptedRpc::answering(vec![ok("0x1"), ok("0x2105"), ok("1"), ok("0x")]);
    assert!(ready(check_chain(&rpc, 1)).is_ok());
    let error = ready(check_chain(&rpc, 1)).unwrap_err();
    assert_eq!(error.code, ErrorCode::ChainIdMismatch);
    assert_eq!(
        (error.expected.as_deref(), error.received.as_deref()),
        (Some("1"), Some("8453"))
    );
    for _ in 0..2 {
        assert_eq!(
            ready(check_chain(&rpc, 1)).unwrap_err().code,
            ErrorCode::InvalidResponse
        );
    }
}

// ---------------------------------------------------------------------------------------------
// SIWE with contract accounts

fn siwe_text(address: &str, chain_id: u64) -> String {
    create_siwe_message(&SiweMessage {
        scheme: None,
        domain: "app.example.com".into(),
        address: address.into(),
        statement: Some("Link this wallet".into()),
        uri: "https://app.example.com".into(),
        version: "1".into(),
        chain_id,
        nonce: "nonce12345678".into(),
        issued_at: "2026-01-01T00:00:00.000Z".into(),
        expiration_time: None,
        not_before: None,
        request_id: None,
        resources: None,
    })
    .unwrap()
}

fn siwe_check() -> SiweCheck {
    SiweCheck {
        domain: "app.example.com".into(),
        nonce: "nonce12345678".into(),
        now_ms: 1_767_225_600_000,
        ..SiweCheck::default()
    }
}

fn siwe(rpc: &ScriptedRpc, message: &str, signature: &[u8]) -> Result<SignatureKind> {
    ready(verify_siwe_sign_in_with_rpc(
        message,
        signature,
        &siwe_check(),
        rpc,
    ))
    .map(|(_, kind)| kind)
}

#[test]
fn siwe_with_an_rpc_accepts_eoas_without_it() {
    let (key, address) = evm_key();
    let message = siwe_text(&address, 1);
    let rpc = ScriptedRpc::default();
    assert_eq!(
        siwe(&rpc, &message, &personal_sign(&key, &message)),
        Ok(SignatureKind::Eoa)
    );
    assert!(rpc.methods().is_empty());
}

#[test]
fn siwe_with_an_rpc_checks_the_chain_then_the_account() {
    let message = siwe_text(&contract_address(), 8453);
    let signature = [0x55; 65];
    let rpc = ScriptedRpc::answering(vec![ok("0x2105"), ok("0x01")]);
    assert_eq!(siwe(&rpc, &message, &signature), Ok(SignatureKind::Erc1271));
    assert_eq!(rpc.methods(), ["eth_chainId", "eth_call"]);

    // An RPC on another chain: the account is not looked up at all.
    let rpc = ScriptedRpc::answering(vec![ok("0x1")]);
    let error = siwe(&rpc, &message, &signature).unwrap_err();
    assert_eq!(error.code, ErrorCode::ChainIdMismatch);
    assert_eq!(rpc.methods(), ["eth_chainId"]);

    // The account says no.
    let rpc = ScriptedRpc::answering(vec![ok("0x2105"), ok("0x00")]);
    let error = siwe(&rpc, &message, &signature).unwrap_err();
    assert_eq!(error.code, ErrorCode::SignatureMismatch);
}

#[test]
fn siwe_with_an_rpc_keeps_every_other_rule() {
    // Domain, nonce and time are checked before any RPC call: a wrong one costs nothing.
    let message = siwe_text(&contract_address(), 1).replace("nonce12345678", "nonce87654321");
    let rpc = ScriptedRpc::default();
    assert_eq!(
        siwe(&rpc, &message, &[0x55; 65]).unwrap_err().code,
        ErrorCode::NonceMismatch
    );
    assert!(rpc.methods().is_empty());
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC over HTTP

struct Http {
    replies: RefCell<VecDeque<std::result::Result<HttpResponse, TransportError>>>,
    requests: RefCell<Vec<HttpRequest>>,
}

impl Http {
    fn replying(replies: Vec<std::result::Result<HttpResponse, TransportError>>) -> Self {
        Http {
            replies: RefCell::new(replies.into()),
            requests: RefCell::default(),
        }
    }
}

impl Transport for &Http {
    async fn send(
        &self,
        request: &HttpRequest,
    ) -> std::result::Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(request.clone());
        self.replies
            .borrow_mut()
            .pop_front()
            .expect("an unexpected request")
    }
    async fn sleep(&self, _ms: u64) -> std::result::Result<(), TransportError> {
        Ok(())
    }
    fn now_ms(&self) -> i64 {
        0
    }
    fn random(&self) -> f64 {
        0.0
    }
}

fn body(status: u16, text: &str) -> std::result::Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![],
        body: text.to_owned(),
    })
}

fn over_http(
    replies: Vec<std::result::Result<HttpResponse, TransportError>>,
) -> (Http, Result<String>) {
    let http = Http::replying(replies);
    let client = JsonRpcClient::new("http://127.0.0.1:8545", 5_000, &http, SerdeJson).unwrap();
    let result = ready(client.request("eth_chainId", "[]"));
    (http, result)
}

#[test]
fn json_rpc_requests_are_posts_of_one_call() {
    let (http, result) = over_http(vec![body(
        200,
        r#"{"jsonrpc":"2.0","id":1,"result":"0x1"}"#,
    )]);
    assert_eq!(result.unwrap(), "0x1");
    let request = &http.requests.borrow()[0];
    assert_eq!(request.url, "http://127.0.0.1:8545");
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.timeout_ms, 5_000);
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#)
    );
}

#[test]
fn json_rpc_errors_are_coded() {
    let (_, result) = over_http(vec![body(
        200,
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"execution reverted"}}"#,
    )]);
    let error = result.unwrap_err();
    assert_eq!(error.code, ErrorCode::RpcError);
    assert_eq!(error.api_code.as_deref(), Some("-32000"));
    assert!(error.message.contains("execution reverted"));

    for text in [
        "not json",
        "[]",
        r#"{"jsonrpc":"2.0","id":1}"#,
        r#"{"jsonrpc":"2.0","id":1,"result":1}"#,
    ] {
        let (_, result) = over_http(vec![body(200, text)]);
        assert_eq!(
            result.unwrap_err().code,
            ErrorCode::InvalidResponse,
            "{text}"
        );
    }
    // A read-only call is retried like a GET, then fails with the HTTP status.
    let (http, result) = over_http(vec![body(503, ""), body(503, ""), body(503, "")]);
    assert_eq!(result.unwrap_err().code, ErrorCode::HttpError);
    assert_eq!(http.requests.borrow().len(), 3);
    let (_, result) = over_http(vec![Err(TransportError::Refused("refused".into()))]);
    assert_eq!(result.unwrap_err().code, ErrorCode::Network);
}

#[test]
fn rpc_urls_and_budgets_are_checked() {
    assert!(validate_rpc_url("https://mainnet.example.com/v3/key?x=1").is_ok());
    for bad in [
        "ftp://x",
        "http://",
        "https:///path",
        "http://a b",
        "/rpc",
        "",
    ] {
        let error = validate_rpc_url(bad).unwrap_err();
        assert_eq!(
            (error.code, error.field.as_deref()),
            (ErrorCode::InvalidArgument, Some("rpc")),
            "{bad}"
        );
    }
    assert_eq!(rpc_timeout_ms(None).unwrap(), 10_000);
    assert_eq!(rpc_timeout_ms(Some(250.0)).unwrap(), 250);
    assert!(rpc_timeout_ms(Some(0.0)).is_err());
    assert!(rpc_timeout_ms(Some(1.5)).is_err());
}
