//! The transcriber factory that commands hand down: whisper with the model `--model` names, or,
//! for tests that must run without a model, a script (`REHEARSE_SCRIPTED_TRANSCRIPTS`). whisper's
//! engine options are made here and nowhere else.

use std::sync::Arc;

use anyhow::Result;

use crate::config::Config;
use crate::transcribe::scripted::ScriptedFactory;
use crate::transcribe::whisper::{EngineOptions, Whisper};
use crate::transcribe::{Loader, Transcriber, TranscriberFactory};

/// The transcribers of this run, made once by a command from its config.
pub fn transcribers(config: &Config) -> Result<Arc<dyn TranscriberFactory>> {
    Ok(match &config.scripted_transcripts {
        Some(script) => Arc::new(ScriptedFactory::from_file(script)?),
        None => Arc::new(WhisperFactory::new(config)),
    })
}

/// whisper with the model the config names.
#[derive(Debug)]
pub struct WhisperFactory {
    config: Config,
}

impl WhisperFactory {
    pub fn new(config: &Config) -> Self {
        Self {
            config: config.clone(),
        }
    }
}

impl TranscriberFactory for WhisperFactory {
    fn prepare(&self) -> Result<Loader> {
        let choice = super::ready(&self.config)?;
        let options = EngineOptions {
            threads: self.config.threads,
            flash_attention: self.config.flash_attention,
            language: "en",
        };
        Ok(Loader::new(choice.name.clone(), move |cancel| {
            let whisper = Whisper::load(&choice.path, &choice.name, options, cancel)?;
            Ok(Box::new(whisper) as Box<dyn Transcriber + Send>)
        }))
    }
}
