//! Checking a whisper.cpp ggml model file before whisper.cpp loads it. whisper.cpp aborts the
//! whole process on some malformed files, so the header, the vocabulary and every tensor record
//! are walked here first (seeking over the data): a truncated, corrupt or foreign file becomes a
//! clear error instead of a crash.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};

use super::{FileType, Reader, TensorType};

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
        FileType::from_header(self.ftype).map_or("other", FileType::name)
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
    let mut r = Reader::new(reader, len);
    let (hparams, ftype) = r.header()?;
    let n_vocab = hparams.n_vocab;
    let n_mels = hparams.n_mels;
    ensure!(
        (50_000..=52_000).contains(&n_vocab)
            && (1..=64).contains(&hparams.n_audio_layer)
            && (1..=64).contains(&hparams.n_text_layer)
            && (64..=8192).contains(&hparams.n_audio_state)
            && (64..=8192).contains(&hparams.n_text_state)
            && (n_mels == 80 || n_mels == 128),
        "the header's sizes are not those of a whisper model"
    );

    let (filter_mels, filter_bins) = r.mel_filters_shape()?;
    ensure!(
        filter_mels == n_mels && (1..=1024).contains(&filter_bins),
        "the mel filter table has an unexpected shape ({filter_mels} x {filter_bins})"
    );
    r.skip(
        4 * filter_mels as u64 * filter_bins as u64,
        "mel filter table",
    )?;

    let tokens = r.token_count()?;
    ensure!(
        (0..=n_vocab).contains(&tokens),
        "the vocabulary holds {tokens} tokens, more than the model's {n_vocab}"
    );
    for _ in 0..tokens {
        let token_len = r.token_len()?;
        ensure!(
            (0..=1024).contains(&token_len),
            "a vocabulary entry is {token_len} bytes long"
        );
        r.skip(token_len as u64, "vocabulary")?;
    }

    let mut tensors = 0usize;
    while !r.at_end() {
        let header = r.tensor_header(tensors)?;
        let Some(bytes) =
            TensorType::from_id(header.type_id).and_then(|t| t.data_bytes(header.elements()))
        else {
            bail!(
                "tensor {tensors} has an unknown type {} (or a shape it cannot hold)",
                header.type_id
            );
        };
        r.skip(bytes, "tensor data")?;
        tensors += 1;
    }
    // Every whisper model has these many tensors; fewer means the file was cut at a boundary.
    let expected = 7 + 15 * hparams.n_audio_layer as usize + 4 + 24 * hparams.n_text_layer as usize;
    ensure!(
        tensors == expected,
        "it holds {tensors} tensors where a model of this size has {expected}"
    );
    Ok(ModelInfo {
        n_vocab,
        n_audio_layer: hparams.n_audio_layer,
        n_text_layer: hparams.n_text_layer,
        n_mels,
        ftype,
        tensors,
        bytes: len,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::super::{
        Hparams, write_header, write_mel_filters, write_tensor_header, write_vocabulary,
    };
    use super::*;

    /// A well-formed miniature: 1 audio and 1 text layer, tiny tensors of 3 f32 each.
    fn tiny_model() -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let hparams = Hparams {
            n_vocab: 51_864,
            n_audio_ctx: 1500,
            n_audio_state: 64,
            n_audio_head: 1,
            n_audio_layer: 1,
            n_text_ctx: 448,
            n_text_state: 64,
            n_text_head: 1,
            n_text_layer: 1,
            n_mels: 80,
        };
        write_header(&mut out, &hparams, FileType::F16)?;
        write_mel_filters(&mut out, 80, 2, &[0.0; 80 * 2])?;
        write_vocabulary(&mut out, &[b"a".to_vec(), Vec::new()])?;
        for i in 0..(7 + 15 + 4 + 24) {
            write_tensor_header(&mut out, &format!("t{i:02}"), TensorType::F32, &[3])?;
            out.extend_from_slice(&[0u8; 12]);
        }
        Ok(out)
    }

    #[test]
    fn accepts_a_whole_model_and_reads_its_header() -> Result<()> {
        let bytes = tiny_model()?;
        let info = walk(Cursor::new(&bytes), bytes.len() as u64)?;
        assert_eq!(
            (info.tensors, info.n_mels, info.weight_type()),
            (50, 80, "f16")
        );
        assert!(!info.is_multilingual());
        Ok(())
    }

    #[test]
    fn rejects_every_truncation_and_corruption() -> Result<()> {
        let bytes = tiny_model()?;
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
        Ok(())
    }

    #[test]
    fn tensor_sizes_by_type() {
        let bytes = |id, elements| TensorType::from_id(id).and_then(|t| t.data_bytes(elements));
        assert_eq!(bytes(0, 10), Some(40));
        assert_eq!(bytes(1, 10), Some(20));
        assert_eq!(bytes(8, 64), Some(68));
        assert_eq!(bytes(8, 33), None);
        assert_eq!(bytes(42, 1), None);
    }

    #[test]
    fn file_types_in_the_header() {
        assert_eq!(FileType::F16.header_value(), 1);
        assert_eq!(FileType::Q8_0.header_value(), 2007);
        for value in [7, 1007, 2007] {
            assert_eq!(FileType::from_header(value), Some(FileType::Q8_0));
        }
        assert_eq!(FileType::from_header(5), None);
        assert_eq!(FileType::from_header(-1), None);
    }
}
