//! A spoken answer recorded from the microphone, and nothing else: the streaming transcriber
//! starts (its model loads meanwhile), capture starts before the "speak now" cue so that the
//! first word is never clipped, the answer screen runs until a stop key, the clock, silence or
//! Ctrl-C ends the answer, and then the last phrase is waited for, or the transcript given up.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audio::capture::{Capture, Input, Recorded};
use crate::config::{Config, Verbosity};
use crate::transcribe::streaming::{self, Streaming};
use crate::transcribe::{Ears, Loader};
use crate::transcript::Transcript;
use crate::ui::answer_screen::{self, Ended};

/// What a spoken answer needs.
#[derive(Debug, Clone)]
pub struct Take {
    pub input: Input,
    /// What whisper listens for: the question's prompt and the bank's glossary.
    pub ears: Ears,
    pub limit_s: u32,
    pub stop_on_silence: Option<f64>,
    /// Where the recording is written as it is made.
    pub path: PathBuf,
    /// How to stop, as shown: "Enter or space stops".
    pub stop_hint: &'static str,
}

/// A recording whose capture has ended; its transcript is still being finished.
#[derive(Debug)]
pub struct Taken {
    pub recorded: Recorded,
    pub ended: Ended,
    pub time_used_s: f64,
    streaming: Streaming,
    stopped_at: Instant,
}

/// A spoken answer, transcribed.
#[derive(Debug)]
pub struct Spoken {
    pub transcript: Transcript,
    pub recorded: Recorded,
    pub time_used_s: f64,
    /// From the end of the answer to the transcript being ready (what the streaming saves).
    pub stop_to_transcript_s: f64,
}

/// Record an answer on the answer screen; `keys(wait)` says whether a stop key came within
/// `wait`, and `time_left` is called at each countdown warning. A device problem comes back as [`crate::audio::device::NoMicrophone`] before
/// anything is recorded.
pub fn record(
    config: &Config,
    loader: Loader,
    take: &Take,
    keys: &mut dyn FnMut(Duration) -> Result<bool>,
    time_left: &mut dyn FnMut(u32),
) -> Result<Taken> {
    let (streaming, sink) = streaming::start(loader, take.ears.clone())?;
    // Half a second beyond the limit: capture starts a moment before the countdown does.
    let capture = Capture::start(
        &take.input,
        &take.path,
        f64::from(take.limit_s) + 0.5,
        Box::new(sink),
    )?;
    if config.verbosity > Verbosity::Normal {
        crate::ui::note(
            config,
            &format!(
                "Recording from {} ({}) to {}",
                capture.source_name,
                capture.source_format,
                take.path.display()
            ),
        );
    }
    let chatty = config.verbosity > Verbosity::Quiet;
    let options =
        answer_screen::Options::new(take.limit_s, take.stop_on_silence, chatty, take.stop_hint);
    let screen = answer_screen::run(&capture, &streaming, keys, time_left, &options);
    let stopped_at = Instant::now();
    // The recording is closed whatever happened on screen, so it is kept.
    let recorded = capture.finish()?;
    let (ended, time_used_s) = screen?;
    let lost = recorded.overruns + recorded.xruns;
    if lost > 0 {
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        crate::ui::warn(
            config,
            &format!(
                "{lost} audio buffer{} lost while recording ({} overrun{}, {} xrun{}); the machine may be too busy",
                if lost == 1 { " was" } else { "s were" },
                recorded.overruns,
                plural(recorded.overruns),
                recorded.xruns,
                plural(recorded.xruns),
            ),
        );
    }
    Ok(Taken {
        recorded,
        ended,
        time_used_s,
        streaming,
        stopped_at,
    })
}

impl Taken {
    /// Wait for the last phrase's transcript, and show the phrases the screen did not.
    pub fn transcribe(self, config: &Config) -> Result<Spoken> {
        // The pitch comes from the recording as saved (the phrases went to whisper one by one),
        // worked out while whisper hears the last phrase: it is on the way to the feedback.
        let (finished, pitch) = std::thread::scope(|scope| {
            let pitch = scope.spawn(|| {
                crate::audio::wav::read(&self.recorded.path)
                    .map(|recording| crate::audio::pitch::track(&recording.audio))
            });
            let finished = self.streaming.finish_with_rest(self.recorded.duration_s);
            (finished, pitch.join())
        });
        let (mut transcript, rest) = finished?;
        match pitch {
            Ok(Ok(pitch)) => transcript.pitch = pitch,
            Ok(Err(err)) => crate::ui::warn(config, &format!("no pitch figures: {err:#}")),
            Err(_) => crate::ui::warn(config, "no pitch figures: the pitch tracker failed"),
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
            time_used_s: self.time_used_s,
        })
    }

    /// Keep the recording, drop the transcript.
    pub fn abandon(self) -> Recorded {
        self.streaming.abandon();
        self.recorded
    }
}
