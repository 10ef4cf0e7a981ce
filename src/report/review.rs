//! The data of `rehearse review`, built once from a session record, and rendered by one of the
//! formats behind [`Render`] (terminal text, Markdown, HTML, JSON).

use std::fmt::Write;
use std::path::Path;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::terminal;
use crate::score::{ScoreReport, Status};
use crate::session::{FollowUp, Kind, Record, RecordStatus, SourceKind};
use crate::style::{ACCENT, DIM, HEADING, HIT, MISSED, PARTIAL, clock};
use crate::transcript::Transcript;

/// A review output format.
pub trait Render {
    fn render(&self, doc: &ReviewDoc) -> Result<String>;
}

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
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recording {
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
    pub recording: Option<Recording>,
    pub words: Vec<MarkedWord>,
    /// The saved transcript, with whisper's timings when it was spoken.
    pub timed_transcript: Transcript,
    pub scored_at: DateTime<Utc>,
    pub earlier_scores: Vec<EarlierScore>,
    /// The follow-up question about a missed point, and its answer.
    pub follow_up: Option<FollowUp>,
    pub follow_up_recording: Option<Recording>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDoc {
    pub session: SessionInfo,
    pub answers: Vec<ReviewAnswer>,
}

/// The review of a session stored in `dir`; `exists` says whether a recording is still there.
pub fn build(
    record: &Record,
    status: RecordStatus,
    dir: &Path,
    exists: impl Fn(&Path) -> bool,
) -> ReviewDoc {
    let recording = |file: &String| {
        let path = dir.join(file);
        Recording {
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
        })
        .collect();
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

/// How a follow-up's answer covered its point, in words.
pub fn follow_up_said(status: Status) -> &'static str {
    match status {
        Status::Hit => "said",
        Status::Partial => "partly said",
        Status::Missed => "still missed",
    }
}

pub fn status_label(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Complete => "complete",
        RecordStatus::Interrupted => "interrupted",
        RecordStatus::InProgress => "in progress",
    }
}

/// The terminal format. Without colour, words that made a point are bracketed instead:
/// `[hit words]`, `{partial words}`.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub width: usize,
    pub color: bool,
}

impl Text {
    /// One line of the transcript, marked.
    fn marked_line(&self, line: &[&MarkedWord]) -> String {
        let same = |a: &MarkedWord, b: &MarkedWord| {
            a.mark.is_some() && a.mark == b.mark && a.point == b.point
        };
        let mut out = Vec::with_capacity(line.len());
        for (i, word) in line.iter().enumerate() {
            let text = match (word.mark, self.color) {
                (Some(Status::Hit), true) => format!("{HIT}{}{HIT:#}", word.word),
                (Some(Status::Partial), true) => format!("{PARTIAL}{}{PARTIAL:#}", word.word),
                (Some(mark @ (Status::Hit | Status::Partial)), false) => {
                    let (open, close) = if mark == Status::Hit {
                        ("[", "]")
                    } else {
                        ("{", "}")
                    };
                    let first = i == 0 || !same(line[i - 1], word);
                    let last = i + 1 == line.len() || !same(line[i + 1], word);
                    format!(
                        "{}{}{}",
                        if first { open } else { "" },
                        word.word,
                        if last { close } else { "" }
                    )
                }
                _ => word.word.clone(),
            };
            out.push(text);
        }
        out.join(" ")
    }
}

impl Render for Text {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let width = self.width;
        let mut out = String::new();
        let s = &doc.session;
        let _ = writeln!(
            out,
            "{HEADING}Session {}{HEADING:#}\n{DIM}{} · {} · {} answer{} · {}{DIM:#}",
            s.id,
            s.kind.name(),
            s.started_at
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M"),
            doc.answers.len(),
            if doc.answers.len() == 1 { "" } else { "s" },
            status_label(s.status)
        );
        if doc.answers.is_empty() {
            let _ = writeln!(out, "\nNo answers were given in this session.");
        }
        for answer in &doc.answers {
            let _ = writeln!(
                out,
                "\n{ACCENT}━━ Answer {} · {} · {:.0}/100 · {} of {}{}{ACCENT:#}",
                answer.number,
                super::summary::fit(&answer.report.question_id, width.saturating_sub(44).max(12)),
                answer.report.score,
                clock(answer.time_used_s),
                clock(f64::from(answer.time_limit_s)),
                if answer.interrupted {
                    " · cut short"
                } else {
                    ""
                }
            );
            for line in textwrap::wrap(&answer.question, width) {
                let _ = writeln!(out, "{HEADING}{line}{HEADING:#}");
            }
            let legend = if self.color {
                format!("{HIT}hit{HIT:#} {DIM}·{DIM:#} {PARTIAL}partial{PARTIAL:#}")
            } else {
                "[hit] {partial}".to_owned()
            };
            let _ = writeln!(
                out,
                "\n{ACCENT}Transcript{ACCENT:#} {DIM}({DIM:#}{legend}{DIM}){DIM:#}"
            );
            if answer.words.is_empty() {
                let _ = writeln!(out, "  {DIM}(nothing was said){DIM:#}");
            }
            let timed = answer.words.iter().any(|w| w.start_s.is_some());
            // Room for the time stamp, and for brackets when there is no colour.
            let text_width = width.saturating_sub(if timed { 9 } else { 2 } + 4).max(20);
            for (at, line) in lines(&answer.words, text_width) {
                let stamp = match (timed, at) {
                    (true, Some(at)) => format!("{DIM}{:>5}{DIM:#}  ", clock(at)),
                    (true, None) => "       ".to_owned(),
                    _ => String::new(),
                };
                let _ = writeln!(out, "  {stamp}{}", self.marked_line(&line));
            }
            if let Some(recording) = &answer.recording {
                if recording.present {
                    let _ = writeln!(
                        out,
                        "  {DIM}recording: {} (--format html plays it){DIM:#}",
                        recording.file
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "  {MISSED}The recording {} is gone;{MISSED:#} the transcript above is what was kept.",
                        recording.file
                    );
                }
            }
            out.push('\n');
            out.push_str(&terminal::score(&answer.report, width));
            if !answer.earlier_scores.is_empty() {
                let earlier: Vec<String> = answer
                    .earlier_scores
                    .iter()
                    .map(|e| format!("{:.0}", e.score))
                    .collect();
                let _ = writeln!(out, "  {DIM}earlier scores: {}{DIM:#}", earlier.join(", "));
            }
            if let Some(follow_up) = &answer.follow_up {
                let _ = writeln!(out, "\n{ACCENT}Follow-up{ACCENT:#}");
                for line in textwrap::wrap(&follow_up.question, width.saturating_sub(2).max(20)) {
                    let _ = writeln!(out, "  {HEADING}{line}{HEADING:#}");
                }
                let said = if follow_up.transcript.trim().is_empty() {
                    format!("{DIM}(nothing was said){DIM:#}")
                } else {
                    follow_up.transcript.trim().to_owned()
                };
                let options = textwrap::Options::new(width)
                    .initial_indent("  ")
                    .subsequent_indent("  ");
                for line in textwrap::wrap(&said, options) {
                    let _ = writeln!(out, "{line}");
                }
                let _ = writeln!(
                    out,
                    "  {}: {}",
                    follow_up.point,
                    super::summary::follow_up_result(follow_up)
                );
            }
            let _ = writeln!(out, "\n{ACCENT}Reference answer{ACCENT:#}");
            let options = textwrap::Options::new(width)
                .initial_indent("  ")
                .subsequent_indent("  ");
            for line in textwrap::wrap(answer.reference_answer.trim(), options) {
                let _ = writeln!(out, "{line}");
            }
        }
        Ok(out)
    }
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
            answer: "ECS is a fully managed container orchestration service.".into(),
            key_points: vec![
                KeyPoint {
                    point: "fully managed".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "container orchestration".into(),
                    aliases: vec![],
                },
                KeyPoint {
                    point: "Docker containers".into(),
                    aliases: vec![],
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
            Path::new("/data/s1"),
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
    fn without_colour_the_marks_are_brackets() {
        let transcript = Transcript::typed("it is fully managed and does container orchestration");
        let words = mark_words(&transcript, &scored(&transcript));
        let refs: Vec<&MarkedWord> = words.iter().collect();
        let plain = Text {
            width: 80,
            color: false,
        }
        .marked_line(&refs);
        assert_eq!(
            plain,
            "it is [fully managed] and does [container orchestration]"
        );
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
