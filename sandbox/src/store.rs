//! The sandbox's in-memory state and the behaviour of every endpoint, as plain
//! functions from validated requests to replies (no HTTP here).
//!
//! Only masked card numbers are ever stored.

use std::collections::BTreeMap;

use iamport_keyin::api::body::{
    AgainPayment, BillingKey, CardWire, ChargeExtras, OnetimePayment, SchedulePayments, Unschedule,
};
use iamport_keyin::card::number::{check_card_number, Brand};
use iamport_keyin::Locale;
use serde_json::{json, Map, Value as Json};

use crate::cards::Behaviour;

/// What the HTTP layer does after computing a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Answer normally.
    Answer,
    /// Wait this long, then answer.
    Delay(u64),
    /// Close the connection without answering.
    Drop,
}

/// A reply: HTTP status, JSON body, and what to do with it.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The body (an Iamport envelope, or HTML for a 504).
    pub body: Json,
    /// Answer, delay or drop.
    pub after: After,
}

/// An Iamport envelope.
pub fn envelope(code: i64, message: Option<&str>, response: Json) -> Json {
    json!({ "code": code, "message": message, "response": response })
}

impl Reply {
    /// HTTP 200 with `code 0`.
    pub fn ok(response: Json) -> Reply {
        Reply {
            status: 200,
            body: envelope(0, None, response),
            after: After::Answer,
        }
    }

    /// An HTTP status with a `code`/`message` envelope and no response.
    pub fn error(status: u16, code: i64, message: &str) -> Reply {
        Reply {
            status,
            body: envelope(code, Some(message), Json::Null),
            after: After::Answer,
        }
    }
}

/// A stored billing key: Iamport's Customer JSON plus the card's behaviour.
#[derive(Debug, Clone)]
struct CustomerRec {
    json: Map<String, Json>,
    behaviour: Behaviour,
    card: CardInfo,
}

/// What the sandbox keeps of a card: never the full number.
#[derive(Debug, Clone)]
struct CardInfo {
    masked: String,
    brand: Option<Brand>,
    business: bool,
}

impl CardInfo {
    fn of(card: &CardWire) -> CardInfo {
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

/// A scheduled charge.
#[derive(Debug, Clone)]
struct ScheduleRec {
    json: Map<String, Json>,
}

/// Everything the sandbox remembers.
#[derive(Debug, Default)]
pub struct Store {
    customers: BTreeMap<String, CustomerRec>,
    payments: Vec<Map<String, Json>>,
    schedules: Vec<ScheduleRec>,
    seq: u64,
    /// Look-ups seen per pending ("ready") payment, by imp_uid.
    ready_polls: BTreeMap<String, u32>,
}

fn field(m: &Map<String, Json>, k: &str) -> Json {
    m.get(k).cloned().unwrap_or(Json::Null)
}

fn put_extras(m: &mut Map<String, Json>, e: &ChargeExtras) {
    m.insert("name".into(), json!(e.name));
    m.insert("buyer_name".into(), json!(e.buyer.buyer_name));
    m.insert("buyer_email".into(), json!(e.buyer.buyer_email));
    m.insert("buyer_tel".into(), json!(e.buyer.buyer_tel));
    m.insert("buyer_addr".into(), json!(e.buyer.buyer_addr));
    m.insert("buyer_postcode".into(), json!(e.buyer.buyer_postcode));
    m.insert("card_quota".into(), json!(e.card_quota.unwrap_or(0)));
    m.insert("custom_data".into(), json!(e.custom_data));
}

/// One charge to make.
struct Charge<'a> {
    merchant_uid: &'a str,
    amount: u64,
    extras: &'a ChargeExtras,
    customer_uid: Option<&'a str>,
    usage: Option<&'static str>,
}

impl Store {
    fn next_uid(&mut self, prefix: &str) -> String {
        self.seq += 1;
        format!("{prefix}_{:012}", self.seq)
    }

    /// The newest payment with this merchant_uid (and status, if given).
    fn find(&self, merchant_uid: &str, status: Option<&str>) -> Option<&Map<String, Json>> {
        self.payments.iter().rev().find(|p| {
            p.get("merchant_uid").and_then(Json::as_str) == Some(merchant_uid)
                && status.is_none_or(|s| p.get("status").and_then(Json::as_str) == Some(s))
        })
    }

    fn already_paid(&self, merchant_uid: &str) -> bool {
        self.find(merchant_uid, Some("paid")).is_some()
    }

    /// Makes a charge with a card's behaviour and records the payment; returns
    /// the reply and the recorded payment (none for a `code -1` refusal).
    fn charge(
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
            Behaviour::ReadyThenPaid => {
                p.insert("status".into(), json!("ready"));
                p.insert("fail_reason".into(), Json::Null);
                p.insert("paid_at".into(), json!(0));
                p.insert("failed_at".into(), json!(0));
                self.ready_polls.insert(imp_uid.clone(), 0);
                Reply::ok(Json::Object(p.clone()))
            }
            Behaviour::Approve
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

    fn save_customer(
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

    /// `POST /subscribe/payments/onetime`.
    pub fn onetime(&mut self, b: &OnetimePayment, now: i64, slow_ms: u64) -> Reply {
        if self.already_paid(&b.merchant_uid) {
            return Reply::error(200, 1, "이미 결제가 완료된 merchant_uid 입니다.");
        }
        let behaviour = Behaviour::of(&b.card.card_number.0);
        let info = CardInfo::of(&b.card);
        let charge = Charge {
            merchant_uid: &b.merchant_uid,
            amount: b.amount,
            extras: &b.extras,
            customer_uid: b.customer_uid.as_deref(),
            usage: b.customer_uid.as_ref().map(|_| "issue"),
        };
        let (reply, payment) = self.charge(charge, &info, behaviour, now, slow_ms);
        // The billing key is stored only if the payment succeeded.
        let paid = payment.is_some_and(|p| p.get("status") == Some(&json!("paid")));
        if let (Some(uid), true) = (&b.customer_uid, paid) {
            self.save_customer(uid, &b.card, None, b.pg.as_deref(), now);
        }
        reply
    }

    /// `POST /subscribe/customers/{customer_uid}`.
    pub fn billing_key(&mut self, uid: &str, b: &BillingKey, now: i64) -> Reply {
        if Behaviour::of(&b.card.card_number.0) == Behaviour::DeclineAuth {
            return Reply::error(200, -1, "카드정보 인증에 실패하였습니다.");
        }
        Reply::ok(self.save_customer(uid, &b.card, Some(b), b.pg.as_deref(), now))
    }

    /// `GET /subscribe/customers/{customer_uid}`.
    pub fn get_customer(&self, uid: &str) -> Reply {
        match self.customers.get(uid) {
            Some(c) => Reply::ok(Json::Object(c.json.clone())),
            None => Reply::error(404, 1, "등록된 고객정보가 없습니다."),
        }
    }

    /// `DELETE /subscribe/customers/{customer_uid}`.
    pub fn delete_customer(&mut self, uid: &str) -> Reply {
        match self.customers.remove(uid) {
            Some(c) => Reply::ok(Json::Object(c.json)),
            None => Reply::error(404, 1, "등록된 고객정보가 없습니다."),
        }
    }

    /// `GET /subscribe/customers?customer_uid[]=…`: 207 when some are missing.
    pub fn get_customers(&self, uids: &[String]) -> Reply {
        let found: Vec<Json> = uids
            .iter()
            .filter_map(|u| self.customers.get(u))
            .map(|c| Json::Object(c.json.clone()))
            .collect();
        if found.is_empty() {
            return Reply::error(404, 1, "등록된 고객정보가 없습니다.");
        }
        let mut r = Reply::ok(Json::Array(found.clone()));
        if found.len() < uids.len() {
            r.status = 207;
        }
        r
    }

    /// `POST /subscribe/payments/again`.
    pub fn again(&mut self, b: &AgainPayment, now: i64, slow_ms: u64) -> Reply {
        let Some(customer) = self.customers.get(&b.customer_uid).cloned() else {
            return Reply::error(200, 1, "등록된 고객정보가 없습니다.");
        };
        if self.already_paid(&b.merchant_uid) {
            return Reply::error(200, 1, "이미 결제가 완료된 merchant_uid 입니다.");
        }
        let charge = Charge {
            merchant_uid: &b.merchant_uid,
            amount: b.amount,
            extras: &b.extras,
            customer_uid: Some(&b.customer_uid),
            usage: Some("payment"),
        };
        self.charge(charge, &customer.card, customer.behaviour, now, slow_ms)
            .0
    }

    /// `POST /subscribe/payments/schedule`.
    pub fn schedule(&mut self, b: &SchedulePayments, now: i64) -> Reply {
        if let Some(card) = &b.card {
            if Behaviour::of(&card.card_number.0) == Behaviour::DeclineAuth {
                return Reply::error(200, -1, "카드정보 인증에 실패하였습니다.");
            }
            self.save_customer(&b.customer_uid, card, None, b.pg.as_deref(), now);
        } else if !self.customers.contains_key(&b.customer_uid) {
            return Reply::error(200, 1, "등록된 고객정보가 없습니다.");
        }
        for s in &b.schedules {
            let taken = self.already_paid(&s.merchant_uid)
                || self.schedules.iter().any(|r| {
                    field(&r.json, "merchant_uid") == json!(s.merchant_uid)
                        && field(&r.json, "schedule_status") == json!("scheduled")
                });
            if taken {
                return Reply::error(200, 1, "이미 예약되었거나 결제된 merchant_uid 입니다.");
            }
        }
        let mut out = Vec::new();
        for s in &b.schedules {
            let mut m = Map::new();
            m.insert("customer_uid".into(), json!(b.customer_uid));
            m.insert("merchant_uid".into(), json!(s.merchant_uid));
            m.insert("imp_uid".into(), Json::Null);
            m.insert("schedule_at".into(), json!(s.schedule_at));
            m.insert("executed_at".into(), json!(0));
            m.insert("revoked_at".into(), json!(0));
            m.insert("amount".into(), json!(s.amount));
            put_extras(&mut m, &s.extras);
            m.insert("schedule_status".into(), json!("scheduled"));
            m.insert("payment_status".into(), Json::Null);
            m.insert("fail_reason".into(), Json::Null);
            out.push(Json::Object(m.clone()));
            self.schedules.push(ScheduleRec { json: m });
        }
        Reply::ok(Json::Array(out))
    }

    /// `POST /subscribe/payments/unschedule`: `code 1` when nothing matched.
    pub fn unschedule(&mut self, b: &Unschedule, now: i64) -> Reply {
        let mut out = Vec::new();
        for r in &mut self.schedules {
            let by_customer = b
                .customer_uid
                .as_ref()
                .is_none_or(|c| field(&r.json, "customer_uid") == json!(c));
            let by_uid = b.merchant_uid.as_ref().is_none_or(|uids| {
                uids.iter()
                    .any(|u| field(&r.json, "merchant_uid") == json!(u))
            });
            if by_customer && by_uid && field(&r.json, "schedule_status") == json!("scheduled") {
                r.json.insert("schedule_status".into(), json!("revoked"));
                r.json.insert("revoked_at".into(), json!(now));
                out.push(Json::Object(r.json.clone()));
            }
        }
        if out.is_empty() {
            return Reply::error(200, 1, "취소할 예약결제 기록이 존재하지 않습니다.");
        }
        Reply::ok(Json::Array(out))
    }

    /// `GET /subscribe/payments/schedule/{merchant_uid}`.
    pub fn get_schedule(&self, merchant_uid: &str) -> Reply {
        match self
            .schedules
            .iter()
            .rev()
            .find(|r| field(&r.json, "merchant_uid") == json!(merchant_uid))
        {
            Some(r) => Reply::ok(Json::Object(r.json.clone())),
            None => Reply::error(404, 1, "예약결제 정보가 존재하지 않습니다."),
        }
    }

    /// `GET /subscribe/payments/schedule/customers/{customer_uid}`: a page of 20.
    pub fn schedules_by_customer(
        &self,
        uid: &str,
        from: i64,
        to: i64,
        status: Option<&str>,
        page: i64,
    ) -> Reply {
        let all: Vec<Json> = self
            .schedules
            .iter()
            .filter(|r| field(&r.json, "customer_uid") == json!(uid))
            .filter(|r| {
                field(&r.json, "schedule_at")
                    .as_i64()
                    .is_some_and(|at| (from..=to).contains(&at))
            })
            .filter(|r| status.is_none_or(|s| field(&r.json, "schedule_status") == json!(s)))
            .map(|r| Json::Object(r.json.clone()))
            .collect();
        Reply::ok(page_of(all, page))
    }

    /// `GET /payments/find/{merchant_uid}[/{status}]`. A pending (`ready`) test
    /// payment settles as paid on its 2nd look-up.
    pub fn find_payment(&mut self, merchant_uid: &str, status: Option<&str>, now: i64) -> Reply {
        let pending = self
            .find(merchant_uid, None)
            .filter(|p| p.get("status") == Some(&json!("ready")))
            .and_then(|p| p.get("imp_uid"))
            .and_then(Json::as_str)
            .map(str::to_owned);
        if let Some(imp_uid) = pending {
            let polls = self.ready_polls.entry(imp_uid.clone()).or_insert(0);
            *polls += 1;
            if *polls >= 2 {
                if let Some(p) = self
                    .payments
                    .iter_mut()
                    .find(|p| p.get("imp_uid").and_then(Json::as_str) == Some(imp_uid.as_str()))
                {
                    p.insert("status".into(), json!("paid"));
                    p.insert("paid_at".into(), json!(now));
                }
            }
        }
        match self.find(merchant_uid, status) {
            Some(p) => Reply::ok(Json::Object(p.clone())),
            None => Reply::error(404, 1, "존재하지 않는 결제정보입니다."),
        }
    }

    /// `GET /payments/findAll/{merchant_uid}`: every attempt, newest first.
    pub fn find_all(&self, merchant_uid: &str, page: i64) -> Reply {
        let all: Vec<Json> = self
            .payments
            .iter()
            .rev()
            .filter(|p| p.get("merchant_uid").and_then(Json::as_str) == Some(merchant_uid))
            .map(|p| Json::Object(p.clone()))
            .collect();
        if all.is_empty() {
            return Reply::error(404, 1, "존재하지 않는 결제정보입니다.");
        }
        Reply::ok(page_of(all, page))
    }

    /// Executes every schedule due at `now` (the sandbox clock), with the stored card.
    pub fn run_due_schedules(&mut self, now: i64) -> Vec<Json> {
        let due: Vec<usize> = (0..self.schedules.len())
            .filter(|&i| {
                let r = &self.schedules[i].json;
                field(r, "schedule_status") == json!("scheduled")
                    && field(r, "schedule_at").as_i64().is_some_and(|at| at <= now)
            })
            .collect();
        let mut executed = Vec::new();
        for i in due {
            let r = self.schedules[i].json.clone();
            let customer_uid = field(&r, "customer_uid")
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let merchant_uid = field(&r, "merchant_uid")
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let amount = field(&r, "amount").as_u64().unwrap_or(0);
            let extras = ChargeExtras {
                name: field(&r, "name").as_str().map(str::to_owned),
                custom_data: field(&r, "custom_data").as_str().map(str::to_owned),
                ..ChargeExtras::default()
            };
            let (status, imp_uid, fail_reason) = match self.customers.get(&customer_uid).cloned() {
                None => ("failed", Json::Null, json!("등록된 고객정보가 없습니다.")),
                Some(c) => {
                    // Server-side runs have no connection to drop or time out, and settle at once.
                    let behaviour = match c.behaviour {
                        Behaviour::Slow
                        | Behaviour::CommitThenDrop
                        | Behaviour::CommitThen504
                        | Behaviour::ReadyThenPaid => Behaviour::Approve,
                        b => b,
                    };
                    let charge = Charge {
                        merchant_uid: &merchant_uid,
                        amount,
                        extras: &extras,
                        customer_uid: Some(&customer_uid),
                        usage: Some("payment.scheduled"),
                    };
                    match self.charge(charge, &c.card, behaviour, now, 0) {
                        (_, Some(p)) => (
                            if p.get("status") == Some(&json!("paid")) {
                                "paid"
                            } else {
                                "failed"
                            },
                            field(&p, "imp_uid"),
                            field(&p, "fail_reason"),
                        ),
                        (reply, None) => ("failed", Json::Null, reply.body["message"].clone()),
                    }
                }
            };
            let rec = &mut self.schedules[i].json;
            rec.insert("schedule_status".into(), json!("executed"));
            rec.insert("executed_at".into(), json!(now));
            rec.insert("payment_status".into(), json!(status));
            rec.insert("imp_uid".into(), imp_uid);
            rec.insert("fail_reason".into(), fail_reason);
            executed.push(Json::Object(rec.clone()));
        }
        executed
    }

    /// How many payments were recorded for a merchant_uid (for tests' "exactly one").
    pub fn payment_count(&self, merchant_uid: &str) -> usize {
        self.payments
            .iter()
            .filter(|p| p.get("merchant_uid").and_then(Json::as_str) == Some(merchant_uid))
            .count()
    }
}

fn page_of(all: Vec<Json>, page: i64) -> Json {
    const PER_PAGE: usize = 20;
    let total = all.len();
    let page = page.max(1) as usize;
    let list: Vec<Json> = all
        .into_iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let next = if page * PER_PAGE < total { page + 1 } else { 0 };
    json!({ "total": total, "previous": page - 1, "next": next, "list": list })
}
