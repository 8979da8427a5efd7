//! # justclick-invoice
//!
//! JustClick invoice notifications (created, paid, prepaid, cancelled, moneyback): typed decoding, MD5 hash verification and signing.
//!
//! This crate is a skeleton: its protocol lands with its own issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
