//! The linking flow's decisions (`wallet_linker::flow`), natively: the plan for every chain,
//! format and mode; the message of each format; the local check (a bad signature never passes);
//! the signature as the services expect it; and the requests to Dynamic and Snag.

#![allow(clippy::result_large_err)]

mod common;

use common::{evm_key, personal_sign};
use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use wallet_linker::evm::SignatureKind;
use wallet_linker::flow::{
    self, LinkMessageFormat, LinkMode, LinkStep, MessageText, Plan, PlanInput, Proof, SnagProof,
    SnagTarget, WalletSignature,
};
use wallet_linker::message::{
    ChainFamily, parse_dynamic_sign_in_message, parse_siwe_message, parse_solana_sign_in_message,
};
use wallet_linker::{ErrorCode, solana};

const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const ISSUED: &str = "2026-01-01T00:00:00.000Z";
const NONCE: &str = "nonce12345678";

fn input(chain: &str, format: Option<LinkMessageFormat>) -> PlanInput {
    PlanInput {
        chain: Some(chain.into()),
        format,
        environment_id: Some("env-1".into()),
        domain: Some("app.example.com".into()),
        uri: Some("https://app.example.com/link".into()),
        ..PlanInput::default()
    }
}

fn plan_of(chain: &str, format: LinkMessageFormat) -> Plan {
    flow::plan(input(chain, Some(format))).unwrap()
}

fn code<T: std::fmt::Debug>(result: wallet_linker::Result<T>) -> (ErrorCode, Option<String>) {
    let e = result.unwrap_err();
    (e.code, e.field)
}

#[test]
fn plans_settle_chain_format_and_mode() {
    let p = flow::plan(input("ETH", None)).unwrap();
    assert_eq!(
        (p.family, p.format, p.mode, p.wallet_sign_in),
        (
            ChainFamily::Evm,
            LinkMessageFormat::Dynamic,
            LinkMode::SignIn,
            false
        )
    );
    let signed_in = PlanInput {
        signed_in: true,
        ..input("SOL", None)
    };
    assert_eq!(flow::plan(signed_in.clone()).unwrap().mode, LinkMode::Link);
    let forced = PlanInput {
        mode: Some(LinkMode::SignIn),
        ..signed_in
    };
    assert_eq!(flow::plan(forced).unwrap().mode, LinkMode::SignIn);

    // The wallet's own Sign-In With Solana, only when nothing else decides the message.
    let siws = PlanInput {
        wallet_signs_in: true,
        ..input("SOL", Some(LinkMessageFormat::Siws))
    };
    assert!(flow::plan(siws.clone()).unwrap().wallet_sign_in);
    for other in [
        PlanInput {
            address_given: true,
            ..siws.clone()
        },
        PlanInput {
            sign_callback: true,
            ..siws.clone()
        },
        PlanInput {
            format: Some(LinkMessageFormat::Dynamic),
            ..siws.clone()
        },
    ] {
        assert!(!flow::plan(other).unwrap().wallet_sign_in);
    }

    let refused = |i: PlanInput| code(flow::plan(i));
    assert_eq!(
        refused(PlanInput {
            chain: None,
            ..input("EVM", None)
        }),
        (ErrorCode::InvalidArgument, Some("chain".into()))
    );
    for chain in ["BTC", "TON", "evm"] {
        assert_eq!(
            refused(input(chain, None)),
            (ErrorCode::UnsupportedChain, Some("chain".into()))
        );
    }
    assert_eq!(
        refused(input("EVM", Some(LinkMessageFormat::Siws)))
            .1
            .as_deref(),
        Some("messageFormat")
    );
    assert_eq!(
        refused(input("SOL", Some(LinkMessageFormat::Siwe)))
            .1
            .as_deref(),
        Some("messageFormat")
    );
    assert_eq!(
        refused(PlanInput {
            environment_id: None,
            ..input("EVM", None)
        })
        .1
        .as_deref(),
        Some("environmentId")
    );
    // SIWE does not need the environment id.
    assert!(
        flow::plan(PlanInput {
            environment_id: None,
            ..input("EVM", Some(LinkMessageFormat::Siwe))
        })
        .is_ok()
    );
    for (field, without) in [
        (
            "domain",
            PlanInput {
                domain: None,
                ..input("EVM", None)
            },
        ),
        (
            "uri",
            PlanInput {
                uri: None,
                ..input("EVM", None)
            },
        ),
    ] {
        assert_eq!(refused(without).1.as_deref(), Some(field));
    }
}

fn solana_key() -> (EdSigningKey, String) {
    let key = EdSigningKey::from_bytes(&[0x25; 32]);
    let address = solana::pubkey::to_address(&key.verifying_key().to_bytes());
    (key, address)
}

#[test]
fn messages_of_each_format_parse_back_with_the_plan_values() {
    let text = MessageText {
        statement: None,
        app_name: Some("Example".into()),
        solana_chain_id: Some("mainnet".into()),
    };
    let (_, evm_address) = evm_key();
    let (_, sol_address) = solana_key();

    let dynamic = plan_of("EVM", LinkMessageFormat::Dynamic);
    let m = flow::build_message(&dynamic, &text, &evm_address, Some(10), NONCE, ISSUED).unwrap();
    let parsed = parse_dynamic_sign_in_message(&m).unwrap();
    assert_eq!(
        (
            parsed.nonce.as_str(),
            parsed.chain_id,
            parsed.environment_id.as_str()
        ),
        (NONCE, Some(10), "env-1")
    );
    assert!(m.contains("Welcome to Example."), "{m}");

    let siwe = plan_of("EVM", LinkMessageFormat::Siwe);
    let m = flow::build_message(&siwe, &text, &evm_address, None, NONCE, ISSUED).unwrap();
    let parsed = parse_siwe_message(&m).unwrap();
    assert_eq!(
        (
            parsed.domain.as_str(),
            parsed.chain_id,
            parsed.request_id.as_deref()
        ),
        ("app.example.com", 1, Some("env-1"))
    );

    let siws = plan_of("SOL", LinkMessageFormat::Siws);
    let m = flow::build_message(&siws, &text, &sol_address, None, NONCE, ISSUED).unwrap();
    let parsed = parse_solana_sign_in_message(&m).unwrap();
    assert_eq!(
        (parsed.chain_id.as_deref(), parsed.nonce.as_deref()),
        (Some("mainnet"), Some(NONCE))
    );
    assert_eq!(parsed.statement, None);
    // The wallet's own sign-in gets the same fields, without an address.
    let input = flow::siws_input(&siws, &text, String::new(), NONCE, ISSUED);
    assert_eq!(
        (input.address.as_str(), input.issued_at.as_deref()),
        ("", Some(ISSUED))
    );

    // A message builder refuses what the template cannot hold.
    assert_eq!(
        code(flow::build_message(
            &dynamic,
            &text,
            &evm_address.to_lowercase(),
            Some(1),
            NONCE,
            ISSUED
        ))
        .0,
        ErrorCode::InvalidAddress
    );
}

#[test]
fn local_check_accepts_only_the_address_own_signature() {
    let text = MessageText::default();
    let (key, address) = evm_key();
    let (other, _) = {
        let k = EcdsaSigningKey::from_slice(&[0x26; 32]).unwrap();
        (k, ())
    };
    for format in [LinkMessageFormat::Dynamic, LinkMessageFormat::Siwe] {
        let p = plan_of("EVM", format);
        let message = flow::build_message(
            &p,
            &MessageText {
                app_name: Some("x".into()),
                ..text.clone()
            },
            &address,
            Some(1),
            NONCE,
            ISSUED,
        )
        .unwrap();
        let good = personal_sign(&key, &message);
        assert_eq!(
            flow::verify_locally(&p, &message, &good, &address, NONCE, Some(1), NOW),
            Ok(())
        );
        let forged = personal_sign(&other, &message);
        let e =
            flow::verify_locally(&p, &message, &forged, &address, NONCE, Some(1), NOW).unwrap_err();
        assert_eq!(e.code, ErrorCode::SignatureMismatch, "{format:?}");
        if format == LinkMessageFormat::Siwe {
            // A sign-in message also gets its sign-in checks.
            let e = flow::verify_locally(&p, &message, &good, &address, "otherNonce1", None, NOW)
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::NonceMismatch);
            let e = flow::verify_locally(&p, &message, &good, &address, NONCE, Some(5), NOW)
                .unwrap_err();
            assert_eq!(e.code, ErrorCode::ChainIdMismatch);
        }
    }

    let (key, address) = solana_key();
    for format in [LinkMessageFormat::Dynamic, LinkMessageFormat::Siws] {
        let p = plan_of("SOL", format);
        let message = flow::build_message(
            &p,
            &MessageText {
                app_name: Some("x".into()),
                ..text.clone()
            },
            &address,
            None,
            NONCE,
            ISSUED,
        )
        .unwrap();
        let good = key.sign(message.as_bytes()).to_bytes();
        assert_eq!(
            flow::verify_locally(&p, &message, &good, &address, NONCE, None, NOW),
            Ok(())
        );
        let mut bad = good;
        bad[5] ^= 1;
        assert!(flow::verify_locally(&p, &message, &bad, &address, NONCE, None, NOW).is_err());
        let e = flow::verify_locally(&p, &message, &good[..63], &address, NONCE, None, NOW)
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidSignatureLength);
    }
}

#[test]
fn signatures_become_what_the_services_expect() {
    let bytes: Vec<u8> = (0u8..65).collect();
    let (hex, back) =
        flow::normalize_signature(ChainFamily::Evm, WalletSignature::Bytes(bytes.clone())).unwrap();
    assert_eq!(back, bytes);
    assert_eq!(hex.len(), 132);
    assert!(hex.starts_with("0x000102") && hex.ends_with("3f40"));
    let (same, _) = flow::normalize_signature(
        ChainFamily::Evm,
        WalletSignature::Text(hex[2..].to_uppercase()),
    )
    .unwrap();
    assert_eq!(same, hex);
    assert_eq!(
        code(flow::normalize_signature(
            ChainFamily::Evm,
            WalletSignature::Text("0xzz".into())
        ))
        .0,
        ErrorCode::InvalidHex
    );

    let signature = [7u8; 64];
    let base58 = bs58::encode(signature).into_string();
    let (text, back) = flow::normalize_signature(
        ChainFamily::Solana,
        WalletSignature::Bytes(signature.to_vec()),
    )
    .unwrap();
    assert_eq!(
        (text.as_str(), back.as_slice()),
        (base58.as_str(), &signature[..])
    );
    let (text, _) =
        flow::normalize_signature(ChainFamily::Solana, WalletSignature::Text(base58.clone()))
            .unwrap();
    assert_eq!(text, base58);
}

#[test]
fn addresses_and_chain_ids() {
    let (_, address) = evm_key();
    assert_eq!(
        flow::wallet_address(ChainFamily::Evm, &address.to_lowercase()).unwrap(),
        address
    );
    assert_eq!(
        code(flow::wallet_address(ChainFamily::Evm, "0x12")),
        (ErrorCode::InvalidAddress, Some("address".into()))
    );
    let (_, sol) = solana_key();
    assert_eq!(
        flow::wallet_address(ChainFamily::Solana, &sol).unwrap(),
        sol
    );
    assert_eq!(
        code(flow::wallet_address(ChainFamily::Solana, &address)).0,
        ErrorCode::InvalidAddress
    );

    assert_eq!(flow::evm_chain_id(None, None), Ok(1));
    assert_eq!(flow::evm_chain_id(None, Some(137.0)), Ok(137));
    assert_eq!(
        flow::evm_chain_id(None, Some(1.5)),
        Ok(1),
        "a wallet's odd value is ignored"
    );
    assert_eq!(flow::evm_chain_id(Some(10.0), Some(137.0)), Ok(10));
    for bad in [0.0, -1.0, 1.5, f64::NAN, 9_007_199_254_740_992.0] {
        assert_eq!(
            code(flow::evm_chain_id(Some(bad), None)),
            (ErrorCode::InvalidArgument, Some("chainId".into()))
        );
    }
}

fn proof() -> Proof {
    Proof {
        address: "0xAbC".into(),
        message: "m".into(),
        signature: "0xsig".into(),
    }
}

#[test]
fn dynamic_and_snag_requests() {
    let p = plan_of("ETH", LinkMessageFormat::Dynamic);
    let request = flow::verify_request(
        &p,
        &proof(),
        Some("metamask".into()),
        flow::wallet_provider(None, None),
    )
    .unwrap();
    assert_eq!(
        (
            request.chain.as_str(),
            request.wallet_provider.as_str(),
            request.signed_message.as_str(),
            request.message_to_sign.as_str(),
            request.public_wallet_address.as_str()
        ),
        ("ETH", "browserExtension", "0xsig", "m", "0xAbC")
    );
    let smart = flow::verify_request(
        &p,
        &proof(),
        Some("w".into()),
        flow::wallet_provider(None, Some(SignatureKind::Erc1271)),
    )
    .unwrap();
    assert_eq!(smart.wallet_provider, "smartContractWallet");
    let e = flow::at(
        LinkStep::Link,
        flow::verify_request(&p, &proof(), None, "browserExtension".into()),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref(), e.step.as_deref()),
        (ErrorCode::InvalidArgument, Some("walletName"), Some("link"))
    );
    assert_eq!(LinkMode::Link.dynamic_method(), "verifyLink");
    assert_eq!(LinkMode::SignIn.dynamic_method(), "verify");

    let target = SnagTarget {
        website_id: Some("site".into()),
        organization_id: Some("org".into()),
        user_id: Some("snag-user".into()),
        ..SnagTarget::default()
    };
    let params = flow::snag_params(&target, ChainFamily::Solana, &proof(), None).unwrap();
    assert_eq!(
        (
            params.wallet_type.as_str(),
            params.website_id.as_str(),
            params.user_id.as_deref()
        ),
        ("solana", "site", Some("snag-user"))
    );
    let data = params.verification_data.unwrap();
    assert_eq!(
        (
            data.message.as_deref(),
            data.signature.as_deref(),
            data.dynamic_auth_token
        ),
        (Some("m"), Some("0xsig"), None)
    );
    let by_token = SnagTarget {
        proof: Some(SnagProof::DynamicAuthToken),
        ..target.clone()
    };
    let params =
        flow::snag_params(&by_token, ChainFamily::Evm, &proof(), Some("jwt".into())).unwrap();
    let data = params.verification_data.unwrap();
    assert_eq!(
        (data.dynamic_auth_token.as_deref(), data.message),
        (Some("jwt"), None)
    );
    assert_eq!(
        code(flow::snag_params(
            &by_token,
            ChainFamily::Evm,
            &proof(),
            None
        ))
        .1
        .as_deref(),
        Some("snag.proof")
    );
    for (field, broken) in [
        (
            "snag.websiteId",
            SnagTarget {
                website_id: None,
                ..target.clone()
            },
        ),
        (
            "snag.organizationId",
            SnagTarget {
                organization_id: Some(String::new()),
                ..target.clone()
            },
        ),
    ] {
        assert_eq!(
            code(flow::snag_params(&broken, ChainFamily::Evm, &proof(), None))
                .1
                .as_deref(),
            Some(field)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The whole flow against mocks: every branch, every failing step.

use std::cell::{Cell, RefCell};
use wallet_linker::api::{SnagConnectParams, VerifyRequest};
use wallet_linker::flow::{DynamicApi, FlowOptions, Host, SnagApi, Wallet, WalletSignIn};
use wallet_linker::message::SolanaSignInInput;
use wallet_linker::{Error, Result};

use common::{ScriptedRpc, ready};

#[derive(Clone, Copy, PartialEq)]
enum KeyOf {
    Evm,
    Solana,
    Sui,
    /// Signs with another key than the address's.
    Forger,
}

struct MockWallet {
    signer: KeyOf,
    address: Option<String>,
    connect: Result<String>,
    chain_id: Option<f64>,
    refuse: Option<ErrorCode>,
    /// Signs with another key from this many signatures on (e.g. 1: only the first is genuine).
    forge_from: Option<usize>,
    signed: RefCell<Vec<String>>,
    connects: Cell<u32>,
}

impl MockWallet {
    fn evm() -> Self {
        MockWallet {
            signer: KeyOf::Evm,
            address: None,
            connect: Ok(evm_key().1.to_lowercase()),
            chain_id: Some(10.0),
            refuse: None,
            forge_from: None,
            signed: RefCell::default(),
            connects: Cell::new(0),
        }
    }

    fn solana() -> Self {
        MockWallet {
            signer: KeyOf::Solana,
            connect: Ok(solana_key().1),
            chain_id: None,
            ..MockWallet::evm()
        }
    }

    fn sui() -> Self {
        MockWallet {
            signer: KeyOf::Sui,
            connect: Ok(common::sui_key(0x27)
                .0
                .to_uppercase()
                .replacen("0X", "0x", 1)),
            chain_id: None,
            ..MockWallet::evm()
        }
    }

    fn signature(&self, message: &str) -> WalletSignature {
        let forged = self
            .forge_from
            .is_some_and(|n| self.signed.borrow().len() > n);
        let signer = if forged { KeyOf::Forger } else { self.signer };
        match signer {
            KeyOf::Evm => WalletSignature::Bytes(personal_sign(&evm_key().0, message)),
            KeyOf::Forger => WalletSignature::Bytes(personal_sign(
                &EcdsaSigningKey::from_slice(&[0x66; 32]).unwrap(),
                message,
            )),
            KeyOf::Sui => WalletSignature::Text((common::sui_key(0x27).1)(message.as_bytes())),
            KeyOf::Solana => WalletSignature::Text(
                bs58::encode(solana_key().0.sign(message.as_bytes()).to_bytes()).into_string(),
            ),
        }
    }
}

impl Wallet for MockWallet {
    fn known_address(&self) -> Option<String> {
        self.address.clone()
    }
    async fn connect(&self) -> Result<String> {
        self.connects.set(self.connects.get() + 1);
        self.connect.clone()
    }
    fn chain_id(&self) -> Option<f64> {
        self.chain_id
    }
    async fn sign_message(&self, message: &str) -> Result<WalletSignature> {
        if let Some(code) = self.refuse {
            return Err(Error::new(code, "the user said no"));
        }
        self.signed.borrow_mut().push(message.to_owned());
        Ok(self.signature(message))
    }
    async fn sign_in(&self, input: &SolanaSignInInput) -> Result<WalletSignIn> {
        assert!(
            input.address.is_empty(),
            "the wallet writes its own address"
        );
        let input = SolanaSignInInput {
            address: solana_key().1,
            ..input.clone()
        };
        let message = wallet_linker::message::create_solana_sign_in_message(&input)?;
        self.signed.borrow_mut().push(message.clone());
        Ok(WalletSignIn {
            address: input.address,
            signature: self.signature(&message),
            message,
        })
    }
}

#[derive(Default)]
struct MockDynamic {
    nonce: Option<Result<String>>,
    verify: Option<Result<(bool, Option<String>)>>,
    token: Option<String>,
    requests: RefCell<Vec<(LinkMode, VerifyRequest)>>,
}

impl DynamicApi for MockDynamic {
    type Response = (bool, Option<String>);
    async fn get_nonce(&self) -> Result<String> {
        self.nonce.clone().unwrap_or(Ok(NONCE.into()))
    }
    async fn verify(&self, mode: LinkMode, request: &VerifyRequest) -> Result<Self::Response> {
        self.requests.borrow_mut().push((mode, request.clone()));
        self.verify
            .clone()
            .unwrap_or(Ok((true, Some("new-jwt".into()))))
    }
    fn auth_token(&self) -> Option<String> {
        self.token.clone()
    }
    fn response_jwt(&self, response: &Self::Response) -> Option<String> {
        response.1.clone()
    }
    fn response_has_user(&self, response: &Self::Response) -> bool {
        response.0
    }
}

#[derive(Default)]
struct MockSnag {
    link_server: bool,
    fail: Option<ErrorCode>,
    params: RefCell<Vec<SnagConnectParams>>,
    proofs: RefCell<Vec<(String, Proof)>>,
    token: RefCell<Option<String>>,
}

impl SnagApi for MockSnag {
    type Response = &'static str;
    fn is_link_server(&self) -> bool {
        self.link_server
    }
    async fn get_nonce(&self) -> Result<String> {
        Ok("serverNonce42".into())
    }
    fn set_auth_token(&self, jwt: &str) -> Result<()> {
        *self.token.borrow_mut() = Some(jwt.into());
        Ok(())
    }
    async fn connect(&self, params: &SnagConnectParams) -> Result<&'static str> {
        if let Some(code) = self.fail {
            return Err(Error::new(code, "snag failed"));
        }
        self.params.borrow_mut().push(params.clone());
        Ok("connected")
    }
    async fn connect_proof(&self, wallet_type: &str, proof: &Proof) -> Result<&'static str> {
        self.proofs
            .borrow_mut()
            .push((wallet_type.into(), proof.clone()));
        Ok("connected via server")
    }
}

#[derive(Default)]
struct MockHost {
    steps: RefCell<Vec<LinkStep>>,
    abort_at: Option<LinkStep>,
}

impl Host for MockHost {
    fn step(&self, step: LinkStep) {
        self.steps.borrow_mut().push(step);
    }
    fn check_aborted(&self) -> Result<()> {
        let last = self.steps.borrow().last().copied();
        match (self.abort_at, last) {
            (Some(at), Some(last)) if at == last => Err(Error::new(ErrorCode::Aborted, "aborted")),
            _ => Ok(()),
        }
    }
    fn now_ms(&self) -> i64 {
        NOW
    }
    fn now_text(&self) -> String {
        ISSUED.into()
    }
    fn precise_ms(&self) -> f64 {
        0.0
    }
}

fn options(snag: Option<SnagTarget>) -> FlowOptions {
    FlowOptions {
        text: MessageText {
            app_name: Some("Example".into()),
            ..MessageText::default()
        },
        wallet_name: Some("metamask".into()),
        snag,
        ..FlowOptions::default()
    }
}

fn snag_target() -> SnagTarget {
    SnagTarget {
        website_id: Some("site".into()),
        organization_id: Some("org".into()),
        ..SnagTarget::default()
    }
}

type Outcome = Result<flow::LinkOutcome<(bool, Option<String>), &'static str>>;

fn run_flow(
    plan: &Plan,
    options: &FlowOptions,
    wallet: &MockWallet,
    dynamic: &MockDynamic,
    snag: Option<&MockSnag>,
    host: &MockHost,
) -> Outcome {
    ready(flow::run(
        plan,
        options,
        wallet,
        dynamic,
        snag,
        host,
        None::<&ScriptedRpc>,
    ))
}

fn run_flow_with_rpc(
    plan: &Plan,
    options: &FlowOptions,
    wallet: &MockWallet,
    dynamic: &MockDynamic,
    rpc: &ScriptedRpc,
) -> Outcome {
    ready(flow::run(
        plan,
        options,
        wallet,
        dynamic,
        None::<&MockSnag>,
        &MockHost::default(),
        Some(rpc),
    ))
}

#[test]
fn the_flow_links_evm_and_solana_in_every_format() {
    for (chain, format, wallet) in [
        ("EVM", LinkMessageFormat::Dynamic, MockWallet::evm()),
        ("ETH", LinkMessageFormat::Siwe, MockWallet::evm()),
        ("SOL", LinkMessageFormat::Dynamic, MockWallet::solana()),
        ("SOL", LinkMessageFormat::Siws, MockWallet::solana()),
    ] {
        let plan = plan_of(chain, format);
        let (dynamic, host) = (MockDynamic::default(), MockHost::default());
        let outcome = run_flow(&plan, &options(None), &wallet, &dynamic, None, &host).unwrap();
        assert_eq!(
            host.steps.borrow().as_slice(),
            [
                LinkStep::Connect,
                LinkStep::Nonce,
                LinkStep::Message,
                LinkStep::Sign,
                LinkStep::Verify,
                LinkStep::Link
            ]
        );
        assert_eq!(wallet.connects.get(), 1);
        // EVM addresses are checksummed before they are written.
        let expected = if chain == "SOL" {
            solana_key().1
        } else {
            evm_key().1
        };
        assert_eq!(outcome.proof.address, expected);
        assert_eq!(*wallet.signed.borrow(), vec![outcome.proof.message.clone()]);
        let requests = dynamic.requests.borrow();
        let (mode, request) = &requests[0];
        assert_eq!(*mode, LinkMode::SignIn);
        assert_eq!(
            (request.chain.as_str(), request.message_to_sign.as_str()),
            (chain, outcome.proof.message.as_str())
        );
        assert_eq!(outcome.jwt.as_deref(), Some("new-jwt"));
        if chain != "SOL" {
            assert!(outcome.proof.signature.starts_with("0x"));
            assert!(
                outcome.proof.message.contains("Chain ID: 10"),
                "the wallet's chain"
            );
        }
    }
}

#[test]
fn a_wallet_that_signs_in_by_itself_writes_its_address() {
    let plan = flow::plan(PlanInput {
        wallet_signs_in: true,
        signed_in: true,
        ..input("SOL", Some(LinkMessageFormat::Siws))
    })
    .unwrap();
    let (wallet, dynamic, host) = (
        MockWallet::solana(),
        MockDynamic::default(),
        MockHost::default(),
    );
    let outcome = run_flow(&plan, &options(None), &wallet, &dynamic, None, &host).unwrap();
    assert_eq!(wallet.connects.get(), 0, "no separate connect");
    assert!(!host.steps.borrow().contains(&LinkStep::Connect));
    assert_eq!(outcome.proof.address, solana_key().1);
    assert_eq!(dynamic.requests.borrow()[0].0, LinkMode::Link);
}

#[test]
fn a_bad_signature_never_reaches_a_service() {
    let plan = plan_of("EVM", LinkMessageFormat::Dynamic);
    let wallet = MockWallet {
        signer: KeyOf::Forger,
        ..MockWallet::evm()
    };
    let snag = MockSnag::default();
    let (dynamic, host) = (MockDynamic::default(), MockHost::default());
    let e = run_flow(
        &plan,
        &options(Some(snag_target())),
        &wallet,
        &dynamic,
        Some(&snag),
        &host,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.step.as_deref()),
        (ErrorCode::SignatureMismatch, Some("verify"))
    );
    assert!(dynamic.requests.borrow().is_empty());
    assert!(snag.params.borrow().is_empty());
}

#[test]
fn snag_gets_the_proof_or_the_jwt_from_a_snag_client() {
    let plan = plan_of("SOL", LinkMessageFormat::Dynamic);
    let snag = MockSnag::default();
    let (wallet, dynamic, host) = (
        MockWallet::solana(),
        MockDynamic::default(),
        MockHost::default(),
    );
    let outcome = run_flow(
        &plan,
        &options(Some(snag_target())),
        &wallet,
        &dynamic,
        Some(&snag),
        &host,
    )
    .unwrap();
    assert_eq!(outcome.snag, Some("connected"));
    assert_eq!(host.steps.borrow().last(), Some(&LinkStep::Snag));
    let params = snag.params.borrow();
    let data = params[0].verification_data.clone().unwrap();
    assert_eq!(
        (params[0].wallet_type.as_str(), data.message.as_deref()),
        ("solana", Some(outcome.proof.message.as_str()))
    );
    assert_eq!(
        wallet.signed.borrow().len(),
        1,
        "one signature for Dynamic and Snag"
    );

    // The JWT as proof: the response's, else the client's.
    let by_token = SnagTarget {
        proof: Some(SnagProof::DynamicAuthToken),
        ..snag_target()
    };
    let snag = MockSnag::default();
    let dynamic = MockDynamic {
        verify: Some(Ok((true, None))),
        token: Some("old-jwt".into()),
        ..MockDynamic::default()
    };
    run_flow(
        &plan,
        &options(Some(by_token)),
        &wallet,
        &dynamic,
        Some(&snag),
        &host,
    )
    .unwrap();
    let data = snag.params.borrow()[0].verification_data.clone().unwrap();
    assert_eq!(data.dynamic_auth_token.as_deref(), Some("old-jwt"));
}

#[test]
fn a_link_server_gets_a_second_proof_with_its_own_nonce() {
    let plan = plan_of("EVM", LinkMessageFormat::Siwe);
    let snag = MockSnag {
        link_server: true,
        ..MockSnag::default()
    };
    let (wallet, dynamic, host) = (
        MockWallet::evm(),
        MockDynamic::default(),
        MockHost::default(),
    );
    // No ids: the server has its own.
    let outcome = run_flow(
        &plan,
        &options(Some(SnagTarget::default())),
        &wallet,
        &dynamic,
        Some(&snag),
        &host,
    )
    .unwrap();
    assert_eq!(outcome.snag, Some("connected via server"));
    let signed = wallet.signed.borrow();
    assert_eq!(signed.len(), 2);
    assert!(signed[0].contains(&format!("Nonce: {NONCE}")));
    assert!(signed[1].contains("Nonce: serverNonce42"));
    let proofs = snag.proofs.borrow();
    assert_eq!(proofs[0].0, "evm");
    assert_eq!(proofs[0].1.message, signed[1]);
    assert_eq!(snag.token.borrow().as_deref(), Some("new-jwt"));
    assert!(snag.params.borrow().is_empty());

    // A second signature by another key stops before the server.
    let snag = MockSnag {
        link_server: true,
        ..MockSnag::default()
    };
    let wallet = MockWallet {
        forge_from: Some(1),
        ..MockWallet::evm()
    };
    let e = run_flow(
        &plan,
        &options(Some(SnagTarget::default())),
        &wallet,
        &dynamic,
        Some(&snag),
        &host,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.step.as_deref()),
        (ErrorCode::SignatureMismatch, Some("snag"))
    );
    assert!(snag.proofs.borrow().is_empty());
}

#[test]
fn every_failing_step_is_named() {
    let plan = plan_of("EVM", LinkMessageFormat::Dynamic);
    let with_snag = options(Some(snag_target()));
    let cases: Vec<(
        &str,
        MockWallet,
        MockDynamic,
        MockSnag,
        MockHost,
        ErrorCode,
        &str,
    )> = vec![
        (
            "connect refused",
            MockWallet {
                connect: Err(Error::new(ErrorCode::UserRejected, "no")),
                ..MockWallet::evm()
            },
            MockDynamic::default(),
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::UserRejected,
            "connect",
        ),
        (
            "connect gives a bad address",
            MockWallet {
                connect: Ok("0x1234".into()),
                ..MockWallet::evm()
            },
            MockDynamic::default(),
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::InvalidAddress,
            "connect",
        ),
        (
            "the wallet's chain id is odd but the caller's is wrong",
            MockWallet::evm(),
            MockDynamic::default(),
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::InvalidArgument,
            "message",
        ),
        (
            "nonce fails",
            MockWallet::evm(),
            MockDynamic {
                nonce: Some(Err(Error::new(ErrorCode::Timeout, "slow"))),
                ..MockDynamic::default()
            },
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::Timeout,
            "nonce",
        ),
        (
            "empty nonce",
            MockWallet::evm(),
            MockDynamic {
                nonce: Some(Ok(String::new())),
                ..MockDynamic::default()
            },
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::InvalidResponse,
            "nonce",
        ),
        (
            "nonce the template refuses",
            MockWallet::evm(),
            MockDynamic {
                nonce: Some(Ok("short".into())),
                ..MockDynamic::default()
            },
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::InvalidField,
            "message",
        ),
        (
            "the user declines to sign",
            MockWallet {
                refuse: Some(ErrorCode::UserRejected),
                ..MockWallet::evm()
            },
            MockDynamic::default(),
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::UserRejected,
            "sign",
        ),
        (
            "Dynamic refuses",
            MockWallet::evm(),
            MockDynamic {
                verify: Some(Err(Error::new(ErrorCode::HttpError, "422").with_status(422))),
                ..MockDynamic::default()
            },
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::HttpError,
            "link",
        ),
        (
            "Dynamic answers without a user",
            MockWallet::evm(),
            MockDynamic {
                verify: Some(Ok((false, None))),
                ..MockDynamic::default()
            },
            MockSnag::default(),
            MockHost::default(),
            ErrorCode::InvalidResponse,
            "link",
        ),
        (
            "Snag fails",
            MockWallet::evm(),
            MockDynamic::default(),
            MockSnag {
                fail: Some(ErrorCode::Network),
                ..MockSnag::default()
            },
            MockHost::default(),
            ErrorCode::Network,
            "snag",
        ),
        (
            "aborted after the nonce",
            MockWallet::evm(),
            MockDynamic::default(),
            MockSnag::default(),
            MockHost {
                abort_at: Some(LinkStep::Nonce),
                ..MockHost::default()
            },
            ErrorCode::Aborted,
            "message",
        ),
    ];
    for (name, wallet, dynamic, snag, host, code, step) in cases {
        let options = if name.starts_with("the wallet's chain id") {
            FlowOptions {
                chain_id: Some(0.5),
                ..with_snag.clone()
            }
        } else {
            with_snag.clone()
        };
        let e = run_flow(&plan, &options, &wallet, &dynamic, Some(&snag), &host).unwrap_err();
        assert_eq!((e.code, e.step.as_deref()), (code, Some(step)), "{name}");
        let reached_dynamic = !dynamic.requests.borrow().is_empty();
        assert_eq!(
            reached_dynamic,
            matches!(step, "link" | "snag"),
            "{name}: Dynamic reached only once the proof verified"
        );
    }
    // Without a wallet name nothing is sent.
    let (wallet, dynamic, host) = (
        MockWallet::evm(),
        MockDynamic::default(),
        MockHost::default(),
    );
    let no_name = FlowOptions {
        wallet_name: None,
        ..options(None)
    };
    let e = run_flow(&plan, &no_name, &wallet, &dynamic, None, &host).unwrap_err();
    assert_eq!(
        (e.field.as_deref(), e.step.as_deref()),
        (Some("walletName"), Some("link"))
    );
    assert!(dynamic.requests.borrow().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Smart accounts: the signature is the owner key's, the address the account contract's.

const ACCOUNT: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

fn smart_account_wallet() -> MockWallet {
    MockWallet {
        connect: Ok(ACCOUNT.into()),
        ..MockWallet::evm()
    }
}

fn ok(text: &str) -> Result<String> {
    Ok(text.to_owned())
}

#[test]
fn a_smart_account_links_after_its_contract_accepts() {
    for format in [LinkMessageFormat::Dynamic, LinkMessageFormat::Siwe] {
        let plan = plan_of("EVM", format);
        let dynamic = MockDynamic::default();
        // The wallet reports chain 10: the RPC must serve it.
        let rpc = ScriptedRpc::answering(vec![ok("0xa"), ok("0x01")]);
        let outcome = run_flow_with_rpc(
            &plan,
            &options(None),
            &smart_account_wallet(),
            &dynamic,
            &rpc,
        )
        .unwrap();
        assert_eq!(outcome.kind, Some(SignatureKind::Erc1271));
        assert_eq!(rpc.methods(), ["eth_chainId", "eth_call"]);
        let requests = dynamic.requests.borrow();
        assert_eq!(requests[0].1.wallet_provider, "smartContractWallet");
        assert_eq!(requests[0].1.public_wallet_address, ACCOUNT);
    }
}

#[test]
fn a_key_signature_never_asks_the_rpc() {
    let plan = plan_of("EVM", LinkMessageFormat::Dynamic);
    let (dynamic, rpc) = (MockDynamic::default(), ScriptedRpc::default());
    let outcome =
        run_flow_with_rpc(&plan, &options(None), &MockWallet::evm(), &dynamic, &rpc).unwrap();
    assert_eq!(outcome.kind, Some(SignatureKind::Eoa));
    assert!(rpc.methods().is_empty());
    assert_eq!(
        dynamic.requests.borrow()[0].1.wallet_provider,
        "browserExtension"
    );
}

#[test]
fn a_smart_account_refused_or_unchecked_never_reaches_dynamic() {
    let plan = plan_of("EVM", LinkMessageFormat::Dynamic);
    let refused = |answers: Vec<Result<String>>| {
        let dynamic = MockDynamic::default();
        let rpc = ScriptedRpc::answering(answers);
        let error = run_flow_with_rpc(
            &plan,
            &options(None),
            &smart_account_wallet(),
            &dynamic,
            &rpc,
        )
        .unwrap_err();
        assert!(dynamic.requests.borrow().is_empty(), "{error:?}");
        assert_eq!(error.step.as_deref(), Some("verify"));
        error.code
    };
    // The contract says no; the RPC is on another chain; the RPC fails or answers nonsense.
    assert_eq!(
        refused(vec![ok("0xa"), ok("0x00")]),
        ErrorCode::SignatureMismatch
    );
    assert_eq!(refused(vec![ok("0x1")]), ErrorCode::ChainIdMismatch);
    assert_eq!(
        refused(vec![
            ok("0xa"),
            Err(wallet_linker::Error::new(ErrorCode::RpcError, "reverted"))
        ]),
        ErrorCode::RpcError
    );
    assert_eq!(
        refused(vec![ok("0xa"), ok("0x")]),
        ErrorCode::InvalidResponse
    );
    // Without an RPC, the local check's refusal stands.
    let dynamic = MockDynamic::default();
    let error = run_flow(
        &plan,
        &options(None),
        &smart_account_wallet(),
        &dynamic,
        None,
        &MockHost::default(),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::SignatureMismatch);
    assert!(dynamic.requests.borrow().is_empty());
}

#[test]
fn snag_wallet_types() {
    use wallet_linker::message::ChainFamily;
    assert_eq!(flow::wallet_type(ChainFamily::Evm, None), Ok("evm"));
    assert_eq!(flow::wallet_type(ChainFamily::Evm, Some("imx")), Ok("imx"));
    assert_eq!(flow::wallet_type(ChainFamily::Solana, None), Ok("solana"));
    for (family, bad) in [
        (ChainFamily::Evm, "solana"),
        (ChainFamily::Solana, "imx"),
        (ChainFamily::Evm, "IMX"),
    ] {
        let error = flow::wallet_type(family, Some(bad)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("snag.walletType"));
    }
    let target = SnagTarget {
        wallet_type: Some("imx".into()),
        ..snag_target()
    };
    let params = flow::snag_params(&target, ChainFamily::Evm, &proof(), None).unwrap();
    assert_eq!(params.wallet_type, "imx");
}

#[test]
fn a_provider_without_eth_call_leaves_the_local_refusal() {
    // EIP-1193 4200 (unsupported method): the wallet cannot look contracts up; a tampered EOA
    // signature stays SIGNATURE_MISMATCH rather than becoming an RPC failure.
    let plan = plan_of("EVM", LinkMessageFormat::Dynamic);
    let unsupported = wallet_linker::evm::contract::rpc_error("eth_chainId", Some(4200.0), None);
    let rpc = ScriptedRpc::answering(vec![Err(unsupported)]);
    let dynamic = MockDynamic::default();
    let error = run_flow_with_rpc(
        &plan,
        &options(None),
        &smart_account_wallet(),
        &dynamic,
        &rpc,
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::SignatureMismatch);
    assert!(dynamic.requests.borrow().is_empty());
    // Any other RPC failure is an error, never a verdict.
    let down = wallet_linker::evm::contract::rpc_error("eth_chainId", Some(-32000.0), None);
    let rpc = ScriptedRpc::answering(vec![Err(down)]);
    let error = run_flow_with_rpc(
        &plan,
        &options(None),
        &smart_account_wallet(),
        &MockDynamic::default(),
        &rpc,
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::RpcError);
}

#[test]
fn a_sui_wallet_links_with_dynamics_template() {
    let plan = plan_of("SUI", LinkMessageFormat::Dynamic);
    let dynamic = MockDynamic::default();
    let snag = MockSnag::default();
    let outcome = run_flow(
        &plan,
        &options(Some(snag_target())),
        &MockWallet::sui(),
        &dynamic,
        Some(&snag),
        &MockHost::default(),
    )
    .unwrap();
    let address = common::sui_key(0x27).0;
    // The address is written in lowercase, the signature as the wallet serialized it.
    assert_eq!(outcome.proof.address, address);
    assert!(outcome.proof.message.contains("with your Sui account:"));
    assert!(!outcome.proof.message.contains("Chain ID"));
    assert_eq!(outcome.kind, None);
    assert_eq!(dynamic.requests.borrow()[0].1.chain, "SUI");
    assert_eq!(snag.params.borrow()[0].wallet_type, "sui");
    assert_eq!(
        wallet_linker::sui::verify_personal_message(
            outcome.proof.message.as_bytes(),
            &outcome.proof.signature,
            &address
        ),
        Ok(true)
    );
    // SIWE and SIWS do not fit Sui; a forged signature never reaches Dynamic.
    for format in [LinkMessageFormat::Siwe, LinkMessageFormat::Siws] {
        let e = flow::plan(input("SUI", Some(format))).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("messageFormat"));
    }
    let forger = MockWallet {
        connect: Ok(common::sui_key(0x28).0),
        ..MockWallet::sui()
    };
    let dynamic = MockDynamic::default();
    let error = run_flow(
        &plan,
        &options(None),
        &forger,
        &dynamic,
        None,
        &MockHost::default(),
    )
    .unwrap_err();
    assert_eq!(
        (error.code, error.step.as_deref()),
        (ErrorCode::SignatureMismatch, Some("verify"))
    );
    assert!(dynamic.requests.borrow().is_empty());
}
