//! The form codec against real PHP 8.2: `parse_str` and `http_build_query` over a seeded
//! corpus (`tests/php/corpus.jsonl`, written by `tests/php/generate.php`, which the README's
//! development section tells how to run). Nothing here runs PHP: the expected results are the
//! committed file.
//!
//! Every case carries the rule that decides it:
//!
//! * `agree`: realistic vendor bodies, random bracket keys (raw and `%5B`/`%5D`, either case),
//!   needless escapes, `+` and `%20`, invalid escapes, appends, deep and wide forms, empty
//!   names. Decoding gives PHP's tree exactly, in PHP's order; `encode_map` of it gives
//!   `http_build_query`'s string exactly; flat bodies give the same through `parse_pairs`.
//!
//! and the deliberate differences, each by name:
//!
//! * `flat_key`: a name PHP rewrites (`a[b`, `a.b`, `a b`, `[x]`, `a[b]c`, a leading space, a
//!   NUL) is kept as sent: as a flat key when it is not exactly `name[seg]…`, and with its
//!   base name untouched when it is. Rule: names are data, and a hash over the raw pairs must
//!   see what was sent. The rest of the body decodes as PHP decodes it.
//! * `blank_segment`: a segment of one whitespace byte (`a[ ]`, `a[%09]`) is a name like any
//!   other; PHP takes it for `[]` and appends. Rule: only `[]` appends.
//! * `negative_index`: `-2` is a name, as `07` is, so `a[-2]=x&a[]=y` appends `y` at 0 (after
//!   the highest index that is not negative); PHP 8.2 counts on from a negative first index
//!   (`-1`). Rule: list indexes are the non-negative canonical integers
//!   ([`cartwire_core::form::list_index`]).
//! * `repeated_key`: a key sent twice, or used both as a value and as a nested key, is refused
//!   by default ([`Duplicates::Reject`]: a hash over one value and a use of another is a
//!   forgery); [`Duplicates::LastWins`] gives exactly PHP's result.
//! * `limit_depth`, `limit_index`, `limit_pairs`: refused with the named [`Limit`] under the
//!   default [`Limits`]; with the limits raised to PHP's own (nesting 64), PHP's result exactly.
//!   An index past `u64` is refused whatever the limits (PHP makes it a name).
//! * `strict_utf8`: bytes that are not UTF-8 after decoding are refused as malformed (PHP keeps
//!   the bytes; its result is not even representable as text).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use cartwire_core::Error;
use cartwire_core::error::Limit;
use cartwire_core::form::{
    Duplicates, Form, FormMap, FormValue, Limits, Options, encode_map, parse_pairs,
};
use serde_json::{Value, json};

const CORPUS: &str = include_str!("php/corpus.jsonl");

struct Case {
    name: String,
    rule: String,
    input: String,
    /// `parse_str`'s result as `[[key, value], …]`; null when it is not UTF-8.
    php: Value,
    /// `http_build_query` of that result.
    query: String,
}

fn corpus() -> Vec<Case> {
    CORPUS
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap();
            Case {
                name: v["name"].as_str().unwrap().to_owned(),
                rule: v["rule"].as_str().unwrap().to_owned(),
                input: v["input"].as_str().unwrap().to_owned(),
                php: v["php"].clone(),
                query: v["query"].as_str().unwrap().to_owned(),
            }
        })
        .collect()
}

/// A tree in the corpus's shape: text, or `[[key, value], …]` in order.
fn shape(map: &FormMap<'_>) -> Value {
    Value::Array(
        map.iter()
            .map(|(k, v)| {
                json!([
                    k,
                    match v {
                        FormValue::Text(t) => json!(t),
                        FormValue::Map(m) => shape(m),
                    }
                ])
            })
            .collect(),
    )
}

fn decode(input: &str, options: &Options) -> Result<Value, Error> {
    Form::parse_with(input.as_bytes(), options).map(|form| shape(form.tree()))
}

fn encode(input: &str, options: &Options) -> String {
    encode_map(Form::parse_with(input.as_bytes(), options).unwrap().tree())
}

fn raised() -> Options {
    let mut limits = Limits::default();
    limits.max_depth = 64;
    limits.max_index = u64::MAX;
    limits.max_pairs = 100_000;
    limits.max_list_len = 100_000;
    Options::default().limits(limits)
}

fn check_agree(case: &Case) {
    let options = Options::default();
    let ours = decode(&case.input, &options)
        .unwrap_or_else(|e| panic!("{}: PHP decodes it, we fail: {e}", case.name));
    assert_eq!(
        ours, case.php,
        "{}: decode differs from parse_str",
        case.name
    );
    assert_eq!(
        encode(&case.input, &options),
        case.query,
        "{}: encode_map differs from http_build_query",
        case.name
    );
    // A flat body: the pairs alone are PHP's result too.
    let php = case.php.as_array().unwrap();
    if php.iter().all(|kv| kv[1].is_string())
        && !case.input.contains('[')
        && !case.input.contains("%5")
    {
        let pairs = parse_pairs(case.input.as_bytes(), &options).unwrap();
        let pairs: Vec<Value> = pairs.iter().map(|(k, v)| json!([k, v])).collect();
        assert_eq!(
            &pairs, php,
            "{}: parse_pairs differs from parse_str",
            case.name
        );
    }
}

fn check_flat_key(case: &Case) {
    let ours = decode(&case.input, &Options::default())
        .unwrap_or_else(|e| panic!("{}: an odd name must decode: {e}", case.name));
    assert_ne!(
        ours, case.php,
        "{}: PHP agrees, so the case needs no rule",
        case.name
    );
    let php: BTreeMap<String, Value> = case
        .php
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| (kv[0].as_str().unwrap().to_owned(), kv[1].clone()))
        .collect();
    let odd_raw = case
        .input
        .split('&')
        .next()
        .unwrap()
        .split('=')
        .next()
        .unwrap();
    let odd = percent_decode(odd_raw);
    let mut kept_as_sent = 0;
    for kv in ours.as_array().unwrap() {
        let key = kv[0].as_str().unwrap();
        match php.get(key) {
            Some(value) if *value == kv[1] => {}
            _ => {
                assert!(
                    odd.starts_with(key),
                    "{}: `{key}` differs from PHP but is not the odd name {odd:?}",
                    case.name
                );
                kept_as_sent += 1;
            }
        }
    }
    assert_eq!(
        kept_as_sent, 1,
        "{}: the odd name is kept once, as sent",
        case.name
    );
}

fn check_blank_segment(case: &Case) {
    let ours = decode(&case.input, &Options::default()).unwrap();
    assert_ne!(
        ours, case.php,
        "{}: PHP agrees, so the case needs no rule",
        case.name
    );
    let blank = percent_decode(case.input.split('&').nth(1).unwrap())
        .trim_start_matches("a[")
        .chars()
        .next()
        .unwrap()
        .to_string();
    let form = Form::parse(case.input.as_bytes()).unwrap();
    let a = form.tree().get("a").and_then(FormValue::as_map).unwrap();
    assert_eq!(
        a.get_text(&blank),
        Some("2"),
        "{}: kept as a name",
        case.name
    );
}

fn check_negative_index(case: &Case) {
    let ours = decode(&case.input, &Options::default()).unwrap();
    assert_ne!(
        ours, case.php,
        "{}: PHP agrees, so the case needs no rule",
        case.name
    );
    let form = Form::parse(case.input.as_bytes()).unwrap();
    let a = form.tree().get("a").and_then(FormValue::as_map).unwrap();
    assert_eq!(
        a.get_text("0"),
        Some("y"),
        "{}: the first append is at 0",
        case.name
    );
}

fn check_repeated(case: &Case) {
    let err = decode(&case.input, &Options::default()).unwrap_err();
    let Error::Malformed { problem, .. } = &err else {
        panic!("{}: expected a malformed error, got {err:?}", case.name);
    };
    assert!(
        problem.contains("repeated") || problem.contains("both as a value and as a nested key"),
        "{}: {problem}",
        case.name
    );
    let last_wins = Options::default().duplicates(Duplicates::LastWins);
    assert_eq!(
        decode(&case.input, &last_wins).unwrap(),
        case.php,
        "{}: LastWins differs from parse_str",
        case.name
    );
    assert_eq!(
        encode(&case.input, &last_wins),
        case.query,
        "{}: encode",
        case.name
    );
}

fn check_limit(case: &Case, limit: Limit) {
    match decode(&case.input, &Options::default()) {
        Err(Error::Limit(e)) => assert_eq!(e.limit, limit, "{}", case.name),
        other => panic!("{}: expected the {limit:?} limit, got {other:?}", case.name),
    }
    match decode(&case.input, &raised()) {
        Ok(ours) => {
            assert_eq!(ours, case.php, "{}: with PHP's limits", case.name);
            assert_eq!(encode(&case.input, &raised()), case.query, "{}", case.name);
        }
        Err(Error::Limit(e)) if e.limit == Limit::Index => {
            // Only an index that does not fit u64 stays refused.
            let at = e.at.unwrap_or_default();
            assert!(
                at.split(['[', ']'])
                    .any(|s| s.len() > 19 && s.bytes().all(|b| b.is_ascii_digit())),
                "{}: {at}",
                case.name
            );
        }
        Err(e) => panic!("{}: with PHP's limits: {e}", case.name),
    }
}

fn check_strict_utf8(case: &Case) {
    assert!(
        case.php.is_null(),
        "{}: PHP's result is UTF-8, so the case needs no rule",
        case.name
    );
    match decode(&case.input, &Options::default()) {
        Err(Error::Malformed { problem, .. }) => {
            assert!(problem.contains("UTF-8"), "{}: {problem}", case.name)
        }
        other => panic!("{}: expected a UTF-8 error, got {other:?}", case.name),
    }
}

/// The corpus's own decoding of a raw key, for naming the odd key (ASCII escapes only).
fn percent_decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) if hex.iter().all(u8::is_ascii_hexdigit) => {
                out.push(u8::from_str_radix(std::str::from_utf8(hex).unwrap(), 16).unwrap());
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_form_codec_agrees_with_php_or_differs_by_a_named_rule() {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for case in corpus() {
        match case.rule.as_str() {
            "agree" => check_agree(&case),
            "flat_key" => check_flat_key(&case),
            "blank_segment" => check_blank_segment(&case),
            "negative_index" => check_negative_index(&case),
            "repeated_key" => check_repeated(&case),
            "limit_depth" => check_limit(&case, Limit::Depth),
            "limit_index" => check_limit(&case, Limit::Index),
            "limit_pairs" => check_limit(&case, Limit::Pairs),
            "strict_utf8" => check_strict_utf8(&case),
            other => panic!("{}: unknown rule {other}", case.name),
        }
        *seen.entry(case.rule).or_default() += 1;
    }
    // Every rule is exercised, and the agreeing part is the bulk of the corpus.
    for rule in [
        "agree",
        "flat_key",
        "blank_segment",
        "negative_index",
        "repeated_key",
        "limit_depth",
        "limit_index",
        "limit_pairs",
        "strict_utf8",
    ] {
        assert!(
            seen.get(rule).copied().unwrap_or(0) > 0,
            "no case of {rule}"
        );
    }
    assert!(seen["agree"] > 300, "{seen:?}");
}
