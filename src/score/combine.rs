//! How the signals make the score, in one place:
//!
//! ```text
//! score = 100 × relevance × max(0, mean(key points, reference coverage, alignment))
//!         capped at 50 when the answer is a list of keywords
//! ```
//!
//! Each content signal gives a value from 0 to 1 (below 0 when the answer says the opposite of
//! the reference), and they weigh the same: no weight is fitted to grades. Relevance, 0 to 1,
//! scales the whole: an answer about something else keeps none of what its words happened to
//! share with the reference. Without the sentence embedder there is no alignment and no
//! relevance: the score is the mean of the other two. A new signal is one more [`Part`] (or a
//! [`Cap`], or a factor) here.

use super::content::Content;
use super::relevance::Relevance;
use super::thresholds::{ALIGNMENT_BASELINE, ALIGNMENT_FULL};

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
pub fn score(content: &Content, relevance: Option<&Relevance>) -> f64 {
    let mut parts = vec![
        Part {
            weight: 1.0,
            value: content.points_share,
        },
        Part {
            weight: 1.0,
            value: content.reference_coverage,
        },
    ];
    if let Some(alignment) = content.alignment {
        parts.push(Part {
            weight: 1.0,
            value: rescaled_alignment(alignment),
        });
    }
    let caps = [Cap {
        applies: content.keyword_list,
        at_most: KEYWORD_LIST_CAP,
    }];
    let weight: f64 = parts.iter().map(|p| p.weight).sum();
    let mean = parts.iter().map(|p| p.weight * p.value).sum::<f64>() / weight;
    let on_topic = relevance.map_or(1.0, Relevance::share);
    caps.iter()
        .filter(|c| c.applies)
        .fold(100.0 * on_topic * mean.max(0.0), |score, cap| {
            score.min(cap.at_most)
        })
}

/// Alignment on the scale of the other signals: 0 where an answer to another question typically
/// aligns (BERTScore's baseline rescaling), 1 where a typical full-marks answer does.
fn rescaled_alignment(alignment: f64) -> f64 {
    ((alignment - ALIGNMENT_BASELINE) / (ALIGNMENT_FULL - ALIGNMENT_BASELINE)).clamp(0.0, 1.0)
}
