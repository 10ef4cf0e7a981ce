//! Checking a whisper.cpp ggml model file before whisper.cpp loads it. whisper.cpp aborts the
//! whole process on some malformed files, so the header, the vocabulary and every tensor record
//! are walked here first (seeking over the data): a truncated, corrupt or foreign file becomes a
//! clear error instead of a crash.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};

const MAGIC: u32 = 0x6767_6d6c;

/// What the header says, and what the walk found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelInfo {
    pub n_vocab: i32,
    pub n_audio_layer: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
    pub tensors: usize,
    pub bytes: u64,
}

impl ModelInfo {
    pub fn is_multilingual(&self) -> bool {
        self.n_vocab >= 51_865
    }

    /// The weight type as whisper.cpp names it.
    pub fn weight_type(&self) -> &'static str {
        match self.ftype % 1000 {
            0 => "f32",
            1 => "f16",
            2 => "q4_0",
            3 => "q4_1",
            7 => "q8_0",
            8 => "q5_0",
            9 => "q5_1",
            _ => "other",
        }
    }
}

/// Bytes a tensor of `elements` takes in ggml type `ttype`, for the types whisper.cpp writes.
fn tensor_bytes(ttype: i32, elements: u64) -> Option<u64> {
    // (block size, bytes per block)
    let (block, bytes) = match ttype {
        0 => (1, 4),   // f32
        1 => (1, 2),   // f16
        2 => (32, 18), // q4_0
        3 => (32, 20), // q4_1
        6 => (32, 22), // q5_0
        7 => (32, 24), // q5_1
        8 => (32, 34), // q8_0
        _ => return None,
    };
    elements
        .is_multiple_of(block)
        .then(|| elements / block * bytes)
}

struct Walker<R> {
    reader: R,
    at: u64,
    len: u64,
}

impl<R: Read + Seek> Walker<R> {
    fn i32(&mut self, what: &str) -> Result<i32> {
        let mut bytes = [0u8; 4];
        self.reader
            .read_exact(&mut bytes)
            .with_context(|| format!("the file ends inside the {what} (at byte {})", self.at))?;
        self.at += 4;
        Ok(i32::from_le_bytes(bytes))
    }

    fn skip(&mut self, bytes: u64, what: &str) -> Result<()> {
        ensure!(
            bytes <= self.len - self.at,
            "the file ends inside the {what}: {bytes} bytes needed at byte {}, {} left",
            self.at,
            self.len - self.at
        );
        let step = i64::try_from(bytes).context("offset too large")?;
        self.reader.seek_relative(step)?;
        self.at += bytes;
        Ok(())
    }
}

/// Walk a ggml model file and report what it holds, or why whisper.cpp must not load it.
pub fn inspect(path: &Path) -> Result<ModelInfo> {
    let file =
        File::open(path).with_context(|| format!("cannot open the model {}", path.display()))?;
    let len = file.metadata()?.len();
    walk(BufReader::new(file), len).with_context(|| {
        format!(
            "{} is not a usable whisper model (truncated, corrupt or another format); \
             fetch it again with `rehearse model fetch`",
            path.display()
        )
    })
}

fn walk<R: Read + Seek>(reader: R, len: u64) -> Result<ModelInfo> {
    let mut w = Walker { reader, at: 0, len };
    let magic = w.i32("magic number")? as u32;
    if magic != MAGIC {
        if magic == u32::from_le_bytes(*b"GGUF") {
            bail!("it is a GGUF file; whisper.cpp needs its own ggml format");
        }
        bail!("no ggml magic number at the start (found {magic:#010x})");
    }
    let mut hparams = [0i32; 11];
    for (value, name) in hparams.iter_mut().zip([
        "n_vocab",
        "n_audio_ctx",
        "n_audio_state",
        "n_audio_head",
        "n_audio_layer",
        "n_text_ctx",
        "n_text_state",
        "n_text_head",
        "n_text_layer",
        "n_mels",
        "ftype",
    ]) {
        *value = w.i32(name)?;
    }
    let [
        n_vocab,
        _,
        n_audio_state,
        _,
        n_audio_layer,
        _,
        n_text_state,
        _,
        n_text_layer,
        n_mels,
        ftype,
    ] = hparams;
    ensure!(
        (50_000..=52_000).contains(&n_vocab)
            && (1..=64).contains(&n_audio_layer)
            && (1..=64).contains(&n_text_layer)
            && (64..=8192).contains(&n_audio_state)
            && (64..=8192).contains(&n_text_state)
            && (n_mels == 80 || n_mels == 128),
        "the header's sizes are not those of a whisper model"
    );

    let filter_mels = w.i32("mel filter header")?;
    let filter_bins = w.i32("mel filter header")?;
    ensure!(
        filter_mels == n_mels && (1..=1024).contains(&filter_bins),
        "the mel filter table has an unexpected shape ({filter_mels} x {filter_bins})"
    );
    w.skip(
        4 * filter_mels as u64 * filter_bins as u64,
        "mel filter table",
    )?;

    let tokens = w.i32("vocabulary size")?;
    ensure!(
        (0..=n_vocab).contains(&tokens),
        "the vocabulary holds {tokens} tokens, more than the model's {n_vocab}"
    );
    for _ in 0..tokens {
        let token_len = w.i32("vocabulary")?;
        ensure!(
            (0..=1024).contains(&token_len),
            "a vocabulary entry is {token_len} bytes long"
        );
        w.skip(token_len as u64, "vocabulary")?;
    }

    let mut tensors = 0usize;
    while w.at < len {
        let n_dims = w.i32("tensor header")?;
        let name_len = w.i32("tensor header")?;
        let ttype = w.i32("tensor header")?;
        ensure!(
            (1..=4).contains(&n_dims) && (1..=256).contains(&name_len),
            "tensor {tensors} has a malformed header"
        );
        let mut elements = 1u64;
        for _ in 0..n_dims {
            let dim = w.i32("tensor shape")?;
            ensure!(dim > 0, "tensor {tensors} has a dimension of {dim}");
            elements = elements.saturating_mul(dim as u64);
        }
        w.skip(name_len as u64, "tensor name")?;
        let Some(bytes) = tensor_bytes(ttype, elements) else {
            bail!("tensor {tensors} has an unknown type {ttype}");
        };
        w.skip(bytes, "tensor data")?;
        tensors += 1;
    }
    // Every whisper model has these many tensors; fewer means the file was cut at a boundary.
    let expected = 7 + 15 * n_audio_layer as usize + 4 + 24 * n_text_layer as usize;
    ensure!(
        tensors == expected,
        "it holds {tensors} tensors where a model of this size has {expected}"
    );
    Ok(ModelInfo {
        n_vocab,
        n_audio_layer,
        n_text_layer,
        n_mels,
        ftype,
        tensors,
        bytes: len,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn put(out: &mut Vec<u8>, v: i32) {
        out.extend_from_slice(&v.to_le_bytes());
    }

    /// A well-formed miniature: 1 audio and 1 text layer, tiny tensors of 3 f32 each.
    fn tiny_model() -> Vec<u8> {
        let mut out = Vec::new();
        put(&mut out, MAGIC as i32);
        for v in [51_864, 1500, 64, 1, 1, 448, 64, 1, 1, 80, 1] {
            put(&mut out, v);
        }
        put(&mut out, 80);
        put(&mut out, 2);
        out.extend_from_slice(&[0u8; 80 * 2 * 4]);
        put(&mut out, 2);
        put(&mut out, 1);
        out.push(b'a');
        put(&mut out, 0);
        for i in 0..(7 + 15 + 4 + 24) {
            let name = format!("t{i:02}");
            for v in [1, name.len() as i32, 0, 3] {
                put(&mut out, v);
            }
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&[0u8; 12]);
        }
        out
    }

    #[test]
    fn accepts_a_whole_model_and_reads_its_header() -> Result<()> {
        let bytes = tiny_model();
        let info = walk(Cursor::new(&bytes), bytes.len() as u64)?;
        assert_eq!(
            (info.tensors, info.n_mels, info.weight_type()),
            (50, 80, "f16")
        );
        assert!(!info.is_multilingual());
        Ok(())
    }

    #[test]
    fn rejects_every_truncation_and_corruption() {
        let bytes = tiny_model();
        for cut in [0, 3, 10, 60, 700, 730, bytes.len() - 13, bytes.len() - 1] {
            let short = &bytes[..cut];
            assert!(
                walk(Cursor::new(short), cut as u64).is_err(),
                "accepted a cut at {cut}"
            );
        }
        let mut foreign = bytes.clone();
        foreign[..4].copy_from_slice(b"GGUF");
        let err = walk(Cursor::new(&foreign), foreign.len() as u64)
            .err()
            .map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("GGUF")));
        let mut bad_type = bytes.clone();
        let first_tensor_type = bytes.len() - 50 * 31 + 8;
        bad_type[first_tensor_type..first_tensor_type + 4].copy_from_slice(&99i32.to_le_bytes());
        assert!(walk(Cursor::new(&bad_type), bad_type.len() as u64).is_err());
        let text = b"this is not a model at all".to_vec();
        assert!(walk(Cursor::new(&text), text.len() as u64).is_err());
    }

    #[test]
    fn tensor_sizes_by_type() {
        assert_eq!(tensor_bytes(0, 10), Some(40));
        assert_eq!(tensor_bytes(1, 10), Some(20));
        assert_eq!(tensor_bytes(8, 64), Some(68));
        assert_eq!(tensor_bytes(8, 33), None);
        assert_eq!(tensor_bytes(42, 1), None);
    }
}
