//! The look-up by Iamport's id and refunds (`POST /payments/cancel`), with
//! Iamport's balance rules: a refund never exceeds what is left, and one made
//! against a stale `checksum` is refused without changing anything.

use iamport_keyin::api::body::CancelPayment;
use serde_json::{json, Map, Value as Json};

use super::{field, Reply, Store};

/// Iamport's answer to a refund of a payment it cannot find.
const NOT_FOUND: &str = "취소할 결제건이 존재하지 않습니다.";

impl Store {
    /// The index of the payment with this imp_uid.
    fn by_imp_uid(&self, imp_uid: &str) -> Option<usize> {
        self.payments
            .iter()
            .position(|p| p.get("imp_uid").and_then(Json::as_str) == Some(imp_uid))
    }

    /// `GET /payments/{imp_uid}`. Counts as a look-up: a pending (`ready`) test
    /// payment settles as paid on its 2nd, as with `/payments/find`.
    pub fn get_payment(&mut self, imp_uid: &str, now: i64) -> Reply {
        self.looked_up(imp_uid, now);
        match self.by_imp_uid(imp_uid).and_then(|i| self.payments.get(i)) {
            Some(p) => Reply::ok(Json::Object(p.clone())),
            None => Reply::error(404, 1, "존재하지 않는 결제건입니다."),
        }
    }

    /// `POST /payments/cancel`: finds the payment by `imp_uid` when given, else
    /// the newest with `merchant_uid`; refunds `amount` (absent: everything
    /// left). Every refusal is HTTP 200 `code 1` and changes nothing.
    pub fn cancel(&mut self, b: &CancelPayment, now: i64) -> Reply {
        let index = match (&b.imp_uid, &b.merchant_uid) {
            (Some(imp_uid), _) => self.by_imp_uid(imp_uid),
            (None, Some(merchant_uid)) => self.payments.iter().rposition(|p| {
                p.get("merchant_uid").and_then(Json::as_str) == Some(merchant_uid.as_str())
            }),
            (None, None) => None,
        };
        let Some((index, p)) = index.and_then(|i| Some((i, self.payments.get(i)?))) else {
            return Reply::error(200, 1, NOT_FOUND);
        };
        match p.get("status").and_then(Json::as_str) {
            Some("paid") => {}
            Some("cancelled") => return Reply::error(200, 1, "이미 전액취소된 주문입니다."),
            _ => return Reply::error(200, 1, "결제완료 상태가 아닌 결제건은 취소할 수 없습니다."),
        }
        let paid = p.get("amount").and_then(Json::as_u64).unwrap_or(0);
        let cancelled = p.get("cancel_amount").and_then(Json::as_u64).unwrap_or(0);
        let refundable = paid.saturating_sub(cancelled);
        if refundable == 0 {
            return Reply::error(200, 1, "이미 전액취소된 주문입니다.");
        }
        if let Some(checksum) = b.checksum.filter(|&c| c != refundable) {
            return Reply::error(
                200,
                1,
                &format!(
                    "환불가능금액(checksum) 검증에 실패했습니다: 요청 {checksum}원, 현재 환불가능금액 {refundable}원"
                ),
            );
        }
        let amount = b.amount.unwrap_or(refundable);
        if amount == 0 || amount > refundable {
            return Reply::error(
                200,
                1,
                &format!("취소요청금액({amount}원)이 환불가능금액({refundable}원)을 초과합니다."),
            );
        }
        let imp_uid = field(p, "imp_uid").as_str().unwrap_or_default().to_owned();
        let history_len = p
            .get("cancel_history")
            .and_then(Json::as_array)
            .map_or(0, Vec::len);
        let pg_tid = field(p, "pg_tid");
        // Accepted: from here on the refund is applied.
        let cancellation_id = self.next_uid("cancel");
        let receipt_url = format!(
            "https://sandbox.invalid/receipt/{imp_uid}/cancel/{}",
            history_len + 1
        );
        let entry = json!({
            "pg_tid": pg_tid,
            "amount": amount,
            "cancelled_at": now,
            "reason": b.reason,
            "receipt_url": receipt_url,
            "cancellation_id": cancellation_id,
        });
        let Some(p) = self.payments.get_mut(index) else {
            return Reply::error(200, 1, NOT_FOUND);
        };
        p.insert("cancel_amount".into(), json!(cancelled + amount));
        if amount == refundable {
            p.insert("status".into(), json!("cancelled"));
        }
        p.insert("cancelled_at".into(), json!(now));
        p.insert("cancel_reason".into(), json!(b.reason));
        push(p, "cancel_history", entry);
        push(p, "cancel_receipt_urls", json!(receipt_url));
        Reply::ok(Json::Object(p.clone()))
    }
}

/// Appends to an array field (creating it if missing).
fn push(p: &mut Map<String, Json>, key: &str, item: Json) {
    match p.get_mut(key) {
        Some(Json::Array(items)) => items.push(item),
        _ => {
            p.insert(key.into(), Json::Array(vec![item]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(amount: u64, status: &str) -> Store {
        let mut store = Store::default();
        let mut p = Map::new();
        p.insert("imp_uid".into(), json!("imp_1"));
        p.insert("merchant_uid".into(), json!("m_1"));
        p.insert("amount".into(), json!(amount));
        p.insert("cancel_amount".into(), json!(0));
        p.insert("status".into(), json!(status));
        p.insert("cancel_history".into(), json!([]));
        p.insert("cancel_receipt_urls".into(), json!([]));
        store.payments.push(p);
        store
    }

    fn cancel(amount: Option<u64>, checksum: Option<u64>) -> CancelPayment {
        CancelPayment {
            imp_uid: None,
            merchant_uid: Some("m_1".into()),
            amount,
            tax_free: None,
            vat_amount: None,
            checksum,
            reason: "r".into(),
        }
    }

    /// The builder never sends an amount without a checksum; the store still
    /// refuses an over-refund on its own, and changes nothing.
    #[test]
    fn an_over_refund_is_refused_without_a_checksum_too() {
        let mut store = store_with(10_000, "paid");
        let before = store.payments.clone();
        let r = store.cancel(&cancel(Some(10_001), None), 5);
        assert_eq!((r.status, &r.body["code"]), (200, &json!(1)));
        assert_eq!(store.payments, before);
        let r = store.cancel(&cancel(Some(0), None), 5);
        assert_eq!(r.body["code"], 1);
        let r = store.cancel(&cancel(Some(4000), None), 5);
        assert_eq!(r.body["response"]["cancel_amount"], 4000);
        let r = store.cancel(&cancel(None, None), 6);
        let p = &r.body["response"];
        assert_eq!(
            (&p["status"], &p["cancel_amount"]),
            (&json!("cancelled"), &json!(10_000))
        );
        assert_eq!(p["cancel_history"][1]["amount"], 6000);
        assert_eq!(p["cancelled_at"], 6);
    }

    #[test]
    fn only_a_paid_payment_is_refunded() {
        for status in ["failed", "ready"] {
            let mut store = store_with(1000, status);
            let r = store.cancel(&cancel(None, None), 5);
            assert_eq!(r.body["code"], 1, "{status}");
            assert_eq!(store.payments[0]["cancel_amount"], 0);
        }
    }
}
