//! The async client against the local emulator of `cartwire-testkit`: every method, the
//! customer streams across pages, vendor errors, HTTP errors, timeouts, redirects refused, and
//! retries with scripted failures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use cartfunnel_client_types::raw::{RawRequest, Resource};
use cartfunnel_client_types::reqwest::{Client, ClientError};
use cartfunnel_client_types::{
    Api, ApiError, BaseUrl, Credentials, CustomerUpdate, NewCustomer, RetryPolicy, Secret, decode,
    samples,
};
use cartwire_testkit::Fault;
use cartwire_testkit::cartfunnel::{Account, Emulator};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::json;

const ACCOUNT: &str = "myshop";
const SECRET: &str = "cf_test_4f9c2a";

fn emulator() -> Emulator {
    Emulator::start(Account::new(ACCOUNT, SECRET)).unwrap()
}

fn api(emulator: &Emulator, account: &str, secret: &str) -> Api {
    Api::new(Credentials::new(account, Secret::new(secret)).unwrap())
        .with_base_url(BaseUrl::parse(emulator.base_url().as_str()).unwrap())
}

fn client(emulator: &Emulator) -> Client {
    Client::new(api(emulator, ACCOUNT, SECRET))
}

fn quick(attempts: u32) -> RetryPolicy {
    RetryPolicy::attempts(attempts).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn api_error(err: ClientError) -> ApiError {
    match err {
        ClientError::Api(api) => api,
        other => panic!("expected an API error, got {other}"),
    }
}

#[tokio::test]
async fn pages_stream_until_a_short_one_with_both_headers() {
    let emulator = emulator();
    emulator.seed_customers(250);
    let client = client(&emulator);
    let pages: Vec<_> = client.customer_pages().try_collect().await.unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| (p.page, p.customers.len()))
            .collect::<Vec<_>>(),
        [(1, 100), (2, 100), (3, 50)]
    );
    assert_eq!(pages[2].customers.last().unwrap().id, 250);
    let requests = emulator.requests();
    assert_eq!(
        requests
            .iter()
            .map(|r| r.target.as_str())
            .collect::<Vec<_>>(),
        [
            "/v1/customers.json",
            "/v1/customers.json?page=2",
            "/v1/customers.json?page=3"
        ]
    );
    for r in &requests {
        assert_eq!(r.method, "GET");
        assert_eq!(r.header("X-CARTFUNNEL-ACCOUNT"), Some(ACCOUNT));
        assert_eq!(r.header("X-CARTFUNNEL-API-SECRET"), Some(SECRET));
        assert_eq!(r.header("Accept"), Some("application/json"));
        assert_eq!(r.header("Content-Type"), None);
        assert_eq!(
            r.header("Content-Length"),
            None,
            "a GET goes without a body"
        );
        assert!(r.body.is_empty());
    }

    // Every customer, in order, fetched lazily: one page for the first ten.
    let ids: Vec<u64> = client.customers().map(|c| c.unwrap().id).collect().await;
    assert_eq!(ids, (1..=250).collect::<Vec<_>>());
    let before = emulator.requests().len();
    let first: Vec<_> = client.customers().take(10).collect().await;
    assert_eq!(first.len(), 10);
    assert_eq!(emulator.requests().len(), before + 1);
}

#[tokio::test]
async fn a_multiple_of_a_hundred_ends_with_an_empty_page() {
    let emulator = emulator();
    emulator.seed_customers(200);
    let client = client(&emulator);
    let sizes: Vec<usize> = client
        .customer_pages()
        .map(|p| p.unwrap().customers.len())
        .collect()
        .await;
    assert_eq!(sizes, [100, 100, 0]);
    let empty = Emulator::start(Account::new(ACCOUNT, SECRET)).unwrap();
    let empty = Client::new(api(&empty, ACCOUNT, SECRET));
    assert_eq!(empty.customers().count().await, 0);
}

#[tokio::test]
async fn get_one_and_an_unknown_one() {
    let emulator = emulator();
    emulator.insert_customer(decode::customer(samples::CUSTOMER.as_bytes()).unwrap());
    let client = client(&emulator);
    let joe = client.get_customer(1).await.unwrap();
    assert_eq!(joe.email.as_deref(), Some("joe.el@example.com"));
    let err = api_error(client.get_customer(404).await.unwrap_err());
    assert!(matches!(err, ApiError::Status { status: 404, .. }), "{err}");
    let page = client.list_customers(1).await.unwrap();
    assert!(page.is_last());
    assert_eq!(page.customers, [joe]);
}

#[tokio::test]
async fn a_wrong_secret_is_forbidden_and_ends_the_streams() {
    let emulator = emulator();
    emulator.seed_customers(3);
    let client = Client::new(api(&emulator, ACCOUNT, "cf_test_wrong"));
    let err = api_error(client.get_customer(1).await.unwrap_err());
    assert!(matches!(err, ApiError::Forbidden { .. }), "{err}");
    let pages: Vec<_> = client.customer_pages().collect().await;
    assert_eq!(pages.len(), 1, "the stream ends after an error");
    assert!(matches!(
        pages[0],
        Err(ClientError::Api(ApiError::Forbidden { .. }))
    ));
    let customers: Vec<_> = client.customers().collect().await;
    assert!(customers.len() == 1 && customers[0].is_err());
}

#[tokio::test]
async fn create_update_and_a_refused_save() {
    let emulator = emulator();
    let client = client(&emulator);
    let anna = client
        .create_customer(
            NewCustomer::new("anna@example.com")
                .unwrap()
                .first_name("Anna"),
        )
        .await
        .unwrap();
    assert_eq!((anna.id, anna.persisted), (1, Some(true)));
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("POST", "/v1/customers.json")
    );
    assert_eq!(sent.header("Content-Type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&sent.body).unwrap(),
        json!({"customer": {"email": "anna@example.com", "first_name": "Anna"}})
    );

    let renamed = client
        .update_customer(anna.id, CustomerUpdate::new().last_name("Jules"))
        .await
        .unwrap();
    assert_eq!(renamed.last_name.as_deref(), Some("Jules"));
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("PATCH", "/v1/customers/1.json")
    );
    assert_eq!(client.get_customer(1).await.unwrap(), renamed);

    // Taken e-mail: 200, "persisted": "false", errors.
    let err = api_error(
        client
            .create_customer(NewCustomer::new("ANNA@example.com").unwrap())
            .await
            .unwrap_err(),
    );
    assert!(
        matches!(&err, ApiError::NotSaved { messages, .. } if messages == &["Email has already been taken"]),
        "{err}"
    );
}

#[tokio::test]
async fn raw_requests_go_through_send() {
    let emulator = emulator();
    emulator.seed_customers(1);
    let client = client(&emulator);
    let products = client
        .send(&RawRequest::get(Resource::Products))
        .await
        .unwrap();
    assert_eq!(products[0]["title"], "Monthly box");
    let err = api_error(
        client
            .send(&RawRequest::get(Resource::other("/nope.json").unwrap()))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn http_errors_timeouts_and_redirects() {
    let emulator = emulator();
    emulator.seed_customers(2);
    let client = client(&emulator);

    emulator.fail_next(Fault::Status(503));
    let err = client.get_customer(1).await.unwrap_err();
    assert_eq!(
        err.api_error().and_then(ApiError::status),
        Some(503),
        "{err}"
    );

    emulator.fail_next(Fault::Close);
    let err = client.get_customer(1).await.unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");

    // A redirect is not followed: the secret header would go along.
    emulator.fail_next(Fault::reply(302, "<html>moved</html>"));
    let err = api_error(client.get_customer(1).await.unwrap_err());
    assert!(matches!(err, ApiError::Status { status: 302, .. }), "{err}");

    // Handled, but too late for a 200 ms timeout.
    emulator.fail_next(Fault::Delay(Duration::from_secs(2)));
    let impatient =
        Client::with_timeout(api(&emulator, ACCOUNT, SECRET), Duration::from_millis(200));
    let err = impatient
        .create_customer(NewCustomer::new("late@example.com").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(!err.to_string().contains(SECRET) && !format!("{err:?}").contains(SECRET));
    assert_eq!(
        emulator.customers().len(),
        3,
        "the create happened all the same"
    );
    assert_eq!(emulator.requests().len(), 4);
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let api = Api::new(Credentials::new(ACCOUNT, Secret::new(SECRET)).unwrap())
        .with_base_url(BaseUrl::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap());
    let err = Client::new(api)
        .with_retry(quick(2))
        .get_customer(1)
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(!err.to_string().contains(SECRET) && !format!("{err:?}").contains(SECRET));
}

#[tokio::test]
async fn reads_and_updates_are_retried_after_failures_without_an_answer() {
    let emulator = emulator();
    emulator.seed_customers(150);
    let client = client(&emulator).with_retry(quick(3));
    emulator.fail_next(Fault::Status(503));
    emulator.fail_next(Fault::Close);
    assert_eq!(client.get_customer(7).await.unwrap().id, 7);
    assert_eq!(emulator.requests().len(), 3);

    // Inside a stream, a page is retried and the walk goes on.
    emulator.fail_next(Fault::Status(502));
    let pages: Vec<_> = client.customer_pages().try_collect().await.unwrap();
    assert_eq!(pages.len(), 2);

    // A timed-out update is sent again: it sets the same values.
    let impatient =
        Client::with_timeout(api(&emulator, ACCOUNT, SECRET), Duration::from_millis(200))
            .with_retry(quick(2));
    emulator.fail_next(Fault::Delay(Duration::from_secs(2)));
    let updated = impatient
        .update_customer(1, CustomerUpdate::new().note("twice"))
        .await
        .unwrap();
    assert_eq!(updated.note.as_deref(), Some("twice"));

    // Answers are not repeated: 403, 404, a refused save.
    let before = emulator.requests().len();
    emulator.fail_next(Fault::Status(404));
    client.get_customer(1).await.unwrap_err();
    assert_eq!(emulator.requests().len(), before + 1);
    // Gives up after the policy's attempts.
    emulator.fail_next_n(3, Fault::Status(503));
    let err = client.get_customer(1).await.unwrap_err();
    assert_eq!(err.api_error().and_then(ApiError::status), Some(503));
    assert_eq!(emulator.requests().len(), before + 4);
}

#[tokio::test]
async fn a_create_is_not_repeated_once_it_may_have_arrived() {
    let emulator = emulator();
    let client = client(&emulator).with_retry(quick(3));
    for fault in [Fault::Status(503), Fault::Close] {
        emulator.fail_next(fault.clone());
        let err = client
            .create_customer(NewCustomer::new("once@example.com").unwrap())
            .await
            .unwrap_err();
        assert!(
            err.api_error().is_some() || matches!(err, ClientError::Transport { .. }),
            "{fault}: {err}"
        );
    }
    let impatient =
        Client::with_timeout(api(&emulator, ACCOUNT, SECRET), Duration::from_millis(200))
            .with_retry(quick(3));
    emulator.fail_next(Fault::Delay(Duration::from_secs(2)));
    impatient
        .create_customer(NewCustomer::new("once@example.com").unwrap())
        .await
        .unwrap_err();
    // One request per call: the delayed one created the customer, once.
    assert_eq!(emulator.requests().len(), 3);
    assert_eq!(emulator.customers().len(), 1);
}

#[tokio::test]
async fn the_futures_and_streams_are_send() {
    fn send<T: Send>(_: &T) {}
    let emulator = emulator();
    let client = client(&emulator);
    send(&client.get_customer(1));
    send(&client.list_customers(1));
    send(&client.create_customer(NewCustomer::new("a@b.co").unwrap()));
    send(&client.update_customer(1, CustomerUpdate::new()));
    send(&client.customer_pages());
    send(&client.customers());
    // Usable from a spawned task.
    let owned = client.clone();
    let task = tokio::spawn(async move { owned.list_customers(1).await.map(|p| p.page) });
    assert_eq!(task.await.unwrap().unwrap(), 1);
}
