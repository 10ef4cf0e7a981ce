//! A sentence's phonemes the way Piper makes them (piper-phonemize): espeak-ng's IPA of each
//! clause, decomposed (NFD), without espeak-ng's language-switch marks ("(fr)"), followed by the
//! clause's mark, with a space after a pause mark (`,` `;` `:`).
//!
//! Piper calls espeak-ng's library, which hands back each clause with its mark; rehearse runs the
//! program (GPL-3: run, never linked), which prints one line per clause and drops the marks, so
//! the clauses are cut here (`sentences`) and each mark is put back after its line.

use anyhow::Result;
use unicode_normalization::UnicodeNormalization;

use super::espeak;
use super::sentences::Sentence;

/// The phonemes of one sentence, ready for the voice's id map.
pub fn of_sentence(sentence: &Sentence) -> Result<Vec<char>> {
    let texts: Vec<&str> = sentence.clauses.iter().map(|c| c.text.as_str()).collect();
    // One line a clause; `-l` makes espeak-ng end a clause at each line end.
    let mut lines = ipa_lines(&texts.join("\n"))?;
    if lines.len() != texts.len() {
        // espeak-ng cut a clause of its own somewhere: ask clause by clause instead.
        lines = texts
            .iter()
            .map(|text| ipa_lines(text).map(|lines| lines.join(" ")))
            .collect::<Result<_>>()?;
    }
    let marked: Vec<(String, Option<char>)> = lines
        .into_iter()
        .zip(sentence.clauses.iter().map(|c| c.end))
        .collect();
    Ok(join_clauses(&marked))
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
