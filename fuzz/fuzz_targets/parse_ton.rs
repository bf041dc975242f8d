//! TON bags of cells and addresses from arbitrary input: the readers never panic, and what they
//! accept is exactly what they read.
//!
//! - The whole input as a bag of cells: an accepted bag, written again here with its own layout
//!   (index, CRC32-C, sizes), is the input byte for byte, and each cell's hash and depth equal
//!   those recomputed here; a refusal is `INVALID_STATE_INIT` or `INPUT_TOO_LARGE`. Its StateInit
//!   and wallet, when read, fail only with their own codes.
//! - The whole input as text: an accepted address is written back as it was (raw hex in
//!   lowercase); a refusal is `INVALID_ADDRESS`.
//! - The whole input, base64-encoded, as the state init of a proof: a coded refusal, never a panic.
//!
//! Seeds: `WRITE_FUZZ_SEEDS=1 cargo test --test ton` writes state inits and addresses made by
//! `@ton/ton` (tests/vectors/ton_proof.json) into fuzz/seeds/parse_ton/.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use wallet_linker::ErrorCode;
use wallet_linker::ton::boc::{BOC_MAGIC, crc32c};
use wallet_linker::ton::{
    AddressForm, BagOfCells, StateInit, TonAccount, TonAddress, TonProof, TonProofCheck,
    TonProofDomain, verify_ton_proof,
};

fuzz_target!(|data: &[u8]| {
    check_bag(data);
    if let Ok(text) = std::str::from_utf8(data) {
        check_address(text);
    }
    check_proof_state_init(data);
});

fn check_bag(bytes: &[u8]) {
    match BagOfCells::parse(bytes) {
        Ok(bag) => {
            assert_eq!(write(&bag), bytes);
            check_hashes(&bag);
            match StateInit::from_bag(bag) {
                Ok(state_init) => {
                    if let Err(e) = state_init.wallet() {
                        assert!(
                            matches!(
                                e.code,
                                ErrorCode::UnsupportedWallet | ErrorCode::InvalidStateInit
                            ),
                            "{e:?}"
                        );
                    }
                }
                Err(e) => assert_eq!(e.code, ErrorCode::InvalidStateInit, "{e:?}"),
            }
        }
        Err(e) => assert!(
            matches!(
                e.code,
                ErrorCode::InvalidStateInit | ErrorCode::InputTooLarge
            ),
            "{e:?}"
        ),
    }
}

fn be(value: u64, size: usize) -> Vec<u8> {
    value.to_be_bytes()[8 - size..].to_vec()
}

/// The bag serialized again from its cells and its layout.
fn write(bag: &BagOfCells) -> Vec<u8> {
    let (ref_size, offset_size) = (bag.ref_size(), bag.offset_size());
    let mut cells = Vec::new();
    let mut ends = Vec::new();
    for cell in bag.cells() {
        cells.extend(cell.descriptor());
        cells.extend(cell.data());
        for &r in cell.refs() {
            cells.extend(be(r as u64, ref_size));
        }
        ends.push(cells.len() as u64);
    }
    let mut out = BOC_MAGIC.to_vec();
    out.push(u8::from(bag.has_index()) << 7 | u8::from(bag.has_crc32c()) << 6 | ref_size as u8);
    out.push(offset_size as u8);
    out.extend(be(bag.cells().len() as u64, ref_size));
    out.extend(be(1, ref_size));
    out.extend(be(0, ref_size));
    out.extend(be(cells.len() as u64, offset_size));
    out.extend(be(bag.root_index() as u64, ref_size));
    if bag.has_index() {
        for end in ends {
            out.extend(be(end, offset_size));
        }
    }
    out.extend(cells);
    if bag.has_crc32c() {
        let crc = crc32c(&out);
        out.extend(crc.to_le_bytes());
    }
    out
}

/// Each cell's depth and representation hash, recomputed here from the cells it refers to.
fn check_hashes(bag: &BagOfCells) {
    for cell in bag.cells() {
        let children: Vec<_> = cell.refs().iter().map(|&r| &bag.cells()[r]).collect();
        let depth = children.iter().map(|c| c.depth() + 1).max().unwrap_or(0);
        assert_eq!(cell.depth(), depth);
        let mut hasher = Sha256::new();
        hasher.update(cell.descriptor());
        hasher.update(cell.data());
        for child in &children {
            hasher.update(child.depth().to_be_bytes());
        }
        for child in &children {
            hasher.update(child.hash());
        }
        assert_eq!(cell.hash(), &<[u8; 32]>::from(hasher.finalize()));
        assert!(cell.bit_len() <= 1023 && cell.refs().len() <= 4);
    }
}

fn check_address(text: &str) {
    match TonAddress::parse_with_form(text) {
        Ok((address, AddressForm::Raw)) => {
            assert!(matches!(address.workchain, 0 | -1));
            assert_eq!(address.to_raw(), text.to_ascii_lowercase());
        }
        Ok((address, AddressForm::Friendly(flags))) => {
            assert!(matches!(address.workchain, 0 | -1));
            assert_eq!(address.to_friendly(flags), text);
            assert_eq!(TonAddress::parse(&address.to_raw()), Ok(address));
        }
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidAddress, "{e:?}"),
    }
}

/// Standard padded base64.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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

/// A proof whose every other member is well-formed, over the input as its state init.
fn check_proof_state_init(bytes: &[u8]) {
    let hash = match BagOfCells::parse(bytes) {
        Ok(bag) => *bag.root().hash(),
        Err(_) => [0; 32],
    };
    let proof = TonProof {
        timestamp: 1_767_225_600,
        domain: TonProofDomain {
            length_bytes: 11,
            value: "example.com".into(),
        },
        payload: "n".into(),
        signature: base64(&[1; 64]),
        state_init: None,
    };
    let account = TonAccount {
        address: TonAddress { workchain: 0, hash }.to_raw(),
        chain: "-239".into(),
        public_key: "11".repeat(32),
        wallet_state_init: Some(base64(bytes)),
    };
    let check = TonProofCheck {
        domain: "example.com".into(),
        payload: "n".into(),
        now_ms: 1_767_225_600_000,
        ..TonProofCheck::default()
    };
    let error = verify_ton_proof(&proof, &account, &check).expect_err("no key signed it");
    assert!(
        matches!(
            error.code,
            ErrorCode::InvalidStateInit
                | ErrorCode::UnsupportedWallet
                | ErrorCode::InputTooLarge
                | ErrorCode::MissingField
                | ErrorCode::AddressMismatch
                | ErrorCode::InvalidPublicKey
                | ErrorCode::SignatureMismatch
                | ErrorCode::InvalidSignature
        ),
        "{error:?}"
    );
}
