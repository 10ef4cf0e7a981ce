//! Text to speech, sentence by sentence: the voice makes each sentence on a worker thread while
//! the caller's sink takes the ones already made (plays them, or keeps them for a file). The
//! sink can stop it; the voice then stops after the sentence it is making.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};

use super::Voice;
use super::normalise::{Glossary, normalise};
use super::sentences;

/// Silence between two sentences, as Piper puts it.
pub const SENTENCE_GAP_S: f32 = 0.2;

/// What the sink wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// How the speech went.
#[derive(Debug, Clone, PartialEq)]
pub struct Spoken {
    /// The words as the voice was given them: normalised, with the glossary's terms as said.
    pub said: String,
    pub sample_rate: u32,
    /// Seconds of audio made (sentence gaps included).
    pub duration_s: f64,
    /// Time the voice spent making it.
    pub synth_s: f64,
    /// When the first sentence's audio was ready.
    pub first_audio: Option<Instant>,
    /// The sink stopped it before the end.
    pub stopped: bool,
}

/// Speak `text` with `voice`: normalised (with `glossary`), cut into sentences, each sentence's
/// audio handed to `sink` as soon as it is made, with [`SENTENCE_GAP_S`] of silence before every
/// sentence but the first. Text with nothing to say is an error.
pub fn speak(
    voice: &mut dyn Voice,
    text: &str,
    glossary: &Glossary,
    sink: &mut dyn FnMut(&[f32]) -> Result<Flow>,
) -> Result<Spoken> {
    let said = normalise(text, glossary);
    let sentences = sentences::split(&said);
    if sentences.is_empty() {
        bail!("there is nothing to say in {text:?}");
    }
    let rate = voice.sample_rate();
    let gap = vec![0.0f32; (SENTENCE_GAP_S * rate as f32) as usize];
    let stop = AtomicBool::new(false);
    // One sentence ahead at most: the voice makes the next while the sink takes this one.
    let (send, receive) = mpsc::sync_channel::<Result<(Vec<f32>, Duration)>>(1);
    let mut spoken = Spoken {
        said,
        sample_rate: rate,
        duration_s: 0.0,
        synth_s: 0.0,
        first_audio: None,
        stopped: false,
    };
    std::thread::scope(|scope| -> Result<()> {
        let stop = &stop;
        let sentences = &sentences;
        scope.spawn(move || {
            for sentence in sentences {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let started = Instant::now();
                let made = voice
                    .sentence(sentence)
                    .map(|audio| (audio, started.elapsed()));
                let failed = made.is_err();
                if send.send(made).is_err() || failed {
                    break;
                }
            }
        });
        let mut first = true;
        let outcome = (|| -> Result<()> {
            for made in &receive {
                let (audio, took) = made?;
                spoken.synth_s += took.as_secs_f64();
                spoken.first_audio.get_or_insert_with(Instant::now);
                let mut samples = audio.len();
                if !first {
                    samples += gap.len();
                    if sink(&gap)? == Flow::Stop {
                        spoken.stopped = true;
                        break;
                    }
                }
                first = false;
                spoken.duration_s += samples as f64 / f64::from(rate);
                if sink(&audio)? == Flow::Stop {
                    spoken.stopped = true;
                    break;
                }
            }
            Ok(())
        })();
        // Whatever happened here, the voice stops after the sentence it is making; dropping
        // the receiver ends its wait to hand that one over.
        stop.store(true, Ordering::SeqCst);
        drop(receive);
        outcome
    })?;
    if spoken.first_audio.is_none() && !spoken.stopped {
        return Err(anyhow!("the voice made no audio for {text:?}"));
    }
    Ok(spoken)
}

#[cfg(test)]
mod tests {
    use super::super::Engine;
    use super::super::sentences::Sentence;
    use super::*;

    /// A voice that "says" each sentence as one sample a word, and counts what it was asked.
    struct Counting {
        asked: Vec<String>,
    }

    impl Voice for Counting {
        fn name(&self) -> &str {
            "counting"
        }
        fn engine(&self) -> Engine {
            Engine::EspeakNg
        }
        fn sample_rate(&self) -> u32 {
            10
        }
        fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>> {
            let text = sentence.text();
            self.asked.push(text.clone());
            Ok(vec![0.5; text.split_whitespace().count()])
        }
    }

    #[test]
    fn sentences_arrive_in_order_with_a_gap_between() -> Result<()> {
        let mut voice = Counting { asked: Vec::new() };
        let mut got: Vec<Vec<f32>> = Vec::new();
        let spoken = speak(
            &mut voice,
            "Why ECS? Tell me, briefly.",
            &Glossary::new(),
            &mut |audio| {
                got.push(audio.to_vec());
                Ok(Flow::Continue)
            },
        )?;
        assert_eq!(voice.asked, vec!["Why E C S?", "Tell me, briefly."]);
        assert_eq!(got, vec![vec![0.5; 4], vec![0.0; 2], vec![0.5; 3]]);
        assert!((spoken.duration_s - 0.9).abs() < 1e-9);
        assert!(!spoken.stopped && spoken.first_audio.is_some());
        Ok(())
    }

    #[test]
    fn a_sink_that_stops_ends_the_speech_early() -> Result<()> {
        let mut voice = Counting { asked: Vec::new() };
        let text = "One. Two. Three. Four. Five. Six.";
        let spoken = speak(&mut voice, text, &Glossary::new(), &mut |_| Ok(Flow::Stop))?;
        assert!(spoken.stopped);
        // The sentence in the making and the one waiting may be made; no more.
        assert!(voice.asked.len() <= 3, "{:?}", voice.asked);
        Ok(())
    }

    #[test]
    fn nothing_to_say_is_an_error() {
        let mut voice = Counting { asked: Vec::new() };
        let result = speak(&mut voice, " ?! ", &Glossary::new(), &mut |_| {
            Ok(Flow::Continue)
        });
        assert!(result.is_err());
    }
}
