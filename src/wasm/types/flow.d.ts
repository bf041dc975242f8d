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
