//! The screen while an answer is spoken: the countdown with warnings 30 s and 10 s before the
//! end, a live input level meter, notices when there is no signal or the input clips, and the
//! transcript growing as phrases are finished. Everything goes to stderr, so `--json` output on
//! stdout stays clean. On a terminal one status line is redrawn in place and the rest is printed
//! above it; elsewhere only the lines are printed.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::audio::capture::{Capture, Level, SIGNAL_DB};
use crate::style::{DIM, HIT, MISSED, PARTIAL};
use crate::transcribe::streaming::Streaming;
use crate::ui::countdown;
use crate::{interrupt, terminal};

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

/// `● 1:02 ▕██░░▏  level ▆▆▁▁ -23 dB  Enter or space stops`, without the hint when that would
/// not fit the terminal: a status line that wraps could not be erased in place.
fn status_line(countdown: &str, meter: &str, hint: &str, width: usize) -> String {
    let line = format!("{countdown}  {meter}  {DIM}{hint}{DIM:#}");
    if anstream::adapter::strip_str(&line)
        .to_string()
        .chars()
        .count()
        < width
    {
        line
    } else {
        format!("{countdown}  {meter}")
    }
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

/// Run the screen until the answer ends. `keys(wait)` waits up to `wait` for the stop key;
/// `time_left(s)` is told of each countdown warning.
pub fn run(
    capture: &Capture,
    streaming: &Streaming,
    keys: &mut dyn FnMut(Duration) -> Result<bool>,
    time_left: &mut dyn FnMut(u32),
    options: &Options,
) -> Result<(Ended, f64)> {
    let start = Instant::now();
    let audio_at_start = capture.level().seconds;
    let limit = f64::from(options.limit_s);
    let mut notices = Notices::default();
    let mut before = 0.0;
    let width = crate::ui::width();
    // Lines go above the status line: it is erased first, and drawn again on the next tick.
    let print = |line: &str| {
        if options.chatty {
            if options.draw {
                terminal::clear_line();
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
            time_left(left);
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
            terminal::redraw_line(&status_line(
                &countdown::line("●", limit - elapsed, limit, 16),
                &meter(level.db, clipping, 12),
                options.stop_hint,
                width,
            ));
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
    fn the_status_line_leaves_the_hint_out_rather_than_wrap() {
        let countdown = countdown::line("●", 62.0, 90.0, 16);
        let meter = meter(-23.0, false, 12);
        let wide = plain(&status_line(
            &countdown,
            &meter,
            "Enter or space stops",
            100,
        ));
        assert!(wide.ends_with("-23 dB  Enter or space stops"), "{wide}");
        let narrow = plain(&status_line(&countdown, &meter, "Enter or space stops", 60));
        assert!(
            narrow.ends_with("-23 dB") && narrow.chars().count() < 60,
            "{narrow}"
        );
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
