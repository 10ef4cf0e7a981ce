//! The binary on its own, as after `cargo install` or handing it to a colleague: copied away
//! from its clone and run with an empty home from another folder.

use std::path::Path;
use std::process::{Command, Output};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::TestResult;
use crate::cli::rehearse;

/// The copied binary, run with nothing of the test environment but `HOME`.
fn run_alone(bin: &Path, home: &Path, folder: &Path, args: &[&str]) -> anyhow::Result<Output> {
    Ok(Command::new(bin)
        .env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .current_dir(folder)
        .args(args)
        .output()?)
}

#[test]
fn a_copied_binary_works_with_an_empty_home_from_any_folder() -> TestResult {
    let place = tempfile::tempdir()?;
    let (bin_dir, home, folder) = (
        place.path().join("bin"),
        place.path().join("home"),
        place.path().join("elsewhere"),
    );
    for dir in [&bin_dir, &home, &folder] {
        std::fs::create_dir(dir)?;
    }
    let bin = bin_dir.join("rehearse");
    std::fs::copy(env!("CARGO_BIN_EXE_rehearse"), &bin)?;
    let run = |args: &[&str]| run_alone(&bin, &home, &folder, args);

    let listed = run(&["questions", "--json"])?;
    assert!(listed.status.success(), "{listed:?}");
    let listed: Value = serde_json::from_slice(&listed.stdout)?;
    // 24 technical and 14 behavioural questions.
    assert_eq!(listed.as_array().map(Vec::len), Some(38));

    let shown = run(&["show", "what-is-ecs"])?;
    assert!(
        String::from_utf8_lossy(&shown.stdout)
            .contains("What is Amazon Elastic Container Service?"),
        "{shown:?}"
    );

    let scored = run(&[
        "score",
        "what-is-ecs",
        "--json",
        "--text",
        "ECS is a fully managed container orchestration service for Docker containers",
    ])?;
    assert!(scored.status.success(), "{scored:?}");
    let report: Value = serde_json::from_slice(&scored.stdout)?;
    assert!(
        report["score"].as_f64().is_some_and(|s| s > 50.0),
        "{report}"
    );

    let checked = run(&["bank", "check"])?;
    assert!(
        String::from_utf8_lossy(&checked.stdout).contains("38 questions in 4 of 4 files"),
        "{checked:?}"
    );

    // Models go to the home's data dir: there is no checkout to keep them in.
    let model = run(&["model", "path"])?;
    assert_eq!(model.status.code(), Some(1));
    let said = String::from_utf8_lossy(&model.stderr);
    assert!(
        said.contains(&home.display().to_string())
            && said.contains("ggml-tiny.en.bin")
            && !said.contains(env!("CARGO_MANIFEST_DIR")),
        "{said}"
    );
    Ok(())
}

#[test]
fn completions_for_bash_zsh_and_fish_name_every_subcommand() -> TestResult {
    let home = tempfile::tempdir()?;
    for (shell, marker) in [
        ("bash", "complete -F _rehearse"),
        ("zsh", "#compdef rehearse"),
        ("fish", "complete -c rehearse"),
    ] {
        let out = rehearse(home.path())
            .args(["completions", shell])
            .output()?;
        assert!(out.status.success(), "{shell}: {out:?}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for subcommand in [
            "questions",
            "show",
            "practice",
            "score",
            "transcribe",
            "model",
            "bank",
            "round",
            "drill",
            "review",
            "history",
            "rescore",
            "devices",
            "completions",
        ] {
            assert!(script.contains(subcommand), "{shell}: no {subcommand}");
        }
    }
    // The bash script is valid bash, and registers the completion when sourced.
    let script = home.path().join("rehearse.bash");
    let bash = rehearse(home.path())
        .args(["completions", "bash"])
        .output()?;
    std::fs::write(&script, &bash.stdout)?;
    Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p rehearse",
            script.display()
        ))
        .output()
        .map(|out| {
            assert!(
                String::from_utf8_lossy(&out.stdout).contains("_rehearse"),
                "{out:?}"
            )
        })?;
    rehearse(home.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("possible values").and(contains("bash")));
    Ok(())
}
