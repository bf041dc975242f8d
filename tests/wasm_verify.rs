#![cfg(target_arch = "wasm32")]
//! Sign-then-verify properties of the signature checks compiled to wasm32, where k256 runs its
//! 32-bit field backend (`cpubits = "32"`) and curve25519-dalek its 32-bit backend: different
//! arithmetic from the native tests. Keys and messages come from a seeded generator.

use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use wallet_linker::{ErrorCode, evm, solana};
use wasm_bindgen_test::wasm_bindgen_test;

/// splitmix64: deterministic test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn flip(&mut self, bytes: &mut [u8]) {
        let bit = self.below(bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);
    }
}

fn address_of(key: &EcdsaSigningKey) -> [u8; 20] {
    let point = key.verifying_key().to_sec1_point(false);
    evm::keccak256(&point.as_bytes()[1..])[12..]
        .try_into()
        .unwrap()
}

#[wasm_bindgen_test]
fn evm_sign_then_recover_and_mutations_fail() {
    let mut rng = Rng(0xE1_9191);
    for _ in 0..40 {
        let Ok(key) = EcdsaSigningKey::from_slice(&rng.bytes(32)) else {
            continue;
        };
        let address = address_of(&key);
        let address_hex = evm::eip55::checksum_of_bytes(&address);
        let len = rng.below(200);
        let message = rng.bytes(len);
        let (signature, recovery_id) = key.sign_prehash_recoverable(&evm::eip191_hash(&message));
        let mut sig = signature.to_bytes().to_vec();
        sig.push(27 + recovery_id.to_byte());
        assert_eq!(evm::recover_address(&message, &sig), Ok(address));
        assert_eq!(
            evm::verify_signature(&message, &sig, &address_hex),
            Ok(true)
        );

        if !message.is_empty() {
            let mut bad = message.clone();
            rng.flip(&mut bad);
            assert_eq!(evm::verify_signature(&bad, &sig, &address_hex), Ok(false));
        }
        let mut bad = sig.clone();
        rng.flip(&mut bad);
        match evm::verify_signature(&message, &bad, &address_hex) {
            Ok(valid) => assert!(!valid),
            Err(e) => assert_eq!(e.code, ErrorCode::InvalidSignature),
        }
    }
}

#[wasm_bindgen_test]
fn ed25519_sign_then_verify_and_mutations_fail() {
    let mut rng = Rng(0xED25519);
    for _ in 0..60 {
        let seed: [u8; 32] = rng.bytes(32).try_into().unwrap();
        let key = EdSigningKey::from_bytes(&seed);
        let public = key.verifying_key().to_bytes();
        let len = rng.below(300);
        let message = rng.bytes(len);
        let sig = key.sign(&message).to_bytes();
        let verifier = solana::SolanaVerifier::new(&public).unwrap();
        assert_eq!(verifier.verify(&message, &sig), Ok(true));
        let b58 = bs58::encode(sig).into_string();
        assert_eq!(solana::decode_signature(&b58), Ok(sig));

        if !message.is_empty() {
            let mut bad = message.clone();
            rng.flip(&mut bad);
            assert_eq!(verifier.verify(&bad, &sig), Ok(false));
        }
        let mut bad = sig;
        rng.flip(&mut bad);
        match verifier.verify(&message, &bad) {
            Ok(valid) => assert!(!valid),
            Err(e) => assert_eq!(e.code, ErrorCode::InvalidSignature),
        }
        let mut other = public;
        rng.flip(&mut other);
        match solana::verify(&message, &sig, &other) {
            Ok(valid) => assert!(!valid),
            Err(e) => assert_eq!(e.code, ErrorCode::InvalidPublicKey),
        }
    }
}

#[wasm_bindgen_test]
fn viem_vector_recovers_in_wasm() {
    // viem's signMessage('hello world') by Anvil account 0 (tests/vectors/eip191_viem.json).
    let signature = evm::decode_signature(
        "0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b",
    )
    .unwrap();
    let address = evm::recover_address(b"hello world", &signature).unwrap();
    assert_eq!(
        evm::eip55::checksum_of_bytes(&address),
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    );
}
