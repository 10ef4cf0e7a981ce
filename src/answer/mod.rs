//! The answer layer, below the commands: where answers come from and what becomes of them.
//!
//! [`Source::choose`] is the one place that decides where answers come from: typed at the
//! console, given as text or as a transcript file, recordings in the order given, or the
//! microphone, which falls back to typing (said once, in one place) when there is none. An
//! [`Interview`] puts questions and takes their answers from that source one after another:
//! [`Interview::ask`] shows (and reads aloud) one more question, [`Interview::answer`] takes one
//! more answer (the next recording, the next typed answer, the microphone again), so a
//! follow-up question is asked and answered the way its main question was. [`interview`] also
//! runs practice and rounds on it: ask, answer, score, keep in the session, sum up.
//!
//! - [`console`]: standard input, read by one thread for the whole command: typed answers, think
//!   time, the keys that stop a spoken answer, yes/no replies.
//! - `mic`: records a spoken answer on the answer screen, and nothing else.
//! - [`wav`]: a recording file to a transcript.

pub mod console;
pub mod follow_up;
pub mod interview;
mod mic;
pub mod source;
pub mod wav;

use chrono::{DateTime, Utc};

pub use interview::{Interview, Mode};
pub use source::{Request, Source};

use crate::bank::Question;
use crate::score::ScoreReport;
use crate::session::{Answer, AnswerAudio, SavedQuestion, Scoring, SourceKind};
use crate::transcript::Transcript;

/// What an answer is given to: the question (its key terms prompt whisper, its id names the
/// recording) and the time allowed.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub question: &'a Question,
    pub limit_s: u32,
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
