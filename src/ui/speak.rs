//! Reading questions aloud with the text-to-speech engine the system has: `say` on macOS,
//! `espeak-ng` elsewhere. Without one, the round goes on silently after one notice.

use std::io::ErrorKind;
use std::process::{Command, Stdio};

#[derive(Debug)]
pub struct Voice {
    program: &'static str,
    /// Set once the engine turned out to be missing or broken: no more tries, no more notices.
    silent: bool,
}

impl Default for Voice {
    fn default() -> Self {
        Self {
            program: if cfg!(target_os = "macos") {
                "say"
            } else {
                "espeak-ng"
            },
            silent: false,
        }
    }
}

impl Voice {
    /// Speak the text and wait until it is spoken. Returns a notice for the user the first time
    /// speech is not possible, and nothing after that.
    pub fn say(&mut self, text: &str) -> Option<String> {
        if self.silent {
            return None;
        }
        let status = Command::new(self.program)
            .arg(text)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let problem = match status {
            Ok(status) if status.success() => return None,
            Ok(status) => format!("{} failed ({status})", self.program),
            Err(err) if err.kind() == ErrorKind::NotFound => format!(
                "no text-to-speech found ({} is not installed)",
                self.program
            ),
            Err(err) => format!("cannot run {}: {err}", self.program),
        };
        self.silent = true;
        Some(format!(
            "{problem}; questions are shown but not read aloud."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_engine_gives_one_notice_then_silence() {
        let mut voice = Voice {
            program: "rehearse-no-such-tts-program",
            silent: false,
        };
        let notice = voice.say("What is ECS?");
        assert!(notice.is_some_and(|n| n.contains("not installed")));
        assert_eq!(voice.say("Next question"), None);
    }
}
