//! The command on the receiving model: every receiving protocol is a
//! [`Receiver`](cartwire_core::Receiver) key type of its crate, and `decode`, `listen` and the
//! JSON they print are written once, here, over it.
//!
//! # The JSON of a received notification
//!
//! `decode` prints, and `listen` nests as `payload`, one object: the protocol crate's JSON
//! view of the notification (its fields as on the wire, unknown ones under `"extra"` in
//! arrival order), plus, for every protocol:
//!
//! * `"verified"`: `true` when the hash, signature or token was checked with `--secret`,
//!   `false` when the notification was decoded without (always present);
//! * `"dedup_key"`: the notification's idempotency key (`dedup_key()` of the crate).
//!
//! `encode` ignores both.
//!
//! # The JSON of an event (`--event`)
//!
//! `decode --event` prints, and `listen --event` prints as each line, the notification's
//! [`Event`] instead: the shared vocabulary's JSON form (`cartwire_core::event`: `protocol`,
//! `kind`, `occurred_at`, `order_id`, `subscription_id`, `customer`, `total`, `currency`,
//! `items`, `dedup_key`), plus `"verified"`, as above. It reads back as an `Event` (the
//! extra key is ignored).

use cartwire_core::{Dedup as _, Delivery, EmptyKey, Event, Receiver, Secret};
use serde_json::Value;

use crate::error::CliError;

/// The keys `decode` and `listen` add to a notification's JSON view, and `encode` drops.
pub(crate) const DERIVED_KEYS: [&str; 2] = ["verified", "dedup_key"];

/// A receiving protocol as the command sees it: its key type, how `--secret` becomes one,
/// and the JSON view of what it receives.
pub(crate) trait Receiving: Receiver + Clone + Send + Sync + 'static
where
    Self::Notification: Send,
{
    /// The key from `--secret`.
    fn key(secret: Secret) -> Result<Self, EmptyKey>;

    /// The crate's JSON view of a notification (without `verified` and `dedup_key`).
    fn view(notification: &Self::Notification) -> Result<Value, CliError>;

    /// The notification's event (its crate's `ToEvent`).
    fn event(notification: &Self::Notification) -> Event;
}

/// What `decode` and `listen` print for a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    /// The crate's JSON view, with `verified` and `dedup_key`.
    Notification,
    /// The event, with `verified` (`--event`).
    Event,
}

/// `value` with `"verified"` (and more) added: it must be an object.
fn with_keys<R: Receiving>(
    mut json: Value,
    keys: impl IntoIterator<Item = (&'static str, Value)>,
) -> Result<Value, CliError>
where
    R::Notification: Send,
{
    match &mut json {
        Value::Object(map) => {
            for (name, value) in keys {
                map.insert(name.to_owned(), value);
            }
            Ok(json)
        }
        other => Err(CliError::Malformed(format!(
            "{}: the JSON view is not an object: {other}",
            R::PROTOCOL
        ))),
    }
}

/// The JSON printed for a notification in `view`.
pub(crate) fn render<R: Receiving>(
    notification: &R::Notification,
    verified: bool,
    view: View,
) -> Result<Value, CliError>
where
    R::Notification: Send,
{
    match view {
        View::Notification => output::<R>(notification, verified),
        View::Event => with_keys::<R>(
            serde_json::to_value(R::event(notification))?,
            [("verified", Value::Bool(verified))],
        ),
    }
}

/// `--secret` as the protocol's key: an empty one is a usage error (exit 2).
pub(crate) fn key<R: Receiving>(secret: &Secret) -> Result<R, CliError>
where
    R::Notification: Send,
{
    R::key(secret.clone()).map_err(|err| CliError::Usage(format!("--secret: {err}")))
}

/// The JSON printed for a notification: the view, `verified` and `dedup_key`.
pub(crate) fn output<R: Receiving>(
    notification: &R::Notification,
    verified: bool,
) -> Result<Value, CliError>
where
    R::Notification: Send,
{
    with_keys::<R>(
        R::view(notification)?,
        [
            ("verified", Value::Bool(verified)),
            (
                "dedup_key",
                Value::String(notification.dedup_key().into_string()),
            ),
        ],
    )
}

/// `decode`: verify with the secret, when there is one, then decode; or decode only.
pub(crate) fn decode<R: Receiving>(
    delivery: &Delivery<'_>,
    secret: Option<&Secret>,
    view: View,
) -> Result<Value, CliError>
where
    R::Notification: Send,
{
    match secret {
        Some(secret) => render::<R>(&key::<R>(secret)?.receive(delivery)?, true, view),
        None => render::<R>(&R::receive_unverified(delivery)?, false, view),
    }
}

/// The JSON of `encode`'s input without the keys `decode` adds.
pub(crate) fn without_derived(json: &Value) -> Value {
    let mut json = json.clone();
    if let Value::Object(map) = &mut json {
        for key in DERIVED_KEYS {
            if map
                .get(key)
                .is_some_and(|value| value.is_boolean() || value.is_string())
            {
                map.remove(key);
            }
        }
    }
    json
}
