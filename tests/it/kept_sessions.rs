//! What a user keeps in a session survives what rehearse does to it: fields it does not know
//! stay through a rewrite (`rescore`) whatever the record's schema version, and a command asked
//! to change a session that it cannot change fails and says why.

use std::path::Path;

use predicates::str::contains;
use serde_json::{Value, json};

use crate::cli::rehearse;
use crate::session::{GOOD, sessions_dir};
use crate::{TestResult, repo_path};

fn read(path: &Path) -> anyhow::Result<Value> {
    Ok(serde_json::from_str(&std::fs::read_to_string(path)?)?)
}

fn write(path: &Path, value: &Value) -> anyhow::Result<()> {
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    Ok(std::fs::write(path, serde_json::to_string_pretty(value)?)?)
}

/// The one session in the data dir, saved by a typed practice.
fn practised(home: &Path) -> anyhow::Result<std::path::PathBuf> {
    rehearse(home)
        .args(["practice", "what-is-ecs", "--text", GOOD])
        .assert()
        .success();
    let mut dirs = std::fs::read_dir(sessions_dir(home))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    dirs.retain(|d| {
        d.is_dir()
            && !d
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
    });
    anyhow::ensure!(dirs.len() == 1, "{dirs:?}");
    Ok(dirs.remove(0))
}

/// Fields no rehearse writes, at the record, an answer, its question and the settings.
fn add_unknown_fields(record: &mut Value) {
    record["notes"] = json!("asked again on Friday");
    record["tags"] = json!(["aws", "mock"]);
    record["settings"]["mood"] = json!("calm");
    record["answers"][0]["tags"] = json!(["good start"]);
    record["answers"][0]["question"]["source_url"] = json!("https://example.com/q");
}

fn assert_kept(record: &Value, version: u64) {
    assert_eq!(record["notes"], "asked again on Friday", "v{version}");
    assert_eq!(record["tags"], json!(["aws", "mock"]), "v{version}");
    assert_eq!(record["settings"]["mood"], "calm", "v{version}");
    assert_eq!(
        record["answers"][0]["tags"],
        json!(["good start"]),
        "v{version}"
    );
    assert_eq!(
        record["answers"][0]["question"]["source_url"], "https://example.com/q",
        "v{version}"
    );
    // It was rewritten: the earlier score is kept, and it is a current record now.
    assert_eq!(
        record["answers"][0]["earlier_scores"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "v{version}"
    );
    assert_eq!(record["schema"], 3, "v{version}");
}

#[test]
fn rescore_keeps_unknown_fields_of_every_schema_version() -> TestResult {
    let home = tempfile::tempdir()?;
    let v3_dir = practised(home.path())?;
    let sessions = sessions_dir(home.path());
    let mut v3 = read(&v3_dir.join("session.json"))?;
    assert_eq!(v3["schema"], 3);

    // Version 2: no follow-ups yet.
    let mut v2 = v3.clone();
    v2["schema"] = json!(2);
    v2["id"] = json!("2026-01-16T09-30-00-practice-v2ab");
    if let Some(answers) = v2["answers"].as_array_mut() {
        for answer in answers {
            answer.as_object_mut().map(|a| a.remove("follow_up"));
        }
    }
    let v1_dir = "2026-01-15T09-30-00-practice-v1ab";
    let mut v1 = read(
        &repo_path("tests/fixtures/sessions")
            .join(v1_dir)
            .join("session.json"),
    )?;
    assert_eq!(v1["schema"], 1);

    let records = [
        (1, sessions.join(v1_dir)),
        (2, sessions.join("2026-01-16T09-30-00-practice-v2ab")),
        (3, v3_dir),
    ];
    for ((_, dir), record) in records.iter().zip([&mut v1, &mut v2, &mut v3]) {
        add_unknown_fields(record);
        write(&dir.join("session.json"), record)?;
    }
    rehearse(home.path())
        .args(["rescore", "--all"])
        .assert()
        .success();
    for (version, dir) in &records {
        assert_kept(&read(&dir.join("session.json"))?, *version);
    }
    Ok(())
}

#[test]
fn history_delete_of_a_session_in_use_exits_1_and_says_why() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = practised(home.path())?;
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Held as a running round holds it.
    let lock = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(".lock"))?;
    fs4::FileExt::try_lock(&lock).map_err(|err| anyhow::anyhow!("cannot lock: {err:?}"))?;
    rehearse(home.path())
        .args(["history", "delete", &id, "--yes"])
        .assert()
        .code(1)
        .stderr(contains("in use by another rehearse"));
    rehearse(home.path())
        .args(["rescore", &id])
        .assert()
        .code(1)
        .stderr(contains("still running"));
    assert!(dir.join("session.json").is_file());
    drop(lock);
    rehearse(home.path())
        .args(["history", "delete", &id, "--yes"])
        .assert()
        .success();
    Ok(())
}

#[test]
fn an_empty_interrupted_session_never_hides_the_last_real_one() -> TestResult {
    let home = tempfile::tempdir()?;
    let real = practised(home.path())?;
    // A round stopped before its first answer, started after the practice.
    let mut empty = read(&real.join("session.json"))?;
    let id = "2999-01-01T00-00-00-round-empt";
    empty["id"] = json!(id);
    empty["kind"] = json!("round");
    empty["started_at"] = json!("2999-01-01T00:00:00Z");
    empty["status"] = json!("in_progress");
    empty["answers"] = json!([]);
    write(
        &sessions_dir(home.path()).join(id).join("session.json"),
        &empty,
    )?;
    let out = rehearse(home.path())
        .args(["review", "latest", "--format", "json"])
        .output()?;
    assert!(out.status.success(), "{out:?}");
    let review: Value = serde_json::from_slice(&out.stdout)?;
    assert!(
        review["answers"][0]["transcript"]
            .as_str()
            .is_some_and(|t| t.starts_with("ECS is a fully managed")),
        "{review}"
    );
    // Asked for by its id, the empty one is still there to see.
    rehearse(home.path())
        .args(["review", id])
        .assert()
        .success();
    Ok(())
}

/// Dated back an hour: as old as what a process killed long ago left.
fn age(path: &Path) -> anyhow::Result<()> {
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(path)?.set_modified(an_hour_ago)?;
    Ok(())
}

#[test]
fn what_killed_processes_left_is_swept_and_nothing_in_use() -> TestResult {
    let home = tempfile::tempdir()?;
    let real = practised(home.path())?;
    let sessions = sessions_dir(home.path());
    let staging = sessions.join(".new-k1ll");
    std::fs::create_dir(&staging)?;
    std::fs::write(staging.join("session.json"), "{}")?;
    age(&staging)?;
    let deleting = sessions.join(".deleted-2026-01-01T00-00-00-round-gone");
    std::fs::create_dir(&deleting)?;
    let old_temp = real.join(".rehearse-AbCd12.tmp");
    std::fs::write(&old_temp, "half a record")?;
    age(&old_temp)?;
    // Being written right now by another process: stays.
    let fresh_temp = real.join(".rehearse-XyZ789.tmp");
    std::fs::write(&fresh_temp, "a record being written")?;
    rehearse(home.path()).arg("history").assert().success();
    assert!(!staging.exists() && !deleting.exists() && !old_temp.exists());
    assert!(fresh_temp.exists() && real.join("session.json").exists());
    Ok(())
}

#[test]
fn a_suggested_command_pastes_as_it_is_whatever_the_path() -> TestResult {
    let home = tempfile::tempdir()?;
    let models = home.path().join("it's here; touch pwned; '");
    let wav = home.path().join("silence.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&wav, spec)?;
    for _ in 0..16_000 {
        writer.write_sample(0i16)?;
    }
    writer.finalize()?;
    let out = rehearse(home.path())
        .arg("--models-dir")
        .arg(&models)
        .arg("transcribe")
        .arg(&wav)
        .output()?;
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let suggested = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Get it with: "))
        .ok_or_else(|| anyhow::anyhow!("no suggested command: {stderr}"))?;
    let models_arg = models.display().to_string();
    assert_eq!(
        shell_words::split(suggested)?,
        [
            "rehearse",
            "model",
            "fetch",
            "tiny.en",
            "--models-dir",
            models_arg.as_str()
        ],
        "{suggested}"
    );
    Ok(())
}
