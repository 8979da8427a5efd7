//! JustClick's kinds in the shared vocabulary: [`ToEvent`] for [`Notification`] (see
//! [`cartwire_core::event`]).
//!
//! # The mapping
//!
//! | kind (as told apart by [`Kind::detect`]) | [`EventKind`] | the vendor's phrase it rests on |
//! |---|---|---|
//! | `status=new_order` | `order_created` | "Notifications are sent to this address after the order has been created" (`'status' => new order`) |
//! | paid (no `status`, a `paid` field) | `order_paid` | "URL for API notifications about the paid invoice"; `'paid' => the order paying-off time` |
//! | prepaid (a `prepayment_sum` field) | `partial_payment` | PROTOCOLS.md: "`prepayment_sum` present — prepaid" |
//! | `status=cancel_order` | `order_cancelled` | "the system notification for when a customer cancels the order" (`'status' => 'cancel_order'`) |
//! | `status=moneyback` | `order_refunded` | PROTOCOLS.md: "`status=moneyback` — refunded" |
//! | any other `status` | `Other(status)`, verbatim ([`EventKind::from_name`]) | PROTOCOLS.md: "unknown enum values become an `Unknown(String)`-style variant" |
//! | neither `status`, `paid` nor `prepayment_sum` | `Other("unknown")` | the same |
//!
//! None of these is a guess about the kind; what JustClick does not say is listed below.
//!
//! # Fields
//!
//! * `order_id`: `id` ("order number"). `subscription_id`: `None`: a paid invoice says
//!   `is_recurrent`, but no notification names a subscription.
//! * `customer`: `email`, `first_name`, `middle_name`, `last_name`, `phone`, and the delivery
//!   address (`address`, `city`, `region`, `postalcode`, `country`: "the address of the
//!   delivery", the only address JustClick sends).
//! * `total`: `last_payment_sum` on paid, prepaid and moneyback notifications ("amount of the
//!   last payment (if the bill is paid in one payment, then it is equal to the amount of the
//!   bill)"), else `prepayment_sum` on a prepaid one; `None` on created and cancelled
//!   invoices, which carry no invoice total (the items' `sum`s are there to add up).
//! * `items`: `id` ("character identifier"), `title`, and as price the `sum` ("actual cost
//!   (including up-selling or discount)"), or `price` ("cost from the settings") when `sum`
//!   is empty. No quantity: JustClick sends none.
//! * `occurred_at`: the time the notification reports, where it has one: `created` ("the time
//!   of the order creation") for a created invoice, `paid` ("the order paying-off time") for
//!   paid and prepaid ones, as an instant (Unix seconds). `None` for cancelled and moneyback:
//!   their `created` and `paid` are the invoice's, not the cancellation's or the refund's.
//! * `currency`: `None`: the pages send bare amounts (the cabinet's currency is a setting).
//! * `dedup_key`: [`Notification::dedup_key`].
//!
//! ```
//! use justclick_invoice::{samples, Delivery, EventKind, JustClickKey, Receiver, ToEvent};
//!
//! let key = JustClickKey::new(samples::SECRET)?;
//! let n = key.receive(&Delivery::post("/hook", samples::MONEYBACK.as_bytes()))?;
//! let event = n.to_event();
//! assert_eq!(event.kind, EventKind::OrderRefunded);
//! assert_eq!(event.order_id.as_deref(), Some(n.id()));
//! assert_eq!(event.dedup_key, n.dedup_key());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::Receiver as _;
use cartwire_core::event::{
    Address, Event, EventKind, Item as EventItem, OccurredAt, ToEvent, text,
};

use crate::payload::{Invoice, Kind, Notification, UnixTime};

impl Notification {
    /// The kind of event this notification reports (see the [mapping](crate::event)).
    pub fn event_kind(&self) -> EventKind {
        match self {
            Notification::Created(_) => EventKind::OrderCreated,
            Notification::Paid(_) => EventKind::OrderPaid,
            Notification::Prepaid(_) => EventKind::PartialPayment,
            Notification::Cancelled(_) => EventKind::OrderCancelled,
            Notification::Moneyback(_) => EventKind::OrderRefunded,
            Notification::Unknown(unknown) => match unknown.status() {
                Some(status) if !status.is_empty() => EventKind::from_name(status),
                _ => EventKind::Other(Kind::Unknown.as_str().to_owned()),
            },
        }
    }
}

fn instant(time: &UnixTime) -> Option<OccurredAt> {
    time.time().map(OccurredAt::Instant)
}

fn invoice_fields(event: &mut Event, invoice: &Invoice) {
    event.order_id = text(&invoice.id);
    let customer = &mut event.customer;
    customer.email = text(&invoice.email);
    customer.first_name = text(&invoice.first_name);
    customer.middle_name = text(&invoice.middle_name);
    customer.last_name = text(&invoice.last_name);
    customer.phone = text(&invoice.phone);
    customer.address = Address::from_parts(
        &invoice.address,
        "",
        &invoice.city,
        &invoice.region,
        &invoice.postal_code,
        &invoice.country,
    );
    event.items = invoice
        .items
        .iter()
        .map(|item| {
            let mut out = EventItem::new(&item.id, &item.title);
            out.price = item.sum.or(item.price);
            out
        })
        .collect();
}

impl ToEvent for Notification {
    fn to_event(&self) -> Event {
        let mut event = Event::new(
            crate::JustClickKey::PROTOCOL,
            self.event_kind(),
            self.dedup_key(),
        );
        if let Some(invoice) = self.invoice() {
            invoice_fields(&mut event, invoice);
        }
        event.total = self.payment().and_then(|payment| payment.last_payment_sum);
        match self {
            Notification::Created(created) => {
                event.occurred_at = instant(&created.invoice.created);
            }
            Notification::Paid(paid) => event.occurred_at = instant(&paid.payment.paid),
            Notification::Prepaid(prepaid) => {
                event.occurred_at = instant(&prepaid.payment.paid);
                event.total = event.total.or(prepaid.prepayment_sum);
            }
            Notification::Unknown(unknown) => {
                event.order_id = unknown.id.as_deref().and_then(text);
                event.customer.email = unknown.email.as_deref().and_then(text);
            }
            Notification::Cancelled(_) | Notification::Moneyback(_) => {}
        }
        event
    }
}
