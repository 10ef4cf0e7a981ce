//! From audio to a timed transcript. The [`Transcriber`] trait is the seam: whisper for real,
//! a script in tests ([`scripted`]). Commands receive a [`TranscriberFactory`] that makes
//! them, built once from the config (`app::transcribers`). [`transcribe`] adds what whisper
//! lacks: it never runs on audio without speech, and drops segments that no voiced audio backs
//! up (whisper invents text for silence).

pub mod bias;
pub mod correct;
pub mod ears;
pub mod phrased;
pub mod prompt;
pub mod scripted;
pub mod streaming;
pub mod whisper;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Result;

use crate::audio::{Audio, WHISPER_RATE, vad};
use crate::transcript::{Segment, Transcript};

/// A segment as the engine produced it, with its no-speech probability.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSegment {
    pub segment: Segment,
    pub no_speech_p: f32,
}

pub trait Transcriber {
    /// The model's name, recorded in transcripts.
    fn model_name(&self) -> &str;
    /// Transcribe 16 kHz mono audio, with the prompt and leaning of `ears`.
    fn run(&mut self, samples: &[f32], ears: &Ears) -> Result<Vec<RawSegment>>;

    /// Whether a lower-case word is ordinary English, which correction leaves alone. Without a
    /// vocabulary to ask, every word is: only spelled-out letters are corrected.
    fn knows_word(&self, _word: &str) -> bool {
        true
    }
}

pub use ears::Ears;

/// Makes the transcriber in use: whisper with the model `--model` names, or a script in tests.
pub trait TranscriberFactory: std::fmt::Debug + Send + Sync {
    /// Check, cheaply, that a transcriber can be made now (for whisper: the model file is there
    /// and sound; if not, the error gives the command that fetches it), and hand back what loads
    /// it: the slow part, which may run on another thread.
    fn prepare(&self) -> Result<Loader>;
}

type Load = Box<dyn FnOnce(Arc<AtomicBool>) -> Result<Box<dyn Transcriber + Send>> + Send>;

/// A transcriber checked and ready to load.
pub struct Loader {
    model: String,
    load: Load,
}

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loader")
            .field("model", &self.model)
            .finish()
    }
}

impl Loader {
    pub fn new(
        model: impl Into<String>,
        load: impl FnOnce(Arc<AtomicBool>) -> Result<Box<dyn Transcriber + Send>> + Send + 'static,
    ) -> Self {
        Self {
            model: model.into(),
            load: Box::new(load),
        }
    }

    /// The name of the model it loads.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Load the transcriber; setting `cancel` stops a transcription it is running.
    pub fn load(self, cancel: Arc<AtomicBool>) -> Result<Box<dyn Transcriber + Send>> {
        (self.load)(cancel)
    }
}

/// A segment needs at least this much voiced audio inside its time span to be believed.
const MIN_VOICED_IN_SEGMENT_S: f64 = 0.1;
/// whisper's own judgement that a segment is not speech.
const NO_SPEECH_P: f32 = 0.6;

/// Voiced audio this long after whisper's last segment is speech it left out: whisper sometimes
/// ends its window at a pause (measured: "Ask what you can do for your country." and then nothing
/// of the 7 s sentence after it). The rest is then transcribed on its own, as whisper's own
/// window-by-window search does for a whole file.
const LEFT_OUT_S: f64 = 1.0;
/// Passes over one piece of audio, the first included.
const MAX_PASSES: usize = 3;

/// Transcribe a recording; an empty transcript means no speech was detected.
pub fn transcribe(engine: &mut dyn Transcriber, audio: &Audio, ears: &Ears) -> Result<Transcript> {
    let voiced = vad::voiced_frames(&audio.samples);
    let segments = if vad::is_enough_speech(vad::voiced_seconds(&voiced)) {
        transcribe_voiced(engine, &audio.samples, &voiced, ears)?
    } else {
        Vec::new()
    };
    Ok(Transcript::heard(
        engine.model_name(),
        audio.duration_s(),
        segments,
    ))
}

const FRAME_S: f64 = vad::FRAME as f64 / WHISPER_RATE as f64;

/// The believable segments of audio with speech in it (`voiced`: its VAD frames), with another
/// pass over what whisper left out.
fn transcribe_voiced(
    engine: &mut dyn Transcriber,
    samples: &[f32],
    voiced: &[bool],
    ears: &Ears,
) -> Result<Vec<Segment>> {
    let mut segments = Vec::new();
    // The frame where the audio given to whisper starts.
    let mut from = 0;
    for _ in 0..MAX_PASSES {
        let offset_s = from as f64 * FRAME_S;
        let rest = samples.get(from * vad::FRAME..).unwrap_or_default();
        let mut heard = believable(engine.run(rest, ears)?, &voiced[from..]);
        heard.iter_mut().for_each(|segment| segment.shift(offset_s));
        let heard_until = heard.iter().map(Segment::last_sound_s).reduce(f64::max);
        segments.extend(heard);
        let Some(until) = heard_until else { break };
        let next = ((until / FRAME_S).ceil() as usize).min(voiced.len());
        if next <= from || vad::voiced_seconds(&voiced[next..]) < LEFT_OUT_S {
            break;
        }
        from = next;
    }
    Ok(segments)
}

/// The segments that voiced audio backs up and whisper itself thinks are speech.
fn believable(raw: Vec<RawSegment>, voiced: &[bool]) -> Vec<Segment> {
    raw.into_iter()
        .filter(|raw| {
            let first =
                ((raw.segment.start_s / FRAME_S).floor().max(0.0) as usize).min(voiced.len());
            let last =
                ((raw.segment.end_s / FRAME_S).ceil().max(0.0) as usize).clamp(first, voiced.len());
            let backed = voiced[first..last].iter().filter(|v| **v).count() as f64 * FRAME_S;
            backed >= MIN_VOICED_IN_SEGMENT_S
                && raw.no_speech_p < NO_SPEECH_P
                && !raw.segment.text.trim().is_empty()
        })
        .map(|raw| raw.segment)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::scripted::Scripted;
    use super::*;

    fn segment(start_s: f64, end_s: f64, text: &str, no_speech_p: f32) -> RawSegment {
        RawSegment {
            segment: Segment {
                start_s,
                end_s,
                text: text.to_owned(),
                words: Vec::new(),
            },
            no_speech_p,
        }
    }

    #[test]
    fn silence_never_reaches_the_engine() -> Result<()> {
        let mut engine = Scripted::replying(vec![vec![segment(0.0, 3.0, " you", 0.1).segment]]);
        let silence = Audio {
            samples: vec![0.0; 48_000],
        };
        let transcript = transcribe(&mut engine, &silence, &Ears::default())?;
        assert_eq!(engine.calls(), 0);
        assert!(transcript.text.is_empty() && transcript.segments.is_empty());
        assert_eq!(transcript.duration_s, Some(3.0));
        let empty = transcribe(&mut engine, &Audio::default(), &Ears::default())?;
        assert!(empty.text.is_empty());
        Ok(())
    }

    /// Hears only the first 3 s of whatever it is given, as whisper does when it ends a window
    /// early; counts its calls.
    struct Truncating {
        calls: usize,
    }

    impl Transcriber for Truncating {
        fn model_name(&self) -> &str {
            "truncating"
        }

        fn run(&mut self, samples: &[f32], _ears: &Ears) -> Result<Vec<RawSegment>> {
            self.calls += 1;
            let end = (samples.len() as f64 / f64::from(WHISPER_RATE)).min(3.0);
            Ok(vec![segment(
                0.0,
                end,
                &format!(" pass {}", self.calls),
                0.1,
            )])
        }
    }

    #[test]
    fn speech_whisper_left_out_gets_another_pass() -> Result<()> {
        // 7 s of speech: heard as 0–3 s, then 3–6 s, then the last second is too little for a
        // third pass.
        let samples = vec![0.1; 7 * 16_000];
        let voiced = vec![true; samples.len() / vad::FRAME];
        let mut engine = Truncating { calls: 0 };
        let segments = transcribe_voiced(&mut engine, &samples, &voiced, &Ears::default())?;
        let spans: Vec<(f64, f64, &str)> = segments
            .iter()
            .map(|s| (s.start_s, s.end_s, s.text.as_str()))
            .collect();
        assert_eq!(spans, [(0.0, 3.0, " pass 1"), (3.01, 6.01, " pass 2")]);
        // Silence after what was heard is not speech left out.
        let mut engine = Truncating { calls: 0 };
        let quiet_end: Vec<bool> = (0..voiced.len()).map(|i| i < 190).collect();
        transcribe_voiced(&mut engine, &samples, &quiet_end, &Ears::default())?;
        assert_eq!(engine.calls, 1);
        // However much is left out, the passes stop.
        let long = vec![0.1; 60 * 16_000];
        let mut engine = Truncating { calls: 0 };
        let all = vec![true; long.len() / vad::FRAME];
        transcribe_voiced(&mut engine, &long, &all, &Ears::default())?;
        assert_eq!(engine.calls, MAX_PASSES);
        Ok(())
    }

    #[test]
    fn segments_over_silence_or_judged_not_speech_are_dropped() {
        // Two seconds voiced, then two silent (16 ms frames).
        let voiced: Vec<bool> = (0..250).map(|i| i < 125).collect();
        let kept = believable(
            vec![
                segment(0.0, 2.0, " hello there", 0.1),
                segment(2.2, 4.0, " Thank you.", 0.1),
                segment(0.5, 1.5, " noise", 0.9),
                segment(1.0, 1.5, "  ", 0.1),
                segment(3.5, 9.0, " past the end", 0.1),
            ],
            &voiced,
        );
        let texts: Vec<&str> = kept.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, [" hello there"]);
    }
}
