//! `rehearse practice`: one question, one answer, a score and feedback.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{answer_text, in_category, load_bank};
use crate::cli::PracticeArgs;
use crate::config::Config;
use crate::report::terminal;
use crate::score::Scorer;
use crate::transcript::Transcript;
use crate::ui;

pub fn run(config: &Config, args: &PracticeArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = match &args.id {
        Some(id) => bank.find(id)?,
        None => {
            let pool = in_category(&bank, args.category.as_deref())?;
            pool[fastrand::usize(..pool.len())]
        }
    };
    let time_limit_s = args.time_limit.unwrap_or(question.time_limit_s);
    let width = ui::width();

    // With --json, stdout carries only the JSON document; the question goes to stderr.
    let shown = terminal::question(question, false, width);
    if config.json {
        if config.verbosity > crate::config::Verbosity::Quiet {
            anstream::eprint!("{shown}");
        }
    } else {
        anstream::print!("{shown}");
    }

    let text = match &args.source.text {
        Some(text) => answer_text(text)?,
        None => {
            if !args.source.typed {
                ui::note(
                    config,
                    "No microphone capture in this build: type your answer instead.",
                );
            }
            read_typed_answer(time_limit_s)?
        }
    };
    let report =
        Scorer::new(&bank).score_with_limit(question, &Transcript::typed(text), time_limit_s);
    if config.json {
        ui::print_json(&serde_json::json!({ "answers": [report] }))?;
    } else {
        anstream::println!();
        anstream::print!("{}", terminal::score(&report, width));
    }
    Ok(ExitCode::SUCCESS)
}

/// Lines typed at the prompt, up to an empty line or the end of input.
fn read_typed_answer(time_limit_s: u32) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        anstream::eprintln!(
            "\nType your answer (aim for under {} s of speaking); finish with an empty line:",
            time_limit_s
        );
        std::io::stderr().flush().ok();
    }
    let mut answer = String::new();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read the typed answer: it must be UTF-8 text")?;
        if line.trim().is_empty() && !answer.is_empty() {
            break;
        }
        answer.push_str(&line);
        answer.push('\n');
    }
    Ok(answer)
}
