//! # cartstack-confirm
//!
//! CartStack server-side purchase confirmation: request building and validation, response codes, and an optional blocking call.
//!
//! This crate is a skeleton: its protocol lands with its own issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
