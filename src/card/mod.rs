//! Card-field checks: one module per field, in the style of card-validator.
//!
//! Every check takes loose text and returns `is_valid` / `is_potentially_valid`
//! plus the wire form. None of them panics, for any input, and none of their
//! `Debug` output or messages contains the card number, PIN digits or birth value.

pub mod birth;
pub mod date;
pub mod expiry;
pub mod input;
// What the wasm builds hand to JS (native builds test it against serde's text).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) mod json;
pub mod number;
pub mod pwd;
pub(crate) mod unicode;

use core::fmt;

use serde::Serialize;

use crate::error::{ErrorCode, FieldError, Locale};
use crate::prelude::*;
use birth::{Birth, BirthKind};
use date::Date;

/// One loose input field as it arrived from JS or JSON.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Absent, `undefined` or `null`.
    Missing,
    /// A string.
    Text(&'a str),
    /// Anything else (a number, an object, …). Never coerced.
    WrongType,
}

impl fmt::Debug for Field<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Missing => "Missing",
            Field::Text(_) => "Text(<redacted>)",
            Field::WrongType => "WrongType",
        })
    }
}

/// The four card fields of a key-in request, loose.
#[derive(Debug, Clone, Copy)]
pub struct CardFields<'a> {
    /// `card_number`.
    pub card_number: Field<'a>,
    /// `expiry`.
    pub expiry: Field<'a>,
    /// `birth`.
    pub birth: Field<'a>,
    /// `pwd_2digit`.
    pub pwd_2digit: Field<'a>,
}

/// Card fields that passed every check, in Iamport's wire form. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidCard {
    /// `dddd-dddd-dddd-dddd` (or the brand's grouping).
    pub card_number: String,
    /// The brand.
    pub brand: number::Brand,
    /// `YYYY-MM`.
    pub expiry: String,
    /// 6 or 10 digits (`None` only when the rules made it optional and it was absent).
    pub birth: Option<Birth>,
    /// Two digits; `None` only for corporate cards.
    pub pwd_2digit: Option<[u8; 2]>,
}

impl fmt::Debug for ValidCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidCard")
            .field("card_number", &number::mask_card_number(&self.card_number))
            .field("brand", &self.brand)
            .field("expiry", &self.expiry)
            .field("birth", &self.birth)
            .field("pwd_2digit", &self.pwd_2digit.map(|_| "**"))
            .finish()
    }
}

fn text<'a>(
    field: &'static str,
    v: Field<'a>,
    locale: Locale,
    errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    match v {
        Field::Text(s) => Some(s),
        Field::Missing => {
            errors.push(FieldError::new(field, ErrorCode::Required, locale));
            None
        }
        Field::WrongType => {
            errors.push(FieldError::new(field, ErrorCode::InvalidType, locale));
            None
        }
    }
}

/// Which card fields are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CardRules {
    /// Accept only this kind of `birth`.
    pub expect: Option<BirthKind>,
    /// `birth` must be present (KCP always wants it).
    pub require_birth: bool,
    /// `pwd_2digit` must be present unless `birth` is a business number.
    pub require_pwd: bool,
}

impl CardRules {
    /// KCP's rules: `birth` required; `pwd_2digit` required except for corporate cards.
    pub const KCP: CardRules = CardRules {
        expect: None,
        require_birth: true,
        require_pwd: true,
    };
    /// Only what the API itself requires: card number and expiry.
    pub const ANY: CardRules = CardRules {
        expect: None,
        require_birth: false,
        require_pwd: false,
    };
}

/// Checks all card fields together and returns their wire forms, or every error.
///
/// With [`CardRules::KCP`], `pwd_2digit` is required unless `birth` is a
/// business number (a corporate card). A field that is present is always
/// checked, required or not.
///
/// # Errors
/// Every field error found, in field order.
pub fn parse_card(
    fields: &CardFields<'_>,
    rules: CardRules,
    today: Date,
    locale: Locale,
) -> Result<ValidCard, Vec<FieldError>> {
    let expect = rules.expect;
    let mut errors = Vec::new();
    let number = text("card_number", fields.card_number, locale, &mut errors).and_then(|s| {
        number::parse_card_number(s)
            .map_err(|c| errors.push(FieldError::new("card_number", c, locale)))
            .ok()
    });
    let expiry = text("expiry", fields.expiry, locale, &mut errors).and_then(|s| {
        expiry::parse_expiry(s, today)
            .map_err(|c| errors.push(FieldError::new("expiry", c, locale)))
            .ok()
    });
    let birth = match fields.birth {
        Field::Missing if !rules.require_birth => None,
        v => text("birth", v, locale, &mut errors).and_then(|s| {
            birth::parse_birth(s, expect, today)
                .map_err(|(c, _)| errors.push(FieldError::new("birth", c, locale)))
                .ok()
        }),
    };
    let pwd_optional = !rules.require_pwd || birth.is_some_and(|b| b.kind() == BirthKind::Business);
    let pwd = match (fields.pwd_2digit, pwd_optional) {
        (Field::Missing, true) => None,
        (Field::Text(s), true) if unicode::trim_bytes(s.as_bytes()).is_empty() => None,
        (v, _) => text("pwd_2digit", v, locale, &mut errors).and_then(|s| {
            pwd::parse_pwd_2digit(s)
                .map_err(|c| errors.push(FieldError::new("pwd_2digit", c, locale)))
                .ok()
        }),
    };
    match (number, expiry) {
        (Some((digits, brand)), Some(expiry)) if errors.is_empty() => Ok(ValidCard {
            card_number: number::wire_form(&digits, brand),
            brand,
            expiry: expiry.wire(),
            birth,
            pwd_2digit: pwd,
        }),
        _ => Err(errors),
    }
}

/// The result of [`check_card`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardCheck {
    /// Every field is valid.
    pub is_valid: bool,
    /// Every problem, in field order.
    pub errors: Vec<FieldError>,
}

/// Checks the four card fields together under KCP's rules (see [`parse_card`]).
pub fn check_card(
    fields: &CardFields<'_>,
    expect: Option<BirthKind>,
    today: Date,
    locale: Locale,
) -> CardCheck {
    let rules = CardRules {
        expect,
        ..CardRules::KCP
    };
    match parse_card(fields, rules, today, locale) {
        Ok(_) => CardCheck {
            is_valid: true,
            errors: Vec::new(),
        },
        Err(errors) => CardCheck {
            is_valid: false,
            errors,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checks-only build keeps the text of the card codes only (`is_card_code`):
    /// no check may give another.
    #[test]
    fn the_checks_give_only_card_codes() {
        let texts = [
            "",
            "x",
            "4111",
            "4111111111111112",
            "12/20",
            "13/30",
            "000000",
            "1168200277",
            "１２",
            "1",
        ];
        let fields = [Field::Missing, Field::WrongType];
        let mut seen = 0;
        for a in texts.map(Field::Text).into_iter().chain(fields) {
            for b in [
                Field::Text("12/30"),
                Field::Text("99"),
                Field::WrongType,
                Field::Missing,
            ] {
                let f = CardFields {
                    card_number: a,
                    expiry: b,
                    birth: a,
                    pwd_2digit: b,
                };
                for expect in [None, Some(BirthKind::Personal), Some(BirthKind::Business)] {
                    for e in check_card(&f, expect, TODAY, Locale::Ko).errors {
                        assert!(e.code.is_card_code(), "{}", e.code);
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 100);
        let card_codes = ErrorCode::ALL.iter().filter(|c| c.is_card_code()).count();
        assert_eq!(card_codes, 17);
        // They come first: the packed verdicts index them the same in every build.
        assert!(ErrorCode::ALL[..card_codes]
            .iter()
            .all(|c| c.is_card_code()));
    }

    const TODAY: Date = Date {
        year: 2026,
        month: 11,
        day: 28,
    };

    fn fields<'a>(n: &'a str, e: &'a str, b: &'a str, p: Option<&'a str>) -> CardFields<'a> {
        CardFields {
            card_number: Field::Text(n),
            expiry: Field::Text(e),
            birth: Field::Text(b),
            pwd_2digit: p.map_or(Field::Missing, Field::Text),
        }
    }

    fn codes(r: &CardCheck) -> Vec<(&str, &str)> {
        r.errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn valid_personal_and_corporate() {
        let c = parse_card(
            &fields("4111 1111 1111 1111", "12/28", "820213", Some("12")),
            CardRules::KCP,
            TODAY,
            Locale::Ko,
        )
        .unwrap();
        assert_eq!(c.card_number, "4111-1111-1111-1111");
        assert_eq!(c.expiry, "2028-12");
        assert_eq!(
            c.birth.map(|b| b.wire().to_owned()).as_deref(),
            Some("820213")
        );
        assert_eq!(c.pwd_2digit, Some(*b"12"));
        // Corporate: no PIN needed.
        let c = parse_card(
            &fields("4111111111111111", "2028-12", "116-82-00276", None),
            CardRules::KCP,
            TODAY,
            Locale::Ko,
        )
        .unwrap();
        assert_eq!(
            c.birth.map(|b| b.wire().to_owned()).as_deref(),
            Some("1168200276")
        );
        assert_eq!(c.pwd_2digit, None);
        assert!(
            check_card(
                &fields("4111111111111111", "1228", "1168200276", Some("")),
                None,
                TODAY,
                Locale::Ko
            )
            .is_valid
        );
    }

    #[test]
    fn every_error_at_once() {
        let r = check_card(
            &fields("1234-1234-1234-1234", "13/28", "821302", None),
            None,
            TODAY,
            Locale::En,
        );
        assert!(!r.is_valid);
        assert_eq!(
            codes(&r),
            vec![
                ("card_number", "CARD_NUMBER_UNKNOWN_BRAND"),
                ("expiry", "EXPIRY_INVALID_MONTH"),
                ("birth", "BIRTH_INVALID_DATE"),
                ("pwd_2digit", "REQUIRED"),
            ]
        );
        let r = check_card(
            &CardFields {
                card_number: Field::WrongType,
                expiry: Field::Missing,
                birth: Field::Text("1168200276"),
                pwd_2digit: Field::Text("1"),
            },
            None,
            TODAY,
            Locale::En,
        );
        assert_eq!(
            codes(&r),
            vec![
                ("card_number", "INVALID_TYPE"),
                ("expiry", "REQUIRED"),
                ("pwd_2digit", "INCOMPLETE")
            ]
        );
    }

    #[test]
    fn any_profile_needs_only_number_and_expiry() {
        let f = CardFields {
            card_number: Field::Text("4111111111111111"),
            expiry: Field::Text("12/28"),
            birth: Field::Missing,
            pwd_2digit: Field::Missing,
        };
        let c = parse_card(&f, CardRules::ANY, TODAY, Locale::Ko).unwrap();
        assert!(c.birth.is_none() && c.pwd_2digit.is_none());
        let errs = parse_card(&f, CardRules::KCP, TODAY, Locale::Ko).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("birth", ErrorCode::Required),
                ("pwd_2digit", ErrorCode::Required)
            ]
        );
        // Present fields are checked even when optional.
        let bad = CardFields {
            pwd_2digit: Field::Text("1"),
            ..f
        };
        assert!(parse_card(&bad, CardRules::ANY, TODAY, Locale::Ko).is_err());
    }

    #[test]
    fn no_card_data_in_errors_or_debug() {
        let r = check_card(
            &fields("4111111111111112", "12/28", "010229", Some("1x")),
            None,
            TODAY,
            Locale::Ko,
        );
        let all = format!("{r:?}");
        for secret in ["4111111111111112", "010229", "1x"] {
            assert!(!all.contains(secret), "{all}");
        }
        let ok = parse_card(
            &fields("4111111111111111", "12/28", "820213", Some("47")),
            CardRules::KCP,
            TODAY,
            Locale::Ko,
        )
        .unwrap();
        let dbg = format!("{ok:?}");
        for secret in ["4111111111111111", "1111-1111-1111", "820213", "47"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
    }
}
