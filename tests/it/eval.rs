//! The scorer on answers it was not tuned for.
//!
//! - The blind set (tests/fixtures/blind-answers.toml): for each bundled question a good answer, a
//!   good one that avoids the reference's wording, a partial one, an off-topic one, the question
//!   said back, and one that says the main facts are not so. Its writer had read the seed
//!   questions but not the bank's reference answers or key points.
//! - The first set (tests/fixtures/eval-answers.toml): written together with the bank's aliases,
//!   so it is scored here with every alias removed as well.

use std::collections::BTreeMap;

use rehearse::bank::BankLocation;
use rehearse::bank::{self, Bank};
use rehearse::embed::{self, Availability, Embed};
use rehearse::score::{ScoreReport, Scorer, Status};
use rehearse::transcript::Transcript;

use crate::{TestResult, repo_path};

#[derive(serde::Deserialize)]
struct EvalFile {
    answer: Vec<EvalAnswer>,
}

#[derive(serde::Deserialize)]
pub struct EvalAnswer {
    pub id: String,
    pub good: String,
    pub partial: String,
    pub off: String,
}

#[derive(serde::Deserialize)]
struct BlindFile {
    answer: Vec<BlindAnswer>,
}

#[derive(serde::Deserialize)]
pub struct BlindAnswer {
    pub id: String,
    pub good: String,
    pub paraphrase: String,
    pub partial: String,
    pub off: String,
    pub parrot: String,
    pub negated: String,
}

pub fn eval_answers() -> anyhow::Result<Vec<EvalAnswer>> {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/eval-answers.toml"))?;
    Ok(toml::from_str::<EvalFile>(&text)?.answer)
}

pub fn blind_answers() -> anyhow::Result<Vec<BlindAnswer>> {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/blind-answers.toml"))?;
    Ok(toml::from_str::<BlindFile>(&text)?.answer)
}

pub fn bundled_bank() -> anyhow::Result<Bank> {
    let loaded = bank::load(&[BankLocation::bundled()])?;
    anyhow::ensure!(loaded.skipped.is_empty(), "bundled bank has problems");
    Ok(loaded.bank)
}

/// The bundled bank with every alias removed: key points as the reference words them.
fn bank_without_aliases() -> anyhow::Result<Bank> {
    let mut bank = bundled_bank()?;
    for question in &mut bank.questions {
        for point in &mut question.key_points {
            point.aliases.clear();
        }
    }
    Ok(bank)
}

/// A scorer with the real sentence embedder from the models dir.
pub fn meaning_scorer() -> Scorer {
    Scorer::with_embedder(Box::new(|| {
        match embed::load(&crate::whisper::models_dir())? {
            Availability::Ready(model) => Ok(Some(model as Box<dyn Embed>)),
            Availability::Missing { reason } => {
                anyhow::bail!("{reason} (scripts/test fetches it)")
            }
        }
    }))
}

fn typed(scorer: &Scorer, bank: &Bank, id: &str, text: &str) -> anyhow::Result<ScoreReport> {
    scorer.score(bank.find(id)?, &Transcript::typed(text))
}

/// Scores of each kind of answer, per question.
fn table<'a>(
    scorer: &Scorer,
    bank: &Bank,
    rows: impl Iterator<Item = (&'a str, Vec<(&'static str, &'a str)>)>,
) -> anyhow::Result<BTreeMap<String, BTreeMap<&'static str, ScoreReport>>> {
    let mut out = BTreeMap::new();
    for (id, kinds) in rows {
        let mut scores = BTreeMap::new();
        for (kind, text) in kinds {
            scores.insert(kind, typed(scorer, bank, id, text)?);
        }
        out.insert(id.to_owned(), scores);
    }
    Ok(out)
}

fn print(table: &BTreeMap<String, BTreeMap<&'static str, ScoreReport>>) {
    for (id, scores) in table {
        let line: Vec<String> = scores
            .iter()
            .map(|(kind, r)| format!("{kind} {:5.1}", r.score))
            .collect();
        eprintln!("{id:24} {}", line.join("  "));
    }
}

fn mean(table: &BTreeMap<String, BTreeMap<&'static str, ScoreReport>>, kind: &str) -> f64 {
    table.values().map(|s| s[kind].score).sum::<f64>() / table.len() as f64
}

/// How many questions have `a` scored above `b`.
fn above(table: &BTreeMap<String, BTreeMap<&'static str, ScoreReport>>, a: &str, b: &str) -> usize {
    table.values().filter(|s| s[a].score > s[b].score).count()
}

fn blind_table(
    scorer: &Scorer,
    bank: &Bank,
) -> anyhow::Result<BTreeMap<String, BTreeMap<&'static str, ScoreReport>>> {
    let answers = blind_answers()?;
    assert_eq!(answers.len(), 24, "one entry per bundled question");
    table(
        scorer,
        bank,
        answers.iter().map(|a| {
            (
                a.id.as_str(),
                vec![
                    ("good", a.good.as_str()),
                    ("paraphrase", a.paraphrase.as_str()),
                    ("partial", a.partial.as_str()),
                    ("off", a.off.as_str()),
                    ("parrot", a.parrot.as_str()),
                    ("negated", a.negated.as_str()),
                ],
            )
        }),
    )
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn blind_answers_come_in_the_right_order() -> TestResult {
    let bank = bundled_bank()?;
    let scores = blind_table(&meaning_scorer(), &bank)?;
    print(&scores);
    let kinds = ["good", "paraphrase", "partial", "off", "parrot", "negated"];
    let means: Vec<String> = kinds
        .iter()
        .map(|k| format!("{k} {:.1}", mean(&scores, k)))
        .collect();
    eprintln!("means: {}", means.join(", "));
    let n = scores.len();
    for (a, b, at_least) in [
        ("good", "partial", n - 2),
        ("paraphrase", "partial", n - 3),
        // Both are near 0 where the partial answer's one fact is too vague to count.
        ("partial", "off", n - 4),
        ("good", "parrot", n),
        ("good", "negated", n),
        ("paraphrase", "off", n),
    ] {
        let count = above(&scores, a, b);
        eprintln!("{a} > {b}: {count}/{n}");
        assert!(count >= at_least, "{a} > {b} for only {count} of {n}");
    }
    assert!(
        mean(&scores, "good") >= 60.0,
        "mean good {:.1}",
        mean(&scores, "good")
    );
    assert!(
        mean(&scores, "paraphrase") >= 50.0,
        "mean paraphrase {:.1}",
        mean(&scores, "paraphrase")
    );
    assert!(
        mean(&scores, "partial") >= mean(&scores, "off") + 10.0,
        "mean partial {:.1}, off {:.1}",
        mean(&scores, "partial"),
        mean(&scores, "off")
    );
    for low in ["off", "parrot", "negated"] {
        assert!(
            mean(&scores, low) <= 25.0,
            "mean {low} {:.1}",
            mean(&scores, low)
        );
    }
    let flagged = scores
        .values()
        .filter(|s| s["negated"].key_points.iter().any(|p| p.negated))
        .count();
    eprintln!("negated answers with a point said against the reference: {flagged}/{n}");
    assert!(
        flagged >= n / 2,
        "only {flagged} of {n} negated answers were caught"
    );
    let false_alarms: Vec<&String> = scores
        .iter()
        .filter(|(_, s)| {
            ["good", "paraphrase"]
                .iter()
                .any(|k| s[k].key_points.iter().any(|p| p.negated))
        })
        .map(|(id, _)| id)
        .collect();
    assert!(
        false_alarms.len() <= 2,
        "good answers read as negated: {false_alarms:?}"
    );
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn paraphrased_points_are_heard_by_meaning_with_the_words_that_said_them() -> TestResult {
    let bank = bundled_bank()?;
    let scorer = meaning_scorer();
    let report = typed(
        &scorer,
        &bank,
        "how-fargate-works",
        "You pick it as the place your ECS tasks run. AWS finds the capacity: you state each \
         task's processor and memory, and there is never a host for you to patch, size or look \
         after.",
    )?;
    eprintln!("{report:#?}");
    assert!(report.score >= 50.0, "{}", report.score);
    let by_meaning = report
        .key_points
        .iter()
        .filter(|p| {
            p.status != Status::Missed && p.matched_by == Some(rehearse::score::MatchedBy::Meaning)
        })
        .count();
    assert!(by_meaning >= 2, "{by_meaning} points heard by meaning");
    assert_eq!(report.semantic_model.as_deref(), Some("all-MiniLM-L6-v2"));

    let against = typed(
        &scorer,
        &bank,
        "dynamic-port-mapping",
        "No, ECS does not support dynamic port mapping. You always have to fix the host port \
         yourself, even with EC2 instances.",
    )?;
    eprintln!("{against:#?}");
    assert!(against.score <= 25.0, "{}", against.score);
    assert!(against.key_points.iter().any(|p| p.negated));
    // The advice leads with what was said against the reference: the wrong verdict, or the
    // point denied.
    assert!(
        against.suggestion.contains("You answered \"No\"")
            || against.suggestion.contains("You said"),
        "{}",
        against.suggestion
    );

    let vague = typed(
        &scorer,
        &bank,
        "ecs-vs-lambda",
        "Lambda is the serverless one where you just upload a function. I used it once for a \
         hackathon and it was fun, we built a bot that posted memes to our team chat.",
    )?;
    let off = typed(
        &scorer,
        &bank,
        "ecs-vs-lambda",
        "For a relational database I would add an index on the columns used in the where \
         clause, and check the query plan before and after.",
    )?;
    assert!(
        vague.score > off.score,
        "vague {} vs off {}",
        vague.score,
        off.score
    );
    assert!(vague.score > 0.0);
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn the_first_set_without_the_aliases_it_was_written_with() -> TestResult {
    let answers = eval_answers()?;
    let rows = || {
        answers.iter().map(|a| {
            (
                a.id.as_str(),
                vec![
                    ("good", a.good.as_str()),
                    ("partial", a.partial.as_str()),
                    ("off", a.off.as_str()),
                ],
            )
        })
    };
    let scorer = meaning_scorer();
    for (name, bank) in [
        ("bank as is", bundled_bank()?),
        ("no aliases", bank_without_aliases()?),
    ] {
        let scores = table(&scorer, &bank, rows())?;
        print(&scores);
        let n = scores.len();
        let ordered = scores
            .values()
            .filter(|s| s["good"].score > s["partial"].score && s["partial"].score > s["off"].score)
            .count();
        eprintln!(
            "{name}: ordered {ordered}/{n}, mean good {:.1}, partial {:.1}, off {:.1}",
            mean(&scores, "good"),
            mean(&scores, "partial"),
            mean(&scores, "off")
        );
        assert!(
            ordered >= n - 3,
            "{name}: good > partial > off for only {ordered} of {n}"
        );
        assert!(mean(&scores, "off") <= 20.0);
    }
    Ok(())
}

#[test]
fn without_the_embedder_good_answers_still_beat_off_topic_ones() -> TestResult {
    let bank = bundled_bank()?;
    let scores = blind_table(&Scorer::words_only(), &bank)?;
    let n = scores.len();
    let good_over_off = above(&scores, "good", "off");
    eprintln!(
        "words alone: good > off {good_over_off}/{n}, mean good {:.1}, off {:.1}",
        mean(&scores, "good"),
        mean(&scores, "off")
    );
    assert!(
        good_over_off >= n - 1,
        "good > off for only {good_over_off} of {n}"
    );
    assert!(scores.values().all(|s| s["good"].semantic_model.is_none()));
    Ok(())
}
