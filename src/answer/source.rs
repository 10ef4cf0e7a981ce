//! Where answers come from: [`Source::choose`] is the one place that decides it, from what the
//! command line asked ([`Request`]) and what the machine has (a microphone, a model).

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Mode;
use crate::audio::capture::Input;
use crate::cli::{AnswerSource, MicArgs, RoundAnswers, ScoreInput};
use crate::config::Config;
use crate::error::UsageError;
use crate::session::SourceKind;
use crate::text::visible;
use crate::transcribe::TranscriberFactory;
use crate::transcript::Transcript;

/// How the command line asks for answers to be given.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Spoken into the microphone (the default of practice and rounds); typed when there is
    /// none.
    Spoken {
        device: Option<String>,
        stop_on_silence: Option<f64>,
    },
    /// Typed at the console (`--type`).
    Typed,
    /// Given as text (`--text T`; `-` reads standard input).
    Text(String),
    /// Recordings, one per answer in the order given (`--wav F`, repeated).
    Wavs(Vec<PathBuf>),
    /// A transcript file (`score --transcript F`).
    Transcript(PathBuf),
}

impl Request {
    /// `practice [--text T | --wav F [--wav F2] | --type] [--device NAME]`: a second recording
    /// answers the follow-up question.
    pub fn practice(source: &AnswerSource, mic: &MicArgs, follow_up: bool) -> Result<Self> {
        let most = if follow_up { 2 } else { 1 };
        if source.wav.len() > most {
            return Err(UsageError::new(format!(
                "practice takes {} --wav file{}, {} were given: one for the answer{}",
                most,
                if most == 1 { "" } else { "s" },
                source.wav.len(),
                if follow_up {
                    " and one for the follow-up"
                } else {
                    " (a second one is for --follow-up)"
                }
            ))
            .into());
        }
        Ok(if let Some(text) = &source.text {
            Self::Text(text.clone())
        } else if !source.wav.is_empty() {
            Self::Wavs(source.wav.clone())
        } else if source.typed {
            Self::Typed
        } else {
            Self::spoken(mic)
        })
    }

    /// `round` and `drill` of `count` questions: `[--type | --wav F...] [--device NAME]`, with
    /// one recording per question, and with `follow_up` up to one more per question for the
    /// follow-ups, taken in order as they are asked.
    pub fn round(
        answers: &RoundAnswers,
        mic: &MicArgs,
        count: usize,
        follow_up: bool,
    ) -> Result<Self> {
        if answers.typed {
            return Ok(Self::Typed);
        }
        if answers.wav.is_empty() {
            return Ok(Self::spoken(mic));
        }
        let given = answers.wav.len();
        if follow_up && (count..=2 * count).contains(&given) {
            return Ok(Self::Wavs(answers.wav.clone()));
        }
        if given != count {
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            let wanted = if follow_up {
                "give one per question, and up to one more per follow-up"
            } else {
                "give one per question"
            };
            return Err(UsageError::new(format!(
                "the round has {count} question{} but {given} --wav file{} were given: {wanted}",
                plural(count),
                plural(given),
            ))
            .into());
        }
        Ok(Self::Wavs(answers.wav.clone()))
    }

    /// `score ID (--text T | --transcript F | --wav F)`.
    pub fn score(input: &ScoreInput) -> Result<Self> {
        Ok(if let Some(text) = &input.text {
            Self::Text(text.clone())
        } else if let Some(path) = &input.transcript {
            Self::Transcript(path.clone())
        } else if let Some(wav) = &input.wav {
            Self::Wavs(vec![wav.clone()])
        } else {
            bail!("give the answer with --text T, --transcript F or --wav F");
        })
    }

    fn spoken(mic: &MicArgs) -> Self {
        Self::Spoken {
            device: mic.device.clone(),
            stop_on_silence: mic.stop_on_silence,
        }
    }
}

/// Where the answers come from, decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Typed at the console: lines up to an empty line.
    Typed,
    /// Text given once, for the first answer (`-`: standard input).
    Text(Option<String>),
    /// A transcript file given once, for the first answer.
    Transcript(Option<PathBuf>),
    /// Recordings not used yet, in order: each answer takes the next.
    Wav(VecDeque<PathBuf>),
    /// The microphone, transcribed phrase by phrase while spoken.
    Mic {
        input: Input,
        stop_on_silence: Option<f64>,
    },
}

impl Source {
    /// The source of a command's answers: the one place that decides. The microphone is
    /// checked before anything is asked, and without one the answers are typed, said once
    /// ([`say_typing_instead`]); recordings must exist; for recorded and spoken answers the
    /// model is checked now, so a missing one fails before the first question, with the
    /// command that fetches it.
    pub fn choose(
        config: &Config,
        mode: Mode,
        request: Request,
        transcribers: &dyn TranscriberFactory,
    ) -> Result<Self> {
        let source = match request {
            Request::Typed => Self::Typed,
            Request::Text(text) => Self::Text(Some(text)),
            Request::Transcript(path) => Self::Transcript(Some(path)),
            Request::Wavs(files) => {
                if let Some(missing) = files.iter().find(|path| !path.is_file()) {
                    bail!(
                        "the recording {} does not exist\n  Check the --wav paths.",
                        missing.display()
                    );
                }
                Self::Wav(files.into())
            }
            Request::Spoken {
                device,
                stop_on_silence,
            } => {
                let device = device.or_else(|| config.device.clone());
                let input = Input::from_device_arg(device.as_deref(), config.wav_speed);
                match input.check() {
                    Ok(()) => Self::Mic {
                        input,
                        stop_on_silence,
                    },
                    Err(why) => {
                        say_typing_instead(config, mode, &why);
                        Self::Typed
                    }
                }
            }
        };
        if matches!(source, Self::Wav(_) | Self::Mic { .. }) {
            transcribers.prepare()?;
        }
        Ok(source)
    }

    /// Whether answers are given live, typed at the console or spoken (and so timed there, with
    /// think time before them).
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Typed | Self::Mic { .. })
    }

    /// The kind of answer this source gives, as the session keeps it.
    pub fn kind(&self) -> SourceKind {
        match self {
            Self::Typed => SourceKind::Typed,
            Self::Text(_) => SourceKind::Text,
            Self::Transcript(_) => SourceKind::Transcript,
            Self::Wav(_) => SourceKind::Wav,
            Self::Mic { .. } => SourceKind::Mic,
        }
    }
}

/// Why the microphone can't be used, and that the answers are typed instead. Said here and
/// nowhere else: before the first question, or when the microphone goes away later.
pub fn say_typing_instead(config: &Config, mode: Mode, why: &dyn std::fmt::Display) {
    let answers = match mode {
        Mode::Practice => "your answer",
        Mode::Round => "your answers",
    };
    crate::ui::note(
        config,
        &format!("No usable microphone: {why}\nType {answers} instead."),
    );
}

/// The text of `--text T`; `-` reads standard input.
pub fn text(given: String) -> Result<String> {
    if given != "-" {
        return Ok(given);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read the answer from standard input")?;
    String::from_utf8(bytes)
        .context("the answer on standard input is not UTF-8 text; save it as UTF-8 and try again")
}

/// The largest transcript file scored: about 180,000 words, a day of talking. Scoring time grows
/// with the answer's length (seconds for 50,000 words), so a larger file is surely not an answer.
const MAX_TRANSCRIPT_BYTES: u64 = 1_000_000;

/// A transcript file: the JSON of `rehearse transcribe --json` (timings kept), or plain text.
pub fn transcript(path: &Path) -> Result<Transcript> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
        && meta.len() > MAX_TRANSCRIPT_BYTES
    {
        anyhow::bail!(
            "{} is {:.1} MB, too large for the transcript of an answer (at most {:.0} MB)\n  \
             Give the transcript of one answer.",
            path.display(),
            meta.len() as f64 / 1e6,
            MAX_TRANSCRIPT_BYTES as f64 / 1e6
        );
    }
    let text = crate::fsutil::read_text(path)?;
    if text.trim_start().starts_with('{') {
        let not_a_transcript = |err: serde_json::Error| {
            anyhow::anyhow!(
                "{} looks like JSON but is not a transcript: {err}\n  Give the JSON that \
                 `rehearse transcribe --json` prints, unchanged, or the answer as plain text.",
                path.display()
            )
        };
        let mut value: serde_json::Value = serde_json::from_str(&text).map_err(not_a_transcript)?;
        visible::neutralise_json(&mut value);
        return serde_json::from_value(value).map_err(not_a_transcript);
    }
    Ok(Transcript::typed(visible::neutralise(&text)))
}
