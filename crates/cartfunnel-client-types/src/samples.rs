//! Vendor-style payloads, the same files as the crate's `tests/fixtures/`: for your tests, and
//! for this workspace's tests, benches, fuzz seeds and the `cartwire samples` command.
//!
//! The customer objects are the vendor's documentation examples (its page shows the e-mail
//! addresses obfuscated, so real-looking ones stand in). The webhook bodies are invented:
//! Cartfunnel's webhook body is whatever the merchant configures.

/// A customer object: the vendor's example of `GET /customers/:id.json`.
pub const CUSTOMER: &str = include_str!("../tests/fixtures/customer.json");

/// The vendor's example answer to a successful `POST /customers.json`
/// (`"last_order_id": "null"`).
pub const CUSTOMER_CREATED: &str = include_str!("../tests/fixtures/customer_created.json");

/// The vendor's example answer to a failed `PATCH`: HTTP 200, `"persisted": "true"` and an
/// `errors` array.
pub const CUSTOMER_UPDATE_FAILED: &str =
    include_str!("../tests/fixtures/customer_update_failed.json");

/// A failed `POST`: `"persisted": "false"`, no id, and why.
pub const CUSTOMER_CREATE_FAILED: &str =
    include_str!("../tests/fixtures/customer_create_failed.json");

/// A page of `GET /customers.json`: the two example customers, the second with a
/// `tag_list` and an attribute this crate does not know.
pub const CUSTOMER_PAGE: &str = include_str!("../tests/fixtures/customers_page.json");

/// The vendor's example body of `POST /customers.json`.
pub const CREATE_REQUEST: &str = include_str!("../tests/fixtures/create_request.json");

/// The vendor's example body of `PATCH /customers/:id.json`.
pub const UPDATE_REQUEST: &str = include_str!("../tests/fixtures/update_request.json");

/// An order webhook body (merchant-defined JSON).
pub const WEBHOOK_ORDER: &str = include_str!("../tests/fixtures/webhook_order.json");

/// An abandoned-cart webhook body (merchant-defined JSON).
pub const WEBHOOK_ABANDONED_CART: &str =
    include_str!("../tests/fixtures/webhook_abandoned_cart.json");
