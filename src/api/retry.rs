//! When to retry a service call, and how long to wait first. Pure: time and randomness are passed in.
//!
//! - Idempotent calls (the `GET`s) retry on network errors, timeouts, 408, 429 and 5xx.
//! - State-changing calls (`verify`, `verify/link`, `verify/unlink`, global wallet connections,
//!   `users/bulk`, Snag `users/connect`) retry only where the server cannot have acted: 429, 503
//!   with a `Retry-After`, and a connection that failed before the request was sent. A lost
//!   response (reset after sending, timeout) is *not* retried, so a link is never made twice,
//!   unless the caller opts in with `retry_state_changing`.
//! - A refused connection ([`TransportError::Refused`]: nothing listens there) is never retried,
//!   whatever the call: it is a configuration error, and waiting does not fix it.
//! - The wait is the server's `retry-after-ms` or `Retry-After` (seconds or HTTP date) when given,
//!   otherwise exponential backoff: 0.5 s × 2^n capped at 8 s, less up to 25 % jitter.
//! - A server asking to wait longer than [`MAX_RETRY_AFTER_MS`] is not retried: the caller gets the
//!   error (with its `status`) at once instead of a hidden minute-long stall.

use super::transport::{HttpResponse, TransportError};
use crate::message::grammar::{civil_from_days, days_from_civil, days_in_month};

/// Retries after the first attempt when the caller does not say (3 attempts in all).
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Most retries a caller may ask for.
pub const MAX_MAX_RETRIES: u32 = 10;
/// Backoff before the first retry.
pub const INITIAL_BACKOFF_MS: u64 = 500;
/// Longest backoff between two attempts.
pub const MAX_BACKOFF_MS: u64 = 8_000;
/// Longest server-requested wait that is honoured; a longer one ends the retries.
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Whether repeating a call can change the outcome on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads (`GET /nonce`): repeating is harmless.
    Idempotent,
    /// Writes (`POST` link, unlink, connect, bulk, verify): a repeat may act twice.
    StateChanging,
}

/// What a finished attempt produced.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// An HTTP response that was not a success.
    Response(&'a HttpResponse),
    /// No response at all.
    Failed(&'a TransportError),
}

/// How many retries a client makes and whether state-changing calls are retried like reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    /// Opt-in: retry state-changing calls after a lost response too (only safe when the caller
    /// knows the call is idempotent on the server).
    pub retry_state_changing: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            retry_state_changing: false,
        }
    }
}

impl RetryPolicy {
    /// After `retries_done` retries, returns the wait in milliseconds before another attempt, or
    /// `None` when the outcome is final. `random` is uniform in `[0, 1)`.
    pub fn next_delay_ms(
        &self,
        kind: Idempotency,
        retries_done: u32,
        outcome: Outcome<'_>,
        now_ms: i64,
        random: f64,
    ) -> Option<u64> {
        if retries_done >= self.max_retries {
            return None;
        }
        let kind = if self.retry_state_changing {
            Idempotency::Idempotent
        } else {
            kind
        };
        let hint = match outcome {
            Outcome::Response(response) => server_delay_ms(response, now_ms),
            Outcome::Failed(_) => None,
        };
        if !is_retryable(kind, outcome, hint.is_some()) {
            return None;
        }
        match hint {
            Some(ms) if ms > MAX_RETRY_AFTER_MS => None,
            Some(ms) => Some(ms),
            None => Some(backoff_ms(retries_done, random)),
        }
    }
}

/// Whether an outcome may be retried at all. `has_retry_after` says the response carried a valid
/// `Retry-After` / `retry-after-ms`.
pub fn is_retryable(kind: Idempotency, outcome: Outcome<'_>, has_retry_after: bool) -> bool {
    match (kind, outcome) {
        (
            _,
            Outcome::Failed(
                TransportError::Aborted
                | TransportError::Refused(_)
                | TransportError::InvalidRequest(_),
            ),
        ) => false,
        (Idempotency::Idempotent, Outcome::Failed(_)) => true,
        (Idempotency::Idempotent, Outcome::Response(r)) => {
            matches!(r.status, 408 | 429 | 500..=599)
        }
        (Idempotency::StateChanging, Outcome::Failed(e)) => {
            matches!(
                e,
                TransportError::Network {
                    before_send: true,
                    ..
                }
            )
        }
        (Idempotency::StateChanging, Outcome::Response(r)) => {
            r.status == 429 || (r.status == 503 && has_retry_after)
        }
    }
}

/// Exponential backoff before retry number `retries_done + 1`: 0.5 s × 2^n capped at 8 s, times a
/// jitter factor in (0.75, 1] so that many clients do not retry in step.
pub fn backoff_ms(retries_done: u32, random: f64) -> u64 {
    let base = INITIAL_BACKOFF_MS
        .saturating_mul(1u64 << retries_done.min(16))
        .min(MAX_BACKOFF_MS);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    (base as f64 * (1.0 - 0.25 * random)).round() as u64
}

/// The server's requested wait: `retry-after-ms` (a number of milliseconds, as some APIs send)
/// first, then `Retry-After` (delay-seconds or an HTTP date, RFC 9110 §10.2.3). A date in the past
/// means "now" (0). Unparseable values are ignored.
pub fn server_delay_ms(response: &HttpResponse, now_ms: i64) -> Option<u64> {
    if let Some(ms) = response.header("retry-after-ms").and_then(parse_millis) {
        return Some(ms);
    }
    let value = response.header("retry-after")?;
    parse_retry_after(value, now_ms)
}

/// Parses a `Retry-After` value: delay-seconds (digits, a fraction tolerated) or an HTTP date.
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<u64> {
    let value = value.trim();
    if let Some(ms) = parse_decimal_scaled(value, 3) {
        return Some(ms);
    }
    let at = parse_http_date(value, now_ms)?;
    Some(u64::try_from(at.saturating_sub(now_ms)).unwrap_or(0))
}

fn parse_millis(value: &str) -> Option<u64> {
    parse_decimal_scaled(value.trim(), 0)
}

/// A non-negative decimal number (`"120"`, `"1.5"`) of at most 15 characters, times
/// 10^`scale` (at most 3), rounded up: exact integer arithmetic, with no float parser in the
/// `.wasm` (15 digits times 1000 stays far below `u64::MAX`).
fn parse_decimal_scaled(text: &str, scale: u32) -> Option<u64> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    if !digits(int) || !digits(frac) || text.len() > 15 {
        return None;
    }
    let number = |s: &str| s.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    let unit = 10u64.pow(scale);
    let frac_unit = 10u64.pow(u32::try_from(frac.len()).ok()?);
    Some(number(int) * unit + (number(frac) * unit).div_ceil(frac_unit))
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Parses an HTTP date in any of the three forms RFC 9110 §5.6.7 requires recipients to accept,
/// returning milliseconds since the Unix epoch:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`
/// and asctime `Sun Nov  6 08:49:37 1994`. `now_ms` resolves RFC 850's two-digit year.
pub fn parse_http_date(text: &str, now_ms: i64) -> Option<i64> {
    if let Some((day_name, rest)) = text.split_once(", ") {
        let mut parts = rest.split(' ');
        if DAY_NAMES.contains(&day_name) {
            // IMF-fixdate: "06 Nov 1994 08:49:37 GMT"
            let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
            let (time, zone) = (parts.next()?, parts.next()?);
            if parts.next().is_some() || zone != "GMT" || d.len() != 2 || y.len() != 4 {
                return None;
            }
            return to_epoch_ms(number(y)?, month(m)?, number(d)?, time);
        }
        if LONG_DAY_NAMES.contains(&day_name) {
            // RFC 850: "06-Nov-94 08:49:37 GMT"
            let (date, time, zone) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || zone != "GMT" {
                return None;
            }
            let mut fields = date.split('-');
            let (d, m, y) = (fields.next()?, fields.next()?, fields.next()?);
            if fields.next().is_some() || d.len() != 2 || y.len() != 2 {
                return None;
            }
            let year = two_digit_year(number(y)?, now_ms);
            return to_epoch_ms(year, month(m)?, number(d)?, time);
        }
        return None;
    }
    // asctime: "Sun Nov  6 08:49:37 1994" (day padded with a space).
    let mut parts = text.split(' ').filter(|p| !p.is_empty());
    let (day_name, m, d, time, y) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || !DAY_NAMES.contains(&day_name) || y.len() != 4 || d.len() > 2 {
        return None;
    }
    to_epoch_ms(number(y)?, month(m)?, number(d)?, time)
}

fn number(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn month(name: &str) -> Option<i64> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as i64 + 1)
}

/// RFC 9110: a two-digit year that would be more than 50 years in the future is in the past century.
fn two_digit_year(yy: i64, now_ms: i64) -> i64 {
    let current_year = civil_from_days(now_ms.div_euclid(86_400_000)).0;
    let mut year = current_year - current_year.rem_euclid(100) + yy;
    if year > current_year + 50 {
        year -= 100;
    }
    year
}

fn to_epoch_ms(year: i64, month: i64, day: i64, time: &str) -> Option<i64> {
    let mut hms = time.split(':');
    let (h, m, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() || h.len() != 2 || m.len() != 2 || s.len() != 2 {
        return None;
    }
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if h > 23 || m > 59 || s > 60 || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + h) * 60 + m) * 60_000 + s * 1000)
}
