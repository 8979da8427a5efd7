//! Malformed and hostile input: every failure is a typed error naming the field; nothing
//! panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfreak_notify::{decode, decode_url, samples};
use cartwire_core::{Error, ErrorKind, Limit};

fn err(input: &[u8]) -> Error {
    decode(input).expect_err("should fail")
}

#[test]
fn missing_command() {
    assert_eq!(
        err(b"billing_id=224&email=user%40domain.com"),
        Error::missing("command")
    );
    assert_eq!(err(b"command"), Error::malformed("command", "empty"));
    assert_eq!(err(b"http://x.test/script.php"), Error::missing("command"));
    assert_eq!(err(b"&&&"), Error::missing("command"));
    assert_eq!(
        err(b"command=CREATE").to_string(),
        "field `amount`: missing"
    );
}

#[test]
fn bad_decimals_name_the_field() {
    for field in ["amount", "fee", "total"] {
        for bad in ["", "abc", "1,5", "1e3", "19.95USD", "--1", "%E2%82%AC5"] {
            let wire = samples::CREATE_QUERY
                .replace(&format!("&{field}="), &format!("&{field}={bad}&x_{field}="));
            let e = err(wire.as_bytes());
            assert_eq!(e.kind(), ErrorKind::Malformed, "{field}={bad}");
            assert_eq!(e.field(), Some(field), "{field}={bad}: {e}");
        }
        let without = samples::CREATE_QUERY
            .split('&')
            .filter(|pair| !pair.starts_with(&format!("{field}=")))
            .collect::<Vec<_>>()
            .join("&");
        assert_eq!(err(without.as_bytes()), Error::missing(field));
    }
}

#[test]
fn duplicated_command() {
    let e = err(b"command=CREATE&command=REMOVE&billing_id=1");
    assert_eq!(e.field(), Some("command"));
    assert!(e.to_string().contains("repeated"), "{e}");
    // Even when the repeat is percent-encoded differently.
    let e = err(b"command=REMOVE&comm%61nd=REMOVE");
    assert_eq!(e.field(), Some("command"));
    // A repeated hash is a forgery attempt, not a second chance.
    let wire = format!("{}&hash=00", samples::CREATE_FORM);
    assert_eq!(err(wire.as_bytes()).field(), Some("hash"));
}

#[test]
fn non_utf8_and_truncated_input() {
    assert_eq!(err(b"command=REMOVE&email=%FF%FE").field(), Some("email"));
    assert_eq!(err(b"command=REMOVE&email=\xff").field(), Some("email"));
    // A UTF-8 sequence cut in the middle (the body truncated by a proxy).
    assert_eq!(
        err(b"command=CREATE&first_name=%D0%98%D0").field(),
        Some("first_name")
    );
    assert_eq!(
        err(b"http://x.test/\xff?command=REMOVE").kind(),
        ErrorKind::Malformed
    );
    // Every prefix of every sample either decodes or fails with a typed error.
    for (_, wire) in samples::ALL {
        for end in 0..=wire.len() {
            let _ = decode(&wire.as_bytes()[..end]);
        }
    }
}

#[test]
fn hostile_sizes() {
    let huge = vec![b'a'; (1 << 20) + 1];
    assert!(matches!(err(&huge), Error::Limit(l) if l.limit == Limit::Bytes));

    let mut many = String::from("command=REMOVE");
    for i in 0..10_001 {
        many.push_str(&format!("&k{i}=v"));
    }
    assert!(matches!(err(many.as_bytes()), Error::Limit(l) if l.limit == Limit::Pairs));

    // CartFreak's keys are flat, so a bracket-heavy key is one long name, bounded by the byte
    // limit like everything else, and kept.
    let deep_key = format!("a{}", "[x]".repeat(10_000));
    let deep = format!("command=REMOVE&{deep_key}=1");
    let received = decode(deep.as_bytes()).unwrap();
    assert_eq!(
        received
            .notification
            .extra()
            .get(&deep_key)
            .map(String::as_str),
        Some("1")
    );

    // A long value within the limits is fine, and kept whole.
    let long = format!("command=REMOVE&billing_id=1&email={}", "e".repeat(500_000));
    assert_eq!(
        decode(long.as_bytes())
            .unwrap()
            .notification
            .email()
            .unwrap()
            .len(),
        500_000
    );

    let huge_url = format!(
        "https://x.test/?command=REMOVE&email={}",
        "a".repeat(1 << 20)
    );
    assert_eq!(err(huge_url.as_bytes()).kind(), ErrorKind::LimitExceeded);
}

#[test]
fn bad_urls() {
    for bad in [
        "http://",
        "http://?command=REMOVE",
        "http://[::1?command=REMOVE",
        "https://exa mple.com/?command=REMOVE",
    ] {
        let e = decode_url(bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Malformed, "{bad}");
    }
    assert_eq!(
        decode_url("ftp://x.test/?command=REMOVE")
            .unwrap_err()
            .field(),
        Some("api_url")
    );
}
