//! Monthly plans: `count` charges on day `day` of consecutive months, laid out
//! as `build_schedule`'s input. Each `merchant_uid` is `{prefix}_{YYYYMM}` (the
//! month in Korea), so building the same plan again names the same charges:
//! Iamport refuses a `merchant_uid` it already holds instead of booking it twice.
//!
//! Times are Korea Standard Time (UTC+9, no daylight saving). The calendar
//! arithmetic is the proleptic Gregorian calendar's, in integers.

use super::build::{
    schedule_at_error, CUSTOMER_UID_MAX, LIST_MAX, MAX_INT, MERCHANT_UID_MAX, SCHEDULE_AT_MAX_AHEAD,
};
use super::read::{Ctx, Reader};
use super::request::BuildOptions;
use super::value::Value;
use crate::card::date::{days_in_month, Date, KST_OFFSET_SECONDS};
use crate::error::{push_int, ErrorCode, FieldError};
#[allow(unused_imports)]
use crate::prelude::*;

/// The hour (KST) a plan's charges run at when `hour` is not given: 09:00 KST
/// is 00:00 UTC.
pub const PLAN_DEFAULT_HOUR: i64 = 9;

/// What a plan appends to `merchantUidPrefix`: `_YYYYMM`.
const UID_SUFFIX_LEN: usize = 7;

/// The result of [`build_monthly_schedules`]: the input `build_schedule` takes.
pub type BuiltPlan = Result<Value, Vec<FieldError>>;

/// Lays out a monthly plan as `build_schedule`'s input:
/// `{ customer_uid, schedules: [{ merchant_uid, schedule_at, amount, name }, …] }`.
///
/// Input: `customer_uid`, `amount`, `name`, `day` (1–31; clamped to the
/// month's last day), `from` (UNIX seconds: the first charge is the first
/// occurrence strictly after it), `count` (1–100), `merchantUidPrefix` (a uid
/// of at most 33 characters) and optionally `hour` (0–23 KST, default 9).
/// The charges must fit the schedule rules at `opts.now`: the first after
/// `now`, the last at most [`SCHEDULE_AT_MAX_AHEAD`] after it.
///
/// # Errors
/// Every field error, at once: `from` in milliseconds is `SCHEDULE_TOO_FAR`; a
/// first charge not after `now` is `from`'s `SCHEDULE_NOT_IN_FUTURE`; a last
/// charge beyond the 5 years is `count`'s `INVALID_INTEGER`.
pub fn build_monthly_schedules(input: &Value, opts: &BuildOptions) -> BuiltPlan {
    let mut ctx = Ctx::new(opts.locale);
    let Some(mut r) = Reader::new(&mut ctx, input, "") else {
        return Err(ctx.errors);
    };
    let customer_uid = r.uid(&mut ctx, "customer_uid", CUSTOMER_UID_MAX, true);
    let amount = r.amount(&mut ctx, "amount", true);
    let name = r.string(&mut ctx, "name", Some(40), true);
    let day = r.integer(&mut ctx, "day", 1, 31, true);
    let from = r.integer(&mut ctx, "from", 0, MAX_INT, true);
    let count = r.integer(&mut ctx, "count", 1, LIST_MAX as i64, true);
    let prefix = r.uid(
        &mut ctx,
        "merchantUidPrefix",
        MERCHANT_UID_MAX - UID_SUFFIX_LEN,
        true,
    );
    let hour = match r.take("hour") {
        None => Some(PLAN_DEFAULT_HOUR),
        Some(_) => r.integer(&mut ctx, "hour", 0, 23, false),
    };
    r.finish(&mut ctx);
    let (
        Some(customer_uid),
        Some(amount),
        Some(name),
        Some(day),
        Some(from),
        Some(count),
        Some(prefix),
        Some(hour),
    ) = (customer_uid, amount, name, day, from, count, prefix, hour)
    else {
        return Err(ctx.errors);
    };
    if !ctx.errors.is_empty() {
        return Err(ctx.errors);
    }
    // Milliseconds: refused before any calendar arithmetic on them.
    if from > opts.now.saturating_add(SCHEDULE_AT_MAX_AHEAD) {
        ctx.err("from", ErrorCode::ScheduleTooFar);
        return Err(ctx.errors);
    }
    let kst = Date::kst_from_unix(from);
    let mut month = kst.month_index();
    if occurrence(month, day, hour).is_some_and(|at| at <= from) {
        month += 1;
    }
    let mut schedules = Vec::new();
    for i in 0..count {
        let Some(at) = occurrence(month + i, day, hour).filter(|&at| at <= MAX_INT) else {
            ctx.err("from", ErrorCode::InvalidInteger);
            break;
        };
        match schedule_at_error(at, opts.now) {
            None => {}
            Some(ErrorCode::ScheduleTooFar) if i > 0 => {
                // The plan runs past the 5 years: too many months from here.
                ctx.err("count", ErrorCode::InvalidInteger);
                break;
            }
            Some(code) => {
                ctx.err("from", code);
                break;
            }
        }
        let Some(merchant_uid) = monthly_uid(&prefix, month + i) else {
            ctx.err("from", ErrorCode::InvalidInteger);
            break;
        };
        schedules.push(Value::object([
            ("merchant_uid", Value::String(merchant_uid)),
            ("schedule_at", Value::Number(at as f64)),
            ("amount", Value::Number(amount as f64)),
            ("name", Value::String(name.clone())),
        ]));
    }
    if !ctx.errors.is_empty() {
        return Err(ctx.errors);
    }
    Ok(Value::object([
        ("customer_uid", Value::String(customer_uid)),
        ("schedules", Value::Array(schedules)),
    ]))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`; `month` 1–12). Exact for any year an `i64` day count holds.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // 0..=399
    let mp = (month + 9) % 12; // March = 0 … February = 11
    let doy = (153 * mp + 2) / 5 + day - 1; // 0..=365
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // 0..=146096
    era * 146_097 + doe - 719_468
}

/// The UNIX time of `hour`:00 KST on day `day` (clamped to the month's last
/// day) of the month `month_index` (year × 12 + month − 1). `None` past the
/// years an `i32` holds.
fn occurrence(month_index: i64, day: i64, hour: i64) -> Option<i64> {
    let year = month_index.div_euclid(12);
    let month = month_index.rem_euclid(12) + 1;
    let last = days_in_month(i32::try_from(year).ok()?, month as u8);
    let days = days_from_civil(year, month, day.min(i64::from(last)));
    days.checked_mul(86_400)?
        .checked_add(hour * 3_600 - KST_OFFSET_SECONDS)
}

/// `{prefix}_{YYYYMM}` for the month `month_index`; `None` outside years 1–9999.
fn monthly_uid(prefix: &str, month_index: i64) -> Option<String> {
    let year = month_index.div_euclid(12);
    let month = month_index.rem_euclid(12) + 1;
    if !(1..=9999).contains(&year) {
        return None;
    }
    let mut s = String::with_capacity(prefix.len() + UID_SUFFIX_LEN);
    s.push_str(prefix);
    s.push('_');
    for pad in [1000, 100, 10] {
        if year < pad {
            s.push('0');
        }
    }
    push_int(&mut s, year as u64);
    if month < 10 {
        s.push('0');
    }
    push_int(&mut s, month as u64);
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::body::Body;
    use crate::api::build::build_schedule;
    use crate::api::tests::codes;
    use crate::api::value::test_json::json;
    use crate::error::Locale;

    /// 2024-01-01T00:00:00Z (09:00 KST).
    const JAN_2024: i64 = 1_704_067_200;

    fn plan(day: i64, from: i64, count: i64, hour: Option<i64>) -> Value {
        let mut fields = vec![
            ("customer_uid", Value::from("cust_42")),
            ("amount", Value::from(9_900_i64)),
            ("name", Value::from("월 구독")),
            ("day", Value::from(day)),
            ("from", Value::from(from)),
            ("count", Value::from(count)),
            ("merchantUidPrefix", Value::from("sub_42")),
        ];
        if let Some(h) = hour {
            fields.push(("hour", Value::from(h)));
        }
        Value::object(fields)
    }

    /// Builds the plan at `now = from`, checks that `build_schedule` takes its
    /// output at that `now`, and returns `(merchant_uid, schedule_at)` per charge.
    fn laid_out(input: &Value) -> Vec<(String, i64)> {
        let from = input.get("from").and_then(Value::as_i64).expect("from");
        let opts = BuildOptions::at(from);
        let built = build_monthly_schedules(input, &opts).expect("plan builds");
        assert_eq!(
            built.get("customer_uid").and_then(Value::as_str),
            Some("cust_42")
        );
        let request = build_schedule(&built, &opts).expect("build_schedule takes the plan");
        let Some(Body::SchedulePayments(body)) = &request.body else {
            panic!("a schedule body");
        };
        let entries = built
            .get("schedules")
            .and_then(Value::as_array)
            .expect("list");
        assert_eq!(entries.len(), body.schedules.len());
        for (e, wire) in entries.iter().zip(&body.schedules) {
            assert_eq!(e.get("amount").and_then(Value::as_i64), Some(9_900));
            assert_eq!(e.get("name").and_then(Value::as_str), Some("월 구독"));
            assert_eq!(
                e.as_object()
                    .map(|o| o.iter().map(|(k, _)| k.as_str()).collect()),
                Some(vec!["merchant_uid", "schedule_at", "amount", "name"])
            );
            assert_eq!(wire.amount, 9_900);
            assert_eq!(
                e.get("schedule_at").and_then(Value::as_i64),
                Some(wire.schedule_at)
            );
        }
        body.schedules
            .iter()
            .map(|s| (s.merchant_uid.clone(), s.schedule_at))
            .collect()
    }

    fn uids_and_times(prefix: &str, months: &[(&str, i64)]) -> Vec<(String, i64)> {
        months
            .iter()
            .map(|&(ym, at)| (format!("{prefix}_{ym}"), at))
            .collect()
    }

    #[test]
    fn days_from_civil_matches_the_date_type() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for days in (-800_000_i64..800_000).step_by(997) {
            let d = Date::from_unix(days * 86_400, 0);
            assert_eq!(
                days_from_civil(i64::from(d.year), i64::from(d.month), i64::from(d.day)),
                days,
                "{d:?}"
            );
        }
    }

    #[test]
    fn day_31_in_a_leap_year() {
        // Midnight UTC of each last day: 09:00 KST is 00:00 UTC.
        assert_eq!(
            laid_out(&plan(31, JAN_2024, 7, None)),
            uids_and_times(
                "sub_42",
                &[
                    ("202401", 1_706_659_200), // Jan 31
                    ("202402", 1_709_164_800), // Feb 29
                    ("202403", 1_711_843_200), // Mar 31
                    ("202404", 1_714_435_200), // Apr 30
                    ("202405", 1_717_113_600), // May 31
                    ("202406", 1_719_705_600), // Jun 30
                    ("202407", 1_722_384_000), // Jul 31
                ]
            )
        );
    }

    #[test]
    fn day_31_in_a_common_year() {
        // 2025-01-01T00:00:00Z; the default hour given explicitly changes nothing.
        let from = 1_735_689_600;
        let want = uids_and_times(
            "sub_42",
            &[
                ("202501", 1_738_281_600), // Jan 31
                ("202502", 1_740_700_800), // Feb 28
                ("202503", 1_743_379_200), // Mar 31
                ("202504", 1_745_971_200), // Apr 30
                ("202505", 1_748_649_600), // May 31
                ("202506", 1_751_241_600), // Jun 30
                ("202507", 1_753_920_000), // Jul 31
            ],
        );
        assert_eq!(laid_out(&plan(31, from, 7, None)), want);
        assert_eq!(laid_out(&plan(31, from, 7, Some(9))), want);
        // 1900 was no leap year, 2000 was: only the calendar, not the clock.
        assert_eq!(
            occurrence(1900 * 12 + 1, 29, 9).map(|at| at % 86_400),
            Some(0)
        );
        assert_eq!(
            occurrence(1900 * 12 + 1, 29, 9),
            Some(days_from_civil(1900, 2, 28) * 86_400)
        );
        assert_eq!(
            occurrence(2000 * 12 + 1, 31, 9),
            Some(days_from_civil(2000, 2, 29) * 86_400)
        );
    }

    #[test]
    fn hour_is_korean_time() {
        // 2025-12-01T00:00:00+09:00.
        let from = 1_764_514_800;
        // 00:00 KST on the 15th is 15:00 UTC on the 14th.
        assert_eq!(
            laid_out(&plan(15, from, 1, Some(0))),
            uids_and_times("sub_42", &[("202512", 1_765_724_400)])
        );
        assert_eq!(
            laid_out(&plan(15, from, 1, Some(23))),
            uids_and_times("sub_42", &[("202512", 1_765_724_400 + 23 * 3_600)])
        );
        // The month is Korea's: 2025-11-30T15:30Z is already 1 December there.
        assert_eq!(
            laid_out(&plan(1, 1_764_516_600, 1, Some(10))),
            uids_and_times("sub_42", &[("202512", from + 10 * 3_600)])
        );
        for bad in [-1, 24, 9 * 3600] {
            assert_eq!(
                codes(&build_monthly_schedules(
                    &plan(15, from, 1, Some(bad)),
                    &BuildOptions::at(from)
                )),
                ["hour:INVALID_INTEGER"],
                "{bad}"
            );
        }
    }

    #[test]
    fn december_rolls_over_to_january() {
        // Day 15 at 10:00 KST (01:00 UTC), from 2025-12-01 KST.
        assert_eq!(
            laid_out(&plan(15, 1_764_514_800, 3, Some(10))),
            uids_and_times(
                "sub_42",
                &[
                    ("202512", 1_765_760_400),
                    ("202601", 1_768_438_800),
                    ("202602", 1_771_117_200),
                ]
            )
        );
    }

    #[test]
    fn a_from_after_this_months_charge_starts_next_month() {
        let dec_15 = 1_765_760_400; // 2025-12-15T10:00+09:00
        let next = uids_and_times("sub_42", &[("202601", 1_768_438_800)]);
        // Strictly after `from`: at the very second, the month is over.
        assert_eq!(laid_out(&plan(15, dec_15, 1, Some(10))), next);
        assert_eq!(laid_out(&plan(15, dec_15 + 1, 1, Some(10))), next);
        assert_eq!(
            laid_out(&plan(15, dec_15 - 1, 1, Some(10))),
            uids_and_times("sub_42", &[("202512", dec_15)])
        );
    }

    #[test]
    fn the_readme_example() {
        // from: 2026-11-28T23:20:42+09:00; 31 → 30 November, 09:00 KST.
        let out = laid_out(&plan(31, 1_795_875_642, 12, None));
        assert_eq!(out.len(), 12);
        assert_eq!(
            out.first(),
            Some(&("sub_42_202611".to_owned(), 1_795_996_800))
        );
        assert_eq!(
            out.last().map(|(uid, _)| uid.as_str()),
            Some("sub_42_202710")
        );
    }

    #[test]
    fn rebuilding_names_the_same_charges() {
        let early = laid_out(&plan(31, JAN_2024, 3, None));
        let later = laid_out(&plan(31, JAN_2024 + 86_400 * 10, 3, None));
        assert_eq!(early, later);
    }

    #[test]
    fn prefix_length_limit() {
        let with_prefix = |prefix: &str| {
            let mut v = plan(31, JAN_2024, 2, None);
            if let Value::Object(fields) = &mut v {
                for (k, val) in fields.iter_mut() {
                    if k == "merchantUidPrefix" {
                        *val = Value::from(prefix);
                    }
                }
            }
            build_monthly_schedules(&v, &BuildOptions::at(JAN_2024))
        };
        let longest = "p".repeat(MERCHANT_UID_MAX - UID_SUFFIX_LEN);
        let built = with_prefix(&longest).expect("33 characters fit");
        let uid = built
            .get("schedules")
            .and_then(Value::as_array)
            .and_then(|s| s.first())
            .and_then(|e| e.get("merchant_uid"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        assert_eq!(
            uid.as_deref().map(crate::api::read::char_count),
            Some(MERCHANT_UID_MAX)
        );
        let too_long = with_prefix(&"p".repeat(MERCHANT_UID_MAX - UID_SUFFIX_LEN + 1));
        assert_eq!(codes(&too_long), ["merchantUidPrefix:TOO_LONG"]);
        if let Err(e) = &too_long {
            assert_eq!(e[0].message, "33자 이하로 입력해 주세요.");
        }
        assert_eq!(
            codes(&with_prefix("a/b")),
            ["merchantUidPrefix:INVALID_UID"]
        );
        assert_eq!(codes(&with_prefix("")), ["merchantUidPrefix:REQUIRED"]);
    }

    #[test]
    fn ranges() {
        let at =
            |input: &Value| codes(&build_monthly_schedules(input, &BuildOptions::at(JAN_2024)));
        assert_eq!(at(&plan(31, JAN_2024, 0, None)), ["count:INVALID_INTEGER"]);
        assert_eq!(
            at(&plan(31, JAN_2024, 101, None)),
            ["count:INVALID_INTEGER"]
        );
        assert_eq!(at(&plan(0, JAN_2024, 1, None)), ["day:INVALID_INTEGER"]);
        assert_eq!(at(&plan(32, JAN_2024, 1, None)), ["day:INVALID_INTEGER"]);
        assert_eq!(at(&plan(1, JAN_2024, 1, None)), Vec::<String>::new());
        assert_eq!(at(&plan(31, JAN_2024, 60, None)), Vec::<String>::new());
        // 61 months from January 2024 end in January 2029: past the 5 years.
        assert_eq!(at(&plan(31, JAN_2024, 61, None)), ["count:INVALID_INTEGER"]);
        assert_eq!(
            at(&plan(31, JAN_2024, 100, None)),
            ["count:INVALID_INTEGER"]
        );
        assert_eq!(at(&plan(31, -1, 1, None)), ["from:INVALID_INTEGER"]);
        // Everything wrong at once, every error reported.
        let all_wrong = json(r#"{"amount": 0, "day": 40, "count": 0, "extra": true}"#);
        assert_eq!(
            at(&all_wrong),
            [
                "customer_uid:REQUIRED",
                "amount:INVALID_AMOUNT",
                "name:REQUIRED",
                "day:INVALID_INTEGER",
                "from:REQUIRED",
                "count:INVALID_INTEGER",
                "merchantUidPrefix:REQUIRED",
                "extra:UNKNOWN_FIELD",
            ]
        );
        assert_eq!(at(&Value::from("plan")), ["input:INVALID_TYPE"]);
        // A pass-through field the plan does not take is refused, not dropped.
        let mut v = plan(31, JAN_2024, 1, None);
        if let Value::Object(fields) = &mut v {
            fields.push(("currency".into(), Value::from("KRW")));
        }
        assert_eq!(at(&v), ["currency:UNKNOWN_FIELD"]);
    }

    #[test]
    fn from_is_judged_against_now() {
        let now = JAN_2024;
        let run = |from: i64| {
            codes(&build_monthly_schedules(
                &plan(31, from, 1, None),
                &BuildOptions::at(now),
            ))
        };
        // Date.now(): milliseconds.
        assert_eq!(run(now * 1_000), ["from:SCHEDULE_TOO_FAR"]);
        assert_eq!(
            run(now + SCHEDULE_AT_MAX_AHEAD + 1),
            ["from:SCHEDULE_TOO_FAR"]
        );
        // A `from` long past lays out charges that are not after `now`.
        assert_eq!(run(now - 86_400 * 60), ["from:SCHEDULE_NOT_IN_FUTURE"]);
        // A `from` shortly before `now`: its next charge is still ahead.
        assert_eq!(run(now - 3_600), Vec::<String>::new());
        let en = BuildOptions {
            locale: Locale::En,
            ..BuildOptions::at(now)
        };
        let errs = build_monthly_schedules(&plan(31, now * 1_000, 1, None), &en)
            .err()
            .unwrap_or_default();
        assert_eq!(
            errs.first().map(|e| e.message.as_str()),
            Some("schedule_at is more than 5 years ahead: it must be UNIX seconds, not milliseconds (Date.now() / 1000).")
        );
    }

    #[test]
    fn junk_is_an_error_never_a_panic() {
        let junk = [
            Value::Null,
            Value::Unsupported,
            Value::Bool(true),
            Value::Number(f64::NAN),
            Value::Number(f64::INFINITY),
            Value::Number(f64::NEG_INFINITY),
            Value::Number(-1.0),
            Value::Number(0.5),
            Value::Number(-0.0 - 1e-300),
            Value::Number(1e300),
            Value::Number(-1e300),
            Value::Number(MAX_SAFE_PLUS),
            Value::Number(i64::MAX as f64),
            Value::from(""),
            Value::from("9"),
            Value::from("x/y"),
            Value::Array(vec![Value::from(1_i64)]),
            Value::object([("a", Value::from(1_i64))]),
        ];
        let keys = [
            "customer_uid",
            "amount",
            "name",
            "day",
            "from",
            "count",
            "merchantUidPrefix",
            "hour",
        ];
        for key in keys {
            for j in &junk {
                let mut v = plan(31, JAN_2024, 3, Some(9));
                if let Value::Object(fields) = &mut v {
                    for (k, val) in fields.iter_mut() {
                        if k == key {
                            *val = j.clone();
                        }
                    }
                }
                // "9" and "x/y" are fine uids and names, but no other junk is.
                let fine_text = matches!(j, Value::String(s) if !s.is_empty())
                    && matches!(key, "customer_uid" | "name" | "merchantUidPrefix")
                    && !(key != "name" && j.as_str() == Some("x/y"));
                let null_hour = key == "hour" && j.is_null();
                let r = build_monthly_schedules(&v, &BuildOptions::at(JAN_2024));
                assert_eq!(r.is_ok(), fine_text || null_hour, "{key} = {j:?}");
            }
        }
        // Extreme clocks and the largest `from`: an answer, never a panic.
        for now in [i64::MIN, -1, 0, JAN_2024, MAX_INT, i64::MAX] {
            for from in [0, 1, JAN_2024, MAX_INT] {
                for day in [1, 29, 31] {
                    for count in [1, 100] {
                        let _ = build_monthly_schedules(
                            &plan(day, from, count, Some(23)),
                            &BuildOptions::at(now),
                        );
                    }
                }
            }
        }
        // The largest `from` at a matching clock: past year 9999, refused.
        assert_eq!(
            codes(&build_monthly_schedules(
                &plan(31, MAX_INT - 1, 1, None),
                &BuildOptions::at(MAX_INT - 2)
            )),
            ["from:INVALID_INTEGER"]
        );
        for month_index in [i64::MIN, -1, 0, i64::MAX] {
            let _ = occurrence(month_index, 31, 23);
            let _ = monthly_uid("p", month_index);
        }
    }

    const MAX_SAFE_PLUS: f64 = 9_007_199_254_740_992.0;
}
