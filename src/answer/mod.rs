//! Where answers come from, below the commands and the coaching loop.
//!
//! [`Source::choose`] is the one place that decides where answers come from: typed at the
//! console, given as text or as a transcript file, recordings in the order given, or the
//! microphone, which falls back to typing (said once, in one place) when there is none.
//! [`Answers`] takes them from that source one after another: the next typed answer, the next
//! recording, the microphone again, so a follow-up question is answered the way its main
//! question was.
//!
//! - [`console`]: standard input, read by one thread for the whole command: typed answers, think
//!   time, the keys that stop a spoken answer, yes/no replies.
//! - `mic`: records a spoken answer on the answer screen, and nothing else.
//! - [`recording_file`]: a recording file to a transcript.

pub mod console;
mod mic;
pub mod recording_file;
pub mod source;
pub mod take;

use std::path::Path;

use chrono::{DateTime, Utc};

pub use console::Think;
pub use source::{Request, Source};
pub use take::Answers;

use crate::bank::Question;
use crate::score::ScoreReport;
use crate::session::{Answer, AnswerAudio, SavedQuestion, Scoring, SourceKind};
use crate::transcript::Transcript;

/// How answers are taken, by the kind of command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One answer: a typed answer has the time as an aim, not a limit; Ctrl-C ends the command
    /// without a score.
    Practice,
    /// A timed mock interview: typed answers end at their limit; Ctrl-C during a spoken answer
    /// asks whether to score what was said, and ends the round.
    Round,
}

/// What an answer is given to: the question (its key terms prompt whisper, its id names the
/// recording), the time allowed, and the session folder a recording is made in.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub question: &'a Question,
    pub limit_s: u32,
    /// The session's folder: a recording made there stays with its session if the answer is
    /// cut off ([`crate::session::cut_off`]). `None` without a session: the temp dir.
    pub keep_in: Option<&'a Path>,
}

/// An answer as it came from its source, before scoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub transcript: Transcript,
    pub source: SourceKind,
    /// A recording to keep with the session.
    pub recording: Option<AnswerAudio>,
    pub time_used_s: f64,
    /// Ctrl-C cut the answer short.
    pub interrupted: bool,
    /// The answer ran to its time limit.
    pub timed_out: bool,
}

impl Given {
    /// An answer given whole, in no time and with no recording: text, or a transcript file.
    fn at_once(transcript: Transcript, source: SourceKind) -> Self {
        Self {
            transcript,
            source,
            recording: None,
            time_used_s: 0.0,
            interrupted: false,
            timed_out: false,
        }
    }

    /// The answer as the session keeps it (its recording is handed over separately).
    pub fn record(
        &self,
        asked: &Asked<'_>,
        started_at: DateTime<Utc>,
        report: ScoreReport,
    ) -> Answer {
        Answer {
            question: SavedQuestion::from(asked.question),
            started_at,
            time_used_s: self.time_used_s,
            time_limit_s: asked.limit_s,
            source: self.source,
            transcript: self.transcript.clone(),
            recording: None,
            interrupted: self.interrupted,
            score: Scoring::now(report),
            earlier_scores: Vec::new(),
            follow_up: None,
        }
    }
}
