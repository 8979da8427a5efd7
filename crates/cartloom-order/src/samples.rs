//! Vendor-style sample bodies, for tests of a receiver (yours, and this crate's own tests,
//! benches, fuzz seeds and the `cartwire samples cartloom` command).
//!
//! The sample order is the one on Cartloom's notify-server page: two digital items, a glued
//! order date (`2013-02-0904:30:25`), a zero shipping date, `null` company and VAT number.
//!
//! ```
//! let order = cartloom_order::decode(cartloom_order::samples::ORDER_JSON.as_bytes())?;
//! assert_eq!(order.items.len(), 2);
//! assert_eq!(cartloom_order::decode(cartloom_order::samples::ORDER_FORM.as_bytes())?, order);
//! # Ok::<(), cartloom_order::Error>(())
//! ```

/// The sample order as compact JSON, as PHP's `json_encode` writes it (the raw JSON body).
pub const ORDER_JSON: &str = include_str!("../tests/fixtures/vendor-sample.compact.json");

/// The sample order as the `order=` form body (PHP's `urlencode` of the compact JSON).
pub const ORDER_FORM: &str = include_str!("../tests/fixtures/vendor-sample.form");

/// The sample exactly as Cartloom's page prints it: `order = {…}`, spaces included. The
/// decoder accepts this too.
pub const VENDOR_PAGE: &str = include_str!("../tests/fixtures/vendor-page.txt");

/// Every sample Cartloom's servers would send, by name (as `cartwire samples cartloom` lists
/// them), like the other receiving crates' `samples::ALL`.
pub const ALL: [(&str, &str); 2] = [("order", ORDER_JSON), ("order-form", ORDER_FORM)];
