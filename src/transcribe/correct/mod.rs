//! After decoding: words whisper wrote that sound like a glossary term, and are not a reading of
//! ordinary English, are rewritten to the term ("PCS" → "ECS", "SQ S" → "SQS", "E.C.S." → "ECS",
//! "Kubernetis" → "Kubernetes"). Each rewritten word keeps what whisper wrote in
//! [`Word::heard`], so the review can show it and the user can overrule it.
//!
//! Guardrails, so that general English comes through untouched:
//! - nothing is corrected in an answer that names none of the glossary's terms as they are
//!   written: speech about something else gets no term put into it;
//! - ordinary English words (whisper's vocabulary has them whole: "dynamite", "hyper", "bean",
//!   "stock", "a") are never rewritten by sound; leaning the decoder toward the terms
//!   ([`super::bias`]) is what recovers those. They may only be read as what they spell: words
//!   written apart that make a term letter for letter ("Cloud Watch", "gov cloud": CloudWatch,
//!   GovCloud) when whisper wrote them as a name or one of them is no word, or that are how the
//!   term is said and spell it ("cloud watch", "elastic cache"), but not a call's verb and
//!   object ("run task" stays) ([`apart`]); and an "a" or a digit's word beside spelled letters
//!   that make a term exactly ("a WS", "EC two");
//! - an acronym is rewritten only to one of the same length, at most one letter off, where the
//!   two letters rhyme (P and E, B and E: "pee", "ee", "bee"), and never a common one ("CEO")
//!   ([`spelled`]);
//! - whisper's punctuation inside a heard phrase ("SL, a") is crossed only by letters that
//!   spell a term exactly;
//! - a word is rewritten only to a term that sounds almost the same and starts with the same
//!   sound.

mod apart;
mod spelled;

use std::borrow::Cow;

use crate::glossary::{Glossary, Term};
use crate::text::sound::sound_key;
use crate::transcript::{Segment, Word};

use apart::written_apart;
use spelled::{is_common_acronym, spelled, spelled_chars, spelled_term};

/// Words of a heard phrase that may become one term.
const MAX_WORDS: usize = 4;
/// How far apart two sound keys may be, as a share of the longer one.
const MAX_SOUND_DISTANCE: f64 = 0.25;
/// A term shorter than this (in letters) is only matched by its letters: short words sound
/// like too many others.
const MIN_WORD_TERM: usize = 5;

/// Rewrite, in place, what sounds like a glossary term. `ordinary(word)` says whether a
/// lower-case word is ordinary English.
pub fn correct(segments: &mut [Segment], glossary: &Glossary, ordinary: &dyn Fn(&str) -> bool) {
    let names_a_term = segments
        .iter()
        .flat_map(|s| &s.words)
        .any(|w| term_of(glossary, &bare(&w.word)).is_some());
    if !names_a_term {
        return;
    }
    let mut corrected = vec![false; segments.len()];
    for s in 0..segments.len() {
        let mut i = 0;
        while i < segments[s].words.len() {
            let run = run_from(segments, s, i);
            if let Some((taken, term)) = best_match(&run, glossary, ordinary) {
                let word = merged(&run[..taken], term);
                let here = taken.min(segments[s].words.len() - i);
                segments[s].end_s = segments[s].end_s.max(word.end_s);
                segments[s].words.splice(i..i + here, [word]);
                corrected[s] = true;
                if let Some(next) = segments.get_mut(s + 1).filter(|_| taken > here) {
                    next.words.drain(..taken - here);
                    next.start_s = next.words.first().map_or(next.start_s, |w| w.start_s);
                    corrected[s + 1] = true;
                }
            }
            i += 1;
        }
    }
    for (segment, _) in segments.iter_mut().zip(corrected).filter(|(_, c)| *c) {
        segment.text = segment
            .words
            .iter()
            .map(|w| w.word.as_str())
            .collect::<Vec<_>>()
            .join(" ");
    }
}

/// The words that may make a term from word `i` of segment `s` on: whisper may end a segment
/// inside a phrase ("a double" | "US first"), so when the segment's last word carries no
/// punctuation the run goes on into the next segment, leaving that segment a word at least.
/// Within a segment the words are borrowed; only a run across two is copied.
fn run_from(segments: &[Segment], s: usize, i: usize) -> Cow<'_, [Word]> {
    let words = &segments[s].words;
    let open_ended = words
        .last()
        .is_some_and(|w| w.word.ends_with(|c: char| c.is_alphanumeric()));
    let room = |next: &Segment| {
        MAX_WORDS
            .saturating_sub(words.len() - i)
            .min(next.words.len().saturating_sub(1))
    };
    match segments
        .get(s + 1)
        .filter(|next| open_ended && room(next) > 0)
    {
        Some(next) => words[i..]
            .iter()
            .chain(next.words.iter().take(room(next)))
            .cloned()
            .collect(),
        None => Cow::Borrowed(&words[i..]),
    }
}

/// The longest run of words at the start of `words` that sounds like a term, and the term.
fn best_match<'g>(
    words: &[Word],
    glossary: &'g Glossary,
    ordinary: &dyn Fn(&str) -> bool,
) -> Option<(usize, &'g Term)> {
    if words.first().is_some_and(|w| w.heard.is_some()) {
        return None;
    }
    for taken in (1..=MAX_WORDS.min(words.len())).rev() {
        let run = &words[..taken];
        // Punctuation inside a run: "ECS. So" is two things, "SL, a" may be one.
        let punctuated = run[..taken - 1]
            .iter()
            .any(|w| w.word.ends_with(|c: char| !c.is_alphanumeric()));
        let parts: Vec<String> = run.iter().map(|w| bare(&w.word)).collect();
        if parts.iter().any(String::is_empty)
            || parts
                .iter()
                .any(|p| term_of(glossary, p).is_some() && (taken == 1 || !is_common_acronym(p)))
        {
            continue;
        }
        if let Some(term) = sounds_like(&parts, punctuated, glossary, ordinary) {
            return Some((taken, term));
        }
    }
    None
}

/// The term that heard words `parts` (bare, as written; `punctuated` when whisper put
/// punctuation between them) stand for, under the guardrails.
fn sounds_like<'g>(
    parts: &[String],
    punctuated: bool,
    glossary: &'g Glossary,
    ordinary: &dyn Fn(&str) -> bool,
) -> Option<&'g Term> {
    if let Some(letters) = spelled(parts) {
        return spelled_term(&letters, glossary.terms(), parts.len() == 1, punctuated);
    }
    if punctuated {
        return None;
    }
    if let Some(term) = written_apart(parts, glossary, ordinary) {
        return Some(term);
    }
    if parts.iter().any(|p| ordinary(&p.to_lowercase())) {
        return None;
    }
    let heard = sound_key(&parts.concat());
    glossary
        .terms()
        .iter()
        .filter(|term| spelled_chars(term).is_none() && term.text.len() >= MIN_WORD_TERM)
        .map(|term| (term, sound_key(&term.said)))
        .filter(|(_, key)| key.chars().next() == heard.chars().next())
        .map(|(term, key)| {
            let distance = strsim::levenshtein(&key, &heard) as f64;
            (term, distance / key.len().max(heard.len()) as f64)
        })
        .filter(|(_, distance)| *distance <= MAX_SOUND_DISTANCE)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(term, _)| term)
}

/// The glossary term a bare word is, allowing an acronym's plural ("VPCs").
fn term_of<'g>(glossary: &'g Glossary, word: &str) -> Option<&'g Term> {
    glossary.find(word).or_else(|| {
        word.strip_suffix('s')
            .filter(|stem| stem.chars().all(|c| c.is_ascii_uppercase()))
            .and_then(|stem| glossary.find(stem))
    })
}

/// A word without the punctuation around it ("E.C.S." → "E.C.S").
fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned()
}

/// The words of a run made into the one term, timed across them, keeping what was heard.
fn merged(run: &[Word], term: &Term) -> Word {
    let heard = run
        .iter()
        .map(|w| w.word.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let last = run.last().map_or("", |w| w.word.as_str());
    let mut trailing: String = last
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // The last dot of "E.C.S." belongs to the letters.
    if last.len() >= 4 && last.chars().nth(1) == Some('.') && trailing.starts_with('.') {
        trailing.remove(0);
    }
    let leading: String = heard.chars().take_while(|c| !c.is_alphanumeric()).collect();
    Word {
        word: format!("{leading}{}{trailing}", term.text),
        start_s: run.first().map_or(0.0, |w| w.start_s),
        end_s: run.last().map_or(0.0, |w| w.end_s),
        p: run.iter().map(|w| w.p).fold(1.0, f32::min),
        heard: Some(heard),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::from_pairs([
            ("ECS", "E C S"),
            ("SQS", "S Q S"),
            ("AWS", "A W S"),
            ("Kubernetes", "Kubernetes"),
            ("DynamoDB", "Dynamo D B"),
            ("HIPAA", "hippa"),
            ("SLA", "S L A"),
            ("EC2", "E C two"),
            ("API", "A P I"),
            ("GovCloud", "Gov Cloud"),
            ("CloudWatch", "Cloud Watch"),
            ("RunTask", "Run Task"),
            // A bank's "GovCloud (US)".
            ("US", "U S"),
        ])
    }

    /// Ordinary English for these tests: what a dictionary would list.
    fn ordinary(word: &str) -> bool {
        [
            "is", "the", "hyper", "eligible", "dynamite", "we", "ran", "on", "eggs", "and", "a",
            "bean", "stock", "i", "like", "so", "runs", "tasks", "two", "to", "in", "with", "run",
            "task", "cloud", "watch", "promise", "me", "sent", "it", "has", "an",
        ]
        .contains(&word)
    }

    fn heard(text: &str) -> Vec<Segment> {
        heard_in(&[text])
    }

    /// Segments as whisper cut them, a word a second.
    fn heard_in(texts: &[&str]) -> Vec<Segment> {
        let mut at = 0.0;
        let mut segments = Vec::new();
        for text in texts {
            let start_s = at;
            let words = text
                .split_whitespace()
                .map(|w| {
                    at += 1.0;
                    Word {
                        word: w.to_owned(),
                        start_s: at - 1.0,
                        end_s: at - 0.5,
                        p: 0.9,
                        heard: None,
                    }
                })
                .collect();
            segments.push(Segment {
                start_s,
                end_s: at,
                text: (*text).to_owned(),
                words,
            });
        }
        segments
    }

    fn corrected(text: &str) -> String {
        let mut segments = heard(text);
        correct(&mut segments, &glossary(), &ordinary);
        segments[0].text.clone()
    }

    #[test]
    fn near_misses_of_terms_are_rewritten_and_keep_what_was_heard() {
        let mut segments =
            heard("So AWS runs PCS tasks and SQ S, E.C.S. and Kubernetis on a double U-S.");
        correct(&mut segments, &glossary(), &ordinary);
        assert_eq!(
            segments[0].text,
            "So AWS runs ECS tasks and SQS, ECS and Kubernetes on AWS."
        );
        let changed: Vec<(&str, &str, f64)> = segments[0]
            .words
            .iter()
            .filter_map(|w| Some((w.heard.as_deref()?, w.word.as_str(), w.start_s)))
            .collect();
        assert_eq!(
            changed,
            [
                ("PCS", "ECS", 3.0),
                ("SQ S,", "SQS,", 6.0),
                ("E.C.S.", "ECS", 8.0),
                ("Kubernetis", "Kubernetes", 10.0),
                ("a double U-S.", "AWS.", 12.0)
            ]
        );
    }

    #[test]
    fn ordinary_english_that_sounds_like_a_term_stays() {
        // "dynamite" and "hyper" are words; "eggs" sounds like ECS but is food.
        assert_eq!(
            corrected("AWS is the hyper eligible dynamite and I like eggs"),
            "AWS is the hyper eligible dynamite and I like eggs"
        );
        // A common acronym one letter off a term stays.
        assert_eq!(corrected("AWS has a CEO"), "AWS has a CEO");
        // Letters that do not rhyme are another acronym.
        assert_eq!(corrected("AWS and EKS"), "AWS and EKS");
    }

    #[test]
    fn speech_that_names_no_term_gets_none_put_in() {
        assert_eq!(
            corrected("he ran PCS and Kubernetis on eggs"),
            "he ran PCS and Kubernetis on eggs"
        );
    }

    #[test]
    fn letters_split_by_punctuation_or_read_as_words_make_a_term_spelled_exactly() {
        let mut segments = heard(
            "So a WS runs ECS on EC, 2 and EC two in Gov Cloud with Cloud Watch and an SL, a promise",
        );
        correct(&mut segments, &glossary(), &ordinary);
        assert_eq!(
            segments[0].text,
            "So AWS runs ECS on EC2 and EC2 in GovCloud with CloudWatch and an SLA promise"
        );
        let heard_as: Vec<&str> = segments[0]
            .words
            .iter()
            .filter_map(|w| w.heard.as_deref())
            .collect();
        assert_eq!(
            heard_as,
            [
                "a WS",
                "EC, 2",
                "EC two",
                "Gov Cloud",
                "Cloud Watch",
                "SL, a"
            ]
        );
    }

    #[test]
    fn ordinary_words_beside_letters_or_apart_stay_unless_they_spell_a_term_exactly() {
        // Lower-case English words written apart stay, though together they are a term, unless
        // they are its name said piece by piece.
        assert_eq!(
            corrected("ECS can run task definitions and cloud watch"),
            "ECS can run task definitions and CloudWatch"
        );
        assert_eq!(
            corrected("the cloud will watch over us"),
            "the cloud will watch over us"
        );
        // An "a" or a "to" beside letters one rhyming letter off a term: no term.
        assert_eq!(
            corrected("ECS sent me a PC to it and a PS"),
            "ECS sent me a PC to it and a PS"
        );
        // Punctuation splits words that only sound like a term, and letters that rhyme.
        assert_eq!(
            corrected("ECS and Kuber, netis and P, CS"),
            "ECS and Kuber, netis and P, CS"
        );
    }

    #[test]
    fn a_term_whisper_cut_between_two_segments_is_read_whole_unless_punctuation_ends_the_first() {
        let mut segments = heard_in(&["ECS needs an agreement with a double", "US first, so"]);
        correct(&mut segments, &glossary(), &ordinary);
        assert_eq!(segments[0].text, "ECS needs an agreement with AWS");
        assert_eq!(segments[0].words[5].heard.as_deref(), Some("a double US"));
        assert_eq!(segments[0].end_s, 7.5);
        assert_eq!(
            (segments[1].text.as_str(), segments[1].start_s),
            ("first, so", 8.0)
        );

        let mut segments = heard_in(&["ECS runs on a double.", "US first, so"]);
        correct(&mut segments, &glossary(), &ordinary);
        assert_eq!(segments[0].text, "ECS runs on a double.");
        // A segment is never left without words.
        let mut segments = heard_in(&["ECS runs with a double", "US"]);
        correct(&mut segments, &glossary(), &ordinary);
        assert_eq!(segments[1].text, "US");
    }

    #[test]
    fn a_common_acronym_the_bank_names_does_not_keep_letters_apart() {
        assert_eq!(
            corrected("ECS in GovCloud US and a double US runs it"),
            "ECS in GovCloud US and AWS runs it"
        );
    }

    #[test]
    fn double_u_written_with_a_dash_is_the_letter_w() {
        assert_eq!(
            corrected("ECS and a double-us region"),
            "ECS and AWS region"
        );
        assert_eq!(
            corrected("ECS and a double-S region"),
            "ECS and a double-S region"
        );
    }
}
