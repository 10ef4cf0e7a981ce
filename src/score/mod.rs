//! Scoring an answer against a question's reference answer and key points. Pure: a function of
//! the question, the transcript and, when there is one, a sentence embedder; no files, no audio.
//!
//! One room per signal, each with its result type and its findings:
//! - [`content`]: what the answer says against the reference (key points, reference sentences,
//!   the verdict of a yes-or-no question, negation, meaning, keyword lists);
//! - [`delivery`]: how it was said (measures, norms, the timeline, the key moment).
//!
//! [`combine`] makes the score from the signals (the formula, in one small file), [`feedback`]
//! ranks every signal's findings for the one suggestion, and [`Scorer`] runs them in order. A new
//! signal is a new room, one more part in `combine`, its kinds of finding in `feedback`'s rank,
//! and its result in [`ScoreReport`]. Thresholds are named once in [`thresholds`], score bands in
//! [`band`].

pub mod band;
mod combine;
mod content;
pub mod delivery;
mod feedback;
mod relevance;
mod rounding;
mod score_report;
mod scorer;
mod thresholds;

pub use content::{MatchedBy, PointResult, ReferenceSentence, Status};
pub use delivery::{Delivery, Norms, timeline};
pub use score_report::{ScoreReport, Signals};
pub use scorer::{EmbedderLoader, Scorer};
