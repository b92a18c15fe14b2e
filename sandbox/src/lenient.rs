//! Answering like Iamport: what the sandbox accepts although iamport-keyin's
//! builders would refuse it, and the list of those acceptances
//! (`GET /__sandbox/warnings`).
//!
//! The builders stay strict (`UNKNOWN_FIELD` catches a merchant's typo before
//! anything is sent); Iamport itself ignores fields it does not use. So, unless
//! the sandbox runs with `--strict`, a request the builder refuses only for
//! unknown fields is built again without them: every field the builder reports
//! as `UNKNOWN_FIELD` (at any depth, e.g. `schedules[0].x`) is removed from the
//! parsed body (JSON or form alike) and the builder runs again. Any other
//! builder error is still a refusal. Each acceptance is recorded as a
//! [`Warning`]: the route template, the field path the builder reported and
//! the rule, never a value.

use iamport_keyin::api::operation::{args_from_http, Arg, OpName};
use iamport_keyin::api::{BuildOptions, Request, Value};
use iamport_keyin::{ErrorCode, FieldError};
use serde_json::{json, Value as Json};

/// At most this many distinct warnings are kept (each with a count); further
/// distinct ones are not listed.
const MAX_WARNINGS: usize = 1000;

/// At most this many rebuilds per request: every round removes at least one
/// field, and the builders report all unknown fields at once, so one rebuild is
/// the usual case.
const MAX_ROUNDS: usize = 4;

/// Why the sandbox accepted a field the builder would refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A field the operation does not use: ignored, as Iamport ignores it.
    UnknownField,
    /// `customer_uid` in the body of `POST /subscribe/customers/{customer_uid}`
    /// differs from the path's: the path wins and the body's is ignored.
    PathWins,
}

impl Rule {
    /// The rule's stable name in `GET /__sandbox/warnings`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::UnknownField => "UNKNOWN_FIELD",
            Rule::PathWins => "PATH_WINS",
        }
    }
}

/// One kind of acceptance: where, which field, which rule, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// `"METHOD /path/{template}"`.
    pub route: String,
    /// The field's path as the builder reports it (`schedules[0].x`;
    /// `(unprintable key)` for a key that could hold card data).
    pub field: String,
    /// Why it was accepted.
    pub rule: Rule,
    /// How many requests were accepted this way.
    pub count: u64,
}

/// The warnings recorded since the last reset, deduplicated.
#[derive(Debug, Default)]
pub struct Warnings(Vec<Warning>);

impl Warnings {
    /// Records one acceptance (adds to the count of an identical one).
    pub fn record(&mut self, route: &str, field: &str, rule: Rule) {
        if let Some(w) = self
            .0
            .iter_mut()
            .find(|w| w.route == route && w.field == field && w.rule == rule)
        {
            w.count += 1;
        } else if self.0.len() < MAX_WARNINGS {
            self.0.push(Warning {
                route: route.to_owned(),
                field: field.to_owned(),
                rule,
                count: 1,
            });
        }
    }

    /// `{"warnings": [{"route", "field", "rule", "count"}]}`, oldest first.
    pub fn to_json(&self) -> Json {
        let list: Vec<Json> = self
            .0
            .iter()
            .map(|w| json!({"route": w.route, "field": w.field, "rule": w.rule.as_str(), "count": w.count}))
            .collect();
        json!({ "warnings": list })
    }
}

/// A request the builder accepted: its arguments as built, the wire request,
/// and what was accepted although the builder would have refused it.
#[derive(Debug)]
pub struct Accepted {
    /// The arguments the builder accepted (after any removal).
    pub args: Vec<Value>,
    /// The builder's request.
    pub request: Request,
    /// `(field, rule)` per field removed, to record once the request is served.
    pub lenient: Vec<(String, Rule)>,
}

/// Builds an operation's request from its HTTP parts as the proxy reads them;
/// unless `strict`, a refusal for unknown body fields is retried without them.
///
/// # Errors
/// The builder's errors when it refuses for anything else (or, `strict`, at all).
pub fn build(
    op: OpName,
    params: &[String],
    query: &str,
    mut body: Option<Value>,
    opts: &BuildOptions,
    strict: bool,
) -> Result<Accepted, Vec<FieldError>> {
    let mut lenient: Vec<(String, Rule)> = Vec::new();
    let takes_body = op.spec().args.contains(&Arg::Body);
    for _ in 0..MAX_ROUNDS {
        let args = args_from_http(op, params, query, body.as_ref());
        let errors = match op.spec().build(&args, opts) {
            Ok(request) => {
                return Ok(Accepted {
                    args,
                    request,
                    lenient,
                })
            }
            Err(errors) => errors,
        };
        // One entry per path: two unprintable keys of one object share theirs.
        let mut unknown: Vec<&str> = Vec::new();
        for e in errors.iter().filter(|e| e.code == ErrorCode::UnknownField) {
            if !unknown.contains(&e.field.as_str()) {
                unknown.push(&e.field);
            }
        }
        let Some(b) = body.as_mut().filter(|_| !strict && takes_body) else {
            return Err(errors);
        };
        if unknown.is_empty() {
            return Err(errors);
        }
        for field in unknown {
            let rule = rule_of(op, params, b, field);
            if !strip(b, field) {
                // Nothing to remove (the field is not in the body): a refusal.
                return Err(errors);
            }
            lenient.push((field.to_owned(), rule));
        }
    }
    let args = args_from_http(op, params, query, body.as_ref());
    op.spec().build(&args, opts).map(|request| Accepted {
        args,
        request,
        lenient,
    })
}

/// [`Rule::PathWins`] for a billing key's body `customer_uid` other than the
/// path's; [`Rule::UnknownField`] otherwise (an equal one included).
fn rule_of(op: OpName, params: &[String], body: &Value, field: &str) -> Rule {
    if op == OpName::RegisterBillingKey && field == "customer_uid" {
        let in_body = body.get("customer_uid").and_then(Value::as_str);
        if in_body != params.first().map(String::as_str) {
            return Rule::PathWins;
        }
    }
    Rule::UnknownField
}

/// The builders' rule for a key they print in an error path (iamport-keyin's
/// `printable_key`): any other key is reported as `(unprintable key)`, since it
/// could hold card data.
fn printable(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
        && key.bytes().filter(u8::is_ascii_digit).count() < 6
}

const UNPRINTABLE: &str = "(unprintable key)";

/// Removes the field at a builder's error `path` (`a`, `a.b`, `a[0].b`) from
/// `v`; `(unprintable key)` removes every unprintable key of its object.
/// Returns whether anything was removed.
pub fn strip(v: &mut Value, path: &str) -> bool {
    let Value::Object(fields) = v else {
        return false;
    };
    let before = fields.len();
    fields.retain(|(k, _)| !(k == path || (path == UNPRINTABLE && !printable(k))));
    if fields.len() != before {
        return true;
    }
    for (k, child) in fields.iter_mut() {
        let Some(rest) = path.strip_prefix(k.as_str()) else {
            continue;
        };
        if let Some(rest) = rest.strip_prefix('.') {
            if strip(child, rest) {
                return true;
            }
        } else if let Some((index, rest)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            let item = match (index.parse::<usize>(), &mut *child) {
                (Ok(i), Value::Array(items)) => items.get_mut(i),
                _ => None,
            };
            let rest = rest.strip_prefix('.').unwrap_or(rest);
            if item.is_some_and(|item| strip(item, rest)) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamport_keyin::api::parse_json;

    fn v(text: &str) -> Value {
        parse_json(text).expect("json")
    }

    #[test]
    fn strips_top_level_nested_and_unprintable_keys() {
        let mut a = v(r#"{"a":1,"b":2,"b":3}"#);
        assert!(strip(&mut a, "b"));
        assert_eq!(a, v(r#"{"a":1}"#));

        let mut s = v(r#"{"schedules":[{"x":1,"y":2},{"x":3}]}"#);
        assert!(strip(&mut s, "schedules[1].x"));
        assert_eq!(s, v(r#"{"schedules":[{"x":1,"y":2},{}]}"#));
        assert!(!strip(&mut s, "schedules[5].x"));
        assert!(!strip(&mut s, "nothing"));

        let mut u = v(r#"{"ok":1,"4111111111111111":1}"#);
        assert!(strip(&mut u, UNPRINTABLE));
        assert_eq!(u, v(r#"{"ok":1}"#));
    }

    #[test]
    fn warnings_are_deduplicated_with_a_count() {
        let mut w = Warnings::default();
        w.record("POST /x", "a", Rule::UnknownField);
        w.record("POST /x", "a", Rule::UnknownField);
        w.record("POST /x", "a", Rule::PathWins);
        assert_eq!(
            w.to_json(),
            json!({"warnings": [
                {"route": "POST /x", "field": "a", "rule": "UNKNOWN_FIELD", "count": 2},
                {"route": "POST /x", "field": "a", "rule": "PATH_WINS", "count": 1},
            ]})
        );
    }
}
