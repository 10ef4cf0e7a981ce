//! Taking answers, one after another, from the one source decided for the command
//! ([`Source::choose`]): [`Answers`] holds the source, the console and the transcriber, and
//! gives the next answer each time it is asked for, so a follow-up question is answered the way
//! its main question was.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};

use super::console::{Clock, Console, StopKeys, Think};
use super::mic::{self, Take};
use super::source::{self, Request, Source};
use super::{Asked, Given, Mode, recording_file};
use crate::audio::capture::Input;
use crate::audio::device::NoMicrophone;
use crate::bank::Bank;
use crate::config::{Config, Verbosity};
use crate::error::Interrupted;
use crate::session::{AnswerAudio, SourceKind, cut_off};
use crate::transcribe::{Ears, Transcriber, TranscriberFactory};
use crate::transcript::Transcript;
use crate::ui::answer_screen::Ended;
use crate::{interrupt, ui};

/// Answers taken one after another from one source.
pub struct Answers<'a> {
    config: &'a Config,
    mode: Mode,
    source: Source,
    /// Standard input, for typed and spoken answers.
    console: Option<Console>,
    transcribers: Arc<dyn TranscriberFactory>,
    /// The transcriber of recordings, loaded at the first.
    engine: Option<Box<dyn Transcriber + Send>>,
    /// The bank whose glossary whisper listens for ([`Answers::listen_for`]).
    bank: Bank,
}

impl std::fmt::Debug for Answers<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answers")
            .field("mode", &self.mode)
            .field("source", &self.source)
            .field("transcribers", &self.transcribers)
            .finish()
    }
}

impl<'a> Answers<'a> {
    /// Decide where the answers come from (see [`Source::choose`]) and get ready to take them.
    pub fn new(
        config: &'a Config,
        mode: Mode,
        request: Request,
        transcribers: Arc<dyn TranscriberFactory>,
    ) -> Result<Self> {
        let source = Source::choose(config, mode, request, transcribers.as_ref())?;
        interrupt::install()?;
        Ok(Self {
            config,
            mode,
            source,
            console: None,
            transcribers,
            engine: None,
            bank: Bank::default(),
        })
    }

    /// Listen for the terms of `bank` in spoken answers (without it, only the question's).
    pub fn listen_for(mut self, bank: &Bank) -> Self {
        self.bank = bank.clone();
        self
    }

    /// Think time before a live answer (typed or spoken), with a countdown that Enter skips.
    /// Recordings and text need none.
    pub fn think(&mut self, prep_s: u32) -> Result<Think> {
        if !self.source.is_live() {
            return Ok(Think::Done);
        }
        self.console().think(prep_s)
    }

    /// Take one more answer from the source: the next typed answer, the text or transcript
    /// given (once), the next recording in order, or the microphone again. A live answer calls
    /// `time_left` at each countdown warning (with the seconds left). Ctrl-C pressed before
    /// the answer (while the question was read) cuts it short before it starts.
    pub fn answer(&mut self, asked: &Asked<'_>, time_left: &mut dyn FnMut(u32)) -> Result<Given> {
        if interrupt::requested() && self.source.is_live() {
            return self.cut_short(Transcript::typed(String::new()));
        }
        match &mut self.source {
            Source::Typed => self.typed(asked, time_left),
            Source::Text(text) => {
                let Some(text) = text.take() else {
                    bail!(
                        "--text gives one answer, and it is used up: answer this one another way"
                    );
                };
                Ok(Given::at_once(
                    Transcript::typed(source::text(text)?),
                    SourceKind::Text,
                ))
            }
            Source::Transcript(path) => {
                let Some(path) = path.take() else {
                    bail!("--transcript gives one answer, and it is used up");
                };
                Ok(Given::at_once(
                    source::transcript(&path)?,
                    SourceKind::Transcript,
                ))
            }
            Source::Wav(files) => {
                let Some(path) = files.pop_front() else {
                    bail!(
                        "no recording left for this answer: give one --wav F per answer, in order"
                    );
                };
                self.recorded(asked, path)
            }
            Source::Mic {
                input,
                stop_on_silence,
            } => {
                let (input, stop_on_silence) = (input.clone(), *stop_on_silence);
                self.spoken(asked, input, stop_on_silence, time_left)
            }
        }
    }

    /// Whether one more answer can be taken: text and a transcript answer once, recordings run
    /// out; typing and the microphone never do.
    pub fn has_answer_left(&self) -> bool {
        match &self.source {
            Source::Text(text) => text.is_some(),
            Source::Transcript(path) => path.is_some(),
            Source::Wav(files) => !files.is_empty(),
            Source::Typed | Source::Mic { .. } => true,
        }
    }

    /// The console, started at the first live answer: standard input is read by nobody else
    /// from then on (`--text -` reads it itself, and is not live).
    fn console(&mut self) -> &mut Console {
        let chatty = self.config.verbosity > Verbosity::Quiet;
        let marker_dir = &self.config.data_dir;
        self.console
            .get_or_insert_with(|| Console::start(chatty, marker_dir))
    }

    /// The keys that skip what the interviewer is saying (Enter, space), while this lives:
    /// `None` unless someone answers live at a terminal (typed lines piped in are answers, not
    /// keys).
    pub fn skip_keys(&mut self) -> Option<StopKeys<'_>> {
        let at_terminal = self.source.is_live() && std::io::stdin().is_terminal();
        at_terminal.then(|| self.console().stop_keys())
    }

    /// An answer that Ctrl-C ended before it was done: practice ends without a score; a round
    /// takes what was given so far (and ends).
    fn cut_short(&self, transcript: Transcript) -> Result<Given> {
        if self.mode == Mode::Practice {
            return Err(Interrupted.into());
        }
        Ok(Given {
            transcript,
            source: self.source.kind(),
            recording: None,
            time_used_s: 0.0,
            interrupted: true,
            timed_out: false,
        })
    }

    fn typed(&mut self, asked: &Asked<'_>, time_left: &mut dyn FnMut(u32)) -> Result<Given> {
        let clock = match self.mode {
            Mode::Practice => Clock::Aim(asked.limit_s),
            Mode::Round => Clock::Limit(asked.limit_s),
        };
        let typed = self.console().answer(clock, time_left)?;
        if typed.interrupted {
            let mut given = self.cut_short(Transcript::typed(typed.text))?;
            given.time_used_s = typed.elapsed_s;
            return Ok(given);
        }
        Ok(Given {
            transcript: Transcript::typed(typed.text),
            source: SourceKind::Typed,
            recording: None,
            time_used_s: typed.elapsed_s,
            interrupted: false,
            timed_out: typed.timed_out,
        })
    }

    fn recorded(&mut self, asked: &Asked<'_>, path: PathBuf) -> Result<Given> {
        let mut audio = recording_file::read(&path)?;
        let engine = match &mut self.engine {
            Some(engine) => engine,
            // Ctrl-C stops a transcription.
            empty => empty.insert(self.transcribers.prepare()?.load(interrupt::flag())?),
        };
        let transcript = recording_file::transcribe(
            self.config,
            engine.as_mut(),
            (&mut audio, &path),
            Ears::new(self.config, &self.bank, Some(asked.question)),
            &mut |_| {},
        )?;
        Ok(Given {
            time_used_s: transcript.duration_s.unwrap_or(0.0),
            transcript,
            source: SourceKind::Wav,
            recording: Some(AnswerAudio::Theirs(path)),
            interrupted: false,
            timed_out: false,
        })
    }

    fn spoken(
        &mut self,
        asked: &Asked<'_>,
        input: Input,
        stop_on_silence: Option<f64>,
        time_left: &mut dyn FnMut(u32),
    ) -> Result<Given> {
        let config = self.config;
        let take = Take {
            input,
            ears: Ears::new(config, &self.bank, Some(asked.question)),
            limit_s: asked.limit_s,
            stop_on_silence,
            path: recording_path(asked.keep_in, &asked.question.id),
            stop_hint: "Enter or space stops",
        };
        let loader = self.transcribers.prepare()?;
        let recorded = {
            let mut keys = self.console().stop_keys();
            mic::record(
                config,
                loader,
                &take,
                &mut |wait| keys.pressed_within(wait),
                time_left,
            )
        };
        let taken = match recorded {
            Ok(taken) => taken,
            Err(err) if err.downcast_ref::<NoMicrophone>().is_some() => {
                source::say_typing_instead(config, self.mode, &err);
                self.source = Source::Typed;
                return self.typed(asked, time_left);
            }
            Err(err) => return Err(err),
        };
        if taken.ended == Ended::Interrupted && !self.score_what_was_said()? {
            let recorded = taken.abandon();
            let kept = match asked.keep_in {
                Some(_) => format!(
                    "kept with the session ({}); `rehearse review` lists it",
                    recorded.path.display()
                ),
                None => format!("kept: {}", recorded.path.display()),
            };
            return match self.mode {
                Mode::Practice => {
                    ui::note(config, &format!("The recording is {kept}"));
                    Err(Interrupted.into())
                }
                Mode::Round => {
                    ui::note(config, &format!("Not scored; the recording is {kept}"));
                    self.cut_short(Transcript::typed(String::new()))
                }
            };
        }
        let interrupted = taken.ended == Ended::Interrupted;
        let taken_timed_out = taken.ended == Ended::TimeUp;
        let spoken = taken.transcribe(config)?;
        if spoken.transcript.text.is_empty() {
            ui::warn(config, "no speech detected in the recording");
        }
        if config.verbosity > Verbosity::Normal {
            ui::note(
                config,
                &format!(
                    "Transcript ready {:.2} s after the answer ended ({:.1} s recorded, {} overruns, {} xruns)",
                    spoken.stop_to_transcript_s,
                    spoken.recorded.duration_s,
                    spoken.recorded.overruns,
                    spoken.recorded.xruns
                ),
            );
        }
        Ok(Given {
            transcript: spoken.transcript,
            source: SourceKind::Mic,
            recording: Some(AnswerAudio::Made(spoken.recorded.path)),
            time_used_s: spoken.time_used_s,
            interrupted,
            timed_out: taken_timed_out,
        })
    }

    /// After Ctrl-C in a spoken answer: a round asks whether to score what was said; practice
    /// ends without a score.
    fn score_what_was_said(&mut self) -> Result<bool> {
        if self.mode == Mode::Practice {
            return Ok(false);
        }
        anstream::eprint!("Score what you said so far? [Y/n] ");
        std::io::Write::flush(&mut std::io::stderr()).ok();
        let reply = self
            .console()
            .line_within(Duration::from_secs(60))?
            .unwrap_or_default();
        Ok(!reply.trim().to_lowercase().starts_with('n'))
    }
}

/// Where a spoken answer's recording is written while it is made: in its session's folder, so
/// that it stays with the session if the answer is cut off, or in the temp dir without a session
/// (removed once scored).
fn recording_path(keep_in: Option<&Path>, question_id: &str) -> PathBuf {
    let name = cut_off::file_name(question_id, chrono::Local::now());
    match keep_in {
        Some(dir) => dir.join(name),
        None => std::env::temp_dir().join(format!("rehearse-{}-{name}", std::process::id())),
    }
}
