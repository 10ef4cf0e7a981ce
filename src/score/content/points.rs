//! Key points: each heard by its words (exact, tolerant of how people speak and how whisper
//! writes; see [`matcher`](super::matcher)) or by its meaning (a span of the answer whose
//! sentence embedding is close to the point and to the reference clause that makes it; see
//! [`meaning`](super::meaning)). A point said against the reference ("does not support ...") is
//! not credited (see [`negation`](super::negation)), and a point the question already names
//! weighs less.

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::analysed::Analysed;
use super::matcher::{self, Phrase, PhraseMatch};
use super::meaning::{Heard, SpanMatch};
use super::place::Place;
use super::status::Status;
use crate::bank::{KeyPoint, Question};
use crate::score::rounding::round2;
use crate::score::thresholds::{
    GIVEN_AWAY_WEIGHT, MEANING_HIT, MEANING_PARTIAL, WORDS_HIT, WORDS_IN_CONTEXT, WORDS_PARTIAL,
};
use crate::transcript::AnswerWord;

/// What a point was heard by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchedBy {
    /// Its words (or an alias's) were said.
    Words,
    /// A span of the answer says the same thing in other words.
    Meaning,
}

/// How one key point fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub point: String,
    pub status: Status,
    /// The answer's words where the point was heard (or said against the reference).
    pub heard: Option<String>,
    pub similarity: f64,
    /// Seconds into the recording where the point was heard; `None` for typed answers.
    pub at_s: Option<f64>,
    /// What the point was heard by; `None` when it was not heard.
    #[serde(default)]
    pub matched_by: Option<MatchedBy>,
    /// Cosine similarity of the answer's span closest in meaning, whatever decided the point;
    /// `None` without the sentence embedder.
    #[serde(default)]
    pub meaning_similarity: Option<f64>,
    /// The answer said the point against the reference ("does not support ..."); not credited.
    #[serde(default)]
    pub negated: bool,
    /// The sentence of the reference answer that makes this point.
    pub reference: Option<String>,
    /// This point's share of the key points' part of the score.
    pub weight: f64,
}

impl PointResult {
    /// What the point adds to the key points' share: a point said against the reference takes
    /// away as much as a hit gives.
    pub fn credit(&self) -> f64 {
        if self.negated {
            -1.0
        } else {
            self.status.credit()
        }
    }
}

/// What the key points are judged from: the answer and the reference read for scoring, the
/// question's own words, where the reference makes each point, and what the answer says of each
/// by meaning (without the embedder, nothing).
pub struct PointsInput<'i, 'a> {
    pub answer: &'i Analysed<'a>,
    pub words: &'i [AnswerWord<'a>],
    pub reference: &'i Analysed<'a>,
    pub asked: &'i HashSet<String>,
    pub places: &'i [Option<Place>],
    pub heard: Option<&'i [Heard]>,
}

/// Every key point of the question, judged, in the bank's order.
pub fn judge(question: &Question, input: &PointsInput<'_, '_>) -> Vec<PointResult> {
    question
        .key_points
        .iter()
        .enumerate()
        .map(|(i, kp)| {
            let given_away = Phrase::new(&kp.point)
                .tokens()
                .iter()
                .all(|t| input.asked.contains(&t.stem));
            let place = input.places[i].as_ref();
            let heard = input.heard.map(|h| &h[i]);
            let judged = judge_point(kp, input.answer, input.reference, place, heard, given_away)
                .or_unclear(kp, input);
            PointResult {
                weight: if given_away { GIVEN_AWAY_WEIGHT } else { 1.0 },
                ..judged.into_result(kp, input, place, heard)
            }
        })
        .collect()
}

/// The evidence for one key point, before it becomes a result.
#[derive(Debug, Clone, PartialEq)]
enum Evidence {
    /// Its words, at these answer tokens.
    Words {
        similarity: f64,
        tokens: Range<usize>,
    },
    /// A span of the answer that means it.
    Meaning(SpanMatch),
    /// Not found, but whisper was unsure of these words of the answer, where it would be.
    Unclear(Range<usize>),
}

#[derive(Debug, Clone, PartialEq)]
struct Judged {
    status: Status,
    evidence: Option<Evidence>,
    negated: bool,
}

/// Decide a key point. Evidence that agrees with the reference wins over evidence against it,
/// with two exceptions: words said against the reference outweigh weaker words said for it ("you
/// cannot use your own AMI" is not undone by "custom" and "AMI" found near each other later on),
/// and a mere partial match by meaning does not undo a denial ("ECS does not support dynamic port
/// mapping" is not half right because a later sentence is on the same topic).
fn judge_point(
    point: &KeyPoint,
    answer: &Analysed<'_>,
    reference: &Analysed<'_>,
    place: Option<&Place>,
    heard: Option<&Heard>,
    given_away: bool,
) -> Judged {
    let reference_denies = place.is_some_and(|p| p.denied(reference));
    let phrases: Vec<Phrase> = point.phrasings().map(Phrase::new).collect();
    // With the embedder, words count only where the answer is talking about the point: "memory"
    // in a sentence on garbage collectors is not "resource requirements". A point made of the
    // question's own words can't be judged so (they are left out of what is compared), and
    // neither can a phrase of several words heard whole: whisper's mishearings ("darker
    // containers") are caught by the spelling, but leave the embedding nothing to go on.
    let in_context = |found: &PhraseMatch| {
        if given_away || (found.end - found.start >= 2 && found.similarity >= WORDS_HIT) {
            return true;
        }
        let words = answer.tokens[found.start].word..answer.tokens[found.end - 1].word + 1;
        heard
            .and_then(|h| h.around(&words))
            .is_none_or(|similarity| similarity >= WORDS_IN_CONTEXT)
    };
    let (agreeing_words, against_words) =
        find_words(&phrases, answer, reference_denies, &in_context);
    let agreeing_words = agreeing_words.filter(|agreeing| {
        against_words
            .as_ref()
            .is_none_or(|against| agreeing.similarity >= against.similarity)
    });
    let word_status = agreeing_words.as_ref().map_or(Status::Missed, |f| {
        Status::of(f.similarity, WORDS_HIT, WORDS_PARTIAL)
    });
    let meaning_status = heard
        .and_then(|h| h.agreeing.as_ref())
        .map_or(Status::Missed, |m| {
            Status::of(m.similarity, MEANING_HIT, MEANING_PARTIAL)
        });
    let words = |found: &PhraseMatch| Evidence::Words {
        similarity: found.similarity.min(1.0),
        tokens: found.start..found.end,
    };
    let agreeing_meaning = || {
        heard
            .and_then(|h| h.agreeing.clone())
            .map(Evidence::Meaning)
    };
    let against = against_words.as_ref().map(words).or_else(|| {
        heard
            .and_then(|h| h.against.clone())
            .filter(|m| m.similarity >= MEANING_HIT)
            .map(Evidence::Meaning)
    });

    let (status, evidence) = match (word_status, meaning_status) {
        (Status::Hit, _) => (Status::Hit, agreeing_words.as_ref().map(words)),
        (_, Status::Hit) => (Status::Hit, agreeing_meaning()),
        (Status::Partial, _) => (Status::Partial, agreeing_words.as_ref().map(words)),
        (_, Status::Partial) if against.is_none() => (Status::Partial, agreeing_meaning()),
        _ => (Status::Missed, None),
    };
    match (status, against) {
        (Status::Missed, Some(against)) => Judged {
            status: Status::Missed,
            evidence: Some(against),
            negated: true,
        },
        _ => Judged {
            status,
            evidence,
            negated: false,
        },
    }
}

/// The best place the point's words are said in agreement with the reference, and the best
/// place they are said against it (denied where the reference asserts, or the other way round).
fn find_words(
    phrases: &[Phrase],
    answer: &Analysed<'_>,
    reference_denies: bool,
    in_context: &dyn Fn(&PhraseMatch) -> bool,
) -> (Option<PhraseMatch>, Option<PhraseMatch>) {
    let mut agreeing: Option<PhraseMatch> = None;
    let mut against: Option<PhraseMatch> = None;
    for phrase in phrases {
        for found in matcher::find_each(phrase, &answer.tokens) {
            if !in_context(&found) {
                continue;
            }
            let denies = answer.negated[found.start..found.end]
                .iter()
                .zip(&answer.tokens[found.start..found.end])
                .any(|(&negated, token)| negated && !token.is_stop_word());
            let slot = if denies == reference_denies {
                &mut agreeing
            } else {
                &mut against
            };
            if slot
                .as_ref()
                .is_none_or(|best| found.similarity > best.similarity)
            {
                *slot = Some(found);
            }
        }
    }
    (agreeing, against)
}

impl Judged {
    /// A point missed where whisper was unsure of what it heard is not clearly heard instead
    /// (see [`unclear`](super::unclear)).
    fn or_unclear(self, point: &KeyPoint, input: &PointsInput<'_, '_>) -> Self {
        if self.status != Status::Missed || self.negated {
            return self;
        }
        let phrasings: Vec<Phrase> = point.phrasings().map(Phrase::new).collect();
        match super::unclear::place(&phrasings, input.answer, input.words) {
            Some(words) => Self {
                status: Status::Unclear,
                evidence: Some(Evidence::Unclear(words)),
                negated: false,
            },
            None => self,
        }
    }

    fn into_result(
        self,
        point: &KeyPoint,
        input: &PointsInput<'_, '_>,
        place: Option<&Place>,
        heard: Option<&Heard>,
    ) -> PointResult {
        let answer = input.answer;
        let (similarity, span, matched_by) = match &self.evidence {
            Some(Evidence::Words { similarity, tokens }) => {
                let first = answer.tokens[tokens.start].word;
                let last = answer.tokens[tokens.end - 1].word;
                // Words said against the reference are quoted with their clause: the denial is
                // in the words around them ("ECS does not support dynamic port mapping").
                let span = match answer.clause_of(first) {
                    Some(clause) if self.negated => clause.start..clause.end.max(last + 1),
                    _ => first..last + 1,
                };
                (*similarity, Some(span), Some(MatchedBy::Words))
            }
            Some(Evidence::Meaning(m)) => {
                (m.similarity, Some(m.span.clone()), Some(MatchedBy::Meaning))
            }
            Some(Evidence::Unclear(words)) => (0.0, Some(words.clone()), None),
            None => (0.0, None, None),
        };
        let reference_sentence = (self.status != Status::Hit || self.negated)
            .then(|| place.map(|p| input.reference.quote(p.sentence.clone())))
            .flatten();
        PointResult {
            point: point.point.clone(),
            status: self.status,
            heard: span.clone().map(|s| answer.quote(s)),
            similarity: round2(similarity.clamp(0.0, 1.0)),
            at_s: span.and_then(|s| input.words[s.start].start_s),
            matched_by,
            meaning_similarity: heard.map(|h| {
                let best = [&h.agreeing, &h.against]
                    .into_iter()
                    .flatten()
                    .map(|m| m.similarity)
                    .fold(0.0, f64::max);
                round2(best.clamp(0.0, 1.0))
            }),
            negated: self.negated,
            reference: reference_sentence,
            weight: 1.0,
        }
    }
}
