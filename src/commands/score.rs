//! `rehearse score ID`: score one answer (text or a transcript file) without a session.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

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
    let report = Scorer::new(&bank).score(question, &transcript);
    if config.json {
        crate::ui::print_json(&report)?;
    } else {
        anstream::print!("{}", terminal::score(&report, crate::ui::width()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The largest transcript file scored: about 180,000 words, a day of talking. Scoring time grows
/// with the answer's length (seconds for 50,000 words), so a larger file is surely not an answer.
const MAX_TRANSCRIPT_BYTES: u64 = 1_000_000;

/// A transcript file: the JSON of `rehearse transcribe --json` (timings kept), or plain text.
pub fn read_transcript(path: &Path) -> Result<Transcript> {
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
        return serde_json::from_str(&text).map_err(|err| {
            anyhow::anyhow!(
                "{} looks like JSON but is not a transcript: {err}\n  Give the JSON that \
                 `rehearse transcribe --json` prints, unchanged, or the answer as plain text.",
                path.display()
            )
        });
    }
    Ok(Transcript::typed(text))
}
