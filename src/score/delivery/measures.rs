//! What the words of an answer show of its delivery, before any clock: the fillers and hedges
//! said, and the voice's pitch.

use serde::{Deserialize, Serialize};

use crate::transcript::{AnswerWord, Pitch};

/// The voice's pitch, and whether it sounds monotone by the norms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Intonation {
    #[serde(flatten)]
    pub pitch: Pitch,
    pub monotone: bool,
}

impl Intonation {
    /// "pitch 99 Hz over 5.3 semitones", and "(monotone)" when it is.
    pub fn figures(&self) -> String {
        format!(
            "pitch {:.0} Hz over {:.1} semitones{}",
            self.pitch.median_hz,
            self.pitch.spread_semitones,
            if self.monotone { " (monotone)" } else { "" }
        )
    }
}

/// Sounds that are always fillers.
const FILLER_SOUNDS: &[&str] = &[
    "ah", "eh", "er", "erm", "hm", "hmm", "mm", "uh", "uhm", "um", "umm",
];
/// Phrases that are fillers in speech.
const FILLER_PHRASES: &[&[&str]] = &[&["you", "know"], &["i", "mean"]];
const HEDGES: &[&[&str]] = &[
    &["i", "think"],
    &["maybe"],
    &["sort", "of"],
    // whisper writes these as heard.
    &["sorta"],
    &["kind", "of"],
    &["kinda"],
    &["i", "guess"],
    &["probably"],
    &["i", "believe"],
];

/// A filler ("um", "you know") or a hedge ("I think", "maybe") in the answer: what was said, and
/// the index of its first word.
#[derive(Debug, Clone, PartialEq)]
pub struct FillerOrHedge {
    pub kind: FillerOrHedgeKind,
    pub said: String,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FillerOrHedgeKind {
    Filler,
    Hedge,
}

/// Lower-case letters of a word, for filler matching.
pub fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn starts_with_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

/// Every filler and hedge in the answer, in order.
pub fn fillers_and_hedges(words: &[AnswerWord<'_>]) -> Vec<FillerOrHedge> {
    let bare_words: Vec<String> = words.iter().map(|w| bare(w.text)).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bare_words.len() {
        let rest = &bare_words[i..];
        let (kind, said, len) = if FILLER_SOUNDS.contains(&rest[0].as_str())
            || is_comma_like(words, i)
        {
            (FillerOrHedgeKind::Filler, as_said(&words[i..=i]), 1)
        } else if let Some(phrase) = FILLER_PHRASES.iter().find(|p| starts_with_phrase(rest, p)) {
            let len = phrase.len();
            (FillerOrHedgeKind::Filler, as_said(&words[i..i + len]), len)
        } else if let Some(phrase) = HEDGES.iter().find(|p| starts_with_phrase(rest, p)) {
            let len = phrase.len();
            (FillerOrHedgeKind::Hedge, as_said(&words[i..i + len]), len)
        } else {
            i += 1;
            continue;
        };
        found.push(FillerOrHedge {
            kind,
            said,
            index: i,
        });
        i += len;
    }
    found
}

/// Words as the speaker said them, in lower case but for "I", without punctuation ("you know",
/// "I think").
fn as_said(words: &[AnswerWord<'_>]) -> String {
    words
        .iter()
        .map(|w| {
            let word = w.text.trim_matches(|c: char| !c.is_alphanumeric());
            if word == "I" {
                word.to_owned()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "like" is a filler when set off by commas ("it's, like, a scheduler"), as whisper writes it.
fn is_comma_like(words: &[AnswerWord<'_>], i: usize) -> bool {
    let word = words[i].text.to_lowercase();
    let set_off_after = word.trim_end_matches(',') == "like" && word.ends_with(',');
    let set_off_before = i > 0 && words[i - 1].text.ends_with(',') && bare(&word) == "like";
    set_off_after || set_off_before
}
