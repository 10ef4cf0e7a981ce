//! A recording file to a transcript: read as it goes (any rate, any channel count), transcribed
//! phrase by phrase with the question's key terms as the prompt and the bank's glossary, with a
//! progress bar on stderr for recordings long enough to wait for.
//! recordings long enough to wait for.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Result;

use crate::audio::wav::WavStream;
use crate::config::{Config, Verbosity};
use crate::transcribe::{Ears, Transcriber};
use crate::transcript::{Segment, Transcript};
use crate::ui;

/// The recording at `path`, opened (its header read) before any model is loaded, so that a file
/// that is not one fails at once. It is read as it is transcribed.
pub fn read(path: &Path) -> Result<WavStream> {
    crate::audio::wav::stream(path)
}

/// Transcribe the recording read from `path` a second at a time (memory stays the same however
/// long it is), handing each phrase's segments to `on_segments` as they come. Says so on stderr
/// when no speech was detected (the transcript is then empty), and when the file ends early.
pub fn transcribe(
    config: &Config,
    engine: &mut dyn Transcriber,
    (audio, path): (&mut WavStream, &Path),
    ears: Ears,
    on_segments: &mut dyn FnMut(&[Segment]),
) -> Result<Transcript> {
    let bar = progress_bar(config, audio.header_duration_s());
    let transcript = crate::transcribe::phrased::transcribe_by_phrase(
        engine,
        &mut |piece| audio.next_chunk(piece),
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
    let transcript = transcript?;
    if audio.truncated {
        ui::warn(
            config,
            &format!(
                "{} ends early (cut off while recording?); used the audio it has",
                path.display()
            ),
        );
    }
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
