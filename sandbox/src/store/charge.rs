//! Charging a card with its test behaviour, and storing billing keys.

use iamport_keyin::api::body::{BillingKey, CardWire, ChargeExtras};
use iamport_keyin::card::number::{check_card_number, Brand};
use iamport_keyin::Locale;
use serde_json::{json, Map, Value as Json};

use super::{field, After, Reply, Store};
use crate::cards::Behaviour;

/// A stored billing key: Iamport's Customer JSON plus the card's behaviour.
#[derive(Debug, Clone)]
pub(super) struct CustomerRec {
    pub(super) json: Map<String, Json>,
    pub(super) behaviour: Behaviour,
    pub(super) card: CardInfo,
}

/// What the sandbox keeps of a card: never the full number.
#[derive(Debug, Clone)]
pub(super) struct CardInfo {
    masked: String,
    brand: Option<Brand>,
    business: bool,
}

impl CardInfo {
    pub(super) fn of(card: &CardWire) -> CardInfo {
        let c = check_card_number(&card.card_number.0, Locale::En);
        CardInfo {
            masked: c.masked.replace('-', ""),
            brand: c.brand,
            business: card.birth.as_ref().is_some_and(|b| b.0.len() == 10),
        }
    }

    fn name(&self) -> (&'static str, &'static str) {
        match self.brand {
            Some(Brand::Visa) => ("VISA", "VIS"),
            Some(Brand::Mastercard) => ("마스터카드", "MAS"),
            Some(Brand::Amex) => ("AMEX", "AMX"),
            Some(Brand::Jcb) => ("JCB", "JCB"),
            Some(Brand::Unionpay) => ("은련카드", "CUP"),
            Some(Brand::Diners) => ("다이너스", "DIN"),
            Some(Brand::Discover) => ("디스커버", "DIS"),
            Some(Brand::Domestic) | None => ("BC카드", "361"),
        }
    }
}

pub(super) fn put_extras(m: &mut Map<String, Json>, e: &ChargeExtras) {
    m.insert("name".into(), json!(e.name));
    m.insert("buyer_name".into(), json!(e.buyer.buyer_name));
    m.insert("buyer_email".into(), json!(e.buyer.buyer_email));
    m.insert("buyer_tel".into(), json!(e.buyer.buyer_tel));
    m.insert("buyer_addr".into(), json!(e.buyer.buyer_addr));
    m.insert("buyer_postcode".into(), json!(e.buyer.buyer_postcode));
    m.insert("card_quota".into(), json!(e.card_quota.unwrap_or(0)));
    m.insert("custom_data".into(), json!(e.custom_data));
}

/// `customer_uid_usage` of a scheduled execution.
pub(super) const SCHEDULED: &str = "payment.scheduled";

/// What a [`Behaviour::ScheduledDecline`] card's scheduled executions (and a
/// schedule armed with `decline_schedule`) fail with.
pub(super) const SCHEDULED_DECLINE_REASON: &str = "[5113] 잔액부족";

/// One charge to make.
pub(super) struct Charge<'a> {
    pub(super) merchant_uid: &'a str,
    pub(super) amount: u64,
    pub(super) extras: &'a ChargeExtras,
    pub(super) customer_uid: Option<&'a str>,
    pub(super) usage: Option<&'static str>,
}

impl Store {
    /// Makes a charge with a card's behaviour and records the payment; returns
    /// the reply and the recorded payment (none for a `code -1` refusal).
    pub(super) fn charge(
        &mut self,
        c: Charge<'_>,
        card: &CardInfo,
        behaviour: Behaviour,
        now: i64,
        slow_ms: u64,
    ) -> (Reply, Option<Map<String, Json>>) {
        let imp_uid = self.next_uid("imps");
        let (card_name, card_code) = card.name();
        let mut p = Map::new();
        p.insert("imp_uid".into(), json!(imp_uid));
        p.insert("merchant_uid".into(), json!(c.merchant_uid));
        p.insert("amount".into(), json!(c.amount));
        p.insert("cancel_amount".into(), json!(0));
        p.insert("currency".into(), json!("KRW"));
        p.insert("pay_method".into(), json!("card"));
        p.insert("channel".into(), json!("api"));
        p.insert("pg_provider".into(), json!("kcp"));
        p.insert("card_name".into(), json!(card_name));
        p.insert("card_code".into(), json!(card_code));
        p.insert("card_number".into(), json!(card.masked));
        p.insert("card_type".into(), json!(if card.business { 1 } else { 0 }));
        put_extras(&mut p, c.extras);
        p.insert("tax_free".into(), json!(c.extras.tax_free.unwrap_or(0)));
        p.insert("customer_uid".into(), json!(c.customer_uid));
        p.insert("customer_uid_usage".into(), json!(c.usage));
        p.insert("started_at".into(), json!(now));
        p.insert("cancelled_at".into(), json!(0));
        p.insert("cancel_reason".into(), Json::Null);
        p.insert("cancel_history".into(), json!([]));
        p.insert("cancel_receipt_urls".into(), json!([]));
        p.insert(
            "receipt_url".into(),
            json!(format!("https://sandbox.invalid/receipt/{imp_uid}")),
        );
        p.insert("sandbox".into(), json!(true));
        let declined = |p: &mut Map<String, Json>, reason: &str| {
            p.insert("status".into(), json!("failed"));
            p.insert("fail_reason".into(), json!(reason));
            p.insert("paid_at".into(), json!(0));
            p.insert("failed_at".into(), json!(now));
        };
        let reply = match behaviour {
            Behaviour::DeclineAuth => {
                return (
                    Reply::error(200, -1, "카드정보 인증에 실패하였습니다."),
                    None,
                )
            }
            Behaviour::DeclineLimit => {
                declined(&mut p, "[2116]개인 월 한도금액 초과");
                Reply::ok(Json::Object(p.clone()))
            }
            Behaviour::InsufficientFunds => {
                declined(&mut p, "[1001]잔액이 부족합니다.");
                Reply::ok(Json::Object(p.clone()))
            }
            Behaviour::PgError => {
                declined(&mut p, "PG사 내부 오류");
                Reply::error(500, -1, "PG사 통신 중 오류가 발생했습니다.")
            }
            Behaviour::ScheduledDecline if c.usage == Some(SCHEDULED) => {
                declined(&mut p, SCHEDULED_DECLINE_REASON);
                Reply::ok(Json::Object(p.clone()))
            }
            Behaviour::ReadyThenPaid => {
                p.insert("status".into(), json!("ready"));
                p.insert("fail_reason".into(), Json::Null);
                p.insert("paid_at".into(), json!(0));
                p.insert("failed_at".into(), json!(0));
                self.ready_polls.insert(imp_uid.clone(), 0);
                Reply::ok(Json::Object(p.clone()))
            }
            Behaviour::Approve
            | Behaviour::ScheduledDecline
            | Behaviour::Slow
            | Behaviour::CommitThenDrop
            | Behaviour::CommitThen504 => {
                p.insert("status".into(), json!("paid"));
                p.insert("fail_reason".into(), Json::Null);
                p.insert("paid_at".into(), json!(now));
                p.insert("failed_at".into(), json!(0));
                p.insert("apply_num".into(), json!(format!("{:08}", self.seq)));
                p.insert("pg_tid".into(), json!(format!("sandbox{}", self.seq)));
                let mut r = Reply::ok(Json::Object(p.clone()));
                match behaviour {
                    Behaviour::Slow => r.after = After::Delay(slow_ms),
                    Behaviour::CommitThenDrop => r.after = After::Drop,
                    Behaviour::CommitThen504 => {
                        r.status = 504;
                        r.body = json!("<html><body><h1>504 Gateway Time-out</h1></body></html>");
                    }
                    _ => {}
                }
                r
            }
        };
        self.payments.push(p.clone());
        (reply, Some(p))
    }

    pub(super) fn save_customer(
        &mut self,
        uid: &str,
        card: &CardWire,
        body: Option<&BillingKey>,
        pg: Option<&str>,
        now: i64,
    ) -> Json {
        let info = CardInfo::of(card);
        let (card_name, card_code) = info.name();
        let mut m = Map::new();
        m.insert("customer_uid".into(), json!(uid));
        m.insert("pg_provider".into(), json!("kcp"));
        m.insert(
            "pg_id".into(),
            json!(pg.and_then(|p| p.strip_prefix("kcp.")).unwrap_or("SANDBOX")),
        );
        m.insert("card_name".into(), json!(card_name));
        m.insert("card_code".into(), json!(card_code));
        m.insert("card_number".into(), json!(info.masked));
        m.insert("card_type".into(), json!(if info.business { 1 } else { 0 }));
        m.insert(
            "customer_name".into(),
            json!(body.and_then(|b| b.customer_name.clone())),
        );
        m.insert(
            "customer_tel".into(),
            json!(body.and_then(|b| b.customer_tel.clone())),
        );
        m.insert(
            "customer_email".into(),
            json!(body.and_then(|b| b.customer_email.clone())),
        );
        m.insert(
            "customer_addr".into(),
            json!(body.and_then(|b| b.customer_addr.clone())),
        );
        m.insert(
            "customer_postcode".into(),
            json!(body.and_then(|b| b.customer_postcode.clone())),
        );
        let inserted = self
            .customers
            .get(uid)
            .map_or(json!(now), |c| field(&c.json, "inserted"));
        m.insert("inserted".into(), inserted);
        m.insert("updated".into(), json!(now));
        m.insert("sandbox".into(), json!(true));
        let behaviour = Behaviour::of(&card.card_number.0);
        // Reusing a customer_uid replaces the mapping (Iamport does not revoke the old PG key).
        self.customers.insert(
            uid.to_owned(),
            CustomerRec {
                json: m.clone(),
                behaviour,
                card: info,
            },
        );
        Json::Object(m)
    }
}
