//! Spoken answers scored end to end: each evaluation answer is spoken by espeak-ng, transcribed
//! by the real tiny.en model and scored. A good answer must beat an off-topic one for every
//! bundled question.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use clap::Parser;
use rehearse::app::WhisperFactory;
use rehearse::audio::wav;
use rehearse::cli::Cli;
use rehearse::config::{Config, PromptStyle};
use rehearse::transcribe::prompt;
use rehearse::transcribe::{self, Transcriber, TranscriberFactory};

use crate::TestResult;
use crate::eval::{blind_answers, bundled_bank, eval_answers, meaning_scorer};

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

/// Speak `text`, transcribe it with the question's prompt and score it.
fn spoken_score(
    whisper: &mut dyn Transcriber,
    scorer: &rehearse::score::Scorer,
    question: &rehearse::bank::Question,
    text: &str,
    path: &Path,
) -> anyhow::Result<rehearse::score::ScoreReport> {
    speak(text, path)?;
    let recording = wav::read(path)?;
    let transcript = transcribe::phrased::transcribe_by_phrase(
        whisper,
        &mut transcribe::phrased::pieces_of(&recording.audio),
        transcribe::Ears::prompted(prompt::build(Some(question), PromptStyle::default())),
        &mut |_, _| {},
    )?;
    scorer.score(question, &transcript)
}

#[test]
#[ignore = "needs the tiny.en model, the sentence embedder and espeak-ng: scripts/test runs it"]
fn spoken_good_answers_beat_off_topic_ones_for_every_question() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    let bank = bundled_bank()?;
    let scorer = meaning_scorer();
    let mut whisper = engine()?;
    let dir = tempfile::tempdir()?;
    let blind = blind_answers()?;
    let mut failures = Vec::new();
    let mut totals = [0.0; 4];
    let (mut paraphrase_over_off, mut good_over_negated) = (0, 0);
    let answers = eval_answers()?;
    for answer in &answers {
        let question = bank.find(&answer.id)?;
        let unseen = blind
            .iter()
            .find(|b| b.id == answer.id)
            .ok_or_else(|| anyhow::anyhow!("no blind answer for {}", answer.id))?;
        let texts = [
            &answer.good,
            &answer.off,
            &unseen.paraphrase,
            &unseen.negated,
        ];
        let mut scores = [0.0; 4];
        for (slot, text) in texts.into_iter().enumerate() {
            let path = dir.path().join(format!("{}-{slot}.wav", answer.id));
            let report = spoken_score(whisper.as_mut(), &scorer, question, text, &path)?;
            if slot == 0 {
                assert!(
                    report.delivery.wpm.is_some_and(|w| w > 80.0),
                    "{}: no pace",
                    answer.id
                );
                assert!(
                    report.key_points.iter().any(|p| p.at_s.is_some()),
                    "{}: no key point timed: {}",
                    answer.id,
                    report.transcript
                );
            }
            scores[slot] = report.score;
            totals[slot] += report.score;
        }
        let [good, off, paraphrase, negated] = scores;
        eprintln!(
            "{:24} spoken good {good:5.1}  off {off:5.1}  paraphrase {paraphrase:5.1}  negated {negated:5.1}",
            answer.id
        );
        if good <= off {
            failures.push(answer.id.clone());
        }
        paraphrase_over_off += usize::from(paraphrase > off);
        good_over_negated += usize::from(good > negated);
    }
    let n = answers.len();
    let [good, off, paraphrase, negated] = totals.map(|t| t / n as f64);
    eprintln!(
        "spoken mean good {good:.1}, off {off:.1}, paraphrase {paraphrase:.1}, negated {negated:.1}; \
         paraphrase > off {paraphrase_over_off}/{n}, good > negated {good_over_negated}/{n}"
    );
    assert!(
        failures.is_empty(),
        "good did not beat off-topic for {failures:?}"
    );
    assert!(
        paraphrase_over_off >= n - 2,
        "paraphrase > off for {paraphrase_over_off} of {n}"
    );
    assert!(
        good_over_negated >= n - 2,
        "good > negated for {good_over_negated} of {n}"
    );
    Ok(())
}
