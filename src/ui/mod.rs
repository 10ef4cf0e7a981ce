//! Terminal output: messages on stderr, JSON on stdout, and the live widgets. Colour is decided
//! by anstream, which honours NO_COLOR, CLICOLOR and whether the stream is a terminal.

pub mod answer_screen;
pub mod countdown;
pub mod speak;
pub mod stdout;

use crate::config::{Config, Verbosity};
use crate::style::{DIM, ERROR, WARNING};

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

/// Text for the user: on stdout, or on stderr (unless --quiet) when stdout carries JSON.
pub fn show(config: &Config, text: &str) -> anyhow::Result<()> {
    if !config.json {
        stdout::print(text)?;
    } else if config.verbosity > Verbosity::Quiet {
        anstream::eprint!("{text}");
    }
    Ok(())
}

/// Print one JSON document on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    stdout::print(&format!("{text}\n"))
}
