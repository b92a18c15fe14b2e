use super::*;
use crate::api::json::parse_json;

const SALT: &[u8] = b"test-salt";

/// A Luhn-valid 16-digit number: `prefix`, then `n`, then the check digit.
fn card(prefix: &str, n: u32) -> String {
    let body = format!("{prefix}{n:0width$}", width = 15 - prefix.len());
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

struct Shop {
    store: MemoryStore,
    limits: Limits,
    now_ms: f64,
    forwarded: u32,
}

#[derive(Debug, PartialEq)]
enum Seen {
    Forwarded,
    Challenged(Reason),
    Refused(u32),
}

impl Shop {
    fn new(limits: Limits) -> Self {
        Shop {
            store: MemoryStore::default(),
            limits,
            now_ms: 1_800_000_000_000.0,
            forwarded: 0,
        }
    }

    /// One card-submitting request; `declines`: what the PG would answer.
    /// A challenge is failed unless `solved`.
    fn attempt(
        &mut self,
        ip: &str,
        key: Option<&str>,
        number: &str,
        declines: bool,
        solved: bool,
    ) -> Seen {
        let scopes = scopes(Some(ip), key, SALT);
        let tag = card_tag(SALT, number);
        let mut at = MemoryAt {
            store: &mut self.store,
            now_ms: self.now_ms,
        };
        let a = run_ready(admit(&mut at, &self.limits, &scopes, tag.as_deref()))
            .unwrap()
            .unwrap();
        match a.admission {
            Admission::Refuse { retry_after, .. } => return Seen::Refused(retry_after),
            Admission::Challenge(r) if !solved => return Seen::Challenged(r),
            _ => {}
        }
        self.forwarded += 1;
        run_ready(record(
            &mut at,
            &self.limits,
            &scopes,
            a.breaker_open,
            declines,
        ))
        .unwrap()
        .unwrap();
        Seen::Forwarded
    }

    fn later(&mut self, seconds: u32) {
        self.now_ms += f64::from(seconds) * 1000.0;
    }
}

#[test]
fn a_card_testing_run_is_cut_off_and_nothing_more_is_forwarded() {
    let mut shop = Shop::new(Limits::default());
    let mut seen = Vec::new();
    for i in 0..100 {
        // A challenge "solved" by a script is still counted: the hard limits hold.
        seen.push(shop.attempt("198.51.100.7", None, &card("400003", i), true, true));
    }
    let first_refused = seen
        .iter()
        .position(|s| matches!(s, Seen::Refused(_)))
        .unwrap();
    // 5 declines trip the block: the 6th request is refused, and every one after.
    assert_eq!(first_refused, 5, "{seen:?}");
    assert_eq!(shop.forwarded, 5);
    assert!(seen[first_refused..]
        .iter()
        .all(|s| matches!(s, Seen::Refused(_))));
    let Seen::Refused(wait) = seen[first_refused] else {
        unreachable!()
    };
    assert!(wait > 890 && wait <= 900, "{wait}");
}

#[test]
fn an_unsolved_challenge_after_two_declines_forwards_nothing() {
    let mut shop = Shop::new(Limits::default());
    for i in 0..2 {
        assert_eq!(
            shop.attempt("198.51.100.7", None, &card("400003", i), true, false),
            Seen::Forwarded
        );
    }
    for i in 2..5 {
        assert_eq!(
            shop.attempt("198.51.100.7", None, &card("400003", i), true, false),
            Seen::Challenged(Reason::Declines)
        );
    }
    assert_eq!(shop.forwarded, 2);
    // Challenged attempts still count: the 6th distinct card trips the block.
    for i in 5..50 {
        assert!(matches!(
            shop.attempt("198.51.100.7", None, &card("400003", i), true, true),
            Seen::Refused(_)
        ));
    }
    assert_eq!(shop.forwarded, 2);
}

#[test]
fn distinct_cards_trip_without_any_decline() {
    let mut shop = Shop::new(Limits::default());
    for i in 0..5 {
        assert_eq!(
            shop.attempt("198.51.100.7", None, &card("411111", i), false, false),
            Seen::Forwarded
        );
    }
    assert!(matches!(
        shop.attempt("198.51.100.7", None, &card("411111", 5), false, false),
        Seen::Refused(_)
    ));
    // The same card again is no new card; but the scope is blocked now.
    assert!(matches!(
        shop.attempt("198.51.100.7", None, &card("411111", 0), false, false),
        Seen::Refused(_)
    ));
}

#[test]
fn the_same_card_again_is_counted_as_an_attempt_not_a_new_card() {
    let mut shop = Shop::new(Limits::default());
    let number = card("411111", 1);
    for _ in 0..20 {
        assert_eq!(
            shop.attempt("198.51.100.7", None, &number, false, false),
            Seen::Forwarded
        );
    }
    assert_eq!(
        shop.attempt("198.51.100.7", None, &number, false, false),
        Seen::Refused(900)
    );
}

#[test]
fn another_address_and_a_customer_who_mistypes_once_are_unaffected() {
    let mut shop = Shop::new(Limits::default());
    for i in 0..20 {
        shop.attempt("198.51.100.7", None, &card("400003", i), true, true);
    }
    // A customer elsewhere: one decline (a mistyped number), then the right card.
    assert_eq!(
        shop.attempt("192.0.2.10", None, &card("400003", 500), true, false),
        Seen::Forwarded
    );
    assert_eq!(
        shop.attempt("192.0.2.10", None, &card("411111", 1), false, false),
        Seen::Forwarded
    );
    assert_eq!(
        shop.attempt("192.0.2.10", None, &card("411111", 1), false, false),
        Seen::Forwarded
    );
}

#[test]
fn the_cool_down_ends() {
    let mut shop = Shop::new(Limits::default());
    for i in 0..6 {
        shop.attempt("198.51.100.7", None, &card("400003", i), true, true);
    }
    shop.later(600);
    assert_eq!(
        shop.attempt("198.51.100.7", None, &card("411111", 1), false, false),
        Seen::Refused(300)
    );
    shop.later(300);
    // The declines' window (600 s) has passed too: no challenge either.
    assert_eq!(
        shop.attempt("198.51.100.7", None, &card("400003", 0), false, false),
        Seen::Forwarded
    );
    // The distinct cards' window (1 h) has not: one more new card blocks it again.
    assert_eq!(
        shop.attempt("198.51.100.7", None, &card("411111", 1), false, false),
        Seen::Refused(900)
    );
}

#[test]
fn the_merchant_key_is_a_scope_of_its_own_across_addresses() {
    let mut shop = Shop::new(Limits::default());
    // One session hopping addresses: the key scope catches it.
    for i in 0..5 {
        let ip = format!("203.0.113.{i}");
        assert_eq!(
            shop.attempt(&ip, Some("session-1"), &card("400003", i), true, true),
            Seen::Forwarded
        );
    }
    assert!(matches!(
        shop.attempt(
            "203.0.113.99",
            Some("session-1"),
            &card("400003", 9),
            true,
            true
        ),
        Seen::Refused(_)
    ));
    assert_eq!(
        shop.attempt(
            "203.0.113.99",
            Some("session-2"),
            &card("411111", 9),
            false,
            false
        ),
        Seen::Forwarded
    );
}

#[test]
fn the_breaker_challenges_everyone_and_tightens_declines() {
    let mut limits = Limits::default();
    limits.breaker.declines = 10;
    let mut shop = Shop::new(limits);
    // Ten addresses, one decline each: none is limited alone.
    for i in 0..10 {
        assert_eq!(
            shop.attempt(
                &format!("203.0.113.{i}"),
                None,
                &card("400003", i),
                true,
                false
            ),
            Seen::Forwarded
        );
    }
    // Open: a fresh address is challenged; solved, it goes through.
    assert_eq!(
        shop.attempt("192.0.2.1", None, &card("411111", 1), false, false),
        Seen::Challenged(Reason::Breaker)
    );
    assert_eq!(
        shop.attempt("192.0.2.1", None, &card("411111", 1), false, true),
        Seen::Forwarded
    );
    // Declines trip at 2 per scope while it is open.
    for i in 0..2 {
        assert_eq!(
            shop.attempt("192.0.2.2", None, &card("400003", 50 + i), true, true),
            Seen::Forwarded
        );
    }
    assert!(matches!(
        shop.attempt("192.0.2.2", None, &card("411111", 2), false, true),
        Seen::Refused(_)
    ));
    // It closes after its cool-down.
    shop.later(901);
    assert_eq!(
        shop.attempt("192.0.2.3", None, &card("411111", 3), false, false),
        Seen::Forwarded
    );
}

#[test]
fn the_breaker_logs_once_and_trips_are_logged() {
    let mut limits = Limits::default();
    limits.breaker.declines = 2;
    let mut store = MemoryStore::default();
    let mut at = MemoryAt {
        store: &mut store,
        now_ms: 0.0,
    };
    let one = scopes(Some("192.0.2.1"), None, SALT);
    let e1 = run_ready(record(&mut at, &limits, &one, false, true))
        .unwrap()
        .unwrap();
    assert!(e1.is_empty());
    let e2 = run_ready(record(&mut at, &limits, &one, false, true))
        .unwrap()
        .unwrap();
    assert_eq!(e2.len(), 1);
    assert_eq!(e2[0].event, "breaker_open");
    let e3 = run_ready(record(&mut at, &limits, &one, true, true))
        .unwrap()
        .unwrap();
    assert_eq!(
        e3,
        vec![LimitEvent {
            event: "limit_tripped",
            scope: Some(ScopeKind::Ip),
            reason: Reason::Declines,
            cooldown_seconds: 900
        }]
    );
    // Not declined: nothing counted.
    let before = store.len();
    let mut at = MemoryAt {
        store: &mut store,
        now_ms: 0.0,
    };
    assert!(run_ready(record(&mut at, &limits, &one, false, false))
        .unwrap()
        .unwrap()
        .is_empty());
    assert_eq!(store.len(), before);
}

#[test]
fn scopes_group_ipv6_by_64_and_hash_the_merchant_key() {
    let a = scopes(Some("2001:db8:1:2:aaaa::1"), None, SALT);
    let b = scopes(Some("2001:db8:1:2:ffff:1:2:3"), None, SALT);
    assert_eq!(a, b);
    assert_eq!(a[0].id, "ip:2001:db8:1:2::/64");
    assert_eq!(
        scopes(Some("::ffff:192.0.2.1"), None, SALT)[0].id,
        "ip:192.0.2.1"
    );
    let k = scopes(None, Some("sess_0123456789"), SALT);
    assert_eq!(k.len(), 1);
    assert_eq!(k[0].kind, ScopeKind::Key);
    assert!(!k[0].id.contains("0123"), "{}", k[0].id);
    let none = scopes(None, Some(""), SALT);
    assert_eq!(
        none,
        vec![Scope {
            kind: ScopeKind::Unknown,
            id: "unknown".into()
        }]
    );
}

#[test]
fn a_card_tag_holds_no_digit_and_depends_on_the_salt_bin_and_last_4() {
    let t = card_tag(SALT, "4111 1111 1111 1111").unwrap();
    assert_eq!(t.len(), 20);
    assert!(t.bytes().all(|b| (b'a'..=b'p').contains(&b)), "{t}");
    let same = |salt: &[u8], n: &str| card_tag(salt, n).as_deref() == Some(t.as_str());
    assert!(same(SALT, "4111-1111-1111-1111"));
    // The middle digits are not part of it (only BIN and last 4 are kept).
    assert!(same(SALT, "4111112222221111"));
    assert!(!same(SALT, "4111111111111112"));
    assert!(!same(SALT, "5111111111111111"));
    assert!(!same(b"other", "4111111111111111"));
    assert_eq!(card_tag(SALT, "411111111"), None);
}

/// The canary: after a run of real-looking cards, no counter key holds a
/// number, a BIN or a last 4 (no run of 4 digits at all: an IPv4 octet has 3).
#[test]
fn no_counter_key_holds_card_digits() {
    let mut shop = Shop::new(Limits::default());
    let numbers: Vec<String> = (0..40).map(|i| card("540000", i * 7919)).collect();
    for (i, n) in numbers.iter().enumerate() {
        shop.attempt(
            &format!("198.51.100.{}", i % 4),
            Some("user-42"),
            n,
            i % 3 == 0,
            true,
        );
    }
    assert!(shop.store.len() > 10);
    for key in shop.store.keys() {
        let mut run = 0;
        for b in key.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            assert!(run < 4, "{key}");
        }
        for n in &numbers {
            assert!(!key.contains(&n[..6]) && !key.contains(&n[12..]), "{key}");
        }
        assert!(!key.contains("user-42"), "{key}");
    }
}

#[test]
fn only_card_submitting_requests_are_counted() {
    use crate::api::{BuildOptions, PgProfile};
    use crate::error::Locale;
    let opts = BuildOptions {
        now: 1_800_000_000,
        locale: Locale::En,
        pg_profile: PgProfile::Kcp,
    };
    let build = |op: OpName, json: &str| {
        op.build(
            &crate::api::operation::args_from_http(
                op,
                &["cust_1".to_owned()],
                "",
                Some(&parse_json(json).unwrap()),
            ),
            &opts,
        )
        .unwrap()
    };
    let pay = build(
        OpName::PayOnetime,
        r#"{"merchant_uid":"o1","amount":1000,"name":"n","card_number":"4111111111111111","expiry":"2030-12","birth":"900101","pwd_2digit":"12"}"#,
    );
    assert_eq!(
        submitted_card(OpName::PayOnetime, &pay),
        Some("4111-1111-1111-1111")
    );
    let key = build(
        OpName::RegisterBillingKey,
        r#"{"card_number":"4111111111111111","expiry":"2030-12","birth":"900101","pwd_2digit":"12"}"#,
    );
    assert_eq!(
        submitted_card(OpName::RegisterBillingKey, &key),
        Some("4111-1111-1111-1111")
    );
    let again = build(
        OpName::PayAgain,
        r#"{"customer_uid":"cust_1","merchant_uid":"o2","amount":1000,"name":"n"}"#,
    );
    assert_eq!(submitted_card(OpName::PayAgain, &again), None);
    let plain = build(
        OpName::Schedule,
        r#"{"customer_uid":"cust_1","schedules":[{"merchant_uid":"o3","schedule_at":1900000000,"amount":1000,"name":"n"}]}"#,
    );
    assert_eq!(submitted_card(OpName::Schedule, &plain), None);
    let with_card = build(
        OpName::Schedule,
        r#"{"customer_uid":"cust_1","card_number":"4111111111111111","expiry":"2030-12","birth":"900101","pwd_2digit":"12","schedules":[{"merchant_uid":"o3","schedule_at":1900000000,"amount":1000,"name":"n"}]}"#,
    );
    assert_eq!(
        submitted_card(OpName::Schedule, &with_card),
        Some("4111-1111-1111-1111")
    );
}

#[test]
fn declines_in_either_shape_and_nothing_else() {
    let d = |status, json: &str| is_decline(status, Some(&parse_json(json).unwrap()));
    assert!(d(
        200,
        r#"{"code":-1,"message":"카드 인증 실패","response":null}"#
    ));
    assert!(d(200, r#"{"code":1,"message":"x"}"#));
    assert!(d(
        200,
        r#"{"code":0,"response":{"status":"failed","fail_reason":"한도초과"}}"#
    ));
    assert!(!d(200, r#"{"code":0,"response":{"status":"paid"}}"#));
    assert!(!d(200, r#"{"code":0,"response":{"customer_uid":"c"}}"#));
    assert!(!d(500, r#"{"code":-1,"message":"x"}"#));
    assert!(!d(401, r#"{"code":-1,"message":"Unauthorized"}"#));
    assert!(!d(200, r#"{"error":{"code":"TOKEN_FAILED"}}"#));
    assert!(!is_decline(200, None));
}

#[test]
fn limits_read_as_configured_and_refuse_typos_and_zeros() {
    let read = |json: &str| Limits::from_value(&parse_json(json).unwrap());
    assert_eq!(read("{}"), Ok(Limits::default()));
    let l =
        read(r#"{"declines":{"max":3,"soft":1},"cooldownSeconds":60,"breaker":{"declines":100}}"#)
            .unwrap();
    assert_eq!(
        (
            l.declines.max,
            l.soft_declines,
            l.declines.window_s,
            l.cooldown_s,
            l.breaker.declines
        ),
        (3, 1, 600, 60, 100)
    );
    assert_eq!(Limits::from_value(&l.to_value()), Ok(l));
    for bad in [
        r#"{"maxAttempts":3}"#,
        r#"{"attempts":{"max":0}}"#,
        r#"{"attempts":{"max":2.5}}"#,
        r#"{"attempts":{"max":"5"}}"#,
        r#"{"cards":{"window":60}}"#,
        r#"{"declines":{"max":2,"soft":3}}"#,
        r#"{"cooldownSeconds":9999999}"#,
        r#"{"breaker":{"declinesPerKey":0}}"#,
        r#"[]"#,
    ] {
        let e = read(bad).unwrap_err();
        assert!(e.starts_with("createProxy: limits"), "{bad}: {e}");
    }
}

#[test]
fn the_durable_object_call_decides_as_the_local_store_does() {
    let limits = Limits {
        cooldown_s: 120,
        ..Limits::default()
    };
    let mut remote = MemoryStore::persisted(MEMORY_CAP);
    let mut local = Shop::new(limits);
    let now = local.now_ms;
    for i in 0..8 {
        let number = card("400003", i);
        let sc = scopes(Some("198.51.100.7"), Some("k"), SALT);
        let tag = card_tag(SALT, &number);
        let served = serve_call(&mut remote, &admit_call(&limits, &sc, tag.as_deref()), now);
        let admitted = read_admitted(&served.body.unwrap()).unwrap();
        assert!(
            !served.changed.is_empty() || matches!(admitted.admission, Admission::Refuse { .. })
        );
        let mut at = MemoryAt {
            store: &mut local.store,
            now_ms: now,
        };
        let want = run_ready(admit(&mut at, &limits, &sc, tag.as_deref()))
            .unwrap()
            .unwrap();
        assert_eq!(admitted, want, "call {i}");
        if !matches!(want.admission, Admission::Refuse { .. }) {
            let served = serve_call(
                &mut remote,
                &record_call(&limits, &sc, want.breaker_open),
                now,
            );
            let events = read_recorded(&served.body.unwrap()).unwrap();
            let want = run_ready(record(&mut at, &limits, &sc, want.breaker_open, true))
                .unwrap()
                .unwrap();
            assert_eq!(events, want);
        }
    }
    for bad in [
        "",
        "{}",
        r#"{"call":"admit","limits":{},"scopes":[]}"#,
        r#"{"call":"drop","limits":{},"scopes":[{"kind":"ip","id":"x"}]}"#,
        r#"{"call":"admit","limits":{"attempts":{"max":0}},"scopes":[{"kind":"ip","id":"x"}]}"#,
    ] {
        assert!(serve_call(&mut remote, bad, now).body.is_none(), "{bad}");
    }
}

#[test]
fn the_memory_store_stays_within_its_cap_and_reports_what_to_persist() {
    let mut s = MemoryStore::persisted(100);
    for i in 0..1000 {
        s.hit_at(&format!("k{i}"), 60 + i, 1, 0.0);
        assert!(s.len() <= 100);
    }
    // The newest stay; the ones closest to expiry went.
    assert!(s.keys().any(|k| k == "k999") && !s.keys().any(|k| k == "k0"));
    let changed = s.drain();
    assert!(changed.iter().any(|(_, e)| e.is_none()));
    assert!(changed.iter().any(|(k, e)| k == "k999" && e.is_some()));
    assert!(s.drain().is_empty());
    // Expired counters go before any live one.
    let mut t = MemoryStore::with_cap(16);
    for i in 0..15 {
        t.hit_at(&format!("old{i}"), 1, 1, 0.0);
    }
    t.hit_at("live", 60, 1, 0.0);
    t.hit_at("new", 60, 1, 2_000.0);
    let mut kept: Vec<&str> = t.keys().collect();
    kept.sort_unstable();
    assert_eq!(kept, ["live", "new"]);
    // A store that is not persisted keeps no list of changes.
    assert!(t.drain().is_empty());
    // Reads change nothing; an expired counter starts again.
    assert_eq!(s.hit_at("k999", 60, 0, 0.0).count, 1);
    assert!(s.drain().is_empty());
    assert_eq!(
        s.hit_at("fresh", 10, 1, 0.0),
        Hit {
            count: 1,
            reset_in: 10
        }
    );
    assert_eq!(
        s.hit_at("fresh", 10, 1, 9_500.0),
        Hit {
            count: 2,
            reset_in: 1
        }
    );
    assert_eq!(
        s.hit_at("fresh", 10, 1, 10_000.0),
        Hit {
            count: 1,
            reset_in: 10
        }
    );
    // Restored counters: live ones kept, expired ones to be deleted.
    let mut r = MemoryStore::default();
    let stored = entry_value(&Entry {
        count: 3,
        reset_at: 5_000.0,
    });
    let e = entry_of(&stored).unwrap();
    assert!(r.restore("a", e, 1_000.0));
    assert!(!r.restore("b", e, 6_000.0));
    assert_eq!(
        r.hit_at("a", 60, 0, 1_000.0),
        Hit {
            count: 3,
            reset_in: 4
        }
    );
    assert_eq!(entry_of(&parse_json("[1]").unwrap()), None);
}

struct Broken;
impl Counters for Broken {
    async fn hit(&mut self, _: &str, _: u32, _: u32) -> Result<Hit, StoreFailed> {
        Err(StoreFailed)
    }
}

#[test]
fn a_failing_store_is_an_error_never_an_allow() {
    let sc = scopes(Some("192.0.2.1"), None, SALT);
    let l = Limits::default();
    assert_eq!(
        run_ready(admit(&mut Broken, &l, &sc, None)).unwrap(),
        Err(StoreFailed)
    );
    assert_eq!(
        run_ready(record(&mut Broken, &l, &sc, false, true)).unwrap(),
        Err(StoreFailed)
    );
}

/// What the Durable Object persists: every counter a call changed goes to `put`,
/// every dropped one to `delete`; a restart restores the live ones and names the
/// expired and unreadable ones for deletion, and the restored store decides as before.
#[test]
fn the_object_persists_what_a_call_changed_and_restores_it() {
    let limits = Limits::default();
    let sc = scopes(Some("198.51.100.7"), None, SALT);
    let mut object = MemoryStore::persisted(MEMORY_CAP);
    let now = 1_800_000_000_000.0;
    let mut stored: Vec<(String, Value)> = Vec::new();
    for i in 0..6 {
        let tag = card_tag(SALT, &card("400003", i));
        let admitted = parse_json(&serve_object(
            &mut object,
            &admit_call(&limits, &sc, tag.as_deref()),
            now,
        ))
        .unwrap();
        let recorded = parse_json(&serve_object(
            &mut object,
            &record_call(&limits, &sc, false),
            now,
        ))
        .unwrap();
        for out in [&admitted, &recorded] {
            assert!(!out.get("body").unwrap().is_null());
            for (k, v) in out.get("put").unwrap().as_object().unwrap() {
                stored.retain(|(s, _)| s != k);
                stored.push((k.clone(), v.clone()));
            }
            assert!(out.get("delete").unwrap().as_array().unwrap().is_empty());
        }
    }
    // The block is among what was persisted.
    assert!(stored.iter().any(|(k, _)| k.ends_with("|block")));
    let malformed = parse_json(&serve_object(&mut object, "{}", now)).unwrap();
    assert!(malformed.get("body").unwrap().is_null());

    // A restart: the stored counters, one expired and one unreadable beside them.
    stored.push((
        "gone|attempts".into(),
        entry_value(&Entry {
            count: 3,
            reset_at: now - 1.0,
        }),
    ));
    stored.push(("junk|attempts".into(), Value::from("x")));
    let json = crate::json_out::to_string(&Value::Object(stored)).unwrap();
    let mut restarted = MemoryStore::persisted(MEMORY_CAP);
    let delete = parse_json(&restore_object(&mut restarted, &json, now + 1_000.0)).unwrap();
    let delete: Vec<&str> = delete
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(delete, ["gone|attempts", "junk|attempts"]);
    // Still blocked after the restart.
    let tag = card_tag(SALT, &card("411111", 1));
    let again = parse_json(&serve_object(
        &mut restarted,
        &admit_call(&limits, &sc, tag.as_deref()),
        now + 1_000.0,
    ))
    .unwrap();
    let body = read_admitted(again.get("body").unwrap().as_str().unwrap()).unwrap();
    assert!(
        matches!(
            body.admission,
            Admission::Refuse {
                reason: Reason::Blocked,
                ..
            }
        ),
        "{body:?}"
    );
    assert_eq!(restore_object(&mut restarted, "not json", now), "[]");
}
