/** Options of `verifyEvmMessage`. */
export interface VerifyEvmMessageOptions {
    /** The message the wallet signed with `personal_sign` (text is signed as its UTF-8 bytes). */
    message: string | Uint8Array;
    /** The signature: hex or bytes, of any length (a contract account's may be long). */
    signature: string | Uint8Array;
    /** The account that signed, EOA or contract. */
    address: string;
    /** Where contract accounts are looked up: an http(s) JSON-RPC URL, or an EIP-1193 provider
     * (e.g. the connected wallet's). Not called for a valid EOA signature. */
    rpc: string | Eip1193Provider;
    /** Budget of the RPC calls, retries included (default 10000 ms). */
    timeoutMs?: number;
}

/** What `verifyEvmMessage` resolves to. `valid: false` is the chain's verdict. */
export interface EvmVerdict {
    valid: boolean;
    kind?: EvmSignatureKind;
}

/** Options of `verifyEvmSignIn`: `verifySiweSignIn`'s, plus the RPC. */
export interface VerifyEvmSignInOptions extends VerifySiweSignInOptions {
    /** Where contract accounts are looked up; it must serve the message's chain. */
    rpc: string | Eip1193Provider;
    /** Budget of the RPC calls, retries included (default 10000 ms). */
    timeoutMs?: number;
}

/** What `verifyEvmSignIn` resolves to. */
export interface EvmSignInResult {
    fields: SiweMessageFields;
    kind: EvmSignatureKind;
}

/**
 * Verifies an EIP-191 `personal_sign` signature by any kind of EVM account: a valid EOA
 * signature resolves `{ valid: true, kind: "eoa" }` with no RPC call; anything else is decided
 * on chain through `rpc` (a JSON-RPC URL or an EIP-1193 provider) by one `eth_call` of a
 * deployless validator, which unwraps EIP-6492 (an account not deployed yet), asks EIP-1271 and
 * falls back to `ecrecover`. `{ valid: false }` is the chain's verdict; an RPC that could not
 * answer rejects (`RPC_ERROR`, `TIMEOUT`, `NETWORK`, `HTTP_ERROR`, `INVALID_RESPONSE`).
 */
export function verifyEvmMessage(options: VerifyEvmMessageOptions): Promise<EvmVerdict>;

/**
 * `verifySiweSignIn` for every kind of account (SIWE and Dynamic's EVM template): the same
 * checks, then the signature through `rpc` when it is not a valid EOA signature. The RPC must
 * serve the message's chain (`CHAIN_ID_MISMATCH`). Resolves to the parsed fields and how the
 * signature was accepted.
 */
export function verifyEvmSignIn(options: VerifyEvmSignInOptions): Promise<EvmSignInResult>;
