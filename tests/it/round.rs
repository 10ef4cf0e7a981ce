//! `round`, `drill` and `rescore` from start to finish with typed answers.

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::TestResult;
use crate::cli::rehearse;
use crate::session::{GOOD, history, json, typed_round};
use crate::spoken::speak;

fn ids(round: &Value) -> Vec<String> {
    round["answers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r["question_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_typed_round_of_three_runs_and_review_gives_back_its_answers() -> TestResult {
    let home = tempfile::tempdir()?;
    let answers = [
        GOOD,
        "Fargate runs containers without servers to manage.",
        "I am not sure, um, maybe it has something to do with tasks.",
    ];
    let round = typed_round(home.path(), 3, &answers)?;
    assert_eq!(round["status"], "complete");
    let picked = ids(&round);
    assert_eq!(picked.len(), 3);
    let mut unique = picked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3, "no repeats within a round: {picked:?}");
    // The same seed picks the same questions.
    assert_eq!(ids(&typed_round(home.path(), 3, &answers)?), picked);

    let listed = history(home.path())?;
    let id = round["session"].as_str().unwrap_or_default();
    assert!(
        listed["sessions"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["id"] == id && s["answers"] == 3)),
        "{listed}"
    );

    let out = rehearse(home.path())
        .args(["review", id, "--format", "json"])
        .output()?;
    assert!(out.status.success());
    let review = json(&out.stdout)?;
    for (given, reviewed) in round["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(review["answers"].as_array().into_iter().flatten())
    {
        for field in [
            "question_id",
            "score",
            "transcript",
            "key_points",
            "delivery",
        ] {
            assert_eq!(given[field], reviewed[field], "{field}");
        }
    }
    assert_eq!(review["answers"][0]["transcript"], GOOD);
    Ok(())
}

#[test]
fn the_round_summary_and_review_read_well_as_plain_text() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["round", "-n", "2", "--category", "sla"])
        .write_stdin("Service credits go to the account.\n\nYou open a support case.\n\n")
        .assert()
        .success()
        .stdout(
            contains("Question 1 of 2")
                .and(contains("Question 2 of 2"))
                .and(contains("Round summary"))
                .and(contains("score   time  missed")),
        )
        .stderr(contains("answers instead").and(contains("rehearse review")));
    rehearse(home.path())
        .args(["review"])
        .assert()
        .success()
        .stdout(
            contains("Answer 1 · sla-")
                .and(contains("Transcript"))
                .and(contains("Key points"))
                .and(contains("Reference answer")),
        );
    let md = rehearse(home.path())
        .args(["review", "latest", "--format", "md"])
        .output()?;
    let md = String::from_utf8(md.stdout)?;
    assert!(
        md.starts_with("# Session ") && md.contains("### Key points"),
        "{md}"
    );
    Ok(())
}

#[test]
fn an_answer_ends_when_its_time_is_up() -> TestResult {
    let home = tempfile::tempdir()?;
    let started = std::time::Instant::now();
    // Standard input stays open with half an answer: the clock ends it.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .args(["round", "-n", "1", "--type", "--time-limit", "2", "--json"])
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("HOME", home.path())
        .env_remove("REHEARSE_DATA_DIR")
        .env_remove("REHEARSE_BANK")
        .current_dir(home.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or_else(|| anyhow::anyhow!("stdin"))?;
    std::io::Write::write_all(&mut stdin, b"ECS runs containers\n")?;
    let out = child.wait_with_output()?;
    drop(stdin);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed().as_secs_f64() >= 2.0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Time's up"));
    let round = json(&out.stdout)?;
    assert_eq!(round["answers"][0]["transcript"], "ECS runs containers");
    let review = rehearse(home.path()).args(["review", "--json"]).output()?;
    let used = json(&review.stdout)?["answers"][0]["time_used_s"]
        .as_f64()
        .unwrap_or_default();
    assert!((2.0..3.0).contains(&used), "{used}");
    Ok(())
}

#[test]
fn think_time_and_speech_never_block_a_round() -> TestResult {
    let home = tempfile::tempdir()?;
    // No text-to-speech on the PATH: one notice, and the round goes on.
    let out = rehearse(home.path())
        .env("PATH", "")
        .args(["round", "-n", "2", "--type", "--speak", "--prep", "30"])
        .write_stdin("first\n\nsecond\n\n")
        .timeout(std::time::Duration::from_secs(20))
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("not read aloud").count(), 1, "{stderr}");
    // Lines typed during think time start the answer: 30 s of think time went by at once.
    assert!(String::from_utf8_lossy(&out.stdout).contains("Round summary"));
    Ok(())
}

#[test]
fn drill_says_what_is_due_and_rescore_keeps_earlier_scores() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["drill", "-n", "2", "--type"])
        .write_stdin("one\n\ntwo\n\n")
        .assert()
        .success()
        .stdout(contains(
            "0 questions are due for review, 24 never practised. Drilling 2.",
        ));
    // A poor answer makes its question due again; it comes back first once due.
    rehearse(home.path())
        .args(["practice", "what-is-ecs", "--text", "no idea"])
        .assert()
        .success();
    let out = rehearse(home.path())
        .args(["drill", "-n", "3", "--type", "--json"])
        .write_stdin("a\n\nb\n\nc\n\n")
        .output()?;
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("never practised"), "{stderr}");
    assert_eq!(
        json(&out.stdout)?["answers"].as_array().map(Vec::len),
        Some(3)
    );

    let out = rehearse(home.path())
        .args(["rescore", "--all", "--json"])
        .output()?;
    assert!(out.status.success());
    let rescored = json(&out.stdout)?;
    assert_eq!(rescored["rescored"].as_array().map(Vec::len), Some(3));
    let review = json(
        &rehearse(home.path())
            .args(["review", "latest", "--format", "json"])
            .output()?
            .stdout,
    )?;
    let answer = &review["answers"][0];
    assert_eq!(answer["earlier_scores"].as_array().map(Vec::len), Some(1));
    assert_eq!(answer["earlier_scores"][0]["score"], answer["score"]);
    assert_eq!(
        history(home.path())?["sessions"].as_array().map(Vec::len),
        Some(3)
    );
    rehearse(home.path()).args(["rescore"]).assert().code(2);
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and espeak-ng: scripts/test runs it"]
fn a_round_answered_from_wav_files_keeps_recordings_and_timings() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    let model = crate::whisper::model_file();
    let models_dir = model
        .parent()
        .ok_or_else(|| anyhow::anyhow!("models dir"))?;
    let home = tempfile::tempdir()?;
    // Seed 7 picks these three questions (the typed round above checks the seed is stable).
    let answers = [
        "Fargate is serverless, so there are no servers to manage, while the EC2 launch type \
         gives you more control and can cost less.",
        "Yes. With the EC2 launch type you can use your own AMI and customize the instances.",
        "Beanstalk is a platform as a service that manages the environment for you.",
    ];
    let mut args = vec![
        "round".to_owned(),
        "-n".into(),
        "3".into(),
        "--seed".into(),
        "7".into(),
    ];
    for (i, text) in answers.iter().enumerate() {
        let wav = home.path().join(format!("answer-{i}.wav"));
        speak(text, &wav)?;
        args.push("--wav".into());
        args.push(wav.display().to_string());
    }
    let out = rehearse(home.path())
        .arg("--models-dir")
        .arg(models_dir)
        .args(&args)
        .arg("--json")
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let round = json(&out.stdout)?;
    assert_eq!(
        ids(&round),
        ["fargate-or-ec2", "custom-ami", "ecs-vs-beanstalk"]
    );
    let id = round["session"].as_str().unwrap_or_default();
    let folder = crate::session::sessions_dir(home.path()).join(id);
    for name in [
        "01-fargate-or-ec2.wav",
        "02-custom-ami.wav",
        "03-ecs-vs-beanstalk.wav",
    ] {
        assert!(folder.join(name).is_file(), "{name} not kept");
    }
    // Spoken answers have timings: where each point was heard, and the pace.
    let first = &round["answers"][0];
    assert!(first["key_points"][0]["at_s"].is_number(), "{first}");
    assert!(first["delivery"]["wpm"].is_number());
    assert!(
        first["score"].as_f64().unwrap_or_default() > 40.0,
        "{first}"
    );

    assert_eq!(history(home.path())?["sessions"][0]["id"], id);
    let review = json(
        &rehearse(home.path())
            .args(["review", "latest", "--format", "json"])
            .output()?
            .stdout,
    )?;
    assert_eq!(review["session"]["model"], "tiny.en");
    for (given, reviewed) in round["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(review["answers"].as_array().into_iter().flatten())
    {
        assert_eq!(given["transcript"], reviewed["transcript"]);
        assert_eq!(given["score"], reviewed["score"]);
        assert_eq!(reviewed["recording"]["present"], true);
    }
    Ok(())
}
