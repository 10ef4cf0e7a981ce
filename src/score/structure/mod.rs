//! Behavioural answers heard as STAR: which of situation, task, action and result a story has,
//! where each starts, the words that carry it and the share of the answer it takes; whether the
//! actions are the speaker's own, whether the result has a figure, and whether the story happened
//! at all or is only what one would do. Pure: a function of the answer's words (timed when they
//! were spoken), the question and, when there is one, the sentence embedder.
//!
//! The method, for spoken answers that run on without punctuation:
//! 1. the answer is cut into units: clauses, and long run-ons again where a new subject starts a
//!    new step ([`units`]);
//! 2. each unit's words give evidence for each part: the phrases people use to set a scene, name
//!    a task, tell a step and an outcome; who acts; past tense or "would"; figures ([`cues`]);
//!    the sentence embedder adds how close the unit is to a few plain examples of each part
//!    ([`examples`]);
//! 3. a Viterbi path labels all units at once, so that the story reads forward and a weak unit
//!    goes with its neighbours ([`decode`]);
//! 4. relevance: how close the story is in meaning to the question ([`relevance`]).
//!
//! [`grade`] turns the findings into a score and the one thing to do next time.

mod cues;
mod decode;
mod examples;
pub mod grade;
mod relevance;
mod units;

use std::ops::Range;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::bank::Question;
use crate::embed::{Embed, Embedding};
use crate::text::tokenize_words;
use crate::transcript::AnswerWord;
use cues::{Agent, PARTS, UnitCues};

/// A part of a STAR story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Situation,
    Task,
    Action,
    Result,
}

impl Part {
    pub const ALL: [Part; PARTS] = [Part::Situation, Part::Task, Part::Action, Part::Result];

    pub fn name(self) -> &'static str {
        match self {
            Self::Situation => "situation",
            Self::Task => "task",
            Self::Action => "action",
            Self::Result => "result",
        }
    }

    /// The part's letter in "STAR".
    pub fn letter(self) -> char {
        match self {
            Self::Situation => 'S',
            Self::Task => 'T',
            Self::Action => 'A',
            Self::Result => 'R',
        }
    }
}

/// A stretch of the answer that carries a part: word indices (as [`crate::transcript::Transcript::words`]
/// gives them) and, for a recording, when it was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub from_word: usize,
    pub to_word: usize,
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
}

/// One part of the story as heard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartFinding {
    pub part: Part,
    pub present: bool,
    /// The answer's words that carry it; separate pieces joined with " … ".
    pub quote: Option<String>,
    /// Seconds into the recording where it starts; `None` for typed answers or when absent.
    pub at_s: Option<f64>,
    /// Its share (0 to 1) of the answer's words.
    pub share: f64,
    /// Where in the answer it is, piece by piece.
    #[serde(default)]
    pub pieces: Vec<Piece>,
}

/// The STAR structure of a behavioural answer: the score JSON's `structure`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    pub framework: String,
    /// All four parts, in STAR order.
    pub parts: Vec<PartFinding>,
    /// Some of the actions are the speaker's own "I", not all "we" / "the team".
    pub personal_action: bool,
    /// The result has a figure: a number of something, a percentage, "half".
    pub quantified_result: bool,
    /// "I would ..." with no real past event.
    pub hypothetical: bool,
    /// Cosine similarity (the sentence embedder) of the story and the question; `None` without
    /// the embedder.
    #[serde(default)]
    pub relevance: Option<f64>,
    /// The story answers the question asked; `None` when that could not be judged (no embedder).
    #[serde(default)]
    pub on_question: Option<bool>,
}

impl Structure {
    pub fn part(&self, part: Part) -> Option<&PartFinding> {
        self.parts.iter().find(|p| p.part == part)
    }

    pub fn has(&self, part: Part) -> bool {
        self.part(part).is_some_and(|p| p.present)
    }

    pub fn share(&self, part: Part) -> f64 {
        self.part(part).map_or(0.0, |p| p.share)
    }

    /// "S T A R" with a dash for each part not heard: the compact line of terminal feedback.
    pub fn letters(&self) -> String {
        Part::ALL
            .iter()
            .map(|&p| if self.has(p) { p.letter() } else { '–' }.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A part needs this much evidence in one of its units to count as said: a unit that only sits
/// between two others of a part is not that part said.
const MIN_EVIDENCE: f64 = 1.0;
/// ...and this many words.
const MIN_WORDS: usize = 3;
/// The actions are the speaker's own when at least this share of those with a subject say "I".
const MIN_OWN_SHARE: f64 = 0.25;
/// A story is hypothetical when at least this many units say what one would do, and more of
/// them than tell what happened.
const MIN_WOULD_UNITS: usize = 2;

/// The texts of the answer's units, which [`analyse`] compares by meaning: an embedder that
/// remembers them (see [`crate::embed::Remembered`]) can be given them ahead.
pub fn texts_by_meaning(words: &[AnswerWord<'_>]) -> Vec<String> {
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    unit_texts(&texts, &units::units(&texts))
}

fn unit_texts(words: &[&str], units: &[Range<usize>]) -> Vec<String> {
    units.iter().map(|u| words[u.clone()].join(" ")).collect()
}

/// Hear the STAR structure of an answer to a behavioural question. `whole` is the embedding of
/// the whole answer (its words joined by spaces), which the scorer has made already.
pub fn analyse(
    words: &[AnswerWord<'_>],
    question: &Question,
    embedder: Option<&dyn Embed>,
    whole: Option<&Embedding>,
) -> Result<Structure> {
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let units = units::units(&texts);
    let mut cues: Vec<UnitCues> = units
        .iter()
        .map(|unit| {
            let bare: Vec<String> = texts[unit.clone()].iter().map(|w| cues::bare(w)).collect();
            cues::read(&bare, &tokenize_words(&bare))
        })
        .collect();
    let unit_texts = unit_texts(&texts, &units);
    let (relevance, on_question) = match (embedder, whole) {
        (Some(embedder), Some(whole)) if !units.is_empty() => {
            let said =
                embedder.embed(&unit_texts.iter().map(String::as_str).collect::<Vec<_>>())?;
            for (cue, extra) in cues.iter_mut().zip(examples::evidence(embedder, &said)?) {
                for (part, add) in extra.iter().enumerate() {
                    cue.evidence[part] += add;
                }
            }
            let relevance = relevance::relevance(embedder, question, whole, &said)?;
            (Some(relevance), Some(relevance >= relevance::ON_QUESTION))
        }
        _ => (None, None),
    };
    let total = texts.len().max(1) as f64;
    let positions: Vec<f64> = units
        .iter()
        .map(|u| (u.start + u.end) as f64 / 2.0 / total)
        .collect();
    let evidence: Vec<[f64; PARTS]> = cues.iter().map(|c| c.evidence).collect();
    let path = decode::decode(&evidence, &positions);

    let parts: Vec<PartFinding> = Part::ALL
        .iter()
        .enumerate()
        .map(|(index, &part)| {
            let mine: Vec<usize> = (0..units.len()).filter(|&u| path[u] == index).collect();
            let said = mine.iter().map(|&u| units[u].len()).sum::<usize>() >= MIN_WORDS
                && mine
                    .iter()
                    .any(|&u| cues[u].evidence[index] >= MIN_EVIDENCE);
            finding(part, said, &mine, &units, words, total)
        })
        .collect();

    let acting: Vec<&UnitCues> = {
        let in_action: Vec<&UnitCues> = (0..units.len())
            .filter(|&u| path[u] == Part::Action as usize)
            .map(|u| &cues[u])
            .collect();
        if in_action.iter().any(|c| c.agent.is_some()) {
            in_action
        } else {
            cues.iter().collect()
        }
    };
    let mine = acting.iter().filter(|c| c.agent == Some(Agent::Me)).count();
    let ours = acting.iter().filter(|c| c.agent == Some(Agent::Us)).count();
    let would = cues.iter().filter(|c| c.would).count();
    let happened = cues.iter().filter(|c| c.happened).count();
    let result = Part::Result as usize;
    Ok(Structure {
        framework: "STAR".into(),
        personal_action: mine > 0 && mine as f64 >= MIN_OWN_SHARE * (mine + ours) as f64,
        quantified_result: parts[result].present
            && (0..units.len()).any(|u| path[u] == result && cues[u].figure),
        hypothetical: would >= MIN_WOULD_UNITS && would > happened,
        parts,
        relevance: relevance.map(|r| (r * 100.0).round() / 100.0),
        on_question,
    })
}

/// One part's finding from the units labelled with it.
fn finding(
    part: Part,
    said: bool,
    mine: &[usize],
    units: &[Range<usize>],
    words: &[AnswerWord<'_>],
    total: f64,
) -> PartFinding {
    if !said {
        return PartFinding {
            part,
            present: false,
            quote: None,
            at_s: None,
            share: 0.0,
            pieces: Vec::new(),
        };
    }
    // Neighbouring units make one piece.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for &u in mine {
        match ranges.last_mut() {
            Some(last) if last.end == units[u].start => last.end = units[u].end,
            _ => ranges.push(units[u].clone()),
        }
    }
    let quote = ranges
        .iter()
        .map(|r| {
            words[r.clone()]
                .iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" … ");
    let count: usize = ranges.iter().map(Range::len).sum();
    PartFinding {
        part,
        present: true,
        quote: Some(quote),
        at_s: ranges.first().and_then(|r| words[r.start].start_s),
        share: (count as f64 / total * 100.0).round() / 100.0,
        pieces: ranges
            .iter()
            .map(|r| Piece {
                from_word: r.start,
                to_word: r.end,
                start_s: words[r.start].start_s,
                end_s: words[r.end - 1].end_s,
            })
            .collect(),
    }
}
