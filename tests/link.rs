//! `linkWallet` over the caller's objects (`wallet_linker::link`), natively, with scripted
//! JavaScript values (`common::host::Js`): what the options must hold, where the chain, address,
//! wallet name, domain and URI come from, the steps, the result object, an abort, a refusal from
//! the wallet, a bad signature that never reaches Dynamic, the link server's proof; and thrown
//! values as coded errors (`wallet_linker::host`).

#![allow(clippy::result_large_err)]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::host::Js;
use common::{ScriptedRpc, evm_key, personal_sign, ready};
use serde_json::{Value, json};
use wallet_linker::host::{self, HostValue};
use wallet_linker::message::parse_dynamic_sign_in_message;
use wallet_linker::options_reader::JsLike;
use wallet_linker::{Error, ErrorCode};

const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const NONCE: &str = "nonce12345678";

/// What the scripted objects saw.
#[derive(Default)]
struct Log {
    /// `(method, argument as JSON)` of every service call.
    calls: RefCell<Vec<(String, Value)>>,
    steps: RefCell<Vec<String>>,
    aborted: Cell<bool>,
}

impl Log {
    fn methods(&self) -> Vec<String> {
        self.calls.borrow().iter().map(|(m, _)| m.clone()).collect()
    }
}

/// A Dynamic client look-alike: a nonce, and a user with one credential from `verify*`.
fn dynamic(log: &Rc<Log>, auth_token: Option<&str>) -> Js {
    let service = |name: &'static str, answer: Value| {
        let log = log.clone();
        Js::function(move |args| {
            let argument = args.first().map(Js::to_json).unwrap_or(Value::Null);
            log.calls.borrow_mut().push((name.to_owned(), argument));
            Ok(Js::json(&answer))
        })
    };
    let user =
        json!({"user": {"id": "u1", "verifiedCredentials": [{"id": "c1"}]}, "jwt": "jwt-new"});
    let client = Js::object([
        ("getNonce", service("getNonce", json!(NONCE))),
        ("verify", service("verify", user.clone())),
        ("verifyLink", service("verifyLink", user)),
        ("environmentId", Js::text("env-1")),
    ]);
    if let Some(token) = auth_token {
        client.set("authToken", Js::text(token)).unwrap();
    }
    client
}

/// An EVM wallet adapter look-alike that signs with the test key (or `key_of_other` for a
/// stranger's signature).
fn evm_wallet(stranger: bool) -> Js {
    let signer = if stranger {
        k256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap()
    } else {
        evm_key().0
    };
    Js::object([
        ("chain", Js::text("ETH")),
        ("address", Js::text(&evm_key().1)),
        ("chainId", Js::Number(1.0)),
        ("walletName", Js::text("MetaMask")),
        (
            "signMessage",
            Js::function(move |args| {
                let message = args[0].text().unwrap();
                Ok(Js::Bytes(personal_sign(&signer, &message)))
            }),
        ),
    ])
}

/// The host `linkHost` (boundary.js) builds, over the same objects: calls go straight through.
fn host_for(options: &Js, log: &Rc<Log>) -> Js {
    let through = |key: &'static str| {
        let options = options.clone();
        Js::function(move |args| {
            let object = match key {
                "snag" => options.get("snag").get("client"),
                _ => options.get(key),
            };
            let method = args[0].text().unwrap();
            object.call_method(&method, &args[1..])
        })
    };
    let wallet_call = |method: &'static str| {
        let options = options.clone();
        Js::function(move |args| {
            let callback = options.get("signMessage");
            match (method, callback.is_function()) {
                ("signMessage", true) => callback.call(args),
                _ => options.get("wallet").call_method(method, args),
            }
        })
    };
    let steps = log.clone();
    let aborted = log.clone();
    let signal = options.get("signal");
    let signal = match signal.type_name().as_str() {
        "AbortSignal" => signal,
        _ => Js::Undefined,
    };
    Js::object([
        ("connect", wallet_call("connect")),
        ("sign", wallet_call("signMessage")),
        ("signIn", wallet_call("signIn")),
        ("dynamic", through("dynamic")),
        ("snag", through("snag")),
        (
            "step",
            Js::function(move |args| {
                steps.steps.borrow_mut().push(args[0].text().unwrap());
                Ok(Js::Undefined)
            }),
        ),
        (
            "aborted",
            Js::function(move |_| Ok(Js::Bool(aborted.aborted.get()))),
        ),
        ("signal", signal),
        ("now", Js::function(|_| Ok(Js::Number(NOW as f64)))),
        ("preciseNow", Js::function(|_| Ok(Js::Number(1.5)))),
        (
            "location",
            Js::function(|args| {
                let host_only = args[0].array_length() == Some(1);
                Ok(Js::text(match host_only {
                    true => "app.example.com",
                    false => "https://app.example.com/link",
                }))
            }),
        ),
    ])
}

fn link(options: &Js, log: &Rc<Log>) -> wallet_linker::Result<Js> {
    let host = host_for(options, log);
    let no_rpc = |_| -> wallet_linker::Result<ScriptedRpc> { panic!("no RPC is expected") };
    ready(wallet_linker::link::link_wallet(options, host, no_rpc))
}

fn failure(options: &Js, log: &Rc<Log>) -> Error {
    match link(options, log) {
        Ok(result) => panic!("linked: {}", result.to_json()),
        Err(e) => e,
    }
}

#[test]
fn links_an_evm_wallet_with_what_the_objects_hold() {
    let log = Rc::new(Log::default());
    let options = Js::object([
        ("dynamic", dynamic(&log, Some("jwt-old"))),
        ("wallet", evm_wallet(false)),
    ]);
    let result = link(&options, &log).unwrap().to_json();

    // The chain, address, wallet name and Chain ID are the wallet's; the domain and URI the page's.
    assert_eq!(result["mode"], "link", "a signed-in client links");
    assert_eq!(result["chain"], "ETH");
    assert_eq!(result["address"], evm_key().1);
    assert_eq!(result["walletName"], "MetaMask");
    assert_eq!(result["jwt"], "jwt-new");
    assert_eq!(result["verifiedCredentials"], json!([{"id": "c1"}]));
    assert_eq!(result["localCheck"]["ok"], true);
    assert_eq!(result["localCheck"]["kind"], "eoa");
    assert_eq!(result["localCheck"]["address"], evm_key().1);
    assert!(result.get("snag").is_none());
    let message = result["message"].as_str().unwrap();
    let parsed = parse_dynamic_sign_in_message(message).unwrap();
    assert_eq!(parsed.nonce, NONCE);
    assert_eq!(parsed.domain.as_deref(), Some("app.example.com"));
    assert_eq!(parsed.uri.as_deref(), Some("https://app.example.com/link"));
    assert_eq!(parsed.chain_id, Some(1));
    assert_eq!(
        parsed.issued_at.as_deref(),
        Some("2026-01-01T00:00:00.000Z")
    );
    assert_eq!(parsed.environment_id, "env-1");

    assert_eq!(log.methods(), ["getNonce", "verifyLink"]);
    let request = &log.calls.borrow()[1].1;
    assert_eq!(request["messageToSign"], message);
    assert_eq!(request["signedMessage"], result["signature"]);
    assert_eq!(request["publicWalletAddress"], evm_key().1);
    assert_eq!(request["chain"], "ETH");
    assert_eq!(
        *log.steps.borrow(),
        ["connect", "nonce", "message", "sign", "verify", "link"]
    );
}

#[test]
fn signs_in_through_a_callback_with_the_options_data() {
    let log = Rc::new(Log::default());
    let (key, address) = evm_key();
    let options = Js::object([
        ("dynamic", dynamic(&log, None)),
        ("chain", Js::text("ETH")),
        ("address", Js::text(&address)),
        ("chainId", Js::Number(137.0)),
        ("domain", Js::text("shop.example.org")),
        ("walletName", Js::text("Rabby")),
        (
            "signMessage",
            Js::function(move |args| {
                let message = args[0].text().unwrap();
                Ok(Js::Bytes(personal_sign(&key, &message)))
            }),
        ),
    ]);
    let result = link(&options, &log).unwrap().to_json();
    assert_eq!(result["mode"], "signIn");
    let parsed = parse_dynamic_sign_in_message(result["message"].as_str().unwrap()).unwrap();
    assert_eq!(parsed.domain.as_deref(), Some("shop.example.org"));
    assert_eq!(parsed.chain_id, Some(137));
    assert_eq!(log.methods(), ["getNonce", "verify"]);
    assert_eq!(log.calls.borrow()[1].1["walletName"], "Rabby");
}

#[test]
fn a_strangers_signature_never_reaches_dynamic() {
    let log = Rc::new(Log::default());
    let options = Js::object([
        ("dynamic", dynamic(&log, Some("jwt-old"))),
        ("wallet", evm_wallet(true)),
    ]);
    let e = failure(&options, &log);
    assert_eq!(
        (e.code, e.step.as_deref()),
        (ErrorCode::SignatureMismatch, Some("verify"))
    );
    assert_eq!(log.methods(), ["getNonce"], "no verify call");
}

#[test]
fn the_options_must_hold_a_client_a_signer_and_a_real_signal() {
    let log = Rc::new(Log::default());
    let wallet = evm_wallet(false);
    let cases = [
        (Js::object([("wallet", wallet.clone())]), "dynamic"),
        (
            Js::object([
                (
                    "dynamic",
                    Js::object([("getNonce", Js::function(|_| Ok(Js::Undefined)))]),
                ),
                ("wallet", wallet.clone()),
            ]),
            "dynamic",
        ),
        (Js::object([("dynamic", dynamic(&log, None))]), "wallet"),
        (
            Js::object([
                ("dynamic", dynamic(&log, None)),
                ("wallet", Js::object([("address", Js::text("0x"))])),
            ]),
            "wallet",
        ),
        (
            Js::object([
                ("dynamic", dynamic(&log, None)),
                ("signMessage", Js::text("yes")),
            ]),
            "signMessage",
        ),
        (
            Js::object([
                ("dynamic", dynamic(&log, None)),
                ("wallet", wallet.clone()),
                ("signal", Js::object([("aborted", Js::Bool(false))])),
            ]),
            "signal",
        ),
        (
            Js::object([
                ("dynamic", dynamic(&log, None)),
                ("wallet", wallet.clone()),
                ("chainId", Js::Bool(true)),
            ]),
            "chainId",
        ),
        (
            Js::object([
                ("dynamic", dynamic(&log, None)),
                ("signMessage", Js::function(|_| Ok(Js::Undefined))),
                ("chain", Js::text("ETH")),
            ]),
            "address",
        ),
    ];
    for (options, field) in cases {
        let e = failure(&options, &log);
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidArgument, Some(field)),
            "{}",
            e.message
        );
    }
    assert!(log.methods().is_empty(), "nothing reached Dynamic");
    // An options object that cannot be read is an error naming it.
    let unreadable = Js::object([("$throws", Js::text("getter failed"))]);
    let e = failure(&unreadable, &log);
    assert_eq!(e.field.as_deref(), Some("options"));
    assert!(e.message.contains("getter failed"), "{}", e.message);
}

#[test]
fn an_abort_stops_before_the_next_step() {
    let log = Rc::new(Log::default());
    let (key, address) = evm_key();
    let aborter = log.clone();
    let options = Js::object([
        ("dynamic", dynamic(&log, None)),
        ("chain", Js::text("ETH")),
        ("address", Js::text(&address)),
        ("signal", Js::instance("AbortSignal")),
        (
            "signMessage",
            Js::function(move |args| {
                // The user leaves while the wallet is open.
                aborter.aborted.set(true);
                Ok(Js::Bytes(personal_sign(&key, &args[0].text().unwrap())))
            }),
        ),
    ]);
    let e = failure(&options, &log);
    assert_eq!(
        (e.code, e.step.as_deref()),
        (ErrorCode::Aborted, Some("verify"))
    );
    assert_eq!(log.methods(), ["getNonce"]);
}

#[test]
fn what_the_wallet_throws_is_a_coded_error_of_its_step() {
    let log = Rc::new(Log::default());
    let wallet = evm_wallet(false);
    // The host (boundary.js) turns a wallet's rejection into a coded error: 4001 is the user's no.
    let refusal = host::wallet_error(
        &Js::thrown("User rejected", Some(Js::Number(4001.0))),
        "sign the message",
    );
    let thrown = host::error_value::<Js>(&refusal);
    wallet
        .set("signMessage", Js::function(move |_| Err(thrown.clone())))
        .unwrap();
    let options = Js::object([("dynamic", dynamic(&log, None)), ("wallet", wallet)]);
    let e = failure(&options, &log);
    assert_eq!(
        (e.code, e.step.as_deref()),
        (ErrorCode::UserRejected, Some("sign"))
    );
    assert_eq!(log.methods(), ["getNonce"]);
}

#[test]
fn a_link_server_gets_its_own_proof_and_the_new_jwt() {
    let log = Rc::new(Log::default());
    let server_log = log.clone();
    let second_nonce = "servernonce9876";
    let server = Js::object([
        (
            "getNonce",
            Js::function(move |_| Ok(Js::text(second_nonce))),
        ),
        (
            "connectWallet",
            Js::function(move |args| {
                let params = args[0].to_json();
                server_log
                    .calls
                    .borrow_mut()
                    .push(("connectWallet".into(), params));
                Ok(Js::json(&json!({"linked": true})))
            }),
        ),
    ]);
    let options = Js::object([
        ("dynamic", dynamic(&log, Some("jwt-old"))),
        ("wallet", evm_wallet(false)),
        ("snag", Js::object([("client", server.clone())])),
    ]);
    let result = link(&options, &log).unwrap().to_json();
    assert_eq!(result["snag"], json!({"linked": true}));
    assert_eq!(server.get("authToken").text().as_deref(), Some("jwt-new"));
    let calls = log.calls.borrow();
    let (method, params) = calls.last().unwrap();
    assert_eq!(method, "connectWallet");
    assert_eq!(params["walletType"], "evm");
    assert_eq!(params["walletAddress"], evm_key().1);
    let second = parse_dynamic_sign_in_message(params["message"].as_str().unwrap()).unwrap();
    assert_eq!(
        second.nonce, second_nonce,
        "the server's nonce, not Dynamic's"
    );
    assert_ne!(params["signature"], result["signature"]);
}

#[test]
fn thrown_values_become_coded_errors() {
    // One of ours keeps its code and details.
    let ours = Error::new(ErrorCode::HttpError, "503 from Dynamic")
        .with_field("request")
        .with_status(503);
    let back = host::thrown_error(&host::error_value::<Js>(&ours), ErrorCode::Internal);
    assert_eq!(
        (
            back.code,
            back.message.as_str(),
            back.field.as_deref(),
            back.status
        ),
        (
            ErrorCode::HttpError,
            "503 from Dynamic",
            Some("request"),
            Some(503)
        )
    );
    // Anything else is the fallback, with its message or its text; a look-alike with our code
    // but not our class is not trusted.
    let foreign = Js::thrown("socket hang up", None);
    let forged = Js::object([
        ("code", Js::text("USER_REJECTED")),
        ("message", Js::text("x")),
    ]);
    for (thrown, message) in [
        (foreign, "socket hang up"),
        (Js::text("plain text"), "plain text"),
        (forged, "x"),
        (Js::Number(4.0), "unknown JavaScript error"),
    ] {
        let e = host::thrown_error(&thrown, ErrorCode::InvalidResponse);
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::InvalidResponse, message)
        );
    }
    // A wallet's 4001 (number or text) is the user's refusal; another code is a wallet error.
    let code = |thrown: Js| host::wallet_error(&thrown, "connect").code;
    assert_eq!(
        code(Js::thrown("no", Some(Js::Number(4001.0)))),
        ErrorCode::UserRejected
    );
    assert_eq!(
        code(Js::thrown("no", Some(Js::text("4001")))),
        ErrorCode::UserRejected
    );
    assert_eq!(
        code(Js::thrown("boom", Some(Js::Number(-32603.0)))),
        ErrorCode::WalletError
    );
}
