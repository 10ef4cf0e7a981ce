//! `rehearse round`: a timed mock interview of questions picked at random (the same ones for the
//! same seed).

use std::process::ExitCode;

use anyhow::Result;

use super::{in_category, load_bank, of_kinds};
use crate::answer::{Answers, Mode, Request};
use crate::bank::{Bank, Question};
use crate::cli::{QuestionKinds, RoundArgs, RoundPace};
use crate::coach::{self, Pace, Round};
use crate::config::Config;
use crate::frontend::CommandLine;
use crate::session::{Kind, Settings};
use crate::ui;

pub fn run(config: &Config, args: &RoundArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let category = args.category.as_deref();
    let pool = of_kinds(in_category(&bank, category)?, args.kind, category)?;
    let count = args.count as usize;
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    let questions = if args.kind == Some(QuestionKinds::Mixed) {
        pick_mixed(&pool, count, seed)
    } else {
        pick(&pool, count, seed)
    };
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
    coached(config, Kind::Round, &bank, &questions, &args.pace, picked)
}

/// A round (or drill) of `questions` of `bank` at the pace the command line asks for, on the
/// terminal; the bank's glossary says how its terms sound, heard and said. `picked` says how
/// the questions were picked.
pub fn coached(
    config: &Config,
    kind: Kind,
    bank: &Bank,
    questions: &[&Question],
    pace: &RoundPace,
    picked: Settings,
) -> Result<ExitCode> {
    let answers = Answers::new(
        config,
        Mode::Round,
        Request::round(&pace.answers, &pace.mic, questions.len(), pace.follow_up)?,
        crate::app::transcribers(config)?,
    )?
    .listen_for(&Bank {
        questions: questions.iter().map(|q| (*q).clone()).collect(),
        glossary: bank.glossary.clone(),
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
        &mut CommandLine::new(config, answers, &bank.glossary),
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

/// `count` questions taking turns between behavioural and technical ones, as a real interview
/// loop does; when one kind runs out the other goes on.
pub fn pick_mixed<'a>(pool: &[&'a Question], count: usize, seed: u64) -> Vec<&'a Question> {
    let (stories, technical): (Vec<&Question>, Vec<&Question>) = pool
        .iter()
        .partition(|q| q.kind == crate::bank::Kind::Behavioral);
    let mut stories = pick(&stories, count, seed).into_iter();
    let mut technical = pick(&technical, count, seed).into_iter();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let (first, second) = if out.len() % 2 == 0 {
            (&mut stories, &mut technical)
        } else {
            (&mut technical, &mut stories)
        };
        match first.next().or_else(|| second.next()) {
            Some(question) => out.push(question),
            None => break,
        }
    }
    out
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
            kind: crate::bank::Kind::Technical,
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

    #[test]
    fn a_mixed_round_takes_turns_until_one_kind_runs_out() {
        let mut bank: Vec<Question> = (0..6).map(|i| question(&format!("t{i}"))).collect();
        bank.extend((0..2).map(|i| Question {
            kind: crate::bank::Kind::Behavioral,
            ..question(&format!("b{i}"))
        }));
        let pool: Vec<&Question> = bank.iter().collect();
        let kinds: String = pick_mixed(&pool, 5, 3).iter().map(|q| &q.id[..1]).collect();
        assert_eq!(kinds, "btbtt");
        assert_eq!(pick_mixed(&pool, 20, 3).len(), 8);
    }
}
