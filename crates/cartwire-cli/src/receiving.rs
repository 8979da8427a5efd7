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

use cartwire_core::{Dedup as _, Delivery, EmptyKey, Receiver, Secret};
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
    let mut json = R::view(notification)?;
    match &mut json {
        Value::Object(map) => {
            map.insert("verified".to_owned(), Value::Bool(verified));
            map.insert(
                "dedup_key".to_owned(),
                Value::String(notification.dedup_key().into_string()),
            );
            Ok(json)
        }
        other => Err(CliError::Malformed(format!(
            "{}: the JSON view is not an object: {other}",
            R::PROTOCOL
        ))),
    }
}

/// `decode`: verify with the secret, when there is one, then decode; or decode only.
pub(crate) fn decode<R: Receiving>(
    delivery: &Delivery<'_>,
    secret: Option<&Secret>,
) -> Result<Value, CliError>
where
    R::Notification: Send,
{
    match secret {
        Some(secret) => output::<R>(&key::<R>(secret)?.receive(delivery)?, true),
        None => output::<R>(&R::receive_unverified(delivery)?, false),
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
