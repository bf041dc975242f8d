//! The error codes are public API in three places besides the enum: the README table, the
//! TypeScript `ErrorCode` union, and the JS `errorCodes()` list. They must never drift apart.

use wallet_linker::ErrorCode;

fn between<'a>(text: &'a str, begin: &str, end: &str) -> &'a str {
    let start = text.find(begin).expect("begin marker") + begin.len();
    let stop = text[start..].find(end).expect("end marker") + start;
    &text[start..stop]
}

#[test]
fn readme_table_lists_every_code_with_its_description() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = between(
        &readme,
        "<!-- error-codes:begin",
        "<!-- error-codes:end -->",
    );
    let rows: Vec<(String, String)> = table
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((code.to_owned(), cells.get(2)?.to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.description().to_owned()))
        .collect();
    assert_eq!(
        rows, expected,
        "README error table differs from src/error.rs"
    );
}

#[test]
fn typescript_union_lists_every_code() {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/wasm/error.rs")).unwrap();
    let union = between(&source, "export type ErrorCode =", ";");
    let listed: Vec<&str> = union
        .split('|')
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| !s.is_empty())
        .collect();
    let expected: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        listed, expected,
        "TS ErrorCode union differs from src/error.rs"
    );
}
