//! Putting questions and taking their answers. An [`Interview`] holds the source of the answers
//! (decided once, [`Source::choose`]), the console, the voice and the transcriber; [`practice`]
//! and [`round`] run it: ask, take the answer, score it, keep it in the session, sum up.
//!
//! The session is created (and the data dir checked) before the first question, and each answer
//! is saved as soon as it is scored, so Ctrl-C, a crash or a kill keeps every answer given.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Result, bail};
use chrono::Utc;

use super::console::{Clock, Console, Think};
use super::mic::{self, Take};
use super::source::{self, Request, Source};
use super::{Asked, Given, follow_up, wav};
use crate::audio::capture::Input;
use crate::audio::device::NoMicrophone;
use crate::bank::{Bank, Question};
use crate::cli::RoundPace;
use crate::config::{Config, Verbosity};
use crate::error::Interrupted;
use crate::report::{summary, terminal};
use crate::score::{ScoreReport, Scorer};
use crate::session::{
    self, Answer, FollowUp, Kind, RecordStatus, Recording, Session, Settings, SourceKind,
};
use crate::style::{ACCENT, DIM, HEADING, clock};
use crate::transcribe::{Ears, Transcriber, TranscriberFactory};
use crate::transcript::Transcript;
use crate::ui::answer_screen::Ended;
use crate::ui::speak::Voice;
use crate::{interrupt, ui};

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

/// Questions put and answered, one after another, from one source.
pub struct Interview<'a> {
    config: &'a Config,
    mode: Mode,
    source: Source,
    /// Standard input, for typed and spoken answers.
    console: Option<Console>,
    transcribers: Arc<dyn TranscriberFactory>,
    /// The transcriber of recordings, loaded at the first.
    engine: Option<Box<dyn Transcriber + Send>>,
    voice: Option<Voice>,
    /// Recordings made here are not kept once scored (`--no-save`).
    no_save: bool,
    /// The bank whose glossary whisper listens for ([`Interview::listen_for`]).
    bank: Bank,
}

impl std::fmt::Debug for Interview<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interview")
            .field("mode", &self.mode)
            .field("source", &self.source)
            .field("transcribers", &self.transcribers)
            .finish()
    }
}

impl<'a> Interview<'a> {
    /// Decide where the answers come from (see [`Source::choose`]) and get ready to take them.
    /// `speak`: read questions aloud.
    pub fn new(
        config: &'a Config,
        mode: Mode,
        request: Request,
        speak: bool,
        no_save: bool,
        transcribers: Arc<dyn TranscriberFactory>,
    ) -> Result<Self> {
        let source = Source::choose(config, mode, request, transcribers.as_ref())?;
        interrupt::install()?;
        Ok(Self {
            config,
            mode,
            source,
            console: None,
            transcribers,
            engine: None,
            voice: speak.then(Voice::default),
            no_save,
            bank: Bank::default(),
        })
    }

    /// Listen for the terms of `bank` in spoken answers (without it, only the question's).
    pub fn listen_for(mut self, bank: &Bank) -> Self {
        self.bank = bank.clone();
        self
    }

    /// Put one more question: show `shown` (on stdout; on stderr when stdout carries JSON) and
    /// read `said` aloud when questions are spoken.
    pub fn ask(&mut self, shown: &str, said: &str) {
        ui::show(self.config, shown);
        if let Some(notice) = self.voice.as_mut().and_then(|voice| voice.say(said)) {
            ui::note(self.config, &notice);
        }
    }

    /// Think time before a live answer (typed or spoken), with a countdown that Enter skips.
    /// Recordings and text need none.
    pub fn think(&mut self, prep_s: u32) -> Result<Think> {
        if !self.source.is_live() {
            return Ok(Think::Done);
        }
        self.console().think(prep_s)
    }

    /// Take one more answer from the source: the next typed answer, the text or transcript
    /// given (once), the next recording in order, or the microphone again.
    pub fn answer(&mut self, asked: &Asked<'_>) -> Result<Given> {
        match &mut self.source {
            Source::Typed => self.typed(asked),
            Source::Text(text) => {
                let Some(text) = text.take() else {
                    bail!(
                        "--text gives one answer, and it is used up: answer this one another way"
                    );
                };
                Ok(Given::at_once(
                    Transcript::typed(source::text(text)?),
                    SourceKind::Text,
                ))
            }
            Source::Transcript(path) => {
                let Some(path) = path.take() else {
                    bail!("--transcript gives one answer, and it is used up");
                };
                Ok(Given::at_once(
                    source::transcript(&path)?,
                    SourceKind::Transcript,
                ))
            }
            Source::Wav(files) => {
                let Some(path) = files.pop_front() else {
                    bail!(
                        "no recording left for this answer: give one --wav F per answer, in order"
                    );
                };
                self.recorded(asked, path)
            }
            Source::Mic {
                input,
                stop_on_silence,
            } => {
                let (input, stop_on_silence) = (input.clone(), *stop_on_silence);
                self.spoken(asked, input, stop_on_silence)
            }
        }
    }

    /// Whether one more answer can be taken: text and a transcript answer once, recordings run
    /// out; typing and the microphone never do.
    pub fn has_answer_left(&self) -> bool {
        match &self.source {
            Source::Text(text) => text.is_some(),
            Source::Transcript(path) => path.is_some(),
            Source::Wav(files) => !files.is_empty(),
            Source::Typed | Source::Mic { .. } => true,
        }
    }

    /// The console, started at the first live answer: standard input is read by nobody else
    /// from then on (`--text -` reads it itself, and is not live).
    fn console(&mut self) -> &mut Console {
        let chatty = self.config.verbosity > Verbosity::Quiet;
        let marker_dir = &self.config.data_dir;
        self.console
            .get_or_insert_with(|| Console::start(chatty, marker_dir))
    }

    fn typed(&mut self, asked: &Asked<'_>) -> Result<Given> {
        let clock = match self.mode {
            Mode::Practice => Clock::Aim(asked.limit_s),
            Mode::Round => Clock::Limit(asked.limit_s),
        };
        let typed = self.console().answer(clock)?;
        if typed.interrupted && self.mode == Mode::Practice {
            return Err(Interrupted.into());
        }
        Ok(Given {
            transcript: Transcript::typed(typed.text),
            source: SourceKind::Typed,
            recording: None,
            time_used_s: typed.elapsed_s,
            interrupted: typed.interrupted,
        })
    }

    fn recorded(&mut self, asked: &Asked<'_>, path: PathBuf) -> Result<Given> {
        let audio = wav::read(self.config, &path)?;
        let engine = match &mut self.engine {
            Some(engine) => engine,
            // Ctrl-C stops a transcription.
            empty => empty.insert(self.transcribers.prepare()?.load(interrupt::flag())?),
        };
        let transcript = wav::transcribe(
            self.config,
            engine.as_mut(),
            (&audio, &path),
            Ears::new(self.config, &self.bank, Some(asked.question)),
            &mut |_| {},
        )?;
        Ok(Given {
            time_used_s: transcript.duration_s.unwrap_or(0.0),
            transcript,
            source: SourceKind::Wav,
            recording: Some(Recording::Theirs(path)),
            interrupted: false,
        })
    }

    fn spoken(
        &mut self,
        asked: &Asked<'_>,
        input: Input,
        stop_on_silence: Option<f64>,
    ) -> Result<Given> {
        let config = self.config;
        let take = Take {
            input,
            ears: Ears::new(config, &self.bank, Some(asked.question)),
            limit_s: asked.limit_s,
            stop_on_silence,
            path: recording_path(config, self.no_save, &asked.question.id),
            stop_hint: "Enter or space stops",
        };
        let loader = self.transcribers.prepare()?;
        let recorded = {
            let mut keys = self.console().stop_keys();
            mic::record(config, loader, &take, &mut |wait| keys.pressed_within(wait))
        };
        let taken = match recorded {
            Ok(taken) => taken,
            Err(err) if err.downcast_ref::<NoMicrophone>().is_some() => {
                source::say_typing_instead(config, self.mode, &err);
                self.source = Source::Typed;
                return self.typed(asked);
            }
            Err(err) => return Err(err),
        };
        if taken.ended == Ended::Interrupted && !self.score_what_was_said()? {
            let recorded = taken.abandon();
            let kept = recorded.path.display();
            return match self.mode {
                Mode::Practice => {
                    ui::note(config, &format!("The recording is kept: {kept}"));
                    Err(Interrupted.into())
                }
                Mode::Round => {
                    ui::note(
                        config,
                        &format!("Not scored; the recording is kept: {kept}"),
                    );
                    Ok(Given {
                        transcript: Transcript::typed(String::new()),
                        source: SourceKind::Mic,
                        recording: None,
                        time_used_s: 0.0,
                        interrupted: true,
                    })
                }
            };
        }
        let interrupted = taken.ended == Ended::Interrupted;
        let spoken = taken.transcribe(config)?;
        if spoken.transcript.text.is_empty() {
            ui::warn(config, "no speech detected in the recording");
        }
        if config.verbosity > Verbosity::Normal {
            ui::note(
                config,
                &format!(
                    "Transcript ready {:.2} s after the answer ended ({:.1} s recorded, {} overruns, {} xruns)",
                    spoken.stop_to_transcript_s,
                    spoken.recorded.duration_s,
                    spoken.recorded.overruns,
                    spoken.recorded.xruns
                ),
            );
        }
        Ok(Given {
            transcript: spoken.transcript,
            source: SourceKind::Mic,
            recording: Some(Recording::Made(spoken.recorded.path)),
            time_used_s: spoken.time_used_s,
            interrupted,
        })
    }

    /// After Ctrl-C in a spoken answer: a round asks whether to score what was said; practice
    /// ends without a score.
    fn score_what_was_said(&mut self) -> Result<bool> {
        if self.mode == Mode::Practice {
            return Ok(false);
        }
        anstream::eprint!("Score what you said so far? [Y/n] ");
        std::io::Write::flush(&mut std::io::stderr()).ok();
        let reply = self
            .console()
            .line_within(Duration::from_secs(60))?
            .unwrap_or_default();
        Ok(!reply.trim().to_lowercase().starts_with('n'))
    }
}

/// Where a spoken answer's recording is written while it is made: in the data dir, so that it
/// is kept if the process dies (the session then takes it in), or in the temp dir with
/// `--no-save` (removed once scored).
fn recording_path(config: &Config, no_save: bool, question_id: &str) -> PathBuf {
    let name = format!(
        "{}-{}-{}.wav",
        chrono::Local::now().format("%Y-%m-%dT%H-%M-%S"),
        question_id,
        std::process::id()
    );
    if no_save {
        std::env::temp_dir().join(format!("rehearse-{name}"))
    } else {
        config.data_dir.join("recordings").join(name)
    }
}

/// Keep a scored answer in the session, or, without one, let its recording go.
fn keep(session: Option<&mut Session>, answer: Answer, recording: Option<Recording>) -> Result<()> {
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

/// `practice`: one question asked and answered, scored with feedback, and saved unless
/// `--no-save`.
pub fn practice(
    mut interview: Interview<'_>,
    scorer: &Scorer,
    question: &Question,
    settings: Settings,
) -> Result<ExitCode> {
    let config = interview.config;
    let limit_s = settings.time_limit_s.unwrap_or(question.time_limit_s);
    // Saved unless --no-save; a data dir that cannot be written fails here, before the answer.
    let asks_follow_up = settings.follow_up;
    let mut session = session::start(config, Kind::Practice, interview.no_save, settings)?;
    let width = ui::width();
    interview.ask(
        &terminal::question(question, limit_s, false, width),
        &question.question,
    );
    let asked = Asked { question, limit_s };
    let started_at = Utc::now();
    let given = interview.answer(&asked)?;
    let report = scorer.score_with_limit(question, &given.transcript, limit_s)?;
    if !config.json {
        anstream::println!();
        anstream::print!("{}", terminal::score(&report, width));
    }
    let mut answer = given.record(&asked, started_at, report);
    keep(session.as_mut(), answer.clone(), given.recording)?;
    if asks_follow_up {
        let followed = follow_up(&mut interview, scorer, &asked, &answer.score.report);
        let followed = finish_on_interrupt(followed, session.as_mut())?;
        answer.follow_up = keep_follow_up(session.as_mut(), followed)?;
    }
    if config.json {
        ui::print_json(&serde_json::json!({ "answers": [answer_json(&answer)?] }))?;
    }
    if let Some(session) = &mut session {
        session.finish(RecordStatus::Complete)?;
        ui::note(
            config,
            &format!("Saved as {}; see `rehearse review`.", session.id()),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `round` and `drill`: the questions asked in order at the pace asked for, each answer taken,
/// scored and saved as it comes, and a summary at the end. `picked` says how the questions were
/// picked (category, seed), for the session to keep with the pace.
pub fn round(
    config: &Config,
    scorer: &Scorer,
    kind: Kind,
    questions: &[&Question],
    pace: &RoundPace,
    picked: Settings,
    transcribers: Arc<dyn TranscriberFactory>,
) -> Result<ExitCode> {
    let mut interview = Interview::new(
        config,
        Mode::Round,
        Request::round(&pace.answers, &pace.mic, questions.len(), pace.follow_up)?,
        pace.speak,
        pace.no_save,
        transcribers,
    )?
    .listen_for(&Bank {
        questions: questions.iter().map(|q| (*q).clone()).collect(),
        ..Bank::default()
    });
    let settings = Settings {
        count: Some(questions.len()),
        prep_s: pace.prep,
        time_limit_s: pace.time_limit,
        speak: pace.speak,
        follow_up: pace.follow_up,
        ..picked
    };
    let mut session = session::start(config, kind, pace.no_save, settings)?;
    let width = ui::width();
    let mut answers: Vec<Answer> = Vec::new();
    let mut interrupted = false;

    for (index, question) in questions.iter().enumerate() {
        let limit_s = pace.time_limit.unwrap_or(question.time_limit_s);
        interview.ask(
            &format!(
                "\n{ACCENT}Question {} of {}{ACCENT:#}\n{}",
                index + 1,
                questions.len(),
                terminal::question(question, limit_s, false, width)
            ),
            &question.question,
        );
        if interview.think(pace.prep)? == Think::Interrupted {
            interrupted = true;
            break;
        }
        let asked = Asked { question, limit_s };
        let started_at = Utc::now();
        let given = interview.answer(&asked)?;
        if given.interrupted && given.transcript.text.trim().is_empty() {
            interrupted = true;
            break;
        }
        let report = scorer.score_with_limit(question, &given.transcript, limit_s)?;
        ui::show(config, &result_line(&report, given.time_used_s, limit_s));
        let mut answer = given.record(&asked, started_at, report);
        keep(session.as_mut(), answer.clone(), given.recording)?;
        if given.interrupted {
            answers.push(answer);
            interrupted = true;
            break;
        }
        if pace.follow_up {
            match follow_up(&mut interview, scorer, &asked, &answer.score.report) {
                Err(err) if err.is::<Interrupted>() => {
                    answers.push(answer);
                    interrupted = true;
                    break;
                }
                followed => answer.follow_up = keep_follow_up(session.as_mut(), followed?)?,
            }
        }
        answers.push(answer);
    }

    let status = if interrupted {
        RecordStatus::Interrupted
    } else {
        RecordStatus::Complete
    };
    if let Some(session) = &mut session {
        session.finish(status)?;
    }
    if config.json {
        ui::print_json(&serde_json::json!({
            "session": session.as_ref().map(Session::id),
            "status": status,
            "answers": answers.iter().map(answer_json).collect::<Result<Vec<_>>>()?,
        }))?;
    } else if !answers.is_empty() {
        anstream::print!("\n{}", summary::round(&answers, width));
    }
    if let Some(session) = &session
        && !answers.is_empty()
    {
        ui::note(
            config,
            &format!(
                "Saved as {}.\nSee every answer with `rehearse review {}`.",
                session.id(),
                session.id()
            ),
        );
    }
    if interrupted {
        return Err(Interrupted.into());
    }
    Ok(ExitCode::SUCCESS)
}

/// A follow-up answered: what is kept of it, and its recording.
type FollowedUp = Option<(FollowUp, Option<Recording>)>;

/// After an answer that missed a key point: ask one follow-up question about the most
/// important one, take its answer the way the main one came, score it against that point and
/// say how it went. `None` when nothing was missed, or the recordings given ran out.
fn follow_up(
    interview: &mut Interview<'_>,
    scorer: &Scorer,
    asked: &Asked<'_>,
    report: &ScoreReport,
) -> Result<FollowedUp> {
    let Some(planned) = follow_up::plan(asked.question, report, asked.limit_s) else {
        return Ok(None);
    };
    let config = interview.config;
    let limit_s = planned.question.time_limit_s;
    let width = ui::width();
    let wrapped = textwrap::wrap(&planned.text, width.saturating_sub(2).max(20)).join("\n");
    interview.ask(
        &format!(
            "\n{ACCENT}Follow-up{ACCENT:#} {DIM}· {} to answer{DIM:#}\n{HEADING}{wrapped}{HEADING:#}\n",
            clock(f64::from(limit_s))
        ),
        &planned.text,
    );
    if !interview.has_answer_left() {
        ui::note(
            config,
            "No answer is left for the follow-up: give one more --wav for it (--text gives \
             one answer), or answer out loud or with --type.",
        );
        return Ok(None);
    }
    let asked = Asked {
        question: &planned.question,
        limit_s,
    };
    let given = interview.answer(&asked)?;
    if given.interrupted && given.transcript.text.trim().is_empty() {
        return Err(Interrupted.into());
    }
    let report = scorer.score_with_limit(&planned.question, &given.transcript, limit_s)?;
    let kept = follow_up::outcome(&planned, &report, given.source, given.time_used_s);
    ui::show(
        config,
        &format!(
            "Follow-up on {}: {}\n",
            kept.point,
            crate::report::summary::follow_up_result(&kept)
        ),
    );
    Ok(Some((kept, given.recording)))
}

/// The follow-up into the session (with its recording), and what the answer shows of it.
fn keep_follow_up(session: Option<&mut Session>, followed: FollowedUp) -> Result<Option<FollowUp>> {
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

/// Ctrl-C during practice's follow-up: the answer is saved already; the session ends as
/// interrupted.
fn finish_on_interrupt(
    followed: Result<FollowedUp>,
    session: Option<&mut Session>,
) -> Result<FollowedUp> {
    if let Err(err) = &followed
        && err.is::<Interrupted>()
        && let Some(session) = session
    {
        session.finish(RecordStatus::Interrupted)?;
    }
    followed
}

/// An answer in the JSON of practice and rounds: the score report, and its follow-up (null when
/// none was asked).
fn answer_json(answer: &Answer) -> Result<serde_json::Value> {
    let mut json = serde_json::to_value(&answer.score.report)?;
    json["follow_up"] = serde_json::to_value(&answer.follow_up)?;
    Ok(json)
}

/// `Score 72/100 · 1:05 of 1:30 · missed: a, b` after each answer.
fn result_line(report: &ScoreReport, used_s: f64, limit_s: u32) -> String {
    let missed = report.missed_points();
    let mut line = format!(
        "{HEADING}Score {:.0}/100{HEADING:#} · {} of {}",
        report.score,
        clock(used_s),
        clock(f64::from(limit_s))
    );
    if !missed.is_empty() {
        line.push_str(&format!(" · missed: {}", missed.join(", ")));
    }
    let options = textwrap::Options::new(ui::width()).subsequent_indent("  ");
    textwrap::wrap(&line, options)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect()
}
