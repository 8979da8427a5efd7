//! Encoding: the query string and URL of the GET flavour, the form body of the POST flavour.
//!
//! # Decisions
//!
//! * Every value and name is percent-encoded exactly as PHP's `urlencode` does (the cart is a
//!   PHP application): letters, digits and `-_.` stay, a space is `+`, everything else is
//!   `%XX` of its UTF-8 bytes: `user%40domain.com`, `user%2Btag%40…`, `Jos%C3%A9`.
//! * Fields follow the vendor's documented order (`command` first), blank ones included, then
//!   the unknown fields in their order; the POST flavour adds `hash` last.

use cartwire_core::form::FormEncoder;

use crate::decode::Received;
use crate::key::CartFreakKey;
use crate::payload::Notification;
use crate::verify::compute_hash;

impl Notification {
    /// The query string of the GET flavour (no leading `?`):
    /// `command=REMOVE&billing_id=224&email=user%40domain.com`.
    ///
    /// To get the whole URL, use [`ApiUrl::notification_url`](crate::ApiUrl::notification_url).
    pub fn to_query(&self) -> String {
        self.encoder().finish()
    }

    /// The body of the POST flavour (`application/x-www-form-urlencoded`): the fields, then
    /// `hash`, the SHA-1 of the API key and the command (see [`compute_hash`]). The key type
    /// cannot be empty, so neither can the signature.
    ///
    /// ```
    /// use cartfreak_notify::{CartFreakKey, Notification, Receiver, SubscriptionEvent};
    ///
    /// let key = CartFreakKey::new("sk_cartfreak_demo")?;
    /// let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
    /// let body = remove.to_form(&key);
    /// assert_eq!(key.decode_verified(body.as_bytes())?.notification, remove);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_form(&self, key: &CartFreakKey) -> String {
        let mut form = self.encoder();
        form.pair("hash", &compute_hash(key.secret(), self.command_str()));
        form.finish()
    }

    fn encoder(&self) -> FormEncoder {
        let mut form = FormEncoder::new();
        form.pair("command", self.command_str());
        for (name, value) in self.wire_fields() {
            form.pair(name, &value);
        }
        form
    }
}

impl Received {
    /// The wire form this was decoded from, as the cart writes it: the fields, then the
    /// received `hash` verbatim if there was one, as a full URL when one was decoded, else as
    /// a query string or form body.
    pub fn to_wire(&self) -> String {
        let mut form = self.notification.encoder();
        if let Some(hash) = &self.hash {
            form.pair("hash", hash);
        }
        let fields = form.finish();
        match &self.api_url {
            Some(api_url) => api_url.with_fields(&fields),
            None => fields,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Address, Create, Customer, SubscriptionEvent, UnknownCommand};
    use cartwire_core::Decimal;

    #[test]
    fn the_vendor_example_is_written_byte_for_byte() {
        let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
        assert_eq!(
            remove.to_query(),
            "command=REMOVE&billing_id=224&email=user%40domain.com"
        );
    }

    #[test]
    fn values_are_encoded_like_php_urlencode() {
        let create = Create::new(
            "A-1",
            "7",
            "Курс «Старт» & more",
            Decimal::new(1995, 2),
            Decimal::new(95, 2),
        )
        .with_customer(Customer::new("José", "Müller Ñ", "user+tag@domain.com"))
        .with_billing_address(Address::new("1 Main St", "Town", "CA", "90210", "US"));
        let query = Notification::Create(create).to_query();
        assert!(query.starts_with("command=CREATE&billing_id=&first_name=Jos%C3%A9"));
        assert!(query.contains("&last_name=M%C3%BCller+%C3%91&"));
        assert!(query.contains("&email=user%2Btag%40domain.com&"));
        assert!(query.contains("&address=1+Main+St&"));
        assert!(query.contains(
            "&product_name=%D0%9A%D1%83%D1%80%D1%81+%C2%AB%D0%A1%D1%82%D0%B0%D1%80%D1%82%C2%BB+%26+more&"
        ));
        assert!(query.contains("&amount=19.95&fee=0.95&total=19.00&"));
        assert!(query.ends_with("&order_id=A-1&order_hash="));
    }

    #[test]
    fn form_adds_the_hash_last() {
        // python3 -c "import hashlib; print(hashlib.sha1(b'sk_cartfreak_demo' + b'REMOVE').hexdigest())"
        let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
        assert_eq!(
            remove.to_form(&CartFreakKey::new("sk_cartfreak_demo").unwrap()),
            "command=REMOVE&billing_id=224&email=user%40domain.com\
             &hash=4f5903323592304bcb55eb4783bcf19d158145a1"
        );
    }

    #[test]
    fn unknown_commands_write_billing_id_and_email_first_when_they_have_them() {
        let mut refund = UnknownCommand::new("REFUND").with_email("a@b.c");
        refund.extra.insert("reason".into(), "late".into());
        refund.extra.insert("email".into(), "shadow@x".into());
        let refund = Notification::Unknown(refund);
        assert_eq!(
            refund.to_query(),
            "command=REFUND&email=a%40b.c&reason=late"
        );
        let bare = Notification::Unknown(UnknownCommand::new("PING").with_billing_id(""));
        assert_eq!(bare.to_query(), "command=PING&billing_id=");
    }

    #[test]
    fn extras_never_shadow_a_documented_field() {
        let mut remove = SubscriptionEvent::new("224", "a@b.c");
        remove.extra.insert("email".into(), "evil@x".into());
        remove.extra.insert("command".into(), "CREATE".into());
        remove.extra.insert("hash".into(), "00".into());
        remove.extra.insert("utm[source]".into(), "mail".into());
        assert_eq!(
            Notification::Remove(remove).to_query(),
            "command=REMOVE&billing_id=224&email=a%40b.c&utm%5Bsource%5D=mail"
        );
    }
}
