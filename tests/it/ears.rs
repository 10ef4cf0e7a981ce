//! The ears on real audio: leaning whisper toward the bank's terms, and correcting to them, put
//! no term into human speech about something else, and finish terms the prompt alone missed; a
//! key point where whisper was unsure of what it heard is "not clearly heard", not missed.

use rehearse::glossary::Glossary;
use serde_json::Value;

use crate::TestResult;
use crate::answers::run_json;
use crate::cli::rehearse;
use crate::eval::bundled_bank;
use crate::whisper::{
    clip, librivox, model_file, transcribe_json_with as transcribe, wer, whisper_turn, write_wav,
};

/// The words of a `transcribe --json` document, with what whisper wrote where it was corrected.
fn words(doc: &Value) -> Vec<(String, Option<String>)> {
    doc["segments"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["words"].as_array().into_iter().flatten())
        .map(|w| {
            (
                w["word"].as_str().unwrap_or_default().to_owned(),
                w["heard"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn human_speech_about_something_else_gets_no_bank_term() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let (samples, reference) = librivox()?;
    let answer = home.path().join("answer.wav");
    write_wav(&answer, &samples)?;
    let glossary = Glossary::of_bank(&bundled_bank()?).with_cloud_terms();
    let reference_words: Vec<String> = reference
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    // With no question the whole bank is listened for; with one, its terms most of all.
    for args in [&[][..], &["--question", "hipaa-workloads"][..]] {
        let doc = transcribe(home.path(), &answer, args)?;
        let text = doc["text"].as_str().unwrap_or_default();
        let error = wer(&reference, text);
        assert!(error <= 0.08, "{args:?}: WER {error:.3}: {text}");
        for (word, heard) in words(&doc) {
            assert_eq!(heard, None, "{args:?}: `{word}` corrected in {text}");
            let bare = word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            assert!(
                glossary.find(&bare).is_none() || reference_words.contains(&bare),
                "{args:?}: the bank's `{word}` put into {text}"
            );
        }
    }
    Ok(())
}

/// A clip where the question's prompt alone is not enough: espeak-ng says "Lambda" so that
/// whisper, prompted with the question, writes "Lamb is"; leaning its decoder toward the terms
/// finishes the word whisper began.
#[test]
#[ignore = "needs the tiny.en model and espeak-ng: scripts/test runs it"]
fn leaning_toward_the_terms_finishes_a_term_the_prompt_alone_missed() -> TestResult {
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let said = home.path().join("said.wav");
    crate::spoken::speak(LAMBDA_ANSWER, &said)?;
    let heard = |bias: &str| -> anyhow::Result<String> {
        let doc = transcribe(
            home.path(),
            &said,
            &[
                "--question",
                "ecs-vs-lambda",
                "--correct",
                "false",
                "--bias",
                bias,
            ],
        )?;
        Ok(doc["text"].as_str().unwrap_or_default().to_owned())
    };
    let prompted = heard("false")?;
    let leaned = heard("true")?;
    assert!(
        !prompted.contains("Lambda"),
        "the prompt alone heard it: {prompted}"
    );
    assert!(leaned.starts_with("Lambda"), "{leaned}");
    Ok(())
}

const LAMBDA_ANSWER: &str = "Lambda is for short functions that fire on an event and finish \
    within fifteen minutes. With E C S you run long lived services in containers, like an A P I \
    that stays up all day, and you pay for the capacity rather than per invocation.";

/// The interviewer's voice says "A P I" after "and", and whisper writes "and a PI": the
/// article's "a" and the letters after it spell the term exactly, so they are read as the term,
/// and what was heard is kept. Without the correction it stays "a PI".
#[test]
#[ignore = "needs the voice en_US-joe-medium and the tiny.en model: scripts/test runs it"]
fn an_a_beside_spelled_letters_is_read_as_the_term_they_spell() -> TestResult {
    let _turn = whisper_turn();
    crate::voice::voice_model();
    let home = tempfile::tempdir()?;
    let said = home.path().join("said.wav");
    let spoken = crate::whisper::with_model(home.path())
        .args(["say", "--out"])
        .arg(&said)
        .arg("You get an endpoint on E C S, and A P I calls go through it.")
        .output()?;
    assert!(
        spoken.status.success(),
        "{}",
        String::from_utf8_lossy(&spoken.stderr)
    );
    let heard = |correct: &str| {
        transcribe(
            home.path(),
            &said,
            &["--question", "what-is-ecs", "--correct", correct],
        )
    };
    let plain = heard("false")?;
    assert!(
        plain["text"].as_str().unwrap_or_default().contains("a PI"),
        "{plain}"
    );
    let corrected = heard("true")?;
    assert!(
        words(&corrected).contains(&("API".to_owned(), Some("a PI".to_owned()))),
        "{corrected}"
    );
    Ok(())
}

/// A bank about the LibriVox clip "He was not an ill-disposed young man", which tiny.en writes
/// "He was not an old-sposed young man", unsure of "old-sposed" (p 0.24).
const NOVEL_BANK: &str = r#"
deck = "Novels"
category = "austen"
time_limit_s = 60

[[question]]
id = "dashwood"
question = "What was John Dashwood like?"
answer = "He was not an ill-disposed young man, unless to be rather cold-hearted and rather selfish is to be ill-disposed."
key_points = [
  { point = "ill-disposed" },
  { point = "young man" },
]
"#;

/// Real speech, a word whisper was unsure of where a key point is said: the point is reported
/// "not clearly heard" with the words heard, not missed, the score leaves it out, and the review
/// marks it. Scored by words alone (a models folder without the embedder), so that words decide.
#[test]
#[ignore = "needs the tiny.en model and speech clips: scripts/test runs it"]
fn a_point_whisper_was_unsure_of_is_not_clearly_heard_and_not_held_against_the_score() -> TestResult
{
    let _turn = whisper_turn();
    let home = tempfile::tempdir()?;
    let models = home.path().join("models");
    std::fs::create_dir(&models)?;
    std::os::unix::fs::symlink(model_file(), models.join("ggml-tiny.en.bin"))?;
    let bank = home.path().join("novel.toml");
    std::fs::write(&bank, NOVEL_BANK)?;
    let wav = clip("librivox-0880.wav");
    // Greedy decoding, where whisper still writes "old-sposed" for "ill-disposed", unsure of it: the
    // default beam of 5 hears the word right with this bank's prompt.
    let with_bank = || {
        let mut cmd = rehearse(home.path());
        cmd.arg("--models-dir")
            .arg(&models)
            .arg("--bank")
            .arg(&bank)
            .args(["--beam-size", "1"]);
        cmd
    };
    let out = run_json(
        with_bank()
            .args(["practice", "dashwood", "--wav"])
            .arg(&wav)
            .arg("--json"),
    )?;
    let answer = &out["answers"][0];
    let point = &answer["key_points"][0];
    assert_eq!(point["status"], "unclear", "{answer}");
    let heard = point["heard"].as_str().unwrap_or_default();
    assert!(heard.contains("sposed"), "{heard}");
    assert!(point["at_s"].as_f64().is_some_and(|at| at < 2.0), "{point}");
    assert_eq!(answer["key_points"][1]["status"], "hit", "{answer}");
    // The one point heard clearly is all of the key points' part of the score.
    assert_eq!(answer["signals"]["key_points"], 1.0, "{answer}");
    let suggestion = answer["suggestion"].as_str().unwrap_or_default();
    assert!(suggestion.contains("not clearly heard"), "{suggestion}");

    let review = with_bank()
        .args(["review", "latest", "--format", "md"])
        .output()?;
    let review = String::from_utf8(review.stdout)?;
    assert!(
        review.contains(&format!(
            "- ? ill-disposed — not clearly heard: heard “{heard}”"
        )),
        "{review}"
    );
    assert!(review.contains(&format!("{heard}(?)")), "{review}");
    Ok(())
}
