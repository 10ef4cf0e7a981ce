//! Progress across sessions: per-question attempts and trends, the key points missed most often,
//! and practice time. Pure functions of loaded records.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::record::{Kind, Record, RecordStatus};

/// One answer, flattened out of its session.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt<'a> {
    pub session_id: &'a str,
    pub at: DateTime<Utc>,
    pub question_id: &'a str,
    pub question: &'a str,
    pub score: f64,
    pub missed: Vec<&'a str>,
    /// The missed point a follow-up question then got said (it stays missed above).
    pub recovered: Option<&'a str>,
    /// A behavioural answer's STAR parts as letters ("S T A –").
    pub story: Option<String>,
}

/// Every answer of the sessions, oldest first.
pub fn attempts<'a>(records: &[&'a Record]) -> Vec<Attempt<'a>> {
    let mut all: Vec<Attempt<'_>> = records
        .iter()
        .flat_map(|record| {
            record.answers.iter().map(|answer| Attempt {
                session_id: &record.id,
                at: answer.started_at,
                question_id: &answer.question.id,
                question: &answer.question.question,
                score: answer.score.report.score,
                missed: answer.score.report.missed_points(),
                recovered: answer
                    .follow_up
                    .as_ref()
                    .filter(|f| f.status.is_made())
                    .map(|f| f.point.as_str()),
                story: answer.score.report.structure.as_ref().map(|s| s.letters()),
            })
        })
        .collect();
    all.sort_by_key(|a| a.at);
    all
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionLine {
    pub id: String,
    pub kind: Kind,
    pub started_at: DateTime<Utc>,
    pub status: RecordStatus,
    pub answers: usize,
    pub average_score: Option<f64>,
    pub time_used_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStats {
    pub question_id: String,
    pub question: String,
    pub attempts: usize,
    pub best: f64,
    pub last: f64,
    pub average: f64,
    /// Scores oldest first, the last few attempts, for a trend line.
    pub trend: Vec<f64>,
    /// For a behavioural question, the STAR parts heard in the same attempts ("S T A –"), oldest
    /// first; empty for a technical one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub story_trend: Vec<String>,
    pub last_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedPoint {
    pub question_id: String,
    pub point: String,
    /// Attempts that missed it, of the attempts at its question.
    pub missed: usize,
    pub attempts: usize,
    /// Of those misses, how many a follow-up question then got said.
    pub recovered: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub sessions: Vec<SessionLine>,
    pub questions: Vec<QuestionStats>,
    pub missed_most: Vec<MissedPoint>,
    pub total_practice_s: f64,
}

/// How many scores a trend shows.
pub const TREND_LEN: usize = 12;
/// How many of the most-missed points to list.
pub const MISSED_LEN: usize = 8;

/// The records of the sessions, only those with an answer to `question` when given.
fn records<'a>(sessions: &[(&'a Record, RecordStatus)], question: Option<&str>) -> Vec<&'a Record> {
    sessions
        .iter()
        .map(|(record, _)| *record)
        .filter(|r| question.is_none_or(|id| r.answers.iter().any(|a| a.question.id == id)))
        .collect()
}

/// The history of sessions given newest first, with each session's shown status; `question`
/// keeps only that question's attempts.
pub fn summarize(sessions: &[(&Record, RecordStatus)], question: Option<&str>) -> Summary {
    let records = records(sessions, question);
    let lines = sessions
        .iter()
        .filter(|(record, _)| records.iter().any(|r| r.id == record.id))
        .map(|(record, status)| SessionLine {
            id: record.id.clone(),
            kind: record.kind,
            started_at: record.started_at,
            status: *status,
            answers: record.answers.len(),
            average_score: record.average_score(),
            time_used_s: record.time_used_s(),
        })
        .collect();
    let all: Vec<Attempt<'_>> = attempts(&records)
        .into_iter()
        .filter(|a| question.is_none_or(|id| a.question_id == id))
        .collect();

    let mut by_question: BTreeMap<&str, Vec<&Attempt<'_>>> = BTreeMap::new();
    for attempt in &all {
        by_question
            .entry(attempt.question_id)
            .or_default()
            .push(attempt);
    }
    let mut questions: Vec<QuestionStats> = by_question
        .iter()
        .filter_map(|(id, tries)| {
            let last = tries.last()?;
            let scores: Vec<f64> = tries.iter().map(|a| a.score).collect();
            Some(QuestionStats {
                question_id: (*id).to_owned(),
                question: last.question.to_owned(),
                attempts: tries.len(),
                best: scores.iter().copied().fold(0.0, f64::max),
                last: last.score,
                average: round1(scores.iter().sum::<f64>() / scores.len() as f64),
                trend: scores[scores.len().saturating_sub(TREND_LEN)..].to_vec(),
                story_trend: tries[tries.len().saturating_sub(TREND_LEN)..]
                    .iter()
                    .filter_map(|a| a.story.clone())
                    .collect(),
                last_at: last.at,
            })
        })
        .collect();
    questions.sort_by_key(|q| std::cmp::Reverse(q.last_at));

    // Per point: (missed, then recovered in a follow-up).
    let mut missed: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for attempt in &all {
        for point in &attempt.missed {
            let counts = missed.entry((attempt.question_id, point)).or_default();
            counts.0 += 1;
            counts.1 += usize::from(attempt.recovered == Some(*point));
        }
    }
    let mut missed_most: Vec<MissedPoint> = missed
        .into_iter()
        .map(|((question_id, point), (count, recovered))| MissedPoint {
            question_id: question_id.to_owned(),
            point: point.to_owned(),
            missed: count,
            attempts: by_question.get(question_id).map_or(0, Vec::len),
            recovered,
        })
        .collect();
    // Most often first; a point missed every time beats one missed as often in more tries.
    missed_most.sort_by(|a, b| {
        b.missed.cmp(&a.missed).then_with(|| {
            (a.missed as f64 / a.attempts.max(1) as f64)
                .total_cmp(&(b.missed as f64 / b.attempts.max(1) as f64))
                .reverse()
        })
    });
    missed_most.truncate(MISSED_LEN);

    Summary {
        sessions: lines,
        questions,
        missed_most,
        total_practice_s: records.iter().map(|r| r.time_used_s()).sum(),
    }
}

/// One attempt at a question, for its trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Try {
    pub at: DateTime<Utc>,
    pub session_id: String,
    pub score: f64,
}

/// Every attempt at one question, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionTrend {
    pub question_id: String,
    pub question: String,
    pub tries: Vec<Try>,
}

/// How a spoken answer was delivered, for trends over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryTry {
    pub at: DateTime<Utc>,
    pub question_id: String,
    pub fillers_per_100_words: f64,
    pub wpm: f64,
}

/// What the progress page shows: the summary, every attempt per question, and the delivery of
/// every spoken answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub summary: Summary,
    /// In the order of the summary's questions (most recently practised first).
    pub questions: Vec<QuestionTrend>,
    /// Oldest first.
    pub delivery: Vec<DeliveryTry>,
}

/// The progress across sessions given newest first; `question` keeps only that question.
pub fn progress(sessions: &[(&Record, RecordStatus)], question: Option<&str>) -> Progress {
    let summary = summarize(sessions, question);
    let records = records(sessions, question);
    let all: Vec<Attempt<'_>> = attempts(&records)
        .into_iter()
        .filter(|a| question.is_none_or(|id| a.question_id == id))
        .collect();
    let questions = summary
        .questions
        .iter()
        .map(|stats| QuestionTrend {
            question_id: stats.question_id.clone(),
            question: stats.question.clone(),
            tries: all
                .iter()
                .filter(|a| a.question_id == stats.question_id)
                .map(|a| Try {
                    at: a.at,
                    session_id: a.session_id.to_owned(),
                    score: a.score,
                })
                .collect(),
        })
        .collect();
    let mut delivery: Vec<DeliveryTry> = records
        .iter()
        .flat_map(|record| &record.answers)
        .filter(|a| question.is_none_or(|id| a.question.id == id))
        .filter_map(|answer| {
            let d = &answer.score.report.delivery;
            // Spoken answers only: a typed one has no pace.
            let wpm = d.wpm.filter(|_| d.words > 0)?;
            Some(DeliveryTry {
                at: answer.started_at,
                question_id: answer.question.id.clone(),
                fillers_per_100_words: d.fillers_per_100_words,
                wpm,
            })
        })
        .collect();
    delivery.sort_by_key(|d| d.at);
    Progress {
        summary,
        questions,
        delivery,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::score::{Norms, PointResult, ScoreReport, Status};
    use crate::session::record::{Answer, SavedQuestion, Scoring, SourceKind};
    use crate::transcript::Transcript;
    use chrono::TimeZone;

    pub(crate) fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn point(name: &str, status: Status) -> PointResult {
        PointResult {
            point: name.into(),
            status,
            heard: None,
            similarity: 0.0,
            at_s: None,
            matched_by: None,
            meaning_similarity: None,
            negated: false,
            reference: None,
            weight: 1.0,
        }
    }

    /// An answer to `id` scoring `score`, missing the points named in `missed` of `a`, `b`.
    pub(crate) fn answer(
        id: &str,
        started_at: DateTime<Utc>,
        score: f64,
        missed: &[&str],
    ) -> Answer {
        let status = |p: &str| {
            if missed.contains(&p) {
                Status::Missed
            } else {
                Status::Hit
            }
        };
        Answer {
            question: SavedQuestion {
                id: id.into(),
                deck: "d".into(),
                category: "c".into(),
                question: format!("What about {id}?"),
                kind: crate::bank::Kind::Technical,
                answer: "Reference.".into(),
                key_points: vec![],
                time_limit_s: 90,
            },
            started_at,
            time_used_s: 30.0,
            time_limit_s: 90,
            source: SourceKind::Typed,
            transcript: Transcript::typed("words"),
            recording: None,
            interrupted: false,
            score: Scoring {
                scored_at: started_at,
                scorer: "test".into(),
                report: ScoreReport {
                    question_id: id.into(),
                    score,
                    key_points: vec![point("a", status("a")), point("b", status("b"))],
                    semantic_model: None,
                    sentences: vec![],
                    reference_coverage: 0.0,
                    transcript: "words".into(),
                    delivery: crate::score::delivery::measure(
                        &Transcript::typed("words").words(),
                        None,
                        None,
                        None,
                        90,
                        &Norms::default(),
                    ),
                    keyword_list: false,
                    verdict_against: None,
                    structure: None,
                    suggestion: String::new(),
                    signals: Default::default(),
                    corrections: Vec::new(),
                },
            },
            earlier_scores: vec![],
            follow_up: None,
        }
    }

    pub(crate) fn record(id: &str, answers: Vec<Answer>) -> Record {
        let started = answers.first().map_or_else(|| at(1, 0), |a| a.started_at);
        let mut record = Record::new(id.into(), Kind::Round, started, vec![]);
        record.answers = answers;
        record.status = RecordStatus::Complete;
        record
    }

    #[test]
    fn per_question_figures_and_trend_oldest_first() {
        let older = record(
            "s1",
            vec![
                answer("ecs", at(1, 9), 40.0, &["a", "b"]),
                answer("iam", at(1, 10), 90.0, &[]),
            ],
        );
        let newer = record("s2", vec![answer("ecs", at(3, 9), 70.0, &["a"])]);
        let sessions = [
            (&newer, RecordStatus::Complete),
            (&older, RecordStatus::Interrupted),
        ];
        let summary = summarize(&sessions, None);
        assert_eq!(summary.sessions[0].id, "s2");
        assert_eq!(summary.sessions[1].status, RecordStatus::Interrupted);
        assert_eq!(summary.sessions[1].average_score, Some(65.0));
        assert_eq!(summary.total_practice_s, 90.0);

        let ecs = &summary.questions[0];
        assert_eq!(ecs.question_id, "ecs", "most recently practised first");
        assert_eq!(
            (ecs.attempts, ecs.best, ecs.last, ecs.average),
            (2, 70.0, 70.0, 55.0)
        );
        assert_eq!(ecs.trend, [40.0, 70.0]);

        let top = &summary.missed_most[0];
        assert_eq!((top.point.as_str(), top.missed, top.attempts), ("a", 2, 2));
        assert_eq!(summary.missed_most.len(), 2);
    }

    #[test]
    fn one_question_keeps_only_its_sessions_and_attempts() {
        let s1 = record("s1", vec![answer("ecs", at(1, 9), 40.0, &[])]);
        let s2 = record("s2", vec![answer("iam", at(2, 9), 80.0, &["b"])]);
        let sessions = [(&s2, RecordStatus::Complete), (&s1, RecordStatus::Complete)];
        let summary = summarize(&sessions, Some("iam"));
        assert_eq!(summary.sessions.len(), 1);
        assert_eq!(summary.questions.len(), 1);
        assert_eq!(summary.missed_most[0].point, "b");
    }

    #[test]
    fn progress_keeps_every_attempt_and_the_delivery_of_spoken_answers() {
        let mut spoken = answer("ecs", at(2, 9), 60.0, &["a"]);
        spoken.score.report.delivery.wpm = Some(150.0);
        spoken.score.report.delivery.fillers_per_100_words = 4.0;
        let older = record(
            "s1",
            (0..14)
                .map(|i| answer("ecs", at(1, i), f64::from(i) * 5.0, &[]))
                .collect(),
        );
        let newer = record("s2", vec![spoken, answer("iam", at(3, 9), 90.0, &[])]);
        let sessions = [
            (&newer, RecordStatus::Complete),
            (&older, RecordStatus::Complete),
        ];
        let progress = progress(&sessions, None);
        let ids: Vec<&str> = progress
            .questions
            .iter()
            .map(|q| q.question_id.as_str())
            .collect();
        assert_eq!(ids, ["iam", "ecs"], "most recently practised first");
        let ecs = &progress.questions[1];
        assert_eq!(
            ecs.tries.len(),
            15,
            "every attempt, not only the last twelve"
        );
        assert_eq!(ecs.tries[14].score, 60.0);
        assert_eq!(ecs.tries[14].session_id, "s2");
        assert_eq!(progress.delivery.len(), 1, "typed answers have no pace");
        assert_eq!(progress.delivery[0].wpm, 150.0);
        let only_iam = super::progress(&sessions, Some("iam"));
        assert_eq!(only_iam.questions.len(), 1);
        assert!(only_iam.delivery.is_empty());
    }

    #[test]
    fn no_sessions_give_an_empty_summary() {
        let summary = summarize(&[], None);
        assert!(summary.sessions.is_empty() && summary.questions.is_empty());
        assert_eq!(summary.total_practice_s, 0.0);
    }
}
