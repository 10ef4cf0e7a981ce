//! A bank's glossary: the technical terms its questions, answers and key points use (acronyms,
//! product names, mixed tokens like EC2), each with how it is said. The ears lean whisper toward
//! these terms and correct near-misses to them; the voice reads them out the way they are said.
//!
//! A pure data type: built from a bank's text and its decks' `[glossary]` tables
//! (`EC2 = "E C two"`), and for the ears the common cloud terms of [`cloud`] after them, with no
//! model or device behind it.

mod cloud;

use std::collections::BTreeMap;

use crate::bank::{Bank, Question};

/// One term and how it is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As it is written: "ECS", "DynamoDB", "Fargate".
    pub text: String,
    /// As it is said: "E C S", "Dynamo D B", "Fargate", or the `[glossary]` entry.
    pub said: String,
    /// Where the glossary found it (the question's own terms come first).
    pub origin: Origin,
}

/// Where a term comes from: how strongly the ears lean toward it, if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The question being answered uses it.
    Question,
    /// Another question of the bank, or the bank's `[glossary]`, uses it.
    Bank,
    /// A common cloud or devops term that the bank does not use ([`Glossary::with_cloud_terms`]).
    Cloud,
}

/// The terms of a bank, or of one question and then the rest of its bank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    terms: Vec<Term>,
}

impl Glossary {
    /// Every term of the bank: its decks' `[glossary]` tables, then the terms of its questions,
    /// answers and key points in bank order.
    pub fn of_bank(bank: &Bank) -> Self {
        let mut glossary = Self::default();
        glossary.add_table(&bank.glossary, Origin::Bank);
        for question in &bank.questions {
            glossary.add_texts(question_texts(question), &bank.glossary, Origin::Bank);
        }
        glossary
    }

    /// The terms of `question` first (from [`Origin::Question`]), then the rest of the bank's.
    pub fn of_question(question: &Question, bank: &Bank) -> Self {
        let mut glossary = Self::default();
        glossary.add_texts(question_texts(question), &bank.glossary, Origin::Question);
        let rest = Self::of_bank(bank);
        for term in rest.terms {
            glossary.push(term);
        }
        glossary
    }

    /// This glossary, then the common cloud and devops terms it does not have ([`cloud`]): what
    /// a candidate may name in an answer though the bank never does ("CloudWatch", "EBS").
    pub fn with_cloud_terms(mut self) -> Self {
        for &(text, said) in cloud::TERMS {
            self.push(Term {
                text: text.to_owned(),
                said: said.map_or_else(|| spoken_form(text), str::to_owned),
                origin: Origin::Cloud,
            });
        }
        self
    }

    /// A glossary of the given terms and how they are said (a term said as written may say
    /// itself), for tests and for callers with their own list.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut glossary = Self::default();
        for (text, said) in pairs {
            glossary.push(Term {
                text: text.to_owned(),
                said: said.to_owned(),
                origin: Origin::Bank,
            });
        }
        glossary
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// How `term` is said, when it is one of the glossary's (case-insensitive).
    pub fn said(&self, term: &str) -> Option<&str> {
        self.find(term).map(|t| t.said.as_str())
    }

    /// The term written `text` (case-insensitive).
    pub fn find(&self, text: &str) -> Option<&Term> {
        self.terms
            .iter()
            .find(|t| t.text.eq_ignore_ascii_case(text))
    }

    fn push(&mut self, term: Term) {
        if self.find(&term.text).is_none() {
            self.terms.push(term);
        }
    }

    fn add_table(&mut self, table: &BTreeMap<String, String>, origin: Origin) {
        for (text, said) in table {
            self.push(Term {
                text: text.clone(),
                said: said.clone(),
                origin,
            });
        }
    }

    fn add_texts<'a>(
        &mut self,
        texts: impl Iterator<Item = &'a str>,
        table: &BTreeMap<String, String>,
        origin: Origin,
    ) {
        for text in texts {
            for word in term_words(text) {
                let said = table
                    .iter()
                    .find(|(written, _)| written.eq_ignore_ascii_case(word))
                    .map_or_else(|| default_said(word), |(_, said)| said.clone());
                self.push(Term {
                    text: word.to_owned(),
                    said,
                    origin,
                });
            }
        }
    }
}

/// Everything a question says: the question, the reference answer, the key points and aliases.
fn question_texts(question: &Question) -> impl Iterator<Item = &str> {
    [question.question.as_str(), question.answer.as_str()]
        .into_iter()
        .chain(question.key_points.iter().flat_map(|kp| kp.phrasings()))
}

/// Capitalised words that start sentences or are English whatever their place: not terms.
const ORDINARY_CAPITALISED: &[&str] = &["I", "I'm", "I've", "I'd", "I'll", "OK"];

/// The words of `text` that are technical terms: acronyms and words with capitals inside
/// ("ECS", "vCPU", "DynamoDB"), letters mixed with digits ("EC2", "S3"), and capitalised words
/// inside a sentence ("Fargate", "Kubernetes"), without a possessive "'s" or a plural "s" on an
/// acronym.
pub fn term_words(text: &str) -> Vec<&str> {
    let mut terms = Vec::new();
    let mut sentence_start = true;
    for raw in text.split_whitespace() {
        let ends_sentence = raw.ends_with(['.', '?', '!', ':']);
        for (i, part) in raw.split(['-', '/']).enumerate() {
            if let Some(term) = term_word(part, sentence_start && i == 0) {
                terms.push(term);
            }
        }
        sentence_start = ends_sentence;
    }
    terms
}

/// `raw` (one word with its punctuation) as a term, if it is one.
fn term_word(raw: &str, sentence_start: bool) -> Option<&str> {
    let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word);
    let word = strip_acronym_plural(word);
    let capitals = word.chars().filter(char::is_ascii_uppercase).count();
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let has_letter = word.chars().any(|c| c.is_ascii_alphabetic());
    let capitalised = word.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let is_term = word.len() > 1
        && word.chars().all(|c| c.is_ascii_alphanumeric())
        && !ORDINARY_CAPITALISED.contains(&word)
        && (capitals >= 2 || (has_digit && has_letter) || (capitalised && !sentence_start));
    is_term.then_some(word)
}

/// "VPCs" is the plural of the term "VPC".
fn strip_acronym_plural(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if stem.len() >= 2 && stem.chars().all(|c| c.is_ascii_uppercase()) => stem,
        _ => word,
    }
}

/// How a bank's term with no `[glossary]` entry is said: as the common cloud terms say it when
/// it is one of them and not said by its letters ("HIPAA" is "hippa", "FedRAMP" "fed ramp"),
/// else [`spoken_form`].
fn default_said(term: &str) -> String {
    cloud::TERMS
        .iter()
        .find_map(|&(text, said)| said.filter(|_| text == term))
        .map_or_else(|| spoken_form(term), str::to_owned)
}

/// How a term with no `[glossary]` entry is said: runs of capitals letter by letter, digits as
/// words, the rest as written ("EC2" → "E C two", "DynamoDB" → "Dynamo D B", "vCPU" → "V C P U").
pub fn spoken_form(term: &str) -> String {
    let chars: Vec<char> = term.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            parts.push(DIGITS[c as usize - '0' as usize].to_owned());
            i += 1;
        } else if c.is_ascii_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
        {
            // A capitalised word inside the term: "Dynamo", "Cloud".
            let end = (i + 1..chars.len())
                .find(|&j| !chars[j].is_ascii_lowercase())
                .unwrap_or(chars.len());
            parts.push(chars[i..end].iter().collect());
            i = end;
        } else if c.is_ascii_lowercase() {
            // A lower-case start before capitals ("vCPU") is a letter; before more lower case
            // ("iOS" aside) it is a word.
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_ascii_lowercase())
                .unwrap_or(chars.len());
            if end - i == 1 {
                parts.push(c.to_ascii_uppercase().to_string());
            } else {
                parts.push(chars[i..end].iter().collect());
            }
            i = end;
        } else {
            if c.is_ascii_uppercase() {
                parts.push(c.to_string());
            }
            i += 1;
        }
    }
    parts.join(" ")
}

const DIGITS: [&str; 10] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question::technical(
            "How does AWS Fargate work with Amazon ECS?",
            "Fargate runs ECS tasks without EC2 instances. You pay per vCPU. \
             Tasks in DynamoDB's table.",
            &[("serverless launch type", &["no VPCs to manage"])],
        )
    }

    #[test]
    fn terms_are_acronyms_mixed_tokens_and_names_inside_sentences() {
        let q = question();
        let bank = Bank {
            questions: vec![q.clone()],
            glossary: BTreeMap::from([("HIPAA".to_owned(), "hippa".to_owned())]),
        };
        let glossary = Glossary::of_question(&q, &bank);
        let texts: Vec<&str> = glossary.terms().iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "AWS", "Fargate", "Amazon", "ECS", "EC2", "vCPU", "DynamoDB", "VPC", "HIPAA"
            ]
        );
        // "Tasks" and "You" start sentences; "How" the question.
        assert!(glossary.find("tasks").is_none() && glossary.find("You").is_none());
        assert!(
            glossary.terms()[0].origin == Origin::Question
                && glossary.terms()[8].origin != Origin::Question
        );
        assert_eq!(Glossary::of_bank(&bank).terms()[0].text, "HIPAA");
    }

    #[test]
    fn each_term_says_how_it_is_said() {
        let q = question();
        let bank = Bank {
            questions: vec![q],
            glossary: BTreeMap::from([("ec2".to_owned(), "E C two".to_owned())]),
        };
        let glossary = Glossary::of_bank(&bank);
        assert_eq!(glossary.said("ECS"), Some("E C S"));
        assert_eq!(glossary.said("EC2"), Some("E C two"));
        assert_eq!(glossary.said("Fargate"), Some("Fargate"));
        assert_eq!(glossary.said("banana"), None);
        // A term the common cloud terms say as words is said so, with no `[glossary]` entry.
        let compliance =
            Question::technical("Is ECS HIPAA eligible and FedRAMP authorized?", "Yes.", &[]);
        let glossary = Glossary::of_bank(&Bank {
            questions: vec![compliance],
            glossary: BTreeMap::new(),
        });
        assert_eq!(glossary.said("HIPAA"), Some("hippa"));
        assert_eq!(glossary.said("FedRAMP"), Some("fed ramp"));
        assert_eq!(glossary.said("ECS"), Some("E C S"));
        assert_eq!(spoken_form("DynamoDB"), "Dynamo D B");
        assert_eq!(spoken_form("vCPU"), "V C P U");
        assert_eq!(spoken_form("GovCloud"), "Gov Cloud");
        assert_eq!(spoken_form("S3"), "S three");
    }

    #[test]
    fn cloud_terms_come_after_the_banks_own_and_are_terms_as_written() {
        let q = question();
        let bank = Bank {
            questions: vec![q.clone()],
            glossary: BTreeMap::from([("HIPAA".to_owned(), "hip ah".to_owned())]),
        };
        let glossary = Glossary::of_question(&q, &bank).with_cloud_terms();
        let own = Glossary::of_question(&q, &bank).terms().len();
        assert_eq!(
            glossary.terms()[..own],
            *Glossary::of_question(&q, &bank).terms()
        );
        assert!(
            glossary.terms()[own..]
                .iter()
                .all(|t| t.origin == Origin::Cloud)
        );
        // The bank's own say wins; the bank's terms are not repeated.
        assert_eq!(glossary.said("HIPAA"), Some("hip ah"));
        assert_eq!(
            glossary.find("ECS").map(|t| t.origin),
            Some(Origin::Question)
        );
        assert_eq!(glossary.said("CloudWatch"), Some("Cloud Watch"));
        assert_eq!(glossary.said("EBS"), Some("E B S"));
        // Each cloud term, named in a sentence, is a term as the glossary finds them.
        for (text, _) in cloud::TERMS {
            let sentence = format!("We use {text} daily.");
            assert_eq!(term_words(&sentence), [*text], "{text}");
        }
    }
}
