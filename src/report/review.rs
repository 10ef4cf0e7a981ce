//! The data of `rehearse review`, built once from a session record, and rendered by one of the
//! formats behind [`super::Render`] (terminal text, Markdown, HTML, JSON).

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::score::structure::Part;
use crate::score::{ScoreReport, Status};
use crate::session::{FollowUp, Kind, Record, RecordStatus, SourceKind};
use crate::transcript::Transcript;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionInfo {
    pub id: String,
    pub kind: Kind,
    pub started_at: DateTime<Utc>,
    pub status: RecordStatus,
    pub bank: Vec<String>,
    pub model: Option<String>,
}

/// A word of the transcript, marked when it made a key point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkedWord {
    pub word: String,
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
    pub mark: Option<Status>,
    /// The key point the word belongs to.
    pub point: Option<String>,
    /// whisper was unsure of it (`transcript::UNSURE_P`): shown faint.
    pub unsure: bool,
    /// What whisper wrote, when the word was corrected to a bank term.
    pub heard: Option<String>,
    /// The part of a behavioural answer's story (STAR) the word carries.
    pub story_part: Option<Part>,
}

/// A recording kept in the session folder, and whether it is still there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordingFile {
    pub file: String,
    /// The file's absolute path.
    pub path: String,
    /// False when the file was deleted by hand.
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarlierScore {
    pub scored_at: DateTime<Utc>,
    pub scorer: String,
    pub score: f64,
}

/// One answer: the contract's score JSON, plus what the review shows around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewAnswer {
    #[serde(flatten)]
    pub report: ScoreReport,
    pub number: usize,
    pub question: String,
    pub category: String,
    pub reference_answer: String,
    pub source: SourceKind,
    pub time_used_s: f64,
    pub time_limit_s: u32,
    pub interrupted: bool,
    pub recording: Option<RecordingFile>,
    pub words: Vec<MarkedWord>,
    /// The saved transcript, with whisper's timings when it was spoken.
    pub timed_transcript: Transcript,
    pub scored_at: DateTime<Utc>,
    pub earlier_scores: Vec<EarlierScore>,
    /// The follow-up question about a missed point, and its answer.
    pub follow_up: Option<FollowUp>,
    pub follow_up_recording: Option<RecordingFile>,
}

/// The recording of an answer cut off before it was scored ([`crate::session::cut_off`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutOffRecording {
    pub question_id: String,
    pub recording: RecordingFile,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDoc {
    pub session: SessionInfo,
    pub answers: Vec<ReviewAnswer>,
    /// Recordings of answers cut off before they were scored, kept with the session.
    pub cut_off: Vec<CutOffRecording>,
}

/// The review of a session stored in `dir`, with the cut-off recordings found there (`cut_off`,
/// file names); `exists` says whether a recording is still there.
pub fn build(
    record: &Record,
    status: RecordStatus,
    (dir, cut_off): (&Path, &[String]),
    exists: impl Fn(&Path) -> bool,
) -> ReviewDoc {
    let recording = |file: &String| {
        let path = dir.join(file);
        RecordingFile {
            file: file.clone(),
            present: exists(&path),
            path: path.display().to_string(),
        }
    };
    let answers = record
        .answers
        .iter()
        .enumerate()
        .map(|(i, answer)| {
            let report = answer.score.report.clone();
            ReviewAnswer {
                number: i + 1,
                question: answer.question.question.clone(),
                category: answer.question.category.clone(),
                reference_answer: answer.question.answer.clone(),
                source: answer.source,
                time_used_s: answer.time_used_s,
                time_limit_s: answer.time_limit_s,
                interrupted: answer.interrupted,
                recording: answer.recording.as_ref().map(&recording),
                follow_up: answer.follow_up.clone(),
                follow_up_recording: answer
                    .follow_up
                    .as_ref()
                    .and_then(|f| f.recording.as_ref())
                    .map(&recording),
                words: mark_words(&answer.transcript, &report),
                timed_transcript: answer.transcript.clone(),
                scored_at: answer.score.scored_at,
                earlier_scores: answer
                    .earlier_scores
                    .iter()
                    .map(|s| EarlierScore {
                        scored_at: s.scored_at,
                        scorer: s.scorer.clone(),
                        score: s.report.score,
                    })
                    .collect(),
                report,
            }
        })
        .collect();
    ReviewDoc {
        session: SessionInfo {
            id: record.id.clone(),
            kind: record.kind,
            started_at: record.started_at,
            status,
            bank: record.bank.clone(),
            model: record.model.clone(),
        },
        answers,
        cut_off: cut_off
            .iter()
            .filter_map(|file| {
                Some(CutOffRecording {
                    question_id: crate::session::cut_off::question_id(file)?.to_owned(),
                    recording: recording(file),
                })
            })
            .collect(),
    }
}

/// The transcript's words with the ones that made a key point marked. The scorer reports the
/// words it heard for each point (and when); they are found again in the word list, preferring
/// the place whose time matches.
pub fn mark_words(transcript: &Transcript, report: &ScoreReport) -> Vec<MarkedWord> {
    let mut words: Vec<MarkedWord> = transcript
        .words()
        .into_iter()
        .map(|w| MarkedWord {
            word: w.text.to_owned(),
            start_s: w.start_s,
            end_s: w.end_s,
            mark: None,
            point: None,
            unsure: w.is_unsure(),
            heard: w.heard.map(str::to_owned),
            story_part: None,
        })
        .collect();
    for part in report.structure.iter().flat_map(|s| &s.parts) {
        for piece in &part.pieces {
            let to = piece.to_word.min(words.len());
            for word in words
                .get_mut(piece.from_word.min(to)..to)
                .into_iter()
                .flatten()
            {
                word.story_part = Some(part.part);
            }
        }
    }
    for point in &report.key_points {
        let (Some(heard), Status::Hit | Status::Partial) = (&point.heard, point.status) else {
            continue;
        };
        let wanted: Vec<&str> = heard.split(' ').collect();
        let n = wanted.len();
        let places: Vec<usize> = (0..words.len().saturating_sub(n - 1))
            .filter(|&i| {
                words[i..i + n]
                    .iter()
                    .zip(&wanted)
                    .all(|(w, t)| w.word == *t)
            })
            .collect();
        let at = places
            .iter()
            .copied()
            .find(|&i| point.at_s.is_some() && words[i].start_s == point.at_s)
            .or_else(|| places.first().copied());
        if let Some(start) = at {
            for word in &mut words[start..start + n] {
                // A hit outranks a partial where two points share words.
                if word.mark != Some(Status::Hit) {
                    word.mark = Some(point.status);
                    word.point = Some(point.point.clone());
                }
            }
        }
    }
    words
}

/// Words grouped into lines of at most `width` characters, each with its first word's time.
pub fn lines(words: &[MarkedWord], width: usize) -> Vec<(Option<f64>, Vec<&MarkedWord>)> {
    let mut lines: Vec<(Option<f64>, Vec<&MarkedWord>)> = Vec::new();
    let mut used = 0;
    for word in words {
        let len = word.word.chars().count() + 1;
        match lines.last_mut() {
            Some((_, line)) if used + len <= width => {
                line.push(word);
                used += len;
            }
            _ => {
                lines.push((word.start_s, vec![word]));
                used = len;
            }
        }
    }
    lines
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bank::{KeyPoint, Question};
    use crate::score::Scorer;
    use crate::transcript::{Segment, Word};

    pub(crate) fn question() -> Question {
        Question {
            id: "what-is-ecs".into(),
            deck: "ECS".into(),
            category: "general".into(),
            question: "What is Amazon ECS?".into(),
            kind: crate::bank::Kind::Technical,
            answer: "ECS is a fully managed container orchestration service.".into(),
            key_points: vec![
                KeyPoint {
                    point: "fully managed".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "container orchestration".into(),
                    aliases: vec![],
                    follow_up: None,
                },
                KeyPoint {
                    point: "Docker containers".into(),
                    aliases: vec![],
                    follow_up: None,
                },
            ],
            time_limit_s: 60,
            source: "b.toml".into(),
        }
    }

    /// A spoken answer, one word every half second.
    pub(crate) fn timed(text: &str) -> Transcript {
        let words: Vec<Word> = text
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                word: format!(" {w}"),
                start_s: i as f64 * 0.5,
                end_s: i as f64 * 0.5 + 0.4,
                p: 0.9,
                heard: None,
            })
            .collect();
        Transcript {
            model: Some("tiny.en".into()),
            duration_s: Some(words.len() as f64 * 0.5),
            text: text.into(),
            segments: vec![Segment {
                start_s: 0.0,
                end_s: words.len() as f64 * 0.5,
                text: text.into(),
                words,
            }],
            pitch: None,
        }
    }

    /// [`timed`], with "ECS" heard as "PCS" and whisper unsure of "does" (p 0.2).
    pub(crate) fn corrected_and_unsure(text: &str) -> Transcript {
        let mut transcript = timed(text);
        for word in &mut transcript.segments[0].words {
            match word.word.trim() {
                "ECS" => word.heard = Some("PCS".into()),
                "does" => word.p = 0.2,
                _ => {}
            }
        }
        transcript
    }

    /// An answer to [`question`] with "ECS" heard as "PCS", whose "Docker containers" was heard
    /// as "dakka containers", whisper unsure of "dakka": the point is not clearly heard.
    pub(crate) fn unclear_point() -> Transcript {
        let mut transcript = corrected_and_unsure(
            "ECS is fully managed and does container orchestration dakka containers",
        );
        for word in &mut transcript.segments[0].words {
            if word.word.trim() == "dakka" {
                word.p = 0.1;
            }
        }
        transcript
    }

    /// The review of a session "s1" in /data/s1 with one answer to [`question`], recorded
    /// (the recording there or not).
    pub(crate) fn reviewed(transcript: Transcript, recording_there: bool) -> ReviewDoc {
        let report = scored(&transcript);
        let answer = crate::session::Answer {
            question: crate::session::SavedQuestion::from(&question()),
            started_at: chrono::Utc::now(),
            time_used_s: 4.0,
            time_limit_s: 60,
            source: SourceKind::Wav,
            transcript,
            recording: Some("01-what-is-ecs.wav".into()),
            interrupted: false,
            score: crate::session::Scoring::now(report),
            earlier_scores: vec![],
            follow_up: None,
        };
        build(
            &crate::session::history::tests::record("s1", vec![answer]),
            RecordStatus::Complete,
            (Path::new("/data/s1"), &[]),
            |_| recording_there,
        )
    }

    pub(crate) fn scored(transcript: &Transcript) -> ScoreReport {
        Scorer::words_only()
            .score(&question(), transcript)
            .expect("words-only scoring cannot fail")
    }

    #[test]
    fn the_words_that_made_each_point_are_marked_where_they_were_heard() {
        // "fully managed" twice: the scorer names the first, and only that place is marked.
        let transcript =
            timed("it is fully managed and fully managed again, an orchestrator of containers");
        let report = scored(&transcript);
        let words = mark_words(&transcript, &report);
        let marked: Vec<(&str, Option<Status>)> = words
            .iter()
            .filter(|w| w.mark.is_some())
            .map(|w| (w.word.as_str(), w.mark))
            .collect();
        assert_eq!(marked[0], ("fully", Some(Status::Hit)));
        assert_eq!(marked[1], ("managed", Some(Status::Hit)));
        assert_eq!(words[2].start_s, Some(1.0));
        assert_eq!(
            words[5].mark, None,
            "the second 'fully' is not the one heard"
        );
        assert_eq!(words[2].point.as_deref(), Some("fully managed"));
    }

    #[test]
    fn typed_answers_are_marked_without_times() {
        let transcript = Transcript::typed("ECS does container orchestration for you");
        let words = mark_words(&transcript, &scored(&transcript));
        let marked: Vec<&str> = words
            .iter()
            .filter(|w| w.mark == Some(Status::Hit))
            .map(|w| w.word.as_str())
            .collect();
        assert_eq!(marked, ["container", "orchestration"]);
        assert!(words.iter().all(|w| w.start_s.is_none()));
    }

    #[test]
    fn lines_break_at_the_width_and_carry_the_first_time() {
        let transcript = timed("one two three four five six");
        let words = mark_words(&transcript, &scored(&transcript));
        let lines = lines(&words, 11);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].0, Some(1.0));
        assert_eq!(lines[1].1.len(), 2);
    }
}
