//! The options reader (`wallet_linker::options_reader`) natively, over JSON standing in for
//! JavaScript values: the words and the `field` of every kind of failure the JS suite sees
//! (tests/js/messages.test.mjs, verify.test.mjs), and what is accepted.
//!
//! JSON has no `undefined`, `Date`, BigInt or class instances: one-member objects stand for them
//! (`{"$date": "2026-01-02T03:04:05.678Z"}`, `{"$date": null}` for an invalid Date,
//! `{"$undefined": true}`, `{"$bigint": "12"}`, `{"$number": "Infinity"}`, `{"$bytes": [1, 2]}`,
//! `{"$class": "URL"}`), and `{"$entries": [[key, value], ...]}` for an object whose members are
//! in that order (serde_json's own maps are sorted).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};
use wallet_linker::flow::LinkMode;
use wallet_linker::message::SiweMessage;
use wallet_linker::options_reader::{self, FieldError, JsLike};
use wallet_linker::{Error, ErrorCode};

/// A JavaScript value, written as JSON (see the module's documentation).
struct Js(Value);

impl From<String> for Js {
    fn from(text: String) -> Self {
        Js(Value::String(text))
    }
}

impl Js {
    /// The content of a `{"$name": content}` stand-in.
    fn marker(&self, name: &str) -> Option<&Value> {
        match &self.0 {
            Value::Object(map) if map.len() == 1 => map.get(name),
            _ => None,
        }
    }

    fn is_marker(&self) -> bool {
        matches!(&self.0, Value::Object(map) if map.len() == 1 && map.keys().all(|k| k.starts_with('$')))
    }
}

impl JsLike for Js {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.marker("$undefined").is_some()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64().or_else(|| {
            self.marker("$number")
                .and_then(Value::as_str)
                .and_then(|n| n.parse().ok())
        })
    }

    fn text(&self) -> Option<String> {
        self.0.as_str().map(str::to_owned)
    }

    fn bigint(&self) -> Option<String> {
        self.marker("$bigint")?.as_str().map(str::to_owned)
    }

    fn bytes(&self) -> Option<Vec<u8>> {
        let bytes = self.marker("$bytes")?.as_array()?;
        Some(bytes.iter().map(|b| b.as_u64().unwrap() as u8).collect())
    }

    fn date(&self) -> Option<Option<String>> {
        self.marker("$date").map(|d| d.as_str().map(str::to_owned))
    }

    fn array_length(&self) -> Option<u32> {
        self.0.as_array().map(|a| a.len() as u32)
    }

    fn element(&self, index: u32) -> Self {
        Js(self.0[index as usize].clone())
    }

    fn is_record(&self) -> bool {
        match &self.0 {
            Value::Object(_) if self.is_marker() => {
                ["$date", "$bytes", "$class", "$entries", "$throws"]
                    .iter()
                    .any(|m| self.marker(m).is_some())
            }
            Value::Object(_) => true,
            _ => false,
        }
    }

    fn member(&self, name: &'static str) -> Option<Self> {
        if let Some(throwing) = self.marker("$throws") {
            return (throwing != name).then(|| Js(json!({"$undefined": true})));
        }
        match self.entries().into_iter().find(|(key, _)| key == name) {
            Some((_, value)) => Some(value),
            None => Some(Js(json!({"$undefined": true}))),
        }
    }

    fn entries(&self) -> Vec<(String, Self)> {
        if let Some(entries) = self.marker("$entries") {
            let pairs = entries.as_array().unwrap().iter();
            return pairs
                .map(|pair| (pair[0].as_str().unwrap().to_owned(), Js(pair[1].clone())))
                .collect();
        }
        match &self.0 {
            Value::Object(_) if self.is_marker() => Vec::new(),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| (k.clone(), Js(v.clone())))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn type_name(&self) -> String {
        let name = match &self.0 {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(map) if self.is_marker() => match map.keys().next().unwrap().as_str() {
                "$undefined" => "undefined",
                "$number" => "number",
                "$bigint" => "bigint",
                "$date" => "Date",
                "$bytes" => "Uint8Array",
                "$class" => return map["$class"].as_str().unwrap().to_owned(),
                _ => "object",
            },
            Value::Object(_) => "object",
        };
        name.to_owned()
    }
}

/// The members of a message's fields that are times (as `src/exports/messages.rs` reads them).
const TIMES: &[&str] = &["issuedAt", "expirationTime", "notBefore"];

fn read<T: de::DeserializeOwned>(value: Value) -> Result<T, FieldError> {
    options_reader::read(Js(value), &[])
}

/// The coded error the JS layer throws for `argument` (`options` unless given).
fn error<T: de::DeserializeOwned + fmt::Debug>(value: Value) -> Error {
    read::<T>(value)
        .expect_err("refused")
        .into_error("options", ErrorCode::InvalidArgument)
}

/// `[field, message]` of the error.
fn said(e: &Error) -> [&str; 2] {
    [e.field.as_deref().unwrap_or(""), e.message.as_str()]
}

fn siwe() -> Value {
    json!({
        "domain": "service.org",
        "address": "0x9D85ca56217D2bb651b00f15e694EB7E713637D4",
        "uri": "https://service.org/login",
        "version": "1",
        "chainId": 1,
        "nonce": "32891757",
        "issuedAt": "2021-09-30T16:25:24.000Z",
    })
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn fields(value: Value) -> Result<SiweMessage, Error> {
    options_reader::read(Js(value), TIMES)
        .map_err(|e| e.into_error("fields", ErrorCode::InvalidField))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Options {
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    count: Option<u8>,
    #[serde(default)]
    offset: Option<i32>,
    #[serde(default)]
    max_age_seconds: Option<u32>,
    #[serde(default)]
    ratio: Option<f64>,
    #[serde(default)]
    enabled: Option<bool>,
    #[serde(default)]
    mode: Option<LinkMode>,
    #[serde(default)]
    snag: Option<Snag>,
    #[serde(default)]
    list: Option<Vec<Item>>,
    #[serde(default)]
    limits: Option<BTreeMap<String, u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Snag {
    user_id: String,
    #[serde(default)]
    issued_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Item {
    x: u64,
}

#[test]
fn a_missing_member_is_required_and_null_or_undefined_count_as_missing() {
    for absent in [json!(null), json!({"$undefined": true})] {
        let e = fields(with(siwe(), "domain", absent)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidField);
        assert_eq!(said(&e), ["domain", "domain is required"]);
    }
    let mut missing = siwe();
    missing.as_object_mut().unwrap().remove("nonce");
    let e = fields(missing).unwrap_err();
    assert_eq!(
        (e.code, said(&e)),
        (ErrorCode::InvalidField, ["nonce", "nonce is required"])
    );
    // In an options object (INVALID_ARGUMENT), nested: the path names it.
    let e = error::<Options>(json!({"snag": {"userId": null}}));
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(said(&e), ["snag.userId", "snag.userId is required"]);
}

#[test]
fn optional_members_that_are_null_or_undefined_are_none() {
    let options: Options = read(json!({
        "userId": null, "count": {"$undefined": true}, "mode": null, "snag": null, "list": null,
    }))
    .unwrap();
    assert!(options.user_id.is_none() && options.count.is_none() && options.mode.is_none());
    assert!(options.snag.is_none() && options.list.is_none());
    let parsed = fields(with(siwe(), "statement", json!(null))).unwrap();
    assert_eq!(parsed.statement, None);
}

#[test]
fn a_wrong_type_says_what_was_expected_and_received_in_plain_words() {
    let e = fields(with(siwe(), "chainId", json!("1"))).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(
        said(&e),
        ["chainId", "chainId must be a whole number, received string"]
    );
    assert_eq!(e.expected.as_deref(), Some("a whole number"));
    assert_eq!(e.received.as_deref(), Some("string"));

    let cases = [
        (
            "nonce",
            json!(32891757),
            "nonce must be a string, received number",
        ),
        (
            "domain",
            json!(["service.org"]),
            "domain must be a string, received array",
        ),
        (
            "statement",
            json!({"text": "x"}),
            "statement must be a string, received object",
        ),
        (
            "resources",
            json!("https://a.example"),
            "resources must be an array, received string",
        ),
        (
            "uri",
            json!({"$class": "URL"}),
            "uri must be a string, received URL",
        ),
        (
            "address",
            json!({"$bytes": [1, 2]}),
            "address must be a string, received Uint8Array",
        ),
        (
            "chainId",
            json!(true),
            "chainId must be a whole number, received boolean",
        ),
        ("chainId", json!(null), "chainId is required"),
    ];
    for (field, value, message) in cases {
        let e = fields(with(siwe(), field, value)).unwrap_err();
        assert_eq!(said(&e), [field, message]);
    }
    let e = error::<Options>(json!({"enabled": "yes"}));
    assert_eq!(
        said(&e),
        ["enabled", "enabled must be a boolean, received string"]
    );
    let e = error::<Options>(json!({"ratio": "0.5"}));
    assert_eq!(
        said(&e),
        ["ratio", "ratio must be a finite number, received string"]
    );
    let e = error::<Options>(json!({"snag": "user-1"}));
    assert_eq!(
        said(&e),
        ["snag", "snag must be an object, received string"]
    );
}

#[test]
fn whole_numbers_are_checked_against_their_type_and_the_safe_range() {
    let cases = [
        (json!(1.5), "a whole number", "1.5"),
        (json!(-1), "a whole number", "-1"),
        (json!({"$number": "NaN"}), "a whole number", "NaN"),
        (
            json!({"$number": "-Infinity"}),
            "a whole number",
            "-Infinity",
        ),
        (json!(1e-7), "a whole number", "1e-7"),
        (json!(0.000001), "a whole number", "0.000001"),
        (
            json!(2f64.powi(60)),
            "a whole number up to 9007199254740991 (Number.MAX_SAFE_INTEGER)",
            "1152921504606847000",
        ),
        (
            json!(1e21),
            "a whole number up to 9007199254740991 (Number.MAX_SAFE_INTEGER)",
            "1e+21",
        ),
        (
            json!({"$bigint": "18446744073709551616"}),
            "a whole number",
            "bigint",
        ),
    ];
    for (value, expected, received) in cases {
        let e = fields(with(siwe(), "chainId", value)).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("chainId"));
        assert_eq!(
            e.message,
            format!("chainId must be {expected}, received {received}")
        );
        assert_eq!(
            (e.expected.as_deref(), e.received.as_deref()),
            (Some(expected), Some(received))
        );
    }
    // The largest safe integer, and a BigInt within u64, are read exactly.
    let parsed = fields(with(siwe(), "chainId", json!(9_007_199_254_740_991u64))).unwrap();
    assert_eq!(parsed.chain_id, 9_007_199_254_740_991);
    let parsed = fields(with(
        siwe(),
        "chainId",
        json!({"$bigint": "18446744073709551615"}),
    ))
    .unwrap();
    assert_eq!(parsed.chain_id, u64::MAX);

    // Narrower types say their range.
    let e = error::<Options>(json!({"maxAgeSeconds": -5}));
    let message = "maxAgeSeconds must be a whole number from 0 to 4294967295, received -5";
    assert_eq!(said(&e), ["maxAgeSeconds", message]);
    let e = error::<Options>(json!({"maxAgeSeconds": "60"}));
    let message = "maxAgeSeconds must be a whole number from 0 to 4294967295, received string";
    assert_eq!(said(&e), ["maxAgeSeconds", message]);
    let e = error::<Options>(json!({"count": 256}));
    assert_eq!(
        said(&e),
        [
            "count",
            "count must be a whole number from 0 to 255, received 256"
        ]
    );
    let options: Options = read(json!({"count": 255, "maxAgeSeconds": 4294967295u64})).unwrap();
    assert_eq!(
        (options.count, options.max_age_seconds),
        (Some(255), Some(u32::MAX))
    );
}

#[test]
fn signed_integers_are_whole_and_within_their_type() {
    let options: Options = read(json!({"offset": -12})).unwrap();
    assert_eq!(options.offset, Some(-12));
    let options: Options = read(json!({"offset": {"$bigint": "-7"}})).unwrap();
    assert_eq!(options.offset, Some(-7));
    for (value, received) in [
        (json!(-0.5), "-0.5"),
        (json!(2147483648u64), "2147483648"),
        (json!(true), "boolean"),
        (json!({"$bigint": "99999999999"}), "bigint"),
    ] {
        let e = error::<Options>(json!({ "offset": value }));
        let message = format!("offset must be an integer, received {received}");
        assert_eq!(said(&e), ["offset", message.as_str()]);
    }
}

#[test]
fn nested_members_and_elements_are_named_by_their_path() {
    let e = error::<Options>(json!({"snag": {"userId": 7}}));
    assert_eq!(
        said(&e),
        [
            "snag.userId",
            "snag.userId must be a string, received number"
        ]
    );
    let e = error::<Options>(json!({"list": [{"x": 1}, {"x": 2}, {"x": "3"}]}));
    assert_eq!(
        said(&e),
        [
            "list[2].x",
            "list[2].x must be a whole number, received string"
        ]
    );
    let e = error::<Options>(json!({"list": [{"x": 1}, {}]}));
    assert_eq!(said(&e), ["list[1].x", "list[1].x is required"]);
    let e = fields(with(siwe(), "resources", json!(["https://a.example", 7]))).unwrap_err();
    assert_eq!(
        said(&e),
        [
            "resources[1]",
            "resources[1] must be a string, received number"
        ]
    );

    // An array argument: its elements are named after the argument.
    let users = json!([{"email": "a@example.com"}, {"email": "b@example.com"}, {"email": 5}]);
    #[derive(Debug, Deserialize)]
    struct User {
        #[allow(dead_code)]
        email: String,
    }
    let e = options_reader::read::<Vec<User>, _>(Js(users), &[])
        .unwrap_err()
        .into_error("users", ErrorCode::InvalidArgument);
    assert_eq!(
        said(&e),
        [
            "users[2].email",
            "users[2].email must be a string, received number"
        ]
    );

    // The whole value of the wrong type is named by the argument.
    let e = error::<Options>(json!(["not", "an", "object"]));
    assert_eq!(
        said(&e),
        ["options", "options must be an object, received array"]
    );
}

#[test]
fn dates_in_time_members_are_read_as_iso_text_and_invalid_dates_refused() {
    let iso = "2026-01-02T03:04:05.678Z";
    let parsed = fields(with(siwe(), "issuedAt", json!({ "$date": iso }))).unwrap();
    assert_eq!(parsed.issued_at, iso);
    let parsed = fields(with(siwe(), "notBefore", json!({ "$date": iso }))).unwrap();
    assert_eq!(parsed.not_before.as_deref(), Some(iso));

    for field in TIMES {
        let e = fields(with(siwe(), field, json!({"$date": null}))).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidField);
        let message =
            format!("{field} must be a valid Date or an RFC 3339 string, received an invalid Date");
        assert_eq!(said(&e), [*field, message.as_str()]);
        assert_eq!(e.received.as_deref(), Some("Invalid Date"));
    }
    // A Date anywhere else is a wrong type: outside the time members, and below the top level.
    let e = fields(with(siwe(), "nonce", json!({ "$date": iso }))).unwrap_err();
    assert_eq!(
        (e.code, said(&e)),
        (
            ErrorCode::InvalidArgument,
            ["nonce", "nonce must be a string, received Date"]
        )
    );
    let nested = json!({"snag": {"userId": "u", "issuedAt": {"$date": iso}}});
    let e = options_reader::read::<Options, _>(Js(nested), &["issuedAt", "snag"])
        .unwrap_err()
        .into_error("options", ErrorCode::InvalidArgument);
    assert_eq!(
        said(&e),
        [
            "snag.issuedAt",
            "snag.issuedAt must be a string, received Date"
        ]
    );
}

#[test]
fn enums_read_their_variants_names_and_list_them_when_refused() {
    let options: Options = read(json!({"mode": "signIn"})).unwrap();
    assert_eq!(options.mode, Some(LinkMode::SignIn));
    // Also as an object with one member, the variant's name (serde-wasm-bindgen's form).
    let options: Options = read(json!({"mode": {"link": null}})).unwrap();
    assert_eq!(options.mode, Some(LinkMode::Link));

    let e = error::<Options>(json!({"mode": "sign-in"}));
    let message = r#"mode must be one of "link", "signIn", received "sign-in""#;
    assert_eq!(said(&e), ["mode", message]);
    assert_eq!(e.expected.as_deref(), Some(r#"one of "link", "signIn""#));
    let long = "x".repeat(45);
    let e = error::<Options>(json!({ "mode": long }));
    let message = format!(
        r#"mode must be one of "link", "signIn", received "{}…""#,
        "x".repeat(40)
    );
    assert_eq!(said(&e), ["mode", message.as_str()]);
    for (value, received) in [
        (json!(1), "number"),
        (json!({"link": null, "signIn": null}), "object"),
        (json!({"link": 5}), "object"),
    ] {
        let e = error::<Options>(json!({ "mode": value }));
        let message = format!(r#"mode must be one of "link", "signIn", received {received}"#);
        assert_eq!(said(&e), ["mode", message.as_str()]);
    }
}

#[test]
fn maps_keep_the_objects_order_and_name_the_key_at_fault() {
    #[derive(Debug, Deserialize)]
    struct Ordered {
        map: InOrder,
    }
    /// The keys in the order the map visitor saw them.
    #[derive(Debug)]
    struct InOrder(Vec<(String, u32)>);
    impl<'de> Deserialize<'de> for InOrder {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Pairs;
            impl<'de> Visitor<'de> for Pairs {
                type Value = InOrder;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a map")
                }
                fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<InOrder, A::Error> {
                    assert_eq!(map.size_hint(), Some(3));
                    let mut pairs = Vec::new();
                    while let Some(pair) = map.next_entry()? {
                        pairs.push(pair);
                    }
                    Ok(InOrder(pairs))
                }
            }
            deserializer.deserialize_map(Pairs)
        }
    }
    let value = json!({"map": {"$entries": [["b", 2], ["a", 1], ["c", 3]]}});
    let ordered: Ordered = read(value).unwrap();
    let keys: Vec<&str> = ordered.map.0.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["b", "a", "c"]);

    let options: Options = read(json!({"limits": {"a": 1, "b": 2}})).unwrap();
    assert_eq!(
        options.limits.unwrap().into_iter().collect::<Vec<_>>(),
        [("a".into(), 1), ("b".into(), 2)]
    );
    let e = error::<Options>(json!({"limits": {"a": 1, "b": -2}}));
    let message = "limits.b must be a whole number from 0 to 4294967295, received -2";
    assert_eq!(said(&e), ["limits.b", message]);
    let e = error::<Options>(json!({"limits": [1, 2]}));
    assert_eq!(
        said(&e),
        ["limits", "limits must be an object, received array"]
    );
}

#[test]
fn unknown_members_are_ignored_even_by_structs_that_deny_them() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        a: u8,
    }
    // Only the declared members are read from the object.
    let strict: Strict = read(json!({"a": 1, "b": "whatever", "c": {"$date": null}})).unwrap();
    assert_eq!(strict.a, 1);
    let parsed = fields(with(siwe(), "extra", json!({"$bigint": "1"}))).unwrap();
    assert_eq!(parsed.domain, "service.org");
}

#[test]
fn tuple_structs_are_read_from_arrays() {
    #[derive(Debug, Deserialize)]
    struct Pair(u8, u8);
    #[derive(Debug, Deserialize)]
    struct Holder {
        pair: Pair,
    }
    let holder: Holder = read(json!({"pair": [1, 2]})).unwrap();
    assert_eq!((holder.pair.0, holder.pair.1), (1, 2));
    let e = error::<Holder>(json!({"pair": [1, 300]}));
    let message = "pair[1] must be a whole number from 0 to 255, received 300";
    assert_eq!(said(&e), ["pair[1]", message]);
}

#[test]
fn other_failures_keep_the_deserializers_words_under_the_members_path() {
    #[derive(Debug, Deserialize)]
    struct Checked {
        #[serde(default)]
        #[allow(dead_code)]
        kind: Option<Kind>,
        #[serde(default)]
        #[allow(dead_code)]
        letter: Option<char>,
        #[serde(default)]
        #[allow(dead_code)]
        loose: Option<Loose>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(try_from = "String")]
    struct Kind;
    impl TryFrom<String> for Kind {
        type Error = String;
        fn try_from(text: String) -> Result<Self, String> {
            if text == "ok" {
                Ok(Kind)
            } else {
                Err(format!("{text:?} is not ok"))
            }
        }
    }
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Loose {
        Number(u64),
        Text(String),
    }

    let e = error::<Checked>(json!({"kind": "no"}));
    assert_eq!(said(&e), ["kind", r#"kind: "no" is not ok"#]);
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let e = error::<Checked>(json!({"letter": "ab"}));
    assert_eq!(
        said(&e),
        [
            "letter",
            r#"letter: invalid type: string "ab", expected a character"#
        ]
    );
    let e = error::<Checked>(json!({"letter": 1}));
    assert_eq!(
        said(&e),
        [
            "letter",
            "letter must be a single character, received number"
        ]
    );
    let checked: Checked = read(json!({"kind": "ok", "letter": "é", "loose": 7})).unwrap();
    assert!(checked.kind.is_some() && checked.letter == Some('é'));
    assert!(matches!(checked.loose, Some(Loose::Number(7))));
    let e = error::<Checked>(json!({"loose": [1]}));
    let message = "loose: data did not match any variant of untagged enum Loose";
    assert_eq!(said(&e), ["loose", message]);

    // A member whose getter throws.
    let e = error::<Snag>(json!({"$throws": "userId"}));
    assert_eq!(said(&e), ["userId", "userId: could not be read"]);
}

#[test]
fn self_describing_reads_follow_serde_wasm_bindgen() {
    // serde_json::Value reads itself through deserialize_any: safe integers as integers, other
    // numbers as floats, BigInts as i64 or u64, arrays and objects member by member.
    #[derive(Debug, Deserialize)]
    struct Any {
        value: Value,
    }
    let any: Any =
        read(json!({"value": {"a": [1, 1.5, true, "x", null], "b": {"$bigint": "-3"}}})).unwrap();
    assert_eq!(any.value, json!({"a": [1, 1.5, true, "x", null], "b": -3}));
    let e = error::<Any>(json!({"value": {"$bigint": "18446744073709551616"}}));
    let message =
        "value: Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds";
    assert_eq!(said(&e), ["value", message]);
}

#[test]
fn the_error_displays_its_path_and_words() {
    let e = read::<Options>(json!({"snag": {"userId": 7}})).unwrap_err();
    assert_eq!(
        e.to_string(),
        "snag.userId must be a string, received number"
    );
    let e = read::<Vec<u8>>(json!([1, -1])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "(the value)[1] must be a whole number from 0 to 255, received -1"
    );
    let e = options_reader::read::<SiweMessage, _>(
        Js(with(siwe(), "issuedAt", json!({"$date": null}))),
        TIMES,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "issuedAt is an invalid Date");
    let e = read::<Options>(json!("x")).unwrap_err();
    assert_eq!(
        format!("{e:?}"),
        "(the value) must be an object, received string"
    );
}

#[test]
fn byte_buffers_take_typed_arrays_and_arrays() {
    struct Bytes(Vec<u8>);
    impl<'de> Deserialize<'de> for Bytes {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Buf;
            impl<'de> Visitor<'de> for Buf {
                type Value = Vec<u8>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
                    Ok(bytes)
                }
                fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                    let mut out = Vec::new();
                    while let Some(b) = seq.next_element()? {
                        out.push(b);
                    }
                    Ok(out)
                }
            }
            deserializer.deserialize_byte_buf(Buf).map(Bytes)
        }
    }
    assert_eq!(
        read::<Bytes>(json!({"$bytes": [1, 2, 3]})).unwrap().0,
        [1, 2, 3]
    );
    assert_eq!(read::<Bytes>(json!([4, 5])).unwrap().0, [4, 5]);
    let e = read::<Bytes>(json!([4, 500]))
        .err()
        .unwrap()
        .into_error("key", ErrorCode::InvalidArgument);
    assert_eq!(
        said(&e),
        ["key", "key must be a Uint8Array, received array"]
    );
    let e = read::<Bytes>(json!("AQID"))
        .err()
        .unwrap()
        .into_error("key", ErrorCode::InvalidArgument);
    assert_eq!(
        said(&e),
        ["key", "key must be a Uint8Array, received string"]
    );
}

#[test]
fn numbers_must_be_finite() {
    for (value, received) in [
        (json!({"$number": "NaN"}), "NaN"),
        (json!({"$number": "Infinity"}), "Infinity"),
        (json!({"$number": "-Infinity"}), "-Infinity"),
    ] {
        let e = error::<Options>(json!({ "ratio": value }));
        let message = format!("ratio must be a finite number, received {received}");
        assert_eq!(said(&e), ["ratio", message.as_str()]);
        assert_eq!(e.expected.as_deref(), Some("a finite number"));
    }
    let options: Options = read(json!({"ratio": -0.5})).unwrap();
    assert_eq!(options.ratio, Some(-0.5));
}

#[test]
fn link_wallet_options_read_their_data_and_leave_the_objects() {
    use wallet_linker::flow::{GivenChainId, LinkMessageFormat, LinkWalletInput, SnagProof};
    let input: LinkWalletInput = read(json!({
        "dynamic": {"$class": "DynamicClient"},
        "wallet": {"$class": "WalletAdapter"},
        "signMessage": {"$class": "Function"},
        "chain": "SOL",
        "chainId": "devnet",
        "messageFormat": "siws",
        "walletName": "phantom",
        "snag": {"client": {"$class": "LinkServerClient"}, "proof": "dynamicAuthToken", "userId": "u"},
    }))
    .unwrap();
    assert_eq!(input.chain.as_deref(), Some("SOL"));
    assert_eq!(input.chain_id, Some(GivenChainId::Cluster("devnet".into())));
    assert_eq!(input.message_format, Some(LinkMessageFormat::Siws));
    let snag = input.snag.clone().unwrap();
    assert_eq!(
        (snag.proof, snag.user_id.as_deref()),
        (Some(SnagProof::DynamicAuthToken), Some("u"))
    );
    let options = input.flow_options(Some("wallet's own".into()));
    assert_eq!(options.wallet_name.as_deref(), Some("phantom"));
    assert_eq!(options.text.solana_chain_id.as_deref(), Some("devnet"));
    assert!(
        options.chain_id.is_some_and(f64::is_nan),
        "a cluster is no EVM chain id"
    );

    let evm: LinkWalletInput = read(json!({"chainId": 8453})).unwrap();
    let options = evm.flow_options(Some("metamask".into()));
    assert_eq!(
        (options.chain_id, options.wallet_name.as_deref()),
        (Some(8453.0), Some("metamask"))
    );
    assert_eq!(
        read::<LinkWalletInput>(json!({})).unwrap(),
        LinkWalletInput::default()
    );

    for bad in [json!(true), json!({"nested": true}), json!([1])] {
        let e = error::<LinkWalletInput>(json!({"chainId": bad}));
        assert_eq!(
            said(&e),
            ["chainId", "chainId: must be a number or a string"]
        );
    }
    let e = error::<LinkWalletInput>(json!({"snag": {"confirmDisconnect": "yes"}}));
    assert_eq!(e.field.as_deref(), Some("snag.confirmDisconnect"));
}

#[test]
fn serdes_own_type_errors_keep_their_words_but_no_float_digits() {
    use serde::de::{Error as _, Unexpected};
    let said = |e: FieldError| e.to_string();
    assert_eq!(
        said(FieldError::invalid_type(
            Unexpected::Float(1.5),
            &"a string"
        )),
        "(the value): invalid type: floating point number, expected a string"
    );
    assert_eq!(
        said(FieldError::invalid_value(
            Unexpected::Str("ab"),
            &"a character"
        )),
        r#"(the value): invalid value: string "ab", expected a character"#
    );
    assert_eq!(
        said(FieldError::invalid_type(Unexpected::Unsigned(7), &"a map")),
        "(the value): invalid type: integer `7`, expected a map"
    );
}
