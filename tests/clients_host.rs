//! The service clients over the caller's values (`wallet_linker::api::host`), natively, with
//! scripted JavaScript values: every option checked and named, keys refused in a browser, each
//! method's argument reduced to its model's members (and refused, naming the member, when a member
//! is missing or of the wrong type), and what a response's value becomes.

#![allow(clippy::result_large_err)]

mod common;

use common::host::{Js, JsCodec, ScriptedHttp};
use serde_json::{Value, json};
use wallet_linker::api::Call;
use wallet_linker::api::host::HostClient;
use wallet_linker::host::HostValue;
use wallet_linker::options_reader::JsLike;
use wallet_linker::{Error, ErrorCode};

type Client = HostClient<ScriptedHttp, JsCodec>;

/// A transport: a signal must be an `AbortSignal` (as the wasm layer checks).
fn transport(signal: &Js) -> wallet_linker::Result<ScriptedHttp> {
    match signal {
        Js::Undefined => Ok(ScriptedHttp::default()),
        _ => Err(Error::new(ErrorCode::InvalidArgument, "signal").with_field("signal")),
    }
}

fn client(class: &str, options: Value, in_browser: bool) -> wallet_linker::Result<Client> {
    HostClient::new(class, &Js::json(&options), in_browser, transport, JsCodec)
}

fn refusal(result: wallet_linker::Result<impl Sized>) -> (ErrorCode, Option<String>, String) {
    match result {
        Ok(_) => panic!("accepted"),
        Err(e) => (e.code, e.field, e.message),
    }
}

fn prepare(client: &Client, method: &str, argument: Value) -> wallet_linker::Result<Call> {
    let prepared = client.prepare(method, &Js::json(&argument), &Js::Undefined);
    prepared.map(|(call, _)| call)
}

fn body(call: &Call) -> Value {
    serde_json::from_str(call.request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn every_option_is_checked_and_named() {
    let dynamic = |options: Value| refusal(client("DynamicClient", options, false));
    let (code, field, message) = dynamic(Value::Null);
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::InvalidArgument, Some("options"))
    );
    assert_eq!(
        message,
        "new DynamicClient(options): options must be an object, received null"
    );
    for (options, field, words) in [
        (
            json!({}),
            "environmentId",
            "environmentId must be a string, received undefined",
        ),
        (
            json!({"environmentId": 7}),
            "environmentId",
            "received number",
        ),
        (
            json!({"environmentId": "e", "timeoutMs": "5"}),
            "timeoutMs",
            "timeoutMs must be a number, received string",
        ),
        (
            json!({"environmentId": "e", "retryStateChanging": 1}),
            "retryStateChanging",
            "a boolean",
        ),
        (
            json!({"environmentId": "e", "credentials": "all"}),
            "credentials",
            "\"include\"",
        ),
        (
            json!({"environmentId": "e", "timeoutMs": 0}),
            "timeoutMs",
            "",
        ),
        (
            json!({"environmentId": "e", "deadlineMs": -1}),
            "deadlineMs",
            "",
        ),
        (
            json!({"environmentId": "e", "baseUrl": "ftp://x"}),
            "baseUrl",
            "",
        ),
        (json!({"environmentId": "e", "signal": {}}), "signal", ""),
    ] {
        let (code, got, message) = dynamic(options.clone());
        assert_eq!(
            (code, got.as_deref()),
            (ErrorCode::InvalidArgument, Some(field)),
            "{options}: {message}"
        );
        assert!(message.contains(words), "{message}");
    }
    let ok = client(
        "DynamicClient",
        json!({"environmentId": "env-1", "authToken": "t"}),
        false,
    )
    .unwrap();
    assert_eq!(ok.environment_id().as_deref(), Some("env-1"));
    assert_eq!(ok.auth_token().as_deref(), Some("t"));
    ok.set_auth_token(&Js::Null).unwrap();
    assert_eq!(ok.auth_token(), None);
    let e = ok.set_auth_token(&Js::Number(1.0)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("authToken"));
}

#[test]
fn keys_are_refused_in_a_browser_unless_allowed() {
    let admin = json!({"environmentId": "e", "apiToken": "dyn_secret"});
    let (code, ..) = refusal(client("DynamicAdminClient", admin.clone(), true));
    assert_eq!(code, ErrorCode::BrowserSecret);
    let (code, ..) = refusal(client("SnagClient", json!({"apiKey": "k"}), true));
    assert_eq!(code, ErrorCode::BrowserSecret);
    let mut allowed = admin.clone();
    allowed["dangerouslyAllowBrowser"] = json!(true);
    assert!(client("DynamicAdminClient", allowed, true).is_ok());
    assert!(client("DynamicAdminClient", admin, false).is_ok());
    let (_, field, _) = refusal(client(
        "SnagClient",
        json!({"apiKey": "k", "dangerouslyAllowBrowser": "yes"}),
        true,
    ));
    assert_eq!(field.as_deref(), Some("dangerouslyAllowBrowser"));
}

fn verify_request() -> Value {
    json!({
        "signedMessage": "0xsig", "messageToSign": "hello", "publicWalletAddress": "0xabc",
        "chain": "EVM", "walletName": "metamask", "walletProvider": "browserExtension",
    })
}

#[test]
fn a_request_is_reduced_to_its_models_members() {
    let dynamic = client("DynamicClient", json!({"environmentId": "env-1"}), false).unwrap();
    let mut request = verify_request();
    request["extra"] = json!("dropped");
    request["oauth"] = json!({"accessToken": "c", "unknown": 1});
    let call = prepare(&dynamic, "verify", request).unwrap();
    let sent = body(&call);
    assert!(sent.get("extra").is_none(), "{sent}");
    assert_eq!(sent["oauth"], json!({"accessToken": "c"}));
    assert_eq!(sent["signedMessage"], "0xsig");

    for (change, words) in [
        (
            json!({"signedMessage": null}),
            "request.signedMessage is required",
        ),
        (
            json!({"chain": 1}),
            "request.chain must be a string, received number",
        ),
        (
            json!({"oauth": "c"}),
            "request.oauth must be an object, received string",
        ),
    ] {
        let mut request = verify_request();
        for (k, v) in change.as_object().unwrap() {
            request[k] = v.clone();
        }
        let (code, field, message) = refusal(prepare(&dynamic, "verifyLink", request));
        assert_eq!(
            (code, field.as_deref()),
            (ErrorCode::InvalidArgument, Some("request"))
        );
        assert_eq!(message, words);
    }
    let (_, field, _) = refusal(prepare(&dynamic, "verify", json!([1])));
    assert_eq!(field.as_deref(), Some("request"));

    // A global wallet connection (of a signed-in user) takes a Date's ISO text or a string.
    dynamic.set_auth_token(&Js::text("jwt")).unwrap();
    let call = prepare(
        &dynamic,
        "createGlobalWalletConnection",
        json!({"expiresAt": "2026-01-01T00:00:00.000Z"}),
    )
    .unwrap();
    assert_eq!(
        body(&call),
        json!({"expiresAt": "2026-01-01T00:00:00.000Z"})
    );
    let (_, field, _) = refusal(prepare(
        &dynamic,
        "createGlobalWalletConnection",
        json!({"expiresAt": ""}),
    ));
    assert_eq!(field.as_deref(), Some("expiresAt"));
}

#[test]
fn bulk_users_and_the_link_servers_proofs() {
    let admin = client(
        "DynamicAdminClient",
        json!({"environmentId": "e", "apiToken": "t"}),
        false,
    )
    .unwrap();
    let users = json!([{"email": "a@example.com", "junk": true}]);
    let (call, _) = admin
        .prepare(
            "bulkCreateUsers",
            &Js::json(&users),
            &Js::json(&json!({"upsert": true})),
        )
        .unwrap();
    assert_eq!(body(&call), json!([{"email": "a@example.com"}]));
    assert!(
        call.request.url.contains("upsert=true"),
        "{}",
        call.request.url
    );
    let (_, field, message) =
        refusal(admin.prepare("bulkCreateUsers", &Js::json(&json!({})), &Js::Undefined));
    assert_eq!(
        (field.as_deref(), message.as_str()),
        (
            Some("users"),
            "users must be an array of users, received object"
        )
    );
    let (_, field, _) = refusal(admin.prepare(
        "bulkCreateUsers",
        &Js::json(&json!([{"email": 5}])),
        &Js::Undefined,
    ));
    assert_eq!(field.as_deref(), Some("users"));

    let server = client(
        "LinkServerClient",
        json!({"baseUrl": "https://app.example/api/link", "authToken": "jwt"}),
        false,
    )
    .unwrap();
    let (nonce, _) = server
        .prepare("getNonce", &Js::Undefined, &Js::Undefined)
        .unwrap();
    assert_eq!(nonce.request.url, "https://app.example/api/link/nonce");
    let flat =
        json!({"walletType": "evm", "walletAddress": "0xabc", "message": "m", "signature": "s"});
    let nested = json!({"walletType": "evm", "walletAddress": "0xabc",
        "verificationData": {"message": "m", "signature": "s"}});
    let sent =
        [flat, nested].map(|params| body(&prepare(&server, "connectWallet", params).unwrap()));
    assert_eq!(sent[0], sent[1]);
    assert_eq!(sent[0]["message"], "m");
    let (_, field, _) = refusal(prepare(
        &server,
        "connectWallet",
        json!({"walletType": "evm", "walletAddress": "0xabc"}),
    ));
    assert_eq!(field.as_deref(), Some("message"));
    let (_, field, _) = refusal(prepare(
        &server,
        "connectWallet",
        json!({"walletType": "ton", "walletAddress": "EQ"}),
    ));
    assert_eq!(field.as_deref(), Some("tonVerification"));
}

#[test]
fn a_response_becomes_what_the_method_returns() {
    let dynamic = client("DynamicClient", json!({"environmentId": "env-1"}), false).unwrap();
    let (_, nonce) = dynamic
        .prepare("getNonce", &Js::Undefined, &Js::Undefined)
        .unwrap();
    let answer = Js::json(&json!({"nonce": "abc123"}));
    assert_eq!(nonce.apply(answer).text().as_deref(), Some("abc123"));
    let (_, keep) = dynamic
        .prepare("verify", &Js::json(&verify_request()), &Js::Undefined)
        .unwrap();
    let response = Js::json(&json!({"jwt": "new-jwt", "user": {}}));
    assert_eq!(
        keep.apply(response).get_text("jwt").as_deref(),
        Some("new-jwt")
    );
    assert_eq!(
        dynamic.auth_token().as_deref(),
        Some("new-jwt"),
        "the client keeps the new JWT"
    );
}
