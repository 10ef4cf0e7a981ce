//! Reading a CTranslate2 `model.bin` (binary versions 4 to 6): named variables with their
//! shapes, types and row-major data, and the aliases between names.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;

use anyhow::{Context, Result, anyhow, bail, ensure};
use half::{bf16, f16};

use crate::models::ggml;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DType {
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

    pub(super) fn size(self) -> usize {
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
pub(super) struct Variable {
    pub(super) shape: Vec<usize>,
    pub(super) dtype: DType,
    pub(super) data: Vec<u8>,
}

impl Variable {
    fn row_bytes(&self) -> usize {
        self.shape.iter().skip(1).product::<usize>() * self.dtype.size()
    }

    pub(super) fn rows(&self, rows: Range<usize>) -> &[u8] {
        let rb = self.row_bytes();
        &self.data[rows.start * rb..rows.end * rb]
    }
}

#[derive(Debug)]
pub(super) struct Ct2Model {
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
    pub(super) fn parse(reader: impl Read, len: u64) -> Result<Self> {
        let mut r = BinReader {
            inner: reader,
            pos: 0,
            len,
        };
        let version = r.u32("binary version")?;
        if version == ggml::MAGIC {
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

    pub(super) fn scalar(&self, name: &str) -> Result<i64> {
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
    pub(super) fn layer_count(&self, stack: &str) -> usize {
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

    pub(super) fn float(&self, name: &str, shape: &[usize]) -> Result<&Variable> {
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

    pub(super) fn dim(&self, name: &str, rank: usize, axis: usize) -> Result<usize> {
        let v = self.get(name)?;
        ensure!(
            v.shape.len() == rank,
            "{name}: shape {:?}, expected rank {rank}",
            v.shape
        );
        Ok(v.shape[axis])
    }
}

/// Float values of a float tensor's bytes, appended to `out`.
pub(super) fn decode_f32(dtype: DType, bytes: &[u8], out: &mut Vec<f32>) {
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

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use half::bf16;

    use super::*;
    use crate::models::convert::synthetic::{Var, encode, synthetic_model};

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
        let mut ggml = ggml::MAGIC.to_le_bytes().to_vec();
        ggml.extend_from_slice(&[0; 64]);
        assert!(parse_err(&ggml).contains("already a ggml file"));
        assert!(
            parse_err(&encode(6, "TransformerSpec", &[], &[])).contains("expected \"WhisperSpec\"")
        );
    }
}
