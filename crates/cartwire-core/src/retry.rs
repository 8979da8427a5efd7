//! The retry policy of every cartwire API client, blocking or async, for every vendor: off
//! unless asked for, and when on, only for calls that got no answer from the vendor.
//!
//! A client given a [`RetryPolicy`] (`client.with_retry(policy)`) repeats a call after a
//! connection failure, a timeout, a connection dropped before the answer, or an HTTP 5xx that
//! does not carry the vendor's answer. It never repeats a 4xx, nor any answer the vendor
//! gave in its own format (a refused key, a failed save, a 5xx with the vendor's JSON): asking
//! again would get the same answer. Between attempts it waits a capped exponential backoff
//! with jitter: before retry `n` (1-based), a duration drawn uniformly from
//! `[c/2, c]`, where `c = min(max_backoff, initial_backoff × 2ⁿ⁻¹)`.
//!
//! ```
//! use std::time::Duration;
//! use cartwire_core::retry::RetryPolicy;
//!
//! let policy = RetryPolicy::attempts(4)
//!     .with_backoff(Duration::from_millis(200), Duration::from_secs(1));
//! assert_eq!(policy.max_attempts(), 4);
//! // Ceilings of the three waits: 200 ms, 400 ms, 800 ms; then the cap holds at 1 s.
//! assert_eq!(policy.ceiling(3), Duration::from_millis(800));
//! assert_eq!(policy.ceiling(9), Duration::from_secs(1));
//! // Each wait is drawn from the upper half of its ceiling.
//! let wait = policy.backoff(2, 12345);
//! assert!(wait >= Duration::from_millis(200) && wait <= Duration::from_millis(400));
//! // The default does not retry.
//! assert_eq!(RetryPolicy::default(), RetryPolicy::none());
//! ```
//!
//! What a repeat means depends on the call: reading is harmless, but a write may be done
//! twice when an attempt whose fate is unknown (a timeout, a connection dropped after sending)
//! did reach the vendor. Each client's docs say what it does about that; [`Attempts`] tracks
//! whether such an attempt happened ([`Attempts::earlier_fate_unknown`]).

use core::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::time::Duration;

use crate::call::CallSpan;

/// How a client repeats a call that got no answer: the number of attempts and the backoff
/// between them. [`RetryPolicy::none`] (the default) makes one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryPolicy {
    /// The first wait's ceiling unless [`RetryPolicy::with_backoff`] sets another.
    pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(100);
    /// The cap on every wait unless [`RetryPolicy::with_backoff`] sets another.
    pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(5);

    /// No retries: one attempt per call. The default.
    pub const fn none() -> Self {
        Self {
            max_attempts: 1,
            initial_backoff: Self::DEFAULT_INITIAL_BACKOFF,
            max_backoff: Self::DEFAULT_MAX_BACKOFF,
        }
    }

    /// Up to `max_attempts` attempts per call (the first one included; 0 is taken as 1), with
    /// the default backoff (100 ms doubling, capped at 5 s).
    pub const fn attempts(max_attempts: u32) -> Self {
        Self {
            max_attempts: if max_attempts == 0 { 1 } else { max_attempts },
            ..Self::none()
        }
    }

    /// Sets the first wait's ceiling and the cap on every wait. A cap below the first ceiling
    /// is raised to it.
    #[must_use]
    pub const fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = if max.as_nanos() < initial.as_nanos() {
            initial
        } else {
            max
        };
        self
    }

    /// The most attempts a call makes, the first one included.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The ceiling of the first wait.
    pub const fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The cap on every wait.
    pub const fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// Whether a call may be made more than once.
    pub const fn retries(&self) -> bool {
        self.max_attempts > 1
    }

    /// The ceiling of the wait before retry `retry` (1-based):
    /// `min(max_backoff, initial_backoff × 2^(retry−1))`, without overflow.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(63);
        let factor = 1u64 << doublings;
        let nanos = self
            .initial_backoff
            .as_nanos()
            .saturating_mul(u128::from(factor));
        if nanos >= self.max_backoff.as_nanos() {
            self.max_backoff
        } else {
            from_nanos(nanos)
        }
    }

    /// The wait before retry `retry` (1-based) for a given random draw: uniformly in
    /// `[ceiling/2, ceiling]` as `random` ranges over `u64`. Deterministic, for tests; the
    /// clients draw `random` per wait ([`Attempts`]).
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        let ceiling = self.ceiling(retry).as_nanos();
        let half = ceiling / 2;
        // The jitter is random × (ceiling − half) / 2⁶⁴, in [0, ceiling − half]; past 2⁶⁴ ns
        // (585 years) the product is taken on the high bits so that it cannot overflow.
        let span = ceiling - half;
        let jitter = if span >> 64 == 0 {
            (span * u128::from(random)) >> 64
        } else {
            ((span >> 32) * u128::from(random)) >> 32
        };
        from_nanos(half + jitter)
    }
}

/// A duration from nanoseconds, saturating at [`Duration::MAX`].
fn from_nanos(nanos: u128) -> Duration {
    const NANOS_PER_SEC: u128 = 1_000_000_000;
    match u64::try_from(nanos / NANOS_PER_SEC) {
        // The remainder is below 10⁹, so it fits a u32.
        Ok(secs) => Duration::new(secs, u32::try_from(nanos % NANOS_PER_SEC).unwrap_or(0)),
        Err(_) => Duration::MAX,
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::none()
    }
}

/// Why one attempt got no answer from the vendor, as a client tells it: what the policy
/// judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Failure {
    /// No connection was made (DNS, refused, TLS handshake, connect timeout): the request was
    /// not sent.
    Connect,
    /// The call timed out after the connection was made: the vendor may have acted on it.
    Timeout,
    /// The connection broke after the request went out, before a whole answer came back:
    /// the vendor may have acted on it.
    Dropped,
    /// An HTTP status that does not carry the vendor's answer (a proxy's 502 page, a 503).
    Status(u16),
}

impl Failure {
    /// Whether a policy may repeat the call after this: every failure but a status below 500.
    pub fn is_retryable(self) -> bool {
        match self {
            Failure::Connect | Failure::Timeout | Failure::Dropped => true,
            Failure::Status(status) => (500..=599).contains(&status),
        }
    }

    /// Whether the vendor may have received and acted on the attempt: everything but
    /// [`Failure::Connect`] (a 5xx may come after the vendor's script did its work).
    pub fn fate_unknown(self) -> bool {
        !matches!(self, Failure::Connect)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Connect => f.write_str("no connection"),
            Failure::Timeout => f.write_str("timed out"),
            Failure::Dropped => f.write_str("connection dropped before the answer"),
            Failure::Status(status) => write!(f, "HTTP {status} without the vendor's answer"),
        }
    }
}

/// Which failures a call may be repeated after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Repeat {
    /// Every retryable [`Failure`]: a read, an update that sets the same values again, or a
    /// write whose client reports a repeat's consequences (CartStack's confirmation).
    Retryable,
    /// Only [`Failure::Connect`]: a create that a repeat could do twice.
    Unsent,
}

/// The attempts of one call: which attempt this is, the wait before the next, and whether
/// an earlier one may have reached the vendor. A client makes one per call.
///
/// ```
/// use std::time::Duration;
/// use cartwire_core::retry::{Attempts, Failure, Repeat, RetryPolicy};
///
/// let policy = RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(4));
/// let mut attempts = Attempts::new(policy, Repeat::Retryable);
/// assert_eq!(attempts.attempt(), 1);
/// assert!(attempts.retry_after(Failure::Status(404)).is_none()); // never a 4xx
/// assert!(attempts.retry_after(Failure::Timeout).is_some());
/// assert_eq!((attempts.attempt(), attempts.retries()), (2, 1));
/// assert!(attempts.earlier_fate_unknown());
/// assert!(attempts.retry_after(Failure::Connect).is_some());
/// assert!(attempts.retry_after(Failure::Connect).is_none()); // three attempts made
/// ```
#[derive(Debug, Clone)]
pub struct Attempts {
    policy: RetryPolicy,
    repeat: Repeat,
    attempt: u32,
    fate_unknown: bool,
    random: RandomState,
}

impl Attempts {
    /// The first attempt of a call under `policy`.
    pub fn new(policy: RetryPolicy, repeat: Repeat) -> Self {
        Self {
            policy,
            repeat,
            attempt: 1,
            fate_unknown: false,
            random: RandomState::new(),
        }
    }

    /// The number of the current attempt, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// How many times the call was repeated so far.
    pub fn retries(&self) -> u32 {
        self.attempt - 1
    }

    /// Whether an earlier attempt failed in a way that may have reached the vendor (see
    /// [`Failure::fate_unknown`]).
    pub fn earlier_fate_unknown(&self) -> bool {
        self.fate_unknown
    }

    /// Records that the current attempt failed. When the policy repeats the call, returns the
    /// wait before the next attempt and moves on to it; `None` means the failure is final.
    pub fn retry_after(&mut self, failure: Failure) -> Option<Duration> {
        let allowed = match self.repeat {
            Repeat::Retryable => failure.is_retryable(),
            Repeat::Unsent => failure == Failure::Connect,
        };
        if !allowed || self.attempt >= self.policy.max_attempts {
            return None;
        }
        self.fate_unknown |= failure.fate_unknown();
        self.attempt += 1;
        let mut hasher = self.random.build_hasher();
        hasher.write_u32(self.attempt);
        Some(self.policy.backoff(self.attempt - 1, hasher.finish()))
    }
}

/// What a client does after an attempt: see [`Attempts::judge`].
#[derive(Debug)]
pub enum Step<T, E> {
    /// Wait this long, then make the next attempt.
    Retry(Duration),
    /// The call's result.
    Done(Result<T, E>),
}

impl Attempts {
    /// Judges an attempt: an answer, or an error that the policy does not repeat (`None` for
    /// why, or a [`Failure`] past the policy), ends the call; otherwise the call goes on after
    /// the returned wait, and `span` gets a WARN event saying why.
    pub fn judge<T, E>(
        &mut self,
        span: &CallSpan,
        attempted: Result<T, (Option<Failure>, E)>,
    ) -> Step<T, E> {
        match attempted {
            Ok(answer) => Step::Done(Ok(answer)),
            Err((Some(failure), err)) => match self.retry_after(failure) {
                Some(wait) => {
                    span.retrying(self.attempt - 1, failure, wait);
                    Step::Retry(wait)
                }
                None => Step::Done(Err(err)),
            },
            Err((None, err)) => Step::Done(Err(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn none_is_the_default_and_makes_one_attempt() {
        assert_eq!(RetryPolicy::default().max_attempts(), 1);
        assert!(!RetryPolicy::none().retries());
        assert_eq!(RetryPolicy::attempts(0), RetryPolicy::none());
        let mut attempts = Attempts::new(RetryPolicy::none(), Repeat::Retryable);
        assert_eq!(attempts.retry_after(Failure::Connect), None);
        assert_eq!(attempts.retries(), 0);
    }

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let policy = RetryPolicy::attempts(10).with_backoff(100 * MS, 1000 * MS);
        let ceilings: Vec<_> = (1..=7).map(|n| policy.ceiling(n)).collect();
        assert_eq!(
            ceilings,
            [100, 200, 400, 800, 1000, 1000, 1000].map(|n| n * MS)
        );
        // Retry 0 is read as the first; huge retry numbers neither overflow nor pass the cap.
        assert_eq!(policy.ceiling(0), 100 * MS);
        assert_eq!(policy.ceiling(u32::MAX), 1000 * MS);
        let huge = RetryPolicy::attempts(2).with_backoff(Duration::MAX, Duration::MAX);
        assert_eq!(huge.ceiling(64), Duration::MAX);
        assert!(huge.backoff(64, u64::MAX) > Duration::MAX / 2);
        assert!(huge.backoff(64, 0) >= Duration::MAX / 2 - Duration::from_nanos(1));
    }

    #[test]
    fn a_cap_below_the_first_wait_is_raised_to_it() {
        let policy = RetryPolicy::attempts(3).with_backoff(500 * MS, 10 * MS);
        assert_eq!(policy.max_backoff(), 500 * MS);
        assert_eq!(policy.ceiling(5), 500 * MS);
    }

    #[test]
    fn jitter_covers_the_upper_half_of_the_ceiling() {
        let policy = RetryPolicy::attempts(10).with_backoff(100 * MS, 1000 * MS);
        for retry in 1..=8 {
            let ceiling = policy.ceiling(retry);
            // The extremes of the draw are the extremes of the range.
            assert_eq!(policy.backoff(retry, 0), ceiling / 2);
            let top = policy.backoff(retry, u64::MAX);
            assert!(top <= ceiling && ceiling - top <= Duration::from_nanos(1));
            assert_eq!(policy.backoff(retry, 1 << 63), ceiling / 2 + ceiling / 4);
            // Any draw lands inside.
            for random in [1, 7, 1 << 20, u64::MAX / 3, u64::MAX - 1] {
                let wait = policy.backoff(retry, random);
                assert!(
                    wait >= ceiling / 2 && wait <= ceiling,
                    "{wait:?} {ceiling:?}"
                );
            }
        }
        // Monotonic in the draw.
        let waits: Vec<_> = (0..=16u64)
            .map(|k| policy.backoff(3, k.saturating_mul(u64::MAX / 16)))
            .collect();
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    }

    #[test]
    fn drawn_waits_stay_in_range_and_vary() {
        let policy = RetryPolicy::attempts(u32::MAX).with_backoff(100 * MS, 400 * MS);
        let mut waits = Vec::new();
        for _ in 0..50 {
            let mut attempts = Attempts::new(policy, Repeat::Retryable);
            let wait = attempts.retry_after(Failure::Timeout).unwrap();
            assert!(wait >= 50 * MS && wait <= 100 * MS, "{wait:?}");
            waits.push(wait);
            let wait = attempts.retry_after(Failure::Status(503)).unwrap();
            assert!(wait >= 100 * MS && wait <= 200 * MS, "{wait:?}");
        }
        waits.sort();
        waits.dedup();
        assert!(waits.len() > 40, "the jitter is not random: {waits:?}");
    }

    #[test]
    fn only_failures_without_an_answer_are_retried() {
        let policy = RetryPolicy::attempts(100);
        for failure in [
            Failure::Connect,
            Failure::Timeout,
            Failure::Dropped,
            Failure::Status(500),
            Failure::Status(503),
            Failure::Status(599),
        ] {
            assert!(failure.is_retryable(), "{failure}");
            assert!(
                Attempts::new(policy, Repeat::Retryable)
                    .retry_after(failure)
                    .is_some()
            );
        }
        for status in [200, 302, 400, 403, 404, 429, 600] {
            let failure = Failure::Status(status);
            assert!(!failure.is_retryable(), "{failure}");
            assert!(
                Attempts::new(policy, Repeat::Retryable)
                    .retry_after(failure)
                    .is_none()
            );
        }
    }

    #[test]
    fn unsent_only_repeats_what_never_left() {
        let policy = RetryPolicy::attempts(5);
        let mut attempts = Attempts::new(policy, Repeat::Unsent);
        for failure in [Failure::Timeout, Failure::Dropped, Failure::Status(503)] {
            assert!(attempts.retry_after(failure).is_none(), "{failure}");
        }
        assert!(attempts.retry_after(Failure::Connect).is_some());
        assert!(!attempts.earlier_fate_unknown());
    }

    #[test]
    fn judging_ends_on_answers_and_unrepeatable_errors() {
        let span = CallSpan::start("test", "GET", "http://x.test/");
        let mut attempts = Attempts::new(RetryPolicy::attempts(2), Repeat::Retryable);
        let answer: Result<u8, (Option<Failure>, &str)> = Ok(7);
        assert!(matches!(attempts.judge(&span, answer), Step::Done(Ok(7))));
        let unrepeatable = Err((None, "bad url"));
        assert!(matches!(
            attempts.judge::<u8, _>(&span, unrepeatable),
            Step::Done(Err("bad url"))
        ));
        let timeout: Result<u8, _> = Err((Some(Failure::Timeout), "timed out"));
        assert!(matches!(
            attempts.judge::<u8, _>(&span, timeout),
            Step::Retry(_)
        ));
        // The policy's two attempts are made.
        assert!(matches!(
            attempts.judge::<u8, _>(&span, timeout),
            Step::Done(Err("timed out"))
        ));
        assert_eq!(attempts.retries(), 1);
    }

    #[test]
    fn the_attempt_count_is_capped_and_fates_are_remembered() {
        let policy = RetryPolicy::attempts(3).with_backoff(MS, MS);
        let mut attempts = Attempts::new(policy, Repeat::Retryable);
        assert!(attempts.retry_after(Failure::Connect).is_some());
        assert!(!attempts.earlier_fate_unknown());
        assert!(attempts.retry_after(Failure::Dropped).is_some());
        assert!(attempts.earlier_fate_unknown());
        assert_eq!(attempts.attempt(), 3);
        assert!(attempts.retry_after(Failure::Connect).is_none());
        assert_eq!((attempts.attempt(), attempts.retries()), (3, 2));
    }
}
