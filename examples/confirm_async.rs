//! Confirms a CartStack purchase with the async client, as a shop's checkout would.
//!
//! Against the local emulator (`cartwire emulate cartstack` prints the URL, key and site id,
//! and the emails of open carts):
//!
//! ```sh
//! cargo run -q -p cartwire-cli -- emulate cartstack &
//! cargo run -q --example confirm_async --features reqwest -- \
//!     http://127.0.0.1:PORT/ss/v1/ cs-emulator-key-5b1d EMU001 ann+shop@example.com
//! ```
//!
//! Each argument may come from the environment instead: `CARTSTACK_URL`, `CARTSTACK_KEY`,
//! `CARTSTACK_SITE_ID`, `CARTSTACK_EMAIL`. Prints CartStack's outcome (`success`, …).

use cartwire::cartstack::{ConfirmRequest, RetryPolicy, Url, reqwest::Client};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = Url::parse(&arg(1, "CARTSTACK_URL")?)?;
    let client = Client::new()
        .with_endpoint(endpoint)
        .with_retry(RetryPolicy::attempts(3));
    let (key, site_id) = (arg(2, "CARTSTACK_KEY")?, arg(3, "CARTSTACK_SITE_ID")?);
    let request = ConfirmRequest::new(key, site_id, arg(4, "CARTSTACK_EMAIL")?)?;
    println!("{}", client.confirm(&request).await?.outcome());
    Ok(())
}

/// The `n`th command-line argument, or else the environment variable `var`.
fn arg(n: usize, var: &str) -> Result<String, String> {
    std::env::args()
        .nth(n)
        .or_else(|| std::env::var(var).ok())
        .ok_or_else(|| format!("give argument {n} or set {var}"))
}
