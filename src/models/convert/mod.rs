//! Converts a CTranslate2 (faster-whisper) Whisper model into whisper.cpp's legacy ggml file.
//!
//! Every output tensor is a row slice of a source tensor, copied as is or upcast exactly, so the
//! converted model computes what the source computes. Only `q8_0` output is lossy, and it is the
//! same reference quantization whisper.cpp's own `quantize` tool applies.
//!
//! Formats and mapping follow `ct2-to-ggml.md`: CTranslate2 `model.bin` binary versions 4 to 6 in,
//! whisper.cpp's legacy (pre-GGUF) ggml layout out.

mod ct2;
mod mel;
mod plan;
mod q8_0;
#[cfg(test)]
mod synthetic;
mod vocabulary;
mod write;

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, ensure};

use super::ggml::{FileType, Hparams};
use ct2::Ct2Model;

/// Weight format of the ggml file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(non_camel_case_types)]
pub enum GgmlType {
    /// Matrices and conv kernels in f16, everything else f32: exact.
    #[default]
    F16,
    /// whisper.cpp's 8-bit block quantization of the 2-D weight matrices; conv kernels stay f16.
    Q8_0,
}

impl GgmlType {
    fn file_type(self) -> FileType {
        match self {
            GgmlType::F16 => FileType::F16,
            GgmlType::Q8_0 => FileType::Q8_0,
        }
    }
}

/// Where a CTranslate2 Whisper model lives on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ct2Source {
    /// `model.bin`, or its parts in order; they are read as one concatenated stream.
    pub model_bin_parts: Vec<PathBuf>,
    /// `vocabulary.txt` (one token per line) or `vocabulary.json` (a list of strings).
    pub vocabulary: PathBuf,
}

impl Ct2Source {
    /// Finds `model.bin` (or `model.bin.part1`, `model.bin.part2`, ...) and the vocabulary in `dir`.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let whole = dir.join("model.bin");
        let model_bin_parts = if whole.is_file() {
            vec![whole]
        } else {
            let parts: Vec<PathBuf> = (1..)
                .map(|i| dir.join(format!("model.bin.part{i}")))
                .take_while(|p| p.is_file())
                .collect();
            ensure!(
                !parts.is_empty(),
                "no model.bin or model.bin.part1 in {}",
                dir.display()
            );
            parts
        };
        let vocabulary = ["vocabulary.json", "vocabulary.txt"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
            .ok_or_else(|| anyhow!("no vocabulary.json or vocabulary.txt in {}", dir.display()))?;
        Ok(Self {
            model_bin_parts,
            vocabulary,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConvertSummary {
    pub hparams: Hparams,
    pub ftype: GgmlType,
    pub n_tensors: usize,
    pub bytes_written: u64,
}

/// Writes the ggml model for `src` to `out` (buffered internally, so a bare `File` is fine).
///
/// Holds the source weights in memory once (75 MB for tiny, 145 MB for base); the output is
/// streamed.
pub fn convert<W: Write>(src: &Ct2Source, out: &mut W, ftype: GgmlType) -> Result<ConvertSummary> {
    ensure!(!src.model_bin_parts.is_empty(), "no model.bin given");
    let tokens = vocabulary::read(&src.vocabulary)
        .with_context(|| format!("reading vocabulary {}", src.vocabulary.display()))?;
    let mut len = 0u64;
    let mut reader: Box<dyn Read> = Box::new(io::empty());
    for part in &src.model_bin_parts {
        let file = File::open(part).with_context(|| format!("opening {}", part.display()))?;
        len += file
            .metadata()
            .with_context(|| format!("reading size of {}", part.display()))?
            .len();
        reader = Box::new(reader.chain(BufReader::new(file)));
    }
    let model = Ct2Model::parse(reader, len).context("reading CTranslate2 model.bin")?;
    write::write_ggml(&model, &tokens, out, ftype)
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Cursor;
    use std::ops::Range;

    use half::bf16;

    use super::ct2::{DType, decode_f32};
    use super::synthetic::{
        D, N_VOCAB, Var, encode, source_rows, synthetic_dir, synthetic_model, synthetic_vars,
        synthetic_vocab,
    };
    use super::vocabulary::N_TEXT_TOKENS;
    use super::*;
    use crate::models::ggml::{self, TensorType};

    fn convert_bytes(src: &Ct2Source, ftype: GgmlType) -> Result<(ConvertSummary, Vec<u8>)> {
        let mut out = Vec::new();
        let summary = convert(src, &mut out, ftype)?;
        Ok((summary, out))
    }

    /// What a ggml file holds, read back through the format's own reader.
    struct GgmlFile {
        hparams: Hparams,
        file_type: i32,
        mel: Vec<f32>,
        tokens: Vec<Vec<u8>>,
        /// Name, type, row-major shape, data.
        tensors: Vec<(String, TensorType, Vec<usize>, Vec<u8>)>,
    }

    fn read_ggml(bytes: &[u8]) -> Result<GgmlFile> {
        let mut r = ggml::Reader::new(Cursor::new(bytes), bytes.len() as u64);
        let (hparams, file_type) = r.header()?;
        let (bands, bins) = r.mel_filters_shape()?;
        let mel = r
            .bytes(4 * u64::try_from(bands * bins)?, "mel filters")?
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut tokens = Vec::new();
        for _ in 0..r.token_count()? {
            let len = r.token_len()?;
            tokens.push(r.bytes(u64::try_from(len)?, "token")?);
        }
        let mut tensors = Vec::new();
        while !r.at_end() {
            let header = r.tensor_header(tensors.len())?;
            let tensor_type = TensorType::from_id(header.type_id)
                .with_context(|| format!("unknown type {}", header.type_id))?;
            let size = tensor_type
                .data_bytes(header.elements())
                .context("partial block")?;
            let data = r.bytes(size, "tensor data")?;
            let shape = header.shape.iter().map(|&d| d as usize).collect();
            tensors.push((String::from_utf8(header.name)?, tensor_type, shape, data));
        }
        Ok(GgmlFile {
            hparams,
            file_type,
            mel,
            tokens,
            tensors,
        })
    }

    fn as_f32(tt: TensorType, data: &[u8]) -> Vec<f32> {
        let dtype = if tt == TensorType::F32 {
            DType::F32
        } else {
            DType::F16
        };
        let mut v = Vec::new();
        decode_f32(dtype, data, &mut v);
        v
    }

    #[test]
    fn converts_synthetic_model_to_f16() -> Result<()> {
        let dir = synthetic_dir()?;
        let src = Ct2Source::from_dir(dir.path()).unwrap();
        let (summary, out) = convert_bytes(&src, GgmlType::F16).unwrap();
        let expected = Hparams {
            n_vocab: N_VOCAB as i32,
            n_audio_ctx: 6,
            n_audio_state: D as i32,
            n_audio_head: 2,
            n_audio_layer: 1,
            n_text_ctx: 5,
            n_text_state: D as i32,
            n_text_head: 2,
            n_text_layer: 2,
            n_mels: 80,
        };
        assert_eq!(summary.hparams, expected);
        assert_eq!(summary.n_tensors, 7 + 15 + 4 + 24 * 2);
        assert_eq!(summary.bytes_written, out.len() as u64);

        let g = read_ggml(&out)?;
        assert_eq!((g.hparams, g.file_type), (expected, 1));
        assert_eq!(g.mel, mel::filters(80));
        assert_eq!(g.tokens.len(), N_TEXT_TOKENS);
        assert_eq!(
            &g.tokens[..4],
            &[b" hello".to_vec(), vec![], b"\n".to_vec(), b"t3".to_vec()]
        );
        assert_eq!(g.tensors.len(), summary.n_tensors);

        let find = |name: &str| {
            g.tensors
                .iter()
                .find(|t| t.0 == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        let mut names: Vec<_> = g.tensors.iter().map(|t| &t.0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), g.tensors.len());

        for (name, tt, dims) in [
            ("encoder.positional_embedding", TensorType::F32, vec![6, D]),
            ("encoder.conv1.weight", TensorType::F16, vec![D, 80, 3]),
            ("encoder.conv1.bias", TensorType::F32, vec![D, 1]),
            (
                "encoder.blocks.0.attn.key.weight",
                TensorType::F16,
                vec![D, D],
            ),
            (
                "encoder.blocks.0.mlp.2.weight",
                TensorType::F16,
                vec![D, 4 * D],
            ),
            ("encoder.ln_post.bias", TensorType::F32, vec![D]),
            (
                "decoder.token_embedding.weight",
                TensorType::F16,
                vec![N_VOCAB, D],
            ),
            ("decoder.positional_embedding", TensorType::F32, vec![5, D]),
            (
                "decoder.blocks.1.cross_attn.value.bias",
                TensorType::F32,
                vec![D],
            ),
        ] {
            let t = find(name);
            assert_eq!((t.1, &t.2), (tt, &dims), "{name}");
        }
        assert!(!g.tensors.iter().any(|t| t.0.contains("key.bias")));

        let same = |dst: &str, src: &str, rows: Range<usize>| {
            let t = find(dst);
            assert_eq!(as_f32(t.1, &t.3), source_rows(src, rows), "{dst}");
        };
        let sa = "decoder/layer_1/self_attention";
        same(
            "decoder.blocks.1.attn.query.weight",
            &format!("{sa}/linear_0/weight"),
            0..D,
        );
        same(
            "decoder.blocks.1.attn.key.weight",
            &format!("{sa}/linear_0/weight"),
            D..2 * D,
        );
        same(
            "decoder.blocks.1.attn.value.weight",
            &format!("{sa}/linear_0/weight"),
            2 * D..3 * D,
        );
        same(
            "decoder.blocks.1.attn.value.bias",
            &format!("{sa}/linear_0/bias"),
            2 * D..3 * D,
        );
        let ca = "decoder/layer_0/attention";
        same(
            "decoder.blocks.0.cross_attn.key.weight",
            &format!("{ca}/linear_1/weight"),
            0..D,
        );
        same(
            "decoder.blocks.0.cross_attn.value.weight",
            &format!("{ca}/linear_1/weight"),
            D..2 * D,
        );
        same(
            "decoder.blocks.0.cross_attn.value.bias",
            &format!("{ca}/linear_1/bias"),
            D..2 * D,
        );
        same(
            "decoder.blocks.0.cross_attn.out.weight",
            &format!("{ca}/linear_2/weight"),
            0..D,
        );
        same("encoder.conv2.bias", "encoder/conv2/bias", 0..D);
        same(
            "encoder.positional_embedding",
            "encoder/position_encodings/encodings",
            0..6,
        );
        same("decoder.ln.weight", "decoder/layer_norm/gamma", 0..D);

        let (_, again) = convert_bytes(&src, GgmlType::F16).unwrap();
        assert!(again == out, "output must be deterministic");
        Ok(())
    }

    #[test]
    fn converts_synthetic_model_to_q8_0() -> Result<()> {
        let dir = synthetic_dir()?;
        let src = Ct2Source::from_dir(dir.path()).unwrap();
        let (_, f16_out) = convert_bytes(&src, GgmlType::F16).unwrap();
        let (summary, out) = convert_bytes(&src, GgmlType::Q8_0).unwrap();
        let (f, q) = (read_ggml(&f16_out)?, read_ggml(&out)?);
        assert_eq!(q.file_type, 2007);
        assert_eq!(q.tensors.len(), summary.n_tensors);
        for (a, b) in f.tensors.iter().zip(&q.tensors) {
            assert_eq!((&a.0, &a.2), (&b.0, &b.2));
            let expect_q8 = a.2.len() == 2 && a.1 == TensorType::F16;
            assert_eq!(b.1 == TensorType::Q8_0, expect_q8, "{}", a.0);
            if expect_q8 {
                let mut requant = Vec::new();
                for block in as_f32(a.1, &a.3).chunks_exact(ggml::Q8_0_BLOCK) {
                    q8_0::quantize(block, &mut requant);
                }
                assert!(requant == b.3, "{}", a.0);
            } else {
                assert!(a.3 == b.3, "{} must be copied unchanged", a.0);
            }
        }
        let t = q
            .tensors
            .iter()
            .find(|t| t.0 == "encoder.conv1.weight")
            .unwrap();
        assert_eq!(t.1, TensorType::F16);
        Ok(())
    }

    #[test]
    fn f32_and_bf16_sources_are_converted() -> Result<()> {
        let mut vars = synthetic_vars();
        let retype = |v: &mut Var, dtype: u8| {
            let mut values = Vec::new();
            decode_f32(DType::F16, &v.data, &mut values);
            v.data = match dtype {
                0 => values.iter().flat_map(|x| x.to_le_bytes()).collect(),
                _ => values
                    .iter()
                    .flat_map(|&x| bf16::from_f32(x).to_le_bytes())
                    .collect(),
            };
            v.dtype = dtype;
        };
        for v in &mut vars {
            match v.name.as_str() {
                "encoder/conv1/weight" | "decoder/layer_0/self_attention/linear_0/weight" => {
                    retype(v, 0)
                }
                "encoder/layer_norm/gamma" | "decoder/layer_1/attention/linear_1/weight" => {
                    retype(v, 5)
                }
                _ => {}
            }
        }
        let dir = tempfile::tempdir()?;
        fs::write(
            dir.path().join("model.bin"),
            encode(4, "WhisperSpec", &vars, &[]),
        )?;
        fs::write(dir.path().join("vocabulary.txt"), synthetic_vocab())?;
        let (_, out) =
            convert_bytes(&Ct2Source::from_dir(dir.path()).unwrap(), GgmlType::F16).unwrap();
        let g = read_ggml(&out)?;
        let find = |name: &str| g.tensors.iter().find(|t| t.0 == name).unwrap();
        let (conv, ln) = (find("encoder.conv1.weight"), find("encoder.ln_post.weight"));
        assert_eq!((conv.1, ln.1), (TensorType::F16, TensorType::F32));
        // The synthetic values are exact in f16, so every route must reproduce them.
        assert_eq!(
            as_f32(conv.1, &conv.3),
            source_rows("encoder/conv1/weight", 0..D)
        );
        let ln_src: Vec<f32> = source_rows("encoder/layer_norm/gamma", 0..D)
            .iter()
            .map(|&x| bf16::from_f32(x).to_f32())
            .collect();
        assert_eq!(as_f32(ln.1, &ln.3), ln_src);
        let k = find("decoder.blocks.0.attn.key.weight");
        let src = source_rows("decoder/layer_0/self_attention/linear_0/weight", D..2 * D);
        assert_eq!(as_f32(k.1, &k.3), src);
        assert_eq!(
            find("decoder.blocks.1.cross_attn.value.weight").1,
            TensorType::F16
        );
        Ok(())
    }

    #[test]
    fn split_model_reads_as_one() -> Result<()> {
        let whole = synthetic_model();
        let dir = tempfile::tempdir()?;
        let cut = whole.len() / 3;
        fs::write(dir.path().join("model.bin.part1"), &whole[..cut])?;
        fs::write(dir.path().join("model.bin.part2"), &whole[cut..])?;
        fs::write(dir.path().join("vocabulary.txt"), synthetic_vocab())?;
        let src = Ct2Source::from_dir(dir.path()).unwrap();
        assert_eq!(src.model_bin_parts.len(), 2);
        let (_, from_parts) = convert_bytes(&src, GgmlType::F16).unwrap();
        let reference = synthetic_dir()?;
        let (_, from_whole) = convert_bytes(
            &Ct2Source::from_dir(reference.path()).unwrap(),
            GgmlType::F16,
        )
        .unwrap();
        assert!(from_parts == from_whole);

        let only_first = Ct2Source {
            model_bin_parts: vec![dir.path().join("model.bin.part1")],
            ..src
        };
        let msg = format!(
            "{:#}",
            convert_bytes(&only_first, GgmlType::F16).unwrap_err()
        );
        assert!(msg.contains("truncated"), "{msg}");
        Ok(())
    }

    #[test]
    fn semantic_errors() -> Result<()> {
        let dir = tempfile::tempdir()?;
        assert!(
            Ct2Source::from_dir(dir.path())
                .unwrap_err()
                .to_string()
                .contains("no model.bin")
        );
        fs::write(dir.path().join("model.bin"), synthetic_model())?;
        assert!(
            Ct2Source::from_dir(dir.path())
                .unwrap_err()
                .to_string()
                .contains("no vocabulary")
        );

        fs::write(dir.path().join("vocabulary.txt"), "a\nb\n")?;
        let src = Ct2Source::from_dir(dir.path()).unwrap();
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("vocabulary has 2 tokens but the model's embedding has 50260 rows"),
            "{msg}"
        );

        let msg = conversion_error(|vars| {
            variable(vars, "encoder/layer_0/self_attention/linear_0/bias").data[2 * D + 2] = 0x3c;
        })?;
        assert!(
            msg.contains("linear_0/bias: rows 32..64 must be zero"),
            "{msg}"
        );
        let msg = conversion_error(|vars| {
            vars.retain(|v| v.name != "decoder/layer_1/ffn/linear_1/bias");
        })?;
        assert!(
            msg.contains("no variable decoder/layer_1/ffn/linear_1/bias"),
            "{msg}"
        );
        let msg = conversion_error(|vars| {
            let w = variable(vars, "encoder/conv2/weight");
            w.dtype = 1;
            w.shape = vec![D, D, 6];
        })?;
        assert!(
            msg.contains("shape [32, 32, 6], expected [32, 32, 3]"),
            "{msg}"
        );
        Ok(())
    }

    fn variable<'v>(vars: &'v mut [Var], name: &str) -> &'v mut Var {
        vars.iter_mut()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("no synthetic variable {name}"))
    }

    /// The error of converting the synthetic model after `edit`.
    fn conversion_error(edit: impl FnOnce(&mut Vec<Var>)) -> Result<String> {
        let dir = tempfile::tempdir()?;
        let mut vars = synthetic_vars();
        edit(&mut vars);
        fs::write(
            dir.path().join("model.bin"),
            encode(6, "WhisperSpec", &vars, &[]),
        )?;
        fs::write(dir.path().join("vocabulary.txt"), synthetic_vocab())?;
        let src = Ct2Source::from_dir(dir.path())?;
        match convert_bytes(&src, GgmlType::F16) {
            Ok(_) => anyhow::bail!("the edited model converted"),
            Err(err) => Ok(format!("{err:#}")),
        }
    }

    #[test]
    fn zero_sized_dimensions_are_rejected() -> Result<()> {
        let msg = conversion_error(|vars| {
            let w = variable(vars, "encoder/conv1/weight");
            w.shape = vec![0, 4_000_000_000, 3];
            w.data.clear();
        })?;
        assert!(msg.contains("n_audio_state = 0, expected 1 to"), "{msg}");
        let msg = conversion_error(|vars| {
            variable(vars, "decoder/num_heads").data = (-1i16).to_le_bytes().to_vec();
        })?;
        assert!(
            msg.contains("decoder/num_heads = -1, expected a positive"),
            "{msg}"
        );
        Ok(())
    }
}
