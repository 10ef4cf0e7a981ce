//! The real transcriber: whisper.cpp through whisper-rs.

use std::path::Path;
use std::sync::Arc;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, anyhow};
use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use super::{RawSegment, Transcriber};
use crate::error::Interrupted;
use crate::transcript::{Segment, Word};

/// Settings that change speed and memory, chosen by measurement (see BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineOptions {
    pub threads: usize,
    pub flash_attention: bool,
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
    progress: Option<Arc<dyn Fn(i32) + Send + Sync>>,
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
        Ok(Self {
            state,
            _context: context,
            name: name.to_owned(),
            options,
            cancel,
            progress: None,
        })
    }

    /// Called with whisper's progress in percent while a transcription runs.
    pub fn on_progress(&mut self, progress: impl Fn(i32) + Send + Sync + 'static) {
        self.progress = Some(Arc::new(progress));
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

    fn run(&mut self, samples: &[f32], prompt: Option<&str>) -> Result<Vec<RawSegment>> {
        if samples.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(i32::try_from(self.options.threads).unwrap_or(1));
        params.set_language(Some(self.options.language));
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_special(false);
        params.set_print_timestamps(false);
        params.set_token_timestamps(true);
        // A NUL byte would make whisper-rs panic; prompts come from user-edited banks.
        let prompt = prompt.map(|p| p.replace('\0', " "));
        if let Some(prompt) = &prompt {
            params.set_initial_prompt(prompt);
        }
        if let Some(progress) = &self.progress {
            let progress = Arc::clone(progress);
            params.set_progress_callback_safe(move |percent: i32| progress(percent));
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
                }),
            }
        }
        for word in &mut words {
            word.word = word.word.trim().to_owned();
            word.p = (word.p * 1000.0).round() / 1000.0;
        }
        words.retain(|w| !w.word.is_empty());
        segments.push(RawSegment {
            segment: Segment {
                start_s: segment.start_timestamp() as f64 / 100.0,
                end_s: segment.end_timestamp() as f64 / 100.0,
                text: text.trim().to_owned(),
                words,
            },
            no_speech_p: segment.no_speech_probability(),
        });
    }
    Ok(segments)
}
