//! Where the reference answer makes each key point: the clause and the sentence holding the
//! point's words. Meaning is matched against that clause, a denial there is read from it, and a
//! reference sentence that holds no key point is a minor point of its own.

use std::ops::Range;

use super::analysed::Analysed;
use super::matcher::{self, Phrase};
use crate::bank::KeyPoint;

/// Where the reference makes a key point: the clause and the sentence holding its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The point's tokens in the reference.
    pub tokens: Range<usize>,
    pub clause: Range<usize>,
    pub sentence: Range<usize>,
}

impl Place {
    pub fn by_words(point: &KeyPoint, reference: &Analysed<'_>) -> Option<Self> {
        let found = point
            .phrasings()
            .map(Phrase::new)
            .filter_map(|phrase| matcher::find(&phrase, &reference.tokens))
            .max_by(|a, b| {
                a.similarity
                    .total_cmp(&b.similarity)
                    .then(b.start.cmp(&a.start))
            })?;
        Self::at(found.start..found.end, reference)
    }

    fn at(tokens: Range<usize>, reference: &Analysed<'_>) -> Option<Self> {
        let word = reference.tokens.get(tokens.start)?.word;
        Some(Self {
            clause: reference.clause_of(word)?,
            sentence: reference.sentence_of(word)?,
            tokens,
        })
    }

    /// The reference denies the point where it makes it ("... without managing servers").
    pub fn denied(&self, reference: &Analysed<'_>) -> bool {
        reference.negated[self.tokens.clone()]
            .iter()
            .zip(&reference.tokens[self.tokens.clone()])
            .any(|(&negated, token)| negated && !token.is_stop_word())
    }
}
