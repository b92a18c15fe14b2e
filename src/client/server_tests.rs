//! Refunds and webhook verification against the scripted transport: what is
//! sent, what is looked up, and that nothing is ever sent twice.

use super::tests::{block_on, ok, Fake};
use super::*;
use crate::api::operation::OpName;
use crate::api::value::test_json::json;
use crate::api::webhook::parse_webhook_body;
use crate::api::{BuildOptions, Value};

const CANCEL: &str = "POST /payments/cancel";
const GET: &str = "GET /payments/imp_1";

fn opts() -> BuildOptions {
    BuildOptions::at(1_795_875_642)
}

fn payment(amount: u64, cancelled: u64, status: &str) -> String {
    format!(
        r#"{{"code":0,"message":null,"response":{{"imp_uid":"imp_1","merchant_uid":"m1","amount":{amount},"cancel_amount":{cancelled},"status":"{status}","cancel_history":[]}}}}"#
    )
}

fn refund(fake: &Fake, input: &str) -> Result<RefundOutcome, ClientError> {
    match block_on(run(fake, OpName::CancelPayment, &[json(input)], &opts())) {
        Ok(Answered::Refund(r)) => {
            crate::json::tests::assert_same(&*r);
            Ok(*r)
        }
        Ok(other) => panic!("not a refund: {other:?}"),
        Err(e) => Err(e),
    }
}

const PARTIAL: &str = r#"{"imp_uid":"imp_1","amount":3000,"checksum":10000,"reason":"r"}"#;

#[test]
fn a_refund_answered_is_reported_with_the_payment_after_it() {
    let f = Fake::new(vec![ok(200, &payment(10_000, 3_000, "paid"))]);
    let r = refund(&f, PARTIAL).expect("refunded");
    assert_eq!(r.status, RefundStatus::Refunded);
    assert_eq!(r.remaining, Some(7_000));
    assert!(!r.resolved_by_lookup);
    assert_eq!(f.sent(), [CANCEL]);
}

#[test]
fn iamports_refusals_reject_and_are_never_retried() {
    for body in [
        r#"{"code":1,"message":"취소가능잔액 검증에 실패하였습니다.","response":null}"#,
        r#"{"code":1,"message":"이미 전액취소된 주문입니다.","response":null}"#,
        r#"{"code":-1,"message":"PG 오류","response":null}"#,
    ] {
        let f = Fake::new(vec![ok(200, body)]);
        let e = refund(&f, PARTIAL).unwrap_err();
        assert_eq!(e.code(), "IAMPORT_REFUSED", "{body}");
        assert_eq!(f.sent(), [CANCEL]);
    }
    let f = Fake::new(vec![ok(400, r#"{"code":-1,"message":"bad"}"#)]);
    assert_eq!(refund(&f, PARTIAL).unwrap_err().code(), "IAMPORT_ERROR");
    // A refusal made before anything was sent (no token) rejects as it is.
    let f = Fake::new(vec![ok(
        502,
        r#"{"error":{"code":"TOKEN_FAILED","message":"getToken failed"}}"#,
    )]);
    assert_eq!(refund(&f, PARTIAL).unwrap_err().code(), "TOKEN_FAILED");
    assert_eq!(f.sent(), [CANCEL]);
}

#[test]
fn a_lost_answer_is_looked_up_and_the_balance_tells() {
    // Applied: the balance is checksum − amount.
    for lost in [
        Err(TransportError::Timeout),
        Err(TransportError::Network),
        ok(502, "{}"),
        Ok((500, None)),
    ] {
        let f = Fake::new(vec![lost, ok(200, &payment(10_000, 3_000, "paid"))]);
        let r = refund(&f, PARTIAL).expect("resolved");
        assert_eq!(r.status, RefundStatus::Refunded);
        assert!(r.resolved_by_lookup);
        assert_eq!(f.sent(), [CANCEL, GET], "never re-sent");
    }
    // Not applied: the balance is still the checksum, at every look-up.
    let f = Fake::new(vec![
        Err(TransportError::Timeout),
        ok(200, &payment(10_000, 0, "paid")),
        ok(200, &payment(10_000, 0, "paid")),
        ok(200, &payment(10_000, 0, "paid")),
        ok(200, &payment(10_000, 0, "paid")),
        ok(200, &payment(10_000, 0, "paid")),
    ]);
    let r = refund(&f, PARTIAL).expect("resolved");
    assert_eq!(r.status, RefundStatus::Unknown);
    assert_eq!(r.unknown_reason, Some("not_applied"));
    assert!(r.message.is_some_and(|m| m.contains("same checksum")));
    let sent = f.sent();
    assert_eq!(sent.iter().filter(|s| *s == CANCEL).count(), 1);
    assert_eq!(sent.len(), 6);
    // Applied on the third look-up (still in flight before).
    let f = Fake::new(vec![
        Err(TransportError::Timeout),
        ok(200, &payment(10_000, 0, "paid")),
        ok(500, "{}"),
        ok(200, &payment(10_000, 3_000, "paid")),
    ]);
    let r = refund(&f, PARTIAL).expect("resolved");
    assert_eq!(r.status, RefundStatus::Refunded);
    assert_eq!(f.sent().len(), 4);
    // Another amount moved: reported, not guessed.
    let f = Fake::new(vec![
        Err(TransportError::Timeout),
        ok(200, &payment(10_000, 5_000, "paid")),
    ]);
    let r = refund(&f, PARTIAL).expect("resolved");
    assert_eq!(r.unknown_reason, Some("balance_changed"));
    assert_eq!(r.remaining, Some(5_000));
}

#[test]
fn a_full_refund_without_checksum_is_applied_when_nothing_is_left() {
    let full = r#"{"merchant_uid":"m1","reason":"r"}"#;
    let f = Fake::new(vec![
        Err(TransportError::Network),
        ok(200, &payment(10_000, 10_000, "cancelled")),
    ]);
    let r = refund(&f, full).expect("resolved");
    assert_eq!(r.status, RefundStatus::Refunded);
    assert_eq!(r.remaining, Some(0));
    // Looked up by merchant_uid when that is the only id.
    assert_eq!(f.sent(), [CANCEL, "GET /payments/find/m1"]);
    // No such payment: nothing was refunded.
    let f = Fake::new(vec![
        Err(TransportError::Network),
        ok(404, r#"{"code":1,"message":"없음","response":null}"#),
    ]);
    let r = refund(&f, full).expect("resolved");
    assert_eq!(r.unknown_reason, Some("not_found"));
}

#[test]
fn refund_applied_judges_by_balance() {
    let p = |amount: f64, cancelled: f64, status: &str| {
        crate::api::Payment::from_value(&json(&format!(
            r#"{{"amount":{amount},"cancel_amount":{cancelled},"status":"{status}"}}"#
        )))
        .expect("payment")
    };
    let req = |amount: Option<u64>, checksum: Option<u64>| crate::api::body::CancelPayment {
        imp_uid: Some("i".into()),
        merchant_uid: None,
        amount,
        tax_free: None,
        vat_amount: None,
        checksum,
        reason: "r".into(),
    };
    assert_eq!(
        refund_applied(&p(100.0, 30.0, "paid"), &req(Some(30), Some(100))),
        Applied::Yes
    );
    assert_eq!(
        refund_applied(&p(100.0, 0.0, "paid"), &req(Some(30), Some(100))),
        Applied::NotYet
    );
    assert_eq!(
        refund_applied(&p(100.0, 50.0, "paid"), &req(Some(30), Some(100))),
        Applied::Changed
    );
    assert_eq!(
        refund_applied(&p(100.0, 100.0, "cancelled"), &req(None, Some(100))),
        Applied::Yes
    );
    assert_eq!(
        refund_applied(&p(100.0, 0.0, "paid"), &req(None, None)),
        Applied::NotYet
    );
    assert_eq!(
        refund_applied(&p(100.0, 100.0, "cancelled"), &req(None, None)),
        Applied::Yes
    );
    // Nonsense balances are never read as "applied".
    assert_eq!(
        refund_applied(&p(100.0, 130.0, "paid"), &req(Some(30), Some(100))),
        Applied::Changed
    );
}

fn verify(f: &Fake, body: &str) -> Result<Verified, ClientError> {
    let claim = parse_webhook_body(body).expect("claim");
    block_on(verify_webhook(f, &claim, &opts()))
}

#[test]
fn a_webhook_reports_the_look_up_not_the_body() {
    let f = Fake::new(vec![ok(200, &payment(9_900, 0, "failed"))]);
    let v = verify(
        &f,
        r#"{"imp_uid":"imp_1","merchant_uid":"m1","status":"paid"}"#,
    )
    .expect("verified");
    assert_eq!(v.status, "failed", "a 'paid' body for a failed payment");
    assert!(!v.matches_claim);
    assert_eq!(v.delivery_key, "imp_1:failed");
    assert_eq!(f.sent(), [GET]);
    let f = Fake::new(vec![ok(200, &payment(9_900, 0, "paid"))]);
    let v = verify(&f, "imp_uid=imp_1&merchant_uid=m1&status=paid").expect("verified");
    assert!(v.matches_claim);
    assert_eq!(v.merchant_uid.as_deref(), Some("m1"));
    // A claimed merchant_uid that is not the payment's.
    let f = Fake::new(vec![ok(200, &payment(9_900, 0, "paid"))]);
    let v = verify(
        &f,
        r#"{"imp_uid":"imp_1","merchant_uid":"other","status":"paid"}"#,
    )
    .expect("verified");
    assert!(!v.matches_claim);
    assert_eq!(v.merchant_uid.as_deref(), Some("m1"));
}

#[test]
fn forged_or_unverifiable_webhooks_are_errors() {
    let f = Fake::new(vec![ok(
        404,
        r#"{"code":1,"message":"없음","response":null}"#,
    )]);
    let e = verify(&f, r#"{"imp_uid":"imp_1","status":"paid"}"#).unwrap_err();
    assert_eq!(e.code(), "WEBHOOK_UNKNOWN_PAYMENT");
    // The look-up answered with another payment.
    let other = payment(1, 0, "paid").replace("imp_1", "imp_2");
    let f = Fake::new(vec![ok(200, &other)]);
    assert_eq!(
        verify(&f, r#"{"imp_uid":"imp_1"}"#).unwrap_err().code(),
        "WEBHOOK_UNVERIFIED"
    );
    // A failed look-up is not a verdict: the route answers 5xx so that Iamport retries.
    for reply in [
        Err(TransportError::Timeout),
        ok(500, "{}"),
        ok(502, r#"{"error":{"code":"TOKEN_FAILED","message":"m"}}"#),
        Ok((200, Some(Value::Null))),
    ] {
        let f = Fake::new(vec![reply]);
        let e = verify(&f, r#"{"imp_uid":"imp_1"}"#).unwrap_err();
        assert!(!e.code().starts_with("WEBHOOK_"), "{}", e.code());
        assert!(matches!(
            crate::proxy::webhook_failure(&e).code,
            crate::proxy::ProxyCode::WebhookLookupFailed
        ));
    }
}
