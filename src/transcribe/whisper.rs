//! The real transcriber: whisper.cpp through whisper-rs.

use std::path::Path;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, anyhow};
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use super::bias::{Bias, TermTokens};
use super::{Ears, RawSegment, Transcriber};
use crate::audio::WHISPER_RATE;
use crate::error::Interrupted;
use crate::glossary::{Glossary, Origin};
use crate::text::visible::neutralise;
use crate::transcript::{Segment, Word};

/// Settings that change speed and memory, chosen by measurement (see BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOptions {
    pub threads: usize,
    pub flash_attention: bool,
    /// Readings kept while decoding; 1 is greedy.
    pub beam_size: u8,
    /// English-only models must be told; multilingual ones are told English too, since the
    /// banks are in English.
    pub language: &'static str,
}

pub struct Whisper {
    // Field order matters: the state must be dropped before the context it came from.
    state: WhisperState,
    _context: WhisperContext,
    name: String,
    options: EngineOptions,
    cancel: Arc<AtomicBool>,
    /// The id of whisper's first timestamp token (`<|0.00|>`).
    first_timestamp: std::ffi::c_int,
    /// The decoder's lean toward a glossary's terms, kept for the glossary it was made from.
    bias: Option<(Glossary, Bias)>,
}

impl std::fmt::Debug for Whisper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Whisper")
            .field("name", &self.name)
            .field("options", &self.options)
            .finish()
    }
}

static QUIET_LOGS: Once = Once::new();

impl Whisper {
    /// Load a model that `models::ggml::inspect` has already checked. `cancel` stops a running
    /// transcription (Ctrl-C sets it).
    pub fn load(
        path: &Path,
        name: &str,
        options: EngineOptions,
        cancel: Arc<AtomicBool>,
    ) -> Result<Self> {
        // whisper.cpp and ggml log to stderr by default; the hooks send it nowhere.
        QUIET_LOGS.call_once(whisper_rs::install_logging_hooks);
        let mut params = WhisperContextParameters::default();
        params.flash_attn(options.flash_attention).use_gpu(false);
        let path_str = path
            .to_str()
            .ok_or_else(|| anyhow!("the model path {} is not valid UTF-8", path.display()))?;
        let context = WhisperContext::new_with_params(path_str, params)
            .map_err(|err| anyhow!("whisper could not load {}: {err}", path.display()))?;
        let state = context
            .create_state()
            .map_err(|err| anyhow!("whisper could not allocate its state: {err}"))?;
        let first_timestamp = context.token_beg();
        Ok(Self {
            first_timestamp,
            state,
            _context: context,
            name: name.to_owned(),
            options,
            cancel,
            bias: None,
        })
    }
}

/// whisper.cpp asks this after each encoder pass and decoder step whether to stop. (whisper-rs
/// 0.16's safe wrapper for it misreads its closure and aborts every run, hence the raw one.)
#[allow(unsafe_code)]
unsafe extern "C" fn should_abort(user_data: *mut std::ffi::c_void) -> bool {
    // SAFETY: user_data points at the AtomicBool inside `Whisper::cancel`, an Arc that the
    // transcriber holds for as long as `full` runs.
    unsafe { (*(user_data as *const AtomicBool)).load(Ordering::Relaxed) }
}

impl Transcriber for Whisper {
    fn model_name(&self) -> &str {
        &self.name
    }

    fn run(&mut self, samples: &[f32], ears: &Ears) -> Result<Vec<RawSegment>> {
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        let prompt = ears.prompt.as_deref();
        self.lean_toward(ears.bias_glossary());
        let fitted = audio_context(samples.len());
        let segments = self.decode(samples, prompt, fitted)?;
        let duration_s = samples.len() as f64 / f64::from(WHISPER_RATE);
        if fitted != 0 && looks_looped(&segments, duration_s) {
            return self.decode(samples, prompt, 0);
        }
        if prompt.is_some() && is_untimed(&segments, duration_s) {
            return self.decode(samples, None, fitted);
        }
        Ok(segments)
    }

    /// A word is ordinary English when whisper's vocabulary has it whole, as one token after a
    /// space: " hyper", " dynamite" are; " kubernetes", " pcs" are not.
    fn knows_word(&self, word: &str) -> bool {
        let text = format!(" {word}");
        self._context
            .tokenize(&text, text.len())
            .is_ok_and(|tokens| tokens.len() == 1)
    }
}

impl Whisper {
    /// Make (or keep) the decoder's lean toward `glossary`'s terms; `None`: no lean.
    fn lean_toward(&mut self, glossary: Option<&Glossary>) {
        let Some(glossary) = glossary else {
            self.bias = None;
            return;
        };
        if self
            .bias
            .as_ref()
            .is_some_and(|(made_for, _)| made_for == glossary)
        {
            return;
        }
        // The common cloud terms only correct: each term in the trie moves whisper's decode, and
        // on a spoken answer (tests/it/ears.rs) the cloud terms' lift cost a bank term whisper
        // had finished without them.
        let terms: Vec<TermTokens> = glossary
            .terms()
            .iter()
            .filter(|term| term.origin != Origin::Cloud)
            .flat_map(|term| {
                let asked = term.origin == Origin::Question;
                written_forms(&term.text).map(move |form| (form, asked))
            })
            .filter_map(|(form, asked)| {
                let text = format!(" {form}");
                let tokens = self._context.tokenize(&text, text.len()).ok()?;
                Some(TermTokens { tokens, asked })
            })
            .collect();
        let n_vocab = usize::try_from(self._context.n_vocab()).unwrap_or(0);
        let bias = Bias::new(&terms, self._context.token_eot(), n_vocab);
        self.bias = Some((glossary.clone(), bias));
    }
}

/// Tokens of prompt text at most: whisper keeps 224 tokens of context, and the prompt's own
/// timestamps take two.
const MAX_PROMPT_TOKENS: usize = 200;
/// Where the prompt's text is said to end, in timestamp steps of 20 ms: 3 s.
const PROMPT_END_STEPS: std::ffi::c_int = 150;

impl Whisper {
    /// The prompt as whisper's context, framed by timestamps as if it had been said before: the
    /// way whisper itself carries context from one window to the next. Given as bare text
    /// (whisper.cpp's `initial_prompt`), tiny.en stopped writing timestamps: each window came out
    /// as one segment 30 s long with its words piled at the end, and speech was left out
    /// (measured on JFK and a 90 s answer, BENCHMARKS.md).
    fn timed_prompt(&self, prompt: &str) -> Result<Vec<std::ffi::c_int>> {
        // Room for every token: each covers at least one byte. (whisper-rs 0.16 misreads
        // whisper.cpp's "too many tokens" answer as a length, so it must never be given.)
        let mut text = self
            ._context
            .tokenize(prompt, prompt.len().max(1))
            .map_err(|err| anyhow!("whisper could not read the prompt `{prompt}`: {err}"))?;
        // Context nearest the audio matters most, as in whisper's own carried context.
        text.drain(..text.len().saturating_sub(MAX_PROMPT_TOKENS));
        let mut tokens = Vec::with_capacity(text.len() + 2);
        tokens.push(self.first_timestamp);
        tokens.extend(text);
        tokens.push(self.first_timestamp + PROMPT_END_STEPS);
        Ok(tokens)
    }

    /// One whisper pass over the audio with an encoder window of `audio_ctx` positions (0: 30 s).
    fn decode(
        &mut self,
        samples: &[f32],
        prompt: Option<&str>,
        audio_ctx: i32,
    ) -> Result<Vec<RawSegment>> {
        let mut params = FullParams::new(match self.options.beam_size {
            0 | 1 => SamplingStrategy::Greedy { best_of: 1 },
            width => SamplingStrategy::BeamSearch {
                beam_size: i32::from(width),
                // whisper.cpp's own default: no early stop beyond the beam's width.
                patience: -1.0,
            },
        });
        params.set_n_threads(i32::try_from(self.options.threads).unwrap_or(1));
        params.set_language(Some(self.options.language));
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        params.set_token_timestamps(true);
        params.set_audio_ctx(audio_ctx);
        // A NUL byte would make whisper-rs panic; prompts come from user-edited banks.
        let prompt_tokens = match prompt {
            Some(prompt) => self.timed_prompt(&prompt.replace('\0', " "))?,
            None => Vec::new(),
        };
        if !prompt_tokens.is_empty() {
            params.set_tokens(&prompt_tokens);
        }
        // The bias lives in `self` and is not touched until `full` below returns.
        if let Some((_, bias)) = &self.bias {
            bias.install(&mut params);
        }
        // SAFETY: the callback only reads the AtomicBool that `self.cancel` keeps alive for the
        // whole call to `full` below.
        #[allow(unsafe_code)]
        unsafe {
            params.set_abort_callback(Some(should_abort));
            params.set_abort_callback_user_data(Arc::as_ptr(&self.cancel) as *mut std::ffi::c_void);
        }
        // Ctrl-C while the audio was being read: whisper would only look after its first
        // encoder pass, seconds away on a long recording.
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Interrupted.into());
        }
        let result = self.state.full(params, samples);
        if self.cancel.load(Ordering::Relaxed) {
            return Err(Interrupted.into());
        }
        result.map_err(|err| anyhow!("whisper failed to transcribe: {err}"))?;
        read_segments(&self.state, self._context.token_eot())
    }
}

/// How whisper may write a term: as the bank does, and a capitalised word in lower case too
/// ("fargate"); an acronym only as it is.
fn written_forms(term: &str) -> impl Iterator<Item = String> {
    let lower = term.to_lowercase();
    let capitalised = term.chars().skip(1).all(|c| c.is_ascii_lowercase());
    std::iter::once(term.to_owned()).chain((capitalised && lower != term).then_some(lower))
}

/// Encoder positions a second of audio: whisper's encoder sees 30 s as 1500 positions.
const POSITIONS_PER_S: usize = 50;
/// Silence left after the speech in a fitted window, so whisper hears where the phrase ends
/// (without it, it stopped early on a phrase that filled its window).
const MARGIN_POSITIONS: usize = POSITIONS_PER_S;
/// The smallest fitted window, 10.24 s: smaller ones made whisper repeat itself (BENCHMARKS.md).
const MIN_POSITIONS: usize = 512;

/// The encoder window for this many 16 kHz samples, 0 for whisper's full 30 s. whisper pads
/// shorter audio with silence to 30 s and encodes all of it; a window fitted to a phrase makes
/// the encoder pass, most of the cost of a phrase, that much cheaper.
fn audio_context(samples: usize) -> i32 {
    let samples_per_position = WHISPER_RATE as usize / POSITIONS_PER_S;
    let positions = (samples.div_ceil(samples_per_position) + MARGIN_POSITIONS)
        .div_ceil(64)
        .saturating_mul(64)
        .max(MIN_POSITIONS);
    match i32::try_from(positions) {
        Ok(positions) if positions < FULL_POSITIONS => positions,
        _ => 0,
    }
}

/// Positions of whisper's full window.
const FULL_POSITIONS: i32 = 1500;

/// Faster speech than this is whisper repeating itself, not a person talking.
const MAX_WORDS_PER_S: f64 = 6.0;

/// Whether whisper went round in a loop: far more words than the audio can hold, or the same
/// sentence twice in a row. A narrowed encoder window makes this more likely, so such a phrase is
/// decoded again with the full window.
fn looks_looped(segments: &[RawSegment], duration_s: f64) -> bool {
    let text = segments
        .iter()
        .map(|s| s.segment.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let words = text.split_whitespace().count();
    if words as f64 > MAX_WORDS_PER_S * duration_s + 4.0 {
        return true;
    }
    let sentences: Vec<String> = text
        .split(['.', '!', '?'])
        .map(|sentence| {
            sentence
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|sentence| sentence.split(' ').count() >= 3)
        .collect();
    sentences.windows(2).any(|pair| pair[0] == pair[1])
}

/// Whether whisper wrote a segment without its closing timestamp: it then ends a whole window
/// after its start, past the end of the audio, and its words' times are made up. Even with the
/// timed prompt this happened to about one phrase in ten; without a prompt it was not seen.
fn is_untimed(segments: &[RawSegment], duration_s: f64) -> bool {
    segments
        .iter()
        .any(|s| s.segment.end_s > duration_s + UNTIMED_SLACK_S)
}

/// How far past the audio's end a segment may reach before it counts as untimed.
const UNTIMED_SLACK_S: f64 = 1.0;

/// Segments with words: tokens joined into words (a token starting with a space starts one),
/// special tokens dropped, centiseconds turned into seconds.
fn read_segments(state: &WhisperState, token_eot: i32) -> Result<Vec<RawSegment>> {
    let mut segments = Vec::new();
    for segment in state.as_iter() {
        let text = segment
            .to_str_lossy()
            .context("whisper returned a segment that can't be read")?
            .into_owned();
        let mut words: Vec<Word> = Vec::new();
        for i in 0..segment.n_tokens() {
            let Some(token) = segment.get_token(i) else {
                continue;
            };
            if token.token_id() >= token_eot {
                continue;
            }
            let piece = token
                .to_str_lossy()
                .map(|p| p.into_owned())
                .unwrap_or_default();
            if piece.is_empty() {
                continue;
            }
            let data = token.token_data();
            let (t0, t1) = (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0);
            match words.last_mut() {
                Some(word) if !piece.starts_with(' ') => {
                    word.word.push_str(&piece);
                    word.end_s = word.end_s.max(t1);
                    word.p = word.p.min(data.p);
                }
                _ => words.push(Word {
                    word: piece,
                    start_s: t0,
                    end_s: t1.max(t0),
                    p: data.p,
                    heard: None,
                }),
            }
        }
        for word in &mut words {
            word.word = neutralise(word.word.trim()).into_owned();
            word.p = (word.p * 1000.0).round() / 1000.0;
        }
        words.retain(|w| !w.word.is_empty());
        segments.push(RawSegment {
            segment: Segment {
                start_s: segment.start_timestamp() as f64 / 100.0,
                end_s: segment.end_timestamp() as f64 / 100.0,
                text: neutralise(text.trim()).into_owned(),
                words,
            },
            no_speech_p: segment.no_speech_probability(),
        });
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_encoder_window_fits_the_phrase_with_room_after_it() {
        let second = WHISPER_RATE as usize;
        // Short phrases get the smallest window, 10.24 s.
        assert_eq!(audio_context(second), 512);
        assert_eq!(audio_context(9 * second), 512);
        // 12 s: 600 positions and 50 of margin, rounded up to 704.
        assert_eq!(audio_context(12 * second), 704);
        // Close to 30 s: the full window, which whisper is trained on.
        assert_eq!(audio_context(29 * second), 0);
        assert_eq!(audio_context(60 * second), 0);
        assert_eq!(audio_context(usize::MAX), 0);
    }

    fn said(texts: &[&str]) -> Vec<RawSegment> {
        texts
            .iter()
            .map(|text| RawSegment {
                segment: Segment {
                    start_s: 0.0,
                    end_s: 1.0,
                    text: (*text).to_owned(),
                    words: Vec::new(),
                },
                no_speech_p: 0.0,
            })
            .collect()
    }

    #[test]
    fn repeated_sentences_and_impossible_speed_are_loops() {
        // Measured on JFK with a 2.5 s phrase and a narrowed window.
        assert!(looks_looped(
            &said(&["And so my fellow Americans. And so my fellow Americans."]),
            2.5
        ));
        assert!(looks_looped(
            &said(&[
                ", as not what your country can do for you.",
                " , as not what your country can do for you."
            ]),
            5.0
        ));
        let many = "word ".repeat(40);
        assert!(looks_looped(&said(&[&many]), 5.0));
    }

    #[test]
    fn a_segment_reaching_past_the_audio_is_untimed() {
        let mut segments = said(&["Ask what you can do for your country."]);
        segments[0].segment.end_s = 8.0;
        assert!(!is_untimed(&segments, 7.5));
        segments[0].segment.start_s = 7.92;
        segments[0].segment.end_s = 37.92;
        assert!(is_untimed(&segments, 10.2));
        assert!(!is_untimed(&[], 10.2));
    }

    #[test]
    fn ordinary_answers_are_not_loops() {
        assert!(!looks_looped(
            &said(&[
                " Ask not what your country can do for you.",
                " Ask what you can do for your country."
            ]),
            8.0
        ));
        // Short repeats ("yes. yes.") are how people talk.
        assert!(!looks_looped(
            &said(&["Yes. Yes. Right, so ECS runs tasks."]),
            3.0
        ));
        assert!(!looks_looped(&[], 0.0));
    }
}
