//! Cutting a live recording into phrases at the speaker's pauses, so each finished phrase can be
//! transcribed while the next is being spoken.
//!
//! A cut only ever falls in a pause the voice-activity detector heard (never inside a word, which
//! whisper would then mishear on both sides), and phrases are kept long enough to give whisper
//! context. A phrase that runs on without a pause is cut at its quietest moment, so no phrase
//! outgrows whisper's 30 s window.

use earshot::Detector;

use super::WHISPER_RATE;
use super::vad::{FRAME, frame_is_voiced};

const FRAME_S: f64 = FRAME as f64 / WHISPER_RATE as f64;

/// Frames for a number of seconds.
const fn frames(seconds_x100: usize) -> usize {
    seconds_x100 * WHISPER_RATE as usize / 100 / FRAME
}

/// Unvoiced audio this long ends a phrase. Shorter gaps are pauses between words.
const PAUSE: usize = frames(50);
/// A phrase needs this much audio before a pause may end it. Each phrase costs an encoder pass,
/// and whisper, given a short phrase with a prompt and an encoder window cut to fit it, tends to
/// repeat itself (measured: 3 s phrases made 35 % WER and 2.5× the time on a 90 s answer, 8 s
/// phrases 6.5 %; BENCHMARKS.md).
const MIN_PHRASE: usize = frames(800);
/// Silence kept before the first word and after the last: whisper hears word edges better with a
/// little room around them.
const PAD: usize = frames(30);
/// No phrase grows past this without a cut (whisper's window is 30 s).
const MAX_PHRASE: usize = frames(2400);
/// A forced cut goes at the quietest frame of this last stretch.
const SEARCH: usize = frames(600);

/// A finished phrase: 16 kHz mono audio and where it starts in the recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub start_s: f64,
    pub samples: Vec<f32>,
}

impl Phrase {
    pub fn end_s(&self) -> f64 {
        self.start_s + self.samples.len() as f64 / f64::from(WHISPER_RATE)
    }
}

/// The phrase cutter. Feed it audio as it comes; it hands back phrases as they finish.
pub struct Cutter {
    detector: Detector,
    partial: Vec<f32>,
    phrase: Vec<f32>,
    /// Per frame of `phrase`: voiced, and its energy (mean square).
    info: Vec<(bool, f32)>,
    /// Sample index in the recording where `phrase` starts.
    start: u64,
    /// Frames since the last voiced one, across phrases (for stop-on-silence).
    since_voice: usize,
    heard_voice: bool,
}

impl std::fmt::Debug for Cutter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cutter")
            .field("start", &self.start)
            .field("frames", &self.info.len())
            .finish()
    }
}

impl Default for Cutter {
    fn default() -> Self {
        Self {
            detector: Detector::default(),
            partial: Vec::with_capacity(FRAME),
            phrase: Vec::new(),
            info: Vec::new(),
            start: 0,
            since_voice: 0,
            heard_voice: false,
        }
    }
}

impl Cutter {
    /// Feed 16 kHz mono audio.
    pub fn push(&mut self, mut samples: &[f32], out: &mut dyn FnMut(Phrase)) {
        if !self.partial.is_empty() {
            let take = (FRAME - self.partial.len()).min(samples.len());
            self.partial.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.partial.len() < FRAME {
                return;
            }
            let frame = std::mem::take(&mut self.partial);
            let voiced = frame_is_voiced(&mut self.detector, &frame);
            self.push_frame(&frame, voiced, out);
            self.partial = frame;
            self.partial.clear();
        }
        let mut frames = samples.chunks_exact(FRAME);
        for frame in &mut frames {
            let voiced = frame_is_voiced(&mut self.detector, frame);
            self.push_frame(frame, voiced, out);
        }
        self.partial.extend_from_slice(frames.remainder());
    }

    /// The end of the recording: the last phrase, if anyone spoke in it.
    pub fn finish(&mut self) -> Option<Phrase> {
        let partial = std::mem::take(&mut self.partial);
        self.phrase.extend_from_slice(&partial);
        let spoken = self.info.iter().any(|(voiced, _)| *voiced);
        let samples = std::mem::take(&mut self.phrase);
        let start = self.start;
        self.start += samples.len() as u64;
        self.info.clear();
        (spoken && !samples.is_empty()).then(|| Phrase {
            start_s: start as f64 / f64::from(WHISPER_RATE),
            samples,
        })
    }

    /// Seconds since the voice was last heard; `None` before anyone spoke.
    pub fn silence_s(&self) -> Option<f64> {
        self.heard_voice
            .then_some(self.since_voice as f64 * FRAME_S)
    }

    fn push_frame(&mut self, frame: &[f32], voiced: bool, out: &mut dyn FnMut(Phrase)) {
        let energy = frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32;
        self.phrase.extend_from_slice(frame);
        self.info.push((voiced, energy));
        if voiced {
            self.since_voice = 0;
            self.heard_voice = true;
        } else {
            self.since_voice += 1;
        }
        let spoken = self.info.iter().any(|(v, _)| *v);
        if !spoken {
            // Before the first word, keep only a little lead-in.
            if self.info.len() > PAD {
                self.drop_front(self.info.len() - PAD);
            }
            return;
        }
        let trailing = self.info.iter().rev().take_while(|(v, _)| !*v).count();
        if trailing >= PAUSE && self.info.len() >= MIN_PHRASE {
            // Cut in the pause, keeping a little of it on this side.
            let keep = self.info.len() - trailing + PAD.min(trailing);
            self.cut(keep, out);
        } else if self.info.len() >= MAX_PHRASE {
            let from = self.info.len() - SEARCH;
            let quietest = (from..self.info.len())
                .min_by(|a, b| {
                    let key = |i: usize| (self.info[i].0, self.info[i].1);
                    key(*a)
                        .partial_cmp(&key(*b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .unwrap_or(self.info.len() - 1);
            self.cut(quietest + 1, out);
        }
    }

    /// Send the first `frames` frames of the phrase out; the rest starts the next one.
    fn cut(&mut self, frames: usize, out: &mut dyn FnMut(Phrase)) {
        let split = (frames * FRAME).min(self.phrase.len());
        let rest = self.phrase.split_off(split);
        let samples = std::mem::replace(&mut self.phrase, rest);
        let start = self.start;
        self.start += samples.len() as u64;
        self.info.drain(..frames.min(self.info.len()));
        out(Phrase {
            start_s: start as f64 / f64::from(WHISPER_RATE),
            samples,
        });
    }

    fn drop_front(&mut self, frames: usize) {
        let samples = (frames * FRAME).min(self.phrase.len());
        self.phrase.drain(..samples);
        self.info.drain(..frames);
        self.start += samples as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drive the cutting rules with a voicing pattern: true = a voiced frame.
    fn cut(pattern: &[bool]) -> (Vec<(usize, usize)>, Cutter) {
        let mut cutter = Cutter::default();
        let mut phrases = Vec::new();
        for (i, voiced) in pattern.iter().enumerate() {
            // Quiet frames are quieter, so a forced cut has somewhere to go.
            let level = if *voiced {
                0.3
            } else {
                0.001 * (1 + i % 7) as f32
            };
            let frame = vec![level; FRAME];
            cutter.push_frame(&frame, *voiced, &mut |p: Phrase| phrases.push(p));
        }
        let spans = phrases
            .iter()
            .map(|p| {
                let start = (p.start_s / FRAME_S).round() as usize;
                (start, start + p.samples.len() / FRAME)
            })
            .collect();
        (spans, cutter)
    }

    fn pattern(parts: &[(bool, usize)]) -> Vec<bool> {
        parts
            .iter()
            .flat_map(|(v, n)| std::iter::repeat_n(*v, *n))
            .collect()
    }

    #[test]
    fn a_pause_after_a_long_enough_phrase_ends_it() {
        // 1 s silence, 9 s speech, 1 s pause, 4 s speech.
        let (spans, mut cutter) = cut(&pattern(&[
            (false, 62),
            (true, 560),
            (false, 62),
            (true, 250),
        ]));
        assert_eq!(spans.len(), 1, "{spans:?}");
        let (start, end) = spans[0];
        // The lead-in is trimmed to PAD; the cut falls PAD into the pause.
        assert_eq!(start, 62 - PAD);
        assert_eq!(end, 62 + 560 + PAD);
        let last = cutter
            .finish()
            .map(|p| (p.start_s / FRAME_S).round() as usize);
        // Silence between phrases is not kept beyond the lead-in of the next one.
        assert_eq!(
            last,
            Some(62 + 560 + 62 - PAD),
            "the next phrase starts a lead-in before its first word"
        );
    }

    #[test]
    fn short_gaps_and_short_phrases_are_not_cut() {
        // Speech with 0.3 s gaps, and a 6.4 s phrase before a pause: neither is cut.
        let (spans, _) = cut(&pattern(&[
            (true, 60),
            (false, 19),
            (true, 60),
            (false, 19),
            (true, 40),
            (false, 20),
        ]));
        assert!(spans.is_empty(), "{spans:?}");
        let (spans, _) = cut(&pattern(&[(true, 400), (false, 62)]));
        assert!(spans.is_empty(), "{spans:?}");
    }

    #[test]
    fn a_phrase_without_pauses_is_cut_at_its_quietest_point_before_30_s() {
        let (spans, _) = cut(&pattern(&[(true, MAX_PHRASE * 2 + 10)]));
        assert_eq!(spans.len(), 2, "{spans:?}");
        for (start, end) in &spans {
            assert!(
                end - start <= MAX_PHRASE && end - start > MAX_PHRASE - SEARCH,
                "{spans:?}"
            );
        }
        assert_eq!(
            spans[1].0, spans[0].1,
            "phrases follow each other without a gap"
        );
    }

    #[test]
    fn silence_alone_gives_no_phrase_and_stop_on_silence_counts_from_the_last_word() {
        let (spans, mut cutter) = cut(&pattern(&[(false, 500)]));
        assert!(spans.is_empty());
        assert_eq!(cutter.silence_s(), None);
        assert!(cutter.finish().is_none());
        let (_, cutter) = cut(&pattern(&[(true, 100), (false, 125)]));
        let silence = cutter.silence_s().unwrap_or_default();
        assert!((silence - 2.0).abs() < 0.02, "{silence}");
    }

    #[test]
    fn pieces_of_any_size_give_the_same_cuts() {
        // Real audio path: push() with odd piece sizes must frame exactly like whole frames.
        let audio: Vec<f32> = (0..16_000 * 3)
            .map(|i| ((i as f32) * 0.01).sin() * 0.01)
            .collect();
        let mut a = Cutter::default();
        let mut b = Cutter::default();
        let mut sink = |_p: Phrase| {};
        a.push(&audio, &mut sink);
        for piece in audio.chunks(100) {
            b.push(piece, &mut sink);
        }
        assert_eq!(
            a.phrase.len() + a.partial.len(),
            b.phrase.len() + b.partial.len()
        );
        assert_eq!(a.start, b.start);
        assert_eq!(a.info, b.info);
    }
}
