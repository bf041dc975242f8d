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

/** One wallet, whatever interface it speaks: `connect()`, `signMessage(message)` and, for Wallet
 * Standard wallets with `solana:signIn`, `signIn(input)`; for TON Connect, `tonProof(options)`.
 * Pass it to `linkWallet` as `options.wallet`. Made by the `discover*Wallets` functions and the
 * `from*` methods. */
export class WalletAdapter {
  private constructor();
  /**
   * Asks the wallet for its account (the wallet may show a prompt). Resolves to the address.
   * Rejects with `USER_REJECTED` when the user declines, `WALLET_ERROR` otherwise.
   */
  connect(): Promise<string>;
  /**
   * An adapter for an EIP-1193 provider you found yourself (`info` as in EIP-6963, optional).
   */
  static fromEip1193(provider: Eip1193Provider, info?: Eip6963ProviderInfo): WalletAdapter;
  /**
   * An adapter for a TON Connect injected bridge you found yourself (`window.<key>.tonconnect`).
   */
  static fromTonConnect(bridge: unknown): WalletAdapter;
  /**
   * An adapter for a Wallet Standard wallet you found yourself (e.g. through
   * `@wallet-standard/app`).
   */
  static fromWalletStandard(wallet: StandardWallet): WalletAdapter;
  /**
   * Sign-In With Solana through the wallet's `solana:signIn` feature: the wallet connects,
   * builds the message from `input` and signs it. Rejects with `WALLET_NOT_FOUND` when the
   * wallet lacks the feature.
   */
  signIn(input: Partial<SolanaSignInInput>): Promise<WalletSignInOutput>;
  /**
   * Asks the wallet to sign `message` (its UTF-8 bytes), connecting first if needed. Resolves
   * to the signature: 0x-hex for EVM (EIP-191 `personal_sign`), base58 for Solana.
   */
  signMessage(message: string): Promise<string>;
  /**
   * TON Connect: connects with the `ton_addr` and `ton_proof` items (`payload`: the nonce your
   * backend issued; `manifestUrl`: your TON Connect manifest) and resolves to the address and
   * Snag's `tonVerification` (check it with `verifyTonProof`, or send it to your backend).
   * Rejects with `USER_REJECTED` when the user declines.
   */
  tonProof(options: { payload: string; manifestUrl: string }): Promise<TonProofOutput>;
  /**
   * The connected address (EIP-55 for EVM, base58 for Solana); undefined before `connect()`.
   */
  readonly address: string | undefined;
  /**
   * Whether `signIn` is available (a Wallet Standard wallet with `solana:signIn`).
   */
  readonly canSignIn: boolean;
  /**
   * The EVM chain id the wallet reported at `connect()`.
   */
  readonly chainId: number | undefined;
  /**
   * `"EVM"`, `"SOL"`, `"SUI"` or `"TON"` (Dynamic's `ChainEnum`).
   */
  readonly chain: "EVM" | "SOL" | "SUI" | "TON";
  /**
   * The wallet's icon as the wallet gave it (a data URI for EIP-6963 and the Wallet Standard).
   */
  readonly icon: string | undefined;
  /**
   * The wallet's display name, e.g. "MetaMask".
   */
  readonly name: string;
  /**
   * The underlying EIP-1193 provider or Wallet Standard wallet.
   */
  readonly provider: unknown;
  /**
   * EIP-6963 reverse-DNS id, e.g. `io.metamask`.
   */
  readonly rdns: string | undefined;
  /**
   * How the wallet was found.
   */
  readonly source: WalletSource;
  /**
   * EIP-6963 announcement uuid (stable for the page's life).
   */
  readonly uuid: string | undefined;
  /**
   * The key Dynamic expects as `walletName` (the name in lower case without spaces).
   */
  readonly walletName: string;
}

/**
 * Finds the EVM wallets in this page: every EIP-6963 announcement received within `timeoutMs`
 * (default 100) of a `eip6963:requestProvider` event, or, when none announces, the legacy
 * `window.ethereum`. Resolves to an empty array where there is no window (Node).
 */
export function discoverEvmWallets(timeoutMs?: number): Promise<WalletAdapter[]>;

/**
 * Finds the Solana wallets in this page: Wallet Standard wallets (registered before this call or
 * within `timeoutMs`, default 100) that have a `solana:` chain, `standard:connect`, and
 * `solana:signMessage` or `solana:signIn`; or, when there is none, the legacy injected
 * `window.phantom.solana` / `window.solana`. Resolves to an empty array where there is no window.
 */
export function discoverSolanaWallets(timeoutMs?: number): Promise<WalletAdapter[]>;

/**
 * Finds the Sui wallets in this page: Wallet Standard wallets (registered before this call or
 * within `timeoutMs`, default 100) that have a `sui:` chain, `standard:connect` and
 * `sui:signPersonalMessage`. Resolves to an empty array where there is no window.
 */
export function discoverSuiWallets(timeoutMs?: number): Promise<WalletAdapter[]>;

/**
 * Finds the TON wallets in this page: TON Connect's injected bridges (`window.<key>.tonconnect`,
 * as Tonkeeper, MyTonWallet and others inject them). Resolves to an empty array where there is
 * no window.
 */
export function discoverTonWallets(): Promise<WalletAdapter[]>;
