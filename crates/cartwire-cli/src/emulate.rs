//! `cartwire emulate cartstack|cartfunnel`: a local emulator of a vendor's API (from
//! `cartwire-testkit`, the only way emulator code reaches this binary), seeded, with fixed
//! demo credentials, for trying a client or a shop by hand or from a CI script.
//!
//! * stdout, first and flushed at once, one `name=value` per line: `url=` (the base URL to
//!   give the client), then the credentials (`key=` and `site_id=` for CartStack, `account=`
//!   and `api_secret=` for Cartfunnel), then the seeded data (`open_cart=EMAIL` lines and the
//!   other carts for CartStack, `customers=250` for Cartfunnel). A script reads up to the
//!   line it needs.
//! * stderr: a line saying how to stop, then one line per request received (method, target,
//!   status).
//! * It serves until killed (Ctrl-C, SIGTERM): the default signal handling ends the process,
//!   and with it the emulator; nothing is left to clean up.

use std::io::Write;
use std::time::Duration;

use cartwire_testkit::{RecordedRequest, cartfunnel, cartstack};

use crate::error::CliError;

/// The demo CartStack account's API key.
pub(crate) const CARTSTACK_KEY: &str = "cs-emulator-key-5b1d";
/// The demo CartStack account's site id.
pub(crate) const CARTSTACK_SITE_ID: &str = "EMU001";
/// The demo Cartfunnel account.
pub(crate) const CARTFUNNEL_ACCOUNT: &str = "emulator-shop";
/// The demo Cartfunnel account's API secret.
pub(crate) const CARTFUNNEL_API_SECRET: &str = "cf-emulator-secret-8c3e";
/// How many customers the Cartfunnel emulator starts with: two and a half of the API's pages
/// of 100, so that paging shows (pages 1 and 2 full, page 3 short, page 4 empty).
const CARTFUNNEL_CUSTOMERS: usize = 250;
/// How often new requests are looked for, to log them.
const POLL: Duration = Duration::from_millis(100);

/// The APIs `cartwire emulate` can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Api {
    /// CartStack's purchase confirmation (`GET /ss/v1/`), with open, purchased and failing
    /// carts.
    Cartstack,
    /// Cartfunnel's REST API (`/v1/customers.json`…), with 250 customers (three pages).
    Cartfunnel,
}

/// The seeded CartStack carts, in the order printed.
const CARTSTACK_CARTS: [(&str, cartstack::Cart); 5] = [
    ("ann+shop@example.com", cartstack::Cart::Open),
    ("ben@example.com", cartstack::Cart::Open),
    ("jürgen@bücher.de", cartstack::Cart::Open),
    ("paid@example.com", cartstack::Cart::Purchased),
    ("failing@example.com", cartstack::Cart::InsertFails),
];

pub(crate) fn run(api: Api, port: u16) -> Result<(), CliError> {
    let cannot_start = |e: std::io::Error| {
        CliError::Io(format!(
            "cannot start the emulator on 127.0.0.1:{port}: {e}"
        ))
    };
    match api {
        Api::Cartstack => {
            let account = CARTSTACK_CARTS.iter().fold(
                cartstack::Account::new(CARTSTACK_KEY, CARTSTACK_SITE_ID),
                |account, (email, cart)| account.with_cart(email, *cart),
            );
            let emulator = cartstack::Emulator::start_on(port, account).map_err(cannot_start)?;
            let credentials = emulator.credentials();
            let mut lines = vec![
                format!("url={}", emulator.base_url()),
                format!("key={}", credentials.key),
                format!("site_id={}", credentials.site_id),
            ];
            for (email, cart) in CARTSTACK_CARTS {
                let name = match cart {
                    cartstack::Cart::Open => "open_cart",
                    cartstack::Cart::Purchased => "purchased_cart",
                    _ => "failing_cart",
                };
                lines.push(format!("{name}={email}"));
            }
            announce(&lines, "CartStack")?;
            serve(|| emulator.requests())
        }
        Api::Cartfunnel => {
            let account = cartfunnel::Account::new(CARTFUNNEL_ACCOUNT, CARTFUNNEL_API_SECRET)
                .with_seeded_customers(CARTFUNNEL_CUSTOMERS);
            let emulator = cartfunnel::Emulator::start_on(port, account).map_err(cannot_start)?;
            let credentials = emulator.credentials();
            let lines = [
                format!("url={}", emulator.base_url()),
                format!("account={}", credentials.account),
                format!("api_secret={}", credentials.api_secret),
                format!("customers={}", emulator.customers().len()),
            ];
            announce(&lines, "Cartfunnel")?;
            serve(|| emulator.requests())
        }
    }
}

/// Prints the machine-readable lines on stdout, flushed, then how to stop on stderr.
fn announce(lines: &[String], vendor: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}")?;
    }
    stdout.flush()?;
    eprintln!(
        "cartwire: emulating the {vendor} API on 127.0.0.1 until stopped (Ctrl-C); \
         each request is logged here"
    );
    Ok(())
}

/// Logs each request as it arrives, forever (the process ends on a signal).
fn serve(requests: impl Fn() -> Vec<RecordedRequest>) -> Result<(), CliError> {
    let mut logged = 0;
    loop {
        std::thread::sleep(POLL);
        let requests = requests();
        for request in requests.iter().skip(logged) {
            let status = request
                .status
                .map_or_else(|| "closed".to_owned(), |status| status.to_string());
            eprintln!(
                "cartwire: {} {} -> {status}",
                request.method, request.target
            );
        }
        logged = requests.len();
    }
}
