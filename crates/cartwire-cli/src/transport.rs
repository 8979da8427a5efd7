//! Delivering an [`Outgoing`] request over HTTP with ureq.

use crate::error::CliError;
use crate::protocol::Outgoing;

/// The receiver's reply.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) body: String,
}

/// Sends the request; any HTTP status is a reply (a 401 from a receiver is an answer worth
/// printing, not a failure of `send`).
pub(crate) fn deliver(request: &Outgoing) -> Result<Reply, CliError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let network = |e: ureq::Error| CliError::Io(format!("cannot reach {}: {e}", request.url));
    let mut response = match request.method {
        "GET" => {
            let mut call = agent.get(&request.url);
            for (name, value) in &request.headers {
                call = call.header(name, value);
            }
            call.call().map_err(network)?
        }
        method => {
            let mut call = match method {
                "PUT" => agent.put(&request.url),
                _ => agent.post(&request.url),
            };
            for (name, value) in &request.headers {
                call = call.header(name, value);
            }
            call.send(&request.body[..]).map_err(network)?
        }
    };
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| CliError::Io(format!("cannot read the reply from {}: {e}", request.url)))?;
    Ok(Reply { status, body })
}
