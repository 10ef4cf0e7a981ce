//! `rehearse score ID`: score one answer (text, a transcript file or a recording) without a
//! session.

use std::process::ExitCode;

use anyhow::Result;

use super::load_bank;
use crate::answer::{Answers, Asked, Mode, Request};
use crate::cli::ScoreArgs;
use crate::config::Config;
use crate::report::ansi_text;

pub fn run(config: &Config, args: &ScoreArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = bank.find(&args.id)?;
    let mut answers = Answers::new(
        config,
        Mode::Practice,
        Request::score(&args.input)?,
        crate::app::transcribers(config)?,
    )?
    .listen_for(&bank);
    let given = answers.answer(
        &Asked {
            question,
            limit_s: question.time_limit_s,
            keep_in: None,
        },
        &mut |_| {},
    )?;
    let report = crate::app::scorer(config).score(question, &given.transcript)?;
    if config.json {
        crate::ui::print_json(&report)?;
    } else {
        crate::out!("{}", ansi_text::score(&report, crate::ui::width()))?;
    }
    Ok(ExitCode::SUCCESS)
}
