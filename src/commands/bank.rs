//! `rehearse bank check` and `rehearse bank import`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::bank::{self, markdown};
use crate::bank::{BankLocation, BankOrigin};
use crate::cli::BankCommand;
use crate::config::Config;
use crate::style::{ERROR, HIT, WARNING};
use crate::ui;

pub fn run(config: &Config, command: &BankCommand) -> Result<ExitCode> {
    match command {
        BankCommand::Check { path } => check(config, path.as_deref()),
        BankCommand::Import { file, out, force } => import(config, file, out.as_deref(), *force),
    }
}

fn check(config: &Config, path: Option<&Path>) -> Result<ExitCode> {
    let locations = match path {
        Some(path) => {
            if !path.exists() {
                bail!(
                    "{} does not exist\n  Give a bank file or a folder of them.",
                    path.display()
                );
            }
            vec![BankLocation {
                path: path.to_path_buf(),
                origin: BankOrigin::Explicit,
            }]
        }
        None => config.banks.clone(),
    };
    let loaded = bank::load(&locations)?;
    let problems: usize = loaded.skipped.iter().map(|s| s.diagnostics.len()).sum();
    for skipped in &loaded.skipped {
        for diagnostic in &skipped.diagnostics {
            crate::outln!("{ERROR}error:{ERROR:#} {diagnostic}")?;
        }
        crate::outln!(
            "{ERROR}skipped{ERROR:#} {}: fix the problems above to use its questions\n",
            skipped.path.display()
        )?;
    }
    for warning in &loaded.warnings {
        crate::outln!("{WARNING}warning:{WARNING:#} {warning}")?;
    }
    let files = loaded.files.len();
    let used = files - loaded.skipped.len();
    let summary = format!(
        "{} question{} in {used} of {files} file{}",
        loaded.bank.questions.len(),
        if loaded.bank.questions.len() == 1 {
            ""
        } else {
            "s"
        },
        if files == 1 { "" } else { "s" },
    );
    // The terms whisper listens for: a missing one is a term to add to a `[glossary]` table.
    let glossary = crate::glossary::Glossary::of_bank(&loaded.bank);
    let summary = format!("{summary}; a glossary of {} terms", glossary.terms().len());
    if config.verbosity > crate::config::Verbosity::Normal {
        let terms: Vec<String> = glossary
            .terms()
            .iter()
            .map(|t| {
                if t.said == t.text {
                    t.text.clone()
                } else {
                    format!("{} ({})", t.text, t.said)
                }
            })
            .collect();
        crate::outln!("glossary: {}", terms.join(", "))?;
    }
    if problems == 0 {
        crate::outln!("{HIT}ok{HIT:#}: {summary}")?;
        Ok(ExitCode::SUCCESS)
    } else {
        crate::outln!(
            "{ERROR}{problems} problem{}{ERROR:#}: {summary}",
            if problems == 1 { "" } else { "s" }
        )?;
        Ok(ExitCode::FAILURE)
    }
}

fn import(config: &Config, file: &Path, out: Option<&Path>, force: bool) -> Result<ExitCode> {
    let text = crate::fsutil::read_text(file)?;
    let doc = markdown::parse(&text);
    if doc.questions.is_empty() {
        bail!(
            "found no questions in {}\n  Questions are recognised as numbered bold lines \
             (`1. **What is X?**`), headings ending with `?` (`## What is X?`) or `Q:` lines.",
            file.display()
        );
    }
    let fallback_deck = file.file_stem().map_or_else(
        || "Imported".to_owned(),
        |s| s.to_string_lossy().replace(['-', '_'], " "),
    );
    let toml = markdown::to_bank_toml(&doc, &fallback_deck);
    let unanswered = doc.questions.iter().filter(|q| q.answer.is_empty()).count();
    match out {
        Some(out) => {
            if out.exists() && !force {
                bail!(
                    "{} already exists\n  Choose another --out path, or add --force to replace it.",
                    out.display()
                );
            }
            crate::fsutil::write_atomic(out, toml.as_bytes())
                .with_context(|| format!("cannot write {}", out.display()))?;
            ui::note(
                config,
                &format!(
                    "wrote {} questions to {}; edit the key points, then run `rehearse bank check {}`",
                    doc.questions.len(),
                    out.display(),
                    out.display()
                ),
            );
        }
        None => crate::out!("{toml}")?,
    }
    if unanswered > 0 {
        ui::warn(
            config,
            &format!(
                "{unanswered} question(s) have no answer text: write their answers before using the bank"
            ),
        );
    }
    Ok(ExitCode::SUCCESS)
}
