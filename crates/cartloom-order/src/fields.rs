//! The documented keys, in the order of Cartloom's sample order. Decoding dispatches on these,
//! and encoding walks them in this order, so the two cannot drift apart.

macro_rules! wire_fields {
    ($(#[$meta:meta])* $name:ident, $keys:ident { $($variant:ident = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum $name {
            $($variant,)*
        }

        impl $name {
            /// Every field, in Cartloom's order.
            pub(crate) const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The key on the wire.
            pub(crate) fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }

            /// The field for a key, if it is a documented one.
            pub(crate) fn from_key(key: &str) -> Option<Self> {
                match key {
                    $($key => Some($name::$variant),)*
                    _ => None,
                }
            }

            /// A bit for duplicate detection.
            pub(crate) fn bit(self) -> u64 {
                1u64 << (self as u32)
            }
        }

        /// The documented keys, in the order Cartloom writes them.
        pub const $keys: &[&str] = &[$($key,)*];
    };
}

wire_fields! {
    /// A documented key of the order object.
    OrderField, ORDER_KEYS {
        Oid = "oid",
        Invoice = "invoice",
        UniqueId = "unique_id",
        OnHold = "on_hold",
        Date = "date",
        IpAddress = "ip_address",
        PaymentType = "payment_type",
        TransId = "trans_id",
        Subtotal = "subtotal",
        ProcessingFee = "processing_fee",
        Grandtotal = "grandtotal",
        Refunded = "refunded",
        RefundAmount = "refund_amount",
        ShippingAmount = "shipping_amount",
        ShippingTitle = "shipping_title",
        ShippingStatus = "shipping_status",
        ShippingDate = "shipping_date",
        ShippingTrackingNumber = "shipping_tracking_number",
        TaxAmount = "tax_amount",
        TaxTitle = "tax_title",
        DiscountCode = "discount_code",
        DiscountAmount = "discount_amount",
        DiscountTitle = "discount_title",
        BillingFirstName = "billing_first_name",
        BillingLastName = "billing_last_name",
        BillingCompany = "billing_company",
        BillingEmail = "billing_email",
        BillingPhone = "billing_phone",
        BillingAddress1 = "billing_address1",
        BillingAddress2 = "billing_address2",
        BillingCity = "billing_city",
        BillingState = "billing_state",
        BillingPostalCode = "billing_postal_code",
        BillingCountry = "billing_country",
        ShippingFirstName = "shipping_first_name",
        ShippingLastName = "shipping_last_name",
        ShippingCompany = "shipping_company",
        ShippingAddress1 = "shipping_address1",
        ShippingAddress2 = "shipping_address2",
        ShippingCity = "shipping_city",
        ShippingState = "shipping_state",
        ShippingPostalCode = "shipping_postal_code",
        ShippingCountry = "shipping_country",
        Comments = "comments",
        Notes = "notes",
        ExtraInputs = "extra_inputs",
        CardNumber = "card_number",
        CardType = "card_type",
        VatNumber = "vat_number",
        Items = "items",
        Subscribed = "subscribed",
    }
}

wire_fields! {
    /// A documented key of an element of `items`.
    ItemField, ITEM_KEYS {
        Pid = "pid",
        ItemId = "item_id",
        Qty = "qty",
        Title = "title",
        Sku = "sku",
        SendLink = "send_link",
        Category = "category",
        Options = "options",
        Digital = "digital",
        FileUrl = "file_url",
        Price = "price",
        SerialNums = "serial_nums",
        DlCnt = "dl_cnt",
        DlMax = "dl_max",
        DlUnlimited = "dl_unlimited",
        Did = "did",
        PartOfBundle = "part_of_bundle",
        BundleId = "bundle_id",
        BundleName = "bundle_name",
    }
}

/// The key under which the JSON view keeps wire spellings it cannot show (see
/// [`crate::encode`]).
pub(crate) const WIRE_NOTES_KEY: &str = "_wire";

/// The key under which the JSON view keeps unknown fields, on the order and on each item.
pub(crate) const EXTRA_KEY: &str = "extra";

/// Keys the `cartwire` command adds to the order's JSON view, which reading the view skips.
pub(crate) const ADDED_VIEW_KEYS: &[&str] = &["verified", "dedup_key"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_consistent() {
        assert_eq!(OrderField::ALL.len(), ORDER_KEYS.len());
        assert!(
            OrderField::ALL.len() <= 64,
            "the duplicate bitset holds 64 fields"
        );
        for (field, key) in OrderField::ALL.iter().zip(ORDER_KEYS) {
            assert_eq!(field.key(), *key);
            assert_eq!(OrderField::from_key(key), Some(*field));
        }
        for (field, key) in ItemField::ALL.iter().zip(ITEM_KEYS) {
            assert_eq!(field.key(), *key);
            assert_eq!(ItemField::from_key(key), Some(*field));
        }
        assert_eq!(OrderField::from_key("OID"), None);
        for key in [WIRE_NOTES_KEY, EXTRA_KEY].iter().chain(ADDED_VIEW_KEYS) {
            assert_eq!(OrderField::from_key(key), None);
            assert_eq!(ItemField::from_key(key), None);
        }
    }

    #[test]
    fn keys_follow_the_vendor_sample() {
        // The key order of the sample on Cartloom's page, read with Python's json module
        // (which keeps object order): list(json.loads(sample).keys()).
        let sample = include_str!("../tests/fixtures/vendor-sample.json");
        let mut keys = Vec::new();
        for key in ORDER_KEYS {
            keys.push(sample.find(&format!("\"{key}\":")).unwrap());
        }
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "order keys out of order"
        );
        let item = &sample[sample.find("\"items\"").unwrap()..];
        let mut positions = Vec::new();
        for key in ITEM_KEYS {
            positions.push(item.find(&format!("\"{key}\":")).unwrap());
        }
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "item keys out of order"
        );
    }
}
