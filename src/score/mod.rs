//! Scoring an answer against a question's key points. Pure: a function of the question, the
//! transcript and figures about the bank; no files, no audio, no model.
//!
//! The score rewards coverage of the key points, not length. Each explicit key point counts
//! fully, unless the question itself already names it (then saying it back shows little);
//! terms specific to the reference answer, found automatically, add a smaller share.

pub mod delivery;
mod derived;
mod feedback;
pub mod matcher;
pub mod moment;
pub mod timeline;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, KeyPoint, Question};
use crate::text::{Token, tokenize, tokenize_words};
use crate::transcript::{AnswerWord, Transcript};
pub use delivery::{Delivery, Norms};
pub use derived::BankStats;
use matcher::{Found, HIT, PARTIAL, Phrase};

/// Weight of a key point that the question already names, against 1 for the others.
const GIVEN_AWAY_WEIGHT: f64 = 0.35;
/// Share of the total that terms found automatically in the reference answer add.
const DERIVED_SHARE: f64 = 0.25;
/// An answer of at least this many words with fewer function words than this share is a list
/// of keywords, not an explanation.
const KEYWORD_LIST_MIN_WORDS: usize = 6;
const KEYWORD_LIST_STOP_RATIO: f64 = 0.15;
/// A keyword list scores at most this much, however many points it names.
const KEYWORD_LIST_CAP: f64 = 50.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Hit,
    Partial,
    Missed,
}

impl Status {
    fn of(similarity: f64) -> Self {
        if similarity >= HIT {
            Self::Hit
        } else if similarity >= PARTIAL {
            Self::Partial
        } else {
            Self::Missed
        }
    }

    fn credit(self) -> f64 {
        match self {
            Self::Hit => 1.0,
            Self::Partial => 0.5,
            Self::Missed => 0.0,
        }
    }
}

/// How one key point fared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointResult {
    pub point: String,
    pub status: Status,
    /// The answer's words where the point was heard.
    pub heard: Option<String>,
    pub similarity: f64,
    /// Seconds into the recording where the point was heard; `None` for typed answers.
    pub at_s: Option<f64>,
    /// The sentence of the reference answer that makes this point.
    pub reference: Option<String>,
    /// This point's share of the score.
    pub weight: f64,
}

/// The result of scoring one answer: the contract's JSON, plus feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreReport {
    pub question_id: String,
    pub score: f64,
    pub key_points: Vec<PointResult>,
    /// Terms specific to the reference answer, found automatically.
    pub extra_terms: Vec<PointResult>,
    pub transcript: String,
    pub delivery: Delivery,
    /// The answer reads as a list of keywords rather than sentences.
    pub keyword_list: bool,
    /// The one thing to do next time.
    pub suggestion: String,
}

impl ScoreReport {
    /// The key points not made at all, in the bank's order.
    pub fn missed_points(&self) -> Vec<&str> {
        self.key_points
            .iter()
            .filter(|p| p.status == Status::Missed)
            .map(|p| p.point.as_str())
            .collect()
    }
}

/// Figures about the bank that scoring needs, computed once per run.
#[derive(Debug, Clone)]
pub struct Scorer {
    stats: BankStats,
    norms: Norms,
}

impl Scorer {
    pub fn new(bank: &Bank) -> Self {
        Self {
            stats: BankStats::new(&bank.questions),
            norms: Norms::default(),
        }
    }

    /// Delivery judged by these thresholds instead of the defaults (the user's `[norms]`).
    pub fn with_norms(self, norms: Norms) -> Self {
        Self { norms, ..self }
    }

    pub fn score(&self, question: &Question, transcript: &Transcript) -> ScoreReport {
        self.score_with_limit(question, transcript, question.time_limit_s)
    }

    pub fn score_with_limit(
        &self,
        question: &Question,
        transcript: &Transcript,
        time_limit_s: u32,
    ) -> ScoreReport {
        let words = transcript.words();
        let answer = tokenize_words(&words.iter().map(|w| w.text).collect::<Vec<_>>());
        let question_stems: Vec<String> = tokenize(&question.question)
            .into_iter()
            .map(|t| t.stem)
            .collect();
        let sentences = reference_sentences(&question.answer);

        let mut key_points: Vec<PointResult> = question
            .key_points
            .iter()
            .map(|kp| {
                let given_away = Phrase::new(&kp.point)
                    .tokens()
                    .iter()
                    .all(|t| question_stems.contains(&t.stem));
                let weight = if given_away { GIVEN_AWAY_WEIGHT } else { 1.0 };
                judge(kp, weight, &answer, &words, &sentences)
            })
            .collect();

        let explicit_weight: f64 = key_points.iter().map(|p| p.weight).sum();
        let terms = self.stats.derived_terms(question);
        let term_weight = if terms.is_empty() {
            0.0
        } else {
            explicit_weight * DERIVED_SHARE / terms.len() as f64
        };
        let extra_terms: Vec<PointResult> = terms
            .iter()
            .map(|term| judge(term, term_weight, &answer, &words, &sentences))
            .collect();

        let total_weight: f64 = explicit_weight + term_weight * extra_terms.len() as f64;
        let earned: f64 = key_points
            .iter()
            .chain(&extra_terms)
            .map(|p| p.weight * p.status.credit())
            .sum();
        let mut score = if total_weight > 0.0 {
            100.0 * earned / total_weight
        } else {
            0.0
        };
        let keyword_list = is_keyword_list(&answer, words.len());
        if keyword_list {
            score = score.min(KEYWORD_LIST_CAP);
        }

        let delivery = delivery::measure(
            &words,
            transcript.duration_s,
            transcript.pitch.as_ref(),
            &key_points,
            time_limit_s,
            &self.norms,
        );
        for point in &mut key_points {
            point.similarity = delivery::round1(point.similarity * 100.0) / 100.0;
        }
        let mut report = ScoreReport {
            question_id: question.id.clone(),
            score: delivery::round1(score),
            key_points,
            extra_terms,
            transcript: transcript.text.trim().to_owned(),
            delivery,
            keyword_list,
            suggestion: String::new(),
        };
        report.suggestion = feedback::suggestion(&report, &self.norms);
        report
    }
}

/// Judge one key point: its best phrasing's match in the answer.
fn judge(
    point: &KeyPoint,
    weight: f64,
    answer: &[Token],
    words: &[AnswerWord<'_>],
    sentences: &[(String, Vec<Token>)],
) -> PointResult {
    let phrases: Vec<Phrase> = point.phrasings().map(Phrase::new).collect();
    let best: Option<Found> = phrases
        .iter()
        .filter_map(|phrase| matcher::find(phrase, answer))
        .max_by(|a, b| {
            a.similarity
                .total_cmp(&b.similarity)
                .then(b.start.cmp(&a.start))
        });
    let similarity = best.map_or(0.0, |f| f.similarity.min(1.0));
    let status = Status::of(similarity);
    let (heard, at_s) = match best {
        Some(found) => {
            let first = answer[found.start].word;
            let last = answer[found.end - 1].word;
            let heard = words[first..=last]
                .iter()
                .map(|w| w.text)
                .collect::<Vec<_>>()
                .join(" ");
            (Some(heard), words[first].start_s)
        }
        None => (None, None),
    };
    let reference = (status != Status::Hit)
        .then(|| reference_sentence(&phrases, sentences))
        .flatten();
    PointResult {
        point: point.point.clone(),
        status,
        heard,
        similarity,
        at_s,
        reference,
        weight,
    }
}

/// The reference answer cut into sentences, each with its tokens.
fn reference_sentences(answer: &str) -> Vec<(String, Vec<Token>)> {
    let mut sentences = Vec::new();
    let mut current = String::new();
    for word in answer.split_whitespace() {
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
        if word.ends_with(['.', '?', '!']) {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
        .into_iter()
        .map(|s| {
            let tokens = tokenize(&s);
            (s, tokens)
        })
        .collect()
}

/// The reference sentence that best makes a point, to quote when the point was missed.
fn reference_sentence(phrases: &[Phrase], sentences: &[(String, Vec<Token>)]) -> Option<String> {
    sentences
        .iter()
        .filter_map(|(text, tokens)| {
            let best = phrases
                .iter()
                .filter_map(|p| matcher::find(p, tokens))
                .map(|f| f.similarity)
                .fold(0.0, f64::max);
            (best >= PARTIAL).then_some((best, text))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, text)| text.clone())
}

fn is_keyword_list(answer: &[Token], word_count: usize) -> bool {
    if word_count < KEYWORD_LIST_MIN_WORDS {
        return false;
    }
    let stop = answer.iter().filter(|t| t.is_stop_word()).count();
    (stop as f64) < KEYWORD_LIST_STOP_RATIO * answer.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> Question {
        Question {
            id: "what-is-ecs".into(),
            deck: "ECS".into(),
            category: "general".into(),
            question: "What is Amazon Elastic Container Service?".into(),
            answer: "Amazon ECS is a fully managed container orchestration service from AWS. \
                     It deploys, manages and scales containerized applications that run as \
                     Docker containers."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "fully managed".into(),
                    aliases: vec!["AWS manages it".into()],
                },
                KeyPoint {
                    point: "container orchestration".into(),
                    aliases: vec!["orchestrator".into()],
                },
                KeyPoint {
                    point: "Docker containers".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "scales".into(),
                    aliases: vec!["scaling".into()],
                },
            ],
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }

    fn other() -> Question {
        Question {
            id: "iam".into(),
            question: "How do I configure IAM roles for ECS tasks?".into(),
            answer: "Create an IAM role with the permissions and set it as the task role in \
                     the task definition."
                .into(),
            key_points: vec![KeyPoint {
                point: "task role".into(),
                aliases: vec![],
            }],
            ..question()
        }
    }

    fn score(text: &str) -> ScoreReport {
        let bank = Bank {
            questions: vec![question(), other()],
        };
        Scorer::new(&bank).score(&question(), &Transcript::typed(text))
    }

    #[test]
    fn empty_answer_scores_zero_with_everything_missed() {
        let report = score("");
        assert_eq!(report.score, 0.0);
        assert!(report.key_points.iter().all(|p| p.status == Status::Missed));
        assert!(
            report.suggestion.to_lowercase().contains("no answer"),
            "{}",
            report.suggestion
        );
    }

    #[test]
    fn good_answer_in_other_words_scores_high() {
        let report = score(
            "ECS is a container orchestrator that AWS manages for you, so there's no control \
             plane to run. You hand it Docker containers and it places them, keeps them healthy \
             and handles scaling as load changes.",
        );
        assert!(report.score >= 80.0, "{report:#?}");
        assert!(
            report.key_points.iter().all(|p| p.status == Status::Hit),
            "{report:#?}"
        );
    }

    #[test]
    fn partial_answer_lands_in_between_and_names_what_was_missed() {
        let report = score("It is basically a way to run Docker containers on AWS.");
        assert!((15.0..60.0).contains(&report.score), "{}", report.score);
        assert_eq!(
            report.missed_points(),
            ["fully managed", "container orchestration", "scales"]
        );
        let orchestration = &report.key_points[1];
        assert!(
            orchestration
                .reference
                .as_deref()
                .is_some_and(|r| r.contains("orchestration"))
        );
        assert!(
            report.suggestion.contains("fully managed"),
            "{}",
            report.suggestion
        );
    }

    #[test]
    fn repeating_the_question_back_scores_low() {
        let report = score(
            "What is Amazon Elastic Container Service? It is Amazon Elastic Container Service.",
        );
        assert!(report.score < 20.0, "{}", report.score);
    }

    #[test]
    fn unrelated_buzzwords_score_low_and_keyword_lists_are_capped() {
        let buzz =
            score("synergy blockchain agile microservices kubernetes serverless devops paradigm");
        assert!(buzz.score < 15.0, "{}", buzz.score);
        let stuffed = score("fully managed container orchestration docker containers scales aws");
        assert!(stuffed.keyword_list);
        assert!(stuffed.score <= KEYWORD_LIST_CAP, "{}", stuffed.score);
    }

    #[test]
    fn length_is_not_rewarded() {
        let good = "ECS is a fully managed container orchestration service that runs Docker \
                    containers and scales them.";
        let padded = format!(
            "{good} {}",
            "And there is much more I could say about it. ".repeat(50)
        );
        assert_eq!(score(good).score, score(&padded).score);
    }

    #[test]
    fn given_away_points_weigh_less() {
        let bank = Bank {
            questions: vec![question(), other()],
        };
        let report = Scorer::new(&bank).score(&question(), &Transcript::typed("scales"));
        assert_eq!(report.key_points[0].weight, 1.0);
        let echo = Scorer::new(&bank).score(
            &Question {
                key_points: vec![
                    KeyPoint {
                        point: "IAM roles".into(),
                        aliases: vec![],
                    },
                    KeyPoint {
                        point: "task definition".into(),
                        aliases: vec![],
                    },
                ],
                ..other()
            },
            &Transcript::typed("You configure IAM roles for ECS tasks."),
        );
        assert_eq!(echo.key_points[0].weight, GIVEN_AWAY_WEIGHT);
        assert!(echo.score < 30.0, "{}", echo.score);
    }

    #[test]
    fn a_ten_thousand_word_answer_is_scored() {
        let long = "ECS is a fully managed container orchestration service. ".repeat(1250);
        let report = score(&long);
        assert_eq!(report.delivery.words, 10_000);
        let short = score("ECS is a fully managed container orchestration service.");
        assert_eq!(report.score, short.score, "length adds nothing");
    }

    #[test]
    fn timed_words_give_when_each_point_was_heard() {
        let words = ["ECS", "is", "fully", "managed", "and", "scales"];
        let transcript = Transcript {
            model: Some("tiny.en".into()),
            duration_s: Some(4.0),
            text: words.join(" "),
            segments: vec![crate::transcript::Segment {
                start_s: 0.0,
                end_s: 3.0,
                text: words.join(" "),
                words: words
                    .iter()
                    .enumerate()
                    .map(|(i, w)| crate::transcript::Word {
                        word: format!(" {w}"),
                        start_s: i as f64 * 0.5,
                        end_s: i as f64 * 0.5 + 0.4,
                        p: 0.9,
                    })
                    .collect(),
            }],
            pitch: None,
        };
        let bank = Bank {
            questions: vec![question()],
        };
        let report = Scorer::new(&bank).score(&question(), &transcript);
        assert_eq!(report.key_points[0].at_s, Some(1.0));
        assert_eq!(report.key_points[0].heard.as_deref(), Some("fully managed"));
        assert_eq!(report.key_points[3].at_s, Some(2.5));
        assert_eq!(report.key_points[1].at_s, None);
        assert!(report.delivery.wpm.is_some());
    }
}
