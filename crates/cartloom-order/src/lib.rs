//! # cartloom-order
//!
//! Cartloom notify-server order POSTs: typed decoding and encoding of the order JSON, and endpoint token checks.
//!
//! This crate is a skeleton: its protocol lands with its own issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
