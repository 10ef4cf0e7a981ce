//! A text prepared for scoring: its words, their tokens, which tokens a negation governs, and
//! its sentences, clauses and spans. The answer and the reference answer are both read this way.

use std::collections::HashSet;
use std::ops::Range;

use super::negation;
use crate::text::spans;
use crate::text::{Token, tokenize_words};

#[derive(Debug, Clone)]
pub struct Analysed<'a> {
    pub words: Vec<&'a str>,
    pub tokens: Vec<Token>,
    /// For each token, whether a negation cue governs it.
    pub negated: Vec<bool>,
    pub sentences: Vec<Range<usize>>,
}

impl<'a> Analysed<'a> {
    pub fn new(words: Vec<&'a str>) -> Self {
        let tokens = tokenize_words(&words);
        let negated = negation::negated(&tokens, &words);
        let sentences = spans::sentences(&words);
        Self {
            words,
            tokens,
            negated,
            sentences,
        }
    }

    pub fn clauses(&self, sentence: Range<usize>) -> Vec<Range<usize>> {
        spans::clauses(&self.words, sentence)
    }

    pub fn spans(&self) -> Vec<Range<usize>> {
        spans::spans(&self.words)
    }

    /// The words of a range as written.
    pub fn quote(&self, words: Range<usize>) -> String {
        self.words[words].join(" ")
    }

    /// The tokens of the words in `words`, with their negation marks.
    pub fn tokens_in(&self, words: Range<usize>) -> (&[Token], &[bool]) {
        let start = self.tokens.partition_point(|t| t.word < words.start);
        let end = self.tokens.partition_point(|t| t.word < words.end);
        (&self.tokens[start..end], &self.negated[start..end])
    }

    /// The words of a range without those the question already says (every content token of the
    /// word is a question stem). What an answer shares with the question shows nothing: "How do
    /// I configure IAM roles for tasks?" answered "you configure IAM roles for tasks" is empty.
    pub fn without_question_words(
        &self,
        words: Range<usize>,
        question: &HashSet<String>,
    ) -> String {
        let (tokens, _) = self.tokens_in(words.clone());
        let mut kept: Vec<&str> = Vec::new();
        for word in words {
            let mut word_tokens = tokens.iter().filter(|t| t.word == word).peekable();
            if word_tokens.peek().is_none() {
                continue;
            }
            let given = word_tokens.all(|t| !t.is_stop_word() && question.contains(&t.stem));
            if !given {
                kept.push(self.words[word]);
            }
        }
        kept.join(" ")
    }

    /// The range of the sentence holding a word.
    pub fn sentence_of(&self, word: usize) -> Option<Range<usize>> {
        self.sentences.iter().find(|s| s.contains(&word)).cloned()
    }

    /// The range of the clause holding a word.
    pub fn clause_of(&self, word: usize) -> Option<Range<usize>> {
        let sentence = self.sentence_of(word)?;
        self.clauses(sentence)
            .into_iter()
            .find(|c| c.contains(&word))
    }
}

/// Content stems of a text: what it is about, without its function words.
pub fn content_stems(text: &str) -> HashSet<String> {
    crate::text::tokenize(text)
        .into_iter()
        .filter(|t| !t.is_stop_word())
        .map(|t| t.stem)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_drop_out_and_tokens_map_back_to_words() {
        let question = content_stems("How do I configure IAM roles for ECS tasks?");
        let text = Analysed::new(
            "You configure IAM roles, then the task role is assumed."
                .split_whitespace()
                .collect(),
        );
        assert_eq!(
            text.without_question_words(0..text.words.len(), &question),
            "You then the is assumed."
        );
        let (tokens, negated) = text.tokens_in(4..6);
        assert_eq!(
            tokens.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["then", "the"]
        );
        assert_eq!(negated, [false, false]);
        assert_eq!(text.clause_of(5), Some(4..10));
    }
}
