//! Follow-up questions, as an interviewer asks them: after an answer that missed a key point, one
//! question about the most important one, written on the machine from the point and the
//! reference sentence that makes it, and its answer scored against that point alone.
//!
//! [`plan`] and [`outcome`] are pure: functions of the question and the reports; [`ask`] puts
//! the follow-up through the front end and takes its answer.

use anyhow::Result;

use super::story_gap::StoryGap;
use super::{Asking, Frontend};
use crate::answer::Asked;
use crate::bank::{KeyPoint, Kind, Question};
use crate::error::Interrupted;
use crate::score::{PointResult, ScoreReport, Scorer, Status};
use crate::session::{AnswerAudio, FollowUp, SourceKind};

/// Said when the answers given ran out before the follow-up.
const NO_ANSWER_LEFT: &str = "No answer is left for the follow-up: give one more --wav for it \
                              (--text gives one answer), or answer out loud or with --type.";

/// After an answer (to `asked`, scored in `report`) that missed a key point: ask one follow-up
/// about the most important one, take its answer the way the main one came, score it against
/// that point and tell the front end how it went. `None` when nothing was missed, or the
/// answers given ran out; `Interrupted` when it was cut short before a word was said.
pub fn ask(
    frontend: &mut dyn Frontend,
    scorer: &Scorer,
    asked: &Asked<'_>,
    report: &ScoreReport,
    speak: bool,
) -> Result<Option<(FollowUp, Option<AnswerAudio>)>> {
    let Some(planned) = plan(asked.question, report, asked.limit_s) else {
        return Ok(None);
    };
    let limit_s = planned.question.time_limit_s;
    let asking = Asking::FollowUp {
        text: &planned.text,
        limit_s,
    };
    super::put(frontend, &asking, speak, &planned.text);
    if !frontend.has_answer_left() {
        frontend.note(NO_ANSWER_LEFT);
        return Ok(None);
    }
    let asked = Asked {
        question: &planned.question,
        limit_s,
        keep_in: asked.keep_in,
    };
    let given = super::answer(frontend, &asked, speak)?;
    if given.interrupted && given.transcript.text.trim().is_empty() {
        return Err(Interrupted.into());
    }
    let report = scorer.score_with_limit(&planned.question, &given.transcript, limit_s)?;
    let kept = outcome(&planned, &report, given.source, given.time_used_s);
    frontend.followed_up(&kept);
    Ok(Some((kept, given.recording)))
}

/// A follow-up to ask: its words, the point it is about, and the one-point question its answer
/// is scored against.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub text: String,
    pub point: String,
    /// The main question narrowed to the point: the point as its only key point, the point's
    /// reference sentence as its reference answer. Its question stays the main one: the
    /// follow-up names the point, and the scorer discounts what the question says. For a
    /// story's gap, the main question with no key points: its answer is heard as a story.
    pub question: Question,
    /// The gap in a behavioural answer's story it asks about; `None` for a missed key point.
    pub gap: Option<StoryGap>,
}

/// The follow-up to ask after `report`, an answer to `question` given `limit_s` seconds: about
/// the gap in a behavioural answer's story first, else about the most important missed key
/// point; `None` when there is neither.
pub fn plan(question: &Question, report: &ScoreReport, limit_s: u32) -> Option<Planned> {
    let gap = report
        .structure
        .as_ref()
        .filter(|_| question.kind == Kind::Behavioral)
        .and_then(StoryGap::of);
    if let Some(gap) = gap {
        return Some(Planned {
            text: gap.question().to_owned(),
            point: gap.label().to_owned(),
            question: Question {
                key_points: Vec::new(),
                time_limit_s: time_limit_s(limit_s),
                ..question.clone()
            },
            gap: Some(gap),
        });
    }
    let missed = most_important_missed(report)?;
    let key_point = question
        .key_points
        .iter()
        .find(|k| k.point == missed.point)
        .cloned()
        .unwrap_or_else(|| KeyPoint {
            point: missed.point.clone(),
            aliases: Vec::new(),
            follow_up: None,
        });
    let reference = missed
        .reference
        .clone()
        .unwrap_or_else(|| question.answer.clone());
    let text = ask_about(missed, &key_point, &reference);
    Some(Planned {
        point: missed.point.clone(),
        question: Question {
            answer: reference,
            key_points: vec![key_point],
            time_limit_s: time_limit_s(limit_s),
            ..question.clone()
        },
        text,
        gap: None,
    })
}

/// What is kept of the follow-up once its answer is scored against the point.
pub fn outcome(
    planned: &Planned,
    report: &ScoreReport,
    source: SourceKind,
    time_used_s: f64,
) -> FollowUp {
    let (status, score, heard, at_s) = match (planned.gap, &report.structure) {
        (Some(gap), Some(story)) => {
            let filled = gap.filled_by(story);
            let part = gap.carried_by(story).filter(|_| filled);
            (
                if filled { Status::Hit } else { Status::Missed },
                if filled { 100.0 } else { 0.0 },
                part.and_then(|p| p.quote.clone()),
                part.and_then(|p| p.at_s),
            )
        }
        (Some(_), None) => (Status::Missed, 0.0, None, None),
        (None, _) => {
            let point = report.key_points.first();
            let made = point.filter(|p| p.status.is_made());
            (
                point.map_or(Status::Missed, |p| p.status),
                report.score,
                made.and_then(|p| p.heard.clone()),
                made.and_then(|p| p.at_s),
            )
        }
    };
    FollowUp {
        question: planned.text.clone(),
        point: planned.point.clone(),
        transcript: report.transcript.clone(),
        status,
        score,
        heard,
        at_s,
        source,
        time_used_s,
        recording: None,
    }
}

/// The missed key point an interviewer would ask about first: one said against the reference
/// (a wrong fact is worth correcting before a gap), then the heaviest (points the question
/// itself names weigh less), then the first in the bank's order.
fn most_important_missed(report: &ScoreReport) -> Option<&PointResult> {
    let missed = report
        .key_points
        .iter()
        .filter(|p| p.status == Status::Missed);
    // max_by keeps the last of equals, so the points go in reversed to keep the first.
    missed.rev().max_by(|a, b| {
        a.negated
            .cmp(&b.negated)
            .then(a.weight.total_cmp(&b.weight))
    })
}

/// Follow-ups are short: half the main answer's time, from 30 s (or the main time, when that is
/// shorter) to 90 s.
fn time_limit_s(limit_s: u32) -> u32 {
    (limit_s / 2).clamp(30.min(limit_s), 90)
}

/// The follow-up's words. A point said against the reference is quoted back ("You said ... Is
/// that so?"); a missed one is asked about the way the bank's author wrote it (the key point's
/// `follow_up`), or else by its name with a question that fits what the reference sentence says
/// about it: a figure, a reason, a condition, a comparison or a way of working.
fn ask_about(point: &PointResult, key_point: &KeyPoint, reference: &str) -> String {
    let written = key_point.follow_up.as_deref().map(str::trim);
    match (&point.heard, point.negated, written) {
        (Some(said), true, _) => {
            let said = said.trim().trim_end_matches(['.', ',', ';', ':']);
            let then = written.unwrap_or_else(|| probe(reference));
            format!("You said “{said}”. Is that so? {then}")
        }
        (_, _, Some(written)) => written.to_owned(),
        _ => format!("What about {}? {}", point.point.trim(), probe(reference)),
    }
}

/// The question to ask, by the first kind of fact the reference sentence states.
fn probe(reference: &str) -> &'static str {
    let tokens = crate::text::tokenize(reference);
    let has = |cues: &[&str]| tokens.iter().any(|t| cues.contains(&t.text.as_str()));
    // A figure worth asking for: a percentage, a decimal, or a number from 10 up ("99.99%", "15
    // minutes"); "set it to zero" or "two zones" is not one.
    let has_figure = reference.contains('%')
        || tokens
            .iter()
            .any(|t| t.is_number() && (t.text.contains('.') || t.text.len() >= 2))
        || has(&["percent", "hundred", "thousand", "million"]);
    if has_figure {
        "What is the figure, and what does it cover?"
    } else if has(&[
        "because",
        "since",
        "so",
        "therefore",
        "means",
        "lets",
        "allows",
        "enables",
    ]) {
        "Why does that matter here?"
    } else if has(&["when", "if", "unless", "only", "whenever"]) {
        "When does that apply?"
    } else if has(&[
        "than", "cheaper", "unlike", "whereas", "instead", "rather", "versus", "vs",
    ]) {
        "How does that compare with the alternative?"
    } else if has(&["by", "through", "using", "via", "with"]) {
        "How does that work?"
    } else {
        "What role does it play here?"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{Scorer, Status};
    use crate::transcript::Transcript;
    use anyhow::Context;

    fn question() -> Question {
        Question {
            id: "fargate-vs-ec2".into(),
            deck: "ECS".into(),
            category: "general".into(),
            question: "When would you choose Fargate over EC2 for ECS?".into(),
            kind: crate::bank::Kind::Technical,
            answer: "Fargate runs tasks without servers to manage. EC2 is cheaper than Fargate \
                     for steady workloads that keep instances busy. EC2 also allows GPUs and \
                     custom AMIs."
                .into(),
            key_points: vec![
                KeyPoint {
                    point: "no servers to manage".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "cost".into(),
                    aliases: vec!["cheaper".into()],
                    follow_up: None,
                },
                KeyPoint {
                    point: "GPUs".into(),
                    aliases: vec![],
                    follow_up: None,
                },
            ],
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }

    fn report(text: &str) -> ScoreReport {
        Scorer::words_only()
            .score(&question(), &Transcript::typed(text))
            .unwrap_or_else(|err| panic!("{err:#}"))
    }

    fn story_question() -> Question {
        Question {
            id: "missed-deadline".into(),
            question: "Tell me about a time you missed a deadline.".into(),
            kind: crate::bank::Kind::Behavioral,
            answer: String::new(),
            key_points: Vec::new(),
            ..question()
        }
    }

    #[test]
    fn a_story_without_an_outcome_is_asked_for_it_and_an_outcome_fills_it() -> anyhow::Result<()> {
        let scorer = Scorer::words_only();
        // Told as people talk: scene, task and steps, and it stops before saying how it ended.
        let told = "so last spring I was on the payments team and we had promised the new \
                    invoice export to a big customer by the end of the quarter and it was my job \
                    to deliver it and two weeks before the date I realised the data model could \
                    not hold their tax rules so I went to my manager that same day and I told \
                    the customer myself and I rewrote the plan into smaller pieces";
        let report = scorer.score(&story_question(), &Transcript::typed(told))?;
        let planned = plan(&story_question(), &report, 120).context("a follow-up")?;
        assert_eq!(
            planned.gap,
            Some(StoryGap::Result),
            "{:?}",
            report.structure
        );
        assert_eq!(planned.text, "And what was the outcome?");
        assert!(planned.question.key_points.is_empty());

        let reply = "in the end we shipped it nine days late but the customer stayed and \
                     renewed for two more years";
        let replied = scorer.score(&planned.question, &Transcript::typed(reply))?;
        let kept = outcome(&planned, &replied, SourceKind::Typed, 6.0);
        assert_eq!(kept.status, Status::Hit, "{:?}", replied.structure);
        assert_eq!(kept.point, "the result");
        assert!(kept.heard.is_some_and(|q| q.contains("renewed")));

        let dodged = scorer.score(&planned.question, &Transcript::typed("it was a busy time"))?;
        let kept = outcome(&planned, &dodged, SourceKind::Typed, 2.0);
        assert_eq!(kept.status, Status::Missed, "{:?}", dodged.structure);
        Ok(())
    }

    #[test]
    fn asks_about_the_first_missed_point_with_its_reference() {
        let report = report("With Fargate there are no servers to manage at all.");
        let planned = plan(&question(), &report, 90).map(|p| (p.point, p.text, p.question));
        let Some((point, text, sub)) = planned else {
            panic!("no follow-up for {report:#?}");
        };
        assert_eq!(point, "cost");
        assert_eq!(
            text,
            "What about cost? How does that compare with the alternative?"
        );
        assert_eq!(sub.key_points.len(), 1);
        assert_eq!(
            sub.key_points[0].aliases,
            ["cheaper"],
            "the bank's aliases go along"
        );
        assert!(
            sub.answer.contains("cheaper than Fargate"),
            "{}",
            sub.answer
        );
        assert_eq!(sub.time_limit_s, 45);
        assert_eq!(sub.id, "fargate-vs-ec2");
    }

    #[test]
    fn no_follow_up_when_nothing_was_missed() {
        let report = report("No servers to manage; cost is lower on EC2; EC2 has GPUs.");
        assert!(report.missed_points().is_empty(), "{report:#?}");
        assert_eq!(plan(&question(), &report, 90), None);
    }

    #[test]
    fn a_point_said_against_the_reference_comes_first_and_is_quoted() {
        let mut report = report("Fargate is fine.");
        report.key_points[2].negated = true;
        report.key_points[2].heard = Some("EC2 has no GPUs.".into());
        let planned = plan(&question(), &report, 90);
        assert_eq!(
            planned.map(|p| p.text).as_deref(),
            Some("You said “EC2 has no GPUs”. Is that so? Why does that matter here?")
        );
    }

    #[test]
    fn a_follow_up_the_bank_wrote_is_asked_as_written() {
        let mut question = question();
        question.key_points[1].follow_up =
            Some("How is pricing different between Fargate and EC2?".into());
        let report = report("With Fargate there are no servers to manage at all.");
        let planned = plan(&question, &report, 90);
        assert_eq!(
            planned.map(|p| p.text).as_deref(),
            Some("How is pricing different between Fargate and EC2?")
        );
        let mut against = report.clone();
        against.key_points[1].negated = true;
        against.key_points[1].heard = Some("Fargate is always cheaper.".into());
        assert_eq!(
            plan(&question, &against, 90).map(|p| p.text).as_deref(),
            Some(
                "You said “Fargate is always cheaper”. Is that so? How is pricing different \
                 between Fargate and EC2?"
            )
        );
    }

    #[test]
    fn a_point_the_question_names_waits_for_the_others() {
        let mut report = report("Nothing relevant.");
        report.key_points[0].weight = 0.35;
        let planned = plan(&question(), &report, 90);
        assert_eq!(planned.map(|p| p.point).as_deref(), Some("cost"));
    }

    #[test]
    fn the_probe_fits_what_the_reference_says() {
        assert_eq!(
            probe("The SLA promises 99.99% monthly uptime."),
            "What is the figure, and what does it cover?"
        );
        assert_eq!(
            probe("Lambda runs for at most 15 minutes."),
            "What is the figure, and what does it cover?"
        );
        assert_eq!(
            probe("Set the host port to zero and ECS picks one."),
            "What role does it play here?"
        );
        assert_eq!(
            probe("Scale in only when the queue is empty."),
            "When does that apply?"
        );
        assert_eq!(
            probe("Tasks get credentials through the task role."),
            "How does that work?"
        );
        assert_eq!(
            probe("ECS is a container orchestrator."),
            "What role does it play here?"
        );
    }

    #[test]
    fn follow_ups_are_shorter_than_the_answer() {
        assert_eq!(time_limit_s(90), 45);
        assert_eq!(time_limit_s(300), 90);
        assert_eq!(time_limit_s(40), 30);
        assert_eq!(time_limit_s(10), 10);
    }

    #[test]
    fn the_follow_up_answer_is_judged_on_its_point() {
        let planned = plan(&question(), &report("No servers to manage."), 90);
        let Some(planned) = planned else {
            panic!("no follow-up");
        };
        let scorer = Scorer::words_only();
        let judged = |text: &str| {
            scorer
                .score(&planned.question, &Transcript::typed(text))
                .map(|r| outcome(&planned, &r, SourceKind::Typed, 4.0))
        };
        let recovered = judged("EC2 is cheaper when the instances stay busy.");
        let recovered = recovered.unwrap_or_else(|err| panic!("{err:#}"));
        assert_eq!(recovered.status, Status::Hit, "{recovered:#?}");
        assert!(recovered.score >= 50.0, "{recovered:#?}");
        assert_eq!(recovered.heard.as_deref(), Some("cheaper"));
        assert_eq!(recovered.point, "cost");

        let off = judged("I would use Kubernetes for everything.");
        let off = off.unwrap_or_else(|err| panic!("{err:#}"));
        assert_eq!(off.status, Status::Missed);
        assert!(off.score < recovered.score);
        assert_eq!(off.heard, None);
    }
}
