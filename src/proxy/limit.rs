//! Card-testing defence: velocity limits on the operations that submit card
//! data (`payOnetime`, `registerBillingKey`, `schedule` with card fields).
//!
//! The threat: key-in (비인증) endpoints have no cardholder challenge, so a
//! script posts stolen numbers at small amounts and keeps the approved ones.
//! Each *scope* (the client's address, and the merchant's session key when a
//! `limitKey` hook gives one) is counted on its own:
//! - **attempts** per window (requests that would be forwarded);
//! - **declines** per window (an Iamport decline in either shape, or a card
//!   refused at the PG while registering a billing key);
//! - **distinct cards** per window, counted by a salted hash of the BIN and the
//!   last 4 digits ([`card_tag`]): never the number.
//!
//! A hard limit blocks the scope for a cool-down: 429 `TOO_MANY_ATTEMPTS` with
//! `Retry-After`, and nothing is forwarded until it ends. A soft limit (a few
//! declines, or the breaker) asks the merchant's `challenge` hook instead. The
//! **breaker** watches declines across every scope: when they jump, every scope
//! is soft-limited (challenged) and its hard decline limit drops.
//!
//! The counters live in a [`Counters`] store: `hit(key, windowSeconds, by)`,
//! whose window starts at the key's first hit (Redis: `INCRBY` + `EXPIRE NX`).
//! [`MemoryStore`] is the in-process one (Node, Deno, Bun; and inside the
//! Durable Object that workers share). The same [`admit`] and [`record`] run
//! over any of them.

use std::collections::HashMap;
use std::future::Future;
use std::net::Ipv6Addr;

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::api::body::Body;
use crate::api::operation::OpName;
use crate::api::value::Value;
use crate::api::Request;

/// At most `max` in `window_s` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The most allowed in one window.
    pub max: u32,
    /// The window, in seconds (from the first hit).
    pub window_s: u32,
}

/// The decline-rate breaker: declines across every scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breaker {
    /// Declines (all scopes together) in `window_s` that open the breaker.
    pub declines: u32,
    /// Their window, in seconds.
    pub window_s: u32,
    /// How long it stays open, in seconds.
    pub cooldown_s: u32,
    /// While open: the hard decline limit of each scope.
    pub declines_per_key: u32,
}

/// Every limit; [`Limits::default`] protects out of the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Attempts per scope.
    pub attempts: Rate,
    /// Declines per scope (hard).
    pub declines: Rate,
    /// From this many declines in the window, the `challenge` hook is asked.
    pub soft_declines: u32,
    /// Distinct cards per scope.
    pub cards: Rate,
    /// How long a scope stays blocked once a hard limit trips, in seconds.
    pub cooldown_s: u32,
    /// The decline-rate breaker.
    pub breaker: Breaker,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            attempts: Rate {
                max: 20,
                window_s: 600,
            },
            declines: Rate {
                max: 5,
                window_s: 600,
            },
            soft_declines: 2,
            cards: Rate {
                max: 5,
                window_s: 3600,
            },
            cooldown_s: 900,
            breaker: Breaker {
                declines: 30,
                window_s: 300,
                cooldown_s: 900,
                declines_per_key: 2,
            },
        }
    }
}

/// The longest window or cool-down accepted (one week).
pub const MAX_WINDOW_S: u32 = 7 * 24 * 3600;

impl Limits {
    /// Checks the limits as configured.
    ///
    /// # Errors
    /// A message naming the first limit out of range.
    pub fn check(&self) -> Result<(), String> {
        let counts = [
            ("attempts.max", self.attempts.max),
            ("declines.max", self.declines.max),
            ("cards.max", self.cards.max),
            ("breaker.declines", self.breaker.declines),
            ("breaker.declinesPerKey", self.breaker.declines_per_key),
        ];
        for (name, n) in counts {
            if n == 0 {
                return Err(format!("limits.{name} must be a whole number from 1"));
            }
        }
        let windows = [
            ("attempts.windowSeconds", self.attempts.window_s),
            ("declines.windowSeconds", self.declines.window_s),
            ("cards.windowSeconds", self.cards.window_s),
            ("cooldownSeconds", self.cooldown_s),
            ("breaker.windowSeconds", self.breaker.window_s),
            ("breaker.cooldownSeconds", self.breaker.cooldown_s),
        ];
        for (name, s) in windows {
            if s == 0 || s > MAX_WINDOW_S {
                return Err(format!(
                    "limits.{name} must be a whole number of seconds from 1 to {MAX_WINDOW_S}"
                ));
            }
        }
        if self.soft_declines == 0 || self.soft_declines > self.declines.max {
            return Err(
                "limits.declines.soft must be a whole number from 1 to declines.max".into(),
            );
        }
        Ok(())
    }
}

/// What a scope is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ScopeKind {
    /// The client's address (an IPv6 address by its /64).
    Ip,
    /// The merchant's `limitKey` (hashed).
    Key,
    /// Neither is known: every such request shares one scope (fail closed).
    Unknown,
}

/// One counted scope: its kind and its counter-key prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// What it is keyed by.
    pub kind: ScopeKind,
    /// The counter-key prefix (`ip:203.0.113.9`, `key:<hash>`, `unknown`).
    pub id: String,
}

impl ScopeKind {
    /// Reads a name written by [`ScopeKind::as_str`].
    pub fn parse(name: &str) -> Option<ScopeKind> {
        [ScopeKind::Ip, ScopeKind::Key, ScopeKind::Unknown]
            .into_iter()
            .find(|k| k.as_str() == name)
    }

    /// Its name in logs and on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScopeKind::Ip => "ip",
            ScopeKind::Key => "key",
            ScopeKind::Unknown => "unknown",
        }
    }
}

/// The scopes a request is counted in: its address (IPv6 by /64, since one
/// host is handed a whole /64) and the merchant's key (hashed with `salt`: a
/// session id is not kept). With neither, one shared `unknown` scope: the
/// limits still hold, for every such caller together.
pub fn scopes(ip: Option<&str>, limit_key: Option<&str>, salt: &[u8]) -> Vec<Scope> {
    let mut out = Vec::with_capacity(2);
    if let Some(ip) = ip {
        let id = match ip.parse::<Ipv6Addr>() {
            Ok(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("ip:{v4}"),
                None => {
                    let s = v6.segments();
                    format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            Err(_) => format!("ip:{ip}"),
        };
        out.push(Scope {
            kind: ScopeKind::Ip,
            id,
        });
    }
    if let Some(k) = limit_key.filter(|k| !k.is_empty()) {
        out.push(Scope {
            kind: ScopeKind::Key,
            id: format!("key:{}", tag(salt, b"key", k.as_bytes())),
        });
    }
    if out.is_empty() {
        out.push(Scope {
            kind: ScopeKind::Unknown,
            id: "unknown".into(),
        });
    }
    out
}

/// A keyed hash as 20 lower-case letters (`a`–`p`, 80 bits): no digit can
/// appear in a counter key, so no BIN or last 4 can either.
fn tag(salt: &[u8], domain: &[u8], data: &[u8]) -> String {
    // HMAC takes a key of any length: `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(salt) else {
        return String::new();
    };
    mac.update(domain);
    mac.update(b"\0");
    mac.update(data);
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(20);
    for b in digest.iter().take(10) {
        out.push(char::from(b'a' + (b >> 4)));
        out.push(char::from(b'a' + (b & 0x0f)));
    }
    out
}

/// The card's tag for counting distinct cards: a keyed hash of its BIN (first
/// 6) and last 4 digits, never the number. `None` for fewer than 10 digits.
pub fn card_tag(salt: &[u8], card_number: &str) -> Option<String> {
    let digits: Vec<u8> = card_number
        .bytes()
        .filter(u8::is_ascii_digit)
        .take(32)
        .collect();
    if digits.len() < 10 {
        return None;
    }
    let mut bin_last4 = [0u8; 10];
    bin_last4[..6].copy_from_slice(&digits[..6]);
    bin_last4[6..].copy_from_slice(&digits[digits.len() - 4..]);
    Some(tag(salt, b"card", &bin_last4))
}

/// The card number a request submits, when it is one the limits count:
/// `payOnetime`, `registerBillingKey`, `schedule` with card fields.
pub fn submitted_card(op: OpName, request: &Request) -> Option<&str> {
    let card = match (&request.body, op) {
        (Some(Body::OnetimePayment(b)), OpName::PayOnetime) => &b.card,
        (Some(Body::BillingKey(b)), OpName::RegisterBillingKey) => &b.card,
        (Some(Body::SchedulePayments(b)), OpName::Schedule) => b.card.as_ref()?,
        _ => return None,
    };
    Some(card.card_number.0.as_str())
}

/// Whether an upstream answer to a card-submitting request is a decline:
/// HTTP 200 with `code != 0` (a refusal, or a card refused while registering a
/// billing key), or `code 0` with `response.status "failed"`. Anything else
/// (paid, an unknown outcome, a proxy or token error) is not.
pub fn is_decline(http_status: u16, body: Option<&Value>) -> bool {
    let Some(body) = body.filter(|_| http_status == 200) else {
        return false;
    };
    match body.get("code").and_then(Value::as_i64) {
        Some(0) => {
            body.get("response")
                .and_then(|r| r.get("status"))
                .and_then(Value::as_str)
                == Some("failed")
        }
        Some(_) => true,
        None => false,
    }
}

/// One counter's state after a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Its count in the current window, this hit included.
    pub count: u32,
    /// Seconds until the window ends.
    pub reset_in: u32,
}

/// The store could not answer (a network error, a malformed answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreFailed;

/// A counter store: `hit` adds `by` (0 reads) to `key` in its window, which
/// starts at the key's first counted hit and lasts `window_s`.
#[allow(async_fn_in_trait)] // single-threaded (wasm, or the Durable Object)
pub trait Counters {
    /// Adds `by` and answers the count and the seconds left in the window.
    ///
    /// # Errors
    /// The store failed.
    async fn hit(&mut self, key: &str, window_s: u32, by: u32) -> Result<Hit, StoreFailed>;
}

/// Why a limit answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// Too many attempts.
    Attempts,
    /// Too many declines.
    Declines,
    /// Too many distinct cards.
    Cards,
    /// The decline-rate breaker is open.
    Breaker,
    /// The scope is cooling down after an earlier trip.
    Blocked,
}

impl Reason {
    /// Every reason.
    pub const ALL: [Reason; 5] = [
        Reason::Attempts,
        Reason::Declines,
        Reason::Cards,
        Reason::Breaker,
        Reason::Blocked,
    ];

    /// Its name in logs, on the wire and for the `challenge` hook.
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::Attempts => "attempts",
            Reason::Declines => "declines",
            Reason::Cards => "cards",
            Reason::Breaker => "breaker",
            Reason::Blocked => "blocked",
        }
    }
}

/// What the limits say about a request, before anything is forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Forward it.
    Allow,
    /// A soft limit: forward it only if the `challenge` hook says it passed.
    Challenge(Reason),
    /// 429 `TOO_MANY_ATTEMPTS`, `Retry-After: retry_after`; nothing forwarded.
    Refuse {
        /// Why.
        reason: Reason,
        /// Seconds until the cool-down ends.
        retry_after: u32,
    },
}

/// A limit event for the log hook: never card data, never the raw key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitEvent {
    /// `limit_tripped` or `breaker_open`.
    pub event: &'static str,
    /// The scope's kind (absent for the breaker).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<ScopeKind>,
    /// The limit that tripped.
    pub reason: Reason,
    /// The cool-down started, in seconds.
    pub cooldown_seconds: u32,
}

/// The admission decision and what the log hook is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitted {
    /// The decision.
    pub admission: Admission,
    /// Whether the breaker was open (recorded declines use its tighter limit).
    pub breaker_open: bool,
    /// Trips made by this request.
    pub events: Vec<LimitEvent>,
}

const BREAKER_DECLINES: &str = "*|declines";
const BREAKER_OPEN: &str = "*|open";

fn key(scope: &Scope, counter: &str) -> String {
    let mut k = String::with_capacity(scope.id.len() + 1 + counter.len());
    k.push_str(&scope.id);
    k.push('|');
    k.push_str(counter);
    k
}

async fn trip<C: Counters>(
    c: &mut C,
    limits: &Limits,
    scope: &Scope,
    reason: Reason,
    events: &mut Vec<LimitEvent>,
) -> Result<u32, StoreFailed> {
    let block = c.hit(&key(scope, "block"), limits.cooldown_s, 1).await?;
    events.push(LimitEvent {
        event: "limit_tripped",
        scope: Some(scope.kind),
        reason,
        cooldown_seconds: limits.cooldown_s,
    });
    Ok(block.reset_in)
}

/// Decides a card-submitting request before it is forwarded, and counts it:
/// a blocked scope is refused; an attempt or a new card over the limit trips
/// the block; a scope with `soft_declines` declines, or an open breaker, is a
/// [`Admission::Challenge`].
///
/// # Errors
/// The store failed: the caller refuses (fail closed).
pub async fn admit<C: Counters>(
    c: &mut C,
    limits: &Limits,
    scopes: &[Scope],
    card: Option<&str>,
) -> Result<Admitted, StoreFailed> {
    let mut events = Vec::new();
    let breaker_open = c
        .hit(BREAKER_OPEN, limits.breaker.cooldown_s, 0)
        .await?
        .count
        > 0;
    let refuse = |reason, retry_after, events| Admitted {
        admission: Admission::Refuse {
            reason,
            retry_after,
        },
        breaker_open,
        events,
    };
    for s in scopes {
        let block = c.hit(&key(s, "block"), limits.cooldown_s, 0).await?;
        if block.count > 0 {
            return Ok(refuse(Reason::Blocked, block.reset_in.max(1), events));
        }
    }
    let mut soft = breaker_open.then_some(Reason::Breaker);
    for s in scopes {
        let a = c
            .hit(&key(s, "attempts"), limits.attempts.window_s, 1)
            .await?;
        if a.count > limits.attempts.max {
            let wait = trip(c, limits, s, Reason::Attempts, &mut events).await?;
            return Ok(refuse(Reason::Attempts, wait.max(1), events));
        }
        if let Some(tag) = card {
            let seen = c
                .hit(&key(s, &format!("card:{tag}")), limits.cards.window_s, 1)
                .await?;
            let n = c
                .hit(
                    &key(s, "cards"),
                    limits.cards.window_s,
                    u32::from(seen.count == 1),
                )
                .await?;
            if n.count > limits.cards.max {
                let wait = trip(c, limits, s, Reason::Cards, &mut events).await?;
                return Ok(refuse(Reason::Cards, wait.max(1), events));
            }
        }
        let d = c
            .hit(&key(s, "declines"), limits.declines.window_s, 0)
            .await?;
        if d.count >= limits.soft_declines && soft.is_none() {
            soft = Some(Reason::Declines);
        }
    }
    Ok(Admitted {
        admission: soft.map_or(Admission::Allow, Admission::Challenge),
        breaker_open,
        events,
    })
}

/// Counts the answer of a forwarded request: a decline counts in every scope
/// (and trips a scope at its hard limit, tighter while the breaker is open)
/// and towards the breaker.
///
/// # Errors
/// The store failed (the answer is still given: it has happened).
pub async fn record<C: Counters>(
    c: &mut C,
    limits: &Limits,
    scopes: &[Scope],
    breaker_open: bool,
    declined: bool,
) -> Result<Vec<LimitEvent>, StoreFailed> {
    let mut events = Vec::new();
    if !declined {
        return Ok(events);
    }
    let max = if breaker_open {
        limits.declines.max.min(limits.breaker.declines_per_key)
    } else {
        limits.declines.max
    };
    for s in scopes {
        let d = c
            .hit(&key(s, "declines"), limits.declines.window_s, 1)
            .await?;
        if d.count >= max {
            trip(c, limits, s, Reason::Declines, &mut events).await?;
        }
    }
    let all = c.hit(BREAKER_DECLINES, limits.breaker.window_s, 1).await?;
    if all.count == limits.breaker.declines {
        c.hit(BREAKER_OPEN, limits.breaker.cooldown_s, 1).await?;
        events.push(LimitEvent {
            event: "breaker_open",
            scope: None,
            reason: Reason::Breaker,
            cooldown_seconds: limits.breaker.cooldown_s,
        });
    }
    Ok(events)
}

/// Runs a future that never waits (one over a [`MemoryStore`]) to its end.
/// `None` if it would wait.
pub fn run_ready<F: Future>(f: F) -> Option<F::Output> {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => Some(v),
        std::task::Poll::Pending => None,
    }
}

/// One counter in a [`MemoryStore`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    /// Its count.
    pub count: u32,
    /// When its window ends (ms since the epoch).
    pub reset_at: f64,
}

/// The in-process store: exact within one process (Node, Deno, Bun) or one
/// Durable Object. Expired counters are dropped as it grows, and it never
/// holds more than `cap` counters (the ones closest to expiry go first).
#[derive(Debug)]
pub struct MemoryStore {
    entries: HashMap<String, Entry>,
    cap: usize,
    /// Keys changed (or dropped) since the last [`MemoryStore::drain`], when the
    /// store is persisted somewhere (a Durable Object's storage); `None` otherwise.
    changed: Option<Vec<String>>,
}

/// The default [`MemoryStore`] capacity (counters).
pub const MEMORY_CAP: usize = 100_000;

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::with_cap(MEMORY_CAP)
    }
}

impl MemoryStore {
    /// An empty store holding at most `cap` counters.
    pub fn with_cap(cap: usize) -> Self {
        MemoryStore {
            entries: HashMap::new(),
            cap: cap.max(16),
            changed: None,
        }
    }

    /// An empty store that remembers what changed, for [`MemoryStore::drain`].
    pub fn persisted(cap: usize) -> Self {
        MemoryStore {
            changed: Some(Vec::new()),
            ..MemoryStore::with_cap(cap)
        }
    }

    /// The number of counters held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every key held (for tests and the canary).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// A hit at `now_ms`.
    pub fn hit_at(&mut self, key: &str, window_s: u32, by: u32, now_ms: f64) -> Hit {
        let live = self
            .entries
            .get(key)
            .filter(|e| e.reset_at > now_ms)
            .copied();
        let entry = match live {
            Some(mut e) => {
                e.count = e.count.saturating_add(by);
                e
            }
            None if by == 0 => {
                return Hit {
                    count: 0,
                    reset_in: window_s,
                }
            }
            None => Entry {
                count: by,
                reset_at: now_ms + f64::from(window_s) * 1000.0,
            },
        };
        if by > 0 {
            if !self.entries.contains_key(key) && self.entries.len() >= self.cap {
                self.make_room(now_ms);
            }
            self.entries.insert(key.to_owned(), entry);
            // A call changes a few keys: a linear check keeps the list short.
            if let Some(changed) = self
                .changed
                .as_mut()
                .filter(|c| !c.iter().any(|k| k == key))
            {
                changed.push(key.to_owned());
            }
        }
        Hit {
            count: entry.count,
            reset_in: ((entry.reset_at - now_ms) / 1000.0).ceil().max(0.0) as u32,
        }
    }

    /// Drops expired counters; if it is still full, the tenth of the span of
    /// expiry times that ends soonest (no sort: one pass to find the span, one to drop).
    fn make_room(&mut self, now_ms: f64) {
        let (lo, hi, live) = self.entries.values().fold(
            (f64::INFINITY, f64::NEG_INFINITY, 0),
            |(lo, hi, live), e| {
                let live = live + usize::from(e.reset_at > now_ms);
                (lo.min(e.reset_at), hi.max(e.reset_at), live)
            },
        );
        let cut = if live < self.cap {
            now_ms
        } else {
            now_ms.max(lo + (hi - lo) / 10.0)
        };
        let changed = &mut self.changed;
        self.entries.retain(|k, e| {
            let keep = e.reset_at > cut;
            if let (false, Some(c)) = (keep, changed.as_mut()) {
                c.push(k.clone());
            }
            keep
        });
    }

    /// Puts back a counter read from storage (a Durable Object's, after a
    /// restart). Expired ones are not kept: `false` (delete it there).
    pub fn restore(&mut self, key: &str, entry: Entry, now_ms: f64) -> bool {
        if entry.reset_at <= now_ms || self.entries.len() >= self.cap {
            return false;
        }
        self.entries.insert(key.to_owned(), entry);
        true
    }

    /// The counters changed since the last call: `(key, Some(entry))` to store,
    /// `(key, None)` to delete. Empty for a store that is not
    /// [`persisted`](MemoryStore::persisted).
    pub fn drain(&mut self) -> Vec<(String, Option<Entry>)> {
        let keys = self
            .changed
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        keys.into_iter()
            .map(|k| {
                let e = self.entries.get(&k).copied();
                (k, e)
            })
            .collect()
    }
}

/// A [`MemoryStore`] at one instant, as a [`Counters`].
#[derive(Debug)]
pub struct MemoryAt<'a> {
    /// The store.
    pub store: &'a mut MemoryStore,
    /// Now (ms since the epoch).
    pub now_ms: f64,
}

impl Counters for MemoryAt<'_> {
    async fn hit(&mut self, key: &str, window_s: u32, by: u32) -> Result<Hit, StoreFailed> {
        Ok(self.store.hit_at(key, window_s, by, self.now_ms))
    }
}

mod wire;
pub use wire::{
    admit_call, entry_of, entry_value, read_admitted, read_recorded, record_call, restore_object,
    serve_call, serve_object, Served,
};

#[cfg(test)]
mod tests;
