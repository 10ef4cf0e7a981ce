//! The scorer's evaluation set: for each bundled question a good answer in other words than the
//! reference, a partial one and an off-topic one (tests/fixtures/eval-answers.toml).

use std::collections::HashMap;

use rehearse::bank::BankLocation;
use rehearse::bank::{self, Bank};
use rehearse::score::Scorer;
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

pub fn eval_answers() -> anyhow::Result<Vec<EvalAnswer>> {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/eval-answers.toml"))?;
    Ok(toml::from_str::<EvalFile>(&text)?.answer)
}

pub fn bundled_bank() -> anyhow::Result<Bank> {
    let loaded = bank::load(&[BankLocation::bundled()])?;
    anyhow::ensure!(loaded.skipped.is_empty(), "bundled bank has problems");
    Ok(loaded.bank)
}

#[test]
fn good_beats_partial_beats_off_topic() -> TestResult {
    let bank = bundled_bank()?;
    let scorer = Scorer::new(&bank);
    let answers = eval_answers()?;
    assert_eq!(answers.len(), 24, "one entry per bundled question");
    let mut scores: HashMap<&str, [f64; 3]> = HashMap::new();
    for answer in &answers {
        let question = bank.find(&answer.id)?;
        let [good, partial, off] = [&answer.good, &answer.partial, &answer.off].map(|text| {
            scorer
                .score(question, &Transcript::typed(text.as_str()))
                .score
        });
        scores.insert(&answer.id, [good, partial, off]);
    }
    let mut table: Vec<_> = scores.iter().collect();
    table.sort_by_key(|(id, _)| **id);
    for (id, [good, partial, off]) in &table {
        eprintln!("{id:24} good {good:5.1}  partial {partial:5.1}  off {off:5.1}");
    }
    let ordered = scores
        .values()
        .filter(|[good, partial, off]| good > partial && partial > off)
        .count();
    let mean = |k: usize| scores.values().map(|s| s[k]).sum::<f64>() / scores.len() as f64;
    eprintln!(
        "ordered {ordered}/24, mean good {:.1}, partial {:.1}, off {:.1}",
        mean(0),
        mean(1),
        mean(2)
    );
    assert!(
        ordered >= 22,
        "good > partial > off for only {ordered} of 24"
    );
    assert!(mean(0) >= 70.0, "mean good {:.1} < 70", mean(0));
    assert!(mean(2) <= 20.0, "mean off-topic {:.1} > 20", mean(2));
    Ok(())
}
