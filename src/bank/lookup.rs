//! Finding a question by id: exact, then a unique prefix, else a usage error that suggests the
//! closest ids.

use super::{Bank, Question};
use crate::error::UsageError;

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
                    answer: "a".into(),
                    key_points: vec![KeyPoint {
                        point: "p".into(),
                        aliases: vec![],
                    }],
                    time_limit_s: 90,
                    source: "b.toml".into(),
                })
                .collect(),
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
