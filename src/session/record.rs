//! The session record: one versioned JSON document per session. It keeps each question and its
//! reference as they were when answered, so that a later edit of the bank never changes what a
//! review shows; rescoring against today's bank is an explicit step that keeps the older scores.

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bank::{KeyPoint, Question};
use crate::score::{ScoreReport, Status};
use crate::text::visible;
use crate::transcript::Transcript;

/// The schema this build writes. Version 1 kept one bare score per answer; version 2 keeps when
/// and by which rehearse each score was made, and the scores that rescoring replaced; version 3
/// adds each answer's follow-up question (none in older records).
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Practice,
    Round,
    Drill,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Round => "round",
            Self::Drill => "drill",
        }
    }
}

/// What the record says about how the session ended. A process killed mid-round leaves
/// `InProgress` on disk; the store reports such a session as interrupted once no process holds
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    InProgress,
    Complete,
    Interrupted,
}

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// Typed at the console.
    Typed,
    /// `--text T`.
    Text,
    /// A recording, `--wav F`.
    Wav,
    /// Spoken into the microphone.
    Mic,
    /// A transcript file (`score --transcript F`).
    Transcript,
}

/// The options the session ran with.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub count: Option<usize>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub prep_s: u32,
    /// `--time-limit`, when given; each answer records the limit it had.
    #[serde(default)]
    pub time_limit_s: Option<u32>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub speak: bool,
    /// `--follow-up`: a follow-up question after each answer that missed a key point.
    #[serde(default)]
    pub follow_up: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedKeyPoint {
    pub point: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A question as it was when answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedQuestion {
    pub id: String,
    pub deck: String,
    pub category: String,
    pub question: String,
    /// Sessions saved before questions had kinds hold technical ones.
    #[serde(default)]
    pub kind: crate::bank::Kind,
    pub answer: String,
    pub key_points: Vec<SavedKeyPoint>,
    pub time_limit_s: u32,
}

impl From<&Question> for SavedQuestion {
    fn from(q: &Question) -> Self {
        Self {
            id: q.id.clone(),
            deck: q.deck.clone(),
            category: q.category.clone(),
            question: q.question.clone(),
            kind: q.kind,
            answer: q.answer.clone(),
            key_points: q
                .key_points
                .iter()
                .map(|kp| SavedKeyPoint {
                    point: kp.point.clone(),
                    aliases: kp.aliases.clone(),
                })
                .collect(),
            time_limit_s: q.time_limit_s,
        }
    }
}

impl SavedQuestion {
    /// The saved question as a bank question, for rescoring one that left the bank.
    pub fn to_question(&self) -> Question {
        Question {
            id: self.id.clone(),
            deck: self.deck.clone(),
            category: self.category.clone(),
            question: self.question.clone(),
            kind: self.kind,
            answer: self.answer.clone(),
            key_points: self
                .key_points
                .iter()
                .map(|kp| KeyPoint {
                    point: kp.point.clone(),
                    aliases: kp.aliases.clone(),
                    follow_up: None,
                })
                .collect(),
            time_limit_s: self.time_limit_s,
            source: "session record".into(),
        }
    }
}

/// One scoring of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    pub scored_at: DateTime<Utc>,
    /// The rehearse version that scored it.
    pub scorer: String,
    pub report: ScoreReport,
}

impl Scoring {
    pub fn now(report: ScoreReport) -> Self {
        Self {
            scored_at: Utc::now(),
            scorer: env!("CARGO_PKG_VERSION").to_owned(),
            report,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub question: SavedQuestion,
    pub started_at: DateTime<Utc>,
    /// Seconds from the start of the answer to its end.
    pub time_used_s: f64,
    pub time_limit_s: u32,
    pub source: SourceKind,
    pub transcript: Transcript,
    /// The recording's file name inside the session folder.
    pub recording: Option<String>,
    /// The answer was cut short by Ctrl-C.
    #[serde(default)]
    pub interrupted: bool,
    pub score: Scoring,
    /// Scores that `rescore` replaced, oldest first.
    #[serde(default)]
    pub earlier_scores: Vec<Scoring>,
    /// The follow-up question asked about a key point the answer missed, with its answer.
    /// A point recovered here still counts as missed in the answer's own score.
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
}

/// A follow-up question about one missed key point, and how its answer covered that point.
/// Kept as it was scored: `rescore` leaves it alone, since it was asked about that day's point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub question: String,
    /// The key point it asks about.
    pub point: String,
    /// What was said, as text.
    pub transcript: String,
    /// Whether the answer made the point.
    pub status: Status,
    /// 0 to 100: the answer scored against that point alone.
    pub score: f64,
    /// The words that made the point, and when (null for typed answers).
    #[serde(default)]
    pub heard: Option<String>,
    #[serde(default)]
    pub at_s: Option<f64>,
    pub source: SourceKind,
    pub time_used_s: f64,
    /// The recording's file name inside the session folder.
    #[serde(default)]
    pub recording: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub id: String,
    pub kind: Kind,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub status: RecordStatus,
    pub rehearse_version: String,
    /// The bank files or folders in use.
    pub bank: Vec<String>,
    /// The whisper model, when an answer was transcribed.
    pub model: Option<String>,
    pub settings: Settings,
    pub answers: Vec<Answer>,
}

impl Record {
    pub fn new(id: String, kind: Kind, started_at: DateTime<Utc>, bank: Vec<String>) -> Self {
        Self {
            schema: SCHEMA_VERSION,
            id,
            kind,
            started_at,
            ended_at: None,
            status: RecordStatus::InProgress,
            rehearse_version: env!("CARGO_PKG_VERSION").to_owned(),
            bank,
            model: None,
            settings: Settings::default(),
            answers: Vec::new(),
        }
    }

    /// Seconds spent answering.
    pub fn time_used_s(&self) -> f64 {
        self.answers.iter().map(|a| a.time_used_s).sum()
    }

    pub fn average_score(&self) -> Option<f64> {
        (!self.answers.is_empty()).then(|| {
            self.answers
                .iter()
                .map(|a| a.score.report.score)
                .sum::<f64>()
                / self.answers.len() as f64
        })
    }

    /// Parse a record of this or any older schema version. Its text is shown on terminals, so
    /// control characters in it are made visible (see [`crate::text::visible`]).
    pub fn from_json(text: &str) -> Result<Self> {
        Ok(Self::from_json_keeping(text)?.0)
    }

    /// Parse a record, and keep the document as read (brought to this schema) for
    /// [`Record::to_json_over`]: fields this build does not know survive a rewrite.
    pub fn from_json_keeping(text: &str) -> Result<(Self, Value)> {
        let mut value: Value = serde_json::from_str(text).context("it is not valid JSON")?;
        let version = value
            .get("schema")
            .and_then(Value::as_u64)
            .context("it has no `schema` version number")?;
        if version > u64::from(SCHEMA_VERSION) {
            bail!(
                "it was written by a newer rehearse (schema {version}; this one reads up to \
                 {SCHEMA_VERSION}); upgrade rehearse to read it"
            );
        }
        if version < 2 {
            migrate_v1(&mut value)?;
        }
        value["schema"] = Value::from(SCHEMA_VERSION);
        let mut shown = value.clone();
        visible::neutralise_json(&mut shown);
        let record = serde_json::from_value(shown)
            .context("it does not have the fields of a session record")?;
        Ok((record, value))
    }

    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// This record written over `kept`, the document it was read from: every field this build
    /// knows is written anew, and every other one (written by a newer build, another tool or
    /// the user: notes, tags) stays where it was.
    pub fn to_json_over(&self, mut kept: Value) -> Result<String> {
        overlay(&mut kept, serde_json::to_value(self)?);
        Ok(serde_json::to_string_pretty(&kept)?)
    }
}

/// `new` written over `base`: objects merge key by key, lists item by item (an item beyond
/// the old list is added, one beyond the new list goes); anything else is replaced.
fn overlay(base: &mut Value, new: Value) {
    match (base, new) {
        (Value::Object(base), Value::Object(new)) => {
            for (key, value) in new {
                match base.get_mut(&key) {
                    Some(old) => overlay(old, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (Value::Array(base), Value::Array(new)) => {
            base.truncate(new.len());
            let old_len = base.len();
            for (i, value) in new.into_iter().enumerate() {
                if i < old_len {
                    overlay(&mut base[i], value);
                } else {
                    base.push(value);
                }
            }
        }
        (base, new) => *base = new,
    }
}

/// Version 1 → 2: each answer's bare `score` report becomes a [`Scoring`] stamped with the
/// session's start and the version that wrote it.
fn migrate_v1(value: &mut Value) -> Result<()> {
    let started = value.get("started_at").cloned().unwrap_or(Value::Null);
    let version = value
        .get("rehearse_version")
        .cloned()
        .unwrap_or_else(|| Value::from("unknown"));
    let answers = value
        .get_mut("answers")
        .and_then(Value::as_array_mut)
        .context("it has no `answers` list")?;
    for answer in answers {
        let object = answer
            .as_object_mut()
            .context("an answer is not a JSON object")?;
        let report = object.remove("score").context("an answer has no `score`")?;
        object.insert(
            "score".into(),
            serde_json::json!({"scored_at": started, "scorer": version, "report": report}),
        );
        object.insert("earlier_scores".into(), Value::Array(Vec::new()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_1_record_still_loads() -> Result<()> {
        let text = include_str!(
            "../../tests/fixtures/sessions/2026-01-15T09-30-00-practice-v1ab/session.json"
        );
        assert!(text.contains("\"schema\": 1"));
        let record = Record::from_json(text)?;
        assert_eq!(record.schema, SCHEMA_VERSION);
        let answer = &record.answers[0];
        assert_eq!(answer.score.scorer, "0.1.0");
        assert_eq!(answer.score.scored_at, record.started_at);
        assert_eq!(answer.score.report.question_id, "what-is-ecs");
        assert!(answer.score.report.score > 50.0);
        assert!(answer.earlier_scores.is_empty());
        // Saved again, it is a current record.
        assert_eq!(Record::from_json(&record.to_json()?)?, record);
        Ok(())
    }

    #[test]
    fn newer_schema_and_junk_are_refused_with_a_reason() {
        let newer = Record::from_json(r#"{"schema": 99}"#).map(|_| ());
        assert!(newer.is_err_and(|e| e.to_string().contains("newer")));
        let junk = Record::from_json("{\"schema\": 2, \"id\": ").map(|_| ());
        assert!(junk.is_err_and(|e| e.to_string().contains("not valid JSON")));
        let no_version = Record::from_json("{}").map(|_| ());
        assert!(no_version.is_err_and(|e| e.to_string().contains("schema")));
    }
}
