//! `rehearse rescore`: score saved transcripts again with today's bank and scorer. The earlier
//! scores stay in the record.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::load_bank;
use crate::bank::Bank;
use crate::cli::RescoreArgs;
use crate::config::Config;
use crate::score::Scorer;
use crate::session::{Record, Scoring, Store, Stored};
use crate::ui;

/// Score every answer of the record again; the replaced scores move to `earlier_scores`. A
/// question no longer in the bank is scored against the question as it was saved.
pub fn rescore_record(record: &mut Record, bank: &Bank, scorer: &Scorer) -> Result<()> {
    for answer in &mut record.answers {
        let today = bank.questions.iter().find(|q| q.id == answer.question.id);
        let saved = answer.question.to_question();
        let question = today.unwrap_or(&saved);
        let report = scorer.score_with_limit(question, &answer.transcript, answer.time_limit_s)?;
        let earlier = std::mem::replace(&mut answer.score, Scoring::now(report));
        answer.earlier_scores.push(earlier);
    }
    Ok(())
}

pub fn run(config: &Config, args: &RescoreArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let scorer = crate::app::scorer(config);
    let store = Store::new(&config.data_dir);
    let listing = crate::session::listing(config, &store)?;
    let targets: Vec<&Stored> = match &args.session {
        Some(which) => vec![store.find(&listing, which)?],
        None => listing.sessions.iter().collect(),
    };
    let mut results = Vec::new();
    let mut live = Vec::new();
    for stored in targets {
        if stored.live {
            live.push(stored.record.id.as_str());
            continue;
        }
        let before: Vec<f64> = stored
            .record
            .answers
            .iter()
            .map(|a| a.score.report.score)
            .collect();
        let record = store.update(stored, |record| rescore_record(record, &bank, &scorer))?;
        let changes: Vec<serde_json::Value> = record
            .answers
            .iter()
            .zip(&before)
            .map(|(a, before)| {
                serde_json::json!({
                    "question_id": a.question.id,
                    "before": before,
                    "after": a.score.report.score,
                })
            })
            .collect();
        if !config.json {
            let figures: Vec<String> = record
                .answers
                .iter()
                .zip(&before)
                .map(|(a, before)| format!("{before:.0}→{:.0}", a.score.report.score))
                .collect();
            crate::outln!("{}  {}", record.id, figures.join(" "))?;
        }
        results.push(serde_json::json!({"session": record.id, "answers": changes}));
    }
    if config.json {
        ui::print_json(&serde_json::json!({ "rescored": results }))?;
    } else if results.is_empty() && live.is_empty() {
        ui::note(config, "No sessions to rescore.");
    }
    if let [id] = live.as_slice()
        && args.session.is_some()
    {
        // The one session asked for was left as it was: a failure, saying why.
        bail!(
            "{id} was not rescored: a round is still running in it\n  Let it finish, then run rescore again."
        );
    }
    if results.is_empty() && !live.is_empty() {
        // Every session there is was left as it was: that is a failure too.
        bail!(
            "nothing was rescored: a round is still running in {}\n  Let it finish, then run rescore again.",
            live.join(", ")
        );
    }
    for id in live {
        // `--all` rescores what can be rescored, and says what it left.
        ui::warn(
            config,
            &format!("skipped {id}: a round is still running in it"),
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::tests::{question, timed};
    use crate::session::history::tests::{answer, record};

    #[test]
    fn rescoring_keeps_the_earlier_score_and_uses_todays_key_points() {
        let mut saved = answer("what-is-ecs", chrono::Utc::now(), 5.0, &["a", "b"]);
        saved.question = crate::session::SavedQuestion::from(&question());
        saved.transcript = timed("ECS is a fully managed container orchestration service");
        let mut record = record("s1", vec![saved]);
        let bank = Bank {
            questions: vec![question()],
            ..Bank::default()
        };
        rescore_record(&mut record, &bank, &Scorer::words_only()).unwrap();
        let answer = &record.answers[0];
        assert_eq!(answer.earlier_scores.len(), 1);
        assert_eq!(answer.earlier_scores[0].report.score, 5.0);
        assert!(
            answer.score.report.score > 50.0,
            "{}",
            answer.score.report.score
        );
        assert_eq!(
            answer.score.report.key_points.len(),
            3,
            "today's key points"
        );
    }

    #[test]
    fn a_question_gone_from_the_bank_is_scored_as_saved() {
        let mut saved = answer("what-is-ecs", chrono::Utc::now(), 5.0, &[]);
        saved.question = crate::session::SavedQuestion::from(&question());
        saved.transcript = timed("a fully managed service");
        let mut record = record("s1", vec![saved]);
        let empty = Bank::default();
        rescore_record(&mut record, &empty, &Scorer::words_only()).unwrap();
        let points = &record.answers[0].score.report.key_points;
        assert_eq!(points.len(), 3);
        assert_eq!(points[0].point, "fully managed");
    }
}
