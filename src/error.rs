//! Field errors with stable codes and localised messages.
//!
//! Messages never quote the input: they are built only from the error code and,
//! for length limits, the limit itself. That is what keeps card numbers, PIN
//! digits and birth values out of every message.

use crate::prelude::*;
use core::fmt;
use serde::Serialize;

/// The language of error messages. Korean is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    /// 한국어 (the default).
    #[default]
    Ko,
    /// English.
    En,
}

impl Locale {
    /// Parses `"ko"` or `"en"` (case-insensitive, region suffix allowed: `"en-US"`).
    pub fn parse(tag: &str) -> Option<Locale> {
        // The language: up to the first `-` or `_` (bytes: ASCII separators).
        let tag = tag.as_bytes();
        let end = tag
            .iter()
            .position(|&b| b == b'-' || b == b'_')
            .unwrap_or(tag.len());
        // Two letters, lowercased (`| 0x20` lowercases a letter, and makes a letter
        // of no other byte: only `K`/`k` become `k`, and so on).
        match *tag.get(..end).unwrap_or_default() {
            [a, b] => match [a | 0x20, b | 0x20] {
                [b'k', b'o'] => Some(Locale::Ko),
                [b'e', b'n'] => Some(Locale::En),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The one table of error codes: variant, wire code, Korean and English
/// message, in the order of [`ErrorCode::ALL`] (the fast path's packed verdicts
/// index it). A `{max}` in a message is filled in by [`FieldError::too_long`].
macro_rules! error_codes {
    (
        card: { $($(#[$cdoc:meta])* $cname:ident = $ccode:literal, $cko:literal, $cen:literal;)* }
        full: { $($(#[$fdoc:meta])* $fname:ident = $fcode:literal, $fko:literal, $fen:literal;)* }
    ) => {
        /// A stable, machine-readable error code.
        ///
        /// The string form (`as_str`) is SCREAMING_SNAKE and never changes once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$cdoc])* $cname,)*
            $($(#[$fdoc])* $fname,)*
        }

        impl ErrorCode {
            /// Every code, for documentation and exhaustive tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$cname,)* $(ErrorCode::$fname,)*];

            /// The stable code, e.g. `CARD_NUMBER_LUHN`. (In the checks-only build,
            /// without the `full` feature, the codes only builders give are empty:
            /// nothing there can give them.)
            pub fn as_str(self) -> &'static str {
                CODES.get(self)
            }

            /// The human message for this code in `locale`. It never contains input.
            pub fn message(self, locale: Locale) -> &'static str {
                match locale {
                    Locale::Ko => KO.get(self),
                    Locale::En => EN.get(self),
                }
            }

            /// The code's position in [`ErrorCode::ALL`] (a compact form for the JS entry).
            pub const fn index(self) -> u32 {
                self as u32
            }

            /// Whether the field checks may give it (the only codes the checks-only
            /// build keeps the text of).
            pub const fn is_card_code(self) -> bool {
                matches!(self, $(ErrorCode::$cname)|*)
            }
        }

        /// The wire codes, then the Korean and the English messages (the checks-only
        /// build keeps the field checks' only: the others are empty there).
        #[cfg(feature = "full")]
        const CODES: Texts = texts!($($ccode,)* $($fcode,)*);
        #[cfg(feature = "full")]
        const KO: Texts = texts!($($cko,)* $($fko,)*);
        #[cfg(feature = "full")]
        const EN: Texts = texts!($($cen,)* $($fen,)*);
        #[cfg(not(feature = "full"))]
        const CODES: Texts = texts!($($ccode,)*);
        #[cfg(not(feature = "full"))]
        const KO: Texts = texts!($($cko,)*);
        #[cfg(not(feature = "full"))]
        const EN: Texts = texts!($($cen,)*);

        /// Every code with its wire code and its Korean and English messages, as
        /// written in the table (the tests compare [`Texts`] with it).
        #[cfg(test)]
        const TABLE: &[(ErrorCode, &str, &str, &str)] = &[
            $((ErrorCode::$cname, $ccode, $cko, $cen),)*
            $((ErrorCode::$fname, $fcode, $fko, $fen),)*
        ];
    };
}

/// One text of every code (its wire code, or its message in one locale): the texts as
/// one string, and where each one ends in it. A table of `&str` instead (a pointer and
/// a length per text, 8 bytes) compresses badly: this saved the checks-only wasm about
/// 200 B gzip. Made by [`texts!`] from the texts themselves.
struct Texts {
    all: &'static str,
    /// Where each code's text ends in `all`, in the order of [`ErrorCode::ALL`].
    ends: [u16; ErrorCode::ALL.len()],
}

impl Texts {
    /// The texts `all`, one after another, `lens` their lengths in code order (the
    /// codes past them have empty texts: the checks-only build keeps the field
    /// checks' only). Use [`texts!`].
    const fn of<const N: usize>(all: &'static str, lens: [usize; N]) -> Texts {
        let mut ends = [0u16; ErrorCode::ALL.len()];
        let mut end = 0;
        let mut i = 0;
        while i < ends.len() {
            if i < N {
                end += lens[i];
            }
            ends[i] = end as u16;
            i += 1;
        }
        // (Compile-time checks: a const's evaluation fails if one does not hold.)
        assert!(N <= ends.len() && end == all.len() && end <= u16::MAX as usize);
        Texts { all, ends }
    }

    /// The text of `code` ("" if it has none).
    fn get(&self, code: ErrorCode) -> &'static str {
        let i = code as usize;
        let end = self.ends.get(i).map_or(0, |&e| e as usize);
        let start = match i.checked_sub(1) {
            Some(j) => self.ends.get(j).map_or(0, |&e| e as usize),
            None => 0,
        };
        self.all.get(start..end).unwrap_or_default()
    }
}

/// [`Texts`] of the given string literals, in code order: `texts!("REQUIRED", …)`.
macro_rules! texts {
    ($($text:literal),* $(,)?) => {
        Texts::of(concat!($($text),*), [$($text.len()),*])
    };
}

error_codes! {
    // The field checks' codes: in every build.
    card: {
    /// The value is missing or empty.
    Required = "REQUIRED",
        "필수 입력 항목입니다.",
        "This field is required.";
    /// The value has the wrong JS type (for example a number where a string belongs).
    InvalidType = "INVALID_TYPE",
        "값의 형식이 올바르지 않습니다.",
        "The value has the wrong type.";
    /// An option passed to the function is malformed.
    InvalidOption = "INVALID_OPTION",
        "옵션 값이 올바르지 않습니다.",
        "An option value is invalid.";
    /// The card number holds a character other than digits, spaces and dashes.
    CardNumberInvalidCharacter = "CARD_NUMBER_INVALID_CHARACTER",
        "카드번호에는 숫자, 공백, 하이픈(-)만 쓸 수 있습니다.",
        "A card number may contain only digits, spaces and dashes.";
    /// The card number's prefix belongs to no supported brand.
    CardNumberUnknownBrand = "CARD_NUMBER_UNKNOWN_BRAND",
        "지원하지 않는 카드번호입니다.",
        "This card number is not supported.";
    /// The card number has a digit count its brand never uses.
    CardNumberInvalidLength = "CARD_NUMBER_INVALID_LENGTH",
        "카드번호의 자릿수가 올바르지 않습니다.",
        "The card number has the wrong number of digits.";
    /// The card number fails the Luhn check digit.
    CardNumberLuhn = "CARD_NUMBER_LUHN",
        "카드번호가 올바르지 않습니다. 다시 확인해 주세요.",
        "The card number is not valid. Please check it.";
    /// The expiry is in none of the accepted forms.
    ExpiryInvalidFormat = "EXPIRY_INVALID_FORMAT",
        "유효기간은 MM/YY 형식으로 입력해 주세요.",
        "Enter the expiry as MM/YY.";
    /// The value is not complete yet (`12/`, `4111 11`): keep typing.
    Incomplete = "INCOMPLETE",
        "입력이 아직 끝나지 않았습니다.",
        "The value is incomplete.";
    /// The expiry month is not 01–12.
    ExpiryInvalidMonth = "EXPIRY_INVALID_MONTH",
        "유효기간의 월은 01부터 12 사이여야 합니다.",
        "The expiry month must be between 01 and 12.";
    /// The expiry month is before the current month.
    ExpiryExpired = "EXPIRY_EXPIRED",
        "유효기간이 지난 카드입니다.",
        "This card has expired.";
    /// The expiry is more than 20 years ahead.
    ExpiryTooFar = "EXPIRY_TOO_FAR",
        "유효기간이 너무 먼 미래입니다.",
        "The expiry date is too far in the future.";
    /// The birth field is neither 6 nor 10 digits, or holds other characters.
    BirthInvalidFormat = "BIRTH_INVALID_FORMAT",
        "생년월일 6자리(YYMMDD) 또는 사업자등록번호 10자리를 입력해 주세요.",
        "Enter a 6-digit birth date (YYMMDD) or a 10-digit business registration number.";
    /// The 6-digit birth date is not a real calendar date.
    BirthInvalidDate = "BIRTH_INVALID_DATE",
        "생년월일이 올바른 날짜가 아닙니다.",
        "The birth date is not a real date.";
    /// A 6-digit value was given where a business number was required, or the reverse.
    BirthKindMismatch = "BIRTH_KIND_MISMATCH",
        "개인카드는 생년월일 6자리, 법인카드는 사업자등록번호 10자리를 입력해 주세요.",
        "Personal cards take a 6-digit birth date; corporate cards a 10-digit business number.";
    /// The 10-digit business registration number fails its check digit.
    BusinessNumberChecksum = "BUSINESS_NUMBER_CHECKSUM",
        "사업자등록번호가 올바르지 않습니다.",
        "The business registration number is not valid.";
    /// The PIN field is not exactly two digits.
    Pwd2DigitInvalid = "PWD_2DIGIT_INVALID",
        "카드 비밀번호 앞 2자리를 숫자로 입력해 주세요.",
        "Enter the first 2 digits of the card PIN.";
    }
    // The builders' and the proxy's: not in the checks-only build.
    full: {
    /// An input field this operation does not take (never forwarded).
    UnknownField = "UNKNOWN_FIELD",
        "이 요청에서 사용하지 않는 항목입니다.",
        "This field is not accepted by this operation.";
    /// The same field appears twice in one object.
    DuplicateField = "DUPLICATE_FIELD",
        "같은 항목이 두 번 들어 있습니다.",
        "This field appears more than once.";
    /// Longer than the field's maxLength (counted in characters).
    TooLong = "TOO_LONG",
        "{max}자 이하로 입력해 주세요.",
        "Use at most {max} characters.";
    /// A merchant_uid/customer_uid that is empty or could change a URL path (`/`, `\\`, `?`, `#`, `%`, `.`/`..`, control characters).
    InvalidUid = "INVALID_UID",
        "주문번호/고객번호에 쓸 수 없는 문자가 있습니다.",
        "This id contains characters that are not allowed.";
    /// Not a positive whole number of KRW up to 2^53−1.
    InvalidAmount = "INVALID_AMOUNT",
        "금액은 1원 이상의 정수여야 합니다.",
        "The amount must be a positive whole number of KRW.";
    /// Not a whole number in the allowed range.
    InvalidInteger = "INVALID_INTEGER",
        "올바른 정수가 아닙니다.",
        "This must be a whole number in range.";
    /// `tax_free` (or `vat_amount`) is larger than `amount`.
    TaxFreeExceedsAmount = "TAX_FREE_EXCEEDS_AMOUNT",
        "면세 금액은 결제 금액보다 클 수 없습니다.",
        "The tax-free amount cannot exceed the amount.";
    /// `card_quota` is not 0 (lump sum) or 2–36.
    CardQuotaInvalid = "CARD_QUOTA_INVALID",
        "할부 개월 수는 0(일시불) 또는 2~36이어야 합니다.",
        "Installments must be 0 (lump sum) or 2 to 36 months.";
    /// Installments below 50,000 KRW.
    CardQuotaMinAmount = "CARD_QUOTA_MIN_AMOUNT",
        "할부는 50,000원 이상부터 가능합니다.",
        "Installments need an amount of at least 50,000 KRW.";
    /// A field the PG profile (KCP) does not support.
    UnsupportedByPg = "UNSUPPORTED_BY_PG",
        "이 PG(KCP)에서 지원하지 않는 항목입니다.",
        "This PG (KCP) does not support this field.";
    /// `pg` is not `kcp` or `kcp.{site code}` (a wrong value silently falls back to the default PG).
    InvalidPg = "INVALID_PG",
        "pg 값은 kcp 또는 kcp.{사이트코드}여야 합니다.",
        "pg must be kcp or kcp.{site code}.";
    /// Not one of the allowed values.
    InvalidValue = "INVALID_VALUE",
        "허용되지 않는 값입니다.",
        "This value is not one of the allowed values.";
    /// Not an absolute http(s) URL.
    InvalidUrl = "INVALID_URL",
        "http(s) 주소를 입력해 주세요.",
        "Enter an absolute http(s) URL.";
    /// Not an IPv4 or IPv6 address.
    InvalidIp = "INVALID_IP",
        "IP 주소 형식이 올바르지 않습니다.",
        "This is not an IP address.";
    /// `schedule_at` is not after `now`.
    ScheduleNotInFuture = "SCHEDULE_NOT_IN_FUTURE",
        "예약 시각은 현재 이후여야 합니다.",
        "The schedule time must be in the future.";
    /// `schedule_at` more than 5 years after `now`: milliseconds (`Date.now()`) where UNIX seconds belong.
    ScheduleTooFar = "SCHEDULE_TOO_FAR",
        "schedule_at이 5년보다 먼 미래입니다. 밀리초가 아닌 UNIX 초 단위여야 합니다 (Date.now() / 1000).",
        "schedule_at is more than 5 years ahead: it must be UNIX seconds, not milliseconds (Date.now() / 1000).";
    /// The same uid twice in one request.
    DuplicateUid = "DUPLICATE_UID",
        "같은 번호가 중복되었습니다.",
        "The same id appears twice.";
    /// A list that needs at least one item is empty.
    EmptyList = "EMPTY_LIST",
        "하나 이상 입력해 주세요.",
        "Give at least one item.";
    /// `from` is not before `to`.
    InvalidRange = "INVALID_RANGE",
        "조회 시작 시각은 종료 시각보다 앞서야 합니다.",
        "from must be before to.";
    /// A look-up window longer than 92 days.
    RangeTooLong = "RANGE_TOO_LONG",
        "조회 기간은 92일 이내여야 합니다.",
        "The window may be at most 92 days.";
    /// Neither `customer_uid` nor `merchant_uid` given.
    TargetRequired = "TARGET_REQUIRED",
        "customer_uid 또는 merchant_uid 중 하나는 필요합니다.",
        "Give customer_uid, merchant_uid or both.";
    /// A refund names no payment: neither `imp_uid` nor `merchant_uid`.
    PaymentIdRequired = "PAYMENT_ID_REQUIRED",
        "imp_uid 또는 merchant_uid 중 하나는 필요합니다.",
        "Give imp_uid, merchant_uid or both.";
    /// A partial refund without `checksum` (the refundable balance before it).
    ChecksumRequired = "CHECKSUM_REQUIRED",
        "부분 환불에는 checksum(환불 전 환불 가능 잔액)이 필요합니다.",
        "A partial refund needs checksum: the refundable balance before it.";
    /// A refund larger than the refundable balance (`checksum`).
    RefundExceedsBalance = "REFUND_EXCEEDS_BALANCE",
        "환불 금액이 환불 가능 잔액보다 큽니다.",
        "The refund is larger than the refundable balance.";
    /// A field the merchant's server sets (the proxy's `pg`, `channelKey`, `noticeUrl`) sent with another value.
    ServerOwned = "SERVER_OWNED",
        "이 항목은 가맹점 서버가 정합니다.",
        "The merchant's server sets this field.";
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem with one input field.
///
/// `field` is a path such as `card_number` or `schedules[1].amount`. `message`
/// is in the requested locale and never contains the field's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The path of the field, in Iamport's own field names.
    pub field: String,
    /// The stable code.
    pub code: ErrorCode,
    /// The localised message.
    pub message: String,
}

impl FieldError {
    /// Builds the error for `field` with the standard message of `code`.
    pub fn new(field: impl Into<String>, code: ErrorCode, locale: Locale) -> Self {
        Self::at(field.into(), code, locale)
    }

    /// [`FieldError::new`] for a field name already owned: one copy of its body
    /// for every caller (the generic one is only the conversion).
    fn at(field: String, code: ErrorCode, locale: Locale) -> Self {
        FieldError {
            field,
            code,
            message: code.message(locale).to_owned(),
        }
    }
}

impl FieldError {
    /// `TOO_LONG` with the limit in the message.
    pub fn too_long(field: impl Into<String>, max: usize, locale: Locale) -> Self {
        Self::too_long_at(field.into(), max, locale)
    }

    fn too_long_at(field: String, max: usize, locale: Locale) -> Self {
        // Both templates hold exactly one "{max}"; chars are copied around it
        // (no str slicing or searching: their panic paths cost kilobytes of wasm).
        let template = ErrorCode::TooLong.message(locale);
        let mut message = String::with_capacity(template.len() + 8);
        let mut rest = template.chars();
        while let Some(c) = rest.next() {
            if c == '{' && rest.as_str().starts_with("max}") {
                push_int(&mut message, max as u64);
                rest.nth(3);
            } else {
                message.push(c);
            }
        }
        FieldError {
            field,
            code: ErrorCode::TooLong,
            message,
        }
    }
}

/// Appends the decimal digits of `v` without `core::fmt` (keeps the wasm small).
pub(crate) fn push_int(out: &mut String, mut v: u64) {
    // A u64 has at most 20 digits, written from the right (no panicking index).
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    for slot in buf.iter_mut().rev() {
        *slot = b'0' + (v % 10) as u8;
        start -= 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &b in buf.get(start..).unwrap_or_default() {
        out.push(b as char);
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

impl core::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    #[test]
    fn index_is_the_position_in_all() {
        for (i, code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(code.index() as usize, i, "{code:?}");
        }
    }

    use super::*;

    #[test]
    fn codes_are_unique_screaming_snake() {
        let mut seen = std::collections::HashSet::new();
        // (Without `full`, only the field checks' codes have texts.)
        let kept = ErrorCode::ALL
            .iter()
            .filter(|c| cfg!(feature = "full") || c.is_card_code());
        for code in kept {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(s
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'));
            assert!(!code.message(Locale::Ko).is_empty());
            assert!(!code.message(Locale::En).is_empty());
            assert_ne!(code.message(Locale::Ko), code.message(Locale::En));
        }
    }

    #[test]
    fn texts_are_the_tables() {
        assert_eq!(TABLE.len(), ErrorCode::ALL.len());
        for (i, &(code, wire, ko, en)) in TABLE.iter().enumerate() {
            assert_eq!(ErrorCode::ALL[i], code);
            // Without `full`, the checks-only build keeps the field checks' texts only.
            let kept = cfg!(feature = "full") || code.is_card_code();
            let expect = |text: &'static str| if kept { text } else { "" };
            assert_eq!(code.as_str(), expect(wire), "{code:?}");
            assert_eq!(code.message(Locale::Ko), expect(ko), "{code:?}");
            assert_eq!(code.message(Locale::En), expect(en), "{code:?}");
        }
    }

    #[test]
    #[cfg(feature = "full")]
    fn too_long_names_the_limit() {
        assert_eq!(
            FieldError::too_long("name", 40, Locale::Ko).message,
            "40자 이하로 입력해 주세요."
        );
        assert_eq!(
            FieldError::too_long("name", 8, Locale::En).message,
            "Use at most 8 characters."
        );
    }

    #[test]
    fn push_int_writes_decimal() {
        let mut s = String::new();
        push_int(&mut s, 0);
        push_int(&mut s, u64::MAX);
        assert_eq!(s, "018446744073709551615");
    }

    #[test]
    fn locale_parse() {
        assert_eq!(Locale::parse("ko"), Some(Locale::Ko));
        assert_eq!(Locale::parse("ko-KR"), Some(Locale::Ko));
        assert_eq!(Locale::parse("EN_us"), Some(Locale::En));
        assert_eq!(Locale::parse("ja"), None);
        assert_eq!(Locale::parse(""), None);
        // Against the plain reading, for every ASCII tag of up to 3 bytes, alone and
        // before a region.
        let plain = |tag: &str| {
            let lang = tag.split(['-', '_']).next().unwrap_or("");
            if lang.eq_ignore_ascii_case("ko") {
                Some(Locale::Ko)
            } else if lang.eq_ignore_ascii_case("en") {
                Some(Locale::En)
            } else {
                None
            }
        };
        let bytes = (0..=0x7Fu8).map(char::from);
        for a in bytes.clone() {
            for b in bytes.clone() {
                for tail in ["", "-KR", "_us", "x", "-"] {
                    let tag = format!("{a}{b}{tail}");
                    assert_eq!(Locale::parse(&tag), plain(&tag), "{tag:?}");
                }
            }
        }
        assert_eq!(Locale::parse("kor"), None);
        assert_eq!(Locale::parse("k"), None);
    }
}
