//! Decoding the notify POST's body into an [`Order`], unverified.
//!
//! A receiver checks the endpoint token first: [`CartloomToken::receive`](crate::Receiver::receive)
//! does, then decodes with [`Decoder::decode_shaped`] (default limits). The functions here
//! decode a body whose request was checked some other way, or that needs other limits.
//!
//! # Decisions
//!
//! * **Two body shapes.** Cartloom's page shows `order = {…}` and says it posts "the order
//!   information as a JSON encoded string"; nobody has published a capture. A body whose first
//!   non-blank byte is `{` (or `[`) is read as the JSON itself ([`BodyShape::Json`]); anything
//!   else is read as an `application/x-www-form-urlencoded` form whose `order` field holds the
//!   JSON ([`BodyShape::Form`]). Other form fields are ignored; a repeated `order` is an
//!   error. A body written like the vendor's page, `order = {…}` with the JSON not
//!   percent-encoded, is accepted too: when the value after `order=` starts with a literal `{`
//!   it was not encoded (every form encoder writes `%7B`), and is read as is. A UTF-8 byte
//!   order mark before the JSON is skipped.
//! * **Lenient scalars.** Every value Cartloom sends as a string may also arrive as a JSON
//!   number or boolean (`"qty": 1`, `"digital": true`). `null` is accepted everywhere: it is
//!   `None` for the `Option` fields, blank text for text fields, false for flags and the
//!   "none" date for dates; it is an error for amounts (but `refund_amount`) and counts,
//!   which have no blank value.
//! * **Required fields**: `oid`, `subtotal`, `grandtotal` and `items` on the order; `pid`,
//!   `qty` and `price` on each item. Every other documented field may be absent and then takes
//!   its blank value (`""`, `0`, false, no date, `[]` for `extra_inputs`).
//! * **Strict objects.** A key that appears twice in one object is an error naming it (one
//!   part of a system reading the first and another the last is how forged payloads slip
//!   through). A value of the wrong type (an object where text belongs) is an error naming
//!   the field, as is an amount that is not a plain decimal (`"19,95"`).
//! * **Limits.** The body is at most [`Decoder::DEFAULT_MAX_BYTES`] bytes and an order has
//!   at most [`Decoder::DEFAULT_MAX_ITEMS`] items unless set otherwise; past either the error
//!   is [`Error::Limit`]. Raw values (`extra_inputs`, unknown fields) nest at most
//!   [`Decoder::MAX_RAW_DEPTH`] levels ([`Limit::Depth`]); elsewhere `serde_json`'s own
//!   recursion limit holds (a deeper body is malformed).
//! * Errors name the field by its path on the wire: `grandtotal`, `items[1].qty`.
//! * **Numbers exactly, at the speed of strings.** A body is read in one fast pass: strings
//!   borrowed from the body while they are read (a valid UTF-8 body is checked once, as a
//!   whole), integers as serde_json reads them, which is exact. A number serde_json would
//!   hand over as a float (a fraction, an exponent, past 64 bits, `-0`) stops that pass, and
//!   the body is read again taking every scalar from its raw JSON text, so that `19.950` stays
//!   `19.950` and nothing is rounded. Cartloom sends its values as strings, so the second pass
//!   is the rare case; both passes give the same order, or the same error on the same field.

use core::fmt;
use std::borrow::Cow;
use std::cell::Cell;

use cartwire_core::form::{self, Form};
use cartwire_core::scalar::{Raw, ScalarError, is_null_text, parse_decimal, parse_flag, parse_int};
use cartwire_core::{Decimal, Error, Limit, LimitExceeded};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::fields::{ADDED_VIEW_KEYS, EXTRA_KEY, ItemField, OrderField, WIRE_NOTES_KEY};
use crate::notes::{NotesSeed, ReadNotes};
use crate::payload::{
    ExtraFields, Item, Order, RawJson, ReceivedOrder, ShippingAddress, ShippingStatus, WireDateTime,
};

/// How the order arrived: the two shapes Cartloom's page allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyShape {
    /// The body is the order's JSON (`{"oid": …}`).
    Json,
    /// The body is a form whose `order` field holds the JSON (`order=%7B%22oid%22…`).
    Form,
}

impl BodyShape {
    /// Tells the shape of a body the way [`decode`] does: JSON when the first non-blank byte
    /// is `{` or `[`, a form otherwise.
    pub fn detect(body: &[u8]) -> Self {
        match skip_blank(body).first() {
            Some(b'{' | b'[') => BodyShape::Json,
            _ => BodyShape::Form,
        }
    }

    /// The `Content-Type` a sender gives this shape.
    pub fn content_type(self) -> &'static str {
        match self {
            BodyShape::Json => "application/json",
            BodyShape::Form => "application/x-www-form-urlencoded",
        }
    }
}

/// Decodes a notify POST body of either shape, with the default limits, **without checking
/// the endpoint token** (that is in the request's URL: see [`CartloomToken`](crate::CartloomToken)).
///
/// ```
/// let body = br#"{"oid": "0000123456", "subtotal": "19.95", "grandtotal": "19.95",
///                 "date": "2013-02-0904:30:25", "items": []}"#;
/// let order = cartloom_order::decode(body)?;
/// assert_eq!(order.oid, "0000123456");
/// assert_eq!(order.grandtotal.to_string(), "19.95");
/// # Ok::<(), cartloom_order::Error>(())
/// ```
pub fn decode(body: &[u8]) -> Result<Order, Error> {
    Decoder::new().decode(body)
}

/// Decodes the order's JSON itself (the value of the `order` form field, say, when a web
/// framework has already parsed the form), with the default limits.
pub fn decode_json(json: &[u8]) -> Result<Order, Error> {
    Decoder::new().decode_json(json)
}

/// A decoder with explicit limits.
///
/// ```
/// use cartloom_order::{Decoder, Error, Limit};
///
/// let body = br#"{"oid": "1", "subtotal": "0", "grandtotal": "0", "items": [
///     {"pid": "1", "qty": "1", "price": "0"}, {"pid": "2", "qty": "1", "price": "0"}]}"#;
/// let err = Decoder::new().max_items(1).decode(body).unwrap_err();
/// assert!(matches!(err, Error::Limit(ref e) if e.limit == Limit::ListLength));
/// assert_eq!(err.to_string(), "list length exceeds the limit of 1 (at `items`)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoder {
    max_bytes: usize,
    max_items: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Decoder {
    /// The default body size limit: 2 MiB, room for about 2,000 items even as a
    /// percent-encoded form.
    pub const DEFAULT_MAX_BYTES: usize = 2 << 20;
    /// The default limit on the number of items in one order.
    pub const DEFAULT_MAX_ITEMS: usize = 2_000;
    /// The deepest nesting of arrays and objects accepted inside a raw value
    /// (`extra_inputs`, an unknown field): past it the error is [`Limit::Depth`] naming the
    /// field.
    pub const MAX_RAW_DEPTH: usize = 100;

    /// A decoder with the default limits.
    pub fn new() -> Self {
        Self {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_items: Self::DEFAULT_MAX_ITEMS,
        }
    }

    /// Sets the largest body accepted, in bytes ([`Limit::Bytes`]).
    pub fn max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Sets the most items accepted in one order ([`Limit::ListLength`] at `items`).
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.max_items = max_items;
        self
    }

    /// Decodes a body of either [`BodyShape`].
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`] naming the field, or [`Error::Limit`] (see the
    /// [module docs](self)).
    pub fn decode(&self, body: &[u8]) -> Result<Order, Error> {
        // Not through `decode_shaped`: wrapping the order and taking it out again moves it twice.
        let shape = self.shape_of(body)?;
        self.decode_as(body, shape)
    }

    /// Decodes a body of either shape, keeping which shape it was (to answer or re-encode in
    /// kind): what [`CartloomToken`](crate::CartloomToken)'s receiving decodes with.
    ///
    /// ```
    /// use cartloom_order::{samples, BodyShape, Decoder};
    ///
    /// let received = Decoder::new().max_items(10).decode_shaped(samples::ORDER_FORM.as_bytes())?;
    /// assert_eq!(received.shape, BodyShape::Form);
    /// assert_eq!(received.encode(), samples::ORDER_FORM.trim());
    /// # Ok::<(), cartloom_order::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn decode_shaped(&self, body: &[u8]) -> Result<ReceivedOrder, Error> {
        let shape = self.shape_of(body)?;
        Ok(ReceivedOrder::new(self.decode_as(body, shape)?, shape))
    }

    /// The shape of a body within the size limit and not blank.
    fn shape_of(&self, body: &[u8]) -> Result<BodyShape, Error> {
        self.check_size(body)?;
        if skip_blank(body).is_empty() {
            return Err(Error::malformed("", "empty body"));
        }
        Ok(BodyShape::detect(body))
    }

    /// Decodes a body of a known shape.
    fn decode_as(&self, body: &[u8], shape: BodyShape) -> Result<Order, Error> {
        match shape {
            BodyShape::Json => self.decode_json(body),
            BodyShape::Form => self.decode_form(body),
        }
    }

    /// Decodes the order's JSON itself.
    ///
    /// # Errors
    ///
    /// As [`decode`](Self::decode).
    pub fn decode_json(&self, json: &[u8]) -> Result<Order, Error> {
        self.check_size(json)?;
        if skip_blank(json).is_empty() {
            return Err(Error::malformed("", "empty body"));
        }
        // A byte order mark (some Windows tools write one) is not JSON; skip it.
        let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
        // The fast pass reads strings borrowed and integers as serde_json hands them over. A
        // number it cannot keep exactly (a fraction, an exponent, past 64 bits: rare, Cartloom
        // sends its values as strings) sends the body through the exact pass, which reads
        // every scalar from its raw JSON text.
        let fast = Ctx::new(Mode::Wire, self.max_items);
        match read_order(json, &fast) {
            Err(_) if fast.needs_exact.get() => read_order(json, &Ctx::exact(self.max_items)),
            result => result,
        }
    }

    fn decode_form(&self, body: &[u8]) -> Result<Order, Error> {
        if let Some(json) = unencoded_order(body) {
            return self.decode_json(json);
        }
        let mut limits = form::Limits::default();
        limits.max_bytes = self.max_bytes;
        let form = Form::parse_with(body, &form::Options::default().limits(limits))?;
        // Read from the tree: with repeated keys refused, the tree's flat `order` is the one
        // `order` pair, and the pairs are never decoded a second time.
        let tree = form.tree();
        let json = tree.get_text("order").ok_or_else(|| {
            if tree.is_empty() {
                Error::malformed("", "empty body")
            } else {
                Error::malformed(
                    "order",
                    "missing: the body is neither a JSON object nor a form with an `order` field",
                )
            }
        })?;
        self.decode_json(json.as_bytes())
    }

    fn check_size(&self, body: &[u8]) -> Result<(), Error> {
        if body.len() > self.max_bytes {
            return Err(LimitExceeded::new(Limit::Bytes, self.max_bytes).into());
        }
        Ok(())
    }
}

/// Reads one order's wire JSON with `ctx`.
///
/// A body that is valid UTF-8 (any real one) is checked as a whole, once, and read as text:
/// serde_json then checks no string again. Any other body is read as bytes, so that the error
/// names the field holding the bad byte.
fn read_order(json: &[u8], ctx: &Ctx) -> Result<Order, Error> {
    match core::str::from_utf8(json) {
        Ok(text) => read_order_from(serde_json::Deserializer::from_str(text), ctx),
        Err(_) => read_order_from(serde_json::Deserializer::from_slice(json), ctx),
    }
}

fn read_order_from<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    ctx: &Ctx,
) -> Result<Order, Error> {
    let result = OrderSeed { ctx }
        .deserialize(&mut de)
        .and_then(|order| de.end().map(|()| order));
    result.map_err(|err| ctx.take().unwrap_or_else(|| Error::malformed("", err)))
}

/// Skips ASCII white space and a UTF-8 byte order mark.
fn skip_blank(body: &[u8]) -> &[u8] {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body.get(start..).unwrap_or_default()
}

/// `order = {…}` with the JSON not percent-encoded (the vendor page's own notation): the
/// JSON part, from its `{`.
fn unencoded_order(body: &[u8]) -> Option<&[u8]> {
    let rest = skip_blank(body).strip_prefix(b"order")?;
    let rest = skip_blank(rest).strip_prefix(b"=")?;
    let json = skip_blank(rest);
    (json.first() == Some(&b'{')).then_some(json)
}

// ---------------------------------------------------------------------------------------
// The serde machinery. One set of visitors reads both the wire JSON and the JSON view that
// `Order`'s own `Serialize` writes: they differ only in dates (wire text vs ISO) and in the
// view's `_wire` notes.

/// Which JSON is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Cartloom's wire JSON.
    Wire,
    /// The JSON view written by `Order`'s `Serialize` (the `cartwire` command's output).
    View,
}

/// State shared by the visitors of one decode: the mode, the item limit, the first typed
/// error (serde's error types carry only a message, so the typed one travels here), and the
/// body shape a view notes (`_wire.body`).
pub(crate) struct Ctx {
    mode: Mode,
    max_items: usize,
    failure: Cell<Option<Error>>,
    shape: Cell<Option<BodyShape>>,
    /// Whether wire scalars are read as their raw JSON text (the exact pass), rather than
    /// through `deserialize_any` (the fast pass).
    exact: bool,
    /// Set by the fast pass when it meets a number it cannot keep exactly (one with a
    /// fraction or an exponent, or past 64 bits): the body is then read again, exactly.
    needs_exact: Cell<bool>,
}

impl Ctx {
    pub(crate) fn new(mode: Mode, max_items: usize) -> Self {
        Self {
            mode,
            max_items,
            failure: Cell::new(None),
            shape: Cell::new(None),
            exact: false,
            needs_exact: Cell::new(false),
        }
    }

    /// A context for the exact pass over the wire JSON: every scalar read as its raw text.
    fn exact(max_items: usize) -> Self {
        Self {
            exact: true,
            ..Self::new(Mode::Wire, max_items)
        }
    }

    /// The body shape the view noted, if it noted one.
    pub(crate) fn noted_shape(&self) -> Option<BodyShape> {
        self.shape.get()
    }

    /// Keeps the first error: it is the one nearest the fault.
    fn record(&self, err: Error) {
        let first = self.failure.take().unwrap_or(err);
        self.failure.set(Some(first));
    }

    /// Records `err` and turns it into the format's error.
    fn fail<E: de::Error>(&self, err: Error) -> E {
        let message = err.to_string();
        self.record(err);
        E::custom(message)
    }

    /// Blames a format error (bad syntax, wrong type) on a field, unless something nearer
    /// was already blamed.
    fn blame<E: de::Error>(&self, path: Path<'_>, err: E) -> E {
        self.record(Error::malformed(path.to_string(), &err));
        err
    }

    pub(crate) fn take(&self) -> Option<Error> {
        self.failure.take()
    }
}

/// Where a value sits: `grandtotal`, `items[1].qty`, and in the JSON view `extra.key`,
/// `items[1].extra.key`.
#[derive(Debug, Clone, Copy)]
enum Path<'a> {
    Field(&'a str),
    Item(usize),
    ItemField(usize, &'a str),
    Extra(Option<usize>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Field(key) => f.write_str(key),
            Path::Item(index) => write!(f, "items[{index}]"),
            Path::ItemField(index, key) => write!(f, "items[{index}].{key}"),
            Path::Extra(None, key) => write!(f, "{EXTRA_KEY}.{key}"),
            Path::Extra(Some(index), key) => write!(f, "items[{index}].{EXTRA_KEY}.{key}"),
        }
    }
}

/// One scalar as it came: text (numbers read from a `Value` are turned into their text), a
/// JSON number's exact wire text, a boolean, or null.
enum Scalar<'de> {
    Text(Cow<'de, str>),
    /// A JSON number on the wire, as written (`19.950`, `1e3`): never through a float.
    Number(&'de str),
    /// A JSON integer on the wire, as serde_json read it (exact: its text is the integer's
    /// only spelling, JSON allowing no leading zeros or `+`, and `-0` arriving as a float).
    Unsigned(u64),
    /// A negative JSON integer, as [`Scalar::Unsigned`].
    Negative(i64),
    Bool(bool),
    Null,
}

impl<'de> Scalar<'de> {
    /// Cartloom's view of a scalar: numbers become their text (core's [`Raw`] knows how).
    fn from_raw(raw: Raw<'de>) -> Self {
        match raw {
            Raw::Text(text) => Scalar::Text(text),
            Raw::Bool(b) => Scalar::Bool(b),
            Raw::Null => Scalar::Null,
            other => Scalar::Text(Cow::Owned(other.text().into_owned())),
        }
    }

    #[inline(always)]
    fn into_text(self) -> String {
        match self {
            Scalar::Text(text) => text.into_owned(),
            Scalar::Number(text) => text.to_owned(),
            Scalar::Unsigned(n) => n.to_string(),
            Scalar::Negative(n) => n.to_string(),
            Scalar::Bool(true) => "1".to_owned(),
            Scalar::Bool(false) => "0".to_owned(),
            Scalar::Null => String::new(),
        }
    }

    #[inline]
    /// A shipping status, allocating only for one that is not `0` or `1`.
    fn into_status(self) -> ShippingStatus {
        match self {
            Scalar::Text(Cow::Borrowed(text)) => ShippingStatus::from(text),
            other => ShippingStatus::from(other.into_text()),
        }
    }

    fn into_opt_text(self) -> Option<String> {
        match self {
            Scalar::Null => None,
            other => Some(other.into_text()),
        }
    }

    fn into_decimal(self) -> Result<Decimal, ScalarError> {
        match self {
            Scalar::Text(text) => parse_decimal(&text),
            // An exponent (`1e3`, which PHP's json_encode writes for large floats) is exact in
            // scientific form; anything past a decimal's 28 digits is refused, never rounded.
            Scalar::Number(text) if text.contains(['e', 'E']) => match plain_decimal(text) {
                Some(plain) => parse_decimal(&plain),
                None => parse_decimal(text),
            },
            Scalar::Number(text) => parse_decimal(text),
            // An integer is its own decimal, scale 0, as its text would read.
            Scalar::Unsigned(n) => Ok(Decimal::from(n)),
            Scalar::Negative(n) => Ok(Decimal::from(n)),
            Scalar::Bool(b) => parse_decimal(if b { "true" } else { "false" }),
            Scalar::Null => parse_decimal("null"),
        }
    }

    fn into_opt_decimal(self) -> Result<Option<Decimal>, ScalarError> {
        match self {
            Scalar::Null => Ok(None),
            Scalar::Text(text) if is_null_text(&text) => Ok(None),
            other => other.into_decimal().map(Some),
        }
    }

    fn into_flag(self) -> Result<bool, ScalarError> {
        match self {
            Scalar::Text(text) => parse_flag(&text),
            Scalar::Number(text) => parse_flag(text),
            Scalar::Unsigned(0) => Ok(false),
            Scalar::Unsigned(1) => Ok(true),
            Scalar::Unsigned(n) => parse_flag(&n.to_string()),
            Scalar::Negative(n) => parse_flag(&n.to_string()),
            Scalar::Bool(b) => Ok(b),
            Scalar::Null => Ok(false),
        }
    }

    fn into_count(self) -> Result<u32, ScalarError> {
        match self {
            Scalar::Text(text) => parse_int(&text),
            Scalar::Number(text) => parse_int(text),
            Scalar::Unsigned(n) => match u32::try_from(n) {
                Ok(count) => Ok(count),
                Err(_) => parse_int(&n.to_string()),
            },
            Scalar::Negative(n) => parse_int(&n.to_string()),
            Scalar::Bool(b) => parse_int(if b { "true" } else { "false" }),
            Scalar::Null => parse_int("null"),
        }
    }

    fn into_date(self, mode: Mode) -> Result<WireDateTime, ScalarError> {
        match (self, mode) {
            (Scalar::Null, Mode::Wire) => Ok(WireDateTime::null()),
            (Scalar::Null, Mode::View) => Ok(WireDateTime::none()),
            (Scalar::Text(text), Mode::Wire) => WireDateTime::parse(&text),
            (Scalar::Number(text), _) => WireDateTime::parse(text),
            (Scalar::Unsigned(n), _) => WireDateTime::parse(&n.to_string()),
            (Scalar::Negative(n), _) => WireDateTime::parse(&n.to_string()),
            (Scalar::Text(text), Mode::View) => {
                cartwire_core::scalar::parse_naive_datetime(&text).map(WireDateTime::from)
            }
            (Scalar::Bool(b), _) => WireDateTime::parse(if b { "true" } else { "false" }),
        }
    }
}

/// A JSON number in exponent form (`2.5E+2`, `-1e-3`) written out in plain decimal digits
/// (`250`, `-0.001`), digit for digit, so that the exact decimal parser judges it; `None` when
/// it is not such a number or its exponent is past any decimal's range.
fn plain_decimal(text: &str) -> Option<String> {
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: i64 = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    if exponent.unsigned_abs() > 64 {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Where the decimal point falls within `digits`, once the exponent is applied.
    let point = i64::try_from(int.len()).ok()? + exponent;
    let len = i64::try_from(digits.len()).ok()?;
    let plain = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-point).ok()?))
    } else if point >= len {
        format!("{digits}{}", "0".repeat(usize::try_from(point - len).ok()?))
    } else {
        let (head, tail) = digits.split_at(usize::try_from(point).ok()?);
        format!("{head}.{tail}")
    };
    Some(format!("{sign}{plain}"))
}

/// Reads the next value as a scalar, blaming errors on `path`.
///
/// On the wire (always read from a borrowed slice) the value is taken as its raw JSON text
/// first, so that a number keeps its exact text (`19.950`, `12345678901234567890.123456789`):
/// read as a float, it would be rounded before the decimal parser saw it. The JSON view
/// (which may come from a `serde_json::Value`) is read as before: its money is strings.
#[inline(always)]
fn next_scalar<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &Ctx,
    path: Path<'_>,
) -> Result<Scalar<'de>, A::Error> {
    if ctx.mode == Mode::View {
        return map
            .next_value::<Raw<'de>>()
            .map(Scalar::from_raw)
            .map_err(|err| ctx.blame(path, err));
    }
    if !ctx.exact {
        return map.next_value_seed(FastScalar { ctx }).map_err(|err| {
            if ctx.needs_exact.get() {
                err
            } else {
                ctx.blame(path, err)
            }
        });
    }
    let raw = map
        .next_value::<&'de RawValue>()
        .map_err(|err| ctx.blame(path, err))?;
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') => Ok(Scalar::Number(text)),
        // A string without escapes is its raw text between the quotes (serde_json has checked
        // it): borrowed, with no second parse.
        Some(b'"') if !text.contains('\\') => Ok(Scalar::Text(Cow::Borrowed(
            text.get(1..text.len().saturating_sub(1))
                .unwrap_or_default(),
        ))),
        _ => serde_json::from_str::<Raw<'de>>(text)
            .map(Scalar::from_raw)
            .map_err(|err| ctx.blame(path, de::Error::custom(err))),
    }
}

/// The fast pass's reading of a wire scalar: a string borrowed from the body unless it has an
/// escape, an integer as serde_json reads it (exactly), a boolean, null. A number serde_json
/// would hand over as a float stops the pass (see [`Ctx::needs_exact`]).
struct FastScalar<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for FastScalar<'_> {
    type Value = Scalar<'de>;
    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FastScalar<'_> {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What core's `Raw` (the exact pass's reading) says, so both passes word alike.
        f.write_str("a string, number, boolean or null")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Negative(v))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.ctx.needs_exact.set(true);
        Err(E::custom("a number to read exactly"))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Null)
    }
}

/// Reads the next value as a scalar and converts it, naming `path` in any error.
#[inline(always)]
fn next_typed<'de, A, T>(
    map: &mut A,
    ctx: &Ctx,
    path: Path<'_>,
    convert: impl FnOnce(Scalar<'de>) -> Result<T, ScalarError>,
) -> Result<T, A::Error>
where
    A: MapAccess<'de>,
{
    let scalar = next_scalar(map, ctx, path)?;
    convert(scalar).map_err(|problem| ctx.fail(Error::malformed(path.to_string(), problem)))
}

fn next_raw<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &Ctx,
    path: Path<'_>,
) -> Result<RawJson, A::Error> {
    let raw = if ctx.mode == Mode::Wire {
        // The wire is always read from the body, so the text can be borrowed first: the
        // usual `extra_inputs`, `[]`, is then kept without allocating.
        let raw = map
            .next_value::<&'de RawValue>()
            .map_err(|err| ctx.blame(path, err))?;
        match raw.get() {
            "[]" => RawJson::empty_array(),
            _ => RawJson::from(raw.to_owned()),
        }
    } else {
        let raw = map
            .next_value::<Box<RawValue>>()
            .map_err(|err| ctx.blame(path, err))?;
        RawJson::from(raw)
    };
    // serde_json skips a raw value without its recursion limit; bound it here, so that
    // whatever decodes can also be parsed into a `serde_json::Value` later.
    if raw.nests_deeper_than(Decoder::MAX_RAW_DEPTH) {
        let limit = LimitExceeded::at(Limit::Depth, Decoder::MAX_RAW_DEPTH, path.to_string());
        return Err(ctx.fail(limit.into()));
    }
    Ok(raw)
}

/// An object key: a documented field, or any other text.
enum Key<F> {
    Known(F),
    Unknown(String),
}

struct KeySeed<F>(fn(&str) -> Option<F>);

impl<'de, F> DeserializeSeed<'de> for KeySeed<F> {
    type Value = Key<F>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<F> Visitor<'_> for KeySeed<F> {
    type Value = Key<F>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match (self.0)(v) {
            Some(field) => Key::Known(field),
            None => Key::Unknown(v.to_owned()),
        })
    }
}

fn duplicate(path: Path<'_>) -> Error {
    Error::malformed(path.to_string(), "appears twice in one object")
}

/// Reads an unknown field's raw value into `extra`, refusing a name already there.
fn next_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    ctx: &Ctx,
    extra: &mut ExtraFields,
    key: String,
    path: Path<'_>,
) -> Result<(), A::Error> {
    if extra.contains_key(&key) {
        return Err(ctx.fail(duplicate(path)));
    }
    let value = next_raw(map, ctx, path)?;
    extra.insert(key, value);
    Ok(())
}

/// The view's `extra` object (of the order, or of item `item`): each entry an unknown field.
struct ExtraSeed<'c, 'e> {
    ctx: &'c Ctx,
    item: Option<usize>,
    extra: &'e mut ExtraFields,
}

impl<'de> DeserializeSeed<'de> for ExtraSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExtraSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of unknown fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let path = Path::Extra(self.item, &key);
            // A documented field is not unknown: kept here too, it would be written twice on
            // the wire (and read back as the documented one only). Found by the JSON-view
            // fuzz target.
            let documented = match self.item {
                None => OrderField::from_key(&key).is_some(),
                Some(_) => ItemField::from_key(&key).is_some(),
            };
            if documented {
                return Err(self.ctx.fail(Error::malformed(
                    path.to_string(),
                    "a documented field is not an unknown one: it belongs outside `extra`",
                )));
            }
            next_extra(&mut map, self.ctx, self.extra, key.clone(), path)?;
        }
        Ok(())
    }
}

pub(crate) struct OrderSeed<'c> {
    pub(crate) ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for OrderSeed<'_> {
    type Value = Order;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Order, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OrderSeed<'_> {
    type Value = Order;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Cartloom order (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Order, A::Error> {
        use OrderField as F;
        let ctx = self.ctx;
        let mode = ctx.mode;
        let mut order = Order::default();
        let mut ship = ShippingAddress::default();
        let mut notes = ReadNotes::default();
        let mut seen = 0u64;
        while let Some(key) = map.next_key_seed(KeySeed(OrderField::from_key))? {
            let field = match key {
                Key::Known(field) => field,
                Key::Unknown(key) if mode == Mode::View && key == WIRE_NOTES_KEY => {
                    notes = map
                        .next_value_seed(NotesSeed)
                        .map_err(|err| ctx.blame(Path::Field(WIRE_NOTES_KEY), err))?;
                    continue;
                }
                Key::Unknown(key) if mode == Mode::View && key == EXTRA_KEY => {
                    let seed = ExtraSeed {
                        ctx,
                        item: None,
                        extra: &mut order.extra,
                    };
                    map.next_value_seed(seed)
                        .map_err(|err| ctx.blame(Path::Field(EXTRA_KEY), err))?;
                    continue;
                }
                Key::Unknown(key) if mode == Mode::View && ADDED_VIEW_KEYS.contains(&&*key) => {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
                Key::Unknown(key) => {
                    let path = Path::Field(&key);
                    next_extra(&mut map, ctx, &mut order.extra, key.clone(), path)?;
                    continue;
                }
            };
            let path = Path::Field(field.key());
            if seen & field.bit() != 0 {
                return Err(ctx.fail(duplicate(path)));
            }
            seen |= field.bit();
            let m = &mut map;
            match field {
                F::Oid => order.oid = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Invoice => order.invoice = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::UniqueId => order.unique_id = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::OnHold => order.on_hold = next_typed(m, ctx, path, Scalar::into_flag)?,
                F::Date => order.date = next_typed(m, ctx, path, |s| s.into_date(mode))?,
                F::IpAddress => {
                    order.ip_address = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::PaymentType => {
                    order.payment_type = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::TransId => order.trans_id = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Subtotal => order.subtotal = next_typed(m, ctx, path, Scalar::into_decimal)?,
                F::ProcessingFee => {
                    order.processing_fee = next_typed(m, ctx, path, Scalar::into_decimal)?;
                }
                F::Grandtotal => {
                    order.grandtotal = next_typed(m, ctx, path, Scalar::into_decimal)?;
                }
                F::Refunded => order.refunded = next_typed(m, ctx, path, Scalar::into_flag)?,
                F::RefundAmount => {
                    order.refund_amount = next_typed(m, ctx, path, Scalar::into_opt_decimal)?;
                }
                F::ShippingAmount => {
                    order.shipping_amount = next_typed(m, ctx, path, Scalar::into_decimal)?;
                }
                F::ShippingTitle => {
                    order.shipping_title = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingStatus => {
                    order.shipping_status = next_typed(m, ctx, path, |s| Ok(s.into_status()))?;
                }
                F::ShippingDate => {
                    order.shipping_date = next_typed(m, ctx, path, |s| s.into_date(mode))?;
                }
                F::ShippingTrackingNumber => {
                    order.shipping_tracking_number =
                        next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::TaxAmount => order.tax_amount = next_typed(m, ctx, path, Scalar::into_decimal)?,
                F::TaxTitle => order.tax_title = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::DiscountCode => {
                    order.discount_code = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::DiscountAmount => {
                    order.discount_amount = next_typed(m, ctx, path, Scalar::into_decimal)?;
                }
                F::DiscountTitle => {
                    order.discount_title = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingFirstName => {
                    order.billing.first_name = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingLastName => {
                    order.billing.last_name = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingCompany => {
                    order.billing.company = next_typed(m, ctx, path, |s| Ok(s.into_opt_text()))?;
                }
                F::BillingEmail => {
                    order.billing.email = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingPhone => {
                    order.billing.phone = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingAddress1 => {
                    order.billing.address1 = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingAddress2 => {
                    order.billing.address2 = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingCity => {
                    order.billing.city = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingState => {
                    order.billing.state = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingPostalCode => {
                    order.billing.postal_code = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::BillingCountry => {
                    order.billing.country = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingFirstName => {
                    ship.first_name = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingLastName => {
                    ship.last_name = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingCompany => {
                    ship.company = next_typed(m, ctx, path, |s| Ok(s.into_opt_text()))?;
                }
                F::ShippingAddress1 => {
                    ship.address1 = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingAddress2 => {
                    ship.address2 = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingCity => ship.city = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::ShippingState => ship.state = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::ShippingPostalCode => {
                    ship.postal_code = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::ShippingCountry => {
                    ship.country = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::Comments => order.comments = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Notes => order.notes = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::ExtraInputs => order.extra_inputs = next_raw(m, ctx, path)?,
                F::CardNumber => {
                    order.card_number = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::CardType => order.card_type = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::VatNumber => {
                    order.vat_number = next_typed(m, ctx, path, |s| Ok(s.into_opt_text()))?;
                }
                F::Items => {
                    order.items = m
                        .next_value_seed(ItemsSeed { ctx })
                        .map_err(|err| ctx.blame(path, err))?;
                }
                F::Subscribed => order.subscribed = next_typed(m, ctx, path, Scalar::into_flag)?,
            }
        }
        for required in [F::Oid, F::Subtotal, F::Grandtotal, F::Items] {
            if seen & required.bit() == 0 {
                return Err(ctx.fail(Error::missing(required.key())));
            }
        }
        if !ship.is_blank() {
            order.shipping = Some(ship);
        }
        match notes.take_body().as_deref() {
            None => {}
            Some("json") => ctx.shape.set(Some(BodyShape::Json)),
            Some("form") => ctx.shape.set(Some(BodyShape::Form)),
            Some(_) => {
                let problem = "expected \"json\" or \"form\"";
                return Err(ctx.fail(Error::malformed("_wire.body", problem)));
            }
        }
        notes.apply(&mut order);
        Ok(order)
    }
}

struct ItemsSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = Vec<Item>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = Vec<Item>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of order items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = ItemSeed {
                ctx: self.ctx,
                index: items.len(),
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(items),
            }
        }
    }
}

pub(crate) struct ItemSeed<'c> {
    pub(crate) ctx: &'c Ctx,
    pub(crate) index: usize,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    type Value = Item;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Item, D::Error> {
        // Checked before the element is read, so a flood of items costs nothing.
        if self.index >= self.ctx.max_items {
            let limit = LimitExceeded::at(Limit::ListLength, self.ctx.max_items, "items");
            return Err(self.ctx.fail(limit.into()));
        }
        let (ctx, index) = (self.ctx, self.index);
        d.deserialize_map(self)
            .map_err(|err| ctx.blame(Path::Item(index), err))
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an order item (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        use ItemField as F;
        let (ctx, index) = (self.ctx, self.index);
        let mut item = Item::default();
        let mut seen = 0u64;
        while let Some(key) = map.next_key_seed(KeySeed(ItemField::from_key))? {
            let field = match key {
                Key::Known(field) => field,
                Key::Unknown(key) if ctx.mode == Mode::View && key == EXTRA_KEY => {
                    let seed = ExtraSeed {
                        ctx,
                        item: Some(index),
                        extra: &mut item.extra,
                    };
                    map.next_value_seed(seed)
                        .map_err(|err| ctx.blame(Path::ItemField(index, EXTRA_KEY), err))?;
                    continue;
                }
                Key::Unknown(key) => {
                    let path = Path::ItemField(index, &key);
                    next_extra(&mut map, ctx, &mut item.extra, key.clone(), path)?;
                    continue;
                }
            };
            let path = Path::ItemField(index, field.key());
            if seen & field.bit() != 0 {
                return Err(ctx.fail(duplicate(path)));
            }
            seen |= field.bit();
            let m = &mut map;
            match field {
                F::Pid => item.pid = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::ItemId => item.item_id = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Qty => item.qty = next_typed(m, ctx, path, Scalar::into_count)?,
                F::Title => item.title = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Sku => item.sku = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::SendLink => item.send_link = next_typed(m, ctx, path, Scalar::into_flag)?,
                F::Category => item.category = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Options => item.options = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Digital => item.digital = next_typed(m, ctx, path, Scalar::into_flag)?,
                F::FileUrl => item.file_url = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::Price => item.price = next_typed(m, ctx, path, Scalar::into_decimal)?,
                F::SerialNums => {
                    item.serial_nums = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
                F::DlCnt => item.dl_cnt = next_typed(m, ctx, path, Scalar::into_count)?,
                F::DlMax => item.dl_max = next_typed(m, ctx, path, Scalar::into_count)?,
                F::DlUnlimited => item.dl_unlimited = next_typed(m, ctx, path, Scalar::into_flag)?,
                F::Did => item.did = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::PartOfBundle => {
                    item.part_of_bundle = next_typed(m, ctx, path, Scalar::into_flag)?;
                }
                F::BundleId => item.bundle_id = next_typed(m, ctx, path, |s| Ok(s.into_text()))?,
                F::BundleName => {
                    item.bundle_name = next_typed(m, ctx, path, |s| Ok(s.into_text()))?;
                }
            }
        }
        for required in [F::Pid, F::Qty, F::Price] {
            if seen & required.bit() == 0 {
                let path = Path::ItemField(index, required.key());
                return Err(ctx.fail(Error::missing(path.to_string())));
            }
        }
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(BodyShape::detect(b"{}"), BodyShape::Json);
        assert_eq!(BodyShape::detect(b"\xEF\xBB\xBF \n\t{"), BodyShape::Json);
        assert_eq!(BodyShape::detect(b"[1]"), BodyShape::Json);
        assert_eq!(BodyShape::detect(b"order=%7B%7D"), BodyShape::Form);
        assert_eq!(BodyShape::detect(b""), BodyShape::Form);
        assert_eq!(BodyShape::Json.content_type(), "application/json");
        assert_eq!(
            BodyShape::Form.content_type(),
            "application/x-www-form-urlencoded"
        );
    }

    #[test]
    fn unencoded_order_is_found() {
        assert_eq!(
            unencoded_order(b"order = {\"a\":1}"),
            Some(&b"{\"a\":1}"[..])
        );
        assert_eq!(unencoded_order(b"order={}"), Some(&b"{}"[..]));
        assert_eq!(unencoded_order(b"order=%7B%7D"), None);
        assert_eq!(unencoded_order(b"orders={}"), None);
        assert_eq!(unencoded_order(b"order"), None);
    }

    #[test]
    fn paths_print_as_on_the_wire() {
        assert_eq!(Path::Field("oid").to_string(), "oid");
        assert_eq!(Path::Item(3).to_string(), "items[3]");
        assert_eq!(Path::ItemField(3, "qty").to_string(), "items[3].qty");
        assert_eq!(Path::Extra(None, "a").to_string(), "extra.a");
        assert_eq!(Path::Extra(Some(3), "a").to_string(), "items[3].extra.a");
    }

    #[test]
    fn exponents_are_written_out_digit_for_digit() {
        for (text, plain) in [
            ("2.5E+2", Some("250")),
            ("1e3", Some("1000")),
            ("-1e-3", Some("-0.001")),
            ("19.950e0", Some("19.950")),
            ("1.23456e2", Some("123.456")),
            ("5e-1", Some("0.5")),
            ("1e65", None),
            // i64::MIN has no absolute value in i64 (found by the cartloom_json fuzz target).
            ("1e-9223372036854775808", None),
            ("1e9223372036854775807", None),
            ("1e", None),
            ("19.95", None),
        ] {
            assert_eq!(plain_decimal(text).as_deref(), plain, "{text}");
        }
    }

    /// The fast pass (with its fallback) and the exact pass give the same order, or fail on
    /// the same field the same way, on every kind of scalar in every kind of field.
    #[test]
    fn the_fast_pass_reads_as_the_exact_pass() {
        let values = [
            r#""text""#,
            r#""with \"escapes\" \u00e9 \n""#,
            r#""""#,
            r#""null""#,
            r#""1""#,
            r#""\u0031""#,
            r#""19.950""#,
            r#""2013-02-0904:30:25""#,
            "0",
            "17",
            "-5",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0",
            "1e3",
            "2.5E+2",
            "19.950",
            "0.1000000000000000055511151231257827",
            "true",
            "false",
            "null",
            "{}",
            "[1]",
        ];
        let order_fields = [
            "oid",
            "on_hold",
            "date",
            "subtotal",
            "refund_amount",
            "billing_company",
        ];
        let item_fields = ["pid", "qty", "title", "digital", "price", "dl_max"];
        let mut bodies = vec![crate::samples::ORDER_JSON.to_owned()];
        for value in values {
            for field in order_fields {
                let mut base = serde_json::json!({
                    "oid": "1", "subtotal": "0", "grandtotal": "0", "items": [],
                });
                base.as_object_mut().map(|o| o.remove(field));
                let text = base.to_string();
                bodies.push(format!("{{\"{field}\":{value},{}", &text[1..]));
            }
            for field in item_fields {
                let mut item = serde_json::json!({"pid": "1", "qty": "1", "price": "1"});
                item.as_object_mut().map(|o| o.remove(field));
                let text = item.to_string();
                let item = format!("{{\"{field}\":{value},{}", &text[1..]);
                bodies.push(format!(
                    r#"{{"oid":"1","subtotal":"0","grandtotal":"0","items":[{item},{item}]}}"#
                ));
            }
        }
        let decoder = Decoder::new();
        for body in &bodies {
            let fast = decoder.decode_json(body.as_bytes());
            let exact = read_order(body.as_bytes(), &Ctx::exact(Decoder::DEFAULT_MAX_ITEMS));
            match (fast, exact) {
                (Ok(fast), Ok(exact)) => assert_eq!(fast, exact, "{body}"),
                (Err(fast), Err(exact)) => {
                    assert_eq!(fast.kind(), exact.kind(), "{body}");
                    assert_eq!(fast.field(), exact.field(), "{body}");
                }
                (fast, exact) => panic!("{body}: fast {fast:?}, exact {exact:?}"),
            }
        }
        // Some of them went through the fallback, some did not.
        let float = r#"{"oid":"1","subtotal":19.950,"grandtotal":"0","items":[]}"#;
        let ctx = Ctx::new(Mode::Wire, 1);
        assert!(read_order(float.as_bytes(), &ctx).is_err());
        assert!(ctx.needs_exact.get());
        assert_eq!(
            decoder
                .decode_json(float.as_bytes())
                .map(|o| o.subtotal.to_string()),
            Ok("19.950".to_owned())
        );
        let integer = r#"{"oid":"1","subtotal":19,"grandtotal":"0","items":[]}"#;
        let ctx = Ctx::new(Mode::Wire, 1);
        assert!(read_order(integer.as_bytes(), &ctx).is_ok());
        assert!(!ctx.needs_exact.get());
    }

    /// `extra_inputs` keeps its text exactly, the usual `[]` included.
    #[test]
    fn extra_inputs_keep_their_text() {
        for text in ["[]", "[ ]", "[1.50]", r#"{"a":"\u00e9"}"#, "null", r#""x""#] {
            let body = format!(
                r#"{{"oid":"1","subtotal":"0","grandtotal":"0","items":[],"extra_inputs":{text}}}"#
            );
            let order = decode_json(body.as_bytes()).unwrap();
            assert_eq!(order.extra_inputs.get(), text);
        }
        let body = r#"{"oid":"1","subtotal":"0","grandtotal":"0","items":[],"extra_inputs":[]}"#;
        assert_eq!(
            decode_json(body.as_bytes()).unwrap().extra_inputs,
            RawJson::empty_array()
        );
    }

    /// A body that is not UTF-8 is read as bytes, and the error names the field.
    #[test]
    fn a_bad_byte_is_blamed_on_its_field() {
        let body = b"{\"oid\":\"1\",\"subtotal\":\"0\",\"grandtotal\":\"0\",\"items\":[],\"notes\":\"\xff\"}";
        let err = decode_json(body).unwrap_err();
        assert_eq!(err.field(), Some("notes"), "{err}");
    }

    #[test]
    fn first_error_wins() {
        let ctx = Ctx::new(Mode::Wire, 1);
        let _: serde_json::Error = ctx.fail(Error::missing("a"));
        let _: serde_json::Error = ctx.fail(Error::missing("b"));
        assert_eq!(ctx.take(), Some(Error::missing("a")));
        assert_eq!(ctx.take(), None);
    }
}
