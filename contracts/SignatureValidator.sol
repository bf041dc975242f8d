// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title Deployless signature validator (EIP-6492, EIP-1271, ecrecover)
/// @notice Never deployed. A caller runs it with `eth_call` and no `to`, with
/// `data = creationCode ‖ abi.encode(signer, hash, signature)`. The constructor returns exactly one
/// byte as the "deployed code": 0x01 when `signature` is valid for `signer` over `hash`, 0x00
/// otherwise. Bad input gives 0x00, not a revert; only a malformed constructor argument encoding
/// (the caller's own ABI encoding) reverts.
///
/// Order of checks:
/// 1. EIP-6492: a signature ending in the 32-byte magic is `abi.encode(factory, factoryCalldata,
///    inner) ‖ magic`. When `signer` has no code, `factory` is called with `factoryCalldata`
///    (inside the eth_call, so nothing persists); a failed call is "not valid". Then `inner` is
///    checked by step 2 only: a wrapped signature is a contract account's (as in EIP-6492's
///    reference validator, viem and Ambire), so a signer still without code is "not valid".
/// 2. `signer` has code: EIP-1271 `isValidSignature(hash, sig)` must succeed and return the
///    32-byte word 0x1626ba7e followed by zeros (a `bytes4` as the ABI encodes it).
/// 3. `signer` has no code: ecrecover of a 65-byte `r‖s‖v` (v 0/1 or 27/28) or a 64-byte EIP-2098
///    `r‖vs` signature, with `s` in the lower half of the curve order (EIP-2).
contract SignatureValidator {
    bytes32 private constant ERC6492_MAGIC = 0x6492649264926492649264926492649264926492649264926492649264926492;
    bytes4 private constant ERC1271_MAGIC = 0x1626ba7e;
    /// secp256k1 curve order n, divided by 2 (EIP-2 upper bound for `s`).
    uint256 private constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    constructor(address signer, bytes32 hash, bytes memory signature) {
        bool valid = _isValid(signer, hash, signature);
        assembly ("memory-safe") {
            mstore(0, valid)
            return(31, 1)
        }
    }

    function _isValid(address signer, bytes32 hash, bytes memory signature) private returns (bool) {
        uint256 length = signature.length;
        if (length >= 32 && _wordAt(signature, length - 32) == ERC6492_MAGIC) {
            (bool ok, address factory, bytes memory factoryCalldata, bytes memory inner) =
                _decode6492(signature, length - 32);
            if (!ok) return false;
            if (signer.code.length == 0 && !_call(factory, factoryCalldata)) return false;
            return signer.code.length > 0 && _isValid1271(signer, hash, inner);
        }
        if (signer.code.length > 0) return _isValid1271(signer, hash, signature);
        return _isValidEcdsa(signer, hash, signature);
    }

    /// Calls `target` with `data`, copying none of the answer (no return-data bomb).
    function _call(address target, bytes memory data) private returns (bool success) {
        assembly ("memory-safe") {
            success := call(gas(), target, 0, add(data, 32), mload(data), 0, 0)
        }
    }

    /// EIP-1271 `isValidSignature(bytes32,bytes)`: a revert, a short answer or another word is
    /// "not valid". Only the first 32 bytes of the answer are copied (no return-data bomb).
    function _isValid1271(address signer, bytes32 hash, bytes memory signature) private view returns (bool valid) {
        bytes memory callData = abi.encodeWithSelector(ERC1271_MAGIC, hash, signature);
        assembly ("memory-safe") {
            let success := staticcall(gas(), signer, add(callData, 32), mload(callData), 0, 32)
            valid := and(
                and(success, iszero(lt(returndatasize(), 32))),
                eq(mload(0), shl(224, 0x1626ba7e))
            )
        }
    }

    function _isValidEcdsa(address signer, bytes32 hash, bytes memory signature) private pure returns (bool) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        if (signature.length == 65) {
            r = _wordAt(signature, 0);
            s = _wordAt(signature, 32);
            v = uint8(signature[64]);
            if (v < 27) v += 27;
        } else if (signature.length == 64) {
            r = _wordAt(signature, 0);
            bytes32 vs = _wordAt(signature, 32);
            s = vs & bytes32(uint256(type(uint256).max >> 1));
            v = uint8(uint256(vs >> 255)) + 27;
        } else {
            return false;
        }
        if (v != 27 && v != 28) return false;
        if (uint256(s) > HALF_ORDER) return false;
        address recovered = ecrecover(hash, v, r, s);
        return recovered != address(0) && recovered == signer;
    }

    /// Decodes `abi.encode(address, bytes, bytes)` from `data[0:end]` with every offset and length
    /// checked, returning ok = false instead of reverting.
    // By hand, not try/catch: a constructor's own address has no code yet, so an external self-call
    // that could catch abi.decode's revert is not possible here.
    function _decode6492(bytes memory data, uint256 end)
        private
        pure
        returns (bool ok, address factory, bytes memory factoryCalldata, bytes memory inner)
    {
        if (end < 96) return (false, address(0), "", "");
        uint256 word = uint256(_wordAt(data, 0));
        if (word >> 160 != 0) return (false, address(0), "", "");
        factory = address(uint160(word));
        bool okCalldata;
        bool okInner;
        (okCalldata, factoryCalldata) = _bytesAt(data, end, uint256(_wordAt(data, 32)));
        (okInner, inner) = _bytesAt(data, end, uint256(_wordAt(data, 64)));
        ok = okCalldata && okInner;
    }

    /// The ABI `bytes` whose length word is at `offset` in `data[0:end]`, if it fits there.
    function _bytesAt(bytes memory data, uint256 end, uint256 offset) private pure returns (bool, bytes memory out) {
        if (offset > end - 32) return (false, out);
        uint256 size = uint256(_wordAt(data, offset));
        if (size > end - 32 - offset) return (false, out);
        out = new bytes(size);
        assembly ("memory-safe") {
            mcopy(add(out, 32), add(add(data, 64), offset), size)
        }
        return (true, out);
    }

    /// The 32 bytes at `data[offset:offset+32]`; the caller keeps `offset + 32 <= data.length`.
    function _wordAt(bytes memory data, uint256 offset) private pure returns (bytes32 word) {
        assembly ("memory-safe") {
            word := mload(add(add(data, 32), offset))
        }
    }
}
