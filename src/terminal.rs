//! The controlling terminal: a mode in which keys arrive one at a time and unechoed (so that
//! Enter or space stops a spoken answer), restored however rehearse ends, and the control
//! sequences of the live screens. A leaf: it imports nothing of the crate.
//!
//! Every way out restores the terminal: the guard's drop (a normal return, an error, Ctrl-C,
//! which only sets a flag), a panic (a hook), SIGTERM, SIGHUP and SIGQUIT (a signal thread that
//! restores and then lets the signal end the process), and Ctrl-Z (restored while stopped, the
//! mode taken up again on `fg`). SIGKILL leaves no chance, so a marker file in the data dir says
//! that the mode is on, and the next rehearse started on that terminal restores it
//! ([`recover`]).
//!
//! Only the canonical-line and echo settings change: signals (Ctrl-C) and output processing stay
//! as they are, so lines printed meanwhile still start at the left edge.

use std::io::Write;
use std::path::Path;

/// Keys one at a time and unechoed for as long as this lives (when standard input is a
/// terminal; elsewhere it changes nothing).
#[derive(Debug)]
pub struct KeyMode {
    _private: (),
}

impl KeyMode {
    /// Take up the mode; `marker_dir` (the data dir) keeps the marker while it is on.
    pub fn enter(marker_dir: &Path) -> Self {
        imp::enter(marker_dir);
        Self { _private: () }
    }
}

impl Drop for KeyMode {
    fn drop(&mut self) {
        imp::restore();
    }
}

/// At start-up: if a rehearse that was killed left this terminal in key mode (its marker in
/// `marker_dir` says so), put the terminal back as it was. Returns a line for the user when it
/// did. Costs a check of whether standard input is a terminal, and one file lookup if it is.
pub fn recover(marker_dir: &Path) -> Option<&'static str> {
    imp::recover(marker_dir).then_some(
        "The terminal was left without echo by a rehearse that was killed; it is restored.",
    )
}

/// Draw `line` over the line the cursor is on: from its start, then erase what is left of the
/// old one. The control sequences are written as they are, not through anstream, which drops
/// them along with colour (NO_COLOR) and would leave the old line on screen.
pub fn redraw_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"\r");
    // The lock is re-entrant: anstream takes it again on this thread.
    anstream::eprint!("{line}");
    let _ = err.write_all(b"\x1b[K");
    let _ = err.flush();
}

/// Erase the line the cursor is on, leaving the cursor at its start.
pub fn clear_line() {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"\r\x1b[K");
    let _ = err.flush();
}

/// Erase the line above the cursor (the line the terminal echoed), and go there.
pub fn clear_line_above() {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(b"\x1b[1A\r\x1b[K");
    let _ = err.flush();
}

/// The marker's file name for a terminal: its device path without `/dev/`, slashes as dashes
/// (`/dev/pts/3` → `key-mode-pts-3`).
fn marker_name(tty: &str) -> String {
    let name = tty.strip_prefix("/dev/").unwrap_or(tty);
    format!("key-mode-{}", name.replace(['/', '\\'], "-"))
}

#[cfg(unix)]
mod imp {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once, PoisonError};

    use rustix::termios::{self, LocalModes, OptionalActions, SpecialCodeIndex, Termios};
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM, SIGTSTP};
    use signal_hook::iterator::Signals;

    /// The terminal as it was, while key mode is on.
    struct Saved {
        before: Termios,
        keys: Termios,
        marker: Option<PathBuf>,
    }

    static SAVED: Mutex<Option<Saved>> = Mutex::new(None);

    fn saved() -> std::sync::MutexGuard<'static, Option<Saved>> {
        SAVED.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn tty_name() -> Option<String> {
        termios::ttyname(std::io::stdin(), Vec::new())
            .ok()
            .map(|name| name.to_string_lossy().into_owned())
    }

    pub fn enter(marker_dir: &Path) {
        let stdin = std::io::stdin();
        if !termios::isatty(&stdin) {
            return;
        }
        let Ok(before) = termios::tcgetattr(&stdin) else {
            return;
        };
        let mut keys = before.clone();
        keys.local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO);
        keys.special_codes[SpecialCodeIndex::VMIN] = 1;
        keys.special_codes[SpecialCodeIndex::VTIME] = 0;
        install_hooks();
        // The marker goes first: a kill between the two leaves a marker for a terminal that is
        // fine, and restoring that is harmless.
        let marker = tty_name().and_then(|tty| write_marker(marker_dir, &tty, &before));
        let mut saved = saved();
        if termios::tcsetattr(&stdin, OptionalActions::Now, &keys).is_ok() {
            *saved = Some(Saved {
                before,
                keys,
                marker,
            });
        } else if let Some(marker) = marker {
            let _ = std::fs::remove_file(marker);
        }
    }

    pub fn restore() {
        if let Some(saved) = saved().take() {
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, &saved.before);
            if let Some(marker) = saved.marker {
                let _ = std::fs::remove_file(marker);
            }
        }
    }

    /// Ctrl-Z: the terminal as it was while stopped, key mode again once continued (unless it
    /// ended meanwhile).
    fn stop_and_continue() {
        if let Some(saved) = saved().as_ref() {
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, &saved.before);
        }
        let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
        if let Some(saved) = saved().as_ref() {
            let _ = termios::tcsetattr(std::io::stdin(), OptionalActions::Now, &saved.keys);
        }
    }

    fn install_hooks() {
        static HOOKS: Once = Once::new();
        HOOKS.call_once(|| {
            let earlier = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                earlier(info);
            }));
            // Without the thread these signals keep their default action, which is still a way
            // to end; only the terminal would stay as it is.
            let Ok(mut signals) = Signals::new([SIGTERM, SIGHUP, SIGQUIT, SIGTSTP]) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("rehearse-signals".into())
                .spawn(move || {
                    for signal in signals.forever() {
                        if signal == SIGTSTP {
                            stop_and_continue();
                        } else {
                            restore();
                            let _ = signal_hook::low_level::emulate_default_handler(signal);
                        }
                    }
                });
        });
    }

    /// The marker: which settings to give back (the line and echo flags as they were).
    fn write_marker(dir: &Path, tty: &str, before: &Termios) -> Option<PathBuf> {
        let path = dir.join(super::marker_name(tty));
        let text = format!(
            "rehearse has {tty} in key mode; the next rehearse on it restores these settings\n\
             local_modes {}\nvmin {}\nvtime {}\n",
            before.local_modes.bits(),
            before.special_codes[SpecialCodeIndex::VMIN],
            before.special_codes[SpecialCodeIndex::VTIME],
        );
        std::fs::create_dir_all(dir).ok()?;
        std::fs::write(&path, text).ok()?;
        Some(path)
    }

    pub fn recover(marker_dir: &Path) -> bool {
        let stdin = std::io::stdin();
        if !termios::isatty(&stdin) {
            return false;
        }
        let Some(tty) = tty_name() else {
            return false;
        };
        let marker = marker_dir.join(super::marker_name(&tty));
        let Ok(text) = std::fs::read_to_string(&marker) else {
            return false;
        };
        let Ok(mut now) = termios::tcgetattr(&stdin) else {
            return false;
        };
        let setting = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.trim().parse::<u64>().ok())
        };
        let modes = setting("local_modes ")
            .and_then(|bits| u32::try_from(bits).ok())
            .map(LocalModes::from_bits_retain)
            .unwrap_or(now.local_modes | LocalModes::ICANON | LocalModes::ECHO);
        now.local_modes
            .set(LocalModes::ICANON, modes.contains(LocalModes::ICANON));
        now.local_modes
            .set(LocalModes::ECHO, modes.contains(LocalModes::ECHO));
        for (index, name) in [
            (SpecialCodeIndex::VMIN, "vmin "),
            (SpecialCodeIndex::VTIME, "vtime "),
        ] {
            if let Some(value) = setting(name).and_then(|v| u8::try_from(v).ok()) {
                now.special_codes[index] = value;
            }
        }
        let restored = termios::tcsetattr(&stdin, OptionalActions::Now, &now).is_ok();
        let _ = std::fs::remove_file(&marker);
        restored
    }
}

#[cfg(not(unix))]
mod imp {
    use std::path::Path;

    pub fn enter(_marker_dir: &Path) {}

    pub fn restore() {}

    pub fn recover(_marker_dir: &Path) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_is_named_after_its_terminal() {
        assert_eq!(marker_name("/dev/pts/3"), "key-mode-pts-3");
        assert_eq!(marker_name("/dev/tty1"), "key-mode-tty1");
    }
}
