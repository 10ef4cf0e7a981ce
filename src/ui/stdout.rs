//! Standard output whose failures are errors, never panics (`println!` panics when stdout is
//! closed or full). A reader that closes the pipe (`rehearse questions | head -1`) has read
//! what it wanted: that ends the command quietly with exit 0, as `head` expects of Unix tools;
//! any other failure (a full disk under `> file`) is an error, exit 1.

use std::io::{ErrorKind, Write};

use crate::error::OutputClosed;

/// Write `text` to standard output (colour codes kept for a terminal, dropped otherwise) and
/// flush it, so that a failure shows here and not at exit.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|err| match err.kind() {
            ErrorKind::BrokenPipe => OutputClosed.into(),
            _ => anyhow::Error::new(err).context("cannot write to standard output"),
        })
}

/// `print!` to standard output, as a `Result`: see [`print`].
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::ui::stdout::print(&format!($($arg)*))
    };
}

/// `println!` to standard output, as a `Result`: see [`print`].
#[macro_export]
macro_rules! outln {
    () => {
        $crate::ui::stdout::print("\n")
    };
    ($($arg:tt)*) => {
        $crate::ui::stdout::print(&format!("{}\n", format_args!($($arg)*)))
    };
}
