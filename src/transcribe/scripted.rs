//! A transcriber that hears what it is told: the replies of a script, one per call, in order,
//! then nothing. Unit tests make one directly; command-level tests name a script file in
//! `REHEARSE_SCRIPTED_TRANSCRIPTS`, so that a whole command runs on real audio with no model.
//!
//! The audio still goes through everything around the engine (the voice detector, phrase
//! cutting, the check that voiced audio backs each segment up), so a reply's segments must lie
//! over voiced audio, and a recording cut into several phrases takes one reply per phrase.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context, Result};

use super::{Ears, Loader, RawSegment, Transcriber, TranscriberFactory};
use crate::transcript::Segment;

/// The replies not given yet, shared by every transcriber a factory makes.
type Replies = Arc<Mutex<VecDeque<Vec<Segment>>>>;

const MODEL: &str = "scripted";

#[derive(Debug)]
pub struct Scripted {
    replies: Replies,
    calls: usize,
}

impl Scripted {
    pub fn replying(replies: Vec<Vec<Segment>>) -> Self {
        Self {
            replies: Arc::new(Mutex::new(replies.into())),
            calls: 0,
        }
    }

    /// How often it was asked to transcribe.
    pub fn calls(&self) -> usize {
        self.calls
    }
}

impl Transcriber for Scripted {
    fn model_name(&self) -> &str {
        MODEL
    }

    fn run(&mut self, _samples: &[f32], _ears: &Ears) -> Result<Vec<RawSegment>> {
        self.calls += 1;
        let reply = self
            .replies
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or_default();
        Ok(reply
            .into_iter()
            .map(|segment| RawSegment {
                segment,
                no_speech_p: 0.0,
            })
            .collect())
    }
}

/// Makes scripted transcribers that take their replies from one script, in order.
#[derive(Debug)]
pub struct ScriptedFactory {
    replies: Replies,
}

impl ScriptedFactory {
    /// A script file: a JSON list of replies, each a list of segments in the shape of
    /// `rehearse transcribe --json` (`start_s`, `end_s`, `text`, `words`).
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the transcript script {}", path.display()))?;
        let replies: Vec<Vec<Segment>> = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a transcript script: a JSON list of replies, each a list of segments",
                path.display()
            )
        })?;
        Ok(Self {
            replies: Arc::new(Mutex::new(replies.into())),
        })
    }
}

impl TranscriberFactory for ScriptedFactory {
    fn prepare(&self) -> Result<Loader> {
        let replies = Arc::clone(&self.replies);
        Ok(Loader::new(MODEL, move |_cancel| {
            Ok(Box::new(Scripted { replies, calls: 0 }) as Box<dyn Transcriber + Send>)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<Segment> {
        vec![Segment {
            start_s: 0.0,
            end_s: 1.0,
            text: text.to_owned(),
            words: Vec::new(),
        }]
    }

    #[test]
    fn every_transcriber_of_a_script_takes_the_next_reply() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("script.json");
        std::fs::write(&path, serde_json::to_string(&[said(" one"), said(" two")])?)?;
        let factory = ScriptedFactory::from_file(&path)?;
        let texts = |raw: Vec<RawSegment>| -> Vec<String> {
            raw.into_iter().map(|r| r.segment.text).collect()
        };
        let mut first = factory.prepare()?.load(Arc::default())?;
        assert_eq!(first.model_name(), "scripted");
        assert_eq!(texts(first.run(&[], &Ears::default())?), [" one"]);
        let mut second = factory.prepare()?.load(Arc::default())?;
        assert_eq!(texts(second.run(&[], &Ears::default())?), [" two"]);
        assert!(first.run(&[], &Ears::default())?.is_empty(), "then nothing");

        std::fs::write(&path, "{\"text\": \"not a list\"}")?;
        let err = ScriptedFactory::from_file(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("is not a transcript script"), "{err}");
        Ok(())
    }
}
