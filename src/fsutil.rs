//! File-system helpers for user data.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A text file that could not be read, why, and what to do about it.
#[derive(Debug)]
pub struct ReadError {
    pub path: PathBuf,
    pub problem: ReadProblem,
}

#[derive(Debug)]
pub enum ReadProblem {
    Missing,
    Folder,
    Denied,
    /// A FIFO, a device or a socket: reading one could wait forever or never end.
    NotRegular,
    /// Larger than any text file rehearse reads.
    TooLarge {
        bytes: u64,
    },
    /// It holds NUL bytes, which no text format rehearse reads allows.
    Binary,
    NotUtf8 {
        line: usize,
    },
    Other(std::io::Error),
}

impl ReadProblem {
    pub fn message(&self) -> String {
        match self {
            ReadProblem::Missing => "the file does not exist".into(),
            ReadProblem::Folder => "it is a folder, not a file".into(),
            ReadProblem::Denied => "permission denied: rehearse may not read it".into(),
            ReadProblem::NotRegular => {
                "it is not a regular file (a FIFO, a device or a socket)".into()
            }
            ReadProblem::TooLarge { bytes } => format!(
                "it is {:.1} MB, more than the {} MB a text file rehearse reads may be",
                *bytes as f64 / 1e6,
                MAX_TEXT_BYTES / 1_000_000
            ),
            ReadProblem::Binary => "it is a binary file, not text".into(),
            ReadProblem::NotUtf8 { line } => {
                format!("it is not UTF-8 text (an invalid byte on line {line})")
            }
            ReadProblem::Other(err) => format!("cannot read it: {err}"),
        }
    }

    /// What to do, for the file at `path`.
    pub fn fix(&self, path: &Path) -> String {
        match self {
            ReadProblem::Missing => "check the path".into(),
            ReadProblem::Folder => "give the path of a file".into(),
            ReadProblem::Denied => format!("make it readable: chmod u+r {}", quoted(path)),
            ReadProblem::NotRegular => "give a regular file".into(),
            ReadProblem::TooLarge { .. } => "give a smaller file".into(),
            ReadProblem::Binary => "give a text file".into(),
            ReadProblem::NotUtf8 { .. } => format!(
                "save it as UTF-8, e.g. iconv -f latin1 -t utf-8 {} > fixed.txt",
                quoted(path)
            ),
            ReadProblem::Other(_) => "check that the file can be read, then try again".into(),
        }
    }

    /// The line the problem is on; 1 when it is about the whole file.
    pub fn line(&self) -> usize {
        match self {
            ReadProblem::NotUtf8 { line } => *line,
            _ => 1,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut fix = self.problem.fix(&self.path);
        if let Some(first) = fix.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        write!(
            f,
            "{}: {}\n  {fix}.",
            self.path.display(),
            self.problem.message()
        )
    }
}

impl std::error::Error for ReadError {}

/// The largest text file rehearse reads (bank, Markdown, transcript): far above any real one,
/// far below what would strain memory.
pub const MAX_TEXT_BYTES: u64 = 16_000_000;

/// A path as one word of a shell command line, quoted when it needs to be, so that a
/// suggested command can be pasted as it is.
pub fn quoted(path: &Path) -> String {
    shell_words::quote(&path.to_string_lossy()).into_owned()
}

/// Read a text file, saying clearly why when it can't be: missing, a folder, not readable,
/// not a regular file (a FIFO would block, `/dev/zero` never end), too large, binary, or not
/// UTF-8 (with the line of the first bad byte).
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let error = |problem| ReadError {
        path: path.to_path_buf(),
        problem,
    };
    let io_problem = |err: std::io::Error| {
        error(match err.kind() {
            ErrorKind::NotFound => ReadProblem::Missing,
            ErrorKind::IsADirectory => ReadProblem::Folder,
            ErrorKind::PermissionDenied => ReadProblem::Denied,
            _ => ReadProblem::Other(err),
        })
    };
    // Opened without blocking (a FIFO with no writer would wait forever here), then checked:
    // what the name turned out to be is what is read, whatever raced in under it.
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        rustix::fs::OFlags::NONBLOCK.bits() as i32,
    );
    let file = options.open(path).map_err(io_problem)?;
    let meta = file.metadata().map_err(io_problem)?;
    if meta.is_dir() {
        return Err(error(ReadProblem::Folder));
    }
    if !meta.is_file() {
        return Err(error(ReadProblem::NotRegular));
    }
    if meta.len() > MAX_TEXT_BYTES {
        return Err(error(ReadProblem::TooLarge { bytes: meta.len() }));
    }
    let mut bytes = Vec::new();
    // A file that grows while it is read stops at the limit too.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_TEXT_BYTES + 1),
        &mut bytes,
    )
    .map_err(io_problem)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(error(ReadProblem::TooLarge {
            bytes: bytes.len() as u64,
        }));
    }
    if bytes.contains(&0) {
        return Err(error(ReadProblem::Binary));
    }
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        error(ReadProblem::NotUtf8 { line })
    })
}

/// How the temp files of rehearse's atomic writes begin.
pub const TEMP_PREFIX: &str = ".rehearse-";

/// How old a temp file must be before a sweep takes it for the leftover of a killed process:
/// far longer than any write takes.
pub const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

pub fn is_stale(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age > STALE_AFTER)
}

/// Remove the stale temp files of atomic writes in one folder (a process killed between
/// writing and renaming leaves one); returns how many went.
pub fn sweep_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .filter(|e| is_stale(&e.path()) && std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Write a file so that readers see the old content or the new, never a half-written file:
/// a temp file in the same folder, flushed to disk, then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
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
    fn read_text_says_why_a_file_is_not_text() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let problem = |name: &str, bytes: Option<&[u8]>| -> Result<String> {
            let path = dir.path().join(name);
            if let Some(bytes) = bytes {
                std::fs::write(&path, bytes)?;
            }
            Ok(read_text(&path)
                .err()
                .map(|e| e.problem.message())
                .unwrap_or_default())
        };
        assert_eq!(problem("none.txt", None)?, "the file does not exist");
        assert_eq!(
            problem("latin1.txt", Some(b"one\ntwo\ncaf\xe9\n"))?,
            "it is not UTF-8 text (an invalid byte on line 3)"
        );
        assert_eq!(
            problem("binary.bin", Some(b"\x7fELF\x02\x01\x00\x00"))?,
            "it is a binary file, not text"
        );
        assert_eq!(
            read_text(dir.path()).err().map(|e| e.problem.message()),
            Some("it is a folder, not a file".into())
        );
        std::fs::write(dir.path().join("ok.txt"), "é\n")?;
        assert_eq!(read_text(&dir.path().join("ok.txt"))?, "é\n");
        let shown = read_text(dir.path()).err().map(|e| e.to_string());
        assert!(shown.is_some_and(|s| {
            s.ends_with("it is a folder, not a file\n  Give the path of a file.")
        }),);
        Ok(())
    }

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
