//! The customer resource: [`Customer`] as read, [`NewCustomer`] and [`CustomerUpdate`] as
//! written.
//!
//! # Two JSON forms
//!
//! A [`Customer`] has two JSON forms, and both read back into the same value:
//!
//! * **The wire form**, what Cartfunnel sends: booleans as the strings `"true"`/`"false"`, a
//!   missing last order as the string `"null"`, `tag_list` as one comma-separated string.
//!   [`decode`](crate::decode) reads it leniently (a real JSON boolean, a number in a string,
//!   `null` are all fine); [`Customer::to_wire`] writes it canonically, the way the vendor's
//!   own examples look.
//! * **The typed form**, what `serde` gives ([`Serialize`] on [`Customer`], and what the
//!   `cartwire` command prints): booleans as JSON booleans, absent values as `null`,
//!   `tag_list` as an array. [`Deserialize`] accepts both forms.
//!
//! In both, times are RFC 3339 with milliseconds and the offset as received
//! (`2018-12-04T23:29:37.406-05:00`; a time with sub-millisecond digits keeps them), and
//! unknown attributes are kept in [`Customer::extra`] and written back.
//!
//! # Unknown attributes keep their exact text
//!
//! [`Customer::extra`] is an [`Extra<RawJson>`](cartwire_core::Extra): each unknown
//! attribute's value as the JSON text received (the same type Cartloom and CartStack keep
//! theirs in). It used to be a `serde_json::Map` of `Value`s, which
//! rounded numbers past `f64`'s digits (`12345678901234567890123` came back as
//! `1.2345678901234568e22`) and sorted keys; now the typed form ([`Serialize`]) writes each
//! value back byte for byte, in arrival order. [`RawJson::to_value`] gives a `Value` where
//! one is wanted; the wire form ([`Customer::to_wire`]) is a `Value`, so it holds the values
//! as serde_json reads them, in its map's key order (sorted unless serde_json's
//! `preserve_order` is on), and a number a `Value` cannot hold (`1e400`, which used to make
//! the whole customer fail to read) as its text in a string. A value nested deeper than [`RawJson::MAX_DEPTH`] levels is
//! refused, naming the attribute. Reading a page is also cheaper: no map or string is built
//! inside an unknown value.
//!
//! # Decisions where the vendor is silent
//!
//! * Text attributes (`email`, names, `note`) are kept verbatim: `""` stays `""` and the string
//!   `"null"` stays `"null"` (a person may be called Null); JSON `null` is `None`. Only
//!   non-text attributes (ids, counts, times, booleans) read `"null"` and `""` as absent.
//! * `errors` is documented as an array of messages. An object of the Rails shape
//!   (`{"email": ["is invalid"]}`) or a single string is read too, as messages
//!   (`"email is invalid"`), and written back as an array.
//! * Requests send booleans as JSON booleans (the attribute table says "boolean"); responses
//!   carry strings, which are read either way.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::TagList;
use cartwire_core::json::{RawJson, WithinDepth};
use cartwire_core::{Decimal, Extra, scalar};

/// A customer object as the API returns it.
///
/// Read it with [`decode::customer`](crate::decode::customer) (a bare object) or through the
/// response parsers of the [`request`](crate::request) endpoints, which also turn a failed
/// save into [`ApiError::NotSaved`](crate::ApiError::NotSaved).
///
/// ```
/// use cartfunnel_client_types::{decode, Customer};
///
/// let customer: Customer = decode::customer(br#"{
///     "id": 32199, "email": "anna@example.com", "accepts_marketing": "false",
///     "total_spent_cents": 4995, "last_order_id": "null", "persisted": "true",
///     "created_at": "2019-02-04T23:29:37.406-05:00", "loyalty_tier": "gold"
/// }"#)?;
/// assert_eq!(customer.id, 32199);
/// assert_eq!(customer.accepts_marketing, Some(false));
/// assert_eq!(customer.last_order_id, None);
/// assert_eq!(customer.total_spent().map(|d| d.to_string()), Some("49.95".into()));
/// assert_eq!(customer.extra["loyalty_tier"].get(), r#""gold""#); // the JSON text received
/// // Written back the vendor's way, unknown attribute included.
/// let wire = customer.to_wire();
/// assert_eq!(wire["accepts_marketing"], "false");
/// assert_eq!(wire["last_order_id"], "null");
/// assert_eq!(wire["created_at"], "2019-02-04T23:29:37.406-05:00");
/// assert_eq!(wire["loyalty_tier"], "gold");
/// # Ok::<(), cartfunnel_client_types::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Customer {
    /// The customer's id.
    #[serde(with = "scalar::int")]
    pub id: u64,
    /// The e-mail address, verbatim.
    #[serde(default)]
    pub email: Option<String>,
    /// When the record was created.
    #[serde(default, with = "timestamp")]
    pub created_at: Option<OffsetDateTime>,
    /// When the record was last changed.
    #[serde(default, with = "timestamp")]
    pub updated_at: Option<OffsetDateTime>,
    /// Whether the customer accepts marketing e-mail (`"true"`/`"false"` on the wire).
    #[serde(default, with = "scalar::opt_flag")]
    pub accepts_marketing: Option<bool>,
    /// First name, verbatim.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name, verbatim.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The merchant's note, verbatim (`""` when there is none).
    #[serde(default)]
    pub note: Option<String>,
    /// The number of orders (read-only).
    #[serde(default, with = "scalar::opt_int")]
    pub orders_count: Option<u64>,
    /// The total spent, in cents of the shop's currency (read-only); see
    /// [`Customer::total_spent`].
    #[serde(default, with = "scalar::opt_int")]
    pub total_spent_cents: Option<i64>,
    /// Whether the customer is exempt from tax (`"true"`/`"false"` on the wire).
    #[serde(default, with = "scalar::opt_flag")]
    pub tax_exempt: Option<bool>,
    /// The number of subscriptions (read-only).
    #[serde(default, with = "scalar::opt_int")]
    pub subscriptions_count: Option<u64>,
    /// The id of the last order; `None` when the wire says `"null"` (no order yet).
    #[serde(default, with = "scalar::opt_int")]
    pub last_order_id: Option<u64>,
    /// The tags, when the object carries them (a comma-separated string on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_list: Option<TagList>,
    /// Whether the record is saved (`"true"`/`"false"` on the wire).
    #[serde(default, with = "scalar::opt_flag")]
    pub persisted: Option<bool>,
    /// Why a save failed; empty (and absent on the wire) when it did not.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "errors")]
    pub errors: Vec<String>,
    /// Attributes this crate does not know, in arrival order, each value as the JSON text
    /// received (see the [module docs](self)), written back.
    #[serde(flatten)]
    pub extra: Extra<RawJson>,
}

/// The reading of a customer object: what `#[derive(Deserialize)]` with a flattened `extra`
/// reads, in one pass. serde's `flatten` first buffers every attribute of the object (as
/// untyped content) and then reads the struct from the buffer; this visitor reads each known
/// attribute straight into its field, with the same helpers, and only the unknown ones into
/// `extra`. A known attribute twice is an error, as with the derive; `id` is required.
impl<'de> Deserialize<'de> for Customer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(CustomerVisitor)
    }
}

/// Reads one field's value with a `with` helper module's `deserialize`.
macro_rules! with_helper {
    ($name:ident, $ty:ty, $helper:path) => {
        struct $name($ty);
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $helper(d).map($name)
            }
        }
    };
}

with_helper!(IdField, u64, scalar::int::deserialize);
with_helper!(TimeField, Option<OffsetDateTime>, timestamp::deserialize);
with_helper!(FlagField, Option<bool>, scalar::opt_flag::deserialize);
with_helper!(CountField, Option<u64>, scalar::opt_int::deserialize);
with_helper!(CentsField, Option<i64>, scalar::opt_int::deserialize);
with_helper!(ErrorsField, Vec<String>, errors::deserialize);

/// The attribute names of [`Customer`]; unknown names are kept, owned, for `extra`.
enum CustomerKey {
    Id,
    Email,
    CreatedAt,
    UpdatedAt,
    AcceptsMarketing,
    FirstName,
    LastName,
    Note,
    OrdersCount,
    TotalSpentCents,
    TaxExempt,
    SubscriptionsCount,
    LastOrderId,
    TagList,
    Persisted,
    Errors,
    Other(String),
}

impl CustomerKey {
    fn of(name: &str) -> Self {
        match name {
            "id" => Self::Id,
            "email" => Self::Email,
            "created_at" => Self::CreatedAt,
            "updated_at" => Self::UpdatedAt,
            "accepts_marketing" => Self::AcceptsMarketing,
            "first_name" => Self::FirstName,
            "last_name" => Self::LastName,
            "note" => Self::Note,
            "orders_count" => Self::OrdersCount,
            "total_spent_cents" => Self::TotalSpentCents,
            "tax_exempt" => Self::TaxExempt,
            "subscriptions_count" => Self::SubscriptionsCount,
            "last_order_id" => Self::LastOrderId,
            "tag_list" => Self::TagList,
            "persisted" => Self::Persisted,
            "errors" => Self::Errors,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl<'de> Deserialize<'de> for CustomerKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = CustomerKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an attribute name")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<CustomerKey, E> {
                Ok(CustomerKey::of(name))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

struct CustomerVisitor;

/// Stores a known attribute's value, refusing a second one as the derive does.
fn once<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    value: T,
    name: &'static str,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> serde::de::Visitor<'de> for CustomerVisitor {
    type Value = Customer;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a customer object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Customer, A::Error> {
        let mut id = None;
        let mut email = None;
        let mut created_at = None;
        let mut updated_at = None;
        let mut accepts_marketing = None;
        let mut first_name = None;
        let mut last_name = None;
        let mut note = None;
        let mut orders_count = None;
        let mut total_spent_cents = None;
        let mut tax_exempt = None;
        let mut subscriptions_count = None;
        let mut last_order_id = None;
        let mut tag_list = None;
        let mut persisted = None;
        let mut errors = None;
        let mut extra = Extra::new();
        while let Some(key) = map.next_key::<CustomerKey>()? {
            match key {
                CustomerKey::Id => once(&mut id, map.next_value::<IdField>()?.0, "id")?,
                CustomerKey::Email => once(&mut email, map.next_value()?, "email")?,
                CustomerKey::CreatedAt => once(
                    &mut created_at,
                    map.next_value::<TimeField>()?.0,
                    "created_at",
                )?,
                CustomerKey::UpdatedAt => once(
                    &mut updated_at,
                    map.next_value::<TimeField>()?.0,
                    "updated_at",
                )?,
                CustomerKey::AcceptsMarketing => once(
                    &mut accepts_marketing,
                    map.next_value::<FlagField>()?.0,
                    "accepts_marketing",
                )?,
                CustomerKey::FirstName => once(&mut first_name, map.next_value()?, "first_name")?,
                CustomerKey::LastName => once(&mut last_name, map.next_value()?, "last_name")?,
                CustomerKey::Note => once(&mut note, map.next_value()?, "note")?,
                CustomerKey::OrdersCount => once(
                    &mut orders_count,
                    map.next_value::<CountField>()?.0,
                    "orders_count",
                )?,
                CustomerKey::TotalSpentCents => once(
                    &mut total_spent_cents,
                    map.next_value::<CentsField>()?.0,
                    "total_spent_cents",
                )?,
                CustomerKey::TaxExempt => once(
                    &mut tax_exempt,
                    map.next_value::<FlagField>()?.0,
                    "tax_exempt",
                )?,
                CustomerKey::SubscriptionsCount => once(
                    &mut subscriptions_count,
                    map.next_value::<CountField>()?.0,
                    "subscriptions_count",
                )?,
                CustomerKey::LastOrderId => once(
                    &mut last_order_id,
                    map.next_value::<CountField>()?.0,
                    "last_order_id",
                )?,
                CustomerKey::TagList => once(&mut tag_list, map.next_value()?, "tag_list")?,
                CustomerKey::Persisted => once(
                    &mut persisted,
                    map.next_value::<FlagField>()?.0,
                    "persisted",
                )?,
                CustomerKey::Errors => {
                    once(&mut errors, map.next_value::<ErrorsField>()?.0, "errors")?
                }
                CustomerKey::Other(name) => {
                    let value = map.next_value_seed(WithinDepth(RawJson::MAX_DEPTH))?;
                    extra.insert(name, value);
                }
            }
        }
        Ok(Customer {
            id: id.ok_or_else(|| serde::de::Error::missing_field("id"))?,
            email: email.flatten(),
            created_at: created_at.flatten(),
            updated_at: updated_at.flatten(),
            accepts_marketing: accepts_marketing.flatten(),
            first_name: first_name.flatten(),
            last_name: last_name.flatten(),
            note: note.flatten(),
            orders_count: orders_count.flatten(),
            total_spent_cents: total_spent_cents.flatten(),
            tax_exempt: tax_exempt.flatten(),
            subscriptions_count: subscriptions_count.flatten(),
            last_order_id: last_order_id.flatten(),
            tag_list: tag_list.flatten(),
            persisted: persisted.flatten(),
            errors: errors.unwrap_or_default(),
            extra,
        })
    }
}

impl Customer {
    /// A customer with this id and nothing else known, for tests and mocks; set the other
    /// (public) fields as needed.
    pub fn new(id: u64) -> Self {
        Self {
            id,
            email: None,
            created_at: None,
            updated_at: None,
            accepts_marketing: None,
            first_name: None,
            last_name: None,
            note: None,
            orders_count: None,
            total_spent_cents: None,
            tax_exempt: None,
            subscriptions_count: None,
            last_order_id: None,
            tag_list: None,
            persisted: None,
            errors: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// The total spent as a decimal amount with two places (`100000` cents is `1000.00`).
    pub fn total_spent(&self) -> Option<Decimal> {
        self.total_spent_cents.map(|cents| Decimal::new(cents, 2))
    }

    /// Whether the object says it was saved: `persisted` is not false and there are no
    /// `errors`.
    pub fn is_saved(&self) -> bool {
        self.persisted != Some(false) && self.errors.is_empty()
    }

    /// The wire form, the way Cartfunnel writes it (see the [module docs](self)).
    pub fn to_wire(&self) -> Value {
        crate::encode::customer(self)
    }
}

/// How many customers a page of `GET /customers.json` holds at most.
pub const PAGE_SIZE: usize = 100;

/// One page of `GET /customers.json?page=N`.
///
/// The API does not say how many pages there are; a page of fewer than [`PAGE_SIZE`]
/// customers is the last one (so when the total is a multiple of 100, the last page is
/// empty).
///
/// ```
/// use cartfunnel_client_types::{Customer, CustomerPage};
///
/// let full = CustomerPage::new(1, (1..=100).map(Customer::new).collect());
/// assert!(!full.is_last());
/// assert_eq!(full.next_page(), Some(2));
/// let short = CustomerPage::new(2, vec![Customer::new(101)]);
/// assert!(short.is_last());
/// assert_eq!(short.next_page(), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CustomerPage {
    /// The page number asked for (the first page is 1).
    pub page: u32,
    /// The customers on the page, in the order received.
    pub customers: Vec<Customer>,
}

impl CustomerPage {
    /// A page.
    pub fn new(page: u32, customers: Vec<Customer>) -> Self {
        Self { page, customers }
    }

    /// Whether this is the last page: it holds fewer than [`PAGE_SIZE`] customers.
    pub fn is_last(&self) -> bool {
        self.customers.len() < PAGE_SIZE
    }

    /// The number of the next page, unless this is the last.
    pub fn next_page(&self) -> Option<u32> {
        if self.is_last() {
            None
        } else {
            self.page.checked_add(1)
        }
    }
}

impl IntoIterator for CustomerPage {
    type Item = Customer;
    type IntoIter = std::vec::IntoIter<Customer>;

    fn into_iter(self) -> Self::IntoIter {
        self.customers.into_iter()
    }
}

/// The setters of the writable attributes, shared by [`NewCustomer`] and [`CustomerUpdate`]
/// (the same fields on the wire, the same builder on our side).
macro_rules! writable_setters {
    () => {
        /// Sets the first name.
        #[must_use]
        pub fn first_name(mut self, value: impl Into<String>) -> Self {
            self.first_name = Some(value.into());
            self
        }

        /// Sets the last name.
        #[must_use]
        pub fn last_name(mut self, value: impl Into<String>) -> Self {
            self.last_name = Some(value.into());
            self
        }

        /// Sets the note.
        #[must_use]
        pub fn note(mut self, value: impl Into<String>) -> Self {
            self.note = Some(value.into());
            self
        }

        /// Sets tax exemption.
        #[must_use]
        pub fn tax_exempt(mut self, value: bool) -> Self {
            self.tax_exempt = Some(value);
            self
        }

        /// Sets marketing consent.
        #[must_use]
        pub fn accepts_marketing(mut self, value: bool) -> Self {
            self.accepts_marketing = Some(value);
            self
        }

        /// Sets the tags.
        #[must_use]
        pub fn tag_list(mut self, value: TagList) -> Self {
            self.tag_list = Some(value);
            self
        }

        /// Sets an attribute this crate does not know (an undocumented one).
        #[must_use]
        pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
            self.extra.insert(name.into(), value.into());
            self
        }
    };
}

/// A customer to create: `POST /customers.json`.
///
/// The e-mail address is required, so it is the constructor's argument: a `NewCustomer`
/// without one cannot be built. Only the attributes set are sent.
///
/// ```
/// use cartfunnel_client_types::{NewCustomer, TagList};
/// use serde_json::json;
///
/// let anna = NewCustomer::new("anna@example.com")?
///     .first_name("Anna")
///     .last_name("Benning")
///     .accepts_marketing(true)
///     .tag_list(["vip", "wholesale"].into_iter().collect::<TagList>());
/// assert_eq!(
///     anna.to_body(),
///     json!({"customer": {
///         "email": "anna@example.com", "first_name": "Anna", "last_name": "Benning",
///         "accepts_marketing": true, "tag_list": "vip, wholesale"
///     }})
/// );
/// assert!(NewCustomer::new("  ").is_err());
/// # Ok::<(), cartfunnel_client_types::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NewCustomer {
    email: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// Tax exemption (the server defaults to false).
    pub tax_exempt: Option<bool>,
    /// Marketing consent (the server defaults to false).
    pub accepts_marketing: Option<bool>,
    /// Tags.
    pub tag_list: Option<TagList>,
    /// Attributes this crate does not know, sent as given (a typed field of the same name
    /// wins).
    pub extra: Map<String, Value>,
}

impl NewCustomer {
    /// A new customer with this e-mail address (trimmed).
    ///
    /// The address is checked only as far as a typo would be caught before a round trip:
    /// it must be non-empty, have no white space, and have text on both sides of one `@`. The
    /// server has the final word (its refusal is
    /// [`ApiError::NotSaved`](crate::ApiError::NotSaved)).
    ///
    /// # Errors
    ///
    /// [`Error::Malformed`](crate::Error::Malformed) naming `customer.email`.
    pub fn new(email: impl Into<String>) -> Result<Self, cartwire_core::Error> {
        let email = email.into();
        let email = email.trim();
        check_email(email)?;
        Ok(Self {
            email: email.to_owned(),
            first_name: None,
            last_name: None,
            note: None,
            tax_exempt: None,
            accepts_marketing: None,
            tag_list: None,
            extra: Map::new(),
        })
    }

    /// The e-mail address.
    pub fn email(&self) -> &str {
        &self.email
    }

    writable_setters!();

    /// The request body, `{"customer": {…}}`.
    pub fn to_body(&self) -> Value {
        crate::encode::new_customer_body(self)
    }
}

fn check_email(email: &str) -> Result<(), cartwire_core::Error> {
    let field = "customer.email";
    if email.is_empty() {
        return Err(cartwire_core::Error::missing(field));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(cartwire_core::Error::malformed(
            field,
            "an e-mail address has no white space",
        ));
    }
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(())
        }
        _ => Err(cartwire_core::Error::malformed(
            field,
            format!("expected an e-mail address like name@example.com, found {email:?}"),
        )),
    }
}

/// Changes to a customer: `PATCH /customers/:id.json`. Only the attributes set are sent.
///
/// ```
/// use cartfunnel_client_types::CustomerUpdate;
/// use serde_json::json;
///
/// let update = CustomerUpdate::new().first_name("Anna").last_name("Jules");
/// assert_eq!(
///     update.to_body(),
///     json!({"customer": {"first_name": "Anna", "last_name": "Jules"}})
/// );
/// assert!(CustomerUpdate::new().is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct CustomerUpdate {
    /// New first name.
    pub first_name: Option<String>,
    /// New last name.
    pub last_name: Option<String>,
    /// New note (`""` clears it).
    pub note: Option<String>,
    /// New tax exemption.
    pub tax_exempt: Option<bool>,
    /// New marketing consent.
    pub accepts_marketing: Option<bool>,
    /// New tags (they replace the old ones; an empty list clears them).
    pub tag_list: Option<TagList>,
    /// Attributes this crate does not know, sent as given (a typed field of the same name
    /// wins).
    pub extra: Map<String, Value>,
}

impl CustomerUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.first_name.is_none()
            && self.last_name.is_none()
            && self.note.is_none()
            && self.tax_exempt.is_none()
            && self.accepts_marketing.is_none()
            && self.tag_list.is_none()
            && self.extra.is_empty()
    }

    writable_setters!();

    /// The request body, `{"customer": {…}}`.
    pub fn to_body(&self) -> Value {
        crate::encode::customer_update_body(self)
    }
}

impl Serialize for NewCustomer {
    /// The wire form of the inner object (what goes under `"customer"`).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::encode::new_customer_fields(self).serialize(s)
    }
}

impl Serialize for CustomerUpdate {
    /// The wire form of the inner object (what goes under `"customer"`).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::encode::customer_update_fields(self).serialize(s)
    }
}

/// RFC 3339 times: read leniently (`""` and `"null"` are absent), written with milliseconds.
pub(crate) mod timestamp {
    use serde::{Deserializer, Serializer};
    use time::OffsetDateTime;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        cartwire_core::scalar::rfc3339::deserialize(d)
    }

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<OffsetDateTime>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => s.serialize_str(&crate::encode::format_timestamp(*t)),
            None => s.serialize_none(),
        }
    }
}

/// `errors`: an array of messages (or, leniently, a Rails-style object or one string).
pub(crate) mod errors {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let value = Value::deserialize(d)?;
        Ok(crate::decode::error_messages(&value))
    }

    pub(crate) fn serialize<S: Serializer>(value: &[String], s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Customer` derived its reading from before it had its own: the derive with a
    /// flattened `extra`. The one-pass visitor must read every input the same way.
    #[derive(Debug, PartialEq, Deserialize)]
    struct Derived {
        #[serde(with = "scalar::int")]
        id: u64,
        #[serde(default)]
        email: Option<String>,
        #[serde(default, with = "timestamp")]
        created_at: Option<OffsetDateTime>,
        #[serde(default, with = "timestamp")]
        updated_at: Option<OffsetDateTime>,
        #[serde(default, with = "scalar::opt_flag")]
        accepts_marketing: Option<bool>,
        #[serde(default)]
        first_name: Option<String>,
        #[serde(default)]
        last_name: Option<String>,
        #[serde(default)]
        note: Option<String>,
        #[serde(default, with = "scalar::opt_int")]
        orders_count: Option<u64>,
        #[serde(default, with = "scalar::opt_int")]
        total_spent_cents: Option<i64>,
        #[serde(default, with = "scalar::opt_flag")]
        tax_exempt: Option<bool>,
        #[serde(default, with = "scalar::opt_int")]
        subscriptions_count: Option<u64>,
        #[serde(default, with = "scalar::opt_int")]
        last_order_id: Option<u64>,
        #[serde(default)]
        tag_list: Option<TagList>,
        #[serde(default, with = "scalar::opt_flag")]
        persisted: Option<bool>,
        #[serde(default, with = "errors")]
        errors: Vec<String>,
        #[serde(flatten)]
        extra: Map<String, Value>,
    }

    #[test]
    fn the_one_pass_reading_is_the_derived_one() {
        let bodies = [
            crate::samples::CUSTOMER,
            r#"{"id": "7"}"#,
            r#"{"id": 7, "email": null, "first_name": null, "note": ""}"#,
            r#"{"id": 7, "last_order_id": "null", "tax_exempt": "true", "persisted": "false"}"#,
            r#"{"id": 7, "created_at": "2019-02-04T23:29:37.406-05:00", "updated_at": null}"#,
            r#"{"id": 7, "tag_list": "a, b", "errors": {"email": ["is taken"]}}"#,
            r#"{"id": 7, "z": 1, "a": {"b": [1, 2]}, "z": 2}"#,
            r#"{"id": 7, "id": 8}"#,
            r#"{"email": "a@b.c"}"#,
            r#"{"id": 7, "accepts_marketing": "maybe"}"#,
            r#"{"id": 7, "created_at": "yesterday"}"#,
            r#"{"id": -1}"#,
            r#"{"id": 7, "orders_count": 1.5}"#,
            r#"[7]"#,
            r#""customer""#,
            r#"{"id": 7, "errors": []}"#,
        ];
        for body in bodies {
            let ours = serde_json::from_str::<Customer>(body);
            let derived = serde_json::from_str::<Derived>(body);
            match (&ours, &derived) {
                (Ok(c), Ok(d)) => {
                    let c = c.clone();
                    let rebuilt = Derived {
                        id: c.id,
                        email: c.email,
                        created_at: c.created_at,
                        updated_at: c.updated_at,
                        accepts_marketing: c.accepts_marketing,
                        first_name: c.first_name,
                        last_name: c.last_name,
                        note: c.note,
                        orders_count: c.orders_count,
                        total_spent_cents: c.total_spent_cents,
                        tax_exempt: c.tax_exempt,
                        subscriptions_count: c.subscriptions_count,
                        last_order_id: c.last_order_id,
                        tag_list: c.tag_list,
                        persisted: c.persisted,
                        errors: c.errors,
                        // The derive read values; ours keeps their text, which reads the same.
                        extra: c
                            .extra
                            .iter()
                            .map(|(name, raw)| (name.clone(), raw.to_value().unwrap()))
                            .collect(),
                    };
                    assert_eq!(&rebuilt, d, "{body}");
                }
                (Err(_), Err(_)) => {}
                _ => panic!("{body}: ours {ours:?}, derived {derived:?}"),
            }
        }
    }

    #[test]
    fn new_customer_requires_an_email() {
        for bad in [
            "",
            "   ",
            "anna",
            "@example.com",
            "anna@",
            "an na@example.com",
            "a@b@c",
        ] {
            let err = NewCustomer::new(bad).unwrap_err();
            assert_eq!(err.field(), Some("customer.email"), "{bad:?}");
        }
        let ok = NewCustomer::new(" anna@example.com\n").unwrap();
        assert_eq!(ok.email(), "anna@example.com");
    }

    #[test]
    fn update_is_empty_until_something_is_set() {
        assert!(CustomerUpdate::new().is_empty());
        assert!(!CustomerUpdate::new().note("").is_empty());
        assert!(!CustomerUpdate::new().tag_list(TagList::new()).is_empty());
        assert!(!CustomerUpdate::new().field("x", 1).is_empty());
    }

    #[test]
    fn total_spent_is_cents_over_a_hundred() {
        let mut c = Customer::new(1);
        assert_eq!(c.total_spent(), None);
        c.total_spent_cents = Some(100000);
        assert_eq!(c.total_spent().unwrap().to_string(), "1000.00");
        c.total_spent_cents = Some(-5);
        assert_eq!(c.total_spent().unwrap().to_string(), "-0.05");
    }

    #[test]
    fn saved_means_persisted_and_no_errors() {
        let mut c = Customer::new(1);
        assert!(c.is_saved());
        c.persisted = Some(true);
        assert!(c.is_saved());
        c.errors.push("An error has occurred".into());
        assert!(!c.is_saved());
        c.errors.clear();
        c.persisted = Some(false);
        assert!(!c.is_saved());
    }
}
