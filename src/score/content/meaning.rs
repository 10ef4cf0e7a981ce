//! Matching by meaning: spans of the answer against what the reference says, through sentence
//! embeddings. Both sides leave out the words of the question first, so that an answer is not
//! rewarded for saying the question back.
//!
//! Everything the embedder must see goes to it in one call (it batches), and every comparison
//! after that is a dot product.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use anyhow::Result;

use super::analysed::Analysed;
use super::negation;
use super::place::Place;
use crate::bank::Question;
use crate::embed::Embed;
use crate::score::thresholds::MIN_MEANING_WORDS;
use crate::text::tokenize;

/// The best span of the answer for one target.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanMatch {
    pub similarity: f64,
    /// Words of the answer.
    pub span: Range<usize>,
}

/// What the answer says of one thing in the reference: the closest span that agrees with it,
/// the closest that says it is not so, and how close every span came.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Heard {
    pub agreeing: Option<SpanMatch>,
    pub against: Option<SpanMatch>,
    /// Every span of the answer compared, with its similarity.
    pub spans: Vec<SpanMatch>,
}

impl Heard {
    /// How close in meaning the words around `words` are: the similarity of the shortest span
    /// that holds them all (usually their clause).
    pub fn around(&self, words: &Range<usize>) -> Option<f64> {
        self.spans
            .iter()
            .filter(|m| m.span.start <= words.start && words.end <= m.span.end)
            .min_by_key(|m| m.span.len())
            .map(|m| m.similarity)
    }
}

/// A thing to look for: texts that say it, and the stretch of the reference it stands in (for
/// the negation check).
#[derive(Debug, Clone)]
struct Target {
    pub phrasings: Vec<String>,
    pub context: Option<Range<usize>>,
}

/// Texts to embed, each once.
#[derive(Debug, Default)]
struct Batch {
    texts: Vec<String>,
    index: HashMap<String, usize>,
}

impl Batch {
    fn add(&mut self, text: String) -> Option<usize> {
        if text.trim().is_empty() {
            return None;
        }
        if let Some(&i) = self.index.get(&text) {
            return Some(i);
        }
        self.texts.push(text.clone());
        self.index.insert(text, self.texts.len() - 1);
        Some(self.texts.len() - 1)
    }

    fn texts(&self) -> Vec<&str> {
        self.texts.iter().map(String::as_str).collect()
    }
}

/// The spans of the answer compared by meaning, each with its text as the embedder sees it
/// (without the question's words).
pub fn answer_spans(
    answer: &Analysed<'_>,
    question: &HashSet<String>,
) -> Vec<(Range<usize>, String)> {
    answer
        .spans()
        .into_iter()
        .map(|span| {
            let text = answer.without_question_words(span.clone(), question);
            (span, text)
        })
        .collect()
}

/// For each target, what the answer says of it.
fn hear(
    embedder: &dyn Embed,
    answer: &Analysed<'_>,
    reference: &Analysed<'_>,
    question: &HashSet<String>,
    targets: &[Target],
) -> Result<Vec<Heard>> {
    // The answer's spans and the bank's texts go to the embedder apart: the bank's come back
    // every time the question is scored, and the embedder may remember them.
    let mut said = Batch::default();
    let spans: Vec<(Range<usize>, usize, usize)> = answer_spans(answer, question)
        .into_iter()
        .filter_map(|(span, text)| {
            let words = content_words(&text);
            said.add(text).map(|i| (span, i, words))
        })
        .collect();
    if spans.is_empty() {
        return Ok(vec![Heard::default(); targets.len()]);
    }
    let mut wanted = Batch::default();
    let target_texts: Vec<Vec<usize>> = targets
        .iter()
        .map(|t| {
            t.phrasings
                .iter()
                .filter_map(|p| wanted.add(p.clone()))
                .collect()
        })
        .collect();
    let span_vectors = embedder.embed(&said.texts())?;
    let target_vectors = embedder.embed_reference(&wanted.texts())?;
    Ok(targets
        .iter()
        .zip(&target_texts)
        .map(|(target, texts)| {
            let mut heard = Heard::default();
            // A span too short to say the target only counts as context for its words.
            let enough = target
                .phrasings
                .iter()
                .map(|p| content_words(p))
                .min()
                .unwrap_or(0)
                .clamp(1, MIN_MEANING_WORDS);
            for (span, span_vector, words) in &spans {
                let similarity = texts
                    .iter()
                    .map(|&t| f64::from(span_vectors[*span_vector].cosine(&target_vectors[t])))
                    .fold(f64::NEG_INFINITY, f64::max);
                if !similarity.is_finite() {
                    continue;
                }
                heard.spans.push(SpanMatch {
                    similarity,
                    span: span.clone(),
                });
                if *words < enough {
                    continue;
                }
                let against = target.context.clone().is_some_and(|context| {
                    negation::contradicts(
                        answer.tokens_in(span.clone()),
                        reference.tokens_in(context),
                    )
                });
                let slot = if against {
                    &mut heard.against
                } else {
                    &mut heard.agreeing
                };
                // Ties go to the shorter span: it quotes what was said more exactly.
                let better = slot.as_ref().is_none_or(|best| {
                    similarity > best.similarity
                        || (similarity == best.similarity && span.len() < best.span.len())
                });
                if better {
                    *slot = Some(SpanMatch {
                        similarity,
                        span: span.clone(),
                    });
                }
            }
            heard
        })
        .collect())
}

/// How many content words (not function words) a text has.
fn content_words(text: &str) -> usize {
    tokenize(text).iter().filter(|t| !t.is_stop_word()).count()
}

/// What the answer says, by meaning, of each key point and of each reference sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeardByMeaning {
    pub points: Vec<Heard>,
    pub sentences: Vec<Heard>,
}

/// Embed what the answer says and what the reference says, and find for each key point and each
/// reference sentence the spans of the answer that say it (or say it is not so).
pub fn hear_points_and_sentences(
    embedder: &dyn Embed,
    question: &Question,
    answer: &Analysed<'_>,
    reference: &Analysed<'_>,
    asked: &HashSet<String>,
    places: &[Option<Place>],
) -> Result<HeardByMeaning> {
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
    let mut points = hear(embedder, answer, reference, asked, &targets)?;
    let sentences = points.split_off(question.key_points.len());
    Ok(HeardByMeaning { points, sentences })
}
