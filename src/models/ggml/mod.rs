//! whisper.cpp's legacy ggml model file, defined once: the converter writes it with these pieces
//! and the checker walks it with them.
//!
//! All little-endian: the magic number; eleven `i32` (the [`Hparams`], then the file type); the
//! mel filter table (`i32` bands, `i32` frequency bins, the `f32` values); the vocabulary (`i32`
//! count, then each token as an `i32` length and its bytes); then tensor records to the end of
//! the file (`i32` dims, `i32` name length, `i32` type, the dims innermost first, the name, the
//! data, no padding).

mod check;

use std::io::{self, Read, Seek, Write};

use anyhow::{Context, Result, bail, ensure};

pub use check::{ModelInfo, inspect};

pub const MAGIC: u32 = 0x6767_6d6c;

/// whisper.cpp stores a quantized file's type as `QNT_VERSION * 1000 + type`.
const QNT_VERSION: i32 = 2;

/// Elements in one q8_0 block; each block is an f16 scale and one byte per element.
pub const Q8_0_BLOCK: usize = 32;

/// The model's sizes, in header order.
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

impl Hparams {
    /// The fields in header order.
    fn fields(&self) -> [i32; 10] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
        ]
    }
}

/// The weight type of a whole file (whisper.cpp's `ggml_ftype`), the header's last field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q8_0,
    Q5_0,
    Q5_1,
}

impl FileType {
    const ALL: [FileType; 7] = [
        FileType::F32,
        FileType::F16,
        FileType::Q4_0,
        FileType::Q4_1,
        FileType::Q8_0,
        FileType::Q5_0,
        FileType::Q5_1,
    ];

    fn code(self) -> i32 {
        match self {
            FileType::F32 => 0,
            FileType::F16 => 1,
            FileType::Q4_0 => 2,
            FileType::Q4_1 => 3,
            FileType::Q8_0 => 7,
            FileType::Q5_0 => 8,
            FileType::Q5_1 => 9,
        }
    }

    fn is_quantized(self) -> bool {
        !matches!(self, FileType::F32 | FileType::F16)
    }

    /// The value the header holds for this type.
    pub fn header_value(self) -> i32 {
        if self.is_quantized() {
            QNT_VERSION * 1000 + self.code()
        } else {
            self.code()
        }
    }

    /// The type a header value stands for, whichever quantization version wrote it.
    pub fn from_header(value: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == value % 1000)
    }

    /// The name whisper.cpp gives the type.
    pub fn name(self) -> &'static str {
        match self {
            FileType::F32 => "f32",
            FileType::F16 => "f16",
            FileType::Q4_0 => "q4_0",
            FileType::Q4_1 => "q4_1",
            FileType::Q8_0 => "q8_0",
            FileType::Q5_0 => "q5_0",
            FileType::Q5_1 => "q5_1",
        }
    }
}

/// The data type of one tensor (whisper.cpp's `ggml_type`), for the types whisper models use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
}

impl TensorType {
    const ALL: [TensorType; 7] = [
        TensorType::F32,
        TensorType::F16,
        TensorType::Q4_0,
        TensorType::Q4_1,
        TensorType::Q5_0,
        TensorType::Q5_1,
        TensorType::Q8_0,
    ];

    pub fn id(self) -> i32 {
        match self {
            TensorType::F32 => 0,
            TensorType::F16 => 1,
            TensorType::Q4_0 => 2,
            TensorType::Q4_1 => 3,
            TensorType::Q5_0 => 6,
            TensorType::Q5_1 => 7,
            TensorType::Q8_0 => 8,
        }
    }

    pub fn from_id(id: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.id() == id)
    }

    /// Elements per block and bytes per block.
    fn block(self) -> (u64, u64) {
        match self {
            TensorType::F32 => (1, 4),
            TensorType::F16 => (1, 2),
            TensorType::Q4_0 => (32, 18),
            TensorType::Q4_1 => (32, 20),
            TensorType::Q5_0 => (32, 22),
            TensorType::Q5_1 => (32, 24),
            TensorType::Q8_0 => (Q8_0_BLOCK as u64, 2 + Q8_0_BLOCK as u64),
        }
    }

    /// Bytes a tensor of `elements` takes, or `None` when they don't fill whole blocks.
    pub fn data_bytes(self, elements: u64) -> Option<u64> {
        let (block, bytes) = self.block();
        elements
            .is_multiple_of(block)
            .then(|| elements / block * bytes)
    }
}

fn put_i32(w: &mut impl Write, value: i32) -> io::Result<()> {
    w.write_all(&value.to_le_bytes())
}

/// The magic number and the header.
pub fn write_header(w: &mut impl Write, hparams: &Hparams, file_type: FileType) -> io::Result<()> {
    w.write_all(&MAGIC.to_le_bytes())?;
    for value in hparams.fields() {
        put_i32(w, value)?;
    }
    put_i32(w, file_type.header_value())
}

/// The mel filter table: `bands × bins` values, row-major.
pub fn write_mel_filters(
    w: &mut impl Write,
    bands: usize,
    bins: usize,
    values: &[f32],
) -> Result<()> {
    ensure!(
        values.len() == bands * bins,
        "a {bands} x {bins} mel filter table needs {} values, not {}",
        bands * bins,
        values.len()
    );
    put_i32(w, i32::try_from(bands)?)?;
    put_i32(w, i32::try_from(bins)?)?;
    for value in values {
        w.write_all(&value.to_le_bytes())?;
    }
    Ok(())
}

/// The vocabulary: every token's bytes.
pub fn write_vocabulary(w: &mut impl Write, tokens: &[Vec<u8>]) -> Result<()> {
    put_i32(w, i32::try_from(tokens.len())?)?;
    for token in tokens {
        put_i32(w, i32::try_from(token.len())?)?;
        w.write_all(token)?;
    }
    Ok(())
}

/// A tensor record up to its data; `shape` is row-major (outermost first), as the data is laid
/// out, and is written innermost first as ggml counts dimensions.
pub fn write_tensor_header(
    w: &mut impl Write,
    name: &str,
    tensor_type: TensorType,
    shape: &[usize],
) -> Result<()> {
    put_i32(w, i32::try_from(shape.len())?)?;
    put_i32(w, i32::try_from(name.len())?)?;
    put_i32(w, tensor_type.id())?;
    for &dim in shape.iter().rev() {
        put_i32(w, i32::try_from(dim)?)?;
    }
    w.write_all(name.as_bytes())?;
    Ok(())
}

/// A tensor record's header as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorHeader {
    pub name: Vec<u8>,
    /// The type id as written; [`TensorType::from_id`] knows the ones whisper models use.
    pub type_id: i32,
    /// Row-major, outermost first.
    pub shape: Vec<u64>,
}

impl TensorHeader {
    pub fn elements(&self) -> u64 {
        self.shape
            .iter()
            .fold(1u64, |acc, &dim| acc.saturating_mul(dim))
    }
}

/// Reads a ggml file front to back, saying where it ends early: nothing is allocated or sought
/// past the end of the file, whatever its lengths claim.
#[derive(Debug)]
pub struct Reader<R> {
    reader: R,
    at: u64,
    len: u64,
}

impl<R: Read + Seek> Reader<R> {
    /// A reader of the `len` bytes of `reader`, from its start.
    pub fn new(reader: R, len: u64) -> Self {
        Self { reader, at: 0, len }
    }

    pub fn at_end(&self) -> bool {
        self.at >= self.len
    }

    fn i32(&mut self, what: &str) -> Result<i32> {
        let mut bytes = [0u8; 4];
        self.reader
            .read_exact(&mut bytes)
            .with_context(|| format!("the file ends inside the {what} (at byte {})", self.at))?;
        self.at += 4;
        Ok(i32::from_le_bytes(bytes))
    }

    fn ensure_left(&self, bytes: u64, what: &str) -> Result<()> {
        let left = self.len.saturating_sub(self.at);
        ensure!(
            bytes <= left,
            "the file ends inside the {what}: {bytes} bytes needed at byte {}, {left} left",
            self.at
        );
        Ok(())
    }

    /// Step over `bytes` bytes.
    pub fn skip(&mut self, bytes: u64, what: &str) -> Result<()> {
        self.ensure_left(bytes, what)?;
        let step = i64::try_from(bytes).context("offset too large")?;
        self.reader.seek_relative(step)?;
        self.at += bytes;
        Ok(())
    }

    /// The next `bytes` bytes.
    pub fn bytes(&mut self, bytes: u64, what: &str) -> Result<Vec<u8>> {
        self.ensure_left(bytes, what)?;
        let mut out = vec![0u8; usize::try_from(bytes)?];
        self.reader
            .read_exact(&mut out)
            .with_context(|| format!("cannot read the {what} at byte {}", self.at))?;
        self.at += bytes;
        Ok(out)
    }

    /// The magic number, the sizes and the file type's header value.
    pub fn header(&mut self) -> Result<(Hparams, i32)> {
        let magic = self.i32("magic number")? as u32;
        if magic != MAGIC {
            if magic == u32::from_le_bytes(*b"GGUF") {
                bail!("it is a GGUF file; whisper.cpp needs its own ggml format");
            }
            bail!("no ggml magic number at the start (found {magic:#010x})");
        }
        // Fields are read in the order they are written here: header order.
        let hparams = Hparams {
            n_vocab: self.i32("n_vocab")?,
            n_audio_ctx: self.i32("n_audio_ctx")?,
            n_audio_state: self.i32("n_audio_state")?,
            n_audio_head: self.i32("n_audio_head")?,
            n_audio_layer: self.i32("n_audio_layer")?,
            n_text_ctx: self.i32("n_text_ctx")?,
            n_text_state: self.i32("n_text_state")?,
            n_text_head: self.i32("n_text_head")?,
            n_text_layer: self.i32("n_text_layer")?,
            n_mels: self.i32("n_mels")?,
        };
        let file_type = self.i32("ftype")?;
        Ok((hparams, file_type))
    }

    /// The mel filter table's bands and bins; its values follow.
    pub fn mel_filters_shape(&mut self) -> Result<(i32, i32)> {
        Ok((
            self.i32("mel filter header")?,
            self.i32("mel filter header")?,
        ))
    }

    /// The number of tokens in the vocabulary; each token follows as a length and its bytes.
    pub fn token_count(&mut self) -> Result<i32> {
        self.i32("vocabulary size")
    }

    /// The length of the next token; its bytes follow.
    pub fn token_len(&mut self) -> Result<i32> {
        self.i32("vocabulary")
    }

    /// The next tensor record's header, checked to be one ggml can hold; its data follows
    /// ([`TensorType::data_bytes`] says how long it is).
    pub fn tensor_header(&mut self, index: usize) -> Result<TensorHeader> {
        let n_dims = self.i32("tensor header")?;
        let name_len = self.i32("tensor header")?;
        let type_id = self.i32("tensor header")?;
        ensure!(
            (1..=4).contains(&n_dims) && (1..=256).contains(&name_len),
            "tensor {index} has a malformed header"
        );
        let mut shape = Vec::new();
        for _ in 0..n_dims {
            let dim = self.i32("tensor shape")?;
            ensure!(dim > 0, "tensor {index} has a dimension of {dim}");
            shape.push(dim as u64);
        }
        shape.reverse();
        let name = self.bytes(name_len as u64, "tensor name")?;
        Ok(TensorHeader {
            name,
            type_id,
            shape,
        })
    }
}
