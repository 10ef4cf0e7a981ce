//! Terms said letter by letter and digit by digit ("ECS", "SQS", "EC2", "S3"), heard in pieces:
//! "SQ S", "E.C.S.", "a double U S", "a WS", "EC two", "EC-2", and, where the speaker paused
//! between letters, with whisper's own punctuation in between ("SL, a" for "S L A").

use crate::glossary::Term;

/// Acronyms of ordinary speech: never rewritten to a term one letter away.
const COMMON_ACRONYMS: &[&str] = &[
    "CEO", "CTO", "CFO", "USA", "FAQ", "DIY", "ETA", "PDF", "ASAP", "FYI", "TBD", "BBC", "CNN",
    "NBA", "NFL", "GPS", "DVD", "ATM", "PIN", "VIP", "RSVP", "TV", "PC", "OK", "UK", "US", "AM",
    "PM", "HR", "IT", "PR", "ID",
];

/// Whether `word` is an acronym of ordinary speech ("US", "CEO"): a bank may name one ("GovCloud
/// (US)"), but it is no term to keep letters from joining into one ("a double US" is AWS).
pub fn is_common_acronym(word: &str) -> bool {
    COMMON_ACRONYMS.contains(&word)
}

/// Letters that sound alike said on their own.
const RHYMING_LETTERS: &[&str] = &["BCDEGPTVZ", "AJK", "FSX", "MN", "IY", "QUW"];

/// Digits said as words, with the ordinary words that sound like them.
const DIGIT_WORDS: &[(&str, char)] = &[
    ("zero", '0'),
    ("one", '1'),
    ("two", '2'),
    ("to", '2'),
    ("too", '2'),
    ("three", '3'),
    ("four", '4'),
    ("for", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
];

/// Heard words read as the letters and digits of a spelled term.
#[derive(Debug, PartialEq, Eq)]
pub struct Spelled {
    chars: Vec<char>,
    /// Whether an ordinary word was read as a letter or digit ("a" as A, "to" as 2). Such a
    /// reading stands only for a term spelled exactly so: "a" is far more often the article.
    loose: bool,
}

/// `parts` (bare words, as written) read as letters and digits: capitals of 1 to 4 letters each
/// ("SQ S", "A WS", "PCS", "EC-2"), a digit or a digit's word after them, "double U" for W and a
/// lower-case "a" beside other letters; `None` if any part is another word, or if no part is
/// written in capitals.
pub fn spelled(parts: &[String]) -> Option<Spelled> {
    // "double-U" and "double-us" are "double U" and "double us" written with a dash.
    let parts: Vec<String> = parts
        .iter()
        .flat_map(|part| match part.split_once('-') {
            Some((double, rest)) if double.eq_ignore_ascii_case("double") && !rest.is_empty() => {
                vec![double.to_owned(), rest.to_owned()]
            }
            _ => vec![part.clone()],
        })
        .collect();
    let is_double = |part: &String| part.eq_ignore_ascii_case("double");
    let mut chars = Vec::new();
    let mut loose = false;
    let mut capitals = false;
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if is_double(part) {
            // "double U" is how W is said: "a double U S" is AWS.
            let after = letters_of(parts.get(i + 1)?);
            if after.first() != Some(&'U') {
                return None;
            }
            chars.push('W');
            chars.extend(&after[1..]);
            capitals = true;
            i += 2;
            continue;
        }
        let part_chars = letters_of(part);
        let written_in_capitals = part
            .chars()
            .filter(|c| !matches!(c, '.' | '-'))
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && (1..=4).contains(&part_chars.len());
        if written_in_capitals {
            capitals |= part_chars.iter().any(char::is_ascii_alphabetic);
            chars.extend(part_chars);
        } else if part == "a" {
            // "a double U" says the letter; "a WS" may.
            loose |= !parts.get(i + 1).is_some_and(is_double);
            chars.push('A');
        } else if let Some(&(_, digit)) = DIGIT_WORDS.iter().find(|(word, _)| word == part) {
            loose = true;
            chars.push(digit);
        } else {
            return None;
        }
        i += 1;
    }
    // A lone "A" or "I" is a word.
    (capitals && chars.len() >= 2).then_some(Spelled { chars, loose })
}

/// The term of `terms` that spelled letters stand for: one spelled the same, or, when every
/// part was read as written and nothing split the parts (`exact` false), an acronym of three
/// letters or more one rhyming letter off ("PCS" for "ECS"). A single common acronym one letter
/// off a term ("CEO") is never rewritten.
pub fn spelled_term<'g>(
    heard: &Spelled,
    terms: &'g [Term],
    single_word: bool,
    exact: bool,
) -> Option<&'g Term> {
    let exact = exact || heard.loose;
    let joined: String = heard.chars.iter().collect();
    let common = single_word && is_common_acronym(&joined);
    terms.iter().find(|term| {
        let Some(term_chars) = spelled_chars(term) else {
            return false;
        };
        term_chars == heard.chars
            || (!exact
                && !common
                && term_chars.len() >= 3
                && term_chars.len() == heard.chars.len()
                && one_rhyming_letter_off(&term_chars, &heard.chars))
    })
}

/// The letters and digits of a term said one by one ("ECS", "SQS", "vCPU", "EC2"); `None` for
/// a word, or for capitals said as a word (HIPAA, "hippa").
pub fn spelled_chars(term: &Term) -> Option<Vec<char>> {
    let chars: Vec<char> = term.text.to_ascii_uppercase().chars().collect();
    let said_one_by_one = chars
        .iter()
        .map(|c| match c.to_digit(10) {
            Some(digit) => DIGIT_WORDS
                .iter()
                .find(|(_, d)| d.to_digit(10) == Some(digit))
                .map_or_else(|| c.to_string(), |(word, _)| (*word).to_owned()),
            None => c.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    (chars.len() >= 2
        && chars.iter().any(char::is_ascii_uppercase)
        && chars
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && term.said.eq_ignore_ascii_case(&said_one_by_one))
    .then_some(chars)
}

/// The letters and digits of a written part, without its dots and dashes, in capitals.
fn letters_of(part: &str) -> Vec<char> {
    part.chars()
        .filter(|c| !matches!(c, '.' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
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
