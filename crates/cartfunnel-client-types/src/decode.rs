//! Reading API answers: bare customer objects and pages, and whole responses (status and
//! body) into typed results.
//!
//! Two layers:
//!
//! * [`customer`] and [`customer_list`] read a body that is known to be a customer object or
//!   a list of them. Errors name the field (`created_at`, `[41].tax_exempt`).
//! * [`customer_response`], [`customer_page_response`] and [`json_response`] read a whole
//!   answer and apply the vendor's rules: 403 is [`ApiError::Forbidden`]; a 2xx whose object
//!   has `persisted` false or an `errors` attribute with messages is [`ApiError::NotSaved`] (the
//!   vendor answers 200 for a failed save, and its own example of one says
//!   `"persisted": "true"` next to `errors`, so either sign is enough); any other non-2xx
//!   status is [`ApiError::Status`] with its body. The [endpoints](crate::request) call these.
//!
//! Bodies larger than [`MAX_BODY_BYTES`] are refused before parsing, and JSON nested deeper
//! than 128 levels is refused by the parser: no input makes these functions panic or
//! overflow the stack.

use serde::de::DeserializeOwned;
use serde_json::Value;

use cartwire_core::scalar::parse_flag;
use cartwire_core::{Error, Limit, LimitExceeded};

use crate::{ApiError, Customer, CustomerPage};

/// The largest body the decoders read, in bytes (16 MiB: a full page of 100 customers is
/// well under 100 KiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

fn check_size(body: &[u8]) -> Result<(), Error> {
    if body.len() > MAX_BODY_BYTES {
        return Err(LimitExceeded::new(Limit::Bytes, MAX_BODY_BYTES).into());
    }
    Ok(())
}

/// Parses JSON into `T`, naming the field at fault, and refusing trailing garbage.
///
/// Tracking the field path costs a `String` per map key, so the first attempt does not track
/// it; only a body that failed is parsed again, with the path, to name the field (the same
/// input fails the same way the second time).
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    check_size(body)?;
    // The body is checked as UTF-8 once, in one pass, so that the parser reads it as text and
    // does not check every string again (a call per string and key: 6% of a page's time). A
    // body that is not UTF-8 goes to the path below, whose error says where.
    if let Ok(text) = std::str::from_utf8(body) {
        let mut de = serde_json::Deserializer::from_str(text);
        if let Ok(value) = T::deserialize(&mut de)
            && de.end().is_ok()
        {
            return Ok(value);
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let wire = number_ending_at(body, err.inner().line(), err.inner().column());
        let mut error = cartwire_core::from_path_error(err);
        // Only where the refusal is about a number serde_json rounded (an integer field
        // given a float): that message cannot quote the wire text itself.
        if let (Some(wire), Error::Malformed { problem, .. }) = (wire, &mut error)
            && problem.contains(cartwire_core::scalar::FLOAT_REFUSED)
        {
            problem.push_str(&format!(" (the number on the wire: {wire})"));
        }
        error
    })?;
    de.end().map_err(|e| Error::malformed("", e))?;
    Ok(value)
}

/// The JSON number that ends where `serde_json` reported an error (`line` and `column` are
/// 1-based; the position may be past the white space and the `,`, `}` or `]` after the
/// number), so that a refused number is quoted as it was sent, not as the `f64` serde_json
/// made of it. `None` when no number ends there, or when it is too long to quote usefully.
fn number_ending_at(body: &[u8], line: usize, column: usize) -> Option<&str> {
    let line_start = if line <= 1 {
        0
    } else {
        body.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map(|(at, _)| at + 1)?
    };
    let end = line_start.checked_add(column)?.min(body.len());
    let mut before = body.get(..end)?;
    while let Some((last, rest)) = before.split_last()
        && matches!(last, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'}' | b']')
        && end - rest.len() <= 64
    {
        before = rest;
    }
    let start = before
        .iter()
        .rposition(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .map_or(0, |at| at + 1);
    let token = before.get(start..)?;
    let is_number = matches!(token.first(), Some(b'0'..=b'9' | b'-'))
        && token.last().is_some_and(u8::is_ascii_digit)
        && token.len() <= 80;
    if is_number {
        std::str::from_utf8(token).ok()
    } else {
        None
    }
}

/// Reads one customer object (the body of `GET /customers/:id.json`, say), leniently.
///
/// This reads the object as it is, `persisted` and `errors` included; to treat a failed save
/// as an error, use [`customer_response`].
///
/// # Errors
///
/// [`Error::Malformed`] naming the field, or [`Error::Limit`] for an oversized body.
pub fn customer(json: &[u8]) -> Result<Customer, Error> {
    parse(json)
}

/// Reads a list of customer objects (the body of `GET /customers.json`).
///
/// # Errors
///
/// [`Error::Malformed`] naming the element and field (`[3].created_at`), or
/// [`Error::Limit`] for an oversized body.
pub fn customer_list(json: &[u8]) -> Result<Vec<Customer>, Error> {
    parse(json)
}

/// Reads any JSON document (an undocumented resource's body, a webhook).
///
/// # Errors
///
/// [`Error::Malformed`] for bad JSON, [`Error::Limit`] for an oversized body.
pub fn json(body: &[u8]) -> Result<Value, Error> {
    parse(body)
}

/// The messages of an `errors` attribute: an array's strings in order (other elements as
/// their JSON text, nulls skipped), a Rails-style object's `"attribute message"` pairs (the
/// attribute `base` adds nothing), or a single string.
pub fn error_messages(errors: &Value) -> Vec<String> {
    fn text(value: &Value) -> Option<String> {
        match value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
    match errors {
        Value::Null => Vec::new(),
        Value::Array(items) => items.iter().filter_map(text).collect(),
        Value::Object(fields) => {
            let mut out = Vec::new();
            for (attribute, value) in fields {
                let messages = match value {
                    Value::Array(items) => items.iter().filter_map(text).collect(),
                    other => text(other).into_iter().collect::<Vec<_>>(),
                };
                for message in messages {
                    if attribute == "base" {
                        out.push(message);
                    } else {
                        out.push(format!("{attribute} {message}"));
                    }
                }
            }
            out
        }
        other => text(other).into_iter().collect(),
    }
}

/// When `object` is a record that was not saved, its messages (possibly none); `None` when it
/// was saved or is not an object.
///
/// Not saved means `persisted` reads as false (`"false"`, `false`, `"0"`, `0`, as
/// [`parse_flag`] reads flags; an empty string says nothing) or the `errors` attribute
/// carries at least one message (see [`error_messages`]; `[]` and `null` carry none). This is
/// the same rule as [`Customer::is_saved`].
pub fn not_saved(object: &Value) -> Option<Vec<String>> {
    let Value::Object(fields) = object else {
        return None;
    };
    let persisted_false = match fields.get("persisted") {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => !s.trim().is_empty() && parse_flag(s) == Ok(false),
        Some(Value::Number(n)) => n.as_u64() == Some(0),
        _ => false,
    };
    let messages = fields.get("errors").map(error_messages).unwrap_or_default();
    (persisted_false || !messages.is_empty()).then_some(messages)
}

/// Sorts out the status: 2xx goes on, 403 and the rest are errors with their body.
fn check_status(status: u16, body: &[u8]) -> Result<(), ApiError> {
    match status {
        200..=299 => Ok(()),
        403 => Err(ApiError::Forbidden {
            body: String::from_utf8_lossy(body).into_owned(),
        }),
        _ => Err(ApiError::Status {
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        }),
    }
}

/// Reads a 2xx body as JSON and refuses an unsaved record.
fn saved_json(status: u16, body: &[u8]) -> Result<Value, ApiError> {
    check_status(status, body)?;
    let value = json(body)?;
    if let Some(messages) = not_saved(&value) {
        return Err(ApiError::NotSaved {
            messages,
            record: Box::new(value),
        });
    }
    Ok(value)
}

/// Reads the answer to a get, create or update of one customer.
///
/// # Errors
///
/// [`ApiError::Forbidden`] (403), [`ApiError::Status`] (other non-2xx),
/// [`ApiError::NotSaved`] (a failed save), [`ApiError::Decode`] (a body that is not a
/// customer, naming the field).
pub fn customer_response(status: u16, body: &[u8]) -> Result<Customer, ApiError> {
    check_status(status, body)?;
    // The common case in one pass: a saved customer.
    if let Ok(customer) = customer(body)
        && customer.is_saved()
    {
        return Ok(customer);
    }
    // Otherwise look at the JSON as it is, to tell a refused save from a malformed body.
    saved_json(status, body)?;
    // Saved, so the one-pass read failed on the body itself: read it again for the error
    // naming the field and quoting the wire text.
    Ok(customer(body)?)
}

/// Reads the answer to `GET /customers.json?page=N`.
///
/// # Errors
///
/// [`ApiError::Forbidden`], [`ApiError::Status`], or [`ApiError::Decode`] naming the element
/// and field.
pub fn customer_page_response(
    page: u32,
    status: u16,
    body: &[u8],
) -> Result<CustomerPage, ApiError> {
    check_status(status, body)?;
    let customers = customer_list(body)?;
    Ok(CustomerPage::new(page, customers))
}

/// Reads the answer of any resource as JSON (`null` for an empty 2xx body, as a DELETE may
/// give), refusing an unsaved record like the typed endpoints do.
///
/// # Errors
///
/// [`ApiError::Forbidden`], [`ApiError::Status`], [`ApiError::NotSaved`], or
/// [`ApiError::Decode`] for a body that is not JSON.
pub fn json_response(status: u16, body: &[u8]) -> Result<Value, ApiError> {
    if (200..=299).contains(&status) && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    saved_json(status, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_integer_field_keeps_its_number_exactly_or_refuses_it_quoting_the_wire() {
        let read = |id: &str, cents: &str| {
            let body = format!(
                "{{\n  \"id\": {id},\n  \"email\": \"a@example.com\",\n  \"total_spent_cents\": {cents}\n}}"
            );
            (
                customer(body.as_bytes()),
                customer_response(200, body.as_bytes()),
            )
        };
        // 64-bit integers, at both ends, are read exactly.
        let (c, r) = read("18446744073709551615", "-9223372036854775808");
        let c = c.unwrap();
        assert_eq!((c.id, c.total_spent_cents), (u64::MAX, Some(i64::MIN)));
        assert_eq!(r.unwrap(), c);
        let (c, _) = read("9007199254740993", "9007199254740993");
        assert_eq!(c.unwrap().id, 9_007_199_254_740_993);
        // Anything serde_json hands over as a float is refused, naming the field and quoting
        // the number as it was sent (never the f64 serde_json made of it).
        for (id, cents, field, wire) in [
            (
                "12345678901234567890123",
                "1",
                "id",
                "12345678901234567890123",
            ),
            ("9007199254740993.0", "1", "id", "9007199254740993.0"),
            ("1e3", "1", "id", "1e3"),
            (
                "7",
                "123456789012345678901234567",
                "total_spent_cents",
                "123456789012345678901234567",
            ),
            ("7", "-0.5", "total_spent_cents", "-0.5"),
            (
                "7",
                "1000.0000000000000001",
                "total_spent_cents",
                "1000.0000000000000001",
            ),
        ] {
            let (c, r) = read(id, cents);
            let ApiError::Decode(from_response) = r.unwrap_err() else {
                panic!("a malformed customer is ApiError::Decode");
            };
            for err in [c.unwrap_err(), from_response] {
                assert_eq!(err.field(), Some(field), "{err}");
                let message = err.to_string();
                assert!(message.contains("expected an integer"), "{message}");
                assert!(
                    message.contains(&format!("(the number on the wire: {wire})")),
                    "{message}"
                );
            }
        }
        // A string that is not a number is quoted by the scalar reader itself, not twice.
        let err = read("\"x7\"", "1").0.unwrap_err();
        assert!(!err.to_string().contains("on the wire"), "{err}");
        // Page elements too.
        let err = customer_list(br#"[{"id":1},{"id":2.5}]"#).unwrap_err();
        assert_eq!(err.field(), Some("[1].id"));
        assert!(
            err.to_string().contains("(the number on the wire: 2.5)"),
            "{err}"
        );
    }

    #[test]
    fn the_number_at_an_error_position() {
        assert_eq!(number_ending_at(b"{\"a\":12.5e3}", 1, 11), Some("12.5e3"));
        assert_eq!(number_ending_at(b"[1,\n-2]", 2, 2), Some("-2"));
        // Not a number there, or a line that does not exist: nothing, never a panic; a
        // column past the end stops at the end.
        assert_eq!(number_ending_at(b"{\"a\":\"12\"}", 1, 10), None);
        assert_eq!(number_ending_at(b"[1]", 9, 9), None);
        assert_eq!(number_ending_at(b"[1]", 1, usize::MAX), Some("1"));
        assert_eq!(number_ending_at(b"[\"x\"]", 1, usize::MAX), None);
        assert_eq!(number_ending_at(b"", 0, 0), None);
        assert_eq!(number_ending_at(b"12", 1, 99), Some("12"));
        // serde_json may report the position past the white space and closing bracket.
        assert_eq!(number_ending_at(b"{\"a\": 1.5\n}", 2, 1), Some("1.5"));
        assert_eq!(number_ending_at(b"[1 , 2]", 1, 4), Some("1"));
    }

    #[test]
    fn error_messages_of_every_shape() {
        assert_eq!(
            error_messages(&json!(["An error has occurred", null, 3])),
            ["An error has occurred", "3"]
        );
        let mut rails =
            error_messages(&json!({"email": ["is invalid", "is taken"], "base": "Locked"}));
        rails.sort();
        assert_eq!(rails, ["Locked", "email is invalid", "email is taken"]);
        assert_eq!(error_messages(&json!("Nope")), ["Nope"]);
        assert!(error_messages(&json!(null)).is_empty());
        assert_eq!(error_messages(&json!({"a": {"b": 1}})), [r#"a {"b":1}"#]);
    }

    #[test]
    fn not_saved_reads_either_sign() {
        assert_eq!(not_saved(&json!({"persisted": "true"})), None);
        assert_eq!(not_saved(&json!({"persisted": "true", "errors": []})), None);
        assert_eq!(
            not_saved(&json!({"persisted": "true", "errors": null})),
            None
        );
        assert_eq!(not_saved(&json!({"persisted": "maybe"})), None);
        assert_eq!(not_saved(&json!({"persisted": ""})), None);
        assert_eq!(not_saved(&json!({"errors": [null]})), None);
        assert_eq!(not_saved(&json!({"errors": {}})), None);
        assert_eq!(not_saved(&json!([{"persisted": "false"}])), None);
        for object in [
            json!({"persisted": "false"}),
            json!({"persisted": false}),
            json!({"persisted": " FALSE "}),
            json!({"persisted": "0"}),
            json!({"persisted": "no"}),
            json!({"persisted": 0}),
        ] {
            assert_eq!(not_saved(&object), Some(vec![]), "{object}");
        }
        assert_eq!(
            not_saved(&json!({"persisted": "true", "errors": ["An error has occurred"]})),
            Some(vec!["An error has occurred".to_owned()])
        );
        assert_eq!(
            not_saved(&json!({"errors": true})),
            Some(vec!["true".to_owned()])
        );
    }

    #[test]
    fn statuses() {
        assert!(matches!(
            customer_response(403, b"Forbidden"),
            Err(ApiError::Forbidden { body }) if body == "Forbidden"
        ));
        assert!(matches!(
            customer_response(404, b"{\"error\":\"Not found\"}"),
            Err(ApiError::Status { status: 404, .. })
        ));
        assert!(matches!(
            customer_response(500, b"\xff\xfe"),
            Err(ApiError::Status { status: 500, body }) if body == "\u{fffd}\u{fffd}"
        ));
        assert!(matches!(
            customer_page_response(2, 401, b""),
            Err(ApiError::Status { status: 401, .. })
        ));
        assert_eq!(json_response(204, b""), Ok(Value::Null));
        assert_eq!(json_response(200, b" \n"), Ok(Value::Null));
        assert!(matches!(
            json_response(404, b""),
            Err(ApiError::Status { status: 404, .. })
        ));
        assert_eq!(json_response(201, b"[1]"), Ok(json!([1])));
    }

    #[test]
    fn trailing_garbage_and_oversize_are_refused() {
        let err = customer(br#"{"id": 1} {"id": 2}"#).unwrap_err();
        assert!(err.to_string().contains("trailing"), "{err}");
        let huge = vec![b' '; MAX_BODY_BYTES + 1];
        assert!(matches!(customer(&huge), Err(Error::Limit(_))));
        assert!(matches!(
            json_response(200, &[b'1'; MAX_BODY_BYTES + 1]),
            Err(ApiError::Decode(Error::Limit(_)))
        ));
    }
}
