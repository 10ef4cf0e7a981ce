//! Follow-up questions (`--follow-up`): asked after an answer that missed a key point, answered
//! the way the main answer was (the next recording, typing, the microphone), scored against that
//! point, saved with the answer and shown by review, the round summary and history. The
//! recordings go through a scripted transcriber here; the last test speaks both answers for
//! real (espeak-ng, then tiny.en).

use std::path::Path;

use anyhow::Context;
use predicates::str::contains;
use serde_json::Value;

use crate::TestResult;
use crate::answers::{only_session, run_json, script, scripted, voiced_wav};
use crate::cli::rehearse;

/// A main answer to what-is-ecs that leaves out what ECS orchestrates, and a follow-up answer
/// that says it, whichever of the two missed points the follow-up asks about.
const MAIN: &str = "ECS is a fully managed service from AWS";
const FOLLOW: &str = "it does container orchestration for Docker containers across a cluster";

/// The points of `report` with a status.
/// The follow-up the bundled bank wrote for a key point of `what-is-ecs`.
fn written_follow_up(point: &str) -> anyhow::Result<String> {
    let bank = crate::eval::bundled_bank()?;
    let question = bank
        .questions
        .iter()
        .find(|q| q.id == "what-is-ecs")
        .context("what-is-ecs is bundled")?;
    question
        .key_points
        .iter()
        .find(|k| k.point == point)
        .and_then(|k| k.follow_up.clone())
        .with_context(|| format!("{point} has a written follow-up"))
}

fn points_with(report: &Value, status: &str) -> Vec<String> {
    report["key_points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["status"] == status)
        .filter_map(|p| p["point"].as_str().map(str::to_owned))
        .collect()
}

/// `rehearse review latest --format F` under `home`.
fn review(home: &Path, format: &str) -> anyhow::Result<String> {
    let out = rehearse(home)
        .args(["review", "latest", "--format", format])
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8(out.stdout)?)
}

/// `practice what-is-ecs --follow-up --json` answered by two recordings.
fn practice_from(
    mut cmd: assert_cmd::Command,
    main: &Path,
    follow: &Path,
) -> anyhow::Result<Value> {
    run_json(
        cmd.args(["practice", "what-is-ecs", "--follow-up", "--json", "--wav"])
            .arg(main)
            .arg("--wav")
            .arg(follow),
    )
}

#[test]
fn practice_asks_about_a_missed_point_and_scores_the_second_recording_against_it() -> TestResult {
    let home = tempfile::tempdir()?;
    let main = voiced_wav(home.path(), "main.wav", 3.0)?;
    let follow = voiced_wav(home.path(), "follow.wav", 4.0)?;
    let script = script(home.path(), &[(0.2, 2.8, MAIN), (0.5, 3.6, FOLLOW)])?;
    let out = practice_from(scripted(home.path(), &script), &main, &follow)?;
    let answer = &out["answers"][0];
    assert_eq!(answer["transcript"], MAIN);
    let follow_up = &answer["follow_up"];
    let point = follow_up["point"].as_str().context("a follow-up point")?;
    assert!(
        points_with(answer, "missed").iter().any(|p| p == point),
        "asked about {point}, which the answer did not miss: {answer}"
    );
    // The bank wrote what to ask about each of its points: that is asked, word for word.
    assert_eq!(
        follow_up["question"].as_str(),
        Some(written_follow_up(point)?.as_str())
    );
    assert_eq!(follow_up["transcript"], FOLLOW);
    assert_eq!(follow_up["status"], "hit", "{follow_up}");
    assert!(follow_up["score"].as_f64() > Some(50.0), "{follow_up}");
    let at = follow_up["at_s"].as_f64().context("heard at a time")?;
    assert!((0.5..3.6).contains(&at), "{at}");
    // Recovered in the follow-up, still missed in the answer's own score.
    assert!(points_with(answer, "missed").iter().any(|p| p == point));

    let (folder, record) = only_session(home.path())?;
    assert_eq!(record["schema"], 3);
    assert_eq!(record["settings"]["follow_up"], true);
    let saved = &record["answers"][0]["follow_up"];
    assert_eq!(saved["status"], "hit");
    assert_eq!(saved["source"], "wav");
    let kept = saved["recording"].as_str().context("its recording")?;
    assert_eq!(kept, "01-what-is-ecs-follow-up.wav");
    assert_eq!(std::fs::read(folder.join(kept))?, std::fs::read(&follow)?);

    let json: Value = serde_json::from_str(&review(home.path(), "json")?)?;
    let reviewed = &json["answers"][0]["follow_up"];
    for field in ["question", "point", "transcript", "status", "score"] {
        assert_eq!(reviewed[field], follow_up[field], "{field}");
    }
    let text = review(home.path(), "text")?;
    assert!(
        text.contains("Follow-up") && text.contains(&written_follow_up(point)?),
        "{text}"
    );
    assert!(text.contains(&format!("{point}: said")), "{text}");
    let md = review(home.path(), "md")?;
    assert!(md.contains("### Follow-up") && md.contains(FOLLOW), "{md}");
    let html = review(home.path(), "html")?;
    assert!(
        html.contains("<section class=\"follow-up hit\"")
            && html.contains("01-what-is-ecs-follow-up.wav"),
        "{html}"
    );
    Ok(())
}

#[test]
fn nothing_missed_asks_nothing_and_a_missing_recording_is_said() -> TestResult {
    let home = tempfile::tempdir()?;
    let main = voiced_wav(home.path(), "main.wav", 3.0)?;
    let whole = "ECS is a fully managed container orchestration service for Docker containers";
    let script_path = script(home.path(), &[(0.2, 2.8, whole)])?;
    let out = run_json(
        scripted(home.path(), &script_path)
            .args([
                "practice",
                "what-is-ecs",
                "--follow-up",
                "--json",
                "--no-save",
            ])
            .arg("--wav")
            .arg(&main),
    )?;
    assert!(points_with(&out["answers"][0], "missed").is_empty());
    assert_eq!(out["answers"][0]["follow_up"], Value::Null);

    // A point missed and no second recording: the question is asked, and what to do is said.
    let script_path = script(home.path(), &[(0.2, 2.8, MAIN)])?;
    scripted(home.path(), &script_path)
        .args(["practice", "what-is-ecs", "--follow-up", "--no-save"])
        .arg("--wav")
        .arg(&main)
        .assert()
        .success()
        .stdout(contains(written_follow_up("Docker containers")?))
        .stderr(contains("give one more --wav"));

    // Three recordings for one question and its follow-up: a usage error.
    scripted(home.path(), &script_path)
        .args(["practice", "what-is-ecs", "--follow-up"])
        .args(["--wav", "a.wav", "--wav", "b.wav", "--wav", "c.wav"])
        .assert()
        .code(2)
        .stderr(contains("one for the follow-up"));
    Ok(())
}

#[test]
fn typed_rounds_follow_up_in_the_summary_and_history() -> TestResult {
    let home = tempfile::tempdir()?;
    // Each answer, then its follow-up, each ended by an empty line.
    let out = rehearse(home.path())
        .args([
            "round",
            "-n",
            "2",
            "--seed",
            "3",
            "--type",
            "--follow-up",
            "--json",
        ])
        .write_stdin(format!(
            "I am not sure.\n\n{FOLLOW}\n\nNo idea.\n\nI would rather not say.\n\n"
        ))
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let round: Value = serde_json::from_slice(&out.stdout)?;
    let answers = round["answers"].as_array().context("answers")?;
    assert_eq!(answers.len(), 2);
    for answer in answers {
        let follow_up = &answer["follow_up"];
        assert_eq!(follow_up["source"], "typed", "{answer}");
        assert!(follow_up["question"].is_string());
        assert_eq!(
            follow_up["at_s"],
            Value::Null,
            "typed answers have no times"
        );
    }
    assert_eq!(answers[0]["follow_up"]["transcript"], FOLLOW);
    assert_eq!(
        answers[1]["follow_up"]["transcript"],
        "I would rather not say."
    );
    assert_eq!(answers[1]["follow_up"]["status"], "missed");

    // The round summary (without --json) shows each follow-up under its answer.
    let summary = rehearse(home.path())
        .args([
            "round",
            "-n",
            "1",
            "--seed",
            "3",
            "--type",
            "--follow-up",
            "--no-save",
        ])
        .write_stdin("I am not sure.\n\nNo idea either.\n\n")
        .output()?;
    let shown = String::from_utf8(summary.stdout)?;
    assert!(shown.contains("↳ follow-up on"), "{shown}");
    assert!(shown.contains("still missed"), "{shown}");

    let history = rehearse(home.path()).args(["history", "--json"]).output()?;
    let history: Value = serde_json::from_slice(&history.stdout)?;
    let missed = history["missed_most"].as_array().context("missed_most")?;
    assert!(
        missed
            .iter()
            .all(|p| p["recovered"].as_u64() <= p["missed"].as_u64()),
        "{history}"
    );
    let first = answers[0]["question_id"].as_str().context("an id")?;
    let recovered = answers[0]["follow_up"]["status"] != "missed";
    let point = answers[0]["follow_up"]["point"]
        .as_str()
        .context("a point")?;
    let line = missed
        .iter()
        .find(|p| p["question_id"] == first && p["point"] == point)
        .context("the followed-up point is still among the missed")?;
    assert_eq!(line["recovered"], u64::from(recovered), "{line}");
    Ok(())
}

/// Both answers spoken for real: espeak-ng says them, tiny.en transcribes them, and the
/// follow-up's point is heard in the second recording, at its time.
#[test]
#[ignore = "needs the tiny.en model and espeak-ng: scripts/test runs it"]
fn a_spoken_follow_up_is_heard_and_timed() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    crate::whisper::model_file();
    let home = tempfile::tempdir()?;
    let main = home.path().join("main.wav");
    let follow = home.path().join("follow.wav");
    crate::spoken::speak("Amazon ECS is a fully managed service from AWS.", &main)?;
    crate::spoken::speak(
        "Sure. It does container orchestration. It runs and schedules Docker containers \
         across a cluster.",
        &follow,
    )?;
    let mut with_model = rehearse(home.path());
    with_model
        .arg("--models-dir")
        .arg(crate::whisper::models_dir());
    let out = practice_from(with_model, &main, &follow)?;
    let answer = &out["answers"][0];
    let follow_up = &answer["follow_up"];
    assert!(follow_up.is_object(), "no follow-up: {answer}");
    assert_eq!(follow_up["status"], "hit", "{follow_up}");
    let at = follow_up["at_s"].as_f64().context("a time")?;
    assert!(at > 0.3, "the point comes after \"Sure.\": {at}");
    let transcript = follow_up["transcript"].as_str().unwrap_or_default();
    assert!(
        transcript.to_lowercase().contains("orchestration"),
        "{transcript}"
    );
    let (_, record) = only_session(home.path())?;
    assert_eq!(record["answers"][0]["follow_up"]["source"], "wav");
    Ok(())
}
