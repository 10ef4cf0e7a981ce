//! The answer layer at command level with a scripted transcriber (REHEARSE_SCRIPTED_TRANSCRIPTS)
//! instead of a model: recordings and a paced "microphone" go through everything real (WAV
//! reading, the voice detector, phrase cutting, capture, the session store) except whisper, whose
//! words come from the script. No model, no speech clips, no terminal needed.

use std::path::{Path, PathBuf};

use anyhow::Context;
use predicates::str::contains;
use serde_json::{Value, json};

use crate::TestResult;
use crate::cli::rehearse;
use crate::session::sessions_dir;
use crate::whisper::write_wav;

/// `seconds` of a sung vowel at 16 kHz: a glottal pulse train at about 120 Hz through three
/// formant resonators, swelling four times a second. The voice detector takes it for speech,
/// so it stands in for a spoken answer wherever the words come from a script.
pub fn voiced(seconds: f64) -> Vec<i16> {
    let rate = 16_000.0;
    let tau = std::f64::consts::TAU;
    let formants: Vec<(f64, f64, f64)> = [(700.0, 80.0), (1220.0, 90.0), (2600.0, 120.0)]
        .iter()
        .map(|(hz, bandwidth)| {
            let r = (-std::f64::consts::PI * bandwidth / rate).exp();
            (2.0 * r * (tau * hz / rate).cos(), -r * r, 1.0 - r)
        })
        .collect();
    let mut state = vec![[0.0f64; 2]; formants.len()];
    let mut phase = 0.0;
    let samples: Vec<f64> = (0..(seconds * rate) as usize)
        .map(|i| {
            let t = i as f64 / rate;
            phase += (120.0 + 10.0 * (tau * 3.0 * t).sin()) / rate;
            let pulse = if phase >= 1.0 {
                phase -= 1.0;
                1.0
            } else {
                0.0
            };
            let mut sum = 0.0;
            for ((a1, a2, gain), s) in formants.iter().zip(&mut state) {
                let y = gain * pulse + a1 * s[0] + a2 * s[1];
                *s = [y, s[0]];
                sum += y;
            }
            sum * (0.5 - 0.5 * (tau * 4.0 * t).cos()).sqrt()
        })
        .collect();
    let peak = samples.iter().fold(1e-9f64, |m, v| m.max(v.abs()));
    samples
        .iter()
        .map(|v| (v / peak * 0.5 * f64::from(i16::MAX)) as i16)
        .collect()
}

/// A voiced recording of `seconds` in `dir`.
pub fn voiced_wav(dir: &Path, name: &str, seconds: f64) -> anyhow::Result<PathBuf> {
    let path = dir.join(name);
    write_wav(&path, &voiced(seconds))?;
    Ok(path)
}

/// One segment saying `text` from `start_s` to `end_s`, its words spread evenly over it.
fn segment(start_s: f64, end_s: f64, text: &str) -> Value {
    let words: Vec<&str> = text.split_whitespace().collect();
    let step = (end_s - start_s) / words.len().max(1) as f64;
    let timed: Vec<Value> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            json!({
                "word": format!(" {word}"),
                "start_s": start_s + step * i as f64,
                "end_s": start_s + step * (i + 1) as f64,
                "p": 0.9,
            })
        })
        .collect();
    json!({"start_s": start_s, "end_s": end_s, "text": format!(" {text}"), "words": timed})
}

/// A script for the scripted transcriber: each reply one segment over `(start_s, end_s)`.
pub fn script(dir: &Path, replies: &[(f64, f64, &str)]) -> anyhow::Result<PathBuf> {
    let path = dir.join("script.json");
    let replies: Vec<Value> = replies
        .iter()
        .map(|(start, end, text)| json!([segment(*start, *end, text)]))
        .collect();
    std::fs::write(&path, serde_json::to_string(&replies)?)?;
    Ok(path)
}

/// `rehearse` whose transcripts come from `script`.
pub fn scripted(home: &Path, script: &Path) -> assert_cmd::Command {
    let mut cmd = rehearse(home);
    cmd.env("REHEARSE_SCRIPTED_TRANSCRIPTS", script)
        .env_remove("REHEARSE_DEVICE")
        .env("TMPDIR", home.join("tmp"));
    cmd
}

fn json(bytes: &[u8]) -> anyhow::Result<Value> {
    serde_json::from_slice(bytes).with_context(|| String::from_utf8_lossy(bytes).into_owned())
}

pub fn run_json(command: &mut assert_cmd::Command) -> anyhow::Result<Value> {
    let out = command.output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}

/// The one session saved under `home`: its folder and record.
pub fn only_session(home: &Path) -> anyhow::Result<(PathBuf, Value)> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(sessions_dir(home))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(folders.len() == 1, "sessions: {folders:?}");
    let folder = folders.remove(0);
    let record = json(&std::fs::read(folder.join("session.json"))?)?;
    Ok((folder, record))
}

const ECS: &str = "ECS is a fully managed container orchestration service for Docker containers";

#[test]
fn practice_from_a_recording_saves_what_was_heard_with_a_copy_of_it() -> TestResult {
    let home = tempfile::tempdir()?;
    let wav = voiced_wav(home.path(), "answer.wav", 3.0)?;
    let script = script(home.path(), &[(0.2, 2.8, ECS)])?;
    let out = run_json(
        scripted(home.path(), &script)
            .args(["practice", "what-is-ecs", "--json", "--wav"])
            .arg(&wav),
    )?;
    let answer = &out["answers"][0];
    assert_eq!(answer["transcript"], ECS, "{answer}");
    assert!(
        answer["score"].as_f64().unwrap_or_default() > 50.0,
        "{answer}"
    );
    let heard_at = answer["key_points"][0]["at_s"].as_f64().context("timed")?;
    assert!((0.2..2.8).contains(&heard_at), "{heard_at}");

    let (folder, record) = only_session(home.path())?;
    assert_eq!(record["model"], "scripted");
    let saved = &record["answers"][0];
    assert_eq!(saved["source"], "wav");
    assert_eq!(saved["transcript"]["duration_s"], 3.0);
    let kept = folder.join(saved["recording"].as_str().context("a recording")?);
    assert_eq!(std::fs::read(kept)?, std::fs::read(&wav)?);
    assert!(wav.is_file(), "the user's own recording stays where it was");
    Ok(())
}

#[test]
fn a_round_takes_one_recording_per_question_in_order() -> TestResult {
    let home = tempfile::tempdir()?;
    let first = voiced_wav(home.path(), "first.wav", 2.0)?;
    let second = voiced_wav(home.path(), "second.wav", 2.5)?;
    let said = ["the first answer", "the second answer"];
    let script = script(home.path(), &[(0.1, 1.9, said[0]), (0.1, 2.4, said[1])])?;
    let round = run_json(
        scripted(home.path(), &script)
            .args(["round", "-n", "2", "--seed", "7", "--json", "--wav"])
            .arg(&first)
            .arg("--wav")
            .arg(&second),
    )?;
    let heard: Vec<&str> = round["answers"]
        .as_array()
        .context("answers")?
        .iter()
        .filter_map(|a| a["transcript"].as_str())
        .collect();
    assert_eq!(heard, said);
    let (folder, record) = only_session(home.path())?;
    for (i, answer) in record["answers"]
        .as_array()
        .context("answers")?
        .iter()
        .enumerate()
    {
        let name = answer["recording"].as_str().context("a recording")?;
        assert!(name.starts_with(&format!("0{}-", i + 1)), "{name}");
        assert!(folder.join(name).is_file());
        assert_eq!(answer["transcript"]["duration_s"], [2.0, 2.5][i]);
    }

    // One recording short: a usage error before anything is asked.
    scripted(home.path(), &script)
        .args(["round", "-n", "2", "--wav"])
        .arg(&first)
        .assert()
        .code(2)
        .stderr(contains("give one per question"));
    Ok(())
}

#[test]
fn a_spoken_answer_moves_into_its_session_and_leaves_no_copy_behind() -> TestResult {
    let home = tempfile::tempdir()?;
    std::fs::create_dir(home.path().join("tmp"))?;
    let wav = voiced_wav(home.path(), "spoken.wav", 2.0)?;
    let device = format!("wav:{}", wav.display());
    let script = script(home.path(), &[(0.1, 1.9, ECS), (0.1, 1.9, ECS)])?;
    // Played ten times faster than it was spoken; the time limit ends each answer.
    let speak = |args: &[&str]| -> anyhow::Result<Value> {
        run_json(
            scripted(home.path(), &script)
                .env("REHEARSE_WAV_SPEED", "10")
                .args(args)
                .args(["--device", &device, "--time-limit", "3", "--json"])
                .write_stdin(""),
        )
    };
    let practised = speak(&["practice", "what-is-ecs"])?;
    assert_eq!(practised["answers"][0]["transcript"], ECS);
    let (folder, record) = only_session(home.path())?;
    let saved = &record["answers"][0];
    assert_eq!(saved["source"], "mic");
    let recording = folder.join(saved["recording"].as_str().context("a recording")?);
    let seconds = rehearse::audio::wav::read(&recording)?.audio.duration_s();
    assert!((2.0..3.6).contains(&seconds), "{seconds} s recorded");
    crate::session::only_the_answers_recording(&folder, saved)?;

    // Without a session, the recording made for the answer goes once it is scored.
    let round = speak(&["round", "-n", "1", "--no-save"])?;
    assert_eq!(round["answers"][0]["transcript"], ECS);
    let left: Vec<_> = std::fs::read_dir(home.path().join("tmp"))?.collect();
    assert!(left.is_empty(), "left in the temp dir: {left:?}");
    Ok(())
}

#[test]
fn score_and_transcribe_hear_a_recording_through_the_same_factory() -> TestResult {
    let home = tempfile::tempdir()?;
    let wav = voiced_wav(home.path(), "answer.wav", 2.0)?;
    let script = script(home.path(), &[(0.1, 1.9, ECS), (0.1, 1.9, "once more")])?;
    let scored = run_json(
        scripted(home.path(), &script)
            .args(["score", "what-is-ecs", "--json", "--wav"])
            .arg(&wav),
    )?;
    assert_eq!(scored["transcript"], ECS);
    let heard = run_json(
        scripted(home.path(), &script)
            .args(["transcribe", "--json"])
            .arg(&wav),
    )?;
    assert_eq!(heard["model"], "scripted");
    assert_eq!(heard["text"], ECS, "each command starts the script anew");
    assert_eq!(
        heard["segments"][0]["words"].as_array().map(Vec::len),
        Some(11)
    );

    // Silence never reaches the transcriber.
    let silence = home.path().join("silence.wav");
    write_wav(&silence, &vec![0; 32_000])?;
    let quiet = run_json(
        scripted(home.path(), &script)
            .args(["transcribe", "--json"])
            .arg(&silence),
    )?;
    assert_eq!(quiet["text"], "");
    Ok(())
}

#[test]
fn a_round_without_a_microphone_says_so_once_and_takes_typed_answers() -> TestResult {
    let home = tempfile::tempdir()?;
    let script = script(home.path(), &[])?;
    let out = scripted(home.path(), &script)
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["round", "-n", "3", "--seed", "7", "--no-save", "--json"])
        .write_stdin("one\n\ntwo\n\nthree\n\n")
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("No usable microphone").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("Type your answers instead."), "{stderr}");
    let typed: Vec<Value> = json(&out.stdout)?["answers"]
        .as_array()
        .context("answers")?
        .iter()
        .map(|a| a["transcript"].clone())
        .collect();
    assert_eq!(typed, ["one", "two", "three"]);
    Ok(())
}
