//! One answer's texts embedded once: scoring an answer asks for its spans by several signals
//! (the key points' spans, a story's units), and many are the same words.

use std::cell::RefCell;
use std::collections::HashMap;

use anyhow::Result;

use super::{Embed, EmbeddedText, Embedding};

/// An embedder that remembers what it embedded for as long as it lives: make one per answer.
pub struct Remembered<'a> {
    inner: &'a dyn Embed,
    known: RefCell<HashMap<String, Embedding>>,
}

impl std::fmt::Debug for Remembered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remembered")
            .field("model", &self.inner.name())
            .field("texts", &self.known.borrow().len())
            .finish()
    }
}

impl<'a> Remembered<'a> {
    pub fn new(inner: &'a dyn Embed) -> Self {
        Self {
            inner,
            known: RefCell::new(HashMap::new()),
        }
    }
}

impl Embed for Remembered<'_> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        let missing: Vec<&str> = {
            let known = self.known.borrow();
            let mut missing: Vec<&str> = texts
                .iter()
                .copied()
                .filter(|t| !known.contains_key(*t))
                .collect();
            missing.sort_unstable();
            missing.dedup();
            missing
        };
        if !missing.is_empty() {
            let embedded = self.inner.embed(&missing)?;
            let mut known = self.known.borrow_mut();
            for (text, embedding) in missing.iter().zip(embedded) {
                known.insert((*text).to_owned(), embedding);
            }
        }
        let known = self.known.borrow();
        texts
            .iter()
            .map(|t| {
                known
                    .get(*t)
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("an embedding was lost between two lookups"))
            })
            .collect()
    }

    fn embed_reference(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        self.inner.embed_reference(texts)
    }

    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>> {
        // Each text once, even when several signals asked for it.
        let mut unique: Vec<&str> = Vec::with_capacity(texts.len());
        let mut at: HashMap<&str, usize> = HashMap::with_capacity(texts.len());
        for text in texts {
            at.entry(text).or_insert_with(|| {
                unique.push(text);
                unique.len() - 1
            });
        }
        let embedded = self.inner.embed_words(&unique)?;
        let mut known = self.known.borrow_mut();
        for (text, e) in unique.iter().zip(&embedded) {
            known.insert((*text).to_owned(), e.sentence.clone());
        }
        texts
            .iter()
            .map(|t| {
                at.get(t)
                    .and_then(|&i| embedded.get(i))
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("the embedder left out a text"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::fake::{Counting, HashedStems};

    #[test]
    fn texts_embedded_in_one_pass_are_not_embedded_again() -> Result<()> {
        let counting = Counting::default();
        let remembered = Remembered::new(&counting);
        let words = remembered.embed_words(&["the whole answer", "a span", "a span"])?;
        assert_eq!(words.len(), 3);
        assert_eq!(words[1], words[2]);
        assert_eq!((counting.passes.get(), counting.texts.get()), (1, 2));
        // Asked again, alone or among new texts: only the new ones go to the model.
        let again = remembered.embed(&["a span", "the whole answer"])?;
        assert_eq!((counting.passes.get(), counting.texts.get()), (1, 2));
        assert_eq!(again, HashedStems.embed(&["a span", "the whole answer"])?);
        let mixed = remembered.embed(&["a span", "another span", "another span"])?;
        assert_eq!((counting.passes.get(), counting.texts.get()), (2, 3));
        assert_eq!(mixed[1], mixed[2]);
        Ok(())
    }
}
