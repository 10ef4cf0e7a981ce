//! The terminal around a spoken answer, in a real pseudo-terminal (tmux): keys come one at a
//! time while the answer is recorded (space stops it), the status line is gone when the answer
//! stops, and the terminal's modes come back however rehearse ends: Ctrl-C, SIGTERM, and even
//! SIGKILL (the next rehearse started there restores them). The transcripts are scripted, so no
//! model is needed.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::TestResult;
use crate::answers::{script, voiced_wav};
use crate::tty::{Tmux, rehearse_line};

/// The line and echo settings of a terminal as `stty -a` shows them, e.g. `icanon echo`.
const MODES: &str = "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '";

/// A practice answer spoken from a paced recording in a terminal, then `stty` and a second
/// rehearse there, each saying what they see.
fn spoken_practice(home: &Path, env: &str) -> anyhow::Result<Tmux> {
    let wav = voiced_wav(home, "answer.wav", 6.0)?;
    let script = script(home, &[(0.1, 5.9, "ECS runs containers")])?;
    let env = format!("REHEARSE_SCRIPTED_TRANSCRIPTS='{}' {env}", script.display());
    let practice = rehearse_line(
        home,
        &env,
        &format!(
            "practice what-is-ecs --time-limit 60 --device 'wav:{}'",
            wav.display()
        ),
    );
    let again = rehearse_line(home, "", "questions >/dev/null");
    Tmux::run_script(
        &format!(
            "{practice}; echo EXIT=$?; echo AFTER $({MODES}); {again}; echo AGAIN $({MODES}); \
             sleep 120"
        ),
        (100, 40),
    )
}

/// The pane's terminal settings as `stty` sees them from outside.
fn modes_of(term: &Tmux) -> anyhow::Result<String> {
    let tty = term.pane("#{pane_tty}")?;
    let out = Command::new("stty").args(["-F", &tty, "-a"]).output()?;
    Ok(String::from_utf8(out.stdout)?)
}

/// Wait until rehearse has the keys one at a time (its answer screen is up).
fn wait_for_key_mode(term: &Tmux) -> anyhow::Result<()> {
    term.wait_for("speak now")?;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let modes = modes_of(term)?;
        if modes.contains("-icanon") && modes.contains("-echo ") {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the terminal never left line mode:\n{modes}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The rehearse process running in the pane (the shell's child).
fn rehearse_pid(term: &Tmux) -> anyhow::Result<String> {
    let shell = term.pane("#{pane_pid}")?;
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))?;
    children
        .split_whitespace()
        .next()
        .map(str::to_owned)
        .context("no process in the pane")
}

fn signal(term: &Tmux, name: &str) -> TestResult {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &rehearse_pid(term)?])
        .status()?;
    anyhow::ensure!(status.success(), "kill -{name} failed");
    Ok(())
}

/// What a line of the screen that starts with `label` says after it.
fn said_after<'a>(screen: &'a str, label: &str) -> &'a str {
    screen
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .unwrap_or_default()
        .trim()
}

/// One way for a spoken answer to end: what does it, and the exit code it gives.
type Ending = (&'static str, fn(&Tmux) -> TestResult, &'static str);

#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn the_terminal_comes_back_after_ctrl_c_sigterm_and_sigkill() -> TestResult {
    let home = tempfile::tempdir()?;
    let endings: [Ending; 3] = [
        ("Ctrl-C", |term| term.keys(&["C-c"]), "EXIT=130"),
        ("SIGTERM", |term| signal(term, "TERM"), "EXIT=143"),
        ("SIGKILL", |term| signal(term, "KILL"), "EXIT=137"),
    ];
    for (how, end, exit) in endings {
        let term = spoken_practice(home.path(), "")?;
        wait_for_key_mode(&term)?;
        end(&term)?;
        let screen = term.wait_for("AGAIN")?;
        assert!(screen.contains(exit), "{how}:\n{screen}");
        // Only a kill leaves the terminal without echo, and the next rehearse on it puts it
        // right.
        let killed = how == "SIGKILL";
        let after = if killed {
            "-icanon -echo"
        } else {
            "icanon echo"
        };
        assert_eq!(said_after(&screen, "AFTER"), after, "{how}:\n{screen}");
        assert_eq!(
            said_after(&screen, "AGAIN"),
            "icanon echo",
            "{how}:\n{screen}"
        );
        assert_eq!(
            screen.contains("The terminal was left without echo"),
            killed,
            "{how}:\n{screen}"
        );
    }
    let markers: Vec<_> = std::fs::read_dir(home.path().join("data/rehearse"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("key-mode-"))
        .collect();
    assert!(markers.is_empty(), "{markers:?}");
    Ok(())
}

/// Space stops the answer (keys come one at a time), and with colour off (NO_COLOR, where
/// styles are dropped) the status line is still erased before "Stopped at".
#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn space_stops_an_answer_and_its_status_line_is_erased() -> TestResult {
    let home = tempfile::tempdir()?;
    let term = spoken_practice(home.path(), "NO_COLOR=1")?;
    wait_for_key_mode(&term)?;
    term.wait_for("level ")?;
    term.keys(&["-l", " "])?;
    let screen = term.wait_for("AGAIN")?;
    assert!(screen.contains("EXIT=0"), "{screen}");
    let stopped = screen
        .lines()
        .find(|line| line.starts_with("Stopped at "))
        .context("no `Stopped at` line")?;
    assert!(
        stopped.trim_end().ends_with('.') && !stopped.contains("level"),
        "the status line was left: {stopped:?}\n{screen}"
    );
    assert_eq!(said_after(&screen, "AFTER"), "icanon echo", "{screen}");
    Ok(())
}

/// Ctrl-Z gives the terminal back while rehearse is stopped; continued, it takes keys one at a
/// time again.
#[test]
#[ignore = "needs tmux: scripts/test runs it"]
fn a_stopped_answer_gives_the_terminal_back_until_it_goes_on() -> TestResult {
    let home = tempfile::tempdir()?;
    let term = spoken_practice(home.path(), "")?;
    wait_for_key_mode(&term)?;
    term.keys(&["C-z"])?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while modes_of(&term)?.contains("-icanon") {
        anyhow::ensure!(Instant::now() < deadline, "still in key mode while stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(modes_of(&term)?.contains(" echo "), "{}", modes_of(&term)?);
    signal(&term, "CONT")?;
    wait_for_key_mode(&term)?;
    term.keys(&["Enter"])?;
    let screen = term.wait_for("AGAIN")?;
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert_eq!(said_after(&screen, "AFTER"), "icanon echo", "{screen}");
    Ok(())
}
