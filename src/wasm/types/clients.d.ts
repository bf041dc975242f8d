/** Options of `new DynamicClient(...)`. */
export interface DynamicClientOptions {
  /** The Dynamic environment id. */
  environmentId: string;
  /** API root; default `https://app.dynamicauth.com/api/v0`. */
  baseUrl?: string;
  /** The signed-in user's JWT, sent as `Authorization: Bearer` by `verifyLink`, `verifyUnlink`
   * and `createGlobalWalletConnection`. Replaced by each response that carries a new `jwt`. */
  authToken?: string;
  /** `"include"` for Dynamic's cookie authentication (an httpOnly cookie instead of a returned
   * `jwt`); default fetch's `"same-origin"`. */
  credentials?: "include" | "same-origin" | "omit";
  /** Timeout of each attempt in milliseconds (default 30000, at most 600000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  /** Retries after the first attempt (default 2, at most 10). */
  maxRetries?: number;
  /** Aborting it rejects every pending and later call of this client with `ABORTED`. */
  signal?: AbortSignal;
  /** Also retry state-changing calls (verify, link, unlink, connections) after a lost response or
   * a 5xx, which may make the server act twice. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `new DynamicAdminClient(...)`. For servers: the API token administers every user. */
export interface DynamicAdminClientOptions {
  environmentId: string;
  /** A Dynamic API token (`dyn_...`). Refused in a browser unless `dangerouslyAllowBrowser`. */
  apiToken: string;
  /** API root; default `https://app.dynamicauth.com/api/v0`. */
  baseUrl?: string;
  /** Allow the token in a page (only for private tools: every visitor could read it). */
  dangerouslyAllowBrowser?: boolean;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  /** Also retry `bulkCreateUsers` after a lost response or a 5xx. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `bulkCreateUsers`. */
export interface BulkCreateUsersOptions {
  /** Update users that already exist (`?upsert=true`). */
  upsert?: boolean;
}

/** Options of `new SnagClient(...)`: for servers, with the `apiKey`. A page uses
 * `LinkServerClient` with your backend's `createLinkServer` (`wallet-linker/server`) instead,
 * which checks the caller and the proof before it calls Snag with the key. */
export interface SnagClientOptions {
  /** API root; default `https://admin.snagsolutions.io` (which needs `apiKey`). */
  baseUrl?: string;
  /** Snag API key, sent as `X-API-KEY`. Refused in a browser unless `dangerouslyAllowBrowser`. */
  apiKey?: string;
  dangerouslyAllowBrowser?: boolean;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
  /** Also retry `connectWallet` after a lost response or a 5xx. Default false. */
  retryStateChanging?: boolean;
}

/** Options of `new LinkServerClient(...)`: your backend running `createLinkServer`. */
export interface LinkServerClientOptions {
  /** The server's `basePath`: a same-origin path such as `/api/link`, or a full URL. */
  baseUrl: string;
  /** The signed-in user's Dynamic JWT (`linkWallet` sets the new one after a link). */
  authToken?: string;
  /** Per-attempt timeout in ms (default 30000). */
  timeoutMs?: number;
  /** The whole call, retries and waits included, in ms (default 45000); then `TIMEOUT`. */
  deadlineMs?: number;
  maxRetries?: number;
  signal?: AbortSignal;
}

/** What `LinkServerClient.connectWallet` sends (it also takes a `SnagConnectParams`). */
export type LinkServerConnectParams =
  | {
      walletType: "evm" | "imx" | "solana" | "sui";
      walletAddress: string;
      /** The signed message, with a nonce from `getNonce()`. */
      message: string;
      /** 0x-hex (EVM), base58 (Solana) or Sui's serialized signature (base64). */
      signature: string;
    }
  | {
      walletType: "ton";
      walletAddress: string;
      /** The wallet's TON Connect proof (its payload: a nonce from `getNonce()`) and account. */
      tonVerification: SnagTonVerification;
    };

/** `createGlobalWalletConnection`'s argument: `expiresAt` as an ISO 8601 string or a `Date`. */
export interface GlobalWalletConnectionInput {
  expiresAt: string | Date;
}

/** A client of Dynamic's SDK API for one environment (nonce, sign-in, link, unlink, global
 * wallet connections). Methods never throw: a bad argument rejects the returned promise. */
export class DynamicClient {
  /**
   * `POST /sdk/{environmentId}/globalWallets/connections`.
   */
  createGlobalWalletConnection(request: GlobalWalletConnectionInput): Promise<GlobalWalletConnection>;
  /**
   * `GET /sdk/{environmentId}/nonce`: a fresh nonce for a sign-in message.
   */
  getNonce(): Promise<string>;
  constructor(options: DynamicClientOptions);
  /**
   * Replaces the JWT (`undefined` or `null` forgets it).
   */
  setAuthToken(token: string | null | undefined): void;
  /**
   * `POST /sdk/{environmentId}/verify/link`: links the signed wallet to the signed-in user;
   * keeps the new JWT. Not retried after a lost response (it would link twice).
   */
  verifyLink(request: VerifyRequest): Promise<VerifyResponse>;
  /**
   * `POST /sdk/{environmentId}/verify/unlink`: removes a wallet from the signed-in user.
   */
  verifyUnlink(request: VerifyUnlinkRequest): Promise<VerifyResponse>;
  /**
   * `POST /sdk/{environmentId}/verify`: signs in with a signed message; keeps the new JWT.
   */
  verify(request: VerifyRequest): Promise<VerifyResponse>;
  /**
   * The JWT sent by authenticated calls: the one given, or the newest a response returned.
   */
  authToken: string | undefined;
  /**
   * The environment id given to the constructor.
   */
  readonly environmentId: string;
}
/** A client of Dynamic's admin API (server-side: it holds an API token). */
export class DynamicAdminClient {
  /**
   * `POST /environments/{environmentId}/users/bulk`: creates (with `upsert`, also updates)
   * many users at once.
   */
  bulkCreateUsers(users: InternalUserFields[], options?: BulkCreateUsersOptions): Promise<BulkUserCreateResponse>;
  /**
   * Throws `BROWSER_SECRET` in a browser unless `dangerouslyAllowBrowser: true`.
   */
  constructor(options: DynamicAdminClientOptions);
}
/** A client of the Snag Solutions API. */
export class SnagClient {
  /**
   * `POST /api/users/connect`: connects a wallet to a Snag user. Not retried after a lost
   * response.
   */
  connectWallet(params: SnagConnectParams): Promise<SnagConnectResponse>;
  /**
   * With an `apiKey`, throws `BROWSER_SECRET` in a browser unless `dangerouslyAllowBrowser`.
   * Without one, `baseUrl` must name a backend route of yours that adds the key after its own
   * checks (in a page, prefer `LinkServerClient`).
   */
  constructor(options: SnagClientOptions);
}
/** A client of your backend's `createLinkServer` routes (`wallet-linker/server`): the page takes
 * its nonce there and posts the signed proof with the user's Dynamic JWT; the backend checks it
 * and calls Snag with its key. Works as `linkWallet`'s `snag.client`. */
export class LinkServerClient {
  /**
   * `POST {baseUrl}/snag/connect` with `walletType`, `walletAddress` and the proof (`message`
   * and `signature`, or for `walletType: "ton"` the `tonVerification`; flat or in
   * `verificationData` as in `SnagConnectParams`). Other members are not sent: the server takes
   * the Snag ids from its own configuration.
   */
  connectWallet(params: LinkServerConnectParams | SnagConnectParams): Promise<SnagConnectResponse>;
  /**
   * `GET {baseUrl}/nonce`: a nonce issued by your server.
   */
  getNonce(): Promise<string>;
  /**
   * `baseUrl` is the server's `basePath` (same origin, e.g. `/api/link`, or a full URL).
   */
  constructor(options: LinkServerClientOptions);
  /**
   * The signed-in user's Dynamic JWT (`undefined` forgets it).
   */
  authToken: string | undefined;
}
