//! Shared pieces of the sign-in grammars: RFC 3986 URIs and authorities, RFC 3339 date-times,
//! EIP-4361 nonces, statements, request ids and chain ids.
//!
//! Checks return `Err(reason)` with a short phrase ("has no scheme") that the message modules put
//! into a coded [`Error`] naming the field. Nothing here allocates on success.

use crate::error::{Error, ErrorCode, Result};

/// Largest chain id accepted: JavaScript numbers are exact up to 2^53 - 1, and `chainId` is a
/// number in the `siwe` package.
pub const MAX_CHAIN_ID: u64 = (1 << 53) - 1;

/// Shortest nonce EIP-4361 allows.
pub const MIN_NONCE_LEN: usize = 8;

pub(crate) type Check = core::result::Result<(), &'static str>;

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(c: u8) -> bool {
    matches!(
        c,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

fn is_gen_delim(c: u8) -> bool {
    matches!(c, b':' | b'/' | b'?' | b'#' | b'[' | b']' | b'@')
}

fn is_pchar_plain(c: u8) -> bool {
    is_unreserved(c) || is_sub_delim(c) || matches!(c, b':' | b'@')
}

/// Every byte is `allowed` or part of a `%XX` escape.
fn scan_with_escapes(text: &str, allowed: impl Fn(u8) -> bool) -> Check {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if c == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err("has a % that does not start a %XX escape");
            }
            i += 3;
        } else if allowed(c) {
            i += 1;
        } else if c.is_ascii_whitespace() {
            return Err("contains whitespace");
        } else {
            return Err("contains a character RFC 3986 does not allow there");
        }
    }
    Ok(())
}

/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`
pub fn check_scheme(text: &str) -> Check {
    let mut bytes = text.bytes();
    match bytes.next() {
        None => Err("is empty"),
        Some(first) if !first.is_ascii_alphabetic() => Err("must start with a letter"),
        Some(_) if bytes.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')) => {
            Ok(())
        }
        Some(_) => Err("may only hold letters, digits, +, - and ."),
    }
}

/// RFC 3986 `authority = [ userinfo "@" ] host [ ":" port ]`. With `require_host`, an empty host
/// (allowed in URIs such as `file:///x`) is refused, as a sign-in domain needs one.
pub fn check_authority(text: &str, require_host: bool) -> Check {
    let host_port = match text.split_once('@') {
        Some((userinfo, rest)) => {
            scan_with_escapes(userinfo, |c| {
                is_unreserved(c) || is_sub_delim(c) || c == b':'
            })
            .map_err(|_| "has a user-info part RFC 3986 does not allow")?;
            rest
        }
        None => text,
    };
    let (host, port) = if let Some(literal) = host_port.strip_prefix('[') {
        let (inside, after) = literal
            .split_once(']')
            .ok_or("has an IP literal without its closing ]")?;
        if !(is_ipv6(inside) || is_ipv_future(inside)) {
            return Err("has an IP literal that is neither IPv6 nor IPvFuture");
        }
        let port = match after.strip_prefix(':') {
            Some(port) => port,
            None if after.is_empty() => "",
            None => return Err("has text after its IP literal"),
        };
        (inside, port)
    } else {
        let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
        scan_with_escapes(host, |c| is_unreserved(c) || is_sub_delim(c))
            .map_err(|_| "has a host RFC 3986 does not allow (reg-name, IPv4 or [IPv6])")?;
        (host, port)
    };
    if !port.bytes().all(|c| c.is_ascii_digit()) {
        return Err("has a port that is not a number");
    }
    if require_host && host.is_empty() {
        return Err("has no host");
    }
    Ok(())
}

fn is_h16(text: &str) -> bool {
    (1..=4).contains(&text.len()) && text.bytes().all(|c| c.is_ascii_hexdigit())
}

/// RFC 3986 `dec-octet`: 0-255 without leading zeros.
fn is_dec_octet(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes {
        [d] => d.is_ascii_digit(),
        [b'1'..=b'9', d] => d.is_ascii_digit(),
        [b'1', a, b] => a.is_ascii_digit() && b.is_ascii_digit(),
        [b'2', b'0'..=b'4', d] => d.is_ascii_digit(),
        [b'2', b'5', b'0'..=b'5'] => true,
        _ => false,
    }
}

fn is_ipv4(text: &str) -> bool {
    let mut count = 0;
    for octet in text.split('.') {
        count += 1;
        if count > 4 || !is_dec_octet(octet) {
            return false;
        }
    }
    count == 4
}

/// Counts the 16-bit pieces of a `:`-separated run, the last of which may be an IPv4 address
/// (two pieces) when `may_end_in_ipv4`. `None` when a piece is malformed.
fn count_pieces(run: &str, may_end_in_ipv4: bool) -> Option<usize> {
    if run.is_empty() {
        return Some(0);
    }
    let mut pieces = run.split(':').peekable();
    let mut count = 0;
    while let Some(piece) = pieces.next() {
        let last = pieces.peek().is_none();
        if is_h16(piece) {
            count += 1;
        } else if last && may_end_in_ipv4 && is_ipv4(piece) {
            count += 2;
        } else {
            return None;
        }
    }
    Some(count)
}

/// RFC 3986 `IPv6address` (all nine forms, with an optional trailing IPv4 address).
fn is_ipv6(text: &str) -> bool {
    match text.split_once("::") {
        Some((left, right)) => {
            if right.contains("::") {
                return false;
            }
            match (count_pieces(left, false), count_pieces(right, true)) {
                (Some(l), Some(r)) => l + r <= 7,
                _ => false,
            }
        }
        None => count_pieces(text, true) == Some(8),
    }
}

/// RFC 3986 `IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`.
fn is_ipv_future(text: &str) -> bool {
    let Some(rest) = text.strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some((version, address)) = rest.split_once('.') else {
        return false;
    };
    !version.is_empty()
        && version.bytes().all(|c| c.is_ascii_hexdigit())
        && !address.is_empty()
        && address
            .bytes()
            .all(|c| is_unreserved(c) || is_sub_delim(c) || c == b':')
}

/// An RFC 3986 `URI`: `scheme ":" hier-part [ "?" query ] [ "#" fragment ]` (absolute, so a
/// relative reference such as `/login` is refused).
pub fn check_uri(text: &str) -> Check {
    if text.is_empty() {
        return Err("is empty");
    }
    let (scheme, rest) = text
        .split_once(':')
        .ok_or("has no scheme (expected e.g. https://...)")?;
    check_scheme(scheme).map_err(|_| "has no valid scheme (expected e.g. https://...)")?;
    let (rest, fragment) = match rest.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (rest, None),
    };
    let (hier_part, query) = match rest.split_once('?') {
        Some((hier, query)) => (hier, Some(query)),
        None => (rest, None),
    };
    let path = match hier_part.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            let (authority, path) = after.split_at(end);
            check_authority(authority, false)?;
            path
        }
        None => hier_part,
    };
    scan_with_escapes(path, |c| is_pchar_plain(c) || c == b'/')
        .map_err(|_| "has a path RFC 3986 does not allow")?;
    let query_char = |c| is_pchar_plain(c) || c == b'/' || c == b'?';
    if let Some(query) = query {
        scan_with_escapes(query, query_char).map_err(|_| "has a query RFC 3986 does not allow")?;
    }
    if let Some(fragment) = fragment {
        scan_with_escapes(fragment, query_char)
            .map_err(|_| "has a fragment RFC 3986 does not allow")?;
    }
    Ok(())
}

/// EIP-4361 `nonce = 8*( ALPHA / DIGIT )`.
pub fn check_nonce(text: &str) -> Check {
    if !text.bytes().all(|c| c.is_ascii_alphanumeric()) {
        Err("may only hold letters and digits")
    } else if text.len() < MIN_NONCE_LEN {
        Err("must be at least 8 letters or digits")
    } else {
        Ok(())
    }
}

/// EIP-4361 `request-id = *pchar`, refused when empty (the `siwe` and wallet-standard builders
/// drop an empty request id, so an empty one could not survive a round trip).
pub fn check_request_id(text: &str) -> Check {
    if text.is_empty() {
        return Err("is empty (leave it out instead)");
    }
    scan_with_escapes(text, is_pchar_plain)
        .map_err(|_| "may only hold RFC 3986 path characters (pchar)")
}

/// EIP-4361 `statement = *( reserved / unreserved / " " )`: printable ASCII without `"`, `%`,
/// `<`, `>`, `\`, `^`, backquote, `{`, `|`, `}`, and no line break.
pub fn check_siwe_statement(text: &str) -> Check {
    match text
        .bytes()
        .find(|&c| !(is_unreserved(c) || is_gen_delim(c) || is_sub_delim(c) || c == b' '))
    {
        None => Ok(()),
        Some(b'\n' | b'\r') => Err("must not contain a line break"),
        Some(_) => Err(
            "may only hold letters, digits, spaces and RFC 3986 reserved or unreserved characters",
        ),
    }
}

/// A free-text statement (Solana and other non-EVM templates): no control characters, so no
/// line break.
pub fn check_plain_statement(text: &str) -> Check {
    match text.chars().find(|c| c.is_control()) {
        None => Ok(()),
        Some('\n' | '\r') => Err("must not contain a line break"),
        Some(_) => Err("must not contain control characters"),
    }
}

/// EIP-155 chain id as written in a message: a positive decimal integer without leading zeros,
/// at most 2^53 - 1.
pub fn parse_chain_id(text: &str) -> core::result::Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|c| c.is_ascii_digit()) {
        return Err("must be a positive decimal integer");
    }
    if text.starts_with('0') {
        return Err("must be a positive integer without leading zeros");
    }
    match text.parse::<u64>() {
        Ok(id) if id <= MAX_CHAIN_ID => Ok(id),
        _ => Err("is larger than 2^53 - 1"),
    }
}

/// The same rule for a chain id given as a number.
pub fn check_chain_id(id: u64) -> Check {
    if id == 0 {
        Err("must be a positive integer")
    } else if id > MAX_CHAIN_ID {
        Err("is larger than 2^53 - 1")
    } else {
        Ok(())
    }
}

/// Whether `text` is an RFC 3339 `date-time` naming a real calendar day.
pub fn check_rfc3339(text: &str) -> Check {
    rfc3339_ms(text)
        .map(|_| ())
        .ok_or("must be an RFC 3339 date-time such as 2024-05-01T12:00:00.000Z")
}

/// Milliseconds since 1970-01-01T00:00:00Z of an RFC 3339 `date-time` (digits past milliseconds
/// are truncated; a leap second `:60` counts as the next minute's first second).
///
/// Errors: `INVALID_FIELD` when the text is not an RFC 3339 date-time of a real calendar day.
pub fn parse_rfc3339_ms(text: &str) -> Result<i64> {
    rfc3339_ms(text).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidField,
            "not an RFC 3339 date-time such as 2024-05-01T12:00:00.000Z",
        )
        .with_received(text)
    })
}

fn rfc3339_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let slice = b.get(from..from + len)?;
        slice.iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    let at = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    let year = digits(0, 4)?;
    let month = digits(5, 2)?;
    let day = digits(8, 2)?;
    let hour = digits(11, 2)?;
    let minute = digits(14, 2)?;
    let second = digits(17, 2)?;
    if !(at(4, b"-") && at(7, b"-") && at(10, b"Tt") && at(13, b":") && at(16, b":")) {
        return None;
    }
    let mut i = 19;
    let mut millis = 0;
    if at(i, b".") {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        match i - start {
            0 => return None,
            1 => millis *= 100,
            2 => millis *= 10,
            _ => {}
        }
    }
    let offset_minutes = if at(i, b"Zz") && b.len() == i + 1 {
        0
    } else if at(i, b"+-") && at(i + 3, b":") && b.len() == i + 6 {
        let (h, m) = (digits(i + 1, 2)?, digits(i + 4, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        let sign = if b.get(i) == Some(&b'-') { -1 } else { 1 };
        sign * (h * 60 + m)
    } else {
        return None;
    };
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Days since 1970-01-01 to (year, month, day), after H. Hinnant's `civil_from_days`.
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_round_trip() {
        use super::{civil_from_days, days_from_civil};
        for days in [-800_000, -1, 0, 1, 59, 10_000, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
    }

    use super::*;

    #[test]
    fn rfc3339_epoch_values() {
        // Values cross-checked with JavaScript's Date.parse.
        let cases = [
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T00:00:00.001Z", 1),
            ("2021-09-30T16:25:24.000Z", 1_633_019_124_000),
            ("2021-09-30T16:25:24-02:00", 1_633_026_324_000),
            ("2021-09-30t16:25:24.5+01:30", 1_633_013_724_500),
            ("2000-02-29T23:59:59.999999Z", 951_868_799_999),
            ("1969-12-31T23:59:59Z", -1_000),
            ("0000-01-01T00:00:00Z", -62_167_219_200_000),
            ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ];
        for (text, ms) in cases {
            assert_eq!(parse_rfc3339_ms(text), Ok(ms), "{text}");
        }
        // A leap second is the next minute's first second.
        assert_eq!(
            parse_rfc3339_ms("2016-12-31T23:59:60Z"),
            parse_rfc3339_ms("2017-01-01T00:00:00Z")
        );
    }

    #[test]
    fn rfc3339_rejections() {
        for bad in [
            "",
            "2021-09-30",
            "2021-09-30T16:25:24",
            "2021-09-30 16:25:24Z",
            "2021-09-30T16:25Z",
            "2021-9-30T16:25:24Z",
            "2021-09-30T16:25:24.Z",
            "2021-09-30T16:25:24,5Z",
            "2021-09-30T16:25:24+0200",
            "2021-09-30T16:25:24+02",
            "2021-09-30T16:25:24+24:00",
            "2021-09-30T16:25:24ZZ",
            "2021-09-30T16:25:24Z ",
            "2021-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2021-04-31T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-00-01T00:00:00Z",
            "2021-01-00T00:00:00Z",
            "2021-01-01T24:00:00Z",
            "2021-01-01T00:60:00Z",
            "2021-01-01T00:00:61Z",
            "+2021-01-01T00:00:00Z",
            "Wed Oct 05 2011 16:48:00 GMT+0200 (CEST)",
            "2021-01-01T00:00:00\u{ff3a}",
        ] {
            assert!(check_rfc3339(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uris() {
        for good in [
            "https://service.org/login",
            "https://[::cafe]",
            "https://127.0.0.1:4361",
            "https://127.0.0.1/?query=one#begin",
            "ipfs://Qme7ss3ARVgxv6rXqVPiikMJ8u2NLgmgszg13pYrDKEoiu",
            "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "urn:isbn:0451450523",
            "mailto:user@example.com",
            "file:///etc/hosts",
            "https://user:pw@host.example:8080/a/b%20c?x=1&y=/?#frag/?",
            "https://[2001:db8::1]:443/",
            "https://[::ffff:192.0.2.1]/",
            "https://[v1.fe80::a+en1]/",
            "a:",
            "a+b-c.d:x",
        ] {
            assert_eq!(check_uri(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "_not_a_rfc3986_valid_uri_",
            "/relative/path",
            "1http://x",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com/%zz",
            "https://example.com/%4",
            "https://ex[ample.com",
            "https://[::cafe",
            "https://[1:2:3:4:5:6:7:8:9]/",
            "https://[1::2::3]/",
            "https://[::256.0.0.1]/",
            "https://[::01.2.3.4]/",
            "https://example.com:80a/",
            "https://example.com/#a#b",
            "https://example.com/\u{e9}",
            "https://example.com/\n",
        ] {
            assert!(check_uri(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ipv6_forms() {
        for good in [
            "1:2:3:4:5:6:7:8",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "::1.2.3.4",
            "1::1.2.3.4",
            "fe80::1:2",
        ] {
            assert!(is_ipv6(good), "{good}");
        }
        for bad in [
            "",
            ":",
            ":::",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:8::",
            "::1:2:3:4:5:6:7:8",
            "12345::",
            "1:2:3:4:5:6:7:1.2.3.4",
            "1.2.3.4::",
            ":1:2:3:4:5:6:7",
            "g::",
        ] {
            assert!(!is_ipv6(bad), "{bad}");
        }
    }

    #[test]
    fn authorities() {
        for good in [
            "service.org",
            "127.0.0.1",
            "test@127.0.0.1:8080",
            "localhost:8080",
            "[::cafe]",
            "[::cafe]:80",
            "not_rfc4501",
            "xn--bcher-kva.example",
            "a%20b.example",
            "example.com:",
        ] {
            assert_eq!(check_authority(good, true), Ok(()), "{good}");
        }
        for bad in [
            "",
            ":8080",
            "user@",
            "exa mple.com",
            "example.com/",
            "https://example.com",
            "a@b@c",
            "[::cafe]x",
            "[zz]",
            "b\u{fc}cher.example",
        ] {
            assert!(check_authority(bad, true).is_err(), "{bad:?}");
        }
        assert_eq!(check_authority("", false), Ok(()));
    }

    #[test]
    fn small_rules() {
        assert!(check_nonce("32891757").is_ok());
        assert!(check_nonce("1234567").is_err());
        assert!(check_nonce("abcdefg-h").is_err());
        assert!(check_nonce("\u{e9}bcdefghi").is_err());
        assert_eq!(parse_chain_id("1"), Ok(1));
        assert_eq!(parse_chain_id("9007199254740991"), Ok(MAX_CHAIN_ID));
        for bad in ["", "0", "01", "-1", "+1", "1.0", "9007199254740992", "?"] {
            assert!(parse_chain_id(bad).is_err(), "{bad}");
        }
        assert!(check_request_id("some_id").is_ok());
        assert!(check_request_id("a:b@c%20d").is_ok());
        assert!(check_request_id("").is_err());
        assert!(check_request_id("a b").is_err());
        assert!(check_request_id("a?b").is_err());
        assert!(check_request_id("a/b").is_err());
        assert!(check_siwe_statement("").is_ok());
        assert!(check_siwe_statement("I accept the ServiceOrg Terms: https://x.org/tos?").is_ok());
        for bad in ["a\nb", "50%", "\"quoted\"", "caf\u{e9}", "a\tb", "{x}"] {
            assert!(check_siwe_statement(bad).is_err(), "{bad:?}");
        }
        assert!(check_plain_statement("Caf\u{e9} \"ok\" 100% {x}").is_ok());
        assert!(check_plain_statement("a\nb").is_err());
        assert!(check_plain_statement("a\u{7}b").is_err());
    }
}
