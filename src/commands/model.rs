//! `rehearse model list | fetch | path | verify`.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::ModelCommand;
use crate::config::{Config, Verbosity};
use crate::models::fetch::{self, Fetcher, Provenance};
use crate::models::{self, CATALOG, ModelChoice, catalog, ggml};
use crate::style::{DIM, ERROR, HIT};
use crate::transcribe::TranscriberFactory;

pub fn run(config: &Config, command: &ModelCommand) -> Result<ExitCode> {
    let named =
        |name: &Option<String>| models::choose(config, name.as_deref().unwrap_or(&config.model));
    match command {
        ModelCommand::List => list(config),
        ModelCommand::Fetch { name, from } => {
            let choice = named(name)?;
            let Some(entry) = choice.entry else {
                bail!("`model fetch` takes a model name from `rehearse model list`, not a path");
            };
            let fetcher = Fetcher {
                models_dir: config.models_dir.clone(),
                base_url: std::env::var("REHEARSE_MODEL_URL")
                    .unwrap_or_else(|_| catalog::OFFICIAL_BASE_URL.to_owned()),
                show_progress: config.verbosity > Verbosity::Quiet,
            };
            let path = match from {
                Some(from) => fetcher.fetch_from(entry, from)?,
                None => fetcher.fetch(entry)?,
            };
            println!("{}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        ModelCommand::Path { name } => {
            let choice = named(name)?;
            if choice.path.is_file() {
                println!("{}", absolute(&choice));
                Ok(ExitCode::SUCCESS)
            } else {
                crate::ui::print_error(&anyhow::anyhow!(
                    "{} is not there\n  Get it with: rehearse model fetch {}",
                    choice.path.display(),
                    choice.name
                ));
                Ok(ExitCode::FAILURE)
            }
        }
        ModelCommand::Verify { name } => verify(config, &named(name)?),
    }
}

fn absolute(choice: &ModelChoice) -> String {
    std::path::absolute(&choice.path)
        .unwrap_or_else(|_| choice.path.clone())
        .display()
        .to_string()
}

fn list(config: &Config) -> Result<ExitCode> {
    let rows: Vec<serde_json::Value> = CATALOG
        .iter()
        .map(|entry| {
            let path = config.models_dir.join(entry.file);
            let sources: Vec<&str> = [
                entry.official_sha1.map(|_| "model host"),
                entry.registry.as_ref().map(|_| "Python package index"),
            ]
            .into_iter()
            .flatten()
            .collect();
            serde_json::json!({
                "name": entry.name,
                "file": entry.file,
                "description": entry.description,
                "present": path.is_file(),
                "default": entry.name == config.model,
                "sources": sources,
            })
        })
        .collect();
    if config.json {
        crate::ui::print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    anstream::println!("{DIM}models dir: {}{DIM:#}", config.models_dir.display());
    for (entry, row) in CATALOG.iter().zip(&rows) {
        let present = if row["present"] == true {
            format!("{HIT}here{HIT:#}")
        } else {
            format!("{DIM}not fetched{DIM:#}")
        };
        let default = if entry.name == config.model {
            " (in use)"
        } else {
            ""
        };
        anstream::println!(
            "  {:14} {present:24} {}{default}",
            entry.name,
            entry.description
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(config: &Config, choice: &ModelChoice) -> Result<ExitCode> {
    if !choice.path.is_file() {
        bail!(
            "{} is not there\n  Get it with: rehearse model fetch {}",
            choice.path.display(),
            choice.name
        );
    }
    let info = ggml::inspect(&choice.path)?;
    let found = fetch::digests(&choice.path)?;
    let provenance = choice
        .entry
        .and_then(|entry| fetch::provenance(entry, &found));
    let checksum = match provenance {
        Some(Provenance::Official) => "matches whisper.cpp's published file",
        Some(Provenance::Converted) => "matches rehearse's pinned conversion",
        None if choice.entry.is_some() => {
            anstream::println!(
                "{ERROR}checksum mismatch{ERROR:#}: {} (sha256 {}) is not a known {} file\n  \
                 Fetch it again with: rehearse model fetch {}",
                choice.path.display(),
                found.sha256,
                choice.name,
                choice.name
            );
            return Ok(ExitCode::FAILURE);
        }
        None => "no pinned checksum for a file given by path",
    };
    crate::models::engine::WhisperFactory::new(&Config {
        model: choice.path.display().to_string(),
        ..config.clone()
    })
    .prepare()?
    .load(crate::interrupt::flag())?;
    anstream::println!(
        "{HIT}ok{HIT:#}: {} ({} bytes, {} tensors, {}, {}); checksum {checksum}; whisper loads it",
        choice.path.display(),
        found.size,
        info.tensors,
        info.weight_type(),
        if info.is_multilingual() {
            "multilingual"
        } else {
            "English"
        },
    );
    Ok(ExitCode::SUCCESS)
}
