//! The package's functions over the caller's values (`wallet_linker::exports`), natively, with
//! scripted JavaScript values: what each argument may be (and the error naming it when it is not),
//! the sign-in options read from one copy, the RPC a caller gives (a URL or an EIP-1193 provider,
//! whose failures stay errors), and the wallets' answers.

#![allow(clippy::result_large_err)]

mod common;

use common::host::{Js, JsCodec, ScriptedHttp};
use common::{evm_key, personal_sign, ready};
use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use serde_json::json;
use wallet_linker::evm::EvmRpc;
use wallet_linker::exports::rpc::{HostRpc, verify_evm_message, verify_evm_sign_in};
use wallet_linker::exports::{verify, wallets};
use wallet_linker::host::{self, HostValue};
use wallet_linker::message::{SiweMessage, create_siwe_message};
use wallet_linker::options_reader::JsLike;
use wallet_linker::{Error, ErrorCode};

/// 2026-01-01T00:00:00Z, the scripted engine's clock.
const NOW: &str = "2026-01-01T00:00:00.000Z";

fn code_and_field<T>(result: wallet_linker::Result<T>) -> (ErrorCode, Option<String>) {
    match result {
        Ok(_) => panic!("accepted"),
        Err(e) => (e.code, e.field),
    }
}

#[test]
fn evm_signatures_as_text_or_bytes() {
    let (key, address) = evm_key();
    let signature = personal_sign(&key, "hello");
    let hex = format!("0x{}", base16ct::lower::encode_string(&signature));
    let message = Js::text("hello");
    for given in [Js::Bytes(signature.clone()), Js::text(&hex)] {
        assert_eq!(
            verify::recover_evm_address(&message, &given).unwrap(),
            address
        );
        assert!(verify::verify_evm_signature(&message, &given, &Js::text(&address)).unwrap());
        let other = Js::text("hellO");
        assert!(!verify::verify_evm_signature(&other, &given, &Js::text(&address)).unwrap());
    }
    // The same bytes as a message are the same message.
    let bytes = Js::Bytes(b"hello".to_vec());
    assert_eq!(
        verify::recover_evm_address(&bytes, &Js::text(&hex)).unwrap(),
        address
    );

    let e = verify::recover_evm_address(&message, &Js::Number(1.0)).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref(), e.message.as_str()),
        (
            ErrorCode::InvalidArgument,
            Some("signature"),
            "signature must be a string or a Uint8Array, received number"
        )
    );
    let array = Js::new_array(vec![]);
    let (_, field) = code_and_field(verify::recover_evm_address(&array, &Js::text(&hex)));
    assert_eq!(field.as_deref(), Some("message"));
    let (_, field) = code_and_field(verify::verify_evm_signature(
        &message,
        &Js::text(&hex),
        &Js::Null,
    ));
    assert_eq!(field.as_deref(), Some("address"));
}

#[test]
fn solana_keys_and_signatures() {
    let key = EdSigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key().to_bytes();
    let address = bs58::encode(public).into_string();
    let signature = key.sign(b"gm").to_bytes();
    let base58 = bs58::encode(signature).into_string();
    for (key_given, signature_given) in [
        (Js::text(&address), Js::text(&base58)),
        (Js::Bytes(public.to_vec()), Js::Bytes(signature.to_vec())),
    ] {
        let ok = verify::verify_solana_signature(&Js::text("gm"), &signature_given, &key_given);
        assert!(ok.unwrap());
        let other = verify::verify_solana_signature(&Js::text("gn"), &signature_given, &key_given);
        assert!(!other.unwrap());
    }
    let verifier = verify::solana_key(&Js::text(&address)).unwrap();
    assert!(verify::verify_solana_with(&verifier, &Js::text("gm"), &Js::text(&base58)).unwrap());
    let (code, field) = code_and_field(verify::solana_key(&Js::Bytes(vec![1; 31])));
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::InvalidPublicKey, Some("publicKey"))
    );
}

fn siwe_options(message: &str, signature: &[u8]) -> serde_json::Value {
    json!({
        "message": message,
        "signature": format!("0x{}", base16ct::lower::encode_string(signature)),
        "domain": "app.example.com",
        "nonce": "abcdef123456",
    })
}

fn siwe_text(address: &str, issued_at: &str) -> String {
    create_siwe_message(&SiweMessage {
        scheme: None,
        domain: "app.example.com".into(),
        address: address.into(),
        statement: None,
        uri: "https://app.example.com".into(),
        version: "1".into(),
        chain_id: 1,
        nonce: "abcdef123456".into(),
        issued_at: issued_at.into(),
        expiration_time: None,
        not_before: None,
        request_id: None,
        resources: None,
    })
    .unwrap()
}

#[test]
fn a_sign_in_reads_its_options_from_one_copy() {
    let (key, address) = evm_key();
    let message = siwe_text(&address, NOW);
    let options = siwe_options(&message, &personal_sign(&key, &message));
    let fields = verify::verify_siwe_sign_in(&Js::json(&options)).unwrap();
    assert_eq!(fields.address, address);

    // Each broken rule is refused, naming the member.
    for (change, code, field) in [
        (
            json!({"message": null}),
            ErrorCode::InvalidArgument,
            "message",
        ),
        (
            json!({"signature": null}),
            ErrorCode::InvalidArgument,
            "signature",
        ),
        (
            json!({"domain": "evil.example"}),
            ErrorCode::DomainMismatch,
            "domain",
        ),
        (
            json!({"nonce": "otherNonce123"}),
            ErrorCode::NonceMismatch,
            "nonce",
        ),
        (json!({"nonce": 5}), ErrorCode::InvalidArgument, "nonce"),
        (json!({"now": true}), ErrorCode::InvalidArgument, "now"),
    ] {
        let mut broken = options.clone();
        for (k, v) in change.as_object().unwrap() {
            broken[k] = v.clone();
        }
        let e = verify::verify_siwe_sign_in(&Js::json(&broken)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (code, Some(field)),
            "{change}: {}",
            e.message
        );
    }
    // The time is the engine's clock unless `now` says otherwise: a day later, with a 10-minute
    // age limit, the message is too old.
    let mut later = options.clone();
    later["now"] = json!("2026-01-02T00:00:00.000Z");
    later["maxAgeSeconds"] = json!(600);
    let (code, _) = code_and_field(verify::verify_siwe_sign_in(&Js::json(&later)));
    assert_eq!(code, ErrorCode::Expired);
    let unreadable = Js::object([("$throws", Js::text("getter"))]);
    let (_, field) = code_and_field(verify::verify_siwe_sign_in(&unreadable));
    assert_eq!(field.as_deref(), Some("options"));
}

/// The runtime's `providerRequest`: answers, or throws, what `answer` gives for the method.
fn runtime(answer: impl Fn(&str) -> Result<Js, Js> + 'static) -> Js {
    Js::object([(
        "providerRequest",
        Js::function(move |args| answer(&args[1].text().unwrap())),
    )])
}

fn provider_rpc(
    answer: impl Fn(&str) -> Result<Js, Js> + 'static,
) -> HostRpc<Js, ScriptedHttp, JsCodec> {
    let provider = Js::object([("request", Js::function(|_| Ok(Js::Undefined)))]);
    HostRpc::new(
        provider,
        None,
        runtime(answer),
        ScriptedHttp::default(),
        JsCodec,
    )
    .unwrap()
}

#[test]
fn an_rpc_is_a_url_or_a_provider_and_its_failures_stay_errors() {
    let make = |rpc: Js| HostRpc::new(rpc, None, Js::Undefined, ScriptedHttp::default(), JsCodec);
    assert!(matches!(
        make(Js::text("https://rpc.example")),
        Ok(HostRpc::Url(_))
    ));
    for bad in [
        Js::Number(1.0),
        Js::object([]),
        Js::text("ftp://rpc.example"),
    ] {
        let (code, field) = code_and_field(make(bad));
        assert_eq!(code, ErrorCode::InvalidArgument);
        assert!(
            matches!(
                field.as_deref(),
                Some("rpc") | Some("baseUrl") | Some("url")
            ),
            "{field:?}"
        );
    }

    let answered = provider_rpc(|method| Ok(Js::text(&format!("answer to {method}"))));
    assert_eq!(
        ready(answered.request("eth_chainId", "[]")).unwrap(),
        "answer to eth_chainId"
    );

    let timed_out =
        provider_rpc(|_| Err(host::error_value(&Error::new(ErrorCode::Timeout, "late"))));
    let refused = provider_rpc(|_| {
        Err(Js::object([
            ("code", Js::Number(-32000.0)),
            ("message", Js::text("execution reverted")),
        ]))
    });
    let nonsense = provider_rpc(|_| Ok(Js::Number(1.0)));
    let codes =
        [timed_out, refused, nonsense].map(|rpc| ready(rpc.request("eth_call", "[]")).unwrap_err());
    assert_eq!(codes[0].code, ErrorCode::Timeout);
    assert_eq!(
        (codes[1].code, codes[1].api_code.as_deref()),
        (ErrorCode::RpcError, Some("-32000"))
    );
    assert_eq!(codes[2].code, ErrorCode::InvalidResponse);
}

#[test]
fn evm_messages_of_any_account_through_the_rpc() {
    let (key, address) = evm_key();
    let signature = personal_sign(&key, "hello");
    let options = json!({
        "message": "hello",
        "signature": format!("0x{}", base16ct::lower::encode_string(&signature)),
        "address": address,
        "rpc": "https://rpc.example",
    });
    // A key's signature needs no call.
    let no_call = |_: Js, _: Option<f64>| Ok(provider_rpc(|m| panic!("called {m}")));
    let verdict = ready(verify_evm_message(&Js::json(&options), no_call)).unwrap();
    assert_eq!(verdict.to_json(), json!({"valid": true, "kind": "eoa"}));

    for (missing, field) in [
        ("rpc", "rpc"),
        ("address", "address"),
        ("message", "message"),
    ] {
        let mut partial = options.clone();
        partial.as_object_mut().unwrap().remove(missing);
        let e = ready(verify_evm_message(&Js::json(&partial), no_call)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field));
    }
    // A sign-in signed by the address's key needs no call either; another signature asks the
    // RPC, whose chain must be the message's Chain ID.
    let message = siwe_text(&address, NOW);
    let mut sign_in = siwe_options(&message, &personal_sign(&key, &message));
    sign_in["rpc"] = json!("https://rpc.example");
    let signed_in = ready(verify_evm_sign_in(&Js::json(&sign_in), no_call)).unwrap();
    assert_eq!(signed_in.get("kind").text().as_deref(), Some("eoa"));
    let stranger = k256::ecdsa::SigningKey::from_slice(&[0x42; 32]).unwrap();
    let mut contract = siwe_options(&message, &personal_sign(&stranger, &message));
    contract["rpc"] = json!("https://rpc.example");
    let other_chain = |_: Js, _: Option<f64>| Ok(provider_rpc(|_| Ok(Js::text("0x89"))));
    let e = ready(verify_evm_sign_in(&Js::json(&contract), other_chain)).unwrap_err();
    assert_eq!(e.code, ErrorCode::ChainIdMismatch, "{e:?}");
}

#[test]
fn the_wallets_answers() {
    let (_, address) = evm_key();
    let lower = Js::new_array(vec![Js::text(&address.to_lowercase())]);
    assert_eq!(wallets::evm_account(&lower).unwrap(), address);
    let (code, _) = code_and_field(wallets::evm_account(&Js::new_array(vec![])));
    assert_eq!(code, ErrorCode::WalletError);
    assert_eq!(wallets::chain_id(&Js::text("0x89")), Some(137.0));
    assert_eq!(wallets::chain_id(&Js::Number(10.0)), Some(10.0));
    assert_eq!(wallets::chain_id(&Js::object([])), None);
    assert_eq!(
        wallets::timeout(&Js::Undefined).unwrap(),
        wallet_linker::wallet::DEFAULT_DISCOVERY_MS
    );
    assert_eq!(
        code_and_field(wallets::timeout(&Js::text("5")))
            .1
            .as_deref(),
        Some("timeoutMs")
    );

    let solana = bs58::encode([3u8; 32]).into_string();
    let account = Js::object([("address", Js::text(&solana))]);
    assert_eq!(wallets::address("SOL", &account).unwrap(), solana);
    assert_eq!(
        code_and_field(wallets::address("SOL", &Js::Undefined)).0,
        ErrorCode::WalletError
    );
    assert_eq!(
        wallets::key_address(&Js::Bytes(vec![3; 32])).unwrap(),
        solana
    );
    assert_eq!(
        wallets::signature(&Js::Bytes(vec![9; 64])).unwrap(),
        bs58::encode([9u8; 64]).into_string()
    );

    let refused = Js::object([("error", Js::object([("message", Js::text("declined"))]))]);
    let e = wallets::ton_proof(&Js::object([]), &refused).unwrap_err();
    assert_eq!(e.code, ErrorCode::WalletError);
    assert!(e.message.contains("declined"), "{}", e.message);
    let no_item = wallets::ton_proof(&Js::object([]), &Js::Undefined).unwrap_err();
    assert_eq!(no_item.code, ErrorCode::WalletError);

    let provider = Js::object([("isMetaMask", Js::Bool(true)), ("isRabby", Js::Bool(true))]);
    assert_eq!(wallets::injected_name("EVM", &provider), "Rabby");
    assert_eq!(
        wallets::injected_name("SOL", &Js::object([("isPhantom", Js::Bool(true))])),
        "Phantom"
    );
}

fn call(name: &str, args: &[Js]) -> wallet_linker::Result<Js> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Js::Undefined);
    wallet_linker::exports::call(name, &arg(0), &arg(1), &arg(2))
}

#[test]
fn the_call_table_runs_each_export_by_name() {
    let (_, address) = evm_key();
    let fields = json!({
        "domain": "app.example.com", "address": address, "uri": "https://app.example.com",
        "version": "1", "chainId": 1, "nonce": "abcdef123456", "issuedAt": NOW,
    });
    let text = call("createSiweMessage", &[Js::json(&fields)]).unwrap();
    let parsed = call("parseSiweMessage", &[text]).unwrap().to_json();
    assert_eq!(parsed["address"], address);
    assert_eq!(parsed["chainId"], json!(1.0));
    // A missing field is INVALID_FIELD naming it; a wrong type INVALID_ARGUMENT.
    let mut partial = fields.clone();
    partial.as_object_mut().unwrap().remove("nonce");
    let (code, field) = code_and_field(call("createSiweMessage", &[Js::json(&partial)]));
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::InvalidField, Some("nonce"))
    );
    let (code, field) = code_and_field(call("parseSiweMessage", &[Js::Number(1.0)]));
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::InvalidArgument, Some("text"))
    );

    // Dynamic's template takes the page's location and the engine's clock for its defaults.
    let params = Js::json(
        &json!({"chain": "EVM", "address": address, "nonce": "abcdef123456",
        "environmentId": "env-1", "appName": "Shop", "chainId": 1}),
    );
    let host = Js::text("app.example.com");
    let uri = Js::text("https://app.example.com/link");
    let message = call("createDynamicSignInMessage", &[params.clone(), host, uri]).unwrap();
    let parsed = call("parseDynamicSignInMessage", &[message])
        .unwrap()
        .to_json();
    assert_eq!(parsed["domain"], "app.example.com");
    assert_eq!(parsed["issuedAt"], NOW);
    let (code, field) = code_and_field(call("createDynamicSignInMessage", &[params]));
    assert_eq!(
        (code, field.as_deref()),
        (ErrorCode::InvalidField, Some("domain"))
    );

    assert_eq!(
        call("toChecksumAddress", &[Js::text(&address.to_lowercase())])
            .unwrap()
            .text(),
        Some(address.clone())
    );
    assert_eq!(
        call("isValidSolanaAddress", &[Js::Number(1.0)])
            .unwrap()
            .boolean(),
        Some(false)
    );
    let nonce = call("generateNonce", &[Js::Bytes(vec![7; 16])])
        .unwrap()
        .text()
        .unwrap();
    assert!(
        nonce.len() >= 8 && nonce.chars().all(|c| c.is_ascii_alphanumeric()),
        "{nonce}"
    );
    let e = call(
        "generateNonce",
        &[Js::text("crypto.getRandomValues is missing")],
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::RandomUnavailable);
    assert!(
        e.message.contains("getRandomValues is missing"),
        "{}",
        e.message
    );

    // Wallet rules by name, and a name nobody exports.
    assert!(matches!(
        call("chainId", &[Js::object([])]).unwrap(),
        Js::Undefined
    ));
    let refusal = call(
        "error",
        &[
            Js::thrown("no", Some(Js::Number(4001.0))),
            Js::text("connect"),
        ],
    );
    let refusal = host::thrown_error(&refusal.unwrap(), ErrorCode::Internal);
    assert_eq!(refusal.code, ErrorCode::UserRejected);
    assert_eq!(
        call("walletKey", &[Js::text("Coinbase Wallet")])
            .unwrap()
            .text()
            .as_deref(),
        Some("coinbasewallet")
    );
    assert_eq!(
        code_and_field(call("noSuchExport", &[])).0,
        ErrorCode::Internal
    );
}

#[test]
fn rust_values_are_built_as_javascript_values() {
    use std::collections::BTreeMap;
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        Eoa,
        Wrapped(u8),
        Pair(u8, u8),
        Named { chain_id: u64 },
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Result_ {
        valid: bool,
        kinds: Vec<Kind>,
        absent: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        by_chain: BTreeMap<u64, &'static str>,
        letter: char,
        pair: (i8, f64),
    }
    let value: Js = Js::serialize(&Result_ {
        valid: true,
        kinds: vec![
            Kind::Eoa,
            Kind::Wrapped(7),
            Kind::Pair(1, 2),
            Kind::Named { chain_id: 10 },
        ],
        absent: None,
        skipped: None,
        by_chain: BTreeMap::from([(1, "mainnet"), (137, "polygon")]),
        letter: 'é',
        pair: (-3, 0.5),
    })
    .unwrap();
    assert_eq!(
        value.to_json(),
        json!({
            "valid": true,
            "kinds": ["eoa", {"wrapped": 7.0}, {"pair": [1.0, 2.0]}, {"named": {"chain_id": 10.0}}],
            "absent": null,
            "byChain": {"1": "mainnet", "137": "polygon"},
            "letter": "é",
            "pair": [-3.0, 0.5],
        })
    );
    // `None` is a member holding `undefined`; a skipped one is no member at all.
    assert!(matches!(value.get("absent"), Js::Undefined));
    assert!(value.entries().iter().any(|(k, _)| k == "absent"));
    assert!(!value.entries().iter().any(|(k, _)| k == "skipped"));
    // A number JavaScript cannot hold exactly is an error, not a rounded value.
    let e = Js::serialize(&(1u64 << 53)).unwrap_err();
    assert_eq!(e.code, ErrorCode::Internal);
    assert!(Js::serialize(&((1u64 << 53) - 1)).is_ok());
}
