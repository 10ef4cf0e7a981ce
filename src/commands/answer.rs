//! Where a round's answers come from, behind one seam ([`Source`]), and the console that takes
//! typed answers against the clock: think time that Enter skips, then the answer's time limit
//! with warnings 30 s and 10 s before the end.
//!
//! Standard input is read by one thread for the whole round, so that the countdown keeps running
//! while the user types, and lines typed ahead (or piped in) carry over to the next answer.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::bank::Question;
use crate::config::Config;
use crate::interrupt;
use crate::session::SourceKind;
use crate::transcript::Transcript;
use crate::ui::countdown;

/// How often the countdown looks at the clock and at Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

/// Where the answers of a round come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// Typed at the prompt or piped in: lines up to an empty line, within the time limit.
    Typed,
    /// Recordings, one per question in order (`--wav F`).
    Wav(Vec<PathBuf>),
    /// Spoken into the microphone, transcribed phrase by phrase while spoken (`--device`; a
    /// line on the console stops an answer).
    Mic {
        device: Option<String>,
        stop_on_silence: Option<f64>,
    },
}

/// An answer as it came from its source, before scoring.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub transcript: Transcript,
    pub source: SourceKind,
    /// A recording to keep with the session.
    pub recording: Option<PathBuf>,
    pub time_used_s: f64,
    /// Ctrl-C cut the answer short.
    pub interrupted: bool,
}

impl Source {
    /// Take the answer to question number `index` (from 0).
    pub fn answer(
        &self,
        config: &Config,
        console: &mut Console,
        index: usize,
        question: &Question,
        limit_s: u32,
    ) -> Result<Given> {
        match self {
            Self::Typed => {
                let typed = console.answer(limit_s)?;
                Ok(Given {
                    transcript: Transcript::typed(typed.text),
                    source: SourceKind::Typed,
                    recording: None,
                    time_used_s: typed.elapsed_s,
                    interrupted: typed.interrupted,
                })
            }
            Self::Wav(files) => {
                let Some(path) = files.get(index) else {
                    bail!(
                        "no recording for question {}: give one --wav F per question",
                        index + 1
                    );
                };
                let transcribers = crate::models::transcribers(config)?;
                let transcript = super::transcribe_wav(
                    config,
                    transcribers.as_ref(),
                    path,
                    Some(question),
                    &mut |_| {},
                )?;
                Ok(Given {
                    time_used_s: transcript.duration_s.unwrap_or(0.0),
                    transcript,
                    source: SourceKind::Wav,
                    recording: Some(path.clone()),
                    interrupted: false,
                })
            }
            Self::Mic {
                device,
                stop_on_silence,
            } => super::mic::round_answer(
                config,
                console,
                question,
                limit_s,
                device.as_deref(),
                *stop_on_silence,
            ),
        }
    }

    /// Spoken answers when a microphone can be opened; otherwise typed ones, saying why.
    pub fn spoken_or_typed(config: &Config, typed: bool, mic: &crate::cli::MicArgs) -> Self {
        if typed {
            return Self::Typed;
        }
        let device = mic.device.clone().or_else(|| config.device.clone());
        match super::mic::check_microphone(device.as_deref()) {
            Ok(()) => Self::Mic {
                device,
                stop_on_silence: mic.stop_on_silence,
            },
            Err(why) => {
                crate::ui::note(
                    config,
                    &format!("No usable microphone: {why}\nType your answers instead."),
                );
                Self::Typed
            }
        }
    }

    /// Whether answers are given live, typed at the console or spoken (and so timed there, with
    /// think time before them).
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Typed | Self::Mic { .. })
    }
}

#[derive(Debug)]
enum Input {
    Line(String),
    End,
    Failed(String),
}

/// A typed answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub text: String,
    pub elapsed_s: f64,
    pub timed_out: bool,
    pub interrupted: bool,
}

/// How think time ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Think {
    Done,
    Interrupted,
}

/// Standard input, line by line, read on its own thread; countdowns on stderr.
#[derive(Debug)]
pub struct Console {
    lines: Receiver<Input>,
    /// Lines typed during think time, the start of the next answer.
    carried: Vec<String>,
    ended: bool,
    /// Countdowns and prompts are drawn (stderr is a terminal and not --quiet).
    live: bool,
    /// Messages are shown (not --quiet).
    chatty: bool,
}

impl Console {
    pub fn start(chatty: bool) -> Self {
        let (send, lines) = mpsc::channel();
        // The thread ends with standard input, or with the process; it owns nothing else.
        std::thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let input = match line {
                    Ok(line) => Input::Line(line),
                    Err(err) => Input::Failed(err.to_string()),
                };
                let failed = matches!(input, Input::Failed(_));
                if send.send(input).is_err() || failed {
                    return;
                }
            }
            let _ = send.send(Input::End);
        });
        Self {
            lines,
            carried: Vec::new(),
            ended: false,
            live: chatty && std::io::stderr().is_terminal(),
            chatty,
        }
    }

    /// A line typed within `wait`, if any (a spoken answer's Enter, or a yes/no reply).
    pub fn line_within(&mut self, wait: Duration) -> Result<Option<String>> {
        self.next(wait)
    }

    fn next(&mut self, wait: Duration) -> Result<Option<String>> {
        if self.ended {
            std::thread::sleep(wait);
            return Ok(None);
        }
        match self.lines.recv_timeout(wait) {
            Ok(Input::Line(line)) => Ok(Some(line)),
            Ok(Input::Failed(err)) => {
                bail!("cannot read the typed answer ({err}); it must be UTF-8 text")
            }
            Ok(Input::End) | Err(RecvTimeoutError::Disconnected) => {
                self.ended = true;
                Ok(None)
            }
            Err(RecvTimeoutError::Timeout) => Ok(None),
        }
    }

    fn say(&self, message: &str) {
        if self.chatty {
            anstream::eprintln!("{message}");
        }
    }

    /// Think time before an answer, with a live countdown. An empty line skips the rest; a line
    /// with text starts the answer early and is kept as its beginning.
    pub fn think(&mut self, prep_s: u32) -> Result<Think> {
        if prep_s == 0 {
            return Ok(Think::Done);
        }
        let start = Instant::now();
        let total = f64::from(prep_s);
        let mut outcome = Think::Done;
        let mut by_line = false;
        loop {
            if interrupt::requested() {
                outcome = Think::Interrupted;
                break;
            }
            let elapsed = start.elapsed().as_secs_f64();
            if elapsed >= total || self.ended {
                break;
            }
            if self.live {
                anstream::eprint!(
                    "\r{}  (Enter to start)\x1b[K",
                    countdown::line("Think", total - elapsed, total, 20)
                );
                std::io::stderr().flush().ok();
            }
            if let Some(line) = self.next(TICK)? {
                if !line.trim().is_empty() {
                    self.carried.push(line);
                }
                by_line = true;
                break;
            }
        }
        if self.live {
            // The terminal echoed the line that ended think time: clear it with the countdown.
            let up = if by_line { "\x1b[1A" } else { "" };
            anstream::eprint!("{up}\r\x1b[K");
        }
        Ok(outcome)
    }

    /// A typed answer: lines up to an empty line, the end of input, or the time limit.
    pub fn answer(&mut self, limit_s: u32) -> Result<Typed> {
        let start = Instant::now();
        let limit = f64::from(limit_s);
        let mut lines = std::mem::take(&mut self.carried);
        if self.live {
            anstream::eprintln!(
                "{}  type your answer; an empty line ends it",
                countdown::line("Answer", limit, limit, 20)
            );
            // Lines typed during think time were cleared with it; show them as the answer's start.
            for line in &lines {
                anstream::eprintln!("{line}");
            }
        }
        let mut before = 0.0;
        let mut timed_out = false;
        let mut interrupted = false;
        loop {
            if interrupt::requested() {
                interrupted = true;
                break;
            }
            let elapsed = start.elapsed().as_secs_f64();
            for left in countdown::warnings_crossed(limit_s, before, elapsed) {
                self.say(&countdown::line(
                    &format!("{left} s left"),
                    f64::from(left),
                    limit,
                    20,
                ));
            }
            before = elapsed;
            if elapsed >= limit {
                timed_out = true;
                self.say("Time's up: the answer ends here.");
                break;
            }
            let wait = TICK.min(Duration::from_secs_f64(limit - elapsed));
            match self.next(wait)? {
                // An empty line ends the answer, once there is one.
                Some(line) if line.trim().is_empty() && !lines.is_empty() => break,
                Some(line) if line.trim().is_empty() => {}
                Some(line) => lines.push(line),
                None if self.ended => break,
                None => {}
            }
        }
        Ok(Typed {
            text: lines.join("\n"),
            elapsed_s: (start.elapsed().as_secs_f64() * 10.0).round() / 10.0,
            timed_out,
            interrupted,
        })
    }
}
