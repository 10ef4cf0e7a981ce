//! `rehearse round`: a timed mock interview. Also the loop that `drill` runs, and the session
//! saving that `practice` shares.
//!
//! The session is created (and the data dir checked) before the first question, and each answer
//! is saved as soon as it is scored, so Ctrl-C, a crash or a kill keeps every answer given.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Utc};

use super::answer::{Console, Given, Source, Think};
use super::{in_category, load_bank};
use crate::bank::{Bank, Question};
use crate::cli::{RoundAnswers, RoundArgs, RoundPace};
use crate::config::{Config, Verbosity};
use crate::error::{Interrupted, UsageError};
use crate::report::{summary, terminal};
use crate::score::{ScoreReport, Scorer};
use crate::session::{
    Answer, Kind, RecordStatus, SavedQuestion, Scoring, Session, Settings, Store,
};
use crate::ui::speak::Voice;
use crate::{interrupt, ui};

pub fn run(config: &Config, args: &RoundArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let pool = in_category(&bank, args.category.as_deref())?;
    let count = args.count as usize;
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    let questions = pick(&pool, count, seed);
    if questions.len() < count {
        ui::note(
            config,
            &format!(
                "Only {} questions to choose from: the round has {}.",
                pool.len(),
                questions.len()
            ),
        );
    }
    let settings = Settings {
        count: Some(questions.len()),
        category: args.category.clone(),
        prep_s: args.pace.prep,
        time_limit_s: args.pace.time_limit,
        seed: Some(seed),
        speak: args.pace.speak,
    };
    run_round(config, &bank, Kind::Round, &questions, settings, &args.pace)
}

/// `count` different questions of the pool in an order fixed by the seed.
pub fn pick<'a>(pool: &[&'a Question], count: usize, seed: u64) -> Vec<&'a Question> {
    let mut shuffled = pool.to_vec();
    fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
    shuffled.truncate(count);
    shuffled
}

/// The answers' source, checked before the round starts.
fn source(answers: &RoundAnswers, count: usize) -> Result<Source> {
    if answers.wav.is_empty() {
        // Typed for now; `run_round` turns it into the microphone when one can be opened.
        return Ok(Source::Typed);
    }
    if answers.wav.len() != count {
        return Err(UsageError::new(format!(
            "the round has {count} question{} but {} --wav file{} were given: give one per question",
            if count == 1 { "" } else { "s" },
            answers.wav.len(),
            if answers.wav.len() == 1 { "" } else { "s" },
        ))
        .into());
    }
    if let Some(missing) = answers.wav.iter().find(|path| !path.is_file()) {
        anyhow::bail!(
            "the recording {} does not exist\n  Check the --wav paths.",
            missing.display()
        );
    }
    Ok(Source::Wav(answers.wav.clone()))
}

/// A new session in the data dir, unless `--no-save`. Fails before any question is asked when
/// the data dir is not writable.
pub fn start_session(
    config: &Config,
    kind: Kind,
    no_save: bool,
    settings: Settings,
) -> Result<Option<Session>> {
    if no_save {
        return Ok(None);
    }
    let bank = config
        .banks
        .iter()
        .map(|b| b.path.display().to_string())
        .collect();
    let mut session = Store::new(&config.data_dir).create(kind, bank)?;
    session.record.settings = settings;
    session.save()?;
    Ok(Some(session))
}

/// An answer as the session keeps it.
pub fn answer_record(
    question: &Question,
    started_at: DateTime<Utc>,
    time_limit_s: u32,
    given: &Given,
    report: ScoreReport,
) -> Answer {
    Answer {
        question: SavedQuestion::from(question),
        started_at,
        time_used_s: given.time_used_s,
        time_limit_s,
        source: given.source,
        transcript: given.transcript.clone(),
        recording: None,
        interrupted: given.interrupted,
        score: Scoring::now(report),
        earlier_scores: Vec::new(),
    }
}

/// Keep one answer and close the session (for `practice`).
pub fn save_single(
    config: &Config,
    session: Option<Session>,
    answer: Answer,
    recording: Option<&Path>,
) -> Result<()> {
    let Some(mut session) = session else {
        return Ok(());
    };
    if recording.is_some() {
        session.record.model = Some(config.model.clone());
    }
    session.push(answer, recording)?;
    session.finish(RecordStatus::Complete)?;
    ui::note(
        config,
        &format!("Saved as {}; see `rehearse review`.", session.id()),
    );
    Ok(())
}

/// Text for the user: stdout, or stderr when stdout carries JSON.
pub fn show(config: &Config, text: &str) {
    if !config.json {
        anstream::print!("{text}");
    } else if config.verbosity > Verbosity::Quiet {
        anstream::eprint!("{text}");
    }
}

/// Ask the questions in order, take and score each answer, save it, and sum up.
pub fn run_round(
    config: &Config,
    bank: &Bank,
    kind: Kind,
    questions: &[&Question],
    settings: Settings,
    pace: &RoundPace,
) -> Result<ExitCode> {
    let source = match source(&pace.answers, questions.len())? {
        Source::Typed => Source::spoken_or_typed(config, pace.answers.typed, &pace.mic),
        other => other,
    };
    let mut session = start_session(config, kind, pace.no_save, settings)?;
    interrupt::install()?;
    let scorer = Scorer::new(bank).with_norms(config.norms);
    let mut console = Console::start(config.verbosity > Verbosity::Quiet);
    let mut voice = pace.speak.then(Voice::default);
    let width = ui::width();
    let mut answers: Vec<Answer> = Vec::new();
    let mut interrupted = false;

    for (index, question) in questions.iter().enumerate() {
        let limit_s = pace.time_limit.unwrap_or(question.time_limit_s);
        show(
            config,
            &format!(
                "\n{}Question {} of {}{}\n{}",
                ui::ACCENT,
                index + 1,
                questions.len(),
                ui::ACCENT.render_reset(),
                terminal::question(question, limit_s, false, width)
            ),
        );
        if let Some(notice) = voice.as_mut().and_then(|v| v.say(&question.question)) {
            ui::note(config, &notice);
        }
        if source.is_typed() && console.think(pace.prep)? == Think::Interrupted {
            interrupted = true;
            break;
        }
        let started_at = Utc::now();
        let given = source.answer(config, &mut console, index, question, limit_s)?;
        if given.interrupted && given.transcript.text.trim().is_empty() {
            interrupted = true;
            break;
        }
        let report = scorer.score_with_limit(question, &given.transcript, limit_s);
        show(config, &result_line(&report, given.time_used_s, limit_s));
        let answer = answer_record(question, started_at, limit_s, &given, report);
        if let Some(session) = &mut session {
            if given.recording.is_some() {
                session.record.model = Some(config.model.clone());
            }
            session.push(answer.clone(), given.recording.as_deref())?;
        }
        answers.push(answer);
        if given.interrupted {
            interrupted = true;
            break;
        }
    }

    let status = if interrupted {
        RecordStatus::Interrupted
    } else {
        RecordStatus::Complete
    };
    if let Some(session) = &mut session {
        session.finish(status)?;
    }
    if config.json {
        ui::print_json(&serde_json::json!({
            "session": session.as_ref().map(Session::id),
            "status": status,
            "answers": answers.iter().map(|a| &a.score.report).collect::<Vec<_>>(),
        }))?;
    } else if !answers.is_empty() {
        anstream::print!("\n{}", summary::round(&answers, width));
    }
    match &session {
        Some(session) if !answers.is_empty() => ui::note(
            config,
            &format!(
                "Saved as {}.\nSee every answer with `rehearse review {}`.",
                session.id(),
                session.id()
            ),
        ),
        _ => {}
    }
    if interrupted {
        return Err(Interrupted.into());
    }
    Ok(ExitCode::SUCCESS)
}

/// `Score 72/100 · 1:05 of 1:30 · missed: a, b` after each answer.
fn result_line(report: &ScoreReport, used_s: f64, limit_s: u32) -> String {
    let missed = report.missed_points();
    let mut line = format!(
        "{}Score {:.0}/100{} · {} of {}",
        ui::HEADING,
        report.score,
        ui::HEADING.render_reset(),
        terminal::clock(used_s),
        terminal::clock(f64::from(limit_s))
    );
    if !missed.is_empty() {
        line.push_str(&format!(" · missed: {}", missed.join(", ")));
    }
    let options = textwrap::Options::new(ui::width()).subsequent_indent("  ");
    textwrap::wrap(&line, options)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str) -> Question {
        Question {
            id: id.into(),
            deck: "d".into(),
            category: "c".into(),
            question: "q".into(),
            answer: "a".into(),
            key_points: vec![],
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }

    #[test]
    fn the_same_seed_picks_the_same_questions_without_repeats() {
        let bank: Vec<Question> = (0..10).map(|i| question(&format!("q{i}"))).collect();
        let pool: Vec<&Question> = bank.iter().collect();
        let ids =
            |seed| -> Vec<String> { pick(&pool, 5, seed).iter().map(|q| q.id.clone()).collect() };
        assert_eq!(ids(7), ids(7));
        assert_ne!(ids(7), ids(8));
        let mut unique = ids(7);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5);
        assert_eq!(pick(&pool, 50, 1).len(), 10, "never more than the pool");
    }
}
