//! The one definition of an operation: every Iamport endpoint this crate
//! speaks is one row of [`OPERATIONS`].
//!
//! A row names the operation three ways (the client's method, the builder's
//! export, the name merchant hooks see), gives its HTTP method and path
//! template, says whether it charges, which arguments it takes and where the
//! proxy finds each of them in an HTTP request, how its answer is decoded, and
//! which builder re-validates it. The proxy routes by this table
//! ([`route`]), the client's methods and the JS export lists are checked
//! against it by tests, and the sandbox routes the same templates.
//!
//! Adding an operation: a row here, a builder in `build.rs`, its wire body in
//! `body.rs`, a handler in the sandbox; the tests then name every export list
//! and declaration still missing it.

#[allow(unused_imports)]
use crate::prelude::*;
use serde::{Serialize, Serializer};

use super::build::{self, Built};
use super::refund;
use super::request::{percent_decode_segment, BuildOptions, Method};
use super::value::Value;

/// The table's one definition: each row becomes a variant of [`OpName`], a
/// `match` arm of each of its accessors, and an [`Operation`] in
/// [`OPERATIONS`]. The browser build reads rows through the accessors (so the
/// proxy's paths and names, which it never uses, are left out of its wasm); the
/// proxy, the sandbox and the tests iterate [`OPERATIONS`].
macro_rules! operations {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            client: $client:literal,
            builder: $builder:literal,
            hook: $hook:literal,
            method: $method:ident,
            path: $path:literal,
            args: [$($arg:expr),* $(,)?],
            charge: $charge:ident,
            answer: $answer:ident,
            build: $build:expr,
        },
    )*) => {
        /// An operation's identity: one per row of the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum OpName {
            $($(#[$doc])* $name,)*
        }

        /// Every operation, in the order of the docs.
        pub const OPERATIONS: &[Operation] = &[$(
            Operation {
                name: OpName::$name,
                client: $client,
                builder: $builder,
                hook: $hook,
                method: Method::$method,
                path: $path,
                args: &[$($arg),*],
                charge: Charge::$charge,
                answer: Answer::$answer,
            },
        )*];

        impl OpName {
            /// Every operation, in table order.
            pub const ALL: &'static [OpName] = &[$(OpName::$name,)*];

            /// The `KeyinClient` method, and the name in the proxy's `operations` option.
            pub const fn client(self) -> &'static str {
                match self { $(OpName::$name => $client,)* }
            }

            /// The operation whose client method (or `operations` entry) is `client`.
            pub fn from_client(client: &str) -> Option<OpName> {
                match client { $($client => Some(OpName::$name),)* _ => None }
            }

            /// The name merchant hooks see.
            pub const fn hook_name(self) -> &'static str {
                match self { $(OpName::$name => $hook,)* }
            }

            /// Whether, and when, it moves money.
            pub const fn charge(self) -> Charge {
                match self { $(OpName::$name => Charge::$charge,)* }
            }

            /// How the client reads its answer.
            pub const fn answer(self) -> Answer {
                match self { $(OpName::$name => Answer::$answer,)* }
            }

            /// Runs its builder on the arguments (missing ones are `null`).
            pub fn build(self, args: &[Value], opts: &BuildOptions) -> Built {
                match self { $(OpName::$name => ($build as fn(&[Value], &BuildOptions) -> Built)(args, opts),)* }
            }

            /// Whether a lost answer leaves a payment's outcome unknown.
            pub const fn charges_now(self) -> bool {
                matches!(self.charge(), Charge::Now)
            }

            /// Whether only the server client runs it (never the proxy, never a browser).
            pub const fn server_only(self) -> bool {
                matches!(self.charge(), Charge::Refund)
            }

            /// Its row in [`OPERATIONS`] (the rows are in variant order; a test checks it).
            pub fn spec(self) -> &'static Operation {
                &OPERATIONS[self as usize]
            }
        }
    };
}

/// Whether, and when, an operation moves money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charge {
    /// Never.
    No,
    /// Now: an answer that never came leaves the outcome unknown, to be settled
    /// by looking the `merchant_uid` up.
    Now,
    /// Later (schedules; `checking_amount` is a test charge now, cancelled at once).
    Scheduled,
    /// Money back: a refund. Like a charge, a lost answer is looked up, never
    /// re-sent. Server-only: the proxy never serves it, and the browser's
    /// `KeyinClient` has no method for it.
    Refund,
}

/// One argument of the client's method (and of the builder), and where the
/// proxy finds it in the HTTP request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// The JSON body.
    Body,
    /// The next `{…}` segment of the path.
    Path,
    /// One query parameter (`null` when absent).
    Query(&'static str),
    /// Every value of a repeated query parameter, as an array.
    QueryList(&'static str),
    /// Every query parameter as an object; whole numbers read as numbers; the
    /// pairs rename wire names to the builder's (`schedule-status` → `status`).
    QueryParams(&'static [(&'static str, &'static str)]),
}

/// How the client reads an operation's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// A charge's `Outcome` (never rejected for a decline).
    Outcome,
    /// A payment look-up: an `Outcome`, or `null` on 404.
    OutcomeOrNull,
    /// A `Customer`.
    Customer,
    /// A `Customer`, or `null` on 404.
    CustomerOrNull,
    /// `Customer[]` (HTTP 207 included).
    Customers,
    /// `Schedule[]`.
    Schedules,
    /// One `Schedule`, or `null` on 404.
    ScheduleOrNull,
    /// A refund's `RefundOutcome`.
    Refund,
}

/// One row of the operation table.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The identity.
    pub name: OpName,
    /// The `KeyinClient` method, and the name in the proxy's `operations` option.
    pub client: &'static str,
    /// The builder's JS export.
    pub builder: &'static str,
    /// The name merchant hooks and the log hook see (`operation.name`).
    pub hook: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path under the API base; `{…}` is one percent-encoded uid segment.
    pub path: &'static str,
    /// The client method's arguments, in order (the builder takes the same, then options).
    pub args: &'static [Arg],
    /// Whether it moves money.
    pub charge: Charge,
    /// How its answer is read.
    pub answer: Answer,
}

impl Operation {
    /// Whether a lost answer leaves a payment's outcome unknown (look it up, never re-send).
    pub fn charges_now(&self) -> bool {
        self.name.charges_now()
    }

    /// Whether the proxy must price it (`resolveAmount`) before forwarding.
    pub fn is_priced(&self) -> bool {
        matches!(self.charge, Charge::Now | Charge::Scheduled)
    }

    /// Runs the builder on the arguments (missing ones are `null`): [`OpName::build`].
    pub fn build(&self, args: &[Value], opts: &BuildOptions) -> Built {
        self.name.build(args, opts)
    }
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Null)
}

operations! {
    /// `POST /subscribe/payments/onetime`: a key-in payment.
    PayOnetime {
        client: "payOnetime",
        builder: "buildOnetimePayment",
        hook: "onetime",
        method: Post,
        path: "/subscribe/payments/onetime",
        args: [Arg::Body],
        charge: Now,
        answer: Outcome,
        build: |a, o| build::build_onetime_payment(arg(a, 0), o),
    },
    /// `POST /subscribe/customers/{customer_uid}`: store a billing key.
    RegisterBillingKey {
        client: "registerBillingKey",
        builder: "buildBillingKey",
        hook: "billingKey",
        method: Post,
        path: "/subscribe/customers/{customer_uid}",
        args: [Arg::Path, Arg::Body],
        charge: No,
        answer: Customer,
        build: |a, o| build::build_billing_key(arg(a, 0), arg(a, 1), o),
    },
    /// `GET /subscribe/customers/{customer_uid}`.
    GetBillingKey {
        client: "getBillingKey",
        builder: "buildGetBillingKey",
        hook: "getBillingKey",
        method: Get,
        path: "/subscribe/customers/{customer_uid}",
        args: [Arg::Path],
        charge: No,
        answer: CustomerOrNull,
        build: |a, o| build::build_get_billing_key(arg(a, 0), o),
    },
    /// `DELETE /subscribe/customers/{customer_uid}`.
    DeleteBillingKey {
        client: "deleteBillingKey",
        builder: "buildDeleteBillingKey",
        hook: "deleteBillingKey",
        method: Delete,
        path: "/subscribe/customers/{customer_uid}",
        args: [Arg::Path, Arg::Query("reason")],
        charge: No,
        answer: Customer,
        build: |a, o| build::build_delete_billing_key(arg(a, 0), arg(a, 1), o),
    },
    /// `GET /subscribe/customers?customer_uid[]=…`.
    GetBillingKeys {
        client: "getBillingKeys",
        builder: "buildGetBillingKeys",
        hook: "getBillingKeys",
        method: Get,
        path: "/subscribe/customers",
        args: [Arg::QueryList("customer_uid[]")],
        charge: No,
        answer: Customers,
        build: |a, o| build::build_get_billing_keys(arg(a, 0), o),
    },
    /// `POST /subscribe/payments/again`: charge a stored billing key.
    PayAgain {
        client: "payAgain",
        builder: "buildAgainPayment",
        hook: "again",
        method: Post,
        path: "/subscribe/payments/again",
        args: [Arg::Body],
        charge: Now,
        answer: Outcome,
        build: |a, o| build::build_again_payment(arg(a, 0), o),
    },
    /// `POST /subscribe/payments/schedule`.
    Schedule {
        client: "schedule",
        builder: "buildSchedule",
        hook: "schedule",
        method: Post,
        path: "/subscribe/payments/schedule",
        args: [Arg::Body],
        charge: Scheduled,
        answer: Schedules,
        build: |a, o| build::build_schedule(arg(a, 0), o),
    },
    /// `POST /subscribe/payments/unschedule`.
    Unschedule {
        client: "unschedule",
        builder: "buildUnschedule",
        hook: "unschedule",
        method: Post,
        path: "/subscribe/payments/unschedule",
        args: [Arg::Body],
        charge: No,
        answer: Schedules,
        build: |a, o| build::build_unschedule(arg(a, 0), o),
    },
    /// `GET /subscribe/payments/schedule/{merchant_uid}`.
    GetSchedule {
        client: "getSchedule",
        builder: "buildGetSchedule",
        hook: "getSchedule",
        method: Get,
        path: "/subscribe/payments/schedule/{merchant_uid}",
        args: [Arg::Path],
        charge: No,
        answer: ScheduleOrNull,
        build: |a, o| build::build_get_schedule(arg(a, 0), o),
    },
    /// `GET /subscribe/payments/schedule/customers/{customer_uid}`.
    GetSchedulesByCustomer {
        client: "getSchedulesByCustomer",
        builder: "buildGetSchedulesByCustomer",
        hook: "getSchedulesByCustomer",
        method: Get,
        path: "/subscribe/payments/schedule/customers/{customer_uid}",
        args: [
            Arg::Path,
            Arg::QueryParams(&[("schedule-status", "status")]),
        ],
        charge: No,
        answer: Schedules,
        build: |a, o| build::build_get_schedules_by_customer(arg(a, 0), arg(a, 1), o),
    },
    /// `GET /payments/find/{merchant_uid}`: the look-up that settles an unknown charge.
    FindPayment {
        client: "findPayment",
        builder: "buildFindPayment",
        hook: "findPayment",
        method: Get,
        path: "/payments/find/{merchant_uid}",
        args: [Arg::Path],
        charge: No,
        answer: OutcomeOrNull,
        build: |a, o| build::build_find_payment(arg(a, 0), &Value::Null, o),
    },
    /// `GET /payments/{imp_uid}`: one payment by Iamport's id (a webhook's).
    GetPayment {
        client: "getPayment",
        builder: "buildGetPayment",
        hook: "getPayment",
        method: Get,
        path: "/payments/{imp_uid}",
        args: [Arg::Path],
        charge: No,
        answer: OutcomeOrNull,
        build: |a, o| refund::build_get_payment(arg(a, 0), o),
    },
    /// `POST /payments/cancel`: a full or partial refund (server only).
    CancelPayment {
        client: "cancelPayment",
        builder: "buildCancelPayment",
        hook: "cancelPayment",
        method: Post,
        path: "/payments/cancel",
        args: [Arg::Body],
        charge: Refund,
        answer: Refund,
        build: |a, o| refund::build_cancel_row(arg(a, 0), o),
    },
}

impl Serialize for OpName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.hook_name())
    }
}

/// Why a request matched no operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteMiss {
    /// No operation has this path.
    NotFound,
    /// The path is an operation's, the method is not.
    MethodNotAllowed,
}

/// Matches a method and a path (under the API base: `/subscribe/…`) against
/// the table. Paths match exactly: case-sensitive, no empty, `.` or `..`
/// segment, no trailing slash. A `{…}` segment is percent-decoded (a malformed
/// escape is no match) and returned for the builder to validate.
///
/// # Errors
/// [`RouteMiss`].
pub fn route(method: &str, path: &str) -> Result<(OpName, Vec<String>), RouteMiss> {
    let rest = path.strip_prefix('/').ok_or(RouteMiss::NotFound)?;
    let segs: Vec<&str> = rest.split('/').collect();
    if segs.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(RouteMiss::NotFound);
    }
    let mut path_matched = false;
    for op in OPERATIONS {
        let Some(params) = match_template(op.path, &segs) else {
            continue;
        };
        path_matched = true;
        if op.method.as_str() == method {
            return Ok((op.name, params));
        }
    }
    Err(if path_matched {
        RouteMiss::MethodNotAllowed
    } else {
        RouteMiss::NotFound
    })
}

fn match_template(template: &str, segs: &[&str]) -> Option<Vec<String>> {
    let parts: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    if parts.len() != segs.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, seg) in parts.iter().zip(segs) {
        if part.starts_with('{') {
            params.push(percent_decode_segment(seg)?);
        } else if part != seg {
            return None;
        }
    }
    Some(params)
}

/// Query pairs, percent-decoded, `+` read as a space; a pair that does not
/// decode is dropped.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| percent_decode_segment(&s.replace('+', " "));
            Some((dec(k)?, dec(v)?))
        })
        .collect()
}

/// The builder's arguments, read from an HTTP request as `op`'s row says:
/// path parameters (from [`route`]), the query string (without `?`) and the
/// parsed JSON body (`None` for no body: an empty object).
pub fn args_from_http(
    op: OpName,
    params: &[String],
    query: &str,
    body: Option<&Value>,
) -> Vec<Value> {
    let mut params = params.iter();
    let pairs = || query_pairs(query);
    op.spec()
        .args
        .iter()
        .map(|a| match *a {
            Arg::Body => body.cloned().unwrap_or(Value::Object(Vec::new())),
            Arg::Path => params
                .next()
                .map_or(Value::Null, |s| Value::String(s.clone())),
            Arg::Query(key) => pairs()
                .into_iter()
                .find(|(k, _)| k == key)
                .map_or(Value::Null, |(_, v)| Value::String(v)),
            Arg::QueryList(key) => Value::Array(
                pairs()
                    .into_iter()
                    .filter(|(k, _)| k == key)
                    .map(|(_, v)| Value::String(v))
                    .collect(),
            ),
            Arg::QueryParams(renames) => Value::Object(
                pairs()
                    .into_iter()
                    .map(|(k, v)| {
                        let key = renames
                            .iter()
                            .find(|(wire, _)| *wire == k)
                            .map_or(k, |(_, to)| (*to).to_owned());
                        let value = v
                            .parse::<i64>()
                            .ok()
                            .filter(|n| n.unsigned_abs() <= super::value::MAX_SAFE_INTEGER as u64)
                            .map_or(Value::String(v), |n| Value::Number(n as f64));
                        (key, value)
                    })
                    .collect(),
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests;
