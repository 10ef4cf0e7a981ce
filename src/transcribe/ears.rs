//! What whisper listens for in one answer: the prompt it is given, and the glossary whose terms
//! its decoder leans toward ([`super::bias`]) and the transcript is corrected to
//! ([`super::correct`]). For a known question, the prompt and the first terms are the
//! question's, then come the rest of the bank's; with no question, the whole bank's. After the
//! bank's come the common cloud terms it does not use ([`Glossary::with_cloud_terms`]).

use std::sync::Arc;

use crate::bank::{Bank, Question};
use crate::config::Config;
use crate::glossary::Glossary;

#[derive(Debug, Clone, Default)]
pub struct Ears {
    pub prompt: Option<String>,
    pub glossary: Arc<Glossary>,
    /// Lean the decoder toward the glossary's terms.
    pub bias: bool,
    /// Correct near-misses of the glossary's terms after decoding.
    pub correct: bool,
}

impl Ears {
    /// Ears for an answer to `question` (or to no known question) from `bank`, as the config
    /// sets them.
    pub fn new(config: &Config, bank: &Bank, question: Option<&Question>) -> Self {
        let glossary = match question {
            Some(question) => Glossary::of_question(question, bank),
            None => Glossary::of_bank(bank),
        }
        .with_cloud_terms();
        Self {
            prompt: super::prompt::build(question, config.prompt_style),
            glossary: Arc::new(glossary),
            bias: config.bias,
            correct: config.correct,
        }
    }

    /// Ears with a prompt and no glossary.
    pub fn prompted(prompt: Option<String>) -> Self {
        Self {
            prompt,
            ..Self::default()
        }
    }

    /// The glossary to lean the decoder toward, if any.
    pub fn bias_glossary(&self) -> Option<&Glossary> {
        (self.bias && !self.glossary.is_empty()).then_some(&*self.glossary)
    }
}
