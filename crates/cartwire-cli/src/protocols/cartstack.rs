//! CartStack: `decode`/`encode`/`samples cartstack-response`, and `cartwire cartstack confirm`.
//!
//! The JSON of an answer is its wire object (`resp` in the form received, `err_txt`, any
//! other member) plus `"outcome"`: the typed meaning as a snake_case name (`success`,
//! `missing_field`, `invalid_email`, `cart_not_found`, `invalid_site_id`, `insert_failed`,
//! `no_cart`, `general_error`, `key_mismatch`, `unknown`). `encode` drops `outcome` (it is
//! derived from `resp` and `err_txt`) and writes the wire object back.

use std::io::Write;
use std::time::Duration;

use cartstack_confirm::client::{CallError, Client};
use cartstack_confirm::samples::RESPONSES;
use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Outcome, Url};
use cartwire_core::scalar::parse_decimal;
use cartwire_core::{Delivery, Secret};
use serde_json::Value;

use crate::error::CliError;
use crate::protocol::{Protocol, Sample, api_answer};
use crate::receiving::View;

/// The largest answer `decode cartstack-response` reads: what the client reads.
const MAX_ANSWER: usize = cartstack_confirm::client::MAX_ANSWER_BYTES as usize;

/// The member the CLI adds to an answer's JSON.
const OUTCOME: &str = "outcome";

/// The environment variable that holds the API key.
const KEY_VARIABLE: &str = "CARTSTACK_API_KEY";

/// A CartStack confirmation answer (`{"resp": …, "err_txt": …}`).
pub(crate) struct ResponseJson;

impl Protocol for ResponseJson {
    fn name(&self) -> &'static str {
        "cartstack-response"
    }

    /// What the client reads of an answer (64 KiB).
    fn max_input(&self) -> usize {
        MAX_ANSWER
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        api_answer(self.name(), secret, view)?;
        let answer = ConfirmResponse::from_slice(delivery.body_bytes())
            .map_err(cartwire_core::Error::from)?;
        answer_json(&answer)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(CliError::Usage(
                "cartstack-response has no hash field to compute: drop --secret / CARTWIRE_SECRET"
                    .to_owned(),
            ));
        }
        let Value::Object(members) = json else {
            return Err(CliError::Malformed(
                "input: expected a JSON object".to_owned(),
            ));
        };
        let mut members = members.clone();
        members.remove(OUTCOME);
        let wire = serde_json::to_vec(&members)?;
        let answer = ConfirmResponse::from_slice(&wire).map_err(cartwire_core::Error::from)?;
        Ok(answer.to_json().into_bytes())
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(RESPONSES)
    }
}

/// The wire object plus `"outcome"`.
fn answer_json(answer: &ConfirmResponse) -> Result<Value, CliError> {
    let mut json = serde_json::to_value(answer)?;
    if let Value::Object(members) = &mut json {
        members.insert(OUTCOME.to_owned(), answer.outcome().name().into());
    }
    Ok(json)
}

/// The `--help` example of `cartwire cartstack` and `cartstack confirm`: a confirmation of an
/// open cart of `cartwire emulate cartstack` (its key and site id, see `emulate`).
pub(crate) const CONFIRM_EXAMPLE: &str = "Example (with `cartwire emulate cartstack --port 8480` running):\n  \
    $ CARTSTACK_API_KEY=cs-emulator-key-5b1d cartwire cartstack confirm \\\n      \
    --site-id EMU001 --email ann+shop@example.com --total 19.90 \\\n      \
    --endpoint http://127.0.0.1:8480/ss/v1/";

/// `cartwire cartstack …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Confirm a purchase: GET CartStack's endpoint, print its answer as JSON.
    ///
    /// The API key is read from the environment variable CARTSTACK_API_KEY, never from the
    /// command line (where other users see it in the process list).
    ///
    /// The request is checked before it is sent: a blank site id, an email that is not an
    /// address (no `@`, white space, no dot in the domain…), a negative total or one with more
    /// than two decimals are refused. Every value is percent-encoded; the total is sent with
    /// two decimals (19.9 → 19.90).
    ///
    /// The answer is printed as one JSON object: the wire members (`resp`, `err_txt`) and
    /// `outcome`, one of success, missing_field, invalid_email, cart_not_found,
    /// invalid_site_id, insert_failed, no_cart, general_error, key_mismatch, unknown.
    ///
    /// Exit status: 0 the purchase is recorded (100); 1 the request was refused before
    /// sending, or CartStack answered 101, 102 or an unknown code (the JSON is printed, and a
    /// line on standard error); 2 usage (CARTSTACK_API_KEY unset or blank, bad --endpoint);
    /// 3 CartStack answered 103, the API key does not match; 4 CartStack could not be
    /// reached or its answer is not its JSON.
    #[command(after_help = CONFIRM_EXAMPLE)]
    Confirm {
        /// Your CartStack site id (code/setup page).
        #[arg(long)]
        site_id: String,
        /// The customer's email address.
        #[arg(long)]
        email: String,
        /// The order total, a decimal number with at most two decimals (19.90).
        // Hyphen values allowed so that `--total -5` gets the clear "negative" error.
        #[arg(long, allow_hyphen_values = true)]
        total: Option<String>,
        /// Call this endpoint instead of `https://api.cartstack.com/ss/v1/` (an emulator, a
        /// proxy).
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// Give up after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        timeout: u64,
    },
}

pub(crate) fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Confirm {
            site_id,
            email,
            total,
            endpoint,
            timeout,
        } => confirm(
            &site_id,
            &email,
            total.as_deref(),
            endpoint.as_deref(),
            timeout,
        ),
    }
}

fn confirm(
    site_id: &str,
    email: &str,
    total: Option<&str>,
    endpoint: Option<&str>,
    timeout: u64,
) -> Result<(), CliError> {
    let key = match std::env::var(KEY_VARIABLE) {
        Ok(key) if !key.trim().is_empty() => Secret::new(key),
        Ok(_) => return Err(CliError::Usage(format!("{KEY_VARIABLE} is blank"))),
        Err(std::env::VarError::NotPresent) => {
            return Err(CliError::Usage(format!(
                "set {KEY_VARIABLE} to your CartStack API key (code/setup page)"
            )));
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(CliError::Usage(format!(
                "{KEY_VARIABLE} is not valid UTF-8"
            )));
        }
    };
    let mut client = Client::new().with_timeout(Duration::from_secs(timeout));
    if let Some(endpoint) = endpoint {
        let url = Url::parse(endpoint)
            .map_err(|e| CliError::Usage(format!("--endpoint: not a URL: {e}")))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(CliError::Usage(format!(
                "--endpoint: expected an http or https URL, found the scheme `{}`",
                url.scheme()
            )));
        }
        client = client.with_endpoint(url);
    }

    let mut request =
        ConfirmRequest::new(key, site_id, email).map_err(cartwire_core::Error::from)?;
    if let Some(total) = total {
        let total =
            parse_decimal(total).map_err(|e| cartwire_core::Error::malformed("total", e))?;
        request = request
            .with_total(total)
            .map_err(cartwire_core::Error::from)?;
    }

    // No answer, or a body that is not CartStack's JSON: exit 4.
    let answer = client
        .confirm(&request)
        .map_err(|err: CallError| CliError::Io(err.to_string()))?;
    let mut text = serde_json::to_string(&answer_json(&answer)?)?;
    text.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    drop(stdout);

    let outcome = answer.outcome();
    if outcome.is_success() {
        return Ok(());
    }
    let said = answer
        .err_txt
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .map(|t| format!(": {}", t.replace('\n', " ")))
        .unwrap_or_default();
    if outcome == Outcome::KeyMismatch {
        // main prints "cartwire: verification failed: …" and exits 3.
        return Err(CliError::Verify(format!(
            "verification failed: CartStack answered {} ({outcome}){said}",
            answer.resp
        )));
    }
    Err(CliError::Rejected(format!(
        "CartStack did not record the purchase: {} ({outcome}){said}",
        answer.resp
    )))
}
