//! A key point the ears may have lost. whisper gives each word a probability, and a correction to
//! a glossary term is a guess too: where a point was not found, but the answer's words where it
//! would be are faint (below [`UNSURE_P`](crate::transcript::UNSURE_P)) or corrected, the point is
//! "not clearly heard": the user may well have said it ("HIPAA eligible" written "hyper
//! eligible", "hyper" at 0.2). The score neither credits it nor holds it against the answer.
//!
//! The faint words stand in for the point's words that were not heard clearly, one word each,
//! within a stretch as long as the point and a little more, and they must sound like the words
//! they stand in for ("far gay" for "Fargate"), so that a faint word does not excuse any point.
//! Where at least half the point's words were heard clearly right there, a rougher likeness is
//! enough ("dog" for "Docker" beside "containers" is not, "hyper" for "HIPAA" beside "eligible"
//! is).

use std::ops::Range;

use super::analysed::Analysed;
use super::matcher::{Phrase, WORD_MATCH, word_similarity};
use crate::text::Token;
use crate::text::sound::sound_key;
use crate::transcript::AnswerWord;

/// How many more answer tokens than the point has its words may be spread over.
const SPREAD: usize = 2;
/// Faint words sound like the words they stand in for when their sound keys are at most this far
/// apart, as a share of the longer key; and when at least half the point was heard clearly beside
/// them. Measured on spoken answers (BENCHMARKS.md, "Ears"): with any faint word standing in
/// beside half a point, "enough" stood in for "control".
const MAX_SOUND_DISTANCE: f64 = 0.34;
const MAX_SOUND_DISTANCE_BESIDE_HALF: f64 = 0.5;

/// Where in the answer a point that was not found would be, when whisper was unsure of the words
/// there: a range of `words` (the answer's words, with their probabilities). The first phrasing
/// (the point, then its aliases) that fits wins.
pub fn place(
    phrasings: &[Phrase],
    answer: &Analysed<'_>,
    words: &[AnswerWord<'_>],
) -> Option<Range<usize>> {
    // Function words say too little to stand in for a point's word.
    let faint: Vec<bool> = answer
        .tokens
        .iter()
        .map(|t| {
            !t.is_stop_word()
                && words
                    .get(t.word)
                    .is_some_and(|w| w.is_unsure() || w.heard.is_some())
        })
        .collect();
    phrasings
        .iter()
        .filter(|p| !p.is_empty())
        .find_map(|phrase| {
            let width = phrase.tokens().len() + SPREAD;
            // Around the first faint word that fits, the tightest stretch.
            (0..answer.tokens.len())
                .filter(|&at| faint[at])
                .find_map(|at| {
                    (at.saturating_sub(width - 1)..=at)
                        .filter_map(|start| {
                            let end = (start + width).min(answer.tokens.len());
                            let used =
                                stand_in(phrase, &answer.tokens[start..end], &faint[start..end])?;
                            Some(start + used.start..start + used.end)
                        })
                        .min_by_key(|used| used.len())
                })
                .map(|used| answer.tokens[used.start].word..answer.tokens[used.end - 1].word + 1)
        })
}

/// Whether the faint tokens of a stretch can stand in for the phrase's words its clear tokens do
/// not say; if so, the tokens used (the clear ones that match and the faint ones), as a range of
/// the stretch.
fn stand_in(phrase: &Phrase, tokens: &[Token], faint: &[bool]) -> Option<Range<usize>> {
    let clear_match = |wanted: &Token| {
        tokens
            .iter()
            .zip(faint)
            .position(|(t, &f)| !f && word_similarity(wanted, t) >= WORD_MATCH)
    };
    let mut used: Vec<usize> = (0..tokens.len()).filter(|&i| faint[i]).collect();
    let mut unheard: Vec<&Token> = Vec::new();
    for wanted in phrase.tokens() {
        match clear_match(wanted) {
            Some(i) => used.push(i),
            None => unheard.push(wanted),
        }
    }
    let stand_ins: Vec<&Token> = tokens
        .iter()
        .zip(faint)
        .filter(|(_, f)| **f)
        .map(|(t, _)| t)
        .collect();
    if unheard.is_empty() || stand_ins.len() < unheard.len() {
        return None;
    }
    let heard_clearly = phrase.tokens().len() - unheard.len();
    let limit = if 2 * heard_clearly >= phrase.tokens().len() {
        MAX_SOUND_DISTANCE_BESIDE_HALF
    } else {
        MAX_SOUND_DISTANCE
    };
    if !sounds_alike(&unheard, &stand_ins, limit) {
        return None;
    }
    Some(*used.iter().min()?..*used.iter().max()? + 1)
}

/// The faint words, said together, sound like the missing words said together: their sound
/// keys at most `limit` apart, as a share of the longer.
fn sounds_alike(missing: &[&Token], faint: &[&Token], limit: f64) -> bool {
    let key =
        |tokens: &[&Token]| sound_key(&tokens.iter().map(|t| t.text.as_str()).collect::<String>());
    let (wanted, heard) = (key(missing), key(faint));
    let longer = wanted.chars().count().max(heard.chars().count()).max(1);
    strsim::levenshtein(&wanted, &heard) as f64 / longer as f64 <= limit
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer whose words have the given probabilities (1 where none is given), the
    /// corrected ones marked with what whisper wrote.
    fn heard<'a>(
        text: &'a str,
        faint: &[(&str, f32)],
        corrected: &[&'a str],
    ) -> Vec<AnswerWord<'a>> {
        text.split_whitespace()
            .enumerate()
            .map(|(i, word)| AnswerWord {
                text: word,
                start_s: Some(i as f64 * 0.4),
                end_s: Some(i as f64 * 0.4 + 0.3),
                p: Some(
                    faint
                        .iter()
                        .find(|(w, _)| *w == word)
                        .map_or(0.95, |(_, p)| *p),
                ),
                heard: corrected.contains(&word).then_some("PCS"),
            })
            .collect()
    }

    fn unclear_at(point: &str, words: &[AnswerWord<'_>]) -> Option<String> {
        let answer = Analysed::new(words.iter().map(|w| w.text).collect());
        place(&[Phrase::new(point)], &answer, words).map(|r| answer.quote(r))
    }

    #[test]
    fn a_faint_word_where_the_rest_of_the_point_was_heard_makes_it_unclear() {
        let words = heard(
            "ECS is hyper eligible so you can run PHI",
            &[("hyper", 0.2)],
            &[],
        );
        assert_eq!(
            unclear_at("HIPAA eligible", &words).as_deref(),
            Some("hyper eligible")
        );
        // Heard clearly, the same words are a point missed.
        let sure = heard("ECS is hyper eligible so you can run PHI", &[], &[]);
        assert_eq!(unclear_at("HIPAA eligible", &sure), None);
    }

    #[test]
    fn a_faint_word_beside_half_the_point_must_still_sound_like_the_rest() {
        let words = heard(
            "you get enough instances to run it",
            &[("enough", 0.2)],
            &[],
        );
        assert_eq!(unclear_at("control over the instances", &words), None);
    }

    #[test]
    fn a_faint_stretch_that_sounds_like_the_point_stands_in_for_all_of_it() {
        let words = heard(
            "you can run it on far gay instead",
            &[("far", 0.25), ("gay", 0.1)],
            &[],
        );
        assert_eq!(unclear_at("Fargate", &words).as_deref(), Some("far gay"));
        // A faint word that sounds nothing like the point excuses nothing.
        let other = heard(
            "you can run it on servers instead",
            &[("servers", 0.1)],
            &[],
        );
        assert_eq!(unclear_at("Fargate", &other), None);
    }

    #[test]
    fn faint_function_words_and_faint_words_elsewhere_excuse_nothing() {
        // "is" is faint right before "eligible", but a function word stands in for no term.
        let words = heard("ECS is eligible for that", &[("is", 0.1)], &[]);
        assert_eq!(unclear_at("HIPAA eligible", &words), None);
        // The faint word is far from where the point's other word was heard.
        let far = heard(
            "eligible workloads need a lot of care and the setup is fiddly",
            &[("fiddly", 0.1)],
            &[],
        );
        assert_eq!(unclear_at("HIPAA eligible", &far), None);
    }

    #[test]
    fn a_correction_where_the_point_would_be_is_unsure_too() {
        // whisper wrote "PCS", corrected to "ECS"; the user may have said "EKS".
        let words = heard("we run it on an ECS cluster", &[], &["ECS"]);
        assert_eq!(
            unclear_at("EKS cluster", &words).as_deref(),
            Some("ECS cluster")
        );
    }

    #[test]
    fn typed_words_are_never_faint() {
        let typed = crate::transcript::Transcript::typed("ECS is hyper eligible");
        assert_eq!(unclear_at("HIPAA eligible", &typed.words()), None);
    }
}
