//! Standard input for the whole command, read by one thread, so that countdowns keep running
//! while the user types, lines typed ahead (or piped in) carry over to the next answer, and the
//! keys that stop a spoken answer come from the same reader as typed answers and replies. The
//! console takes the typed answer against the clock (think time that Enter skips, then the
//! answer's time limit with warnings 30 s and 10 s before the end), or, in practice, with the
//! time as an aim.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use crate::interrupt;
use crate::terminal::{self, KeyMode};
use crate::ui::countdown;

/// How often the countdown looks at the clock and at Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

#[derive(Debug)]
enum Input {
    Bytes(Vec<u8>),
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

/// Whether a typed answer ends at its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// It ends at the limit, with warnings before (a round).
    Limit(u32),
    /// The time is only an aim: the answer ends with an empty line (practice).
    Aim(u32),
}

/// Standard input, read on its own thread; countdowns on stderr.
#[derive(Debug)]
pub struct Console {
    input: Receiver<Input>,
    /// Read and not yet taken: the start of the next line or key.
    pending: Vec<u8>,
    /// Lines typed during think time, the start of the next answer.
    carried: Vec<String>,
    ended: bool,
    /// Countdowns and prompts are drawn (stderr is a terminal and not --quiet).
    live: bool,
    /// Messages are shown (not --quiet).
    chatty: bool,
    /// Where key mode keeps its marker (the data dir).
    marker_dir: PathBuf,
}

impl Console {
    pub fn start(chatty: bool, marker_dir: &Path) -> Self {
        let (send, input) = mpsc::channel();
        // The thread ends with standard input, or with the process; it owns nothing else.
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buffer = [0u8; 4096];
            loop {
                let input = match stdin.read(&mut buffer) {
                    Ok(0) => Input::End,
                    Ok(n) => Input::Bytes(buffer[..n].to_vec()),
                    Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(err) => Input::Failed(err.to_string()),
                };
                let more = matches!(input, Input::Bytes(_));
                if send.send(input).is_err() || !more {
                    return;
                }
            }
        });
        Self {
            input,
            pending: Vec::new(),
            carried: Vec::new(),
            ended: false,
            live: chatty && std::io::stderr().is_terminal(),
            chatty,
            marker_dir: marker_dir.to_path_buf(),
        }
    }

    /// Wait until `deadline` for more input; false when none came (or input has ended).
    fn receive(&mut self, deadline: Instant) -> Result<bool> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.input.recv_timeout(wait) {
            Ok(Input::Bytes(bytes)) => {
                self.pending.extend(bytes);
                Ok(true)
            }
            Ok(Input::Failed(err)) => {
                bail!("cannot read the typed answer ({err}); it must be UTF-8 text")
            }
            Ok(Input::End) | Err(RecvTimeoutError::Disconnected) => {
                self.ended = true;
                Ok(false)
            }
            Err(RecvTimeoutError::Timeout) => Ok(false),
        }
    }

    /// A whole line of what was read, if there is one (at the end of input, the last line
    /// without its newline).
    fn take_line(&mut self) -> Result<Option<String>> {
        let end = match self.pending.iter().position(|b| *b == b'\n') {
            Some(at) => at + 1,
            None if self.ended && !self.pending.is_empty() => self.pending.len(),
            None => return Ok(None),
        };
        let bytes: Vec<u8> = self.pending.drain(..end).collect();
        let Ok(line) = String::from_utf8(bytes) else {
            bail!("the typed answer is not UTF-8 text; type it again, or save it as UTF-8");
        };
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_owned()))
    }

    /// A line typed within `wait`, if any (a yes/no reply).
    pub fn line_within(&mut self, wait: Duration) -> Result<Option<String>> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(line) = self.take_line()? {
                return Ok(Some(line));
            }
            if self.ended {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                return Ok(None);
            }
            if !self.receive(deadline)? && !self.ended {
                return Ok(None);
            }
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
                terminal::redraw_line(&format!(
                    "{}  (Enter to start)",
                    countdown::line("Think", total - elapsed, total, 20)
                ));
            }
            if let Some(line) = self.line_within(TICK)? {
                if !line.trim().is_empty() {
                    self.carried.push(line);
                }
                by_line = true;
                break;
            }
        }
        if self.live {
            // The terminal echoed the line that ended think time: clear it with the countdown.
            if by_line {
                terminal::clear_line_above();
            } else {
                terminal::clear_line();
            }
        }
        Ok(outcome)
    }

    /// A typed answer: lines up to an empty line, the end of input, or (in a round) the time
    /// limit, calling `time_left` at each warning before it.
    pub fn answer(&mut self, clock: Clock, time_left: &mut dyn FnMut(u32)) -> Result<Typed> {
        let start = Instant::now();
        let mut lines = std::mem::take(&mut self.carried);
        if self.live {
            match clock {
                Clock::Limit(limit_s) => {
                    let limit = f64::from(limit_s);
                    anstream::eprintln!(
                        "{}  type your answer; an empty line ends it",
                        countdown::line("Answer", limit, limit, 20)
                    );
                }
                Clock::Aim(aim_s) => anstream::eprintln!(
                    "\nType your answer (aim for under {aim_s} s of speaking); finish with an empty line:"
                ),
            }
            // Lines typed during think time were cleared with it; show them as the answer's start.
            for line in &lines {
                anstream::eprintln!("{line}");
            }
            std::io::stderr().flush().ok();
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
            let mut wait = TICK;
            if let Clock::Limit(limit_s) = clock {
                let limit = f64::from(limit_s);
                for left in countdown::warnings_crossed(limit_s, before, elapsed) {
                    self.say(&countdown::line(
                        &format!("{left} s left"),
                        f64::from(left),
                        limit,
                        20,
                    ));
                    time_left(left);
                }
                before = elapsed;
                if elapsed >= limit {
                    timed_out = true;
                    self.say("Time's up: the answer ends here.");
                    break;
                }
                wait = wait.min(Duration::from_secs_f64(limit - elapsed));
            }
            match self.line_within(wait)? {
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

    /// The keys that stop a spoken answer, for as long as this lives: on a terminal, keys come
    /// one at a time and unechoed, so that space works as well as Enter; elsewhere a line (or a
    /// space in it) stops. Ctrl-C still interrupts.
    pub fn stop_keys(&mut self) -> StopKeys<'_> {
        let mode = KeyMode::enter(&self.marker_dir);
        StopKeys {
            console: self,
            _mode: mode,
        }
    }
}

/// Enter or space, read from the console (see [`Console::stop_keys`]).
#[derive(Debug)]
pub struct StopKeys<'a> {
    console: &'a mut Console,
    _mode: KeyMode,
}

impl StopKeys<'_> {
    /// Whether Enter or space was pressed within `wait`. Other keys do nothing and are dropped.
    pub fn pressed_within(&mut self, wait: Duration) -> Result<bool> {
        let deadline = Instant::now() + wait;
        let console = &mut *self.console;
        loop {
            if let Some(at) = console
                .pending
                .iter()
                .position(|b| matches!(b, b'\n' | b'\r' | b' '))
            {
                console.pending.drain(..=at);
                return Ok(true);
            }
            console.pending.clear();
            if console.ended {
                // Nothing can stop the answer now but the clock (or Ctrl-C).
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                return Ok(false);
            }
            if !console.receive(deadline)? && !console.ended {
                return Ok(false);
            }
        }
    }
}
