//! `rehearse transcribe FILE`: a WAV file to text with segments and word timings.

use std::process::ExitCode;

use anyhow::Result;

use super::load_bank;
use crate::cli::TranscribeArgs;
use crate::config::Config;
use crate::style::{DIM, clock};

pub fn run(config: &Config, args: &TranscribeArgs) -> Result<ExitCode> {
    // With no question, whisper listens for the terms of the whole bank.
    let bank = load_bank(config)?;
    let question = match &args.question {
        Some(id) => Some(bank.find(id)?),
        None => None,
    };
    let mut audio = crate::answer::recording_file::read(&args.file)?;
    // Ctrl-C stops the transcription.
    let mut engine = crate::app::transcribers(config)?
        .prepare()?
        .load(crate::interrupt::flag())?;
    // Text is printed phrase by phrase as it is heard; JSON is one document at the end.
    let json = config.json;
    // The first failure to print: reported once whisper has finished the file.
    let mut printed = Ok(());
    let transcript = crate::answer::recording_file::transcribe(
        config,
        engine.as_mut(),
        (&mut audio, &args.file),
        crate::transcribe::Ears::new(config, &bank, question),
        &mut |segments| {
            if !json && printed.is_ok() {
                printed = segments.iter().try_for_each(|segment| {
                    crate::outln!("{DIM}[{}]{DIM:#} {}", clock(segment.start_s), segment.text)
                });
            }
        },
    )?;
    printed?;
    if json {
        crate::ui::print_json(&transcript)?;
    } else {
        // The lines above are whisper's own; say what the glossary corrected in them.
        for correction in transcript.corrections() {
            crate::outln!(
                "{DIM}[{}] heard '{}', read as '{}'{DIM:#}",
                clock(correction.at_s),
                correction.heard,
                correction.read_as
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
