//! The merchant proxy's decisions, in plain Rust and tested natively: routing
//! over the operation table, origin checks and CORS, body limits,
//! re-validation with the builders, the operation handed to merchant hooks,
//! the price check, the token cache's timing and back-off, the deadline, and
//! the mapping of every failure to a typed [`ProxyCode`]. The wasm adapter
//! (`worker`) only does the I/O.

mod code;
mod forward;
mod http;
// The card-testing counters (std's HashMap): native, tests and the server wasm only.
#[cfg(any(feature = "std", test, not(target_arch = "wasm32")))]
mod limit;
mod policy;
mod prepare;
mod runtime;
mod token;
mod webhook;
#[cfg(all(target_arch = "wasm32", feature = "proxy"))]
pub mod worker;

pub use crate::api::operation::OpName;
pub use code::{ErrorBody, ProxyCode, ProxyError, MAX_FIELD_ERRORS};
pub use forward::{after_answer, send_failure, AfterAnswer, Deadline, SendFailure};
pub use http::{
    check_origin, check_origins_option, cors_headers, is_json_content_type, parse_body, route,
    Cors, OriginDecision, Route, ANSWER_HEADERS,
};
#[cfg(any(feature = "std", test, not(target_arch = "wasm32")))]
pub use limit::{
    admit, admit_call, card_tag, entry_of, entry_value, is_decline, read_admitted, read_recorded,
    record, record_call, restore_object, run_ready, scopes, serve_call, serve_object,
    submitted_card, Admission, Admitted, Counters, Entry, Hit, LimitEvent, Limits, MemoryAt,
    MemoryStore, Reason, Scope, ScopeKind, Served, StoreFailed, MEMORY_CAP,
};
pub use policy::{
    apply_server_fields, check_price, parse_operations, price_requests, Policy, PriceAnswer,
    PriceRequest, Pricing, ServerFields,
};
pub use prepare::{prepare, set_browser_ip, OperationInfo, Prepared};
pub use runtime::{
    client_ip_header_option, default_client_ip_rule, env_source, is_workers, trusted_ip,
    ClientIpRule, EnvSource,
};
pub use token::{read_token_answer, CachedToken, TokenCache, TokenStep};
pub use webhook::{
    check_webhook_sender, is_webhook_path, webhook_amount, webhook_failure, WebhookPrice,
    WEBHOOK_PATH,
};

/// The default `basePath`.
pub const DEFAULT_BASE_PATH: &str = "/iamport";
/// The default `maxBodyBytes` (16 KiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 16 * 1024;
/// Refresh the token this long before the server says it expires.
pub const TOKEN_REFRESH_MARGIN_MS: f64 = 30_000.0;
/// After getToken fails, answer `TOKEN_FAILED` without asking again for this long.
pub const TOKEN_FAILURE_BACKOFF_MS: f64 = 2_000.0;
/// The default `upstreamTimeoutMs`: one deadline for token, forward and retry,
/// below the client's default 30 s so that the client hears the proxy's answer.
pub const DEFAULT_UPSTREAM_TIMEOUT_MS: f64 = 25_000.0;

#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod tests;
