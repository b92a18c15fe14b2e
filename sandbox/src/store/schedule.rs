//! Scheduled charges: booking, revoking, look-ups and runs on the sandbox clock.

use iamport_keyin::api::body::{ChargeExtras, SchedulePayments, Unschedule};
use serde_json::{json, Map, Value as Json};

use super::charge::{put_extras, Charge, SCHEDULED};
use super::{field, page_of, Reply, Store};
use crate::cards::Behaviour;

/// A scheduled charge.
#[derive(Debug, Clone)]
pub(super) struct ScheduleRec {
    pub(super) json: Map<String, Json>,
    /// Where its execution's webhook goes (not part of Iamport's schedule JSON).
    pub(super) notice_url: Option<String>,
}

impl Store {
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
            self.schedules.push(ScheduleRec {
                json: m,
                notice_url: s.extras.notice_url.clone(),
            });
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

    /// Executes every schedule due at `now` (the sandbox clock), with the stored
    /// card, and owes a webhook for each payment made (paid or failed). A
    /// schedule armed with [`Store::decline_schedule`], or a
    /// [`Behaviour::ScheduledDecline`] card, declines.
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
            let armed_decline = self.decline_schedules.remove(&merchant_uid);
            let (status, imp_uid, fail_reason) = match self.customers.get(&customer_uid).cloned() {
                None => ("failed", Json::Null, json!("등록된 고객정보가 없습니다.")),
                Some(c) => {
                    // Server-side runs have no connection to drop or time out, and settle at once.
                    let behaviour = match c.behaviour {
                        _ if armed_decline => Behaviour::ScheduledDecline,
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
                        usage: Some(SCHEDULED),
                    };
                    let notice_url = self.schedules[i].notice_url.clone();
                    match self.charge(charge, &c.card, behaviour, now, 0) {
                        (_, Some(p)) => {
                            self.notify(&p, notice_url.as_deref());
                            (
                                if p.get("status") == Some(&json!("paid")) {
                                    "paid"
                                } else {
                                    "failed"
                                },
                                field(&p, "imp_uid"),
                                field(&p, "fail_reason"),
                            )
                        }
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
}
