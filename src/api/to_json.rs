//! The API's values as JSON text (`crate::json`): request bodies as they are sent, and
//! what the builders and decoders hand to JS. Native tests compare each with serde's
//! text ([`tests`]); the serde derives stay the Rust API, and the proxy's writer.

use super::body::{
    AgainPayment, BillingKey, Body, Buyer, CancelPayment, CardWire, ChargeExtras, DirectExtras,
    OnetimePayment, ScheduleEntry, SchedulePayments, Unschedule,
};
use super::model::{Customer, Payment, Schedule};
use super::outcome::{ApiError, Outcome, OutcomeStatus, SchedulePage};
use super::request::{Method, Query, Request, Secret};
use super::value::Value;
use crate::json::{Members, Object, ToJson};
use crate::prelude::*;

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null | Value::Unsupported => out.push_str("null"),
            Value::Bool(b) => b.write_json(out),
            // An integer below 2^53 exactly, as `as_i64` reads it; other numbers as JS.
            Value::Number(n) => n.write_json(out),
            Value::String(s) => s.write_json(out),
            Value::Array(a) => a.write_json(out),
            Value::Object(o) => fields(o, out),
        }
    }
}

/// An object's fields as received (after masking), unknown ones included.
fn fields(o: &[(String, Value)], out: &mut String) {
    let mut obj = Object::new(out);
    for (k, v) in o {
        obj.entry(k, v);
    }
    obj.end();
}

impl ToJson for Payment {
    fn write_json(&self, out: &mut String) {
        fields(&self.fields, out);
    }
}

impl ToJson for Customer {
    fn write_json(&self, out: &mut String) {
        fields(&self.fields, out);
    }
}

impl ToJson for Schedule {
    fn write_json(&self, out: &mut String) {
        fields(&self.fields, out);
    }
}

impl ToJson for OutcomeStatus {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl Members for Outcome {
    fn members(&self, o: &mut Object<'_>) {
        o.member("status", &self.status)
            .member("httpStatus", &self.http_status)
            .member("payment", &self.payment)
            .member("failReason", &self.fail_reason)
            .member("iamportCode", &self.iamport_code)
            .member("message", &self.message)
            .member("errorCode", &self.error_code)
            .member("amountMismatch", &self.amount_mismatch);
    }
}

impl ToJson for Outcome {
    fn write_json(&self, out: &mut String) {
        Object::new(out).flatten(self).end();
    }
}

impl ToJson for ApiError {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("httpStatus", &self.http_status)
            .member("iamportCode", &self.iamport_code)
            .member("message", &self.message)
            .member("errorCode", &self.error_code)
            .end();
    }
}

impl ToJson for SchedulePage {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("list", &self.list)
            .member("total", &self.total)
            .member("previous", &self.previous)
            .member("next", &self.next)
            .end();
    }
}

impl ToJson for Method {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out);
    }
}

impl ToJson for Query {
    /// An object whose repeated keys (`customer_uid[]`) hold arrays, in first-seen
    /// order: what serde writes from [`Query::grouped`], without building the groups.
    fn write_json(&self, out: &mut String) {
        /// The values of every pair from here on with this key, as an array.
        struct Values<'a>(&'a [(String, String)], &'a str);
        impl ToJson for Values<'_> {
            fn write_json(&self, out: &mut String) {
                out.push('[');
                let mut first = true;
                for (_, v) in self.0.iter().filter(|(k, _)| k == self.1) {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    v.write_json(out);
                }
                out.push(']');
            }
        }
        let mut obj = Object::new(out);
        for (i, (key, value)) in self.0.iter().enumerate() {
            let (seen, rest) = (self.0.get(..i), self.0.get(i..));
            if seen.unwrap_or_default().iter().any(|(k, _)| k == key) {
                continue;
            }
            if key.as_bytes().ends_with(b"[]") {
                obj.entry(key, &Values(rest.unwrap_or_default(), key));
            } else {
                obj.entry(key, value);
            }
        }
        obj.end();
    }
}

impl ToJson for Request {
    fn write_json(&self, out: &mut String) {
        let mut o = Object::new(out);
        o.member("method", &self.method).member("path", &self.path);
        if !self.query.is_empty() {
            o.member("query", &self.query);
        }
        o.member("body", &self.body).end();
    }
}

impl ToJson for Secret {
    fn write_json(&self, out: &mut String) {
        self.0.write_json(out);
    }
}

impl Members for CardWire {
    fn members(&self, o: &mut Object<'_>) {
        o.member("card_number", &self.card_number)
            .member("expiry", &self.expiry)
            .some("birth", &self.birth)
            .some("pwd_2digit", &self.pwd_2digit);
    }
}

impl Members for Buyer {
    fn members(&self, o: &mut Object<'_>) {
        o.some("buyer_name", &self.buyer_name)
            .some("buyer_email", &self.buyer_email)
            .some("buyer_tel", &self.buyer_tel)
            .some("buyer_addr", &self.buyer_addr)
            .some("buyer_postcode", &self.buyer_postcode);
    }
}

impl Members for ChargeExtras {
    fn members(&self, o: &mut Object<'_>) {
        o.some("name", &self.name)
            .some("tax_free", &self.tax_free)
            .flatten(&self.buyer)
            .some("card_quota", &self.card_quota)
            .some("custom_data", &self.custom_data)
            .some("notice_url", &self.notice_url);
    }
}

impl Members for DirectExtras {
    fn members(&self, o: &mut Object<'_>) {
        o.some("browser_ip", &self.browser_ip)
            .some("product_type", &self.product_type)
            .some("vat_amount", &self.vat_amount)
            .some("interest_free_by_merchant", &self.interest_free_by_merchant)
            .some("use_card_point", &self.use_card_point);
    }
}

impl Members for OnetimePayment {
    fn members(&self, o: &mut Object<'_>) {
        o.flatten(&self.card)
            .member("merchant_uid", &self.merchant_uid)
            .member("amount", &self.amount)
            .some("customer_uid", &self.customer_uid)
            .some("pg", &self.pg)
            .flatten(&self.extras)
            .flatten(&self.direct);
    }
}

impl Members for BillingKey {
    fn members(&self, o: &mut Object<'_>) {
        o.flatten(&self.card)
            .some("pg", &self.pg)
            .some("channel_key", &self.channel_key)
            .some("customer_name", &self.customer_name)
            .some("customer_tel", &self.customer_tel)
            .some("customer_email", &self.customer_email)
            .some("customer_addr", &self.customer_addr)
            .some("customer_postcode", &self.customer_postcode)
            .some("customer_id", &self.customer_id);
    }
}

impl Members for AgainPayment {
    fn members(&self, o: &mut Object<'_>) {
        o.member("customer_uid", &self.customer_uid)
            .member("merchant_uid", &self.merchant_uid)
            .member("amount", &self.amount)
            .flatten(&self.extras)
            .flatten(&self.direct)
            .some("channel_key", &self.channel_key);
    }
}

impl ToJson for ScheduleEntry {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .member("merchant_uid", &self.merchant_uid)
            .member("schedule_at", &self.schedule_at)
            .member("amount", &self.amount)
            .some("currency", &self.currency)
            .flatten(&self.extras)
            .end();
    }
}

impl Members for SchedulePayments {
    fn members(&self, o: &mut Object<'_>) {
        o.member("customer_uid", &self.customer_uid);
        if let Some(card) = &self.card {
            o.flatten(card);
        }
        o.some("pg", &self.pg)
            .some("checking_amount", &self.checking_amount)
            .member("schedules", &self.schedules);
    }
}

impl Members for Unschedule {
    fn members(&self, o: &mut Object<'_>) {
        o.some("customer_uid", &self.customer_uid)
            .some("merchant_uid", &self.merchant_uid);
    }
}

impl Members for CancelPayment {
    fn members(&self, o: &mut Object<'_>) {
        o.some("imp_uid", &self.imp_uid)
            .some("merchant_uid", &self.merchant_uid)
            .some("amount", &self.amount)
            .some("tax_free", &self.tax_free)
            .some("vat_amount", &self.vat_amount)
            .some("checksum", &self.checksum)
            .member("reason", &self.reason);
    }
}

impl ToJson for Body {
    fn write_json(&self, out: &mut String) {
        let body: &dyn Members = match self {
            Body::OnetimePayment(b) => b,
            Body::BillingKey(b) => b,
            Body::AgainPayment(b) => b,
            Body::SchedulePayments(b) => b,
            Body::Unschedule(b) => b,
            Body::CancelPayment(b) => b,
        };
        Object::new(out).flatten(body).end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::value::test_json::from_json;
    use crate::json::tests::assert_same;

    #[test]
    fn values_write_what_serde_writes() {
        let json = serde_json::json!({
            "a": [1, -2, 1.5, 1e300, -0.0, null, true, false, "x\"\u{2028}"],
            "b": {"nested": {"k": []}, "": {}},
            "a2": 9_007_199_254_740_993u64,
            "quote\"key": "\n"
        });
        let v = from_json(&json);
        assert_same(&v);
        assert_same(&Value::Unsupported);
        assert_same(&Value::Object(vec![
            ("k".into(), Value::Number(1.0)),
            ("k".into(), Value::Number(2.0)),
        ]));
        for status in [
            OutcomeStatus::Paid,
            OutcomeStatus::Failed,
            OutcomeStatus::Ready,
            OutcomeStatus::Cancelled,
            OutcomeStatus::Rejected,
            OutcomeStatus::Unknown,
        ] {
            assert_same(&status);
        }
        for m in [Method::Get, Method::Post, Method::Delete] {
            assert_same(&m);
        }
        assert_same(&Query(vec![
            ("customer_uid[]".into(), "a".into()),
            ("page".into(), "1".into()),
            ("customer_uid[]".into(), "b&c".into()),
            ("page".into(), "2".into()),
        ]));
        assert_same(&Query(Vec::new()));
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    /// Every body with every optional field present, so that the members' order is
    /// compared too (the builders' tests leave most of them out).
    #[test]
    fn full_bodies_write_what_serde_writes() {
        let card = CardWire {
            card_number: Secret("4111-1111-1111-1111".into()),
            expiry: "2030-12".into(),
            birth: Some(Secret("900101".into())),
            pwd_2digit: Some(Secret("12".into())),
        };
        let extras = ChargeExtras {
            name: some("n"),
            tax_free: Some(1),
            buyer: Buyer {
                buyer_name: some("b"),
                buyer_email: some("e@x"),
                buyer_tel: some("010"),
                buyer_addr: some("a"),
                buyer_postcode: some("p"),
            },
            card_quota: Some(3),
            custom_data: some("{\"k\":1}"),
            notice_url: some("https://x/h"),
        };
        let direct = DirectExtras {
            browser_ip: some("127.0.0.1"),
            product_type: some("real"),
            vat_amount: Some(2),
            interest_free_by_merchant: Some(true),
            use_card_point: Some(false),
        };
        let entry = ScheduleEntry {
            merchant_uid: "s1".into(),
            schedule_at: 1_800_000_000,
            amount: 1000,
            currency: some("KRW"),
            extras: extras.clone(),
        };
        let bodies = [
            Body::OnetimePayment(OnetimePayment {
                card: card.clone(),
                merchant_uid: "m".into(),
                amount: 1000,
                customer_uid: some("c"),
                pg: some("kcp.A"),
                extras: extras.clone(),
                direct: direct.clone(),
            }),
            Body::BillingKey(BillingKey {
                card: card.clone(),
                pg: some("kcp"),
                channel_key: some("ch"),
                customer_name: some("n"),
                customer_tel: some("t"),
                customer_email: some("e"),
                customer_addr: some("a"),
                customer_postcode: some("p"),
                customer_id: some("i"),
            }),
            Body::AgainPayment(AgainPayment {
                customer_uid: "c".into(),
                merchant_uid: "m".into(),
                amount: 1000,
                extras: extras.clone(),
                direct,
                channel_key: some("ch"),
            }),
            Body::SchedulePayments(SchedulePayments {
                customer_uid: "c".into(),
                card: Some(card),
                pg: some("kcp"),
                checking_amount: Some(100),
                schedules: vec![entry.clone(), entry.clone()],
            }),
            Body::SchedulePayments(SchedulePayments {
                customer_uid: "c".into(),
                card: None,
                pg: None,
                checking_amount: None,
                schedules: vec![entry],
            }),
            Body::Unschedule(Unschedule {
                customer_uid: some("c"),
                merchant_uid: Some(vec!["a".into(), "b".into()]),
            }),
            Body::CancelPayment(CancelPayment {
                imp_uid: some("imp"),
                merchant_uid: some("m"),
                amount: Some(1),
                tax_free: Some(2),
                vat_amount: Some(3),
                checksum: Some(4),
                reason: "r".into(),
            }),
        ];
        for body in bodies {
            assert_same(&body);
            assert_same(&Request {
                method: Method::Post,
                path: "/p".into(),
                query: Query(vec![("k".into(), "v".into())]),
                body: Some(body),
            });
        }
    }
}
