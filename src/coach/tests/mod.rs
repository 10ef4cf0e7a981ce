//! The coaching loop through a test front end: scripted answers, scored by words alone, kept in
//! a temporary data dir.

use std::collections::VecDeque;
use std::path::Path;

use anyhow::Result;

use super::*;
use crate::answer::Think;
use crate::bank::KeyPoint;
use crate::config::{Config, PromptStyle, Verbosity};
use crate::error::Interrupted;
use crate::score::{Norms, Status};
use crate::session::{Record, RecordStatus, SourceKind, Store};
use crate::transcript::Transcript;
use crate::ui::countdown::warnings_crossed;

mod spoken;

/// A front end that gives scripted answers and writes down what it was told.
#[derive(Debug, Default)]
struct Driver {
    answers: VecDeque<Given>,
    /// Every event, in order, in a few words.
    events: Vec<String>,
    /// The lines told ahead, each with the event that came just before it.
    coming: Vec<(String, String)>,
}

impl Driver {
    /// Answers given in 12 s each, cut short by Ctrl-C where marked.
    fn answering(texts: &[(&str, bool)]) -> Self {
        let answers = texts
            .iter()
            .map(|&(text, interrupted)| Given {
                transcript: Transcript::typed(text),
                source: SourceKind::Typed,
                recording: None,
                time_used_s: 12.0,
                interrupted,
                timed_out: false,
            })
            .collect();
        Self {
            answers,
            ..Self::default()
        }
    }

    /// Answers that take the seconds given: one that takes its whole time runs out of it.
    fn answering_in(texts: &[(&str, f64)]) -> Self {
        let mut driver =
            Self::answering(&texts.iter().map(|&(t, _)| (t, false)).collect::<Vec<_>>());
        for (given, &(_, used_s)) in driver.answers.iter_mut().zip(texts) {
            given.time_used_s = used_s;
        }
        driver
    }
}

impl Frontend for Driver {
    fn ask(&mut self, asking: &Asking<'_>) {
        self.events.push(match asking {
            Asking::Question {
                question,
                limit_s,
                place,
            } => match place {
                Some(place) => format!(
                    "ask {} ({} of {}) in {limit_s} s",
                    question.id, place.number, place.of
                ),
                None => format!("ask {} in {limit_s} s", question.id),
            },
            Asking::FollowUp { text, limit_s } => format!("follow-up in {limit_s} s: {text}"),
        });
    }

    fn speak(&mut self, line: &Line<'_>) {
        self.events.push(format!("speak {}", line.words()));
    }

    fn coming(&mut self, line: &Line<'_>) {
        let before = self.events.last().cloned().unwrap_or_default();
        self.coming.push((line.words().into_owned(), before));
    }

    fn think(&mut self, prep_s: u32) -> Result<Think> {
        self.events.push(format!("think {prep_s} s"));
        Ok(Think::Done)
    }

    /// The next scripted answer, its clock run as a live answer's is: a warning at each moment
    /// it passes, and out of time at the limit.
    fn answer(&mut self, asked: &Asked<'_>, during: During) -> Result<Given> {
        self.events.push(format!(
            "answer {} in {} s",
            asked.question.id, asked.limit_s
        ));
        let mut given = self
            .answers
            .pop_front()
            .ok_or_else(|| anyhow::anyhow!("the script has no answer left"))?;
        let limit_s = f64::from(asked.limit_s);
        let crossed = warnings_crossed(asked.limit_s, 0.0, given.time_used_s.min(limit_s));
        for line in crossed
            .into_iter()
            .filter_map(|left| during.time_left(left))
        {
            self.events.push(format!("speak {}", line.words()));
        }
        given.timed_out = given.time_used_s >= limit_s;
        Ok(given)
    }

    fn has_answer_left(&self) -> bool {
        !self.answers.is_empty()
    }

    fn scored(&mut self, scored: &Scored<'_>) {
        let answer = scored.answer;
        self.events.push(format!(
            "scored {} {:?}: missed {:?}",
            answer.question.id,
            scored.mode,
            answer.score.report.missed_points()
        ));
    }

    fn followed_up(&mut self, follow_up: &FollowUp) {
        self.events.push(format!(
            "followed up on {}: {:?}",
            follow_up.point, follow_up.status
        ));
    }

    fn finished(&mut self, finished: &Finished<'_>) -> Result<()> {
        self.events.push(format!(
            "finished {:?} with {} answers",
            finished.status,
            finished.answers.len()
        ));
        Ok(())
    }

    fn note(&mut self, note: &str) {
        self.events.push(format!("note {note}"));
    }
}

fn config(data_dir: &Path) -> Config {
    Config {
        banks: Vec::new(),
        data_dir: data_dir.to_path_buf(),
        models_dir: data_dir.join("models"),
        models_dir_explicit: false,
        model: "tiny.en".into(),
        voice: crate::voice::SYSTEM.into(),
        threads: 1,
        flash_attention: false,
        beam_size: 5,
        prompt_style: PromptStyle::default(),
        bias: true,
        correct: true,
        json: false,
        verbosity: Verbosity::Quiet,
        device: None,
        wav_speed: None,
        norms: Norms::default(),
        scripted_transcripts: None,
    }
}

/// A question on caches whose two key points are one word each.
fn question(id: &str) -> Question {
    let point = |point: &str| KeyPoint {
        point: point.into(),
        aliases: Vec::new(),
        follow_up: None,
    };
    Question {
        id: id.into(),
        deck: "caching".into(),
        category: "caching".into(),
        question: "How does a cache keep its entries fresh?".into(),
        kind: crate::bank::Kind::Technical,
        answer: "Entries expire after a time to live. A write invalidates the cached copy.".into(),
        key_points: vec![point("expire"), point("invalidate")],
        time_limit_s: 90,
        source: "test.toml".into(),
    }
}

/// The one session kept in `data_dir`.
fn kept(data_dir: &Path) -> Result<Record> {
    let mut listing = Store::new(data_dir).list()?;
    assert_eq!(listing.sessions.len(), 1, "one session is kept");
    Ok(listing.sessions.remove(0).record)
}

/// A round of three questions ("one", "two", "three") answered from `answers`: its data dir,
/// the driver, and how the round ended.
fn round_of_three(
    kind: Kind,
    pace: Pace,
    picked: Settings,
    answers: &[(&str, bool)],
) -> Result<(tempfile::TempDir, Driver, Result<()>)> {
    let dir = tempfile::tempdir()?;
    let config = config(dir.path());
    let bank = [question("one"), question("two"), question("three")];
    let questions: Vec<&Question> = bank.iter().collect();
    let mut driver = Driver::answering(answers);
    let request = Round {
        kind,
        questions: &questions,
        pace,
        picked,
    };
    let ended = round(&config, &Scorer::words_only(), &mut driver, &request);
    Ok((dir, driver, ended))
}

#[test]
fn a_practice_answer_that_misses_a_point_is_followed_up_and_both_are_kept() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = config(dir.path());
    let question = question("cache");
    let mut driver = Driver::answering(&[
        ("Entries expire after a while, so they stay fresh.", false),
        ("Every write will invalidate the cached copy.", false),
    ]);
    let request = Practice {
        question: &question,
        time_limit_s: None,
        speak: true,
        follow_up: true,
        no_save: false,
    };
    practice(&config, &Scorer::words_only(), &mut driver, &request)?;

    let record = kept(dir.path())?;
    assert_eq!(record.status, RecordStatus::Complete);
    assert!(record.settings.follow_up && record.settings.speak);
    let [answer] = record.answers.as_slice() else {
        panic!("one answer is kept: {:?}", record.answers);
    };
    assert_eq!(answer.time_limit_s, 90, "the question's own time");
    let follow_up = answer.follow_up.as_ref().expect("the follow-up is kept");
    assert_eq!(follow_up.point, "invalidate");
    assert_eq!(follow_up.status, Status::Hit);

    let events = &driver.events;
    assert_eq!(events[0], "ask cache in 90 s");
    assert_eq!(events[1], format!("speak {}", question.question));
    assert_eq!(events[2], "answer cache in 90 s");
    assert_eq!(events[3], "scored cache Practice: missed [\"invalidate\"]");
    assert!(
        events[4].starts_with("follow-up in 45 s: What about invalidate?"),
        "{events:#?}"
    );
    assert!(events[5].starts_with("speak What about invalidate?"));
    assert_eq!(events[6], "answer cache in 45 s");
    assert_eq!(events[7], "followed up on invalidate: Hit");
    assert_eq!(events[8], "finished Complete with 1 answers");
    assert_eq!(
        events[9],
        format!("note Saved as {}; see `rehearse review`.", record.id)
    );
    assert_eq!(events.len(), 10, "{events:#?}");
    Ok(())
}

#[test]
fn a_round_of_three_asks_each_in_turn_with_its_time_limit_and_keeps_every_answer() -> Result<()> {
    let pace = Pace {
        prep_s: 5,
        time_limit_s: Some(30),
        ..Pace::default()
    };
    let picked = Settings {
        seed: Some(7),
        ..Settings::default()
    };
    let (dir, driver, ended) = round_of_three(
        Kind::Round,
        pace,
        picked,
        &[
            ("They expire, and a write will invalidate them.", false),
            ("They expire.", false),
            ("Nothing comes to mind.", false),
        ],
    )?;
    ended?;

    let record = kept(dir.path())?;
    assert_eq!(record.kind, Kind::Round);
    assert_eq!(record.status, RecordStatus::Complete);
    assert_eq!(record.settings.count, Some(3));
    assert_eq!(record.settings.time_limit_s, Some(30));
    assert_eq!(record.settings.prep_s, 5);
    assert_eq!(
        record.settings.seed,
        Some(7),
        "how they were picked is kept"
    );
    let ids: Vec<&str> = record
        .answers
        .iter()
        .map(|a| a.question.id.as_str())
        .collect();
    assert_eq!(ids, ["one", "two", "three"]);
    assert!(record.answers.iter().all(|a| a.time_limit_s == 30));
    assert!(record.answers.iter().all(|a| a.follow_up.is_none()));

    let asked: Vec<&str> = driver
        .events
        .iter()
        .filter(|e| e.starts_with("ask ") || e.starts_with("answer "))
        .map(String::as_str)
        .collect();
    assert_eq!(
        asked,
        [
            "ask one (1 of 3) in 30 s",
            "answer one in 30 s",
            "ask two (2 of 3) in 30 s",
            "answer two in 30 s",
            "ask three (3 of 3) in 30 s",
            "answer three in 30 s",
        ]
    );
    assert_eq!(
        driver.events.iter().filter(|e| *e == "think 5 s").count(),
        3
    );
    assert!(
        !driver.events.iter().any(|e| e.starts_with("speak")),
        "nothing is read aloud unless asked"
    );
    let last = &driver.events[driver.events.len() - 2..];
    assert_eq!(last[0], "finished Complete with 3 answers");
    assert!(last[1].starts_with(&format!("note Saved as {}.", record.id)));
    Ok(())
}

#[test]
fn an_answer_cut_short_is_scored_and_kept_and_ends_the_round() -> Result<()> {
    let pace = Pace {
        follow_up: true,
        ..Pace::default()
    };
    let (dir, driver, ended) = round_of_three(
        Kind::Drill,
        pace,
        Settings::default(),
        &[
            ("They expire, and a write will invalidate them.", false),
            ("Entries expire after", true),
            ("never asked for", false),
        ],
    )?;
    assert!(
        ended.as_ref().is_err_and(|err| err.is::<Interrupted>()),
        "{ended:?}"
    );

    let record = kept(dir.path())?;
    assert_eq!(record.status, RecordStatus::Interrupted);
    let [first, cut] = record.answers.as_slice() else {
        panic!("two answers are kept: {:?}", record.answers);
    };
    assert!(!first.interrupted);
    assert!(cut.interrupted);
    assert_eq!(cut.transcript.text, "Entries expire after");
    assert!(
        cut.follow_up.is_none(),
        "no follow-up after an answer cut short"
    );
    assert!(
        !driver.events.iter().any(|e| e.starts_with("ask three")),
        "the round ends: {:#?}",
        driver.events
    );
    assert!(
        driver
            .events
            .contains(&"finished Interrupted with 2 answers".to_owned())
    );
    assert_eq!(driver.answers.len(), 1, "the last answer is never taken");
    Ok(())
}

#[test]
fn a_practice_answer_that_runs_out_of_time_hears_so_before_its_score() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let config = config(dir.path());
    let question = question("cache");
    let mut driver = Driver::answering_in(&[("Entries expire.", 90.0)]);
    let request = Practice {
        question: &question,
        time_limit_s: None,
        speak: true,
        follow_up: false,
        no_save: true,
    };
    practice(&config, &Scorer::words_only(), &mut driver, &request)?;
    let at = |event: &str| driver.events.iter().position(|e| e == event);
    let (answered, up) = (at("answer cache in 90 s"), at("speak Time's up."));
    assert!(answered < up && up.is_some(), "{:#?}", driver.events);
    assert_eq!(
        driver.events[up.unwrap_or(0) - 2..up.unwrap_or(0)],
        ["speak 30 seconds left.", "speak 10 seconds left."]
    );
    assert!(driver.events[up.unwrap_or(0) + 1].starts_with("scored cache"));
    Ok(())
}
