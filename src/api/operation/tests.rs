//! The operation table against itself, the builders' fixtures, and every place
//! that lists operations by hand (JS export lists, TS declarations, the facade).

use super::*;
use crate::api::parse_json;
use crate::api::value::test_json::fixtures;

const NOW: i64 = 1_795_875_642;

fn every_name(n: OpName) -> usize {
    // Exhaustive: a new variant fails to compile here until it is listed.
    match n {
        OpName::PayOnetime => 0,
        OpName::RegisterBillingKey => 1,
        OpName::GetBillingKey => 2,
        OpName::DeleteBillingKey => 3,
        OpName::GetBillingKeys => 4,
        OpName::PayAgain => 5,
        OpName::Schedule => 6,
        OpName::Unschedule => 7,
        OpName::GetSchedule => 8,
        OpName::GetSchedulesByCustomer => 9,
        OpName::FindPayment => 10,
        OpName::GetPayment => 11,
        OpName::CancelPayment => 12,
    }
}

#[test]
fn one_row_per_operation_and_unique_names() {
    assert_eq!(OPERATIONS.len(), 13);
    for (i, op) in OPERATIONS.iter().enumerate() {
        assert_eq!(every_name(op.name), i, "{:?} out of order", op.name);
        // The accessors the browser build uses agree with the row.
        assert_eq!(op.name.spec().client, op.client);
        assert_eq!(OpName::ALL[i], op.name);
        assert_eq!(op.name.client(), op.client);
        assert_eq!(op.name.hook_name(), op.hook);
        assert_eq!(op.name.charge(), op.charge);
        assert_eq!(op.name.answer(), op.answer);
        assert_eq!(OpName::from_client(op.client), Some(op.name));
        for other in &OPERATIONS[i + 1..] {
            assert_ne!(op.client, other.client);
            assert_ne!(op.builder, other.builder);
            assert_ne!(op.hook, other.hook);
            assert!(
                !(op.path == other.path && op.method == other.method),
                "{} and {} share a route",
                op.client,
                other.client
            );
        }
        // A body exactly for POST; a path parameter exactly where the template has one.
        let has_body = op.args.contains(&Arg::Body);
        assert_eq!(has_body, op.method == Method::Post, "{}", op.client);
        let path_args = op.args.iter().filter(|a| **a == Arg::Path).count();
        assert_eq!(path_args, op.path.matches('{').count(), "{}", op.client);
    }
    assert_eq!(OpName::from_client("refund"), None);
}

#[test]
fn charge_kinds() {
    let now: Vec<&str> = OPERATIONS
        .iter()
        .filter(|o| o.charges_now())
        .map(|o| o.client)
        .collect();
    assert_eq!(now, ["payOnetime", "payAgain"]);
    let priced: Vec<&str> = OPERATIONS
        .iter()
        .filter(|o| o.is_priced())
        .map(|o| o.client)
        .collect();
    assert_eq!(priced, ["payOnetime", "payAgain", "schedule"]);
    for o in OPERATIONS {
        assert_eq!(o.answer == Answer::Outcome, o.charges_now(), "{}", o.client);
        assert_eq!(
            o.answer == Answer::Refund,
            o.name.server_only(),
            "{}",
            o.client
        );
    }
    let server_only: Vec<&str> = OPERATIONS
        .iter()
        .filter(|o| o.name.server_only())
        .map(|o| o.client)
        .collect();
    assert_eq!(server_only, ["cancelPayment"]);
}

#[test]
fn routes_exactly() {
    let ok = |m: &str, p: &str| route(m, p).map(|(op, params)| (op.spec().client, params));
    assert_eq!(
        ok("POST", "/subscribe/payments/onetime"),
        Ok(("payOnetime", vec![]))
    );
    assert_eq!(
        ok("DELETE", "/subscribe/customers/c%20ust"),
        Ok(("deleteBillingKey", vec!["c ust".to_owned()]))
    );
    assert_eq!(
        ok("GET", "/subscribe/payments/schedule/customers/c1"),
        Ok(("getSchedulesByCustomer", vec!["c1".to_owned()]))
    );
    assert_eq!(
        ok("GET", "/subscribe/payments/schedule/m1"),
        Ok(("getSchedule", vec!["m1".to_owned()]))
    );
    assert_eq!(
        ok("POST", "/payments/cancel"),
        Ok(("cancelPayment", vec![]))
    );
    assert_eq!(
        ok("GET", "/payments/imp_123"),
        Ok(("getPayment", vec!["imp_123".to_owned()]))
    );
    let miss = |m: &str, p: &str| route(m, p).err();
    assert_eq!(
        miss("PUT", "/subscribe/customers/c1"),
        Some(RouteMiss::MethodNotAllowed)
    );
    assert_eq!(
        miss("GET", "/subscribe/payments/onetime"),
        Some(RouteMiss::MethodNotAllowed)
    );
    for p in [
        "",
        "/",
        "/subscribe/payments/onetime/",
        "//subscribe/payments/onetime",
        "/Subscribe/payments/onetime",
        "/subscribe/payments/./onetime",
        "/subscribe/customers/..",
        "/subscribe/customers/%zz",
        "/subscribe/customers/%c0%ae",
        "/payments/find/m1/paid",
        "/users/getToken",
        "/payments",
        "/payments/",
    ] {
        assert_eq!(miss("GET", p), Some(RouteMiss::NotFound), "{p:?}");
    }
}

#[test]
fn query_args() {
    let args = args_from_http(
        OpName::GetSchedulesByCustomer,
        &["c1".to_owned()],
        "from=10&to=20&schedule-status=scheduled&page=x&big=99999999999999999999",
        None,
    );
    assert_eq!(
        args,
        vec![
            Value::String("c1".into()),
            Value::Object(vec![
                ("from".into(), Value::Number(10.0)),
                ("to".into(), Value::Number(20.0)),
                ("status".into(), Value::String("scheduled".into())),
                ("page".into(), Value::String("x".into())),
                ("big".into(), Value::String("99999999999999999999".into())),
            ])
        ]
    );
    let args = args_from_http(
        OpName::GetBillingKeys,
        &[],
        "customer_uid%5B%5D=a&x=1&customer_uid[]=b+c",
        None,
    );
    assert_eq!(
        args,
        vec![Value::Array(vec![
            Value::String("a".into()),
            Value::String("b c".into())
        ])]
    );
    let args = args_from_http(OpName::DeleteBillingKey, &["c".into()], "", None);
    assert_eq!(args, vec![Value::String("c".into()), Value::Null]);
    let args = args_from_http(OpName::PayAgain, &[], "", None);
    assert_eq!(args, vec![Value::Object(vec![])]);
}

/// Every builder fixture that succeeds: the request it builds routes back to
/// its own operation, and re-reading it from HTTP (as the proxy and the
/// sandbox do) builds exactly the same request.
#[test]
fn fixtures_survive_the_proxy_round_trip() {
    let mut seen = std::collections::BTreeSet::new();
    for f in fixtures(NOW) {
        if f.json.get("request").is_none() {
            continue;
        }
        let row = OPERATIONS
            .iter()
            .find(|o| o.hook == f.op)
            .expect("fixture op in the table");
        let (args, opts, name) = (&f.args, &f.opts, &f.name);
        if row.name == OpName::FindPayment && args.len() > 1 {
            continue; // the status variant is builder-only; the proxy forwards the plain look-up
        }
        let built = row.build(args, opts).expect("fixture builds");
        let (op, params) = route(built.method.as_str(), &built.path).expect("routes");
        assert_eq!(op, row.name, "{name}");
        let body = built.body.as_ref().map(|b| {
            parse_json(&crate::json_out::to_string(b).expect("serialises")).expect("parses")
        });
        let again = row
            .build(
                &args_from_http(op, &params, &built.query.encode(), body.as_ref()),
                opts,
            )
            .expect("rebuilds");
        assert_eq!(again, built, "{name}");
        seen.insert(row.client);
    }
    assert_eq!(seen.len(), OPERATIONS.len(), "{seen:?}");
}

fn read(rel: &str) -> String {
    let p = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Every `.rs` file under `src/`, concatenated: the TS declarations live beside their exports.
fn all_sources() -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&p).expect("read"));
            }
        }
    }
    let mut s = String::new();
    walk(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut s,
    );
    s
}

/// The words of a JS destructuring list `export const { a, b, … } = api;`
/// (or, in a `.d.ts`, `export { a, b, … } from "…";`).
fn export_list(js: &str) -> Vec<String> {
    let (open, close) = if js.contains("export const {") {
        ("export const {", "} = api")
    } else {
        ("export {\n", "} from")
    };
    let start = js.find(open).expect("export list");
    let end = start + js[start..].find(close).expect("end of export list");
    js[start + open.len()..end]
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty() && !w.starts_with("//"))
        .map(str::to_owned)
        .collect()
}

/// `BUILDERS` in clients.js, each name with the number `__build` (src/js/builders.rs)
/// runs it by: the arm `n => …` must call the function of that name (in snake case),
/// or the JS names and the wasm's numbers have come apart.
fn build_arms(clients: &str, builders: &str) -> Vec<(usize, String)> {
    let list = clients
        .split_once("const BUILDERS = [")
        .and_then(|(_, rest)| rest.split_once("];"))
        .expect("clients.js: const BUILDERS = [...];")
        .0;
    let names: Vec<String> = list
        .split(',')
        .map(|n| n.trim().trim_matches('"').to_owned())
        .filter(|n| !n.is_empty())
        .collect();
    let snake = |name: &str| {
        let mut s = String::new();
        for c in name.chars() {
            if c.is_ascii_uppercase() {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
        }
        s
    };
    let arms: Vec<&str> = builders
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.split_once(" => ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .collect();
    assert_eq!(
        arms.len(),
        names.len(),
        "one arm of __build per BUILDERS name"
    );
    names
        .into_iter()
        .enumerate()
        .map(|(n, name)| {
            let arm = arms
                .iter()
                .find(|l| l.starts_with(&format!("{n} => ")))
                .unwrap_or_else(|| panic!("__build has no arm {n} ({name})"));
            assert!(
                arm.contains(&format!("{}(", snake(&name))),
                "__build's arm {n} is not {name}: {arm}"
            );
            (n, name)
        })
        .collect()
}

#[test]
fn every_export_list_and_declaration_names_every_operation() {
    let browser = export_list(&read("pkg-template/index.js"));
    let server = export_list(&read("pkg-template/server.js"));
    let types = export_list(&read("pkg-template/index.d.ts"));
    let clients = read("pkg-template/clients.js");
    let sources = all_sources();
    let builder_arms = build_arms(&clients, &read("src/js/builders.rs"));
    for op in OPERATIONS {
        for (list, name) in [
            (&browser, "index.js"),
            (&server, "server.js"),
            (&types, "index.d.ts"),
        ] {
            assert!(
                list.iter().any(|w| w == op.builder),
                "{name} does not export {}",
                op.builder
            );
        }
        assert!(
            clients.contains(&format!("\"{}\"", op.builder)),
            "clients.js does not pass {} through",
            op.builder
        );
        assert!(
            sources.contains(&format!("export function {}(", op.builder)),
            "no TS declaration of {}",
            op.builder
        );
        assert!(
            builder_arms.iter().any(|(_, name)| name == op.builder),
            "no wasm export {} (an arm of __build, src/js/builders.rs)",
            op.builder
        );
        // The client's method: declared in the KeyinClient class's TS.
        assert!(
            sources.contains(&format!("  {}(", op.client)),
            "KeyinClient's TS declares no {}",
            op.client
        );
        // The hook's name: in the TS union of operation names.
        assert!(
            sources.contains(&format!("\"{}\"", op.hook)),
            "the TS union lacks \"{}\"",
            op.hook
        );
        assert!(
            sources.contains(&format!("\"{}\"", op.client)),
            "the TS lacks the operations-option name \"{}\"",
            op.client
        );
    }
}
