//! What a model file is: its digests, and whether they are the pinned ones.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::models::catalog::{EmbedderSource, ModelEntry, ModelKind, PinnedFile};

/// Hex digests of a file, both kinds in one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    pub sha1: String,
    pub sha256: String,
    pub size: u64,
}

pub fn digests(path: &Path) -> Result<Digests> {
    let mut file = BufReader::with_capacity(
        1 << 20,
        File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let (mut sha1, mut sha256, mut size) = (Sha1::new(), Sha256::new(), 0u64);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha1.update(&buf[..n]);
        sha256.update(&buf[..n]);
        size += n as u64;
    }
    Ok(Digests {
        sha1: hex(&sha1.finalize()),
        sha256: hex(&sha256.finalize()),
        size,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which known-good bytes a file is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    Official,
    Converted,
}

pub fn provenance(entry: &ModelEntry, digests: &Digests) -> Option<Provenance> {
    let ModelKind::Whisper(source) = &entry.kind else {
        return None;
    };
    if source.official_sha1 == Some(digests.sha1.as_str()) {
        Some(Provenance::Official)
    } else if source
        .registry
        .as_ref()
        .is_some_and(|r| r.converted_sha256 == digests.sha256 && r.converted_size == digests.size)
    {
        Some(Provenance::Converted)
    } else {
        None
    }
}

/// Whether `digests` are those of the pinned `file`.
pub fn is_pinned(file: &PinnedFile, digests: &Digests) -> bool {
    digests.sha256 == file.sha256 && digests.size == file.size
}

/// The files of an embedder folder that are missing or differ from their pins.
pub fn embedder_problems(source: &EmbedderSource, folder: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in source.files {
        let path = folder.join(file.name);
        if !path.is_file() {
            problems.push(format!("{} is missing", path.display()));
            continue;
        }
        let found = digests(&path)?;
        if !is_pinned(file, &found) {
            problems.push(format!(
                "{} is not the pinned file (sha256 {}, {} bytes; expected {}, {} bytes)",
                path.display(),
                found.sha256,
                found.size,
                file.sha256,
                file.size
            ));
        }
    }
    Ok(problems)
}
