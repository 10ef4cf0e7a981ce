//! Which rows of which CTranslate2 variables make each tensor whisper.cpp expects, by
//! `ct2-to-ggml.md`'s mapping. Nothing is transposed: every output tensor is a row slice of a
//! source variable.

use std::ops::Range;

use anyhow::{Result, anyhow, ensure};

use super::ct2::{Ct2Model, Variable, decode_f32};
use crate::models::ggml::Hparams;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A 2-D weight matrix: f16, or quantized.
    Matrix,
    /// whisper.cpp's conv path wants f16 even in quantized files.
    Conv,
    /// Vectors, conv biases and positional embeddings.
    F32,
}

/// One tensor of the output: rows of a source variable, and how ggml is to store them.
pub(super) struct Tensor<'m> {
    pub(super) name: String,
    pub(super) src: &'m Variable,
    pub(super) rows: Range<usize>,
    /// Row-major, outermost first.
    pub(super) shape: Vec<usize>,
    pub(super) kind: Kind,
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

    /// The audio encoder's tensors: `d` wide, `layers` deep, over `n_ctx` frames of `n_mels`.
    fn encoder(&mut self, n_ctx: usize, d: usize, n_mels: usize, layers: usize) -> Result<()> {
        self.copy(
            "encoder.positional_embedding",
            "encoder/position_encodings/encodings",
            &[n_ctx, d],
            Kind::F32,
        )?;
        self.copy(
            "encoder.conv1.weight",
            "encoder/conv1/weight",
            &[d, n_mels, 3],
            Kind::Conv,
        )?;
        self.copy_as(
            "encoder.conv1.bias",
            "encoder/conv1/bias",
            &[d],
            &[d, 1],
            Kind::F32,
        )?;
        self.copy(
            "encoder.conv2.weight",
            "encoder/conv2/weight",
            &[d, d, 3],
            Kind::Conv,
        )?;
        self.copy_as(
            "encoder.conv2.bias",
            "encoder/conv2/bias",
            &[d],
            &[d, 1],
            Kind::F32,
        )?;
        for i in 0..layers {
            let (src, dst) = (format!("encoder/layer_{i}"), format!("encoder.blocks.{i}"));
            self.self_attention(&src, &dst, d)?;
            self.ffn(&src, &dst, d)?;
        }
        self.layer_norm("encoder/layer_norm", "encoder.ln_post", d)?;
        Ok(())
    }

    /// The text decoder's tensors: `d` wide, `layers` deep, attending to a `d_audio` encoder.
    fn decoder(
        &mut self,
        n_vocab: usize,
        n_ctx: usize,
        d: usize,
        d_audio: usize,
        layers: usize,
    ) -> Result<()> {
        self.copy(
            "decoder.token_embedding.weight",
            "decoder/embeddings/weight",
            &[n_vocab, d],
            Kind::Matrix,
        )?;
        self.copy(
            "decoder.positional_embedding",
            "decoder/position_encodings/encodings",
            &[n_ctx, d],
            Kind::F32,
        )?;
        for i in 0..layers {
            let (src, dst) = (format!("decoder/layer_{i}"), format!("decoder.blocks.{i}"));
            self.self_attention(&src, &dst, d)?;
            self.cross_attention(&src, &dst, d, d_audio)?;
            self.ffn(&src, &dst, d)?;
        }
        self.layer_norm("decoder/layer_norm", "decoder.ln", d)?;
        Ok(())
    }
}

/// The output's sizes and tensors, in the order they are written.
pub(super) fn plan(model: &Ct2Model) -> Result<(Hparams, Vec<Tensor<'_>>)> {
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
    p.encoder(n_audio_ctx, d_audio, n_mels, n_audio_layer)?;
    p.decoder(n_vocab, n_text_ctx, d_text, d_audio, n_text_layer)?;
    Ok((hparams, p.tensors))
}
