/** What `linkWallet` needs of a Dynamic client (this package's `DynamicClient` has it all). */
export interface DynamicClientLike {
  getNonce(): Promise<string>;
  verify(request: VerifyRequest): Promise<VerifyResponse>;
  verifyLink(request: VerifyRequest): Promise<VerifyResponse>;
  /** A signed-in user's JWT: when present, `linkWallet` links (`verifyLink`); otherwise it signs in. */
  readonly authToken?: string;
  /** Written as the message's `Request ID` when `options.environmentId` is not given. */
  readonly environmentId?: string;
}

/** What `linkWallet` needs of a Snag client (this package's `SnagClient` has it). */
export interface SnagClientLike {
  connectWallet(params: SnagConnectParams): Promise<SnagConnectResponse>;
}

/** What `linkWallet` needs of a wallet: a `WalletAdapter`, or any object of this shape. */
export interface WalletLike {
  readonly chain?: string;
  readonly address?: string;
  readonly chainId?: number;
  /** The key sent as Dynamic's `walletName` when `options.walletName` is not given. */
  readonly walletName?: string;
  /** `true` when `signIn` builds and signs a Sign-In With Solana message (`solana:signIn`). */
  readonly canSignIn?: boolean;
  connect?(): Promise<string>;
  signMessage(message: string): Promise<string | Uint8Array>;
  signIn?(input: Partial<SolanaSignInInput>): Promise<WalletSignInOutput>;
  /** The wallet's EIP-1193 provider: a smart account's signature is checked through it when
   * `options.rpc` is not given. */
  readonly provider?: unknown;
}

/** The local verification `linkWallet` ran before any network call. */
export interface LocalCheck {
  ok: true;
  /** Time spent verifying, in microseconds (`performance.now()`, whose resolution the browser
   * may coarsen). */
  micros: number;
  /** The address whose signature was verified. */
  address: string;
  /** EVM: how the signature was accepted (a smart account's through the RPC). */
  kind?: EvmSignatureKind;
}

/** What `linkWallet` resolves to. */
export interface LinkResult {
  mode: LinkMode;
  /** The new Dynamic JWT (absent in cookie mode). */
  jwt?: string;
  user: SdkUser;
  /** The user's verified credentials after the call (`user.verifiedCredentials`). */
  verifiedCredentials: JwtVerifiedCredential[];
  chain: string;
  address: string;
  walletName: string;
  /** The exact text the wallet signed. */
  message: string;
  /** The signature as sent: 0x-hex for EVM, base58 for Solana. */
  signature: string;
  localCheck: LocalCheck;
  /** Dynamic's whole response. */
  response: VerifyResponse;
  /** Snag's response, when `options.snag` was given. */
  snag?: SnagConnectResponse;
}

/** `options.snag` of `linkWallet`. */
export interface LinkSnagOptions {
  /**
   * A `LinkServerClient` (in a page: your backend checks the proof and calls Snag with its
   * key), or a `SnagClient` (on a server, with the key).
   */
  client: SnagClientLike | LinkServerClient;
  /**
   * Required with a `SnagClient`; a `LinkServerClient`'s server uses its own configuration.
   */
  websiteId?: string;
  organizationId?: string;
  /**
   * The Snag user to connect the wallet to.
   */
  userId?: string;
  proof?: SnagProof;
  confirmDisconnect?: boolean;
  /**
   * Snag's `walletType` when it is not the chain's: `imx` for Immutable Passport (EVM).
   */
  walletType?: "evm" | "imx" | "solana";
}

/** Options of `linkWallet`. */
export interface LinkWalletOptions {
  /**
   * The Dynamic client: a `DynamicClient`, or any object with its methods.
   */
  dynamic: DynamicClientLike;
  /**
   * A wallet adapter (from `discoverEvmWallets` / `discoverSolanaWallets`) or any object with
   * `signMessage`. Either this or `signMessage` is required.
   */
  wallet?: WalletLike;
  /**
   * Signs the message's UTF-8 bytes: resolves to 0x-hex (EVM), base58 or base64 text, or bytes.
   */
  signMessage?: (message: string) => Promise<string | Uint8Array> | string | Uint8Array;
  /**
   * `EVM` (or `ETH`) or `SOL`; default `wallet.chain`.
   */
  chain?: ChainEnum;
  /**
   * The wallet address; default `wallet.address`, else `wallet.connect()`.
   */
  address?: string;
  /**
   * Dynamic's `walletName` (e.g. `metamask`); default `wallet.walletName`.
   */
  walletName?: string;
  /**
   * Dynamic's `walletProvider`; default `browserExtension`.
   */
  walletProvider?: WalletProviderEnum;
  /**
   * Written as the message's `Request ID`; default `dynamic.environmentId`. Required by
   * Dynamic's template.
   */
  environmentId?: string;
  /**
   * The message format; default `dynamic`.
   */
  messageFormat?: LinkMessageFormat;
  /**
   * `link` when `dynamic.authToken` is set, else `signIn`, unless given.
   */
  mode?: LinkMode;
  /**
   * Also connect the wallet to Snag.
   */
  snag?: LinkSnagOptions;
  /**
   * Names the app in Dynamic's default statement; default the domain.
   */
  appName?: string;
  /**
   * The statement; default Dynamic's welcome text (Dynamic, SIWE) or none (SIWS).
   */
  statement?: string;
  /**
   * The message's domain; default `location.host`.
   */
  domain?: string;
  /**
   * The message's URI; default `location.origin + location.pathname`.
   */
  uri?: string;
  /**
   * EVM chain id (default `wallet.chainId`, else 1), or a Solana cluster for SIWS
   * (e.g. `"mainnet"`).
   */
  chainId?: number | string;
  /**
   * Cancels the flow between steps and while waiting for the wallet (`ABORTED`).
   */
  signal?: AbortSignal;
  /**
   * Where an EVM smart account's signature is checked (EIP-1271/6492): a JSON-RPC URL or an
   * EIP-1193 provider on the message's chain; default the wallet's own provider
   * (`wallet.provider`). A key's signature never needs it.
   */
  rpc?: string | Eip1193Provider;
  /**
   * Called as each step starts (for progress displays); what it throws is ignored.
   */
  onStep?: (step: LinkStep) => void;
}

/**
 * Links a wallet (or signs in with it) in one call: nonce, message, signature, a local check of
 * the signature, then Dynamic's `verify/link` (or `verify`), and optionally Snag's
 * `users/connect`.
 *
 * A signature that does not verify locally is refused with `SIGNATURE_MISMATCH` (step
 * "verify") before any request carries it. Every failure is a `WalletLinkerError` whose `step`
 * names where it happened: `USER_REJECTED` at "sign" when the user declines in the wallet,
 * `HTTP_ERROR` at "link" when Dynamic refuses (with `status` and `apiCode`), and so on.
 */
export function linkWallet(options: LinkWalletOptions): Promise<LinkResult>;
