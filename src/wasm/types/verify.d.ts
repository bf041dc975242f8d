/**
 * Options of `verifySiweSignIn`.
 */
export interface VerifySiweSignInOptions {
    /**
     * The EIP-4361 message text the wallet signed (checked like every string argument: at most
     * 1 MiB, no lone surrogates).
     */
    message: string;
    /**
     * The `personal_sign` signature: hex (65 or 64 bytes) or bytes.
     */
    signature: string | Uint8Array;
    /**
     * The expected domain (authority, including the port), e.g. `location.host`. Required.
     */
    domain: string;
    /**
     * The nonce issued for this sign-in. Required.
     */
    nonce: string;
    /**
     * The current time: epoch milliseconds, an RFC 3339 string or a `Date`. Default:
     * `Date.now()`.
     */
    now?: number | string | Date;
    /**
     * The expected signer; compared case-insensitively.
     */
    address?: string;
    chainId?: number;
    uri?: string;
    /**
     * The expected scheme (a message without one means `https`).
     */
    scheme?: string;
    /**
     * Allowed clock difference in seconds (default 60, at most 86400).
     */
    clockSkewSeconds?: number;
    /**
     * Oldest accepted message, in seconds since its `issuedAt` (1 to 86400); a message without
     * `issuedAt` then fails with `MISSING_FIELD`, an older one with `EXPIRED`.
     */
    maxAgeSeconds?: number;
}

/**
 * Options of `verifySolanaSignIn`.
 */
export interface VerifySolanaSignInOptions {
    /**
     * The bytes the wallet signed (`signedMessage` of the Wallet Standard's `signIn` output), or
     * the message text.
     */
    message: string | Uint8Array;
    /**
     * The ed25519 signature: bytes, base58, or padded base64.
     */
    signature: Uint8Array | string;
    /**
     * The wallet's account (base58 address or 32 bytes); the message's address must equal it.
     */
    publicKey?: string | Uint8Array;
    /**
     * The expected domain (authority, including the port). Required.
     */
    domain: string;
    /**
     * The nonce issued for this sign-in. Required: the message must carry exactly this nonce.
     */
    nonce: string;
    /**
     * The current time: epoch milliseconds, an RFC 3339 string or a `Date`. Default:
     * `Date.now()`.
     */
    now?: number | string | Date;
    chainId?: string;
    uri?: string;
    /**
     * Allowed clock difference in seconds (default 60, at most 86400).
     */
    clockSkewSeconds?: number;
    /**
     * Oldest accepted message, in seconds since its `issuedAt` (1 to 86400); a message without
     * `issuedAt` then fails with `MISSING_FIELD`, an older one with `EXPIRED`.
     */
    maxAgeSeconds?: number;
}

/** How a valid EVM signature was accepted: a key's signature, a deployed contract account
 * (EIP-1271), or an account deployed by the signature's own factory call (EIP-6492). */
export type EvmSignatureKind = "eoa" | "erc1271" | "erc6492";

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

/** A TON Connect `ton_proof` reply's `proof`, as Snag's `tonVerification.proof` carries it. */
export interface TonProof {
    /** Seconds since 1970 when the wallet signed (a number, or its decimal text). */
    timestamp: number | string;
    domain: { lengthBytes: number; value: string };
    payload: string;
    /** Base64 of the Ed25519 signature. */
    signature: string;
    /** The wallet's state init (Snag's spelling); TON Connect puts it in the account. */
    state_init?: string;
}

/** A TON Connect wallet's `account`, as Snag's `tonVerification.account` carries it. */
export interface TonAccount {
    /** Raw (`0:<hex>`) or user-friendly. */
    address: string;
    /** `"-239"` (mainnet) or `"-3"` (testnet). */
    chain: string;
    /** Hex of the 32-byte Ed25519 key. */
    publicKey: string;
    /** Base64 bag of cells of the wallet's StateInit. */
    walletStateInit?: string;
}

/** Options of `verifyTonProof`. */
export interface VerifyTonProofOptions {
    proof: TonProof;
    account: TonAccount;
    /** The domain the proof must name (the host of your TON Connect manifest URL). */
    domain: string;
    /** The payload you issued for this proof (its nonce). */
    payload: string;
    /** The current time: epoch milliseconds, an RFC 3339 string or a `Date`. Default: `Date.now()`. */
    now?: number | string | Date;
    /** Oldest accepted proof, in seconds (default 300). */
    maxAgeSeconds?: number;
    /** Allowed clock difference for a timestamp ahead of `now`, in seconds (default 60). */
    clockSkewSeconds?: number;
    /** The only network accepted, when you accept one: `"-239"` or `"-3"`. */
    chain?: string;
}

/** What `verifyTonProof` established. */
export interface TonProofResult {
    /** Raw form, `0:<64 hex>`. */
    address: string;
    /** User-friendly, non-bounceable, base64url. */
    friendlyAddress: string;
    chain: "-239" | "-3";
    wallet: "v3r2" | "v4r2" | "v5r1";
    /** Hex of the wallet's Ed25519 key. */
    publicKey: string;
    timestamp: number;
}
