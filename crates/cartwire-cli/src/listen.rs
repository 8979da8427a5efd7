//! `cartwire listen`: a local receiver for every receiving protocol, built on the protocol
//! crates' own axum extractors (what `stripe listen` is to Stripe users).
//!
//! * Binds 127.0.0.1 only (port 0 picks a free one) and writes
//!   `cartwire: listening on http://127.0.0.1:PORT` on stderr before anything else, so scripts
//!   and tests can find the port.
//! * Routes: `/cartfreak` (GET query or POST form), `/cartloom` (POST), `/justclick` (POST),
//!   `/cartfunnel` (webhooks, POST or PUT). Anything else is 404 with the list of routes.
//! * Every notification that arrives and passes is printed on stdout as one JSON object per
//!   line, flushed at once: `{"protocol": …, "verified": …, "payload": …}`, the payload being
//!   exactly what `cartwire decode` prints for it (for Cartfunnel webhooks: the body's JSON).
//! * With `--secret S` (or `CARTWIRE_SECRET`) every request is verified with S, used as each
//!   protocol's key: CartFreak's API key (so the hashless GET flavour is refused with 401),
//!   Cartloom's endpoint token (in the query: `/cartloom?token=S`), JustClick's API key,
//!   Cartfunnel's webhook secret. A request that fails gets the extractor's answer (400
//!   malformed, 401 not verified, 413 too large; CartFreak's in its `ERROR <reason>` form)
//!   and one line on stderr; nothing is printed on stdout for it.
//! * Without a secret nothing can be verified: requests are decoded only, and printed with
//!   `"verified": false`. Malformed ones still get 400.
//! * With `--event`, each line is the notification's event instead, exactly what
//!   `cartwire decode --event` prints for it (the shared vocabulary, with `"verified"`).
//! * Accepted notifications are answered as each vendor's receiver does: `OK` (CartFreak's
//!   reply; the others only look at the status), 200.

use std::io::Write;
use std::net::SocketAddr;

use axum::Extension;
use axum::Router;
use axum::extract::FromRef;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::Secret;
use cartwire_core::axum08::{Rejection, Unverified, Verified};
use justclick_invoice::JustClickKey;
use serde_json::json;

use crate::error::CliError;
use crate::receiving::{self, Receiving, View};

/// The routes, for the 404 answer and the start-up line.
const ROUTES: &str = "/cartfreak, /cartloom, /justclick, /cartfunnel";

/// The keys of every protocol: the one `--secret`.
#[derive(Clone, FromRef)]
struct Keys {
    cartfreak: CartFreakKey,
    cartloom: CartloomToken,
    justclick: JustClickKey,
    cartfunnel: CartfunnelWebhookSecret,
}

impl Keys {
    fn new(secret: &Secret) -> Result<Self, CliError> {
        Ok(Self {
            cartfreak: receiving::key(secret)?,
            cartloom: receiving::key(secret)?,
            justclick: receiving::key(secret)?,
            cartfunnel: receiving::key(secret)?,
        })
    }
}

/// Runs the receiver until the process is stopped.
pub(crate) fn run(port: u16, secret: Option<Secret>, view: View) -> Result<(), CliError> {
    let app = match &secret {
        Some(secret) => verifying(Keys::new(secret)?),
        None => decoding(),
    }
    .layer(Extension(view));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| CliError::Io(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| CliError::Io(format!("cannot listen on {address}: {e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| CliError::Io(format!("cannot read the bound address: {e}")))?;
        let mode = if secret.is_some() {
            "verifying with --secret"
        } else {
            "no --secret: decoding without verifying"
        };
        eprintln!("cartwire: listening on http://{bound} ({ROUTES}; {mode})");
        axum::serve(listener, app)
            .await
            .map_err(|e| CliError::Io(format!("the server stopped: {e}")))
    })
}

/// Every route verifies with the key of its protocol, from the state.
fn verifying(keys: Keys) -> Router {
    Router::new()
        .route(
            "/cartfreak",
            get(verified::<CartFreakKey>).post(verified::<CartFreakKey>),
        )
        .route("/cartloom", post(verified::<CartloomToken>))
        .route("/justclick", post(verified::<JustClickKey>))
        .route(
            "/cartfunnel",
            post(verified::<CartfunnelWebhookSecret>).put(verified::<CartfunnelWebhookSecret>),
        )
        .fallback(not_found)
        .with_state(keys)
}

/// Every route decodes without verifying.
fn decoding() -> Router {
    Router::new()
        .route(
            "/cartfreak",
            get(unverified::<CartFreakKey>).post(unverified::<CartFreakKey>),
        )
        .route("/cartloom", post(unverified::<CartloomToken>))
        .route("/justclick", post(unverified::<JustClickKey>))
        .route(
            "/cartfunnel",
            post(unverified::<CartfunnelWebhookSecret>).put(unverified::<CartfunnelWebhookSecret>),
        )
        .fallback(not_found)
}

async fn not_found(uri: Uri) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no receiver at {}; the routes are {ROUTES}", uri.path()),
    )
        .into_response()
}

/// The one handler of every protocol with `--secret`.
async fn verified<R: Receiving>(
    Extension(view): Extension<View>,
    extracted: Result<Verified<R>, Rejection>,
) -> Response
where
    R::Notification: Send,
{
    match extracted {
        Ok(Verified(notification)) => print::<R>(&notification, true, view),
        Err(rejection) => refused::<R>(rejection),
    }
}

/// The one handler of every protocol without `--secret`.
async fn unverified<R: Receiving>(
    Extension(view): Extension<View>,
    extracted: Result<Unverified<R>, Rejection>,
) -> Response
where
    R::Notification: Send,
{
    match extracted {
        Ok(Unverified(notification)) => print::<R>(&notification, false, view),
        Err(rejection) => refused::<R>(rejection),
    }
}

/// Prints one accepted notification as a JSON line on stdout (or its event, with
/// `--event`); answers `OK` (CartFreak's reply; the other vendors look at the status only).
fn print<R: Receiving>(notification: &R::Notification, verified: bool, view: View) -> Response
where
    R::Notification: Send,
{
    let payload = match receiving::render::<R>(notification, verified, view) {
        Ok(payload) => payload,
        Err(err) => {
            // The payload decoded but its JSON view failed: a bug worth a 500, not a panic.
            eprintln!("cartwire: {}: {err}", R::PROTOCOL);
            return (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response();
        }
    };
    let line = match view {
        View::Notification => {
            json!({ "protocol": R::PROTOCOL, "verified": verified, "payload": payload })
        }
        View::Event => payload,
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        eprintln!("cartwire: cannot write to stdout: {err}");
    }
    (StatusCode::OK, "OK").into_response()
}

/// Reports a refused request on stderr and answers with the extractor's rejection.
fn refused<R: Receiving>(rejection: Rejection) -> Response
where
    R::Notification: Send,
{
    eprintln!(
        "cartwire: {}: refused with {}: {}",
        R::PROTOCOL,
        rejection.status().as_u16(),
        rejection.message()
    );
    rejection.into_response()
}
