//! The ureq client against the local emulator of `cartwire-testkit` (127.0.0.1, a free port,
//! started here).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfunnel_client_types::client::{Client, ClientError};
use cartfunnel_client_types::raw::{RawRequest, Resource};
use cartfunnel_client_types::{
    Api, ApiError, BaseUrl, Credentials, CustomerUpdate, NewCustomer, Secret, TagList, decode,
    samples,
};
use cartwire_testkit::Fault;
use cartwire_testkit::cartfunnel::{Account, Emulator};
use serde_json::json;

const ACCOUNT: &str = "myshop";
const SECRET: &str = "cf_test_4f9c2a";

fn emulator() -> Emulator {
    Emulator::start(Account::new(ACCOUNT, SECRET)).unwrap()
}

fn client_as(emulator: &Emulator, account: &str, secret: &str) -> Client {
    let api = Api::new(Credentials::new(account, Secret::new(secret)).unwrap())
        .with_base_url(BaseUrl::parse(emulator.base_url().as_str()).unwrap());
    Client::new(api)
}

fn client(emulator: &Emulator) -> Client {
    client_as(emulator, ACCOUNT, SECRET)
}

fn api_error(err: ClientError) -> ApiError {
    match err {
        ClientError::Api(api) => api,
        other => panic!("expected an API error, got {other}"),
    }
}

#[test]
fn pages_until_a_short_one_with_both_headers() {
    let emulator = emulator();
    emulator.seed_customers(250);
    let client = client(&emulator);
    let pages: Vec<_> = client.customer_pages().collect::<Result<_, _>>().unwrap();
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
        assert!(r.body.is_empty());
        assert_eq!(r.status, Some(200));
    }
}

#[test]
fn a_multiple_of_a_hundred_ends_with_an_empty_page() {
    let emulator = emulator();
    emulator.seed_customers(200);
    let client = client(&emulator);
    let sizes: Vec<usize> = client
        .customer_pages()
        .map(|p| p.unwrap().customers.len())
        .collect();
    assert_eq!(sizes, [100, 100, 0]);
    let ids: Vec<u64> = client.customers().map(|c| c.unwrap().id).collect();
    assert_eq!(ids, (1..=200).collect::<Vec<_>>());
    // Empty account: one empty page.
    let empty = Emulator::start(Account::new(ACCOUNT, SECRET)).unwrap();
    assert_eq!(client_as(&empty, ACCOUNT, SECRET).customers().count(), 0);
}

#[test]
fn get_one_and_an_unknown_one() {
    let emulator = emulator();
    emulator.insert_customer(decode::customer(samples::CUSTOMER.as_bytes()).unwrap());
    let client = client(&emulator);
    let joe = client.get_customer(1).unwrap();
    assert_eq!(joe.email.as_deref(), Some("joe.el@example.com"));
    assert_eq!(joe.last_order_id, Some(3_200_291));
    let err = api_error(client.get_customer(404).unwrap_err());
    assert!(matches!(err, ApiError::Status { status: 404, .. }), "{err}");
    // The explicit page helper.
    let page = client.list_customers(1).unwrap();
    assert!(page.is_last());
    assert_eq!(page.customers, [joe]);
}

#[test]
fn a_wrong_secret_or_account_is_forbidden() {
    let emulator = emulator();
    emulator.seed_customers(3);
    for (account, secret) in [(ACCOUNT, "cf_test_wrong"), ("othershop", SECRET)] {
        let client = client_as(&emulator, account, secret);
        let err = api_error(client.get_customer(1).unwrap_err());
        assert!(matches!(err, ApiError::Forbidden { .. }), "{err}");
        let mut pages = client.customer_pages();
        assert!(matches!(
            pages.next(),
            Some(Err(ClientError::Api(ApiError::Forbidden { .. })))
        ));
        assert!(pages.next().is_none(), "iteration stops after an error");
        assert!(client.customers().next().unwrap().is_err());
    }
    let last = emulator.requests().pop().unwrap();
    assert_eq!(last.status, Some(403));
}

#[test]
fn create_then_update() {
    let emulator = emulator();
    let client = client(&emulator);
    let tags: TagList = ["vip", "Smith, Jones"].into_iter().collect();
    let anna = client
        .create_customer(
            NewCustomer::new("anna.benning@example.com")
                .unwrap()
                .first_name("Anna")
                .last_name("Benning")
                .accepts_marketing(true)
                .tag_list(tags.clone()),
        )
        .unwrap();
    assert_eq!(anna.id, 1);
    assert_eq!(anna.persisted, Some(true));
    assert_eq!(anna.accepts_marketing, Some(true));
    assert_eq!(anna.tax_exempt, Some(false));
    assert_eq!(anna.tag_list.as_ref(), Some(&tags));
    assert_eq!(anna.last_order_id, None);
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.target, "/v1/customers.json");
    assert_eq!(sent.header("Content-Type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&sent.body).unwrap(),
        json!({"customer": {
            "email": "anna.benning@example.com", "first_name": "Anna", "last_name": "Benning",
            "accepts_marketing": true, "tag_list": "vip, \"Smith, Jones\""
        }})
    );

    let renamed = client
        .update_customer(
            anna.id,
            CustomerUpdate::new().last_name("Jules").note("VIP"),
        )
        .unwrap();
    assert_eq!(renamed.last_name.as_deref(), Some("Jules"));
    assert_eq!(renamed.note.as_deref(), Some("VIP"));
    assert_eq!(renamed.first_name.as_deref(), Some("Anna"));
    assert!(renamed.updated_at > renamed.created_at);
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(
        (sent.method.as_str(), sent.target.as_str()),
        ("PATCH", "/v1/customers/1.json")
    );
    assert_eq!(client.get_customer(1).unwrap(), renamed);
}

#[test]
fn an_invalid_write_is_not_saved() {
    let emulator = emulator();
    let client = client(&emulator);
    client
        .create_customer(NewCustomer::new("anna@example.com").unwrap())
        .unwrap();
    // Taken e-mail: 200, "persisted": "false", errors.
    let err = api_error(
        client
            .create_customer(NewCustomer::new("ANNA@example.com").unwrap())
            .unwrap_err(),
    );
    let ApiError::NotSaved { messages, record } = &err else {
        panic!("{err}")
    };
    assert_eq!(messages, &["Email has already been taken"]);
    assert_eq!(record["persisted"], "false");
    assert_eq!(record["id"], "null");
    assert_eq!(emulator.requests().pop().unwrap().status, Some(200));

    // A body the typed builder cannot produce, through a raw request: no e-mail.
    let err = api_error(
        client
            .send(&RawRequest::post(
                Resource::Customers,
                json!({"customer": {"first_name": "X"}}),
            ))
            .unwrap_err(),
    );
    assert!(
        matches!(&err, ApiError::NotSaved { messages, .. } if messages == &["Email can't be blank"]),
        "{err}"
    );

    // A failed update answers the vendor's way: persisted "true" and errors.
    let err = api_error(
        client
            .update_customer(1, CustomerUpdate::new().first_name("x".repeat(300)))
            .unwrap_err(),
    );
    let ApiError::NotSaved { messages, record } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        messages,
        &["First name is too long (maximum is 255 characters)"]
    );
    assert_eq!(record["persisted"], "true");
    assert_eq!(emulator.customers().len(), 1);
    assert_eq!(emulator.customers()[0].first_name, None);
}

#[test]
fn raw_resources_answer_json() {
    let emulator = emulator();
    emulator.seed_customers(1);
    let client = client(&emulator);
    let products = client.send(&RawRequest::get(Resource::Products)).unwrap();
    assert_eq!(products[0]["title"], "Monthly box");
    let orders = client
        .send(&RawRequest::get(Resource::Orders).page(2))
        .unwrap();
    assert_eq!(orders, json!([]));
    let addresses = client
        .send(&RawRequest::get(Resource::CustomerAddresses {
            customer_id: 1,
        }))
        .unwrap();
    assert_eq!(addresses[0]["customer_id"], 1);
    let err = api_error(
        client
            .send(&RawRequest::get(Resource::other("/nope.json").unwrap()))
            .unwrap_err(),
    );
    assert_eq!(err.status(), Some(404));
    assert_eq!(emulator.requests()[1].target, "/v1/orders.json?page=2");
}

#[test]
fn an_unreachable_server_is_a_transport_error() {
    // A port that was free a moment ago, now closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let api = Api::new(Credentials::new(ACCOUNT, Secret::new(SECRET)).unwrap())
        .with_base_url(BaseUrl::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap());
    let err = Client::new(api).get_customer(1).unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.api_error().is_none());
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(!err.to_string().contains(SECRET));
}

#[test]
fn malformed_http_to_the_emulator_is_a_400() {
    use std::io::{Read, Write};
    let emulator = emulator();
    let mut stream = std::net::TcpStream::connect(emulator.addr()).unwrap();
    stream.write_all(b"NONSENSE\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
}

/// Scripted failures: each meets one request, is recorded, and the next request is served.
#[test]
fn scripted_failures_reach_the_client_as_errors() {
    use std::time::Duration;
    let emulator = emulator();
    emulator.seed_customers(2);
    let client = client(&emulator);

    emulator.fail_next(Fault::Status(503));
    let err = client.get_customer(1).unwrap_err();
    assert_eq!(
        err.api_error().and_then(ApiError::status),
        Some(503),
        "{err}"
    );

    emulator.fail_next(Fault::Close);
    let err = client.get_customer(1).unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");

    // Handled, but too late for a 200 ms timeout; the create happened all the same.
    emulator.fail_next(Fault::Delay(Duration::from_secs(2)));
    let impatient = Client::with_timeout(
        Api::new(Credentials::new(ACCOUNT, Secret::new(SECRET)).unwrap())
            .with_base_url(BaseUrl::parse(emulator.base_url().as_str()).unwrap()),
        Duration::from_millis(200),
    );
    let err = impatient
        .create_customer(NewCustomer::new("late@example.com").unwrap())
        .unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert_eq!(emulator.customers().len(), 3);

    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(client.get_customer(2).unwrap().id, 2);
    let requests = emulator.requests();
    assert_eq!(
        requests
            .iter()
            .map(|r| (r.fault.clone(), r.status))
            .collect::<Vec<_>>(),
        [
            (Some(Fault::Status(503)), Some(503)),
            (Some(Fault::Close), None),
            (Some(Fault::Delay(Duration::from_secs(2))), Some(200)),
            (None, Some(200)),
        ]
    );
    assert!(
        requests
            .windows(2)
            .all(|w| w[0].received_at <= w[1].received_at)
    );
}
