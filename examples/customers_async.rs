//! Lists Cartfunnel customers page by page with the async client, its pages as a `Stream`.
//!
//! Against the local emulator (`cartwire emulate cartfunnel` prints the URL, account and API
//! secret, and seeds 250 customers: pages of 100, 100 and 50):
//!
//! ```sh
//! cargo run -q -p cartwire-cli -- emulate cartfunnel &
//! cargo run -q --example customers_async --features reqwest -- \
//!     http://127.0.0.1:PORT/v1 emulator-shop cf-emulator-secret-8c3e
//! ```
//!
//! Each argument may come from the environment instead: `CARTFUNNEL_URL`,
//! `CARTFUNNEL_ACCOUNT`, `CARTFUNNEL_API_SECRET`. Prints one line per page (`page 1: 100 customers`).

use cartwire::cartfunnel::{Api, Credentials, Secret, reqwest::Client};
use futures_util::TryStreamExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = Secret::new(arg(3, "CARTFUNNEL_API_SECRET")?);
    let api = Api::new(Credentials::new(arg(2, "CARTFUNNEL_ACCOUNT")?, secret)?);
    let client = Client::new(api.with_base_url(arg(1, "CARTFUNNEL_URL")?.parse()?));
    let mut pages = client.customer_pages();
    while let Some(page) = pages.try_next().await? {
        println!("page {}: {} customers", page.page, page.customers.len());
    }
    Ok(())
}

/// The `n`th command-line argument, or else the environment variable `var`.
fn arg(n: usize, var: &str) -> Result<String, String> {
    std::env::args()
        .nth(n)
        .or_else(|| std::env::var(var).ok())
        .ok_or_else(|| format!("give argument {n} or set {var}"))
}
