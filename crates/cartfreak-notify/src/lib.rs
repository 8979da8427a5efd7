//! # cartfreak-notify
//!
//! CartFreak outgoing notifications (CREATE, REMOVE, …): typed decoding of the GET and POST flavours, URL building, SHA-1 hash verification.
//!
//! This crate is a skeleton: its protocol lands with its own issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
