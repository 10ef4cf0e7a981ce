//! `rehearse history`: past sessions, per-question trends, the points missed most; and
//! `history delete`.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::cli::{DeleteArgs, HistoryArgs, HistoryCommand, HistoryFormat};
use crate::config::Config;
use crate::error::UsageError;
use crate::report::{progress, summary};
use crate::session::history::{self, summarize};
use crate::session::store::Listing;
use crate::session::{Store, Stored, listing};
use crate::ui;

pub fn run(config: &Config, args: &HistoryArgs) -> Result<ExitCode> {
    if let Some(HistoryCommand::Delete(delete_args)) = &args.action {
        return delete(config, delete_args);
    }
    let store = Store::new(&config.data_dir);
    let listing = listing(config, &store)?;
    let question = match &args.question {
        Some(id) => Some(question_id(&listing, id)?),
        None => None,
    };
    let shown: Vec<_> = listing
        .sessions
        .iter()
        .map(|s| (&s.record, s.status()))
        .collect();
    let format = args.format.unwrap_or(if config.json {
        HistoryFormat::Json
    } else {
        HistoryFormat::Text
    });
    let text = match format {
        HistoryFormat::Json => {
            let mut value = serde_json::to_value(summarize(&shown, question.as_deref()))?;
            value["skipped"] = listing
                .problems
                .iter()
                .map(|p| serde_json::json!({"path": p.path, "reason": p.reason}))
                .collect();
            let mut text = serde_json::to_string_pretty(&value)?;
            text.push('\n');
            text
        }
        HistoryFormat::Text => {
            summary::history(&summarize(&shown, question.as_deref()), ui::width())
        }
        HistoryFormat::Html => progress::page(
            &history::progress(&shown, question.as_deref()),
            &config.norms,
        ),
    };
    super::write_or_print(config, args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// A question id as practised: exact, or a unique prefix of the ids in the history.
fn question_id(listing: &Listing, id: &str) -> Result<String> {
    let mut ids: Vec<&str> = listing
        .sessions
        .iter()
        .flat_map(|s| s.record.answers.iter().map(|a| a.question.id.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.contains(&id) {
        return Ok(id.to_owned());
    }
    let prefixed: Vec<&str> = ids.iter().copied().filter(|q| q.starts_with(id)).collect();
    match prefixed.as_slice() {
        [one] => Ok((*one).to_owned()),
        [] => Err(UsageError::new(format!(
            "no attempts at a question `{id}` in the history\n  `rehearse history` lists the questions practised."
        ))
        .into()),
        many => Err(UsageError::new(format!(
            "`{id}` matches {} questions: {}",
            many.len(),
            many.join(", ")
        ))
        .into()),
    }
}

fn delete(config: &Config, args: &DeleteArgs) -> Result<ExitCode> {
    let store = Store::new(&config.data_dir);
    let listing = listing(config, &store)?;
    let targets: Vec<&Stored> = match &args.target.session {
        Some(which) => vec![store.find(&listing, which)?],
        None => listing.sessions.iter().collect(),
    };
    if targets.is_empty() {
        ui::note(config, "No sessions to delete.");
        return Ok(ExitCode::SUCCESS);
    }
    let what = match targets.as_slice() {
        [one] => format!("session {}", one.record.id),
        many => format!("all {} sessions", many.len()),
    };
    if !args.yes && !confirm(&format!("Delete {what} and its recordings? [y/N] "))? {
        ui::note(config, "Nothing deleted.");
        return Ok(ExitCode::SUCCESS);
    }
    let mut deleted = 0;
    let mut failed = Vec::new();
    for stored in &targets {
        match store.delete(stored) {
            Ok(()) => deleted += 1,
            Err(err) => failed.push(format!("{err:#}")),
        }
    }
    if deleted > 0 {
        ui::note(
            config,
            &format!(
                "Deleted {deleted} session{}.",
                if deleted == 1 { "" } else { "s" }
            ),
        );
    }
    // A session that was asked to go and stays is a failure, with each reason.
    match failed.as_slice() {
        [] => Ok(ExitCode::SUCCESS),
        [one] => bail!("{one}"),
        many => bail!(
            "{} of {} sessions could not be deleted:\n  {}",
            many.len(),
            targets.len(),
            many.join("\n  ")
        ),
    }
}

/// Ask on stderr and read the answer from standard input; only "y" or "yes" agrees.
fn confirm(question: &str) -> Result<bool> {
    anstream::eprint!("{question}");
    std::io::stderr().flush().ok();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer; add --yes to delete without asking")?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
