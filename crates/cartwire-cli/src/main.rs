//! `cartwire`: decode, verify, sign, encode and deliver cart notifications from the shell.
//!
//! The command-line contract (names, output, exit codes) is stable; other tools script it.
//! Exit status: 0 success, 1 malformed input, 2 usage error, 3 verification failed,
//! 4 I/O or network error.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod emulate;
mod error;
mod listen;
mod protocol;
mod protocols;
mod receiving;
mod transport;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use cartwire_core::{Delivery, Secret};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::error::CliError;
use crate::protocol::Protocol;
use crate::receiving::View;

/// Decode, verify, sign, encode and deliver e-commerce cart notifications.
///
/// Exit status: 0 success, 1 malformed input, 2 usage error, 3 verification failed,
/// 4 I/O or network error.
#[derive(Debug, Parser)]
#[command(
    name = "cartwire",
    version,
    about,
    long_about,
    after_help = "Example:\n  $ cartwire samples justclick paid \\\n      | cartwire decode justclick --secret jc-fixture-secret-4f2a"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode a wire payload and print it as one JSON object.
    ///
    /// The input is the body of a delivery; `--url` and `--header` give the rest of the
    /// request, where a protocol's credential travels (Cartloom's token in the URL,
    /// Cartfunnel's signature in a header). With a secret (`--secret` or CARTWIRE_SECRET) the
    /// delivery is verified first, as a receiver does, and a failed check exits with status 3.
    /// Every receiving protocol's JSON has "verified" (true or false) and "dedup_key".
    /// With `--event`, the notification's event is printed instead: the shared vocabulary
    /// (order_paid, order_refunded, subscription_ended, …) every receiving protocol maps to.
    #[command(
        after_help = "Example:\n  $ cartwire samples justclick paid \\\n      | cartwire decode justclick --secret jc-fixture-secret-4f2a --event"
    )]
    Decode {
        /// The protocol of the input.
        protocol: ProtocolName,
        /// The input file; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// Verify with this secret (hash key, API key, endpoint token or webhook secret).
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: Option<String>,
        /// The URL (or path and query) the payload was delivered to, e.g.
        /// 'https://shop.example/hook?token=T' for a Cartloom token.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// A request header, 'Name: value' (repeatable), e.g.
        /// 'X-Cartfunnel-Hmac-SHA256: 3f…' for a Cartfunnel webhook.
        #[arg(long = "header", value_name = "HEADER")]
        headers: Vec<String>,
        /// Print the notification's event (kind, customer, total, items, dedup_key, and
        /// "verified") rather than the notification.
        #[arg(long)]
        event: bool,
    },
    /// Turn the JSON printed by `decode` back into the wire form.
    #[command(
        after_help = "Example:\n  $ cartwire samples justclick paid | cartwire decode justclick \\\n      | cartwire encode justclick --secret jc-fixture-secret-4f2a"
    )]
    Encode {
        /// The protocol to encode.
        protocol: ProtocolName,
        /// The JSON file; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// Compute the hash field with this secret, where the protocol has one.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: Option<String>,
    },
    /// Set the hash field of a wire payload.
    #[command(
        after_help = "Example:\n  $ cartwire samples justclick paid \\\n      | cartwire sign justclick --secret my-justclick-api-key"
    )]
    Sign {
        /// The protocol of the input.
        protocol: ProtocolName,
        /// The wire payload; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// The hash key.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: String,
    },
    /// Deliver a wire payload to a receiver the way the vendor's servers do, and print the
    /// reply's status line and body. A reply other than 2xx exits with status 1, its status
    /// and body on stderr.
    #[command(
        after_help = "Example (with `cartwire listen --port 8080` running):\n  $ cartwire samples justclick paid \\\n      | cartwire send justclick --to http://127.0.0.1:8080/justclick"
    )]
    Send {
        /// The protocol of the payload.
        protocol: ProtocolName,
        /// The wire payload; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// The receiver's URL (the product's API URL, notify URL…).
        #[arg(long)]
        to: String,
        /// Sign the payload with this secret before sending, where the protocol has a hash.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: Option<String>,
    },
    /// Print a vendor-style sample of each message kind (or of one, by name).
    #[command(after_help = "Example:\n  $ cartwire samples cartstack-response")]
    Samples {
        /// The protocol.
        protocol: ProtocolName,
        /// Print only this sample, raw, ready to pipe into `decode`.
        name: Option<String>,
    },
    /// Receive notifications on 127.0.0.1 and print each as one JSON line.
    ///
    /// Routes: /cartfreak (GET or POST), /cartloom, /justclick, /cartfunnel (webhooks). The
    /// bound address is written on stderr first. Each accepted notification is printed as
    /// {"protocol": …, "verified": …, "payload": <what `decode` prints>}. With a secret,
    /// every request is verified with it (CartFreak's API key, Cartloom's endpoint token in
    /// `?token=`, JustClick's API key, Cartfunnel's webhook secret) and refused with 401 when
    /// it does not check out; without one, requests are decoded only ("verified": false).
    /// With `--event`, each line is the notification's event instead (what
    /// `decode --event` prints). Runs until stopped.
    #[command(
        after_help = "Example:\n  $ cartwire listen --port 8080 --secret jc-fixture-secret-4f2a"
    )]
    Listen {
        /// The port (0: any free port).
        #[arg(long)]
        port: u16,
        /// Print each notification's event rather than the notification.
        #[arg(long)]
        event: bool,
        /// Verify every notification with this secret.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: Option<String>,
    },
    /// Call the Cartfunnel REST API.
    #[command(subcommand, after_help = protocols::cartfunnel::GET_EXAMPLE)]
    Cartfunnel(protocols::cartfunnel::Command),
    /// Call the CartStack server-side confirmation API.
    #[command(subcommand, after_help = protocols::cartstack::CONFIRM_EXAMPLE)]
    Cartstack(protocols::cartstack::Command),
    /// Run a local emulator of the CartStack or Cartfunnel API, for trying a client.
    ///
    /// It listens on 127.0.0.1 and writes on stdout, first and flushed, one `name=value` per
    /// line: `url=` (the base URL to give the client), the credentials to use (`key=` and
    /// `site_id=` for CartStack; `account=` and `api_secret=` for Cartfunnel), then the seeded
    /// data (CartStack: `open_cart=EMAIL` for each cart a confirmation closes, and a
    /// `purchased_cart=` and a `failing_cart=` that answer 102; Cartfunnel: `customers=250`,
    /// three pages).
    /// Each request is logged on stderr. Serves until stopped (Ctrl-C, SIGTERM).
    #[command(after_help = "Example:\n  $ cartwire emulate cartstack --port 8480")]
    Emulate {
        /// The API to emulate.
        api: emulate::Api,
        /// The port on 127.0.0.1 (0: a free port, printed in `url=`).
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Print a shell completion script for cartwire on stdout.
    #[command(
        after_help = "Example (then `source cartwire.bash` from ~/.bashrc):\n  $ cartwire completions bash > cartwire.bash"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The protocols the generic subcommands know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ProtocolName {
    /// CartFreak outgoing notifications (query string, URL, or hashed POST form).
    Cartfreak,
    /// Cartloom notify-server order POST (raw JSON or `order=` form).
    Cartloom,
    /// JustClick invoice notifications (PHP bracket form).
    Justclick,
    /// A Cartfunnel order or abandoned-cart webhook (JSON body, X-Cartfunnel-Hmac-SHA256).
    CartfunnelWebhook,
    /// One Cartfunnel customer object (API response JSON).
    CartfunnelCustomer,
    /// One page of the Cartfunnel customer list (API response JSON).
    CartfunnelCustomers,
    /// A CartStack confirmation response (JSON).
    CartstackResponse,
}

impl ProtocolName {
    fn protocol(self) -> &'static dyn Protocol {
        match self {
            ProtocolName::Cartfreak => &protocols::cartfreak::CartFreak,
            ProtocolName::Cartloom => &protocols::cartloom::Cartloom,
            ProtocolName::Justclick => &protocols::justclick::JustClick,
            ProtocolName::CartfunnelWebhook => &protocols::cartfunnel::WebhookJson,
            ProtocolName::CartfunnelCustomer => &protocols::cartfunnel::CustomerJson,
            ProtocolName::CartfunnelCustomers => &protocols::cartfunnel::CustomerPageJson,
            ProtocolName::CartstackResponse => &protocols::cartstack::ResponseJson,
        }
    }
}

/// Reads FILE (or standard input) up to `limit` bytes: reading stops one byte past it, and
/// the command exits 1 naming the limit, so memory stays bounded whatever the input's size.
pub(crate) fn read_input(file: Option<&PathBuf>, limit: usize) -> Result<Vec<u8>, CliError> {
    let take = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut input = Vec::new();
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let cannot =
                |e: std::io::Error| CliError::Io(format!("cannot read {}: {e}", path.display()));
            std::fs::File::open(path)
                .and_then(|file| file.take(take).read_to_end(&mut input))
                .map_err(cannot)?;
        }
        _ => {
            std::io::stdin()
                .lock()
                .take(take)
                .read_to_end(&mut input)
                .map_err(|e| CliError::Io(format!("cannot read standard input: {e}")))?;
        }
    }
    if input.len() > limit {
        return Err(
            cartwire_core::Error::from(cartwire_core::LimitExceeded::new(
                cartwire_core::Limit::Bytes,
                limit,
            ))
            .into(),
        );
    }
    Ok(input)
}

/// The JSON view of a wire input is larger than the input (names, quoting, escapes): `encode`
/// reads up to this many times the protocol's wire limit.
const JSON_TO_WIRE: usize = 8;

fn write_out(bytes: &[u8]) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}

/// Prints a receiver's reply to `send`: the status line and body on stdout for a 2xx; for
/// anything else, the same on stderr and exit 1 (the receiver refused the delivery).
pub(crate) fn print_reply(reply: &transport::Reply) -> Result<(), CliError> {
    if (200..300).contains(&reply.status) {
        write_out(format!("HTTP {}\n{}", reply.status, reply.body).as_bytes())
    } else {
        Err(CliError::Rejected(format!(
            "the receiver answered HTTP {}: {}",
            reply.status,
            reply.body.trim()
        )))
    }
}

/// `--header 'Name: value'` split at the first colon, the value trimmed.
fn parse_header(header: &str) -> Result<(&str, &str), CliError> {
    match header.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim(), value.trim())),
        _ => Err(CliError::Usage(format!(
            "--header: expected 'Name: value', found {header:?}"
        ))),
    }
}

fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let mut text = serde_json::to_string(value)?;
    text.push('\n');
    write_out(text.as_bytes())
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Decode {
            protocol,
            file,
            secret,
            url,
            headers,
            event,
        } => {
            let input = read_input(file.as_ref(), protocol.protocol().max_input())?;
            let secret = secret.map(Secret::new);
            let headers = headers
                .iter()
                .map(|header| parse_header(header))
                .collect::<Result<Vec<_>, _>>()?;
            let mut delivery = Delivery::post(url.as_deref().unwrap_or("/"), &input);
            for (name, value) in &headers {
                delivery = delivery.header(name, *value);
            }
            let view = if event {
                View::Event
            } else {
                View::Notification
            };
            let json = protocol
                .protocol()
                .decode(&delivery, secret.as_ref(), view)?;
            print_json(&json)
        }
        Command::Encode {
            protocol,
            file,
            secret,
        } => {
            let limit = protocol.protocol().max_input().saturating_mul(JSON_TO_WIRE);
            let input = read_input(file.as_ref(), limit)?;
            let json: serde_json::Value = serde_json::from_slice(&input)?;
            let secret = secret.map(Secret::new);
            let wire = protocol.protocol().encode(&json, secret.as_ref())?;
            write_out(&wire)
        }
        Command::Sign {
            protocol,
            file,
            secret,
        } => {
            let secret = Secret::new(secret);
            if secret.is_empty() {
                return Err(CliError::Usage(
                    "--secret / CARTWIRE_SECRET is empty: give the key to sign with".to_owned(),
                ));
            }
            let input = read_input(file.as_ref(), protocol.protocol().max_input())?;
            let wire = protocol.protocol().sign(&input, &secret)?;
            write_out(&wire)
        }
        Command::Send {
            protocol,
            file,
            to,
            secret,
        } => {
            let input = read_input(file.as_ref(), protocol.protocol().max_input())?;
            let secret = secret.map(Secret::new);
            let outgoing = protocol.protocol().outgoing(&input, &to, secret.as_ref())?;
            let reply = transport::deliver(&outgoing)?;
            print_reply(&reply)
        }
        Command::Samples { protocol, name } => {
            let samples = protocol.protocol().samples();
            let out = match name {
                Some(name) => {
                    let sample = samples.iter().find(|s| s.name == name).ok_or_else(|| {
                        let names: Vec<&str> = samples.iter().map(|s| s.name).collect();
                        CliError::Usage(format!(
                            "no sample named `{name}`; there are: {}",
                            names.join(", ")
                        ))
                    })?;
                    sample.wire.clone()
                }
                None => {
                    let mut out = Vec::new();
                    for sample in &samples {
                        out.extend_from_slice(format!("# {}\n", sample.name).as_bytes());
                        out.extend_from_slice(&sample.wire);
                        out.extend_from_slice(b"\n\n");
                    }
                    out
                }
            };
            if let Some(note) = protocol.protocol().samples_note() {
                eprintln!("cartwire: {note}");
            }
            write_out(&out)
        }
        Command::Listen {
            port,
            secret,
            event,
        } => {
            let view = if event {
                View::Event
            } else {
                View::Notification
            };
            listen::run(port, secret.map(Secret::new), view)
        }
        Command::Cartfunnel(command) => protocols::cartfunnel::run(command),
        Command::Cartstack(command) => protocols::cartstack::run(command),
        Command::Emulate { api, port } => emulate::run(api, port),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cartwire", &mut script);
            write_out(&script)
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0; usage errors exit 2.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let line = err.to_string().replace('\n', " ");
            eprintln!("cartwire: {line}");
            err.exit_code()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
