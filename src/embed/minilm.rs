//! all-MiniLM-L6-v2 on the CPU: word pieces from the model's own `tokenizer.json`, candle's BERT
//! encoder, then mean pooling and normalisation.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

use super::{
    CONFIG_FILE, Embed, EmbeddedText, Embedding, MODEL_NAME, TOKENIZER_FILE, WEIGHTS_FILE,
    WordVector, pool, weights,
};

/// The model was trained on sequences of up to 256 word pieces (sentence-transformers'
/// `max_seq_length`); longer texts are cut there, as sentence-transformers does.
const MAX_TOKENS: usize = 256;

/// Word pieces (padding included) per forward pass. Texts are sorted by length and packed into
/// batches of at most this many padded tokens: large enough that the matrix products keep both
/// cores busy, small enough that attention over 256-piece texts stays a few MB.
const BATCH_TOKENS: usize = 2048;

/// The loaded model. Loading reads the 90 MB of weights; embedding needs no further file access.
pub struct MiniLm {
    model: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
}

impl std::fmt::Debug for MiniLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MiniLm").field("dim", &self.dim).finish()
    }
}

impl MiniLm {
    /// Load the model from its folder (`config.json`, `tokenizer.json`, `model.safetensors`).
    ///
    /// From then on candle's matrix products run on one core each: [`MiniLm::embed`] and
    /// [`MiniLm::embed_words`] keep the cores busy with a batch each instead (see [`lanes`]).
    /// Its elementwise operations stay on the calling thread when `CANDLE_NUM_THREADS` is 1,
    /// which the binary sets (`src/main.rs`).
    pub fn load(folder: &Path) -> Result<Self> {
        gemm::set_threading_threshold(usize::MAX);
        Self::load_files(folder).with_context(|| {
            format!(
                "cannot load the sentence embedder from {}\n  \
                 Check it with: rehearse model verify {MODEL_NAME} (or fetch it again: rehearse model fetch {MODEL_NAME})",
                folder.display()
            )
        })
    }

    fn load_files(folder: &Path) -> Result<Self> {
        let config_path = folder.join(CONFIG_FILE);
        let config: Config = serde_json::from_str(
            &std::fs::read_to_string(&config_path)
                .with_context(|| format!("cannot read {}", config_path.display()))?,
        )
        .with_context(|| format!("{} is not a BERT config", config_path.display()))?;

        // The word pieces' table is parsed while the weights are read: both are paid on every
        // `rehearse score`.
        let device = Device::Cpu;
        let weights_path = folder.join(WEIGHTS_FILE);
        let (tokenizer, weights) = std::thread::scope(|scope| {
            let weights = scope.spawn(|| weights::load(&weights_path, &device));
            (load_tokenizer(&folder.join(TOKENIZER_FILE)), weights.join())
        });
        let tokenizer = tokenizer?;
        let weights = weights
            .map_err(|_| anyhow!("the thread reading the weights stopped"))?
            .with_context(|| format!("cannot read {}", weights_path.display()))?;
        let model = BertModel::load(
            VarBuilder::from_tensors(weights, DType::F32, &device),
            &config,
        )
        .context("the weights do not fit the config")?;
        Ok(Self {
            model,
            tokenizer,
            dim: config.hidden_size,
        })
    }

    /// The last hidden states of one batch of word-piece sequences, padded to the longest:
    /// `longest × dim` values per sequence, and which of its rows are real pieces.
    fn hidden_states(&self, sequences: &[&[u32]]) -> Result<HiddenStates> {
        let longest = sequences.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(sequences.len() * longest);
        let mut mask = Vec::with_capacity(sequences.len() * longest);
        for sequence in sequences {
            ids.extend_from_slice(sequence);
            ids.resize(mask.len() + longest, 0);
            mask.extend((0..longest).map(|i| u32::from(i < sequence.len())));
        }
        let shape = (sequences.len(), longest);
        let ids = Tensor::from_vec(ids, shape, &Device::Cpu)?;
        let attention = Tensor::from_vec(mask.clone(), shape, &Device::Cpu)?;
        let hidden = self
            .model
            .forward(&ids, &ids.zeros_like()?, Some(&attention))?
            .flatten_all()?
            .to_vec1::<f32>()?;
        let real: Vec<bool> = mask.iter().map(|&m| m == 1).collect();
        Ok((hidden, real, longest))
    }

    fn encode(&self, texts: &[&str]) -> Result<Vec<Encoding>> {
        texts
            .iter()
            .map(|text| self.tokenizer.encode(*text, true))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| anyhow!("cannot split the text into word pieces: {err}"))
    }

    /// Run every encoding through the model in length-sorted batches; `each` gets the index of
    /// the text and its rows (`dim` values per word piece, padding left out). The batches are
    /// dealt to one thread per core, each running its batches alone (see [`lanes`]).
    fn run(
        &self,
        encodings: &[Encoding],
        mut each: impl FnMut(usize, &[f32], &[bool]),
    ) -> Result<()> {
        let lengths: Vec<usize> = encodings.iter().map(|e| e.get_ids().len()).collect();
        let batches = batches(&lengths, BATCH_TOKENS);
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let lanes = lanes(&batches, &lengths, cores);
        let run_lane = |lane: &[usize]| -> Result<Vec<(usize, HiddenStates)>> {
            lane.iter()
                .map(|&b| {
                    let sequences: Vec<&[u32]> =
                        batches[b].iter().map(|&i| encodings[i].get_ids()).collect();
                    Ok((b, self.hidden_states(&sequences)?))
                })
                .collect()
        };
        let done: Vec<Result<Vec<(usize, HiddenStates)>>> = std::thread::scope(|scope| {
            let others: Vec<_> = lanes
                .iter()
                .skip(1)
                .map(|lane| scope.spawn(|| run_lane(lane)))
                .collect();
            let first = lanes
                .first()
                .map_or_else(|| Ok(Vec::new()), |lane| run_lane(lane));
            std::iter::once(first)
                .chain(others.into_iter().map(|thread| {
                    thread.join().unwrap_or_else(|_| {
                        Err(anyhow!("a thread of the sentence embedder stopped"))
                    })
                }))
                .collect()
        });
        for lane in done {
            for (b, (hidden, real, longest)) in lane? {
                for ((&index, rows), real) in batches[b]
                    .iter()
                    .zip(hidden.chunks_exact(longest * self.dim))
                    .zip(real.chunks_exact(longest))
                {
                    each(index, rows, real);
                }
            }
        }
        Ok(())
    }
}

/// A batch's last hidden states: `longest × dim` values per sequence, which rows are real
/// pieces, and `longest`.
type HiddenStates = (Vec<f32>, Vec<bool>, usize);

/// The batches dealt to at most `cores` threads, the costliest first to the least loaded (cost:
/// padded pieces). On two cores, one batch per core with each matrix product on one core
/// scores a 150-word answer in 0.22 s against 0.30 s for the batches in turn with every product
/// split between the cores (BENCHMARKS.md, "Speed"): the products here are too small to split
/// well. [`MiniLm::load`] turns that splitting off.
fn lanes(batches: &[Vec<usize>], lengths: &[usize], cores: usize) -> Vec<Vec<usize>> {
    let cost = |batch: &[usize]| batch.len() * batch.iter().map(|&i| lengths[i]).max().unwrap_or(0);
    let mut order: Vec<usize> = (0..batches.len()).collect();
    order.sort_by_key(|&b| std::cmp::Reverse(cost(&batches[b])));
    let mut lanes: Vec<(usize, Vec<usize>)> =
        vec![(0, Vec::new()); cores.clamp(1, batches.len().max(1))];
    for b in order {
        if let Some((load, lane)) = lanes.iter_mut().min_by_key(|(load, _)| *load) {
            *load += cost(&batches[b]);
            lane.push(b);
        }
    }
    lanes
        .into_iter()
        .map(|(_, lane)| lane)
        .filter(|lane| !lane.is_empty())
        .collect()
}

/// The model's word pieces, without the file's padding and cut at [`MAX_TOKENS`].
fn load_tokenizer(path: &Path) -> Result<Tokenizer> {
    let mut tokenizer = Tokenizer::from_file(path)
        .map_err(|err| anyhow!("{} is not a usable tokenizer: {err}", path.display()))?;
    // The file asks for every text to be padded to 128 pieces; mean pooling over that padding
    // makes unrelated sentences look alike. Batches are padded here instead, with a mask.
    tokenizer.with_padding(None);
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..TruncationParams::default()
        }))
        .map_err(|err| anyhow!("cannot set the tokenizer's truncation: {err}"))?;
    Ok(tokenizer)
}

/// The words of one encoded text, each the mean of its pieces' rows, normalised. [CLS], [SEP]
/// and padding belong to no word.
fn word_vectors(text: &str, encoding: &Encoding, rows: &[f32], dim: usize) -> Vec<WordVector> {
    let mut words: Vec<WordVector> = Vec::new();
    let mut last: Option<u32> = None;
    let mut sum = vec![0f32; dim];
    let mut span = (0, 0);
    let mut pieces = 0;
    let flush = |words: &mut Vec<WordVector>, sum: &mut Vec<f32>, span: (usize, usize)| {
        words.push(WordVector {
            word: text.get(span.0..span.1).unwrap_or_default().to_owned(),
            vector: Embedding::normalised(std::mem::replace(sum, vec![0f32; dim])),
        });
    };
    for ((word, offsets), row) in encoding
        .get_word_ids()
        .iter()
        .zip(encoding.get_offsets())
        .zip(rows.chunks_exact(dim))
    {
        let Some(word) = *word else { continue };
        if last != Some(word) && pieces > 0 {
            flush(&mut words, &mut sum, span);
            pieces = 0;
        }
        if pieces == 0 {
            span = *offsets;
        }
        span.1 = offsets.1;
        sum.iter_mut().zip(row).for_each(|(total, v)| *total += v);
        pieces += 1;
        last = Some(word);
    }
    if pieces > 0 {
        flush(&mut words, &mut sum, span);
    }
    words
}

/// Padding a batch may add, as a share of its real word pieces: a batch is padded to its longest
/// text, and every padded piece costs as much as a real one.
const MAX_PADDING: f64 = 0.25;

/// Indices of `lengths` sorted by length and cut into batches of at most `budget` padded tokens
/// and at most [`MAX_PADDING`] of padding (a single text longer than the budget gets a batch of
/// its own).
fn batches(lengths: &[usize], budget: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut real = 0;
    for index in order {
        let length = lengths[index];
        // Sorted ascending, so the newcomer is the longest of its batch.
        match batches.last_mut() {
            Some(batch)
                if (batch.len() + 1) * length <= budget
                    && ((batch.len() + 1) * length) as f64
                        <= (real + length) as f64 * (1.0 + MAX_PADDING) =>
            {
                batch.push(index);
                real += length;
            }
            _ => {
                batches.push(vec![index]);
                real = length;
            }
        }
    }
    batches
}

impl Embed for MiniLm {
    fn name(&self) -> &str {
        MODEL_NAME
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>> {
        let encodings = self.encode(texts)?;
        let mut embedded: Vec<Option<Embedding>> = vec![None; texts.len()];
        self.run(&encodings, |index, rows, real| {
            embedded[index] = Some(pool::sentence_embedding(rows, self.dim, real));
        })?;
        Ok(embedded.into_iter().flatten().collect())
    }

    fn embed_words(&self, texts: &[&str]) -> Result<Vec<EmbeddedText>> {
        let encodings = self.encode(texts)?;
        let mut embedded: Vec<EmbeddedText> = vec![EmbeddedText::default(); texts.len()];
        self.run(&encodings, |index, rows, real| {
            embedded[index] = EmbeddedText {
                sentence: pool::sentence_embedding(rows, self.dim, real),
                words: word_vectors(texts[index], &encodings[index], rows, self.dim),
            };
        })?;
        Ok(embedded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_group_texts_of_similar_length_within_the_budget() {
        let lengths = [5, 40, 6, 7, 300, 39];
        let batches = batches(&lengths, 80);
        assert_eq!(batches, vec![vec![0, 2, 3], vec![5, 1], vec![4]]);
        // Within the budget, a short text and a long one still go apart: padding 5 to 40
        // would cost more than the short text itself.
        assert_eq!(super::batches(&[5, 40], 1000), vec![vec![0], vec![1]]);
        let mut all: Vec<usize> = batches.concat();
        all.sort_unstable();
        assert_eq!(all, (0..lengths.len()).collect::<Vec<_>>());
    }

    #[test]
    fn batches_are_dealt_to_the_cores_by_their_cost() {
        // Costs (pieces × longest): batch 0 is 100, 1 is 30, 2 is 40, 3 is 60.
        let lengths = [100, 10, 10, 10, 20, 20, 60];
        let batches = vec![vec![0], vec![1, 2, 3], vec![4, 5], vec![6]];
        assert_eq!(lanes(&batches, &lengths, 2), vec![vec![0, 1], vec![3, 2]]);
        assert_eq!(lanes(&batches, &lengths, 1), vec![vec![0, 3, 2, 1]]);
        // No more threads than batches, and none for nothing.
        assert_eq!(lanes(&batches[..1], &lengths, 8), vec![vec![0]]);
        assert!(lanes(&[], &lengths, 2).is_empty());
    }

    #[test]
    fn no_texts_no_batches() {
        assert!(batches(&[], 80).is_empty());
    }
}
