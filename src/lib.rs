//! # cartwire
//!
//! Typed, verified decoding and encoding of five e-commerce cart notification and API
//! protocols. This umbrella crate only re-exports the protocol crates, each behind a feature
//! named after its protocol (all on by default through `full`):
//!
//! | feature      | crate                       | protocol                                   |
//! |--------------|-----------------------------|--------------------------------------------|
//! | `cartfreak`  | [`cartfreak_notify`]        | CartFreak outgoing notifications           |
//! | `cartloom`   | [`cartloom_order`]          | Cartloom notify-server order POST          |
//! | `justclick`  | [`justclick_invoice`]       | JustClick invoice notifications            |
//! | `cartfunnel` | [`cartfunnel_client_types`] | Cartfunnel REST API and webhooks           |
//! | `cartstack`  | [`cartstack_confirm`]       | CartStack server-side purchase confirmation|
//!
//! The shared machinery (the PHP-style form codec, lenient scalars, [`core::Secret`],
//! constant-time digest comparison) is always available as [`core`].
//!
//! Two more features reach into every enabled receiving crate (CartFreak, Cartloom,
//! JustClick, Cartfunnel webhooks): `http` (decode and verify straight from an
//! `http::Request`, and build the vendor's delivery as one) and `axum08` (axum 0.8 extractors
//! that decode and verify in one step, answering 400/401 with a plain-text reason). See the
//! repository's `examples/axum_receiver` for a service receiving all four.
//!
//! Depend on the single protocol crate instead if you need only one protocol; the types are
//! the same.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[doc(inline)]
pub use cartwire_core as core;

#[cfg(feature = "cartfreak")]
#[doc(inline)]
pub use cartfreak_notify;

#[cfg(feature = "cartloom")]
#[doc(inline)]
pub use cartloom_order;

#[cfg(feature = "justclick")]
#[doc(inline)]
pub use justclick_invoice;

#[cfg(feature = "cartfunnel")]
#[doc(inline)]
pub use cartfunnel_client_types;

#[cfg(feature = "cartstack")]
#[doc(inline)]
pub use cartstack_confirm;
