//! The limits as the `limits` option spells them, and the one-round-trip
//! protocol between a proxy and the Durable Object that holds the counters
//! (the object runs [`admit`] / [`record`] itself, over its [`MemoryStore`]).

use super::{
    admit, record, run_ready, Admission, Admitted, Entry, LimitEvent, Limits, MemoryAt,
    MemoryStore, Reason, Scope, ScopeKind,
};
use crate::api::json::parse_json;
use crate::api::value::Value;
#[allow(unused_imports)]
use crate::prelude::*;

fn num(n: u32) -> Value {
    Value::Number(f64::from(n))
}

/// Reads one whole number from 1 to `u32::MAX` (`None` when absent).
fn whole(obj: &Value, key: &str, path: &str) -> Result<Option<u32>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.fract() == 0.0 && *n >= 1.0 && *n <= f64::from(u32::MAX) => {
            Ok(Some(*n as u32))
        }
        Some(_) => Err(format!(
            "createProxy: limits.{path}{key} must be a whole number from 1"
        )),
    }
}

/// Refuses keys a limit does not have (a typo must not leave a default in force silently).
fn only(obj: &Value, keys: &[&str], path: &str) -> Result<(), String> {
    let Some(fields) = obj.as_object() else {
        return Err(format!("createProxy: limits{path} must be an object"));
    };
    match fields.iter().find(|(k, _)| !keys.contains(&k.as_str())) {
        Some((k, _)) => Err(format!(
            "createProxy: limits{path} has no {:?} (it has {})",
            crate::api::read::printable_key(k),
            keys.join(", ")
        )),
        None => Ok(()),
    }
}

impl Limits {
    /// Reads the `limits` option (and the wire form, which is the same): any
    /// limit left out keeps its default. `store` is the adapter's, and passed over.
    ///
    /// # Errors
    /// The `TypeError` message for an unknown key or a value out of range.
    pub fn from_value(v: &Value) -> Result<Limits, String> {
        only(
            v,
            &[
                "attempts",
                "declines",
                "cards",
                "cooldownSeconds",
                "breaker",
                "store",
            ],
            "",
        )?;
        let mut l = Limits::default();
        let rate = |key: &str, r: &mut super::Rate, soft: Option<&mut u32>| {
            let Some(o) = v.get(key).filter(|o| !o.is_null()) else {
                return Ok(());
            };
            let path = format!("{key}.");
            let keys: &[&str] = if soft.is_some() {
                &["max", "soft", "windowSeconds"]
            } else {
                &["max", "windowSeconds"]
            };
            only(o, keys, &format!(".{key}"))?;
            if let Some(n) = whole(o, "max", &path)? {
                r.max = n;
            }
            if let Some(n) = whole(o, "windowSeconds", &path)? {
                r.window_s = n;
            }
            if let (Some(s), Some(n)) = (soft, whole(o, "soft", &path)?) {
                *s = n;
            }
            Ok::<(), String>(())
        };
        rate("attempts", &mut l.attempts, None)?;
        rate("declines", &mut l.declines, Some(&mut l.soft_declines))?;
        rate("cards", &mut l.cards, None)?;
        if let Some(n) = whole(v, "cooldownSeconds", "")? {
            l.cooldown_s = n;
        }
        if let Some(b) = v.get("breaker").filter(|b| !b.is_null()) {
            only(
                b,
                &[
                    "declines",
                    "windowSeconds",
                    "cooldownSeconds",
                    "declinesPerKey",
                ],
                ".breaker",
            )?;
            let p = "breaker.";
            if let Some(n) = whole(b, "declines", p)? {
                l.breaker.declines = n;
            }
            if let Some(n) = whole(b, "windowSeconds", p)? {
                l.breaker.window_s = n;
            }
            if let Some(n) = whole(b, "cooldownSeconds", p)? {
                l.breaker.cooldown_s = n;
            }
            if let Some(n) = whole(b, "declinesPerKey", p)? {
                l.breaker.declines_per_key = n;
            }
        }
        l.check().map_err(|m| format!("createProxy: {m}"))?;
        Ok(l)
    }

    /// The limits in the option's shape.
    pub fn to_value(&self) -> Value {
        let rate = |r: &super::Rate| {
            Value::object([("max", num(r.max)), ("windowSeconds", num(r.window_s))])
        };
        Value::object([
            ("attempts", rate(&self.attempts)),
            (
                "declines",
                Value::object([
                    ("max", num(self.declines.max)),
                    ("soft", num(self.soft_declines)),
                    ("windowSeconds", num(self.declines.window_s)),
                ]),
            ),
            ("cards", rate(&self.cards)),
            ("cooldownSeconds", num(self.cooldown_s)),
            (
                "breaker",
                Value::object([
                    ("declines", num(self.breaker.declines)),
                    ("windowSeconds", num(self.breaker.window_s)),
                    ("cooldownSeconds", num(self.breaker.cooldown_s)),
                    ("declinesPerKey", num(self.breaker.declines_per_key)),
                ]),
            ),
        ])
    }
}

fn reason_of(s: &str) -> Option<Reason> {
    Reason::ALL.into_iter().find(|r| r.as_str() == s)
}

fn scopes_value(scopes: &[Scope]) -> Value {
    Value::Array(
        scopes
            .iter()
            .map(|s| {
                Value::object([
                    ("kind", Value::from(ScopeKind::as_str(s.kind))),
                    ("id", Value::from(s.id.as_str())),
                ])
            })
            .collect(),
    )
}

fn scopes_of(v: Option<&Value>) -> Option<Vec<Scope>> {
    v?.as_array()?
        .iter()
        .map(|s| {
            Some(Scope {
                kind: ScopeKind::parse(s.get("kind")?.as_str()?)?,
                id: s.get("id")?.as_str()?.to_owned(),
            })
        })
        .collect()
}

fn events_value(events: &[LimitEvent]) -> Value {
    Value::Array(
        events
            .iter()
            .map(|e| {
                let mut o = vec![("event".to_owned(), Value::from(e.event))];
                if let Some(k) = e.scope {
                    o.push(("scope".into(), Value::from(ScopeKind::as_str(k))));
                }
                o.push(("reason".into(), Value::from(Reason::as_str(e.reason))));
                o.push(("cooldownSeconds".into(), num(e.cooldown_seconds)));
                Value::Object(o)
            })
            .collect(),
    )
}

fn events_of(v: Option<&Value>) -> Option<Vec<LimitEvent>> {
    v?.as_array()?
        .iter()
        .map(|e| {
            let event = match e.get("event")?.as_str()? {
                "limit_tripped" => "limit_tripped",
                "breaker_open" => "breaker_open",
                _ => return None,
            };
            let scope = match e.get("scope").and_then(Value::as_str) {
                Some(k) => Some(ScopeKind::parse(k)?),
                None => None,
            };
            Some(LimitEvent {
                event,
                scope,
                reason: reason_of(e.get("reason")?.as_str()?)?,
                cooldown_seconds: u32::try_from(e.get("cooldownSeconds")?.as_i64()?).ok()?,
            })
        })
        .collect()
}

fn to_json(v: &Value) -> String {
    crate::json_out::to_string(v).unwrap_or_default()
}

/// The body of an `admit` call to the Durable Object.
pub fn admit_call(limits: &Limits, scopes: &[Scope], card: Option<&str>) -> String {
    let mut o = vec![
        ("call".to_owned(), Value::from("admit")),
        ("limits".into(), limits.to_value()),
        ("scopes".into(), scopes_value(scopes)),
    ];
    if let Some(c) = card {
        o.push(("card".into(), Value::from(c)));
    }
    to_json(&Value::Object(o))
}

/// The body of a `record` call to the Durable Object.
pub fn record_call(limits: &Limits, scopes: &[Scope], breaker_open: bool) -> String {
    to_json(&Value::object([
        ("call", Value::from("record")),
        ("limits", limits.to_value()),
        ("scopes", scopes_value(scopes)),
        ("breakerOpen", Value::Bool(breaker_open)),
    ]))
}

/// Reads the object's answer to an `admit` call. `None` for anything malformed.
pub fn read_admitted(text: &str) -> Option<Admitted> {
    let v = parse_json(text).ok()?;
    let admission = match v.get("admission")?.as_str()? {
        "allow" => Admission::Allow,
        "challenge" => Admission::Challenge(reason_of(v.get("reason")?.as_str()?)?),
        "refuse" => Admission::Refuse {
            reason: reason_of(v.get("reason")?.as_str()?)?,
            retry_after: u32::try_from(v.get("retryAfter")?.as_i64()?).ok()?,
        },
        _ => return None,
    };
    let breaker_open = match v.get("breakerOpen")? {
        Value::Bool(b) => *b,
        _ => return None,
    };
    Some(Admitted {
        admission,
        breaker_open,
        events: events_of(v.get("events"))?,
    })
}

/// Reads the object's answer to a `record` call.
pub fn read_recorded(text: &str) -> Option<Vec<LimitEvent>> {
    events_of(parse_json(text).ok()?.get("events"))
}

/// What the Durable Object answers a call with, and the counters to persist.
#[derive(Debug)]
pub struct Served {
    /// The answer body (JSON); `None`: a malformed call (answered 400).
    pub body: Option<String>,
    /// Counters changed: store `Some`, delete `None`.
    pub changed: Vec<(String, Option<Entry>)>,
}

/// Serves one call inside the Durable Object: the same [`admit`] and
/// [`record`], over its store, at `now_ms`. The object runs one call at a
/// time, so every decision sees every earlier one.
pub fn serve_call(store: &mut MemoryStore, text: &str, now_ms: f64) -> Served {
    let body = (|| {
        let v = parse_json(text).ok()?;
        let limits = Limits::from_value(v.get("limits")?).ok()?;
        let scopes = scopes_of(v.get("scopes"))?;
        if scopes.is_empty() || scopes.len() > 3 {
            return None;
        }
        let mut at = MemoryAt { store, now_ms };
        match v.get("call")?.as_str()? {
            "admit" => {
                let card = match v.get("card") {
                    None => None,
                    Some(c) => Some(c.as_str()?),
                };
                let a = run_ready(admit(&mut at, &limits, &scopes, card))?.ok()?;
                let mut o = vec![];
                let (name, reason, retry) = match a.admission {
                    Admission::Allow => ("allow", None, None),
                    Admission::Challenge(r) => ("challenge", Some(r), None),
                    Admission::Refuse {
                        reason,
                        retry_after,
                    } => ("refuse", Some(reason), Some(retry_after)),
                };
                o.push(("admission".to_owned(), Value::from(name)));
                if let Some(r) = reason {
                    o.push(("reason".into(), Value::from(Reason::as_str(r))));
                }
                if let Some(r) = retry {
                    o.push(("retryAfter".into(), num(r)));
                }
                o.push(("breakerOpen".into(), Value::Bool(a.breaker_open)));
                o.push(("events".into(), events_value(&a.events)));
                Some(to_json(&Value::Object(o)))
            }
            "record" => {
                let breaker_open = matches!(v.get("breakerOpen")?, Value::Bool(true));
                let events =
                    run_ready(record(&mut at, &limits, &scopes, breaker_open, true))?.ok()?;
                Some(to_json(&Value::object([("events", events_value(&events))])))
            }
            _ => None,
        }
    })();
    Served {
        body,
        changed: store.drain(),
    }
}

/// What the Durable Object answers one call with, as JSON: `{"body": answer or
/// null (a malformed call), "put": {key: [count, resetAt]}, "delete": [key]}`:
/// the answer and, for the object's storage, the counters changed by the call.
pub fn serve_object(store: &mut MemoryStore, text: &str, now_ms: f64) -> String {
    let served = serve_call(store, text, now_ms);
    let mut put = Vec::new();
    let mut delete = Vec::new();
    for (k, e) in served.changed {
        match e {
            Some(e) => put.push((k, entry_value(&e))),
            None => delete.push(Value::from(k)),
        }
    }
    to_json(&Value::object([
        ("body", served.body.map_or(Value::Null, Value::from)),
        ("put", Value::Object(put)),
        ("delete", Value::Array(delete)),
    ]))
}

/// Puts the object's stored counters (`{key: [count, resetAt]}` as JSON) back
/// into `store` after a restart; answers the keys to delete from storage
/// (expired or unreadable) as a JSON array.
pub fn restore_object(store: &mut MemoryStore, stored: &str, now_ms: f64) -> String {
    let mut delete = Vec::new();
    if let Ok(v) = parse_json(stored) {
        for (k, e) in v.as_object().unwrap_or_default() {
            if !entry_of(e).is_some_and(|e| store.restore(k, e, now_ms)) {
                delete.push(Value::from(k.as_str()));
            }
        }
    }
    to_json(&Value::Array(delete))
}

/// The stored form of a counter: `[count, resetAt]`.
pub fn entry_value(e: &Entry) -> Value {
    Value::Array(vec![num(e.count), Value::Number(e.reset_at)])
}

/// Reads a stored counter.
pub fn entry_of(v: &Value) -> Option<Entry> {
    match v.as_array()? {
        [count, reset_at] => Some(Entry {
            count: u32::try_from(count.as_i64()?).ok()?,
            reset_at: reset_at.as_f64().filter(|t| t.is_finite())?,
        }),
        _ => None,
    }
}
