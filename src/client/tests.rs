//! The client's state machine against a scripted transport: every answer a
//! charge can get, and what the client does next. Nothing here sleeps.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::*;
use crate::api::operation::OpName;
use crate::api::value::test_json::json;
use crate::api::{BuildOptions, OutcomeStatus, Request, Value};

/// Runs a future that never waits on anything real (the fake answers at once).
pub(super) fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

pub(super) type Reply = Result<(u16, Option<Value>), TransportError>;

/// Answers from a script, in order, and records what was sent and slept.
#[derive(Default)]
pub(super) struct Fake {
    replies: RefCell<VecDeque<Reply>>,
    sent: RefCell<Vec<String>>,
    slept: RefCell<Vec<u32>>,
}

impl Fake {
    pub(super) fn new(replies: Vec<Reply>) -> Self {
        Fake {
            replies: RefCell::new(replies.into()),
            ..Fake::default()
        }
    }
    pub(super) fn sent(&self) -> Vec<String> {
        self.sent.borrow().clone()
    }
}

impl Transport for Fake {
    async fn send(&self, req: &Request) -> Result<(u16, Option<Value>), TransportError> {
        // What the wasm client sends is the hand-written text: the same as serde's.
        crate::json::tests::assert_same(req);
        self.sent
            .borrow_mut()
            .push(format!("{} {}", req.method.as_str(), req.path_and_query()));
        self.replies
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Network))
    }
    async fn sleep(&self, ms: u32) {
        self.slept.borrow_mut().push(ms);
    }
}

pub(super) fn ok(status: u16, body: &str) -> Reply {
    Ok((status, Some(json(body))))
}

const PAID: &str =
    r#"{"code":0,"message":null,"response":{"merchant_uid":"m1","amount":1000,"status":"paid"}}"#;
const READY: &str =
    r#"{"code":0,"message":null,"response":{"merchant_uid":"m1","amount":1000,"status":"ready"}}"#;
const CHARGE: &str = "POST /subscribe/payments/again";
const LOOKUP: &str = "GET /payments/find/m1";

fn again(fake: &Fake) -> Result<Answered, ClientError> {
    let input = json(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":1000,"name":"n"}"#);
    block_on(run(
        fake,
        OpName::PayAgain,
        &[input],
        &BuildOptions::at(1_795_875_642),
    ))
}

fn outcome(r: Result<Answered, ClientError>) -> ClientOutcome {
    match r {
        Ok(Answered::Outcome(o)) => {
            // What JS gets: the outcome's members as serde writes them, then these two.
            let mut expected = crate::json_out::to_string(&o.outcome).expect("serialises");
            expected.pop(); // its closing brace
            expected.push_str(&format!(
                ",\"resolvedByLookup\":{},\"unknownReason\":{}}}",
                o.resolved_by_lookup,
                o.unknown_reason
                    .map_or("null".to_owned(), |r| format!("\"{}\"", r.as_str()))
            ));
            assert!(
                crate::json::to_json(&*o) == expected,
                "ClientOutcome's JSON"
            );
            *o
        }
        other => panic!("not an outcome: {other:?}"),
    }
}

#[test]
fn a_settled_answer_is_reported_as_is() {
    let f = Fake::new(vec![ok(200, PAID)]);
    let o = outcome(again(&f));
    assert_eq!(o.outcome.status, OutcomeStatus::Paid);
    assert!(!o.resolved_by_lookup);
    assert_eq!(f.sent(), [CHARGE]);
    let f = Fake::new(vec![ok(
        200,
        r#"{"code":-1,"message":"한도초과","response":null}"#,
    )]);
    assert_eq!(outcome(again(&f)).outcome.status, OutcomeStatus::Failed);
    assert_eq!(f.sent(), [CHARGE]);
}

/// Every proxy answer that may follow a forwarded charge is looked up, never
/// rejected as "nothing charged": the trap case (`INTERNAL`) included.
#[test]
fn answers_that_may_have_charged_are_looked_up() {
    for (status, body) in [
        (504, r#"{"error":{"code":"OUTCOME_UNKNOWN","message":"m"}}"#),
        (502, r#"{"error":{"code":"OUTCOME_UNKNOWN","message":"m"}}"#),
        (
            500,
            r#"{"error":{"code":"INTERNAL","message":"internal error"}}"#,
        ),
        (
            500,
            r#"{"error":{"code":"A_CODE_FROM_A_NEWER_PROXY","message":"m"}}"#,
        ),
        (500, r#"{"error":{"message":"no code"}}"#),
        (502, r#"<html>bad gateway</html>"#),
        (500, r#"{"code":-1,"message":"internal","response":null}"#),
    ] {
        let reply = if body.starts_with('<') {
            Ok((status, None))
        } else {
            ok(status, body)
        };
        let f = Fake::new(vec![reply, ok(200, PAID)]);
        let o = outcome(again(&f));
        assert_eq!(o.outcome.status, OutcomeStatus::Paid, "{body}");
        assert!(o.resolved_by_lookup, "{body}");
        assert_eq!(f.sent(), [CHARGE, LOOKUP], "{body}");
    }
    for e in [TransportError::Timeout, TransportError::Network] {
        let f = Fake::new(vec![Err(e), ok(200, PAID)]);
        assert!(outcome(again(&f)).resolved_by_lookup);
        assert_eq!(f.sent(), [CHARGE, LOOKUP]);
    }
}

#[test]
fn refusals_before_any_charge_reject_without_a_look_up() {
    for code in [
        "FORBIDDEN",
        "AMOUNT_MISMATCH",
        "METHOD_NOT_ALLOWED",
        "INVALID_INPUT",
        "TOKEN_FAILED",
        "HOOK_FAILED",
        "UPSTREAM_TIMEOUT",
        "TOO_MANY_ATTEMPTS",
        "CHALLENGE_REQUIRED",
        "LIMITER_UNAVAILABLE",
    ] {
        let status = ProxyCodeStatus::of(code);
        let f = Fake::new(vec![ok(
            status,
            &format!(r#"{{"error":{{"code":"{code}","message":"m"}}}}"#),
        )]);
        let e = again(&f).unwrap_err();
        assert_eq!(e.code(), code);
        assert_eq!(f.sent(), [CHARGE], "{code}");
    }
    // A card-testing limit: never looked up, never re-sent, and the wait is passed on.
    let f = Fake::new(vec![ok(
        429,
        r#"{"error":{"code":"TOO_MANY_ATTEMPTS","message":"m","retryAfter":840}}"#,
    )]);
    match again(&f).unwrap_err() {
        ClientError::Proxy {
            status: 429,
            retry_after: Some(840),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(f.sent(), [CHARGE]);
    // Iamport's own 4xx: not processed.
    let f = Fake::new(vec![ok(
        400,
        r#"{"code":-1,"message":"bad","response":null}"#,
    )]);
    assert_eq!(again(&f).unwrap_err().code(), "IAMPORT_ERROR");
    assert_eq!(f.sent(), [CHARGE]);
}

struct ProxyCodeStatus;
impl ProxyCodeStatus {
    fn of(code: &str) -> u16 {
        crate::proxy::ProxyCode::parse(code).map_or(500, |c| c.status())
    }
}

#[test]
fn look_ups_back_off_and_report_what_the_last_one_saw() {
    // Not found at first (the charge still in flight upstream), then paid.
    let f = Fake::new(vec![
        Err(TransportError::Timeout),
        ok(404, r#"{"code":1,"message":"없음","response":null}"#),
        ok(200, PAID),
    ]);
    let o = outcome(again(&f));
    assert_eq!(o.outcome.status, OutcomeStatus::Paid);
    assert_eq!(*f.slept.borrow(), [500]);
    // Ready throughout: still_ready, with the payment, after the whole back-off.
    let f = Fake::new(vec![
        ok(200, READY),
        ok(200, READY),
        ok(200, READY),
        ok(200, READY),
        ok(200, READY),
        ok(200, READY),
    ]);
    let o = outcome(again(&f));
    assert_eq!(o.outcome.status, OutcomeStatus::Unknown);
    assert_eq!(o.unknown_reason, Some(UnknownReason::StillReady));
    assert!(o.outcome.payment.is_some());
    assert_eq!(*f.slept.borrow(), READY_BACKOFF_MS);
    assert_eq!(f.sent().len(), 1 + 1 + READY_BACKOFF_MS.len());
    assert!(f.sent()[1..].iter().all(|s| s == LOOKUP), "never re-sent");
    // Never found: not_found (the merchant may re-send deliberately, same merchant_uid).
    let mut replies = vec![Err(TransportError::Network)];
    replies.extend((0..5).map(|_| ok(404, r#"{"code":1,"message":"x","response":null}"#)));
    let o = outcome(again(&Fake::new(replies)));
    assert_eq!(o.unknown_reason, Some(UnknownReason::NotFound));
    // The look-ups fail too (a proxy refusal is no "not found"): lookup_failed.
    let mut replies = vec![Err(TransportError::Network)];
    replies.extend((0..5).map(|_| ok(404, r#"{"error":{"code":"NOT_FOUND","message":"x"}}"#)));
    let o = outcome(again(&Fake::new(replies)));
    assert_eq!(o.unknown_reason, Some(UnknownReason::LookupFailed));
}

#[test]
fn non_charges_reject_on_transport_failures_and_read_their_answers() {
    let opts = BuildOptions::at(1_795_875_642);
    let uid = [Value::String("c1".into())];
    let f = Fake::new(vec![Err(TransportError::Timeout)]);
    let e = block_on(run(&f, OpName::GetBillingKey, &uid, &opts)).unwrap_err();
    assert_eq!(e, ClientError::Timeout);
    let f = Fake::new(vec![ok(
        404,
        r#"{"code":1,"message":"없음","response":null}"#,
    )]);
    let r = block_on(run(&f, OpName::GetBillingKey, &uid, &opts));
    assert_eq!(r, Ok(Answered::Null));
    let f = Fake::new(vec![ok(
        200,
        r#"{"code":0,"message":null,"response":{"customer_uid":"c1","card_number":"411111******1111"}}"#,
    )]);
    let r = block_on(run(&f, OpName::GetBillingKey, &uid, &opts));
    assert!(matches!(r, Ok(Answered::Customer(c)) if c.customer_uid.as_deref() == Some("c1")));
    // Invalid input never reaches the transport.
    let f = Fake::new(vec![]);
    let r = block_on(run(
        &f,
        OpName::GetBillingKey,
        &[Value::String("../x".into())],
        &opts,
    ));
    assert!(matches!(r, Err(ClientError::InvalidInput(e)) if !e.is_empty()));
    assert!(f.sent().is_empty());
}

#[test]
fn joins() {
    assert_eq!(
        join("https://shop.example/iamport/", "/payments/find/m1"),
        "https://shop.example/iamport/payments/find/m1"
    );
    assert_eq!(
        join("/iamport", "/subscribe/customers?customer_uid%5B%5D=a"),
        "/iamport/subscribe/customers?customer_uid%5B%5D=a"
    );
}

#[test]
fn trailing_slashes_go_as_trim_end_matches_has_it() {
    for s in [
        "", "/", "//", "a", "a/", "a//", "/a/b/", "한/", "a/한", "/ /",
    ] {
        assert_eq!(
            super::without_trailing_slashes(s),
            s.trim_end_matches('/'),
            "{s:?}"
        );
    }
}

#[test]
fn polling_is_bounded() {
    let total: u32 = READY_BACKOFF_MS.iter().sum();
    assert!(total <= 10_000, "{total}");
    assert!(READY_BACKOFF_MS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn the_ts_union_names_every_error_code() {
    let web = include_str!("web.rs");
    let start = web.find("export type KeyinErrorCode").expect("the union");
    let union = &web[start..start + web[start..].find(';').expect("its end")];
    let client = [
        "INVALID_INPUT",
        "INVALID_CONFIG",
        "NETWORK_ERROR",
        "TIMEOUT",
        "MALFORMED_RESPONSE",
        "NOT_FOUND",
        "IAMPORT_REFUSED",
        "IAMPORT_ERROR",
        "INTERNAL_ERROR",
        "PROXY_ERROR",
        "WEBHOOK_UNKNOWN_PAYMENT",
    ];
    let proxy = crate::proxy::ProxyCode::ALL.iter().map(|c| c.as_str());
    for code in client.into_iter().chain(proxy) {
        assert!(union.contains(&format!("\"{code}\"")), "{code}");
    }
    assert_eq!(
        union.matches('"').count() / 2,
        client.len() + crate::proxy::ProxyCode::ALL.len() - 2, // INVALID_INPUT, NOT_FOUND are both
        "{union}"
    );
}

#[test]
fn each_unknown_reason_advises_for_its_own_kind() {
    use UnknownReason::*;
    let charge = [NotFound, LookupFailed, StillReady, UnrecognisedStatus];
    for r in charge {
        assert_eq!(r.advice(), r.charge_advice(), "{r:?}");
    }
    let texts: std::collections::HashSet<_> = charge.iter().map(|r| r.advice()).collect();
    assert_eq!(texts.len(), charge.len(), "one text per charge reason");
    for r in [NotApplied, BalanceChanged] {
        assert_eq!(r.advice(), r.refund_advice(), "{r:?}");
        assert!(r.advice().contains("refund"), "{r:?}");
    }
    // A refund's reason given to a charge (it never is) answers the cautious advice.
    assert_eq!(NotApplied.charge_advice(), LookupFailed.charge_advice());
}

/// What a step asks to send, as `Fake::sent` records it.
fn sent(step: &Step) -> String {
    match step {
        Step::Send(req) => format!("{} {}", req.method.as_str(), req.path_and_query()),
        other => panic!("not a request: {other:?}"),
    }
}

#[test]
fn an_operation_steps_without_io_and_never_resends_a_charge() {
    let input = json(r#"{"customer_uid":"c1","merchant_uid":"m1","amount":1000,"name":"n"}"#);
    let opts = BuildOptions::at(1_795_875_642);
    let (mut op, step) = Operation::start(OpName::PayAgain, std::slice::from_ref(&input), &opts);
    assert_eq!(sent(&step), CHARGE);
    // No answer: look it up; `ready`: wait, then look up again; paid: the outcome.
    assert_eq!(sent(&op.answer(Err(TransportError::Timeout))), LOOKUP);
    assert!(matches!(op.answer(ok(200, READY)), Step::Sleep(500)));
    assert_eq!(sent(&op.woke()), LOOKUP);
    let o = match op.answer(ok(200, PAID)) {
        Step::Done(r) => outcome(r),
        other => panic!("not done: {other:?}"),
    };
    assert_eq!(
        (o.outcome.status, o.resolved_by_lookup),
        (OutcomeStatus::Paid, true)
    );
    // Ended: any further call answers an error, never a request.
    assert!(matches!(
        op.answer(ok(200, PAID)),
        Step::Done(Err(ClientError::Network))
    ));
    assert!(matches!(op.woke(), Step::Done(Err(ClientError::Network))));

    // Out-of-order calls (the drivers never make them) never send the charge again:
    // woken while the charge is out is "no answer" (a look-up); answered while
    // waiting is "the wait is over" (a look-up).
    let (mut op, _) = Operation::start(OpName::PayAgain, &[input], &opts);
    assert_eq!(sent(&op.woke()), LOOKUP);
    assert!(matches!(op.answer(ok(200, READY)), Step::Sleep(500)));
    assert_eq!(sent(&op.answer(ok(200, PAID))), LOOKUP);

    // Bad input ends at once; a refund is never an `Operation` (`run` does it).
    let (_, step) = Operation::start(OpName::PayAgain, &[json("{}")], &opts);
    assert!(matches!(step, Step::Done(Err(ClientError::InvalidInput(e))) if !e.is_empty()));
    let refund = json(r#"{"imp_uid":"imp_1","reason":"r"}"#);
    let (_, step) = Operation::start(OpName::CancelPayment, &[refund], &opts);
    assert!(matches!(
        step,
        Step::Done(Err(ClientError::InvalidInput(_)))
    ));
}

#[test]
fn each_error_writes_the_members_of_its_keyin_error() {
    use crate::error::{ErrorCode, FieldError, Locale};
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("JSON");
    let field = FieldError::new("amount", ErrorCode::InvalidAmount, Locale::En);
    let field_json = crate::json::to_json(&field);
    let cases = [
        (
            ClientError::InvalidInput(vec![field.clone()]),
            format!(
                r#"{{"name":"KeyinError","code":"INVALID_INPUT","message":{},"httpStatus":null,"errors":[{field_json}]}}"#,
                crate::json::to_json(&field.message)
            ),
        ),
        (
            ClientError::InvalidInput(Vec::new()),
            r#"{"name":"KeyinError","code":"INVALID_INPUT","message":"invalid input","httpStatus":null,"errors":[]}"#.into(),
        ),
        (
            ClientError::Proxy {
                status: 429,
                code: "TOO_MANY_ATTEMPTS".into(),
                message: "slow down".into(),
                fields: Some(json(r#"[{"field":"x"}]"#)),
                retry_after: Some(30),
            },
            r#"{"name":"KeyinError","code":"TOO_MANY_ATTEMPTS","message":"slow down","httpStatus":429,
                "fields":[{"field":"x"}],"errors":[{"field":"x"}],"retryAfter":30}"#
                .into(),
        ),
        (
            ClientError::Proxy {
                status: 403,
                code: "FORBIDDEN".into(),
                message: "no".into(),
                fields: None,
                retry_after: None,
            },
            r#"{"name":"KeyinError","code":"FORBIDDEN","message":"no","httpStatus":403}"#.into(),
        ),
        (
            ClientError::Iamport {
                code: "IAMPORT_REFUSED",
                status: 200,
                message: "refused".into(),
                iamport_code: Some(-1),
            },
            r#"{"name":"KeyinError","code":"IAMPORT_REFUSED","message":"refused","httpStatus":200,"iamportCode":-1}"#.into(),
        ),
        (
            ClientError::Iamport {
                code: "MALFORMED_RESPONSE",
                status: 502,
                message: "the answer was not JSON".into(),
                iamport_code: None,
            },
            r#"{"name":"KeyinError","code":"MALFORMED_RESPONSE","message":"the answer was not JSON","httpStatus":502,"iamportCode":null}"#.into(),
        ),
        (
            ClientError::Timeout,
            r#"{"name":"KeyinError","code":"TIMEOUT","message":"the proxy did not answer in time","httpStatus":null}"#.into(),
        ),
        (
            ClientError::Network,
            r#"{"name":"KeyinError","code":"NETWORK_ERROR","message":"the proxy could not be reached","httpStatus":null}"#.into(),
        ),
        (
            ClientError::Unverified {
                code: "WEBHOOK_UNVERIFIED",
                message: "not verified",
            },
            r#"{"name":"KeyinError","code":"WEBHOOK_UNVERIFIED","message":"not verified","httpStatus":null}"#.into(),
        ),
    ];
    for (e, want) in cases {
        assert_eq!(parse(&crate::json::to_json(&e)), parse(&want), "{e:?}");
    }
}

#[test]
fn an_operations_debug_shows_no_card_data() {
    let input = json(
        r#"{"merchant_uid":"m1","amount":1000,"card_number":"4111 1111 1111 1111","expiry":"12/30","birth":"820213","pwd_2digit":"37"}"#,
    );
    let (op, step) = Operation::start(
        OpName::PayOnetime,
        &[input],
        &BuildOptions::at(1_795_875_642),
    );
    assert!(matches!(step, Step::Send(_)), "{step:?}");
    let text = format!("{op:?} {step:?}");
    for secret in ["4111111111111111", "820213", "\"37\""] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    assert_eq!(text.matches("<redacted>").count(), 3, "{text}");
}
