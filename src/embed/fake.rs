//! A stand-in for the real embedder in unit tests: no model, the same vectors on every run.
//!
//! Each content word's Porter2 stem becomes a fixed pseudo-random vector (seeded by a hash of
//! the stem), and a text is the mean of its words' vectors, normalised: the same pooling the
//! real model uses. Texts that share stems are close, texts that share none are near
//! orthogonal; word order, negation and synonyms mean nothing to it.

use std::cell::Cell;
use std::rc::Rc;

use anyhow::Result;

use super::{Embed, EmbeddedText, Embedding, WordVector, pool};
use crate::text;

/// Length of the fake vectors: enough that unrelated stems are near orthogonal.
const DIM: usize = 64;

/// The bag-of-stems embedder; see the module doc.
#[derive(Debug, Default)]
pub struct HashedStems;

impl Embed for HashedStems {
    fn name(&self) -> &str {
        "hashed-stems"
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        Ok(texts
            .iter()
            .map(|text| {
                let stems: Vec<String> = text::tokenize(text)
                    .into_iter()
                    .filter(|token| !token.is_stop_word())
                    .map(|token| token.stem)
                    .collect();
                let tokens: Vec<f32> = stems.iter().flat_map(|s| stem_vector(s)).collect();
                pool::sentence_embedding(&tokens, DIM, &vec![true; stems.len()])
            })
            .collect())
    }

    /// Each word's vector is its stem's, whatever the context.
    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>> {
        let sentences = self.embed(texts)?;
        Ok(texts
            .iter()
            .zip(sentences)
            .map(|(text, sentence)| EmbeddedText {
                sentence,
                words: text::tokenize(text)
                    .into_iter()
                    .map(|token| WordVector {
                        vector: Embedding::normalised(stem_vector(&token.stem)),
                        word: token.text,
                    })
                    .collect(),
            })
            .collect())
    }
}

/// [`HashedStems`] that counts what an answer costs: texts and passes (calls) of `embed` and
/// `embed_words`, shared with the test through `Rc`s so that the embedder can be boxed or
/// borrowed away. The bank's texts (`embed_reference`) are not counted: a real embedder keeps
/// them on disk.
#[derive(Debug, Default, Clone)]
pub struct Counting {
    pub texts: Rc<Cell<usize>>,
    pub passes: Rc<Cell<usize>>,
}

impl Counting {
    fn count(&self, texts: &[&str]) {
        self.texts.set(self.texts.get() + texts.len());
        self.passes.set(self.passes.get() + 1);
    }
}

impl Embed for Counting {
    fn name(&self) -> &str {
        "counting"
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        self.count(texts);
        HashedStems.embed(texts)
    }

    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>> {
        self.count(texts);
        HashedStems.embed_words(texts)
    }

    fn embed_reference(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        HashedStems.embed(texts)
    }
}

/// A vector of values in [-1, 1) that depends on the stem alone (FNV-1a seeds a SplitMix64).
fn stem_vector(stem: &str) -> Vec<f32> {
    let mut state = stem.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    (0..DIM)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            (z >> 40) as f32 / (1u64 << 23) as f32 - 1.0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &str, b: &str) -> Result<f32> {
        let embeddings = HashedStems.embed(&[a, b])?;
        Ok(embeddings[0].cosine(&embeddings[1]))
    }

    #[test]
    fn same_stems_are_the_same_vector_and_unrelated_words_are_far() -> Result<()> {
        assert!((cosine("Tasks are scheduled", "the task was scheduling")? - 1.0).abs() < 1e-5);
        assert!(cosine("Fargate runs containers", "bananas taste sweet")?.abs() < 0.4);
        let shared = cosine("Fargate runs containers", "Fargate manages servers")?;
        assert!(shared > 0.3 && shared < 0.9, "{shared}");
        Ok(())
    }

    #[test]
    fn embeddings_are_unit_length_or_zero_and_keep_the_order() -> Result<()> {
        let embeddings = HashedStems.embed(&["", "the", "load balancer", "ECS cluster"])?;
        assert_eq!(embeddings.len(), 4);
        assert!(embeddings[0].values().iter().all(|v| *v == 0.0));
        assert!(embeddings[1].values().iter().all(|v| *v == 0.0));
        for embedding in &embeddings[2..] {
            let norm: f32 = embedding.values().iter().map(|v| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
        assert_eq!(embeddings[3], HashedStems.embed(&["ecs clusters"])?[0]);
        Ok(())
    }
}
