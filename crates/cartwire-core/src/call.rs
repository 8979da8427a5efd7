//! What every cartwire API client records about a call: one [`tracing`](https://docs.rs/tracing)
//! span per call (feature `tracing`; without it, nothing but the clock).
//!
//! The span is `cartwire.call` (target `cartwire`, level INFO) with the fields `vendor`,
//! `method`, `endpoint` (the URL without its query or anything secret), and, once the call
//! ends, `status` (the last HTTP status, if any answer came), `duration_ms`, `retries` and
//! `outcome` (`ok` or `error`). Each repeat is a WARN event inside the span saying why and
//! after how long. Keys, secrets, emails and bodies never appear: the client hands the
//! endpoint in already scrubbed.
//!
//! ```
//! use cartwire_core::call::CallSpan;
//! use cartwire_core::retry::Failure;
//! use std::time::Duration;
//!
//! let span = CallSpan::start("cartstack", "GET", "https://api.cartstack.com/ss/v1/");
//! span.retrying(1, Failure::Timeout, Duration::from_millis(80));
//! span.finish(Some(200), 1, true);
//! ```

use std::time::{Duration, Instant};

use crate::retry::Failure;

/// The record of one client call: a tracing span (feature `tracing`) and its start time.
#[derive(Debug)]
pub struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    started: Instant,
}

impl CallSpan {
    /// Opens the span of a call. `endpoint` must already be free of secrets (no query
    /// carrying a key, no credentials).
    pub fn start(vendor: &'static str, method: &str, endpoint: &str) -> Self {
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            target: "cartwire",
            "cartwire.call",
            vendor,
            method,
            endpoint,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            retries = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (vendor, method, endpoint);
        Self {
            #[cfg(feature = "tracing")]
            span,
            started: Instant::now(),
        }
    }

    /// Runs a blocking step inside the span, so that what the transport logs nests under it.
    pub fn in_scope<T>(&self, step: impl FnOnce() -> T) -> T {
        #[cfg(feature = "tracing")]
        {
            self.span.in_scope(step)
        }
        #[cfg(not(feature = "tracing"))]
        step()
    }

    /// Runs an async step inside the span, so that what the transport logs nests under it.
    pub async fn in_scope_async<F: Future>(&self, step: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument as _;
            step.instrument(self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        step.await
    }

    /// Records that attempt `attempt` failed and that the call is repeated after `wait`: a
    /// WARN event inside the span.
    pub fn retrying(&self, attempt: u32, failure: Failure, wait: Duration) {
        #[cfg(feature = "tracing")]
        tracing::warn!(
            target: "cartwire",
            parent: &self.span,
            attempt,
            failure = %failure,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "call failed, retrying"
        );
        #[cfg(not(feature = "tracing"))]
        let _ = (attempt, failure, wait);
    }

    /// The time since the call started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Closes the span with the call's result: the last HTTP status if an answer came, the
    /// number of repeats, and whether the call succeeded.
    pub fn finish(self, status: Option<u16>, retries: u32, ok: bool) {
        #[cfg(feature = "tracing")]
        {
            if let Some(status) = status {
                self.span.record("status", status);
            }
            let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
            self.span.record("duration_ms", elapsed);
            self.span.record("retries", retries);
            self.span.record("outcome", if ok { "ok" } else { "error" });
        }
        #[cfg(not(feature = "tracing"))]
        let _ = (status, retries, ok);
    }
}
