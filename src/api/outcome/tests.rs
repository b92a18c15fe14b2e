//! Outcome decoder tests.
use super::*;
use crate::api::value::test_json::json;
use crate::json::tests::assert_same;

/// A decoder's result, after checking that its hand-written JSON is serde's.
fn same<T: crate::json::ToJson + serde::Serialize>(r: Result<T, ApiError>) -> Result<T, ApiError> {
    match &r {
        Ok(v) => assert_same(v),
        Err(e) => assert_same(e),
    }
    r
}

fn outcome(status: u16, body: &str) -> Outcome {
    let v = if body.is_empty() {
        None
    } else {
        serde_json::from_str::<serde_json::Value>(body)
            .ok()
            .map(|j| crate::api::value::test_json::from_json(&j))
    };
    let o = decode_outcome(status, v.as_ref(), Some(3000));
    crate::json::tests::assert_same(&o);
    o
}

const PAID: &str = r#"{"code":0,"message":null,"response":{"imp_uid":"imp_1","merchant_uid":"m1","amount":3000,"status":"paid","card_number":"411111******1111","paid_at":1795875642,"sandbox":true,"new_field_2027":{"x":1}}}"#;

#[test]
fn paid_only_with_200_code0_status_paid() {
    let o = outcome(200, PAID);
    assert_eq!(o.status, OutcomeStatus::Paid);
    assert!(!o.amount_mismatch);
    let p = o.payment.unwrap();
    assert_eq!(p.imp_uid.as_deref(), Some("imp_1"));
    assert_eq!(p.sandbox, Some(true));
    // Unknown fields are kept.
    assert!(serde_json::to_string(&p)
        .unwrap()
        .contains("new_field_2027"));
    // The same body with any other HTTP status is not "paid".
    assert_eq!(outcome(500, PAID).status, OutcomeStatus::Unknown);
    assert_eq!(outcome(201, PAID).status, OutcomeStatus::Unknown);
}

#[test]
fn table() {
    // (http, body, status, fail_reason, iamport_code)
    type Case<'a> = (u16, &'a str, OutcomeStatus, Option<&'a str>, Option<i64>);
    let table: &[Case<'_>] = &[
        // decline shape 1: code 0 + status failed
        (
            200,
            r#"{"code":0,"message":null,"response":{"merchant_uid":"m1","amount":3000,"status":"failed","fail_reason":"[2116]개인 월 한도금액 초과"}}"#,
            OutcomeStatus::Failed,
            Some("[2116]개인 월 한도금액 초과"),
            Some(0),
        ),
        // decline shape 2: code -1 + message
        (
            200,
            r#"{"code":-1,"message":"카드정보 인증에 실패하였습니다.","response":null}"#,
            OutcomeStatus::Failed,
            Some("카드정보 인증에 실패하였습니다."),
            Some(-1),
        ),
        // code 1: business refusal (e.g. unknown customer)
        (
            200,
            r#"{"code":1,"message":"등록된 고객정보가 없습니다.","response":null}"#,
            OutcomeStatus::Failed,
            Some("등록된 고객정보가 없습니다."),
            Some(1),
        ),
        (
            200,
            r#"{"code":0,"message":null,"response":{"amount":3000,"status":"ready"}}"#,
            OutcomeStatus::Ready,
            None,
            Some(0),
        ),
        (
            200,
            r#"{"code":0,"message":null,"response":{"amount":3000,"status":"cancelled"}}"#,
            OutcomeStatus::Cancelled,
            None,
            Some(0),
        ),
        (
            200,
            r#"{"code":0,"message":null,"response":{"amount":3000,"status":"partial_refund_2030"}}"#,
            OutcomeStatus::Unknown,
            None,
            Some(0),
        ),
        (
            200,
            r#"{"code":0,"message":null,"response":null}"#,
            OutcomeStatus::Unknown,
            None,
            Some(0),
        ),
        (
            200,
            r#"{"code":0,"message":null,"response":[1]}"#,
            OutcomeStatus::Unknown,
            None,
            Some(0),
        ),
        (
            200,
            r#"{"unexpected":true}"#,
            OutcomeStatus::Unknown,
            None,
            None,
        ),
        (200, "", OutcomeStatus::Unknown, None, None),
        (
            200,
            "<html>bad gateway</html>",
            OutcomeStatus::Unknown,
            None,
            None,
        ),
        (200, "[]", OutcomeStatus::Unknown, None, None),
        (
            400,
            r#"{"code":-1,"message":"merchant_uid 는 필수입니다.","response":null}"#,
            OutcomeStatus::Rejected,
            None,
            Some(-1),
        ),
        (
            401,
            r#"{"code":-1,"message":"Unauthorized","response":null}"#,
            OutcomeStatus::Rejected,
            None,
            Some(-1),
        ),
        (
            404,
            r#"{"code":1,"message":"존재하지 않는 결제정보입니다.","response":null}"#,
            OutcomeStatus::Rejected,
            None,
            Some(1),
        ),
        (404, "", OutcomeStatus::Rejected, None, None),
        (
            500,
            r#"{"code":-1,"message":"internal","response":null}"#,
            OutcomeStatus::Unknown,
            None,
            Some(-1),
        ),
        (502, "", OutcomeStatus::Unknown, None, None),
        (
            504,
            r#"{"error":{"code":"UPSTREAM_TIMEOUT","message":"outcome unknown"}}"#,
            OutcomeStatus::Unknown,
            None,
            None,
        ),
        (0, "", OutcomeStatus::Unknown, None, None),
    ];
    for &(http, body, status, fail, code) in table {
        let o = outcome(http, body);
        assert_eq!(o.status, status, "{http} {body}");
        assert_eq!(o.fail_reason.as_deref(), fail, "{http} {body}");
        assert_eq!(o.iamport_code, code, "{http} {body}");
        assert_eq!(o.http_status, http);
    }
    let proxy = outcome(
        409,
        r#"{"error":{"code":"AMOUNT_MISMATCH","message":"amount differs"}}"#,
    );
    assert_eq!(proxy.status, OutcomeStatus::Rejected);
    assert_eq!(proxy.error_code.as_deref(), Some("AMOUNT_MISMATCH"));
    assert_eq!(proxy.message.as_deref(), Some("amount differs"));
}

#[test]
fn amount_mismatch() {
    let body = json(r#"{"code":0,"message":null,"response":{"amount":30000,"status":"paid"}}"#);
    let o = decode_outcome(200, Some(&body), Some(3000));
    assert_eq!(o.status, OutcomeStatus::Paid);
    assert!(o.amount_mismatch);
    assert!(!decode_outcome(200, Some(&body), None).amount_mismatch);
    assert!(!decode_outcome(200, Some(&body), Some(30000)).amount_mismatch);
    let no_amount = json(r#"{"code":0,"message":null,"response":{"status":"paid"}}"#);
    assert!(decode_outcome(200, Some(&no_amount), Some(3000)).amount_mismatch);
}

#[test]
fn unmasked_card_numbers_are_masked() {
    let body = json(
        r#"{"code":0,"message":null,"response":{"amount":3000,"status":"paid","card_number":"4111-1111-1111-1111"}}"#,
    );
    let p = decode_outcome(200, Some(&body), None).payment.unwrap();
    assert_eq!(p.card_number.as_deref(), Some("4111-11**-****-1111"));
    assert!(!serde_json::to_string(&p)
        .unwrap()
        .contains("1111-1111-1111"));
    let c = decode_customer(200, Some(&json(r#"{"code":0,"message":null,"response":{"customer_uid":"c1","card_number":"4111111111111111"}}"#))).unwrap();
    assert_eq!(c.card_number.as_deref(), Some("4111-11**-****-1111"));
}

#[test]
fn customers() {
    let ok = json(
        r#"{"code":0,"message":null,"response":{"customer_uid":"c1","card_name":"신한카드","card_number":"411111******1111","inserted":1795875642,"pg_provider":"kcp"}}"#,
    );
    let c = same(decode_customer(200, Some(&ok))).unwrap();
    assert_eq!(c.customer_uid.as_deref(), Some("c1"));
    assert_eq!(c.inserted, Some(1_795_875_642));
    let missing = json(r#"{"code":1,"message":"등록된 고객정보가 없습니다.","response":null}"#);
    let e = same(decode_customer(404, Some(&missing))).unwrap_err();
    assert_eq!((e.http_status, e.iamport_code), (404, Some(1)));
    assert!(same(decode_customer(200, None)).is_err());
    let multi =
        json(r#"{"code":0,"message":null,"response":[{"customer_uid":"a"},{"customer_uid":"b"}]}"#);
    assert_eq!(same(decode_customers(207, Some(&multi))).unwrap().len(), 2);
    assert!(same(decode_customers(500, Some(&multi))).is_err());
}

#[test]
fn schedules_as_array_page_or_single() {
    let array = json(
        r#"{"code":0,"message":null,"response":[{"merchant_uid":"s1","schedule_status":"scheduled","schedule_at":1800000000,"amount":9900},{"merchant_uid":"s2","schedule_status":"executed","payment_status":"failed","fail_reason":"한도초과"}]}"#,
    );
    let page = same(decode_schedules(200, Some(&array))).unwrap();
    assert_eq!(page.list.len(), 2);
    assert_eq!(page.total, None);
    assert_eq!(page.list[1].payment_status, Some(PaymentStatus::Failed));
    let paged = json(
        r#"{"code":0,"message":null,"response":{"total":21,"previous":0,"next":3,"list":[{"merchant_uid":"s1","schedule_status":"revoked_2030"}]}}"#,
    );
    let page = same(decode_schedules(200, Some(&paged))).unwrap();
    assert_eq!(
        (page.total, page.previous, page.next),
        (Some(21), None, Some(3))
    );
    assert_eq!(
        page.list[0].schedule_status,
        super::super::model::ScheduleStatus::Unknown("revoked_2030".into())
    );
    let single = json(
        r#"{"code":0,"message":null,"response":{"merchant_uid":"s1","schedule_status":"scheduled"}}"#,
    );
    assert_eq!(
        same(decode_schedules(200, Some(&single)))
            .unwrap()
            .list
            .len(),
        1
    );
    let none = json(r#"{"code":1,"message":"예약결제 정보가 없습니다.","response":null}"#);
    assert_eq!(
        same(decode_schedules(404, Some(&none)))
            .unwrap_err()
            .iamport_code,
        Some(1)
    );
    assert!(decode_schedules(
        200,
        Some(&json(r#"{"code":0,"message":null,"response":"x"}"#))
    )
    .is_err());
}
