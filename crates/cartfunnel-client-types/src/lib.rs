//! # cartfunnel-client-types
//!
//! Cartfunnel REST API types: customers, sans-IO requests and responses, an optional blocking client, and webhook HMAC verification.
//!
//! This crate is a skeleton: its protocol lands with its own issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
