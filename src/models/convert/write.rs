//! Writing the planned tensors as a ggml file: exact copies and upcasts, or q8_0 blocks.

use std::io::{self, BufWriter, Write};

use anyhow::{Context, Result, ensure};
use half::f16;

use super::ct2::{Ct2Model, DType, decode_f32};
use super::mel::{self, N_FREQ_BINS};
use super::plan::{Kind, Tensor, plan};
use super::vocabulary::N_TEXT_TOKENS;
use super::{ConvertSummary, GgmlType, q8_0};
use crate::models::ggml::{self, TensorType};

/// Counts the bytes written through it.
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

/// Writes the ggml file of a CTranslate2 model and its vocabulary.
pub(super) fn write_ggml<W: Write>(
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
    ggml::write_header(&mut w, &hp, ftype.file_type())?;
    let n_mels = hp.n_mels as usize;
    ggml::write_mel_filters(&mut w, n_mels, N_FREQ_BINS, &mel::filters(n_mels))?;
    ggml::write_vocabulary(&mut w, &tokens[..N_TEXT_TOKENS])?;

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
const CHUNK: usize = 64 * ggml::Q8_0_BLOCK * 32;

fn write_tensor(
    w: &mut impl Write,
    t: &Tensor,
    ftype: GgmlType,
    s: &mut TensorScratch,
) -> Result<()> {
    let tensor_type = match (t.kind, ftype) {
        (Kind::F32, _) => TensorType::F32,
        (Kind::Conv, _) | (Kind::Matrix, GgmlType::F16) => TensorType::F16,
        (Kind::Matrix, GgmlType::Q8_0) => TensorType::Q8_0,
    };
    if tensor_type == TensorType::Q8_0 {
        let row = t.shape.last().copied().unwrap_or(0);
        ensure!(
            row.is_multiple_of(ggml::Q8_0_BLOCK),
            "row length {row} is not a multiple of {}, q8_0 cannot hold it",
            ggml::Q8_0_BLOCK
        );
    }
    ggml::write_tensor_header(w, &t.name, tensor_type, &t.shape)?;

    let dtype = t.src.dtype;
    let data = t.src.rows(t.rows.clone());
    let exact = match tensor_type {
        TensorType::F32 => dtype == DType::F32,
        TensorType::F16 => dtype == DType::F16,
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
        match tensor_type {
            TensorType::F32 => s
                .bytes
                .extend(s.values.iter().flat_map(|v| v.to_le_bytes())),
            TensorType::F16 => s.bytes.extend(
                s.values
                    .iter()
                    .flat_map(|&v| f16::from_f32(v).to_le_bytes()),
            ),
            _ => {
                for block in s.values.chunks_exact(ggml::Q8_0_BLOCK) {
                    q8_0::quantize(block, &mut s.bytes);
                }
            }
        }
        w.write_all(&s.bytes)?;
    }
    Ok(())
}
