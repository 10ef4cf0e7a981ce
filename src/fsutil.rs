//! File-system helpers for user data.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Write a file so that readers see the old content or the new, never a half-written file:
/// a temp file in the same folder, flushed to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".rehearse-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot rename the temporary file to {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_files() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sub").join("file.txt");
        write_atomic(&path, b"one")?;
        write_atomic(&path, b"two")?;
        assert_eq!(std::fs::read_to_string(&path)?, "two");
        let entries = std::fs::read_dir(path.parent().context("parent")?)?.count();
        assert_eq!(entries, 1);
        Ok(())
    }
}
