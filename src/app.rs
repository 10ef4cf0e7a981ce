//! The composition root: the one place that builds, from the resolved config, the parts a
//! command hands down: the transcriber factory (whisper with the model `--model` names, or, for
//! tests that must run without a model, a script: `REHEARSE_SCRIPTED_TRANSCRIPTS`) and the
//! scorer (with the sentence embedder and the user's delivery norms), and the interviewer's
//! voice (`--voice`). whisper's engine options are made here and nowhere else.

use std::sync::Arc;

use anyhow::Result;

use crate::config::Config;
use crate::embed::{self, Availability, Cached, Embed};
use crate::score::Scorer;
use crate::transcribe::scripted::ScriptedFactory;
use crate::transcribe::whisper::{EngineOptions, Whisper};
use crate::transcribe::{Loader, Transcriber, TranscriberFactory};
use crate::voice::{self, Glossary, Speaker};

/// The transcribers of this run, made once by a command from its config.
pub fn transcribers(config: &Config) -> Result<Arc<dyn TranscriberFactory>> {
    Ok(match &config.scripted_transcripts {
        Some(script) => Arc::new(ScriptedFactory::from_file(script)?),
        None => Arc::new(WhisperFactory::new(config)),
    })
}

/// The scorer of this run, made once by a command from its config (the delivery norms too). It
/// matches by meaning with the sentence embedder from the models dir, loaded the first time an
/// answer is scored (listing questions never pays for it), and remembers the bank's embeddings
/// in the data dir. When the embedder is not installed it says so once and scores by words
/// alone.
pub fn scorer(config: &Config) -> Scorer {
    let norms = config.norms;
    let config = config.clone();
    Scorer::with_embedder(Box::new(move || match embed::load(&config.models_dir)? {
        Availability::Ready(model) => {
            let cache = embed::cache_path(&config.data_dir, embed::MODEL_NAME);
            Ok(Some(Box::new(Cached::new(model, cache)) as Box<dyn Embed>))
        }
        Availability::Missing { reason } => {
            crate::ui::warn(&config, &reason);
            Ok(None)
        }
    }))
    .with_norms(norms)
}

/// The interviewer's voice that `--voice` names, ready to speak: the neural voice from the models
/// dir (falling back on the system's voice, with a notice, when it is not there), its noise seed
/// fixed so that a line sounds the same every time.
pub fn speaker(config: &Config, glossary: Glossary) -> Speaker {
    let chosen = voice::choose(
        &config.voice,
        &config.models_dir,
        voice::piper::DEFAULT_SEED,
    );
    Speaker::new(chosen, glossary)
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
        let choice = crate::models::ready(&self.config)?;
        let options = EngineOptions {
            threads: self.config.threads,
            flash_attention: self.config.flash_attention,
            beam_size: self.config.beam_size,
            language: "en",
        };
        Ok(Loader::new(choice.name.clone(), move |cancel| {
            let whisper = Whisper::load(&choice.path, &choice.name, options, cancel)?;
            Ok(Box::new(whisper) as Box<dyn Transcriber + Send>)
        }))
    }
}
