//! `KeyinClient`'s options, read from loose input (the JS object converted to a
//! [`Value`]): every rule here, tested natively; the wasm side only resolves the
//! proxy URL against the page (`web.rs`).

use super::DEFAULT_TIMEOUT_MS;
use crate::api::Value;
use crate::error::Locale;
#[allow(unused_imports)]
use crate::prelude::*;

/// The options as read: what `new KeyinClient(options)` was given, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// `proxyUrl` as given (resolved and checked by the wasm side).
    pub proxy_url: String,
    /// `headers`, names lowercased, one entry per name: the last value given for
    /// a name, however it was written (as `Headers.set` keeps them).
    pub headers: Vec<(String, String)>,
    /// `timeoutMs`: 1..=600000, default [`DEFAULT_TIMEOUT_MS`].
    pub timeout_ms: u32,
    /// `locale` (`None`: the current default).
    pub locale: Option<Locale>,
    /// `credentials`: `omit`, `same-origin` or `include` (`None`: fetch's default).
    pub credentials: Option<&'static str>,
}

impl ClientOptions {
    /// Reads the options. An option that is `null` or absent takes its default.
    ///
    /// # Errors
    /// The message of an `INVALID_CONFIG` for a missing or bad option.
    pub fn read(options: &Value) -> Result<ClientOptions, &'static str> {
        if options.as_object().is_none() {
            return Err("options must be an object with proxyUrl");
        }
        let given = |key| options.get(key).filter(|v| !v.is_null());
        let proxy_url = given("proxyUrl")
            .and_then(Value::as_str)
            .ok_or("proxyUrl is required")?
            .to_owned();
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(h) = given("headers") {
            let entries = h.as_object().ok_or("headers must be an object")?;
            for (name, value) in entries {
                let value = value.as_str().ok_or("headers must map names to strings")?;
                let name = name.to_ascii_lowercase();
                headers.retain(|(n, _)| *n != name);
                headers.push((name, value.to_owned()));
            }
        }
        let timeout_ms = match given("timeoutMs") {
            None => DEFAULT_TIMEOUT_MS,
            Some(t) => match t.as_f64() {
                Some(ms) if (1.0..=600_000.0).contains(&ms) => ms as u32,
                _ => return Err("timeoutMs must be 1..600000"),
            },
        };
        let locale = match given("locale") {
            None => None,
            Some(l) => Some(
                l.as_str()
                    .and_then(Locale::parse)
                    .ok_or("locale must be \"ko\" or \"en\"")?,
            ),
        };
        let credentials = match given("credentials").map(Value::as_str) {
            None => None,
            Some(Some("omit")) => Some("omit"),
            Some(Some("same-origin")) => Some("same-origin"),
            Some(Some("include")) => Some("include"),
            Some(_) => return Err("credentials must be omit, same-origin or include"),
        };
        Ok(ClientOptions {
            proxy_url,
            headers,
            timeout_ms,
            locale,
            credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::value::test_json::json;

    fn read(text: &str) -> Result<ClientOptions, &'static str> {
        ClientOptions::read(&json(text))
    }

    #[test]
    fn defaults_and_every_option() {
        let o = read(r#"{"proxyUrl": "/iamport"}"#).expect("minimal");
        assert_eq!(
            o,
            ClientOptions {
                proxy_url: "/iamport".into(),
                headers: Vec::new(),
                timeout_ms: DEFAULT_TIMEOUT_MS,
                locale: None,
                credentials: None,
            }
        );
        // null is "not given", as undefined is.
        let nulls = r#"{"proxyUrl": "/p", "headers": null, "timeoutMs": null, "locale": null, "credentials": null}"#;
        assert_eq!(read(nulls).expect("nulls").timeout_ms, DEFAULT_TIMEOUT_MS);
        // (Built in order: a JS object's keys keep theirs, and the JSON helper sorts.)
        let s = |v: &str| Value::String(v.into());
        let headers = Value::object([
            ("X-A", s("1")),
            ("b", s("2")),
            ("x-a", s("3")),
            ("B", s("4")),
        ]);
        let o = ClientOptions::read(&Value::object([
            ("proxyUrl", s("https://x/p")),
            ("timeoutMs", Value::Number(1234.9)),
            ("locale", s("en-US")),
            ("credentials", s("include")),
            ("headers", headers),
        ]))
        .expect("every option");
        assert_eq!(o.timeout_ms, 1234);
        assert_eq!(o.locale, Some(Locale::En));
        assert_eq!(o.credentials, Some("include"));
        // One entry per name, lowercased, the last value given, in the order last set.
        assert_eq!(
            o.headers,
            [("x-a".into(), "3".into()), ("b".into(), "4".into())]
        );
        for (c, want) in [("omit", "omit"), ("same-origin", "same-origin")] {
            let o = read(&format!(r#"{{"proxyUrl": "/p", "credentials": "{c}"}}"#)).expect(c);
            assert_eq!(o.credentials, Some(want));
        }
        assert_eq!(
            read(r#"{"proxyUrl": "/p", "timeoutMs": 600000}"#).map(|o| o.timeout_ms),
            Ok(600_000)
        );
    }

    #[test]
    fn bad_options_are_refused_with_their_reason() {
        for (text, why) in [
            (r#"null"#, "options must be an object with proxyUrl"),
            (r#""/p""#, "options must be an object with proxyUrl"),
            (r#"["/p"]"#, "options must be an object with proxyUrl"),
            (r#"{}"#, "proxyUrl is required"),
            (r#"{"proxyUrl": 5}"#, "proxyUrl is required"),
            (
                r#"{"proxyUrl": "/p", "headers": "x"}"#,
                "headers must be an object",
            ),
            (
                r#"{"proxyUrl": "/p", "headers": ["x"]}"#,
                "headers must be an object",
            ),
            (
                r#"{"proxyUrl": "/p", "headers": {"a": 1}}"#,
                "headers must map names to strings",
            ),
            (
                r#"{"proxyUrl": "/p", "timeoutMs": 0}"#,
                "timeoutMs must be 1..600000",
            ),
            (
                r#"{"proxyUrl": "/p", "timeoutMs": 600001}"#,
                "timeoutMs must be 1..600000",
            ),
            (
                r#"{"proxyUrl": "/p", "timeoutMs": "100"}"#,
                "timeoutMs must be 1..600000",
            ),
            (
                r#"{"proxyUrl": "/p", "locale": "jp"}"#,
                "locale must be \"ko\" or \"en\"",
            ),
            (
                r#"{"proxyUrl": "/p", "locale": 1}"#,
                "locale must be \"ko\" or \"en\"",
            ),
            (
                r#"{"proxyUrl": "/p", "credentials": "INCLUDE"}"#,
                "credentials must be omit, same-origin or include",
            ),
            (
                r#"{"proxyUrl": "/p", "credentials": true}"#,
                "credentials must be omit, same-origin or include",
            ),
        ] {
            assert_eq!(read(text), Err(why), "{text}");
        }
    }
}
