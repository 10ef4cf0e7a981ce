//! `rehearse drill`: a round of the questions that are due or weakest, by a spaced-repetition
//! schedule replayed from the practice history.

use std::process::ExitCode;

use anyhow::Result;
use chrono::Utc;

use super::load_bank;
use crate::bank::Question;
use crate::cli::DrillArgs;
use crate::config::Config;
use crate::session::history::attempts;
use crate::session::schedule::plan;
use crate::session::{Kind, Settings, Store};
use crate::ui;

pub fn run(config: &Config, args: &DrillArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let store = Store::new(&config.data_dir);
    let listing = crate::session::listing(config, &store)?;
    let records: Vec<_> = listing.sessions.iter().map(|s| &s.record).collect();
    let history = attempts(&records);
    let asked = super::of_kinds(bank.questions.iter().collect(), args.kind, None)?;
    let ids: Vec<&str> = asked.iter().map(|q| q.id.as_str()).collect();
    let plan = plan(&ids, &history, Utc::now(), args.count as usize);
    let questions: Vec<&Question> = plan
        .picks
        .iter()
        .filter_map(|p| bank.questions.iter().find(|q| q.id == p.question_id))
        .collect();
    ui::show(
        config,
        &format!(
            "{} question{} due for review, {} never practised. Drilling {}.\n",
            plan.due,
            if plan.due == 1 { " is" } else { "s are" },
            plan.new,
            questions.len()
        ),
    )?;
    super::round::coached(
        config,
        Kind::Drill,
        &bank,
        &questions,
        &args.pace,
        Settings::default(),
    )
}
