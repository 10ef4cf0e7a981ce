//! Finding a question by id: exact, then a unique prefix, else a usage error that suggests the
//! closest ids; or, for a question whose file was skipped, the file and its problem.

use std::ops::Deref;

use super::{Bank, Diagnostic, Question};
use crate::error::UsageError;

/// A question that is in a bank file but not in use, because the file has problems.
#[derive(Debug, Clone)]
pub struct SkippedQuestion {
    pub id: String,
    /// The problem that is about this question, else the file's first.
    pub problem: Diagnostic,
}

/// The questions in use, and those that are not because their file was skipped: what the
/// commands look questions up in. It is a [`Bank`] everywhere else.
#[derive(Debug, Clone)]
pub struct BankInUse {
    pub bank: Bank,
    pub skipped: Vec<SkippedQuestion>,
}

impl Deref for BankInUse {
    type Target = Bank;

    fn deref(&self) -> &Bank {
        &self.bank
    }
}

impl BankInUse {
    /// [`Bank::find`], except that an id that is only in a skipped file fails with the file
    /// and the problem that made it skipped (exit 1: the file must be fixed, not the command).
    pub fn find(&self, id: &str) -> anyhow::Result<&Question> {
        let in_use = self.bank.questions.iter().any(|q| q.id == id);
        if !in_use && let Some(skipped) = self.skipped.iter().find(|s| s.id == id) {
            let file = &skipped.problem.file;
            anyhow::bail!(
                "question `{id}` is in {}, which is skipped because of its problems:\n  {}\n  \
                 Fix the file; `rehearse bank check {}` lists all its problems.",
                file.display(),
                skipped.problem,
                file.display()
            );
        }
        Ok(self.bank.find(id)?)
    }
}

impl Bank {
    pub fn find(&self, id: &str) -> Result<&Question, UsageError> {
        if let Some(question) = self.questions.iter().find(|q| q.id == id) {
            return Ok(question);
        }
        let prefixed: Vec<&Question> = self
            .questions
            .iter()
            .filter(|q| q.id.starts_with(id))
            .collect();
        match prefixed.as_slice() {
            [one] => Ok(one),
            [] => Err(UsageError::new(format!(
                "no question with id `{id}`{}\n  List the ids with `rehearse questions`.",
                suggestion_list(&self.closest_ids(id, 3))
            ))),
            many => Err(UsageError::new(format!(
                "`{id}` matches {} questions{}\n  Type more of the id.",
                many.len(),
                suggestion_list(
                    &many
                        .iter()
                        .map(|q| q.id.as_str())
                        .take(5)
                        .collect::<Vec<_>>()
                )
            ))),
        }
    }

    /// Up to `n` ids most like `id`, best first.
    pub fn closest_ids(&self, id: &str, n: usize) -> Vec<&str> {
        let mut ranked: Vec<(f64, &str)> = self
            .questions
            .iter()
            .map(|q| (strsim::jaro_winkler(id, &q.id), q.id.as_str()))
            .filter(|(similarity, _)| *similarity > 0.6)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.into_iter().take(n).map(|(_, id)| id).collect()
    }
}

fn suggestion_list(ids: &[&str]) -> String {
    if ids.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", ids.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::KeyPoint;

    fn bank(ids: &[&str]) -> Bank {
        Bank {
            questions: ids
                .iter()
                .map(|id| Question {
                    id: (*id).to_owned(),
                    deck: "d".into(),
                    category: "c".into(),
                    question: "q".into(),
                    kind: crate::bank::Kind::Technical,
                    answer: "a".into(),
                    key_points: vec![KeyPoint {
                        point: "p".into(),
                        aliases: vec![],
                        follow_up: None,
                    }],
                    time_limit_s: 90,
                    source: "b.toml".into(),
                })
                .collect(),
            ..Bank::default()
        }
    }

    #[test]
    fn exact_then_unique_prefix() {
        let bank = bank(&["ecs-vs-lambda", "ecs-vs-beanstalk", "ecs-pricing", "ecs"]);
        assert_eq!(bank.find("ecs").map(|q| q.id.as_str()).ok(), Some("ecs"));
        assert_eq!(
            bank.find("ecs-p").map(|q| q.id.as_str()).ok(),
            Some("ecs-pricing")
        );
        let ambiguous = bank
            .find("ecs-vs")
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(ambiguous.contains("matches 2 questions"), "{ambiguous}");
    }

    #[test]
    fn an_id_of_a_skipped_file_names_the_file_and_its_problem() {
        let problem = Diagnostic {
            file: "mine.toml".into(),
            line: 7,
            question_id: Some("ecs-mine".into()),
            message: "unknown field `answr`".into(),
            fix: "did you mean `answer`?".into(),
        };
        let in_use = BankInUse {
            bank: bank(&["ecs-vs-lambda", "ecs-mine-too"]),
            skipped: vec![SkippedQuestion {
                id: "ecs-mine".into(),
                problem,
            }],
        };
        let message = in_use
            .find("ecs-mine")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("question `ecs-mine` is in mine.toml, which is skipped")
                && message.contains("mine.toml:7: question `ecs-mine`: unknown field `answr`"),
            "{message}"
        );
        assert_eq!(
            in_use.find("ecs-mine-").map(|q| q.id.as_str()).ok(),
            Some("ecs-mine-too")
        );
        let unknown = in_use.find("nothing-like-it").err();
        assert!(unknown.is_some_and(|e| e.downcast_ref::<UsageError>().is_some()));
    }

    #[test]
    fn unknown_id_suggests_the_closest() {
        let bank = bank(&["ecs-vs-lambda", "ecs-pricing", "custom-ami"]);
        let message = bank
            .find("ecs-vs-lamda")
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(message.contains("did you mean: ecs-vs-lambda"), "{message}");
        let far = bank
            .find("zzzz")
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(!far.contains("did you mean"), "{far}");
    }
}
