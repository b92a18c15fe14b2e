//! Running one operation against the proxy: send, read the answer as the
//! operation's row says, and for a charge whose answer cannot be trusted,
//! look the `merchant_uid` up instead of ever re-sending.

use super::{UnknownReason, READY_BACKOFF_MS};
use crate::api::body::Body;
use crate::api::operation::{Answer, OpName};
use crate::api::{self, BuildOptions, Customer, Outcome, OutcomeStatus, Request, Schedule, Value};
use crate::error::FieldError;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::proxy::ProxyCode;

/// Why a send got no HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportError {
    /// The client's timeout passed.
    Timeout,
    /// The connection failed (or the request could not be made).
    Network,
}

/// Sends a built request to the proxy. The wasm adapter uses `fetch`; the
/// native tests a scripted fake.
#[allow(async_fn_in_trait)] // used generically within the crate, never as `dyn`
pub trait Transport {
    /// One request: the HTTP status and the parsed JSON body (`None` if not JSON).
    async fn send(&self, req: &Request) -> Result<(u16, Option<Value>), TransportError>;
    /// Waits `ms` (between look-ups).
    async fn sleep(&self, ms: u32);
}

/// A charge's (or look-up's) outcome as the client reports it: the outcome's
/// fields, plus `resolvedByLookup` and `unknownReason` (the adapter adds those
/// two to the outcome's object; no serde `flatten`, whose buffering costs wasm).
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOutcome {
    /// The decoded outcome.
    pub outcome: Outcome,
    /// It came from a look-up by `merchant_uid`.
    pub resolved_by_lookup: bool,
    /// Why `status` is `unknown` (`None` otherwise).
    pub unknown_reason: Option<UnknownReason>,
}

impl crate::json::ToJson for ClientOutcome {
    /// The outcome's members, then `resolvedByLookup` and `unknownReason`.
    fn write_json(&self, out: &mut String) {
        crate::json::Object::new(out)
            .flatten(&self.outcome)
            .member("resolvedByLookup", &self.resolved_by_lookup)
            .member(
                "unknownReason",
                &self.unknown_reason.map(UnknownReason::as_str),
            )
            .end();
    }
}

/// What an operation resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum Answered {
    /// A charge or a look-up.
    Outcome(Box<ClientOutcome>),
    /// A billing key.
    Customer(Box<Customer>),
    /// Several billing keys.
    Customers(Vec<Customer>),
    /// Schedules.
    Schedules(Vec<Schedule>),
    /// One schedule.
    Schedule(Box<Schedule>),
    /// A refund (not in the browser build, which runs no refunds: its answers
    /// then carry none of a refund's code).
    #[cfg(any(not(target_arch = "wasm32"), feature = "proxy"))]
    Refund(Box<super::RefundOutcome>),
    /// Nothing there (a 404 look-up): `null`.
    Null,
}

impl crate::json::ToJson for Answered {
    /// The answer's own JSON (`null` for [`Answered::Null`]).
    fn write_json(&self, out: &mut String) {
        match self {
            Answered::Outcome(o) => o.write_json(out),
            Answered::Customer(c) => c.write_json(out),
            Answered::Customers(c) => c.write_json(out),
            Answered::Schedules(s) => s.write_json(out),
            Answered::Schedule(s) => s.write_json(out),
            #[cfg(any(not(target_arch = "wasm32"), feature = "proxy"))]
            Answered::Refund(r) => r.write_json(out),
            Answered::Null => out.push_str("null"),
        }
    }
}

/// Why an operation rejected. Each maps to a `KeyinError` code.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// The builder refused the input: `INVALID_INPUT` with every field error.
    InvalidInput(Vec<FieldError>),
    /// The proxy refused (its own code), nothing was charged.
    Proxy {
        /// HTTP status.
        status: u16,
        /// The proxy's code (`PROXY_ERROR` when it gave none).
        code: String,
        /// Its message.
        message: String,
        /// Its field errors, as sent.
        fields: Option<Value>,
        /// `TOO_MANY_ATTEMPTS`: seconds until the caller may try again.
        retry_after: Option<u32>,
    },
    /// Iamport answered with an error (or something unreadable).
    Iamport {
        /// `NOT_FOUND`, `IAMPORT_REFUSED`, `IAMPORT_ERROR` or `MALFORMED_RESPONSE`.
        code: &'static str,
        /// HTTP status.
        status: u16,
        /// Iamport's message, or ours.
        message: String,
        /// Iamport's envelope code.
        iamport_code: Option<i64>,
    },
    /// `TIMEOUT`: no answer in time (never for a charge: that is looked up).
    Timeout,
    /// `NETWORK_ERROR`: the proxy could not be reached (never for a charge).
    Network,
    /// A webhook that the look-up does not bear out (`WEBHOOK_UNKNOWN_PAYMENT`,
    /// `WEBHOOK_UNVERIFIED`), or whose body names no payment (`WEBHOOK_MALFORMED`).
    Unverified {
        /// The code.
        code: &'static str,
        /// Why (never the body's content).
        message: &'static str,
    },
}

impl ClientError {
    /// The `KeyinError` code.
    pub fn code(&self) -> &str {
        match self {
            ClientError::InvalidInput(_) => "INVALID_INPUT",
            ClientError::Proxy { code, .. } => code,
            ClientError::Iamport { code, .. } => code,
            ClientError::Timeout => "TIMEOUT",
            ClientError::Network => "NETWORK_ERROR",
            ClientError::Unverified { code, .. } => code,
        }
    }
}

impl crate::json::ToJson for ClientError {
    /// The members of the `KeyinError` it rejects with: `name`, `code`, `message`,
    /// `httpStatus` (`null` without one), and each kind's own: `errors` (every field
    /// error; also the proxy's as `fields`), `retryAfter`, `iamportCode`.
    fn write_json(&self, out: &mut String) {
        let (message, status) = match self {
            ClientError::InvalidInput(errors) => (
                errors
                    .first()
                    .map_or("invalid input", |e| e.message.as_str()),
                None,
            ),
            ClientError::Proxy {
                status, message, ..
            }
            | ClientError::Iamport {
                status, message, ..
            } => (message.as_str(), Some(*status)),
            ClientError::Timeout => ("the proxy did not answer in time", None),
            ClientError::Network => ("the proxy could not be reached", None),
            ClientError::Unverified { message, .. } => (*message, None),
        };
        let mut o = crate::json::Object::new(out);
        o.member("name", &"KeyinError")
            .member("code", &self.code())
            .member("message", &message)
            .member("httpStatus", &status);
        match self {
            ClientError::InvalidInput(errors) => {
                o.member("errors", errors);
            }
            ClientError::Proxy {
                fields,
                retry_after,
                ..
            } => {
                if let Some(fields) = fields {
                    o.member("fields", fields).member("errors", fields);
                }
                o.some("retryAfter", retry_after);
            }
            ClientError::Iamport { iamport_code, .. } => {
                o.member("iamportCode", iamport_code);
            }
            _ => {}
        }
        o.end();
    }
}

/// The proxy's own refusal, when the body is `{"error": {…}}`.
fn proxy_error(body: Option<&Value>) -> Option<&Value> {
    body.and_then(|b| b.get("error"))
        .filter(|e| e.as_object().is_some())
}

/// The proxy's own refusal code (`PROXY_ERROR` when it gave none).
pub(super) fn proxy_code(body: Option<&Value>) -> Option<&str> {
    proxy_error(body).map(|e| {
        e.get("code")
            .and_then(Value::as_str)
            .unwrap_or("PROXY_ERROR")
    })
}

/// The proxy's refusal, or Iamport's error, for an answer that is not a success.
pub(super) fn answer_error(status: u16, body: Option<&Value>) -> ClientError {
    if let Some(err) = proxy_error(body) {
        return ClientError::Proxy {
            status,
            code: proxy_code(body).unwrap_or("PROXY_ERROR").to_owned(),
            message: err
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("the proxy refused the request")
                .to_owned(),
            fields: err.get("fields").cloned(),
            retry_after: err
                .get("retryAfter")
                .and_then(Value::as_i64)
                .and_then(|s| u32::try_from(s).ok()),
        };
    }
    let message = body.and_then(|b| b.get("message")).and_then(Value::as_str);
    let (code, fallback) = match (status, body) {
        (_, None) => ("MALFORMED_RESPONSE", "the answer was not JSON"),
        (404, _) => ("NOT_FOUND", "not found"),
        (200..=299, _) => ("IAMPORT_REFUSED", "Iamport refused the request"),
        _ => ("IAMPORT_ERROR", "Iamport answered with an error"),
    };
    ClientError::Iamport {
        code,
        status,
        message: message.unwrap_or(fallback).to_owned(),
        iamport_code: body.and_then(|b| b.get("code")).and_then(Value::as_i64),
    }
}

/// The payment of a processed look-up: HTTP 200, `code 0` and a payment object.
pub(super) fn answered_payment(status: u16, body: Option<&Value>) -> Option<api::Payment> {
    let body = body?;
    if status != 200 || body.get("code") != Some(&Value::Number(0.0)) {
        return None;
    }
    body.get("response").and_then(api::Payment::from_value)
}

pub(super) fn transport_error(e: TransportError) -> ClientError {
    match e {
        TransportError::Timeout => ClientError::Timeout,
        TransportError::Network => ClientError::Network,
    }
}

/// Builds and runs one operation over `t`: the whole client, minus the I/O. Refunds
/// run here (server-only); every other operation is an [`Operation`], whose steps
/// this loop carries out.
///
/// # Errors
/// [`ClientError`]: invalid input, a proxy refusal, an Iamport error, or (not
/// for charges) a transport failure. A charge's decline is an `Ok` outcome.
pub async fn run<T: Transport>(
    t: &T,
    op: OpName,
    args: &[Value],
    opts: &BuildOptions,
) -> Result<Answered, ClientError> {
    if op.answer() == Answer::Refund {
        // Refunds are server-only: the browser build carries none of their code.
        #[cfg(any(not(target_arch = "wasm32"), feature = "proxy"))]
        return match op.build(args, opts) {
            Ok(req) => super::refund::refund(t, &req, opts)
                .await
                .map(|o| Answered::Refund(Box::new(o))),
            Err(errors) => Err(ClientError::InvalidInput(errors)),
        };
        #[cfg(all(target_arch = "wasm32", not(feature = "proxy")))]
        return Err(ClientError::InvalidInput(Vec::new()));
    }
    let (mut operation, mut step) = Operation::start(op, args, opts);
    loop {
        step = match step {
            Step::Send(req) => operation.answer(t.send(&req).await),
            Step::Sleep(ms) => {
                t.sleep(ms).await;
                operation.woke()
            }
            Step::Done(result) => return result,
        };
    }
}

/// What an [`Operation`] needs next.
#[derive(Debug)]
pub enum Step {
    /// Send this request to the proxy, and hand its answer to [`Operation::answer`].
    Send(Box<Request>),
    /// Wait this many ms, then call [`Operation::woke`].
    Sleep(u32),
    /// The operation has ended with this.
    Done(Result<Answered, ClientError>),
}

/// One operation (any but a refund) as a state machine, with no I/O of its own: it
/// says what it needs next ([`Step`]) and is handed the result. [`run`] drives it
/// over a [`Transport`]; `KeyinClient` hands each step to its JS driver. A charge
/// is sent once: when its answer cannot be trusted, it is settled by looking its
/// `merchant_uid` up, with bounded back-off, and never sent again.
#[derive(Debug)]
pub struct Operation {
    opts: BuildOptions,
    state: State,
}

#[derive(Debug)]
enum State {
    /// Waiting for the answer to a non-charge's request.
    Plain(OpName),
    /// Waiting for the answer to the charge.
    Charge(Charge),
    /// Settling the charge: waiting for its look-up's answer, or (`waiting`) for
    /// the wait before it.
    Lookup(Settling, bool),
    /// Done: it has answered [`Step::Done`].
    Ended,
}

/// The charge being settled.
#[derive(Debug)]
struct Charge {
    merchant_uid: String,
    amount: u64,
}

/// A charge being settled by look-ups.
#[derive(Debug)]
struct Settling {
    charge: Charge,
    /// The look-up being made (0: the first).
    attempt: usize,
    /// Why it is still unknown, after the look-ups so far.
    last: UnknownReason,
    /// The last `ready` payment seen.
    last_ready: Option<Box<Outcome>>,
}

impl Operation {
    /// Builds operation `op`'s request from `args`: the operation and its first step.
    pub fn start(op: OpName, args: &[Value], opts: &BuildOptions) -> (Operation, Step) {
        let mut operation = Operation {
            opts: *opts,
            state: State::Ended,
        };
        let req = match op.build(args, opts) {
            Ok(req) => req,
            Err(errors) => {
                return (
                    operation,
                    Step::Done(Err(ClientError::InvalidInput(errors))),
                )
            }
        };
        if op.charges_now() {
            let (merchant_uid, amount) = match &req.body {
                Some(Body::OnetimePayment(b)) => (b.merchant_uid.clone(), b.amount),
                Some(Body::AgainPayment(b)) => (b.merchant_uid.clone(), b.amount),
                _ => {
                    return (
                        operation,
                        Step::Done(Err(ClientError::InvalidInput(Vec::new()))),
                    )
                }
            };
            operation.state = State::Charge(Charge {
                merchant_uid,
                amount,
            });
        } else if op.answer() == Answer::Refund {
            // Refunds run in `run` (server-only), never as an `Operation`.
            return (
                operation,
                Step::Done(Err(ClientError::InvalidInput(Vec::new()))),
            );
        } else {
            operation.state = State::Plain(op);
        }
        (operation, Step::Send(Box::new(req)))
    }

    /// Hands over the answer to the request of the last [`Step::Send`]: the HTTP
    /// status and the parsed JSON body (`None` if not JSON), or why none came.
    pub fn answer(&mut self, answer: Result<(u16, Option<Value>), TransportError>) -> Step {
        match core::mem::replace(&mut self.state, State::Ended) {
            State::Plain(op) => Step::Done(match answer {
                Ok((status, body)) => plain_answer(op, status, body.as_ref()),
                Err(e) => Err(transport_error(e)),
            }),
            State::Charge(charge) => match settled(answer, charge.amount) {
                Ok(Some(outcome)) => Step::Done(Ok(Answered::Outcome(Box::new(ClientOutcome {
                    outcome,
                    resolved_by_lookup: false,
                    unknown_reason: None,
                })))),
                Err(e) => Step::Done(Err(e)),
                // No answer that can be trusted: look it up.
                Ok(None) => self.look_up(Settling {
                    charge,
                    attempt: 0,
                    last: UnknownReason::LookupFailed,
                    last_ready: None,
                }),
            },
            State::Lookup(mut s, false) => {
                s.last = match looked_up(answer, s.charge.amount) {
                    Ok(Some(o)) if o.status == OutcomeStatus::Ready => {
                        s.last_ready = Some(Box::new(o));
                        UnknownReason::StillReady
                    }
                    Ok(Some(o)) if o.status == OutcomeStatus::Unknown => {
                        return self.done_unknown(UnknownReason::UnrecognisedStatus, Some(o))
                    }
                    Ok(Some(outcome)) => {
                        return Step::Done(Ok(Answered::Outcome(Box::new(ClientOutcome {
                            outcome,
                            resolved_by_lookup: true,
                            unknown_reason: None,
                        }))))
                    }
                    Ok(None) => UnknownReason::NotFound,
                    Err(()) => UnknownReason::LookupFailed,
                };
                self.after_look_up(s)
            }
            // Answered while waiting (the driver never does): the wait is over.
            state @ State::Lookup(_, true) => {
                self.state = state;
                self.woke()
            }
            State::Ended => Step::Done(Err(ClientError::Network)),
        }
    }

    /// The wait of the last [`Step::Sleep`] is over.
    pub fn woke(&mut self) -> Step {
        match core::mem::replace(&mut self.state, State::Ended) {
            State::Lookup(s, true) => self.look_up(s),
            // Woken while a request is out (the driver never does): as if that
            // request got no answer, which never re-sends a charge.
            state => {
                self.state = state;
                self.answer(Err(TransportError::Network))
            }
        }
    }

    /// The charge's look-up number `s.attempt`.
    fn look_up(&mut self, mut s: Settling) -> Step {
        let uid = Value::String(s.charge.merchant_uid.clone());
        match api::build_find_payment(&uid, &Value::Null, &self.opts) {
            Ok(req) => {
                self.state = State::Lookup(s, false);
                Step::Send(Box::new(req))
            }
            // (A merchant_uid the charge's builder accepted is always a valid one.)
            Err(_) => {
                s.last = UnknownReason::LookupFailed;
                self.after_look_up(s)
            }
        }
    }

    /// After look-up `s.attempt`, still unknown: wait and look up again, or (when
    /// the back-off is spent) report what the last look-up saw.
    fn after_look_up(&mut self, mut s: Settling) -> Step {
        match READY_BACKOFF_MS.get(s.attempt) {
            Some(&ms) => {
                s.attempt += 1;
                self.state = State::Lookup(s, true);
                Step::Sleep(ms)
            }
            None => {
                let seen = if s.last == UnknownReason::StillReady {
                    s.last_ready.map(|o| *o)
                } else {
                    None
                };
                self.done_unknown(s.last, seen)
            }
        }
    }

    fn done_unknown(&mut self, reason: UnknownReason, seen: Option<Outcome>) -> Step {
        self.state = State::Ended;
        Step::Done(Ok(Answered::Outcome(Box::new(unknown(reason, seen)))))
    }
}

/// A non-charge's answer, read as its row says.
fn plain_answer(op: OpName, status: u16, body: Option<&Value>) -> Result<Answered, ClientError> {
    if proxy_code(body).is_some() {
        return Err(answer_error(status, body));
    }
    let err = |_| answer_error(status, body);
    Ok(match op.answer() {
        Answer::OutcomeOrNull | Answer::CustomerOrNull | Answer::ScheduleOrNull
            if status == 404 =>
        {
            Answered::Null
        }
        Answer::Outcome | Answer::OutcomeOrNull => {
            let o = api::decode_outcome(status, body, None);
            if o.status == OutcomeStatus::Rejected || o.payment.is_none() {
                return Err(answer_error(status, body));
            }
            Answered::Outcome(Box::new(ClientOutcome {
                outcome: o,
                resolved_by_lookup: false,
                unknown_reason: None,
            }))
        }
        Answer::Customer | Answer::CustomerOrNull => {
            Answered::Customer(Box::new(api::decode_customer(status, body).map_err(err)?))
        }
        Answer::Customers => Answered::Customers(api::decode_customers(status, body).map_err(err)?),
        Answer::Schedules => {
            Answered::Schedules(api::decode_schedules(status, body).map_err(err)?.list)
        }
        Answer::ScheduleOrNull => {
            let page = api::decode_schedules(status, body).map_err(err)?;
            page.list
                .into_iter()
                .next()
                .map_or(Answered::Null, |s| Answered::Schedule(Box::new(s)))
        }
        // A refund is never an `Operation`, nor read as a plain answer.
        Answer::Refund => return Err(answer_error(status, body)),
    })
}

/// The charge's own answer: `Ok(Some)` when it settles the charge (paid, failed,
/// cancelled); `Ok(None)` when it cannot be trusted, so the charge must be looked
/// up: a timeout, a dropped connection, a proxy code that may follow a charge
/// (`OUTCOME_UNKNOWN`, `INTERNAL`, or one this version does not know), a 5xx, a
/// malformed body, a `ready` payment; `Err` only when nothing was charged (a proxy
/// refusal that precedes any charge, an Iamport 4xx).
fn settled(
    answer: Result<(u16, Option<Value>), TransportError>,
    amount: u64,
) -> Result<Option<Outcome>, ClientError> {
    // A timeout or a dropped connection: the charge may have happened.
    let Ok((status, body)) = answer else {
        return Ok(None);
    };
    match proxy_code(body.as_ref()) {
        Some(code) if ProxyCode::wire_may_have_charged(code) => Ok(None),
        Some(_) => Err(answer_error(status, body.as_ref())),
        None if (400..500).contains(&status) => Err(answer_error(status, body.as_ref())),
        None => {
            let o = api::decode_outcome(status, body.as_ref(), Some(amount));
            match o.status {
                OutcomeStatus::Unknown | OutcomeStatus::Ready => Ok(None),
                _ => Ok(Some(o)),
            }
        }
    }
}

/// A look-up's answer: `Ok(None)` when there is no payment, `Err` when the look-up
/// failed (no answer, a refusal, an unreadable payment).
fn looked_up(
    answer: Result<(u16, Option<Value>), TransportError>,
    amount: u64,
) -> Result<Option<Outcome>, ()> {
    let (status, body) = answer.map_err(|_| ())?;
    if status == 404 && proxy_code(body.as_ref()).is_none() {
        return Ok(None);
    }
    let o = api::decode_outcome(status, body.as_ref(), Some(amount));
    match o.payment {
        Some(_) if status == 200 => Ok(Some(o)),
        _ => Err(()),
    }
}

fn unknown(reason: UnknownReason, seen: Option<Outcome>) -> ClientOutcome {
    ClientOutcome {
        outcome: Outcome {
            status: OutcomeStatus::Unknown,
            http_status: seen.as_ref().map_or(0, |p| p.http_status),
            payment: seen.and_then(|p| p.payment),
            fail_reason: None,
            iamport_code: None,
            message: Some(reason.charge_advice().to_owned()),
            error_code: None,
            amount_mismatch: false,
        },
        resolved_by_lookup: true,
        unknown_reason: Some(reason),
    }
}
