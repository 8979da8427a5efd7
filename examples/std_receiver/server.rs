//! The example's server: std's `TcpListener`, one thread per connection, `httparse` for the
//! request head, and a `Delivery` built by hand from what was read (method, target, headers,
//! body; no `http` crate), handed to the route's key. Each request is read whole (a
//! `Content-Length` body of at most 2 MiB), answered, and the connection closed.
//!
//! (Shared with the end-to-end test in `tests/receive.rs`.)

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::{Dedup, Delivery, ErrorKind, Receiver};
use justclick_invoice::JustClickKey;
use serde_json::Value;

/// The largest request head and body read.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 2 << 20;

/// Every protocol's key, built once at start-up.
pub(crate) struct Keys {
    pub(crate) cartfreak: CartFreakKey,
    pub(crate) cartloom: CartloomToken,
    pub(crate) justclick: JustClickKey,
    pub(crate) cartfunnel: CartfunnelWebhookSecret,
}

/// What arrived: the protocol, the idempotency key and the payload as JSON.
pub(crate) struct Arrival {
    pub(crate) protocol: &'static str,
    /// The same for every retry of one notification: a real service handles each key once.
    pub(crate) dedup_key: String,
    pub(crate) payload: Value,
}

/// Where arrivals go.
pub(crate) type Log = Arc<dyn Fn(Arrival) + Send + Sync>;

/// A status and a plain-text body.
type Answer = (u16, String);

/// Accepts connections until the listener fails.
pub(crate) fn serve(listener: TcpListener, keys: Arc<Keys>, log: Log) -> io::Result<()> {
    loop {
        let (stream, _) = listener.accept()?;
        let (keys, log) = (Arc::clone(&keys), Arc::clone(&log));
        std::thread::spawn(move || {
            if let Err(err) = handle(stream, &keys, &log) {
                eprintln!("connection error: {err}");
            }
        });
    }
}

fn handle(mut stream: TcpStream, keys: &Keys, log: &Log) -> io::Result<()> {
    let (status, body) = match read_request(&mut stream)? {
        Ok((request, head_len)) => route(&request, head_len, keys, log),
        Err(refusal) => refusal,
    };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Error",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// Reads one request whole: the bytes and the length of the head. `Ok(Err(..))` is an
/// answer to send instead (400, 413, 431).
fn read_request(stream: &mut TcpStream) -> io::Result<Result<(Vec<u8>, usize), Answer>> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 8192];
    let (head_len, body_len) = loop {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Ok(Err((400, "the request ended early".to_owned())));
        }
        buffer.extend_from_slice(chunk.get(..read).unwrap_or_default());
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut head = httparse::Request::new(&mut headers);
        match head.parse(&buffer) {
            Ok(httparse::Status::Complete(head_len)) => match body_length(head.headers) {
                Ok(body_len) => break (head_len, body_len),
                Err(refusal) => return Ok(Err(refusal)),
            },
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => {
                return Ok(Err((431, "the request head is too large".to_owned())));
            }
            Err(err) => return Ok(Err((400, format!("bad request head: {err}")))),
        }
    };
    let total = head_len + body_len;
    if buffer.len() < total {
        let start = buffer.len();
        buffer.resize(total, 0);
        if let Some(rest) = buffer.get_mut(start..) {
            stream.read_exact(rest)?;
        }
    }
    buffer.truncate(total);
    Ok(Ok((buffer, head_len)))
}

/// The `Content-Length` of a request (0 without one); chunked bodies are not read here.
fn body_length(headers: &[httparse::Header<'_>]) -> Result<usize, Answer> {
    let mut length = 0;
    for header in headers {
        if header.name.eq_ignore_ascii_case("transfer-encoding") {
            let reason = "send a Content-Length body (chunked is not read here)";
            return Err((400, reason.to_owned()));
        }
        if header.name.eq_ignore_ascii_case("content-length") {
            length = std::str::from_utf8(header.value)
                .ok()
                .and_then(|value| value.trim().parse().ok())
                .ok_or((400, "bad Content-Length".to_owned()))?;
        }
    }
    if length > MAX_BODY {
        return Err((413, format!("the body is over {MAX_BODY} bytes")));
    }
    Ok(length)
}

/// The request as a `Delivery`, handed to the key of its route.
fn route(request: &[u8], head_len: usize, keys: &Keys, log: &Log) -> Answer {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut head = httparse::Request::new(&mut headers);
    if head.parse(request).is_err() {
        return (400, "bad request head".to_owned()); // parsed once already: not expected
    }
    let target = head.path.unwrap_or("/");
    let mut delivery = Delivery::new(head.method.unwrap_or("GET"), target)
        .body(request.get(head_len..).unwrap_or_default());
    for header in head.headers.iter() {
        delivery = delivery.header(header.name, header.value);
    }
    match delivery.path() {
        "/cartfreak" => receive(&keys.cartfreak, &delivery, log, json),
        "/cartloom" => receive(&keys.cartloom, &delivery, log, |received| {
            json(&received.order)
        }),
        "/justclick" => receive(&keys.justclick, &delivery, log, json),
        "/cartfunnel" => receive(&keys.cartfunnel, &delivery, log, |webhook| {
            webhook.json().clone()
        }),
        path => (404, format!("no receiver at {path}")),
    }
}

/// A notification in its crate's JSON view.
fn json(notification: &impl serde::Serialize) -> Value {
    serde_json::to_value(notification).unwrap_or_default()
}

/// Verifies, then decodes, with `key`; 200 and a log line, or the refusal: 401 not
/// verified, 413 over a limit, 400 malformed, with the protocol's refusal body (CartFreak's
/// `ERROR <reason>`, the error's one-line message otherwise).
fn receive<R: Receiver>(
    key: &R,
    delivery: &Delivery<'_>,
    log: &Log,
    payload: impl FnOnce(&R::Notification) -> Value,
) -> Answer {
    match key.receive(delivery) {
        Ok(notification) => {
            log(Arrival {
                protocol: R::PROTOCOL,
                dedup_key: notification.dedup_key().to_string(),
                payload: payload(&notification),
            });
            (200, "OK".to_owned())
        }
        Err(err) => {
            let status = match err.kind() {
                ErrorKind::VerificationFailed => 401,
                ErrorKind::LimitExceeded => 413,
                _ => 400,
            };
            (status, R::refusal_body(&err))
        }
    }
}
