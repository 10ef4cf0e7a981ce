//! Which questions to drill: a spaced-repetition schedule replayed from the practice history.
//!
//! Each attempt is a review in FSRS (the Free Spaced Repetition Scheduler, via the `rs-fsrs`
//! crate), rated from its score. FSRS's long-term scheduler works in days, which suits interview
//! practice: a question answered well comes back after days, one answered badly the next day.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating};
use serde::Serialize;

use super::history::Attempt;
use crate::score::band::FAIR_FROM;

/// The FSRS rating of an answer's score: in the weak band the answer failed, from 85 it was
/// easy.
pub fn rating(score: f64) -> Rating {
    match score {
        s if s >= 85.0 => Rating::Easy,
        s if s >= 65.0 => Rating::Good,
        s if s >= FAIR_FROM => Rating::Hard,
        _ => Rating::Again,
    }
}

/// A practised question's place in the schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Due {
    pub question_id: String,
    pub due: DateTime<Utc>,
    /// FSRS's estimate of the chance of recalling the answer now, 0 to 1.
    pub recall: f64,
    pub last_score: f64,
    pub attempts: usize,
}

impl Due {
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.due <= now
    }
}

/// Why a question was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reason {
    /// FSRS says it is time to review it.
    Due,
    /// Never practised.
    New,
    /// Not due, but its last score was weak (below [`WEAK_BELOW`]).
    Weakest,
    /// Neither due nor weak: practised only to make up the count.
    Practice,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pick {
    pub question_id: String,
    pub reason: Reason,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub picks: Vec<Pick>,
    /// Practised questions due now.
    pub due: usize,
    /// Questions of the bank never practised.
    pub new: usize,
}

/// Replay every question's attempts (oldest first) through FSRS.
pub fn schedule(attempts: &[Attempt<'_>]) -> Vec<Due> {
    let fsrs = FSRS::new(Parameters {
        enable_short_term: false,
        ..Parameters::default()
    });
    let mut by_question: BTreeMap<&str, Vec<&Attempt<'_>>> = BTreeMap::new();
    for attempt in attempts {
        by_question
            .entry(attempt.question_id)
            .or_default()
            .push(attempt);
    }
    by_question
        .into_iter()
        .filter_map(|(id, tries)| {
            let mut card = Card::default();
            for attempt in &tries {
                card = fsrs.next(card, attempt.at, rating(attempt.score)).card;
            }
            let last = tries.last()?;
            Some(Due {
                question_id: id.to_owned(),
                due: card.due,
                recall: card.get_retrievability(last.at),
                last_score: last.score,
                attempts: tries.len(),
            })
        })
        .collect()
}

/// A last score below this makes a practised question weak: drilled before new questions even
/// when not yet due (the FSRS ratings Again and Hard).
pub const WEAK_BELOW: f64 = 65.0;

/// Up to `count` of the bank's questions: those due (the most overdue first), then weak ones
/// (lowest last score first), then ones never practised (in bank order), then the rest by last
/// score.
pub fn plan(bank_ids: &[&str], attempts: &[Attempt<'_>], now: DateTime<Utc>, count: usize) -> Plan {
    let mut known: Vec<Due> = schedule(attempts)
        .into_iter()
        .filter(|d| bank_ids.contains(&d.question_id.as_str()))
        .collect();
    let (mut due, mut later): (Vec<Due>, Vec<Due>) = known.drain(..).partition(|d| d.is_due(now));
    due.sort_by(|a, b| {
        a.due
            .cmp(&b.due)
            .then(a.last_score.total_cmp(&b.last_score))
    });
    later.sort_by(|a, b| {
        a.last_score
            .total_cmp(&b.last_score)
            .then(a.due.cmp(&b.due))
    });
    let new: Vec<&str> = bank_ids
        .iter()
        .copied()
        .filter(|id| !attempts.iter().any(|a| a.question_id == *id))
        .collect();

    let (weak, strong): (Vec<&Due>, Vec<&Due>) =
        later.iter().partition(|d| d.last_score < WEAK_BELOW);

    let picks = due
        .iter()
        .map(|d| (d.question_id.as_str(), Reason::Due))
        .chain(
            weak.iter()
                .map(|d| (d.question_id.as_str(), Reason::Weakest)),
        )
        .chain(new.iter().map(|id| (*id, Reason::New)))
        .chain(
            strong
                .iter()
                .map(|d| (d.question_id.as_str(), Reason::Practice)),
        )
        .take(count)
        .map(|(id, reason)| Pick {
            question_id: id.to_owned(),
            reason,
        })
        .collect();
    Plan {
        picks,
        due: due.len(),
        new: new.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::history::tests::at;

    fn attempt(id: &'static str, at: DateTime<Utc>, score: f64) -> Attempt<'static> {
        Attempt {
            session_id: "s",
            at,
            question_id: id,
            question: "q",
            score,
            missed: vec![],
            recovered: None,
            story: None,
        }
    }

    #[test]
    fn scores_map_to_ratings() {
        assert_eq!(rating(10.0), Rating::Again);
        assert_eq!(rating(50.0), Rating::Hard);
        assert_eq!(rating(70.0), Rating::Good);
        assert_eq!(rating(95.0), Rating::Easy);
    }

    #[test]
    fn a_good_answer_comes_back_later_than_a_poor_one() {
        let attempts = [
            attempt("good", at(1, 9), 95.0),
            attempt("poor", at(1, 9), 10.0),
        ];
        let due = schedule(&attempts);
        let good = due.iter().find(|d| d.question_id == "good").map(|d| d.due);
        let poor = due.iter().find(|d| d.question_id == "poor").map(|d| d.due);
        assert!(good > poor, "{good:?} vs {poor:?}");
        // A failed answer is due again within a day or two; an easy one not for days.
        assert!(poor.is_some_and(|d| d <= at(3, 9)));
        assert!(good.is_some_and(|d| d > at(4, 9)));
    }

    #[test]
    fn repeated_success_spaces_reviews_further_apart() {
        let once = schedule(&[attempt("q", at(1, 9), 70.0)]);
        let twice = schedule(&[attempt("q", at(1, 9), 70.0), attempt("q", at(5, 9), 70.0)]);
        let gap_once = once[0].due - at(1, 9);
        let gap_twice = twice[0].due - at(5, 9);
        assert!(gap_twice > gap_once, "{gap_once} then {gap_twice}");
    }

    #[test]
    fn plan_takes_due_questions_first_and_leaves_easy_ones_waiting() {
        let attempts = [
            attempt("poor", at(1, 9), 10.0),
            attempt("fine", at(1, 9), 90.0),
            attempt("meh", at(1, 9), 60.0),
        ];
        let bank = ["poor", "fine", "meh", "fresh", "gone-from-history"];
        let now = at(3, 12);
        let plan = plan(&bank, &attempts, now, 4);
        let ids: Vec<(&str, Reason)> = plan
            .picks
            .iter()
            .map(|p| (p.question_id.as_str(), p.reason))
            .collect();
        assert_eq!(plan.new, 2);
        assert!(plan.due >= 1, "{plan:?}");
        assert_eq!(ids[0], ("poor", Reason::Due));
        assert!(ids.contains(&("fresh", Reason::New)));
        assert!(
            !ids.iter().any(|(id, _)| *id == "fine"),
            "an easy, not-due answer waits: {ids:?}"
        );
        assert_eq!(ids.len(), 4);
    }

    #[test]
    fn a_weak_answer_comes_before_new_questions_even_when_not_due() {
        let attempts = [
            attempt("weak", at(1, 9), 30.0),
            attempt("strong", at(1, 9), 95.0),
        ];
        let plan = plan(&["new", "strong", "weak"], &attempts, at(1, 10), 3);
        let order: Vec<(&str, Reason)> = plan
            .picks
            .iter()
            .map(|p| (p.question_id.as_str(), p.reason))
            .collect();
        assert_eq!(plan.due, 0);
        assert_eq!(
            order,
            [
                ("weak", Reason::Weakest),
                ("new", Reason::New),
                ("strong", Reason::Practice)
            ]
        );
    }

    #[test]
    fn questions_no_longer_in_the_bank_are_not_picked() {
        let attempts = [attempt("removed", at(1, 9), 10.0)];
        let plan = plan(&["kept"], &attempts, at(9, 9), 5);
        assert_eq!(plan.picks.len(), 1);
        assert_eq!(plan.picks[0].question_id, "kept");
        assert_eq!(plan.due, 0);
    }
}
