//! The terminal layouts of `round`, `history`, `review` and `transcribe` in a real
//! pseudo-terminal (tmux) of 80 columns: a person's keys go in, the screen comes out, and no line
//! is wider than the terminal.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::TestResult;

/// A tmux server of our own (its own socket), with one terminal.
pub struct Tmux {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Run `args` of rehearse in a fresh 80×40 terminal, with the data under `home`.
    fn start(home: &Path, args: &str) -> anyhow::Result<Self> {
        Self::start_sized(home, "", args, (80, 40))
    }

    /// Run `args` of rehearse, after the environment settings `env`, in a fresh terminal of
    /// `(columns, rows)`, with the data under `home`.
    pub fn start_sized(
        home: &Path,
        env: &str,
        args: &str,
        size: (u16, u16),
    ) -> anyhow::Result<Self> {
        let script = format!(
            "{}; echo EXIT=$?; sleep 120",
            rehearse_line(home, env, args)
        );
        Self::run_script(&script, size)
    }

    /// Run a shell script in a fresh terminal of `(columns, rows)`.
    pub fn run_script(script: &str, (columns, rows): (u16, u16)) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let socket = dir.path().join("tmux.sock");
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(columns.to_string())
            .arg("-y")
            .arg(rows.to_string())
            .arg(script)
            .env("TERM", "xterm-256color")
            .status()
            .context("the terminal tests need tmux: run scripts/setup --deps as root")?;
        if !status.success() {
            bail!("tmux did not start");
        }
        Ok(Self { socket, _dir: dir })
    }

    /// What tmux knows of the pane, by its format (`#{pane_tty}`, `#{pane_pid}`).
    pub fn pane(&self, format: &str) -> anyhow::Result<String> {
        let out = self
            .tmux()
            .args(["display-message", "-p", format])
            .output()?;
        Ok(String::from_utf8(out.stdout)?.trim().to_owned())
    }

    fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.arg("-S").arg(&self.socket);
        cmd
    }

    /// The screen and its scrollback, with lines that the terminal wrapped joined again.
    fn screen(&self) -> anyhow::Result<String> {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-J", "-S", "-500"])
            .output()?;
        Ok(String::from_utf8(out.stdout)?)
    }

    pub fn keys(&self, keys: &[&str]) -> anyhow::Result<()> {
        let status = self.tmux().arg("send-keys").args(keys).status()?;
        if !status.success() {
            bail!("tmux send-keys failed");
        }
        Ok(())
    }

    pub fn type_line(&self, text: &str) -> anyhow::Result<()> {
        self.keys(&["-l", text])?;
        self.keys(&["Enter"])
    }

    pub fn wait_for(&self, text: &str) -> anyhow::Result<String> {
        self.wait_until(
            |screen| screen.contains(text),
            text,
            Duration::from_secs(20),
        )
    }

    /// Wait until the screen shows `text` in any case (whisper capitalises as it likes), and
    /// return the screen.
    pub fn wait_for_any_case(&self, text: &str, timeout: Duration) -> anyhow::Result<String> {
        let wanted = text.to_lowercase();
        self.wait_until(
            |screen| screen.to_lowercase().contains(&wanted),
            text,
            timeout,
        )
    }

    fn wait_until(
        &self,
        shows: impl Fn(&str) -> bool,
        text: &str,
        timeout: Duration,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen()?;
            if shows(&screen) {
                return Ok(screen);
            }
            if Instant::now() > deadline {
                bail!("`{text}` did not show within {timeout:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The shell words that run rehearse with `args`, its data under `home` and no settings from the
/// test's own environment but for `env`.
pub fn rehearse_line(home: &Path, env: &str, args: &str) -> String {
    format!(
        "env -u REHEARSE_DATA_DIR -u REHEARSE_BANK -u REHEARSE_DEVICE -u NO_COLOR HOME='{home}' \
         XDG_DATA_HOME='{home}/data' XDG_CONFIG_HOME='{home}/config' {env} '{bin}' {args}",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_rehearse"),
    )
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

fn assert_fits(screen: &str) {
    for line in screen.lines() {
        assert!(
            line.trim_end().chars().count() <= 80,
            "a line wider than 80 columns: {line:?}\n{screen}"
        );
    }
}

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn round_history_and_review_read_well_at_80_columns() -> TestResult {
    let home = tempfile::tempdir()?;
    let round = Tmux::start(
        home.path(),
        "round -n 2 --type --prep 20 --time-limit 60 --seed 7",
    )?;
    // Think time counts down until Enter skips it; then the answer's countdown is shown.
    round.wait_for("Think 0:")?;
    round.wait_for("(Enter to start)")?;
    round.keys(&["Enter"])?;
    round.wait_for("Answer 1:00")?;
    round.type_line("ECS is a fully managed container orchestration service.")?;
    round.type_line("")?;
    round.wait_for("Question 2 of 2")?;
    round.keys(&["Enter"])?;
    round.type_line("It runs Docker containers and scales them.")?;
    round.type_line("")?;
    let screen = round.wait_for("EXIT=0")?;
    for expected in [
        "Question 1 of 2",
        "Score ",
        "Round summary",
        "  #  question",
        "See every answer with `rehearse review",
    ] {
        assert!(screen.contains(expected), "no {expected:?} in:\n{screen}");
    }
    assert_fits(&screen);
    drop(round);

    let history = Tmux::start(home.path(), "history")?;
    let screen = history.wait_for("EXIT=0")?;
    for expected in [
        "Sessions",
        "tries  best  last   avg  trend",
        "Missed most often",
    ] {
        assert!(screen.contains(expected), "no {expected:?} in:\n{screen}");
    }
    assert_fits(&screen);
    drop(history);

    let review = Tmux::start(home.path(), "review latest")?;
    let screen = review.wait_for("EXIT=0")?;
    for expected in [
        "Answer 1 ·",
        "Answer 2 ·",
        "Transcript",
        "Key points",
        "Delivery",
        "Reference answer",
    ] {
        assert!(screen.contains(expected), "no {expected:?} in:\n{screen}");
    }
    assert_fits(&screen);
    Ok(())
}

/// A long recording in a terminal: the progress bar shows on stderr while the phrases already
/// heard are printed above it, and it is gone at the end.
#[test]
#[ignore = "needs tmux, the tiny.en model and speech clips: scripts/test runs it"]
fn transcribe_shows_progress_and_phrases_as_they_come() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    let home = tempfile::tempdir()?;
    let (answer, _) = crate::whisper::long_answer(home.path())?;
    let run = Tmux::start(
        home.path(),
        &format!(
            "--models-dir '{}' transcribe '{}'",
            crate::whisper::models_dir().display(),
            answer.display()
        ),
    )?;
    let during = run.wait_for("[0:00]")?;
    // The whole recording takes tiny.en about 30 s on two quiet cores; a busy machine (a build
    // beside the tests) can take several times that, and the test is about what shows, not speed.
    let screen = run.wait_for_any_case("EXIT=0", Duration::from_secs(240))?;
    assert!(
        during.contains("transcribing ["),
        "no progress bar while transcribing:\n{during}"
    );
    assert!(
        !screen.contains("transcribing ["),
        "the progress bar stayed:\n{screen}"
    );
    // Every phrase is printed, up to the last minute of the recording.
    assert!(
        screen.contains("[1:") && screen.contains("country"),
        "{screen}"
    );
    Ok(())
}
