//! whisper's initial prompt. whisper reads it as text that came just before the audio, so it
//! sways spelling toward the words in it ("Fargate", "ECS", "HIPAA" instead of "far gate",
//! "E.C.S.", "hip hop") and toward its style: a prompt with "um" and "uh" in it keeps those
//! fillers in the transcript, which whisper otherwise tidies away, and delivery feedback needs
//! them counted.

use crate::bank::Question;
use crate::config::PromptStyle;

/// At most this many terms: the prompt's share of whisper's context is limited, and a long list
/// of words makes the model more likely to repeat them back.
const MAX_TERMS: usize = 16;

/// Words a speaker could say that whisper could spell several ways: the capitalised words and
/// acronyms of the question and of its key points, in order, without repeats.
pub fn key_terms(question: &Question) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let texts = std::iter::once(question.question.as_str())
        .chain(question.key_points.iter().flat_map(|kp| kp.phrasings()));
    for text in texts {
        for word in text.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            let distinctive = word.chars().next().is_some_and(char::is_uppercase)
                && word.len() > 1
                && !matches!(
                    word,
                    "I" | "What"
                        | "How"
                        | "Why"
                        | "Can"
                        | "Does"
                        | "Do"
                        | "Is"
                        | "Which"
                        | "When"
                        | "The"
                        | "A"
                        | "An"
                        | "With"
                        | "If"
                );
            if distinctive && !terms.iter().any(|t| t.eq_ignore_ascii_case(word)) {
                terms.push(word.to_owned());
            }
        }
    }
    terms.truncate(MAX_TERMS);
    terms
}

pub fn build(question: Option<&Question>, style: PromptStyle) -> Option<String> {
    let terms = question.map(key_terms).unwrap_or_default();
    match style {
        PromptStyle::None => None,
        PromptStyle::Terms if terms.is_empty() => None,
        PromptStyle::Terms => Some(format!("{}.", terms.join(", "))),
        PromptStyle::TermsAndFillers if terms.is_empty() => {
            Some("Um, so, uh, I think, like, you know.".to_owned())
        }
        PromptStyle::TermsAndFillers => Some(format!(
            "Um, so, uh, we talked about {}. Like, you know, uh, right.",
            terms.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question::technical(
            "How does AWS Fargate work with Amazon ECS?",
            "a",
            &[(
                "serverless launch type",
                &["Fargate", "no EC2 instances", "ECS tasks"],
            )],
        )
    }

    #[test]
    fn terms_are_distinctive_words_without_repeats() {
        assert_eq!(
            key_terms(&question()),
            ["AWS", "Fargate", "Amazon", "ECS", "EC2"]
        );
    }

    #[test]
    fn prompt_styles() {
        let q = question();
        assert_eq!(build(Some(&q), PromptStyle::None), None);
        assert_eq!(
            build(Some(&q), PromptStyle::Terms).as_deref(),
            Some("AWS, Fargate, Amazon, ECS, EC2.")
        );
        let with_fillers = build(Some(&q), PromptStyle::TermsAndFillers).unwrap_or_default();
        assert!(with_fillers.contains("Um,") && with_fillers.contains("Fargate"));
        assert!(build(None, PromptStyle::TermsAndFillers).is_some_and(|p| p.contains("uh")));
        assert_eq!(build(None, PromptStyle::Terms), None);
    }
}
