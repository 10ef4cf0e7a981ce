//! A spoken answer from the microphone, shared by `practice`, `round`/`drill` (through
//! [`super::answer::Source::Mic`]) and `devices --test`: start the streaming transcriber (its
//! model loads meanwhile), start capture before the "speak now" cue so the first word is never
//! clipped, run the answer screen, then wait for the last phrase.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audio::capture::{Capture, Input, Recorded};
use crate::bank::Question;
use crate::config::{Config, Verbosity};
use crate::transcribe::Transcriber;
use crate::transcribe::streaming::{self, Streaming};
use crate::transcribe::whisper::{EngineOptions, Whisper};
use crate::transcript::Transcript;
use crate::ui::answer_screen::{self, Ended};

/// What a spoken answer needs.
#[derive(Debug, Clone)]
pub struct MicRequest<'a> {
    pub input: Input,
    pub question: Option<&'a Question>,
    pub limit_s: u32,
    pub stop_on_silence: Option<f64>,
    /// Where the recording is written as it is made.
    pub recording: PathBuf,
    pub stop_hint: &'static str,
}

/// A recording whose capture has ended; its transcript is still being finished.
#[derive(Debug)]
pub struct Taken {
    pub recorded: Recorded,
    pub ended: Ended,
    pub time_used_s: f64,
    pub source_name: String,
    streaming: Streaming,
    stopped_at: Instant,
}

/// A spoken answer, transcribed.
#[derive(Debug)]
pub struct Spoken {
    pub transcript: Transcript,
    pub recorded: Recorded,
    pub ended: Ended,
    pub time_used_s: f64,
    /// From the end of the answer to the transcript being ready (what the streaming saves).
    pub stop_to_transcript_s: f64,
}

/// The streaming transcriber for the model in use; the model is checked now (so a missing one
/// fails before the answer, with the command that fetches it) and loaded on the worker thread.
pub fn start_streaming(
    config: &Config,
    question: Option<&Question>,
) -> Result<(Streaming, streaming::PhraseSink)> {
    let choice = crate::models::ready(config)?;
    let options = EngineOptions {
        threads: config.threads,
        flash_attention: config.flash_attention,
        language: "en",
    };
    // Its own cancel flag, not Ctrl-C's: a round may still want what was said transcribed
    // after Ctrl-C.
    let cancel = Arc::new(AtomicBool::new(false));
    let worker_cancel = Arc::clone(&cancel);
    let (path, name) = (choice.path.clone(), choice.name.clone());
    let prompt = crate::transcribe::prompt::build(question, config.prompt_style);
    streaming::start(
        &choice.name,
        move || {
            Ok(
                Box::new(Whisper::load(&path, &name, options, worker_cancel)?)
                    as Box<dyn Transcriber + Send>,
            )
        },
        prompt,
        cancel,
    )
}

/// Record an answer on the answer screen. A device problem comes back as
/// [`crate::audio::device::NoMicrophone`] before anything is recorded.
pub fn record(
    config: &Config,
    request: &MicRequest<'_>,
    keys: &mut dyn FnMut(Duration) -> Result<bool>,
) -> Result<Taken> {
    let (streaming, sink) = start_streaming(config, request.question)?;
    // Half a second beyond the limit: capture starts a moment before the countdown does.
    let capture = Capture::start(
        &request.input,
        &request.recording,
        f64::from(request.limit_s) + 0.5,
        Box::new(sink),
    )?;
    if config.verbosity > Verbosity::Normal {
        crate::ui::note(
            config,
            &format!(
                "Recording from {} ({}) to {}",
                capture.source_name,
                capture.source_format,
                request.recording.display()
            ),
        );
    }
    let chatty = config.verbosity > Verbosity::Quiet;
    let options = answer_screen::Options::new(
        request.limit_s,
        request.stop_on_silence,
        chatty,
        request.stop_hint,
    );
    let screen = answer_screen::run(&capture, &streaming, keys, &options);
    let stopped_at = Instant::now();
    let source_name = capture.source_name.clone();
    // The recording is closed whatever happened on screen, so it is kept.
    let recorded = capture.finish()?;
    let (ended, time_used_s) = screen?;
    if recorded.overruns > 0 || recorded.xruns > 0 {
        crate::ui::warn(
            config,
            &format!(
                "{} audio buffer{} lost while recording ({} overrun{}, {} xrun{}); the machine may be too busy",
                recorded.overruns + recorded.xruns,
                if recorded.overruns + recorded.xruns == 1 {
                    " was"
                } else {
                    "s were"
                },
                recorded.overruns,
                if recorded.overruns == 1 { "" } else { "s" },
                recorded.xruns,
                if recorded.xruns == 1 { "" } else { "s" },
            ),
        );
    }
    Ok(Taken {
        recorded,
        ended,
        time_used_s,
        source_name,
        streaming,
        stopped_at,
    })
}

impl Taken {
    /// Wait for the last phrase's transcript.
    pub fn transcribe(self, config: &Config) -> Result<Spoken> {
        let (mut transcript, rest) = self.streaming.finish_with_rest(self.recorded.duration_s)?;
        // The pitch comes from the recording as saved: the phrases went to whisper one by one.
        match crate::audio::wav::read(&self.recorded.path) {
            Ok(recording) => transcript.pitch = crate::audio::pitch::track(&recording.audio),
            Err(err) => crate::ui::warn(config, &format!("no pitch figures: {err:#}")),
        }
        if config.verbosity > Verbosity::Quiet {
            let width = crate::ui::width();
            for heard in rest {
                for line in answer_screen::transcript_lines(&heard.text, width) {
                    anstream::eprintln!("{line}");
                }
            }
        }
        Ok(Spoken {
            transcript,
            stop_to_transcript_s: self.stopped_at.elapsed().as_secs_f64(),
            recorded: self.recorded,
            ended: self.ended,
            time_used_s: self.time_used_s,
        })
    }

    /// Keep the recording, drop the transcript.
    pub fn abandon(self) -> Recorded {
        self.streaming.abandon();
        self.recorded
    }
}

/// Where a recording goes while it is made: in the data dir (kept if the process dies), or in
/// the temp dir with `--no-save`.
pub fn recording_path(config: &Config, no_save: bool, question_id: &str) -> PathBuf {
    let name = format!(
        "{}-{}-{}.wav",
        chrono::Local::now().format("%Y-%m-%dT%H-%M-%S"),
        question_id,
        std::process::id()
    );
    if no_save {
        std::env::temp_dir().join(format!("rehearse-{name}"))
    } else {
        config.data_dir.join("recordings").join(name)
    }
}

/// The spoken answer of `practice`, or `None` (having said why) when there is no usable
/// microphone and the answer should be typed instead. Ctrl-C keeps the recording and exits 130.
pub fn practice_answer(
    config: &Config,
    question: &Question,
    limit_s: u32,
    mic: &crate::cli::MicArgs,
    no_save: bool,
) -> Result<Option<super::answer::Given>> {
    crate::interrupt::install()?;
    let device = mic.device.as_deref().or(config.device.as_deref());
    // Checked before the model is loaded: without a microphone the answer is typed, and typing
    // needs no model.
    if let Err(err) = check_microphone(device) {
        say_no_microphone(config, &err, "your answer");
        return Ok(None);
    }
    let request = MicRequest {
        input: Input::from_device_arg(device, config.wav_speed),
        question: Some(question),
        limit_s,
        stop_on_silence: mic.stop_on_silence,
        recording: recording_path(config, no_save, &question.id),
        stop_hint: "Enter or space stops",
    };
    // Standard input is only taken over once recording has started, so that a typed fallback
    // can still read it.
    let mut keys: Option<answer_screen::StopKeys> = None;
    let mut wait = |d: Duration| {
        keys.get_or_insert_with(answer_screen::StopKeys::start)
            .wait(d)
    };
    let taken = match record(config, &request, &mut wait) {
        Ok(taken) => taken,
        Err(err)
            if err
                .downcast_ref::<crate::audio::device::NoMicrophone>()
                .is_some() =>
        {
            say_no_microphone(config, &err, "your answer");
            return Ok(None);
        }
        Err(err) => return Err(err),
    };
    drop(keys);
    if taken.ended == Ended::Interrupted {
        let recorded = taken.abandon();
        crate::ui::note(
            config,
            &format!("The recording is kept: {}", recorded.path.display()),
        );
        return Err(crate::error::Interrupted.into());
    }
    let spoken = taken.transcribe(config)?;
    Ok(Some(given(config, spoken)))
}

/// A transcribed answer as a round or practice keeps it.
fn given(config: &Config, spoken: Spoken) -> super::answer::Given {
    if spoken.transcript.text.is_empty() {
        crate::ui::warn(config, "no speech detected in the recording");
    }
    if config.verbosity > Verbosity::Normal {
        crate::ui::note(
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
    super::answer::Given {
        transcript: spoken.transcript,
        source: crate::session::SourceKind::Mic,
        recording: Some(spoken.recorded.path),
        time_used_s: spoken.time_used_s,
        interrupted: spoken.ended == Ended::Interrupted,
    }
}

/// Why the microphone can't be used, and that the answer is typed instead.
fn say_no_microphone(config: &Config, err: &dyn std::fmt::Display, answer: &str) {
    crate::ui::note(
        config,
        &format!("No usable microphone: {err}\nType {answer} instead."),
    );
}

/// Whether a microphone can be opened now, or why not (said before a round starts, so the
/// round can fall back to typed answers as a whole).
pub fn check_microphone(device: Option<&str>) -> Result<(), crate::audio::device::NoMicrophone> {
    if device.is_some_and(|d| d.starts_with("wav:")) {
        return Ok(());
    }
    let (found, name) = crate::audio::device::find(device)?;
    crate::audio::device::stream_config(&found, &name).map(|_| ())
}

/// A spoken answer in a round: Enter (a line on the console) stops it. Ctrl-C asks whether to
/// score what was said.
pub fn round_answer(
    config: &Config,
    console: &mut super::answer::Console,
    question: &Question,
    limit_s: u32,
    device: Option<&str>,
    stop_on_silence: Option<f64>,
) -> Result<super::answer::Given> {
    let request = MicRequest {
        input: Input::from_device_arg(device, config.wav_speed),
        question: Some(question),
        limit_s,
        stop_on_silence,
        // The session keeps its own copy; this one only matters if the process dies.
        recording: recording_path(config, true, &question.id),
        stop_hint: "Enter stops",
    };
    let taken = {
        let mut wait = |d: Duration| Ok(console.line_within(d)?.is_some());
        match record(config, &request, &mut wait) {
            Ok(taken) => taken,
            Err(err)
                if err
                    .downcast_ref::<crate::audio::device::NoMicrophone>()
                    .is_some() =>
            {
                say_no_microphone(config, &err, "this answer");
                let typed = console.answer(limit_s)?;
                return Ok(super::answer::Given {
                    transcript: Transcript::typed(typed.text),
                    source: crate::session::SourceKind::Typed,
                    recording: None,
                    time_used_s: typed.elapsed_s,
                    interrupted: typed.interrupted,
                });
            }
            Err(err) => return Err(err),
        }
    };
    if taken.ended == Ended::Interrupted {
        anstream::eprint!("Score what you said so far? [Y/n] ");
        std::io::Write::flush(&mut std::io::stderr()).ok();
        let reply = console
            .line_within(Duration::from_secs(60))?
            .unwrap_or_default();
        if reply.trim().to_lowercase().starts_with('n') {
            let recorded = taken.abandon();
            crate::ui::note(
                config,
                &format!(
                    "Not scored; the recording is kept: {}",
                    recorded.path.display()
                ),
            );
            return Ok(super::answer::Given {
                transcript: Transcript::typed(String::new()),
                source: crate::session::SourceKind::Mic,
                recording: None,
                time_used_s: 0.0,
                interrupted: true,
            });
        }
    }
    let spoken = taken.transcribe(config)?;
    Ok(given(config, spoken))
}
