//! Relevance: whether the answer is about what was asked at all. Fluent prose on another topic
//! shares words such as "memory", "nodes" or "requests" with many references and earns a little
//! of everything else; compared as a whole with the question and its reference answer, it is far
//! from both.

use anyhow::Result;

use super::feedback::{Finding, Rank};
use super::thresholds::{OFF_TOPIC_BELOW, ON_TOPIC_FROM};
use crate::bank::Question;
use crate::embed::{Embed, Embedding};

/// How close the answer, as a whole, is to the question and its reference answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relevance {
    /// Cosine similarity of the answer's embedding and the question's with its reference.
    pub similarity: f64,
}

impl Relevance {
    /// Compare the answer (its text and its sentence embedding) with the question and its
    /// reference answer.
    pub fn judge(
        embedder: &dyn Embed,
        question: &Question,
        answer: &str,
        embedded: &Embedding,
    ) -> Result<Self> {
        if answer.trim().is_empty() {
            return Ok(Self { similarity: 0.0 });
        }
        let asked = format!("{} {}", question.question, question.answer);
        let asked = embedder.embed_reference(&[&asked])?;
        Ok(Self {
            similarity: f64::from(embedded.cosine(&asked[0])),
        })
    }

    /// How much of its content score the answer keeps, 0 to 1: none below `OFF_TOPIC_BELOW`, all
    /// from `ON_TOPIC_FROM`, linear in between.
    pub fn share(&self) -> f64 {
        ((self.similarity - OFF_TOPIC_BELOW) / (ON_TOPIC_FROM - OFF_TOPIC_BELOW)).clamp(0.0, 1.0)
    }

    /// An answer about something else, said as such.
    pub fn findings(&self) -> Vec<Finding> {
        if self.similarity >= OFF_TOPIC_BELOW {
            return Vec::new();
        }
        vec![Finding::new(
            Rank::OffTopic,
            "Your answer is about something else: answer the question that was asked, in its \
             own terms, before anything more.",
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::KeyPoint;
    use crate::embed::fake::HashedStems;

    fn question() -> Question {
        Question {
            id: "what-is-a-load-balancer".into(),
            deck: "AWS".into(),
            category: "general".into(),
            question: "What does a load balancer do?".into(),
            answer: "A load balancer spreads incoming requests across healthy targets.".into(),
            key_points: vec![KeyPoint {
                point: "spreads requests".into(),
                aliases: vec![],
                follow_up: None,
            }],
            time_limit_s: 90,
            source: "b.toml".into(),
            kind: crate::bank::Kind::Technical,
        }
    }

    fn relevance(answer: &str) -> Result<Relevance> {
        let embedded = HashedStems.embed(&[answer])?;
        Relevance::judge(&HashedStems, &question(), answer, &embedded[0])
    }

    #[test]
    fn prose_on_another_topic_keeps_nothing_and_is_told_so() -> Result<()> {
        let on = relevance("It spreads the incoming requests over the healthy targets behind it.")?;
        assert_eq!(on.share(), 1.0, "{on:?}");
        assert!(on.findings().is_empty());
        let off = relevance(
            "Garbage collectors reclaim memory that no live object references any more.",
        )?;
        assert_eq!(off.share(), 0.0, "{off:?}");
        assert_eq!(off.findings()[0].rank, Rank::OffTopic);
        assert_eq!(relevance(" ")?.share(), 0.0);
        Ok(())
    }
}
