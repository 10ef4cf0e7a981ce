//! `rehearse questions`: list the bank.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use super::{in_category, load_bank};
use crate::cli::QuestionsArgs;
use crate::config::Config;
use crate::style::{DIM, HEADING};

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    category: &'a str,
    question: &'a str,
}

pub fn run(config: &Config, args: &QuestionsArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let questions = in_category(&bank, args.category.as_deref())?;
    if config.json {
        let listed: Vec<Listed<'_>> = questions
            .iter()
            .map(|q| Listed {
                id: &q.id,
                category: &q.category,
                question: &q.question,
            })
            .collect();
        crate::ui::print_json(&listed)?;
        return Ok(ExitCode::SUCCESS);
    }
    let id_width = questions.iter().map(|q| q.id.len()).max().unwrap_or(0);
    let mut category = "";
    for q in &questions {
        if q.category != category {
            category = &q.category;
            crate::outln!("{HEADING}{category}{HEADING:#}")?;
        }
        crate::outln!("  {DIM}{:id_width$}{DIM:#}  {}", q.id, q.question)?;
    }
    Ok(ExitCode::SUCCESS)
}
