//! A sentence's phonemes the way Piper makes them (piper-phonemize): espeak-ng's IPA of each
//! clause, decomposed (NFD), without espeak-ng's language-switch marks ("(fr)"), followed by the
//! clause's mark, with a space after a pause mark (`,` `;` `:`).
//!
//! Piper calls espeak-ng's library, which hands back each clause with its mark; rehearse runs the
//! program (GPL-3: run, never linked), which prints one line per clause and drops the marks, so
//! the clauses are cut here (`sentences`) and each mark is put back after its line.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use unicode_normalization::UnicodeNormalization;

use super::espeak;
use super::sentences::Sentence;

/// The phonemes of one sentence, ready for the voice's id map.
pub fn of_sentence(sentence: &Sentence) -> Result<Vec<char>> {
    Phonemiser::default().of_sentence(sentence)
}

/// Phonemes the way Piper makes them, each clause's IPA remembered for the sentence in hand:
/// a long sentence's clauses are phonemised once to be counted (`pieces`), and that IPA is used
/// again when each piece is made, so espeak-ng runs once a sentence, not once more a piece.
#[derive(Debug, Default)]
pub struct Phonemiser {
    known: HashMap<String, String>,
}

impl Phonemiser {
    /// Let go of what was phonemised so far (a new sentence comes).
    pub fn forget(&mut self) {
        self.known.clear();
    }

    /// The phonemes of one sentence, ready for the voice's id map.
    pub fn of_sentence(&mut self, sentence: &Sentence) -> Result<Vec<char>> {
        let texts: Vec<String> = sentence.clauses.iter().map(|c| c.text.clone()).collect();
        self.learn(&texts)?;
        let marked: Vec<(String, Option<char>)> = sentence
            .clauses
            .iter()
            .map(|c| Ok((self.ipa(&c.text)?, c.end)))
            .collect::<Result<_>>()?;
        Ok(join_clauses(&marked))
    }

    /// How many phonemes each text has (its marks aside), as [`Phonemiser::of_sentence`] makes
    /// them.
    pub fn counts(&mut self, texts: &[String]) -> Result<Vec<usize>> {
        self.learn(texts)?;
        texts
            .iter()
            .map(|text| Ok(join_clauses(&[(self.ipa(text)?, None)]).len()))
            .collect()
    }

    fn ipa(&self, text: &str) -> Result<String> {
        self.known
            .get(text)
            .cloned()
            .ok_or_else(|| anyhow!("espeak-ng gave no phonemes for {text:?}"))
    }

    /// Phonemise the texts not known yet, in one run of espeak-ng.
    fn learn(&mut self, texts: &[String]) -> Result<()> {
        let mut unknown: Vec<&str> = texts
            .iter()
            .map(String::as_str)
            .filter(|text| !self.known.contains_key(*text))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if unknown.is_empty() {
            return Ok(());
        }
        for (text, ipa) in unknown.iter().zip(ipa_of_each(&unknown)?) {
            self.known.insert((*text).to_owned(), ipa);
        }
        Ok(())
    }
}

/// espeak-ng's IPA of each text (a clause, without its mark), in one run when it can.
fn ipa_of_each(texts: &[&str]) -> Result<Vec<String>> {
    // One line a clause; `-l` makes espeak-ng end a clause at each line end.
    let lines = ipa_lines(&texts.join("\n"))?;
    if lines.len() == texts.len() {
        return Ok(lines);
    }
    // espeak-ng cut a clause of its own somewhere: ask clause by clause instead.
    texts
        .iter()
        .map(|text| ipa_lines(text).map(|lines| lines.join(" ")))
        .collect()
}

fn ipa_lines(text: &str) -> Result<Vec<String>> {
    let out = espeak::run(
        &[
            "-q",
            "--ipa",
            "-v",
            espeak::LANGUAGE,
            "-l",
            "100000",
            "--stdin",
        ],
        &format!("{text}\n"),
    )?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .map(|line| line.trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect())
}

/// Clauses' IPA and marks → one sentence of phonemes, as piper-phonemize joins them.
pub fn join_clauses(clauses: &[(String, Option<char>)]) -> Vec<char> {
    let mut phonemes = Vec::new();
    for (ipa, end) in clauses {
        let mut in_language_mark = false;
        for c in ipa.nfd() {
            match c {
                '(' => in_language_mark = true,
                ')' if in_language_mark => in_language_mark = false,
                _ if in_language_mark => {}
                _ => phonemes.push(c),
            }
        }
        match end {
            Some(mark @ ('.' | '?' | '!')) => phonemes.push(*mark),
            Some(mark @ (',' | ';' | ':')) => phonemes.extend([*mark, ' ']),
            _ => {}
        }
    }
    phonemes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_get_their_marks_back_a_pause_mark_a_space_after() {
        let joined = join_clauses(&[
            ("tˈɛl mˌiː".to_owned(), Some(',')),
            ("bɹˈiːfli".to_owned(), Some('?')),
        ]);
        assert_eq!(joined.iter().collect::<String>(), "tˈɛl mˌiː, bɹˈiːfli?");
    }

    #[test]
    fn language_marks_go_and_letters_are_decomposed() {
        let joined = join_clauses(&[("(fr)ʃɑ̃(en) ç".to_owned(), None)]);
        assert_eq!(joined, vec!['ʃ', 'ɑ', '\u{303}', ' ', 'c', '\u{327}']);
    }
}
