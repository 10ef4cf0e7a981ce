//! Microphone capture through the real cpal/ALSA path, with no sound card: the ALSA `file` plugin
//! (tests/audio/asound-test.conf, loaded with ALSA_CONFIG_PATH) plays a known raw file as the
//! default capture device, bit-exactly but faster than real time. And the answer screen in a
//! pseudo-terminal (tmux), with speech paced in real time by `--device wav:FILE`.
//!
//! Needs the model and the speech clips (`rehearse model fetch tiny.en`, `scripts/test-audio`),
//! sox and tmux (scripts/setup installs them).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::Value;

use crate::cli::rehearse;
use crate::tty::Tmux;
use crate::whisper::{JFK, clip, librivox, models_dir, sox, wer, whisper_turn, write_wav};
use crate::{TestResult, repo_path};

/// The raw file the test microphone plays: what rehearse opens the device with (its default
/// format: f32, 2 channels, 48 kHz), with a second of exact silence after it so that nothing
/// repeats at the end of the file (sox -D: no dither, exact zeros).
fn mic_raw(dir: &Path, wav: &Path) -> anyhow::Result<PathBuf> {
    let raw = dir.join("mic.f32le");
    sox(&[
        "-D",
        &wav.display().to_string(),
        "-t",
        "raw",
        "-e",
        "floating-point",
        "-b",
        "32",
        "-r",
        "48000",
        "-c",
        "2",
        "-L",
        &raw.display().to_string(),
        "pad",
        "0",
        "1",
    ])?;
    Ok(raw)
}

/// `rehearse` recording from the test microphone playing `raw`.
fn with_test_mic(home: &Path, raw: Option<&Path>) -> assert_cmd::Command {
    let mut cmd = rehearse(home);
    cmd.env(
        "ALSA_CONFIG_PATH",
        repo_path("tests/audio/asound-test.conf"),
    )
    .env_remove("REHEARSE_DEVICE")
    .arg("--models-dir")
    .arg(models_dir());
    match raw {
        Some(raw) => cmd.env("TEST_MIC_RAW", raw),
        None => cmd.env_remove("TEST_MIC_RAW"),
    };
    cmd
}

fn json(bytes: &[u8]) -> anyhow::Result<Value> {
    serde_json::from_slice(bytes).with_context(|| String::from_utf8_lossy(bytes).into_owned())
}

fn read_mono(path: &Path) -> anyhow::Result<Vec<f32>> {
    Ok(rehearse::audio::wav::read(path)?.audio.samples)
}

fn rms_db(x: &[f32]) -> f64 {
    let ms = x.iter().map(|v| f64::from(*v) * f64::from(*v)).sum::<f64>() / x.len().max(1) as f64;
    10.0 * ms.max(1e-12).log10()
}

/// Correlation of two signals at their best alignment within `max_lag` samples.
fn best_correlation(a: &[f32], b: &[f32], max_lag: usize) -> (f64, isize) {
    let mut best = (f64::MIN, 0isize);
    for lag in -(max_lag as isize)..=(max_lag as isize) {
        let (x, y) = if lag >= 0 {
            (&a[lag as usize..], b)
        } else {
            (a, &b[(-lag) as usize..])
        };
        let n = x.len().min(y.len());
        let (mut xy, mut xx, mut yy) = (0.0f64, 0.0f64, 0.0f64);
        for i in 0..n {
            let (p, q) = (f64::from(x[i]), f64::from(y[i]));
            xy += p * q;
            xx += p * p;
            yy += q * q;
        }
        let c = xy / (xx.sqrt() * yy.sqrt()).max(1e-12);
        if c > best.0 {
            best = (c, lag);
        }
    }
    best
}

#[test]
fn devices_lists_the_test_microphone_and_nothing_without_a_sound_card() -> TestResult {
    let home = tempfile::tempdir()?;
    let out = with_test_mic(home.path(), None)
        .args(["devices", "--json"])
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = json(&out.stdout)?;
    let devices = list.as_array().context("a list")?;
    let default = devices
        .iter()
        .find(|d| d["default"] == true)
        .context("a default device")?;
    assert_eq!(default["opens_as"]["sample_rate"], 48_000);
    let testmic = devices
        .iter()
        .find(|d| d["id"] == "alsa:testmic")
        .context("the test microphone")?;
    assert_eq!(testmic["name"], "Test microphone fed from TEST_MIC_RAW");
    assert_eq!(testmic["channels"][0], 1);

    // An ALSA configuration with no devices at all: a machine without a sound card.
    let out = rehearse(home.path())
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["devices", "--json"])
        .output()?;
    assert!(out.status.success());
    assert_eq!(json(&out.stdout)?, serde_json::json!([]));
    Ok(())
}

#[test]
#[ignore = "needs speech clips: scripts/test runs it"]
fn a_recording_through_the_alsa_device_matches_its_source() -> TestResult {
    let home = tempfile::tempdir()?;
    let source = clip("jfk.wav");
    let raw = mic_raw(home.path(), &source)?;
    let saved = home.path().join("recorded.wav");
    let out = {
        let _turn = whisper_turn();
        // Stop after the clip's length in frames: the device delivers faster than real time.
        with_test_mic(home.path(), Some(&raw))
            .args(["devices", "--test", "--seconds", "11", "--json", "--save"])
            .arg(&saved)
            .output()?
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = json(&out.stdout)?;
    assert_eq!(check["duration_s"], 11.0, "{check}");
    assert_eq!(check["format"], "F32, 2 ch, 48000 Hz");
    assert_eq!(check["verdict"], "ok", "{check}");
    assert_eq!(
        (check["overruns"].as_u64(), check["xruns"].as_u64()),
        (Some(0), Some(0))
    );

    let recorded = read_mono(&saved)?;
    let original = read_mono(&source)?;
    assert_eq!(
        recorded.len(),
        original.len(),
        "same number of 16 kHz samples"
    );
    let (correlation, lag) = best_correlation(&recorded, &original, 8);
    assert!(
        correlation > 0.999 && lag == 0,
        "correlation {correlation} at lag {lag}"
    );
    let (a, b) = (rms_db(&recorded), rms_db(&original));
    assert!((a - b).abs() < 0.1, "level {a:.2} dB vs {b:.2} dB");

    let heard = check["heard"].as_str().unwrap_or_default();
    let error = wer(JFK, heard);
    assert!(error <= 0.1, "WER {error:.3}: {heard}");
    Ok(())
}

#[test]
fn practice_without_a_usable_microphone_takes_a_typed_answer_and_says_why() -> TestResult {
    let home = tempfile::tempdir()?;
    let answer = "ECS is a fully managed container orchestration service for Docker containers\n\n";
    let out = rehearse(home.path())
        .env("ALSA_CONFIG_PATH", "/dev/null")
        .args(["practice", "what-is-ecs", "--no-save", "--json"])
        .write_stdin(answer)
        .output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("No usable microphone") && stderr.contains("not available"),
        "{stderr}"
    );
    assert!(stderr.contains("Type your answer instead"), "{stderr}");
    assert!(
        json(&out.stdout)?["answers"][0]["score"]
            .as_f64()
            .unwrap_or_default()
            > 50.0
    );

    // A --device that matches nothing names the devices there are.
    let out = with_test_mic(home.path(), None)
        .args([
            "practice",
            "what-is-ecs",
            "--no-save",
            "--device",
            "no-such-mic",
        ])
        .write_stdin(answer)
        .output()?;
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no input device matches `no-such-mic`") && stderr.contains("alsa:testmic"),
        "{stderr}"
    );

    // The device can also come from the user's config file.
    let config = home.path().join("config/rehearse");
    std::fs::create_dir_all(&config)?;
    std::fs::write(
        config.join("config.toml"),
        "device = \"from-config-file\"\n",
    )?;
    let out = with_test_mic(home.path(), None)
        .args(["practice", "what-is-ecs", "--no-save"])
        .write_stdin(answer)
        .output()?;
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no input device matches `from-config-file`"),
        "{stderr}"
    );
    Ok(())
}

/// A machine without a sound card (an ALSA configuration with no devices): one sentence says so,
/// without alsa-lib's own error lines, and practice goes on with a typed answer.
#[test]
fn no_sound_card_is_said_once_without_alsa_noise() -> TestResult {
    let home = tempfile::tempdir()?;
    let empty = home.path().join("asound.conf");
    std::fs::write(&empty, "")?;
    for args in [&["devices"][..], &["practice", "what-is-ecs", "--no-save"]] {
        let out = rehearse(home.path())
            .env("ALSA_CONFIG_PATH", &empty)
            .args(args)
            .write_stdin("ECS runs containers.\n\n")
            .output()?;
        assert!(out.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stderr.contains("ALSA lib"), "{args:?}: {stderr}");
        assert!(
            stdout.contains("no sound card") || stderr.contains("no sound card"),
            "{args:?}: {stdout}{stderr}"
        );
    }
    Ok(())
}

/// Run a command that must succeed and print JSON; the text at `field`.
fn json_text(command: &mut assert_cmd::Command, field: &str) -> anyhow::Result<String> {
    let out = command.output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(json(&out.stdout)?[field]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Phrase cutting on real speech: five LibriVox sentences read one after another.
#[test]
#[ignore = "needs speech clips: scripts/test runs it"]
fn phrases_are_cut_in_the_pauses_of_real_speech() -> TestResult {
    let mut audio = Vec::new();
    let mut sentence_ends = Vec::new();
    for clip_id in ["0870", "0880", "0890", "0920", "0930"] {
        audio.extend(read_mono(&clip(&format!("librivox-{clip_id}.wav")))?);
        sentence_ends.push(audio.len() as f64 / 16_000.0);
    }
    let mut phrases = Vec::new();
    let mut cutter = rehearse::audio::phrases::Cutter::default();
    // In 10 ms pieces, as capture delivers them.
    for piece in audio.chunks(160) {
        cutter.push(piece, &mut |p| phrases.push(p));
    }
    phrases.extend(cutter.finish());
    assert!(phrases.len() >= 3, "{} phrases", phrases.len());
    for pair in phrases.windows(2) {
        let cut = pair[0].end_s();
        assert!(pair[1].start_s >= cut - 1e-6, "phrases follow each other");
        // What lies between two phrases (silence beyond the next one's lead-in) is quiet.
        let gap = &audio[(cut * 16_000.0) as usize..(pair[1].start_s * 16_000.0) as usize];
        assert!(
            gap.is_empty() || rms_db(gap) < rms_db(&audio) - 15.0,
            "speech dropped at {cut:.2} s"
        );
        // Every cut is in quiet audio: the 100 ms around it is far below the speech level (the
        // recording's background noise is about 20 dB below it).
        let at = (cut * 16_000.0) as usize;
        let around = &audio[at.saturating_sub(800)..(at + 800).min(audio.len())];
        assert!(
            rms_db(around) < rms_db(&audio) - 15.0,
            "cut at {cut:.2} s is not in a pause"
        );
    }
    for phrase in &phrases {
        assert!(
            phrase.samples.len() <= 24 * 16_000,
            "a phrase of {} s",
            phrase.samples.len() / 16_000
        );
    }
    let first = phrases.first().map_or(0.0, |p| p.start_s);
    let last = phrases.last().map_or(0.0, |p| p.end_s());
    assert!(first < 0.5, "the first phrase starts at {first:.2} s");
    assert!(
        (last - audio.len() as f64 / 16_000.0).abs() < 1e-3,
        "the last ends at {last:.2} s"
    );
    Ok(())
}

/// Transcribing phrase by phrase while recording is as accurate as transcribing the saved
/// recording afterwards (within 2 points of word error rate), on the same audio.
#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn streaming_transcription_is_as_accurate_as_the_whole_recording() -> TestResult {
    let home = tempfile::tempdir()?;
    let answer = home.path().join("answer.wav");
    let (samples, reference) = librivox()?;
    write_wav(&answer, &samples)?;
    assert!(reference.split_whitespace().count() > 60, "{reference}");
    let raw = mic_raw(home.path(), &answer)?;
    let _turn = whisper_turn();
    let streamed = json_text(
        with_test_mic(home.path(), Some(&raw)).args([
            "devices",
            "--test",
            "--seconds",
            "24.7",
            "--json",
        ]),
        "heard",
    )?;
    let whole = json_text(
        with_test_mic(home.path(), None)
            .args(["transcribe", "--json"])
            .arg(&answer),
        "text",
    )?;
    let (streamed_wer, whole_wer) = (wer(&reference, &streamed), wer(&reference, &whole));
    eprintln!(
        "WER streamed {streamed_wer:.3}, whole {whole_wer:.3}\n  streamed: {streamed}\n  whole:    {whole}"
    );
    assert!(
        streamed_wer <= whole_wer + 0.02,
        "streamed {streamed_wer:.3} vs whole {whole_wer:.3}"
    );
    Ok(())
}

/// The answer screen in a 100×50 terminal, with the test model; `env` goes before the command.
fn terminal(home: &Path, env: &str, args: &str) -> anyhow::Result<Tmux> {
    let args = format!("--models-dir '{}' {args}", models_dir().display());
    Tmux::start_sized(home, env, &args, (100, 50))
}

/// The answer screen with speech paced in real time: countdown and warning, level meter, the
/// transcript growing while the person talks, Enter to stop, the score, and the session kept
/// with its recording.
#[test]
#[ignore = "needs tmux, the tiny.en model and speech clips: scripts/test runs it"]
fn practice_shows_the_answer_screen_and_streams_the_transcript() -> TestResult {
    let home = tempfile::tempdir()?;
    let answer = home.path().join("answer.wav");
    // 16.3 s: JFK, then a LibriVox sentence.
    sox(&[
        &clip("jfk.wav").display().to_string(),
        &clip("librivox-0890.wav").display().to_string(),
        &answer.display().to_string(),
    ])?;
    let _turn = whisper_turn();
    let term = terminal(
        home.path(),
        "",
        &format!(
            "practice what-is-ecs --time-limit 20 --device 'wav:{}'",
            answer.display()
        ),
    )?;
    let screen = term.wait_for_any_case("speak now", Duration::from_secs(20))?;
    assert!(screen.contains("● Answer 0:20"), "{screen}");
    let started = Instant::now();
    // While the answer is still being spoken, the first phrase is already transcribed and the
    // meter shows a level.
    let screen = term.wait_for_any_case("»", Duration::from_secs(15))?;
    assert!(
        !screen.contains("Stopped at") && !screen.contains("Time's up"),
        "transcribed before the end:\n{screen}"
    );
    assert!(
        screen.contains("level ") && screen.contains(" dB"),
        "{screen}"
    );
    term.wait_for_any_case("10 s left", Duration::from_secs(15))?;
    // Stop with Enter a little into the second sentence.
    std::thread::sleep(Duration::from_secs(13).saturating_sub(started.elapsed()));
    term.keys(&["Enter"])?;
    let screen = term.wait_for_any_case("EXIT=", Duration::from_secs(60))?;
    assert!(screen.contains("Stopped at 0:1"), "{screen}");
    assert!(
        screen.contains("Score ") && screen.contains("EXIT=0"),
        "{screen}"
    );
    assert!(
        screen
            .to_lowercase()
            .contains("ask what you can do for your country"),
        "{screen}"
    );

    let sessions = home.path().join("data/rehearse/sessions");
    let session = std::fs::read_dir(&sessions)?
        .next()
        .context("a session")??
        .path();
    let record = json(&std::fs::read(session.join("session.json"))?)?;
    let saved = &record["answers"][0];
    assert_eq!(saved["source"], "mic", "{saved}");
    let recording = session.join(saved["recording"].as_str().context("a recording")?);
    let seconds = read_mono(&recording)?.len() as f64 / 16_000.0;
    assert!((12.0..15.5).contains(&seconds), "{seconds} s recorded");
    crate::session::only_the_answers_recording(&session, saved)?;
    Ok(())
}

/// The real capture path in the pseudo-terminal: the test microphone through cpal, up to the
/// time limit; then Ctrl-C on a paced answer keeps the recording and exits 130.
#[test]
#[ignore = "needs tmux, the tiny.en model and speech clips: scripts/test runs it"]
fn practice_records_from_the_alsa_device_and_ctrl_c_keeps_the_recording() -> TestResult {
    let home = tempfile::tempdir()?;
    let raw = mic_raw(home.path(), &clip("jfk.wav"))?;
    let _turn = whisper_turn();
    let env = format!(
        "ALSA_CONFIG_PATH='{}' TEST_MIC_RAW='{}'",
        repo_path("tests/audio/asound-test.conf").display(),
        raw.display()
    );
    let term = terminal(
        home.path(),
        &env,
        "practice what-is-ecs --time-limit 11 --no-save",
    )?;
    let screen = term.wait_for_any_case("EXIT=", Duration::from_secs(60))?;
    assert!(
        screen.contains("speak now") && screen.contains("Time's up"),
        "{screen}"
    );
    assert!(
        screen
            .to_lowercase()
            .contains("ask what you can do for your country"),
        "{screen}"
    );
    assert!(
        screen.contains("Score ") && screen.contains("EXIT=0"),
        "{screen}"
    );
    drop(term);

    let term = terminal(
        home.path(),
        "",
        &format!(
            "practice what-is-ecs --device 'wav:{}'",
            clip("jfk.wav").display()
        ),
    )?;
    term.wait_for_any_case("speak now", Duration::from_secs(20))?;
    std::thread::sleep(Duration::from_secs(3));
    term.keys(&["C-c"])?;
    let screen = term.wait_for_any_case("EXIT=", Duration::from_secs(20))?;
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(
        screen.contains("The recording is kept with the session"),
        "{screen}"
    );
    // The cut-off answer's recording belongs to its session: review lists it, and deleting the
    // session removes it.
    let out = rehearse(home.path())
        .args(["review", "latest", "--format", "json"])
        .output()?;
    let review = json(&out.stdout)?;
    let cut = &review["cut_off"][0];
    assert_eq!(cut["question_id"], "what-is-ecs", "{review}");
    let kept = PathBuf::from(cut["recording"]["path"].as_str().context("its path")?);
    let seconds = read_mono(&kept)?.len() as f64 / 16_000.0;
    assert!((2.5..6.0).contains(&seconds), "{seconds} s kept");
    let deleted = rehearse(home.path())
        .args(["history", "delete", "latest", "--yes"])
        .output()?;
    assert!(deleted.status.success(), "{deleted:?}");
    assert!(!kept.exists(), "deleted with its session");
    Ok(())
}

/// A round takes spoken answers through the same seam; Ctrl-C in the middle of one asks whether
/// to score what was said, scores it when told yes, keeps it in the session and exits 130.
#[test]
#[ignore = "needs tmux, the tiny.en model and speech clips: scripts/test runs it"]
fn a_spoken_round_asks_after_ctrl_c_whether_to_score_what_was_said() -> TestResult {
    let home = tempfile::tempdir()?;
    let _turn = whisper_turn();
    let term = terminal(
        home.path(),
        "",
        &format!(
            "round --count 2 --seed 7 --time-limit 30 --device 'wav:{}'",
            clip("jfk.wav").display()
        ),
    )?;
    term.wait_for_any_case("speak now", Duration::from_secs(20))?;
    let started = Instant::now();
    term.wait_for_any_case("»", Duration::from_secs(20))?;
    std::thread::sleep(Duration::from_secs(8).saturating_sub(started.elapsed()));
    term.keys(&["C-c"])?;
    term.wait_for_any_case("Score what you said so far? [Y/n]", Duration::from_secs(20))?;
    term.keys(&["y", "Enter"])?;
    let screen = term.wait_for_any_case("EXIT=", Duration::from_secs(60))?;
    assert!(screen.contains("EXIT=130"), "{screen}");
    assert!(
        screen.contains("Question 1 of 2") && !screen.contains("Question 2 of 2"),
        "{screen}"
    );
    assert!(screen.contains("Score "), "{screen}");

    let sessions = home.path().join("data/rehearse/sessions");
    let session = std::fs::read_dir(&sessions)?
        .next()
        .context("a session")??
        .path();
    let record = json(&std::fs::read(session.join("session.json"))?)?;
    let answer = &record["answers"][0];
    assert_eq!(answer["source"], "mic", "{answer}");
    assert_eq!(answer["interrupted"], true, "{answer}");
    let said = answer["transcript"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_lowercase();
    assert!(said.contains("fellow americans"), "{said}");
    assert!(answer["recording"].is_string(), "{answer}");
    Ok(())
}
