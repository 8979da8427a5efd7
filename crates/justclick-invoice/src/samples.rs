//! Vendor-style notification bodies, one per kind, signed with [`SECRET`].
//!
//! They are the crate's test fixtures (`tests/fixtures/*.txt`, written by
//! `tests/fixtures/make_fixtures.py` outside Rust, hashes included), exposed so that
//! receivers, benchmarks, fuzzers and the `cartwire` command can use the same bodies.
//! Each is exactly what [`encode`](crate::encode()) writes for its decoded form.
//!
//! ```
//! use justclick_invoice::{decode_verified, samples, Kind, Secret};
//!
//! for (kind, body) in samples::ALL {
//!     let n = decode_verified(body.as_bytes(), &Secret::new(samples::SECRET))?;
//!     assert_eq!(n.kind(), *kind);
//! }
//! # Ok::<(), justclick_invoice::Error>(())
//! ```

use crate::payload::Kind;

/// The hash key the samples are signed with.
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
