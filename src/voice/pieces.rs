//! A long sentence cut into pieces for a voice that makes a whole piece at once. The neural
//! voice's memory grows with the speech it makes in one go (about 35 MB a second of speech),
//! and the first piece can play sooner when it is short. A sentence is cut where a speaker
//! would take a breath: at its clauses' marks (commas, semicolons, colons, brackets) first, then
//! inside a clause before a conjunction, then before a preposition, and only then at the word
//! nearest the middle, until every piece is at most a given number of phonemes. Clauses that fit
//! together stay together, so a sentence is cut only as much as it must be.
//!
//! Each piece keeps its clauses' marks, so the prosody stays: the last piece of a question still
//! ends with "?", and a cut made inside a clause closes its first part with a comma, which the
//! voice says as a pause that goes on. Pure: the caller counts the phonemes.

use anyhow::{Result, ensure};

use super::sentences::{Clause, Sentence};

/// Words before which a clause can be cut best: they open a clause of their own.
const CONJUNCTIONS: &[&str] = &[
    "and", "or", "but", "nor", "so", "yet", "because", "although", "though", "while", "whereas",
    "when", "where", "which", "who", "whose", "if", "unless", "until", "since", "than",
];

/// Words before which a clause can be cut next best: they open a phrase.
const PREPOSITIONS: &[&str] = &[
    "with", "without", "within", "for", "across", "between", "from", "into", "about", "through",
    "during", "against", "before", "after", "instead",
];

/// The phoneme counts of some texts, in order.
pub type Count<'a> = dyn FnMut(&[String]) -> Result<Vec<usize>> + 'a;

/// `sentence` cut into pieces of at most `max` phonemes as `count` counts them (a single word
/// longer than that stays whole). The pieces' clauses, read in order, say the whole sentence.
pub fn cut(sentence: &Sentence, max: usize, count: &mut Count<'_>) -> Result<Vec<Sentence>> {
    let texts: Vec<String> = sentence.clauses.iter().map(|c| c.text.clone()).collect();
    let lengths = counted(&texts, count)?;
    let mut fitted = Vec::new();
    for (clause, length) in sentence.clauses.iter().zip(lengths) {
        fit(clause.clone(), length, max, count, &mut fitted)?;
    }
    Ok(grouped(fitted, max))
}

fn counted(texts: &[String], count: &mut Count<'_>) -> Result<Vec<usize>> {
    let lengths = count(texts)?;
    ensure!(
        lengths.len() == texts.len(),
        "counted {} texts' phonemes for {}",
        lengths.len(),
        texts.len()
    );
    Ok(lengths)
}

/// `clause` (of `length` phonemes) into `fitted`, cut in two where it reads best and each half
/// fitted again, as long as it is over `max`.
fn fit(
    clause: Clause,
    length: usize,
    max: usize,
    count: &mut Count<'_>,
    fitted: &mut Vec<(Clause, usize)>,
) -> Result<()> {
    let words: Vec<&str> = clause.text.split(' ').collect();
    let Some(at) = (length > max).then(|| best_cut(&words)).flatten() else {
        fitted.push((clause, length));
        return Ok(());
    };
    let halves = [
        Clause {
            text: words[..at].join(" "),
            end: Some(','),
        },
        Clause {
            text: words[at..].join(" "),
            end: clause.end,
        },
    ];
    let lengths = counted(&[halves[0].text.clone(), halves[1].text.clone()], count)?;
    for (half, length) in halves.into_iter().zip(lengths) {
        fit(half, length, max, count, fitted)?;
    }
    Ok(())
}

/// Where to cut `words`: before the conjunction nearest the middle, else the preposition
/// nearest it, else at the middle; never so near an end that a word or two is left alone.
fn best_cut(words: &[&str]) -> Option<usize> {
    let letters = |part: &[&str]| part.iter().map(|w| w.len() + 1).sum::<usize>();
    let total = letters(words);
    // A cut that leaves a sixth of the clause on either side, and two words at least.
    let balanced = |at: usize| {
        at >= 2
            && words.len() - at >= 2
            && letters(&words[..at]) * 6 >= total
            && letters(&words[at..]) * 6 >= total
    };
    let off_middle = |at: &usize| letters(&words[..*at]).abs_diff(total / 2);
    let is_in = |list: &[&str], at: usize| {
        let word = words[at].trim_matches(|c: char| !c.is_alphanumeric());
        list.iter().any(|w| w.eq_ignore_ascii_case(word))
    };
    // Not right after another such word: "choose between | with" would split a phrase.
    let opens = |list: &[&str], at: usize| {
        is_in(list, at) && !is_in(CONJUNCTIONS, at - 1) && !is_in(PREPOSITIONS, at - 1)
    };
    let nearest = |list: &[&str]| {
        (1..words.len())
            .filter(|&at| balanced(at) && opens(list, at))
            .min_by_key(off_middle)
    };
    nearest(CONJUNCTIONS)
        .or_else(|| nearest(PREPOSITIONS))
        .or_else(|| {
            (1..words.len())
                .filter(|&at| balanced(at))
                .min_by_key(off_middle)
        })
}

/// Clauses in order, put together into pieces of at most `max` phonemes (a pause mark counts as
/// one).
fn grouped(fitted: Vec<(Clause, usize)>, max: usize) -> Vec<Sentence> {
    let mut pieces: Vec<Sentence> = Vec::new();
    let mut filled = 0;
    for (clause, length) in fitted {
        let length = length + 1;
        match pieces.last_mut() {
            Some(piece) if filled + length <= max => {
                piece.clauses.push(clause);
                filled += length;
            }
            _ => {
                pieces.push(Sentence {
                    clauses: vec![clause],
                });
                filled = length;
            }
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::super::sentences::split;
    use super::*;

    /// One phoneme a letter: enough to test where the cuts fall.
    fn letters(texts: &[String]) -> Result<Vec<usize>> {
        Ok(texts
            .iter()
            .map(|t| t.chars().filter(|c| c.is_alphabetic()).count())
            .collect())
    }

    fn pieces(text: &str, max: usize) -> Vec<String> {
        let sentence = &split(text)[0];
        cut(sentence, max, &mut letters)
            .expect("cut")
            .iter()
            .map(Sentence::text)
            .collect()
    }

    #[test]
    fn a_sentence_that_fits_is_one_piece() {
        assert_eq!(
            pieces("Tell me, briefly: why?", 60),
            vec!["Tell me, briefly: why?"]
        );
    }

    #[test]
    fn clauses_are_cut_at_their_marks_first() {
        assert_eq!(
            pieces("When a task fails, what does the scheduler do next?", 30),
            vec!["When a task fails,", "what does the scheduler do next?"]
        );
    }

    #[test]
    fn a_long_clause_is_cut_before_a_conjunction_and_keeps_its_question_mark() {
        assert_eq!(
            pieces(
                "Can I operate container instances with different security settings or segregate different tasks across different environments?",
                70
            ),
            vec![
                "Can I operate container instances with different security settings,",
                "or segregate different tasks across different environments?"
            ]
        );
    }

    #[test]
    fn without_a_conjunction_a_preposition_then_the_middle() {
        assert_eq!(
            pieces(
                "Describe the deployment pipeline for the payments service.",
                30
            ),
            vec![
                "Describe the deployment pipeline,",
                "for the payments service."
            ]
        );
        assert_eq!(
            pieces(
                "Tell me everything important regarding container orchestration today.",
                40
            ),
            vec![
                "Tell me everything important,",
                "regarding container orchestration today."
            ]
        );
    }

    #[test]
    fn a_word_longer_than_the_limit_stays_whole() {
        assert_eq!(
            pieces("Supercalifragilistic!", 5),
            vec!["Supercalifragilistic!"]
        );
    }

    /// Every bundled question, normalised as the voice gets it, cut with `count` into pieces of
    /// at most `max`: each piece fits (or is one word), the pieces say the sentence's words in
    /// order, a question's last piece still ends with "?", and every piece before a sentence's
    /// last ends with a pause mark. Returns how many sentences had to be cut.
    fn every_bundled_question_cut(max: usize, count: &mut Count<'_>) -> Result<usize> {
        let bank = crate::bank::load(&[crate::bank::BankLocation::bundled()])?.bank;
        let glossary = super::super::Glossary::new();
        let mut cut_sentences = 0;
        for question in &bank.questions {
            let said = super::super::normalise::normalise(&question.question, &glossary);
            for sentence in split(&said) {
                let pieces = cut(&sentence, max, count)?;
                cut_sentences += usize::from(pieces.len() > 1);
                let words = |text: &str| {
                    text.split_whitespace()
                        .map(|w| {
                            w.trim_end_matches([',', '.', '?', '!', ';', ':'])
                                .to_owned()
                        })
                        .collect::<Vec<_>>()
                };
                let joined: Vec<String> = pieces.iter().map(Sentence::text).collect();
                assert_eq!(words(&joined.join(" ")), words(&sentence.text()), "{said}");
                for piece in &pieces {
                    let texts: Vec<String> = piece.clauses.iter().map(|c| c.text.clone()).collect();
                    let length: usize = count(&texts)?.iter().sum::<usize>() + texts.len() - 1;
                    let one_word = piece.text().split_whitespace().count() == 1;
                    assert!(
                        length <= max || one_word,
                        "{length} > {max}: {}",
                        piece.text()
                    );
                }
                let (last, before) = pieces.split_last().expect("a piece");
                assert_eq!(
                    last.clauses.last().and_then(|c| c.end),
                    sentence.clauses.last().and_then(|c| c.end)
                );
                for piece in before {
                    let end = piece.clauses.last().and_then(|c| c.end);
                    assert!(matches!(end, Some(',' | ';' | ':')), "{}", piece.text());
                }
            }
        }
        Ok(cut_sentences)
    }

    #[test]
    fn every_bundled_question_cut_by_letters() -> Result<()> {
        // A tight limit, so that many questions are cut, and some inside a clause.
        assert!(every_bundled_question_cut(40, &mut letters)? >= 10);
        Ok(())
    }

    #[test]
    #[ignore = "needs espeak-ng: scripts/test runs it"]
    fn every_bundled_question_cut_by_the_voices_phonemes() -> Result<()> {
        let max = super::super::piper::MAX_PHONEMES;
        // The bank's longest questions are over the limit: they are cut.
        let mut phonemiser = super::super::phonemes::Phonemiser::default();
        let mut count = |texts: &[String]| phonemiser.counts(texts);
        assert!(every_bundled_question_cut(max, &mut count)? >= 2);
        Ok(())
    }

    #[test]
    fn a_count_that_loses_texts_is_an_error() {
        let sentence = &split("One, two.")[0];
        assert!(cut(sentence, 1, &mut |_| Ok(vec![1])).is_err());
    }
}
