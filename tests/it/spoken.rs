//! Spoken answers scored end to end: each evaluation answer is spoken by espeak-ng, transcribed
//! by the real tiny.en model and scored. A good answer must beat an off-topic one for every
//! bundled question.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use clap::Parser;
use rehearse::audio::wav;
use rehearse::cli::Cli;
use rehearse::config::{Config, PromptStyle};
use rehearse::models::engine::WhisperFactory;
use rehearse::score::Scorer;
use rehearse::transcribe::prompt;
use rehearse::transcribe::{self, Transcriber, TranscriberFactory};

use crate::TestResult;
use crate::eval::{bundled_bank, eval_answers};

/// Speak `text` into a WAV file with espeak-ng (22.05 kHz mono).
pub fn speak(text: &str, path: &Path) -> anyhow::Result<()> {
    let status = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "160", "-w"])
        .arg(path)
        .arg(text)
        .status()?;
    anyhow::ensure!(status.success(), "espeak-ng failed");
    Ok(())
}

/// tiny.en as the commands load it, with the engine options of a default command line.
fn engine() -> anyhow::Result<Box<dyn Transcriber + Send>> {
    crate::whisper::model_file();
    let models_dir = crate::whisper::models_dir();
    let cli = Cli::try_parse_from([
        OsStr::new("rehearse"),
        OsStr::new("--models-dir"),
        models_dir.as_os_str(),
        OsStr::new("questions"),
    ])?;
    let config = Config::resolve(&cli.global)?;
    WhisperFactory::new(&config).prepare()?.load(Arc::default())
}

#[test]
#[ignore = "needs the tiny.en model and espeak-ng: scripts/test runs it"]
fn spoken_good_answers_beat_off_topic_ones_for_every_question() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    let bank = bundled_bank()?;
    let scorer = Scorer::new(&bank);
    let mut whisper = engine()?;
    let dir = tempfile::tempdir()?;
    let mut failures = Vec::new();
    let (mut good_total, mut off_total) = (0.0, 0.0);
    let answers = eval_answers()?;
    for answer in &answers {
        let question = bank.find(&answer.id)?;
        let prompt = prompt::build(Some(question), PromptStyle::default());
        let mut scores = [0.0; 2];
        for (slot, text) in [&answer.good, &answer.off].into_iter().enumerate() {
            let path = dir.path().join(format!("{}-{slot}.wav", answer.id));
            speak(text, &path)?;
            let recording = wav::read(&path)?;
            let transcript = transcribe::phrased::transcribe_by_phrase(
                whisper.as_mut(),
                &recording.audio,
                prompt.clone(),
                &mut |_, _| {},
            )?;
            let report = scorer.score(question, &transcript);
            if slot == 0 {
                if !report.key_points.iter().any(|p| p.at_s.is_some()) {
                    eprintln!("{}: {:?}", answer.id, transcript);
                }
                assert!(
                    report.delivery.wpm.is_some_and(|w| w > 80.0),
                    "{}: no pace",
                    answer.id
                );
                assert!(
                    report.key_points.iter().any(|p| p.at_s.is_some()),
                    "{}: no key point timed",
                    answer.id
                );
            }
            scores[slot] = report.score;
        }
        eprintln!(
            "{:24} spoken good {:5.1}  off {:5.1}",
            answer.id, scores[0], scores[1]
        );
        good_total += scores[0];
        off_total += scores[1];
        if scores[0] <= scores[1] {
            failures.push(answer.id.clone());
        }
    }
    let n = answers.len() as f64;
    eprintln!(
        "spoken mean good {:.1}, off {:.1}",
        good_total / n,
        off_total / n
    );
    assert!(
        failures.is_empty(),
        "good did not beat off-topic for {failures:?}"
    );
    Ok(())
}
