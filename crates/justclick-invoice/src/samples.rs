//! Vendor-style notification bodies, one per kind, signed with [`SECRET`].
//!
//! They are the crate's test fixtures (`tests/fixtures/*.txt`, written by
//! `tests/fixtures/make_fixtures.py` outside Rust, hashes included), exposed so that
//! receivers, benchmarks, fuzzers and the `cartwire` command can use the same bodies.
//! Each is exactly what [`encode`](crate::encode()) writes for its decoded form.
//!
//! ```
//! use justclick_invoice::{samples, Delivery, JustClickKey, Receiver};
//!
//! let key = JustClickKey::new(samples::SECRET)?;
//! for (kind, body) in samples::ALL {
//!     let n = key.receive(&Delivery::post("/hooks/justclick", body.as_bytes()))?;
//!     assert_eq!(n.kind(), *kind);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::payload::Kind;

/// The API key the samples are signed with (`JustClickKey::new(samples::SECRET)`).
pub const SECRET: &str = "jc-fixture-secret-4f2a";

/// `status=new_order`: Cyrillic customer, two items, a coupon as `kupon`.
pub const CREATED: &str = include_str!("../tests/fixtures/created.txt");

/// A paid invoice: two items, the first with two partner levels, the coupon as `coupon`.
pub const PAID: &str = include_str!("../tests/fixtures/paid.txt");

/// A prepaid invoice: the paid fields plus `prepayment_sum`.
pub const PREPAID: &str = include_str!("../tests/fixtures/prepaid.txt");

/// `status=cancel_order`.
pub const CANCELLED: &str = include_str!("../tests/fixtures/cancelled.txt");

/// `status=moneyback`.
pub const MONEYBACK: &str = include_str!("../tests/fixtures/moneyback.txt");

/// Every sample with its kind.
pub const ALL: &[(Kind, &str)] = &[
    (Kind::Created, CREATED),
    (Kind::Paid, PAID),
    (Kind::Prepaid, PREPAID),
    (Kind::Cancelled, CANCELLED),
    (Kind::Moneyback, MONEYBACK),
];
