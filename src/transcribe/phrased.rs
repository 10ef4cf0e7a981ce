//! Transcription phrase by phrase. A recording is cut at the speaker's pauses
//! ([`crate::audio::phrases`]) and each phrase goes through [`super::transcribe`] on its own,
//! with the question's prompt and glossary; the whole answer is then corrected to the glossary's
//! terms ([`super::correct`]), where all its words tell whether it is about them.
//!
//! Why not hand whisper the whole recording: on answers longer than its 30 s window, a prompted
//! whisper skipped a 30 s stretch of a 90 s answer (22 % WER, against 6.5 % by phrase), the first
//! words come out only when everything is done, and the live microphone path needs phrases
//! anyway. Both paths share this code. The words already heard are not added to the prompt:
//! measured, they made whisper mishear ("And so am I fellow Americans") and repeat itself.

use anyhow::Result;

use super::{Ears, Transcriber};
use crate::audio::phrases::{Cutter, Phrase};
use crate::audio::{Audio, WHISPER_RATE, pitch};
use crate::transcript::{Segment, Transcript};

/// The transcript so far, grown one phrase at a time.
#[derive(Debug, Default)]
pub struct PhraseTranscriber {
    ears: Ears,
    segments: Vec<Segment>,
}

impl PhraseTranscriber {
    pub fn new(ears: Ears) -> Self {
        Self {
            ears,
            segments: Vec::new(),
        }
    }

    /// Transcribe the next phrase; returns its segments, on the recording's clock.
    pub fn push(&mut self, engine: &mut dyn Transcriber, phrase: Phrase) -> Result<&[Segment]> {
        let start_s = phrase.start_s;
        let audio = Audio {
            samples: phrase.samples,
        };
        let transcript = super::transcribe(engine, &audio, &self.ears)?;
        let first_new = self.segments.len();
        for mut segment in transcript.segments {
            segment.shift(start_s);
            self.segments.push(segment);
        }
        Ok(&self.segments[first_new..])
    }

    /// The segments of the whole answer, corrected to the glossary's terms when the ears say so
    /// (`engine` knows which words are ordinary English).
    pub fn finish(mut self, engine: &dyn Transcriber) -> Vec<Segment> {
        if self.ears.correct {
            super::correct::correct(&mut self.segments, &self.ears.glossary, &|word| {
                engine.knows_word(word)
            });
        }
        self.segments
    }
}

/// Transcribe a whole recording phrase by phrase, telling `on_segments` what each phrase held as
/// soon as it is known, and where in the recording that phrase ends (for progress). `audio`
/// hands over the recording a piece at a time (a second is right: the first phrase goes to
/// whisper as soon as it is cut), so that only the phrase being heard is ever in memory,
/// however long the recording; the voice's pitch is tracked over the phrases on the way. An
/// empty transcript means no speech was detected.
pub fn transcribe_by_phrase(
    engine: &mut dyn Transcriber,
    audio: &mut dyn FnMut(&mut Vec<f32>) -> Result<bool>,
    ears: Ears,
    on_segments: &mut dyn FnMut(&[Segment], f64),
) -> Result<Transcript> {
    let mut cutter = Cutter::default();
    let mut phrases = PhraseTranscriber::new(ears);
    let mut ready: Vec<Phrase> = Vec::new();
    let mut piece = Vec::new();
    let mut samples = 0u64;
    let mut hz = Vec::new();
    let mut heard = |phrase: Phrase, phrases: &mut PhraseTranscriber| -> Result<()> {
        let end_s = phrase.end_s();
        hz.extend(pitch::contour(&phrase.samples));
        on_segments(phrases.push(engine, phrase)?, end_s);
        Ok(())
    };
    while audio(&mut piece)? {
        samples += piece.len() as u64;
        cutter.push(&piece, &mut |phrase| ready.push(phrase));
        for phrase in ready.drain(..) {
            heard(phrase, &mut phrases)?;
        }
    }
    if let Some(last) = cutter.finish() {
        heard(last, &mut phrases)?;
    }
    let mut transcript = Transcript::heard(
        engine.model_name(),
        samples as f64 / f64::from(WHISPER_RATE),
        phrases.finish(engine),
    );
    transcript.pitch = pitch::summarize(&hz);
    Ok(transcript)
}

/// Audio in memory as the pieces [`transcribe_by_phrase`] takes, a second at a time.
pub fn pieces_of(audio: &Audio) -> impl FnMut(&mut Vec<f32>) -> Result<bool> + '_ {
    let mut chunks = audio.samples.chunks(WHISPER_RATE as usize);
    move |piece: &mut Vec<f32>| {
        piece.clear();
        Ok(chunks.next().is_some_and(|chunk| {
            piece.extend_from_slice(chunk);
            true
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::scripted::Scripted;
    use crate::transcript::Word;

    #[test]
    fn timestamps_move_to_the_recording_clock() {
        let mut segment = Segment {
            start_s: 0.5,
            end_s: 2.0,
            text: "hello".into(),
            words: vec![Word {
                word: "hello".into(),
                start_s: 0.5,
                end_s: 0.9,
                p: 0.9,
                heard: None,
            }],
        };
        segment.shift(10.25);
        assert_eq!((segment.start_s, segment.end_s), (10.75, 12.25));
        assert_eq!(
            (segment.words[0].start_s, segment.words[0].end_s),
            (10.75, 11.15)
        );
    }

    #[test]
    fn a_silent_recording_never_reaches_the_engine() -> Result<()> {
        let mut engine = Scripted::replying(Vec::new());
        let mut told = 0;
        let silence = Audio {
            samples: vec![0.0; 16_000 * 40],
        };
        let transcript = transcribe_by_phrase(
            &mut engine,
            &mut pieces_of(&silence),
            Ears::prompted(Some("ECS.".into())),
            &mut |_, _| {
                told += 1;
            },
        )?;
        assert_eq!((engine.calls(), told), (0, 0));
        assert!(transcript.text.is_empty());
        assert_eq!(transcript.duration_s, Some(40.0));
        assert_eq!(transcript.model.as_deref(), Some("scripted"));
        Ok(())
    }
}
