//! Saved sessions as a user meets them: every practice and round is kept (unless --no-save), an
//! interrupted or killed round keeps its answers, broken files are named and skipped, old
//! records still load, and sessions can be deleted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::cli::rehearse;
use crate::{TestResult, repo_path};

/// Where `rehearse(home)` keeps its sessions.
pub fn sessions_dir(home: &Path) -> PathBuf {
    home.join("data").join("rehearse").join("sessions")
}

/// Check that the only recording in a session `folder` is its answer's, as the record names it
/// (`saved`): the recording made in the folder while the answer was given became the answer's.
pub fn only_the_answers_recording(folder: &Path, saved: &Value) -> TestResult {
    let wavs: Vec<String> = std::fs::read_dir(folder)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".wav"))
        .collect();
    assert_eq!(
        wavs,
        [saved["recording"].as_str().unwrap_or_default()],
        "the recording made in the session folder became the answer's"
    );
    Ok(())
}

pub fn json(output: &[u8]) -> anyhow::Result<Value> {
    serde_json::from_slice(output).context("stdout is not JSON")
}

/// Answers to the bundled what-is-ecs question, good to poor.
pub const GOOD: &str = "ECS is a fully managed container orchestrator from AWS: you give it \
                        Docker containers and it deploys them and handles scaling.";

/// A typed round of `count` questions picked with `seed`, answers piped in, with --json.
pub fn typed_round(home: &Path, count: u32, answers: &[&str]) -> anyhow::Result<Value> {
    let input: String = answers.iter().map(|a| format!("{a}\n\n")).collect();
    let out = rehearse(home)
        .args(["round", "--type", "--seed", "7", "--json", "-n"])
        .arg(count.to_string())
        .write_stdin(input)
        .output()?;
    if !out.status.success() {
        bail!("round failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    json(&out.stdout)
}

pub fn history(home: &Path) -> anyhow::Result<Value> {
    let out = rehearse(home).args(["history", "--json"]).output()?;
    if !out.status.success() {
        bail!("history failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    json(&out.stdout)
}

fn count(value: &Value, key: &str) -> usize {
    value[key].as_array().map_or(0, Vec::len)
}

#[test]
fn practice_and_rounds_are_saved_and_no_save_leaves_history_unchanged() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["practice", "what-is-ecs", "--text", GOOD])
        .assert()
        .success()
        .stderr(contains("Saved as"));
    let round = typed_round(home.path(), 2, &["first answer", "second answer"])?;
    let id = round["session"].as_str().unwrap_or_default().to_owned();
    assert!(id.contains("-round-"), "{round}");

    let before = history(home.path())?;
    assert_eq!(count(&before, "sessions"), 2);
    assert_eq!(before["sessions"][0]["id"], id.as_str(), "newest first");
    assert_eq!(before["sessions"][1]["kind"], "practice");

    rehearse(home.path())
        .args(["practice", "what-is-ecs", "--no-save", "--text", GOOD])
        .assert()
        .success()
        .stderr(contains("Saved as").not());
    rehearse(home.path())
        .args(["round", "-n", "1", "--type", "--no-save"])
        .write_stdin("an answer\n\n")
        .assert()
        .success();
    assert_eq!(history(home.path())?, before);
    Ok(())
}

#[test]
fn an_unwritable_data_dir_fails_before_the_first_question() -> TestResult {
    let home = tempfile::tempdir()?;
    // A data dir below a plain file can never be created, even by root.
    let blocker = home.path().join("not-a-folder");
    std::fs::write(&blocker, "")?;
    let data_dir = blocker.join("data");
    for args in [
        vec!["round", "-n", "2", "--type"],
        vec!["practice", "what-is-ecs", "--type"],
    ] {
        rehearse(home.path())
            .arg("--data-dir")
            .arg(&data_dir)
            .args(&args)
            .write_stdin("an answer\n\n")
            .assert()
            .code(1)
            .stdout(contains("What").not())
            .stderr(contains("cannot save sessions").and(contains("--no-save")));
    }
    Ok(())
}

/// Start a typed round and give it its first answer; returns once that answer is saved, with
/// standard input still open, as a person at the prompt would leave it.
fn round_with_one_answer(home: &Path) -> anyhow::Result<(Child, ChildStdin)> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args(["round", "-n", "3", "--type", "--seed", "1"])
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env_remove("REHEARSE_DATA_DIR")
        .env_remove("REHEARSE_BANK")
        .current_dir(home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdin = child.stdin.take().context("stdin")?;
    stdin.write_all(format!("{GOOD}\n\n").as_bytes())?;
    stdin.flush()?;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(entries) = std::fs::read_dir(sessions_dir(home)) {
            for entry in entries.flatten() {
                let record = entry.path().join("session.json");
                if let Ok(text) = std::fs::read_to_string(&record)
                    && let Ok(value) = serde_json::from_str::<Value>(&text)
                    && count(&value, "answers") == 1
                {
                    return Ok((child, stdin));
                }
            }
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            bail!("the first answer was never saved");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_killed_round_keeps_the_answers_given_so_far() -> TestResult {
    let home = tempfile::tempdir()?;
    let (mut child, _stdin) = round_with_one_answer(home.path())?;
    child.kill()?; // SIGKILL: no chance to clean up
    child.wait()?;

    let listed = history(home.path())?;
    assert_eq!(count(&listed, "sessions"), 1);
    assert_eq!(listed["sessions"][0]["answers"], 1);
    assert_eq!(listed["sessions"][0]["status"], "interrupted");
    let out = rehearse(home.path())
        .args(["review", "latest", "--format", "json"])
        .output()?;
    assert!(out.status.success());
    let review = json(&out.stdout)?;
    assert_eq!(count(&review, "answers"), 1);
    assert!(
        review["answers"][0]["transcript"]
            .as_str()
            .is_some_and(|t| t.starts_with("ECS is a fully managed"))
    );
    Ok(())
}

#[test]
fn ctrl_c_ends_a_round_with_130_and_keeps_its_answers() -> TestResult {
    let home = tempfile::tempdir()?;
    let (mut child, _stdin) = round_with_one_answer(home.path())?;
    let pid = child.id().to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()?;
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            child.kill()?;
            bail!("the round did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    let listed = history(home.path())?;
    assert_eq!(listed["sessions"][0]["status"], "interrupted");
    assert_eq!(listed["sessions"][0]["answers"], 1);
    Ok(())
}

#[test]
fn broken_session_files_are_named_and_skipped() -> TestResult {
    let home = tempfile::tempdir()?;
    typed_round(home.path(), 1, &[GOOD])?;
    let dir = sessions_dir(home.path());
    // Truncated, hand-edited into something that is not a record, and missing.
    let truncated = dir.join("2026-01-01T00-00-00-round-trnc");
    std::fs::create_dir(&truncated)?;
    std::fs::write(
        truncated.join("session.json"),
        "{\"schema\": 2, \"id\": \"x\", \"ans",
    )?;
    let edited = dir.join("2026-01-02T00-00-00-round-edit");
    std::fs::create_dir(&edited)?;
    std::fs::write(
        edited.join("session.json"),
        "{\"schema\": 2, \"answers\": \"many\"}",
    )?;
    std::fs::create_dir(dir.join("2026-01-03T00-00-00-round-gone"))?;

    let out = rehearse(home.path()).args(["history", "--json"]).output()?;
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["round-trnc", "round-edit", "round-gone"] {
        assert!(stderr.contains(name), "{name} not named in: {stderr}");
    }
    assert!(
        stderr.contains("not valid JSON") && stderr.contains("missing"),
        "{stderr}"
    );
    let listed = json(&out.stdout)?;
    assert_eq!(count(&listed, "sessions"), 1);
    assert_eq!(count(&listed, "skipped"), 3);
    rehearse(home.path())
        .args(["review", "latest"])
        .assert()
        .success()
        .stdout(contains("Answer 1"))
        .stderr(contains("round-edit"));
    Ok(())
}

#[test]
fn a_session_of_an_older_schema_still_loads() -> TestResult {
    let home = tempfile::tempdir()?;
    let id = "2026-01-15T09-30-00-practice-v1ab";
    let target = sessions_dir(home.path()).join(id);
    std::fs::create_dir_all(&target)?;
    std::fs::copy(
        repo_path("tests/fixtures/sessions")
            .join(id)
            .join("session.json"),
        target.join("session.json"),
    )?;
    let listed = history(home.path())?;
    assert_eq!(listed["sessions"][0]["id"], id);
    assert_eq!(listed["questions"][0]["question_id"], "what-is-ecs");
    let out = rehearse(home.path())
        .args(["review", id, "--format", "json"])
        .output()?;
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)?["answers"][0]["score"], 80.0);
    // Rescoring writes it back in the current schema, keeping the old score.
    rehearse(home.path())
        .args(["rescore", id])
        .assert()
        .success();
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(target.join("session.json"))?)?;
    assert_eq!(saved["schema"], 3);
    assert_eq!(saved["answers"][0]["follow_up"], Value::Null);
    assert_eq!(
        saved["answers"][0]["earlier_scores"][0]["report"]["score"],
        80.0
    );
    Ok(())
}

#[test]
fn history_delete_asks_first_unless_yes() -> TestResult {
    let home = tempfile::tempdir()?;
    typed_round(home.path(), 1, &["one"])?;
    typed_round(home.path(), 1, &["two"])?;
    rehearse(home.path())
        .args(["history", "delete", "--all"])
        .write_stdin("n\n")
        .assert()
        .success()
        .stderr(contains("Delete all 2 sessions").and(contains("Nothing deleted")));
    assert_eq!(count(&history(home.path())?, "sessions"), 2);

    rehearse(home.path())
        .args(["history", "delete", "latest", "--yes"])
        .assert()
        .success()
        .stderr(contains("Deleted 1 session."));
    assert_eq!(count(&history(home.path())?, "sessions"), 1);
    rehearse(home.path())
        .args(["history", "delete", "--all"])
        .write_stdin("y\n")
        .assert()
        .success();
    assert_eq!(count(&history(home.path())?, "sessions"), 0);
    let leftover = std::fs::read_dir(sessions_dir(home.path()))?.count();
    assert_eq!(leftover, 0, "recordings and folders are gone too");
    rehearse(home.path())
        .args(["history", "delete", "nope", "--yes"])
        .assert()
        .code(1)
        .stderr(contains("no saved sessions"));
    Ok(())
}

#[test]
fn processes_at_once_never_corrupt_the_store() -> TestResult {
    let home = tempfile::tempdir()?;
    typed_round(home.path(), 1, &[GOOD])?;
    // Four practices and two rescores of everything, all at the same time.
    let mut children = Vec::new();
    for i in 0..6 {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"));
        cmd.env("XDG_DATA_HOME", home.path().join("data"))
            .env("HOME", home.path())
            .env_remove("REHEARSE_DATA_DIR")
            .env_remove("REHEARSE_BANK")
            .current_dir(home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if i < 4 {
            cmd.args(["practice", "what-is-ecs", "--text", GOOD]);
        } else {
            cmd.args(["rescore", "--all"]);
        }
        children.push(cmd.spawn()?);
    }
    for child in children {
        let out = child.wait_with_output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = rehearse(home.path()).args(["history", "--json"]).output()?;
    let listed = json(&out.stdout)?;
    assert_eq!(count(&listed, "sessions"), 5);
    assert_eq!(count(&listed, "skipped"), 0, "{listed}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
