//! `rehearse round`: a timed mock interview of questions picked at random (the same ones for the
//! same seed).

use std::process::ExitCode;

use anyhow::Result;

use super::{in_category, load_bank};
use crate::answer::{Answers, Mode, Request};
use crate::bank::{Bank, Question};
use crate::cli::{RoundArgs, RoundPace};
use crate::coach::{self, Pace, Round};
use crate::config::Config;
use crate::frontend::CommandLine;
use crate::session::{Kind, Settings};
use crate::ui;

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
    let picked = Settings {
        category: args.category.clone(),
        seed: Some(seed),
        ..Settings::default()
    };
    coached(config, Kind::Round, &questions, &args.pace, picked)
}

/// A round (or drill) of `questions` at the pace the command line asks for, on the terminal.
/// `picked` says how the questions were picked.
pub fn coached(
    config: &Config,
    kind: Kind,
    questions: &[&Question],
    pace: &RoundPace,
    picked: Settings,
) -> Result<ExitCode> {
    let answers = Answers::new(
        config,
        Mode::Round,
        Request::round(&pace.answers, &pace.mic, questions.len(), pace.follow_up)?,
        pace.no_save,
        crate::app::transcribers(config)?,
    )?
    .listen_for(&Bank {
        questions: questions.iter().map(|q| (*q).clone()).collect(),
        ..Bank::default()
    });
    let round = Round {
        kind,
        questions,
        pace: Pace {
            prep_s: pace.prep,
            time_limit_s: pace.time_limit,
            speak: pace.speak,
            follow_up: pace.follow_up,
            no_save: pace.no_save,
        },
        picked,
    };
    let scorer = crate::app::scorer(config);
    coach::round(
        config,
        &scorer,
        &mut CommandLine::new(config, answers),
        &round,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `count` different questions of the pool in an order fixed by the seed.
pub fn pick<'a>(pool: &[&'a Question], count: usize, seed: u64) -> Vec<&'a Question> {
    let mut shuffled = pool.to_vec();
    fastrand::Rng::with_seed(seed).shuffle(&mut shuffled);
    shuffled.truncate(count);
    shuffled
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
