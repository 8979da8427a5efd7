//! CartStack's answer: [`ConfirmResponse`] as on the wire, and the typed [`Outcome`] it means.
//!
//! The answer is `{"resp": 100, "err_txt": "…"}`. One code covers several cases (102 is four
//! different failures), so [`ConfirmResponse::outcome`] also reads the text.
//!
//! # Decisions (the vendor is silent on these)
//!
//! * `resp` may be a number (`100`) or a string (`"100"`, white space allowed); the form
//!   received is kept ([`Resp`]) and written back, a number that is not a 64-bit integer
//!   (`1e2`, `100.0`, ninety digits) as its wire text, so that no float conversion decides
//!   its value. Any other code, a string that is not a number, a negative or fractional
//!   number, is [`Outcome::Unknown`], never an error.
//! * `err_txt` is optional; `null` is read as absent. The sub-cases of 101 and 102 are told
//!   apart by the text, case-insensitively, ignoring surrounding white space; the phrases are
//!   the vendor's (see [`Outcome`]). A 101 whose text is not about the email is
//!   [`Outcome::MissingField`]; a 102 with a text not listed is [`Outcome::GeneralError`].
//! * Other members of the object are kept in [`ConfirmResponse::extra`], each value as the
//!   JSON text received ([`RawJson`], as Cartloom and Cartfunnel keep theirs), and written
//!   back byte for byte. (They used to be `serde_json::Value`s, which rounded numbers past
//!   `f64`'s digits and cost a map and a string per member.) A member nested deeper than
//!   [`RawJson::MAX_DEPTH`] levels makes the answer an [`UnexpectedBody`](crate::UnexpectedBody)
//!   naming it.
//! * A UTF-8 byte-order mark before the JSON (PHP files saved with one emit it) is skipped.
//! * The vendor does not show the success body or the exact 101 "missing" text; the answers
//!   built by [`ConfirmResponse::for_outcome`] use `"err_txt": ""` and
//!   `"Missing required field"`.

use core::cell::Cell;
use core::fmt;

use cartwire_core::Extra;
use cartwire_core::json::{RawJson, WithinDepth};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer, ser};
use serde_json::value::RawValue;

/// The `resp` member, in the form it came: a JSON number or a string.
///
/// ```
/// use cartstack_confirm::{ConfirmResponse, Resp};
///
/// let answer = ConfirmResponse::from_slice(br#"{"resp":1e2}"#)?;
/// assert_eq!(answer.resp, Resp::NumberText("1e2".into()));
/// assert_eq!(answer.resp.code(), None); // not a code CartStack writes
/// assert_eq!(answer.to_json(), r#"{"resp":1e2}"#); // written back as it came
/// # Ok::<(), cartstack_confirm::UnexpectedBody>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resp {
    /// `"resp": 100`: an integer that fits 64 bits, written as serde_json writes it.
    Number(serde_json::Number),
    /// `"resp": "100"` (kept as received, white space and all)
    Text(String),
    /// Any other JSON number (`1e2`, `100.0`, `-0`, ninety digits), kept as its wire text: a
    /// conversion to a float would change it. Always valid JSON number text.
    NumberText(String),
}

impl Resp {
    /// The code as a number, if it is one (`100`, `"100"`, `" 102 "`); `None` for `"abc"`,
    /// negative numbers, fractions and values past `u32::MAX`.
    pub fn code(&self) -> Option<u32> {
        match self {
            Resp::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Resp::Text(t) => {
                // CartStack's form, three digits, read without the general trim and parse.
                if let [a @ b'0'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9'] = *t.as_bytes() {
                    let digit = |d: u8| u32::from(d - b'0');
                    return Some(digit(a) * 100 + digit(b) * 10 + digit(c));
                }
                let t = t.trim();
                // `u32::from_str` accepts a leading `+`; CartStack's codes never have one.
                if t.bytes().all(|b| b.is_ascii_digit()) {
                    t.parse().ok()
                } else {
                    None
                }
            }
            Resp::NumberText(_) => None,
        }
    }

    /// A JSON number's wire text as a [`Resp`]: [`Resp::Number`] when serde_json writes the
    /// same text back (a 64-bit integer in its plain spelling), [`Resp::NumberText`] otherwise.
    fn from_number_text(text: &str) -> Resp {
        // serde_json writes a 64-bit integer as its digits, without a leading zero (but `0`),
        // after a `-` if negative (`-0` is written `0`): text of that spelling reads back the
        // same, and is told by looking at it instead of writing the number out to compare.
        let (negative, digits) = match text.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, text),
        };
        let plain = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (!digits.starts_with('0') || (digits == "0" && !negative));
        let exact = match (plain, negative) {
            (false, _) => None,
            (true, true) => text.parse::<i64>().ok().map(serde_json::Number::from),
            (true, false) => text.parse::<u64>().ok().map(serde_json::Number::from),
        };
        match exact {
            Some(number) => Resp::Number(number),
            None => Resp::NumberText(text.to_owned()),
        }
    }
}

impl From<u32> for Resp {
    fn from(code: u32) -> Self {
        Resp::Number(code.into())
    }
}

impl fmt::Display for Resp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resp::Number(n) => write!(f, "{n}"),
            Resp::Text(t) => write!(f, "{t:?}"),
            Resp::NumberText(t) => f.write_str(t),
        }
    }
}

impl Serialize for Resp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Resp::Number(n) => n.serialize(s),
            Resp::Text(t) => s.serialize_str(t),
            Resp::NumberText(t) => RawValue::from_string(t.clone())
                .map_err(ser::Error::custom)?
                .serialize(s),
        }
    }
}

/// Read through the member's raw JSON text, so that a number's value is never decided by a
/// float conversion (a ninety-digit `resp` read as a float was written back as another
/// number: found by the fuzzer).
impl<'de> Deserialize<'de> for Resp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Resp::from_raw(raw.get())
    }
}

impl Resp {
    /// A member's raw JSON text as a [`Resp`].
    fn from_raw<E: de::Error>(text: &str) -> Result<Resp, E> {
        match text.as_bytes().first() {
            // A raw string without a backslash is its text between the quotes (serde_json
            // has checked it); only escapes need a second reading.
            Some(b'"') if !text.contains('\\') => {
                match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
                    Some(inner) => Ok(Resp::Text(inner.to_owned())),
                    None => Err(de::Error::custom("a string without its quotes")),
                }
            }
            Some(b'"') => serde_json::from_str(text)
                .map(Resp::Text)
                .map_err(de::Error::custom),
            Some(b'-' | b'0'..=b'9') => Ok(Resp::from_number_text(text)),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other(text),
                &"a number or a string",
            )),
        }
    }
}

/// CartStack's answer, as on the wire.
///
/// ```
/// use cartstack_confirm::{ConfirmResponse, Outcome};
///
/// let answer = ConfirmResponse::from_slice(br#"{"resp":"102","err_txt":"Not a valid site id."}"#)?;
/// assert_eq!(answer.outcome(), Outcome::InvalidSiteId);
/// assert_eq!(answer.resp.code(), Some(102));
/// # Ok::<(), cartstack_confirm::UnexpectedBody>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ConfirmResponse {
    /// The code: 100 success, 101 bad request, 102 general error, 103 key mismatch.
    pub resp: Resp,
    /// The vendor's text (`"Not a valid site id."`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_txt: Option<String>,
    /// Members besides `resp` and `err_txt`, in arrival order, each value as the JSON text
    /// received ([`RawJson`]), written back byte for byte.
    #[serde(flatten)]
    pub extra: Extra<RawJson>,
}

impl ConfirmResponse {
    /// An answer with this code and text and nothing else.
    pub fn new(resp: impl Into<Resp>, err_txt: Option<String>) -> Self {
        Self {
            resp: resp.into(),
            err_txt,
            extra: Extra::new(),
        }
    }

    /// The typed meaning of the code and text.
    pub fn outcome(&self) -> Outcome {
        let text = self.err_txt.as_deref().unwrap_or("");
        match self.resp.code() {
            Some(100) => Outcome::Success,
            Some(101) => match vendor_text(&TEXTS_101, text) {
                Some(outcome) => outcome,
                None => match first_phrase(&PHRASES_101, text) {
                    Some((0, _)) => Outcome::InvalidEmail,
                    _ => Outcome::MissingField,
                },
            },
            Some(102) => {
                // The vendor's texts as it writes them are read without a search: most
                // answers carry one word for word. (A text that starts with the first phrase
                // in precedence is that case whatever follows; a whole vendor text holds no
                // phrase listed before its own, which a test checks.)
                if let Some(rest) = strip_prefix_ignore_ascii_case(text, CART_NOT_FOUND_TEXT) {
                    return cart_not_found(rest);
                }
                if let Some(outcome) = vendor_text(&TEXTS_102, text) {
                    return outcome;
                }
                match first_phrase(&PHRASES_102, text) {
                    // A match of an ASCII phrase ends on a character boundary.
                    Some((0, at)) => {
                        cart_not_found(text.get(at + CART_NOT_FOUND.len()..).unwrap_or(""))
                    }
                    Some((1, _)) => Outcome::InvalidSiteId,
                    Some((2, _)) => Outcome::InsertFailed,
                    Some((3, _)) => Outcome::NoCart,
                    _ => Outcome::GeneralError,
                }
            }
            Some(103) => Outcome::KeyMismatch,
            _ => Outcome::Unknown,
        }
    }

    /// The answer CartStack gives for an outcome, with the vendor's wording (for emulators
    /// and tests). [`Outcome::Unknown`] has no code of its own and gives `None`.
    pub fn for_outcome(outcome: &Outcome) -> Option<Self> {
        let (code, text): (u32, String) = match outcome {
            Outcome::Success => (100, String::new()),
            Outcome::MissingField => (101, MISSING_FIELD.to_owned()),
            Outcome::InvalidEmail => (101, INVALID_EMAIL.to_owned()),
            Outcome::CartNotFound { email } => (
                102,
                match email {
                    Some(email) => format!("{CART_NOT_FOUND_TEXT} {email}"),
                    None => CART_NOT_FOUND_TEXT.to_owned(),
                },
            ),
            Outcome::InvalidSiteId => (102, INVALID_SITE_ID.to_owned()),
            Outcome::InsertFailed => (102, INSERT_FAILED.to_owned()),
            Outcome::NoCart => (102, NO_CART.to_owned()),
            Outcome::GeneralError => (102, "General error".to_owned()),
            Outcome::KeyMismatch => (103, "API Key does not match".to_owned()),
            Outcome::Unknown => return None,
        };
        Some(Self::new(code, Some(text)))
    }
}

/// By hand rather than derived: `#[serde(flatten)]` buffers every member first, which made
/// reading an answer three times slower. `resp` is required (a number or a string); `err_txt`
/// is a string or null; every other member is kept; a repeated member keeps its last value.
impl<'de> Deserialize<'de> for ConfirmResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(AnswerVisitor {
            resp: RespReading::Boxed,
        })
    }
}

impl ConfirmResponse {
    /// Reads an answer from JSON text as [`Deserialize`] does, with `resp`'s raw text borrowed
    /// from the input instead of boxed (a JSON slice can always lend it).
    ///
    /// The text is checked as UTF-8 once, in one pass, and then read as a `str`, so that the
    /// parser does not check every string and key again (a call each: 9% of the time of
    /// reading an answer); bytes that are not UTF-8 go to the byte reader, whose error says
    /// where.
    pub(crate) fn from_json_slice(json: &[u8]) -> serde_json::Result<ConfirmResponse> {
        match core::str::from_utf8(json) {
            Ok(text) => read_answer(|| serde_json::Deserializer::from_str(text)),
            Err(_) => read_answer(|| serde_json::Deserializer::from_slice(json)),
        }
    }
}

/// One answer, and nothing after it, from the deserializers `new` makes over the same text.
///
/// The first pass reads `resp` as serde_json parses it (`deserialize_any`): an integer of 64
/// bits or a string is then kept exactly as the raw text would give it. Anything else (a
/// number serde_json would make a float, which a conversion could change, and the wrong types)
/// stops that pass, and the text is read again with `resp` taken from its raw JSON text (the
/// exact pass), which decides the value or the error. Reading the raw text every time, then
/// parsing it again, cost 4% of the instructions of reading CartStack's sample answers, which
/// always have an integer or a string.
fn read_answer<'de, R: serde_json::de::Read<'de>>(
    new: impl Fn() -> serde_json::Deserializer<R>,
) -> serde_json::Result<ConfirmResponse> {
    let needs_exact = Cell::new(false);
    let read = |resp: RespReading<'_>| {
        let mut de = new();
        let answer = de.deserialize_map(AnswerVisitor { resp })?;
        de.end()?;
        Ok(answer)
    };
    match read(RespReading::Fast(&needs_exact)) {
        Err(_) if needs_exact.get() => read(RespReading::Raw),
        result => result,
    }
}

/// How [`AnswerVisitor`] reads `resp`.
#[derive(Clone, Copy)]
enum RespReading<'a> {
    /// Through `deserialize_any`; a value it cannot keep exactly sets the flag and fails.
    Fast(&'a Cell<bool>),
    /// From the raw JSON text, borrowed (only a deserializer over text in memory lends it).
    Raw,
    /// From the raw JSON text, boxed ([`Deserialize`], for any deserializer).
    Boxed,
}

/// The reading of an answer's members.
struct AnswerVisitor<'a> {
    resp: RespReading<'a>,
}

impl<'de> Visitor<'de> for AnswerVisitor<'_> {
    type Value = ConfirmResponse;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with `resp`")
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut resp = None;
        let mut err_txt = None;
        let mut extra = Extra::new();
        while let Some(key) = map.next_key::<AnswerKey>()? {
            match key {
                AnswerKey::Resp => {
                    resp = Some(match self.resp {
                        RespReading::Fast(needs_exact) => {
                            map.next_value_seed(FastResp { needs_exact })?
                        }
                        RespReading::Raw => {
                            let raw: &'de RawValue = map.next_value()?;
                            Resp::from_raw(raw.get())?
                        }
                        RespReading::Boxed => map.next_value::<Resp>()?,
                    });
                }
                AnswerKey::ErrTxt => err_txt = map.next_value::<Option<String>>()?,
                AnswerKey::Other(name) => {
                    extra.insert(name, map.next_value_seed(WithinDepth(RawJson::MAX_DEPTH))?);
                }
            }
        }
        Ok(ConfirmResponse {
            resp: resp.ok_or_else(|| de::Error::missing_field("resp"))?,
            err_txt,
            extra,
        })
    }
}

/// `resp` as serde_json parses it: a 64-bit integer (in JSON's one spelling of it, which is
/// the spelling [`Resp::Number`] keeps) or a string. Anything else fails (serde's default for
/// the visits not written here), and any failure sets the flag, for the exact pass to read.
struct FastResp<'a> {
    needs_exact: &'a Cell<bool>,
}

impl<'de> de::DeserializeSeed<'de> for FastResp<'_> {
    type Value = Resp;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Resp, D::Error> {
        // Any failure here goes to the exact pass, also serde_json's own (`1e400` is out of
        // range for a float, and fine as `resp`'s text).
        let needs_exact = self.needs_exact;
        let resp = d.deserialize_any(self);
        needs_exact.set(resp.is_err());
        resp
    }
}

impl<'de> Visitor<'de> for FastResp<'_> {
    type Value = Resp;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string")
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Resp, E> {
        Ok(Resp::Number(n.into()))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Resp, E> {
        Ok(Resp::Number(n.into()))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Resp, E> {
        Ok(Resp::Text(text.to_owned()))
    }
    fn visit_string<E: de::Error>(self, text: String) -> Result<Resp, E> {
        Ok(Resp::Text(text))
    }
}

/// A member name of an answer, read without copying it unless it is kept in `extra` (serde's
/// `Cow<str>` is always owned, whatever the input).
enum AnswerKey {
    Resp,
    ErrTxt,
    Other(String),
}

impl<'de> Deserialize<'de> for AnswerKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = AnswerKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<AnswerKey, E> {
                Ok(match name {
                    "resp" => AnswerKey::Resp,
                    "err_txt" => AnswerKey::ErrTxt,
                    other => AnswerKey::Other(other.to_owned()),
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// The phrase of the 102 "cart not found" case; the email follows it.
const CART_NOT_FOUND: &str = "cart not found for email address";
/// [`CART_NOT_FOUND`] as the vendor writes it.
const CART_NOT_FOUND_TEXT: &str = "Cart not found for email address";

/// [`Outcome::CartNotFound`] with the text after the phrase as its email, if any is left
/// once trimmed.
fn cart_not_found(rest: &str) -> Outcome {
    let email = rest.trim();
    Outcome::CartNotFound {
        email: (!email.is_empty()).then(|| email.to_owned()),
    }
}

/// `text` without `prefix` (ASCII) at its start, ignoring ASCII case.
fn strip_prefix_ignore_ascii_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    if same_ascii_text(head, prefix) {
        text.get(prefix.len()..)
    } else {
        None
    }
}

/// Whether `text` is `vendor` (ASCII), ignoring ASCII case. The vendor's own spelling, which is
/// what CartStack sends, is compared first as bytes: `memcmp` took 135 instructions on the
/// sample answers' texts where the case-folding compare took about 1,000.
fn same_ascii_text(text: &str, vendor: &str) -> bool {
    text.len() == vendor.len() && (text == vendor || text.eq_ignore_ascii_case(vendor))
}

/// The 101 texts CartStack writes, whole, and the outcome each one means.
const TEXTS_101: [(&str, Outcome); 2] = [
    (INVALID_EMAIL, Outcome::InvalidEmail),
    (MISSING_FIELD, Outcome::MissingField),
];

/// The 102 texts CartStack writes, whole (but "Cart not found for email address", which has
/// the email after it), and the outcome each one means.
const TEXTS_102: [(&str, Outcome); 3] = [
    (INVALID_SITE_ID, Outcome::InvalidSiteId),
    (INSERT_FAILED, Outcome::InsertFailed),
    (NO_CART, Outcome::NoCart),
];

/// The vendor's 101 text for a bad email.
const INVALID_EMAIL: &str = "Invalid Email Address";
/// The 101 text for a missing field (the vendor does not show it; this is our wording).
const MISSING_FIELD: &str = "Missing required field";
/// The vendor's 102 text for an unknown site id.
const INVALID_SITE_ID: &str = "Not a valid site id.";
/// The vendor's 102 text for a failure on its side.
const INSERT_FAILED: &str = "Purchase Insert Failed";
/// The vendor's 102 text when the email has no cart.
const NO_CART: &str =
    "No cart exists for this email address. Please create a cart first before marking a purchase.";

/// The outcome of `text` if it is one of `texts` exactly, ignoring ASCII case. Lengths are
/// compared first, so a text that is none of them costs a few comparisons.
fn vendor_text(texts: &[(&str, Outcome)], text: &str) -> Option<Outcome> {
    texts
        .iter()
        .find(|(vendor, _)| same_ascii_text(text, vendor))
        .map(|(_, outcome)| outcome.clone())
}

/// The phrase of the 101 "Invalid Email Address" case.
const PHRASES_101: [Phrase; 1] = [Phrase::new("invalid email", 2)];

/// The phrases of the 102 cases, in order of precedence: a text that holds two of them is
/// the case of the first listed.
const PHRASES_102: [Phrase; 4] = [
    Phrase::new(CART_NOT_FOUND, 9),
    Phrase::new("not a valid site id", 6),
    Phrase::new("insert failed", 7),
    Phrase::new("no cart exists", 10),
];

/// An ASCII phrase in lower case, and the place of its rarest letter in English text (`x`,
/// `v`, `f`), which the search looks for first.
struct Phrase {
    text: &'static str,
    anchor: usize,
}

impl Phrase {
    const fn new(text: &'static str, anchor: usize) -> Self {
        assert!(anchor < text.len(), "the anchor is a byte of the phrase");
        Self { text, anchor }
    }

    /// Where the phrase first occurs in `haystack`, ignoring ASCII case. `memchr` finds the
    /// rare anchor letter (either case) with vector instructions, so the few places where it
    /// occurs are the only ones compared; scanning every byte for the phrase's first letter,
    /// a common one, was three times slower on CartStack's texts. Matching on bytes never
    /// changes offsets (unlike `to_lowercase`), and a match of an ASCII phrase starts and
    /// ends on character boundaries, so the offset slices the original text.
    fn find_in(&self, haystack: &str) -> Option<usize> {
        let bytes = haystack.as_bytes();
        let phrase = self.text.as_bytes();
        let anchor = *phrase.get(self.anchor)?;
        // A hit at `i` of the bytes from `self.anchor` on is a phrase starting at `i`.
        let after = bytes.get(self.anchor..)?;
        memchr::memchr2_iter(
            anchor.to_ascii_lowercase(),
            anchor.to_ascii_uppercase(),
            after,
        )
        .find(|&start| {
            bytes.get(start..).is_some_and(|rest| {
                rest.len() >= phrase.len()
                    && rest
                        .iter()
                        .zip(phrase)
                        .all(|(byte, wanted)| byte.to_ascii_lowercase() == *wanted)
            })
        })
    }
}

/// The first of `phrases` (in order of precedence) that occurs in `text`, with its index and
/// where it first occurs.
fn first_phrase(phrases: &[Phrase], text: &str) -> Option<(usize, usize)> {
    phrases
        .iter()
        .enumerate()
        .find_map(|(index, phrase)| phrase.find_in(text).map(|at| (index, at)))
}

/// What CartStack's answer means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// 100: the purchase is recorded.
    Success,
    /// 101: a required field (key, site id or email) is missing.
    MissingField,
    /// 101 "Invalid Email Address".
    InvalidEmail,
    /// 102 "Cart not found for email address {email}".
    CartNotFound {
        /// The address CartStack echoed, if it did.
        email: Option<String>,
    },
    /// 102 "Not a valid site id."
    InvalidSiteId,
    /// 102 "Purchase Insert Failed" (a CartStack-side failure; worth a retry later).
    InsertFailed,
    /// 102 "No cart exists for this email address. Please create a cart first before marking
    /// a purchase."
    NoCart,
    /// 102 with a text not listed above.
    GeneralError,
    /// 103 "API Key does not match".
    KeyMismatch,
    /// A code CartStack does not document (the code and text stay in the
    /// [`ConfirmResponse`]).
    Unknown,
}

impl Outcome {
    /// Whether the purchase was recorded.
    pub fn is_success(&self) -> bool {
        matches!(self, Outcome::Success)
    }

    /// The documented code, or `None` for [`Outcome::Unknown`].
    pub fn code(&self) -> Option<u32> {
        Some(match self {
            Outcome::Success => 100,
            Outcome::MissingField | Outcome::InvalidEmail => 101,
            Outcome::CartNotFound { .. }
            | Outcome::InvalidSiteId
            | Outcome::InsertFailed
            | Outcome::NoCart
            | Outcome::GeneralError => 102,
            Outcome::KeyMismatch => 103,
            Outcome::Unknown => return None,
        })
    }

    /// A stable snake_case name (`cart_not_found`), as the CLI prints it.
    pub fn name(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::MissingField => "missing_field",
            Outcome::InvalidEmail => "invalid_email",
            Outcome::CartNotFound { .. } => "cart_not_found",
            Outcome::InvalidSiteId => "invalid_site_id",
            Outcome::InsertFailed => "insert_failed",
            Outcome::NoCart => "no_cart",
            Outcome::GeneralError => "general_error",
            Outcome::KeyMismatch => "key_mismatch",
            Outcome::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(json: &str) -> Outcome {
        ConfirmResponse::from_slice(json.as_bytes())
            .unwrap()
            .outcome()
    }

    #[test]
    fn every_documented_case() {
        assert_eq!(outcome(r#"{"resp":100,"err_txt":""}"#), Outcome::Success);
        assert_eq!(outcome(r#"{"resp":"100"}"#), Outcome::Success);
        assert_eq!(
            outcome(r#"{"resp":101,"err_txt":"Missing required field"}"#),
            Outcome::MissingField
        );
        assert_eq!(outcome(r#"{"resp":101}"#), Outcome::MissingField);
        assert_eq!(
            outcome(r#"{"resp":101,"err_txt":"Invalid Email Address"}"#),
            Outcome::InvalidEmail
        );
        assert_eq!(
            outcome(
                r#"{"resp":102,"err_txt":"Cart not found for email address ann+x@example.com"}"#
            ),
            Outcome::CartNotFound {
                email: Some("ann+x@example.com".to_owned())
            }
        );
        assert_eq!(
            outcome(r#"{"resp":102,"err_txt":"Cart not found for email address "}"#),
            Outcome::CartNotFound { email: None }
        );
        assert_eq!(
            outcome(r#"{"resp":"102","err_txt":"Not a valid site id."}"#),
            Outcome::InvalidSiteId
        );
        assert_eq!(
            outcome(r#"{"resp":102,"err_txt":"Purchase Insert Failed"}"#),
            Outcome::InsertFailed
        );
        assert_eq!(
            outcome(
                r#"{"resp":102,"err_txt":"No cart exists for this email address. Please create a cart first before marking a purchase."}"#
            ),
            Outcome::NoCart
        );
        assert_eq!(
            outcome(r#"{"resp":102,"err_txt":"database is down"}"#),
            Outcome::GeneralError
        );
        assert_eq!(
            outcome(r#"{"resp":103,"err_txt":"API Key does not match"}"#),
            Outcome::KeyMismatch
        );
        assert_eq!(outcome(r#"{"resp":104,"err_txt":"new"}"#), Outcome::Unknown);
        assert_eq!(outcome(r#"{"resp":"abc"}"#), Outcome::Unknown);
        assert_eq!(outcome(r#"{"resp":-100}"#), Outcome::Unknown);
        assert_eq!(outcome(r#"{"resp":100.5}"#), Outcome::Unknown);
        assert_eq!(outcome(r#"{"resp":"+100"}"#), Outcome::Unknown);
    }

    #[test]
    fn text_matching_ignores_case_and_white_space() {
        assert_eq!(
            outcome(r#"{"resp":" 102 ","err_txt":"  NOT A VALID SITE ID  "}"#),
            Outcome::InvalidSiteId
        );
        assert_eq!(
            outcome(r#"{"resp":101,"err_txt":"invalid email address"}"#),
            Outcome::InvalidEmail
        );
        assert_eq!(
            outcome(r#"{"resp":102,"err_txt":"CART NOT FOUND FOR EMAIL ADDRESS Ann@Example.com"}"#),
            Outcome::CartNotFound {
                email: Some("Ann@Example.com".to_owned())
            }
        );
        // Characters whose lower case has another byte length (the Kelvin sign) do not shift
        // the email out of place.
        assert_eq!(
            outcome(
                "{\"resp\":102,\"err_txt\":\"\u{212a}\u{212a} Cart not found for email address a@b.c\"}"
            ),
            Outcome::CartNotFound {
                email: Some("a@b.c".to_owned())
            }
        );
        // The vendor's description of 101 mentions "email" without being about it.
        assert_eq!(
            outcome(
                r#"{"resp":101,"err_txt":"missing required field (api key, site id, or email)"}"#
            ),
            Outcome::MissingField
        );
    }

    #[test]
    fn for_outcome_gives_back_the_same_outcome() {
        for outcome in [
            Outcome::Success,
            Outcome::MissingField,
            Outcome::InvalidEmail,
            Outcome::CartNotFound {
                email: Some("ann@example.com".to_owned()),
            },
            Outcome::CartNotFound { email: None },
            Outcome::InvalidSiteId,
            Outcome::InsertFailed,
            Outcome::NoCart,
            Outcome::GeneralError,
            Outcome::KeyMismatch,
        ] {
            let answer = ConfirmResponse::for_outcome(&outcome).unwrap();
            assert_eq!(answer.resp.code(), outcome.code());
            assert_eq!(answer.outcome(), outcome);
        }
        assert_eq!(ConfirmResponse::for_outcome(&Outcome::Unknown), None);
        assert_eq!(Outcome::Unknown.code(), None);
    }

    /// The plainest reading of the rule: lower the text, search each phrase in order.
    fn outcome_by_the_plain_rule(answer: &ConfirmResponse) -> Outcome {
        fn find(haystack: &str, needle: &str) -> Option<usize> {
            let lower = haystack.to_ascii_lowercase();
            lower.find(needle)
        }
        let text = answer.err_txt.as_deref().unwrap_or("");
        let says = |phrase: &str| find(text, phrase).is_some();
        match answer.resp.code() {
            Some(100) => Outcome::Success,
            Some(101) if says("invalid email") => Outcome::InvalidEmail,
            Some(101) => Outcome::MissingField,
            Some(102) => {
                if let Some(at) = find(text, CART_NOT_FOUND) {
                    let email = text[at + CART_NOT_FOUND.len()..].trim();
                    Outcome::CartNotFound {
                        email: (!email.is_empty()).then(|| email.to_owned()),
                    }
                } else if says("not a valid site id") {
                    Outcome::InvalidSiteId
                } else if says("insert failed") {
                    Outcome::InsertFailed
                } else if says("no cart exists") {
                    Outcome::NoCart
                } else {
                    Outcome::GeneralError
                }
            }
            Some(103) => Outcome::KeyMismatch,
            _ => Outcome::Unknown,
        }
    }

    #[test]
    fn the_vendor_texts_read_without_a_search_as_the_plain_rule() {
        let mut texts: Vec<(u32, String)> = Vec::new();
        for (code, table) in [(101, &TEXTS_101[..]), (102, &TEXTS_102[..])] {
            for (text, outcome) in table {
                assert_eq!(outcome.code(), Some(code), "{text}");
                texts.push((code, (*text).to_owned()));
            }
        }
        texts.push((102, format!("{CART_NOT_FOUND} ann@example.com")));
        texts.push((102, CART_NOT_FOUND.to_owned()));
        texts.push((102, format!("{CART_NOT_FOUND}  ")));
        // The table's texts with any other code, and near misses that must take the search.
        for (_, text) in texts.clone() {
            for code in [100, 101, 102, 103] {
                texts.push((code, text.clone()));
            }
            texts.push((102, format!("{text}.")));
            texts.push((102, format!(" {text}")));
            texts.push((101, format!("{text} (invalid email)")));
            texts.push((
                102,
                format!("{text} cart not found for email address x@y.z"),
            ));
        }
        for (code, text) in texts {
            for text in [
                text.clone(),
                text.to_ascii_uppercase(),
                text.to_ascii_lowercase(),
            ] {
                let answer = ConfirmResponse::new(code, Some(text.clone()));
                assert_eq!(
                    answer.outcome(),
                    outcome_by_the_plain_rule(&answer),
                    "{code} {text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Texts made of the phrases, their pieces, other case, the anchor letters alone and
        /// other letters (é, ß) read as the plain rule reads them.
        #[test]
        fn the_anchored_search_reads_as_the_plain_rule(
            code in 100u32..=104,
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Cart not found for email address", "cart not found for", "NOT A VALID SITE ID",
                    "not a valid", "Insert Failed", "insert", "No cart exists", "no cart",
                    "Invalid Email", "invalid", " ", "é", "ß", "x", " ann@example.com", "c", "n",
                    "X", "v", "F", "f", "cart not f", "ound for email address", "exists",
                ]),
                0..8,
            ),
        ) {
            let text: String = pieces.concat();
            let answer = ConfirmResponse::new(code, Some(text));
            proptest::prop_assert_eq!(answer.outcome(), outcome_by_the_plain_rule(&answer));
        }
    }

    #[test]
    fn resp_codes() {
        for n in 0..1000u32 {
            assert_eq!(Resp::Text(format!("{n:03}")).code(), Some(n));
            assert_eq!(Resp::Text(format!("{n}")).code(), Some(n));
            assert_eq!(Resp::Text(format!(" {n:03}")).code(), Some(n));
        }
        assert_eq!(Resp::Text("1a2".into()).code(), None);
        assert_eq!(Resp::Text("+12".into()).code(), None);
        assert_eq!(Resp::Text("-12".into()).code(), None);
        assert_eq!(Resp::Text("1 2".into()).code(), None);
        assert_eq!(Resp::Text(" 103\n".into()).code(), Some(103));
        assert_eq!(Resp::Text("".into()).code(), None);
        assert_eq!(Resp::Text("99999999999".into()).code(), None);
        assert_eq!(Resp::from(100).to_string(), "100");
        assert_eq!(Resp::Text("100".into()).to_string(), "\"100\"");
    }

    proptest::proptest! {
        /// Whatever `resp` holds, the two passes of the borrowing reader answer as the
        /// derived reading of the raw text does, value or error.
        #[test]
        fn any_resp_reads_as_its_raw_text(
            resp in "-?[0-9]{1,25}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?|\"[ 0-9a-z\\\\\"]{0,6}\"|null|true|\\[\\]",
            tail in proptest::sample::select(vec!["", ",\"err_txt\":\"x\"", ",\"err_txt\":1", ",\"n\":1.5"]),
        ) {
            let body = format!("{{\"resp\":{resp}{tail}}}");
            let borrowed = ConfirmResponse::from_json_slice(body.as_bytes()).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<ConfirmResponse>(&body).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(borrowed, derived, "{}", body);
        }
    }

    #[test]
    fn the_borrowing_reader_answers_as_deserialize_does() {
        let odd: &[&[u8]] = &[
            br#"{"resp":100}"#,
            br#"{"resp":"10\u0030","err_txt":null,"x":[1,{"y":2}]}"#,
            br#"{"resp":-0,"err_txt":"a"}"#,
            br#"{"resp":007}"#,
            br#"{"resp":1e400}"#,
            br#"{"resp":123456789012345678901234567890,"resp":-5}"#,
            br#"{"resp":true}"#,
            br#"{"err_txt":"no resp"}"#,
            br#"{"resp":100} trailing"#,
            br#"[100]"#,
            b"",
            // `resp` in every form the fast pass reads or hands to the exact pass.
            br#"{"resp":-5}"#,
            br#"{"resp":1.5,"err_txt":"x"}"#,
            br#"{"resp":100.0}"#,
            br#"{"resp":1E2}"#,
            br#"{"resp":18446744073709551615}"#,
            br#"{"resp":18446744073709551616}"#,
            br#"{"resp":-9223372036854775808}"#,
            br#"{"resp":-9223372036854775809}"#,
            br#"{"resp":null}"#,
            br#"{"resp":false,"err_txt":"x"}"#,
            br#"{"resp":[1]}"#,
            br#"{"resp":{"code":100}}"#,
            br#"{"resp":"\u00e9 \"q\""}"#,
            br#"{"resp":"100","resp":1e400,"err_txt":"later"}"#,
            br#"{"resp":1e400,"resp":100}"#,
            br#"{"resp":1.5,"err_txt":5}"#,
            br#"{"resp":1.5,"err_txt":"x"} trailing"#,
            b"{\"resp\":\"10\xff\"}",
            b"{\"resp\":1.5,\"err_txt\":\"\xff\"}",
        ];
        let samples = crate::samples::RESPONSES.iter().map(|(_, b)| b.as_bytes());
        for body in samples.chain(odd.iter().copied()) {
            let borrowed = ConfirmResponse::from_json_slice(body).map_err(|e| e.to_string());
            let derived =
                serde_json::from_slice::<ConfirmResponse>(body).map_err(|e| e.to_string());
            assert_eq!(borrowed, derived, "{}", String::from_utf8_lossy(body));
        }
    }
}
