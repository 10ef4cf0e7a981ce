//! Saying it right: the text of a question rewritten the way an interviewer reads it, before any
//! voice sees it. Acronyms letter by letter ("ECS" → "E C S"), mixed tokens in parts ("EC2" →
//! "E C two"), numbers, percentages, money, units and versions in words, and a bank's glossary
//! (term → how it is said) first of all. Pure: text in, text out.
//!
//! espeak-ng, which gives every voice here its phonemes, is inconsistent with acronyms ("ECS"
//! alone is "ex", inside a sentence "E C S") and reads a lone "A" as the article; so letters are
//! spelled here, and "A" as "eigh" (espeak-ng's way to the letter's name).

use std::collections::BTreeMap;

use super::numbers;

/// How terms are said: a bank's `[glossary]`, term → words.
pub type Glossary = BTreeMap<String, String>;

/// Acronyms said as words, not letter by letter, and how.
const SAID_AS_WORDS: &[(&str, &str)] = &[
    ("HIPAA", "hippa"),
    ("JSON", "jason"),
    ("YAML", "yammel"),
    ("REST", "rest"),
    ("CRUD", "crud"),
    ("NAT", "nat"),
    ("CIDR", "cider"),
    ("RAM", "ram"),
    ("NASA", "nasa"),
    ("GUI", "gooey"),
    ("SaaS", "sass"),
    ("PaaS", "pass"),
    ("FedRAMP", "fed ramp"),
    ("OAuth", "oh auth"),
    ("macOS", "mac O S"),
    ("iOS", "eye O S"),
];

/// Abbreviations with their dots (lower case, trailing dot removed) and what is said.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("e.g", "for example"),
    ("i.e", "that is"),
    ("etc", "et cetera"),
    ("vs", "versus"),
    ("approx", "approximately"),
];

/// Units after a number: singular and plural.
const UNITS: &[(&str, &str, &str)] = &[
    ("ms", "millisecond", "milliseconds"),
    ("s", "second", "seconds"),
    ("sec", "second", "seconds"),
    ("min", "minute", "minutes"),
    ("h", "hour", "hours"),
    ("hr", "hour", "hours"),
    ("KB", "kilobyte", "kilobytes"),
    ("MB", "megabyte", "megabytes"),
    ("GB", "gigabyte", "gigabytes"),
    ("TB", "terabyte", "terabytes"),
    ("KiB", "kibibyte", "kibibytes"),
    ("MiB", "mebibyte", "mebibytes"),
    ("GiB", "gibibyte", "gibibytes"),
    ("TiB", "tebibyte", "tebibytes"),
    ("Mbps", "megabit per second", "megabits per second"),
    ("Gbps", "gigabit per second", "gigabits per second"),
    ("Hz", "hertz", "hertz"),
    ("kHz", "kilohertz", "kilohertz"),
    ("MHz", "megahertz", "megahertz"),
    ("GHz", "gigahertz", "gigahertz"),
    ("x", "times", "times"),
    ("vCPU", "v C P U", "v C P U's"),
    ("vCPUs", "v C P U's", "v C P U's"),
];

/// Punctuation that may close a word, kept as it is for the clauses that follow.
const CLOSING: &[char] = &['.', ',', '?', '!', ';', ':', ')', ']', '"', '\''];
const OPENING: &[char] = &['(', '[', '"', '\''];

/// The text as it is to be said.
pub fn normalise(text: &str, glossary: &Glossary) -> String {
    let text = apply_glossary(text, glossary);
    let text = text
        .replace(" & ", " and ")
        .replace(" + ", " plus ")
        .replace(['\u{2014}', '\u{2013}'], ", ");
    let mut out: Vec<String> = Vec::new();
    let mut after_number: Option<bool> = None;
    for word in text.split_whitespace() {
        let (said, number) = word_said(word, after_number);
        after_number = number;
        if !said.is_empty() {
            out.push(said);
        }
    }
    out.join(" ")
}

/// Whole-word replacements of the glossary's terms, longest first (so "AWS Lambda" wins over
/// "AWS"), case as written in the glossary.
fn apply_glossary(text: &str, glossary: &Glossary) -> String {
    let mut terms: Vec<(&String, &String)> = glossary.iter().collect();
    terms.sort_by_key(|(term, _)| std::cmp::Reverse(term.chars().count()));
    let mut text = text.to_owned();
    for (term, said) in terms {
        if term.is_empty() {
            continue;
        }
        let mut result = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(term.as_str()) {
            let before = rest[..at].chars().next_back();
            let after = rest[at + term.len()..].chars().next();
            let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            result.push_str(&rest[..at]);
            if bounded(before) && bounded(after) {
                result.push_str(said);
            } else {
                result.push_str(term);
            }
            rest = &rest[at + term.len()..];
        }
        result.push_str(rest);
        text = result;
    }
    text
}

/// One whitespace-separated word as said, and whether it was a number (`Some(true)` when it
/// was exactly one, for the unit that may follow).
fn word_said(word: &str, after_number: Option<bool>) -> (String, Option<bool>) {
    if let Some(said) = abbreviation(word) {
        return (said, None);
    }
    let core_start = word.len() - word.trim_start_matches(OPENING).len();
    let trimmed = word.trim_end_matches(CLOSING);
    let (opening, core, closing) = if core_start <= trimmed.len() {
        (
            &word[..core_start],
            &trimmed[core_start..],
            &word[trimmed.len()..],
        )
    } else {
        ("", "", word)
    };
    if let Some(singular) = after_number
        && let Some(unit) = unit(core, singular)
    {
        return (format!("{opening}{unit}{closing}"), None);
    }
    let (said, number) = core_said(core);
    (format!("{opening}{said}{closing}"), number)
}

fn abbreviation(word: &str) -> Option<String> {
    let trimmed = word.trim_end_matches([',', ';', ':']);
    let rest = &word[trimmed.len()..];
    let lower = trimmed.to_lowercase();
    let (body, dotted) = match lower.strip_suffix('.') {
        Some(body) => (body, true),
        None => (lower.as_str(), false),
    };
    ABBREVIATIONS
        .iter()
        .find(|(written, _)| *written == body && (dotted || *written == "vs"))
        .map(|(_, said)| format!("{said}{rest}"))
}

fn unit(core: &str, singular: bool) -> Option<String> {
    UNITS
        .iter()
        .find(|(written, _, _)| *written == core)
        .map(|(_, one, many)| if singular { one } else { many }.to_string())
}

/// A word without its surrounding punctuation.
fn core_said(core: &str) -> (String, Option<bool>) {
    if core.is_empty() {
        return (String::new(), None);
    }
    if let Some((_, said)) = SAID_AS_WORDS.iter().find(|(written, _)| *written == core) {
        return ((*said).to_owned(), None);
    }
    if let Some(number) = number_said(core) {
        return number;
    }
    if let Some(said) = ordinal_or_version(core) {
        return (said, None);
    }
    if core.contains(['-', '/']) && core.len() > 1 {
        let parts: Vec<String> = core
            .split_inclusive(['-', '/'])
            .map(|part| {
                let (body, sep) = match part.strip_suffix(['-', '/']) {
                    Some(body) => (body, &part[body.len()..]),
                    None => (part, ""),
                };
                let said = core_said(body).0;
                // A slash joins alternatives ("TCP/IP", "read/write"): both are said.
                let sep = if sep == "/" { " " } else { sep };
                format!("{said}{sep}")
            })
            .collect();
        return (parts.concat(), None);
    }
    (spelled_where_needed(core), None)
}

/// Money, percentages, plain numbers and numbers glued to a unit ("10GB").
fn number_said(core: &str) -> Option<(String, Option<bool>)> {
    if let Some(amount) = core.strip_prefix('$') {
        return money(amount).map(|said| (said, None));
    }
    if let Some(number) = core.strip_suffix('%') {
        return numbers::written(number).map(|said| (format!("{said} percent"), None));
    }
    if let Some(said) = numbers::written(core) {
        return Some((said, Some(core == "1")));
    }
    let split = core.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    let (number, rest) = core.split_at(split);
    let number_words = numbers::written(number)?;
    let unit = unit(rest, number == "1")?;
    Some((format!("{number_words} {unit}"), None))
}

fn money(amount: &str) -> Option<String> {
    let (dollars, cents) = match amount.split_once('.') {
        Some((dollars, cents)) if cents.len() == 2 => (dollars, cents.parse::<u64>().ok()?),
        Some(_) => return numbers::written(amount).map(|n| format!("{n} dollars")),
        None => (amount, 0),
    };
    let dollars: u64 = if dollars.is_empty() {
        0
    } else {
        dollars.replace(',', "").parse().ok()?
    };
    let cents_said = |c: u64| {
        format!(
            "{} cent{}",
            numbers::cardinal(c),
            if c == 1 { "" } else { "s" }
        )
    };
    let dollars_said = |d: u64| {
        format!(
            "{} dollar{}",
            numbers::cardinal(d),
            if d == 1 { "" } else { "s" }
        )
    };
    Some(match (dollars, cents) {
        (0, 0) => "zero dollars".to_owned(),
        (0, c) => cents_said(c),
        (d, 0) => dollars_said(d),
        (d, c) => format!("{} and {}", dollars_said(d), cents_said(c)),
    })
}

/// "1st" → "first"; "v2" → "version two"; "1.2.3" → "one point two point three".
fn ordinal_or_version(core: &str) -> Option<String> {
    if let Some(said) = numbers::ordinal(core) {
        return Some(said);
    }
    let (prefix, body) = match core.strip_prefix(['v', 'V']) {
        Some(body) if body.starts_with(|c: char| c.is_ascii_digit()) => ("version ", body),
        _ => ("", core),
    };
    let parts: Vec<&str> = body.split('.').collect();
    let is_version = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && (parts.len() >= 3 || (!prefix.is_empty() && !parts.is_empty()));
    if !is_version {
        return None;
    }
    let said: Vec<String> = parts
        .iter()
        .filter_map(|part| numbers::written(part))
        .collect();
    Some(format!("{prefix}{}", said.join(" point ")))
}

/// A word cut where letters meet digits and where case changes, each piece said: capitals
/// letter by letter, digits as a number, short lower-case pieces inside a mixed token letter by
/// letter, the rest as words ("EC2" → "E C two", "DynamoDB" → "Dynamo D B", "AMIs" → "eigh M
/// I's", "vCPU" → "v C P U").
fn spelled_where_needed(word: &str) -> String {
    let pieces = pieces(word);
    let mixed = pieces.len() > 1;
    let mut said: Vec<String> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let first = piece.chars().next().unwrap_or(' ');
        let plural_s = *piece == "s" && i > 0 && is_capitals(pieces[i - 1]);
        if plural_s {
            if let Some(last) = said.last_mut() {
                last.push_str("'s");
            }
        } else if first.is_ascii_digit() {
            said.push(numbers::written(piece).unwrap_or_else(|| numbers::digits(piece)));
        } else if (is_capitals(piece) && (piece.len() > 1 || mixed))
            || (mixed && piece.len() <= 2 && first.is_ascii_lowercase())
        {
            said.extend(piece.chars().map(letter));
        } else {
            said.push((*piece).to_owned());
        }
    }
    said.join(" ")
}

fn is_capitals(piece: &str) -> bool {
    piece.chars().all(|c| c.is_ascii_uppercase())
}

/// A letter as its name is read.
fn letter(c: char) -> String {
    match c.to_ascii_uppercase() {
        'A' => "eigh".to_owned(),
        upper => upper.to_string(),
    }
}

/// Runs of digits, of capitals and of lower case, a capital that starts a lower-case run (two
/// letters or more) joined to it as a word of a camel-case name: "ECSCluster" → "ECS" +
/// "Cluster", "IPv6" → "IP" + "v" + "6", "AMIs" → "AMI" + "s". Apostrophes go with the letters.
fn pieces(word: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Upper,
        Lower,
        Digit,
    }
    let class = |c: char| {
        if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_uppercase() {
            Class::Upper
        } else {
            Class::Lower
        }
    };
    let mut runs: Vec<(Class, usize, usize)> = Vec::new();
    for (at, c) in word.char_indices() {
        let kind = class(c);
        match runs.last_mut() {
            Some((last, _, end)) if *last == kind => *end = at + c.len_utf8(),
            _ => runs.push((kind, at, at + c.len_utf8())),
        }
    }
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let (kind, start, end) = runs[i];
        let word_follows = runs
            .get(i + 1)
            .is_some_and(|&(next, from, to)| next == Class::Lower && to - from >= 2);
        if kind == Class::Upper && word_follows {
            let last_capital = word[..end]
                .char_indices()
                .next_back()
                .map_or(start, |(at, _)| at);
            if last_capital > start {
                pieces.push(&word[start..last_capital]);
            }
            pieces.push(&word[last_capital..runs[i + 1].2]);
            i += 2;
        } else {
            pieces.push(&word[start..end]);
            i += 1;
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> String {
        normalise(text, &Glossary::new())
    }

    #[test]
    fn acronyms_letter_by_letter_and_mixed_tokens_in_parts() {
        assert_eq!(
            said("Why should I use Amazon ECS?"),
            "Why should I use Amazon E C S?"
        );
        assert_eq!(said("AWS and VPC"), "eigh W S and V P C");
        assert_eq!(said("the EC2 launch type"), "the E C two launch type");
        assert_eq!(said("Amazon S3."), "Amazon S three.");
        assert_eq!(said("Machine Image (AMI)?"), "Machine Image (eigh M I)?");
        assert_eq!(said("AMIs and VPCs"), "eigh M I's and V P C's");
        assert_eq!(said("DynamoDB"), "Dynamo D B");
        assert_eq!(said("IPv6"), "I P V six");
        assert_eq!(said("ECSCluster"), "E C S Cluster");
        assert_eq!(said("CloudFormation"), "Cloud Formation");
        assert_eq!(said("4 vCPUs"), "four v C P U's");
        assert_eq!(said("TCP/IP"), "T C P I P");
        assert_eq!(
            said("HIPAA-regulated workloads"),
            "hippa-regulated workloads"
        );
        assert_eq!(said("US Government-regulated"), "U S Government-regulated");
        assert_eq!(said("I want a task."), "I want a task.");
    }

    #[test]
    fn numbers_percentages_money_units_and_versions() {
        assert_eq!(
            said("99.99% uptime"),
            "ninety-nine point nine nine percent uptime"
        );
        assert_eq!(
            said("in 2023, 1,024 tasks"),
            "in twenty twenty-three, one thousand twenty-four tasks"
        );
        assert_eq!(said("$0.04 per hour"), "four cents per hour");
        assert_eq!(said("$1.50"), "one dollar and fifty cents");
        assert_eq!(said("10 GB"), "ten gigabytes");
        assert_eq!(said("1 GB."), "one gigabyte.");
        assert_eq!(said("500ms"), "five hundred milliseconds");
        assert_eq!(said("30 s left"), "thirty seconds left");
        assert_eq!(said("the 3rd time"), "the third time");
        assert_eq!(
            said("v2 and 1.2.3"),
            "version two and one point two point three"
        );
        assert_eq!(said("a 4x speedup"), "a four times speedup");
    }

    #[test]
    fn abbreviations_and_symbols() {
        assert_eq!(
            said("tasks, e.g. batch jobs"),
            "tasks, for example batch jobs"
        );
        assert_eq!(said("ECS vs. EKS"), "E C S versus E K S");
        assert_eq!(said("build & run"), "build and run");
    }

    /// Every bundled question, said: no digit and no acronym is left for the voice to guess
    /// at, and the words around them are untouched.
    #[test]
    fn every_bundled_question_is_said_right() -> anyhow::Result<()> {
        let bank = crate::bank::load(&[crate::bank::BankLocation::bundled()])?.bank;
        assert!(bank.questions.len() >= 24);
        for question in &bank.questions {
            let said = said(&question.question);
            for word in said.split_whitespace() {
                let letters = word.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(!letters.contains(|c: char| c.is_ascii_digit()), "{said}");
                let capitals = letters.chars().filter(char::is_ascii_uppercase).count();
                assert!(capitals <= 1, "{word} in {said}");
            }
            let kept = |w: &&str| w.chars().all(char::is_lowercase) && w.len() > 3;
            for word in question.question.split_whitespace().filter(kept) {
                assert!(
                    said.contains(word.trim_end_matches(['?', '.', ','])),
                    "{word}: {said}"
                );
            }
        }
        assert!(
            bank.questions
                .iter()
                .any(|q| said(&q.question).contains("E C two launch type"))
        );
        assert!(
            bank.questions
                .iter()
                .any(|q| said(&q.question).contains("Image (eigh M I)?"))
        );
        assert!(
            bank.questions
                .iter()
                .any(|q| said(&q.question).contains("hippa-regulated"))
        );
        Ok(())
    }

    #[test]
    fn the_glossary_wins_whole_words_only_longest_first() {
        let glossary: Glossary = [
            ("Fargate", "Far gate"),
            ("AWS Lambda", "eigh W S Lam da"),
            ("ECS", "E C S"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            normalise("AWS Fargate or AWS Lambda? ECSX stays", &glossary),
            "eigh W S Far gate or eigh W S Lam da? E C S X stays"
        );
    }
}
