//! The coaching loop: [`practice`] and [`round`] (a drill is a round of picked questions) put
//! each question, take its answer, score it, keep it in the session as soon as it is scored
//! (Ctrl-C, a crash or a kill keeps every answer given), ask a follow-up about a missed point,
//! and sum up. No printing, no standard input, no command-line types: the loop is fed plain
//! requests ([`Practice`], [`Round`]) and talks to a [`Frontend`], which shows, reads aloud and
//! takes the answers its own way.
//!
//! - [`frontend`]: the seam, and the events the loop sends through it.
//! - [`follow_up`]: the follow-up question, written from the missed point, and its answer.
//! - [`lines`]: what the interviewer says aloud.

pub mod follow_up;
pub mod frontend;
pub mod lines;
mod practice;
mod round;
pub mod story_gap;

use anyhow::Result;
use chrono::Utc;

pub use frontend::{Asking, Finished, Frontend, Place, Scored};
pub use lines::{During, Line};
pub use practice::practice;
pub use round::round;

use crate::answer::{Asked, Given, Mode};
use crate::bank::Question;
use crate::score::Scorer;
use crate::session::{Answer, AnswerAudio, FollowUp, Kind, Session, Settings};

/// One practice question.
#[derive(Debug, Clone)]
pub struct Practice<'a> {
    pub question: &'a Question,
    /// The time to answer; `None`: the question's own.
    pub time_limit_s: Option<u32>,
    /// Read the question (and the follow-up) aloud.
    pub speak: bool,
    /// Ask a follow-up about the most important missed point.
    pub follow_up: bool,
    /// Keep nothing in the practice history.
    pub no_save: bool,
}

/// A round (or drill): the questions in order, at one pace.
#[derive(Debug, Clone)]
pub struct Round<'a> {
    pub kind: Kind,
    pub questions: &'a [&'a Question],
    pub pace: Pace,
    /// How the questions were picked (category, seed), for the session to keep with the pace.
    pub picked: Settings,
}

/// How each question of a round is asked.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pace {
    /// Think time before each answer.
    pub prep_s: u32,
    /// The time to answer each; `None`: each question's own.
    pub time_limit_s: Option<u32>,
    pub speak: bool,
    pub follow_up: bool,
    pub no_save: bool,
}

/// Show what is asked, and read `said` aloud when the interviewer's lines are spoken.
fn put(frontend: &mut dyn Frontend, asking: &Asking<'_>, speak: bool, said: &str) {
    frontend.ask(asking);
    if speak {
        frontend.speak(&Line::Asking(said));
    }
}

/// An answer taken and scored: as the session keeps it, and its recording.
struct Taken {
    answer: Answer,
    recording: Option<AnswerAudio>,
    /// Ctrl-C cut it short.
    interrupted: bool,
}

/// Take the answer to `asked` and score it; `None` when it was cut short before a word was
/// given. Read aloud (`speak`), the interviewer warns as time runs out, and says when it has;
/// the question it asks `next` is told ahead to the front end while this answer is scored.
fn take(
    frontend: &mut dyn Frontend,
    scorer: &Scorer,
    mode: Mode,
    asked: &Asked<'_>,
    speak: bool,
    next: Option<&str>,
) -> Result<Option<Taken>> {
    let started_at = Utc::now();
    let given = answer(frontend, asked, speak)?;
    if given.interrupted && given.transcript.text.trim().is_empty() {
        return Ok(None);
    }
    if let (true, false, Some(next)) = (speak, given.interrupted, next) {
        frontend.coming(&Line::Asking(next));
    }
    let report = scorer.score_with_limit(asked.question, &given.transcript, asked.limit_s)?;
    let answer = given.record(asked, started_at, report);
    frontend.scored(&Scored {
        mode,
        answer: &answer,
    });
    Ok(Some(Taken {
        answer,
        recording: given.recording,
        interrupted: given.interrupted,
    }))
}

/// The answer to `asked`, with the interviewer's lines while it is given and `Line::TimeUp`
/// after it when it ran out of time (read aloud: `speak`).
fn answer(frontend: &mut dyn Frontend, asked: &Asked<'_>, speak: bool) -> Result<Given> {
    let given = frontend.answer(asked, During { aloud: speak })?;
    if speak && given.timed_out {
        frontend.speak(&Line::TimeUp);
    }
    Ok(given)
}

/// Keep a scored answer in the session, or, without one, let its recording go.
fn keep(
    session: Option<&mut Session>,
    answer: Answer,
    recording: Option<AnswerAudio>,
) -> Result<()> {
    match session {
        Some(session) => session.push(answer, recording),
        None => {
            if let Some(recording) = recording {
                recording.discard();
            }
            Ok(())
        }
    }
}

/// The follow-up into the session (with its recording), and what the answer shows of it.
fn keep_follow_up(
    session: Option<&mut Session>,
    followed: Option<(FollowUp, Option<AnswerAudio>)>,
) -> Result<Option<FollowUp>> {
    let Some((kept, recording)) = followed else {
        return Ok(None);
    };
    match session {
        Some(session) => session.add_follow_up(kept.clone(), recording)?,
        None => {
            if let Some(recording) = recording {
                recording.discard();
            }
        }
    }
    Ok(Some(kept))
}

#[cfg(test)]
mod tests;
