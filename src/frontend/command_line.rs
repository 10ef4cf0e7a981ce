//! The command line's front end: questions and results as text on stdout (on stderr when
//! stdout carries JSON, which then comes once at the end), the interviewer's lines read aloud by
//! its voice, and answers taken from the source the command line asked for.
//!
//! Enter (or space) while the interviewer speaks skips to the answer; Ctrl-C stops the voice and
//! keeps its meaning (it ends the practice or the round). Either way nothing more is heard, and
//! the answer (the recording) starts only once the voice is done.

use std::time::{Duration, Instant};

use anyhow::Result;

use crate::answer::{Answers, Asked, Given, Mode, Think};
use crate::coach::{Asking, During, Finished, Frontend, Line, Place, Scored};
use crate::config::Config;
use crate::config::Verbosity;
use crate::report::{ansi_text, summary};
use crate::score::ScoreReport;
use crate::session::{Answer, FollowUp};
use crate::style::{ACCENT, DIM, HEADING, clock};
use crate::ui;
use crate::voice::{Glossary, Speaker};
use crate::{app, interrupt};

/// The terminal, in front of the coach.
#[derive(Debug)]
pub struct CommandLine<'a> {
    config: &'a Config,
    answers: Answers<'a>,
    /// The interviewer's voice, loaded the first time something is said.
    voice: Option<Speaker>,
    /// How the bank's terms are said.
    glossary: Glossary,
    /// When the last question was shown (the voice's latency is measured from there).
    asked_at: Option<Instant>,
    /// Text is wrapped to this width.
    width: usize,
    /// The first failure to write to standard output (closed by its reader, or full): the
    /// coach's events have no result, so it stops the next answer, or the end, with it.
    output_failed: Option<anyhow::Error>,
}

impl<'a> CommandLine<'a> {
    /// The terminal, taking answers from `answers`; the interviewer says the bank's terms as
    /// its `glossary` gives them.
    pub fn new(config: &'a Config, answers: Answers<'a>, glossary: &Glossary) -> Self {
        Self {
            config,
            answers,
            voice: None,
            glossary: glossary.clone(),
            asked_at: None,
            width: ui::width(),
            output_failed: None,
        }
    }

    /// `text` on stdout (or stderr with `--json`), a failure kept for later.
    fn show(&mut self, text: &str) {
        if self.output_failed.is_none() {
            self.output_failed = ui::show(self.config, text).err();
        }
    }

    /// The interviewer's voice, loaded the first time it is needed.
    fn voice(&mut self) -> &mut Speaker {
        let (config, glossary) = (self.config, &self.glossary);
        self.voice
            .get_or_insert_with(|| app::speaker(config, glossary.clone()))
    }

    /// The kept failure to write, if any: the command ends with it.
    fn check_output(&mut self) -> Result<()> {
        self.output_failed.take().map_or(Ok(()), Err)
    }
}

impl Frontend for CommandLine<'_> {
    fn ask(&mut self, asking: &Asking<'_>) {
        let shown = match *asking {
            Asking::Question {
                question,
                limit_s,
                place: None,
            } => ansi_text::question(question, limit_s, false, self.width),
            Asking::Question {
                question,
                limit_s,
                place: Some(Place { number, of }),
            } => format!(
                "\n{ACCENT}Question {number} of {of}{ACCENT:#}\n{}",
                ansi_text::question(question, limit_s, false, self.width)
            ),
            Asking::FollowUp { text, limit_s } => {
                let wrapped = textwrap::wrap(text, self.width.saturating_sub(2).max(20)).join("\n");
                format!(
                    "\n{ACCENT}Follow-up{ACCENT:#} {DIM}· {} to answer{DIM:#}\n{HEADING}{wrapped}{HEADING:#}\n",
                    clock(f64::from(limit_s))
                )
            }
        };
        // A question the voice is making ahead appears once it can be heard: the first of a
        // round is made while the round starts, a few tenths of a second.
        if let Some(voice) = self.voice.as_mut() {
            voice.finish_preparing();
        }
        self.show(&shown);
        self.asked_at = Some(Instant::now());
    }

    fn speak(&mut self, line: &Line<'_>) {
        self.voice();
        let (config, asked_at) = (self.config, self.asked_at.take());
        let Some(voice) = self.voice.as_mut() else {
            return;
        };
        let mut keys = self.answers.skip_keys();
        let mut skip = || {
            interrupt::requested()
                || keys
                    .as_mut()
                    .is_some_and(|keys| keys.pressed_within(Duration::ZERO).unwrap_or(false))
        };
        let said = voice.say(&line.words(), &mut skip);
        if let Some(notice) = &said.notice {
            ui::note(config, notice);
        }
        if let (Some(shown), Some(heard), true) = (
            asked_at,
            said.first_audio,
            config.verbosity > Verbosity::Normal,
        ) {
            let after = heard.saturating_duration_since(shown).as_secs_f64();
            ui::note(
                config,
                &format!("The voice began {after:.2} s after the question was shown"),
            );
        }
    }

    /// The voice (loaded now if it is not yet) makes the line's start while the round starts or
    /// the answer before it is scored.
    fn coming(&mut self, line: &Line<'_>) {
        self.voice().prepare(&line.words());
    }

    fn think(&mut self, prep_s: u32) -> Result<Think> {
        self.answers.think(prep_s)
    }

    fn answer(&mut self, asked: &Asked<'_>, during: During) -> Result<Given> {
        self.check_output()?;
        if during.aloud {
            self.voice();
        }
        let (config, voice) = (self.config, &mut self.voice);
        self.answers.answer(asked, &mut |left_s| {
            if let (Some(line), Some(voice)) = (during.time_left(left_s), voice.as_mut()) {
                // Only Ctrl-C stops a warning: Enter and space are the answer's own keys.
                let said = voice.say(&line.words(), &mut interrupt::requested);
                if let Some(notice) = said.notice {
                    ui::note(config, &notice);
                }
            }
        })
    }

    fn has_answer_left(&self) -> bool {
        self.answers.has_answer_left()
    }

    fn scored(&mut self, scored: &Scored<'_>) {
        let answer = scored.answer;
        match scored.mode {
            Mode::Practice => {
                if !self.config.json {
                    let report = ansi_text::score(&answer.score.report, self.width);
                    self.show(&format!("\n{report}"));
                }
            }
            Mode::Round => self.show(&result_line(
                &answer.score.report,
                answer.time_used_s,
                answer.time_limit_s,
                self.width,
            )),
        }
    }

    fn followed_up(&mut self, follow_up: &FollowUp) {
        self.show(&format!(
            "Follow-up on {}: {}\n",
            follow_up.point,
            summary::follow_up_result(follow_up)
        ));
    }

    fn finished(&mut self, finished: &Finished<'_>) -> Result<()> {
        self.check_output()?;
        let answers = || {
            finished
                .answers
                .iter()
                .map(answer_json)
                .collect::<Result<Vec<_>>>()
        };
        match finished.mode {
            Mode::Practice if self.config.json => {
                ui::print_json(&serde_json::json!({ "answers": answers()? }))?;
            }
            Mode::Practice => {}
            Mode::Round if self.config.json => ui::print_json(&serde_json::json!({
                "session": finished.session,
                "status": finished.status,
                "answers": answers()?,
            }))?,
            Mode::Round if !finished.answers.is_empty() => {
                crate::out!("\n{}", summary::round(finished.answers, self.width))?;
            }
            Mode::Round => {}
        }
        Ok(())
    }

    fn note(&mut self, note: &str) {
        ui::note(self.config, note);
    }
}

/// An answer in the JSON of practice and rounds: the score report, and its follow-up (null when
/// none was asked).
fn answer_json(answer: &Answer) -> Result<serde_json::Value> {
    let mut json = serde_json::to_value(&answer.score.report)?;
    json["follow_up"] = serde_json::to_value(&answer.follow_up)?;
    Ok(json)
}

/// `Score 72/100 · 1:05 of 1:30 · missed: a, b` after each answer of a round.
fn result_line(report: &ScoreReport, used_s: f64, limit_s: u32, width: usize) -> String {
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
    let options = textwrap::Options::new(width).subsequent_indent("  ");
    textwrap::wrap(&line, options)
        .iter()
        .map(|l| format!("{l}\n"))
        .collect()
}
