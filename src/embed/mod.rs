//! Sentence embeddings: what a span of an answer means, as a vector, so that a key point said in
//! other words can still be recognised.
//!
//! The scorer sees two things only:
//!
//! ```text
//! pub trait Embed {
//!     fn name(&self) -> &str;                                     // e.g. "all-MiniLM-L6-v2"
//!     fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>>;  // one per text, same order
//! }
//! Embedding::cosine(&self, &Embedding) -> f32                     // in [-1, 1]
//! ```
//!
//! Every [`Embedding`] has unit length (or is all zeros, for a text with nothing in it), so its
//! cosine is a plain dot product. Hand [`Embed::embed`] all the texts there are at once (answer
//! spans, key points, reference sentences): the real model sorts them by length and runs them in
//! batches, which is far cheaper than one call per text.
//!
//! The real embedder is [`MiniLm`] (all-MiniLM-L6-v2 run by candle on the CPU). Nothing loads it
//! until a command calls [`load`], which gives [`Availability::Missing`] with a one-line reason
//! when its files are not installed, so that scoring can go on with words alone. Unit tests of
//! other modules use `fake::HashedStems`, which needs no model.

mod cache;
#[cfg(test)]
pub mod fake;
mod memo;
mod minilm;
mod pool;
mod weights;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use cache::{Cached, path as cache_path};
pub use memo::Remembered;
pub use minilm::MiniLm;

/// The embedder's name in the model catalogue, in `score --json` and as its folder in the models
/// dir.
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
/// The files of the model's folder: weights, word pieces, shape.
pub const WEIGHTS_FILE: &str = "model.safetensors";
pub const TOKENIZER_FILE: &str = "tokenizer.json";
pub const CONFIG_FILE: &str = "config.json";
pub const FILES: [&str; 3] = [WEIGHTS_FILE, TOKENIZER_FILE, CONFIG_FILE];

/// Turns texts into sentence embeddings.
pub trait Embed {
    /// The model's name, as `score --json` reports it in `semantic_model`.
    fn name(&self) -> &str;
    /// One embedding per text, in the order of `texts`.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>>;
    /// The same, for texts of the bank (key points, reference sentences), which come back every
    /// time their question is scored: an embedder may remember them (see [`Cached`]).
    fn embed_reference(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        self.embed(texts)
    }
    /// For each text, its sentence embedding and each of its words with the model's vector for
    /// it in its context (the mean of its word pieces' last hidden states, unit length): what
    /// token-level alignment compares. One pass gives both.
    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>>;
}

/// A text's sentence embedding and its words' vectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmbeddedText {
    pub sentence: Embedding,
    pub words: Vec<WordVector>,
}

/// A word of a text and what it means there.
#[derive(Debug, Clone, PartialEq)]
pub struct WordVector {
    /// The word as written (the model's own split: punctuation stands apart).
    pub word: String,
    pub vector: Embedding,
}

/// A sentence vector of unit length (all zeros for a text with no tokens).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// `values` scaled to unit length; the zero vector stays zero.
    pub fn normalised(mut values: Vec<f32>) -> Self {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        Self(values)
    }

    pub fn values(&self) -> &[f32] {
        &self.0
    }

    /// Cosine similarity: the dot product, since both have unit length. Vectors of different
    /// models (different lengths) are unrelated: 0.
    pub fn cosine(&self, other: &Embedding) -> f32 {
        if self.0.len() != other.0.len() {
            return 0.0;
        }
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }
}

/// Whether the embedder could be loaded.
#[derive(Debug)]
pub enum Availability {
    Ready(Box<MiniLm>),
    /// Its files are not installed: `reason` says so in one line, with the command that fetches
    /// them.
    Missing {
        reason: String,
    },
}

/// The folder of the embedder's files inside a models dir.
pub fn folder(models_dir: &Path) -> PathBuf {
    models_dir.join(MODEL_NAME)
}

/// Load the embedder from the models dir. Files that are there but unusable are an error (with
/// the command that repairs them); files that are not there are [`Availability::Missing`].
pub fn load(models_dir: &Path) -> Result<Availability> {
    let folder = folder(models_dir);
    if let Some(absent) = FILES.iter().find(|file| !folder.join(file).exists()) {
        return Ok(Availability::Missing {
            reason: format!(
                "the sentence embedder is not installed (no {}), so answers are matched by their words alone; \
                 get it with: rehearse model fetch {MODEL_NAME}",
                folder.join(absent).display()
            ),
        });
    }
    Ok(Availability::Ready(Box::new(MiniLm::load(&folder)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_of_unit_vectors_is_their_dot_product() {
        let a = Embedding::normalised(vec![3.0, 4.0]);
        let b = Embedding::normalised(vec![4.0, 3.0]);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert!((a.cosine(&b) - 24.0 / 25.0).abs() < 1e-6);
        let opposite = Embedding::normalised(vec![-3.0, -4.0]);
        assert!((a.cosine(&opposite) + 1.0).abs() < 1e-6);
        assert_eq!(a.cosine(&Embedding::normalised(vec![1.0, 0.0, 0.0])), 0.0);
    }

    #[test]
    fn a_missing_file_is_a_reason_not_an_error() -> Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(folder(dir.path()))?;
        std::fs::write(folder(dir.path()).join(CONFIG_FILE), "{}")?;
        match load(dir.path())? {
            Availability::Missing { reason } => {
                assert!(reason.contains(WEIGHTS_FILE), "{reason}");
                assert!(reason.contains("rehearse model fetch all-MiniLM-L6-v2"));
                assert!(!reason.contains('\n'));
            }
            Availability::Ready(_) => panic!("loaded an embedder that has no weights"),
        }
        Ok(())
    }
}
