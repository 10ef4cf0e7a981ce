//! Cutting a spoken story into the units that are labelled one by one: clauses, and inside a
//! long run-on clause the places where a new subject starts a new thought ("...saw the
//! connections were maxed out I found one batch job..."). Units cover every word once, in order.

use std::ops::Range;

use crate::text::spans;

/// Words that start a new step of a story even without a comma before them.
const STORY_OPENERS: &[&str] = &[
    "then",
    "afterwards",
    "eventually",
    "finally",
    "after",
    "when",
    "until",
    "once",
];
/// Subjects that start a new thought inside a long run-on clause.
const SUBJECTS: &[&str] = &[
    "i", "we", "he", "she", "they", "i'd", "id", "we'd", "i've", "we've",
];
/// A unit shorter than this joins the one before it (or after it, at the start).
const MIN_UNIT_WORDS: usize = 3;
/// A clause longer than this is cut again before a story opener or a new subject.
const LONG_UNIT_WORDS: usize = 11;

fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

/// The units of an answer given as words: ranges that cover every word once, in order.
pub fn units<S: AsRef<str>>(words: &[S]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for sentence in spans::sentences(words) {
        for clause in spans::clauses(words, sentence) {
            out.extend(cut_long(words, clause));
        }
    }
    spans::join_short(out, MIN_UNIT_WORDS)
}

/// A long clause cut before story openers, and before subjects that follow a word which cannot
/// lead into them ("...maxed out | I found...", not "...that | I wrote").
fn cut_long<S: AsRef<str>>(words: &[S], clause: Range<usize>) -> Vec<Range<usize>> {
    if clause.len() <= LONG_UNIT_WORDS {
        return vec![clause];
    }
    let mut pieces = Vec::new();
    let mut start = clause.start;
    for i in clause.start + MIN_UNIT_WORDS..clause.end.saturating_sub(MIN_UNIT_WORDS - 1) {
        if i - start < MIN_UNIT_WORDS {
            continue;
        }
        let word = bare(words[i].as_ref());
        let before = bare(words[i - 1].as_ref());
        let opens = STORY_OPENERS.contains(&word.as_str())
            || (SUBJECTS.contains(&word.as_str()) && !leads_into_subject(&before));
        if opens {
            pieces.push(start..i);
            start = i;
        }
    }
    pieces.push(start..clause.end);
    pieces
}

/// Words after which a subject continues the same thought: "that I", "what we", "so I" (the
/// opener already cut there), "and I".
fn leads_into_subject(word: &str) -> bool {
    const LEADS: &[&str] = &[
        "that", "what", "which", "who", "so", "and", "but", "then", "because", "if", "when",
        "where", "how", "why", "as", "than", "until", "once", "while", "before", "after", "since",
        "um", "uh", "like", "me", "us", "time", "day", "week", "thing", "first", "also",
    ];
    LEADS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        units(&words)
            .into_iter()
            .map(|u| words[u].join(" "))
            .collect()
    }

    #[test]
    fn a_run_on_story_is_cut_where_a_new_subject_starts_a_new_step() {
        assert_eq!(
            texts(
                "I looked at the database and saw the connections were maxed out I found one batch job that I had missed so I paused it"
            ),
            [
                "I looked at the database",
                "and saw the connections were maxed out",
                "I found one batch job that I had missed",
                "so I paused it"
            ]
        );
    }

    #[test]
    fn units_cover_every_word_once_and_short_scraps_join_a_neighbour() {
        let text = "Yes. So, um, at my last job we had a problem, then I fixed it.";
        let words: Vec<&str> = text.split_whitespace().collect();
        let all = units(&words);
        assert_eq!(all.first().map(|u| u.start), Some(0));
        assert_eq!(all.last().map(|u| u.end), Some(words.len()));
        assert!(all.windows(2).all(|w| w[0].end == w[1].start));
        assert!(all.iter().all(|u| u.len() >= MIN_UNIT_WORDS));
        assert!(units::<&str>(&[]).is_empty());
    }
}
