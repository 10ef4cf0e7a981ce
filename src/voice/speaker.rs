//! The interviewer speaking in a session: a voice, the bank's glossary, and the output device,
//! opened at the first line said. Everything that goes wrong becomes one notice for the user and
//! then silence (the session goes on in text): a voice that fails, no output device.

use anyhow::Result;

use super::playback::Player;
use super::speech::{self, Flow};
use super::{Chosen, Glossary, Voice};

enum Output {
    Unopened,
    Open(Player),
    /// No sound can be played (or the voice failed): nothing more is tried.
    Silent,
}

/// Says lines aloud and waits until they are heard.
pub struct Speaker {
    voice: Box<dyn Voice>,
    glossary: Glossary,
    output: Output,
    /// How the voice was chosen, said with the first line.
    notice: Option<String>,
}

impl std::fmt::Debug for Speaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Speaker")
            .field("voice", &self.voice.name())
            .finish()
    }
}

impl Speaker {
    pub fn new(chosen: Chosen, glossary: Glossary) -> Self {
        Self {
            voice: chosen.voice,
            glossary,
            output: Output::Unopened,
            notice: chosen.notice,
        }
    }

    /// Speak `text` and return once it has been heard, or as soon as `stop` says so (Enter,
    /// Ctrl-C). Returns what the user should be told, once: which voice speaks when it is not
    /// the one asked for, that nothing can be played, that the voice failed.
    pub fn say(&mut self, text: &str, stop: &dyn Fn() -> bool) -> Option<String> {
        let mut notices: Vec<String> = self.notice.take().into_iter().collect();
        if !matches!(self.output, Output::Silent)
            && let Err(err) = self.speak(text, stop)
        {
            self.output = Output::Silent;
            notices.push(format!(
                "{err:#}; the interviewer's lines are shown but not read aloud."
            ));
        }
        (!notices.is_empty()).then(|| notices.join("\n"))
    }

    fn speak(&mut self, text: &str, stop: &dyn Fn() -> bool) -> Result<()> {
        let rate = self.voice.sample_rate();
        let output = &mut self.output;
        let spoken = speech::speak(self.voice.as_mut(), text, &self.glossary, &mut |audio| {
            if matches!(output, Output::Unopened) {
                *output = Output::Open(Player::open()?);
            }
            match output {
                Output::Open(player) => player.play(audio, rate, stop),
                _ => Ok(Flow::Stop),
            }
        })?;
        if let (Output::Open(player), false) = (&mut self.output, spoken.stopped) {
            player.finish(stop);
        }
        Ok(())
    }
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

    #[test]
    fn a_missing_engine_gives_one_notice_then_silence() {
        let chosen = Chosen {
            voice: Box::new(Missing),
            notice: None,
        };
        let mut speaker = Speaker::new(chosen, Glossary::new());
        let notice = speaker.say("What is ECS?", &|| false);
        assert!(notice.is_some_and(|n| n.contains("not installed")));
        assert_eq!(speaker.say("Next question", &|| false), None);
    }
}
