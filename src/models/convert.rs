//! Converts a CTranslate2 (faster-whisper) Whisper model into whisper.cpp's legacy ggml file.
//!
//! Every output tensor is a row slice of a source tensor, copied as is or upcast exactly, so the
//! converted model computes what the source computes. Only `q8_0` output is lossy, and it is the
//! same reference quantization whisper.cpp's own `quantize` tool applies.
//!
//! Formats and mapping follow `ct2-to-ggml.md`: CTranslate2 `model.bin` binary versions 4 to 6 in,
//! whisper.cpp's legacy (pre-GGUF) ggml layout out.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail, ensure};
use half::{bf16, f16};

const GGML_MAGIC: u32 = 0x6767_6d6c;
/// whisper.cpp stores a quantized file's ftype as `GGML_QNT_VERSION * 1000 + ftype`.
const GGML_QNT_VERSION: i32 = 2;
const GGML_TYPE_F32: i32 = 0;
const GGML_TYPE_F16: i32 = 1;
const GGML_TYPE_Q8_0: i32 = 8;
const QK8_0: usize = 32;

/// GPT-2's byte-level BPE tokens plus `<|endoftext|>`; whisper.cpp derives the special tokens
/// after these itself.
const N_TEXT_TOKENS: usize = 50_257;

const SAMPLE_RATE: f64 = 16_000.0;
const N_FFT: usize = 400;
const N_FREQ_BINS: usize = N_FFT / 2 + 1;

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
    fn header_ftype(self) -> i32 {
        match self {
            GgmlType::F16 => 1,
            GgmlType::Q8_0 => GGML_QNT_VERSION * 1000 + 7,
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

/// Hyperparameters as written in the ggml header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
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
    let tokens = read_vocabulary(&src.vocabulary)
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
    write_ggml(&model, &tokens, out, ftype)
}

// ---------------------------------------------------------------------------------------------
// CTranslate2 model.bin

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    BF16,
}

impl DType {
    fn from_id(id: u8) -> Result<Self> {
        Ok(match id {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::BF16,
            _ => bail!("unknown dtype id {id} (expected 0 to 5)"),
        })
    }

    fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::BF16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }

    fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F16 | DType::BF16)
    }
}

#[derive(Debug)]
struct Variable {
    shape: Vec<usize>,
    dtype: DType,
    data: Vec<u8>,
}

impl Variable {
    fn row_bytes(&self) -> usize {
        self.shape.iter().skip(1).product::<usize>() * self.dtype.size()
    }

    fn rows(&self, rows: Range<usize>) -> &[u8] {
        let rb = self.row_bytes();
        &self.data[rows.start * rb..rows.end * rb]
    }
}

#[derive(Debug)]
struct Ct2Model {
    vars: HashMap<String, Variable>,
    aliases: HashMap<String, String>,
}

/// Reads little-endian fields while tracking how much of the file is left, so that a corrupt
/// length is reported instead of being allocated.
struct BinReader<R> {
    inner: R,
    pos: u64,
    len: u64,
}

impl<R: Read> BinReader<R> {
    fn fill(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        let n = buf.len() as u64;
        let remaining = self.len - self.pos;
        ensure!(
            n <= remaining,
            "file truncated: {what} at byte {} needs {n} bytes, only {remaining} left",
            self.pos
        );
        self.inner
            .read_exact(buf)
            .with_context(|| format!("reading {what} at byte {}", self.pos))?;
        self.pos += n;
        Ok(())
    }

    fn take(&mut self, n: u64, what: &str) -> Result<Vec<u8>> {
        let remaining = self.len - self.pos;
        ensure!(
            n <= remaining,
            "file truncated: {what} at byte {} needs {n} bytes, only {remaining} left",
            self.pos
        );
        let mut buf = vec![0; usize::try_from(n)?];
        self.fill(&mut buf, what)?;
        Ok(buf)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N]> {
        let mut buf = [0; N];
        self.fill(&mut buf, what)?;
        Ok(buf)
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A `u16` length that counts a trailing NUL, then the bytes and the NUL.
    fn string(&mut self, what: &str) -> Result<String> {
        let n = self.u16(what)?;
        let mut bytes = self.take(n.into(), what)?;
        ensure!(
            bytes.pop() == Some(0),
            "{what} at byte {} is not NUL-terminated",
            self.pos
        );
        String::from_utf8(bytes)
            .map_err(|_| anyhow!("{what} before byte {} is not UTF-8", self.pos))
    }
}

impl Ct2Model {
    fn parse(reader: impl Read, len: u64) -> Result<Self> {
        let mut r = BinReader {
            inner: reader,
            pos: 0,
            len,
        };
        let version = r.u32("binary version")?;
        if version == GGML_MAGIC {
            bail!("this is already a ggml file, not a CTranslate2 model.bin");
        }
        ensure!(
            (4..=6).contains(&version),
            "unsupported CTranslate2 binary version {version} (expected 4 to 6)"
        );
        let spec = r.string("spec name")?;
        ensure!(
            spec == "WhisperSpec",
            "spec is {spec:?}, expected \"WhisperSpec\""
        );
        r.u32("spec revision")?;

        let count = r.u32("variable count")?;
        let mut vars = HashMap::new();
        for i in 0..count {
            let name = r.string(&format!("name of variable {i}"))?;
            let rank = r.u8(&name)?;
            let shape = (0..rank)
                .map(|_| Ok(r.u32(&name)? as usize))
                .collect::<Result<Vec<_>>>()?;
            let dtype = DType::from_id(r.u8(&name)?).with_context(|| format!("variable {name}"))?;
            let n_bytes = r.u32(&name)?;
            let expected = shape
                .iter()
                .try_fold(dtype.size() as u64, |acc, &d| acc.checked_mul(d as u64));
            ensure!(
                expected == Some(n_bytes.into()),
                "variable {name}: shape {shape:?} of {dtype:?} needs {expected:?} bytes, header says {n_bytes}"
            );
            let data = r.take(n_bytes.into(), &format!("data of {name}"))?;
            if vars
                .insert(name.clone(), Variable { shape, dtype, data })
                .is_some()
            {
                bail!("variable {name} appears twice");
            }
        }

        let count = r.u32("alias count")?;
        let mut aliases = HashMap::new();
        for i in 0..count {
            let alias = r.string(&format!("alias {i}"))?;
            let target = r.string(&format!("target of alias {alias}"))?;
            aliases.insert(alias, target);
        }
        ensure!(
            r.pos == len,
            "{} unexpected bytes after the aliases",
            len - r.pos
        );
        Ok(Self { vars, aliases })
    }

    fn get(&self, name: &str) -> Result<&Variable> {
        let target = self.aliases.get(name).map_or(name, String::as_str);
        self.vars
            .get(target)
            .ok_or_else(|| anyhow!("model.bin has no variable {name}"))
    }

    fn scalar(&self, name: &str) -> Result<i64> {
        let v = self.get(name)?;
        ensure!(
            v.shape.is_empty(),
            "{name}: expected a scalar, found shape {:?}",
            v.shape
        );
        let d = &v.data;
        Ok(match v.dtype {
            DType::I8 => i8::from_le_bytes([d[0]]).into(),
            DType::I16 => i16::from_le_bytes([d[0], d[1]]).into(),
            DType::I32 => i32::from_le_bytes([d[0], d[1], d[2], d[3]]).into(),
            other => bail!("{name}: expected an integer scalar, found {other:?}"),
        })
    }

    /// Layers are numbered from 0 with no gaps; a gap surfaces as a missing variable later.
    fn layer_count(&self, stack: &str) -> usize {
        let prefix = format!("{stack}/layer_");
        self.vars
            .keys()
            .filter_map(|k| {
                k.strip_prefix(&prefix)?
                    .split('/')
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .map(|i| i.saturating_add(1))
            .max()
            .unwrap_or(0)
    }

    fn float(&self, name: &str, shape: &[usize]) -> Result<&Variable> {
        let v = self.get(name)?;
        ensure!(
            v.shape == shape,
            "{name}: shape {:?}, expected {shape:?}",
            v.shape
        );
        ensure!(
            v.dtype.is_float(),
            "{name} is {:?}; int8-quantized CTranslate2 models are not supported, use a float16 one",
            v.dtype
        );
        Ok(v)
    }

    fn dim(&self, name: &str, rank: usize, axis: usize) -> Result<usize> {
        let v = self.get(name)?;
        ensure!(
            v.shape.len() == rank,
            "{name}: shape {:?}, expected rank {rank}",
            v.shape
        );
        Ok(v.shape[axis])
    }
}

// ---------------------------------------------------------------------------------------------
// Tensor mapping

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A 2-D weight matrix: f16, or quantized.
    Matrix,
    /// whisper.cpp's conv path wants f16 even in quantized files.
    Conv,
    /// Vectors, conv biases and positional embeddings.
    F32,
}

struct Tensor<'m> {
    name: String,
    src: &'m Variable,
    rows: Range<usize>,
    shape: Vec<usize>,
    kind: Kind,
}

struct Planner<'m> {
    model: &'m Ct2Model,
    tensors: Vec<Tensor<'m>>,
}

impl<'m> Planner<'m> {
    fn copy(&mut self, dst: &str, src: &str, shape: &[usize], kind: Kind) -> Result<()> {
        self.copy_as(dst, src, shape, shape, kind)
    }

    fn copy_as(
        &mut self,
        dst: &str,
        src: &str,
        shape: &[usize],
        out: &[usize],
        kind: Kind,
    ) -> Result<()> {
        let var = self.model.float(src, shape)?;
        self.tensors.push(Tensor {
            name: dst.to_owned(),
            src: var,
            rows: 0..shape[0],
            shape: out.to_vec(),
            kind,
        });
        Ok(())
    }

    /// Splits `src` into equal row blocks; `None` marks a block that must be zero and is dropped
    /// (ggml's attention has no key bias).
    fn split(
        &mut self,
        src: &str,
        shape: &[usize],
        parts: &[Option<String>],
        kind: Kind,
    ) -> Result<()> {
        let var = self.model.float(src, shape)?;
        let n = shape[0] / parts.len();
        for (i, part) in parts.iter().enumerate() {
            let rows = i * n..(i + 1) * n;
            match part {
                Some(dst) => {
                    let mut out = shape.to_vec();
                    out[0] = n;
                    self.tensors.push(Tensor {
                        name: dst.clone(),
                        src: var,
                        rows,
                        shape: out,
                        kind,
                    });
                }
                None => {
                    let mut values = Vec::new();
                    decode_f32(var.dtype, var.rows(rows.clone()), &mut values);
                    ensure!(
                        values.iter().all(|&v| v == 0.0),
                        "{src}: rows {rows:?} must be zero, ggml has no slot for them"
                    );
                }
            }
        }
        Ok(())
    }

    fn layer_norm(&mut self, src: &str, dst: &str, d: usize) -> Result<()> {
        self.copy(
            &format!("{dst}.weight"),
            &format!("{src}/gamma"),
            &[d],
            Kind::F32,
        )?;
        self.copy(
            &format!("{dst}.bias"),
            &format!("{src}/beta"),
            &[d],
            Kind::F32,
        )
    }

    fn linear(&mut self, src: &str, dst: &str, rows: usize, cols: usize) -> Result<()> {
        self.copy(
            &format!("{dst}.weight"),
            &format!("{src}/weight"),
            &[rows, cols],
            Kind::Matrix,
        )?;
        self.copy(
            &format!("{dst}.bias"),
            &format!("{src}/bias"),
            &[rows],
            Kind::F32,
        )
    }

    fn self_attention(&mut self, src: &str, dst: &str, d: usize) -> Result<()> {
        let s = format!("{src}/self_attention");
        let a = format!("{dst}.attn");
        let names =
            |suffix: &str| ["query", "key", "value"].map(|p| Some(format!("{a}.{p}.{suffix}")));
        self.split(
            &format!("{s}/linear_0/weight"),
            &[3 * d, d],
            &names("weight"),
            Kind::Matrix,
        )?;
        let [q, _, v] = names("bias");
        self.split(
            &format!("{s}/linear_0/bias"),
            &[3 * d],
            &[q, None, v],
            Kind::F32,
        )?;
        self.linear(&format!("{s}/linear_1"), &format!("{a}.out"), d, d)?;
        self.layer_norm(&format!("{s}/layer_norm"), &format!("{dst}.attn_ln"), d)
    }

    fn cross_attention(&mut self, src: &str, dst: &str, d: usize, d_audio: usize) -> Result<()> {
        let s = format!("{src}/attention");
        let a = format!("{dst}.cross_attn");
        self.linear(&format!("{s}/linear_0"), &format!("{a}.query"), d, d)?;
        let kv = |suffix: &str| ["key", "value"].map(|p| Some(format!("{a}.{p}.{suffix}")));
        self.split(
            &format!("{s}/linear_1/weight"),
            &[2 * d, d_audio],
            &kv("weight"),
            Kind::Matrix,
        )?;
        let [_, v] = kv("bias");
        self.split(
            &format!("{s}/linear_1/bias"),
            &[2 * d],
            &[None, v],
            Kind::F32,
        )?;
        self.linear(&format!("{s}/linear_2"), &format!("{a}.out"), d, d)?;
        self.layer_norm(
            &format!("{s}/layer_norm"),
            &format!("{dst}.cross_attn_ln"),
            d,
        )
    }

    fn ffn(&mut self, src: &str, dst: &str, d: usize) -> Result<()> {
        let f = format!("{src}/ffn");
        let hidden = self.model.dim(&format!("{f}/linear_0/weight"), 2, 0)?;
        self.linear(&format!("{f}/linear_0"), &format!("{dst}.mlp.0"), hidden, d)?;
        self.linear(&format!("{f}/linear_1"), &format!("{dst}.mlp.2"), d, hidden)?;
        self.layer_norm(&format!("{f}/layer_norm"), &format!("{dst}.mlp_ln"), d)
    }
}

fn plan(model: &Ct2Model) -> Result<(Hparams, Vec<Tensor<'_>>)> {
    let n_vocab = model.dim("decoder/embeddings/weight", 2, 0)?;
    let d_text = model.dim("decoder/embeddings/weight", 2, 1)?;
    let n_text_ctx = model.dim("decoder/position_encodings/encodings", 2, 0)?;
    let n_audio_ctx = model.dim("encoder/position_encodings/encodings", 2, 0)?;
    let d_audio = model.dim("encoder/conv1/weight", 3, 0)?;
    let n_mels = model.dim("encoder/conv1/weight", 3, 1)?;
    let n_audio_layer = model.layer_count("encoder");
    let n_text_layer = model.layer_count("decoder");
    ensure!(
        n_audio_layer > 0 && n_text_layer > 0,
        "model.bin has no encoder or no decoder layers"
    );

    // Zero-sized dimensions carry no data, so they could smuggle any other size past the file
    // length checks (e.g. a 0 × 4e9 conv kernel); reject them.
    let i32_of = |what: &str, v: usize| match i32::try_from(v) {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(anyhow!("{what} = {v}, expected 1 to {}", i32::MAX)),
    };
    let head_count = |name: &str| -> Result<i32> {
        let n = model.scalar(name)?;
        ensure!(n > 0, "{name} = {n}, expected a positive head count");
        i32_of(name, usize::try_from(n)?)
    };
    let hparams = Hparams {
        n_vocab: i32_of("n_vocab", n_vocab)?,
        n_audio_ctx: i32_of("n_audio_ctx", n_audio_ctx)?,
        n_audio_state: i32_of("n_audio_state", d_audio)?,
        n_audio_head: head_count("encoder/num_heads")?,
        n_audio_layer: i32_of("n_audio_layer", n_audio_layer)?,
        n_text_ctx: i32_of("n_text_ctx", n_text_ctx)?,
        n_text_state: i32_of("n_text_state", d_text)?,
        n_text_head: head_count("decoder/num_heads")?,
        n_text_layer: i32_of("n_text_layer", n_text_layer)?,
        n_mels: i32_of("n_mels", n_mels)?,
    };

    let mut p = Planner {
        model,
        tensors: Vec::new(),
    };
    let d = d_audio;
    p.copy(
        "encoder.positional_embedding",
        "encoder/position_encodings/encodings",
        &[n_audio_ctx, d],
        Kind::F32,
    )?;
    p.copy(
        "encoder.conv1.weight",
        "encoder/conv1/weight",
        &[d, n_mels, 3],
        Kind::Conv,
    )?;
    p.copy_as(
        "encoder.conv1.bias",
        "encoder/conv1/bias",
        &[d],
        &[d, 1],
        Kind::F32,
    )?;
    p.copy(
        "encoder.conv2.weight",
        "encoder/conv2/weight",
        &[d, d, 3],
        Kind::Conv,
    )?;
    p.copy_as(
        "encoder.conv2.bias",
        "encoder/conv2/bias",
        &[d],
        &[d, 1],
        Kind::F32,
    )?;
    for i in 0..n_audio_layer {
        let (src, dst) = (format!("encoder/layer_{i}"), format!("encoder.blocks.{i}"));
        p.self_attention(&src, &dst, d)?;
        p.ffn(&src, &dst, d)?;
    }
    p.layer_norm("encoder/layer_norm", "encoder.ln_post", d)?;

    let d = d_text;
    p.copy(
        "decoder.token_embedding.weight",
        "decoder/embeddings/weight",
        &[n_vocab, d],
        Kind::Matrix,
    )?;
    p.copy(
        "decoder.positional_embedding",
        "decoder/position_encodings/encodings",
        &[n_text_ctx, d],
        Kind::F32,
    )?;
    for i in 0..n_text_layer {
        let (src, dst) = (format!("decoder/layer_{i}"), format!("decoder.blocks.{i}"));
        p.self_attention(&src, &dst, d)?;
        p.cross_attention(&src, &dst, d, d_audio)?;
        p.ffn(&src, &dst, d)?;
    }
    p.layer_norm("decoder/layer_norm", "decoder.ln", d)?;
    Ok((hparams, p.tensors))
}

// ---------------------------------------------------------------------------------------------
// ggml output

struct Counter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn put_i32(w: &mut impl Write, v: i32) -> io::Result<()> {
    w.write_all(&v.to_le_bytes())
}

fn write_ggml<W: Write>(
    model: &Ct2Model,
    tokens: &[Vec<u8>],
    out: &mut W,
    ftype: GgmlType,
) -> Result<ConvertSummary> {
    let (hp, tensors) = plan(model)?;
    ensure!(
        tokens.len() == hp.n_vocab as usize,
        "vocabulary has {} tokens but the model's embedding has {} rows",
        tokens.len(),
        hp.n_vocab
    );
    ensure!(
        tokens.len() >= N_TEXT_TOKENS,
        "vocabulary has {} tokens, expected at least {N_TEXT_TOKENS}",
        tokens.len()
    );

    let mut w = Counter {
        inner: BufWriter::with_capacity(1 << 20, out),
        written: 0,
    };
    w.write_all(&GGML_MAGIC.to_le_bytes())?;
    for v in [
        hp.n_vocab,
        hp.n_audio_ctx,
        hp.n_audio_state,
        hp.n_audio_head,
        hp.n_audio_layer,
        hp.n_text_ctx,
        hp.n_text_state,
        hp.n_text_head,
        hp.n_text_layer,
        hp.n_mels,
        ftype.header_ftype(),
    ] {
        put_i32(&mut w, v)?;
    }

    let n_mels = hp.n_mels as usize;
    put_i32(&mut w, hp.n_mels)?;
    put_i32(&mut w, N_FREQ_BINS as i32)?;
    for v in mel_filters(n_mels) {
        w.write_all(&v.to_le_bytes())?;
    }

    put_i32(&mut w, N_TEXT_TOKENS as i32)?;
    for token in &tokens[..N_TEXT_TOKENS] {
        put_i32(&mut w, i32::try_from(token.len())?)?;
        w.write_all(token)?;
    }

    let mut scratch = TensorScratch::default();
    for t in &tensors {
        write_tensor(&mut w, t, ftype, &mut scratch)
            .with_context(|| format!("writing tensor {}", t.name))?;
    }
    w.flush()?;
    Ok(ConvertSummary {
        hparams: hp,
        ftype,
        n_tensors: tensors.len(),
        bytes_written: w.written,
    })
}

#[derive(Default)]
struct TensorScratch {
    values: Vec<f32>,
    bytes: Vec<u8>,
}

/// Elements converted per pass: bounds scratch memory and is a whole number of q8_0 blocks.
const CHUNK: usize = 64 * QK8_0 * 32;

fn write_tensor(
    w: &mut impl Write,
    t: &Tensor,
    ftype: GgmlType,
    s: &mut TensorScratch,
) -> Result<()> {
    let ggml_type = match (t.kind, ftype) {
        (Kind::F32, _) => GGML_TYPE_F32,
        (Kind::Conv, _) | (Kind::Matrix, GgmlType::F16) => GGML_TYPE_F16,
        (Kind::Matrix, GgmlType::Q8_0) => GGML_TYPE_Q8_0,
    };
    if ggml_type == GGML_TYPE_Q8_0 {
        let row = *t.shape.last().expect("matrices have two dims");
        ensure!(
            row.is_multiple_of(QK8_0),
            "row length {row} is not a multiple of {QK8_0}, q8_0 cannot hold it"
        );
    }

    put_i32(w, t.shape.len() as i32)?;
    put_i32(w, t.name.len() as i32)?;
    put_i32(w, ggml_type)?;
    for &d in t.shape.iter().rev() {
        put_i32(w, i32::try_from(d)?)?;
    }
    w.write_all(t.name.as_bytes())?;

    let dtype = t.src.dtype;
    let data = t.src.rows(t.rows.clone());
    let exact = match ggml_type {
        GGML_TYPE_F32 => dtype == DType::F32,
        GGML_TYPE_F16 => dtype == DType::F16,
        _ => false,
    };
    if exact {
        w.write_all(data)?;
        return Ok(());
    }
    for chunk in data.chunks(CHUNK * dtype.size()) {
        s.values.clear();
        decode_f32(dtype, chunk, &mut s.values);
        s.bytes.clear();
        match ggml_type {
            GGML_TYPE_F32 => s
                .bytes
                .extend(s.values.iter().flat_map(|v| v.to_le_bytes())),
            GGML_TYPE_F16 => s.bytes.extend(
                s.values
                    .iter()
                    .flat_map(|&v| f16::from_f32(v).to_le_bytes()),
            ),
            _ => {
                for block in s.values.chunks_exact(QK8_0) {
                    quantize_q8_0(block, &mut s.bytes);
                }
            }
        }
        w.write_all(&s.bytes)?;
    }
    Ok(())
}

fn decode_f32(dtype: DType, bytes: &[u8], out: &mut Vec<f32>) {
    match dtype {
        DType::F32 => out.extend(
            bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        ),
        DType::F16 => out.extend(
            bytes
                .chunks_exact(2)
                .map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32()),
        ),
        DType::BF16 => out.extend(
            bytes
                .chunks_exact(2)
                .map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32()),
        ),
        // Tensors are checked to be float before they are planned.
        DType::I8 | DType::I16 | DType::I32 => unreachable!("integer tensor reached conversion"),
    }
}

/// ggml's reference q8_0 (the deterministic one used to create model files): scale by the inverse
/// of max|x|/127 in f32, round half away from zero, store the scale as f16 before the 32 bytes.
fn quantize_q8_0(block: &[f32], out: &mut Vec<u8>) {
    let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
    out.extend(block.iter().map(|&v| (v * id).round() as i8 as u8));
}

// ---------------------------------------------------------------------------------------------
// Mel filter bank

fn hz_to_mel(hz: f64) -> f64 {
    // Slaney: linear below 1 kHz, logarithmic above.
    let f_sp = 200.0 / 3.0;
    let min_log_mel = 1000.0 / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if hz >= 1000.0 {
        min_log_mel + (hz / 1000.0).ln() / logstep
    } else {
        hz / f_sp
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_mel = 1000.0 / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        1000.0 * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// librosa's `filters.mel(sr=16000, n_fft=400, n_mels)` (Slaney scale and area norm), row-major
/// `n_mels × 201`. The arithmetic follows numpy's order of operations and both of librosa's f32
/// roundings, which reproduces OpenAI's published 80-band table bit for bit.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let bin_hz = 1.0 / (N_FFT as f64 * (1.0 / SAMPLE_RATE));
    let fft_freqs: Vec<f64> = (0..N_FREQ_BINS).map(|k| k as f64 * bin_hz).collect();

    let n_points = n_mels + 2;
    let max_mel = hz_to_mel(SAMPLE_RATE / 2.0);
    let step = max_mel / (n_points - 1) as f64;
    let mel_f: Vec<f64> = (0..n_points)
        .map(|i| {
            if i == n_points - 1 {
                max_mel
            } else {
                i as f64 * step
            }
        })
        .map(mel_to_hz)
        .collect();

    let mut weights = Vec::with_capacity(n_mels * N_FREQ_BINS);
    for i in 0..n_mels {
        let (lo, mid, hi) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
        let enorm = 2.0 / (hi - lo);
        weights.extend(fft_freqs.iter().map(|&f| {
            let lower = -(lo - f) / (mid - lo);
            let upper = (hi - f) / (hi - mid);
            // `>=` keeps the -0.0 numpy's maximum(0, -0.0) returns at cell [0][0], as in OpenAI's
            // mel_filters.npz; real negatives become +0.0.
            let tri = lower.min(upper);
            let tri = if tri >= 0.0 { tri as f32 } else { 0.0 };
            (f64::from(tri) * enorm) as f32
        }));
    }
    weights
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

fn read_vocabulary(path: &Path) -> Result<Vec<Vec<u8>>> {
    let text = fs::read_to_string(path)?;
    let tokens = if path.extension().is_some_and(|e| e == "json") {
        parse_json_strings(&text)?
    } else {
        // CTranslate2 reads lines, so a final newline ends the last token rather than adding one.
        let body = text.strip_suffix('\n').unwrap_or(&text);
        body.split('\n').map(str::to_owned).collect()
    };
    tokens
        .iter()
        .enumerate()
        .map(|(id, t)| {
            gpt2_token_bytes(t)
                .ok_or_else(|| anyhow!("token {id} {t:?} is not in GPT-2's byte alphabet"))
        })
        .collect()
}

/// GPT-2 spells bytes as printable characters: the 188 printable Latin-1 bytes stand for
/// themselves and the other 68 bytes are shifted, in order, to U+0100..U+0143.
fn gpt2_token_bytes(token: &str) -> Option<Vec<u8>> {
    token
        .chars()
        .map(|c| match c as u32 {
            b @ (0x21..=0x7e | 0xa1..=0xac | 0xae..=0xff) => Some(b as u8),
            n @ 0x100..=0x143 => Some(match n - 0x100 {
                k @ 0..=32 => k as u8,
                k @ 33..=66 => (k - 33 + 0x7f) as u8,
                _ => 0xad,
            }),
            _ => None,
        })
        .collect()
}

/// Parses a JSON array of strings, the only shape `vocabulary.json` takes.
fn parse_json_strings(text: &str) -> Result<Vec<String>> {
    let mut chars = text.char_indices().peekable();
    let mut tokens = Vec::new();
    expect_char(&mut chars, '[')?;
    skip_ws(&mut chars);
    if chars.next_if(|&(_, c)| c == ']').is_none() {
        loop {
            expect_char(&mut chars, '"')?;
            tokens.push(json_string_body(&mut chars)?);
            skip_ws(&mut chars);
            match chars.next() {
                Some((_, ',')) => {}
                Some((_, ']')) => break,
                Some((i, c)) => bail!("JSON: expected ',' or ']' at byte {i}, found {c:?}"),
                None => bail!("JSON: unterminated array"),
            }
        }
    }
    skip_ws(&mut chars);
    if let Some((i, _)) = chars.next() {
        bail!("JSON: trailing data at byte {i}");
    }
    Ok(tokens)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn skip_ws(chars: &mut Chars) {
    while chars.next_if(|&(_, c)| c.is_ascii_whitespace()).is_some() {}
}

fn expect_char(chars: &mut Chars, want: char) -> Result<()> {
    skip_ws(chars);
    match chars.next() {
        Some((_, c)) if c == want => Ok(()),
        Some((i, c)) => bail!("JSON: expected {want:?} at byte {i}, found {c:?}"),
        None => bail!("JSON: expected {want:?}, found the end"),
    }
}

fn hex4(chars: &mut Chars) -> Result<u32> {
    (0..4).try_fold(0, |acc, _| {
        let digit = chars.next().and_then(|(_, c)| c.to_digit(16));
        Ok(acc * 16 + digit.ok_or_else(|| anyhow!("JSON: bad \\u escape"))?)
    })
}

/// Reads after the opening quote up to and including the closing one.
fn json_string_body(chars: &mut Chars) -> Result<String> {
    let mut s = String::new();
    loop {
        let Some((i, c)) = chars.next() else {
            bail!("JSON: unterminated string")
        };
        if c == '"' {
            return Ok(s);
        }
        if c != '\\' {
            s.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else {
            bail!("JSON: unterminated escape")
        };
        s.push(match e {
            '"' | '\\' | '/' => e,
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let hi = hex4(chars)?;
                let code = if (0xd800..0xdc00).contains(&hi) {
                    let escaped = chars.next().map(|x| x.1) == Some('\\')
                        && chars.next().map(|x| x.1) == Some('u');
                    ensure!(escaped, "JSON: lone surrogate at byte {i}");
                    let lo = hex4(chars)?;
                    ensure!(
                        (0xdc00..0xe000).contains(&lo),
                        "JSON: bad surrogate pair at byte {i}"
                    );
                    0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                } else {
                    hi
                };
                char::from_u32(code)
                    .ok_or_else(|| anyhow!("JSON: invalid code point at byte {i}"))?
            }
            other => bail!("JSON: unknown escape \\{other} at byte {i}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // ---- building synthetic CTranslate2 files ----

    fn put_str(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u16 + 1).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    struct Var {
        name: String,
        shape: Vec<usize>,
        dtype: u8,
        data: Vec<u8>,
    }

    fn encode(version: u32, spec: &str, vars: &[Var], aliases: &[(&str, &str)]) -> Vec<u8> {
        let mut out = version.to_le_bytes().to_vec();
        put_str(&mut out, spec);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for v in vars {
            put_str(&mut out, &v.name);
            out.push(v.shape.len() as u8);
            for &d in &v.shape {
                out.extend_from_slice(&(d as u32).to_le_bytes());
            }
            out.push(v.dtype);
            out.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&v.data);
        }
        out.extend_from_slice(&(aliases.len() as u32).to_le_bytes());
        for (a, t) in aliases {
            put_str(&mut out, a);
            put_str(&mut out, t);
        }
        out
    }

    /// Distinct, exactly representable f16 values so slices can be traced to their source.
    fn f16_var(name: &str, shape: &[usize], salt: usize) -> Var {
        let n: usize = shape.iter().product();
        let data = (0..n)
            .flat_map(|k| {
                f16::from_f32(((k * 37 + salt * 11) % 1999) as f32 / 1000.0 - 1.0).to_le_bytes()
            })
            .collect();
        Var {
            name: name.into(),
            shape: shape.to_vec(),
            dtype: 4,
            data,
        }
    }

    fn zero_rows(v: &mut Var, rows: Range<usize>) {
        let rb = v.data.len() / v.shape[0];
        v.data[rows.start * rb..rows.end * rb].fill(0);
    }

    const D: usize = 32;
    const N_VOCAB: usize = N_TEXT_TOKENS + 3;

    /// A whole Whisper model in miniature: 1 encoder and 2 decoder layers of width 32.
    fn synthetic_vars() -> Vec<Var> {
        let d = D;
        let mut shapes: Vec<(String, Vec<usize>)> = vec![
            ("encoder/conv1/weight".into(), vec![d, 80, 3]),
            ("encoder/conv1/bias".into(), vec![d]),
            ("encoder/conv2/weight".into(), vec![d, d, 3]),
            ("encoder/conv2/bias".into(), vec![d]),
            ("encoder/position_encodings/encodings".into(), vec![6, d]),
            ("encoder/layer_norm/gamma".into(), vec![d]),
            ("encoder/layer_norm/beta".into(), vec![d]),
            ("decoder/embeddings/weight".into(), vec![N_VOCAB, d]),
            ("decoder/position_encodings/encodings".into(), vec![5, d]),
            ("decoder/layer_norm/gamma".into(), vec![d]),
            ("decoder/layer_norm/beta".into(), vec![d]),
        ];
        let mut block = |p: String, cross: bool| {
            let mut add = |n: &str, s: Vec<usize>| shapes.push((format!("{p}/{n}"), s));
            add("self_attention/linear_0/weight", vec![3 * d, d]);
            add("self_attention/linear_0/bias", vec![3 * d]);
            add("self_attention/linear_1/weight", vec![d, d]);
            add("self_attention/linear_1/bias", vec![d]);
            for ln in ["self_attention/layer_norm", "ffn/layer_norm"] {
                add(&format!("{ln}/gamma"), vec![d]);
                add(&format!("{ln}/beta"), vec![d]);
            }
            add("ffn/linear_0/weight", vec![4 * d, d]);
            add("ffn/linear_0/bias", vec![4 * d]);
            add("ffn/linear_1/weight", vec![d, 4 * d]);
            add("ffn/linear_1/bias", vec![d]);
            if cross {
                add("attention/linear_0/weight", vec![d, d]);
                add("attention/linear_0/bias", vec![d]);
                add("attention/linear_1/weight", vec![2 * d, d]);
                add("attention/linear_1/bias", vec![2 * d]);
                add("attention/linear_2/weight", vec![d, d]);
                add("attention/linear_2/bias", vec![d]);
                add("attention/layer_norm/gamma", vec![d]);
                add("attention/layer_norm/beta", vec![d]);
            }
        };
        block("encoder/layer_0".into(), false);
        block("decoder/layer_0".into(), true);
        block("decoder/layer_1".into(), true);

        let mut vars: Vec<Var> = shapes
            .iter()
            .enumerate()
            .map(|(i, (n, s))| f16_var(n, s, i))
            .collect();
        for v in &mut vars {
            if v.name.ends_with("self_attention/linear_0/bias") {
                zero_rows(v, D..2 * D);
            } else if v.name.ends_with("/attention/linear_1/bias") {
                zero_rows(v, 0..D);
            }
        }
        for stack in ["encoder", "decoder"] {
            vars.push(Var {
                name: format!("{stack}/num_heads"),
                shape: vec![],
                dtype: 2,
                data: 2i16.to_le_bytes().to_vec(),
            });
        }
        vars.push(Var {
            name: "decoder/activation".into(),
            shape: vec![],
            dtype: 1,
            data: vec![3],
        });
        vars
    }

    fn synthetic_model() -> Vec<u8> {
        encode(
            6,
            "WhisperSpec",
            &synthetic_vars(),
            &[("decoder/projection/weight", "decoder/embeddings/weight")],
        )
    }

    fn synthetic_vocab() -> String {
        // Ġ is GPT-2's space, Ċ its newline; one empty token as in the multilingual vocabulary.
        let mut v = vec!["Ġhello".to_owned(), String::new(), "Ċ".to_owned()];
        v.extend((3..N_VOCAB).map(|i| format!("t{i}")));
        v.join("\n") + "\n"
    }

    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let dir =
                std::env::temp_dir().join(format!("ct2-convert-test-{}-{n}", std::process::id()));
            fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn write(&self, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
            let p = self.0.join(name);
            fs::write(&p, data).unwrap();
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn synthetic_dir() -> TempDir {
        let dir = TempDir::new();
        dir.write("model.bin", synthetic_model());
        dir.write("vocabulary.txt", synthetic_vocab());
        dir
    }

    fn convert_bytes(src: &Ct2Source, ftype: GgmlType) -> Result<(ConvertSummary, Vec<u8>)> {
        let mut out = Vec::new();
        let summary = convert(src, &mut out, ftype)?;
        Ok((summary, out))
    }

    // ---- reading ggml output back ----

    struct GgmlFile {
        header: Vec<i32>,
        mel: Vec<f32>,
        tokens: Vec<Vec<u8>>,
        tensors: Vec<(String, i32, Vec<usize>, Vec<u8>)>,
    }

    fn read_ggml(b: &[u8]) -> GgmlFile {
        let mut o = 0;
        let i32_at = |o: &mut usize| {
            let v = i32::from_le_bytes(b[*o..*o + 4].try_into().unwrap());
            *o += 4;
            v
        };
        assert_eq!(i32_at(&mut o) as u32, GGML_MAGIC);
        let header: Vec<i32> = (0..11).map(|_| i32_at(&mut o)).collect();
        let (n_mel, n_fft) = (i32_at(&mut o) as usize, i32_at(&mut o) as usize);
        let mel = b[o..o + n_mel * n_fft * 4]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        o += n_mel * n_fft * 4;
        let tokens = (0..i32_at(&mut o))
            .map(|_| {
                let n = i32_at(&mut o) as usize;
                o += n;
                b[o - n..o].to_vec()
            })
            .collect();
        let mut tensors = Vec::new();
        while o < b.len() {
            let (nd, nl, tt) = (
                i32_at(&mut o) as usize,
                i32_at(&mut o) as usize,
                i32_at(&mut o),
            );
            let mut dims: Vec<usize> = (0..nd).map(|_| i32_at(&mut o) as usize).collect();
            dims.reverse();
            let name = String::from_utf8(b[o..o + nl].to_vec()).unwrap();
            o += nl;
            let n: usize = dims.iter().product();
            let size = match tt {
                GGML_TYPE_F32 => 4 * n,
                GGML_TYPE_F16 => 2 * n,
                GGML_TYPE_Q8_0 => n / QK8_0 * (QK8_0 + 2),
                _ => panic!("type {tt}"),
            };
            tensors.push((name, tt, dims, b[o..o + size].to_vec()));
            o += size;
        }
        GgmlFile {
            header,
            mel,
            tokens,
            tensors,
        }
    }

    fn as_f32(tt: i32, data: &[u8]) -> Vec<f32> {
        let dtype = if tt == GGML_TYPE_F32 {
            DType::F32
        } else {
            DType::F16
        };
        let mut v = Vec::new();
        decode_f32(dtype, data, &mut v);
        v
    }

    fn source_rows(name: &str, rows: Range<usize>) -> Vec<f32> {
        static VARS: std::sync::OnceLock<Vec<Var>> = std::sync::OnceLock::new();
        let v = VARS
            .get_or_init(synthetic_vars)
            .iter()
            .find(|v| v.name == name)
            .unwrap();
        let rb = v.data.len() / v.shape[0];
        let mut out = Vec::new();
        decode_f32(
            DType::F16,
            &v.data[rows.start * rb..rows.end * rb],
            &mut out,
        );
        out
    }

    // ---- mel filters ----

    #[test]
    fn mel_filters_match_openai_table() {
        let m = mel_filters(80);
        assert_eq!(m.len(), 80 * 201);
        let at = |r: usize, c: usize| m[r * 201 + c];
        // Bit patterns from OpenAI's whisper/assets/mel_filters.npz (mel_80).
        for (r, c, bits) in [
            (0, 1, 0x3ccb_aca4),
            (1, 2, 0x3cbb_5d95),
            (10, 10, 0x3ca3_168f),
            (10, 11, 0x3ba2_584f),
            (39, 41, 0x3c3c_33a5),
            (40, 43, 0x3c71_6d72),
            (79, 192, 0x3b4f_670e),
            (79, 199, 0x39eb_476a),
            (79, 200, 0),
            (40, 60, 0),
        ] {
            assert_eq!(at(r, c).to_bits(), bits, "cell [{r}][{c}]");
        }
        assert_eq!(
            at(0, 0).to_bits(),
            0x8000_0000,
            "librosa leaves -0.0 at [0][0]"
        );
        assert!(m.iter().all(|&v| v >= 0.0 && v.is_finite()));
        assert_eq!(m.iter().filter(|&&v| v != 0.0).count(), 391);

        let row_sum = |r: usize| {
            m[r * 201..(r + 1) * 201]
                .iter()
                .map(|&v| f64::from(v))
                .sum::<f64>()
        };
        for (r, sum) in [
            (0, 0.02486259490251541),
            (10, 0.024862592574208975),
            (40, 0.026664861012250185),
            (79, 0.024925339792389423),
        ] {
            assert!((row_sum(r) - sum).abs() < 1e-12, "row {r}: {}", row_sum(r));
        }
        let total: f64 = m.iter().map(|&v| f64::from(v)).sum();
        assert!((total - 1.999024092387117).abs() < 1e-9, "{total}");
        let argmax = |r: usize| {
            (0..201)
                .max_by(|&a, &b| at(r, a).total_cmp(&at(r, b)))
                .unwrap()
        };
        assert_eq!(
            [argmax(0), argmax(10), argmax(40), argmax(79)],
            [1, 10, 43, 192]
        );
    }

    #[test]
    fn mel_filters_128_bands() {
        let m = mel_filters(128);
        assert_eq!(m.len(), 128 * 201);
        assert_eq!(m[1].to_bits(), 0x3c4a_bc43);
        assert_eq!(m[127 * 201 + 196].to_bits(), 0x3b92_0d0a);
        assert_eq!(m.iter().filter(|&&v| v != 0.0).count(), 394);
        let total: f64 = m.iter().map(|&v| f64::from(v)).sum();
        assert!((total - 3.1909855409403463).abs() < 1e-9, "{total}");
    }

    // ---- model.bin parsing ----

    #[test]
    fn parses_records_scalars_and_aliases() {
        let vars = vec![
            Var {
                name: "a/weight".into(),
                shape: vec![2, 3],
                dtype: 0,
                data: (0..6).flat_map(|i| (i as f32).to_le_bytes()).collect(),
            },
            Var {
                name: "a/n".into(),
                shape: vec![],
                dtype: 3,
                data: (-7i32).to_le_bytes().to_vec(),
            },
            Var {
                name: "é".into(),
                shape: vec![1],
                dtype: 5,
                data: bf16::from_f32(1.5).to_le_bytes().to_vec(),
            },
        ];
        let bytes = encode(5, "WhisperSpec", &vars, &[("b/weight", "a/weight")]);
        let model = Ct2Model::parse(Cursor::new(&bytes), bytes.len() as u64).unwrap();
        assert_eq!(model.vars.len(), 3);
        let w = model.get("b/weight").unwrap();
        assert_eq!((w.shape.as_slice(), w.dtype), (&[2, 3][..], DType::F32));
        assert_eq!(w.rows(1..2), &bytes_of(&[3.0, 4.0, 5.0])[..]);
        assert_eq!(model.scalar("a/n").unwrap(), -7);
        assert_eq!(model.get("é").unwrap().dtype, DType::BF16);
        assert!(
            model
                .get("missing")
                .unwrap_err()
                .to_string()
                .contains("no variable missing")
        );
    }

    fn bytes_of(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    fn parse_err(bytes: &[u8]) -> String {
        let err = Ct2Model::parse(Cursor::new(bytes), bytes.len() as u64).unwrap_err();
        format!("{err:#}")
    }

    #[test]
    fn every_truncation_is_an_error() {
        let vars = vec![
            Var {
                name: "x".into(),
                shape: vec![4],
                dtype: 4,
                data: vec![1; 8],
            },
            Var {
                name: "n".into(),
                shape: vec![],
                dtype: 2,
                data: vec![6, 0],
            },
        ];
        let bytes = encode(6, "WhisperSpec", &vars, &[("y", "x")]);
        for len in 0..bytes.len() {
            let msg = parse_err(&bytes[..len]);
            assert!(msg.contains("truncated"), "cut at {len}: {msg}");
        }
        let whole = synthetic_model();
        for len in [4, 100, whole.len() / 2, whole.len() - 1] {
            assert!(parse_err(&whole[..len]).contains("truncated"));
        }
    }

    #[test]
    fn corrupt_headers_are_errors_not_allocations() {
        // 1 GiB claimed by a 40-byte file.
        let huge = Var {
            name: "x".into(),
            shape: vec![0x4000_0000],
            dtype: 1,
            data: vec![],
        };
        let mut bytes = encode(6, "WhisperSpec", &[huge], &[]);
        let at = bytes.len() - 4 - 4;
        bytes[at..at + 4].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        let msg = parse_err(&bytes);
        assert!(msg.contains("needs 1073741824 bytes"), "{msg}");

        let wrong_count = Var {
            name: "x".into(),
            shape: vec![3],
            dtype: 4,
            data: vec![0; 4],
        };
        let msg = parse_err(&encode(6, "WhisperSpec", &[wrong_count], &[]));
        assert!(
            msg.contains("shape [3] of F16 needs Some(6) bytes, header says 4"),
            "{msg}"
        );

        let bad_dtype = Var {
            name: "x".into(),
            shape: vec![1],
            dtype: 9,
            data: vec![0],
        };
        assert!(
            parse_err(&encode(6, "WhisperSpec", &[bad_dtype], &[])).contains("unknown dtype id 9")
        );

        let mut trailing = encode(6, "WhisperSpec", &[], &[]);
        trailing.push(0);
        assert!(parse_err(&trailing).contains("1 unexpected bytes"));

        let mut no_nul = encode(6, "WhisperSpec", &[], &[]);
        no_nul[4 + 2 + 11] = b'!';
        assert!(parse_err(&no_nul).contains("not NUL-terminated"));
    }

    #[test]
    fn wrong_version_or_magic_or_spec() {
        let msg = parse_err(&encode(3, "WhisperSpec", &[], &[]));
        assert!(
            msg.contains("unsupported CTranslate2 binary version 3 (expected 4 to 6)"),
            "{msg}"
        );
        assert!(parse_err(&encode(7, "WhisperSpec", &[], &[])).contains("version 7"));
        let mut ggml = GGML_MAGIC.to_le_bytes().to_vec();
        ggml.extend_from_slice(&[0; 64]);
        assert!(parse_err(&ggml).contains("already a ggml file"));
        assert!(
            parse_err(&encode(6, "TransformerSpec", &[], &[])).contains("expected \"WhisperSpec\"")
        );
    }

    // ---- vocabulary ----

    #[test]
    fn gpt2_byte_alphabet() {
        assert_eq!(gpt2_token_bytes("Ġhello").unwrap(), b" hello");
        assert_eq!(gpt2_token_bytes("Ċ").unwrap(), b"\n");
        assert_eq!(gpt2_token_bytes("\u{100}").unwrap(), [0]);
        assert_eq!(
            gpt2_token_bytes("\u{121}\u{142}\u{143}").unwrap(),
            [0x7f, 0xa0, 0xad]
        );
        assert_eq!(gpt2_token_bytes("Ã©").unwrap(), "é".as_bytes());
        assert_eq!(gpt2_token_bytes("<|endoftext|>").unwrap(), b"<|endoftext|>");
        assert!(gpt2_token_bytes(" ").is_none());
        assert!(gpt2_token_bytes("\u{144}").is_none());
        // All 256 bytes are reachable and distinct.
        let mut seen = [false; 256];
        for c in (0x21..=0x143).filter_map(char::from_u32) {
            if let Some(b) = gpt2_token_bytes(&c.to_string()) {
                assert!(!seen[b[0] as usize]);
                seen[b[0] as usize] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn vocabulary_files() {
        let dir = TempDir::new();
        let txt = dir.write("vocabulary.txt", "a\n\nĠb\n");
        assert_eq!(
            read_vocabulary(&txt).unwrap(),
            [b"a".to_vec(), vec![], b" b".to_vec()]
        );
        let json = dir.write(
            "vocabulary.json",
            r#" [ "a", "", "\u0120b", "q\"\\\/\n", "\ud83d\ude00" ] "#,
        );
        assert_eq!(
            read_vocabulary(&json).unwrap_err().to_string(),
            "token 3 \"q\\\"\\\\/\\n\" is not in GPT-2's byte alphabet"
        );
        assert_eq!(
            parse_json_strings(r#"["a","","\u0120b","q\"\\\/\n","\ud83d\ude00"]"#).unwrap(),
            ["a", "", "Ġb", "q\"\\/\n", "😀"]
        );
        assert_eq!(parse_json_strings("[]").unwrap(), Vec::<String>::new());
        for bad in [
            "",
            "[",
            "[\"a\"",
            "[\"a\",]",
            "[1]",
            "[\"a\"] x",
            "[\"\\ud800\"]",
            "[\"\\x\"]",
            "[\"\\u12\"]",
        ] {
            assert!(parse_json_strings(bad).is_err(), "{bad:?}");
        }
    }

    // ---- whole conversion ----

    #[test]
    fn converts_synthetic_model_to_f16() {
        let dir = synthetic_dir();
        let src = Ct2Source::from_dir(&dir.0).unwrap();
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

        let g = read_ggml(&out);
        assert_eq!(g.header, [N_VOCAB as i32, 6, 32, 2, 1, 5, 32, 2, 2, 80, 1]);
        assert_eq!(g.mel, mel_filters(80));
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
            ("encoder.positional_embedding", GGML_TYPE_F32, vec![6, D]),
            ("encoder.conv1.weight", GGML_TYPE_F16, vec![D, 80, 3]),
            ("encoder.conv1.bias", GGML_TYPE_F32, vec![D, 1]),
            (
                "encoder.blocks.0.attn.key.weight",
                GGML_TYPE_F16,
                vec![D, D],
            ),
            (
                "encoder.blocks.0.mlp.2.weight",
                GGML_TYPE_F16,
                vec![D, 4 * D],
            ),
            ("encoder.ln_post.bias", GGML_TYPE_F32, vec![D]),
            (
                "decoder.token_embedding.weight",
                GGML_TYPE_F16,
                vec![N_VOCAB, D],
            ),
            ("decoder.positional_embedding", GGML_TYPE_F32, vec![5, D]),
            (
                "decoder.blocks.1.cross_attn.value.bias",
                GGML_TYPE_F32,
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
    }

    #[test]
    fn converts_synthetic_model_to_q8_0() {
        let dir = synthetic_dir();
        let src = Ct2Source::from_dir(&dir.0).unwrap();
        let (_, f16_out) = convert_bytes(&src, GgmlType::F16).unwrap();
        let (summary, out) = convert_bytes(&src, GgmlType::Q8_0).unwrap();
        let (f, q) = (read_ggml(&f16_out), read_ggml(&out));
        assert_eq!(q.header[10], 2007);
        assert_eq!(q.tensors.len(), summary.n_tensors);
        for (a, b) in f.tensors.iter().zip(&q.tensors) {
            assert_eq!((&a.0, &a.2), (&b.0, &b.2));
            let expect_q8 = a.2.len() == 2 && a.1 == GGML_TYPE_F16;
            assert_eq!(b.1 == GGML_TYPE_Q8_0, expect_q8, "{}", a.0);
            if expect_q8 {
                let mut requant = Vec::new();
                for block in as_f32(a.1, &a.3).chunks_exact(QK8_0) {
                    quantize_q8_0(block, &mut requant);
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
        assert_eq!(t.1, GGML_TYPE_F16);
    }

    #[test]
    fn f32_and_bf16_sources_are_converted() {
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
        let dir = TempDir::new();
        dir.write("model.bin", encode(4, "WhisperSpec", &vars, &[]));
        dir.write("vocabulary.txt", synthetic_vocab());
        let (_, out) = convert_bytes(&Ct2Source::from_dir(&dir.0).unwrap(), GgmlType::F16).unwrap();
        let g = read_ggml(&out);
        let find = |name: &str| g.tensors.iter().find(|t| t.0 == name).unwrap();
        let (conv, ln) = (find("encoder.conv1.weight"), find("encoder.ln_post.weight"));
        assert_eq!((conv.1, ln.1), (GGML_TYPE_F16, GGML_TYPE_F32));
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
            GGML_TYPE_F16
        );
    }

    #[test]
    fn q8_0_block() {
        let block: Vec<f32> = (0..32).map(|i| i as f32 - 16.0).collect();
        let mut out = Vec::new();
        quantize_q8_0(&block, &mut out);
        assert_eq!(out.len(), 34);
        assert_eq!(
            f16::from_le_bytes([out[0], out[1]]),
            f16::from_f32(16.0 / 127.0)
        );
        assert_eq!(out[2] as i8, -127);
        assert_eq!(out[2 + 16] as i8, 0);
        // 1 * 127/16 = 7.94 -> 8; 8 * 127/16 = 63.5 rounds away from zero.
        assert_eq!(
            [out[2 + 17] as i8, out[2 + 24] as i8, out[33] as i8],
            [8, 64, 119]
        );
        out.clear();
        quantize_q8_0(&[0.0; 32], &mut out);
        assert_eq!(out, [0; 34]);
    }

    #[test]
    fn split_model_reads_as_one() {
        let whole = synthetic_model();
        let dir = TempDir::new();
        let cut = whole.len() / 3;
        dir.write("model.bin.part1", &whole[..cut]);
        dir.write("model.bin.part2", &whole[cut..]);
        dir.write("vocabulary.txt", synthetic_vocab());
        let src = Ct2Source::from_dir(&dir.0).unwrap();
        assert_eq!(src.model_bin_parts.len(), 2);
        let (_, from_parts) = convert_bytes(&src, GgmlType::F16).unwrap();
        let reference = synthetic_dir();
        let (_, from_whole) =
            convert_bytes(&Ct2Source::from_dir(&reference.0).unwrap(), GgmlType::F16).unwrap();
        assert!(from_parts == from_whole);

        let only_first = Ct2Source {
            model_bin_parts: vec![dir.0.join("model.bin.part1")],
            ..src
        };
        let msg = format!(
            "{:#}",
            convert_bytes(&only_first, GgmlType::F16).unwrap_err()
        );
        assert!(msg.contains("truncated"), "{msg}");
    }

    #[test]
    fn semantic_errors() {
        let dir = TempDir::new();
        assert!(
            Ct2Source::from_dir(&dir.0)
                .unwrap_err()
                .to_string()
                .contains("no model.bin")
        );
        dir.write("model.bin", synthetic_model());
        assert!(
            Ct2Source::from_dir(&dir.0)
                .unwrap_err()
                .to_string()
                .contains("no vocabulary")
        );

        dir.write("vocabulary.txt", "a\nb\n");
        let src = Ct2Source::from_dir(&dir.0).unwrap();
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("vocabulary has 2 tokens but the model's embedding has 50260 rows"),
            "{msg}"
        );

        dir.write("vocabulary.txt", synthetic_vocab());
        let mut vars = synthetic_vars();
        let bias = vars
            .iter_mut()
            .find(|v| v.name == "encoder/layer_0/self_attention/linear_0/bias")
            .unwrap();
        bias.data[2 * D + 2] = 0x3c;
        dir.write("model.bin", encode(6, "WhisperSpec", &vars, &[]));
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("linear_0/bias: rows 32..64 must be zero"),
            "{msg}"
        );

        let mut vars = synthetic_vars();
        vars.retain(|v| v.name != "decoder/layer_1/ffn/linear_1/bias");
        dir.write("model.bin", encode(6, "WhisperSpec", &vars, &[]));
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("no variable decoder/layer_1/ffn/linear_1/bias"),
            "{msg}"
        );

        let mut vars = synthetic_vars();
        let w = vars
            .iter_mut()
            .find(|v| v.name == "encoder/conv2/weight")
            .unwrap();
        w.dtype = 1;
        w.shape = vec![D, D, 6];
        dir.write("model.bin", encode(6, "WhisperSpec", &vars, &[]));
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("shape [32, 32, 6], expected [32, 32, 3]"),
            "{msg}"
        );
    }

    #[test]
    fn zero_sized_dimensions_are_rejected() {
        let dir = TempDir::new();
        dir.write("vocabulary.txt", synthetic_vocab());
        let mut vars = synthetic_vars();
        let w = vars
            .iter_mut()
            .find(|v| v.name == "encoder/conv1/weight")
            .unwrap();
        w.shape = vec![0, 4_000_000_000, 3];
        w.data.clear();
        dir.write("model.bin", encode(6, "WhisperSpec", &vars, &[]));
        let src = Ct2Source::from_dir(&dir.0).unwrap();
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(msg.contains("n_audio_state = 0, expected 1 to"), "{msg}");

        let mut vars = synthetic_vars();
        let heads = vars
            .iter_mut()
            .find(|v| v.name == "decoder/num_heads")
            .unwrap();
        heads.data = (-1i16).to_le_bytes().to_vec();
        dir.write("model.bin", encode(6, "WhisperSpec", &vars, &[]));
        let msg = format!("{:#}", convert_bytes(&src, GgmlType::F16).unwrap_err());
        assert!(
            msg.contains("decoder/num_heads = -1, expected a positive"),
            "{msg}"
        );
    }
}
