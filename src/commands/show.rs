//! `rehearse show ID`: one question, and with `--answer` its reference and key points.

use std::process::ExitCode;

use anyhow::Result;

use super::load_bank;
use crate::cli::ShowArgs;
use crate::config::Config;
use crate::report::ansi_text;

pub fn run(config: &Config, args: &ShowArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = bank.find(&args.id)?;
    if config.json {
        if args.answer {
            crate::ui::print_json(question)?;
        } else {
            crate::ui::print_json(&serde_json::json!({
                "id": question.id,
                "deck": question.deck,
                "category": question.category,
                "question": question.question,
                "time_limit_s": question.time_limit_s,
            }))?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    crate::out!(
        "{}",
        ansi_text::question(
            question,
            question.time_limit_s,
            args.answer,
            crate::ui::width(),
        )
    )?;
    Ok(ExitCode::SUCCESS)
}
