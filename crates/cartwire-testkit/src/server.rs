//! The one small HTTP/1.1 server under both emulators: a std [`TcpListener`] on 127.0.0.1,
//! an accept thread, and a thread per connection; one request per connection
//! (`Connection: close`), bounded head and body, read and write timeouts, and the scripted
//! [`Fault`]s applied before a vendor's rules see the request.
//!
//! Nothing a client sends makes it panic: a request it cannot read gets a 400 (or, past the
//! limits, a 413 or 431) and the connection closes.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The largest request head (request line and headers) read, in bytes.
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The largest request body read, in bytes.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a connection may take to send its request, or to take the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections served at once; past this, a connection gets a 503 at once.
const MAX_CONNECTIONS: usize = 64;
/// How long a connection is drained after its answer (see `drain`).
const LINGER: Duration = Duration::from_secs(1);
/// How often a delayed answer looks whether the emulator was dropped.
const STOP_POLL: Duration = Duration::from_millis(10);

/// A failure scripted for the next request(s): queued with `fail_next` or `fail_next_n` on
/// an emulator, taken one per request, oldest first.
///
/// A request that meets a fault is recorded like any other (with the fault in
/// [`RecordedRequest::fault`]), so a test can count a client's attempts.
///
/// ```
/// use std::time::Duration;
/// use cartwire_testkit::Fault;
///
/// let faults = [
///     Fault::Status(503),                          // a proxy's error page
///     Fault::reply(200, r#"{"resp":999}"#),        // any answer, word for word
///     Fault::Delay(Duration::from_millis(300)),    // handled, answered late
///     Fault::Close,                                // no answer at all
/// ];
/// assert_eq!(faults[0].to_string(), "status 503");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this status with a short HTML error page, as a proxy or load balancer in front
    /// of the vendor would; the request is **not** handled (no state changes).
    Status(u16),
    /// Answer this status and body, word for word, instead of handling the request; the
    /// `Content-Type` is `application/json` when the body starts with `{` or `[`,
    /// `text/html` otherwise. Build it with [`Fault::reply`].
    Reply {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// Handle the request (state changes, as on the vendor's side), then wait this long
    /// before answering: what a client that times out meanwhile never learns.
    Delay(Duration),
    /// Read the request, then close the connection without answering; the request is **not**
    /// handled.
    Close,
}

impl Fault {
    /// A [`Fault::Reply`]: this status and body instead of the vendor's answer.
    pub fn reply(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::Reply {
            status,
            body: body.into(),
        }
    }
}

impl core::fmt::Display for Fault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Status(status) => write!(f, "status {status}"),
            Self::Reply { status, body } => {
                write!(f, "reply {status} with {} bytes", body.len())
            }
            Self::Delay(delay) => write!(f, "delay {delay:?}"),
            Self::Close => f.write_str("close"),
        }
    }
}

/// One request an emulator received, as it arrived: test support, so secrets in the query
/// or the headers are kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method (`GET`, `POST`…).
    pub method: String,
    /// The request target as sent, path and query, encoding untouched
    /// (`/ss/v1/?key=…&siteid=…`).
    pub target: String,
    /// The headers in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When the request had been read.
    pub received_at: Instant,
    /// The status answered; `None` when the connection was closed without an answer
    /// ([`Fault::Close`]).
    pub status: Option<u16>,
    /// The body answered (empty when none was).
    pub answer: Vec<u8>,
    /// The scripted fault this request met, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// The first header of this name (compared ignoring ASCII case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path part of the target (before any `?`).
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The query part of the target (after the first `?`), still encoded; empty if none.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }
}

/// A request as the vendor's rules see it.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Request {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path and the query (still encoded) of the target.
    pub(crate) fn path_and_query(&self) -> (&str, &str) {
        self.target
            .split_once('?')
            .unwrap_or((self.target.as_str(), ""))
    }
}

/// An answer to write.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
        }
    }

    fn error_page(status: u16) -> Self {
        let reason = reason(status);
        Self::new(
            status,
            "text/html; charset=utf-8",
            format!(
                "<html><head><title>{status} {reason}</title></head>\
                 <body><h1>{status} {reason}</h1></body></html>"
            ),
        )
    }

    fn verbatim(status: u16, body: &[u8]) -> Self {
        let content_type = match body.first() {
            Some(b'{' | b'[') => "application/json; charset=utf-8",
            _ => "text/html; charset=utf-8",
        };
        Self::new(status, content_type, body)
    }
}

/// A vendor's rules: what to answer to a request, given the emulated state.
pub(crate) trait Handler: Send + 'static {
    fn handle(&mut self, request: &Request) -> Reply;
}

struct State<H> {
    handler: H,
    faults: VecDeque<Fault>,
    requests: Vec<RecordedRequest>,
}

struct Shared<H> {
    stop: AtomicBool,
    connections: AtomicUsize,
    state: Mutex<State<H>>,
}

impl<H> Shared<H> {
    fn state(&self) -> MutexGuard<'_, State<H>> {
        // The lock is never held across a panic in this crate; if a caller's closure panicked
        // while holding it, the data is still consistent: keep serving.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running server; dropping it stops accepting, and ends delayed answers early.
pub(crate) struct Server<H> {
    addr: SocketAddr,
    shared: Arc<Shared<H>>,
    thread: Option<JoinHandle<()>>,
}

impl<H: Handler> Server<H> {
    /// Listens on 127.0.0.1:`port` (0: a free port chosen by the system).
    pub(crate) fn start(port: u16, name: &str, handler: H) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            connections: AtomicUsize::new(0),
            state: Mutex::new(State {
                handler,
                faults: VecDeque::new(),
                requests: Vec::new(),
            }),
        });
        let thread = std::thread::Builder::new()
            .name(format!("{name}-{}", addr.port()))
            .spawn({
                let shared = Arc::clone(&shared);
                move || accept(&listener, &shared)
            })?;
        Ok(Self {
            addr,
            shared,
            thread: Some(thread),
        })
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.state().requests.clone()
    }

    pub(crate) fn fail_next_n(&self, count: usize, fault: &Fault) {
        let mut state = self.shared.state();
        state
            .faults
            .extend(std::iter::repeat_n(fault, count).cloned());
    }

    pub(crate) fn pending_faults(&self) -> usize {
        self.shared.state().faults.len()
    }

    /// Runs `f` on the handler, under the lock (no request is handled meanwhile).
    pub(crate) fn with_handler<R>(&self, f: impl FnOnce(&mut H) -> R) -> R {
        f(&mut self.shared.state().handler)
    }
}

impl<H> Drop for Server<H> {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the blocking `accept` so that the thread sees the flag. If that connection
        // cannot be made, joining could wait forever: leave the thread to end with the process
        // rather than hang the test.
        let woke = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok();
        if let Some(thread) = self.thread.take().filter(|_| woke) {
            let _ = thread.join();
        }
    }
}

fn accept<H: Handler>(listener: &TcpListener, shared: &Arc<Shared<H>>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        // A connection that fails (reset, timeout) concerns that client only.
        let Ok(stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = refuse_busy(stream);
            continue;
        }
        let spawned = std::thread::Builder::new()
            .name("cartwire-testkit-conn".to_owned())
            .spawn({
                let shared = Arc::clone(shared);
                move || {
                    let _ = serve(stream, &shared);
                    shared.connections.fetch_sub(1, Ordering::SeqCst);
                }
            });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn refuse_busy(mut stream: TcpStream) -> io::Result<()> {
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    write_reply(&mut stream, &Reply::error_page(503))
}

fn serve<H: Handler>(stream: TcpStream, shared: &Shared<H>) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    let reader = &mut reader;
    let request = match read_request(reader) {
        Ok(request) => request,
        Err(problem) => {
            let mut reply = Reply::error_page(problem.status);
            reply.body = problem.message.into_bytes();
            reply.content_type = "text/plain; charset=utf-8";
            write_reply(&mut stream, &reply)?;
            drain(reader);
            return Ok(());
        }
    };
    let received_at = Instant::now();
    let mut state = shared.state();
    let fault = state.faults.pop_front();
    let (reply, delay) = match &fault {
        None => (Some(state.handler.handle(&request)), None),
        Some(Fault::Status(status)) => (Some(Reply::error_page(*status)), None),
        Some(Fault::Reply { status, body }) => (Some(Reply::verbatim(*status, body)), None),
        Some(Fault::Delay(delay)) => (Some(state.handler.handle(&request)), Some(*delay)),
        Some(Fault::Close) => (None, None),
    };
    state.requests.push(RecordedRequest {
        method: request.method,
        target: request.target,
        headers: request.headers,
        body: request.body,
        received_at,
        status: reply.as_ref().map(|r| r.status),
        answer: reply.as_ref().map(|r| r.body.clone()).unwrap_or_default(),
        fault,
    });
    drop(state);

    if let Some(delay) = delay {
        // A delay too long to represent waits until the emulator is dropped.
        let until = received_at.checked_add(delay);
        while !shared.stop.load(Ordering::SeqCst) {
            let left = until.map_or(STOP_POLL, |until| {
                until.saturating_duration_since(Instant::now())
            });
            if left.is_zero() {
                break;
            }
            std::thread::sleep(STOP_POLL.min(left));
        }
    }
    match reply {
        Some(reply) => {
            write_reply(&mut stream, &reply)?;
            drain(reader);
            Ok(())
        }
        None => stream.shutdown(Shutdown::Both),
    }
}

/// Reads and drops what the client still sends (a refused body, a head past the limit) until
/// it hangs up, for a bounded time and size: closing a socket with unread input resets the
/// connection, and the client could lose the answer already sent.
fn drain(reader: &mut BufReader<TcpStream>) {
    if reader.get_ref().set_read_timeout(Some(LINGER)).is_err() {
        return;
    }
    let mut chunk = [0u8; 8 * 1024];
    let mut left = MAX_BODY_BYTES;
    let started = Instant::now();
    while left > 0 && started.elapsed() < LINGER {
        match reader.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Why a request could not be read: the status and a plain-text explanation.
struct Refusal {
    status: u16,
    message: String,
}

impl Refusal {
    fn new(status: u16, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

fn read_request(reader: &mut impl BufRead) -> Result<Request, Refusal> {
    let mut head_bytes = 0usize;
    let mut read_line = |line: &mut Vec<u8>| -> Result<(), Refusal> {
        line.clear();
        let remaining = MAX_HEAD_BYTES.saturating_sub(head_bytes);
        // `take` bounds a line that never ends.
        let n = reader
            .take(
                u64::try_from(remaining)
                    .unwrap_or(u64::MAX)
                    .saturating_add(1),
            )
            .read_until(b'\n', line)
            .map_err(|e| Refusal::new(400, format!("cannot read the request: {e}")))?;
        head_bytes = head_bytes.saturating_add(n);
        if head_bytes > MAX_HEAD_BYTES {
            return Err(Refusal::new(431, "the request head is too large"));
        }
        if n == 0 || line.last() != Some(&b'\n') {
            return Err(Refusal::new(400, "the connection closed mid-request"));
        }
        Ok(())
    };
    let mut line = Vec::new();
    read_line(&mut line)?;
    let text = String::from_utf8_lossy(&line);
    let mut parts = text.split_whitespace();
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::new(400, "a request line is METHOD TARGET VERSION"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Refusal::new(400, format!("not HTTP/1.x: {version:?}")));
    }
    let (method, target) = (method.to_owned(), target.to_owned());
    let mut headers = Vec::new();
    loop {
        read_line(&mut line)?;
        let text = String::from_utf8_lossy(&line);
        let trimmed = text.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':').ok_or_else(|| {
            Refusal::new(400, format!("a header line without a colon: {trimmed:?}"))
        })?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = Request {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    if request
        .header("Transfer-Encoding")
        .is_some_and(|te| !te.eq_ignore_ascii_case("identity"))
    {
        return Err(Refusal::new(
            411,
            "chunked bodies are not supported; send Content-Length",
        ));
    }
    let length = match request.header("Content-Length") {
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| Refusal::new(400, format!("Content-Length is not a number: {value:?}")))?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err(Refusal::new(413, "the body is too large"));
    }
    let mut body = vec![0u8; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| Refusal::new(400, format!("the body is shorter than Content-Length: {e}")))?;
    request.body = body;
    Ok(request)
}

fn write_reply(stream: &mut TcpStream, reply: &Reply) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(&reply.body)?;
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn read(raw: &[u8]) -> Result<Request, u16> {
        read_request(&mut BufReader::new(raw)).map_err(|r| r.status)
    }

    #[test]
    fn reads_a_request_with_a_body() {
        let request =
            read(b"POST /v1/x.json?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabcdef")
                .unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(request.path_and_query(), ("/v1/x.json", "a=1"));
        assert_eq!(request.header("content-length"), Some("3"));
        assert_eq!(request.body, b"abc");
    }

    #[test]
    fn refuses_what_it_cannot_read_without_panicking() {
        assert_eq!(read(b"").unwrap_err(), 400);
        assert_eq!(read(b"NONSENSE\r\n\r\n").unwrap_err(), 400);
        assert_eq!(read(b"GET / SPDY/3\r\n\r\n").unwrap_err(), 400);
        assert_eq!(
            read(b"GET / HTTP/1.1\r\nno colon\r\n\r\n").unwrap_err(),
            400
        );
        assert_eq!(read(b"GET / HTTP/1.1\r\nHost: h").unwrap_err(), 400);
        assert_eq!(
            read(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").unwrap_err(),
            400
        );
        assert_eq!(
            read(b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nshort").unwrap_err(),
            400
        );
        assert_eq!(
            read(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap_err(),
            411
        );
        let huge = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        assert_eq!(read(huge.as_bytes()).unwrap_err(), 413);
        let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_HEAD_BYTES));
        assert_eq!(read(long_line.as_bytes()).unwrap_err(), 431);
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(10_000));
        assert_eq!(read(many.as_bytes()).unwrap_err(), 431);
        assert_eq!(
            read(b"\xff\xfe \xff HTTP/1.1\r\n\r\n").map(|r| r.method.len()),
            Ok(6)
        );
    }
}
