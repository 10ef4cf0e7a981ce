//! A whole CTranslate2 Whisper model in miniature, written the way CTranslate2 writes one, for
//! the tests of the reader and of the whole conversion.

use std::ops::Range;

use anyhow::Result;
use half::f16;
use tempfile::TempDir;

use super::ct2::{DType, decode_f32};
use super::vocabulary::N_TEXT_TOKENS;

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16 + 1).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
    out.push(0);
}

pub(super) struct Var {
    pub(super) name: String,
    pub(super) shape: Vec<usize>,
    pub(super) dtype: u8,
    pub(super) data: Vec<u8>,
}

pub(super) fn encode(version: u32, spec: &str, vars: &[Var], aliases: &[(&str, &str)]) -> Vec<u8> {
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

pub(super) const D: usize = 32;
pub(super) const N_VOCAB: usize = N_TEXT_TOKENS + 3;

/// A whole Whisper model in miniature: 1 encoder and 2 decoder layers of width 32.
pub(super) fn synthetic_vars() -> Vec<Var> {
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

pub(super) fn synthetic_model() -> Vec<u8> {
    encode(
        6,
        "WhisperSpec",
        &synthetic_vars(),
        &[("decoder/projection/weight", "decoder/embeddings/weight")],
    )
}

pub(super) fn synthetic_vocab() -> String {
    // Ġ is GPT-2's space, Ċ its newline; one empty token as in the multilingual vocabulary.
    let mut v = vec!["Ġhello".to_owned(), String::new(), "Ċ".to_owned()];
    v.extend((3..N_VOCAB).map(|i| format!("t{i}")));
    v.join("\n") + "\n"
}

/// A folder with the miniature model and its vocabulary, as a wheel unpacks them.
pub(super) fn synthetic_dir() -> Result<TempDir> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("model.bin"), synthetic_model())?;
    std::fs::write(dir.path().join("vocabulary.txt"), synthetic_vocab())?;
    Ok(dir)
}

/// Rows of a synthetic variable, as f32.
pub(super) fn source_rows(name: &str, rows: Range<usize>) -> Vec<f32> {
    static VARS: std::sync::OnceLock<Vec<Var>> = std::sync::OnceLock::new();
    let v = VARS
        .get_or_init(synthetic_vars)
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no synthetic variable {name}"));
    let rb = v.data.len() / v.shape[0];
    let mut out = Vec::new();
    decode_f32(
        DType::F16,
        &v.data[rows.start * rb..rows.end * rb],
        &mut out,
    );
    out
}
