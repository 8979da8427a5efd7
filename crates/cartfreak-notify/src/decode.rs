//! Decoding both flavours: a query string or full URL (the GET flavour), or a POST form body
//! (the flavour with the `hash` field).
//!
//! A receiver takes a [`Delivery`] to its [`CartFreakKey`](crate::CartFreakKey), which checks
//! the hash and then decodes ([`Receiver::receive`](crate::Receiver::receive)); the functions
//! here decode text without verifying it (a query string, a URL or a body from a file or a
//! log), and [`Received`] is what both give.
//!
//! # Decisions
//!
//! * **Deliveries.** The GET flavour is read from the query of the request target, the POST
//!   flavour from the body (the query of a POST is not read: a hash checked over the body and
//!   a field read from the URL is a forgery waiting to happen). When the target of a GET is a
//!   full URL (`https://shop.example/cf.php?command=…`), [`Received::api_url`] records it.
//! * **Detection.** [`decode`] trims surrounding white space (a raw form body never has any
//!   that means something: a space in a value is `+` or `%20`), then reads input starting
//!   with `http://` or `https://` as a full URL (its query is the notification, its fragment
//!   is ignored), input starting with `?` as a query string, and anything else as a query
//!   string or form body: the two are the same bytes. The flavour is told by the `hash`
//!   field ([`Received::flavour`]), which the GET flavour never has.
//! * **Repeated keys** fail the decode naming the key (`command=CREATE&command=REMOVE` is
//!   "the key is repeated"), through `cartwire-core`'s form codec: a hash checked over one
//!   command and a handler reading another is a classic forgery.
//! * **Limits**: the defaults of [`Options`] (1 MiB, 10,000 pairs, …); a hostile input fails
//!   with [`Error::Limit`].
//! * Keys with brackets (`utm[source]`) are unknown fields kept under their full name.

use std::borrow::Cow;

use cartwire_core::form::{Duplicates, Options, Pair, visit_pairs};
use cartwire_core::{Dedup, DedupKey, Delivery, Error, Extra, Limit, LimitExceeded, scalar};

use crate::api_url::ApiUrl;
use crate::payload::{
    Address, CREATE_FIELDS, Create, Customer, Notification, SUBSCRIPTION_FIELDS, SubscriptionEvent,
    UnknownCommand,
};

/// Which of CartFreak's two delivery styles carried a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Flavour {
    /// The vendor's documented style: an HTTP GET to the API URL with the fields in the query
    /// string; no hash.
    Query,
    /// The style of CartFreak's own receiver package: an HTTP POST form with a `hash` field,
    /// answered with `OK` or `ERROR <message>`.
    Form,
}

/// A decoded notification with what came with it on the wire: what
/// [`CartFreakKey::receive`](crate::Receiver::receive) gives (the `Notification` of its
/// [`Receiver`](crate::Receiver) implementation).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The notification.
    pub notification: Notification,
    /// The `hash` field, verbatim, when present (the POST flavour). After
    /// [`receive`](crate::Receiver::receive) it has been checked; after
    /// [`decode()`] or [`receive_unverified`](crate::Receiver::receive_unverified) it has not.
    pub hash: Option<String>,
    /// When a full URL was decoded: that URL without its query and fragment. Parameters the
    /// API URL was configured with cannot be told from unknown fields, and are in
    /// [`Notification::extra`].
    pub api_url: Option<ApiUrl>,
}

impl Received {
    /// A received notification without hash or URL.
    pub fn new(notification: Notification) -> Self {
        Self {
            notification,
            hash: None,
            api_url: None,
        }
    }

    /// [`Flavour::Form`] when a `hash` field came with the notification, else
    /// [`Flavour::Query`].
    pub fn flavour(&self) -> Flavour {
        if self.hash.is_some() {
            Flavour::Form
        } else {
            Flavour::Query
        }
    }

    /// The notification's idempotency key: [`Notification::dedup_key`] (the `hash` and the
    /// flavour do not count).
    pub fn dedup_key(&self) -> DedupKey {
        self.notification.dedup_key()
    }
}

impl Dedup for Received {
    fn dedup_key(&self) -> DedupKey {
        Received::dedup_key(self)
    }
}

/// Decodes a notification from a query string, a full URL, or a POST form body, detecting
/// which it was handed (see the [module docs](self)).
///
/// This does **not** verify the hash: it is for text read from a file or a log. A receiver
/// calls [`CartFreakKey::receive`](crate::Receiver::receive) with the [`Delivery`].
pub fn decode(input: &[u8]) -> Result<Received, Error> {
    decode_with(input, &Options::default())
}

/// [`decode`] with explicit limits and repeated-key policy.
pub fn decode_with(input: &[u8], options: &Options) -> Result<Received, Error> {
    if input.len() > options.limits.max_bytes {
        // Checked before trimming or URL parsing, so no work is done on a hostile size.
        return Err(LimitExceeded::new(Limit::Bytes, options.limits.max_bytes).into());
    }
    let input = input.trim_ascii();
    if is_url(input) {
        let text = std::str::from_utf8(input)
            .map_err(|_| Error::malformed("", "the URL is not valid UTF-8"))?;
        return decode_url_with(text, options);
    }
    decode_pairs(form_text(input), options)
}

/// The decode of a delivery, unverified: the GET's query or the POST's body (see the
/// [module docs](self)).
pub(crate) fn decode_delivery(delivery: &Delivery<'_>) -> Result<Received, Error> {
    let input = delivery.query_or_body()?;
    let received = decode_pairs(form_text(input), &Options::default())?;
    with_api_url(delivery, received)
}

/// The API URL of a GET's full-URL target, added to what its query decoded to.
pub(crate) fn with_api_url(
    delivery: &Delivery<'_>,
    mut received: Received,
) -> Result<Received, Error> {
    let reads_query = ["GET", "HEAD"]
        .iter()
        .any(|method| delivery.method().eq_ignore_ascii_case(method));
    let target = delivery.target().as_bytes();
    if reads_query && is_url(target) {
        let (api_url, _) = ApiUrl::split_notification_url(delivery.target())?;
        received.api_url = Some(api_url);
    }
    Ok(received)
}

/// The pairs' text of a query string or form body: surrounding white space (a raw form
/// never has any that means something: a space in a value is `+` or `%20`) and a leading
/// `?` removed. The hash check reads the same text as the decoder.
pub(crate) fn form_text(input: &[u8]) -> &[u8] {
    let input = input.trim_ascii();
    input.strip_prefix(b"?").unwrap_or(input)
}

fn is_url(input: &[u8]) -> bool {
    [&b"http://"[..], b"https://"]
        .iter()
        .any(|scheme| starts_with_ignore_case(input, scheme))
}

/// Decodes the full URL the cart called (the GET flavour):
/// `http://www.yourdomain.com/script.php?command=REMOVE&billing_id=224&email=user%40domain.com`.
pub fn decode_url(url: &str) -> Result<Received, Error> {
    decode_url_with(url, &Options::default())
}

fn decode_url_with(url: &str, options: &Options) -> Result<Received, Error> {
    let (api_url, query) = ApiUrl::split_notification_url(url.trim())?;
    let mut received = decode_pairs(query.as_bytes(), options)?;
    received.api_url = Some(api_url);
    Ok(received)
}

fn starts_with_ignore_case(input: &[u8], prefix: &[u8]) -> bool {
    input
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Decodes a query string or form body (no leading `?`, no URL).
///
/// The keys are flat, so only the pairs are decoded, and each is filed as the codec decodes
/// it ([`WireFields`]): no list of pairs is built in between (a `CREATE`'s would be the one
/// allocation of the decode above 1 KiB, for which glibc's allocator consolidates its free
/// lists on every call). The repeated-key policy applies to every key, `command` and `hash`
/// included, exactly as the codec's [`parse_pairs`](cartwire_core::form::parse_pairs)
/// applies it.
fn decode_pairs(input: &[u8], options: &Options) -> Result<Received, Error> {
    let mut fields = WireFields::default();
    visit_pairs(input, options, |key, value| {
        fields.file(key, value, options.duplicates)
    })?;
    fields.finish()
}

/// The fields of a body as they arrive: `command`, `hash`, the `CREATE` fields in their slots
/// and every other key, each with its arrival position (a command other than `CREATE` keeps
/// the `CREATE` fields it does not type among its extras, in arrival order). A repeated key
/// is resolved as it arrives, by the caller's policy, keeping its first position.
#[derive(Default)]
struct WireFields<'a> {
    arrived: usize,
    command: Option<Cow<'a, str>>,
    hash: Option<Cow<'a, str>>,
    slots: [Option<(usize, Cow<'a, str>)>; CREATE_FIELDS.len()],
    /// Keys foreign to every command, by name (a hash map: a hostile body may hold thousands).
    others: Extra<(usize, Cow<'a, str>)>,
}

impl<'a> WireFields<'a> {
    fn file(
        &mut self,
        key: Cow<'a, str>,
        value: Cow<'a, str>,
        duplicates: Duplicates,
    ) -> Result<(), Error> {
        let position = self.arrived;
        self.arrived += 1;
        match key.as_ref() {
            "command" => store(&mut self.command, "command", value, duplicates),
            "hash" => store(&mut self.hash, "hash", value, duplicates),
            name => {
                if let Some(slot) = create_slot(name).and_then(|i| self.slots.get_mut(i)) {
                    match slot {
                        None => *slot = Some((position, value)),
                        Some((_, existing)) => {
                            if repeated(name, duplicates)? {
                                *existing = value;
                            }
                        }
                    }
                } else if let Some((_, existing)) = self.others.get_mut(name) {
                    if repeated(name, duplicates)? {
                        *existing = value;
                    }
                } else {
                    self.others.insert(key.into_owned(), (position, value));
                }
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<Received, Error> {
        let command = self.command.ok_or_else(|| Error::missing("command"))?;
        let hash = self.hash.map(Cow::into_owned);
        let notification = if command == "CREATE" {
            let extra = self
                .others
                .into_iter()
                .map(|(key, (_, value))| (key, value.into_owned()))
                .collect();
            create(self.slots.map(|slot| slot.map(|(_, value)| value)), extra)?
        } else {
            // Every field but `command` and `hash`, back in arrival order.
            let mut fields: Vec<(usize, Cow<'a, str>, Cow<'a, str>)> = CREATE_FIELDS
                .iter()
                .zip(self.slots)
                .filter_map(|(name, slot)| {
                    slot.map(|(position, value)| (position, Cow::Borrowed(*name), value))
                })
                .chain(
                    self.others
                        .into_iter()
                        .map(|(key, (position, value))| (position, Cow::Owned(key), value)),
                )
                .collect();
            fields.sort_unstable_by_key(|(position, _, _)| *position);
            let fields = fields.into_iter().map(|(_, key, value)| (key, value));
            build(&command, fields, Duplicates::Reject)?
        };
        Ok(Received {
            notification,
            hash,
            api_url: None,
        })
    }
}

/// Decodes pairs already parsed with `options`. The pairs are consumed: a value decoded
/// from escapes is moved into the notification, not copied.
pub(crate) fn decode_parsed(
    mut pairs: Vec<Pair<'_>>,
    options: &Options,
) -> Result<Received, Error> {
    // The codec refuses a repeated key unless the options resolve it, so the first match is the
    // one value of each.
    let position_of =
        |pairs: &[Pair<'_>], name: &str| pairs.iter().position(|(key, _)| key == name);
    let command = position_of(&pairs, "command").ok_or_else(|| Error::missing("command"))?;
    let command = std::mem::take(
        &mut pairs
            .get_mut(command)
            .ok_or_else(|| Error::missing("command"))?
            .1,
    );
    let hash = position_of(&pairs, "hash")
        .and_then(|position| pairs.get_mut(position))
        .map(|(_, value)| std::mem::take(value).into_owned());
    let fields = pairs
        .into_iter()
        .filter(|(key, _)| key != "command" && key != "hash");
    let notification = build(&command, fields, options.duplicates)?;
    Ok(Received {
        notification,
        hash,
        api_url: None,
    })
}

/// Builds a notification from its command and its other fields (without `command` and
/// `hash`), the way the wire decoder and the serde implementation both do.
pub(crate) fn notification_from_fields(
    command: &str,
    fields: Extra,
) -> Result<Notification, Error> {
    build(
        command,
        fields
            .into_iter()
            .map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))),
        Duplicates::Reject,
    )
}

/// Resolves a repeated key for the fields this crate collects, by the caller's policy (the
/// form codec resolves the repeats it sees, but `a[]=1&a[]=2` is a list to it and two values
/// of one flat key to us).
fn repeated(key: &str, duplicates: Duplicates) -> Result<bool, Error> {
    match duplicates {
        Duplicates::LastWins => Ok(true),
        Duplicates::FirstWins => Ok(false),
        _ => Err(Error::malformed(key, "the key is repeated")),
    }
}

/// Keeps `value` in `slot` as it came (borrowed or decoded): a field the notification owns is
/// copied once at the end, and one it only reads (a money amount) never is.
fn store<'a>(
    slot: &mut Option<Cow<'a, str>>,
    key: &str,
    value: Cow<'a, str>,
    duplicates: Duplicates,
) -> Result<(), Error> {
    match slot {
        None => *slot = Some(value),
        Some(existing) => {
            if repeated(key, duplicates)? {
                *existing = value;
            }
        }
    }
    Ok(())
}

/// The text of a field the notification owns: `""` when absent.
fn owned(value: Option<Cow<'_, str>>) -> String {
    value.map(Cow::into_owned).unwrap_or_default()
}

/// An identifier: `None` when absent or empty.
fn id(value: Option<Cow<'_, str>>) -> Option<String> {
    value.filter(|id| !id.is_empty()).map(Cow::into_owned)
}

fn store_extra(
    extra: &mut Extra,
    key: Cow<'_, str>,
    value: Cow<'_, str>,
    duplicates: Duplicates,
) -> Result<(), Error> {
    match extra.get_mut(key.as_ref()) {
        None => {
            extra.insert(key.into_owned(), value.into_owned());
        }
        Some(existing) => {
            if repeated(&key, duplicates)? {
                *existing = value.into_owned();
            }
        }
    }
    Ok(())
}

/// The slot of a `CREATE` field in [`CREATE_FIELDS`] order.
fn create_slot(name: &str) -> Option<usize> {
    Some(match name {
        "billing_id" => 0,
        "first_name" => 1,
        "last_name" => 2,
        "email" => 3,
        "address" => 4,
        "address2" => 5,
        "city" => 6,
        "state" => 7,
        "zipcode" => 8,
        "country" => 9,
        "ship_address" => 10,
        "ship_address2" => 11,
        "ship_city" => 12,
        "ship_state" => 13,
        "ship_zipcode" => 14,
        "ship_country" => 15,
        "phone" => 16,
        "product_id" => 17,
        "product_name" => 18,
        "amount" => 19,
        "fee" => 20,
        "total" => 21,
        "order_id" => 22,
        "order_hash" => 23,
        _ => return None,
    })
}

/// A `CREATE` from its fields in [`CREATE_FIELDS`] order and its extras.
fn create(
    slots: [Option<Cow<'_, str>>; CREATE_FIELDS.len()],
    extra: Extra,
) -> Result<Notification, Error> {
    let [
        billing_id,
        first_name,
        last_name,
        email,
        address,
        address2,
        city,
        state,
        zipcode,
        country,
        ship_address,
        ship_address2,
        ship_city,
        ship_state,
        ship_zipcode,
        ship_country,
        phone,
        product_id,
        product_name,
        amount,
        fee,
        total,
        order_id,
        order_hash,
    ] = slots;
    let money = |name: &str, value: Option<Cow<'_, str>>| {
        let value = value.ok_or_else(|| Error::missing(name))?;
        scalar::parse_decimal(&value).map_err(|e| Error::malformed(name, e))
    };
    Ok(Notification::Create(Create {
        billing_id: id(billing_id),
        customer: Customer {
            first_name: owned(first_name),
            last_name: owned(last_name),
            email: owned(email),
            phone: owned(phone),
        },
        billing_address: Address {
            address: owned(address),
            address2: owned(address2),
            city: owned(city),
            state: owned(state),
            zipcode: owned(zipcode),
            country: owned(country),
        },
        shipping_address: Address {
            address: owned(ship_address),
            address2: owned(ship_address2),
            city: owned(ship_city),
            state: owned(ship_state),
            zipcode: owned(ship_zipcode),
            country: owned(ship_country),
        },
        product_id: owned(product_id),
        product_name: owned(product_name),
        amount: money("amount", amount)?,
        fee: money("fee", fee)?,
        total: money("total", total)?,
        order_id: owned(order_id),
        order_hash: owned(order_hash),
        extra,
    }))
}

fn build<'a>(
    command: &str,
    fields: impl Iterator<Item = (Cow<'a, str>, Cow<'a, str>)>,
    duplicates: Duplicates,
) -> Result<Notification, Error> {
    if command.is_empty() {
        return Err(Error::malformed("command", "empty"));
    }
    let mut extra = Extra::new();
    Ok(match command {
        "CREATE" => {
            let mut slots: [Option<Cow<'a, str>>; CREATE_FIELDS.len()] = Default::default();
            for (key, value) in fields {
                match create_slot(&key).and_then(|i| slots.get_mut(i)) {
                    Some(slot) => store(slot, &key, value, duplicates)?,
                    None => store_extra(&mut extra, key, value, duplicates)?,
                }
            }
            create(slots, extra)?
        }
        "REMOVE" | "RENEW" | "COMPLETE" | "DECLINE" => {
            let (mut billing_id, mut email) = (None, None);
            for (key, value) in fields {
                match key.as_ref() {
                    "billing_id" => store(&mut billing_id, &key, value, duplicates)?,
                    "email" => store(&mut email, &key, value, duplicates)?,
                    _ => store_extra(&mut extra, key, value, duplicates)?,
                }
            }
            debug_assert_eq!(SUBSCRIPTION_FIELDS, ["billing_id", "email"]);
            let event = SubscriptionEvent {
                billing_id: id(billing_id),
                email: owned(email),
                extra,
            };
            match command {
                "REMOVE" => Notification::Remove(event),
                "RENEW" => Notification::Renew(event),
                "COMPLETE" => Notification::Complete(event),
                _ => Notification::Decline(event),
            }
        }
        other => {
            // `billing_id` and `email` are the fields every command carries: typed here too.
            let (mut billing_id, mut email) = (None, None);
            for (key, value) in fields {
                match key.as_ref() {
                    "billing_id" => store(&mut billing_id, &key, value, duplicates)?,
                    "email" => store(&mut email, &key, value, duplicates)?,
                    _ => store_extra(&mut extra, key, value, duplicates)?,
                }
            }
            Notification::Unknown(UnknownCommand {
                command: other.to_owned(),
                billing_id: billing_id.map(Cow::into_owned),
                email: email.map(Cow::into_owned),
                extra,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwire_core::ErrorKind;

    #[test]
    fn detects_each_form_of_input() {
        let expected = decode(b"command=REMOVE&billing_id=224&email=user%40domain.com")
            .unwrap()
            .notification;
        for input in [
            &b"?command=REMOVE&billing_id=224&email=user%40domain.com"[..],
            b"  command=REMOVE&billing_id=224&email=user%40domain.com\r\n",
            b"http://www.yourdomain.com/script.php?command=REMOVE&billing_id=224&email=user%40domain.com",
            b"HTTPS://x.test/a?command=REMOVE&billing_id=224&email=user@domain.com#frag",
        ] {
            let received = decode(input).unwrap();
            assert_eq!(received.notification, expected);
            assert_eq!(received.flavour(), Flavour::Query);
        }
        let url =
            decode(b"http://www.yourdomain.com/script.php?command=REMOVE&billing_id=224").unwrap();
        assert_eq!(
            url.api_url.unwrap().as_str(),
            "http://www.yourdomain.com/script.php"
        );
        let form = decode(b"command=RENEW&billing_id=1&email=a%40b.c&hash=00").unwrap();
        assert_eq!(form.flavour(), Flavour::Form);
        assert_eq!(form.hash.as_deref(), Some("00"));
        assert!(form.notification.extra().is_empty(), "hash is a wire field");
    }

    #[test]
    fn a_url_with_a_hash_is_written_back_whole() {
        // Found by the fuzzer: both the URL and the hash must survive `to_wire`.
        let input = "https://x.test/cf.php?command=REMOVE&billing_id=1&email=a%40b.c&hash=abc";
        let received = decode(input.as_bytes()).unwrap();
        assert_eq!(received.flavour(), Flavour::Form);
        assert!(received.api_url.is_some());
        assert_eq!(received.to_wire(), input);
    }

    #[test]
    fn command_is_required_and_case_sensitive() {
        assert_eq!(
            decode(b"billing_id=1&email=a%40b.c").unwrap_err(),
            Error::missing("command")
        );
        assert_eq!(
            decode(b"command=&email=a").unwrap_err().field(),
            Some("command")
        );
        assert_eq!(decode(b"").unwrap_err(), Error::missing("command"));
        let lower = decode(b"command=remove&billing_id=1").unwrap().notification;
        assert_eq!(
            lower,
            Notification::Unknown(UnknownCommand::new("remove").with_billing_id("1"))
        );
    }

    #[test]
    fn repeated_keys_fail_naming_the_key() {
        for (input, key) in [
            (&b"command=CREATE&command=REMOVE"[..], "command"),
            (b"command=REMOVE&email=a&email=b", "email"),
            (b"command=REMOVE&a[]=1&a[]=2", "a[]"),
            (b"command=REMOVE&hash=1&hash=2", "hash"),
        ] {
            let err = decode(input).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Malformed, "{err}");
            assert_eq!(err.field(), Some(key), "{err}");
        }
        // CartFreak's keys are flat: `x` and `x[0]` are two keys, both kept, not a clash.
        let received = decode(b"command=REMOVE&x=1&x%5B0%5D=2").unwrap();
        let Notification::Remove(event) = received.notification else {
            panic!("not a REMOVE: {received:?}");
        };
        assert_eq!(event.extra.get("x").map(String::as_str), Some("1"));
        assert_eq!(event.extra.get("x[0]").map(String::as_str), Some("2"));
    }

    #[test]
    fn the_repeated_key_policy_is_honoured() {
        let input = b"command=REMOVE&email=a&a[]=1&email=b&a[]=2&billing_id=7";
        for (policy, email, list) in [
            (Duplicates::LastWins, "b", "2"),
            (Duplicates::FirstWins, "a", "1"),
        ] {
            let options = Options::default().duplicates(policy);
            let n = decode_with(input, &options).unwrap().notification;
            assert_eq!(n.email(), Some(email));
            assert_eq!(n.extra().get("a[]").map(String::as_str), Some(list));
            assert_eq!(n.billing_id(), Some("7"));
        }
        let options = Options::default().duplicates(Duplicates::LastWins);
        let n = decode_with(b"command=CREATE&command=REMOVE&billing_id=1", &options).unwrap();
        assert_eq!(n.notification.command(), crate::Command::Remove);
    }

    #[test]
    fn filing_pairs_as_they_come_decodes_as_the_list_of_pairs_does() {
        // The streaming decode against the one over a parsed list of pairs (which the
        // verifying receiver still uses), on every sample and on bodies built to disagree:
        // repeats of typed, untyped and CREATE-only fields under each policy, CREATE fields on
        // other commands (extras, in arrival order), escapes, empty names, bad UTF-8.
        let mut inputs: Vec<String> = crate::samples::ALL
            .iter()
            .map(|(_, sample)| sample.trim().trim_start_matches('?').to_owned())
            .filter(|sample| !sample.starts_with("http"))
            .collect();
        inputs.extend(
            [
                "command=REMOVE&first_name=A&x=1&billing_id=7&city=C&email=e&zipcode=9",
                "first_name=A&command=RENEW&x%5B%5D=1&x[]=2&email=e&email=f",
                "command=SHIP&city=C&billing_id=&email=e&y=1&city=D",
                "command=CREATE&x=1&amount=1.00&fee=0.10&total=0.90&x=2&amount=2.00",
                "command=CREATE&command=REMOVE&hash=1&hash=2&email=a+b%40c",
                "command=&email=a",
                "email=a&=1&billing_id=2",
                "command=CREATE&amount=x&fee=1&total=1&zz=%FF",
                "command=COMPLETE&email=%zz&hash=h&billing_id=1&amount=5",
            ]
            .map(String::from),
        );
        let policies = [
            Duplicates::Reject,
            Duplicates::FirstWins,
            Duplicates::LastWins,
        ];
        for input in &inputs {
            for policy in policies {
                let options = Options::default().duplicates(policy);
                let streamed = decode_with(input.as_bytes(), &options);
                let listed = cartwire_core::form::parse_pairs(input.as_bytes(), &options)
                    .and_then(|pairs| decode_parsed(pairs, &options));
                assert_eq!(streamed, listed, "{policy:?} {input}");
            }
        }
    }

    #[test]
    fn limits_apply_to_every_input_form() {
        let options = Options::default().limits({
            let mut limits = cartwire_core::form::Limits::default();
            limits.max_bytes = 64;
            limits
        });
        let long = format!("command=REMOVE&email={}", "a".repeat(100));
        let url = format!("https://x.test/?{long}");
        for input in [long.as_bytes(), url.as_bytes()] {
            let err = decode_with(input, &options).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::LimitExceeded);
        }
    }
}
