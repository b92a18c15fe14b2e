//! Where a proxy finds what its runtime knows: the client's address (for
//! `browser_ip` and `webhookIps`) and the env bindings (for the secret), on
//! every runtime a merchant deploys to.

#[allow(unused_imports)]
use crate::prelude::*;
/// Where the client's address comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientIpRule {
    /// A header the runtime's edge sets and a client cannot (lower-case name).
    Header(String),
    /// The merchant's `clientIp(request, env)` hook.
    Hook,
    /// The TCP peer, when the runtime hands it over with the request (Deno's
    /// serve info, Bun's server, `@hono/node-server`'s `incoming`): not
    /// spoofable, though behind a reverse proxy it is the proxy's address.
    Socket,
    /// No trusted source: no address (a browser-sent `browser_ip` is dropped).
    None,
}

/// Whether the runtime is Cloudflare Workers, by its `navigator.userAgent`.
pub fn is_workers(user_agent: Option<&str>) -> bool {
    user_agent == Some("Cloudflare-Workers")
}

/// The runtime's own header, when the runtime is known by its globals:
/// Cloudflare Workers (`navigator.userAgent` is `Cloudflare-Workers`) set
/// `CF-Connecting-IP`; Vercel's Edge Runtime (`globalThis.EdgeRuntime`)
/// `x-real-ip`; Netlify (`globalThis.Netlify`) `x-nf-client-connection-ip`.
/// Anywhere else (Node, Deno, Bun) no header is trusted by default (any client
/// could send it): the socket's peer address is used when the runtime gives it.
pub fn default_client_ip_rule(
    user_agent: Option<&str>,
    edge_runtime: bool,
    netlify: bool,
) -> ClientIpRule {
    let header = if is_workers(user_agent) {
        "cf-connecting-ip"
    } else if edge_runtime {
        "x-real-ip"
    } else if netlify {
        "x-nf-client-connection-ip"
    } else {
        return ClientIpRule::Socket;
    };
    ClientIpRule::Header(header.to_owned())
}

/// Reads the `clientIp` option: a header name (`"x-real-ip"`), or `false` for
/// none; a function is [`ClientIpRule::Hook`] (decided by the adapter).
///
/// # Errors
/// A message for an empty or malformed header name.
pub fn client_ip_header_option(name: &str) -> Result<ClientIpRule, String> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(ClientIpRule::Header(name.to_ascii_lowercase()))
    } else {
        Err("createProxy: clientIp must be a header name, a function, or false".into())
    }
}

/// A trusted source's value as an address: trimmed, and a valid IPv4 or IPv6
/// address, or nothing.
pub fn trusted_ip(value: Option<&str>) -> Option<String> {
    let v = value?.trim();
    crate::api::read::is_ip(v).then(|| v.to_owned())
}

/// Which env object holds the bindings: the one the runtime passed (a worker's
/// `env`) when it carries `IMP_KEY` or `IMP_SECRET`; else `createProxy({ env })`;
/// else the process's environment (`process.env`, then `Deno.env`). The
/// second argument of `deno serve`, Bun's and `@hono/node-server`'s handlers is
/// not an env, and is passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvSource {
    /// The handler's second argument.
    Argument,
    /// `createProxy({ env })`.
    Option,
    /// `process.env`.
    Process,
    /// `Deno.env`.
    Deno,
    /// None carries the bindings: `MISCONFIGURED`.
    Missing,
}

/// Picks the [`EnvSource`] from what each candidate carries (`has_bindings`: it
/// has `IMP_KEY` or `IMP_SECRET`).
pub fn env_source(argument: bool, option: bool, process: bool, deno: bool) -> EnvSource {
    if argument {
        EnvSource::Argument
    } else if option {
        EnvSource::Option
    } else if process {
        EnvSource::Process
    } else if deno {
        EnvSource::Deno
    } else {
        EnvSource::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_runtime_trusts_its_own_header_and_nothing_else_by_default() {
        let h = |s: &str| ClientIpRule::Header(s.into());
        assert_eq!(
            default_client_ip_rule(Some("Cloudflare-Workers"), false, false),
            h("cf-connecting-ip")
        );
        assert_eq!(default_client_ip_rule(None, true, false), h("x-real-ip"));
        assert_eq!(
            default_client_ip_rule(Some("Node.js/20"), false, true),
            h("x-nf-client-connection-ip")
        );
        for ua in [None, Some("Node.js/20"), Some("Deno/2.1"), Some("Bun/1.2")] {
            assert_eq!(
                default_client_ip_rule(ua, false, false),
                ClientIpRule::Socket
            );
        }
    }

    #[test]
    fn header_options_and_trusted_values() {
        assert_eq!(
            client_ip_header_option("X-Real-IP"),
            Ok(ClientIpRule::Header("x-real-ip".into()))
        );
        for bad in ["", "x real ip", "x:y", "ä"] {
            assert!(client_ip_header_option(bad).is_err(), "{bad}");
        }
        assert_eq!(
            trusted_ip(Some(" 203.0.113.9 ")),
            Some("203.0.113.9".into())
        );
        assert_eq!(trusted_ip(Some("2001:db8::1")), Some("2001:db8::1".into()));
        // A list (x-forwarded-for style) is not one address: nothing.
        assert_eq!(trusted_ip(Some("203.0.113.9, 10.0.0.1")), None);
        assert_eq!(trusted_ip(Some("unknown")), None);
        assert_eq!(trusted_ip(None), None);
    }

    #[test]
    fn the_env_comes_from_the_first_source_that_carries_the_bindings() {
        assert_eq!(env_source(true, true, true, true), EnvSource::Argument);
        assert_eq!(env_source(false, true, true, true), EnvSource::Option);
        assert_eq!(env_source(false, false, true, true), EnvSource::Process);
        assert_eq!(env_source(false, false, false, true), EnvSource::Deno);
        assert_eq!(env_source(false, false, false, false), EnvSource::Missing);
    }
}
