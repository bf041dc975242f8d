//! The error codes are public API in three places besides the enum: the README table, the
//! TypeScript `ErrorCode` union, and the JS `errorCodes()` list. They must never drift apart: the
//! union and the list are generated from the enum's declaration (`ErrorCode::TYPESCRIPT_DECLARATION`,
//! `ErrorCode::ALL`), the README table is written by hand; each is checked here as data.

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
    // The union the package's .d.ts carries, as the wasm layer emits it.
    let declaration = ErrorCode::TYPESCRIPT_DECLARATION;
    assert!(
        declaration.starts_with("/**"),
        "the union keeps its doc comment"
    );
    let union = declaration
        .split_once("export type ErrorCode =")
        .expect("the declaration")
        .1
        .strip_suffix(';')
        .expect("one declaration, ended by ';'");
    let listed: Vec<&str> = union
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or_else(|| panic!("{s} is not a string literal type"))
        })
        .collect();
    let expected: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, expected);
}

#[test]
fn the_written_declarations_leave_the_union_to_the_enum() {
    // The class's declaration uses `ErrorCode` and must not declare it a second time.
    let declarations = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/wasm/types/error.d.ts"
    ))
    .unwrap();
    assert!(declarations.contains("code: ErrorCode;"));
    assert!(
        !declarations.contains("type ErrorCode"),
        "ErrorCode is declared by ErrorCode::TYPESCRIPT_DECLARATION"
    );
}
