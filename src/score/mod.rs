//! Scoring an answer against a question's reference answer and key points. Pure: a function of
//! the question, the transcript and, when there is one, a sentence embedder; no files, no audio.
//!
//! Two kinds of evidence, and the score uses both:
//! - **Key points**, each heard by its words (exact, tolerant of how people speak and how whisper
//!   writes; see [`matcher`]) or by its meaning (a span of the answer whose sentence embedding is
//!   close to the point and to the reference clause that makes it; see [`meaning`]). A point said
//!   against the reference ("does not support ...") is not credited (see [`negation`]).
//! - **The reference's sentences**, each covered by meaning (or, without the embedder, by the
//!   share of its words the answer says). This is what tells a vague but related answer from an
//!   off-topic one, and a complete answer from a list of the right nouns. Sentences that no key
//!   point stands in are shown as minor points.
//!
//! Both sides leave out what the question already says before comparing, and key points the
//! question names weigh less: saying the question back earns little.

mod analysed;
pub mod band;
pub mod delivery;
mod feedback;
pub mod matcher;
mod meaning;
pub mod moment;
mod negation;
pub mod timeline;

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::Range;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::bank::{KeyPoint, Question};
use crate::embed::Embed;
use crate::transcript::{AnswerWord, Transcript};
use analysed::{Analysed, content_stems};
pub use delivery::{Delivery, Norms};
use matcher::{Found, HIT, PARTIAL, Phrase};
use meaning::{Heard, SpanMatch, Target};

/// Weight of a key point that the question already names, against 1 for the others.
const GIVEN_AWAY_WEIGHT: f64 = 0.35;
/// An answer of at least this many words with fewer function words than this share is a list
/// of keywords, not an explanation.
const KEYWORD_LIST_MIN_WORDS: usize = 6;
const KEYWORD_LIST_STOP_RATIO: f64 = 0.15;
/// A keyword list scores at most this much, however many points it names.
const KEYWORD_LIST_CAP: f64 = 50.0;

/// Cosine similarity (all-MiniLM-L6-v2, question words left out on both sides) from which a
/// span of the answer makes a key point, and from which it makes it in part. Both are read off
/// answers to *other* questions, which cannot make the point (`scripts/calibrate-scoring`, run on
/// 2026-11-29 over 936 such key points): one in a hundred of them reaches `MEANING_HIT` (its 99th
/// percentile), one in twenty `MEANING_PARTIAL` (its 95th).
const MEANING_HIT: f64 = 0.62;
const MEANING_PARTIAL: f64 = 0.41;
/// The words of a key point count only in a clause at least this close to the point: no closer
/// than one unrelated answer in ten comes (the 90th percentile of the same run).
const WORDS_IN_CONTEXT: f64 = 0.36;
/// How a reference sentence's best cosine turns into coverage: none up to `SENTENCE_LOW`, all
/// from `SENTENCE_HIGH`, linear in between. `SENTENCE_LOW` is the median of answers to other
/// questions (the typical unrelated answer covers nothing), `SENTENCE_HIGH` the median of answers
/// that both graders of the human-graded set gave full marks (`scripts/calibrate-scoring`, same
/// run: 495 and 578 sentences). The null's 90th percentile (0.36) was tried for `SENTENCE_LOW`
/// first: it kept unrelated answers nearer 0 but gave related, partly right answers too little
/// (BENCHMARKS.md has both).
const SENTENCE_LOW: f64 = 0.21;
const SENTENCE_HIGH: f64 = 0.62;
/// Share of the score that coverage of the reference's sentences gives; key points give the
/// rest. Equal shares: neither kind of evidence is trusted over the other.
const SENTENCE_SHARE: f64 = 0.5;
/// A sentence of fewer words ("Yes.", "It depends.") is no point to make on its own.
const MIN_POINT_WORDS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Hit,
    Partial,
    Missed,
}

impl Status {
    fn credit(self) -> f64 {
        match self {
            Self::Hit => 1.0,
            Self::Partial => 0.5,
            Self::Missed => 0.0,
        }
    }
}

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
    /// The one thing to do next time.
    pub suggestion: String,
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

    /// The reference sentences that no key point stands in, shown as points of their own.
    pub fn minor_points(&self) -> impl Iterator<Item = &ReferenceSentence> {
        // A bare "Yes." or "No." opens an answer; it is not a point to make.
        self.sentences
            .iter()
            .filter(|s| s.minor && s.sentence.split_whitespace().count() >= MIN_POINT_WORDS)
    }
}

/// Makes the sentence embedder when scoring first needs it (it takes a moment and some memory,
/// which listing questions should not pay); `Ok(None)` when it is not installed, an error when
/// its files are there but unusable.
pub type EmbedderLoader = Box<dyn Fn() -> Result<Option<Box<dyn Embed>>>>;

/// Scores answers; holds the sentence embedder once it is loaded.
pub struct Scorer {
    norms: Norms,
    load: Option<EmbedderLoader>,
    embedder: OnceCell<Option<Box<dyn Embed>>>,
}

impl std::fmt::Debug for Scorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scorer")
            .field("norms", &self.norms)
            .field(
                "semantic_model",
                &self.embedder.get().map(|e| e.as_ref().map(|e| e.name())),
            )
            .finish()
    }
}

impl Scorer {
    /// A scorer that matches by words alone.
    pub fn words_only() -> Self {
        Self {
            norms: Norms::default(),
            load: None,
            embedder: OnceCell::new(),
        }
    }

    /// A scorer that also matches by meaning, with the embedder `load` makes on first use.
    pub fn with_embedder(load: EmbedderLoader) -> Self {
        Self {
            load: Some(load),
            ..Self::words_only()
        }
    }

    fn embedder(&self) -> Result<Option<&dyn Embed>> {
        if self.embedder.get().is_none() {
            let loaded = match &self.load {
                Some(load) => load()?,
                None => None,
            };
            let _ = self.embedder.set(loaded);
        }
        Ok(self.embedder.get().and_then(|e| e.as_deref()))
    }

    /// Delivery judged by these thresholds instead of the defaults (the user's `[norms]`).
    pub fn with_norms(self, norms: Norms) -> Self {
        Self { norms, ..self }
    }

    pub fn score(&self, question: &Question, transcript: &Transcript) -> Result<ScoreReport> {
        self.score_with_limit(question, transcript, question.time_limit_s)
    }

    pub fn score_with_limit(
        &self,
        question: &Question,
        transcript: &Transcript,
        time_limit_s: u32,
    ) -> Result<ScoreReport> {
        let words = transcript.words();
        let answer = Analysed::new(words.iter().map(|w| w.text).collect());
        let reference = Analysed::new(question.answer.split_whitespace().collect());
        let asked = content_stems(&question.question);
        let places: Vec<Option<Place>> = question
            .key_points
            .iter()
            .map(|kp| Place::by_words(kp, &reference))
            .collect();

        let embedder = self.embedder()?;
        let heard = match embedder {
            Some(embedder) => Some(hear_by_meaning(
                embedder, question, &answer, &reference, &asked, &places,
            )?),
            None => None,
        };
        let (point_heard, sentence_heard) = match heard {
            Some((points, sentences)) => (Some(points), Some(sentences)),
            None => (None, None),
        };

        let key_points: Vec<PointResult> = question
            .key_points
            .iter()
            .enumerate()
            .map(|(i, kp)| {
                let given_away = Phrase::new(&kp.point)
                    .tokens()
                    .iter()
                    .all(|t| asked.contains(&t.stem));
                let judged = judge_point(
                    kp,
                    &answer,
                    &reference,
                    places[i].as_ref(),
                    point_heard.as_ref().map(|h| &h[i]),
                    given_away,
                );
                PointResult {
                    weight: if given_away { GIVEN_AWAY_WEIGHT } else { 1.0 },
                    ..judged.into_result(
                        kp,
                        &answer,
                        &words,
                        &reference,
                        places[i].as_ref(),
                        point_heard.as_ref().map(|h| &h[i]),
                    )
                }
            })
            .collect();

        let sentences: Vec<ReferenceSentence> = reference
            .sentences
            .iter()
            .enumerate()
            .map(|(i, range)| {
                let minor = !places.iter().flatten().any(|p| p.sentence == *range);
                judge_sentence(
                    range.clone(),
                    &answer,
                    &words,
                    &reference,
                    &asked,
                    sentence_heard.as_ref().map(|h| &h[i]),
                    minor,
                )
            })
            .collect();
        // A bare "Yes." carries no content to cover; the sentences that do make the coverage.
        let substantial: Vec<&ReferenceSentence> = sentences
            .iter()
            .filter(|s| s.sentence.split_whitespace().count() >= MIN_POINT_WORDS)
            .collect();
        let counted = if substantial.is_empty() {
            sentences.iter().collect()
        } else {
            substantial
        };
        let reference_coverage = if counted.is_empty() {
            0.0
        } else {
            counted.iter().map(|s| s.credit()).sum::<f64>() / counted.len() as f64
        };

        // Answering "no" where the reference says "yes" counts as one more key point, said
        // against the reference.
        let verdict_against = verdict_against(question, &reference, &answer);
        let (verdict_weight, verdict_credit) = match verdict_against {
            Some(_) => (1.0, -1.0),
            None => (0.0, 0.0),
        };
        let point_weight: f64 = key_points.iter().map(|p| p.weight).sum::<f64>() + verdict_weight;
        let points_share = if point_weight > 0.0 {
            (key_points
                .iter()
                .map(|p| p.weight * p.credit())
                .sum::<f64>()
                + verdict_credit)
                / point_weight
        } else {
            reference_coverage
        };
        let mut score = 100.0
            * ((1.0 - SENTENCE_SHARE) * points_share + SENTENCE_SHARE * reference_coverage)
                .max(0.0);
        let keyword_list = is_keyword_list(&answer, words.len());
        if keyword_list {
            score = score.min(KEYWORD_LIST_CAP);
        }

        let delivery = delivery::measure(
            &words,
            transcript.duration_s,
            transcript.pitch.as_ref(),
            &key_points,
            time_limit_s,
            &self.norms,
        );
        let mut report = ScoreReport {
            question_id: question.id.clone(),
            score: delivery::round1(score),
            semantic_model: embedder.map(|e| e.name().to_owned()),
            key_points,
            sentences,
            reference_coverage: round2(reference_coverage.max(0.0)),
            transcript: transcript.text.trim().to_owned(),
            delivery,
            keyword_list,
            verdict_against,
            suggestion: String::new(),
        };
        report.suggestion = feedback::suggestion(&report, &self.norms);
        Ok(report)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Where the reference makes a key point: the clause and the sentence holding its words.
#[derive(Debug, Clone, PartialEq)]
struct Place {
    /// The point's tokens in the reference.
    tokens: Range<usize>,
    clause: Range<usize>,
    sentence: Range<usize>,
}

impl Place {
    fn by_words(point: &KeyPoint, reference: &Analysed<'_>) -> Option<Self> {
        let found = point
            .phrasings()
            .map(Phrase::new)
            .filter_map(|phrase| matcher::find(&phrase, &reference.tokens))
            .max_by(|a, b| {
                a.similarity
                    .total_cmp(&b.similarity)
                    .then(b.start.cmp(&a.start))
            })?;
        Self::at(found.start..found.end, reference)
    }

    fn at(tokens: Range<usize>, reference: &Analysed<'_>) -> Option<Self> {
        let word = reference.tokens.get(tokens.start)?.word;
        Some(Self {
            clause: reference.clause_of(word)?,
            sentence: reference.sentence_of(word)?,
            tokens,
        })
    }

    /// The reference denies the point where it makes it ("... without managing servers").
    fn denied(&self, reference: &Analysed<'_>) -> bool {
        reference.negated[self.tokens.clone()]
            .iter()
            .zip(&reference.tokens[self.tokens.clone()])
            .any(|(&negated, token)| negated && !token.is_stop_word())
    }
}

/// Embed what the answer says and what the reference says, and find for each key point and each
/// reference sentence the spans of the answer that say it (or say it is not so).
fn hear_by_meaning(
    embedder: &dyn Embed,
    question: &Question,
    answer: &Analysed<'_>,
    reference: &Analysed<'_>,
    asked: &HashSet<String>,
    places: &[Option<Place>],
) -> Result<(Vec<Heard>, Vec<Heard>)> {
    let without_asked = |text: &str| {
        let analysed = Analysed::new(text.split_whitespace().collect());
        let kept = analysed.without_question_words(0..analysed.words.len(), asked);
        // A point made only of the question's words is still what it is.
        if kept.trim().is_empty() {
            text.to_owned()
        } else {
            kept
        }
    };
    let mut targets: Vec<Target> = question
        .key_points
        .iter()
        .zip(places)
        .map(|(kp, place)| {
            let mut phrasings: Vec<String> = kp.phrasings().map(without_asked).collect();
            if let Some(place) = place {
                phrasings.push(reference.without_question_words(place.clause.clone(), asked));
            }
            Target {
                phrasings,
                context: place.as_ref().map(|p| p.clause.clone()),
            }
        })
        .collect();
    targets.extend(reference.sentences.iter().map(|sentence| Target {
        phrasings: vec![reference.without_question_words(sentence.clone(), asked)],
        context: Some(sentence.clone()),
    }));
    let mut heard = meaning::hear(embedder, answer, reference, asked, &targets)?;
    let sentences = heard.split_off(question.key_points.len());
    Ok((heard, sentences))
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
    let in_context = |found: &Found| {
        if given_away || (found.end - found.start >= 2 && found.similarity >= HIT) {
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
    let word_status = agreeing_words
        .as_ref()
        .map_or(Status::Missed, |f| status_of(f.similarity, HIT, PARTIAL));
    let meaning_status = heard
        .and_then(|h| h.agreeing.as_ref())
        .map_or(Status::Missed, |m| {
            status_of(m.similarity, MEANING_HIT, MEANING_PARTIAL)
        });
    let words = |found: &Found| Evidence::Words {
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
    in_context: &dyn Fn(&Found) -> bool,
) -> (Option<Found>, Option<Found>) {
    let mut agreeing: Option<Found> = None;
    let mut against: Option<Found> = None;
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

fn status_of(similarity: f64, hit: f64, partial: f64) -> Status {
    if similarity >= hit {
        Status::Hit
    } else if similarity >= partial {
        Status::Partial
    } else {
        Status::Missed
    }
}

impl Judged {
    fn into_result(
        self,
        point: &KeyPoint,
        answer: &Analysed<'_>,
        words: &[AnswerWord<'_>],
        reference: &Analysed<'_>,
        place: Option<&Place>,
        heard: Option<&Heard>,
    ) -> PointResult {
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
            None => (0.0, None, None),
        };
        let reference_sentence = (self.status != Status::Hit || self.negated)
            .then(|| place.map(|p| reference.quote(p.sentence.clone())))
            .flatten();
        PointResult {
            point: point.point.clone(),
            status: self.status,
            heard: span.clone().map(|s| answer.quote(s)),
            similarity: round2(similarity.clamp(0.0, 1.0)),
            at_s: span.and_then(|s| words[s.start].start_s),
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

/// Coverage of a reference sentence: by meaning when there is an embedder, else the share of its
/// content words (those the question does not already say) that the answer says undenied.
fn judge_sentence(
    sentence: Range<usize>,
    answer: &Analysed<'_>,
    words: &[AnswerWord<'_>],
    reference: &Analysed<'_>,
    asked: &HashSet<String>,
    heard: Option<&Heard>,
    minor: bool,
) -> ReferenceSentence {
    let (coverage, similarity, span, negated) = match heard {
        Some(heard) => {
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
        None => {
            let share = words_said(sentence.clone(), answer, reference, asked);
            (share, share, None, false)
        }
    };
    let status = if negated {
        Status::Missed
    } else {
        status_of(coverage, 0.75, 0.25)
    };
    let span = span.filter(|_| negated || status != Status::Missed);
    ReferenceSentence {
        sentence: reference.quote(sentence),
        minor,
        status,
        coverage: round2(coverage),
        similarity: round2(similarity.clamp(0.0, 1.0)),
        heard: span.clone().map(|s| answer.quote(s)),
        at_s: span.and_then(|s| words[s.start].start_s),
        negated,
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

impl ReferenceSentence {
    /// What the sentence adds to the coverage: saying it is not so takes away as much as saying
    /// it would have given.
    fn credit(&self) -> f64 {
        if self.negated { -1.0 } else { self.coverage }
    }
}

impl PointResult {
    /// What the point adds to the key points' share: a point said against the reference takes
    /// away as much as a hit gives.
    fn credit(&self) -> f64 {
        if self.negated {
            -1.0
        } else {
            self.status.credit()
        }
    }
}

/// Questions that start with one of these are answered yes or no.
const YES_NO_OPENERS: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "has", "have", "is", "may", "should", "was",
    "were", "will", "would",
];
/// How answers open with a yes or a no.
const YES: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "sure",
    "absolutely",
    "definitely",
    "certainly",
];
const NO: &[&str] = &["no", "nope", "nah"];
/// Words that may come before the verdict ("well, no", "so yes").
const LEAD_IN: &[&str] = &["so", "well", "um", "uh", "oh", "ok", "okay"];

/// The answer's opening yes or no (as said), when the question is a yes-or-no one and the
/// reference opens with the opposite.
fn verdict_against(
    question: &Question,
    reference: &Analysed<'_>,
    answer: &Analysed<'_>,
) -> Option<String> {
    let opener = question.question.split_whitespace().next()?.to_lowercase();
    if !YES_NO_OPENERS.contains(&opener.as_str()) {
        return None;
    }
    let verdict = |text: &Analysed<'_>| {
        let first = text
            .tokens
            .iter()
            .find(|t| !LEAD_IN.contains(&t.text.as_str()))?;
        let is_yes = YES.contains(&first.text.as_str());
        (is_yes || NO.contains(&first.text.as_str())).then_some((is_yes, first.word))
    };
    let (reference_yes, _) = verdict(reference)?;
    let (answer_yes, word) = verdict(answer)?;
    (answer_yes != reference_yes).then(|| {
        answer.words[word]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_owned()
    })
}

fn is_keyword_list(answer: &Analysed<'_>, word_count: usize) -> bool {
    if word_count < KEYWORD_LIST_MIN_WORDS {
        return false;
    }
    let stop = answer.tokens.iter().filter(|t| t.is_stop_word()).count();
    (stop as f64) < KEYWORD_LIST_STOP_RATIO * answer.tokens.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question {
            id: "what-is-ecs".into(),
            deck: "ECS".into(),
            category: "general".into(),
            question: "What is Amazon Elastic Container Service?".into(),
            answer: "Amazon ECS is a fully managed container orchestration service from AWS. \
                     It deploys, manages and scales containerized applications that run as \
                     Docker containers. You pay nothing extra for it."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "fully managed".into(),
                    aliases: vec!["AWS manages it".into()],
                },
                KeyPoint {
                    point: "container orchestration".into(),
                    aliases: vec!["orchestrator".into()],
                },
                KeyPoint {
                    point: "Docker containers".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "scales".into(),
                    aliases: vec!["scaling".into()],
                },
            ],
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }

    fn port_mapping() -> Question {
        Question {
            id: "dynamic-port-mapping".into(),
            question: "Does Amazon ECS support dynamic port mapping?".into(),
            answer: "Yes. ECS supports dynamic port mapping when the tasks sit behind an \
                     Application Load Balancer, which registers each task's random host port."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "dynamic port mapping".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "Application Load Balancer".into(),
                    aliases: vec!["ALB".into()],
                },
            ],
            ..question()
        }
    }

    fn score(text: &str) -> ScoreReport {
        score_of(&question(), text)
    }

    fn score_of(question: &Question, text: &str) -> ScoreReport {
        Scorer::words_only()
            .score(question, &Transcript::typed(text))
            .expect("words-only scoring cannot fail")
    }

    fn with_fake_embedder() -> Scorer {
        Scorer::with_embedder(Box::new(|| {
            Ok(Some(
                Box::new(crate::embed::fake::HashedStems) as Box<dyn Embed>
            ))
        }))
    }

    #[test]
    fn empty_answer_scores_zero_with_everything_missed() {
        let report = score("");
        assert_eq!(report.score, 0.0);
        assert!(report.key_points.iter().all(|p| p.status == Status::Missed));
        assert!(
            report.suggestion.to_lowercase().contains("no answer"),
            "{}",
            report.suggestion
        );
        let meaning = with_fake_embedder()
            .score(&question(), &Transcript::typed(""))
            .unwrap();
        assert_eq!(meaning.score, 0.0);
    }

    #[test]
    fn good_answer_in_other_words_scores_high() {
        let report = score(
            "ECS is a container orchestrator that AWS manages for you, so there's no control \
             plane to run. You hand it Docker containers and it places them, keeps them healthy \
             and handles scaling as load changes. It costs nothing extra.",
        );
        assert!(report.score >= 70.0, "{report:#?}");
        assert!(
            report.key_points.iter().all(|p| p.status == Status::Hit),
            "{report:#?}"
        );
        assert!(
            report
                .key_points
                .iter()
                .all(|p| p.matched_by == Some(MatchedBy::Words))
        );
        assert_eq!(report.semantic_model, None);
    }

    #[test]
    fn partial_answer_lands_in_between_and_names_what_was_missed() {
        let report = score("It is basically a way to run Docker containers on AWS.");
        assert!((10.0..60.0).contains(&report.score), "{}", report.score);
        assert_eq!(
            report.missed_points(),
            ["fully managed", "container orchestration", "scales"]
        );
        let orchestration = &report.key_points[1];
        assert!(
            orchestration
                .reference
                .as_deref()
                .is_some_and(|r| r.contains("orchestration"))
        );
        assert!(
            report.suggestion.contains("fully managed"),
            "{}",
            report.suggestion
        );
    }

    #[test]
    fn repeating_the_question_back_scores_low() {
        let report = score(
            "What is Amazon Elastic Container Service? It is Amazon Elastic Container Service.",
        );
        assert!(report.score < 20.0, "{}", report.score);
    }

    #[test]
    fn unrelated_buzzwords_score_low_and_keyword_lists_are_capped() {
        let buzz =
            score("synergy blockchain agile microservices kubernetes serverless devops paradigm");
        assert!(buzz.score < 15.0, "{}", buzz.score);
        let stuffed = score("fully managed container orchestration docker containers scales aws");
        assert!(stuffed.keyword_list);
        assert!(stuffed.score <= KEYWORD_LIST_CAP, "{}", stuffed.score);
    }

    #[test]
    fn length_is_not_rewarded() {
        let good = "ECS is a fully managed container orchestration service that runs Docker \
                    containers and scales them.";
        let padded = format!(
            "{good} {}",
            "And there is much more I could say about it. ".repeat(50)
        );
        assert_eq!(score(good).score, score(&padded).score);
    }

    #[test]
    fn given_away_points_weigh_less() {
        let report = score("scales");
        assert_eq!(report.key_points[0].weight, 1.0);
        let iam = Question {
            question: "How do I configure IAM roles for ECS tasks?".into(),
            answer: "Create an IAM role with the permissions and set it as the task role in the \
                     task definition."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "IAM roles".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "task definition".into(),
                    aliases: vec![],
                },
            ],
            ..question()
        };
        let echo = score_of(&iam, "You configure IAM roles for ECS tasks.");
        assert_eq!(echo.key_points[0].weight, GIVEN_AWAY_WEIGHT);
        assert!(echo.score < 30.0, "{}", echo.score);
    }

    #[test]
    fn a_ten_thousand_word_answer_is_scored() {
        let long = "ECS is a fully managed container orchestration service. ".repeat(1250);
        let report = score(&long);
        assert_eq!(report.delivery.words, 10_000);
        let short = score("ECS is a fully managed container orchestration service.");
        assert_eq!(report.score, short.score, "length adds nothing");
    }

    #[test]
    fn a_point_said_against_the_reference_is_not_credited_and_says_so() {
        let report = score_of(
            &port_mapping(),
            "No, ECS does not support dynamic port mapping. You always have to fix the host \
             port yourself, even with EC2 instances.",
        );
        let point = &report.key_points[0];
        assert_eq!(point.status, Status::Missed, "{report:#?}");
        assert!(point.negated);
        assert_eq!(
            point.heard.as_deref(),
            Some("No, ECS does not support dynamic port mapping."),
            "quoted with its clause"
        );
        assert!(
            point
                .reference
                .as_deref()
                .is_some_and(|r| r.contains("supports dynamic"))
        );
        assert!(report.score < 20.0, "{}", report.score);
        assert_eq!(report.verdict_against.as_deref(), Some("No"));
        assert!(
            report.suggestion.starts_with("You answered \"No\""),
            "{}",
            report.suggestion
        );
        let without_verdict = score_of(
            &port_mapping(),
            "ECS does not support dynamic port mapping, you always fix the host port.",
        );
        assert_eq!(without_verdict.verdict_against, None);
        assert!(
            without_verdict.suggestion.contains("You said"),
            "{}",
            without_verdict.suggestion
        );

        let agrees = score_of(
            &port_mapping(),
            "Yes, it supports dynamic port mapping through an ALB; you don't have to pick host \
             ports yourself.",
        );
        assert!(
            agrees
                .key_points
                .iter()
                .all(|p| p.status == Status::Hit && !p.negated)
        );
        assert_eq!(agrees.verdict_against, None);
    }

    #[test]
    fn a_denial_the_reference_shares_is_agreement() {
        let serverless = Question {
            question: "How is Lambda different?".into(),
            answer: "Lambda runs functions without servers to manage.".into(),
            key_points: vec![KeyPoint {
                point: "servers to manage".into(),
                aliases: vec![],
            }],
            ..question()
        };
        let report = score_of(&serverless, "There are no servers to manage at all.");
        assert_eq!(report.key_points[0].status, Status::Hit, "{report:#?}");
        assert!(!report.key_points[0].negated);
    }

    #[test]
    fn sentences_without_key_points_are_minor_points_not_stray_words() {
        let report = score("ECS is a fully managed container orchestration service.");
        let minor: Vec<&ReferenceSentence> = report.minor_points().collect();
        assert_eq!(minor.len(), 1, "{report:#?}");
        assert_eq!(minor[0].sentence, "You pay nothing extra for it.");
        assert_eq!(minor[0].status, Status::Missed);
        let covered =
            score("ECS is fully managed container orchestration, and you pay nothing extra.");
        let minor: Vec<&ReferenceSentence> = covered.minor_points().collect();
        assert_ne!(minor[0].status, Status::Missed, "{covered:#?}");
        assert!(covered.score > report.score);
    }

    #[test]
    fn meaning_matches_are_labelled_and_the_model_named() {
        let scorer = with_fake_embedder();
        let report = scorer
            .score(
                &question(),
                &Transcript::typed("It orchestrates containers for you and deploys applications."),
            )
            .unwrap();
        assert_eq!(report.semantic_model.as_deref(), Some("hashed-stems"));
        let by_meaning: Vec<&PointResult> = report
            .key_points
            .iter()
            .filter(|p| p.matched_by == Some(MatchedBy::Meaning))
            .collect();
        assert!(!by_meaning.is_empty(), "{report:#?}");
        assert!(by_meaning.iter().all(|p| p.heard.is_some()));
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["key_points"][0].get("matched_by").is_some());
        assert!(json["key_points"][0].get("negated").is_some());
    }

    #[test]
    fn a_missing_embedder_means_words_alone() {
        let scorer = Scorer::with_embedder(Box::new(|| Ok(None)));
        let report = scorer
            .score(&question(), &Transcript::typed("ECS is fully managed."))
            .unwrap();
        assert_eq!(report.semantic_model, None);
        assert_eq!(report.key_points[0].status, Status::Hit);
    }

    #[test]
    fn timed_words_give_when_each_point_was_heard() {
        let words = ["ECS", "is", "fully", "managed", "and", "scales"];
        let transcript = Transcript {
            model: Some("tiny.en".into()),
            duration_s: Some(4.0),
            text: words.join(" "),
            segments: vec![crate::transcript::Segment {
                start_s: 0.0,
                end_s: 3.0,
                text: words.join(" "),
                words: words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| crate::transcript::Word {
                        word: format!(" {w}"),
                        start_s: i as f64 * 0.5,
                        end_s: i as f64 * 0.5 + 0.4,
                        p: 0.9,
                        heard: None,
                    })
                    .collect(),
            }],
            pitch: None,
        };
        let report = Scorer::words_only()
            .score(&question(), &transcript)
            .unwrap();
        assert_eq!(report.key_points[0].at_s, Some(1.0));
        assert_eq!(report.key_points[0].heard.as_deref(), Some("fully managed"));
        assert_eq!(report.key_points[3].at_s, Some(2.5));
        assert_eq!(report.key_points[1].at_s, None);
        assert!(report.delivery.wpm.is_some());
    }
}
