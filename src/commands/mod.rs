//! One file per subcommand; each has a `run` that takes the resolved config and its arguments,
//! parses them, and calls the layers below (the answer layer for everything that takes an
//! answer). Here: the two bank look-ups several subcommands share.

pub mod bank;
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

use anyhow::{Result, bail};

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
