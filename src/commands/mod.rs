//! One file per subcommand; each has a `run` that takes the resolved config and its arguments.

pub mod answer;
pub mod bank;
pub mod devices;
pub mod drill;
pub mod history;
pub mod mic;
pub mod model;
pub mod practice;
pub mod questions;
pub mod rescore;
pub mod review;
pub mod round;
pub mod score;
pub mod show;
pub mod transcribe;

use std::io::Read;

use anyhow::{Context, Result, bail};

use crate::bank::{self as bank_files, Bank};
use crate::config::{BankOrigin, Config};
use crate::ui;

/// The questions in use. Files with problems are skipped with a warning naming them.
pub fn load_bank(config: &Config) -> Result<Bank> {
    let loaded = bank_files::load(&config.banks)?;
    for skipped in &loaded.skipped {
        let origin = match skipped.origin {
            BankOrigin::Bundled => "bundled bank",
            BankOrigin::User => "your bank",
            BankOrigin::Explicit => "bank",
        };
        ui::warn(
            config,
            &format!(
                "skipped {origin} {} ({} problem{}); see `rehearse bank check {}`",
                skipped.path.display(),
                skipped.diagnostics.len(),
                if skipped.diagnostics.len() == 1 {
                    ""
                } else {
                    "s"
                },
                skipped.path.display()
            ),
        );
    }
    if loaded.bank.questions.is_empty() {
        bail!(
            "no usable questions in {}\n  Run `rehearse bank check` to see what is wrong.",
            config
                .banks
                .iter()
                .map(|b| b.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(loaded.bank)
}

/// The text of `--text T`; `-` reads standard input.
pub fn answer_text(text: &str) -> Result<String> {
    if text != "-" {
        return Ok(text.to_owned());
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read the answer from standard input")?;
    String::from_utf8(bytes)
        .context("the answer on standard input is not UTF-8 text; save it as UTF-8 and try again")
}

/// A report to the file named by `--output F` (atomically, without colour codes), or to
/// standard output.
pub fn write_or_print(config: &Config, output: Option<&std::path::Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => {
            // A file gets no colour codes, whatever the terminal.
            let plain = anstream::adapter::strip_str(text).to_string();
            crate::fsutil::write_atomic(path, plain.as_bytes())?;
            ui::note(config, &format!("Wrote {}", path.display()));
        }
        None => anstream::print!("{text}"),
    }
    Ok(())
}

/// Questions of a category, or a usage error listing the categories there are.
pub fn in_category<'a>(
    bank: &'a Bank,
    category: Option<&str>,
) -> Result<Vec<&'a crate::bank::Question>> {
    let Some(category) = category else {
        return Ok(bank.questions.iter().collect());
    };
    let chosen: Vec<_> = bank
        .questions
        .iter()
        .filter(|q| q.category.eq_ignore_ascii_case(category))
        .collect();
    if chosen.is_empty() {
        return Err(crate::error::UsageError::new(format!(
            "no questions in category `{category}`; the categories are: {}",
            bank.categories().join(", ")
        ))
        .into());
    }
    Ok(chosen)
}

/// Load the whisper model in use, checked first; Ctrl-C stops a transcription through it.
pub fn load_whisper(config: &Config) -> Result<crate::transcribe::whisper::Whisper> {
    let choice = crate::models::ready(config)?;
    let options = crate::transcribe::whisper::EngineOptions {
        threads: config.threads,
        flash_attention: config.flash_attention,
        language: "en",
    };
    crate::transcribe::whisper::Whisper::load(
        &choice.path,
        &choice.name,
        options,
        crate::interrupt::flag(),
    )
}

/// Read a recording and transcribe it phrase by phrase with the question's key terms as the
/// prompt, handing each phrase's segments to `on_segments` as they come. Says so on stderr when
/// no speech was detected (the transcript is then empty).
pub fn transcribe_wav(
    config: &Config,
    path: &std::path::Path,
    question: Option<&crate::bank::Question>,
    on_segments: &mut dyn FnMut(&[crate::transcript::Segment]),
) -> Result<crate::transcript::Transcript> {
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
    let mut engine = load_whisper(config)?;
    let duration = recording.audio.duration_s();
    let bar = progress_bar(config, duration);
    let prompt = crate::transcribe::prompt::build(question, config.prompt_style);
    let transcript = crate::transcribe::phrased::transcribe_by_phrase(
        &mut engine,
        &recording.audio,
        prompt,
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
    transcript.pitch = crate::audio::pitch::track(&recording.audio);
    if transcript.text.is_empty() {
        ui::warn(config, &format!("no speech detected in {}", path.display()));
    }
    Ok(transcript)
}

/// A progress bar on stderr for recordings long enough to wait for, when stderr is a terminal.
fn progress_bar(config: &Config, duration_s: f64) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if duration_s < 30.0
        || config.verbosity == crate::config::Verbosity::Quiet
        || !std::io::stderr().is_terminal()
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
