//! `rehearse model list | fetch | path | verify`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};

use crate::cli::ModelCommand;
use crate::config::{Config, Verbosity};
use crate::embed::{Embed, MiniLm};
use crate::models::catalog::EmbedderSource;
use crate::models::fetch::{self, Fetcher, Provenance};
use crate::models::{self, CATALOG, ModelChoice, ModelEntry, ModelKind, catalog, ggml};
use crate::style::{DIM, ERROR, HIT};
use crate::transcribe::TranscriberFactory;

pub fn run(config: &Config, command: &ModelCommand) -> Result<ExitCode> {
    let named =
        |name: &Option<String>| models::choose(config, name.as_deref().unwrap_or(&config.model));
    match command {
        ModelCommand::List => list(config),
        ModelCommand::Fetch { name, from } => fetch(config, name.as_deref(), from.as_deref()),
        ModelCommand::Path { name } => {
            let choice = named(name)?;
            if choice.is_present() {
                crate::outln!("{}", absolute(&choice))?;
                Ok(ExitCode::SUCCESS)
            } else {
                crate::ui::print_error(&not_there(&choice));
                Ok(ExitCode::FAILURE)
            }
        }
        ModelCommand::Verify { name } => {
            let choice = named(name)?;
            if !choice.path.exists() {
                return Err(not_there(&choice));
            }
            match choice.entry.map(|e| &e.kind) {
                Some(ModelKind::Embedder(source)) => verify_embedder(&choice, source),
                _ => verify(config, &choice),
            }
        }
    }
}

/// `model fetch [NAME] [--from PATH]`. With no name it gets what the defaults use: the speech
/// model in use and the sentence embedder (with `--from`, the speech model alone).
fn fetch(config: &Config, name: Option<&str>, from: Option<&Path>) -> Result<ExitCode> {
    let in_use = models::choose(config, name.unwrap_or(&config.model))?;
    let mut entries: Vec<&'static ModelEntry> = Vec::new();
    match in_use.entry {
        Some(entry) => entries.push(entry),
        None if name.is_some() || from.is_some() => {
            bail!("`model fetch` takes a model name from `rehearse model list`, not a path")
        }
        None => crate::ui::warn(
            config,
            &format!(
                "the speech model in use is your own file {}; nothing to fetch for it",
                in_use.path.display()
            ),
        ),
    }
    let embedder = catalog::embedder();
    if name.is_none() && from.is_none() && entries.iter().all(|e| e.name != embedder.name) {
        entries.push(embedder);
    }
    let fetcher = Fetcher {
        models_dir: config.models_dir.clone(),
        base_url: std::env::var("REHEARSE_MODEL_URL")
            .unwrap_or_else(|_| catalog::OFFICIAL_BASE_URL.to_owned()),
        embedder_url: std::env::var("REHEARSE_EMBEDDER_URL").ok(),
        show_progress: config.verbosity > Verbosity::Quiet,
    };
    let mut failed = false;
    for entry in entries {
        let fetched = match from {
            Some(from) => fetcher.fetch_from(entry, from),
            None => fetcher.fetch(entry),
        };
        match fetched {
            Ok(path) => crate::outln!("{}", path.display())?,
            Err(err) => {
                crate::ui::print_error(&err);
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn not_there(choice: &ModelChoice) -> anyhow::Error {
    anyhow!(
        "{} is not there\n  Get it with: rehearse model fetch {}",
        choice.path.display(),
        choice.name
    )
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
            let (kind, sources): (&str, Vec<&str>) = match &entry.kind {
                ModelKind::Whisper(source) => (
                    "speech",
                    [
                        source.official_sha1.map(|_| "model host"),
                        source.registry.as_ref().map(|_| "Python package index"),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                ),
                ModelKind::Embedder(_) => ("embedder", vec!["model host", "Python package index"]),
            };
            serde_json::json!({
                "name": entry.name,
                "kind": kind,
                "file": entry.file,
                "description": entry.description,
                "present": ModelChoice::catalogued(config, entry).is_present(),
                "default": in_use(config, entry),
                "sources": sources,
            })
        })
        .collect();
    if config.json {
        crate::ui::print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::outln!("{DIM}models dir: {}{DIM:#}", config.models_dir.display())?;
    for (entry, row) in CATALOG.iter().zip(&rows) {
        let present = if row["present"] == true {
            format!("{HIT}here{HIT:#}")
        } else {
            format!("{DIM}not fetched{DIM:#}")
        };
        let default = if in_use(config, entry) {
            " (in use)"
        } else {
            ""
        };
        crate::outln!(
            "  {:16} {present:24} {}{default}",
            entry.name,
            entry.description
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The speech model chosen with --model, and the embedder: scoring uses it whenever it is there.
fn in_use(config: &Config, entry: &ModelEntry) -> bool {
    entry.name == config.model || matches!(entry.kind, ModelKind::Embedder(_))
}

fn verify(config: &Config, choice: &ModelChoice) -> Result<ExitCode> {
    let info = ggml::inspect(&choice.path)?;
    let found = fetch::digests(&choice.path)?;
    let provenance = choice
        .entry
        .and_then(|entry| fetch::provenance(entry, &found));
    let checksum = match provenance {
        Some(Provenance::Official) => "matches whisper.cpp's published file",
        Some(Provenance::Converted) => "matches rehearse's pinned conversion",
        None if choice.entry.is_some() => {
            crate::outln!(
                "{ERROR}checksum mismatch{ERROR:#}: {} (sha256 {}) is not a known {} file\n  \
                 Fetch it again with: rehearse model fetch {}",
                choice.path.display(),
                found.sha256,
                choice.name,
                choice.name
            )?;
            return Ok(ExitCode::FAILURE);
        }
        None => "no pinned checksum for a file given by path",
    };
    crate::app::WhisperFactory::new(&Config {
        model: choice.path.display().to_string(),
        ..config.clone()
    })
    .prepare()?
    .load(crate::interrupt::flag())?;
    crate::outln!(
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
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The embedder's files against their pins, then the model's published embedding of a known
/// text: the second catches a tokenizer or a computation that went wrong here.
fn verify_embedder(choice: &ModelChoice, source: &EmbedderSource) -> Result<ExitCode> {
    let problems = fetch::embedder_problems(source, &choice.path)?;
    if !problems.is_empty() {
        crate::outln!(
            "{ERROR}checksum mismatch{ERROR:#}: {}\n  Fetch it again with: rehearse model fetch {}",
            problems.join("; "),
            choice.name
        )?;
        return Ok(ExitCode::FAILURE);
    }
    let (text, published) = source.known_embedding;
    let model = MiniLm::load(&choice.path)?;
    let embedding = model.embed(&[text])?;
    let start = embedding
        .first()
        .map(|e| &e.values()[..published.len().min(e.values().len())])
        .unwrap_or_default();
    let matches = start.len() == published.len()
        && start
            .iter()
            .zip(published)
            .all(|(got, want)| (got - want).abs() <= 1e-4);
    if !matches {
        crate::outln!(
            "{ERROR}wrong embedding{ERROR:#}: for {text:?} the model gives {start:?}, its published values are {published:?}\n  \
             The files are the pinned ones, so this rehearse build computes wrongly: please report it."
        )?;
        return Ok(ExitCode::FAILURE);
    }
    let bytes: u64 = source.files.iter().map(|f| f.size).sum();
    crate::outln!(
        "{HIT}ok{HIT:#}: {} ({} files, {bytes} bytes); checksums match the pinned files; \
         the model gives its published embedding of {text:?}",
        choice.path.display(),
        source.files.len(),
    )?;
    Ok(ExitCode::SUCCESS)
}
