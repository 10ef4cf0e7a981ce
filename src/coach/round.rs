//! Rounds and drills: the questions asked in order at the pace asked for, each answer taken,
//! scored and kept as it comes, and a summary at the end. Ctrl-C ends the round: what was
//! answered is kept, and the session is marked interrupted.

use anyhow::Result;

use super::{
    Asking, Finished, Frontend, Line, Place, Round, Taken, follow_up, keep, keep_follow_up, put,
    take,
};
use crate::answer::{Asked, Mode, Think};
use crate::config::Config;
use crate::error::Interrupted;
use crate::score::Scorer;
use crate::session::{self, Answer, RecordStatus, Session, Settings};

/// Run a round through `frontend`. Ctrl-C ends it with [`Interrupted`], after the summary of
/// what was answered.
pub fn round(
    config: &Config,
    scorer: &Scorer,
    frontend: &mut dyn Frontend,
    request: &Round<'_>,
) -> Result<()> {
    let pace = request.pace;
    let settings = Settings {
        count: Some(request.questions.len()),
        prep_s: pace.prep_s,
        time_limit_s: pace.time_limit_s,
        speak: pace.speak,
        follow_up: pace.follow_up,
        ..request.picked.clone()
    };
    let mut session = session::start(config, request.kind, pace.no_save, settings)?;
    let mut answers: Vec<Answer> = Vec::new();
    let status = ask_each(frontend, scorer, request, session.as_mut(), &mut answers)?;
    if let Some(session) = &mut session {
        session.finish(status)?;
    }
    frontend.finished(&Finished {
        mode: Mode::Round,
        session: session.as_ref().map(Session::id),
        status,
        answers: &answers,
    })?;
    if pace.speak && status == RecordStatus::Complete {
        frontend.speak(&Line::RoundOver);
    }
    if let Some(session) = &session
        && !answers.is_empty()
    {
        frontend.note(&format!(
            "Saved as {}.\nSee every answer with `rehearse review {}`.",
            session.id(),
            session.id()
        ));
    }
    if status == RecordStatus::Interrupted {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// Ask every question in turn, keeping each answer (in `answers` and the session) as it comes;
/// how the round ended.
fn ask_each(
    frontend: &mut dyn Frontend,
    scorer: &Scorer,
    request: &Round<'_>,
    mut session: Option<&mut Session>,
    answers: &mut Vec<Answer>,
) -> Result<RecordStatus> {
    let pace = request.pace;
    let folder = session.as_ref().map(|s| s.dir().to_path_buf());
    // The first question is told ahead as the round starts, as each next one is while the
    // answer before it is scored: the voice begins as soon as it is shown.
    if let (true, Some(first)) = (pace.speak, request.questions.first()) {
        frontend.coming(&Line::Asking(&first.question));
    }
    for (index, question) in request.questions.iter().enumerate() {
        let limit_s = pace.time_limit_s.unwrap_or(question.time_limit_s);
        let asking = Asking::Question {
            question,
            limit_s,
            place: Some(Place {
                number: index + 1,
                of: request.questions.len(),
            }),
        };
        if pace.speak && index > 0 {
            frontend.speak(&Line::NextQuestion);
        }
        put(frontend, &asking, pace.speak, &question.question);
        if frontend.think(pace.prep_s)? == Think::Interrupted {
            return Ok(RecordStatus::Interrupted);
        }
        let asked = Asked {
            question,
            limit_s,
            keep_in: folder.as_deref(),
        };
        let next = request
            .questions
            .get(index + 1)
            .map(|next| next.question.as_str());
        let Some(Taken {
            mut answer,
            recording,
            interrupted,
        }) = take(frontend, scorer, Mode::Round, &asked, pace.speak, next)?
        else {
            return Ok(RecordStatus::Interrupted);
        };
        keep(session.as_deref_mut(), answer.clone(), recording)?;
        if interrupted {
            answers.push(answer);
            return Ok(RecordStatus::Interrupted);
        }
        if pace.follow_up {
            match follow_up::ask(frontend, scorer, &asked, &answer.score.report, pace.speak) {
                Err(err) if err.is::<Interrupted>() => {
                    answers.push(answer);
                    return Ok(RecordStatus::Interrupted);
                }
                followed => {
                    answer.follow_up = keep_follow_up(session.as_deref_mut(), followed?)?;
                }
            }
        }
        answers.push(answer);
    }
    Ok(RecordStatus::Complete)
}
