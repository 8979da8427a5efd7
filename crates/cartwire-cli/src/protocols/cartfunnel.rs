//! Cartfunnel: `decode`/`encode`/`samples cartfunnel-customer|cartfunnel-customers`,
//! `decode|encode|sign|send|samples cartfunnel-webhook`,
//! `cartwire cartfunnel customers list|get|create|update` against the REST API, and
//! `cartwire cartfunnel webhook verify|sign|send`.
//!
//! A webhook's JSON (`decode cartfunnel-webhook`, `listen`) is
//! `{"event": …, "webhook": BODY, "verified": …, "dedup_key": …}`: the body is the
//! merchant's JSON, whatever its shape, so it is nested rather than merged with the keys every
//! protocol adds. With `--secret` and `--header 'X-Cartfunnel-Hmac-SHA256: …'` the signature
//! is checked first, as a receiver does.
//!
//! The JSON printed is the typed form of `cartfunnel-client-types`: field names as on the
//! wire, booleans as JSON booleans (`"true"` on the wire), `last_order_id` `null` for the
//! wire's `"null"`, times RFC 3339 with milliseconds, `tag_list` as an array, unknown
//! attributes kept. `encode` writes the vendor's wire form back (string booleans, `"null"`,
//! comma-separated tags), so `decode | encode` gives the same JSON document.
//!
//! A customer object whose save failed (`persisted` false, or an `errors` attribute) does not
//! decode: it is the API saying no, and exits 1 with its messages, as the API commands do.
//!
//! The API secret comes from `CARTFUNNEL_API_SECRET` only, never from the command line
//! (where `ps` and shell history would show it).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use cartfunnel_client_types::client::{Client, ClientError};
use cartfunnel_client_types::verify::{self, SIGNATURE_HEADER, SignedWebhook};
use cartfunnel_client_types::{
    Api, ApiError, BaseUrl, CartfunnelWebhookSecret, Credentials, Customer, CustomerUpdate,
    NewCustomer, PAGE_SIZE, TagList, Webhook, decode, encode, samples,
};
use cartwire_core::{Delivery, EmptyKey, Receiver as _, Secret};
use serde_json::Value;

use cartwire_core::event::{Event, ToEvent as _};

use crate::error::CliError;
use crate::protocol::{Outgoing, Protocol, Sample, api_answer, check_to};
use crate::receiving::{self, Receiving, View};
use crate::transport;

const SECRET_VARIABLE: &str = "CARTFUNNEL_API_SECRET";

/// One customer object (the answer to get, create or update).
pub(crate) struct CustomerJson;

/// One page of the customer list (a JSON array of customer objects).
pub(crate) struct CustomerPageJson;

/// An order or abandoned-cart webhook (JSON body, signature header).
pub(crate) struct WebhookJson;

impl Receiving for CartfunnelWebhookSecret {
    fn key(secret: Secret) -> Result<Self, EmptyKey> {
        CartfunnelWebhookSecret::new(secret)
    }

    fn event(webhook: &Webhook) -> Event {
        webhook.to_event()
    }

    fn view(webhook: &Webhook) -> Result<Value, CliError> {
        Ok(serde_json::json!({
            "event": webhook.event(),
            "webhook": webhook.json(),
        }))
    }
}

fn signed(body: Vec<u8>, key: &CartfunnelWebhookSecret, base64: bool) -> SignedWebhook {
    if base64 {
        SignedWebhook::new_base64(body, key)
    } else {
        SignedWebhook::new(body, key)
    }
}

impl Protocol for WebhookJson {
    fn name(&self) -> &'static str {
        "cartfunnel-webhook"
    }

    /// What the crate's JSON reader accepts (`decode::MAX_BODY_BYTES`, 16 MiB).
    fn max_input(&self) -> usize {
        decode::MAX_BODY_BYTES
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        receiving::decode::<CartfunnelWebhookSecret>(delivery, secret, view)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(CliError::Usage(format!(
                "cartfunnel-webhook: the signature is a header, not part of the body: \
                 `cartwire sign cartfunnel-webhook` prints it, `send` sends it ({SIGNATURE_HEADER})"
            )));
        }
        let body = json.get("webhook").ok_or_else(|| {
            CliError::Malformed("field `webhook`: missing (the JSON `decode` prints)".to_owned())
        })?;
        Ok(serde_json::to_vec(body)?)
    }

    /// The signature header's value for the body, lowercase hex (what Cartfunnel sends in
    /// `X-Cartfunnel-Hmac-SHA256`).
    fn sign(&self, input: &[u8], secret: &Secret) -> Result<Vec<u8>, CliError> {
        let key = receiving::key::<CartfunnelWebhookSecret>(secret)?;
        Ok(format!("{}\n", verify::sign(input, &key)).into_bytes())
    }

    fn outgoing(
        &self,
        input: &[u8],
        to: &str,
        secret: Option<&Secret>,
    ) -> Result<Outgoing, CliError> {
        let key = secret
            .map(receiving::key::<CartfunnelWebhookSecret>)
            .transpose()?;
        webhook_request(input.to_vec(), to, key.as_ref(), false, false)
    }

    fn samples_note(&self) -> Option<String> {
        Some("the samples are unsigned bodies: `cartwire sign cartfunnel-webhook --secret S` prints \
         their X-Cartfunnel-Hmac-SHA256 for the secret S"
            .to_owned())
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(&[
            ("order", samples::WEBHOOK_ORDER),
            ("abandoned-cart", samples::WEBHOOK_ABANDONED_CART),
        ])
    }
}

/// The POST (or PUT) Cartfunnel makes: the JSON body, signed when there is a key.
fn webhook_request(
    body: Vec<u8>,
    to: &str,
    key: Option<&CartfunnelWebhookSecret>,
    base64: bool,
    put: bool,
) -> Result<Outgoing, CliError> {
    check_to(to)?;
    // Cartfunnel sends JSON: refuse to deliver anything else (exit 1, naming the spot).
    Webhook::parse(&body)?;
    let mut outgoing = match key {
        Some(key) => {
            let request = signed(body, key, base64)
                .to_http(to)
                .map_err(|e| CliError::Usage(format!("--to: {e}")))?;
            Outgoing::from_http(request)
        }
        None => Outgoing::from_http(cartwire_core::http::delivery(
            http::Method::POST,
            to,
            &[("Content-Type", cartwire_core::http::JSON_CONTENT_TYPE)],
            body,
        )?),
    };
    if put {
        outgoing.method = "PUT";
    }
    Ok(outgoing)
}

fn not_signed(name: &str) -> CliError {
    CliError::Usage(format!(
        "{name} is an API response and carries no signature: there is nothing to check with \
         --secret / CARTWIRE_SECRET (webhooks: `cartwire decode cartfunnel-webhook`)"
    ))
}

fn not_saved(messages: &[String]) -> CliError {
    let reason = if messages.is_empty() {
        "no reason given".to_owned()
    } else {
        messages.join("; ")
    };
    CliError::Rejected(format!(
        "field `errors`: Cartfunnel did not save the record: {reason}"
    ))
}

/// Maps an API answer's error to the command's exit codes: 403 → 3, a failed save or a bad
/// body → 1, any other status → 4.
fn api_error(err: ApiError) -> CliError {
    match err {
        ApiError::Forbidden { .. } => CliError::Verify(format!("verification failed: {err}")),
        ApiError::NotSaved { messages, .. } => not_saved(&messages),
        ApiError::Decode(err) => err.into(),
        other => CliError::Io(other.to_string()),
    }
}

fn client_error(err: ClientError) -> CliError {
    match err {
        ClientError::Api(err) => api_error(err),
        other => CliError::Io(other.to_string()),
    }
}

fn typed_json<T: serde::Serialize>(value: &T) -> Result<Value, CliError> {
    Ok(serde_json::to_value(value)?)
}

impl Protocol for CustomerJson {
    fn name(&self) -> &'static str {
        "cartfunnel-customer"
    }

    /// What the crate's JSON reader accepts (`decode::MAX_BODY_BYTES`, 16 MiB).
    fn max_input(&self) -> usize {
        decode::MAX_BODY_BYTES
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        api_answer(self.name(), secret, view)?;
        let customer = decode::customer_response(200, delivery.body_bytes()).map_err(api_error)?;
        typed_json(&customer)
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(not_signed(self.name()));
        }
        let customer = decode::customer(json.to_string().as_bytes())?;
        Ok(encode::customer(&customer).to_string().into_bytes())
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(&[
            ("customer", samples::CUSTOMER),
            ("created", samples::CUSTOMER_CREATED),
        ])
    }
}

impl Protocol for CustomerPageJson {
    fn name(&self) -> &'static str {
        "cartfunnel-customers"
    }

    /// What the crate's JSON reader accepts (`decode::MAX_BODY_BYTES`, 16 MiB).
    fn max_input(&self) -> usize {
        decode::MAX_BODY_BYTES
    }

    fn decode(
        &self,
        delivery: &Delivery<'_>,
        secret: Option<&Secret>,
        view: View,
    ) -> Result<Value, CliError> {
        api_answer(self.name(), secret, view)?;
        let customers = decode::customer_list(delivery.body_bytes())?;
        // One JSON object, as for every protocol: the page's customers, and whether it is the
        // last page (fewer than 100).
        Ok(serde_json::json!({
            "customers": typed_json(&customers)?,
            "last_page": customers.len() < PAGE_SIZE,
        }))
    }

    fn encode(&self, json: &Value, secret: Option<&Secret>) -> Result<Vec<u8>, CliError> {
        if secret.is_some() {
            return Err(not_signed(self.name()));
        }
        let list = json.get("customers").ok_or_else(|| {
            CliError::Malformed(
                "field `customers`: missing (decode prints {\"customers\": [...]})".to_owned(),
            )
        })?;
        let customers = decode::customer_list(list.to_string().as_bytes())?;
        Ok(encode::customer_page(&customers).to_string().into_bytes())
    }

    fn samples(&self) -> Vec<Sample> {
        Sample::named(&[("page", samples::CUSTOMER_PAGE)])
    }
}

// The `--help` examples of the customers commands run against `cartwire emulate cartfunnel`
// (its account and API secret, see `emulate`); the webhook ones need nothing else (`send`,
// a `cartwire listen`).
/// `cartwire cartfunnel`, `cartfunnel customers` and `customers get`.
pub(crate) const GET_EXAMPLE: &str = "Example (with `cartwire emulate cartfunnel --port 8480` running):\n  \
    $ CARTFUNNEL_API_SECRET=cf-emulator-secret-8c3e cartwire cartfunnel \\\n      customers get 7 \\\n      --account emulator-shop --base-url http://127.0.0.1:8480/v1";
const LIST_EXAMPLE: &str = "Example (with `cartwire emulate cartfunnel --port 8480` running):\n  \
    $ CARTFUNNEL_API_SECRET=cf-emulator-secret-8c3e cartwire cartfunnel \\\n      customers list --all \\\n      --account emulator-shop --base-url http://127.0.0.1:8480/v1";
const CREATE_EXAMPLE: &str = "Example (with `cartwire emulate cartfunnel --port 8480` running):\n  \
    $ CARTFUNNEL_API_SECRET=cf-emulator-secret-8c3e cartwire cartfunnel \\\n      customers create --email ada@example.com --first-name Ada --tag vip \\\n      --account emulator-shop --base-url http://127.0.0.1:8480/v1";
const UPDATE_EXAMPLE: &str = "Example (with `cartwire emulate cartfunnel --port 8480` running):\n  \
    $ CARTFUNNEL_API_SECRET=cf-emulator-secret-8c3e cartwire cartfunnel \\\n      customers update 7 --note 'called back' \\\n      --account emulator-shop --base-url http://127.0.0.1:8480/v1";
const VERIFY_EXAMPLE: &str = "Example:\n  \
    $ cartwire samples cartfunnel-webhook order > order.json \\\n      \
    && cartwire cartfunnel webhook verify order.json --secret whsec_demo \\\n      \
    --signature \"$(cartwire cartfunnel webhook sign order.json \\\n      \
    --secret whsec_demo)\"";
const SEND_EXAMPLE: &str = "Example (with `cartwire listen --port 8080 --secret whsec_demo` running):\n  \
    $ cartwire samples cartfunnel-webhook order \\\n      \
    | cartwire cartfunnel webhook send --secret whsec_demo \\\n      \
    --to http://127.0.0.1:8080/cartfunnel";
/// `cartwire cartfunnel webhook` and `webhook sign`.
const SIGN_EXAMPLE: &str = "Example:\n  \
    $ cartwire samples cartfunnel-webhook order \\\n      \
    | cartwire cartfunnel webhook sign --secret whsec_demo";

/// `cartwire cartfunnel …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// The customers resource (the secret comes from CARTFUNNEL_API_SECRET).
    ///
    /// Prints the typed JSON of the customer (or an array for `list`). Exit status: 0 ok,
    /// 1 the record was not saved (the API's messages follow) or the answer is malformed,
    /// 2 usage, 3 the API refused the credentials (403), 4 network error or other status.
    #[command(subcommand, after_help = GET_EXAMPLE)]
    Customers(CustomersCommand),
    /// Check or make the X-Cartfunnel-Hmac-SHA256 signature of a webhook body.
    #[command(subcommand, after_help = SIGN_EXAMPLE)]
    Webhook(WebhookCommand),
}

/// Where and as whom to call.
#[derive(Debug, clap::Args)]
pub(crate) struct Connection {
    /// The shop's Cartfunnel subdomain (`myshop` for `https://myshop.cartfunnel.net`).
    #[arg(long, env = "CARTFUNNEL_ACCOUNT")]
    account: String,
    /// The API's base URL (an emulator or a proxy).
    #[arg(long, value_name = "URL", default_value = cartfunnel_client_types::request::DEFAULT_BASE_URL)]
    base_url: String,
    /// Give up on a call after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
}

/// The writable attributes, as flags.
#[derive(Debug, clap::Args)]
pub(crate) struct Attributes {
    /// First name.
    #[arg(long)]
    first_name: Option<String>,
    /// Last name.
    #[arg(long)]
    last_name: Option<String>,
    /// Note.
    #[arg(long)]
    note: Option<String>,
    /// Tax exemption.
    #[arg(long, value_name = "true|false")]
    tax_exempt: Option<bool>,
    /// Marketing consent.
    #[arg(long, value_name = "true|false")]
    accepts_marketing: Option<bool>,
    /// A tag (repeat for several); replaces the customer's tags.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
}

/// `cartwire cartfunnel customers …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum CustomersCommand {
    /// List customers: one page (100 at most), or all of them with --all.
    #[command(after_help = LIST_EXAMPLE)]
    List {
        #[command(flatten)]
        connection: Connection,
        /// The page (1-based).
        #[arg(long, default_value_t = 1, conflicts_with = "all")]
        page: u32,
        /// Every page, until a short one.
        #[arg(long)]
        all: bool,
    },
    /// Show one customer.
    #[command(after_help = GET_EXAMPLE)]
    Get {
        #[command(flatten)]
        connection: Connection,
        /// The customer's id.
        id: u64,
    },
    /// Create a customer.
    #[command(after_help = CREATE_EXAMPLE)]
    Create {
        #[command(flatten)]
        connection: Connection,
        /// The e-mail address (required).
        #[arg(long)]
        email: String,
        #[command(flatten)]
        attributes: Attributes,
    },
    /// Change a customer (only the attributes given are sent).
    #[command(after_help = UPDATE_EXAMPLE)]
    Update {
        #[command(flatten)]
        connection: Connection,
        /// The customer's id.
        id: u64,
        #[command(flatten)]
        attributes: Attributes,
        /// Remove all tags.
        #[arg(long, conflicts_with = "tags")]
        clear_tags: bool,
    },
}

/// `cartwire cartfunnel webhook …`
#[derive(Debug, clap::Subcommand)]
pub(crate) enum WebhookCommand {
    /// Check a webhook body against its X-Cartfunnel-Hmac-SHA256 header (hex or base64), and
    /// print {"verified": true, "webhook": BODY}. Exit 3 when it does not match.
    #[command(after_help = VERIFY_EXAMPLE)]
    Verify {
        /// The raw body; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// The X-Cartfunnel-Hmac-SHA256 header's value.
        #[arg(long)]
        signature: String,
        /// The webhook secret.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: String,
    },
    /// Deliver a webhook body as Cartfunnel does: a POST (or PUT) of the JSON with its
    /// X-Cartfunnel-Hmac-SHA256 header; prints the reply's status line and body.
    #[command(after_help = SEND_EXAMPLE)]
    Send {
        /// The raw JSON body; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// The receiver's URL.
        #[arg(long)]
        to: String,
        /// The webhook secret to sign with.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: String,
        /// Sign in base64 instead of hex.
        #[arg(long)]
        base64: bool,
        /// Send a PUT instead of a POST (Cartfunnel uses both).
        #[arg(long)]
        put: bool,
    },
    /// Print the X-Cartfunnel-Hmac-SHA256 header value for a body (lowercase hex).
    #[command(after_help = SIGN_EXAMPLE)]
    Sign {
        /// The raw body; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// The webhook secret.
        #[arg(long, env = "CARTWIRE_SECRET", hide_env_values = true)]
        secret: String,
        /// Write base64 instead of hex.
        #[arg(long)]
        base64: bool,
    },
}

pub(crate) fn run(command: Command) -> Result<(), CliError> {
    match command {
        Command::Customers(command) => customers(command),
        Command::Webhook(command) => webhook(command),
    }
}

fn api_secret() -> Result<Secret, CliError> {
    match std::env::var(SECRET_VARIABLE) {
        Ok(secret) if !secret.trim().is_empty() => Ok(Secret::new(secret)),
        Ok(_) => Err(CliError::Usage(format!("{SECRET_VARIABLE} is blank"))),
        Err(std::env::VarError::NotPresent) => Err(CliError::Usage(format!(
            "set {SECRET_VARIABLE} to an API secret (Cartfunnel dashboard: Integrations, API, \
             Create API secret)"
        ))),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::Usage(format!(
            "{SECRET_VARIABLE} is not valid UTF-8"
        ))),
    }
}

fn client(connection: &Connection) -> Result<Client, CliError> {
    let secret = api_secret()?;
    let credentials = Credentials::new(&connection.account, secret).map_err(|e| {
        let flag = match e.field() {
            Some("account") => "--account".to_owned(),
            _ => SECRET_VARIABLE.to_owned(),
        };
        CliError::Usage(format!("{flag}: {e}"))
    })?;
    let base_url = BaseUrl::parse(&connection.base_url)
        .map_err(|e| CliError::Usage(format!("--base-url: {e}")))?;
    Ok(Client::with_timeout(
        Api::new(credentials).with_base_url(base_url),
        Duration::from_secs(connection.timeout),
    ))
}

fn print(value: &Value) -> Result<(), CliError> {
    let mut text = serde_json::to_string(value)?;
    text.push('\n');
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn print_customer(customer: &Customer) -> Result<(), CliError> {
    print(&typed_json(customer)?)
}

fn customers(command: CustomersCommand) -> Result<(), CliError> {
    match command {
        CustomersCommand::List {
            connection,
            page,
            all,
        } => {
            let client = client(&connection)?;
            let customers: Vec<Customer> = if all {
                client
                    .customers()
                    .collect::<Result<_, _>>()
                    .map_err(client_error)?
            } else {
                client.list_customers(page).map_err(client_error)?.customers
            };
            print(&typed_json(&customers)?)
        }
        CustomersCommand::Get { connection, id } => {
            let client = client(&connection)?;
            print_customer(&client.get_customer(id).map_err(client_error)?)
        }
        CustomersCommand::Create {
            connection,
            email,
            attributes,
        } => {
            let customer = new_customer(&email, attributes)?;
            let client = client(&connection)?;
            print_customer(&client.create_customer(customer).map_err(client_error)?)
        }
        CustomersCommand::Update {
            connection,
            id,
            attributes,
            clear_tags,
        } => {
            let changes = update(attributes, clear_tags)?;
            let client = client(&connection)?;
            print_customer(&client.update_customer(id, changes).map_err(client_error)?)
        }
    }
}

fn new_customer(email: &str, a: Attributes) -> Result<NewCustomer, CliError> {
    let mut customer =
        NewCustomer::new(email).map_err(|e| CliError::Usage(format!("--email: {e}")))?;
    customer.first_name = a.first_name;
    customer.last_name = a.last_name;
    customer.note = a.note;
    customer.tax_exempt = a.tax_exempt;
    customer.accepts_marketing = a.accepts_marketing;
    if !a.tags.is_empty() {
        customer.tag_list = Some(a.tags.iter().collect::<TagList>());
    }
    Ok(customer)
}

fn update(a: Attributes, clear_tags: bool) -> Result<CustomerUpdate, CliError> {
    let mut changes = CustomerUpdate::new();
    changes.first_name = a.first_name;
    changes.last_name = a.last_name;
    changes.note = a.note;
    changes.tax_exempt = a.tax_exempt;
    changes.accepts_marketing = a.accepts_marketing;
    if clear_tags {
        changes.tag_list = Some(TagList::new());
    } else if !a.tags.is_empty() {
        changes.tag_list = Some(a.tags.iter().collect::<TagList>());
    }
    if changes.is_empty() {
        return Err(CliError::Usage(
            "nothing to update: give at least one of --first-name, --last-name, --note, \
             --tax-exempt, --accepts-marketing, --tag, --clear-tags"
                .to_owned(),
        ));
    }
    Ok(changes)
}

/// A webhook body, read up to the size the crate's JSON reader accepts.
fn read_body(file: Option<&PathBuf>) -> Result<Vec<u8>, CliError> {
    crate::read_input(file, decode::MAX_BODY_BYTES)
}

fn webhook(command: WebhookCommand) -> Result<(), CliError> {
    match command {
        WebhookCommand::Verify {
            file,
            signature,
            secret,
        } => {
            let key = receiving::key::<CartfunnelWebhookSecret>(&Secret::new(secret))?;
            let body = read_body(file.as_ref())?;
            let delivery = Delivery::post("/", &body).header(SIGNATURE_HEADER, &signature);
            let webhook = key.receive(&delivery)?;
            let mut out = serde_json::Map::new();
            out.insert("verified".to_owned(), Value::Bool(true));
            out.insert("webhook".to_owned(), webhook.into_json());
            print(&Value::Object(out))
        }
        WebhookCommand::Send {
            file,
            to,
            secret,
            base64,
            put,
        } => {
            let key = receiving::key::<CartfunnelWebhookSecret>(&Secret::new(secret))?;
            let body = read_body(file.as_ref())?;
            let outgoing = webhook_request(body, &to, Some(&key), base64, put)?;
            let reply = transport::deliver(&outgoing)?;
            crate::print_reply(&reply)
        }
        WebhookCommand::Sign {
            file,
            secret,
            base64,
        } => {
            let key = receiving::key::<CartfunnelWebhookSecret>(&Secret::new(secret))?;
            let body = read_body(file.as_ref())?;
            let signature = if base64 {
                verify::sign_base64(&body, &key)
            } else {
                verify::sign(&body, &key)
            };
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(format!("{signature}\n").as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}
