//! Turning any Iamport answer into the right verdict.
//!
//! A payment succeeded **only** if HTTP 200, `code == 0` and
//! `response.status == "paid"`. `code == 0` alone means "processed", not
//! "charged": a decline comes back either as `code 0` + `status "failed"` or as
//! `code -1` + a message. When the answer cannot tell (5xx, an empty or
//! malformed body, a gateway timeout), the outcome is `Unknown` and must be
//! resolved by looking the payment up by `merchant_uid`, never by re-sending.

use serde::Serialize;

use super::model::{Customer, Payment, PaymentStatus, Schedule};
use super::value::Value;

/// The verdict on a charge (or on a payment look-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeStatus {
    /// Charged: HTTP 200, code 0, status `paid`. Check `amount_mismatch` too.
    Paid,
    /// Not charged: declined (`code 0` + `failed`, or `code != 0` with HTTP 200).
    Failed,
    /// Created but not settled yet: poll the look-up.
    Ready,
    /// Paid, then cancelled.
    Cancelled,
    /// Refused before any charge (HTTP 4xx: bad input, auth, not found, proxy rules).
    Rejected,
    /// Cannot tell (5xx, timeout, empty or malformed answer, a new status):
    /// look the payment up by `merchant_uid`; never re-send blindly.
    Unknown,
}

/// The decoded answer to a charge.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The verdict.
    pub status: OutcomeStatus,
    /// The HTTP status the answer came with (0 when there was no answer).
    pub http_status: u16,
    /// The payment, when the answer held one.
    pub payment: Option<Payment>,
    /// Why it failed (`fail_reason`, or the message of a `code != 0` answer).
    pub fail_reason: Option<String>,
    /// Iamport's envelope `code`, when there was an envelope.
    pub iamport_code: Option<i64>,
    /// Iamport's (or the proxy's) message.
    pub message: Option<String>,
    /// The merchant proxy's error code (`{"error": {"code"}}`), if it refused.
    pub error_code: Option<String>,
    /// The payment's amount differs from `expected_amount`: treat as not OK.
    pub amount_mismatch: bool,
}

/// An answer that is not a success, for the non-charge decoders.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The HTTP status.
    pub http_status: u16,
    /// Iamport's envelope `code`.
    pub iamport_code: Option<i64>,
    /// Iamport's (or the proxy's) message.
    pub message: Option<String>,
    /// The merchant proxy's error code, if it refused.
    pub error_code: Option<String>,
}

/// The parts of an answer every decoder reads.
struct Envelope<'a> {
    code: Option<i64>,
    message: Option<String>,
    response: Option<&'a Value>,
    error_code: Option<String>,
}

fn envelope(body: Option<&Value>) -> Option<Envelope<'_>> {
    let body = body?;
    body.as_object()?;
    // The merchant proxy's own refusals: {"error": {"code", "message", "fields"?}}.
    if let Some(err) = body.get("error").filter(|e| e.as_object().is_some()) {
        return Some(Envelope {
            code: None,
            message: err
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
            response: None,
            error_code: err.get("code").and_then(Value::as_str).map(str::to_owned),
        });
    }
    Some(Envelope {
        code: body.get("code").and_then(Value::as_i64),
        message: body
            .get("message")
            .and_then(Value::as_str)
            .filter(|m| !m.is_empty())
            .map(str::to_owned),
        response: body.get("response").filter(|r| !r.is_null()),
        error_code: None,
    })
}

/// Decodes the answer to a charge (`onetime`, `again`) or a payment look-up.
///
/// `body` is the parsed JSON (`None` for an empty or non-JSON body). With
/// `expected_amount`, a payment whose amount differs sets `amount_mismatch`.
pub fn decode_outcome(
    http_status: u16,
    body: Option<&Value>,
    expected_amount: Option<u64>,
) -> Outcome {
    let env = envelope(body);
    let mut out = Outcome {
        status: OutcomeStatus::Unknown,
        http_status,
        payment: None,
        fail_reason: None,
        iamport_code: env.as_ref().and_then(|e| e.code),
        message: env.as_ref().and_then(|e| e.message.clone()),
        error_code: env.as_ref().and_then(|e| e.error_code.clone()),
        amount_mismatch: false,
    };
    out.status = match (http_status, env) {
        (400..=499, _) => OutcomeStatus::Rejected,
        (
            200,
            Some(Envelope {
                code: Some(0),
                response: Some(r),
                ..
            }),
        ) => match Payment::from_value(r) {
            Some(p) => {
                out.amount_mismatch = match (expected_amount, p.amount) {
                    (Some(want), Some(got)) => got != want as f64,
                    (Some(_), None) => true,
                    _ => false,
                };
                let status = match &p.status {
                    PaymentStatus::Paid => OutcomeStatus::Paid,
                    PaymentStatus::Failed => OutcomeStatus::Failed,
                    PaymentStatus::Ready => OutcomeStatus::Ready,
                    PaymentStatus::Cancelled => OutcomeStatus::Cancelled,
                    PaymentStatus::Unknown(_) => OutcomeStatus::Unknown,
                };
                if status == OutcomeStatus::Failed {
                    out.fail_reason = p.fail_reason.clone().or_else(|| out.message.clone());
                }
                out.payment = Some(p);
                status
            }
            None => OutcomeStatus::Unknown,
        },
        // Processed, and refused: nothing was charged.
        (
            200,
            Some(Envelope {
                code: Some(code), ..
            }),
        ) if code != 0 => {
            out.fail_reason = out.message.clone();
            OutcomeStatus::Failed
        }
        // 5xx, 2xx without a usable envelope, no answer at all: cannot tell.
        _ => OutcomeStatus::Unknown,
    };
    out
}

fn error_of(http_status: u16, env: Option<Envelope<'_>>) -> ApiError {
    ApiError {
        http_status,
        iamport_code: env.as_ref().and_then(|e| e.code),
        message: env.as_ref().and_then(|e| e.message.clone()),
        error_code: env.and_then(|e| e.error_code),
    }
}

/// The `response` of a successful (HTTP 2xx, `code 0`) answer.
fn success(http_status: u16, body: Option<&Value>) -> Result<&Value, ApiError> {
    match envelope(body) {
        Some(Envelope {
            code: Some(0),
            response: Some(r),
            ..
        }) if (200..300).contains(&http_status) => Ok(r),
        env => Err(error_of(http_status, env)),
    }
}

/// Decodes `GET`/`DELETE`/`POST /subscribe/customers/{customer_uid}`.
///
/// # Errors
/// Any answer that is not HTTP 2xx with `code 0` and a customer object.
pub fn decode_customer(http_status: u16, body: Option<&Value>) -> Result<Customer, ApiError> {
    let r = success(http_status, body)?;
    Customer::from_value(r).ok_or_else(|| error_of(http_status, envelope(body)))
}

/// Decodes `GET /subscribe/customers?customer_uid[]=…`: HTTP 207 (some ids
/// missing) still yields the customers that were found.
///
/// # Errors
/// Any answer without a customer list.
pub fn decode_customers(http_status: u16, body: Option<&Value>) -> Result<Vec<Customer>, ApiError> {
    let list = match envelope(body) {
        Some(Envelope {
            response: Some(Value::Array(items)),
            ..
        }) if matches!(http_status, 200 | 207) => items,
        env => return Err(error_of(http_status, env)),
    };
    Ok(list.iter().filter_map(Customer::from_value).collect())
}

/// A page of schedules. Iamport's schema says an array; clients see a page
/// object `{total, previous, next, list}`: both are accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchedulePage {
    /// The schedules.
    pub list: Vec<Schedule>,
    /// The total count, when the answer was a page.
    pub total: Option<i64>,
    /// The previous page number, when there is one.
    pub previous: Option<i64>,
    /// The next page number, when there is one.
    pub next: Option<i64>,
}

/// Decodes schedule answers: one schedule, an array, or a page object.
///
/// # Errors
/// Any answer that is not HTTP 2xx with `code 0` and schedules.
pub fn decode_schedules(http_status: u16, body: Option<&Value>) -> Result<SchedulePage, ApiError> {
    let r = success(http_status, body)?;
    let page_num = |k: &str| r.get(k).and_then(Value::as_i64).filter(|n| *n > 0);
    let (items, total, previous, next): (Vec<&Value>, _, _, _) = match r {
        Value::Array(items) => (items.iter().collect(), None, None, None),
        Value::Object(_) => match r.get("list").and_then(Value::as_array) {
            Some(items) => (
                items.iter().collect(),
                r.get("total").and_then(Value::as_i64),
                page_num("previous"),
                page_num("next"),
            ),
            // A single schedule (GET /subscribe/payments/schedule/{merchant_uid}).
            None => (vec![r], None, None, None),
        },
        _ => return Err(error_of(http_status, envelope(body))),
    };
    Ok(SchedulePage {
        list: items.into_iter().filter_map(Schedule::from_value).collect(),
        total,
        previous,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::value::test_json::json;

    fn outcome(status: u16, body: &str) -> Outcome {
        let v = if body.is_empty() {
            None
        } else {
            serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .map(|j| crate::api::value::test_json::from_json(&j))
        };
        decode_outcome(status, v.as_ref(), Some(3000))
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
        let c = decode_customer(200, Some(&ok)).unwrap();
        assert_eq!(c.customer_uid.as_deref(), Some("c1"));
        assert_eq!(c.inserted, Some(1_795_875_642));
        let missing = json(r#"{"code":1,"message":"등록된 고객정보가 없습니다.","response":null}"#);
        let e = decode_customer(404, Some(&missing)).unwrap_err();
        assert_eq!((e.http_status, e.iamport_code), (404, Some(1)));
        assert!(decode_customer(200, None).is_err());
        let multi = json(
            r#"{"code":0,"message":null,"response":[{"customer_uid":"a"},{"customer_uid":"b"}]}"#,
        );
        assert_eq!(decode_customers(207, Some(&multi)).unwrap().len(), 2);
        assert!(decode_customers(500, Some(&multi)).is_err());
    }

    #[test]
    fn schedules_as_array_page_or_single() {
        let array = json(
            r#"{"code":0,"message":null,"response":[{"merchant_uid":"s1","schedule_status":"scheduled","schedule_at":1800000000,"amount":9900},{"merchant_uid":"s2","schedule_status":"executed","payment_status":"failed","fail_reason":"한도초과"}]}"#,
        );
        let page = decode_schedules(200, Some(&array)).unwrap();
        assert_eq!(page.list.len(), 2);
        assert_eq!(page.total, None);
        assert_eq!(page.list[1].payment_status, Some(PaymentStatus::Failed));
        let paged = json(
            r#"{"code":0,"message":null,"response":{"total":21,"previous":0,"next":3,"list":[{"merchant_uid":"s1","schedule_status":"revoked_2030"}]}}"#,
        );
        let page = decode_schedules(200, Some(&paged)).unwrap();
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
        assert_eq!(decode_schedules(200, Some(&single)).unwrap().list.len(), 1);
        let none = json(r#"{"code":1,"message":"예약결제 정보가 없습니다.","response":null}"#);
        assert_eq!(
            decode_schedules(404, Some(&none)).unwrap_err().iamport_code,
            Some(1)
        );
        assert!(decode_schedules(
            200,
            Some(&json(r#"{"code":0,"message":null,"response":"x"}"#))
        )
        .is_err());
    }
}
