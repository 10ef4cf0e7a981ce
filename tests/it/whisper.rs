//! Transcription with the real tiny.en model on real speech: models (fetch, verify, bad files),
//! `transcribe` on every WAV shape, silence, Ctrl-C, and spoken answers scored end to end.
//!
//! Needs the model (`rehearse model fetch tiny.en`) and the speech clips (`scripts/test-audio`);
//! `scripts/test` provides both.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

use crate::cli::rehearse;
use crate::http::serve;
use crate::{TestResult, repo_path};

/// Two whisper runs at once on two cores slow each other down up to tenfold; tests that run
/// whisper take turns.
pub fn whisper_turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The folder holding ggml-tiny.en.bin.
pub fn models_dir() -> PathBuf {
    std::env::var_os("REHEARSE_MODELS_DIR").map_or_else(|| repo_path("models"), PathBuf::from)
}

pub fn model_file() -> PathBuf {
    let path = models_dir().join("ggml-tiny.en.bin");
    assert!(
        path.is_file(),
        "{} is missing: run `rehearse model fetch tiny.en` (scripts/test does)",
        path.display()
    );
    path
}

/// A speech clip fetched by scripts/test-audio.
pub fn clip(name: &str) -> PathBuf {
    let dir = std::env::var_os("REHEARSE_TEST_AUDIO")
        .map_or_else(|| repo_path("target/test-audio"), PathBuf::from);
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{} is missing: run scripts/test-audio",
        path.display()
    );
    path
}

/// `rehearse` with the test model dir.
pub fn with_model(home: &Path) -> assert_cmd::Command {
    let mut cmd = rehearse(home);
    cmd.arg("--models-dir").arg(models_dir());
    cmd
}

pub const JFK: &str = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";

/// Words for WER: lower case, no punctuation, hyphenated words split, sentence tags dropped,
/// "Mr." as spoken.
fn words(text: &str) -> Vec<String> {
    text.replace("<s>", " ")
        .replace("</s>", " ")
        .replace('-', " ")
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| if w == "mr" { "mister".to_owned() } else { w })
        .collect()
}

/// Word error rate: word-level edit distance over the reference length.
pub fn wer(reference: &str, hypothesis: &str) -> f64 {
    let (r, h) = (words(reference), words(hypothesis));
    let mut row: Vec<usize> = (0..=h.len()).collect();
    for (i, rw) in r.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, hw) in h.iter().enumerate() {
            let substitute = prev + usize::from(rw != hw);
            prev = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[h.len()] as f64 / r.len().max(1) as f64
}

#[test]
fn wer_counts_edits_per_reference_word() {
    assert_eq!(wer("a b c d", "a b c d"), 0.0);
    assert_eq!(wer("a b c d", "a x c d"), 0.25);
    assert_eq!(wer("a b c d", "a b c"), 0.25);
    assert_eq!(wer("a b", "a b c d"), 1.0);
    assert_eq!(wer("And so, my", "and so my"), 0.0);
    assert_eq!(
        wer("<s> mister ill disposed </s>", "Mr. ill-disposed."),
        0.0
    );
}

fn transcribe_json(home: &Path, wav: &Path) -> anyhow::Result<Value> {
    transcribe_json_with(home, wav, &[])
}

pub fn transcribe_json_with(home: &Path, wav: &Path, args: &[&str]) -> anyhow::Result<Value> {
    let out = with_model(home)
        .args(["transcribe", "--json"])
        .args(args)
        .arg(wav)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "transcribe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// Without a prompt and with the question's prompt (the default for answers): the words, and
/// word timings inside the recording, in order. (Given as bare text, the prompt once made whisper
/// write untimed 30 s segments with every word at their end.)
#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn jfk_transcribes_within_ten_percent_wer_with_word_timings() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    model_file();
    for prompt in [
        &["--prompt-style", "none"][..],
        &["--question", "what-is-ecs"],
    ] {
        let doc = transcribe_json_with(home.path(), &clip("jfk.wav"), prompt)?;
        let text = doc["text"].as_str().unwrap_or_default();
        let error = wer(JFK, text);
        assert!(error <= 0.10, "{prompt:?}: WER {error:.3}: {text}");
        assert_eq!(doc["model"], "tiny.en");
        assert_eq!(doc["duration_s"], 11.0);
        for segment in doc["segments"].as_array().into_iter().flatten() {
            let end = segment["end_s"].as_f64().unwrap_or(f64::MAX);
            assert!(end <= 11.5, "{prompt:?}: a segment ends at {end}");
        }
        let words: Vec<&Value> = doc["segments"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["words"].as_array().into_iter().flatten())
            .collect();
        assert!(words.len() >= 20, "{prompt:?}: {} words", words.len());
        let mut last_start = 0.0;
        for word in &words {
            let (start, end, p) = (
                word["start_s"].as_f64().unwrap_or(-1.0),
                word["end_s"].as_f64().unwrap_or(-1.0),
                word["p"].as_f64().unwrap_or(-1.0),
            );
            assert!(
                start >= last_start && end >= start && end <= 11.5,
                "{prompt:?}: {word}"
            );
            assert!((0.0..=1.0).contains(&p), "{word}");
            last_start = start;
        }
        // "Americans" is said at about 1.6–2.1 s: the timings follow the speech, not the window.
        let americans = words
            .iter()
            .find(|w| w["word"].as_str().unwrap_or_default().contains("Americans"))
            .and_then(|w| w["start_s"].as_f64())
            .unwrap_or(-1.0);
        assert!(
            (1.0..=3.0).contains(&americans),
            "{prompt:?}: Americans at {americans}"
        );
    }
    Ok(())
}

/// A user's bank can make the prompt longer than whisper's context: its key terms are cut to
/// what fits, and the answer is still transcribed.
#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn an_overlong_prompt_from_a_user_bank_still_transcribes() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    // Sixteen capitalised words of 60 letters each: several hundred tokens.
    let words: Vec<String> = (0..16)
        .map(|i| format!("Zq{}", "xkcdqwvbnm".repeat(6)).replace('x', &i.to_string()))
        .collect();
    let bank = home.path().join("long.toml");
    std::fs::write(
        &bank,
        format!(
            "deck = \"Long\"\ncategory = \"odd\"\n\n[[question]]\nid = \"long-terms\"\n\
             question = \"What are these?\"\nanswer = \"{words}.\"\nkey_points = [{points}]\n",
            words = words.join(" "),
            // Each key point is short enough for a bank; together they overflow the prompt.
            points = words
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )?;
    let doc = transcribe_json_with(
        home.path(),
        &clip("jfk.wav"),
        &[
            "--bank",
            &bank.display().to_string(),
            "--question",
            "long-terms",
        ],
    )?;
    let text = doc["text"].as_str().unwrap_or_default();
    let error = wer(JFK, text);
    assert!(error <= 0.10, "WER {error:.3}: {text}");
    Ok(())
}

/// Write 16 kHz mono 16-bit samples as a WAV file.
pub fn write_wav(path: &Path, samples: &[i16]) -> anyhow::Result<()> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)?;
    for s in samples {
        writer.write_sample(*s)?;
    }
    writer.finalize()?;
    Ok(())
}

fn read_i16(path: &Path) -> anyhow::Result<Vec<i16>> {
    Ok(hound::WavReader::open(path)?
        .samples::<i16>()
        .collect::<Result<Vec<_>, _>>()?)
}

/// The five LibriVox sentences of the test audio: 16 kHz samples, and the words read.
pub fn librivox() -> anyhow::Result<(Vec<i16>, String)> {
    let transcripts = std::fs::read_to_string(clip("librivox-transcription.txt"))?;
    let mut samples = Vec::new();
    let mut reference = Vec::new();
    for id in ["0870", "0880", "0890", "0920", "0930"] {
        samples.extend(read_i16(&clip(&format!("librivox-{id}.wav")))?);
        let line = transcripts
            .lines()
            .find(|l| l.contains(&format!("-{id})")))
            .unwrap_or_default();
        // "<s> text </s> (file-id)": the words between the markers.
        let words = line.split(" (").next().unwrap_or_default();
        reference.push(
            words
                .replace("<s>", "")
                .replace("</s>", "")
                .trim()
                .to_owned(),
        );
    }
    anyhow::ensure!(
        reference.iter().all(|r| !r.is_empty()),
        "librivox-transcription.txt lacks a sentence"
    );
    Ok((samples, reference.join(" ")))
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn a_librivox_answer_transcribes_closely() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let (samples, reference) = librivox()?;
    let answer = home.path().join("answer.wav");
    write_wav(&answer, &samples)?;
    let doc = transcribe_json(home.path(), &answer)?;
    let text = doc["text"].as_str().unwrap_or_default();
    let error = wer(&reference, text);
    eprintln!("librivox WER {error:.3}\n  ref: {reference}\n  got: {text}");
    assert!(error <= 0.15, "WER {error:.3}: {text}");
    Ok(())
}

/// An 82 s answer written to `dir`: JFK, the five LibriVox sentences, JFK, the sentences again
/// and JFK; and the words said.
pub fn long_answer(dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    let jfk = read_i16(&clip("jfk.wav"))?;
    let (sentences, read) = librivox()?;
    let samples = [&jfk[..], &sentences, &jfk, &sentences, &jfk].concat();
    let answer = dir.join("answer.wav");
    write_wav(&answer, &samples)?;
    Ok((answer, [JFK, &read, JFK, &read, JFK].join(" ")))
}

/// An 82 s answer with the question's key terms as the prompt. Given whole, whisper skipped a
/// 30 s stretch of such an answer (22 % WER); phrase by phrase it hears all of it, and the first
/// phrase is printed while the rest is still being transcribed.
#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn a_long_prompted_answer_is_heard_whole_and_printed_as_it_goes() -> TestResult {
    use std::io::BufRead;
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let (answer, reference) = long_answer(home.path())?;
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--models-dir")
        .arg(models_dir())
        .args(["transcribe", "--question", "what-is-ecs"])
        .arg(&answer)
        .env("HOME", home.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let running_after_first = child.try_wait()?.is_none();
    let mut text = vec![first.clone()];
    for line in lines {
        text.push(line?);
    }
    let output = child.wait_with_output()?;
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        running_after_first,
        "the first phrase ({first}) came out only at the end"
    );
    // Lines are "[m:ss] text".
    let text: Vec<&str> = text
        .iter()
        .map(|line| line.split_once("] ").map_or(line.as_str(), |(_, t)| t))
        .collect();
    let text = text.join(" ");
    let error = wer(&reference, &text);
    eprintln!("long prompted answer WER {error:.3}\n  got: {text}");
    assert!(error <= 0.10, "WER {error:.3}: {text}");
    Ok(())
}

/// Run sox (scripts/setup installs it).
pub fn sox(args: &[&str]) -> anyhow::Result<()> {
    let status = StdCommand::new("sox")
        .args(args)
        .status()
        .map_err(|err| anyhow::anyhow!("sox is needed: run scripts/setup --deps ({err})"))?;
    anyhow::ensure!(status.success(), "sox {args:?} failed");
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn every_wav_shape_gives_the_same_words() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let jfk = clip("jfk.wav");
    let jfk = jfk.to_str().unwrap_or_default();
    for (name, options) in [
        (
            "u8.wav",
            vec![
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "8",
                "-e",
                "unsigned-integer",
            ],
        ),
        (
            "f32.wav",
            vec!["-r", "16000", "-c", "1", "-b", "32", "-e", "floating-point"],
        ),
        (
            "stereo48k.wav",
            vec!["-r", "48000", "-c", "2", "-b", "16", "-e", "signed-integer"],
        ),
        (
            "s24-44k.wav",
            vec!["-r", "44100", "-c", "1", "-b", "24", "-e", "signed-integer"],
        ),
        (
            "s16-8k.wav",
            vec!["-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer"],
        ),
    ] {
        let out = home.path().join(name);
        let out_str = out.to_str().unwrap_or_default();
        let mut args = vec!["-R", jfk];
        args.extend(options);
        args.push(out_str);
        sox(&args)?;
        let doc = transcribe_json(home.path(), &out)?;
        let text = doc["text"].as_str().unwrap_or_default();
        let error = wer(JFK, text);
        assert!(error <= 0.10, "{name}: WER {error:.3}: {text}");
        assert!(
            (doc["duration_s"].as_f64().unwrap_or(0.0) - 11.0).abs() < 0.05,
            "{name}"
        );
    }
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn silence_noise_and_empty_recordings_give_no_words() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let silence = home.path().join("silence.wav");
    write_wav(&silence, &vec![0; 48_000])?;
    let mut state = 7u32;
    let noise: Vec<i16> = (0..48_000)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 16) as i16 / 4
        })
        .collect();
    let noisy = home.path().join("noise.wav");
    write_wav(&noisy, &noise)?;
    let empty = home.path().join("empty.wav");
    write_wav(&empty, &[])?;
    for wav in [&silence, &noisy, &empty] {
        let out = with_model(home.path())
            .args(["transcribe", "--json"])
            .arg(wav)
            .output()?;
        assert!(out.status.success(), "{wav:?}");
        let doc: Value = serde_json::from_slice(&out.stdout)?;
        assert_eq!(doc["text"], "", "{wav:?} gave words");
        assert_eq!(doc["segments"].as_array().map(Vec::len), Some(0));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no speech detected"));
    }
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn broken_wav_files_fail_clearly_or_keep_what_they_have() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let text = home.path().join("notes.wav");
    std::fs::write(&text, "this is not audio")?;
    with_model(home.path())
        .arg("transcribe")
        .arg(&text)
        .assert()
        .code(1)
        .stderr(contains("is not a WAV file"));
    with_model(home.path())
        .args(["transcribe", "nope.wav"])
        .assert()
        .code(1)
        .stderr(contains("nope.wav"));
    // A recording cut off in the middle (a crash while recording): its first half is kept.
    let bytes = std::fs::read(clip("jfk.wav"))?;
    let cut = home.path().join("cut.wav");
    std::fs::write(&cut, &bytes[..bytes.len() / 2])?;
    let out = with_model(home.path())
        .args(["transcribe", "--json"])
        .arg(&cut)
        .output()?;
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ends early"));
    let doc: Value = serde_json::from_slice(&out.stdout)?;
    let text = doc["text"].as_str().unwrap_or_default().to_lowercase();
    assert!(
        text.contains("fellow americans") && !text.contains("for your country"),
        "{text}"
    );
    Ok(())
}

/// JFK repeated to ten minutes, written once for the tests that need a long recording.
fn ten_minutes() -> anyhow::Result<&'static Path> {
    static LONG: OnceLock<PathBuf> = OnceLock::new();
    if let Some(path) = LONG.get() {
        return Ok(path);
    }
    let jfk = read_i16(&clip("jfk.wav"))?;
    let mut samples = Vec::with_capacity(16_000 * 600);
    while samples.len() < 16_000 * 600 {
        samples.extend(&jfk);
        samples.extend(std::iter::repeat_n(0, 8_000));
    }
    samples.truncate(16_000 * 600);
    let path =
        std::env::temp_dir().join(format!("rehearse-ten-minutes-{}.wav", std::process::id()));
    write_wav(&path, &samples)?;
    Ok(LONG.get_or_init(|| path))
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn a_ten_minute_recording_is_transcribed_whole() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let doc = transcribe_json(home.path(), ten_minutes()?)?;
    assert_eq!(doc["duration_s"], 600.0);
    let text = doc["text"].as_str().unwrap_or_default().to_lowercase();
    let repeats = text.matches("fellow americans").count();
    // 52 repeats were spoken; tiny.en drops a few on its own.
    assert!(repeats >= 40, "{repeats} repeats heard");
    let last_end = doc["segments"]
        .as_array()
        .and_then(|s| s.last())
        .and_then(|s| s["end_s"].as_f64())
        .unwrap_or(0.0);
    assert!(last_end > 580.0, "last segment ends at {last_end}");
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn ctrl_c_stops_a_long_transcription_promptly_with_130() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let long = ten_minutes()?;
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--models-dir")
        .arg(models_dir())
        .arg("transcribe")
        .arg(long)
        .env("HOME", home.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::sleep(Duration::from_secs(3));
    let status = StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()?;
    assert!(status.success());
    let sent = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            assert_eq!(status.code(), Some(130));
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "still running 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("stopped {:?} after Ctrl-C", sent.elapsed());
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn missing_and_broken_models_fail_before_whisper_runs() -> TestResult {
    let home = tempfile::tempdir()?;
    let empty_dir = home.path().join("no-models");
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&empty_dir)
        .arg("transcribe")
        .arg(clip("jfk.wav"))
        .assert()
        .code(1)
        .stderr(contains("Get it with: rehearse model fetch tiny.en"));
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&empty_dir)
        .args(["model", "path"])
        .assert()
        .code(1)
        .stderr(contains("rehearse model fetch tiny.en"));

    let model = std::fs::read(model_file())?;
    let mut gguf = model[..4096].to_vec();
    gguf[..4].copy_from_slice(b"GGUF");
    for (name, bytes) in [
        ("truncated.bin", model[..model.len() / 3].to_vec()),
        ("cut-at-the-end.bin", model[..model.len() - 1].to_vec()),
        ("text.bin", b"not a model".to_vec()),
        ("gguf.bin", gguf),
        ("empty.bin", Vec::new()),
    ] {
        let path = home.path().join(name);
        std::fs::write(&path, bytes)?;
        rehearse(home.path())
            .arg("--model")
            .arg(&path)
            .arg("transcribe")
            .arg(clip("jfk.wav"))
            .assert()
            .code(1)
            .stderr(contains("is not a usable whisper model"));
    }
    rehearse(home.path())
        .args(["--model", "huge.en", "model", "path"])
        .assert()
        .code(2)
        .stderr(contains("known models: tiny.en"));
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn model_verify_passes_and_catches_a_changed_byte() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    with_model(home.path())
        .args(["model", "verify"])
        .assert()
        .success()
        .stdout(contains("checksum matches").and(contains("whisper loads it")));
    with_model(home.path())
        .args(["model", "path"])
        .assert()
        .success()
        .stdout(contains("ggml-tiny.en.bin"));
    let dir = home.path().join("models");
    std::fs::create_dir(&dir)?;
    let mut bytes = std::fs::read(model_file())?;
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(dir.join("ggml-tiny.en.bin"), bytes)?;
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "verify", "tiny.en"])
        .assert()
        .code(1)
        .stdout(contains("checksum mismatch"));
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn model_fetch_from_a_file_the_user_has() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "fetch", "tiny.en", "--from"])
        .arg(model_file())
        .assert()
        .success();
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "verify", "tiny.en"])
        .assert()
        .success();
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn model_fetch_resumes_a_partial_download_and_checks_it() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    std::fs::create_dir(&dir)?;
    let model = std::fs::read(model_file())?;
    let half = model.len() / 2;
    std::fs::write(dir.join("ggml-tiny.en.bin.part"), &model[..half])?;
    let (url, server) = serve(vec![("/ggml-tiny.en.bin", model)], 1)?;
    rehearse(home.path())
        .env("REHEARSE_MODEL_URL", &url)
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "fetch", "tiny.en"])
        .assert()
        .success();
    let ranges = server
        .join()
        .map_err(|_| anyhow::anyhow!("server thread panicked"))?;
    assert_eq!(
        ranges,
        [half.to_string()],
        "the download did not resume where it stopped"
    );
    assert!(!dir.join("ggml-tiny.en.bin.part").exists());
    rehearse(home.path())
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "verify"])
        .assert()
        .success();
    Ok(())
}

#[test]
fn a_corrupt_download_never_takes_the_model_name() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    // Served bytes of the right length but wrong content: rejected by checksum. rehearse then
    // falls back on the package index; to keep this test off the network, ask for a model that
    // has no package-index source.
    let (url, server) = serve(vec![("/ggml-small.en.bin", vec![0u8; 4096])], 1)?;
    rehearse(home.path())
        .env("REHEARSE_MODEL_URL", &url)
        .arg("--models-dir")
        .arg(&dir)
        .args(["model", "fetch", "small.en"])
        .assert()
        .code(1)
        .stderr(contains("does not match its pinned checksum").and(contains("--from")));
    server
        .join()
        .map_err(|_| anyhow::anyhow!("server thread panicked"))?;
    assert!(!dir.join("ggml-small.en.bin").exists());
    assert!(!dir.join("ggml-small.en.bin.part").exists());
    Ok(())
}
