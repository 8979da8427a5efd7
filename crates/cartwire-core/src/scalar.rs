//! Lenient scalars: the parsing tricks every PHP-era sender needs, once.
//!
//! Real senders are PHP scripts. Numbers arrive as strings, flags as `"0"`/`"1"`, missing
//! values as `""` or the literal `"null"`, dates in three formats including a zero date and a
//! glued one. This module has two layers:
//!
//! * plain functions (`parse_decimal`, `parse_flag`, `parse_naive_datetime`, …) on `&str`, for
//!   code that has the raw wire text in hand;
//! * serde helpers for `#[serde(with = "…")]`, which accept a string **or** an integer (or
//!   a bool, or null) from any self-describing format: JSON, and the form tree of
//!   [`crate::form`]. Their `serialize` half writes the canonical JSON form: decimals as
//!   strings that keep the received scale (`"19.90"`), flags as booleans, times as RFC 3339.
//!
//! ```
//! use cartwire_core::scalar;
//! use rust_decimal::Decimal;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Line {
//!     #[serde(with = "scalar::decimal")]
//!     price: Decimal,
//!     #[serde(with = "scalar::flag")]
//!     digital: bool,
//!     #[serde(with = "scalar::int")]
//!     qty: u32,
//!     #[serde(with = "scalar::opt_string", default)]
//!     company: Option<String>,
//! }
//!
//! let line: Line = serde_json::from_str(
//!     r#"{"price": "19.90", "digital": "1", "qty": 2, "company": "null"}"#,
//! ).unwrap();
//! assert_eq!(line.price.to_string(), "19.90");
//! assert!(line.digital);
//! assert_eq!(line.qty, 2);
//! assert_eq!(line.company, None);
//! ```

use core::fmt;
use core::str::FromStr;
use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A scalar that could not be parsed; the message says what was expected and what came.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ScalarError(String);

impl ScalarError {
    fn expected(what: &str, found: &str) -> Self {
        let shown: String = found.chars().take(40).collect();
        let ellipsis = if found.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        ScalarError(format!("expected {what}, found {shown:?}{ellipsis}"))
    }
}

/// Whether a wire value means "no value": the empty string or the literal `null` (any case).
pub fn is_null_text(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text.eq_ignore_ascii_case("null")
}

/// Parses a decimal amount, keeping the text's scale (`"10.00"` stays `10.00`).
///
/// One normalization is unavoidable: [`Decimal`] has no negative zero, so `"-0.00"` reads as
/// `0.00` (the scale is kept). Code that must echo such text verbatim keeps the text.
///
/// Surrounding white space is ignored; exponents, thousands separators and commas are not
/// accepted (no vendor sends them, and guessing would be worse than failing).
pub fn parse_decimal(text: &str) -> Result<Decimal, ScalarError> {
    match short_plain_decimal(text) {
        Some(decimal) => Ok(decimal),
        None => general_decimal(text),
    }
}

/// [`parse_decimal`] for any spelling.
fn general_decimal(text: &str) -> Result<Decimal, ScalarError> {
    let trimmed = text.trim();
    let plain = !trimmed.is_empty()
        && trimmed
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || b == b'.' || (i == 0 && (b == b'-' || b == b'+')));
    if !plain {
        return Err(ScalarError::expected("a decimal number", text));
    }
    Decimal::from_str_exact(trimmed).map_err(|_| ScalarError::expected("a decimal number", text))
}

/// The common spelling of an amount (`19.95`, `0`, `-4.50`: digits, at most one point with
/// digits on both sides, an optional `-`, at most 18 bytes), read without the general parser.
/// It gives exactly what [`parse_decimal`]'s general path gives (a test holds it to that);
/// `None` for anything else, which that path then judges.
fn short_plain_decimal(text: &str) -> Option<Decimal> {
    let (negative, body) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    // At most 18 digits: the mantissa fits an i64 with room to spare.
    if body.is_empty() || body.len() > 18 {
        return None;
    }
    let mut mantissa: i64 = 0;
    let mut scale = None;
    for (i, &b) in body.iter().enumerate() {
        if b.is_ascii_digit() {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
        } else if b == b'.' && scale.is_none() && i > 0 && i + 1 < body.len() {
            scale = Some(body.len() - i - 1);
        } else {
            return None;
        }
    }
    // The general path's reading of `-0` (a zero with its sign) is left to it.
    if negative && mantissa == 0 {
        return None;
    }
    let scale = u32::try_from(scale.unwrap_or(0)).ok()?;
    Decimal::try_new(if negative { -mantissa } else { mantissa }, scale).ok()
}

/// Parses a flag: `"1"`, `"true"`, `"yes"`, `"on"` are true; `"0"`, `"false"`, `"no"`,
/// `"off"` and `""` are false (case-insensitive, white space ignored).
pub fn parse_flag(text: &str) -> Result<bool, ScalarError> {
    let t = text.trim();
    if t == "1"
        || ["true", "yes", "on"]
            .iter()
            .any(|w| t.eq_ignore_ascii_case(w))
    {
        Ok(true)
    } else if t.is_empty()
        || t == "0"
        || ["false", "no", "off"]
            .iter()
            .any(|w| t.eq_ignore_ascii_case(w))
    {
        Ok(false)
    } else {
        Err(ScalarError::expected("a flag (0/1/true/false)", text))
    }
}

/// Parses an integer from its decimal text (white space ignored, leading zeros allowed).
pub fn parse_int<T: FromStr>(text: &str) -> Result<T, ScalarError> {
    text.trim()
        .parse()
        .map_err(|_| ScalarError::expected("an integer", text))
}

const NAIVE: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const NAIVE_T: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const GLUED: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day][hour]:[minute]:[second]");
const DATE_ONLY: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Parses a wall-clock `YYYY-MM-DD HH:MM:SS` time (no zone on the wire).
///
/// Also accepted: the glued form `2013-02-0904:30:25` (Cartloom's own sample), a `T`
/// separator, and a bare date (midnight). `""`, `null` and the MySQL zero date
/// `0000-00-00 00:00:00` (or `0000-00-00`) mean "no date" and give `None`.
pub fn parse_naive_datetime(text: &str) -> Result<Option<PrimitiveDateTime>, ScalarError> {
    let t = text.trim();
    if is_null_text(t) || t.starts_with("0000-00-00") {
        return Ok(None);
    }
    if let Some(parsed) = naive_digits(t) {
        return Ok(Some(parsed));
    }
    for format in [NAIVE, NAIVE_T, GLUED] {
        if let Ok(parsed) = PrimitiveDateTime::parse(t, format) {
            return Ok(Some(parsed));
        }
    }
    if let Ok(date) = time::Date::parse(t, DATE_ONLY) {
        return Ok(Some(date.midnight()));
    }
    Err(ScalarError::expected(
        "a date and time YYYY-MM-DD HH:MM:SS",
        text,
    ))
}

/// The three full spellings read by hand: `YYYY-MM-DD HH:MM:SS`, with `T` for the space, or
/// glued. The format descriptions above read these too, but try each in turn; this is the
/// quick way for what senders write. `None` for anything else (another shape, a sign, a
/// date or time out of range), which the format descriptions then judge: a time read here is
/// always the one they would read.
fn naive_digits(text: &str) -> Option<PrimitiveDateTime> {
    let bytes = text.as_bytes();
    let (date, time) = match bytes.len() {
        19 if matches!(bytes.get(10), Some(b' ' | b'T')) => (bytes.get(..10)?, bytes.get(11..)?),
        18 => bytes.split_at_checked(10)?,
        _ => return None,
    };
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *date else {
        return None;
    };
    let [h1, h2, b':', n1, n2, b':', s1, s2] = *time else {
        return None;
    };
    let digits = |pair: [u8; 2]| -> Option<u8> {
        let [a, b] = pair;
        (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
    };
    let year = i32::from(digits([y1, y2])?) * 100 + i32::from(digits([y3, y4])?);
    let month = time::Month::try_from(digits([m1, m2])?).ok()?;
    let date = time::Date::from_calendar_date(year, month, digits([d1, d2])?).ok()?;
    let time =
        time::Time::from_hms(digits([h1, h2])?, digits([n1, n2])?, digits([s1, s2])?).ok()?;
    Some(PrimitiveDateTime::new(date, time))
}

/// Writes a wall-clock time the way PHP senders do: `YYYY-MM-DD HH:MM:SS`, and the zero date
/// for `None`.
pub fn format_naive_datetime(value: Option<PrimitiveDateTime>) -> String {
    match value.and_then(|v| v.format(NAIVE).ok()) {
        Some(text) => text,
        None => "0000-00-00 00:00:00".to_owned(),
    }
}

/// Parses Unix seconds sent as text (`"1700000000"`); `""` and `null` give `None`.
pub fn parse_unix_seconds(text: &str) -> Result<Option<OffsetDateTime>, ScalarError> {
    let t = text.trim();
    if is_null_text(t) {
        return Ok(None);
    }
    let seconds: i64 = parse_int(t).map_err(|_| ScalarError::expected("Unix seconds", text))?;
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(Some)
        .map_err(|_| ScalarError::expected("Unix seconds in range", text))
}

/// Parses an RFC 3339 time (`2018-12-04T23:29:37.406-05:00`); `""` and `null` give `None`.
pub fn parse_rfc3339(text: &str) -> Result<Option<OffsetDateTime>, ScalarError> {
    let t = text.trim();
    if is_null_text(t) {
        return Ok(None);
    }
    OffsetDateTime::parse(t, &Rfc3339)
        .map(Some)
        .map_err(|_| ScalarError::expected("an RFC 3339 date-time", text))
}

/// Formats a time as RFC 3339 (the form the `cartwire` command prints).
///
/// RFC 3339 has no spelling for a year before 0 or after 9999, which Unix seconds can reach
/// (`-71204480000` is in the year -287): such a time is written in its `Debug` form, for
/// display only. Text that must read back uses [`try_format_rfc3339`].
pub fn format_rfc3339(value: OffsetDateTime) -> String {
    try_format_rfc3339(value).unwrap_or_else(|| format!("{value:?}"))
}

/// Formats a time as RFC 3339, or `None` when RFC 3339 cannot spell it (a year before 0 or
/// after 9999, or an offset with seconds).
///
/// ```
/// use cartwire_core::scalar::{parse_unix_seconds, try_format_rfc3339};
///
/// let t = parse_unix_seconds("1712044800")?.unwrap();
/// assert_eq!(try_format_rfc3339(t).as_deref(), Some("2024-04-02T08:00:00Z"));
/// let ancient = parse_unix_seconds("-71204480000")?.unwrap();
/// assert_eq!(try_format_rfc3339(ancient), None);
/// # Ok::<(), cartwire_core::scalar::ScalarError>(())
/// ```
pub fn try_format_rfc3339(value: OffsetDateTime) -> Option<String> {
    value.format(&Rfc3339).ok()
}

/// Any scalar a self-describing format can hand over, before a helper interprets it.
///
/// Deserialize a field as `Raw` when the helpers of this module do not fit and you need to see
/// what came: text, a number, a boolean or null (which stays distinct from `""`). Text
/// borrows from the input where the format allows.
///
/// ```
/// use cartwire_core::scalar::Raw;
///
/// let values: Vec<Raw> = serde_json::from_str(r#"["0001", 19.95, 7, true, null, ""]"#).unwrap();
/// let texts: Vec<String> = values.iter().map(|v| v.text().into_owned()).collect();
/// assert_eq!(texts, ["0001", "19.95", "7", "1", "", ""]);
/// assert!(values[4].is_null() && values[5].is_null());
/// assert_eq!(values[4], Raw::Null);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Raw<'de> {
    /// A string.
    Text(Cow<'de, str>),
    /// An integer (JSON number without a fraction).
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// `null`, or an absent optional value.
    Null,
}

impl Raw<'_> {
    /// The text PHP would have sent for this value: numbers as their shortest text
    /// (`19.95`, not `19.949999…`), booleans as `1`/`0`, null as `""`.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Raw::Text(t) => Cow::Borrowed(t),
            Raw::Int(i) => Cow::Owned(i.to_string()),
            // `{}` on f64 is the shortest text that reads back the same.
            Raw::Float(f) => Cow::Owned(f.to_string()),
            Raw::Bool(true) => Cow::Borrowed("1"),
            Raw::Bool(false) => Cow::Borrowed("0"),
            Raw::Null => Cow::Borrowed(""),
        }
    }

    /// Whether the value means "nothing": null, `""`, or the text `null` (see
    /// [`is_null_text`]).
    pub fn is_null(&self) -> bool {
        match self {
            Raw::Null => true,
            Raw::Text(t) => is_null_text(t),
            _ => false,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Raw::Text(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Raw::Int(v.into()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        Ok(Raw::Int(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Raw::Float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Raw<'de>, D::Error> {
    d.deserialize_any(RawVisitor)
}

/// Runs a text parser on any scalar, turning its error into the format's error.
fn parse_with<'de, D, T>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, ScalarError>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = scalar(d)?;
    not_a_float(&value, TEXT)?;
    with_text(&value, parse).map_err(de::Error::custom)
}

// [`FLOAT_REFUSED`] as a literal, for `concat!`.
macro_rules! float_refused_text {
    () => {
        "found a number with a fraction or an exponent, or past 64 bits"
    };
}

/// The words every refusal of a float says (the messages of [`int`], [`string`], [`decimal`]
/// and the other helpers, and of [`float_refused`]), so that a reader holding the wire text
/// can recognise the refusal and add the number as it was sent.
pub const FLOAT_REFUSED: &str = float_refused_text!();

/// What [`not_a_float`] says where an integer is expected.
const INTEGER: &str = concat!("expected an integer, ", float_refused_text!());

/// What [`not_a_float`] says where text (a string, a decimal, a flag, a time) is expected.
const TEXT: &str = concat!(
    "expected a string, ",
    float_refused_text!(),
    ", whose digits may have been rounded on the way: send it as a string (\"19.95\")"
);

/// The error for a float where text is expected: a self-describing format (JSON) hands over
/// any number that is not a 64-bit integer as the nearest `f64`, so its text is gone
/// (`0.1000000000000000055511151231257827` arrives as `0.1`, `9007199254740993.0` as
/// `9007199254740992`). What the helpers of this module answer, for a visitor of its own.
///
/// ```
/// use cartwire_core::scalar::{FLOAT_REFUSED, float_refused};
///
/// let err: serde_json::Error = float_refused();
/// assert!(err.to_string().contains(FLOAT_REFUSED));
/// assert!(err.to_string().contains("send it as a string"));
/// ```
pub fn float_refused<E: de::Error>() -> E {
    E::custom(TEXT)
}

/// Refuses a float (see [`float_refused`]): reading it as an integer, a decimal or a string
/// would round the value silently.
fn not_a_float<E: de::Error>(value: &Raw<'_>, message: &str) -> Result<(), E> {
    match value {
        Raw::Float(_) => Err(E::custom(message)),
        _ => Ok(()),
    }
}

/// Calls `f` with [`Raw::text`], writing a number's text on the stack instead of allocating
/// it (a JSON integer is at most 40 characters; a float's shortest text that does not fit
/// takes the allocating way).
fn with_text<R>(value: &Raw<'_>, f: impl FnOnce(&str) -> R) -> R {
    struct Stack {
        buf: [u8; 48],
        len: usize,
    }
    impl fmt::Write for Stack {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let end = self.len + s.len();
            let slot = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
            slot.copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let mut stack = Stack {
        buf: [0; 48],
        len: 0,
    };
    // An integer that fits 64 bits, digit by digit: the formatting machinery (and `i128`'s
    // slow Display) was 5% of the time of reading a Cartfunnel page, whose ids and counts
    // are all integers.
    if let Raw::Int(i) = value
        && let Ok(small) = i64::try_from(*i)
    {
        let mut digits = [0u8; 24];
        let start = write_i64(&mut digits, small);
        if let Some(Ok(text)) = digits.get(start..).map(std::str::from_utf8) {
            return f(text);
        }
    }
    let written = match value {
        Raw::Int(i) => fmt::Write::write_fmt(&mut stack, format_args!("{i}")).is_ok(),
        Raw::Float(x) => fmt::Write::write_fmt(&mut stack, format_args!("{x}")).is_ok(),
        _ => false,
    };
    match (written, stack.buf.get(..stack.len)) {
        (true, Some(bytes)) => match std::str::from_utf8(bytes) {
            Ok(text) => f(text),
            Err(_) => f(&value.text()),
        },
        _ => f(&value.text()),
    }
}

/// Writes `n` in decimal at the end of `buf` (at most 20 characters) and returns where the
/// text starts.
fn write_i64(buf: &mut [u8; 24], n: i64) -> usize {
    let mut at = buf.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            // `rest % 10` is one digit.
            #[allow(clippy::cast_possible_truncation)]
            let digit = (rest % 10) as u8;
            *slot = b'0' + digit;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'-';
        }
    }
    at
}

/// Like [`parse_with`], but `null`, `""` and `"null"` give `None`.
fn parse_opt_with<'de, D, T>(
    d: D,
    parse: impl FnOnce(&str) -> Result<T, ScalarError>,
) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    let value = scalar(d)?;
    if value.is_null() {
        return Ok(None);
    }
    not_a_float(&value, TEXT)?;
    with_text(&value, parse)
        .map(Some)
        .map_err(de::Error::custom)
}

/// A [`Decimal`] from a string or an integer, keeping the text's scale; serialized as a string.
pub mod decimal {
    use super::*;
    use serde::Serializer;

    /// Deserializes a decimal from `"19.95"` or an integer (`19`); a JSON `19.95` is refused,
    /// since it arrives as an `f64` whose digits may be rounded (see [`string`]).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        parse_with(d, parse_decimal)
    }

    /// Serializes as a string that keeps the scale (`"10.00"`).
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }
}

/// An optional [`Decimal`]: `null`, `""` and `"null"` are `None`.
pub mod opt_decimal {
    use super::*;
    use serde::Serializer;

    /// Deserializes an optional decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        parse_opt_with(d, parse_decimal)
    }

    /// Serializes as a string, or `null`.
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }
}

/// A flag from `"0"`/`"1"`/`"true"`/`"false"`/`""`, `0`/`1` or a boolean; serialized as a
/// boolean.
pub mod flag {
    use super::*;
    use serde::Serializer;

    /// Deserializes a flag; `null` is false.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        parse_with(d, parse_flag)
    }

    /// Serializes as a JSON boolean.
    pub fn serialize<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(*value)
    }
}

/// An optional flag: `null` and `"null"` are `None`, `""` is `None` too.
pub mod opt_flag {
    use super::*;
    use serde::Serializer;

    /// Deserializes an optional flag.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        parse_opt_with(d, parse_flag)
    }

    /// Serializes as a boolean or `null`.
    pub fn serialize<S: Serializer>(value: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_bool(*v),
            None => s.serialize_none(),
        }
    }
}

/// An integer from a string or a number; serialized as a number.
pub mod int {
    use super::*;
    use serde::{Serialize, Serializer};

    /// Deserializes an integer of any width from `"42"` or `42`.
    ///
    /// A number a format hands over as a float (JSON `3.0`, `1e3`, or an integer past 64
    /// bits) is refused, never rounded: its exact text is gone by then (`9007199254740993.0`
    /// arrives as `9007199254740992`).
    pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr,
    {
        let value = scalar(d)?;
        not_a_float(&value, INTEGER)?;
        with_text(&value, parse_int).map_err(de::Error::custom)
    }

    /// Serializes as a number.
    pub fn serialize<S: Serializer, T: Serialize>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }
}

/// An optional integer: `null`, `""` and `"null"` are `None`.
pub mod opt_int {
    use super::*;
    use serde::{Serialize, Serializer};

    /// Deserializes an optional integer (a float is refused, as in [`int`]).
    pub fn deserialize<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: FromStr,
    {
        let value = scalar(d)?;
        if value.is_null() {
            return Ok(None);
        }
        not_a_float(&value, INTEGER)?;
        with_text(&value, parse_int)
            .map(Some)
            .map_err(de::Error::custom)
    }

    /// Serializes as a number or `null`.
    pub fn serialize<S: Serializer, T: Serialize>(
        value: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }
}

/// A string that may arrive as an integer or a boolean (its PHP text is kept: `1`, `42`).
///
/// A number with a fraction or an exponent, or past 64 bits, is refused: the format handed
/// it over as an `f64`, so its digits may already be rounded (send `"19.95"`, not `19.95`).
pub mod string {
    use super::*;
    use serde::Serializer;

    /// Deserializes any scalar but a float as its text; `null` becomes `""`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let value = scalar(d)?;
        not_a_float(&value, TEXT)?;
        Ok(value.text().into_owned())
    }

    /// Serializes as a string.
    pub fn serialize<S: Serializer>(value: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }
}

/// An optional string: `null`, `""` and `"null"` are `None`; integers keep their text, and a
/// float is refused as in [`string`].
pub mod opt_string {
    use super::*;
    use serde::Serializer;

    /// Deserializes an optional string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let value = scalar(d)?;
        if value.is_null() {
            Ok(None)
        } else {
            not_a_float(&value, TEXT)?;
            Ok(Some(value.text().into_owned()))
        }
    }

    /// Serializes as a string or `null`.
    pub fn serialize<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_str(v),
            None => s.serialize_none(),
        }
    }
}

/// A wall-clock time `YYYY-MM-DD HH:MM:SS` (glued form and zero date accepted, see
/// [`parse_naive_datetime`]); serialized as `YYYY-MM-DDTHH:MM:SS` (RFC 3339 without an offset,
/// since the wire has none) or `null`.
pub mod naive_datetime {
    use super::*;
    use serde::Serializer;

    const ISO: &[BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");

    /// Deserializes an optional wall-clock time.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<PrimitiveDateTime>, D::Error> {
        parse_with(d, parse_naive_datetime)
    }

    /// Serializes as `YYYY-MM-DDTHH:MM:SS` or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<PrimitiveDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => {
                let text = v.format(ISO).map_err(serde::ser::Error::custom)?;
                s.serialize_str(&text)
            }
            None => s.serialize_none(),
        }
    }
}

/// Unix seconds from a string or a number; serialized as RFC 3339 or `null`.
pub mod unix_seconds {
    use super::*;
    use serde::Serializer;

    /// Deserializes optional Unix seconds (`""` and `null` are `None`). An RFC 3339 string is
    /// accepted too, so the JSON this module writes reads back.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        parse_with(d, |t| {
            parse_unix_seconds(t).or_else(|err| parse_rfc3339(t).map_err(|_| err))
        })
    }

    /// Serializes as RFC 3339 or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        super::rfc3339::serialize(value, s)
    }
}

/// An RFC 3339 time (`2018-12-04T23:29:37.406-05:00`); serialized as RFC 3339 or `null`.
pub mod rfc3339 {
    use super::*;
    use serde::Serializer;

    /// Deserializes an optional RFC 3339 time (`""` and `null` are `None`).
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        parse_with(d, parse_rfc3339)
    }

    /// Serializes as RFC 3339 or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => {
                let text = v.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
                s.serialize_str(&text)
            }
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short reading of an amount gives exactly what the general parser gives: value,
    /// scale, sign and text, on every string of up to four of the bytes that matter, and on
    /// long ones around the 18-byte bound.
    #[test]
    fn the_short_decimal_reading_agrees_with_the_general_one() {
        let general = |text: &str| general_decimal(text).ok();
        let alphabet = ["0", "1", "9", ".", "-", "+", " ", "5"];
        let mut texts = vec![String::new()];
        let mut layer = vec![String::new()];
        for _ in 0..4 {
            layer = layer
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(layer.iter().cloned());
        }
        for long in [
            "123456789012345678",
            "1234567890123456789",
            "-123456789012345678",
            "99999999999999999.9",
            "9.99999999999999999",
            "0.00000000000000001",
            "-0.00",
            "-0",
            "19.950",
        ] {
            texts.push(long.to_owned());
        }
        let mut short = 0;
        for text in &texts {
            if let Some(fast) = short_plain_decimal(text) {
                short += 1;
                let slow = general(text).unwrap();
                assert_eq!(fast, slow, "{text:?}");
                assert_eq!(fast.scale(), slow.scale(), "{text:?}");
                assert_eq!(fast.is_sign_negative(), slow.is_sign_negative(), "{text:?}");
                assert_eq!(fast.to_string(), slow.to_string(), "{text:?}");
            }
            assert_eq!(parse_decimal(text).ok(), general(text), "{text:?}");
        }
        assert!(short > 500, "{short}");
    }
    use serde::{Deserialize, Serialize};
    use time::macros::datetime;

    #[test]
    fn integers_are_written_as_display_writes_them() {
        let mut samples = vec![0, 1, -1, 9, 10, -10, 99, 100, i64::MIN, i64::MAX];
        let mut n: i64 = 7;
        while let Some(next) = n.checked_mul(3) {
            samples.extend([n, -n, n - 1, n + 1]);
            n = next;
        }
        for n in samples {
            let mut buf = [0u8; 24];
            let start = write_i64(&mut buf, n);
            assert_eq!(std::str::from_utf8(&buf[start..]).unwrap(), n.to_string());
        }
    }

    #[test]
    fn numbers_are_read_as_their_text_without_allocating_it() {
        for raw in [
            Raw::Int(0),
            Raw::Int(-42),
            Raw::Int(i128::MIN),
            Raw::Int(i128::MAX),
            Raw::Int(i64::MIN.into()),
            Raw::Int(i64::MAX.into()),
            Raw::Int(i128::from(i64::MIN) - 1),
            Raw::Int(i128::from(i64::MAX) + 1),
            Raw::Int(u64::MAX.into()),
            Raw::Float(19.95),
            Raw::Float(-0.0),
            Raw::Float(1e300),
            Raw::Float(f64::MIN_POSITIVE),
            Raw::Text(Cow::Borrowed("0001")),
            Raw::Bool(true),
            Raw::Null,
        ] {
            assert_eq!(with_text(&raw, str::to_owned), raw.text(), "{raw:?}");
        }
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(parse_decimal("10.00").unwrap().to_string(), "10.00");
        assert_eq!(parse_decimal(" 19.95 ").unwrap().to_string(), "19.95");
        assert_eq!(parse_decimal("-3").unwrap().to_string(), "-3");
        assert_eq!(parse_decimal("0").unwrap().to_string(), "0");
        for bad in [
            "", "abc", "1,5", "1e3", "--1", "1.2.3", "NaN", " ", "+", ".",
        ] {
            assert!(parse_decimal(bad).is_err(), "{bad:?} accepted");
        }
        // Past 28 digits of scale is an error, not a silent rounding.
        assert!(parse_decimal("0.12345678901234567890123456789").is_err());
        assert!(parse_decimal("99999999999999999999999999999999").is_err());
    }

    #[test]
    fn flags() {
        for t in ["1", "true", "TRUE", " yes", "on"] {
            assert_eq!(parse_flag(t), Ok(true), "{t}");
        }
        for t in ["0", "false", "", "no", "OFF"] {
            assert_eq!(parse_flag(t), Ok(false), "{t}");
        }
        assert!(parse_flag("2").is_err());
        assert!(parse_flag("y").is_err());
    }

    #[test]
    fn naive_datetimes() {
        let want = Some(datetime!(2013-02-09 04:30:25));
        assert_eq!(parse_naive_datetime("2013-02-09 04:30:25"), Ok(want));
        assert_eq!(parse_naive_datetime("2013-02-0904:30:25"), Ok(want));
        assert_eq!(parse_naive_datetime("2013-02-09T04:30:25"), Ok(want));
        assert_eq!(
            parse_naive_datetime("2013-02-09"),
            Ok(Some(datetime!(2013-02-09 00:00:00)))
        );
        assert_eq!(parse_naive_datetime("0000-00-00 00:00:00"), Ok(None));
        assert_eq!(parse_naive_datetime("0000-00-00"), Ok(None));
        assert_eq!(parse_naive_datetime(""), Ok(None));
        assert_eq!(parse_naive_datetime("null"), Ok(None));
        for bad in [
            "2013-13-09 04:30:25",
            "2013-02-30 00:00:00",
            "yesterday",
            "2013-02-09 25:00:00",
            "2013-02-09 23:59:60",
            "2013-00-09 04:30:25",
            "2013-02-00 04:30:25",
            "2013-02-09x04:30:25",
            "2013-02-09 04:3a:25",
            "2013/02/09 04:30:25",
        ] {
            assert!(parse_naive_datetime(bad).is_err(), "{bad}");
        }
        assert_eq!(format_naive_datetime(want), "2013-02-09 04:30:25");
        assert_eq!(format_naive_datetime(None), "0000-00-00 00:00:00");
    }

    /// The hand-written reading of the usual spellings agrees with the format descriptions
    /// it stands in front of, field for field, on valid and invalid times alike.
    #[test]
    fn naive_digits_agree_with_the_format_descriptions() {
        let slow = |t: &str| {
            [NAIVE, NAIVE_T, GLUED]
                .into_iter()
                .find_map(|format| PrimitiveDateTime::parse(t, format).ok())
        };
        let mut checked = 0;
        for year in ["0000", "0001", "1999", "2013", "2024", "9999"] {
            for month in ["00", "01", "02", "12", "13"] {
                for day in ["00", "01", "28", "29", "30", "31", "32"] {
                    for clock in [
                        "00:00:00", "04:30:25", "23:59:59", "24:00:00", "12:60:00", "12:00:60",
                    ] {
                        for sep in [" ", "T", ""] {
                            let text = format!("{year}-{month}-{day}{sep}{clock}");
                            let quick = naive_digits(&text);
                            if quick.is_some() {
                                checked += 1;
                            }
                            assert_eq!(quick, slow(&text), "{text}");
                        }
                    }
                }
            }
        }
        assert!(checked > 100);
    }

    #[test]
    fn unix_and_rfc3339() {
        assert_eq!(
            parse_unix_seconds("1700000000"),
            Ok(Some(datetime!(2023-11-14 22:13:20 UTC)))
        );
        assert_eq!(parse_unix_seconds(""), Ok(None));
        assert!(parse_unix_seconds("17e8").is_err());
        assert!(parse_unix_seconds("99999999999999999").is_err());
        let t = parse_rfc3339("2018-12-04T23:29:37.406-05:00")
            .unwrap()
            .unwrap();
        assert_eq!(format_rfc3339(t), "2018-12-04T23:29:37.406-05:00");
        assert!(parse_rfc3339("2018-12-04 23:29:37").is_err());
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct All {
        #[serde(with = "decimal")]
        amount: Decimal,
        #[serde(with = "opt_decimal", default)]
        refund: Option<Decimal>,
        #[serde(with = "flag")]
        on: bool,
        #[serde(with = "opt_flag", default)]
        maybe: Option<bool>,
        #[serde(with = "int")]
        qty: u16,
        #[serde(with = "opt_int", default)]
        last: Option<u64>,
        #[serde(with = "string")]
        id: String,
        #[serde(with = "opt_string", default)]
        company: Option<String>,
        #[serde(with = "naive_datetime")]
        date: Option<PrimitiveDateTime>,
        #[serde(with = "unix_seconds")]
        created: Option<OffsetDateTime>,
        #[serde(with = "rfc3339")]
        updated: Option<OffsetDateTime>,
    }

    #[test]
    fn serde_helpers_accept_strings_numbers_and_nulls() {
        let from_strings: All = serde_json::from_str(
            r#"{"amount":"19.90","refund":"","on":"1","maybe":"null","qty":"3","last":"null",
                "id":"0001234","company":null,"date":"2013-02-0904:30:25","created":"1700000000",
                "updated":"2018-12-04T23:29:37.406-05:00"}"#,
        )
        .unwrap();
        let from_numbers: All = serde_json::from_str(
            r#"{"amount":19,"refund":null,"on":true,"qty":3,"id":1234,"company":"",
                "date":"2013-02-09 04:30:25","created":1700000000,
                "updated":"2018-12-04T23:29:37.406-05:00"}"#,
        )
        .unwrap();
        assert_eq!(from_strings.amount.to_string(), "19.90");
        assert_eq!(from_numbers.amount.to_string(), "19");
        // A JSON number with a fraction arrives as an f64: 19.90 would be 19.9, and
        // 0.1000000000000000055511151231257827 would be 0.1. Refused, naming what to send.
        for amount in ["19.90", "0.1000000000000000055511151231257827", "1e2"] {
            let json = format!(
                r#"{{"amount":{amount},"on":true,"qty":3,"id":"1","date":null,"created":null,"updated":null}}"#
            );
            let err = serde_json::from_str::<All>(&json).unwrap_err().to_string();
            assert!(err.contains("send it as a string"), "{amount}: {err}");
        }
        assert_eq!(from_strings.id, "0001234");
        assert_eq!(from_numbers.id, "1234");
        assert_eq!(from_strings.qty, 3);
        assert_eq!(from_strings.company, None);
        assert_eq!(from_numbers.company, None);
        assert_eq!(from_strings.date, from_numbers.date);
        assert_eq!(from_strings.created, from_numbers.created);

        let json = serde_json::to_value(&from_strings).unwrap();
        assert_eq!(json["amount"], "19.90");
        assert_eq!(json["on"], true);
        assert_eq!(json["date"], "2013-02-09T04:30:25");
        assert_eq!(json["created"], "2023-11-14T22:13:20Z");
        let back: All = serde_json::from_value(json).unwrap();
        assert_eq!(back, from_strings);
    }

    #[test]
    fn serde_errors_say_what_was_expected() {
        let err = serde_json::from_str::<All>(r#"{"amount":"1,5"}"#).unwrap_err();
        assert!(
            err.to_string().contains("expected a decimal number"),
            "{err}"
        );
        let err = serde_json::from_str::<All>(r#"{"amount":{"a":1}}"#).unwrap_err();
        assert!(err.to_string().contains("a string, number"), "{err}");
    }

    #[test]
    fn integers_are_exact_or_refused_never_rounded_from_a_float() {
        #[derive(Debug, serde::Deserialize)]
        struct Ints {
            #[serde(with = "int")]
            id: u64,
            #[serde(default, with = "opt_int")]
            count: Option<i64>,
        }
        let read = |json: &str| serde_json::from_str::<Ints>(json);
        let ok = read(r#"{"id":18446744073709551615,"count":"-42"}"#).unwrap();
        assert_eq!((ok.id, ok.count), (u64::MAX, Some(-42)));
        assert_eq!(read(r#"{"id":"0007","count":null}"#).unwrap().count, None);
        // Each of these arrives as an f64; 9007199254740993.0 would read as ...992.
        for json in [
            r#"{"id":9007199254740993.0}"#,
            r#"{"id":1e3}"#,
            r#"{"id":3.0}"#,
            r#"{"id":18446744073709551616}"#,
            r#"{"id":1,"count":-0.0}"#,
            r#"{"id":1,"count":2.5}"#,
        ] {
            let err = read(json).unwrap_err();
            assert!(
                err.to_string()
                    .contains("expected an integer, found a number with a fraction"),
                "{json}: {err}"
            );
        }
    }
}
