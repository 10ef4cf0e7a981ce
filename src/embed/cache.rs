//! The bank's texts embedded once: key points, their phrasings and the reference's sentences are
//! the same every time a question is scored, and embedding them is a third of the work of
//! scoring an answer. They are kept in one file per model, keyed by the sha256 of each text.
//!
//! The file is a cache: one that cannot be read (missing, truncated, written for another model,
//! changed on disk, holding a value that is not a finite number) is started afresh, and one that
//! cannot be written only costs time. It never changes a score: a checksum over the whole file
//! catches any byte changed since it was written.
//!
//! Layout (little-endian): the magic `RHEMBED2`; the model name as a `u32` length and UTF-8
//! bytes; `u32` dimensions; `u32` count; then per entry 32 bytes of sha256 and the values as
//! `f32`; last, the sha256 of everything before it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::{Embed, EmbeddedText, Embedding};

const MAGIC: &[u8; 8] = b"RHEMBED2";
/// Beyond this many texts (30 MB of vectors at 384 dimensions) the cache starts over rather than
/// grow without end.
const MAX_ENTRIES: usize = 20_000;

type Key = [u8; 32];

/// An embedder that remembers the embeddings of reference texts on disk.
pub struct Cached {
    inner: Box<dyn Embed>,
    path: PathBuf,
    known: RefCell<HashMap<Key, Embedding>>,
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cached")
            .field("model", &self.inner.name())
            .field("path", &self.path)
            .field("entries", &self.known.borrow().len())
            .finish()
    }
}

impl Cached {
    /// Wrap `inner`, with the texts it embedded before read from `path` when that file is one of
    /// its own.
    pub fn new(inner: Box<dyn Embed>, path: PathBuf) -> Self {
        if let Some(dir) = path.parent() {
            crate::fsutil::sweep_temp_files(dir);
        }
        let known = std::fs::read(&path)
            .ok()
            .and_then(|bytes| decode(&bytes, inner.name()))
            .unwrap_or_default();
        Self {
            inner,
            path,
            known: RefCell::new(known),
        }
    }

    fn save(&self) {
        let bytes = encode(self.inner.name(), &self.known.borrow());
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // A cache that cannot be written costs time on the next run, nothing else.
        let _ = crate::fsutil::write_atomic(&self.path, &bytes);
    }
}

fn key(text: &str) -> Key {
    Sha256::digest(text.as_bytes()).into()
}

impl Embed for Cached {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        self.inner.embed(texts)
    }

    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>> {
        self.inner.embed_words(texts)
    }

    fn embed_reference(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        let keys: Vec<Key> = texts.iter().map(|t| key(t)).collect();
        let missing: Vec<&str> = {
            let known = self.known.borrow();
            texts
                .iter()
                .zip(&keys)
                .filter(|(_, k)| !known.contains_key(*k))
                .map(|(t, _)| *t)
                .collect()
        };
        if !missing.is_empty() {
            let embedded = self.inner.embed(&missing)?;
            {
                let mut known = self.known.borrow_mut();
                if known.len() + missing.len() > MAX_ENTRIES {
                    known.clear();
                }
                for (text, embedding) in missing.iter().zip(embedded) {
                    known.insert(key(text), embedding);
                }
            }
            self.save();
        }
        let known = self.known.borrow();
        keys.iter()
            .map(|k| {
                known.get(k).cloned().ok_or_else(|| {
                    anyhow::anyhow!("an embedding was lost between two lookups of the cache")
                })
            })
            .collect()
    }
}

fn encode(model: &str, known: &HashMap<Key, Embedding>) -> Vec<u8> {
    let dim = known.values().next().map_or(0, |e| e.values().len());
    let mut out = Vec::with_capacity(16 + model.len() + known.len() * (32 + 4 * dim));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(model.len() as u32).to_le_bytes());
    out.extend_from_slice(model.as_bytes());
    out.extend_from_slice(&(dim as u32).to_le_bytes());
    out.extend_from_slice(&(known.len() as u32).to_le_bytes());
    for (key, embedding) in known {
        out.extend_from_slice(key);
        for value in embedding.values() {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    out
}

/// The entries of a cache file written for `model`; `None` for anything else.
fn decode(bytes: &[u8], model: &str) -> Option<HashMap<Key, Embedding>> {
    let (content, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if Sha256::digest(content).as_slice() != checksum {
        return None;
    }
    let mut rest = content.strip_prefix(MAGIC)?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let u32_at = |bytes: &[u8]| -> Option<usize> {
        Some(u32::from_le_bytes(bytes.try_into().ok()?) as usize)
    };
    let name_len = u32_at(take(4)?)?;
    if take(name_len)? != model.as_bytes() {
        return None;
    }
    let dim = u32_at(take(4)?)?;
    let count = u32_at(take(4)?)?;
    if count > MAX_ENTRIES {
        return None;
    }
    let mut known = HashMap::with_capacity(count);
    for _ in 0..count {
        let key: Key = take(32)?.try_into().ok()?;
        let values: Vec<f32> = take(4 * dim)?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if !values.iter().all(|v| v.is_finite()) {
            return None;
        }
        known.insert(key, Embedding(values));
    }
    take(1).is_none().then_some(known)
}

/// Where a models dir's embedder keeps its cache inside the data dir.
pub fn path(data_dir: &Path, model: &str) -> PathBuf {
    data_dir.join("cache").join(format!("{model}.embeddings"))
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::*;
    use crate::embed::fake::{Counting, HashedStems};

    fn counting(file: &Path) -> (Cached, Rc<Cell<usize>>) {
        let counting = Counting::default();
        let count = Rc::clone(&counting.texts);
        (Cached::new(Box::new(counting), file.to_path_buf()), count)
    }

    #[test]
    fn reference_texts_are_embedded_once_across_runs() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let file = path(dir.path(), "counting");
        let texts = ["load balancing", "fully managed container orchestration"];
        let (first, asked) = counting(&file);
        let a = first.embed_reference(&texts)?;
        assert_eq!(a, HashedStems.embed(&texts)?);
        assert_eq!(asked.get(), 2);
        let (second, asked) = counting(&file);
        assert_eq!(
            second.embed_reference(&texts)?,
            a,
            "the same vectors, from the file"
        );
        assert_eq!(second.embed_reference(&["load balancing", "new"])?.len(), 2);
        assert_eq!(asked.get(), 1, "only the new text was embedded");
        // Answers are embedded every time and never kept.
        second.embed(&["my answer"])?;
        second.embed(&["my answer"])?;
        assert_eq!(asked.get(), 3);
        let (third, _) = counting(&file);
        assert_eq!(third.known.borrow().len(), 3);
        Ok(())
    }

    #[test]
    fn a_foreign_or_broken_file_starts_afresh() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let file = path(dir.path(), "counting");
        let (cached, _) = counting(&file);
        cached.embed_reference(&["a point"])?;
        let bytes = std::fs::read(&file)?;
        assert!(decode(&bytes, "counting").is_some());
        assert!(decode(&bytes, "another-model").is_none());
        assert!(decode(&bytes[..bytes.len() - 1], "counting").is_none());
        assert!(decode(b"junk", "counting").is_none());
        std::fs::write(&file, b"RHEMBED2\xff\xff\xff\xff")?;
        let (fresh, asked) = counting(&file);
        assert_eq!(fresh.embed_reference(&["a point"])?.len(), 1);
        assert_eq!(asked.get(), 1);
        Ok(())
    }

    #[test]
    fn a_changed_byte_or_a_nan_is_caught_and_the_cache_rebuilt() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let file = path(dir.path(), "counting");
        let (cached, _) = counting(&file);
        let right = cached.embed_reference(&["a point"])?;
        let bytes = std::fs::read(&file)?;
        // The first value of the one entry, after the header and the 32-byte key.
        let value_at = MAGIC.len() + 4 + "counting".len() + 4 + 4 + 32;
        let mut poisoned = bytes.clone();
        poisoned[value_at..value_at + 4].copy_from_slice(&f32::NAN.to_le_bytes());
        std::fs::write(&file, &poisoned)?;
        let (reread, asked) = counting(&file);
        assert_eq!(reread.embed_reference(&["a point"])?, right);
        assert_eq!(asked.get(), 1, "the poisoned file was not trusted");
        // A NaN written with a checksum that matches it is refused too.
        let mut content = poisoned[..poisoned.len() - 32].to_vec();
        let checksum = Sha256::digest(&content);
        content.extend_from_slice(&checksum);
        assert!(decode(&content, "counting").is_none());
        Ok(())
    }
}
