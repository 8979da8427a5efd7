//! A `tracing` subscriber that records every span's and event's fields as text (feature
//! `tracing`), for tests that check what a client or a receiver logs, and that no secret is
//! among it.
//!
//! ```
//! use cartwire_testkit::trace::Recorder;
//!
//! let recorder = Recorder::default();
//! tracing::subscriber::with_default(recorder.clone(), || {
//!     let span = tracing::info_span!("cartwire.call", vendor = "cartstack", status = tracing::field::Empty);
//!     span.record("status", 100);
//!     tracing::warn!(attempt = 2, "retrying");
//! });
//! assert_eq!(recorder.spans_named("cartwire.call"), ["vendor=cartstack status=100 "]);
//! assert_eq!(recorder.events(), ["WARN message=retrying attempt=2 "]);
//! ```

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every span (its name, and its fields as `name=value ` text, values recorded later
/// appended) and every event (its level, then its fields). Clones share what was recorded,
/// so keep one clone and install the other (`tracing::subscriber::with_default`).
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    spans: Arc<Mutex<Vec<(String, String)>>>,
    events: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    /// Every span so far, in the order they were opened: `(name, fields)`.
    pub fn spans(&self) -> Vec<(String, String)> {
        lock(&self.spans).clone()
    }

    /// The fields of every span named `name`, in the order they were opened.
    pub fn spans_named(&self, name: &str) -> Vec<String> {
        lock(&self.spans)
            .iter()
            .filter(|(span, _)| span == name)
            .map(|(_, fields)| fields.clone())
            .collect()
    }

    /// Every event so far: its level, a space, then its fields (`WARN message=… attempt=2 `).
    pub fn events(&self) -> Vec<String> {
        lock(&self.events).clone()
    }

    /// The text of every span and every event, to check that a secret appears nowhere.
    pub fn all_text(&self) -> Vec<String> {
        let mut text: Vec<String> = lock(&self.spans)
            .iter()
            .map(|(_, fields)| fields.clone())
            .collect();
        text.extend(self.events());
        text
    }
}

/// A test that panicked while holding the lock leaves what it recorded readable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Appends each field as `name=value `.
struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn core::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!("{}={value} ", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = String::new();
        span.record(&mut Text(&mut text));
        let mut spans = lock(&self.spans);
        spans.push((span.metadata().name().to_owned(), text));
        // Ids start at 1: span n is at index n - 1.
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let index = usize::try_from(id.into_u64() - 1).unwrap_or(usize::MAX);
        if let Some((_, text)) = lock(&self.spans).get_mut(index) {
            values.record(&mut Text(text));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = format!("{} ", event.metadata().level());
        event.record(&mut Text(&mut text));
        lock(&self.events).push(text);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
