//! How the signals make the score, in one place:
//!
//! ```text
//! score = 100 × max(0, ½ × key points + ½ × reference coverage)
//!         capped at 50 when the answer is a list of keywords
//! ```
//!
//! Each signal gives a value from 0 to 1 (below 0 when the answer says the opposite of the
//! reference) and a weight; the score is their weighted mean. A new signal is one more
//! [`Part`] (or [`Cap`]) here.

use super::content::Content;

/// Share of the score that coverage of the reference's sentences gives; key points give the
/// rest. Equal shares: neither kind of evidence is trusted over the other.
const SENTENCE_SHARE: f64 = 0.5;
/// A keyword list scores at most this much, however many points it names.
pub const KEYWORD_LIST_CAP: f64 = 50.0;

/// One signal's say in the score.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Part {
    weight: f64,
    value: f64,
}

/// A ceiling a signal puts on the score, when it applies.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cap {
    applies: bool,
    at_most: f64,
}

/// The score of an answer, 0 to 100, from its signals.
pub fn score(content: &Content) -> f64 {
    let parts = [
        Part {
            weight: 1.0 - SENTENCE_SHARE,
            value: content.points_share,
        },
        Part {
            weight: SENTENCE_SHARE,
            value: content.reference_coverage,
        },
    ];
    let caps = [Cap {
        applies: content.keyword_list,
        at_most: KEYWORD_LIST_CAP,
    }];
    let weight: f64 = parts.iter().map(|p| p.weight).sum();
    let mean = parts.iter().map(|p| p.weight * p.value).sum::<f64>() / weight;
    caps.iter()
        .filter(|c| c.applies)
        .fold(100.0 * mean.max(0.0), |score, cap| score.min(cap.at_most))
}
