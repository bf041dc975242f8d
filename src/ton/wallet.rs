//! A wallet's StateInit: the cell whose hash is the wallet's address, and the public key in its
//! data for the standard wallet contracts.
//!
//! `StateInit` (TL-B): `split_depth:(Maybe (## 5)) special:(Maybe TickTock) code:(Maybe ^Cell)
//! data:(Maybe ^Cell) library:(Maybe ^Cell)`; the root must hold exactly these bits and
//! references. A standard wallet's has code and data and nothing else.
//!
//! The wallet is told by the representation hash of its code cell, never guessed from the data:
//!
//! | wallet | data cell | public key at bit |
//! |---|---|---|
//! | v3r2 | seqno (32) ‖ wallet id (32) ‖ key (256): 320 bits | 64 |
//! | v4r2 | seqno (32) ‖ wallet id (32) ‖ key (256) ‖ plugins (dict): 321 bits | 64 |
//! | v5r1 | signature allowed (1) ‖ seqno (32) ‖ wallet id (32) ‖ key (256) ‖ extensions (dict): 322 bits | 65 |
//!
//! A dict bit of 1 comes with one reference (its root), 0 with none. The code may be a library
//! reference cell (wallets deploy so to save storage): the wallet is then told by the hash it
//! refers to, which is the code cell's hash. Any other code is `UNSUPPORTED_WALLET`; a data cell
//! of another shape is `INVALID_STATE_INIT`.

use super::boc::{BagOfCells, CellSlice};
use crate::error::{Error, ErrorCode, Result};

/// A standard wallet contract whose public key this module reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WalletVersion {
    V3R2,
    V4R2,
    V5R1,
}

impl WalletVersion {
    pub const ALL: [WalletVersion; 3] = [
        WalletVersion::V3R2,
        WalletVersion::V4R2,
        WalletVersion::V5R1,
    ];

    /// `"v3r2"`, `"v4r2"`, `"v5r1"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            WalletVersion::V3R2 => "v3r2",
            WalletVersion::V4R2 => "v4r2",
            WalletVersion::V5R1 => "v5r1",
        }
    }

    /// The representation hash of the contract's code cell, as published with the contracts
    /// (and computed by tests/vectors/ton-vectors.mjs from `@ton/ton`'s wallet classes).
    pub const fn code_hash(self) -> [u8; 32] {
        match self {
            WalletVersion::V3R2 => V3R2_CODE_HASH,
            WalletVersion::V4R2 => V4R2_CODE_HASH,
            WalletVersion::V5R1 => V5R1_CODE_HASH,
        }
    }

    /// The wallet whose code cell has this hash.
    pub fn from_code_hash(hash: &[u8; 32]) -> Option<WalletVersion> {
        Self::ALL.into_iter().find(|v| v.code_hash() == *hash)
    }

    /// Bits before the public key in the data cell.
    const fn key_offset(self) -> usize {
        match self {
            WalletVersion::V3R2 | WalletVersion::V4R2 => 64,
            WalletVersion::V5R1 => 65,
        }
    }

    /// Whether the data ends with a dictionary (v4r2's plugins, v5r1's extensions).
    const fn ends_with_dict(self) -> bool {
        !matches!(self, WalletVersion::V3R2)
    }
}

// Constants, so that the hex is decoded (and checked) at compile time.
const V3R2_CODE_HASH: [u8; 32] =
    hex32(b"84dafa449f98a6987789ba232358072bc0f76dc4524002a5d0918b9a75d2d599");
const V4R2_CODE_HASH: [u8; 32] =
    hex32(b"feb5ff6820e2ff0d9483e7e0d62c817d846789fb4ae580c878866d959dabd5c0");
const V5R1_CODE_HASH: [u8; 32] =
    hex32(b"20834b7b72b112147e1b2fb457b84e74d1a30f04f737d4f62a668e9552d2b72f");

/// 64 lowercase hex digits to bytes (compile time only: a bad digit fails the build).
const fn hex32(text: &[u8; 64]) -> [u8; 32] {
    const fn digit(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("not a lowercase hex digit"),
        }
    }
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = digit(text[2 * i]) << 4 | digit(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// A standard wallet, read from its StateInit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Wallet {
    pub version: WalletVersion,
    pub public_key: [u8; 32],
}

/// A StateInit read from a bag of cells (its root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateInit {
    bag: BagOfCells,
    parts: Parts,
}

/// Which of a StateInit's optional parts are present (code and data as cell indices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parts {
    split_depth: bool,
    special: bool,
    code: Option<usize>,
    data: Option<usize>,
    library: bool,
}

impl Parts {
    /// The parts, when the root holds exactly the StateInit fields.
    fn read(mut root: CellSlice<'_>) -> Option<Parts> {
        let split_depth = root.load_bit()?;
        if split_depth {
            root.skip_bits(5)?;
        }
        let special = root.load_bit()?;
        if special {
            root.skip_bits(2)?;
        }
        let mut optional_ref = || -> Option<Option<usize>> {
            if root.load_bit()? {
                Some(Some(root.load_ref()?.index()))
            } else {
                Some(None)
            }
        };
        let code = optional_ref()?;
        let data = optional_ref()?;
        let library = optional_ref()?.is_some();
        (root.remaining_bits() == 0 && root.remaining_refs() == 0).then_some(Parts {
            split_depth,
            special,
            code,
            data,
            library,
        })
    }
}

impl StateInit {
    /// Reads a serialized BoC whose root is a StateInit (`INVALID_STATE_INIT`,
    /// `INPUT_TOO_LARGE`).
    pub fn from_boc(bytes: &[u8]) -> Result<StateInit> {
        Self::from_bag(BagOfCells::parse(bytes)?)
    }

    /// Reads the StateInit at the root of `bag`.
    pub fn from_bag(bag: BagOfCells) -> Result<StateInit> {
        let parts = if bag.root().library_hash().is_some() {
            None
        } else {
            Parts::read(bag.root_slice())
        };
        let parts = parts.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidStateInit,
                "the root cell is not a StateInit (split depth, tick-tock, code, data and \
                 library, each optional, and nothing more)",
            )
        })?;
        Ok(StateInit { bag, parts })
    }

    /// The representation hash of the StateInit cell: the account hash of its address.
    pub fn hash(&self) -> [u8; 32] {
        *self.bag.root().hash()
    }

    /// The bag it was read from.
    pub fn bag(&self) -> &BagOfCells {
        &self.bag
    }

    /// The hash of the code cell, when there is one: for a library reference, the hash of the
    /// code it stands for.
    pub fn code_hash(&self) -> Option<[u8; 32]> {
        let cell = self.bag.cell(self.parts.code?)?;
        Some(cell.library_hash().unwrap_or(*cell.hash()))
    }

    /// Whether the code is a library reference cell.
    pub fn code_is_library(&self) -> bool {
        self.parts
            .code
            .and_then(|index| self.bag.cell(index))
            .is_some_and(|cell| cell.library_hash().is_some())
    }

    /// The standard wallet this is the state of, and its public key (`UNSUPPORTED_WALLET` for
    /// other contracts, `INVALID_STATE_INIT` for a wallet's data of the wrong shape).
    pub fn wallet(&self) -> Result<Wallet> {
        let unsupported = |why: &str| {
            Error::new(
                ErrorCode::UnsupportedWallet,
                format!("{why}; the public key is read from wallets v3r2, v4r2 and v5r1 only"),
            )
        };
        if self.parts.split_depth || self.parts.special || self.parts.library {
            return Err(unsupported(
                "the state init has a split depth, tick-tock or libraries, which no standard \
                 wallet has",
            ));
        }
        let (Some(code_hash), Some(data)) = (self.code_hash(), self.parts.data) else {
            return Err(unsupported("the state init lacks code or data"));
        };
        if self
            .bag
            .cell(data)
            .is_some_and(|cell| cell.library_hash().is_some())
        {
            return Err(unsupported(
                "the wallet's data is a library reference, which cannot be read offline",
            ));
        }
        let version = WalletVersion::from_code_hash(&code_hash).ok_or_else(|| {
            unsupported("the wallet's code is not a known wallet contract's").with_received(
                format!("code hash {}", base16ct::lower::encode_string(&code_hash)),
            )
        })?;
        let public_key = self
            .bag
            .slice(data)
            .and_then(|data| read_public_key(version, data))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidStateInit,
                    format!(
                        "the data cell does not have the layout of a {} wallet's",
                        version.as_str()
                    ),
                )
            })?;
        Ok(Wallet {
            version,
            public_key,
        })
    }
}

/// The key in a wallet's data, when the data has exactly the wallet's layout.
fn read_public_key(version: WalletVersion, mut data: CellSlice<'_>) -> Option<[u8; 32]> {
    data.skip_bits(version.key_offset())?;
    let key = data.load_bytes::<32>()?;
    if version.ends_with_dict() {
        let has_dict = data.load_bit()?;
        if data.remaining_refs() != usize::from(has_dict) {
            return None;
        }
    } else if data.remaining_refs() != 0 {
        return None;
    }
    (data.remaining_bits() == 0).then_some(key)
}
