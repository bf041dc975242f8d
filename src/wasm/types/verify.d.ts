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

/**
 * The EIP-55 address that signed `message` with EIP-191 `personal_sign`. Strings are signed as
 * their UTF-8 bytes. Accepts 65-byte `r‖s‖v` (`v` in 0, 1, 27, 28) and 64-byte EIP-2098
 * signatures, as hex or bytes; a high `s` is normalised (as `ecrecover` does).
 *
 * Throws `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH` (e.g. a smart-contract wallet's signature,
 * which needs an on-chain EIP-1271/6492 check), or `INVALID_SIGNATURE`.
 */
export function recoverEvmAddress(message: string | Uint8Array, signature: string | Uint8Array): string;

/**
 * Whether `signature` over `message` (EIP-191) was made by `address` (compared
 * case-insensitively). `false` for a well-formed signature by another key; throws a coded error
 * for malformed input (`INVALID_ADDRESS`, `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH`,
 * `INVALID_SIGNATURE`).
 */
export function verifyEvmSignature(message: string | Uint8Array, signature: string | Uint8Array, address: string): boolean;

/**
 * Whether `signature` is a valid ed25519 signature of `message` by `publicKey`, with the strict
 * rules of Solana's runtime (canonical `S`, no small-order `R`) and small-order keys refused.
 * The signature is bytes, base58, or padded base64 (text ending in `=` is base64); the key is a
 * base58 address or 32 bytes.
 *
 * `false` for a well-formed signature that does not verify; throws `INVALID_PUBLIC_KEY`,
 * `INVALID_SIGNATURE_LENGTH`, `INVALID_SIGNATURE` (`S` not canonical), `INVALID_BASE58`,
 * `INVALID_BASE64` for malformed input.
 */
export function verifySolanaSignature(message: string | Uint8Array, signature: Uint8Array | string, publicKey: string | Uint8Array): boolean;

/**
 * Whether `signature` (Sui's serialized form: base64 of flag ‖ signature ‖ public key, as
 * `signPersonalMessage` returns it) signs `message` as a Sui personal message for `address`
 * (`0x` and 64 hex digits). Ed25519, secp256k1 and secp256r1 keys. `false` for a well-formed
 * signature by another key or over other bytes; throws `UNSUPPORTED_SIGNATURE_SCHEME` for
 * multisig, zkLogin and passkey signatures, and a coded error for malformed input.
 */
export function verifySuiPersonalMessage(message: string | Uint8Array, signature: string, address: string): boolean;

/**
 * Verifies a Sign-In with Ethereum: parses the message, requires `domain` and `nonce` to match
 * exactly, checks the time window (`now` in [notBefore, expirationTime), `issuedAt` not in the
 * future, each with `clockSkewSeconds` of slack), chain id / URI / scheme when given, then the
 * signature against the message's address. Returns the parsed fields.
 *
 * Throws `MESSAGE_PARSE`, `DOMAIN_MISMATCH`, `NONCE_MISMATCH`, `SCHEME_MISMATCH`,
 * `URI_MISMATCH`, `CHAIN_ID_MISMATCH`, `ADDRESS_MISMATCH`, `EXPIRED`, `NOT_YET_VALID`,
 * `ISSUED_IN_FUTURE`, `SIGNATURE_MISMATCH` (with `expected` / `received`), or a signature format
 * error.
 */
export function verifySiweSignIn(options: VerifySiweSignInOptions): SiweMessageFields;

/**
 * Verifies a Sign-In With Solana: the same checks as `verifySiweSignIn` (the nonce is required),
 * over the bytes the wallet signed — the message text, or that text inside a Solana off-chain
 * message envelope — and requires the message's address to equal `publicKey` when given.
 * Returns the parsed fields.
 */
export function verifySolanaSignIn(options: VerifySolanaSignInOptions): SolanaSignInInput;


/**
 * Verifies a TON Connect `ton_proof` with the wallet's account, as Snag's `tonVerification`
 * carries them: the account's state init must hash to its address and hold `publicKey` (wallet
 * contracts v3r2, v4r2, v5r1), the proof must name `domain` and carry `payload` (the nonce you
 * issued), be at most `maxAgeSeconds` old (default 300) and be signed by that key. Resolves
 * nothing over the network. Returns what it established; throws a coded error otherwise.
 */
export function verifyTonProof(options: VerifyTonProofOptions): TonProofResult;

/** A Solana public key checked and decompressed once, for verifying many signatures with it. */
export class SolanaVerifier {
  /** Frees the key's memory in the module now, rather than when the object is collected. */
  free(): void;
  [Symbol.dispose](): void;
  /**
   * Throws `INVALID_PUBLIC_KEY` for a key that is not 32 bytes, not on the curve, or of small
   * order (and `INVALID_BASE58` for a malformed address).
   */
  constructor(publicKey: string | Uint8Array);
  /**
   * Same contract as `verifySolanaSignature`.
   */
  verify(message: string | Uint8Array, signature: Uint8Array | string): boolean;
  /**
   * The key's base58 address.
   */
  readonly address: string;
}
