//! Text normalisation shared by bank import and scoring (a leaf: it imports nothing of the crate).
//!
//! Turning spoken or typed text into comparable tokens: lower case, no punctuation, acronyms
//! with dots joined ("E.C.S." → "ecs"), hyphenated words split, number words as digits
//! ("ninety nine point nine" → "99.9"), and every token stemmed (Porter2), so that the way a
//! person says a thing, or the way whisper writes it, matters as little as possible.

pub mod sound;
pub mod spans;
pub mod visible;

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

/// One comparable unit of text, tied back to the word it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lower-case surface form without punctuation.
    pub text: String,
    /// Porter2 stem of `text` (digits are kept as they are).
    pub stem: String,
    /// Index of the source word this token came from.
    pub word: usize,
}

impl Token {
    pub fn is_stop_word(&self) -> bool {
        is_stop_word(&self.text)
    }

    pub fn is_number(&self) -> bool {
        self.text.bytes().next().is_some_and(|b| b.is_ascii_digit())
    }
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Split text on whitespace into words; the token `word` indices refer to these.
pub fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Tokens of a text, with `word` indices into [`words`] of the same text.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_words(&words(text))
}

/// Tokens of already split words (e.g. whisper's timed words).
pub fn tokenize_words<S: AsRef<str>>(words: &[S]) -> Vec<Token> {
    let mut raw: Vec<(String, usize)> = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        for piece in split_word(word.as_ref()) {
            raw.push((piece, index));
        }
    }
    let raw = join_number_words(raw);
    raw.into_iter()
        .map(|(text, word)| {
            let stem = if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                text.clone()
            } else {
                STEMMER.stem(&text).into_owned()
            };
            Token { text, stem, word }
        })
        .collect()
}

/// One whitespace-separated word into lower-case alphanumeric pieces.
fn split_word(word: &str) -> Vec<String> {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric() && !".%&+".contains(c));
    // A plural acronym ("VPCs", "AMIs", "GPUs." at the end of a sentence) is the acronym: no
    // stemmer strips that "s".
    let word = match word.trim_end_matches('.').strip_suffix('s') {
        Some(acronym) if acronym.len() >= 2 && acronym.chars().all(|c| c.is_ascii_uppercase()) => {
            acronym
        }
        _ => word,
    };
    let lower = word.to_lowercase();
    if let Some(acronym) = dotted_acronym(&lower) {
        return vec![acronym];
    }
    let mut pieces = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = lower.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() {
            current.push(c);
        } else if (c == '.' || c == ',') && prev_digit && next_digit {
            // 99.95 keeps its point; 1,000 loses its comma.
            if c == '.' {
                current.push('.');
            }
        } else if c == '\'' || c == '\u{2019}' {
            // Possessives and contractions stay one word: "aws's" → "aws", "don't" → "dont".
            let rest: String = chars[i + 1..].iter().collect();
            if rest == "s" {
                break;
            }
        } else {
            if !current.is_empty() {
                pieces.push(std::mem::take(&mut current));
            }
            let spelled = match c {
                '%' => Some("percent"),
                '&' => Some("and"),
                '+' => Some("plus"),
                _ => None,
            };
            if let Some(spelled) = spelled {
                pieces.push(spelled.to_owned());
            }
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// "e.c.s." or "u.s" → the letters joined; anything else → None.
fn dotted_acronym(word: &str) -> Option<String> {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let parts: Vec<&str> = trimmed.trim_end_matches('.').split('.').collect();
    let is_acronym = parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    is_acronym.then(|| parts.concat())
}

/// The number words below twenty, in order ("zero" is 0).
pub const UNIT_WORDS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// The tens from twenty to ninety, in order.
pub const TENS_WORDS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn unit_value(word: &str) -> Option<u64> {
    UNIT_WORDS.iter().position(|u| *u == word).map(|v| v as u64)
}

fn tens_value(word: &str) -> Option<u64> {
    TENS_WORDS
        .iter()
        .position(|t| *t == word)
        .map(|v| (v as u64 + 2) * 10)
}

fn scale_value(word: &str) -> Option<u64> {
    match word {
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        "billion" => Some(1_000_000_000),
        _ => None,
    }
}

fn is_number_word(word: &str) -> bool {
    unit_value(word).is_some() || tens_value(word).is_some() || scale_value(word).is_some()
}

/// Replace each run of number words by its digits: "twenty four" → "24",
/// "ninety nine point nine five" → "99.95", "two thousand" → "2000".
fn join_number_words(tokens: Vec<(String, usize)>) -> Vec<(String, usize)> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if !is_number_word(&tokens[i].0) {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        let word_index = tokens[i].1;
        let (mut total, mut current) = (0u64, 0u64);
        while i < tokens.len() && is_number_word(&tokens[i].0) {
            let word = tokens[i].0.as_str();
            if let Some(v) = unit_value(word).or_else(|| tens_value(word)) {
                current = current.saturating_add(v);
            } else if let Some(scale) = scale_value(word) {
                if scale == 100 {
                    current = current.max(1).saturating_mul(100);
                } else {
                    total = total.saturating_add(current.max(1).saturating_mul(scale));
                    current = 0;
                }
            }
            i += 1;
        }
        let mut number = total.saturating_add(current).to_string();
        // "point" followed by digit words makes a decimal.
        if tokens.get(i).is_some_and(|t| t.0 == "point")
            && tokens
                .get(i + 1)
                .is_some_and(|t| unit_value(&t.0).is_some_and(|v| v < 10))
        {
            number.push('.');
            i += 1;
            while let Some(digit) = tokens
                .get(i)
                .and_then(|t| unit_value(&t.0))
                .filter(|v| *v < 10)
            {
                number.push_str(&digit.to_string());
                i += 1;
            }
        }
        out.push((number, word_index));
    }
    out
}

/// Common English function words: they carry no content for matching.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

// Sorted for binary search (a unit test keeps it sorted).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "else",
    "etc",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "go",
    "going",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "let",
    "lets",
    "like",
    "made",
    "make",
    "makes",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "use",
    "used",
    "uses",
    "using",
    "very",
    "want",
    "was",
    "way",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yes",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    fn stems(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.stem).collect()
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn case_punctuation_and_hyphens() {
        assert_eq!(
            texts("Fully-managed, AUTO-scaling!"),
            ["fully", "managed", "auto", "scaling"]
        );
        assert_eq!(texts("AWS's E.C.S. (u.s.)"), ["aws", "ecs", "us"]);
        assert_eq!(texts("don't"), ["dont"]);
        assert_eq!(texts("M&R"), ["m", "and", "r"]);
        assert_eq!(texts("VPCs and AMIs, Is"), ["vpc", "and", "ami", "is"]);
        assert_eq!(
            texts("It has GPUs. Two VPCs."),
            ["it", "has", "gpu", "2", "vpc"]
        );
    }

    #[test]
    fn inflections_share_a_stem() {
        assert_eq!(stems("containers"), stems("container"));
        assert_eq!(stems("orchestrating"), stems("orchestrate"));
        assert_eq!(stems("scaling"), stems("scales"));
        assert_eq!(stems("isolated"), stems("isolates"));
    }

    #[test]
    fn numbers_as_words_or_digits() {
        assert_eq!(texts("twenty four tasks"), ["24", "tasks"]);
        assert_eq!(
            texts("ninety nine point nine five percent"),
            ["99.95", "percent"]
        );
        assert_eq!(texts("99.95%"), ["99.95", "percent"]);
        assert_eq!(texts("two thousand and five"), ["2000", "and", "5"]);
        assert_eq!(texts("one hundred twenty"), ["120"]);
        assert_eq!(texts("1,000 containers"), ["1000", "containers"]);
        assert_eq!(texts("version 1.2."), ["version", "1.2"]);
    }

    #[test]
    fn tokens_point_back_to_words() {
        let tokens = tokenize("auto-scaling is twenty four");
        let words: Vec<usize> = tokens.iter().map(|t| t.word).collect();
        assert_eq!(words, [0, 0, 1, 2]);
    }

    #[test]
    fn odd_text_does_not_panic() {
        for text in [
            "",
            "   ",
            "'",
            "''s",
            "...",
            "point",
            "point five",
            "é.ü.",
            "🙂 ok",
            "-",
        ] {
            let _ = tokenize(text);
        }
        assert_eq!(texts("billion billion"), ["2000000000"]);
        assert!(!texts("nine hundred billion billion billion billion billion").is_empty());
    }
}
