//! One file per subcommand; each has a `run` that takes the resolved config and its arguments.

pub mod bank;
pub mod practice;
pub mod questions;
pub mod score;
pub mod show;

use std::io::Read;

use anyhow::{Context, Result, bail};

use crate::bank::{self as bank_files, Bank};
use crate::config::{BankOrigin, Config};
use crate::ui;

/// The questions in use. Files with problems are skipped with a warning naming them.
pub fn load_bank(config: &Config) -> Result<Bank> {
    let loaded = bank_files::load(&config.banks)?;
    for skipped in &loaded.skipped {
        let origin = match skipped.origin {
            BankOrigin::Bundled => "bundled bank",
            BankOrigin::User => "your bank",
            BankOrigin::Explicit => "bank",
        };
        ui::warn(
            config,
            &format!(
                "skipped {origin} {} ({} problem{}); see `rehearse bank check {}`",
                skipped.path.display(),
                skipped.diagnostics.len(),
                if skipped.diagnostics.len() == 1 {
                    ""
                } else {
                    "s"
                },
                skipped.path.display()
            ),
        );
    }
    if loaded.bank.questions.is_empty() {
        bail!(
            "no usable questions in {}\n  Run `rehearse bank check` to see what is wrong.",
            config
                .banks
                .iter()
                .map(|b| b.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(loaded.bank)
}

/// The text of `--text T`; `-` reads standard input.
pub fn answer_text(text: &str) -> Result<String> {
    if text != "-" {
        return Ok(text.to_owned());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read the answer from standard input")?;
    String::from_utf8(bytes)
        .context("the answer on standard input is not UTF-8 text; save it as UTF-8 and try again")
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
