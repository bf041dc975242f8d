//! The native limit for the benchmark: the crate's own core, compiled natively in release mode,
//! doing the same operations as the wasm package over the same fixtures.
//!
//! `cargo run --release --example bench_native -- FIXTURES.json [SAMPLES] [SAMPLE_MS]` prints
//! JSON (`{ "runtime", "results": [{ "op", "name", "opsPerSec", "samples" }] }`). Run by
//! `./dev bench` (bench/run.mjs), which writes the fixtures first.

use serde_json::{Value, json};
use std::hint::black_box;
use std::time::{Duration, Instant};
use wallet_linker::message::{SiweMessage, SolanaSignInInput, siwe, siws};
use wallet_linker::signin::{SiweCheck, verify_siwe_sign_in};
use wallet_linker::{evm, solana};

type BoxError = Box<dyn std::error::Error>;
/// One benchmarked call; returns whether it succeeded.
type Op<'a> = Box<dyn FnMut() -> bool + 'a>;

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: bench_native FIXTURES.json [SAMPLES] [SAMPLE_MS]")?;
    let samples: usize = args.next().map_or(Ok(5), |s| s.parse())?;
    let sample_ms: u64 = args.next().map_or(Ok(250), |s| s.parse())?;
    let fixtures: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let timing = Timing {
        samples,
        sample: Duration::from_millis(sample_ms),
        warmup: Duration::from_millis(300),
    };
    let text = |pointer: &str| -> Result<String, BoxError> {
        fixtures
            .pointer(pointer)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("fixtures: no string at {pointer}").into())
    };

    let evm_message = text("/evm/message")?;
    let evm_signature = text("/evm/signature")?;
    let evm_address = text("/evm/address")?;
    let siwe_message = text("/siwe/message")?;
    let siwe_signature = text("/siwe/signature")?;
    let siwe_fields: SiweMessage = serde_json::from_value(
        fixtures
            .pointer("/siwe/fields")
            .cloned()
            .unwrap_or_default(),
    )?;
    let siws_input: SolanaSignInInput =
        serde_json::from_value(fixtures.pointer("/siws/input").cloned().unwrap_or_default())?;
    let siws_message = text("/siws/message")?;
    let solana_message = text("/solana/message")?.into_bytes();
    let solana_signature = hex(&text("/solana/signatureHex")?)?;
    let solana_key = hex(&text("/solana/publicKeyHex")?)?;
    let check = SiweCheck {
        domain: text("/siwe/domain")?,
        nonce: text("/siwe/nonce")?,
        now_ms: fixtures
            .pointer("/siwe/nowMs")
            .and_then(Value::as_i64)
            .ok_or("fixtures: no /siwe/nowMs")?,
        ..SiweCheck::default()
    };

    // Each operation mirrors the JS call: text in (hex signature, address string), answer out.
    let verify_evm = || -> Result<bool, BoxError> {
        let signature = evm::decode_signature(&evm_signature)?;
        Ok(evm::verify_signature(
            evm_message.as_bytes(),
            &signature,
            &evm_address,
        )?)
    };
    let verifier = solana::SolanaVerifier::new(&solana_key)?;
    let verify_siwe = || -> Result<String, BoxError> {
        let signature = evm::decode_signature(&siwe_signature)?;
        Ok(verify_siwe_sign_in(&siwe_message, &signature, &check)?.address)
    };

    // Correctness first: a benchmark of a wrong answer is worthless.
    let expected_siwe_address = text("/siwe/fields/address")?;
    ensure(verify_evm()?, "EIP-191 signature verifies")?;
    ensure(
        !evm::verify_signature(
            b"another message",
            &evm::decode_signature(&evm_signature)?,
            &evm_address,
        )?,
        "EIP-191 refuses another message",
    )?;
    ensure(
        solana::verify(&solana_message, &solana_signature, &solana_key)?,
        "ed25519 signature verifies",
    )?;
    ensure(
        !verifier.verify(b"another message", &solana_signature)?,
        "ed25519 refuses another message",
    )?;
    ensure(
        siwe::create_siwe_message(&siwe_fields)? == siwe_message,
        "SIWE build matches siwe",
    )?;
    ensure(
        siwe::parse_siwe_message(&siwe_message)? == siwe_fields,
        "SIWE parse",
    )?;
    ensure(
        siws::create_solana_sign_in_message(&siws_input)? == siws_message,
        "SIWS build matches wallet-standard-util",
    )?;
    ensure(
        siws::parse_solana_sign_in_message(&siws_message)? == siws_input,
        "SIWS parse",
    )?;
    ensure(
        verify_siwe()? == expected_siwe_address,
        "SIWE sign-in verifies",
    )?;

    // Every operation: (operation id as in bench/suite.mjs, name, one call).
    let mut ops: Vec<(&str, &str, Op)> = vec![
        (
            "evm",
            "native verify_signature (k256)",
            Box::new(|| verify_evm().is_ok()),
        ),
        (
            "solana",
            "native solana::verify (ed25519-dalek)",
            Box::new(|| {
                solana::verify(black_box(&solana_message), &solana_signature, &solana_key).is_ok()
            }),
        ),
        (
            "solana-prepared",
            "native SolanaVerifier::verify",
            Box::new(|| {
                verifier
                    .verify(black_box(&solana_message), &solana_signature)
                    .is_ok()
            }),
        ),
        (
            "siwe-build",
            "native create_siwe_message",
            Box::new(|| siwe::create_siwe_message(black_box(&siwe_fields)).is_ok()),
        ),
        (
            "siwe-parse",
            "native parse_siwe_message",
            Box::new(|| siwe::parse_siwe_message(black_box(&siwe_message)).is_ok()),
        ),
        (
            "siws-build",
            "native create_solana_sign_in_message",
            Box::new(|| siws::create_solana_sign_in_message(black_box(&siws_input)).is_ok()),
        ),
        (
            "siws-parse",
            "native parse_solana_sign_in_message",
            Box::new(|| siws::parse_solana_sign_in_message(black_box(&siws_message)).is_ok()),
        ),
        (
            "siwe-verify",
            "native verify_siwe_sign_in",
            Box::new(|| verify_siwe().is_ok()),
        ),
    ];

    // Warm-up and batch size per operation, then rounds of one sample each (round-robin, as in
    // bench/suite.mjs, so a burst of load on a shared machine hits every operation alike).
    let batches: Vec<u64> = ops
        .iter_mut()
        .map(|(_, _, op)| timing.warm_up(op))
        .collect();
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); ops.len()];
    for _ in 0..timing.samples {
        for ((_, _, op), (batch, rates)) in ops.iter_mut().zip(batches.iter().zip(&mut samples)) {
            rates.push(timing.sample(op, *batch));
        }
    }
    let results: Vec<Value> = ops
        .iter()
        .zip(samples)
        .map(|((id, name, _), rates)| {
            let median = median(&rates);
            eprintln!("  {name}: {median:.0} ops/s");
            json!({ "op": id, "name": name, "opsPerSec": median, "samples": rates })
        })
        .collect();

    let runtime = format!(
        "native {} ({})",
        std::env::consts::ARCH,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({ "runtime": runtime, "results": results }))?
    );
    Ok(())
}

fn ensure(ok: bool, what: &str) -> Result<(), BoxError> {
    if ok {
        Ok(())
    } else {
        Err(format!("correctness check failed: {what}").into())
    }
}

fn hex(text: &str) -> Result<Vec<u8>, BoxError> {
    let digit = |c: u8| (c as char).to_digit(16).ok_or("fixtures: bad hex digit");
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Ok((digit(*hi)? * 16 + digit(*lo)?) as u8),
            _ => Err("fixtures: odd hex length".into()),
        })
        .collect()
}

/// The same method as bench/suite.mjs: warm-up, batches of about a tenth of a sample, the median
/// of the samples' rates.
struct Timing {
    samples: usize,
    sample: Duration,
    warmup: Duration,
}

impl Timing {
    fn run_batch(op: &mut dyn FnMut() -> bool, count: u64) -> Duration {
        let started = Instant::now();
        for _ in 0..count {
            black_box(op());
        }
        started.elapsed()
    }

    /// Runs `op` for the warm-up time; returns a batch size of about a tenth of a sample.
    fn warm_up(&self, op: &mut dyn FnMut() -> bool) -> u64 {
        let mut batch = 1u64;
        let mut warm = Duration::ZERO;
        while warm < self.warmup {
            let took = Self::run_batch(op, batch);
            warm += took;
            if took < self.sample / 10 {
                batch *= 2;
            }
        }
        batch
    }

    /// Operations per second over at least one sample time.
    fn sample(&self, op: &mut dyn FnMut() -> bool, batch: u64) -> f64 {
        let (mut ops, mut took) = (0u64, Duration::ZERO);
        while took < self.sample {
            took += Self::run_batch(op, batch);
            ops += batch;
        }
        ops as f64 / took.as_secs_f64()
    }
}

fn median(rates: &[f64]) -> f64 {
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}
