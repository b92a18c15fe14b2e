//! The sandbox's in-memory state and the behaviour of every endpoint, as plain
//! functions from validated requests to replies (no HTTP here).
//!
//! Only masked card numbers are ever stored.

mod charge;
mod refund;
mod schedule;

use std::collections::{BTreeMap, BTreeSet};

use iamport_keyin::api::body::{AgainPayment, BillingKey, OnetimePayment};
use serde_json::{json, Map, Value as Json};

use crate::cards::Behaviour;
use charge::{CardInfo, Charge, CustomerRec};
use schedule::ScheduleRec;

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

/// A webhook to send (Iamport V1's notification): what happened to a payment,
/// and the request's `notice_url`, if it gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The request's `notice_url` (else the sandbox's `--webhook-url` applies).
    pub notice_url: Option<String>,
    /// The payment.
    pub imp_uid: String,
    /// Its order id.
    pub merchant_uid: String,
    /// `paid` or `failed`.
    pub status: String,
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
    /// Webhooks owed, taken by the HTTP layer after each call ([`Store::take_notices`]).
    notices: Vec<Notice>,
    /// merchant_uids whose scheduled execution is to decline (`decline_schedule`).
    decline_schedules: BTreeSet<String>,
}

fn field(m: &Map<String, Json>, k: &str) -> Json {
    m.get(k).cloned().unwrap_or(Json::Null)
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

    /// The webhooks owed since the last call, oldest first.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// Owes a webhook for a recorded payment (none for a payment without an imp_uid).
    fn notify(&mut self, payment: &Map<String, Json>, notice_url: Option<&str>) {
        let text = |k: &str| payment.get(k).and_then(Json::as_str).map(str::to_owned);
        if let (Some(imp_uid), Some(merchant_uid), Some(status)) =
            (text("imp_uid"), text("merchant_uid"), text("status"))
        {
            self.notices.push(Notice {
                notice_url: notice_url.map(str::to_owned),
                imp_uid,
                merchant_uid,
                status,
            });
        }
    }

    /// Owes a webhook for a charge made now, if it was paid.
    fn notify_if_paid(&mut self, payment: Option<&Map<String, Json>>, notice_url: Option<&str>) {
        if let Some(p) = payment.filter(|p| p.get("status") == Some(&json!("paid"))) {
            self.notify(p, notice_url);
        }
    }

    /// Makes the scheduled execution of `merchant_uid` decline when it runs
    /// (once; `POST /__sandbox/faults {"decline_schedule": …}`).
    pub fn decline_schedule(&mut self, merchant_uid: &str) {
        self.decline_schedules.insert(merchant_uid.to_owned());
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
        self.notify_if_paid(payment.as_ref(), b.extras.notice_url.as_deref());
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
        let (reply, payment) =
            self.charge(charge, &customer.card, customer.behaviour, now, slow_ms);
        self.notify_if_paid(payment.as_ref(), b.extras.notice_url.as_deref());
        reply
    }

    /// `GET /payments/find/{merchant_uid}[/{status}]`. A pending (`ready`) test
    /// payment settles as paid on its 2nd look-up.
    pub fn find_payment(&mut self, merchant_uid: &str, status: Option<&str>, now: i64) -> Reply {
        let pending = self
            .find(merchant_uid, None)
            .and_then(|p| p.get("imp_uid"))
            .and_then(Json::as_str)
            .map(str::to_owned);
        if let Some(imp_uid) = pending {
            self.looked_up(&imp_uid, now);
        }
        match self.find(merchant_uid, status) {
            Some(p) => Reply::ok(Json::Object(p.clone())),
            None => Reply::error(404, 1, "존재하지 않는 결제정보입니다."),
        }
    }

    /// Counts a look-up of a payment: a pending (`ready`) one settles as paid
    /// on its 2nd.
    fn looked_up(&mut self, imp_uid: &str, now: i64) {
        let Some(p) = self
            .payments
            .iter_mut()
            .find(|p| p.get("imp_uid").and_then(Json::as_str) == Some(imp_uid))
        else {
            return;
        };
        if p.get("status") != Some(&json!("ready")) {
            return;
        }
        let polls = self.ready_polls.entry(imp_uid.to_owned()).or_insert(0);
        *polls += 1;
        if *polls >= 2 {
            p.insert("status".into(), json!("paid"));
            p.insert("paid_at".into(), json!(now));
        }
    }

    /// `GET /payments/findAll/{merchant_uid}[/{status}]`: every attempt (in
    /// that status, if given), newest first.
    pub fn find_all(&self, merchant_uid: &str, status: Option<&str>, page: i64) -> Reply {
        let all: Vec<Json> = self
            .payments
            .iter()
            .rev()
            .filter(|p| p.get("merchant_uid").and_then(Json::as_str) == Some(merchant_uid))
            .filter(|p| status.is_none_or(|s| p.get("status").and_then(Json::as_str) == Some(s)))
            .map(|p| Json::Object(p.clone()))
            .collect();
        if all.is_empty() {
            return Reply::error(404, 1, "존재하지 않는 결제정보입니다.");
        }
        Reply::ok(page_of(all, page))
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
