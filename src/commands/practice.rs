//! `rehearse practice`: one question, one answer, a score and feedback.

use std::process::ExitCode;

use anyhow::Result;

use super::{in_category, load_bank};
use crate::answer::{Interview, Mode, Request, interview};
use crate::cli::PracticeArgs;
use crate::config::Config;
use crate::session::Settings;

pub fn run(config: &Config, args: &PracticeArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = match &args.id {
        Some(id) => bank.find(id)?,
        None => {
            let pool = in_category(&bank, args.category.as_deref())?;
            pool[fastrand::usize(..pool.len())]
        }
    };
    let interview = Interview::new(
        config,
        Mode::Practice,
        Request::practice(&args.source, &args.mic, args.follow_up)?,
        args.speak,
        args.no_save,
        crate::models::transcribers(config)?,
    )?
    .listen_for(&bank);
    let settings = Settings {
        time_limit_s: args.time_limit,
        speak: args.speak,
        follow_up: args.follow_up,
        ..Settings::default()
    };
    interview::practice(
        interview,
        &crate::models::scorer(config),
        question,
        settings,
    )
}
