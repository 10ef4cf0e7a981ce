//! What the answer says, against the question's reference answer. Two kinds of evidence:
//! - **key points** ([`points`]), each heard by its words ([`matcher`]) or its meaning
//!   ([`meaning`]), not credited when said against the reference ([`negation`]);
//! - **the reference's sentences** ([`sentences`]), each covered by meaning or by words.
//!
//! Besides them, the verdict of a yes-or-no question ([`verdict`]) and whether the answer is a
//! list of keywords ([`keyword_list`]). Both sides leave out what the question already says
//! before comparing, and key points the question names weigh less: saying the question back
//! earns little.

mod alignment;
mod analysed;
mod keyword_list;
mod matcher;
mod meaning;
mod negation;
mod place;
mod points;
mod sentences;
mod status;
mod unclear;
mod verdict;

use anyhow::Result;

use crate::bank::Question;
use crate::embed::{Embed, EmbeddedText};
use crate::score::feedback::{Finding, Rank};
use crate::transcript::AnswerWord;
use analysed::{Analysed, content_stems};
use place::Place;
pub use points::{MatchedBy, PointResult};
pub use sentences::ReferenceSentence;
pub use status::Status;
use verdict::Verdict;

/// The content signals of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    pub key_points: Vec<PointResult>,
    pub sentences: Vec<ReferenceSentence>,
    /// How much of the reference the answer covers (below 0 when it says it is not so).
    pub reference_coverage: f64,
    /// The key points' share, 0 to 1 (below 0 when they are said against the reference); a
    /// verdict against the reference counts as one more point said against it.
    pub points_share: f64,
    /// The answer's verdict on a yes-or-no question, against the reference's.
    pub verdict: Verdict,
    /// The answer reads as a list of keywords rather than sentences.
    pub keyword_list: bool,
    /// Token-level alignment of the answer with the reference (see [`alignment`]); `None`
    /// without the embedder, or when the reference has no word the question does not say.
    pub alignment: Option<f64>,
}

/// The texts of the answer that [`judge`] compares by meaning: an embedder that remembers them
/// (see [`crate::embed::Remembered`]) can be given them ahead, with other signals' texts.
pub fn texts_by_meaning(question: &Question, words: &[AnswerWord<'_>]) -> Vec<String> {
    let answer = Analysed::new(words.iter().map(|w| w.text).collect());
    let asked = content_stems(&question.question);
    meaning::answer_spans(&answer, &asked)
        .into_iter()
        .map(|(_, text)| text)
        .filter(|text| !text.trim().is_empty())
        .collect()
}

/// Judge what `words` say against the question's reference, by meaning too when there is an
/// embedder; `embedded` is then the answer's and the reference's words in context (see
/// [`Embed::embed_words`]).
pub fn judge(
    question: &Question,
    words: &[AnswerWord<'_>],
    embedder: Option<&dyn Embed>,
    embedded: Option<(&EmbeddedText, &EmbeddedText)>,
) -> Result<Content> {
    let answer = Analysed::new(words.iter().map(|w| w.text).collect());
    let reference = Analysed::new(question.answer.split_whitespace().collect());
    let asked = content_stems(&question.question);
    let places: Vec<Option<Place>> = question
        .key_points
        .iter()
        .map(|kp| Place::by_words(kp, &reference))
        .collect();
    let heard = match embedder {
        Some(embedder) => Some(meaning::hear_points_and_sentences(
            embedder, question, &answer, &reference, &asked, &places,
        )?),
        None => None,
    };
    let alignment = embedded
        .and_then(|(said, reference)| alignment::recall(&said.words, &reference.words, &asked));
    let key_points = points::judge(
        question,
        &points::PointsInput {
            answer: &answer,
            words,
            reference: &reference,
            asked: &asked,
            places: &places,
            heard: heard.as_ref().map(|h| h.points.as_slice()),
        },
    );
    let sentences = sentences::judge(
        &answer,
        words,
        &reference,
        &asked,
        &places,
        heard.as_ref().map(|h| h.sentences.as_slice()),
    );
    let reference_coverage = sentences::coverage(&heard_sentences(
        &sentences,
        &reference,
        &places,
        &key_points,
    ));
    let verdict = Verdict::judge(question, &reference, &answer);
    Ok(Content {
        points_share: points_share(&key_points, &verdict, reference_coverage),
        keyword_list: keyword_list::is_keyword_list(&answer, words.len()),
        key_points,
        sentences,
        reference_coverage,
        verdict,
        alignment,
    })
}

/// The reference sentences the coverage counts: all but those missed where they hold a key point
/// not clearly heard (what the ears could not hear is not held against the answer).
fn heard_sentences(
    sentences: &[ReferenceSentence],
    reference: &Analysed<'_>,
    places: &[Option<Place>],
    key_points: &[PointResult],
) -> Vec<ReferenceSentence> {
    let unclear: Vec<&std::ops::Range<usize>> = key_points
        .iter()
        .zip(places)
        .filter(|(point, _)| point.status == Status::Unclear)
        .filter_map(|(_, place)| place.as_ref().map(|p| &p.sentence))
        .collect();
    sentences
        .iter()
        .zip(&reference.sentences)
        .filter(|(sentence, range)| {
            sentence.status != Status::Missed || sentence.negated || !unclear.contains(range)
        })
        .map(|(sentence, _)| sentence.clone())
        .collect()
}

/// The key points' weighted share of credit. The verdict of a yes-or-no question counts as one
/// more key point: made when it is the reference's, said against the reference when it is the
/// opposite. Without key points, the coverage of the reference stands in. A point not clearly
/// heard counts neither way.
fn points_share(key_points: &[PointResult], verdict: &Verdict, coverage: f64) -> f64 {
    let key_points: Vec<&PointResult> = key_points
        .iter()
        .filter(|p| p.status != Status::Unclear)
        .collect();
    let (verdict_weight, verdict_credit) = match verdict {
        Verdict::Against(_) => (1.0, -1.0),
        Verdict::Agrees => (1.0, 1.0),
        Verdict::Unsaid => (0.0, 0.0),
    };
    let weight: f64 = key_points.iter().map(|p| p.weight).sum::<f64>() + verdict_weight;
    if weight > 0.0 {
        (key_points
            .iter()
            .map(|p| p.weight * p.credit())
            .sum::<f64>()
            + verdict_credit)
            / weight
    } else {
        coverage
    }
}

impl Content {
    /// The first key point made (fully or partly) on the recording's clock, and when, in
    /// seconds; `None` for typed answers.
    pub fn first_point(&self) -> Option<(&str, f64)> {
        first_point(&self.key_points)
    }

    /// What the content gets wrong, each with its advice: the wrong verdict, a point said against
    /// the reference, the heaviest point not fully made.
    pub fn findings(&self) -> Vec<Finding> {
        let mut findings = Vec::new();
        if self.keyword_list {
            findings.push(Finding::new(
                Rank::KeywordList,
                "Answer in full sentences: a list of keywords doesn't show you understand how \
                 they fit together.",
            ));
        }
        if let Some(said) = self.verdict.against() {
            findings.push(Finding::new(Rank::WrongVerdict, self.verdict_advice(said)));
        }
        if let Some(point) = self.key_points.iter().find(|p| p.negated) {
            findings.push(Finding::new(Rank::SaidAgainst, said_against_advice(point)));
        }
        // The heaviest point not fully made; among equals the first, usually the headline.
        let missed = self
            .key_points
            .iter()
            .filter(|p| !matches!(p.status, Status::Hit | Status::Unclear))
            .min_by(|a, b| b.weight.total_cmp(&a.weight));
        if let Some(point) = missed {
            findings.push(Finding::new(Rank::MissedPoint, missed_advice(point)));
        }
        if let Some(point) = self.key_points.iter().find(|p| p.status == Status::Unclear) {
            findings.push(Finding::new(Rank::UnclearPoint, unclear_advice(point)));
        }
        findings
    }

    /// The wrong verdict, with the reference's opening up to its first sentence with substance
    /// ("Yes. With ..."): the rest of the answer argues for the wrong thing.
    fn verdict_advice(&self, said: &str) -> String {
        let mut opening: Vec<&str> = Vec::new();
        for sentence in &self.sentences {
            opening.push(&sentence.sentence);
            if sentence.is_substantial() {
                break;
            }
        }
        let reference = if opening.is_empty() {
            String::new()
        } else {
            format!(" The reference says: {}", opening.join(" "))
        };
        format!(
            "You answered \"{said}\", but the answer is the opposite.{reference} Lead with \
             the right verdict, then why."
        )
    }
}

/// Saying a point against the reference is worse than leaving it out.
fn said_against_advice(point: &PointResult) -> String {
    let said = point.heard.as_deref().unwrap_or(&point.point);
    match &point.reference {
        Some(sentence) => format!(
            "You said \"{said}\", against the reference on \"{}\". The reference says: {sentence}",
            point.point
        ),
        None => format!(
            "You said \"{said}\", against the reference on \"{}\": check that point.",
            point.point
        ),
    }
}

fn missed_advice(point: &PointResult) -> String {
    let verb = if point.status == Status::Partial {
        "Say clearly"
    } else {
        "Cover"
    };
    match &point.reference {
        Some(sentence) => format!(
            "{verb} \"{}\", as in: {}",
            point.point,
            as_a_sentence(sentence)
        ),
        None => format!("{verb} \"{}\".", point.point),
    }
}

/// A reference sentence quoted on its own: one cut at a colon or semicolon ends with a full stop
/// instead ("Fargate is a serverless compute engine:" reads as if something were missing), and
/// one that followed a colon starts with a capital.
fn as_a_sentence(sentence: &str) -> String {
    let kept = sentence.trim().trim_end_matches([':', ';', ',']).trim_end();
    if kept.is_empty() {
        return String::new();
    }
    let mut chars = kept.chars();
    let capitalised: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if capitalised.ends_with(['.', '?', '!']) {
        capitalised
    } else {
        format!("{capitalised}.")
    }
}

/// A point not clearly heard: the user may have said it; what whisper wrote there, to check.
fn unclear_advice(point: &PointResult) -> String {
    let heard = point
        .heard
        .as_deref()
        .map(|h| format!(" (the transcript has \"{h}\" there)"))
        .unwrap_or_default();
    format!(
        "\"{}\" was not clearly heard{heard}: if you said it, say it slowly and distinctly next \
         time.",
        point.point
    )
}

/// The first key point made (hit or partly) that has a time; among points heard at the same
/// time, the first in the bank's order.
fn first_point(points: &[PointResult]) -> Option<(&str, f64)> {
    points
        .iter()
        .filter(|p| p.status.is_made())
        .filter_map(|p| Some((p.point.as_str(), p.at_s?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_sentence_quoted_in_a_tip_ends_as_a_sentence() {
        assert_eq!(
            as_a_sentence("Fargate is a serverless compute engine:"),
            "Fargate is a serverless compute engine."
        );
        assert_eq!(
            as_a_sentence(" Is it billed per second? "),
            "Is it billed per second?"
        );
        assert_eq!(as_a_sentence("It scales"), "It scales.");
        assert_eq!(
            as_a_sentence("what you pay depends on the region."),
            "What you pay depends on the region."
        );
        assert_eq!(as_a_sentence(" "), "");
    }
}
