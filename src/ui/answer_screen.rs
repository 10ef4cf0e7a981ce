//! The screen while an answer is spoken: the countdown with warnings 30 s and 10 s before the
//! end, a live input level meter, notices when there is no signal or the input clips, and the
//! transcript growing as phrases are finished. Everything goes to stderr, so `--json` output on
//! stdout stays clean. On a terminal one status line is redrawn in place and the rest is printed
//! above it; elsewhere only the lines are printed.

use std::io::{IsTerminal, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audio::capture::{Capture, Level, SIGNAL_DB};
use crate::interrupt;
use crate::style::{DIM, HIT, MISSED, PARTIAL};
use crate::transcribe::streaming::Streaming;
use crate::ui::countdown;

/// How often the screen is redrawn and the keys and Ctrl-C looked at.
const TICK: Duration = Duration::from_millis(100);
/// No signal for this long brings up a notice.
const NO_SIGNAL_S: f64 = 3.0;
/// A clipping notice is not repeated within this many seconds.
const CLIP_NOTICE_EVERY_S: f64 = 5.0;

/// Why the answer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Enter (or space).
    Stopped,
    TimeUp,
    /// `--stop-on-silence`: nobody spoke for that long.
    Silence,
    /// Ctrl-C.
    Interrupted,
    /// The device went away; what was recorded is kept.
    Lost(&'static str),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub limit_s: u32,
    pub stop_on_silence: Option<f64>,
    /// Draw the status line in place (stderr is a terminal).
    pub draw: bool,
    /// Print lines at all (not --quiet).
    pub chatty: bool,
    /// How to stop, as shown: "Enter or space stops".
    pub stop_hint: &'static str,
}

impl Options {
    pub fn new(
        limit_s: u32,
        stop_on_silence: Option<f64>,
        chatty: bool,
        stop_hint: &'static str,
    ) -> Self {
        Self {
            limit_s,
            stop_on_silence,
            draw: chatty && std::io::stderr().is_terminal(),
            chatty,
            stop_hint,
        }
    }
}

/// `level ▕▆▆▆▆▁▁▁▏ -23 dB`: loudness from -60 to 0 dBFS; red when the input clips.
pub fn meter(db: f32, clipping: bool, cells: usize) -> String {
    let share = ((db + 60.0) / 60.0).clamp(0.0, 1.0);
    let filled = (share * cells as f32).round() as usize;
    let style = if clipping {
        MISSED
    } else if db > SIGNAL_DB + 15.0 {
        HIT
    } else {
        PARTIAL
    };
    let shown = if db <= -99.0 {
        "  -∞".to_owned()
    } else {
        format!("{:>4.0}", db)
    };
    format!(
        "level {style}{}{style:#}{DIM}{}{DIM:#} {shown} dB",
        "▆".repeat(filled.min(cells)),
        "▁".repeat(cells - filled.min(cells)),
    )
}

/// A phrase of the live transcript: `  » text`, wrapped, continued under the text.
pub fn transcript_lines(text: &str, width: usize) -> Vec<String> {
    textwrap::wrap(text, width.saturating_sub(4).max(20))
        .iter()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("  {DIM}»{DIM:#} {line}")
            } else {
                format!("    {line}")
            }
        })
        .collect()
}

/// What the notices have already said, so each is said once per occurrence.
#[derive(Debug, Default)]
struct Notices {
    no_signal_said: bool,
    clip_said_at: Option<f64>,
}

impl Notices {
    /// New notices for this moment of the answer (`elapsed_s` on the answer clock).
    fn check(&mut self, level: &Level, elapsed_s: f64) -> Vec<String> {
        let mut out = Vec::new();
        let quiet_for = match level.signal_at {
            Some(at) => level.seconds - at,
            None => level.seconds.min(elapsed_s),
        };
        if quiet_for >= NO_SIGNAL_S {
            if !self.no_signal_said {
                self.no_signal_said = true;
                out.push(format!(
                    "{PARTIAL}No signal for {NO_SIGNAL_S:.0} s: is the right microphone selected? (see `rehearse devices`, pick one with --device){PARTIAL:#}"
                ));
            }
        } else {
            self.no_signal_said = false;
        }
        if let Some(at) = level.clipped_at
            && self
                .clip_said_at
                .is_none_or(|said| at - said >= CLIP_NOTICE_EVERY_S)
        {
            self.clip_said_at = Some(at);
            out.push(format!(
                "{MISSED}The input is clipping: move back from the microphone or turn its input gain down.{MISSED:#}"
            ));
        }
        out
    }
}

/// Run the screen until the answer ends. `keys(wait)` waits up to `wait` for the stop key.
pub fn run(
    capture: &Capture,
    streaming: &Streaming,
    keys: &mut dyn FnMut(Duration) -> Result<bool>,
    options: &Options,
) -> Result<(Ended, f64)> {
    let start = Instant::now();
    let audio_at_start = capture.level().seconds;
    let limit = f64::from(options.limit_s);
    let mut notices = Notices::default();
    let mut before = 0.0;
    let width = crate::ui::width();
    let print = |line: &str| {
        if options.chatty {
            if options.draw {
                anstream::eprint!("\r\x1b[K");
            }
            anstream::eprintln!("{line}");
        }
    };
    print(&format!(
        "{}  speak now; {}",
        countdown::line("● Answer", limit, limit, 20),
        options.stop_hint
    ));
    let ended = loop {
        if interrupt::requested() {
            break Ended::Interrupted;
        }
        let level = capture.level();
        let elapsed = start
            .elapsed()
            .as_secs_f64()
            .max(level.seconds - audio_at_start);
        for heard in streaming.heard() {
            for line in transcript_lines(&heard.text, width) {
                print(&line);
            }
        }
        for left in countdown::warnings_crossed(options.limit_s, before, elapsed) {
            print(&countdown::line(
                &format!("{left} s left"),
                f64::from(left),
                limit,
                20,
            ));
        }
        before = elapsed;
        for notice in notices.check(&level, elapsed) {
            print(&notice);
        }
        if let Some(why) = capture.lost() {
            break Ended::Lost(why);
        }
        if level.full || elapsed >= limit {
            break Ended::TimeUp;
        }
        if let (Some(after), Some(silent)) = (options.stop_on_silence, streaming.silence_s())
            && silent >= after
        {
            break Ended::Silence;
        }
        if options.draw {
            let clipping = level.clipped_at.is_some_and(|at| level.seconds - at < 0.5);
            anstream::eprint!(
                "\r{}  {}  {DIM}{}{DIM:#}\x1b[K",
                countdown::line("●", limit - elapsed, limit, 16),
                meter(level.db, clipping, 12),
                options.stop_hint
            );
            std::io::stderr().flush().ok();
        }
        if keys(TICK)? {
            break Ended::Stopped;
        }
    };
    let elapsed = start
        .elapsed()
        .as_secs_f64()
        .max(capture.level().seconds - audio_at_start)
        .min(limit);
    let said = match ended {
        Ended::Stopped => format!("Stopped at {}.", crate::style::clock(elapsed.round())),
        Ended::TimeUp => "Time's up: the answer ends here.".to_owned(),
        Ended::Silence => "Stopped after the silence.".to_owned(),
        Ended::Interrupted => "Interrupted.".to_owned(),
        Ended::Lost(why) => {
            format!("{MISSED}Recording stopped: {why}; keeping what was recorded.{MISSED:#}")
        }
    };
    print(&said);
    // Phrases finished in the last tick are shown with the final transcript instead.
    Ok((ended, (elapsed * 10.0).round() / 10.0))
}

/// The keys that stop a spoken answer: Enter or space. On a terminal, input is switched out of
/// line mode (with `stty`, restored when this is dropped) so that space works without Enter;
/// Ctrl-C still interrupts. Elsewhere a line of input stops.
#[derive(Debug)]
pub struct StopKeys {
    keys: Receiver<u8>,
    saved: Option<String>,
}

impl StopKeys {
    pub fn start() -> Self {
        let saved = if std::io::stdin().is_terminal() {
            stty_cbreak()
        } else {
            None
        };
        let (send, keys) = mpsc::channel();
        // The thread ends with standard input, or with the process.
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut byte = [0u8; 1];
            while let Ok(1) = stdin.read(&mut byte) {
                if send.send(byte[0]).is_err() {
                    return;
                }
            }
        });
        Self { keys, saved }
    }

    /// Wait up to `wait` for Enter or space.
    pub fn wait(&mut self, wait: Duration) -> Result<bool> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.keys.recv_timeout(left) {
                Ok(b'\n' | b'\r' | b' ') => return Ok(true),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => return Ok(false),
                // End of input: nothing can stop the answer but the clock (or Ctrl-C).
                Err(RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(left);
                    return Ok(false);
                }
            }
        }
    }
}

impl Drop for StopKeys {
    fn drop(&mut self) {
        if let Some(saved) = self.saved.take() {
            let _ = Command::new("stty")
                .arg(saved.trim())
                .stdin(Stdio::inherit())
                .status();
        }
    }
}

/// Put the terminal in character mode without echo; the settings to restore.
fn stty_cbreak() -> Option<String> {
    let saved = Command::new("stty")
        .arg("-g")
        .stdin(Stdio::inherit())
        .output()
        .ok()?;
    if !saved.status.success() {
        return None;
    }
    let saved = String::from_utf8(saved.stdout).ok()?;
    let ok = Command::new("stty")
        .args(["-icanon", "-echo", "min", "1", "time", "0"])
        .stdin(Stdio::inherit())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    #[test]
    fn the_meter_spans_minus_60_to_0_db() {
        let loud = plain(&meter(-6.0, false, 10));
        assert_eq!(loud.matches('▆').count(), 9, "{loud}");
        assert!(loud.ends_with("-6 dB"), "{loud}");
        let silent = plain(&meter(-100.0, false, 10));
        assert_eq!(silent.matches('▆').count(), 0);
        assert!(silent.contains("-∞"), "{silent}");
        assert_eq!(plain(&meter(3.0, true, 10)).matches('▆').count(), 10);
    }

    #[test]
    fn no_signal_is_said_once_per_quiet_stretch_and_clipping_at_most_every_5_s() {
        let mut notices = Notices::default();
        let mut level = Level {
            seconds: 2.0,
            ..Level::default()
        };
        assert!(notices.check(&level, 2.0).is_empty());
        level.seconds = 3.1;
        assert_eq!(notices.check(&level, 3.1).len(), 1);
        level.seconds = 4.0;
        assert!(notices.check(&level, 4.0).is_empty(), "said once");
        level.signal_at = Some(4.0);
        assert!(notices.check(&level, 4.0).is_empty());
        level.seconds = 7.2;
        assert_eq!(notices.check(&level, 7.2).len(), 1, "a new quiet stretch");

        let mut notices = Notices::default();
        let mut level = Level {
            seconds: 1.0,
            signal_at: Some(1.0),
            clipped_at: Some(0.9),
            ..Level::default()
        };
        assert_eq!(notices.check(&level, 1.0).len(), 1);
        level.clipped_at = Some(2.0);
        assert!(notices.check(&level, 2.0).is_empty());
        level.clipped_at = Some(6.0);
        assert_eq!(notices.check(&level, 6.0).len(), 1);
    }
}
