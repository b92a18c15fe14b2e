//! Field errors with stable codes and localised messages.
//!
//! Messages never quote the input: they are built only from the error code and,
//! for length limits, the limit itself. That is what keeps card numbers, PIN
//! digits and birth values out of every message.

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
        let lang = tag.split(['-', '_']).next().unwrap_or("");
        if lang.eq_ignore_ascii_case("ko") {
            Some(Locale::Ko)
        } else if lang.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }
}

/// A stable, machine-readable error code.
///
/// The string form (`as_str`) is SCREAMING_SNAKE and never changes once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The value is missing or empty.
    Required,
    /// The value has the wrong JS type (for example a number where a string belongs).
    InvalidType,
    /// An option passed to the function is malformed.
    InvalidOption,
    /// The card number holds a character other than digits, spaces and dashes.
    CardNumberInvalidCharacter,
    /// The card number's prefix belongs to no supported brand.
    CardNumberUnknownBrand,
    /// The card number has a digit count its brand never uses.
    CardNumberInvalidLength,
    /// The card number fails the Luhn check digit.
    CardNumberLuhn,
    /// The expiry is in none of the accepted forms.
    ExpiryInvalidFormat,
    /// The value is not complete yet (`12/`, `4111 11`): keep typing.
    Incomplete,
    /// The expiry month is not 01–12.
    ExpiryInvalidMonth,
    /// The expiry month is before the current month.
    ExpiryExpired,
    /// The expiry is more than 20 years ahead.
    ExpiryTooFar,
    /// The birth field is neither 6 nor 10 digits, or holds other characters.
    BirthInvalidFormat,
    /// The 6-digit birth date is not a real calendar date.
    BirthInvalidDate,
    /// A 6-digit value was given where a business number was required, or the reverse.
    BirthKindMismatch,
    /// The 10-digit business registration number fails its check digit.
    BusinessNumberChecksum,
    /// The PIN field is not exactly two digits.
    Pwd2DigitInvalid,
}

impl ErrorCode {
    /// The stable SCREAMING_SNAKE form of the code.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Required => "REQUIRED",
            ErrorCode::InvalidType => "INVALID_TYPE",
            ErrorCode::InvalidOption => "INVALID_OPTION",
            ErrorCode::CardNumberInvalidCharacter => "CARD_NUMBER_INVALID_CHARACTER",
            ErrorCode::CardNumberUnknownBrand => "CARD_NUMBER_UNKNOWN_BRAND",
            ErrorCode::CardNumberInvalidLength => "CARD_NUMBER_INVALID_LENGTH",
            ErrorCode::CardNumberLuhn => "CARD_NUMBER_LUHN",
            ErrorCode::ExpiryInvalidFormat => "EXPIRY_INVALID_FORMAT",
            ErrorCode::Incomplete => "INCOMPLETE",
            ErrorCode::ExpiryInvalidMonth => "EXPIRY_INVALID_MONTH",
            ErrorCode::ExpiryExpired => "EXPIRY_EXPIRED",
            ErrorCode::ExpiryTooFar => "EXPIRY_TOO_FAR",
            ErrorCode::BirthInvalidFormat => "BIRTH_INVALID_FORMAT",
            ErrorCode::BirthInvalidDate => "BIRTH_INVALID_DATE",
            ErrorCode::BirthKindMismatch => "BIRTH_KIND_MISMATCH",
            ErrorCode::BusinessNumberChecksum => "BUSINESS_NUMBER_CHECKSUM",
            ErrorCode::Pwd2DigitInvalid => "PWD_2DIGIT_INVALID",
        }
    }

    /// Every code, for documentation and exhaustive tests.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Required,
        ErrorCode::InvalidType,
        ErrorCode::InvalidOption,
        ErrorCode::CardNumberInvalidCharacter,
        ErrorCode::CardNumberUnknownBrand,
        ErrorCode::CardNumberInvalidLength,
        ErrorCode::CardNumberLuhn,
        ErrorCode::ExpiryInvalidFormat,
        ErrorCode::Incomplete,
        ErrorCode::ExpiryInvalidMonth,
        ErrorCode::ExpiryExpired,
        ErrorCode::ExpiryTooFar,
        ErrorCode::BirthInvalidFormat,
        ErrorCode::BirthInvalidDate,
        ErrorCode::BirthKindMismatch,
        ErrorCode::BusinessNumberChecksum,
        ErrorCode::Pwd2DigitInvalid,
    ];

    /// The human message for this code in `locale`. It never contains input.
    pub const fn message(self, locale: Locale) -> &'static str {
        use ErrorCode::*;
        match locale {
            Locale::Ko => match self {
                Required => "필수 입력 항목입니다.",
                InvalidType => "값의 형식이 올바르지 않습니다.",
                InvalidOption => "옵션 값이 올바르지 않습니다.",
                CardNumberInvalidCharacter => "카드번호에는 숫자, 공백, 하이픈(-)만 쓸 수 있습니다.",
                CardNumberUnknownBrand => "지원하지 않는 카드번호입니다.",
                CardNumberInvalidLength => "카드번호의 자릿수가 올바르지 않습니다.",
                CardNumberLuhn => "카드번호가 올바르지 않습니다. 다시 확인해 주세요.",
                ExpiryInvalidFormat => "유효기간은 MM/YY 형식으로 입력해 주세요.",
                Incomplete => "입력이 아직 끝나지 않았습니다.",
                ExpiryInvalidMonth => "유효기간의 월은 01부터 12 사이여야 합니다.",
                ExpiryExpired => "유효기간이 지난 카드입니다.",
                ExpiryTooFar => "유효기간이 너무 먼 미래입니다.",
                BirthInvalidFormat => {
                    "생년월일 6자리(YYMMDD) 또는 사업자등록번호 10자리를 입력해 주세요."
                }
                BirthInvalidDate => "생년월일이 올바른 날짜가 아닙니다.",
                BirthKindMismatch => "개인카드는 생년월일 6자리, 법인카드는 사업자등록번호 10자리를 입력해 주세요.",
                BusinessNumberChecksum => "사업자등록번호가 올바르지 않습니다.",
                Pwd2DigitInvalid => "카드 비밀번호 앞 2자리를 숫자로 입력해 주세요.",
            },
            Locale::En => match self {
                Required => "This field is required.",
                InvalidType => "The value has the wrong type.",
                InvalidOption => "An option value is invalid.",
                CardNumberInvalidCharacter => {
                    "A card number may contain only digits, spaces and dashes."
                }
                CardNumberUnknownBrand => "This card number is not supported.",
                CardNumberInvalidLength => "The card number has the wrong number of digits.",
                CardNumberLuhn => "The card number is not valid. Please check it.",
                ExpiryInvalidFormat => "Enter the expiry as MM/YY.",
                Incomplete => "The value is incomplete.",
                ExpiryInvalidMonth => "The expiry month must be between 01 and 12.",
                ExpiryExpired => "This card has expired.",
                ExpiryTooFar => "The expiry date is too far in the future.",
                BirthInvalidFormat => {
                    "Enter a 6-digit birth date (YYMMDD) or a 10-digit business registration number."
                }
                BirthInvalidDate => "The birth date is not a real date.",
                BirthKindMismatch => "Personal cards take a 6-digit birth date; corporate cards a 10-digit business number.",
                BusinessNumberChecksum => "The business registration number is not valid.",
                Pwd2DigitInvalid => "Enter the first 2 digits of the card PIN.",
            },
        }
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
        FieldError {
            field: field.into(),
            code,
            message: code.message(locale).to_owned(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.message, self.code)
    }
}

impl std::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_screaming_snake() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
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
    fn locale_parse() {
        assert_eq!(Locale::parse("ko"), Some(Locale::Ko));
        assert_eq!(Locale::parse("ko-KR"), Some(Locale::Ko));
        assert_eq!(Locale::parse("EN_us"), Some(Locale::En));
        assert_eq!(Locale::parse("ja"), None);
        assert_eq!(Locale::parse(""), None);
    }
}
