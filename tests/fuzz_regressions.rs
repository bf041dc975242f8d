//! The fuzz targets' seed inputs, checked here to be what they claim (signatures that verify,
//! sign-ins that pass, bodies that decode), and inputs the fuzzers found, kept as regression
//! tests.
//!
//! The seeds are built from the same fixtures as tests/verify.rs and tests/api.rs, in the input
//! layouts the targets document (fuzz/fuzz_targets/*.rs). To (re)write them into
//! fuzz/seeds/<target>/: `WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_regressions`.

use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use wallet_linker::api::{
    BulkUserCreateResponse, GlobalWalletConnection, NonceResponse, SnagConnectResponse, Value,
    VerifyResponse,
};
use wallet_linker::message::{
    SiweMessage, SolanaSignInInput, create_siwe_message, create_solana_sign_in_message,
    parse_rfc3339_ms,
};
use wallet_linker::signin::{
    OFFCHAIN_SIGNING_DOMAIN, SiweCheck, SolanaSignInCheck, verify_siwe_sign_in,
    verify_solana_sign_in,
};
use wallet_linker::{evm, solana};

/// A named input of one fuzz target.
struct Seed {
    target: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
}

/// `[n] [n bytes]`, the length prefix the targets read.
fn part(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![u8::try_from(bytes.len()).expect("a part is at most 255 bytes")];
    out.extend_from_slice(bytes);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn evm_key() -> EcdsaSigningKey {
    EcdsaSigningKey::from_slice(&[0x5a; 32]).expect("valid secret key")
}

fn evm_address(key: &EcdsaSigningKey) -> String {
    let point = key.verifying_key().to_sec1_point(false);
    let hash = evm::keccak256(&point.as_bytes()[1..]);
    evm::eip55::checksum_of_bytes(&hash[12..].try_into().expect("20 bytes"))
}

fn personal_sign(key: &EcdsaSigningKey, message: &[u8]) -> [u8; 65] {
    let (signature, recovery_id) = key.sign_prehash_recoverable(&evm::eip191_hash(message));
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&signature.to_bytes());
    out[64] = 27 + recovery_id.to_byte();
    out
}

fn solana_key() -> EdSigningKey {
    EdSigningKey::from_bytes(&[0x77; 32])
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(group >> (18 - 6 * i) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

fn evm_seeds() -> Vec<Seed> {
    let key = evm_key();
    let address = evm_address(&key);
    let message = b"Link this wallet to wallet-linker";
    let signature = personal_sign(&key, message);
    let parsed = evm::EvmSignature::from_bytes(&signature).expect("a valid signature");
    let compact = parsed.to_compact_bytes();

    let seed = |name, signature: &[u8], address: &str| {
        let mut bytes = part(signature);
        bytes.extend(part(address.as_bytes()));
        bytes.extend_from_slice(message);
        Seed {
            target: "decode_evm_signature",
            name,
            bytes,
        }
    };
    let prefixed_hex = format!("0x{}", hex(&signature));
    let compact_hex = hex(&compact);
    let upper_prefix = format!("0X{}", address[2..].to_uppercase());
    for (signature, address) in [
        (evm::decode_signature(&prefixed_hex).unwrap(), &address),
        (evm::decode_signature(&compact_hex).unwrap(), &upper_prefix),
        (signature.to_vec(), &address.to_lowercase()),
    ] {
        assert_eq!(
            evm::verify_signature(message, &signature, address),
            Ok(true)
        );
    }
    vec![
        seed("hex_65", prefixed_hex.as_bytes(), &address),
        seed("hex_compact", compact_hex.as_bytes(), &upper_prefix),
        seed("raw_65", &signature, &address.to_lowercase()),
    ]
}

fn solana_seeds() -> Vec<Seed> {
    let key = solana_key();
    let public = key.verifying_key().to_bytes();
    let address = solana::pubkey::to_address(&public);
    let message = b"Link this wallet to wallet-linker";
    let signature = key.sign(message).to_bytes();
    let base58 = bs58::encode(signature).into_string();
    let base64 = base64(&signature);
    for text in [&base58, &base64] {
        let decoded = solana::decode_signature(text).expect("decodes");
        let key = solana::parse_public_key(&address).expect("parses");
        assert_eq!(solana::verify(message, &decoded, &key), Ok(true));
    }
    let seed = |name, signature: &[u8], key: &[u8]| {
        let mut bytes = part(signature);
        bytes.extend(part(key));
        bytes.extend_from_slice(message);
        Seed {
            target: "decode_solana",
            name,
            bytes,
        }
    };
    vec![
        seed("base58", base58.as_bytes(), address.as_bytes()),
        seed("base64", base64.as_bytes(), address.as_bytes()),
        seed("raw", &signature, &public),
    ]
}

// The flags of the sign_in_checks target (see fuzz/fuzz_targets/sign_in_checks.rs).
const SOLANA: u8 = 1;
const SIGN: u8 = 1 << 1;
const ENVELOPE: u8 = 1 << 2;
const EXPECT_ALL: u8 = 0b1111_1000;
/// Five minutes after the message's issued-at time.
const OFFSET_MS: i64 = 300_000;

fn sign_in_seed(name: &'static str, flags: u8, signature: &[u8], message: &[u8]) -> Seed {
    let mut bytes = vec![flags, 0];
    bytes.extend(OFFSET_MS.to_le_bytes());
    bytes.extend(part(signature));
    bytes.extend_from_slice(message);
    Seed {
        target: "sign_in_checks",
        name,
        bytes,
    }
}

fn sign_in_seeds() -> Vec<Seed> {
    let key = evm_key();
    let siwe = SiweMessage {
        scheme: Some("https".into()),
        domain: "example.com:8443".into(),
        address: evm_address(&key),
        statement: Some("Sign in to link your wallet".into()),
        uri: "https://example.com:8443/login".into(),
        version: "1".into(),
        chain_id: 10,
        nonce: "n0nceABCDEF123".into(),
        issued_at: "2025-06-01T12:00:00.000Z".into(),
        expiration_time: Some("2025-06-01T12:10:00.000Z".into()),
        not_before: Some("2025-06-01T11:59:00.000Z".into()),
        request_id: Some("req-1".into()),
        resources: Some(vec!["https://example.com/terms".into()]),
    };
    let siwe_text = create_siwe_message(&siwe).expect("a valid message");
    let siwe_signature = personal_sign(&key, siwe_text.as_bytes());
    let now = parse_rfc3339_ms(&siwe.issued_at).unwrap() + OFFSET_MS;
    let check = SiweCheck {
        domain: siwe.domain.clone(),
        nonce: siwe.nonce.clone(),
        now_ms: now,
        address: Some(siwe.address.clone()),
        chain_id: Some(siwe.chain_id),
        uri: Some(siwe.uri.clone()),
        scheme: siwe.scheme.clone(),
        clock_skew_seconds: None,
        max_age_seconds: None,
    };
    assert_eq!(
        verify_siwe_sign_in(&siwe_text, &siwe_signature, &check).as_ref(),
        Ok(&siwe)
    );

    let key = solana_key();
    let siws = SolanaSignInInput {
        domain: "app.example.com".into(),
        address: solana::pubkey::to_address(&key.verifying_key().to_bytes()),
        statement: Some("Link this wallet".into()),
        uri: Some("https://app.example.com".into()),
        version: Some("1".into()),
        chain_id: Some("solana:mainnet".into()),
        nonce: Some("abcdEFGH1234".into()),
        issued_at: Some("2025-06-01T12:00:00.000Z".into()),
        expiration_time: Some("2025-06-01T12:10:00.000Z".into()),
        ..SolanaSignInInput::default()
    };
    let siws_text = create_solana_sign_in_message(&siws).expect("a valid message");
    let siws_signature = key.sign(siws_text.as_bytes()).to_bytes();
    let check = SolanaSignInCheck {
        domain: siws.domain.clone(),
        nonce: siws.nonce.clone().unwrap(),
        now_ms: now,
        public_key: Some(key.verifying_key().to_bytes()),
        chain_id: siws.chain_id.clone(),
        uri: siws.uri.clone(),
        clock_skew_seconds: None,
        max_age_seconds: None,
    };
    assert_eq!(
        verify_solana_sign_in(siws_text.as_bytes(), &siws_signature, &check).as_ref(),
        Ok(&siws)
    );
    let mut enveloped = OFFCHAIN_SIGNING_DOMAIN.to_vec();
    enveloped.extend([0, 0]);
    enveloped.extend(u16::try_from(siws_text.len()).unwrap().to_le_bytes());
    enveloped.extend(siws_text.as_bytes());
    let enveloped_signature = key.sign(&enveloped).to_bytes();
    assert_eq!(
        verify_solana_sign_in(&enveloped, &enveloped_signature, &check).as_ref(),
        Ok(&siws)
    );

    vec![
        sign_in_seed(
            "siwe_signed",
            EXPECT_ALL,
            &siwe_signature,
            siwe_text.as_bytes(),
        ),
        sign_in_seed(
            "siwe_sign_here",
            EXPECT_ALL | SIGN,
            &[],
            siwe_text.as_bytes(),
        ),
        sign_in_seed("siwe_other_site", 0, &siwe_signature, siwe_text.as_bytes()),
        sign_in_seed(
            "siws_signed",
            EXPECT_ALL | SOLANA,
            &siws_signature,
            siws_text.as_bytes(),
        ),
        sign_in_seed(
            "siws_sign_here_envelope",
            EXPECT_ALL | SOLANA | SIGN | ENVELOPE,
            &[],
            siws_text.as_bytes(),
        ),
        sign_in_seed(
            "siws_envelope_signed",
            EXPECT_ALL | SOLANA,
            &enveloped_signature,
            &enveloped,
        ),
    ]
}

/// Response and error bodies shaped like the services' (the models' fields, see
/// src/api/types.rs), each checked to decode as what it stands for.
fn response_seeds() -> Vec<Seed> {
    let verify = r#"{"user":{"id":"user-1","projectEnvironmentId":"env-1","verifiedCredentials":[{"id":"vc-1","format":"blockchain","address":"0xbF394748301603f18d953C90F0b087CBEC0E1834","chain":"eip155","wallet_name":"metamask","wallet_provider":"browserExtension","signInEnabled":true,"wallet_properties":{"a":[1,2.5,null,true,{"b":"c"}]}}]},"jwt":"e.y.j","expiresAt":1767229200}"#;
    let nonce = r#"{"nonce":"3f8a1c2b4d5e6f708192a3b4c5d6e7f8"}"#;
    let connection = r#"{"id":"c-1","userId":"user-1","appUrl":"https://app.example.com","status":"active","expiresAt":"2026-01-01T00:00:00Z","createdAt":"2025-06-01T12:00:00Z"}"#;
    let bulk = r#"{"created":[{"id":"u-1","projectEnvironmentId":"env-1","email":"a@example.com"}],"updated":[],"failed":[{"error":"duplicate","code":"email_already_exists"}],"total":2}"#;
    let snag = r#"{"id":"s-1","createdAt":"2025-06-01T12:00:00Z","updatedAt":"2025-06-01T12:00:00Z","walletAddress":"0xbF394748301603f18d953C90F0b087CBEC0E1834"}"#;
    let dynamic_error = r#"{"error":"Cannot verify","code":"invalid_verification","payload":{"additionalMessages":["x"]}}"#;
    let snag_error = r#"{"message":"Unauthorized","code":"unauthorized"}"#;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";

    assert!(serde_json::from_str::<VerifyResponse>(verify).is_ok());
    assert!(serde_json::from_str::<NonceResponse>(nonce).is_ok());
    assert!(serde_json::from_str::<GlobalWalletConnection>(connection).is_ok());
    assert!(serde_json::from_str::<BulkUserCreateResponse>(bulk).is_ok());
    assert!(serde_json::from_str::<SnagConnectResponse>(snag).is_ok());
    for error in [dynamic_error, snag_error] {
        let value: Value = serde_json::from_str(error).expect("an error body decodes");
        assert!(value.get("code").and_then(Value::as_str).is_some());
    }
    [
        ("verify", verify),
        ("nonce", nonce),
        ("global_wallet_connection", connection),
        ("bulk_create", bulk),
        ("snag_connect", snag),
        ("dynamic_error", dynamic_error),
        ("snag_error", snag_error),
        ("html", html),
    ]
    .into_iter()
    .map(|(name, body)| Seed {
        target: "decode_responses",
        name,
        bytes: body.as_bytes().to_vec(),
    })
    .collect()
}

/// `server_requests`: lines method, path, authorization, then the body. Its mock accepts the
/// RS256 "signature" `ok` and issues the nonce `fuzzNonce1234`.
fn server_seeds() -> Vec<Seed> {
    use base64ct::{Base64UrlUnpadded, Encoding};
    let b64 = |text: &str| Base64UrlUnpadded::encode_string(text.as_bytes());
    let token = format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","kid":"k1"}"#),
        b64(
            r#"{"sub":"u1","environment_id":"env","iss":"app.dynamicauth.com/env","exp":4000000000}"#
        ),
        Base64UrlUnpadded::encode_string(b"ok"),
    );
    let key = evm_key();
    let address = evm_address(&key);
    let message = create_siwe_message(&SiweMessage {
        scheme: None,
        domain: "app.example.com".into(),
        address: address.clone(),
        statement: None,
        uri: "https://app.example.com".into(),
        version: "1".into(),
        chain_id: 1,
        nonce: "fuzzNonce1234".into(),
        issued_at: "2026-01-01T00:00:00.000Z".into(),
        expiration_time: None,
        not_before: None,
        request_id: None,
        resources: None,
    })
    .expect("a valid message");
    let signature = format!("0x{}", hex(&personal_sign(&key, message.as_bytes())));
    let body = serde_json::json!({
        "walletType": "evm", "walletAddress": address, "message": message, "signature": signature,
    })
    .to_string();
    let connect = format!("POST\n/snag/connect\nBearer {token}\n{body}");
    [
        ("nonce", "GET\n/nonce\n\n".to_owned()),
        ("connect", connect.clone()),
        ("connect_no_token", format!("POST\n/snag/connect\n\n{body}")),
        (
            "connect_none_alg",
            connect.replace(
                &b64(r#"{"alg":"RS256","kid":"k1"}"#),
                &b64(r#"{"alg":"none"}"#),
            ),
        ),
        (
            "connect_bad_json",
            format!("POST\n/snag/connect\nBearer {token}\n{{\"walletType\":"),
        ),
    ]
    .into_iter()
    .map(|(name, text)| Seed {
        target: "server_requests",
        name,
        bytes: text.into_bytes(),
    })
    .collect()
}

#[test]
fn fuzz_seeds_are_valid_inputs() {
    let seeds: Vec<Seed> = [
        evm_seeds(),
        solana_seeds(),
        sign_in_seeds(),
        response_seeds(),
        server_seeds(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if std::env::var_os("WRITE_FUZZ_SEEDS").is_some() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
        for seed in &seeds {
            let dir = root.join(seed.target);
            std::fs::create_dir_all(&dir).expect("create the seed directory");
            std::fs::write(dir.join(seed.name), &seed.bytes).expect("write a seed");
        }
    }
}
