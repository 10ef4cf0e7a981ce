//! One file per subcommand; each has a `run` that takes the resolved config and its arguments,
//! parses them into plain requests, builds what it needs with `app`, and calls the layers below
//! (the coaching loop, with the command line's front end, for everything that asks questions).
//! Here: the two bank look-ups several subcommands share.

pub mod bank;
pub mod completions;
pub mod devices;
pub mod drill;
pub mod history;
pub mod model;
pub mod practice;
pub mod questions;
pub mod rescore;
pub mod review;
pub mod round;
pub mod score;
pub mod show;
pub mod transcribe;

use anyhow::Result;

use crate::bank::{self as bank_files, Bank, BankInUse};
use crate::config::Config;
use crate::ui;

/// The questions in use. A broken bank named by --bank is an error that lists its problems; a
/// broken file beside good ones is skipped with a warning that lists them.
pub fn load_bank(config: &Config) -> Result<BankInUse> {
    bank_files::load(&config.banks)?.into_usable(|message| ui::warn(config, message))
}

/// A report to the file named by `--output F` (atomically, without colour codes), or to
/// standard output.
pub fn write_or_print(config: &Config, output: Option<&std::path::Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => {
            // A file gets no colour codes, whatever the terminal.
            let plain = anstream::adapter::strip_str(text).to_string();
            crate::fsutil::write_atomic(path, plain.as_bytes())?;
            ui::note(config, &format!("Wrote {}", path.display()));
        }
        None => crate::out!("{text}")?,
    }
    Ok(())
}

/// Questions of a category, or a usage error listing the categories there are.
pub fn in_category<'a>(
    bank: &'a Bank,
    category: Option<&str>,
) -> Result<Vec<&'a crate::bank::Question>> {
    let Some(category) = category else {
        return Ok(bank.questions.iter().collect());
    };
    let chosen: Vec<_> = bank
        .questions
        .iter()
        .filter(|q| q.category.eq_ignore_ascii_case(category))
        .collect();
    if chosen.is_empty() {
        return Err(crate::error::UsageError::new(format!(
            "no questions in category `{category}`; the categories are: {}",
            bank.categories().join(", ")
        ))
        .into());
    }
    Ok(chosen)
}
