//! `review` of a spoken answer: the HTML page in a real headless Chromium (it loads without
//! errors, its audio element plays the session's recording, a screenshot renders), and a
//! recording deleted by hand.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use predicates::prelude::*;
use predicates::str::contains;

use crate::cli::rehearse;
use crate::session::sessions_dir;
use crate::{TestResult, repo_path};
use rehearse::bank::Bank;
use rehearse::bank::{BankLocation, BankOrigin};
use rehearse::score::Scorer;
use rehearse::session::{
    Answer, AnswerAudio, Kind, RecordStatus, SavedQuestion, Scoring, SourceKind, Store,
};
use rehearse::transcript::{Segment, Transcript, Word};

const SPOKEN: &str = "So ECS is a fully managed container orchestration service that runs \
                      Docker containers";

/// A one-second tone, as a stand-in recording.
fn write_wav(path: &Path) -> anyhow::Result<()> {
    let tone: Vec<i16> = (0..16_000)
        .map(|i| {
            let t = f64::from(i) / 16_000.0;
            ((t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0) as i16
        })
        .collect();
    crate::whisper::write_wav(path, &tone)
}

fn timed(text: &str) -> Transcript {
    let words: Vec<Word> = text
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| Word {
            word: format!(" {w}"),
            start_s: i as f64 * 0.3,
            end_s: i as f64 * 0.3 + 0.25,
            p: 0.9,
            heard: None,
        })
        .collect();
    let end = words.last().map_or(0.0, |w| w.end_s);
    Transcript {
        model: Some("tiny.en".into()),
        duration_s: Some(end),
        text: text.into(),
        segments: vec![Segment {
            start_s: 0.0,
            end_s: end,
            text: text.into(),
            words,
        }],
        pitch: None,
    }
}

/// A saved session with one spoken answer and its recording, as a round with `--wav` leaves it.
fn recorded_session(home: &Path) -> anyhow::Result<PathBuf> {
    let bank: Bank = rehearse::bank::load(&[BankLocation {
        path: repo_path("questions"),
        origin: BankOrigin::Explicit,
    }])?
    .bank;
    let question = bank.find("what-is-ecs")?;
    let transcript = timed(SPOKEN);
    let report = Scorer::words_only().score(question, &transcript)?;
    let wav = home.join("answer.wav");
    write_wav(&wav)?;
    let store = Store::new(&home.join("data").join("rehearse"));
    let mut session = store.create(Kind::Round, vec!["questions".into()])?;
    session.record.model = Some("tiny.en".into());
    session.push(
        Answer {
            question: SavedQuestion::from(question),
            started_at: chrono::Utc::now(),
            time_used_s: 4.0,
            time_limit_s: question.time_limit_s,
            source: SourceKind::Wav,
            transcript,
            recording: None,
            interrupted: false,
            score: Scoring::now(report),
            earlier_scores: vec![],
            follow_up: None,
        },
        Some(AnswerAudio::Theirs(wav)),
    )?;
    session.finish(RecordStatus::Complete)?;
    Ok(session.dir().join("01-what-is-ecs.wav"))
}

pub fn chromium() -> anyhow::Result<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if !path.is_file() {
        bail!("the HTML review test needs /usr/bin/chromium: run scripts/setup --deps as root");
    }
    Ok(path)
}

/// Headless Chromium with a fresh profile and nothing that reaches the network.
pub fn headless(profile: &Path) -> anyhow::Result<Command> {
    let mut cmd = Command::new(chromium()?);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=5000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    Ok(cmd)
}

#[test]
#[ignore = "needs chromium: scripts/test runs it"]
fn the_html_review_works_offline_in_headless_chromium() -> TestResult {
    let home = tempfile::tempdir()?;
    let recording = recorded_session(home.path())?;
    let page = home.path().join("review.html");
    rehearse(home.path())
        .args(["review", "latest", "--format", "html", "--output"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page)?;
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched online"
    );
    let url = format!("file://{}", page.display());

    let profile = tempfile::tempdir()?;
    let dom = headless(profile.path())?
        .arg("--dump-dom")
        .arg(&url)
        .output()?;
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    let console = String::from_utf8_lossy(&dom.stderr);
    assert!(!console.contains("Uncaught"), "script errors: {console}");
    // The script ran, and the audio element loaded the session's recording.
    let src = format!("src=\"file://{}\"", recording.display());
    assert!(
        dom_text.contains(&src),
        "no audio element for {src} in:\n{dom_text}"
    );
    assert!(
        dom_text.contains("data-audio=\"ready\""),
        "recording not loaded:\n{dom_text}"
    );
    assert!(dom_text.contains("0:01 recorded"), "{dom_text}");
    // Words are clickable at their times, and key points are marked.
    assert!(
        dom_text.contains("class=\"w hit\" data-t=\"1.20\""),
        "{dom_text}"
    );
    assert!(dom_text.contains("<li class=\"hit\"><span class=\"m\">✓</span> fully managed"));

    let profile = tempfile::tempdir()?;
    let shot = home.path().join("review.png");
    let out = headless(profile.path())?
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,900")
        .arg(&url)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).context("no screenshot")?;
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
    Ok(())
}

#[test]
fn a_recording_deleted_by_hand_leaves_the_transcript() -> TestResult {
    let home = tempfile::tempdir()?;
    let recording = recorded_session(home.path())?;
    std::fs::remove_file(&recording)?;
    rehearse(home.path())
        .args(["review"])
        .assert()
        .success()
        .stdout(
            contains("01-what-is-ecs.wav is gone")
                .and(contains("[fully managed] [container orchestration]"))
                .and(contains("0:00")),
        );
    let html = rehearse(home.path())
        .args(["review", "--format", "html"])
        .output()?;
    let html = String::from_utf8(html.stdout)?;
    assert!(
        html.contains("is gone") && !html.contains("<audio"),
        "{html}"
    );
    assert_eq!(
        std::fs::read_dir(sessions_dir(home.path()))?.count(),
        1,
        "the session itself is kept"
    );
    Ok(())
}
