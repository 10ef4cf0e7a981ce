//! Whether a story answers the question asked: a story about learning a language fast is a fine
//! story, but not an answer to "Tell me about a conflict". Judged by meaning, the whole answer
//! against the question without its frame ("Tell me about a time you ...") and against what the
//! interviewer listens for (the question's key points).

use anyhow::Result;

use crate::bank::Question;
use crate::embed::{Embed, Embedding};

/// Cosine similarity (all-MiniLM-L6-v2) from which a story answers the question. The embedder
/// separates stories by topic only weakly (engineering stories all look alike to it), so the
/// usual null (answers to other questions, 95th percentile 0.48) would flag most real answers:
/// this is the value that parts the first half of the STAR evaluation set
/// (tests/fixtures/star-answers.toml), complete answers (0.37 and up) from stories that answer
/// another question (0.28 to 0.40); BENCHMARKS.md ("STAR") has the held-out half.
pub const ON_QUESTION: f64 = 0.35;

/// How a behavioural question is framed, said before what it is about.
const FRAMES: &[&str] = &[
    "tell me about a time when you",
    "tell me about a time you",
    "tell me about a time",
    "describe a time when you",
    "describe a time you",
    "give me an example of a time when you",
    "give me an example of a time you",
    "give me an example of",
    "talk me through a time you",
    "can you tell me about a time you",
];

/// What the question is about: its words without the frame.
fn topic(question: &str) -> String {
    let lower = question.trim().to_lowercase();
    FRAMES
        .iter()
        .find_map(|frame| lower.strip_prefix(frame))
        .map_or(lower.clone(), |rest| rest.trim().to_owned())
}

/// How close in meaning the answer is to the question: the closest of the whole answer and each
/// of its units (embedded already).
pub fn relevance(
    embedder: &dyn Embed,
    question: &Question,
    whole: &Embedding,
    units: &[Embedding],
) -> Result<f64> {
    let topic = topic(&question.question);
    let wanted = embedder.embed_reference(&[topic.as_str()])?;
    Ok(wanted
        .iter()
        .flat_map(|w| {
            std::iter::once(whole)
                .chain(units)
                .map(move |s| f64::from(s.cosine(w)))
        })
        .fold(0.0, f64::max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_no_topic() {
        assert_eq!(
            topic("Tell me about a time you disagreed with your manager."),
            "disagreed with your manager."
        );
        assert_eq!(topic("Why ECS?"), "why ecs?");
    }
}
