//! The verdict of a yes-or-no question: an answer that opens with the opposite of the
//! reference's "yes" or "no" argues for the wrong thing, whatever else it gets right.

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
/// Words that may come before the verdict ("well, no", "so yes").
const LEAD_IN: &[&str] = &["so", "well", "um", "uh", "oh", "ok", "okay"];

/// The answer's opening yes or no (as said), when the question is a yes-or-no one and the
/// reference opens with the opposite.
pub fn against(
    question: &Question,
    reference: &Analysed<'_>,
    answer: &Analysed<'_>,
) -> Option<String> {
    let opener = question.question.split_whitespace().next()?.to_lowercase();
    if !YES_NO_OPENERS.contains(&opener.as_str()) {
        return None;
    }
    let verdict = |text: &Analysed<'_>| {
        let first = text
            .tokens
            .iter()
            .find(|t| !LEAD_IN.contains(&t.text.as_str()))?;
        let is_yes = YES.contains(&first.text.as_str());
        (is_yes || NO.contains(&first.text.as_str())).then_some((is_yes, first.word))
    };
    let (reference_yes, _) = verdict(reference)?;
    let (answer_yes, word) = verdict(answer)?;
    (answer_yes != reference_yes).then(|| {
        answer.words[word]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_owned()
    })
}
