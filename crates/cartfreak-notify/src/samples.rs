//! Vendor-style sample payloads (the fixtures of this crate's `tests/fixtures/`), for testing a
//! receiver without CartFreak.
//!
//! Every signed sample uses [`SAMPLE_API_KEY`]. The constants are the exact wire bytes the cart
//! sends: query strings of the GET flavour, form bodies of the POST flavour, one full URL.
//!
//! The `.form` samples are POST bodies, the `.query` samples the query of a GET (deliver them
//! to a path: `/hook?{sample}`), and [`REMOVE_URL`] a GET's full URL.
//!
//! ```
//! use cartfreak_notify::{samples, CartFreakKey, Delivery, Flavour, Receiver};
//!
//! let key = CartFreakKey::new(samples::SAMPLE_API_KEY)?;
//! let received = key.receive(&Delivery::post("/hook", samples::CREATE_FORM.as_bytes()))?;
//! assert_eq!(received.flavour(), Flavour::Form);
//!
//! let get = format!("/hook?{}", samples::CREATE_QUERY);
//! let received = CartFreakKey::receive_unverified(&Delivery::get(&get))?; // no hash to check
//! assert_eq!(received.flavour(), Flavour::Query);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The API key the signed samples were hashed with.
pub const SAMPLE_API_KEY: &str = "sk_cartfreak_demo";

/// A full `CREATE` (recurring, separate shipping address), GET flavour.
pub const CREATE_QUERY: &str = include_str!("../tests/fixtures/create.query");
/// A `CREATE` of a one-off product with blank shipping fields, GET flavour.
pub const CREATE_BLANK_SHIPPING_QUERY: &str =
    include_str!("../tests/fixtures/create_blank_shipping.query");
/// The vendor page's `REMOVE` example, as the full URL the cart calls.
pub const REMOVE_URL: &str = include_str!("../tests/fixtures/remove.url");
/// The vendor page's `REMOVE` example, query string only.
pub const REMOVE_QUERY: &str = include_str!("../tests/fixtures/remove.query");
/// A `CREATE` in the POST flavour, with a valid hash.
pub const CREATE_FORM: &str = include_str!("../tests/fixtures/create.form");
/// A `CREATE` in the POST flavour whose hash was tampered with.
pub const CREATE_TAMPERED_HASH_FORM: &str =
    include_str!("../tests/fixtures/create_tampered_hash.form");
/// A `REMOVE` in the POST flavour.
pub const REMOVE_FORM: &str = include_str!("../tests/fixtures/remove.form");
/// A `RENEW` in the POST flavour.
pub const RENEW_FORM: &str = include_str!("../tests/fixtures/renew.form");
/// A `COMPLETE` in the POST flavour.
pub const COMPLETE_FORM: &str = include_str!("../tests/fixtures/complete.form");
/// A `DECLINE` in the POST flavour.
pub const DECLINE_FORM: &str = include_str!("../tests/fixtures/decline.form");
/// A command this crate does not know (`REFUND`), with its fields.
pub const UNKNOWN_COMMAND_QUERY: &str = include_str!("../tests/fixtures/unknown_command.query");
/// A `CREATE` with Cyrillic names and address.
pub const CYRILLIC_QUERY: &str = include_str!("../tests/fixtures/cyrillic.query");
/// A `CREATE` with accented Latin names and addresses.
pub const ACCENTED_QUERY: &str = include_str!("../tests/fixtures/accented.query");
/// A `CREATE` with two unknown fields.
pub const EXTRA_FIELDS_QUERY: &str = include_str!("../tests/fixtures/extra_fields.query");
/// A `CREATE` whose total is not amount minus fee.
pub const TOTAL_MISMATCH_QUERY: &str = include_str!("../tests/fixtures/total_mismatch.query");
/// An API URL with a query of its own and a fragment.
pub const API_URL_WITH_QUERY: &str = include_str!("../tests/fixtures/api_url_with_query.txt");

/// Every wire sample by a short name (`create`, `remove-url`, `renew`, …), one per message
/// kind and flavour.
pub const ALL: [(&str, &str); 15] = [
    ("create", CREATE_QUERY),
    ("create-blank-shipping", CREATE_BLANK_SHIPPING_QUERY),
    ("remove-url", REMOVE_URL),
    ("remove", REMOVE_QUERY),
    ("create-form", CREATE_FORM),
    ("create-tampered-hash", CREATE_TAMPERED_HASH_FORM),
    ("remove-form", REMOVE_FORM),
    ("renew", RENEW_FORM),
    ("complete", COMPLETE_FORM),
    ("decline", DECLINE_FORM),
    ("unknown-command", UNKNOWN_COMMAND_QUERY),
    ("cyrillic", CYRILLIC_QUERY),
    ("accented", ACCENTED_QUERY),
    ("extra-fields", EXTRA_FIELDS_QUERY),
    ("total-mismatch", TOTAL_MISMATCH_QUERY),
];
