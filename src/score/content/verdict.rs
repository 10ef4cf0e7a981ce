//! The verdict of a yes-or-no question. An answer whose first sentence gives the reference's
//! "yes" or "no" has made the question's first point, however it rambles on; one that gives the
//! opposite argues for the wrong thing, whatever else it gets right.

use super::analysed::Analysed;
use crate::bank::Question;

/// Questions that start with one of these are answered yes or no.
const YES_NO_OPENERS: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "has", "have", "is", "may", "should", "was",
    "were", "will", "would",
];
/// How answers open with a yes or a no.
const YES: &[&str] = &[
    "yes",
    "yeah",
    "yep",
    "sure",
    "absolutely",
    "definitely",
    "certainly",
];
const NO: &[&str] = &["no", "nope", "nah"];
/// The verdict counts within this many words of the first sentence's start ("Well, I'd say yes,
/// ..."); later, a "yes" or "no" answers something else.
const VERDICT_REACH: usize = 6;

/// The answer's verdict on a yes-or-no question, against the reference's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No verdict to judge: not a yes-or-no question, or no "yes" or "no" on either side.
    Unsaid,
    /// The reference's verdict.
    Agrees,
    /// The opposite of the reference's, as said ("No").
    Against(String),
}

impl Verdict {
    /// Judge the answer's verdict on the question against the reference's.
    pub fn judge(question: &Question, reference: &Analysed<'_>, answer: &Analysed<'_>) -> Self {
        let opener = question
            .question
            .split_whitespace()
            .next()
            .map(str::to_lowercase);
        if !opener.is_some_and(|o| YES_NO_OPENERS.contains(&o.as_str())) {
            return Self::Unsaid;
        }
        match (yes_or_no(reference), yes_or_no(answer)) {
            (Some((reference_yes, _)), Some((answer_yes, word))) if answer_yes != reference_yes => {
                Self::Against(
                    answer.words[word]
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_owned(),
                )
            }
            (Some(_), Some(_)) => Self::Agrees,
            _ => Self::Unsaid,
        }
    }

    /// The opposite verdict, as said.
    pub fn against(&self) -> Option<&str> {
        match self {
            Self::Against(said) => Some(said),
            _ => None,
        }
    }
}

/// The text's "yes" (true) or "no" (false) near the start of its first sentence, and the word
/// that says it.
fn yes_or_no(text: &Analysed<'_>) -> Option<(bool, usize)> {
    let first_sentence = text.sentences.first()?;
    text.tokens
        .iter()
        .take_while(|t| first_sentence.contains(&t.word))
        .take(VERDICT_REACH)
        .find_map(|t| {
            let is_yes = YES.contains(&t.text.as_str());
            (is_yes || NO.contains(&t.text.as_str())).then_some((is_yes, t.word))
        })
}
