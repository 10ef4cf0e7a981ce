//! The model's weights from its safetensors file, read straight into the buffers candle computes
//! with: one read per tensor and no second copy of the 90 MB (candle's own reader copies the
//! whole file first; its memory map needs `unsafe`). Loading is paid on every `rehearse score`,
//! so it matters.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use candle_core::{Device, Tensor};
use serde::Deserialize;

/// A safetensors file starts with the length of its JSON header; a longer one is not a model.
const MAX_HEADER: u64 = 100 << 20;

/// One tensor as the header describes it; offsets count from the end of the header.
#[derive(Debug, Deserialize)]
struct Entry {
    dtype: String,
    shape: Vec<usize>,
    data_offsets: [u64; 2],
}

/// Every tensor of a float32 safetensors file, by name.
pub fn load(path: &Path, device: &Device) -> Result<HashMap<String, Tensor>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let file_len = file.metadata()?.len();
    let mut file = BufReader::with_capacity(1 << 16, file);
    let mut header_len = [0u8; 8];
    file.read_exact(&mut header_len)
        .context("it is too short for a safetensors file")?;
    let header_len = u64::from_le_bytes(header_len);
    ensure!(
        header_len <= MAX_HEADER && 8 + header_len <= file_len,
        "it is not a safetensors file (header of {header_len} bytes in a file of {file_len})"
    );
    let mut header = vec![0u8; usize::try_from(header_len)?];
    file.read_exact(&mut header)?;
    let data_start = 8 + header_len;
    let header: HashMap<String, serde_json::Value> =
        serde_json::from_slice(&header).context("its header is not valid JSON")?;

    let mut entries = Vec::with_capacity(header.len());
    for (name, value) in header {
        if name == "__metadata__" {
            continue;
        }
        let entry: Entry = serde_json::from_value(value)
            .with_context(|| format!("its header entry for {name} is malformed"))?;
        match entry.dtype.as_str() {
            "F32" => {}
            // Integer tensors are bookkeeping (the file has BERT's position_ids), not weights.
            integers if integers.starts_with(['I', 'U']) || integers == "BOOL" => continue,
            other => bail!("tensor {name} is {other}, not F32"),
        }
        let [begin, end] = entry.data_offsets;
        let values = entry
            .shape
            .iter()
            .try_fold(1usize, |count, &dim| count.checked_mul(dim));
        let bytes = values.and_then(|v| u64::try_from(v).ok()?.checked_mul(4));
        let fits = begin <= end
            && bytes == Some(end - begin)
            && data_start.checked_add(end).is_some_and(|e| e <= file_len);
        let Some(values) = values.filter(|_| fits) else {
            bail!(
                "tensor {name} does not fit the file (bytes {begin}..{end} for shape {:?}; \
                 the file may be truncated)",
                entry.shape
            );
        };
        entries.push((name, entry, values));
    }
    entries.sort_by_key(|(_, entry, _)| entry.data_offsets[0]);

    // Two readers, each with half of the bytes: copying 90 MB out of the page cache into fresh
    // memory is most of the load, and it is paid on every `rehearse score`.
    let total: u64 = entries
        .iter()
        .map(|(_, e, _)| e.data_offsets[1] - e.data_offsets[0])
        .sum();
    let mut first_half = 0;
    let split = entries
        .iter()
        .position(|(_, e, _)| {
            first_half += e.data_offsets[1] - e.data_offsets[0];
            first_half * 2 >= total
        })
        .map_or(entries.len(), |i| i + 1);
    let (front, back) = entries.split_at(split);
    let read = |part: &[(String, Entry, usize)]| -> Result<Vec<(String, Tensor)>> {
        let mut file =
            File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        part.iter()
            .map(|(name, entry, values)| {
                file.seek(SeekFrom::Start(data_start + entry.data_offsets[0]))?;
                let mut data = vec![0f32; *values];
                file.read_exact(bytemuck::cast_slice_mut(&mut data))
                    .with_context(|| format!("cannot read tensor {name}"))?;
                // safetensors stores little-endian values; on a little-endian machine this is a
                // no-op.
                data.iter_mut()
                    .for_each(|v| *v = f32::from_bits(u32::from_le(v.to_bits())));
                Ok((
                    name.clone(),
                    Tensor::from_vec(data, entry.shape.clone(), device)?,
                ))
            })
            .collect()
    };
    let (front, back) = std::thread::scope(|scope| {
        let back = scope.spawn(|| read(back));
        let front = read(front);
        (front, back.join())
    });
    let back = back.map_err(|_| anyhow::anyhow!("the thread reading the weights stopped"))?;
    Ok(front?.into_iter().chain(back?).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A safetensors file with the given header and data bytes.
    fn file(dir: &Path, header: &str, data: &[u8]) -> Result<std::path::PathBuf> {
        let path = dir.join("weights.safetensors");
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(data);
        std::fs::write(&path, bytes)?;
        Ok(path)
    }

    fn floats(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    #[test]
    fn reads_every_float_tensor_with_its_shape_and_values() -> Result<()> {
        let dir = tempfile::tempdir()?;
        // Stored in the opposite order of the header, as files may be.
        let path = file(
            dir.path(),
            r#"{"__metadata__":{"format":"pt"},
                "b":{"dtype":"F32","shape":[2,2],"data_offsets":[4,20]},
                "a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},
                "ids":{"dtype":"I64","shape":[1],"data_offsets":[20,28]}}"#,
            &[floats(&[9.5, 1.0, 2.0, 3.0, -4.25]), vec![7; 8]].concat(),
        )?;
        let tensors = load(&path, &Device::Cpu)?;
        assert_eq!(tensors.len(), 2);
        assert_eq!(tensors["a"].to_vec1::<f32>()?, vec![9.5]);
        assert_eq!(
            tensors["b"].to_vec2::<f32>()?,
            vec![vec![1.0, 2.0], vec![3.0, -4.25]]
        );
        Ok(())
    }

    #[test]
    fn truncated_foreign_and_other_type_files_are_errors() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let header = r#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}"#;
        let cut = file(dir.path(), header, &floats(&[1.0, 2.0]))?;
        let err = format!("{:#}", load(&cut, &Device::Cpu).unwrap_err());
        assert!(err.contains("truncated"), "{err}");

        let half = r#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#;
        let f16 = file(dir.path(), half, &[0; 4])?;
        let err = format!("{:#}", load(&f16, &Device::Cpu).unwrap_err());
        assert!(err.contains("not F32"), "{err}");

        let text = dir.path().join("text.safetensors");
        std::fs::write(&text, "not a model at all, just some words")?;
        assert!(load(&text, &Device::Cpu).is_err());
        std::fs::write(&text, "")?;
        assert!(load(&text, &Device::Cpu).is_err());
        Ok(())
    }
}
