//! Text to speech, piece by piece: the voice makes each sentence (or each piece of a long one,
//! `Voice::pieces`) on a worker thread while the caller's sink takes the ones already made
//! (plays them, or keeps them for a file). The sink can stop it; the voice then stops after the
//! piece it is making. A line can also be made [`Ready`] ahead, up to its first piece's audio,
//! so that it starts at once when it is said.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};

use super::Voice;
use super::normalise::{Glossary, normalise};
use super::sentences::{self, Sentence};

/// Silence between two sentences, as Piper puts it.
pub const SENTENCE_GAP_S: f32 = 0.2;
/// Silence between two pieces of one sentence: the piece before ends with a pause mark, which
/// the voice says with a short rest of its own; this makes it a comma's pause.
pub const PIECE_GAP_S: f32 = 0.1;

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
    /// Seconds of audio made (gaps included).
    pub duration_s: f64,
    /// Time the voice spent making it.
    pub synth_s: f64,
    /// When the first piece's audio was ready.
    pub first_audio: Option<Instant>,
    /// The sink stopped it before the end.
    pub stopped: bool,
}

/// A line made ready ahead of being said: its sentences, the first one's pieces, and the first
/// piece's audio.
#[derive(Debug)]
pub struct Ready {
    /// The text it was made from (before normalisation).
    pub text: String,
    said: String,
    sentences: Vec<Sentence>,
    head: Head,
}

/// The first sentence's pieces, the first of them made.
#[derive(Debug)]
struct Head {
    pieces: Vec<Sentence>,
    audio: Vec<f32>,
    took: Duration,
}

/// `text` normalised (with `glossary`) and cut into sentences; text with nothing to say is an
/// error.
fn script(text: &str, glossary: &Glossary) -> Result<(String, Vec<Sentence>)> {
    let said = normalise(text, glossary);
    let sentences = sentences::split(&said);
    if sentences.is_empty() {
        bail!("there is nothing to say in {text:?}");
    }
    Ok((said, sentences))
}

/// Make `text` ready to be said, up to its first piece's audio.
pub fn prepare(voice: &mut dyn Voice, text: &str, glossary: &Glossary) -> Result<Ready> {
    let (said, sentences) = script(text, glossary)?;
    let started = Instant::now();
    let pieces = voice.pieces(&sentences[0])?;
    let first = pieces
        .first()
        .ok_or_else(|| anyhow!("the voice cut {text:?} into nothing"))?;
    let audio = voice.sentence(first)?;
    Ok(Ready {
        text: text.to_owned(),
        said,
        sentences,
        head: Head {
            pieces,
            audio,
            took: started.elapsed(),
        },
    })
}

/// Speak `text` with `voice`: normalised (with `glossary`), cut into sentences and pieces, each
/// piece's audio handed to `sink` as soon as it is made, with [`SENTENCE_GAP_S`] of silence
/// before every sentence but the first and [`PIECE_GAP_S`] between the pieces of one. Text with
/// nothing to say is an error.
pub fn speak(
    voice: &mut dyn Voice,
    text: &str,
    glossary: &Glossary,
    sink: &mut dyn FnMut(&[f32]) -> Result<Flow>,
) -> Result<Spoken> {
    let (said, sentences) = script(text, glossary)?;
    run(voice, said, &sentences, None, sink)
}

/// Speak a line made [`Ready`]: its first piece goes to `sink` at once.
pub fn speak_ready(
    voice: &mut dyn Voice,
    ready: Ready,
    sink: &mut dyn FnMut(&[f32]) -> Result<Flow>,
) -> Result<Spoken> {
    run(voice, ready.said, &ready.sentences, Some(ready.head), sink)
}

/// A piece's audio, how long it took, and the silence before it.
type Made = (Vec<f32>, Duration, f32);

fn run(
    voice: &mut dyn Voice,
    said: String,
    sentences: &[Sentence],
    head: Option<Head>,
    sink: &mut dyn FnMut(&[f32]) -> Result<Flow>,
) -> Result<Spoken> {
    let rate = voice.sample_rate();
    let stop = AtomicBool::new(false);
    // One piece ahead at most: the voice makes the next while the sink takes this one.
    let (send, receive) = mpsc::sync_channel::<Result<Made>>(1);
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
        scope.spawn(move || make_all(voice, sentences, head, stop, &send));
        let outcome = (|| -> Result<()> {
            for made in &receive {
                let (audio, took, pause_s) = made?;
                spoken.synth_s += took.as_secs_f64();
                spoken.first_audio.get_or_insert_with(Instant::now);
                let gap = vec![0.0f32; (pause_s * rate as f32) as usize];
                spoken.duration_s += (gap.len() + audio.len()) as f64 / f64::from(rate);
                for part in [&gap, &audio] {
                    if !part.is_empty() && sink(part)? == Flow::Stop {
                        spoken.stopped = true;
                        return Ok(());
                    }
                }
            }
            Ok(())
        })();
        // Whatever happened here, the voice stops after the piece it is making; dropping the
        // receiver ends its wait to hand that one over.
        stop.store(true, Ordering::SeqCst);
        drop(receive);
        outcome
    })?;
    if spoken.first_audio.is_none() && !spoken.stopped {
        return Err(anyhow!("the voice made no audio for {:?}", spoken.said));
    }
    Ok(spoken)
}

/// The voice's side of [`run`]: every piece of every sentence made and sent in order (the first
/// sentence's from `head` when it was made ahead), until `stop`, a failure, or the receiver goes.
fn make_all(
    voice: &mut dyn Voice,
    sentences: &[Sentence],
    mut head: Option<Head>,
    stop: &AtomicBool,
    send: &mpsc::SyncSender<Result<Made>>,
) {
    for (index, sentence) in sentences.iter().enumerate() {
        let (pieces, mut made_first) = match head.take() {
            Some(head) => (Ok(head.pieces), Some((head.audio, head.took))),
            None => (voice.pieces(sentence), None),
        };
        let pieces = match pieces {
            Ok(pieces) => pieces,
            Err(err) => {
                let _ = send.send(Err(err));
                return;
            }
        };
        for (piece_index, piece) in pieces.iter().enumerate() {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let made = made_first.take().map_or_else(
                || {
                    let started = Instant::now();
                    voice
                        .sentence(piece)
                        .map(|audio| (audio, started.elapsed()))
                },
                Ok,
            );
            let pause_s = match (index, piece_index) {
                (0, 0) => 0.0,
                (_, 0) => SENTENCE_GAP_S,
                _ => PIECE_GAP_S,
            };
            let failed = made.is_err();
            if send
                .send(made.map(|(audio, took)| (audio, took, pause_s)))
                .is_err()
                || failed
            {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Engine;
    use super::super::sentences::Sentence;
    use super::*;

    /// A voice that "says" each sentence as one sample a word, and counts what it was asked;
    /// `by_clause`: it makes one clause at a time.
    #[derive(Default)]
    struct Counting {
        asked: Vec<String>,
        by_clause: bool,
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
        fn pieces(&mut self, sentence: &Sentence) -> Result<Vec<Sentence>> {
            if !self.by_clause {
                return Ok(vec![sentence.clone()]);
            }
            let clauses = sentence.clauses.iter().cloned();
            Ok(clauses.map(|c| Sentence { clauses: vec![c] }).collect())
        }
        fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>> {
            let text = sentence.text();
            self.asked.push(text.clone());
            Ok(vec![0.5; text.split_whitespace().count()])
        }
    }

    #[test]
    fn sentences_arrive_in_order_with_a_gap_between() -> Result<()> {
        let mut voice = Counting::default();
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

    /// What `speak` hands its sink, in order.
    fn heard(voice: &mut Counting, ready: Option<Ready>, text: &str) -> Result<Vec<Vec<f32>>> {
        let mut got: Vec<Vec<f32>> = Vec::new();
        let mut sink = |audio: &[f32]| {
            got.push(audio.to_vec());
            Ok(Flow::Continue)
        };
        match ready {
            Some(ready) => speak_ready(voice, ready, &mut sink)?,
            None => speak(voice, text, &Glossary::new(), &mut sink)?,
        };
        Ok(got)
    }

    #[test]
    fn pieces_of_a_sentence_have_a_shorter_gap_between() -> Result<()> {
        let mut voice = Counting {
            by_clause: true,
            ..Counting::default()
        };
        let got = heard(&mut voice, None, "Tell me, briefly. Why?")?;
        assert_eq!(voice.asked, vec!["Tell me,", "briefly.", "Why?"]);
        // At 10 samples a second: 0.1 s between pieces, 0.2 s between sentences.
        assert_eq!(
            got,
            vec![
                vec![0.5; 2],
                vec![0.0; 1],
                vec![0.5; 1],
                vec![0.0; 2],
                vec![0.5; 1]
            ]
        );
        Ok(())
    }

    #[test]
    fn a_line_made_ready_sounds_the_same_and_its_first_piece_is_not_made_again() -> Result<()> {
        let text = "Why ECS? Tell me, briefly.";
        let mut voice = Counting {
            by_clause: true,
            ..Counting::default()
        };
        let straight = heard(&mut voice, None, text)?;
        let mut voice = Counting {
            by_clause: true,
            ..Counting::default()
        };
        let ready = prepare(&mut voice, text, &Glossary::new())?;
        assert_eq!(ready.text, text);
        assert_eq!(voice.asked, vec!["Why E C S?"]);
        let got = heard(&mut voice, Some(ready), text)?;
        assert_eq!(voice.asked, vec!["Why E C S?", "Tell me,", "briefly."]);
        assert_eq!(got, straight);
        assert!(prepare(&mut voice, " ?! ", &Glossary::new()).is_err());
        Ok(())
    }

    #[test]
    fn a_sink_that_stops_ends_the_speech_early() -> Result<()> {
        let mut voice = Counting::default();
        let text = "One. Two. Three. Four. Five. Six.";
        let spoken = speak(&mut voice, text, &Glossary::new(), &mut |_| Ok(Flow::Stop))?;
        assert!(spoken.stopped);
        // The sentence in the making and the one waiting may be made; no more.
        assert!(voice.asked.len() <= 3, "{:?}", voice.asked);
        Ok(())
    }

    #[test]
    fn nothing_to_say_is_an_error() {
        let mut voice = Counting::default();
        let result = speak(&mut voice, " ?! ", &Glossary::new(), &mut |_| {
            Ok(Flow::Continue)
        });
        assert!(result.is_err());
    }
}
