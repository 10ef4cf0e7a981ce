//! The reference's sentences, each covered by meaning (or, without the embedder, by the share of
//! its words the answer says). This is what tells a vague but related answer from an off-topic
//! one, and a complete answer from a list of the right nouns. Sentences that no key point stands
//! in are shown as minor points.

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::analysed::Analysed;
use super::meaning::Heard;
use super::place::Place;
use super::status::Status;
use crate::score::rounding::round2;
use crate::score::thresholds::{
    MIN_POINT_WORDS, SENTENCE_COVERED, SENTENCE_HIGH, SENTENCE_LOW, SENTENCE_PARTLY_COVERED,
};
use crate::transcript::AnswerWord;

/// How well the answer covers one sentence of the reference answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceSentence {
    pub sentence: String,
    /// No key point stands in this sentence: it is a minor point of its own.
    pub minor: bool,
    pub status: Status,
    /// 0 to 1: its share of the reference coverage.
    pub coverage: f64,
    /// Cosine similarity of the closest span of the answer (or, by words alone, the share of its
    /// words that were said).
    pub similarity: f64,
    /// The span of the answer that said it (or said it is not so).
    pub heard: Option<String>,
    pub at_s: Option<f64>,
    /// The answer said it against the reference.
    pub negated: bool,
}

impl ReferenceSentence {
    /// What the sentence adds to the coverage: saying it is not so takes away as much as saying
    /// it would have given.
    fn credit(&self) -> f64 {
        if self.negated { -1.0 } else { self.coverage }
    }

    /// The sentence has enough words to be a point of its own (not a bare "Yes.").
    pub fn is_substantial(&self) -> bool {
        self.sentence.split_whitespace().count() >= MIN_POINT_WORDS
    }
}

/// Every sentence of the reference, judged, in order. `heard` is what the answer says of each by
/// meaning, when there is an embedder.
pub fn judge(
    answer: &Analysed<'_>,
    words: &[AnswerWord<'_>],
    reference: &Analysed<'_>,
    asked: &HashSet<String>,
    places: &[Option<Place>],
    heard: Option<&[Heard]>,
) -> Vec<ReferenceSentence> {
    reference
        .sentences
        .iter()
        .enumerate()
        .map(|(i, range)| {
            let minor = !places.iter().flatten().any(|p| p.sentence == *range);
            let (coverage, similarity, span, negated) = match heard.map(|h| &h[i]) {
                Some(heard) => by_meaning(heard),
                None => {
                    let share = words_said(range.clone(), answer, reference, asked);
                    (share, share, None, false)
                }
            };
            let status = if negated {
                Status::Missed
            } else {
                Status::of(coverage, SENTENCE_COVERED, SENTENCE_PARTLY_COVERED)
            };
            let span = span.filter(|_| negated || status != Status::Missed);
            ReferenceSentence {
                sentence: reference.quote(range.clone()),
                minor,
                status,
                coverage: round2(coverage),
                similarity: round2(similarity.clamp(0.0, 1.0)),
                heard: span.clone().map(|s| answer.quote(s)),
                at_s: span.and_then(|s| words[s.start].start_s),
                negated,
            }
        })
        .collect()
}

/// How much of the reference the answer covers, 0 to 1: the mean credit of its sentences. A bare
/// "Yes." carries no content to cover; the sentences that do make the coverage.
pub fn coverage(sentences: &[ReferenceSentence]) -> f64 {
    let substantial: Vec<&ReferenceSentence> =
        sentences.iter().filter(|s| s.is_substantial()).collect();
    let counted = if substantial.is_empty() {
        sentences.iter().collect()
    } else {
        substantial
    };
    if counted.is_empty() {
        0.0
    } else {
        counted.iter().map(|s| s.credit()).sum::<f64>() / counted.len() as f64
    }
}

/// Coverage, similarity, span and denial of a sentence by meaning: linear in the best cosine
/// between `SENTENCE_LOW` and `SENTENCE_HIGH`, none when a closer span says it is not so.
fn by_meaning(heard: &Heard) -> (f64, f64, Option<Range<usize>>, bool) {
    let agreeing = heard.agreeing.as_ref();
    let similarity = agreeing.map_or(0.0, |m| m.similarity);
    let against = heard
        .against
        .as_ref()
        .filter(|a| a.similarity >= SENTENCE_HIGH && a.similarity > similarity);
    match against {
        Some(against) => (0.0, against.similarity, Some(against.span.clone()), true),
        None => (
            ((similarity - SENTENCE_LOW) / (SENTENCE_HIGH - SENTENCE_LOW)).clamp(0.0, 1.0),
            similarity,
            agreeing.map(|m| m.span.clone()),
            false,
        ),
    }
}

/// The share of a reference sentence's content words (those the question does not already say)
/// that the answer says, and does not deny.
fn words_said(
    sentence: Range<usize>,
    answer: &Analysed<'_>,
    reference: &Analysed<'_>,
    asked: &HashSet<String>,
) -> f64 {
    let (tokens, _) = reference.tokens_in(sentence);
    let wanted: HashSet<&str> = tokens
        .iter()
        .filter(|t| !t.is_stop_word() && !asked.contains(&t.stem))
        .map(|t| t.stem.as_str())
        .collect();
    let said: HashSet<&str> = answer
        .tokens
        .iter()
        .zip(&answer.negated)
        .filter(|(_, negated)| !**negated)
        .map(|(t, _)| t.stem.as_str())
        .collect();
    if wanted.is_empty() {
        0.0
    } else {
        wanted.iter().filter(|s| said.contains(*s)).count() as f64 / wanted.len() as f64
    }
}
