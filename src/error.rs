//! The one error type of the crate.
//!
//! Every failure is an [`Error`]: a stable [`ErrorCode`] that callers switch on, a human message,
//! and optional details (`field`, `expected`, `received`, HTTP `status`, the service's own
//! `api_code`, the response `body`, the linking `step`). In JavaScript the same data arrives as an
//! `Error` whose `name` is `WalletLinkerError`, with the code as a SCREAMING_SNAKE_CASE string.
//!
//! Codes are public API: a code is never renamed or reused once released.

use core::fmt;

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*) => {
        /// What went wrong, as a stable machine-readable code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order (used for the README table and the TS union).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The TypeScript declaration of the codes, `export type ErrorCode = "…" | …;` with
            /// its doc comment, written from this same list: the WebAssembly layer puts it in the
            /// package's `.d.ts`, so the union cannot drift from the enum.
            pub const TYPESCRIPT_DECLARATION: &'static str = concat!(
                "/** Every code a `WalletLinkerError` can carry. Codes are stable: never renamed once released. */\n",
                "export type ErrorCode =",
                $("\n  | \"", $name, "\"",)*
                ";",
            );

            /// The SCREAMING_SNAKE_CASE string JavaScript sees as `error.code`.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $name,)* }
            }

            /// The code whose [`as_str`](Self::as_str) is `name`.
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                Self::ALL.iter().copied().find(|c| c.as_str() == name)
            }

            /// One-line description of the code (the first doc line).
            pub fn description(self) -> &'static str {
                match self { $(ErrorCode::$variant => first_line(&[$($doc),*]),)* }
            }
        }
    };
}

fn first_line(docs: &[&'static str]) -> &'static str {
    docs.first().map(|d| d.trim()).unwrap_or("")
}

error_codes! {
    /// A JavaScript argument has the wrong type or shape (e.g. `undefined` where a string is needed).
    InvalidArgument = "INVALID_ARGUMENT",
    /// An input is longer than this library accepts (bounded before any expensive work).
    InputTooLarge = "INPUT_TOO_LARGE",
    /// A hex string is malformed (odd length or a non-hex character).
    InvalidHex = "INVALID_HEX",
    /// A base58 string is malformed.
    InvalidBase58 = "INVALID_BASE58",
    /// A base64 string is malformed.
    InvalidBase64 = "INVALID_BASE64",
    /// An address is malformed or fails its EIP-55 checksum.
    InvalidAddress = "INVALID_ADDRESS",
    /// A public key is malformed, not on the curve, or of small order.
    InvalidPublicKey = "INVALID_PUBLIC_KEY",
    /// A signature has a length this library does not verify (EVM: 64 or 65 bytes; Solana: 64).
    InvalidSignatureLength = "INVALID_SIGNATURE_LENGTH",
    /// A signature scheme this package does not verify (Sui multisig, zkLogin, passkeys).
    UnsupportedSignatureScheme = "UNSUPPORTED_SIGNATURE_SCHEME",
    /// A signature is well-sized but invalid: `v` outside {0, 1, 27, 28}, `r`/`s` zero or out of range.
    InvalidSignature = "INVALID_SIGNATURE",
    /// A TON state init is not a well-formed bag of cells (base64 BoC) holding a StateInit.
    InvalidStateInit = "INVALID_STATE_INIT",
    /// The wallet contract is not one whose key this library reads (TON: wallets v3r2, v4r2, v5r1).
    UnsupportedWallet = "UNSUPPORTED_WALLET",
    /// A sign-in message does not follow its grammar; `field` names the offending part.
    MessageParse = "MESSAGE_PARSE",
    /// A field given to build a message is not valid; `field` names it.
    InvalidField = "INVALID_FIELD",
    /// The signature is valid but was not made by the expected address or key.
    SignatureMismatch = "SIGNATURE_MISMATCH",
    /// The message's address differs from the expected address or signing key.
    AddressMismatch = "ADDRESS_MISMATCH",
    /// The message's expiration time has passed (`now >= expirationTime`, with clock skew).
    Expired = "EXPIRED",
    /// The message's not-before time has not come yet.
    NotYetValid = "NOT_YET_VALID",
    /// The message's issued-at time is in the future.
    IssuedInFuture = "ISSUED_IN_FUTURE",
    /// The message's domain differs from the expected domain.
    DomainMismatch = "DOMAIN_MISMATCH",
    /// The message's nonce differs from the expected nonce.
    NonceMismatch = "NONCE_MISMATCH",
    /// The message's chain id differs from the expected chain id.
    ChainIdMismatch = "CHAIN_ID_MISMATCH",
    /// The message's URI differs from the expected URI.
    UriMismatch = "URI_MISMATCH",
    /// The message's scheme differs from the expected scheme.
    SchemeMismatch = "SCHEME_MISMATCH",
    /// The chain is not supported by this operation.
    UnsupportedChain = "UNSUPPORTED_CHAIN",
    /// A server API key would be exposed in a browser; pass `dangerouslyAllowBrowser` to override.
    BrowserSecret = "BROWSER_SECRET",
    /// The service answered with a non-2xx status; see `status`, `apiCode` and `body`.
    HttpError = "HTTP_ERROR",
    /// The service's response body is not the JSON that was expected.
    InvalidResponse = "INVALID_RESPONSE",
    /// A request attempt took longer than the timeout.
    Timeout = "TIMEOUT",
    /// The request could not reach the service (DNS, connection refused, CORS, reset).
    Network = "NETWORK",
    /// An EVM JSON-RPC endpoint answered with an error; `apiCode` holds its JSON-RPC code.
    RpcError = "RPC_ERROR",
    /// The caller's `AbortSignal` aborted the operation.
    Aborted = "ABORTED",
    /// The user rejected the request in the wallet (EIP-1193 code 4001).
    UserRejected = "USER_REJECTED",
    /// No wallet was found, or the wallet lacks the needed feature.
    WalletNotFound = "WALLET_NOT_FOUND",
    /// The wallet failed in another way; `received` holds its message.
    WalletError = "WALLET_ERROR",
    /// The platform has no cryptographically secure random source.
    RandomUnavailable = "RANDOM_UNAVAILABLE",
    /// A required field is absent (e.g. a message without `issuedAt` where its age is checked).
    MissingField = "MISSING_FIELD",
    /// No valid token: missing, malformed, forged, expired, refused algorithm or another environment.
    Unauthenticated = "UNAUTHENTICATED",
    /// The nonce was never issued by this server, has expired, or was already used.
    NonceUnknown = "NONCE_UNKNOWN",
    /// The nonce store failed (e.g. Redis unreachable); nothing was accepted.
    NonceStore = "NONCE_STORE",
    /// No route of the server matches the request's method and path.
    RouteNotFound = "ROUTE_NOT_FOUND",
    /// A bug in this library: please report it with the message.
    Internal = "INTERNAL",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with its code and details. Build one with [`Error::new`] and the `with_*` methods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// The input field at fault (e.g. `"nonce"`, `"signature"`).
    pub field: Option<String>,
    pub expected: Option<String>,
    pub received: Option<String>,
    /// HTTP status of a failed call.
    pub status: Option<u16>,
    /// The service's own error code (Dynamic's `code`, e.g. `invalid_verification`).
    pub api_code: Option<String>,
    /// The response body of a failed call, as text (bounded).
    pub body: Option<String>,
    /// The step of a multi-step flow that failed (e.g. `"nonce"`, `"sign"`, `"link"`).
    pub step: Option<String>,
}

/// Longest `received`/`body` text kept in an error, so a huge input is not copied around.
const MAX_DETAIL_CHARS: usize = 256;
const MAX_BODY_CHARS: usize = 8192;
const MAX_MESSAGE_CHARS: usize = 1024;

/// The builder methods that set one text detail, cut to a number of characters.
macro_rules! text_details {
    ($($method:ident => $field:ident, $max:expr;)*) => {
        impl Error {
            $(
                pub fn $method(mut self, value: impl Into<String>) -> Self {
                    self.$field = Some(truncate(value.into(), $max));
                    self
                }
            )*
        }
    };
}

text_details! {
    with_field => field, usize::MAX;
    with_expected => expected, MAX_DETAIL_CHARS;
    with_received => received, MAX_DETAIL_CHARS;
    with_api_code => api_code, MAX_DETAIL_CHARS;
    with_body => body, MAX_BODY_CHARS;
}

impl Error {
    /// A new error; the message is bounded (a service's error text can be arbitrarily long).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error {
            code,
            message: truncate(message.into(), MAX_MESSAGE_CHARS),
            field: None,
            expected: None,
            received: None,
            status: None,
            api_code: None,
            body: None,
            step: None,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Names the flow step, keeping a step set earlier (the innermost step is the precise one).
    pub fn with_step(mut self, step: impl Into<String>) -> Self {
        if self.step.is_none() {
            self.step = Some(step.into());
        }
        self
    }

    /// Shorthand for a mismatch between an expected and a received value.
    /// `Ok` when `received` is `expected`, else [`Error::mismatch`].
    pub fn ensure_equal(
        code: ErrorCode,
        field: &str,
        expected: &str,
        received: &str,
    ) -> Result<()> {
        if expected == received {
            Ok(())
        } else {
            Err(Error::mismatch(code, field, expected, received))
        }
    }

    /// The signature verified, but not by `address` (the message's signer).
    pub fn not_signed_by(address: &str, message: &'static str) -> Self {
        Error::new(ErrorCode::SignatureMismatch, message)
            .with_field("signature")
            .with_expected(address)
    }

    pub fn mismatch(
        code: ErrorCode,
        field: &str,
        expected: impl Into<String>,
        received: impl Into<String>,
    ) -> Self {
        let (expected, received) = (expected.into(), received.into());
        Error::new(
            code,
            format!("{field} mismatch: expected {expected:?}, received {received:?}"),
        )
        .with_field(field)
        .with_expected(expected)
        .with_received(received)
    }
}

fn truncate(mut text: String, max_chars: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max_chars) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_screaming_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
                "{s} is not SCREAMING_SNAKE_CASE"
            );
            assert!(!code.description().is_empty(), "{s} has no description");
        }
    }

    #[test]
    fn details_are_bounded() {
        let huge = "x".repeat(1 << 20);
        let e = Error::new(ErrorCode::InvalidHex, "bad")
            .with_received(huge.clone())
            .with_body(huge);
        assert_eq!(e.received.as_ref().map(|r| r.chars().count()), Some(257));
        assert_eq!(e.body.as_ref().map(|b| b.chars().count()), Some(8193));
        let long =
            Error::new(ErrorCode::HttpError, "y".repeat(1 << 20)).with_api_code("z".repeat(1000));
        assert_eq!(long.message.chars().count(), 1025);
        assert_eq!(long.api_code.map(|c| c.chars().count()), Some(257));
    }

    #[test]
    fn first_step_wins() {
        let e = Error::new(ErrorCode::Timeout, "t")
            .with_step("nonce")
            .with_step("link");
        assert_eq!(e.step.as_deref(), Some("nonce"));
        assert_eq!(e.to_string(), "TIMEOUT: t");
    }
}
