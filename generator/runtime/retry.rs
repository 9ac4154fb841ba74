//! When a failed call is tried again.

use std::time::Duration;

/// When and how often a failed call is tried again.
///
/// By default a call is retried up to 3 times, waiting 0.5 s, then about twice as long each
/// time (with random jitter, never over 30 s), when:
/// - the connection could not be made (the request never reached the API), on any call;
/// - the API answered 429 or 420 (rate limited), on any call, waiting at least as long as its
///   `Retry-After` or `X-RateLimit-Reset` asks (a longer wait than the maximum delay is not
///   waited for: the call fails with [`Error::RateLimited`](crate::Error::RateLimited), which
///   says how long);
/// - the API answered 5xx, or no answer came in time, on calls that can safely repeat
///   (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`) only. A `POST`, such as sending a message,
///   may already have taken effect, so it is not repeated unless
///   [`retry_non_idempotent`](Self::retry_non_idempotent) says so.
///
/// Set it for a client with [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)
/// or for one call with the builder's `retry_policy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_delay: Duration,
    max_delay: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// How many times a call is tried again at most.
    pub fn max_retries(mut self, retries: u32) -> RetryPolicy {
        self.max_retries = retries;
        self
    }

    /// The wait before the first retry; each later wait is about twice the one before.
    pub fn initial_delay(mut self, delay: Duration) -> RetryPolicy {
        self.initial_delay = delay;
        self
    }

    /// The longest wait between two tries.
    pub fn max_delay(mut self, delay: Duration) -> RetryPolicy {
        self.max_delay = delay;
        self
    }

    /// Also retry calls that may not be safe to repeat (`POST`, `PATCH`) after a 5xx answer or
    /// a timeout. Only for calls you know to be idempotent.
    pub fn retry_non_idempotent(mut self, retry: bool) -> RetryPolicy {
        self.non_idempotent = retry;
        self
    }

    /// The waits between tries, exponential with jitter.
    pub(crate) fn delays(&self) -> impl Iterator<Item = Duration> {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_jitter()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_retries as usize)
            .build()
    }

    /// Whether a try that ended in `outcome` is tried again, and the least wait the answer
    /// asks for. `None`: it is not.
    pub(crate) fn retry(&self, method: &reqwest::Method, outcome: Outcome) -> Option<Duration> {
        let repeatable = self.non_idempotent
            || matches!(*method, reqwest::Method::GET | reqwest::Method::HEAD | reqwest::Method::PUT)
            || matches!(*method, reqwest::Method::DELETE | reqwest::Method::OPTIONS);
        let wait = match outcome {
            Outcome::Answered { status: 420 | 429, retry_after } => retry_after.unwrap_or_default(),
            Outcome::Answered { status: 500..=599, .. } if repeatable => Duration::ZERO,
            Outcome::NotSent => Duration::ZERO,
            Outcome::NoAnswer if repeatable => Duration::ZERO,
            _ => return None,
        };
        (wait <= self.max_delay).then_some(wait)
    }
}

/// How one try ended, as far as retrying goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome {
    /// The API answered.
    Answered { status: u16, retry_after: Option<Duration> },
    /// The connection could not be made: nothing reached the API.
    NotSent,
    /// The request may have reached the API, but no answer came (timeout, broken connection).
    NoAnswer,
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn sends_are_never_repeated_after_they_may_have_arrived() {
        let policy = RetryPolicy::default();
        let server_error = Outcome::Answered { status: 503, retry_after: None };
        assert_eq!(policy.retry(&Method::POST, server_error), None);
        assert_eq!(policy.retry(&Method::POST, Outcome::NoAnswer), None);
        assert_eq!(policy.retry(&Method::POST, Outcome::NotSent), Some(Duration::ZERO));
        assert_eq!(policy.retry(&Method::GET, server_error), Some(Duration::ZERO));
        assert_eq!(policy.retry(&Method::DELETE, Outcome::NoAnswer), Some(Duration::ZERO));
        let opted_in = RetryPolicy::default().retry_non_idempotent(true);
        assert_eq!(opted_in.retry(&Method::POST, server_error), Some(Duration::ZERO));
    }

    #[test]
    fn rate_limits_are_retried_after_the_wait_asked_unless_too_long() {
        let policy = RetryPolicy::default();
        let limited = |secs| Outcome::Answered { status: 429, retry_after: Some(Duration::from_secs(secs)) };
        assert_eq!(policy.retry(&Method::POST, limited(2)), Some(Duration::from_secs(2)));
        assert_eq!(policy.retry(&Method::POST, limited(120)), None);
        let recipients = Outcome::Answered { status: 420, retry_after: None };
        assert_eq!(policy.retry(&Method::POST, recipients), Some(Duration::ZERO));
        assert_eq!(policy.retry(&Method::GET, Outcome::Answered { status: 404, retry_after: None }), None);
    }

    #[test]
    fn delays_grow_and_stop() {
        let policy = RetryPolicy::default().max_retries(4).initial_delay(Duration::from_millis(100));
        let delays: Vec<Duration> = policy.delays().collect();
        assert_eq!(delays.len(), 4);
        assert!(delays.iter().all(|d| *d >= Duration::from_millis(100) && *d <= Duration::from_secs(30)));
        assert_eq!(RetryPolicy::none().delays().count(), 0);
    }
}
