//! `rehearse score ID`: score one answer (text or a transcript file) without a session.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{answer_text, load_bank, transcribe_wav};
use crate::cli::ScoreArgs;
use crate::config::Config;
use crate::report::terminal;
use crate::score::Scorer;
use crate::transcript::Transcript;

pub fn run(config: &Config, args: &ScoreArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = bank.find(&args.id)?;
    let input = &args.input;
    let transcript = if let Some(text) = &input.text {
        Transcript::typed(answer_text(text)?)
    } else if let Some(path) = &input.transcript {
        read_transcript(path)?
    } else if let Some(wav) = &input.wav {
        transcribe_wav(config, wav, Some(question), &mut |_| {})?
    } else {
        anyhow::bail!("give the answer with --text T, --transcript F or --wav F");
    };
    let report = Scorer::new(&bank)
        .with_norms(config.norms)
        .score(question, &transcript);
    if config.json {
        crate::ui::print_json(&report)?;
    } else {
        anstream::print!("{}", terminal::score(&report, crate::ui::width()));
    }
    Ok(ExitCode::SUCCESS)
}

/// A transcript file: the JSON of `rehearse transcribe --json` (timings kept), or plain text.
pub fn read_transcript(path: &Path) -> Result<Transcript> {
    let text = crate::bank::read_text(path)
        .context("the transcript must be UTF-8 text or the JSON of `rehearse transcribe --json`")?;
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(&text).with_context(|| {
            format!(
                "{} looks like JSON but is not a transcript from `rehearse transcribe --json`",
                path.display()
            )
        });
    }
    Ok(Transcript::typed(text))
}
