//! The sandbox's test cards: numbers that trigger one behaviour each. Any
//! other valid card is approved.

use serde_json::{json, Value as Json};

/// What a charge with a card does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Approved.
    Approve,
    /// `code 0` + `status "failed"`: monthly limit exceeded.
    DeclineLimit,
    /// `code -1`: card authentication failed (billing keys are refused too).
    DeclineAuth,
    /// `code 0` + `status "failed"`: insufficient funds.
    InsufficientFunds,
    /// HTTP 500 from the PG; the payment is recorded as failed.
    PgError,
    /// Approved after a delay (`slow_ms`).
    Slow,
    /// Approved and recorded as paid, then the connection is dropped with no answer.
    CommitThenDrop,
    /// Approved and recorded as paid, then HTTP 504 from the gateway.
    CommitThen504,
    /// Answered `status "ready"`; the payment settles as paid on its 2nd look-up.
    ReadyThenPaid,
    /// Billing keys register and immediate charges are approved, but every
    /// scheduled execution declines (`status "failed"`, insufficient funds).
    ScheduledDecline,
}

/// One row of the test-card table.
pub struct TestCard {
    /// The number (Luhn-valid).
    pub number: &'static str,
    /// What it does.
    pub behaviour: Behaviour,
    /// For the table.
    pub description: &'static str,
}

/// The table published in the README and at `GET /__sandbox/cards`.
pub const TEST_CARDS: &[TestCard] = &[
    TestCard {
        number: "4000000000000010",
        behaviour: Behaviour::DeclineLimit,
        description: "declined: code 0 + status failed, [2116] monthly limit exceeded",
    },
    TestCard {
        number: "4000000000000028",
        behaviour: Behaviour::DeclineAuth,
        description: "declined: code -1, card authentication failed (billing keys refused too)",
    },
    TestCard {
        number: "4000000000000036",
        behaviour: Behaviour::InsufficientFunds,
        description: "declined: code 0 + status failed, insufficient funds",
    },
    TestCard {
        number: "4000000000000044",
        behaviour: Behaviour::PgError,
        description: "PG internal error: HTTP 500 (recorded as failed)",
    },
    TestCard {
        number: "4000000000000051",
        behaviour: Behaviour::Slow,
        description: "approved after a delay (slow_ms, default 2000 ms)",
    },
    TestCard {
        number: "4000000000000069",
        behaviour: Behaviour::CommitThenDrop,
        description: "approved and recorded as paid, then the connection is dropped with no answer",
    },
    TestCard {
        number: "4000000000000077",
        behaviour: Behaviour::CommitThen504,
        description: "approved and recorded as paid, then HTTP 504",
    },
    TestCard {
        number: "4000000000000085",
        behaviour: Behaviour::ReadyThenPaid,
        description: "answered as ready (pending); settles as paid on the 2nd look-up",
    },
    TestCard {
        number: "4000000000000093",
        behaviour: Behaviour::ScheduledDecline,
        description: "approved now (billing keys too), but every scheduled execution declines: status failed, [5113] 잔액부족",
    },
];

/// Every valid number with this BIN declines as [`Behaviour::DeclineAuth`]:
/// as many distinct declining cards as a card-testing run needs.
pub const DECLINE_RANGE_BIN: &str = "400003";

impl Behaviour {
    /// The behaviour of a card, from its digits (separators ignored).
    pub fn of(card_number: &str) -> Behaviour {
        let digits: String = card_number.chars().filter(char::is_ascii_digit).collect();
        if digits.starts_with(DECLINE_RANGE_BIN) {
            return Behaviour::DeclineAuth;
        }
        TEST_CARDS
            .iter()
            .find(|c| c.number == digits)
            .map_or(Behaviour::Approve, |c| c.behaviour)
    }

    /// A stable name for the JSON table.
    pub fn name(self) -> &'static str {
        match self {
            Behaviour::Approve => "approve",
            Behaviour::DeclineLimit => "decline_limit",
            Behaviour::DeclineAuth => "decline_auth",
            Behaviour::InsufficientFunds => "insufficient_funds",
            Behaviour::PgError => "pg_error",
            Behaviour::Slow => "slow",
            Behaviour::CommitThenDrop => "commit_then_drop",
            Behaviour::CommitThen504 => "commit_then_504",
            Behaviour::ReadyThenPaid => "ready_then_paid",
            Behaviour::ScheduledDecline => "scheduled_decline",
        }
    }
}

/// The table as JSON.
pub fn cards_json() -> Json {
    let rows: Vec<Json> = TEST_CARDS
        .iter()
        .map(|c| {
            json!({
                "number": c.number,
                "formatted": iamport_keyin::card::number::check_card_number(c.number, iamport_keyin::Locale::En).formatted,
                "behaviour": c.behaviour.name(),
                "description": c.description,
            })
        })
        .collect();
    json!({
        "cards": rows,
        "declineRange": {
            "bin": DECLINE_RANGE_BIN,
            "behaviour": Behaviour::DeclineAuth.name(),
            "description": "every valid number starting 4000 03 is declined with code -1 (billing keys refused too): distinct declining cards for card-testing runs",
        },
        "otherwise": "any other valid card number is approved",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_card_is_valid_and_distinct() {
        for c in TEST_CARDS {
            assert!(
                iamport_keyin::card::number::is_valid_card_number(c.number),
                "{}",
                c.description
            );
            assert_eq!(Behaviour::of(c.number), c.behaviour);
        }
        assert_eq!(Behaviour::of("4111-1111-1111-1111"), Behaviour::Approve);
        assert_eq!(
            Behaviour::of("4000-0000-0000-0010"),
            Behaviour::DeclineLimit
        );
        assert_eq!(Behaviour::of("4000 0312 3456 7899"), Behaviour::DeclineAuth);
        assert_eq!(Behaviour::of("4000 0212 3456 7899"), Behaviour::Approve);
    }

    /// The README's test-card table (in the sandbox section) lists exactly these cards.
    #[test]
    fn the_readme_lists_every_test_card() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("### Test cards")
            .expect("the README has a test-card table");
        let table = &readme[start..];
        let table = &table[..table.find("\n#").unwrap_or(table.len())];
        let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), TEST_CARDS.len() + 1, "{rows:#?}");
        assert!(
            rows.iter()
                .any(|r| r.starts_with("| `4000 03•• •••• ••••` |")),
            "the README lacks the declining range"
        );
        for c in TEST_CARDS {
            let grouped = c
                .number
                .as_bytes()
                .chunks(4)
                .map(|g| String::from_utf8_lossy(g).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                rows.iter()
                    .any(|r| r.starts_with(&format!("| `{grouped}` |"))),
                "the README lacks {grouped} ({})",
                c.behaviour.name()
            );
        }
    }
}
