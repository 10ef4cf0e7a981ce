//! How the signals make the score, in one place:
//!
//! ```text
//! score = 100 × relevance × max(0, mean(key points, reference coverage, alignment))
//!         (alignment 0 when the answer says something against the reference)
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

/// Share of a behavioural answer's score that its content (the key points: what the interviewer
/// listens for, the user's own story beats) gives, when the question has any; the story's shape
/// ([`super::structure::grade`]) gives the rest.
const STORY_CONTENT_SHARE: f64 = 0.25;

/// A behavioural answer's score: the story's shape, and the content's score when the question
/// has key points or a reference to judge it by.
pub fn story(structure: &super::Structure, content_score: Option<f64>) -> f64 {
    let story = super::structure::grade::score(structure);
    match content_score {
        Some(content) => (1.0 - STORY_CONTENT_SHARE) * story + STORY_CONTENT_SHARE * content,
        None => story,
    }
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
        // Alignment cannot see a denial: "ECS does not support dynamic port mapping" aligns as
        // well as the reference itself. An answer that argues against the reference gets none.
        let argues_against =
            content.verdict.against().is_some() || content.key_points.iter().any(|p| p.negated);
        parts.push(Part {
            weight: 1.0,
            value: if argues_against {
                0.0
            } else {
                rescaled_alignment(alignment)
            },
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
