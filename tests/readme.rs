//! The README's "Receiving inside a service" code is this file's code: each ```rust block of
//! that section is compiled here (between `// README: begin` and `// README: end`, in a
//! module of its own), [`the_readme_blocks_are_the_code_compiled_here`] checks that the two
//! are identical, and the tests of each module run it (the axum one served on 127.0.0.1).
//! Change both together.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/deliveries.rs"]
mod deliveries;
#[path = "support/serve.rs"]
mod serve;

const SECTION: &str = "## Receiving inside a service";

/// The ```rust blocks of the README's section, in order.
fn readme_blocks() -> Vec<String> {
    let readme = include_str!("../README.md");
    let start = readme.find(SECTION).expect("the README has the section");
    let section = &readme[start + SECTION.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```rust\n") {
        let code = &rest[open + "```rust\n".len()..];
        let close = code.find("\n```").expect("a closed block");
        blocks.push(format!("{}\n", &code[..close]));
        rest = &code[close..];
    }
    blocks
}

/// The marked regions of this file, in order, without the module's indentation.
fn compiled_blocks() -> Vec<String> {
    let source = include_str!("readme.rs");
    let (begin, end) = ("    // README: begin\n", "    // README: end\n");
    let mut blocks = Vec::new();
    let mut rest = source;
    while let Some(open) = rest.find(begin) {
        let code = &rest[open + begin.len()..];
        let close = code.find(end).expect("a closed region");
        let block: String = code[..close]
            .lines()
            .map(|line| format!("{}\n", line.strip_prefix("    ").unwrap_or(line)))
            .collect();
        blocks.push(block);
        rest = &code[close..];
    }
    blocks
}

#[test]
fn the_readme_blocks_are_the_code_compiled_here() {
    let readme = readme_blocks();
    assert_eq!(readme.len(), 2, "the README section has two Rust blocks");
    let compiled = compiled_blocks();
    for (i, (readme, compiled)) in readme.iter().zip(&compiled).enumerate() {
        assert_eq!(
            readme, compiled,
            "README block {i} differs from tests/readme.rs: change both together"
        );
    }
    assert_eq!(readme.len(), compiled.len());
}

#[test]
fn the_readme_names_axums_macros_feature() {
    let readme = include_str!("../README.md");
    let section = &readme[readme.find(SECTION).unwrap()..];
    let toml = &section[section.find("```toml\n").unwrap()..];
    let toml = &toml[..toml.find("\n```\n").unwrap()];
    assert!(
        toml.contains(r#"axum = { version = "0.8", features = ["macros"] }"#),
        "{toml}"
    );
}

/// The no-framework block.
mod without_a_framework {
    // README: begin
    use justclick_invoice::{Delivery, ErrorKind, JustClickKey, Receiver};

    /// The status to answer a POST of `body` to `target` with.
    fn on_justclick(key: &JustClickKey, target: &str, body: &[u8]) -> u16 {
        match key.receive(&Delivery::post(target, body)) {
            Ok(invoice) => {
                // JustClick may deliver twice: handle each `dedup_key()` once.
                let once = invoice.dedup_key();
                println!("{} for {} ({once})", invoice.kind(), invoice.id());
                200
            }
            Err(err) => match err.kind() {
                ErrorKind::VerificationFailed => 401, // err.field(): `hash`
                ErrorKind::LimitExceeded => 413,
                _ => 400, // malformed: err.field() names the field
            },
        }
    }
    // README: end

    #[test]
    fn it_answers_every_case() {
        use justclick_invoice::samples;
        let key = JustClickKey::new(samples::SECRET).unwrap();
        for (_, wire) in samples::ALL {
            assert_eq!(on_justclick(&key, "/hooks/justclick", wire.as_bytes()), 200);
        }
        let wrong = JustClickKey::new("wrong").unwrap();
        assert_eq!(on_justclick(&wrong, "/", samples::PAID.as_bytes()), 401);
        // Forged and without an e-mail: refused as forged.
        assert_eq!(on_justclick(&key, "/", b"id=1001&paid=1712048461"), 401);
        let over = format!("{}&x={}", samples::PAID, "a".repeat(1_100_000));
        assert_eq!(on_justclick(&key, "/", over.as_bytes()), 413);
        let sum = samples::PAID.replacen("last_payment_sum=5980.50", "last_payment_sum=x", 1);
        assert_eq!(on_justclick(&key, "/", sum.as_bytes()), 400);
    }
}

/// The axum block.
mod axum_service {
    // README: begin
    use axum::{Router, extract::FromRef, routing::post};
    use cartloom_order::CartloomToken;
    use justclick_invoice::axum08::Verified; // the same generic extractor in every crate
    use justclick_invoice::{EmptyKey, JustClickKey};

    #[derive(Clone, FromRef)]
    struct AppState {
        justclick: JustClickKey, // the cabinet's API key (checks the MD5 `hash`)
        cartloom: CartloomToken, // the token in Cartloom's Notify URL (`?token=…`)
    }

    async fn justclick(Verified(invoice): Verified<JustClickKey>) -> &'static str {
        println!("{} for order {}", invoice.kind(), invoice.id());
        "OK"
    }

    async fn cartloom(Verified(received): Verified<CartloomToken>) -> &'static str {
        let order = &received.order;
        println!("order {}: {}", order.oid, order.grandtotal);
        "OK"
    }

    /// The keys are checked here, once: an empty one is an error at start-up.
    fn app(justclick_key: &str, cartloom_token: &str) -> Result<Router, EmptyKey> {
        let state = AppState {
            justclick: JustClickKey::new(justclick_key)?,
            cartloom: CartloomToken::new(cartloom_token)?,
        };
        Ok(Router::new()
            .route("/hooks/justclick", post(justclick))
            .route("/hooks/cartloom", post(cartloom))
            .with_state(state))
    }
    // README: end

    use super::deliveries::send;
    use super::serve::serve;

    const KEY: &str = "readme-key-51c0";
    const TOKEN: &str = "readme-token-9e77";

    #[test]
    fn an_empty_key_fails_at_start_up() {
        assert_eq!(app("", TOKEN).unwrap_err().what, "JustClick API key");
        assert_eq!(app(KEY, "").unwrap_err().what, "Cartloom endpoint token");
    }

    #[test]
    fn it_receives_verified_deliveries_and_refuses_forged_ones() {
        let base = serve(app(KEY, TOKEN).unwrap());

        let key = JustClickKey::new(KEY).unwrap();
        let paid = justclick_invoice::decode(justclick_invoice::samples::PAID.as_bytes()).unwrap();
        let url = format!("{base}/hooks/justclick");
        let signed = justclick_invoice::encode_signed(&paid, &key);
        let request = justclick_invoice::http::delivery(&url, signed).unwrap();
        assert_eq!(send(request), (200, "OK".to_owned()));
        let forged = justclick_invoice::http::delivery(&url, justclick_invoice::samples::PAID);
        let (status, reason) = send(forged.unwrap());
        assert_eq!(status, 401, "{reason}");
        assert!(reason.contains("`hash`"), "{reason}");

        let token = CartloomToken::new(TOKEN).unwrap();
        let order = cartloom_order::decode(cartloom_order::samples::ORDER_JSON.as_bytes()).unwrap();
        let notify_url = token.notify_url(&format!("{base}/hooks/cartloom"));
        let request = cartloom_order::http::delivery(&notify_url, &order).unwrap();
        assert_eq!(send(request), (200, "OK".to_owned()));
        let guessed = format!("{base}/hooks/cartloom?token=guessed");
        let (status, reason) = send(cartloom_order::http::delivery(&guessed, &order).unwrap());
        assert_eq!(status, 401, "{reason}");
        assert!(reason.contains("the token does not match"), "{reason}");
    }
}
