//! The multi-cart service: every protocol's route ends in ONE handler, which takes the
//! delivery's [`Event`] (the shared vocabulary) and stores it in SQLite exactly once, with the
//! customer's access, in one transaction.
//!
//! (Shared with the end-to-end test in `tests/multi_cart.rs`, which starts this router on
//! 127.0.0.1 and delivers every sample twice from eight concurrent senders.)
//!
//! # Exactly once
//!
//! Vendors retry: CartFreak's queue sends in batches every five minutes and may send a
//! notification twice, the others re-post after a timeout. So each event is stored under its
//! `dedup_key`, which the `events` table holds `UNIQUE`; the insert is
//! `INSERT … ON CONFLICT (dedup_key) DO NOTHING`, and the access change is applied only when
//! that insert added a row, **in the same transaction**. A retried delivery therefore changes
//! nothing (it is answered 200, so the vendor stops retrying), and an event is never stored
//! without its access change or the other way round. When the database fails, the answer is
//! a 500: the vendor delivers again later, and no event is lost.
//!
//! # Access
//!
//! Access is kept per subject: the subscription (`subscription_id`) when the event has one,
//! else the order (`order_id`). It is granted by `order_paid`, `subscription_started` and
//! `subscription_renewed`, and revoked by `order_cancelled`, `order_refunded` and
//! `subscription_ended`; the other kinds change nothing.
//!
//! Deliveries arrive in any order (queues, retries, parallel senders), and most of them carry
//! no time to order them by. So the rule does not depend on the order: a subject has access
//! when some event granted it **and no event revoked it** (`granted_by` set, `revoked_by`
//! not). A refund that overtakes its payment still wins. The price: a CartFreak subscription
//! re-activated after a `REMOVE` (the same `CREATE` again) stays revoked here; a shop that
//! sells re-activations compares `occurred_at` where the protocol has one, or asks a person.
//! `grants` counts the distinct events that granted, which is how the test sees that a retry
//! never grants twice.
//!
//! # Concurrency
//!
//! One connection behind a `Mutex`, used from `spawn_blocking` (rusqlite is blocking).
//! SQLite lets one writer in at a time whatever we do, and every request here writes: a pool
//! of connections would only queue on SQLite's lock instead of ours, and would have to retry
//! on `SQLITE_BUSY`. The journal is in WAL mode (a reader, say the `sqlite3` shell, does not
//! block the service), and a busy timeout covers another process holding the lock.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::axum08::VerifiedEvent;
use cartwire_core::event::{Event, EventKind};
use cartwire_core::{Receiver, ToEvent};
use justclick_invoice::JustClickKey;
use rusqlite::{Connection, OptionalExtension, params};

/// The schema: one row per distinct event, one per subject's access.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    id              INTEGER PRIMARY KEY,
    dedup_key       TEXT NOT NULL UNIQUE,
    protocol        TEXT NOT NULL,
    kind            TEXT NOT NULL,
    order_id        TEXT,
    subscription_id TEXT,
    email           TEXT,
    total           TEXT,          -- decimal text, scale kept: '19.95'
    occurred_at     TEXT,          -- RFC 3339, or the vendor's zone-less local time
    event           TEXT NOT NULL, -- the whole event, as JSON
    received_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE IF NOT EXISTS access (
    protocol   TEXT NOT NULL,
    subject    TEXT NOT NULL,      -- 'subscription:224' or 'order:1001'
    email      TEXT,
    granted_by TEXT REFERENCES events (dedup_key),
    revoked_by TEXT REFERENCES events (dedup_key),
    grants     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (protocol, subject)
);
";

/// What an event does to its subject's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Grant,
    Revoke,
    Nothing,
}

/// The access rule of the shop (see the module docs).
pub(crate) fn effect(kind: &EventKind) -> Effect {
    match kind {
        EventKind::OrderPaid | EventKind::SubscriptionStarted | EventKind::SubscriptionRenewed => {
            Effect::Grant
        }
        EventKind::OrderCancelled | EventKind::OrderRefunded | EventKind::SubscriptionEnded => {
            Effect::Revoke
        }
        _ => Effect::Nothing,
    }
}

/// Whose access an event is about: its subscription, else its order.
pub(crate) fn subject(event: &Event) -> Option<String> {
    match (&event.subscription_id, &event.order_id) {
        (Some(subscription), _) => Some(format!("subscription:{subscription}")),
        (None, Some(order)) => Some(format!("order:{order}")),
        (None, None) => None,
    }
}

/// What [`Store::record`] did with an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recorded {
    /// Stored (and its access change applied).
    New,
    /// Already stored: a retried delivery, nothing changed.
    Duplicate,
}

/// A subject's access, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Access {
    /// Some event granted it and none revoked it.
    pub(crate) granted: bool,
    /// How many distinct events granted it.
    pub(crate) grants: u32,
    /// The customer's e-mail, from the first event that named one.
    pub(crate) email: Option<String>,
}

/// The SQLite database.
#[derive(Clone)]
pub(crate) struct Store(Arc<Mutex<Connection>>);

impl Store {
    /// Opens (or creates) the database file: WAL journal, a busy timeout, the schema.
    pub(crate) fn open(path: &Path) -> rusqlite::Result<Self> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.execute_batch(SCHEMA)?;
        Ok(Self(Arc::new(Mutex::new(connection))))
    }

    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled its transaction back (rusqlite's
        // `Transaction` does so on drop): the connection is still sound.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores the event once, and applies its access change in the same transaction.
    pub(crate) fn record(&self, event: &Event) -> rusqlite::Result<Recorded> {
        let json = serde_json::to_string(event)
            .map_err(|err| rusqlite::Error::ToSqlConversionFailure(Box::new(err)))?;
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let inserted = transaction.execute(
            "INSERT INTO events
                 (dedup_key, protocol, kind, order_id, subscription_id, email, total,
                  occurred_at, event)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (dedup_key) DO NOTHING",
            params![
                event.dedup_key.as_str(),
                &*event.protocol,
                event.kind.as_str(),
                event.order_id,
                event.subscription_id,
                event.customer.email,
                event.total.map(|total| total.to_string()),
                event.occurred_at.map(|at| at.to_string()),
                json,
            ],
        )?;
        if inserted == 0 {
            // The transaction is dropped: rolled back, nothing was written anyway.
            return Ok(Recorded::Duplicate);
        }
        if let Some(subject) = subject(event) {
            let key = event.dedup_key.as_str();
            let (protocol, email) = (&*event.protocol, &event.customer.email);
            match effect(&event.kind) {
                Effect::Grant => transaction.execute(
                    "INSERT INTO access (protocol, subject, email, granted_by, grants)
                     VALUES (?1, ?2, ?3, ?4, 1)
                     ON CONFLICT (protocol, subject) DO UPDATE SET
                         granted_by = coalesce(granted_by, excluded.granted_by),
                         email = coalesce(email, excluded.email),
                         grants = grants + 1",
                    params![protocol, subject, email, key],
                )?,
                Effect::Revoke => transaction.execute(
                    "INSERT INTO access (protocol, subject, email, revoked_by)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (protocol, subject) DO UPDATE SET
                         revoked_by = coalesce(revoked_by, excluded.revoked_by),
                         email = coalesce(email, excluded.email)",
                    params![protocol, subject, email, key],
                )?,
                Effect::Nothing => 0,
            };
        }
        transaction.commit()?;
        Ok(Recorded::New)
    }

    /// A subject's access; `None` when no event was about it.
    pub(crate) fn access(&self, protocol: &str, subject: &str) -> rusqlite::Result<Option<Access>> {
        self.connection()
            .query_row(
                "SELECT granted_by IS NOT NULL AND revoked_by IS NULL, grants, email
                 FROM access WHERE protocol = ?1 AND subject = ?2",
                params![protocol, subject],
                |row| {
                    Ok(Access {
                        granted: row.get(0)?,
                        grants: row.get(1)?,
                        email: row.get(2)?,
                    })
                },
            )
            .optional()
    }

    /// Every stored event's key, in order of arrival.
    #[allow(dead_code)] // used by tests/multi_cart.rs
    pub(crate) fn event_keys(&self) -> rusqlite::Result<Vec<String>> {
        let connection = self.connection();
        let mut statement = connection.prepare("SELECT dedup_key FROM events ORDER BY id")?;
        let keys = statement.query_map([], |row| row.get(0))?;
        keys.collect()
    }

    /// A stored event, read back from its JSON.
    #[allow(dead_code)] // used by tests/multi_cart.rs
    pub(crate) fn event(&self, dedup_key: &str) -> rusqlite::Result<Option<Event>> {
        let json: Option<String> = self
            .connection()
            .query_row(
                "SELECT event FROM events WHERE dedup_key = ?1",
                [dedup_key],
                |row| row.get(0),
            )
            .optional()?;
        json.map(|json| {
            serde_json::from_str(&json).map_err(|err| {
                rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    Box::new(err),
                )
            })
        })
        .transpose()
    }
}

/// The service's state: every protocol's key (built once, at start-up), and the store.
#[derive(Clone, FromRef)]
pub(crate) struct AppState {
    /// CartFreak: the product's API key (the POST flavour's `hash`).
    pub(crate) cartfreak: CartFreakKey,
    /// Cartloom: the token in the Notify URL (`/cartloom?token=…`).
    pub(crate) cartloom: CartloomToken,
    /// JustClick: the cabinet's API key.
    pub(crate) justclick: JustClickKey,
    /// Cartfunnel: the webhook secret (`X-Cartfunnel-Hmac-SHA256`).
    pub(crate) cartfunnel: CartfunnelWebhookSecret,
    /// The database.
    pub(crate) store: Store,
}

/// The routes: `/cartfreak`, `/cartloom`, `/justclick`, `/cartfunnel` (POST; Cartfunnel PUT
/// too), all to [`on_event`].
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/cartfreak", post(on_event::<CartFreakKey>))
        .route("/cartloom", post(on_event::<CartloomToken>))
        .route("/justclick", post(on_event::<JustClickKey>))
        .route(
            "/cartfunnel",
            post(on_event::<CartfunnelWebhookSecret>).put(on_event::<CartfunnelWebhookSecret>),
        )
        .with_state(state)
}

/// The one handler: whatever the protocol, a verified delivery arrives as its [`Event`]
/// (a delivery that does not verify was answered 401 by the extractor, in the vendor's
/// words). It is stored once; the answer is `OK` (CartFreak reads it; the others look at the
/// status), or a 500 that makes the vendor deliver again.
async fn on_event<R>(State(store): State<Store>, delivery: VerifiedEvent<R>) -> Response
where
    R: Receiver,
    R::Notification: ToEvent,
{
    let event = delivery.event;
    let stored = tokio::task::spawn_blocking(move || {
        let recorded = store.record(&event)?;
        let access = match subject(&event) {
            Some(subject) => store
                .access(&event.protocol, &subject)?
                .map(|a| (subject, a)),
            None => None,
        };
        Ok::<_, rusqlite::Error>((event, recorded, access))
    })
    .await;
    match stored {
        Ok(Ok((event, recorded, access))) => {
            let access = match access {
                Some((subject, access)) if access.granted => format!("{subject}: access granted"),
                Some((subject, _)) => format!("{subject}: no access"),
                None => "no subject".to_owned(),
            };
            println!(
                "{} {} {} ({recorded:?}): {access}",
                event.protocol, event.kind, event.dedup_key
            );
            (StatusCode::OK, "OK").into_response()
        }
        Ok(Err(err)) => {
            eprintln!("multi_cart: cannot store the event: {err}");
            (StatusCode::INTERNAL_SERVER_ERROR, "ERROR storage failed").into_response()
        }
        Err(err) => {
            eprintln!("multi_cart: the storing task failed: {err}");
            (StatusCode::INTERNAL_SERVER_ERROR, "ERROR storage failed").into_response()
        }
    }
}
