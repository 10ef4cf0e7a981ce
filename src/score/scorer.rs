//! The scorer: judges the content, measures the delivery, combines them into the score and picks
//! the one suggestion from every signal's findings.

use std::cell::OnceCell;

use anyhow::Result;

use super::delivery::{self, FirstPoint, Norms};
use super::feedback::Rank;
use super::relevance::Relevance;
use super::rounding::{round1, round2};
use super::score_report::{ScoreReport, Signals};
use super::{combine, content, feedback, structure};
use crate::bank::{Kind, Question};
use crate::embed::{Embed, EmbeddedText, Remembered};
use crate::transcript::{AnswerWord, Transcript};

/// Makes the sentence embedder when scoring first needs it (it takes a moment and some memory,
/// which listing questions should not pay); `Ok(None)` when it is not installed, an error when
/// its files are there but unusable.
pub type EmbedderLoader = Box<dyn Fn() -> Result<Option<Box<dyn Embed>>>>;

/// Scores answers; holds the sentence embedder once it is loaded.
pub struct Scorer {
    norms: Norms,
    load: Option<EmbedderLoader>,
    embedder: OnceCell<Option<Box<dyn Embed>>>,
}

impl std::fmt::Debug for Scorer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scorer")
            .field("norms", &self.norms)
            .field(
                "semantic_model",
                &self.embedder.get().map(|e| e.as_ref().map(|e| e.name())),
            )
            .finish()
    }
}

impl Scorer {
    /// A scorer that matches by words alone.
    pub fn words_only() -> Self {
        Self {
            norms: Norms::default(),
            load: None,
            embedder: OnceCell::new(),
        }
    }

    /// A scorer that also matches by meaning, with the embedder `load` makes on first use.
    pub fn with_embedder(load: EmbedderLoader) -> Self {
        Self {
            load: Some(load),
            ..Self::words_only()
        }
    }

    fn embedder(&self) -> Result<Option<&dyn Embed>> {
        if self.embedder.get().is_none() {
            let loaded = match &self.load {
                Some(load) => load()?,
                None => None,
            };
            let _ = self.embedder.set(loaded);
        }
        Ok(self.embedder.get().and_then(|e| e.as_deref()))
    }

    /// Delivery judged by these thresholds instead of the defaults (the user's `[norms]`).
    pub fn with_norms(self, norms: Norms) -> Self {
        Self { norms, ..self }
    }

    pub fn score(&self, question: &Question, transcript: &Transcript) -> Result<ScoreReport> {
        self.score_with_limit(question, transcript, question.time_limit_s)
    }

    pub fn score_with_limit(
        &self,
        question: &Question,
        transcript: &Transcript,
        time_limit_s: u32,
    ) -> Result<ScoreReport> {
        let words = transcript.words();
        // Signals ask for the same spans of the answer more than once: each is embedded once.
        let remembered = self.embedder()?.map(Remembered::new);
        let embedder = remembered.as_ref().map(|r| r as &dyn Embed);
        let said = words.iter().map(|w| w.text).collect::<Vec<_>>().join(" ");
        let embedded = match embedder {
            Some(embedder) => embed_answer(embedder, question, &words, &said)?,
            None => Vec::new(),
        };
        let answer_and_reference = match embedded.as_slice() {
            [answer, reference] => Some((answer, reference)),
            _ => None,
        };
        let content = content::judge(question, &words, embedder, answer_and_reference)?;
        let delivery = delivery::measure(
            &words,
            transcript.duration_s,
            transcript.pitch.as_ref(),
            content
                .first_point()
                .map(|(point, at_s)| FirstPoint { point, at_s }),
            time_limit_s,
            &self.norms,
        );
        let relevance = match (embedder, answer_and_reference) {
            (Some(embedder), Some((answer, _))) => Some(Relevance::judge(
                embedder,
                question,
                &said,
                &answer.sentence,
            )?),
            _ => None,
        };
        let structure = match question.kind {
            Kind::Behavioral => Some(structure::analyse(
                &words,
                question,
                embedder,
                answer_and_reference.map(|(answer, _)| &answer.sentence),
            )?),
            Kind::Technical => None,
        };
        let mut score = combine::score(&content, relevance.as_ref());
        let mut findings = [
            content.findings(),
            relevance.map(|r| r.findings()).unwrap_or_default(),
            delivery.findings(&self.norms),
        ]
        .concat();
        if let Some(structure) = &structure {
            let judged = !(question.key_points.is_empty() && question.answer.is_empty());
            score = combine::story(structure, judged.then_some(score));
            findings.extend(
                structure::grade::advice(structure).map(|a| feedback::Finding::new(Rank::Story, a)),
            );
        }
        let suggestion = feedback::suggestion(findings);
        let signals = Signals {
            key_points: round2(content.points_share),
            reference_coverage: round2(content.reference_coverage),
            alignment: content.alignment.map(round2),
            relevance: relevance.map(|r| round2(r.similarity)),
        };
        Ok(ScoreReport {
            question_id: question.id.clone(),
            score: round1(score),
            semantic_model: embedder.map(|e| e.name().to_owned()),
            key_points: content.key_points,
            sentences: content.sentences,
            reference_coverage: round2(content.reference_coverage.max(0.0)),
            transcript: transcript.text.trim().to_owned(),
            delivery,
            keyword_list: content.keyword_list,
            verdict_against: content.verdict.against().map(str::to_owned),
            structure,
            suggestion,
            signals,
            corrections: transcript.corrections(),
        })
    }
}

/// The answer and the reference, word by word in context, in one pass of the embedder:
/// alignment compares their words, relevance the answer as a whole. The spans the other signals
/// compare by meaning go in the same pass, where they share batches; the embedder, one that
/// remembers (see [`Remembered`]), hands them out when those signals ask.
fn embed_answer(
    embedder: &dyn Embed,
    question: &Question,
    words: &[AnswerWord<'_>],
    said: &str,
) -> Result<Vec<EmbeddedText>> {
    let mut ahead = content::texts_by_meaning(question, words);
    if question.kind == Kind::Behavioral {
        ahead.extend(structure::texts_by_meaning(words));
    }
    let texts: Vec<&str> = [said, question.answer.as_str()]
        .into_iter()
        .chain(ahead.iter().map(String::as_str))
        .collect();
    let mut embedded = embedder.embed_words(&texts)?;
    embedded.truncate(2);
    Ok(embedded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::KeyPoint;
    use crate::score::combine::KEYWORD_LIST_CAP;
    use crate::score::thresholds::GIVEN_AWAY_WEIGHT;
    use crate::score::{MatchedBy, PointResult, ReferenceSentence, Status};

    fn question() -> Question {
        Question {
            id: "what-is-ecs".into(),
            deck: "ECS".into(),
            category: "general".into(),
            question: "What is Amazon Elastic Container Service?".into(),
            kind: crate::bank::Kind::Technical,
            answer: "Amazon ECS is a fully managed container orchestration service from AWS. \
                     It deploys, manages and scales containerized applications that run as \
                     Docker containers. You pay nothing extra for it."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "fully managed".into(),
                    aliases: vec!["AWS manages it".into()],
                    follow_up: None,
                },
                KeyPoint {
                    point: "container orchestration".into(),
                    aliases: vec!["orchestrator".into()],
                    follow_up: None,
                },
                KeyPoint {
                    point: "Docker containers".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "scales".into(),
                    aliases: vec!["scaling".into()],
                    follow_up: None,
                },
            ],
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }

    fn port_mapping() -> Question {
        Question {
            id: "dynamic-port-mapping".into(),
            question: "Does Amazon ECS support dynamic port mapping?".into(),
            answer: "Yes. ECS supports dynamic port mapping when the tasks sit behind an \
                     Application Load Balancer, which registers each task's random host port."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "dynamic port mapping".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "Application Load Balancer".into(),
                    aliases: vec!["ALB".into()],
                    follow_up: None,
                },
            ],
            ..question()
        }
    }

    fn score(text: &str) -> ScoreReport {
        score_of(&question(), text)
    }

    fn score_of(question: &Question, text: &str) -> ScoreReport {
        Scorer::words_only()
            .score(question, &Transcript::typed(text))
            .expect("words-only scoring cannot fail")
    }

    fn with_fake_embedder() -> Scorer {
        Scorer::with_embedder(Box::new(|| {
            Ok(Some(
                Box::new(crate::embed::fake::HashedStems) as Box<dyn Embed>
            ))
        }))
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
        let meaning = with_fake_embedder()
            .score(&question(), &Transcript::typed(""))
            .unwrap();
        assert_eq!(meaning.score, 0.0);
    }

    #[test]
    fn good_answer_in_other_words_scores_high() {
        let report = score(
            "ECS is a container orchestrator that AWS manages for you, so there's no control \
             plane to run. You hand it Docker containers and it places them, keeps them healthy \
             and handles scaling as load changes. It costs nothing extra.",
        );
        assert!(report.score >= 70.0, "{report:#?}");
        assert!(
            report.key_points.iter().all(|p| p.status == Status::Hit),
            "{report:#?}"
        );
        assert!(
            report
                .key_points
                .iter()
                .all(|p| p.matched_by == Some(MatchedBy::Words))
        );
        assert_eq!(report.semantic_model, None);
    }

    #[test]
    fn partial_answer_lands_in_between_and_names_what_was_missed() {
        let report = score("It is basically a way to run Docker containers on AWS.");
        assert!((10.0..60.0).contains(&report.score), "{}", report.score);
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
        let report = score("scales");
        assert_eq!(report.key_points[0].weight, 1.0);
        let iam = Question {
            question: "How do I configure IAM roles for ECS tasks?".into(),
            answer: "Create an IAM role with the permissions and set it as the task role in the \
                     task definition."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "IAM roles".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "task definition".into(),
                    aliases: vec![],
                    follow_up: None,
                },
            ],
            ..question()
        };
        let echo = score_of(&iam, "You configure IAM roles for ECS tasks.");
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
    fn a_point_said_against_the_reference_is_not_credited_and_says_so() {
        let report = score_of(
            &port_mapping(),
            "No, ECS does not support dynamic port mapping. You always have to fix the host \
             port yourself, even with EC2 instances.",
        );
        let point = &report.key_points[0];
        assert_eq!(point.status, Status::Missed, "{report:#?}");
        assert!(point.negated);
        assert_eq!(
            point.heard.as_deref(),
            Some("No, ECS does not support dynamic port mapping."),
            "quoted with its clause"
        );
        assert!(
            point
                .reference
                .as_deref()
                .is_some_and(|r| r.contains("supports dynamic"))
        );
        assert!(report.score < 20.0, "{}", report.score);
        assert_eq!(report.verdict_against.as_deref(), Some("No"));
        assert!(
            report.suggestion.starts_with("You answered \"No\""),
            "{}",
            report.suggestion
        );
        let without_verdict = score_of(
            &port_mapping(),
            "ECS does not support dynamic port mapping, you always fix the host port.",
        );
        assert_eq!(without_verdict.verdict_against, None);
        assert!(
            without_verdict.suggestion.contains("You said"),
            "{}",
            without_verdict.suggestion
        );

        let agrees = score_of(
            &port_mapping(),
            "Yes, it supports dynamic port mapping through an ALB; you don't have to pick host \
             ports yourself.",
        );
        assert!(
            agrees
                .key_points
                .iter()
                .all(|p| p.status == Status::Hit && !p.negated)
        );
        assert_eq!(agrees.verdict_against, None);
    }

    #[test]
    fn a_denial_the_reference_shares_is_agreement() {
        let serverless = Question {
            question: "How is Lambda different?".into(),
            answer: "Lambda runs functions without servers to manage.".into(),
            key_points: vec![KeyPoint {
                point: "servers to manage".into(),
                aliases: vec![],
                follow_up: None,
            }],
            ..question()
        };
        let report = score_of(&serverless, "There are no servers to manage at all.");
        assert_eq!(report.key_points[0].status, Status::Hit, "{report:#?}");
        assert!(!report.key_points[0].negated);
    }

    #[test]
    fn sentences_without_key_points_are_minor_points_not_stray_words() {
        let report = score("ECS is a fully managed container orchestration service.");
        let minor: Vec<&ReferenceSentence> = report.minor_points().collect();
        assert_eq!(minor.len(), 1, "{report:#?}");
        assert_eq!(minor[0].sentence, "You pay nothing extra for it.");
        assert_eq!(minor[0].status, Status::Missed);
        let covered =
            score("ECS is fully managed container orchestration, and you pay nothing extra.");
        let minor: Vec<&ReferenceSentence> = covered.minor_points().collect();
        assert_ne!(minor[0].status, Status::Missed, "{covered:#?}");
        assert!(covered.score > report.score);
    }

    #[test]
    fn meaning_matches_are_labelled_and_the_model_named() {
        let scorer = with_fake_embedder();
        let report = scorer
            .score(
                &question(),
                &Transcript::typed("It orchestrates containers for you and deploys applications."),
            )
            .unwrap();
        assert_eq!(report.semantic_model.as_deref(), Some("hashed-stems"));
        let by_meaning: Vec<&PointResult> = report
            .key_points
            .iter()
            .filter(|p| p.matched_by == Some(MatchedBy::Meaning))
            .collect();
        assert!(!by_meaning.is_empty(), "{report:#?}");
        assert!(by_meaning.iter().all(|p| p.heard.is_some()));
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["key_points"][0].get("matched_by").is_some());
        assert!(json["key_points"][0].get("negated").is_some());
    }

    #[test]
    fn the_right_verdict_in_a_rambling_answer_earns_credit_and_the_wrong_one_is_caught() {
        let rambling = "Well, I would say yes, though it depends on what sits in front of the \
                        tasks and how you set them up.";
        let right = score_of(&port_mapping(), rambling);
        assert_eq!(right.verdict_against, None);
        let without = score_of(&port_mapping(), &rambling.replace("yes, though", "that"));
        assert!(
            right.score > without.score,
            "{} {}",
            right.score,
            without.score
        );
        let wrong = score_of(&port_mapping(), &rambling.replace("yes", "no"));
        assert_eq!(wrong.verdict_against.as_deref(), Some("no"));
        assert!(
            wrong.score < without.score,
            "{} {}",
            wrong.score,
            without.score
        );
    }

    #[test]
    fn a_span_too_short_to_say_a_point_does_not_make_it_by_meaning() {
        let tools = Question {
            question: "Who looks after the platform?".into(),
            answer: "AWS provides the tools. You bring the code.".into(),
            key_points: vec![KeyPoint {
                point: "AWS provides the tools".into(),
                aliases: vec![],
                follow_up: None,
            }],
            ..question()
        };
        let scorer = with_fake_embedder();
        let short = scorer
            .score(&tools, &Transcript::typed("So, AWS."))
            .unwrap();
        assert_eq!(short.key_points[0].status, Status::Missed, "{short:#?}");
        let said = scorer
            .score(
                &tools,
                &Transcript::typed("AWS gives you the tools it provides."),
            )
            .unwrap();
        assert_ne!(said.key_points[0].status, Status::Missed, "{said:#?}");
    }

    #[test]
    fn a_missing_embedder_means_words_alone() {
        let scorer = Scorer::with_embedder(Box::new(|| Ok(None)));
        let report = scorer
            .score(&question(), &Transcript::typed("ECS is fully managed."))
            .unwrap();
        assert_eq!(report.semantic_model, None);
        assert_eq!(report.key_points[0].status, Status::Hit);
    }

    #[test]
    fn timed_words_give_when_each_point_was_heard() {
        let transcript = spoken("ECS is fully managed and scales", &[]);
        let report = Scorer::words_only()
            .score(&question(), &transcript)
            .unwrap();
        assert_eq!(report.key_points[0].at_s, Some(1.0));
        assert_eq!(report.key_points[0].heard.as_deref(), Some("fully managed"));
        assert_eq!(report.key_points[3].at_s, Some(2.5));
        assert_eq!(report.key_points[1].at_s, None);
        assert!(report.delivery.wpm.is_some());
    }

    /// A spoken answer, one word every half second, whisper unsure (p 0.1) of the words in
    /// `faint`.
    fn spoken(text: &str, faint: &[&str]) -> Transcript {
        let words: Vec<crate::transcript::Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| crate::transcript::Word {
                word: format!(" {w}"),
                start_s: i as f64 * 0.5,
                end_s: i as f64 * 0.5 + 0.4,
                p: if faint.contains(&w) { 0.1 } else { 0.9 },
                heard: None,
            })
            .collect();
        Transcript::heard(
            "tiny.en",
            words.len() as f64 * 0.5,
            vec![crate::transcript::Segment {
                start_s: 0.0,
                end_s: words.len() as f64 * 0.5,
                text: text.into(),
                words,
            }],
        )
    }

    #[test]
    fn corrections_are_in_the_score_json_only_when_there_are_any() {
        let mut transcript = spoken("ECS is fully managed", &[]);
        let typed = serde_json::to_value(
            Scorer::words_only()
                .score(&question(), &transcript)
                .unwrap(),
        )
        .unwrap_or_default();
        assert!(typed.get("corrections").is_none(), "{typed}");
        transcript.segments[0].words[0].heard = Some("PCS".into());
        let report = Scorer::words_only()
            .score(&question(), &transcript)
            .unwrap();
        assert_eq!(
            serde_json::to_value(&report).unwrap_or_default()["corrections"],
            serde_json::json!([{"heard": "PCS", "as": "ECS", "at_s": 0.0}])
        );
    }

    #[test]
    fn a_point_not_clearly_heard_is_neither_missed_nor_held_against_the_score() {
        let said = "ECS is fully managed, it orchestrates containers and it runs dakka containers \
                    and scales them";
        let sure = Scorer::words_only()
            .score(&question(), &spoken(said, &[]))
            .unwrap();
        let faint = Scorer::words_only()
            .score(&question(), &spoken(said, &["dakka"]))
            .unwrap();
        assert_eq!(sure.key_points[2].status, Status::Missed, "{sure:#?}");
        let unclear = &faint.key_points[2];
        assert_eq!(unclear.status, Status::Unclear, "{faint:#?}");
        assert_eq!(unclear.heard.as_deref(), Some("dakka containers"));
        assert_eq!(unclear.at_s, Some(5.0));
        assert!(faint.missed_points().is_empty());
        // Left out of the key points' share: the three points made are all of it.
        assert_eq!(faint.signals.key_points, 1.0, "{:?}", faint.signals);
        assert!(sure.signals.key_points < 1.0);
        assert!(
            faint.score > sure.score,
            "{} against {}",
            faint.score,
            sure.score
        );
        assert!(
            faint.suggestion.contains("not clearly heard"),
            "{}",
            faint.suggestion
        );
        // The point that was heard clearly everywhere else stays as it was.
        assert_eq!(faint.key_points[0].status, Status::Hit);
    }

    #[test]
    fn every_span_of_an_answer_is_embedded_in_one_pass() {
        let counting = crate::embed::fake::Counting::default();
        let passes = std::rc::Rc::clone(&counting.passes);
        let scorer = Scorer::with_embedder(Box::new(move || {
            Ok(Some(Box::new(counting.clone()) as Box<dyn Embed>))
        }));
        let mut story = Question::technical(
            "Tell me about a time you disagreed with a colleague.",
            "",
            &[("a real disagreement", &[]), ("what you did yourself", &[])],
        );
        story.kind = Kind::Behavioral;
        let answer = "Last year a colleague and I disagreed about the release plan, because he \
                      wanted to ship on Friday. My job was to keep the launch safe. So I set up \
                      a meeting, I showed him the failing tests and we agreed to wait. In the \
                      end we shipped on Monday with no incident.";
        for question in [question(), story] {
            passes.set(0);
            scorer
                .score(&question, &Transcript::typed(answer))
                .expect("scoring with the fake embedder cannot fail");
            assert_eq!(passes.get(), 1, "{}", question.question);
        }
    }
}
