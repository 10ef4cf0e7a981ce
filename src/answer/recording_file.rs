//! A recording file to a transcript: read (any rate, any channel count), transcribed phrase by
//! phrase with the question's key terms as the prompt and the bank's glossary, with a progress bar on stderr for
//! recordings long enough to wait for.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use crate::audio::Audio;
use crate::config::{Config, Verbosity};
use crate::transcribe::{Ears, Transcriber};
use crate::transcript::{Segment, Transcript};
use crate::ui;

/// The recording at `path`, read before any model is loaded, so that a file that is not one
/// fails at once. One that ends early is used as far as it goes, with a warning.
pub fn read(config: &Config, path: &Path) -> Result<Audio> {
    let recording = crate::audio::wav::read(path)?;
    if recording.truncated {
        ui::warn(
            config,
            &format!(
                "{} ends early (cut off while recording?); using the audio it has",
                path.display()
            ),
        );
    }
    Ok(recording.audio)
}

/// Transcribe the recording read from `path`, handing each phrase's segments to `on_segments` as
/// they come. Says so on stderr when no speech was detected (the transcript is then empty).
pub fn transcribe(
    config: &Config,
    engine: &mut dyn Transcriber,
    (audio, path): (&Audio, &Path),
    ears: Ears,
    on_segments: &mut dyn FnMut(&[Segment]),
) -> Result<Transcript> {
    let bar = progress_bar(config, audio.duration_s());
    let transcript = crate::transcribe::phrased::transcribe_by_phrase(
        engine,
        audio,
        ears,
        &mut |segments, done_s| match &bar {
            Some(bar) => {
                bar.set_position((done_s * 1000.0) as u64);
                bar.suspend(|| on_segments(segments));
            }
            None => on_segments(segments),
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut transcript = transcript?;
    transcript.pitch = crate::audio::pitch::track(audio);
    if transcript.text.is_empty() {
        ui::warn(config, &format!("no speech detected in {}", path.display()));
    }
    Ok(transcript)
}

/// A progress bar on stderr for recordings long enough to wait for, when stderr is a terminal.
fn progress_bar(config: &Config, duration_s: f64) -> Option<indicatif::ProgressBar> {
    if duration_s < 30.0 || config.verbosity == Verbosity::Quiet || !std::io::stderr().is_terminal()
    {
        return None;
    }
    // Counted in milliseconds of the recording transcribed so far.
    let bar = indicatif::ProgressBar::new((duration_s * 1000.0) as u64);
    let style =
        indicatif::ProgressStyle::with_template("transcribing [{bar:30}] {percent}% {elapsed}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}
