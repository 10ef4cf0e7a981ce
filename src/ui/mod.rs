//! Terminal output helpers: styles, and messages on stderr. Colour is decided by anstream, which
//! honours NO_COLOR, CLICOLOR and whether the stream is a terminal.

pub mod answer_screen;
pub mod countdown;
pub mod sparkline;
pub mod speak;

use anstyle::{AnsiColor, Style};

use crate::config::{Config, Verbosity};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const HIT: Style = AnsiColor::Green.on_default();
pub const PARTIAL: Style = AnsiColor::Yellow.on_default();
pub const MISSED: Style = AnsiColor::Red.on_default();
pub const HEADING: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const ACCENT: Style = AnsiColor::Cyan.on_default().bold();

/// Text wrapped to the terminal width (at most 100 columns; 80 when not a terminal).
pub fn width() -> usize {
    textwrap::termwidth().clamp(40, 100)
}

pub fn print_error(err: &anyhow::Error) {
    anstream::eprintln!("{ERROR}error:{ERROR:#} {err}");
    for cause in err.chain().skip(1) {
        anstream::eprintln!("  {DIM}caused by:{DIM:#} {cause}");
    }
}

/// A warning on stderr, unless --quiet.
pub fn warn(config: &Config, message: &str) {
    if config.verbosity > Verbosity::Quiet {
        anstream::eprintln!("{WARNING}warning:{WARNING:#} {message}");
    }
}

/// A progress or status note on stderr, unless --quiet.
pub fn note(config: &Config, message: &str) {
    if config.verbosity > Verbosity::Quiet {
        anstream::eprintln!("{message}");
    }
}

/// Print one JSON document on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    println!("{text}");
    Ok(())
}
