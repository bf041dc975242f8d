/** An EIP-1193 provider (what `window.ethereum` and EIP-6963 announce). */
export interface Eip1193Provider {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
}

/** The `info` of an EIP-6963 announcement. */
export interface Eip6963ProviderInfo {
  uuid: string;
  name: string;
  /** A data URI (RFC 2397) of the wallet's icon. */
  icon: string;
  /** Reverse-DNS id of the wallet, e.g. `io.metamask`. */
  rdns: string;
}

/** The parts of a Wallet Standard `Wallet` this package uses. */
export interface StandardWallet {
  readonly name: string;
  readonly icon: string;
  readonly chains: readonly string[];
  readonly features: Readonly<Record<string, unknown>>;
  readonly accounts: readonly unknown[];
}

/** Where an adapter's wallet was found. */
export type WalletSource = "eip6963" | "injected" | "wallet-standard" | "legacy-injected";

/** What `WalletAdapter.signIn` resolves to (from the Wallet Standard's `solana:signIn`). */
export interface WalletSignInOutput {
  /** The signing account's base58 address. */
  address: string;
  /** The exact text the wallet signed (it built it from the input). */
  message: string;
  /** The ed25519 signature, base58. */
  signature: string;
}

/** What `WalletAdapter.tonProof` resolves to. */
export interface TonProofOutput {
  /** The wallet's address as it gave it (raw, `0:<hex>`). */
  address: string;
  /** The proof and the account, as Snag's `verificationData.tonVerification` and
   * `LinkServerClient.connectWallet({ walletType: "ton", ... })` take them. */
  tonVerification: SnagTonVerification;
}
