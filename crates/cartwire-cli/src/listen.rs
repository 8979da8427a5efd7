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
//! * Accepted notifications are answered as each vendor's receiver does: `OK` (CartFreak's
//!   reply; the others only look at the status), 200.

use std::io::Write;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::FromRef;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cartfreak_notify::axum08::{CartFreakKey, UnverifiedNotification, VerifiedNotification};
use cartfunnel_client_types::axum08::{
    CartfunnelWebhookSecret, UnverifiedWebhook, VerifiedWebhook,
};
use cartloom_order::axum08::{CartloomToken, UnverifiedOrder, VerifiedOrder};
use cartwire_core::Secret;
use cartwire_core::axum08::Rejection;
use justclick_invoice::axum08 as justclick;
use serde_json::{Value, json};

use crate::error::CliError;
use crate::protocols;

/// The routes, for the 404 answer and the start-up line.
const ROUTES: &str = "/cartfreak, /cartloom, /justclick, /cartfunnel";

/// The keys of every protocol: the one `--secret`.
#[derive(Clone)]
struct Keys {
    cartfreak: CartFreakKey,
    cartloom: CartloomToken,
    justclick: justclick::JustClickKey,
    cartfunnel: CartfunnelWebhookSecret,
}

impl Keys {
    fn new(secret: &Secret) -> Self {
        Self {
            cartfreak: CartFreakKey(secret.clone()),
            cartloom: CartloomToken::new(secret.clone()),
            justclick: justclick::JustClickKey(secret.clone()),
            cartfunnel: CartfunnelWebhookSecret(secret.clone()),
        }
    }
}

impl FromRef<Keys> for CartFreakKey {
    fn from_ref(keys: &Keys) -> Self {
        keys.cartfreak.clone()
    }
}

impl FromRef<Keys> for CartloomToken {
    fn from_ref(keys: &Keys) -> Self {
        keys.cartloom.clone()
    }
}

impl FromRef<Keys> for justclick::JustClickKey {
    fn from_ref(keys: &Keys) -> Self {
        keys.justclick.clone()
    }
}

impl FromRef<Keys> for CartfunnelWebhookSecret {
    fn from_ref(keys: &Keys) -> Self {
        keys.cartfunnel.clone()
    }
}

/// Runs the receiver until the process is stopped.
pub(crate) fn run(port: u16, secret: Option<Secret>) -> Result<(), CliError> {
    if secret.as_ref().is_some_and(Secret::is_empty) {
        return Err(CliError::Usage(
            "--secret / CARTWIRE_SECRET is empty: give a key, or no --secret to decode \
             without verifying"
                .to_owned(),
        ));
    }
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
        let app = match secret {
            Some(secret) => verifying(&secret),
            None => decoding(),
        };
        axum::serve(listener, app)
            .await
            .map_err(|e| CliError::Io(format!("the server stopped: {e}")))
    })
}

fn verifying(secret: &Secret) -> Router {
    Router::new()
        .route(
            "/cartfreak",
            get(verified_cartfreak).post(verified_cartfreak),
        )
        .route("/cartloom", post(verified_cartloom))
        .route("/justclick", post(verified_justclick))
        .route(
            "/cartfunnel",
            post(verified_cartfunnel).put(verified_cartfunnel),
        )
        .fallback(not_found)
        .with_state(Keys::new(secret))
}

fn decoding() -> Router {
    Router::new()
        .route("/cartfreak", get(any_cartfreak).post(any_cartfreak))
        .route("/cartloom", post(any_cartloom))
        .route("/justclick", post(any_justclick))
        .route("/cartfunnel", post(any_cartfunnel).put(any_cartfunnel))
        .fallback(not_found)
}

async fn not_found(uri: Uri) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("no receiver at {}; the routes are {ROUTES}", uri.path()),
    )
        .into_response()
}

/// Prints one accepted notification as a JSON line on stdout.
fn print(protocol: &str, verified: bool, payload: Result<Value, CliError>) -> Response {
    let payload = match payload {
        Ok(payload) => payload,
        Err(err) => {
            // The payload decoded but its JSON view failed: a bug worth a 500, not a panic.
            eprintln!("cartwire: {protocol}: {err}");
            return (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response();
        }
    };
    let line = json!({ "protocol": protocol, "verified": verified, "payload": payload });
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = writeln!(stdout, "{line}").and_then(|()| stdout.flush()) {
        eprintln!("cartwire: cannot write to stdout: {err}");
    }
    (StatusCode::OK, "OK").into_response()
}

/// Reports a refused request on stderr and answers with the extractor's rejection.
fn refused(protocol: &str, rejection: Rejection) -> Response {
    eprintln!(
        "cartwire: {protocol}: refused with {}: {}",
        rejection.status().as_u16(),
        rejection.message()
    );
    rejection.into_response()
}

/// CartFreak's reply to an accepted notification is the text `OK`, which `print` answers.
async fn verified_cartfreak(extracted: Result<VerifiedNotification, Rejection>) -> Response {
    match extracted {
        Ok(VerifiedNotification(received)) => print(
            "cartfreak",
            true,
            protocols::cartfreak::json(&received, true),
        ),
        Err(rejection) => refused("cartfreak", rejection),
    }
}

async fn any_cartfreak(extracted: Result<UnverifiedNotification, Rejection>) -> Response {
    match extracted {
        Ok(UnverifiedNotification(received)) => print(
            "cartfreak",
            false,
            protocols::cartfreak::json(&received, false),
        ),
        Err(rejection) => refused("cartfreak", rejection),
    }
}

async fn verified_cartloom(extracted: Result<VerifiedOrder, Rejection>) -> Response {
    match extracted {
        Ok(verified) => print(
            "cartloom",
            true,
            protocols::cartloom::json(&verified.order, verified.shape),
        ),
        Err(rejection) => refused("cartloom", rejection),
    }
}

async fn any_cartloom(extracted: Result<UnverifiedOrder, Rejection>) -> Response {
    match extracted {
        Ok(order) => print(
            "cartloom",
            false,
            protocols::cartloom::json(&order.order, order.shape),
        ),
        Err(rejection) => refused("cartloom", rejection),
    }
}

async fn verified_justclick(
    extracted: Result<justclick::VerifiedNotification, Rejection>,
) -> Response {
    match extracted {
        Ok(justclick::VerifiedNotification(notification)) => print(
            "justclick",
            true,
            protocols::justclick::json(&notification, true),
        ),
        Err(rejection) => refused("justclick", rejection),
    }
}

async fn any_justclick(
    extracted: Result<justclick::UnverifiedNotification, Rejection>,
) -> Response {
    match extracted {
        Ok(justclick::UnverifiedNotification(notification)) => print(
            "justclick",
            false,
            protocols::justclick::json(&notification, false),
        ),
        Err(rejection) => refused("justclick", rejection),
    }
}

async fn verified_cartfunnel(extracted: Result<VerifiedWebhook, Rejection>) -> Response {
    match extracted {
        Ok(VerifiedWebhook(webhook)) => print("cartfunnel", true, Ok(webhook.into_json())),
        Err(rejection) => refused("cartfunnel", rejection),
    }
}

async fn any_cartfunnel(extracted: Result<UnverifiedWebhook, Rejection>) -> Response {
    match extracted {
        Ok(UnverifiedWebhook(webhook)) => print("cartfunnel", false, Ok(webhook.into_json())),
        Err(rejection) => refused("cartfunnel", rejection),
    }
}
