//! `rehearse practice`: one question, one answer, a score and feedback.

use std::process::ExitCode;

use anyhow::Result;

use super::{in_category, load_bank};
use crate::answer::{Answers, Mode, Request};
use crate::cli::PracticeArgs;
use crate::coach::{self, Practice};
use crate::config::Config;
use crate::frontend::CommandLine;

pub fn run(config: &Config, args: &PracticeArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = match &args.id {
        Some(id) => bank.find(id)?,
        None => {
            let pool = in_category(&bank, args.category.as_deref())?;
            pool[fastrand::usize(..pool.len())]
        }
    };
    let answers = Answers::new(
        config,
        Mode::Practice,
        Request::practice(&args.source, &args.mic, args.follow_up)?,
        crate::app::transcribers(config)?,
    )?
    .listen_for(&bank);
    let practice = Practice {
        question,
        time_limit_s: args.time_limit,
        speak: args.speak,
        follow_up: args.follow_up,
        no_save: args.no_save,
    };
    let scorer = crate::app::scorer(config);
    coach::practice(
        config,
        &scorer,
        &mut CommandLine::new(config, answers, &bank.glossary),
        &practice,
    )?;
    Ok(ExitCode::SUCCESS)
}
