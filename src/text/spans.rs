//! Cutting text into the stretches that are compared by meaning: sentences, the clauses inside
//! them, and overlapping windows of clauses too long to be one thought (speech transcribed
//! without punctuation runs on for dozens of words).
//!
//! Spans are ranges of word indices, so that what matched can be quoted word for word and timed
//! with the words' timestamps.

use std::ops::Range;

/// Words that open a new clause: a point is often made in one of these.
const CLAUSE_OPENERS: &[&str] = &[
    "although", "and", "because", "but", "so", "since", "though", "whereas", "which", "while",
];
/// A clause shorter than this joins its neighbour: two words rarely make a point on their own.
const MIN_CLAUSE_WORDS: usize = 3;
/// Clauses longer than this are also seen through windows of [`WINDOW_WORDS`], every
/// [`WINDOW_STEP`] words: a sentence embedding of 40 words blurs the one point inside it.
const LONG_CLAUSE_WORDS: usize = 18;
const WINDOW_WORDS: usize = 12;
const WINDOW_STEP: usize = 6;

/// The word ends a sentence: "." "?" "!" ";" or ":" at its end (a decimal point inside a number
/// is not at the end).
fn ends_sentence(word: &str) -> bool {
    word.ends_with(['.', '?', '!', ';', ':'])
}

/// A bullet ("-", "*", "•") before a word starts a new sentence, as in pasted notes.
fn is_bullet(word: &str) -> bool {
    word.starts_with(['-', '*', '•'])
}

fn bare_lower(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The sentences of a text given as words: ranges that cover every word once.
pub fn sentences<S: AsRef<str>>(words: &[S]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, word) in words.iter().enumerate() {
        let word = word.as_ref();
        if i > start && is_bullet(word) {
            out.push(start..i);
            start = i;
        }
        if ends_sentence(word) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < words.len() {
        out.push(start..words.len());
    }
    out
}

/// The clauses of one sentence: cut after commas and before words that open a clause; a
/// piece shorter than [`MIN_CLAUSE_WORDS`] stays with the piece before it (or after it, at the
/// start).
pub fn clauses<S: AsRef<str>>(words: &[S], sentence: Range<usize>) -> Vec<Range<usize>> {
    let mut cuts = vec![sentence.start];
    for i in sentence.clone() {
        let word = words[i].as_ref();
        let opens = i > sentence.start
            && CLAUSE_OPENERS.contains(&bare_lower(word).as_str())
            && !words[i - 1].as_ref().ends_with(',');
        if opens {
            cuts.push(i);
        }
        if word.ends_with(',') && i + 1 < sentence.end {
            cuts.push(i + 1);
        }
    }
    cuts.push(sentence.end);
    join_short(
        cuts.windows(2).map(|pair| pair[0]..pair[1]),
        MIN_CLAUSE_WORDS,
    )
}

/// Neighbouring pieces with every piece shorter than `min` words joined to the one after it (the
/// last to the one before it): two words rarely make a point on their own.
pub fn join_short(pieces: impl IntoIterator<Item = Range<usize>>, min: usize) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for piece in pieces {
        match out.last_mut() {
            Some(last) if last.len() < min => last.end = piece.end,
            _ => out.push(piece),
        }
    }
    if out.len() > 1
        && out.last().is_some_and(|p| p.len() < min)
        && let Some(short) = out.pop()
        && let Some(last) = out.last_mut()
    {
        last.end = short.end;
    }
    out
}

/// Every span of the answer worth comparing by meaning: each sentence, each of its clauses when
/// it has several, and windows across long clauses. No span appears twice.
pub fn spans<S: AsRef<str>>(words: &[S]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut push = |span: Range<usize>| {
        if !span.is_empty() && !out.contains(&span) {
            out.push(span);
        }
    };
    for sentence in sentences(words) {
        push(sentence.clone());
        for clause in clauses(words, sentence) {
            if clause.len() > LONG_CLAUSE_WORDS {
                let mut start = clause.start;
                while start + WINDOW_WORDS < clause.end {
                    push(start..start + WINDOW_WORDS);
                    start += WINDOW_STEP;
                }
                push(clause.end.saturating_sub(WINDOW_WORDS).max(clause.start)..clause.end);
            }
            push(clause);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    fn texts(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
        let w = words(text);
        ranges.iter().map(|r| w[r.clone()].join(" ")).collect()
    }

    #[test]
    fn sentences_end_at_stops_and_bullets() {
        let text =
            "ECS runs containers. It scales them; it is managed -Easier to debug -Reusability";
        assert_eq!(
            texts(text, &sentences(&words(text))),
            [
                "ECS runs containers.",
                "It scales them;",
                "it is managed",
                "-Easier to debug",
                "-Reusability"
            ]
        );
        let decimal = "The SLA is 99.99 percent a month";
        assert_eq!(sentences(&words(decimal)).len(), 1);
    }

    #[test]
    fn clauses_cut_at_commas_and_openers_but_never_leave_a_scrap() {
        let text = "ECS places the tasks on your cluster, restarts them when they fail and scales them out";
        let w = words(text);
        assert_eq!(
            texts(text, &clauses(&w, 0..w.len())),
            [
                "ECS places the tasks on your cluster,",
                "restarts them when they fail",
                "and scales them out"
            ]
        );
        let short = "Yes, it does";
        let w = words(short);
        assert_eq!(texts(short, &clauses(&w, 0..w.len())), ["Yes, it does"]);
    }

    #[test]
    fn long_run_on_speech_gets_windows_and_nothing_repeats() {
        let text = (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let w = words(&text);
        let all = spans(&w);
        assert_eq!(all[0], 0..40);
        assert!(all.contains(&(0..12)) && all.contains(&(6..18)) && all.contains(&(28..40)));
        let mut unique = all.clone();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert!(spans::<&str>(&[]).is_empty());
    }
}
