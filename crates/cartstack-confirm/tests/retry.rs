//! Retries of both clients against the emulator's scripted failures, and what a repeated
//! confirmation answers: the same semantics, blocking and async.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use cartstack_confirm::{CallError, ConfirmRequest, ConfirmResponse, Outcome, RetryPolicy};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};

const KEY: &str = "9f2c4e1ab7d35c08";
const SITE: &str = "KQ7ZP2";
const ANN: &str = "ann@example.com";
/// Each attempt's timeout: the delayed answers below come after it.
const TIMEOUT: Duration = Duration::from_millis(300);
const LATE: Fault = Fault::Delay(Duration::from_millis(1500));

fn start(cart: Cart) -> Emulator {
    Emulator::start(Account::new(KEY, SITE).with_cart(ANN, cart)).unwrap()
}

fn policy(attempts: u32) -> RetryPolicy {
    RetryPolicy::attempts(attempts).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

fn request() -> ConfirmRequest {
    ConfirmRequest::new(KEY, SITE, ANN).unwrap()
}

/// Both clients with the same settings, called the same way.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Blocking,
    Async,
}

async fn confirm(
    kind: Kind,
    emulator: &Emulator,
    retry: RetryPolicy,
) -> Result<ConfirmResponse, CallError> {
    let endpoint = emulator.base_url().clone();
    match kind {
        Kind::Blocking => {
            let client = cartstack_confirm::client::Client::new()
                .with_endpoint(endpoint)
                .with_timeout(TIMEOUT)
                .with_retry(retry);
            tokio::task::spawn_blocking(move || client.confirm(&request()))
                .await
                .unwrap()
        }
        Kind::Async => {
            cartstack_confirm::reqwest::Client::new()
                .with_endpoint(endpoint)
                .with_timeout(TIMEOUT)
                .with_retry(retry)
                .confirm(&request())
                .await
        }
    }
}

const KINDS: [Kind; 2] = [Kind::Blocking, Kind::Async];

#[tokio::test]
async fn a_102_after_a_timed_out_attempt_is_probably_confirmed() {
    for kind in KINDS {
        // The first attempt confirms at CartStack, but its answer comes after the timeout;
        // the second finds the cart closed.
        let emulator = start(Cart::Open);
        emulator.fail_next(LATE);
        match confirm(kind, &emulator, policy(3)).await {
            Err(CallError::ProbablyConfirmed { attempts, response }) => {
                assert_eq!(attempts, 2, "{kind:?}");
                assert!(
                    matches!(response.outcome(), Outcome::CartNotFound { .. }),
                    "{kind:?}"
                );
            }
            other => panic!("{kind:?}: {other:?}"),
        }
        assert_eq!(emulator.cart(ANN), Some(Cart::Purchased));
        let requests = emulator.requests();
        assert_eq!(requests.len(), 2, "{kind:?}");
        assert_eq!(requests[0].fault, Some(LATE));
        assert_eq!(requests[1].fault, None);
        let err = confirm(kind, &emulator, policy(3)).await.unwrap(); // no fault now
        assert!(
            matches!(err.outcome(), Outcome::CartNotFound { .. }),
            "a 102 on a first attempt is CartStack's plain answer ({kind:?})"
        );
    }
}

#[tokio::test]
async fn a_102_after_a_dropped_connection_is_probably_confirmed() {
    for kind in KINDS {
        // The connection closes after the request was sent: the client cannot know that the
        // emulator did not act on it, so the later 102 is reported the same way.
        let emulator = start(Cart::Purchased);
        emulator.fail_next(Fault::Close);
        let err = confirm(kind, &emulator, policy(2)).await.unwrap_err();
        assert!(
            matches!(err, CallError::ProbablyConfirmed { attempts: 2, .. }),
            "{kind:?}: {err:?}"
        );
        assert!(
            err.to_string().contains("probably already confirmed"),
            "{err}"
        );
        assert!(!err.to_string().contains(KEY) && !err.to_string().contains(ANN));
    }
}

#[tokio::test]
async fn a_dropped_connection_then_the_real_answer_succeeds() {
    for kind in KINDS {
        let emulator = start(Cart::Open);
        emulator.fail_next(Fault::Close);
        let answer = confirm(kind, &emulator, policy(2)).await.unwrap();
        assert_eq!(answer.outcome(), Outcome::Success, "{kind:?}");
        let statuses: Vec<_> = emulator.requests().iter().map(|r| r.status).collect();
        assert_eq!(statuses, [None, Some(200)], "{kind:?}");
    }
}

#[tokio::test]
async fn without_a_policy_nothing_is_repeated() {
    for kind in KINDS {
        let emulator = start(Cart::Open);
        emulator.fail_next(LATE);
        let err = confirm(kind, &emulator, RetryPolicy::none())
            .await
            .unwrap_err();
        assert!(
            matches!(err, CallError::Transport { .. }),
            "{kind:?}: {err:?}"
        );
        assert_eq!(emulator.requests().len(), 1, "{kind:?}");
        // The timed-out attempt did confirm.
        assert_eq!(emulator.cart(ANN), Some(Cart::Purchased));
    }
}

#[tokio::test]
async fn proxy_errors_are_retried_until_the_policy_gives_up() {
    for kind in KINDS {
        let emulator = start(Cart::Open);
        emulator.fail_next_n(2, Fault::Status(503));
        let answer = confirm(kind, &emulator, policy(3)).await.unwrap();
        assert_eq!(answer.outcome(), Outcome::Success, "{kind:?}");
        assert_eq!(emulator.requests().len(), 3);

        let emulator = start(Cart::Open);
        emulator.fail_next_n(3, Fault::Status(502));
        let err = confirm(kind, &emulator, policy(3)).await.unwrap_err();
        assert!(
            matches!(err, CallError::Response { status: 502, .. }),
            "{kind:?}: {err:?}"
        );
        assert_eq!(emulator.requests().len(), 3);
        assert_eq!(
            emulator.cart(ANN),
            Some(Cart::Open),
            "503 pages handle nothing"
        );
    }
}

#[tokio::test]
async fn answers_are_never_repeated() {
    for kind in KINDS {
        for (fault, outcome) in [
            (
                Fault::reply(200, r#"{"resp":103,"err_txt":"API Key does not match"}"#),
                Outcome::KeyMismatch,
            ),
            (
                Fault::reply(503, r#"{"resp":102,"err_txt":"Purchase Insert Failed"}"#),
                Outcome::InsertFailed,
            ),
        ] {
            let emulator = start(Cart::Open);
            emulator.fail_next(fault);
            let answer = confirm(kind, &emulator, policy(3)).await.unwrap();
            assert_eq!(answer.outcome(), outcome, "{kind:?}");
            assert_eq!(emulator.requests().len(), 1, "{kind:?}");
        }
        let emulator = start(Cart::Open);
        emulator.fail_next(Fault::Status(404));
        let err = confirm(kind, &emulator, policy(3)).await.unwrap_err();
        assert!(
            matches!(err, CallError::Response { status: 404, .. }),
            "{kind:?}"
        );
        assert_eq!(emulator.requests().len(), 1, "{kind:?}");
    }
}
