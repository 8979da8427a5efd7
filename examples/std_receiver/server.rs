//! The example's server: std's `TcpListener`, one thread per connection, `httparse` for the
//! request head, and the protocol crates' `http` functions for the rest. Each request is read
//! whole (a `Content-Length` body of at most 2 MiB), answered, and the connection closed.
//!
//! (Shared with the end-to-end test in `tests/receive.rs`.)

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use cartfreak_notify::Reply;
use cartfunnel_client_types::WebhookError;
use cartfunnel_client_types::verify::Webhook;
use cartloom_order::EndpointToken;
use cartwire_core::{ErrorKind, Secret};
use serde_json::Value;

/// The largest request head and body read.
const MAX_HEAD: usize = 16 * 1024;
const MAX_BODY: usize = 2 << 20;

/// Every protocol's key.
pub(crate) struct Keys {
    /// CartFreak: the product's API key.
    pub(crate) cartfreak: Secret,
    /// Cartloom: the endpoint token in the Notify URL.
    pub(crate) cartloom: EndpointToken,
    /// JustClick: the cabinet's API key.
    pub(crate) justclick: Secret,
    /// Cartfunnel: the webhook secret.
    pub(crate) cartfunnel: Secret,
}

/// Where arrivals go: the protocol and the payload as JSON.
pub(crate) type Log = Arc<dyn Fn(&'static str, Value) + Send + Sync>;

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
        Ok(request) => dispatch(&request, keys, log),
        Err(refusal) => refusal,
    };
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        413 => "Content Too Large",
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

/// An answer sent without dispatching: a status and a reason.
type Refusal = (u16, String);

/// Reads one request; `Ok(Err(..))` is an answer to send instead (400, 413).
fn read_request(stream: &mut TcpStream) -> io::Result<Result<http::Request<Vec<u8>>, Refusal>> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 8192];
    let (head_len, mut request) = loop {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Ok(Err((400, "the request ended early".to_owned())));
        }
        buffer.extend_from_slice(chunk.get(..read).unwrap_or_default());
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buffer) {
            Ok(httparse::Status::Complete(head_len)) => {
                let mut builder = http::Request::builder()
                    .method(parsed.method.unwrap_or("GET"))
                    .uri(parsed.path.unwrap_or("/"));
                for header in parsed.headers.iter() {
                    builder = builder.header(header.name, header.value);
                }
                match builder.body(Vec::new()) {
                    Ok(request) => break (head_len, request),
                    Err(err) => return Ok(Err((400, format!("bad request head: {err}")))),
                }
            }
            Ok(httparse::Status::Partial) if buffer.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => {
                return Ok(Err((413, "the request head is too large".to_owned())));
            }
            Err(err) => return Ok(Err((400, format!("bad request head: {err}")))),
        }
    };
    if request
        .headers()
        .contains_key(http::header::TRANSFER_ENCODING)
    {
        return Ok(Err((
            400,
            "send a Content-Length body (chunked is not read here)".to_owned(),
        )));
    }
    let length = match request.headers().get(http::header::CONTENT_LENGTH) {
        None => 0,
        Some(value) => match value
            .to_str()
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
        {
            Some(length) => length,
            None => return Ok(Err((400, "bad Content-Length".to_owned()))),
        },
    };
    if length > MAX_BODY {
        return Ok(Err((413, format!("the body is over {MAX_BODY} bytes"))));
    }
    let mut body = buffer.split_off(head_len.min(buffer.len()));
    body.truncate(length);
    if body.len() < length {
        let start = body.len();
        body.resize(length, 0);
        if let Some(rest) = body.get_mut(start..) {
            stream.read_exact(rest)?;
        }
    }
    *request.body_mut() = body;
    Ok(Ok(request))
}

/// The status of an error kind: 400 malformed, 413 over a limit, 401 not verified.
fn status(kind: ErrorKind) -> u16 {
    match kind {
        ErrorKind::VerificationFailed => 401,
        ErrorKind::LimitExceeded => 413,
        _ => 400,
    }
}

fn dispatch(request: &http::Request<Vec<u8>>, keys: &Keys, log: &Log) -> (u16, String) {
    match request.uri().path() {
        "/cartfreak" => {
            let verified = cartfreak_notify::http::decode_request(request)
                .and_then(|received| received.verify(&keys.cartfreak).map(|()| received));
            match verified {
                Ok(received) => {
                    log(
                        "cartfreak",
                        serde_json::to_value(&received).unwrap_or_default(),
                    );
                    (200, Reply::Ok.to_string())
                }
                // CartFreak's receivers answer `ERROR <reason>`.
                Err(err) => (
                    status(err.kind()),
                    Reply::error(err.to_string()).to_string(),
                ),
            }
        }
        "/cartloom" => {
            match cartloom_order::http::verify_and_decode_request(&keys.cartloom, request) {
                Ok(order) => {
                    log("cartloom", serde_json::to_value(&order).unwrap_or_default());
                    (200, "OK".to_owned())
                }
                Err(err) => (status(err.kind()), err.to_string()),
            }
        }
        "/justclick" => {
            match justclick_invoice::http::decode_verified_request(request, &keys.justclick) {
                Ok(notification) => {
                    log(
                        "justclick",
                        serde_json::to_value(&notification).unwrap_or_default(),
                    );
                    (200, "OK".to_owned())
                }
                Err(err) => (status(err.kind()), err.to_string()),
            }
        }
        "/cartfunnel" => {
            if let Err(err) = cartwire_core::http::body(request) {
                return (400, err.to_string());
            }
            match Webhook::from_http(request, &keys.cartfunnel) {
                Ok(webhook) => {
                    log("cartfunnel", webhook.into_json());
                    (200, "OK".to_owned())
                }
                Err(WebhookError::Body(err)) => (status(err.kind()), err.to_string()),
                Err(err) => (401, err.to_string()),
            }
        }
        path => (404, format!("no receiver at {path}")),
    }
}
