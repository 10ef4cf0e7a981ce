//! Terms found automatically in a reference answer: the words most specific to it across the
//! bank (tf-idf), leaving out stop words, words of the question itself, and words the explicit
//! key points already cover. They catch substance the bank author did not list.

use std::collections::{HashMap, HashSet};

use crate::bank::{KeyPoint, Question};
use crate::text::tokenize;

/// How many terms each question gets at most.
const MAX_TERMS: usize = 3;
/// A term must be rarer than this share of the bank's questions.
const MAX_DOC_SHARE: f64 = 0.25;
const MIN_TERM_LEN: usize = 4;

/// Document frequencies of stems across the bank's questions and reference answers.
#[derive(Debug, Clone, Default)]
pub struct BankStats {
    docs: usize,
    doc_freq: HashMap<String, usize>,
}

impl BankStats {
    pub fn new(questions: &[Question]) -> Self {
        let mut doc_freq: HashMap<String, usize> = HashMap::new();
        for question in questions {
            let text = format!("{} {}", question.question, question.answer);
            let stems: HashSet<String> = tokenize(&text).into_iter().map(|t| t.stem).collect();
            for stem in stems {
                *doc_freq.entry(stem).or_default() += 1;
            }
        }
        Self {
            docs: questions.len(),
            doc_freq,
        }
    }

    fn idf(&self, stem: &str) -> f64 {
        let df = self.doc_freq.get(stem).copied().unwrap_or(0);
        ((self.docs as f64 + 1.0) / (df as f64 + 1.0)).ln()
    }

    /// The most specific terms of a question's reference answer, as key points to look for.
    pub fn derived_terms(&self, question: &Question) -> Vec<KeyPoint> {
        let excluded: HashSet<String> = tokenize(&question.question)
            .into_iter()
            .chain(
                question
                    .key_points
                    .iter()
                    .flat_map(|kp| kp.phrasings().flat_map(tokenize).collect::<Vec<_>>()),
            )
            .map(|t| t.stem)
            .collect();
        // stem -> (first surface form, count)
        let mut counts: Vec<(String, String, usize)> = Vec::new();
        for token in tokenize(&question.answer) {
            if token.is_stop_word()
                || token.is_number()
                || token.text.chars().count() < MIN_TERM_LEN
                || excluded.contains(&token.stem)
            {
                continue;
            }
            match counts.iter_mut().find(|(stem, _, _)| *stem == token.stem) {
                Some(entry) => entry.2 += 1,
                None => counts.push((token.stem, token.text, 1)),
            }
        }
        let max_df = (self.docs as f64 * MAX_DOC_SHARE).max(1.0);
        let mut ranked: Vec<(f64, String)> = counts
            .into_iter()
            .filter(|(stem, _, _)| {
                self.docs < 4 || (self.doc_freq.get(stem).copied().unwrap_or(0) as f64) <= max_df
            })
            .map(|(stem, text, count)| (count as f64 * self.idf(&stem), text))
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        ranked
            .into_iter()
            .take(MAX_TERMS)
            .map(|(_, text)| KeyPoint {
                point: text,
                aliases: Vec::new(),
            })
            .collect()
    }
}
