//! Bags of cells (BoC, `serialized_boc#b5ee9c72`): TON's serialization of a tree of cells, read
//! strictly and within fixed bounds.
//!
//! What is accepted is what a wallet's state init needs and nothing more:
//! - the `b5ee9c72` layout only (the older `68ff65f3` / `acc3a728` magics are refused), one root,
//!   no absent cells, no cache bits, zero reserved flag bits, 1 to 4 bytes per cell index and 1 to
//!   8 bytes per offset;
//! - at most [`MAX_BOC_BYTES`] bytes and [`MAX_CELLS`] cells, with `tot_cells_size` equal to the
//!   cells' bytes and nothing after them but the CRC32-C (checked when the flag says there is one);
//! - an index, when present, must give each cell's end offset exactly;
//! - ordinary cells and library references (exotic type 2: the type byte and a code hash, no
//!   references; wallets deploy with one in place of their code, e.g. `@ton/ton`'s W5 beta); the
//!   other exotic cells (pruned branches, Merkle proofs and updates, which only proofs of a
//!   blockchain state hold), stored hashes and levels other than 0 are refused;
//! - every reference points to a later cell (so there are no cycles, and hashes are computed from
//!   the last cell back without recursion), and every cell is reachable from the root;
//! - a cell's bits use the canonical descriptor: a completion tag only when the bit length is not a
//!   multiple of 8.
//!
//! Every failure is `INVALID_STATE_INIT` (a state init is what this crate reads BoCs for), or
//! `INPUT_TOO_LARGE` past the size bounds; nothing here panics, whatever the input.

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

/// Largest BoC read (a wallet v4r2 state init is 788 bytes, v5r1's 705).
pub const MAX_BOC_BYTES: usize = 8192;
/// Most cells read (the state inits of wallets v4r2 and v5r1 hold 22).
pub const MAX_CELLS: usize = 256;
/// The magic of the one BoC layout read.
pub const BOC_MAGIC: [u8; 4] = [0xb5, 0xee, 0x9c, 0x72];

const FLAG_INDEX: u8 = 0x80;
const FLAG_CRC32C: u8 = 0x40;
const FLAG_CACHE_BITS: u8 = 0x20;
const FLAGS_RESERVED: u8 = 0x18;
const MASK_REF_SIZE: u8 = 0x07;

/// The d1 bit of an exotic cell.
const EXOTIC: u8 = 0x08;
/// The type byte of a library reference cell.
const LIBRARY_TYPE: u8 = 2;
/// A library reference: its type byte and the 256-bit hash of the library's root cell.
const LIBRARY_BITS: usize = 8 + 256;

/// A cell: up to 1023 bits and up to 4 references (indices into its bag); ordinary, or a library
/// reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The descriptor bytes `d1`, `d2` as serialized (and hashed).
    descriptor: [u8; 2],
    /// The data bytes as serialized: when the bit length is not a multiple of 8, the last byte
    /// carries the completion tag (a 1 bit, then zeros).
    data: Vec<u8>,
    bit_len: usize,
    refs: Vec<usize>,
    hash: [u8; 32],
    depth: u16,
}

impl Cell {
    /// The descriptor bytes `d1` (reference count) and `d2` (data length) as serialized.
    pub fn descriptor(&self) -> [u8; 2] {
        self.descriptor
    }

    /// Number of data bits.
    pub fn bit_len(&self) -> usize {
        self.bit_len
    }

    /// The data bytes as serialized (with the completion tag when the bits do not fill the last
    /// byte).
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The indices of the referenced cells in the bag, in order.
    pub fn refs(&self) -> &[usize] {
        &self.refs
    }

    /// The representation hash (what an address is made from).
    pub fn hash(&self) -> &[u8; 32] {
        &self.hash
    }

    /// 0 for a cell without references, else one more than its deepest reference.
    pub fn depth(&self) -> u16 {
        self.depth
    }

    /// For a library reference cell, the hash of the library's root cell it stands for.
    pub fn library_hash(&self) -> Option<[u8; 32]> {
        if self.descriptor[0] & EXOTIC == 0 {
            return None;
        }
        // An exotic cell is read only when its data is the library type and a hash.
        self.data.get(1..33)?.try_into().ok()
    }

    /// Bit `index` of the data (`None` past the end).
    pub fn bit(&self, index: usize) -> Option<bool> {
        if index >= self.bit_len {
            return None;
        }
        let byte = self.data.get(index / 8)?;
        Some(byte & (0x80 >> (index % 8)) != 0)
    }
}

/// A parsed bag of cells, with the header values it was written with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BagOfCells {
    cells: Vec<Cell>,
    root: usize,
    has_index: bool,
    has_crc32c: bool,
    ref_size: usize,
    offset_size: usize,
}

impl BagOfCells {
    /// Reads a serialized BoC; see the module documentation for what is accepted.
    pub fn parse(bytes: &[u8]) -> Result<BagOfCells> {
        if bytes.len() > MAX_BOC_BYTES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("a bag of cells is read up to {MAX_BOC_BYTES} bytes"),
            )
            .with_received(format!("{} bytes", bytes.len())));
        }
        let mut input = Bytes(bytes);
        if input.take(4) != Some(&BOC_MAGIC[..]) {
            return Err(invalid("it does not start with the magic b5ee9c72"));
        }
        let flags = input.byte()?;
        if flags & FLAGS_RESERVED != 0 {
            return Err(invalid("reserved flag bits are set"));
        }
        if flags & FLAG_CACHE_BITS != 0 {
            return Err(invalid("cache bits are not read"));
        }
        let ref_size = usize::from(flags & MASK_REF_SIZE);
        if !(1..=4).contains(&ref_size) {
            return Err(invalid("a cell index is 1 to 4 bytes"));
        }
        let offset_size = usize::from(input.byte()?);
        if !(1..=8).contains(&offset_size) {
            return Err(invalid("an offset is 1 to 8 bytes"));
        }
        let cell_count = input.uint(ref_size)?;
        let root_count = input.uint(ref_size)?;
        let absent_count = input.uint(ref_size)?;
        let data_size = input.uint(offset_size)?;
        if cell_count == 0 || cell_count > MAX_CELLS as u64 {
            return Err(invalid(&format!(
                "it holds {cell_count} cells; 1 to {MAX_CELLS} are read"
            )));
        }
        // Bounded by MAX_CELLS just above.
        let cell_count = cell_count as usize;
        if root_count != 1 {
            return Err(invalid("it must have exactly one root"));
        }
        if absent_count != 0 {
            return Err(invalid("absent cells are not read"));
        }
        let root = index_below(input.uint(ref_size)?, cell_count)
            .ok_or_else(|| invalid("the root index is not a cell of the bag"))?;
        let has_index = flags & FLAG_INDEX != 0;
        let mut ends = Vec::new();
        if has_index {
            for _ in 0..cell_count {
                ends.push(input.uint(offset_size)?);
            }
        }
        let data_size = usize::try_from(data_size)
            .ok()
            .filter(|&size| size <= input.0.len())
            .ok_or_else(|| invalid("the cells' size is larger than the input"))?;
        let mut cell_bytes = Bytes(input.take(data_size).unwrap_or_default());
        let has_crc32c = flags & FLAG_CRC32C != 0;
        if has_crc32c {
            let checked = bytes.len() - input.0.len();
            let stored = input
                .take(4)
                .ok_or_else(|| invalid("the CRC32-C is missing"))?;
            let computed = crc32c(bytes.get(..checked).unwrap_or_default()).to_le_bytes();
            if stored != computed {
                return Err(invalid("the CRC32-C does not match"));
            }
        }
        if !input.0.is_empty() {
            return Err(invalid("bytes follow the cells"));
        }

        let mut raw = Vec::with_capacity(cell_count);
        for index in 0..cell_count {
            let cell = read_cell(&mut cell_bytes, index, cell_count, ref_size)?;
            if has_index {
                let end = (data_size - cell_bytes.0.len()) as u64;
                if ends.get(index) != Some(&end) {
                    return Err(invalid(&format!(
                        "the index does not give the end of cell {index}"
                    )));
                }
            }
            raw.push(cell);
        }
        if !cell_bytes.0.is_empty() {
            return Err(invalid("the cells' size counts bytes that are not cells"));
        }
        let cells = with_hashes(raw);
        require_all_reachable(&cells, root)?;
        Ok(BagOfCells {
            cells,
            root,
            has_index,
            has_crc32c,
            ref_size,
            offset_size,
        })
    }

    /// The root cell.
    pub fn root(&self) -> &Cell {
        // `root` was checked to be an index of `cells`, which is never empty.
        &self.cells[self.root]
    }

    /// The index of the root cell.
    pub fn root_index(&self) -> usize {
        self.root
    }

    /// Every cell, in serialization order.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Cell `index`, `None` past the end.
    pub fn cell(&self, index: usize) -> Option<&Cell> {
        self.cells.get(index)
    }

    /// Whether the bag carried an index of cell offsets.
    pub fn has_index(&self) -> bool {
        self.has_index
    }

    /// Whether the bag ended with a CRC32-C (which was checked).
    pub fn has_crc32c(&self) -> bool {
        self.has_crc32c
    }

    /// Bytes per cell index in the serialization.
    pub fn ref_size(&self) -> usize {
        self.ref_size
    }

    /// Bytes per offset in the serialization.
    pub fn offset_size(&self) -> usize {
        self.offset_size
    }

    /// A reader over the root cell's bits and references.
    pub fn root_slice(&self) -> CellSlice<'_> {
        CellSlice::new(self, self.root)
    }

    /// A reader over cell `index`, `None` past the end.
    pub fn slice(&self, index: usize) -> Option<CellSlice<'_>> {
        (index < self.cells.len()).then(|| CellSlice::new(self, index))
    }
}

/// Reads the bits and references of one cell in order, as TL-B schemes are written.
#[derive(Clone, Debug)]
pub struct CellSlice<'a> {
    bag: &'a BagOfCells,
    index: usize,
    cell: &'a Cell,
    bit: usize,
    next_ref: usize,
}

impl<'a> CellSlice<'a> {
    fn new(bag: &'a BagOfCells, index: usize) -> Self {
        CellSlice {
            bag,
            index,
            cell: &bag.cells[index],
            bit: 0,
            next_ref: 0,
        }
    }

    /// The cell being read.
    pub fn cell(&self) -> &'a Cell {
        self.cell
    }

    /// The index of the cell being read in its bag.
    pub fn index(&self) -> usize {
        self.index
    }

    pub fn remaining_bits(&self) -> usize {
        self.cell.bit_len - self.bit
    }

    pub fn remaining_refs(&self) -> usize {
        self.cell.refs.len() - self.next_ref
    }

    pub fn load_bit(&mut self) -> Option<bool> {
        let bit = self.cell.bit(self.bit)?;
        self.bit += 1;
        Some(bit)
    }

    /// Skips `bits` bits.
    pub fn skip_bits(&mut self, bits: usize) -> Option<()> {
        if bits > self.remaining_bits() {
            return None;
        }
        self.bit += bits;
        Some(())
    }

    /// The next `bits` bits (at most 64) as a big-endian unsigned number.
    pub fn load_uint(&mut self, bits: usize) -> Option<u64> {
        if bits > 64 || bits > self.remaining_bits() {
            return None;
        }
        let mut value = 0u64;
        for _ in 0..bits {
            value = (value << 1) | u64::from(self.load_bit()?);
        }
        Some(value)
    }

    /// The next `N` bytes, at any bit offset.
    pub fn load_bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        if N * 8 > self.remaining_bits() {
            return None;
        }
        let mut out = [0u8; N];
        for byte in &mut out {
            *byte = self.load_uint(8)? as u8;
        }
        Some(out)
    }

    /// A reader over the next referenced cell.
    pub fn load_ref(&mut self) -> Option<CellSlice<'a>> {
        let index = *self.cell.refs.get(self.next_ref)?;
        self.next_ref += 1;
        Some(CellSlice::new(self.bag, index))
    }
}

/// The input not read yet.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(len)?;
        self.0 = tail;
        Some(head)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1).ok_or_else(truncated)?[0])
    }

    /// A big-endian unsigned number of `len` (at most 8) bytes.
    fn uint(&mut self, len: usize) -> Result<u64> {
        let bytes = self.take(len).ok_or_else(truncated)?;
        Ok(bytes.iter().fold(0, |n, &b| (n << 8) | u64::from(b)))
    }
}

/// A cell as read, before its hash is known.
struct RawCell {
    descriptor: [u8; 2],
    data: Vec<u8>,
    bit_len: usize,
    refs: Vec<usize>,
}

fn read_cell(
    input: &mut Bytes<'_>,
    index: usize,
    cell_count: usize,
    ref_size: usize,
) -> Result<RawCell> {
    let d1 = input.byte()?;
    let d2 = input.byte()?;
    let ref_count = usize::from(d1 & 0x07);
    if ref_count > 4 {
        return Err(invalid(&format!(
            "cell {index} claims {ref_count} references (at most 4; 7 marks an absent cell)"
        )));
    }
    if d1 & 0x10 != 0 {
        return Err(invalid(&format!(
            "cell {index} carries stored hashes, which are not read"
        )));
    }
    if d1 >> 5 != 0 {
        return Err(invalid(&format!(
            "cell {index} claims a level above 0, which only pruned branches and Merkle cells have"
        )));
    }
    let byte_len = usize::from(d2).div_ceil(2);
    let data = input.take(byte_len).ok_or_else(truncated)?;
    let bit_len = if d2 % 2 == 0 {
        byte_len * 8
    } else {
        // The completion tag is the last 1 bit of the last byte; at most 7 data bits precede it.
        let last = data.last().copied().unwrap_or(0);
        if last == 0 {
            return Err(invalid(&format!(
                "cell {index} has no completion tag in its last byte"
            )));
        }
        let bits = (byte_len - 1) * 8 + 7 - last.trailing_zeros() as usize;
        if bits.is_multiple_of(8) {
            return Err(invalid(&format!(
                "cell {index} marks whole bytes as incomplete (non-canonical descriptor)"
            )));
        }
        bits
    };
    if d1 & EXOTIC != 0
        && (ref_count != 0 || bit_len != LIBRARY_BITS || data.first() != Some(&LIBRARY_TYPE))
    {
        return Err(invalid(&format!(
            "cell {index} is an exotic cell other than a library reference (type 2, 264 bits, \
             no references): pruned branches and Merkle cells are not read"
        )));
    }
    let mut refs = Vec::with_capacity(ref_count);
    for _ in 0..ref_count {
        let target = input.uint(ref_size)?;
        match index_below(target, cell_count) {
            Some(target) if target > index => refs.push(target),
            Some(_) => {
                return Err(invalid(&format!(
                    "cell {index} refers to cell {target}, not a later one (a cycle or an \
                     unordered bag)"
                )));
            }
            None => {
                return Err(invalid(&format!(
                    "cell {index} refers to cell {target}, which does not exist"
                )));
            }
        }
    }
    Ok(RawCell {
        descriptor: [d1, d2],
        data: data.to_vec(),
        bit_len,
        refs,
    })
}

/// Computes each cell's depth and representation hash, from the last cell back (references only
/// point forward, so each cell's references are done before it).
fn with_hashes(raw: Vec<RawCell>) -> Vec<Cell> {
    let mut hashes = vec![[0u8; 32]; raw.len()];
    let mut depths = vec![0u16; raw.len()];
    for (index, cell) in raw.iter().enumerate().rev() {
        depths[index] = cell.refs.iter().map(|&r| depths[r] + 1).max().unwrap_or(0);
        let mut hasher = Sha256::new();
        hasher.update(cell.descriptor);
        hasher.update(&cell.data);
        for &r in &cell.refs {
            hasher.update(depths[r].to_be_bytes());
        }
        for &r in &cell.refs {
            hasher.update(hashes[r]);
        }
        hashes[index] = hasher.finalize().into();
    }
    raw.into_iter()
        .zip(hashes.into_iter().zip(depths))
        .map(|(cell, (hash, depth))| Cell {
            descriptor: cell.descriptor,
            data: cell.data,
            bit_len: cell.bit_len,
            refs: cell.refs,
            hash,
            depth,
        })
        .collect()
}

fn require_all_reachable(cells: &[Cell], root: usize) -> Result<()> {
    let mut reachable = vec![false; cells.len()];
    reachable[root] = true;
    // References point forward, so one pass in order sees every cell after its referrers.
    for (index, cell) in cells.iter().enumerate() {
        if reachable[index] {
            for &r in &cell.refs {
                reachable[r] = true;
            }
        }
    }
    match reachable.iter().position(|&r| !r) {
        Some(index) => Err(invalid(&format!(
            "cell {index} is not reachable from the root"
        ))),
        None => Ok(()),
    }
}

fn index_below(value: u64, count: usize) -> Option<usize> {
    usize::try_from(value).ok().filter(|&v| v < count)
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as BoCs end with.
pub fn crc32c(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn invalid(why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidStateInit,
        format!("not a valid bag of cells: {why}"),
    )
}

fn truncated() -> Error {
    invalid("the input ends early")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_check_value() {
        // The standard check value of CRC-32C.
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
    }

    #[test]
    fn one_empty_cell() {
        // magic, flags (ref size 1), offset size 1, 1 cell, 1 root, 0 absent, size 2, root 0,
        // cell: d1 = 0 refs, d2 = 0 bits.
        let mut bytes = BOC_MAGIC.to_vec();
        bytes.extend([0x01, 0x01, 1, 1, 0, 2, 0, 0, 0]);
        let bag = BagOfCells::parse(&bytes).unwrap();
        assert_eq!(bag.root().bit_len(), 0);
        assert_eq!(bag.root().depth(), 0);
        // sha256 of the two zero descriptor bytes: the hash of the empty cell.
        assert_eq!(
            bag.root().hash()[..4],
            [0x96, 0xa2, 0x96, 0xd2],
            "{:02x?}",
            bag.root().hash()
        );
    }
}
