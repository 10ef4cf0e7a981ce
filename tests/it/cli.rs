//! The command line as a user meets it: every command of the foundation, and every bad input.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::{TestResult, repo_path};

/// `rehearse` with a clean environment: no user config, no bank, data or model overrides.
/// REHEARSE_MODELS_DIR stays: it is where the test run keeps the model (CI caches it there).
pub fn rehearse(home: &Path) -> Command {
    in_clean_env(Command::new(env!("CARGO_BIN_EXE_rehearse")), home)
}

/// `cmd` (rehearse, or a command that runs it) with the environment of [`rehearse`].
pub fn in_clean_env(mut cmd: Command, home: &Path) -> Command {
    for var in ["REHEARSE_BANK", "REHEARSE_DATA_DIR", "REHEARSE_MODEL"] {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HOME", home)
        .current_dir(home);
    cmd
}

fn json(output: &[u8]) -> anyhow::Result<Value> {
    Ok(serde_json::from_slice(output)?)
}

fn fixture(name: &str) -> String {
    repo_path("tests/fixtures").join(name).display().to_string()
}

#[test]
fn questions_lists_the_whole_bundled_bank_as_json() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = rehearse(home.path())
        .args(["questions", "--json"])
        .output()?;
    assert!(out.status.success());
    let list = json(&out.stdout)?;
    let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
    // The ECS bank's 24 technical questions, and the behavioural bank beside them.
    let kind = |k: &str| items.iter().filter(|q| q["kind"] == k).count();
    assert_eq!((kind("technical"), kind("behavioral")), (24, 14));
    assert_eq!(items.len(), 38);
    let count = |c: &str| items.iter().filter(|q| q["category"] == c).count();
    assert_eq!(
        (count("general"), count("security"), count("sla")),
        (15, 7, 2)
    );
    assert!(
        items
            .iter()
            .all(|q| q["id"].is_string() && q["question"].is_string())
    );
    Ok(())
}

#[test]
fn questions_by_category_and_global_options_anywhere() -> TestResult {
    let home = tempfile::tempdir()?;
    let bank = fixture("banks/small.toml");
    rehearse(home.path())
        .args(["--bank", &bank, "questions"])
        .assert()
        .success()
        .stdout(contains("what-is-rust"));
    rehearse(home.path())
        .args(["questions", "--bank", &bank])
        .assert()
        .success()
        .stdout(contains("what-is-rust"));
    rehearse(home.path())
        .env("REHEARSE_BANK", &bank)
        .args(["questions", "--category", "basics", "--json"])
        .assert()
        .success()
        .stdout(contains("\"what-is-rust\""));
    rehearse(home.path())
        .args(["questions", "--category", "nope"])
        .assert()
        .code(2)
        .stderr(contains("general, security, sla"));
    Ok(())
}

#[test]
fn plain_output_has_no_colour_codes_off_a_terminal() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = rehearse(home.path())
        .args(["show", "what-is-ecs", "--answer"])
        .output()?;
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b), "escape codes in piped output");
    Ok(())
}

#[test]
fn show_by_id_prefix_with_answer_and_key_points() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = rehearse(home.path())
        .args(["show", "ecs-vs-la", "--answer", "--json"])
        .output()?;
    assert!(out.status.success());
    let q = json(&out.stdout)?;
    assert_eq!(q["id"], "ecs-vs-lambda");
    assert!(q["answer"].as_str().is_some_and(|a| a.contains("Lambda")));
    assert!(q["key_points"].as_array().is_some_and(|k| !k.is_empty()));
    rehearse(home.path())
        .args(["show", "what-is-ecs"])
        .assert()
        .success()
        .stdout(
            contains("What is Amazon Elastic Container Service?").and(contains("Reference").not()),
        );
    Ok(())
}

#[test]
fn unknown_or_ambiguous_ids_exit_2_with_suggestions() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["show", "ecs-vs-lamda"])
        .assert()
        .code(2)
        .stderr(contains("did you mean: ecs-vs-lambda"));
    rehearse(home.path())
        .args(["score", "ecs-vs", "--text", "x"])
        .assert()
        .code(2)
        .stderr(contains("matches 2 questions"));
    rehearse(home.path()).args(["frobnicate"]).assert().code(2);
    rehearse(home.path())
        .args(["questions", "--no-such-flag"])
        .assert()
        .code(2);
    Ok(())
}

#[test]
fn score_text_gives_the_contract_json() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = rehearse(home.path())
        .args([
            "score",
            "what-is-ecs",
            "--json",
            "--text",
            "ECS is a fully managed container orchestrator from AWS that runs Docker containers.",
        ])
        .output()?;
    assert!(out.status.success());
    let report = json(&out.stdout)?;
    assert_eq!(report["question_id"], "what-is-ecs");
    let score = report["score"].as_f64().unwrap_or(-1.0);
    assert!((70.0..=100.0).contains(&score), "{score}");
    for point in report["key_points"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        assert!(["hit", "partial", "missed"].contains(&point["status"].as_str().unwrap_or("")));
        assert!(point["similarity"].is_number());
        assert!(point.get("heard").is_some() && point["at_s"].is_null());
    }
    let delivery = &report["delivery"];
    assert_eq!(delivery["words"], 13);
    assert_eq!(delivery["fillers"], 0);
    for timed in ["duration_s", "wpm", "long_pauses", "over_time"] {
        assert!(
            delivery[timed].is_null(),
            "{timed} must be null for typed answers"
        );
    }
    assert!(
        report["transcript"]
            .as_str()
            .is_some_and(|t| t.starts_with("ECS is"))
    );
    Ok(())
}

#[test]
fn score_bad_answers_never_panic() -> TestResult {
    let home = tempfile::tempdir()?;
    // Empty answer: scores 0.
    let out = rehearse(home.path())
        .args(["score", "what-is-ecs", "--json", "--text", ""])
        .output()?;
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)?["score"], 0.0);
    // A 10,000-word answer on standard input.
    let long = "Fargate runs containers without servers to manage. ".repeat(1250);
    let out = rehearse(home.path())
        .args(["score", "how-fargate-works", "--json", "--text", "-"])
        .write_stdin(long)
        .output()?;
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)?["delivery"]["words"], 8750);
    // Non-UTF-8 transcript file and text on stdin.
    let latin1 = home.path().join("latin1.txt");
    std::fs::write(&latin1, b"caf\xe9 containers")?;
    rehearse(home.path())
        .args(["score", "what-is-ecs", "--transcript"])
        .arg(&latin1)
        .assert()
        .code(1)
        .stderr(contains("not UTF-8"));
    rehearse(home.path())
        .args(["score", "what-is-ecs", "--text", "-"])
        .write_stdin(b"caf\xe9".to_vec())
        .assert()
        .code(1)
        .stderr(contains("not UTF-8"));
    // Missing transcript file; JSON that is not a transcript.
    rehearse(home.path())
        .args(["score", "what-is-ecs", "--transcript", "nope.txt"])
        .assert()
        .code(1)
        .stderr(contains("nope.txt"));
    let bad_json = home.path().join("bad.json");
    std::fs::write(&bad_json, "{\"hello\": 1}")?;
    rehearse(home.path())
        .args(["score", "what-is-ecs", "--transcript"])
        .arg(&bad_json)
        .assert()
        .code(1)
        .stderr(contains("not a transcript"));
    // No answer source at all is bad usage.
    rehearse(home.path())
        .args(["score", "what-is-ecs"])
        .assert()
        .code(2);
    Ok(())
}

#[test]
fn score_a_timed_transcript_reports_when_points_were_heard() -> TestResult {
    let home = tempfile::tempdir()?;
    let transcript = serde_json::json!({
        "model": "tiny.en", "duration_s": 6.0,
        "text": "Um, it is a fully managed container orchestration service.",
        "segments": [{"start_s": 0.0, "end_s": 5.0,
            "text": "Um, it is a fully managed container orchestration service.",
            "words": [
                {"word": " Um,", "start_s": 0.0, "end_s": 0.4, "p": 0.9},
                {"word": " it", "start_s": 0.5, "end_s": 0.7, "p": 0.9},
                {"word": " is", "start_s": 0.7, "end_s": 0.9, "p": 0.9},
                {"word": " a", "start_s": 0.9, "end_s": 1.0, "p": 0.9},
                {"word": " fully", "start_s": 1.0, "end_s": 1.4, "p": 0.9},
                {"word": " managed", "start_s": 1.4, "end_s": 1.9, "p": 0.9},
                {"word": " container", "start_s": 4.5, "end_s": 5.0, "p": 0.9},
                {"word": " orchestration", "start_s": 5.0, "end_s": 5.6, "p": 0.9},
                {"word": " service.", "start_s": 5.6, "end_s": 6.0, "p": 0.9}]}]
    });
    let path = home.path().join("t.json");
    std::fs::write(&path, transcript.to_string())?;
    let out = rehearse(home.path())
        .args(["score", "what-is-ecs", "--json", "--transcript"])
        .arg(&path)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out.stdout)?;
    assert_eq!(report["key_points"][0]["at_s"], 1.0);
    assert_eq!(report["key_points"][1]["at_s"], 4.5);
    assert_eq!(report["delivery"]["fillers"], 1);
    assert_eq!(report["delivery"]["long_pauses"], 1);
    assert_eq!(report["delivery"]["over_time"], false);
    assert_eq!(report["delivery"]["duration_s"], 6.0);
    Ok(())
}

#[test]
fn practice_with_text_and_typed_answers() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args([
            "practice",
            "custom-ami",
            "--no-save",
            "--time-limit",
            "45",
            "--text",
            "With the EC2 launch type you can bring your own AMI.",
        ])
        .assert()
        .success()
        .stdout(
            contains("Can I use my own Amazon Machine Image")
                // The header gives the time allowed, --time-limit over the bank's.
                .and(contains("custom-ami · 45 s"))
                .and(contains("Score"))
                .and(contains("Key points"))
                .and(contains("Next time")),
        );
    let out = rehearse(home.path())
        .args(["practice", "batch-jobs", "--type", "--json"])
        .write_stdin("Yes, ECS runs batch jobs as tasks.\nThey run to completion.\n\nignored after the blank line\n")
        .output()?;
    assert!(out.status.success());
    let doc = json(&out.stdout)?;
    let transcript = doc["answers"][0]["transcript"].as_str().unwrap_or_default();
    assert!(
        transcript.contains("run to completion") && !transcript.contains("ignored"),
        "{transcript}"
    );
    // No id: a random question of the chosen category.
    let out = rehearse(home.path())
        .args([
            "practice",
            "--category",
            "sla",
            "--json",
            "--text",
            "service credits",
        ])
        .output()?;
    assert!(out.status.success());
    let id = json(&out.stdout)?["answers"][0]["question_id"]
        .as_str()
        .map(str::to_owned);
    assert!(id.is_some_and(|id| id.starts_with("sla-")));
    Ok(())
}

#[test]
fn bank_check_passes_on_the_bundled_bank() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["bank", "check"])
        .assert()
        .success()
        .stdout(contains("38 questions in 4 of 4 files"));
    Ok(())
}

#[test]
fn bank_check_reports_every_problem_with_file_line_and_fix() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = rehearse(home.path())
        .args(["bank", "check", &fixture("banks/broken.toml")])
        .output()?;
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "broken.toml:7: question `first`: unknown field `answr`",
        "fix: did you mean `answer`?",
        "broken.toml:8: question `first`: `key_points` is empty",
        "question `first`: missing field `answer`",
        "broken.toml:11: question `Second Question`: an id must be kebab-case",
        "use `second-question`",
        "broken.toml:12:",
        "`question` is empty",
        "skipped",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    Ok(())
}

#[test]
fn duplicate_ids_across_files_are_reported() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("bank");
    std::fs::create_dir(&dir)?;
    std::fs::copy(fixture("banks/small.toml"), dir.join("a.toml"))?;
    std::fs::copy(fixture("banks/duplicate.toml"), dir.join("b.toml"))?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(
            contains("b.toml:5: question `what-is-rust`: duplicate id: already used in")
                .and(contains("a.toml:5")),
        );
    // The folder named with --bank: the commands that use it say the same, not that the id is
    // unknown.
    for command in [&["show", "what-is-rust"][..], &["questions"]] {
        rehearse(home.path())
            .arg("--bank")
            .arg(&dir)
            .args(command)
            .assert()
            .code(1)
            .stderr(
                contains("b.toml:5: question `what-is-rust`: duplicate id: already used in")
                    .and(contains("a.toml:5"))
                    .and(contains("no question with id").not()),
            );
    }
    Ok(())
}

#[test]
fn a_broken_user_bank_never_hides_the_others() -> TestResult {
    let home = tempfile::tempdir()?;
    let user = home.path().join("config/rehearse/questions");
    std::fs::create_dir_all(&user)?;
    std::fs::copy(fixture("banks/broken.toml"), user.join("mine.toml"))?;
    std::fs::copy(fixture("banks/small.toml"), user.join("good.toml"))?;
    let out = rehearse(home.path())
        .args(["questions", "--json"])
        .output()?;
    assert!(out.status.success());
    // The 38 bundled (24 technical, 14 behavioural) and the good bank's one.
    assert_eq!(json(&out.stdout)?.as_array().map(Vec::len), Some(39));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped your bank") && stderr.contains("mine.toml"),
        "{stderr}"
    );
    Ok(())
}

#[test]
fn bad_bank_paths_and_files_fail_clearly() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["questions", "--bank", "no/such/bank.toml"])
        .assert()
        .code(1)
        .stderr(contains("no/such/bank.toml does not exist"));
    let empty = home.path().join("empty.toml");
    std::fs::write(&empty, "")?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&empty)
        .assert()
        .code(1)
        .stdout(contains("no `deck`").and(contains("no questions")));
    rehearse(home.path())
        .arg("questions")
        .arg("--bank")
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(
            contains("empty.toml:1: the file has no `deck` name").and(contains("cannot be used")),
        );
    let garbage = home.path().join("garbage.toml");
    std::fs::write(&garbage, "deck = \"x\"\n[[question]\nid = ")?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&garbage)
        .assert()
        .code(1)
        .stdout(contains("garbage.toml:2: TOML syntax error"));
    let latin1 = home.path().join("latin1.toml");
    std::fs::write(&latin1, b"deck = \"caf\xe9\"\n")?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&latin1)
        .assert()
        .code(1)
        .stdout(contains("is not UTF-8"));
    let empty_dir = home.path().join("nothing");
    std::fs::create_dir(&empty_dir)?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&empty_dir)
        .assert()
        .code(1)
        .stderr(contains("has no .toml files"));
    Ok(())
}

#[test]
fn bank_import_handles_several_markdown_styles() -> TestResult {
    let home = tempfile::tempdir()?;
    for (name, questions, expected) in [
        ("numbered-bold.md", 3, "category = \"networking\""),
        ("headings.md", 3, "id = \"acid-stand\""),
        (
            "q-and-a.md",
            3,
            "question = \"What is a dead-letter queue?\"",
        ),
    ] {
        let out_path = home.path().join(name.replace(".md", ".toml"));
        rehearse(home.path())
            .args([
                "bank",
                "import",
                &fixture(&format!("markdown/{name}")),
                "--out",
            ])
            .arg(&out_path)
            .assert()
            .success();
        let toml = std::fs::read_to_string(&out_path)?;
        assert!(
            toml.contains(expected),
            "{name}: missing {expected:?} in\n{toml}"
        );
        rehearse(home.path())
            .args(["bank", "check"])
            .arg(&out_path)
            .assert()
            .success()
            .stdout(contains(format!("{questions} questions in 1 of 1 file")));
    }
    Ok(())
}

#[test]
fn bank_import_to_stdout_and_refusals() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["bank", "import", &fixture("markdown/numbered-bold.md")])
        .assert()
        .success()
        .stdout(contains("deck = \"Kubernetes Basics\"").and(contains("aliases = [\"KA\"]")));
    let existing = home.path().join("exists.toml");
    std::fs::write(&existing, "keep me")?;
    rehearse(home.path())
        .args(["bank", "import", &fixture("markdown/headings.md"), "--out"])
        .arg(&existing)
        .assert()
        .code(1)
        .stderr(contains("--force"));
    assert_eq!(std::fs::read_to_string(&existing)?, "keep me");
    let prose = home.path().join("prose.md");
    std::fs::write(&prose, "Just some notes.\nNo questions here.\n")?;
    rehearse(home.path())
        .args(["bank", "import"])
        .arg(&prose)
        .assert()
        .code(1)
        .stderr(contains("found no questions"));
    Ok(())
}
