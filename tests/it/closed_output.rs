//! Every command that prints, with standard output closed by its reader (`| head`) or full
//! (`> /dev/full`): a closed pipe ends the command with exit 0, a full disk with exit 1 and a
//! message; never a panic (exit 101).

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::whisper::{clip, models_dir};
use crate::{TestResult, repo_path};

/// The commands that print, on a data dir with one saved session.
fn printing_commands() -> Vec<Vec<String>> {
    let markdown = repo_path("tests/fixtures/markdown/q-and-a.md");
    let commands: &[&[&str]] = &[
        &["questions"],
        &["questions", "--json"],
        &["show", "what-is-ecs", "--answer"],
        &["show", "what-is-ecs", "--json"],
        &[
            "score",
            "what-is-ecs",
            "--text",
            "a managed container orchestrator",
        ],
        &[
            "score",
            "what-is-ecs",
            "--json",
            "--text",
            "a managed container orchestrator",
        ],
        &[
            "practice",
            "what-is-ecs",
            "--no-save",
            "--text",
            "a container orchestrator",
        ],
        &[
            "practice",
            "what-is-ecs",
            "--no-save",
            "--json",
            "--text",
            "containers",
        ],
        &["review", "latest"],
        &["review", "latest", "--format", "json"],
        &["review", "latest", "--format", "html"],
        &["history"],
        &["history", "--json"],
        &["history", "--format", "html"],
        &["rescore", "latest"],
        &["bank", "check"],
        &["model", "list"],
        &["model", "path", "tiny.en"],
        &["completions", "bash"],
        &["devices", "--json"],
    ];
    let mut all: Vec<Vec<String>> = commands
        .iter()
        .map(|c| c.iter().map(|s| (*s).to_owned()).collect())
        .collect();
    all.push(vec![
        "bank".into(),
        "import".into(),
        markdown.display().to_string(),
    ]);
    all
}

/// rehearse with `args` and its standard output on `stdout`, in a clean environment.
fn run_with_stdout(home: &Path, args: &[String], stdout: Stdio) -> anyhow::Result<Output> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    for var in ["REHEARSE_BANK", "REHEARSE_DATA_DIR", "REHEARSE_MODEL"] {
        cmd.env_remove(var);
    }
    Ok(cmd
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .env("REHEARSE_MODELS_DIR", models_dir())
        .current_dir(home)
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()?)
}

/// A home whose data dir holds one session, for review, history and rescore.
fn home_with_a_session() -> anyhow::Result<tempfile::TempDir> {
    let home = tempfile::tempdir()?;
    let args = [
        "practice",
        "what-is-ecs",
        "--text",
        "a managed container orchestrator",
    ];
    let saved = run_with_stdout(home.path(), &args.map(str::to_owned), Stdio::null())?;
    assert!(saved.status.success(), "{saved:?}");
    Ok(home)
}

/// A pipe whose reader is already gone: the first write fails with EPIPE.
fn closed_pipe() -> anyhow::Result<Stdio> {
    let (reader, writer) = std::io::pipe()?;
    drop(reader);
    Ok(Stdio::from(writer))
}

fn full_disk() -> anyhow::Result<Stdio> {
    Ok(Stdio::from(
        std::fs::File::options().write(true).open("/dev/full")?,
    ))
}

fn check_all(home: &Path, commands: &[Vec<String>]) -> TestResult {
    let mut wrong = Vec::new();
    for args in commands {
        let closed = run_with_stdout(home, args, closed_pipe()?)?;
        let stderr = String::from_utf8_lossy(&closed.stderr);
        if closed.status.code() != Some(0) || stderr.contains("panicked") {
            wrong.push(format!(
                "{args:?} | closed pipe: {:?} {stderr}",
                closed.status
            ));
        }
        let full = run_with_stdout(home, args, full_disk()?)?;
        let stderr = String::from_utf8_lossy(&full.stderr);
        if full.status.code() != Some(1) || !stderr.contains("cannot write to standard output") {
            wrong.push(format!("{args:?} > /dev/full: {:?} {stderr}", full.status));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    Ok(())
}

#[test]
fn a_closed_output_exits_0_and_a_full_one_exits_1_never_a_panic() -> TestResult {
    let home = home_with_a_session()?;
    check_all(home.path(), &printing_commands())
}

#[test]
fn a_big_listing_into_a_pipe_closed_after_one_byte_exits_0() -> TestResult {
    let home = tempfile::tempdir()?;
    let bank = home.path().join("big.toml");
    let generated = Command::new(repo_path("scripts/gen-bank"))
        .arg("3000")
        .output()?;
    assert!(generated.status.success());
    std::fs::write(&bank, &generated.stdout)?;
    // `| head -c1`: the reader takes one byte, then closes; the listing is far larger than
    // the pipe's buffer.
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .arg("--bank")
        .arg(&bank)
        .args(["questions", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut byte = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut byte)?;
    drop(stdout);
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn transcribe_into_a_closed_or_full_output_never_panics() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    let home = tempfile::tempdir()?;
    let wav = clip("jfk.wav").display().to_string();
    check_all(
        home.path(),
        &[
            vec!["transcribe".into(), wav.clone()],
            vec!["transcribe".into(), wav, "--json".into()],
        ],
    )
}
