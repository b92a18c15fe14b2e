//! The `#[wasm_bindgen]` layer: converts JS values to the core's types and
//! back, and nothing else.
//!
//! Every export is total: it returns a value for any JS input and never
//! throws or panics. Non-string inputs are never coerced; they are invalid.
//!
//! One way across the boundary in each direction: a result goes to JS as one
//! JSON string that the engine's `JSON.parse` reads ([`to_js`]); a JS value
//! comes in through [`to_value`] (JSON text through `JSON.parse` and then
//! [`to_value`]). The fast path of the per-keystroke checks is the one
//! exception: a packed number and ASCII text in a scratch buffer (`fast`).
//!
//! | file | what |
//! |---|---|
//! | `convert.rs` | JS ⇄ [`Value`](crate::api::Value) and results → JS |
//! | `options.rs` | the one reader of options objects (checks and builders) |
//! | `locale.rs` | the default locale: `setLocale`, `getLocale` |
//! | `surface.rs` | what each check answers for the arguments JS handed over |
//! | `checks.rs` | the field checks as `JsValue` functions, one export (`__check`) by number, and their TypeScript |
//! | `protocol.rs` | the checks-only build's bytes-in, JSON-out exports instead |
//! | `fast.rs` | the fast path's scratch buffer and packed exports (main and server builds) |
//! | `builders.rs`, `decoders.rs` | the request builders, the response decoders, their TypeScript |

#[cfg(feature = "full")]
mod builders;
mod checks;
#[cfg(feature = "full")]
mod convert;
#[cfg(feature = "full")]
mod decoders;
#[cfg(feature = "full")]
mod fast;
mod locale;
mod options;
#[cfg(not(feature = "full"))]
mod protocol;
mod surface;

#[cfg(feature = "full")]
pub use builders::{
    build, build_again_payment, build_billing_key, build_delete_billing_key, build_find_payment,
    build_get_billing_key, build_get_billing_keys, build_get_payment, build_get_schedule,
    build_get_schedules_by_customer, build_onetime_payment, build_schedule, build_unschedule,
};
#[cfg(feature = "full")]
pub use checks::{
    card_brand, check, check_birth, check_card, check_card_number, check_expiry, check_pwd_2digit,
    format_card_number_input, is_valid_card_number, mask_card_number,
};
#[cfg(feature = "full")]
pub use decoders::{decode_customer, decode_customers, decode_outcome, decode_schedules};
#[cfg(feature = "full")]
pub use fast::{
    card_brand_at, card_number_at, card_valid_at, date_packed, expiry_at, message, scratch, tables,
};
#[cfg(feature = "full")]
pub use locale::{get_locale, set_locale};
#[cfg(not(feature = "full"))]
pub use protocol::{input_buffer, output_buffer, run};

#[cfg(feature = "proxy")]
pub(crate) use convert::serde_js;
#[cfg(feature = "full")]
pub(crate) use convert::{json_text_to_value, json_to_js, to_value};
#[cfg(feature = "proxy")]
pub(crate) use convert::{prop, to_js};
pub(crate) use locale::current_locale;
#[cfg(feature = "full")]
pub(crate) use options::now_unix;
