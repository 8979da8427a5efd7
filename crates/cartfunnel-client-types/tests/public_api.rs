//! What a user outside the crate can build: every `#[non_exhaustive]` type has a way in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartfunnel_client_types::raw::{RawPath, RawRequest, Resource};
use cartfunnel_client_types::request::{
    Api, CreateCustomer, Credentials, Endpoint, GetCustomer, ListCustomers, Method, UpdateCustomer,
};
use cartfunnel_client_types::verify::{self, SIGNATURE_HEADER, SignedWebhook};
use cartfunnel_client_types::{
    ApiError, CartfunnelWebhookSecret, Credential, Customer, CustomerPage, CustomerUpdate,
    Delivery, Error, ErrorKind, NewCustomer, RawJson, Receiver, Secret, TagList, VerifyError,
    Webhook,
};

#[test]
fn read_types_can_be_built_for_mocks() {
    let mut c = Customer::new(5);
    c.email = Some("mock@example.com".into());
    c.tag_list = Some(TagList::parse("a, b"));
    c.extra.insert(
        "loyalty_tier".into(),
        RawJson::from_json(r#""gold""#).unwrap(),
    );
    let page = CustomerPage::new(1, vec![c.clone()]);
    assert_eq!(page.into_iter().next(), Some(c));
}

#[test]
fn write_types_and_endpoints_can_be_built() {
    let mut new = NewCustomer::new("a@example.com").unwrap().note("n");
    new.first_name = Some("A".into());
    let create = CreateCustomer::new(new.clone());
    assert_eq!(create.customer, new);
    let mut update = CustomerUpdate::new();
    update.tax_exempt = Some(true);
    let patch = UpdateCustomer::new(3, update);
    assert_eq!(patch.method(), Method::Patch);
    assert_eq!(ListCustomers::page(4).page_number(), 4);
    assert_eq!(GetCustomer::new(9).id, 9);
    let raw = RawRequest::new(
        Method::Delete,
        Resource::CustomerSubscription {
            customer_id: 1,
            id: 2,
        },
    )
    .query("reason", "too expensive");
    let api = Api::new(Credentials::new("myshop", Secret::new("s")).unwrap());
    assert_eq!(
        api.request(&raw).url(),
        "https://api.cartfunnel.net/v1/customers/1/subscriptions/2.json?reason=too+expensive"
    );
    assert_eq!(
        Resource::Other(RawPath::new("/x.json").unwrap()).path(),
        "/x.json"
    );
}

#[test]
fn errors_and_webhooks_can_be_built_and_matched() {
    let err = ApiError::Status {
        status: 500,
        body: String::new(),
    };
    match err {
        ApiError::Status { status, .. } => assert_eq!(status, 500),
        _ => unreachable!(),
    }
    let key = CartfunnelWebhookSecret::new("whsec").unwrap();
    let signed = SignedWebhook::new(br#"{"a":1}"#.to_vec(), &key);
    let webhook: Webhook = key.receive(&signed.delivery("/cf")).unwrap();
    assert_eq!(webhook.json()["a"], 1);
    let delivery = Delivery::post("/cf", b"{}").header(SIGNATURE_HEADER, &signed.signature);
    let err = key.receive(&delivery).unwrap_err();
    match &err {
        Error::Verify(verification) => {
            assert_eq!(verification.credential, Credential::Signature);
            assert_eq!(verification.field, SIGNATURE_HEADER);
            assert_eq!(verification.reason, VerifyError::Mismatch);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.kind(), ErrorKind::VerificationFailed);
    assert_eq!(verify::verify(b"{}", &signed.signature, &key), Err(err));
}

/// A user-defined endpoint for a resource this crate does not know.
struct ShopInfo;

impl Endpoint for ShopInfo {
    type Output = String;

    fn method(&self) -> Method {
        Method::Get
    }

    fn path(&self) -> String {
        "/shop.json".into()
    }

    fn parse_response(&self, status: u16, body: &[u8]) -> Result<String, ApiError> {
        let json = cartfunnel_client_types::decode::json_response(status, body)?;
        Ok(json["name"].as_str().unwrap_or_default().to_owned())
    }
}

#[test]
fn users_can_add_endpoints() {
    let api = Api::new(Credentials::new("myshop", Secret::new("s")).unwrap());
    assert_eq!(
        api.request(&ShopInfo).url(),
        "https://api.cartfunnel.net/v1/shop.json"
    );
    assert_eq!(
        ShopInfo
            .parse_response(200, br#"{"name": "My Shop"}"#)
            .unwrap(),
        "My Shop"
    );
}
