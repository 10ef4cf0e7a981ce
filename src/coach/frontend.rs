//! The seam between the coaching loop and whoever sits in front of it: the loop says what
//! happens (a question put, an answer scored, a follow-up answered, the session done) in plain
//! events, and asks for the answers; a [`Frontend`] shows, reads aloud and takes them its own
//! way. The terminal is one front end, a test driver another, a page could be a third.

use anyhow::Result;

use super::lines::{During, Line};
use crate::answer::{Asked, Given, Mode, Think};
use crate::bank::Question;
use crate::session::{Answer, FollowUp, RecordStatus};

/// What the coach puts to the user.
#[derive(Debug, Clone, Copy)]
pub enum Asking<'a> {
    /// A question of the bank, with the time to answer it.
    Question {
        question: &'a Question,
        limit_s: u32,
        /// Its place in a round; `None` in practice.
        place: Option<Place>,
    },
    /// A follow-up about a missed key point, in the coach's words.
    FollowUp { text: &'a str, limit_s: u32 },
}

/// A question's place in a round: `number` of `of`, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub number: usize,
    pub of: usize,
}

/// An answer scored, as the session keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Scored<'a> {
    pub mode: Mode,
    pub answer: &'a Answer,
}

/// The coaching is over: every answer kept, and how the session ended.
#[derive(Debug, Clone, Copy)]
pub struct Finished<'a> {
    pub mode: Mode,
    /// The session's id; `None` when nothing is kept (`--no-save`).
    pub session: Option<&'a str>,
    pub status: RecordStatus,
    pub answers: &'a [Answer],
}

/// Whoever the coach talks to. Events come in the order they happen: `ask` (then `speak` when
/// the interviewer's lines are read aloud), `think` and `answer`, `scored`, and for a follow-up
/// `ask` again, `answer` and `followed_up`; `finished` once at the end, then the last `note`s.
/// Read aloud, a round also says `Line::NextQuestion` before each question but the first,
/// `Line::TimeUp` after an answer that ran out of time and `Line::RoundOver` after `finished`.
pub trait Frontend {
    /// Show a question.
    fn ask(&mut self, asking: &Asking<'_>);

    /// Say one of the interviewer's lines aloud, and return once it was heard (or skipped).
    fn speak(&mut self, line: &Line<'_>);

    /// A line the interviewer is about to say, told ahead (a round's next question, as soon as
    /// an answer is given and before it is scored): a front end that reads aloud may make it
    /// ready now, so that it starts at once when it is said. Nothing is shown or heard; a front
    /// end that has nothing to make ready lets it pass.
    fn coming(&mut self, _line: &Line<'_>) {}

    /// Think time before an answer (a round's `--prep`); `Think::Interrupted` ends the round.
    fn think(&mut self, prep_s: u32) -> Result<Think>;

    /// Take the answer to what was asked, saying what `during` gives at the moments of the
    /// answer's clock (the countdown's warnings). `crate::error::Interrupted` ends the coaching.
    fn answer(&mut self, asked: &Asked<'_>, during: During) -> Result<Given>;

    /// Whether one more answer can be given: a follow-up is asked only then.
    fn has_answer_left(&self) -> bool;

    /// An answer was scored (and is about to be kept).
    fn scored(&mut self, scored: &Scored<'_>);

    /// A follow-up was answered and scored against its point.
    fn followed_up(&mut self, follow_up: &FollowUp);

    /// The coaching is over; what was kept.
    fn finished(&mut self, finished: &Finished<'_>) -> Result<()>;

    /// A message for the user that is no answer's: what was saved, what could not be done.
    fn note(&mut self, note: &str);
}
