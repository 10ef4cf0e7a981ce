//! The interviewer speaking in a session: a voice, the bank's glossary, and the output device,
//! opened at the first line said. Everything that goes wrong becomes one notice for the user and
//! then silence (the session goes on in text): a voice that fails, no output device. A line
//! known ahead (a round's next question) can be made ready on a worker thread while the session
//! does something else, so that it starts at once when it is said.

use std::thread::JoinHandle;
use std::time::Instant;

use anyhow::{Result, anyhow};

use super::playback::Player;
use super::speech::{self, Flow, Ready};
use super::{Chosen, Glossary, Voice};

enum Output {
    Unopened,
    Open(Player),
    /// No sound can be played (or the voice failed): nothing more is tried.
    Silent,
}

/// The voice back from making a line ready, with that line (or why it could not be made).
type Making = JoinHandle<(Box<dyn Voice>, Result<Ready>)>;

/// Says lines aloud and waits until they are heard.
pub struct Speaker {
    /// The voice; away on a worker thread while it makes a line ready (`making`).
    voice: Option<Box<dyn Voice>>,
    name: String,
    making: Option<Making>,
    /// A line made ready, kept until it is said or another is made ready.
    ready: Option<Ready>,
    glossary: Glossary,
    output: Output,
    /// How the voice was chosen, said with the first line.
    notice: Option<String>,
}

impl std::fmt::Debug for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speaker")
            .field("voice", &self.name)
            .finish()
    }
}

impl Speaker {
    pub fn new(chosen: Chosen, glossary: Glossary) -> Self {
        Self {
            name: chosen.voice.name().to_owned(),
            voice: Some(chosen.voice),
            making: None,
            ready: None,
            glossary,
            output: Output::Unopened,
            notice: chosen.notice,
        }
    }

    /// Make `text` ready to be said, up to its first piece's audio, on a worker thread; this
    /// returns at once. Said later (even after other lines), it starts without waiting for the
    /// voice. Nothing is heard until it is said.
    pub fn prepare(&mut self, text: &str) {
        if matches!(self.output, Output::Silent) {
            return;
        }
        self.settle();
        let Some(mut voice) = self.voice.take() else {
            return;
        };
        let (text, glossary) = (text.to_owned(), self.glossary.clone());
        self.making = Some(std::thread::spawn(move || {
            let ready = speech::prepare(voice.as_mut(), &text, &glossary);
            (voice, ready)
        }));
    }

    /// Wait for the line [`Speaker::prepare`] is making, if any: a question shown once it is
    /// ready is heard as it appears.
    pub fn finish_preparing(&mut self) {
        self.settle();
    }

    /// The voice back from the worker (waiting for it), and the line it made ready. A line
    /// that could not be made is let go: saying it meets the same failure and tells it.
    fn settle(&mut self) {
        if let Some(making) = self.making.take()
            && let Ok((voice, ready)) = making.join()
        {
            self.voice = Some(voice);
            self.ready = ready.ok();
        }
    }

    /// Speak `text` and return once it has been heard, or as soon as `stop` says so (Enter,
    /// Ctrl-C): what is still queued is then cut off, so nothing more is heard.
    pub fn say(&mut self, text: &str, stop: &mut dyn FnMut() -> bool) -> Said {
        self.settle();
        let mut notices: Vec<String> = self.notice.take().into_iter().collect();
        let mut first_audio = None;
        if !matches!(self.output, Output::Silent) {
            match self.speak(text, stop) {
                Ok(started) => first_audio = started,
                Err(err) => {
                    self.output = Output::Silent;
                    notices.push(format!(
                        "{err:#}; the interviewer's lines are shown but not read aloud."
                    ));
                }
            }
        }
        Said {
            notice: (!notices.is_empty()).then(|| notices.join("\n")),
            first_audio,
        }
    }

    /// When the first sound was handed to the device, if any was.
    fn speak(&mut self, text: &str, stop: &mut dyn FnMut() -> bool) -> Result<Option<Instant>> {
        let voice = self
            .voice
            .as_mut()
            .ok_or_else(|| anyhow!("the voice stopped working"))?;
        let rate = voice.sample_rate();
        let output = &mut self.output;
        let mut first_audio = None;
        let mut sink = |audio: &[f32]| {
            if matches!(output, Output::Unopened) {
                *output = Output::Open(Player::open()?);
            }
            first_audio.get_or_insert_with(Instant::now);
            match output {
                Output::Open(player) => player.play(audio, rate, stop),
                _ => Ok(Flow::Stop),
            }
        };
        let spoken = match self.ready.take_if(|ready| ready.text == text) {
            Some(ready) => speech::speak_ready(voice.as_mut(), ready, &mut sink)?,
            None => speech::speak(voice.as_mut(), text, &self.glossary, &mut sink)?,
        };
        let heard = match &mut self.output {
            Output::Open(player) if !spoken.stopped => player.finish(stop),
            _ => Flow::Stop,
        };
        if heard == Flow::Stop && matches!(self.output, Output::Open(_)) {
            // Closing the device drops what it still had to play; it opens again for the next
            // line.
            self.output = Output::Unopened;
        }
        Ok(first_audio)
    }
}

/// How a line went.
#[derive(Debug, Clone, PartialEq)]
pub struct Said {
    /// What the user should be told, once: which voice speaks when it is not the one asked for,
    /// that nothing can be played, that the voice failed.
    pub notice: Option<String>,
    /// When its first sound went to the output device.
    pub first_audio: Option<Instant>,
}

#[cfg(test)]
mod tests {
    use super::super::Engine;
    use super::super::sentences::Sentence;
    use super::*;

    /// A voice whose program is not there.
    struct Missing;

    impl Voice for Missing {
        fn name(&self) -> &str {
            "missing"
        }
        fn engine(&self) -> Engine {
            Engine::EspeakNg
        }
        fn sample_rate(&self) -> u32 {
            22_050
        }
        fn sentence(&mut self, _: &Sentence) -> Result<Vec<f32>> {
            anyhow::bail!("rehearse-no-such-tts-program is not installed")
        }
    }

    /// Said straight, or made ready first (the failure is then met again when it is said).
    #[test]
    fn a_missing_engine_gives_one_notice_then_silence() {
        for made_ready in [false, true] {
            let chosen = Chosen {
                voice: Box::new(Missing),
                notice: None,
            };
            let mut speaker = Speaker::new(chosen, Glossary::new());
            if made_ready {
                speaker.prepare("What is ECS?");
            }
            let said = speaker.say("What is ECS?", &mut || false);
            assert!(said.notice.is_some_and(|n| n.contains("not installed")));
            assert!(said.first_audio.is_none());
            if made_ready {
                speaker.prepare("Next question");
            }
            assert_eq!(speaker.say("Next question", &mut || false).notice, None);
        }
    }
}
