//! Practice: one question asked and answered, scored, kept unless `--no-save`, and, when asked
//! for, one follow-up.

use anyhow::Result;

use super::{Asking, Finished, Frontend, Practice, follow_up, keep, keep_follow_up, put, take};
use crate::answer::{Asked, Mode};
use crate::config::Config;
use crate::error::Interrupted;
use crate::score::Scorer;
use crate::session::{self, Kind, RecordStatus, Session, Settings};

/// Run one practice question through `frontend`. Ctrl-C ends it with [`Interrupted`]; what was
/// answered by then is kept.
pub fn practice(
    config: &Config,
    scorer: &Scorer,
    frontend: &mut dyn Frontend,
    request: &Practice<'_>,
) -> Result<()> {
    let question = request.question;
    let limit_s = request.time_limit_s.unwrap_or(question.time_limit_s);
    let settings = Settings {
        time_limit_s: request.time_limit_s,
        speak: request.speak,
        follow_up: request.follow_up,
        ..Settings::default()
    };
    // A data dir that cannot be written fails here, before the answer.
    let mut session = session::start(config, Kind::Practice, request.no_save, settings)?;
    let asking = Asking::Question {
        question,
        limit_s,
        place: None,
    };
    put(frontend, &asking, request.speak, &question.question);
    let folder = session.as_ref().map(|s| s.dir().to_path_buf());
    let asked = Asked {
        question,
        limit_s,
        keep_in: folder.as_deref(),
    };
    let Some(taken) = take(
        frontend,
        scorer,
        Mode::Practice,
        &asked,
        request.speak,
        None,
    )?
    else {
        return end_interrupted(session.as_mut());
    };
    let mut answer = taken.answer;
    keep(session.as_mut(), answer.clone(), taken.recording)?;
    if request.follow_up {
        match follow_up::ask(
            frontend,
            scorer,
            &asked,
            &answer.score.report,
            request.speak,
        ) {
            Err(err) if err.is::<Interrupted>() => return end_interrupted(session.as_mut()),
            followed => answer.follow_up = keep_follow_up(session.as_mut(), followed?)?,
        }
    }
    frontend.finished(&Finished {
        mode: Mode::Practice,
        session: session.as_ref().map(Session::id),
        status: RecordStatus::Complete,
        answers: std::slice::from_ref(&answer),
    })?;
    if let Some(session) = &mut session {
        session.finish(RecordStatus::Complete)?;
        frontend.note(&format!(
            "Saved as {}; see `rehearse review`.",
            session.id()
        ));
    }
    Ok(())
}

/// Ctrl-C after the session began: what was answered is saved already; the session ends as
/// interrupted.
fn end_interrupted(session: Option<&mut Session>) -> Result<()> {
    if let Some(session) = session {
        session.finish(RecordStatus::Interrupted)?;
    }
    Err(Interrupted.into())
}
