//! The result of scoring one answer: the contract's JSON (`score --json`, saved sessions), plus
//! the suggestion. Its fields are the signals' results side by side.

use serde::{Deserialize, Serialize};

use super::content::{PointResult, ReferenceSentence, Status};
use super::delivery::Delivery;
use crate::transcript::Correction;

/// The result of scoring one answer: the contract's JSON, plus feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub question_id: String,
    pub score: f64,
    /// The sentence embedder that matched by meaning; `None` when scoring used words alone.
    #[serde(default)]
    pub semantic_model: Option<String>,
    pub key_points: Vec<PointResult>,
    /// The reference answer's sentences, each with how well the answer covers it.
    #[serde(default)]
    pub sentences: Vec<ReferenceSentence>,
    /// How much of the reference the answer covers, 0 to 1: the mean coverage of its sentences.
    #[serde(default)]
    pub reference_coverage: f64,
    pub transcript: String,
    pub delivery: Delivery,
    /// The answer reads as a list of keywords rather than sentences.
    pub keyword_list: bool,
    /// The answer's opening "yes" or "no" when it is the opposite of the reference's.
    #[serde(default)]
    pub verdict_against: Option<String>,
    /// The STAR structure of a behavioural answer; `None` for a technical question.
    #[serde(default)]
    pub structure: Option<super::Structure>,
    /// The one thing to do next time.
    pub suggestion: String,
    /// Each signal's value as the score combines them (see `combine`).
    #[serde(default)]
    pub signals: Signals,
    /// The words of the transcript corrected to the bank's terms: what whisper wrote, and what
    /// it was read as.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

/// The signals' values, each 0 to 1 (a share below 0 means said against the reference), as the
/// score combines them; `None` where a signal needs the sentence embedder and scoring had none.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// The key points' weighted share of credit, the verdict counted as one more point.
    pub key_points: f64,
    /// The mean coverage of the reference's sentences.
    pub reference_coverage: f64,
    /// Token-level alignment with the reference.
    pub alignment: Option<f64>,
    /// Similarity of the whole answer with the question and its reference.
    pub relevance: Option<f64>,
}

impl ScoreReport {
    /// The key points not made at all, in the bank's order.
    pub fn missed_points(&self) -> Vec<&str> {
        self.key_points
            .iter()
            .filter(|p| p.status == Status::Missed)
            .map(|p| p.point.as_str())
            .collect()
    }

    /// The reference sentences that no key point stands in, shown as points of their own (a bare
    /// "Yes." or "No." opens an answer; it is not a point to make).
    pub fn minor_points(&self) -> impl Iterator<Item = &ReferenceSentence> {
        self.sentences
            .iter()
            .filter(|s| s.minor && s.is_substantial())
    }
}
