//! After decoding: words whisper wrote that sound like a glossary term, and are not a reading of
//! ordinary English, are rewritten to the term ("PCS" → "ECS", "SQ S" → "SQS", "E.C.S." → "ECS",
//! "Kubernetis" → "Kubernetes"). Each rewritten word keeps what whisper wrote in
//! [`Word::heard`], so the review can show it and the user can overrule it.
//!
//! Guardrails, so that general English comes through untouched:
//! - nothing is corrected in an answer that names none of the glossary's terms as they are
//!   written: speech about something else gets no term put into it;
//! - ordinary English words (whisper's vocabulary has them whole: "dynamite", "hyper", "bean",
//!   "stock", "a") are never part of what is rewritten; leaning the decoder toward the terms
//!   ([`super::bias`]) is what recovers those;
//! - an acronym is rewritten only to one of the same length, at most one letter off, where the
//!   two letters rhyme (P and E, B and E: "pee", "ee", "bee"), and never a common one ("CEO");
//! - a word is rewritten only to a term that sounds almost the same and starts with the same
//!   sound.

use crate::glossary::{Glossary, Term};
use crate::text::sound::sound_key;
use crate::transcript::{Segment, Word};

/// Words of a heard phrase that may become one term.
const MAX_WORDS: usize = 4;
/// How far apart two sound keys may be, as a share of the longer one.
const MAX_SOUND_DISTANCE: f64 = 0.25;
/// A term shorter than this (in letters) is only matched by its letters: short words sound
/// like too many others.
const MIN_WORD_TERM: usize = 5;

/// Acronyms of ordinary speech: never rewritten to a term one letter away.
const COMMON_ACRONYMS: &[&str] = &[
    "CEO", "CTO", "CFO", "USA", "FAQ", "DIY", "ETA", "PDF", "ASAP", "FYI", "TBD", "BBC", "CNN",
    "NBA", "NFL", "GPS", "DVD", "ATM", "PIN", "VIP", "RSVP", "TV", "PC", "OK", "UK", "US", "AM",
    "PM", "HR", "IT", "PR", "ID",
];

/// Letters that sound alike said on their own.
const RHYMING_LETTERS: &[&str] = &["BCDEGPTVZ", "AJK", "FSX", "MN", "IY", "QUW"];

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
    for segment in segments {
        let mut corrected = false;
        let mut i = 0;
        while i < segment.words.len() {
            if let Some((taken, term)) = best_match(&segment.words[i..], glossary, ordinary) {
                let word = merged(&segment.words[i..i + taken], term);
                segment.words.splice(i..i + taken, [word]);
                corrected = true;
            }
            i += 1;
        }
        if corrected {
            segment.text = segment
                .words
                .iter()
                .map(|w| w.word.as_str())
                .collect::<Vec<_>>()
                .join(" ");
        }
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
        // Punctuation inside a run splits it: "ECS. So" is two things.
        if run[..taken - 1]
            .iter()
            .any(|w| w.word.ends_with(|c: char| !c.is_alphanumeric()))
        {
            continue;
        }
        let parts: Vec<String> = run.iter().map(|w| bare(&w.word)).collect();
        if parts.iter().any(String::is_empty)
            || parts.iter().any(|p| term_of(glossary, p).is_some())
        {
            continue;
        }
        if let Some(term) = sounds_like(&parts, glossary, ordinary) {
            return Some((taken, term));
        }
    }
    None
}

/// The term that heard words `parts` (bare, as written) stand for, under the guardrails.
fn sounds_like<'g>(
    parts: &[String],
    glossary: &'g Glossary,
    ordinary: &dyn Fn(&str) -> bool,
) -> Option<&'g Term> {
    if let Some(letters) = spelled_letters(parts) {
        let joined: String = letters.iter().collect();
        if COMMON_ACRONYMS.contains(&joined.as_str()) && parts.len() == 1 {
            return None;
        }
        return glossary.terms().iter().find(|term| {
            let Some(term_letters) = acronym_letters(term) else {
                return false;
            };
            term_letters.len() == letters.len()
                && (term_letters == letters
                    || (letters.len() >= 3 && one_rhyming_letter_off(&term_letters, &letters)))
        });
    }
    if parts.iter().any(|p| ordinary(&p.to_lowercase())) {
        return None;
    }
    let heard = sound_key(&parts.concat());
    glossary
        .terms()
        .iter()
        .filter(|term| acronym_letters(term).is_none() && term.text.len() >= MIN_WORD_TERM)
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

/// The letters of words that are spelled out: all capitals, 1 to 4 letters each ("SQ S",
/// "A WS", "PCS"); `None` if any is a word.
fn spelled_letters(parts: &[String]) -> Option<Vec<char>> {
    let letters_of = |part: &str| -> Vec<char> {
        part.chars()
            .filter(|c| !matches!(c, '.' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let is_double = |part: &String| part.eq_ignore_ascii_case("double");
    let mut letters = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if is_double(part) {
            // "double U" is how W is said: "a double U S" is AWS.
            let after = letters_of(parts.get(i + 1)?);
            if after.first() != Some(&'U') {
                return None;
            }
            letters.push('W');
            letters.extend(&after[1..]);
            i += 2;
            continue;
        }
        let said_a = part == "a" && parts.get(i + 1).is_some_and(is_double);
        let capitals = part
            .chars()
            .filter(|c| !matches!(c, '.' | '-'))
            .all(|c| c.is_ascii_uppercase());
        let part_letters = letters_of(part);
        let spelled = capitals && (1..=4).contains(&part_letters.len());
        if !(said_a || spelled) {
            return None;
        }
        letters.extend(part_letters);
        i += 1;
    }
    // A lone "A" or "I" is a word.
    (letters.len() >= 2 && letters.iter().all(char::is_ascii_uppercase)).then_some(letters)
}

/// The letters of a term said letter by letter ("ECS", "SQS", "vCPU"); `None` for a word, a
/// mixed token, or capitals said as a word (HIPAA, "hippa").
fn acronym_letters(term: &Term) -> Option<Vec<char>> {
    let letters: Vec<char> = term.text.to_ascii_uppercase().chars().collect();
    let spelled = letters
        .iter()
        .map(char::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    (letters.len() >= 2
        && letters.iter().all(char::is_ascii_uppercase)
        && term.said.eq_ignore_ascii_case(&spelled))
    .then_some(letters)
}

fn one_rhyming_letter_off(term: &[char], heard: &[char]) -> bool {
    let differing: Vec<(char, char)> = term
        .iter()
        .zip(heard)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (*a, *b))
        .collect();
    matches!(differing.as_slice(), [(a, b)]
        if RHYMING_LETTERS.iter().any(|set| set.contains(*a) && set.contains(*b)))
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
        ])
    }

    /// Ordinary English for these tests: what a dictionary would list.
    fn ordinary(word: &str) -> bool {
        [
            "is", "the", "hyper", "eligible", "dynamite", "we", "ran", "on", "eggs", "and", "a",
            "bean", "stock", "i", "like", "so", "runs", "tasks",
        ]
        .contains(&word)
    }

    fn heard(text: &str) -> Vec<Segment> {
        let words = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                word: w.to_owned(),
                start_s: i as f64,
                end_s: i as f64 + 0.5,
                p: 0.9,
                heard: None,
            })
            .collect();
        vec![Segment {
            start_s: 0.0,
            end_s: 10.0,
            text: text.to_owned(),
            words,
        }]
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
}
