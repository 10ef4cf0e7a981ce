//! The interviewer's voice: `rehearse say` with the neural voice and without it, Piper's ids from
//! the real voice config, and every bundled question spoken by the voice and heard back by the
//! project's own whisper.

use std::collections::BTreeSet;
use std::path::Path;

use predicates::str::contains;
use serde_json::Value;

use crate::TestResult;
use crate::cli::rehearse;
use crate::whisper::{models_dir, with_model};

const NEEDS_VOICE: &str = "en_US-joe-medium.onnx";

pub fn voice_model() -> std::path::PathBuf {
    let path = models_dir().join(NEEDS_VOICE);
    assert!(
        path.is_file(),
        "{} is missing: run `rehearse model fetch` (scripts/test does)",
        path.display()
    );
    path
}

#[test]
fn say_with_nothing_to_say_is_bad_usage() -> TestResult {
    let home = tempfile::tempdir()?;
    rehearse(home.path())
        .args(["say", ""])
        .assert()
        .code(2)
        .stderr(contains("nothing to say"));
    rehearse(home.path()).args(["say"]).assert().code(2);
    rehearse(home.path())
        .args(["say", "--question", "no-such-question"])
        .assert()
        .code(2);
    Ok(())
}

#[test]
#[ignore = "needs espeak-ng: scripts/test runs it"]
fn without_the_voice_model_espeak_ng_speaks_and_says_so_once() -> TestResult {
    let home = tempfile::tempdir()?;
    let empty = tempfile::tempdir()?;
    let out = home.path().join("hello.wav");
    let assert = rehearse(home.path())
        .arg("--models-dir")
        .arg(empty.path())
        .args(["say", "Tell me about a time you led a project. Thank you."])
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .assert()
        .success();
    let output = assert.get_output();
    let said: Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(said["engine"], "espeak-ng");
    assert_eq!(said["voice"], "espeak");
    assert!(said["duration_s"].as_f64().unwrap_or(0.0) > 1.0, "{said}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.matches("rehearse model fetch").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("espeak-ng"), "{stderr}");
    let wav = hound::WavReader::open(&out)?;
    assert_eq!(wav.spec().sample_rate, 22_050);
    assert!(wav.duration() > 22_050);
    Ok(())
}

#[test]
#[ignore = "needs the voice en_US-joe-medium and espeak-ng: scripts/test runs it"]
fn ids_of_a_real_sentence_as_worked_out_by_hand_from_the_voice_config() -> TestResult {
    use rehearse::voice::phonemes;
    use rehearse::voice::piper::PiperConfig;
    use rehearse::voice::sentences;

    let config = std::fs::read_to_string(rehearse::voice::config_path(&voice_model()))?;
    let config = PiperConfig::parse(&config)?;
    let sentence = &sentences::split("Tell me?")[0];
    let phonemes = phonemes::of_sentence(sentence)?;
    assert_eq!(phonemes.iter().collect::<String>(), "tˈɛl mˌiː?");
    let (ids, missing) = config.ids(&phonemes);
    // In en_US-joe-medium.onnx.json: _ 0, ^ 1, $ 2, space 3, ? 13, i 21, l 24, m 25, t 32,
    // ɛ 61, ˈ 120, ˌ 121, ː 122.
    assert_eq!(
        ids,
        vec![
            1, 0, 32, 0, 120, 0, 61, 0, 24, 0, 3, 0, 25, 0, 121, 0, 21, 0, 122, 0, 13, 0, 2
        ]
    );
    assert!(missing.is_empty());
    Ok(())
}

/// The words of a question that carry it: longer than four letters, or written in capitals
/// (ECS, IAM), in lower case.
fn key_words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.len() > 4
                || (w.len() > 1
                    && w.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        })
        .map(str::to_lowercase)
        .collect()
}

fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
#[ignore = "needs the voice en_US-joe-medium, the tiny.en model and espeak-ng: scripts/test runs it"]
fn every_bundled_question_spoken_is_heard_back_by_whisper() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    voice_model();
    let home = tempfile::tempdir()?;
    let (mut heard_keys, mut all_keys) = (0, 0);
    for (id, text) in &bundled_questions(home.path())? {
        let (id, text) = (id.as_str(), text.as_str());
        let wav = home.path().join(format!("{id}.wav"));
        let said = with_model(home.path())
            .args(["say", "--question", id, "--json", "--out"])
            .arg(&wav)
            .output()?;
        assert!(
            said.status.success(),
            "{}",
            String::from_utf8_lossy(&said.stderr)
        );
        let said: Value = serde_json::from_slice(&said.stdout)?;
        assert_eq!(said["engine"], "piper", "{said}");
        let heard = transcribe(home.path(), &wav)?;
        let keys = key_words(text);
        let got = words(&heard);
        let missed: Vec<&String> = keys.iter().filter(|k| !got.contains(*k)).collect();
        // Each question is understood: at most two of its key words misheard (whisper tiny.en
        // heard "Amazon ECS" as "anazony C.S" once in the 24).
        assert!(
            missed.len() <= 2,
            "{id}: {text:?} heard as {heard:?}, missed {missed:?}"
        );
        heard_keys += keys.len() - missed.len();
        all_keys += keys.len();
    }
    assert!(
        heard_keys * 100 >= all_keys * 90,
        "{heard_keys} of {all_keys} key words heard"
    );
    Ok(())
}

#[test]
#[ignore = "needs the voice en_US-joe-medium, espeak-ng and /usr/bin/time: scripts/test runs it"]
fn the_longest_question_is_said_in_less_than_300_mb() -> TestResult {
    voice_model();
    let home = tempfile::tempdir()?;
    let questions = bundled_questions(home.path())?;
    let longest = questions
        .iter()
        .max_by_key(|(_, text)| text.len())
        .ok_or_else(|| anyhow::anyhow!("no questions"))?;
    let wav = home.path().join("longest.wav");
    let mut cmd = std::process::Command::new("/usr/bin/time");
    cmd.args(["-f", "max-rss-kb %M"])
        .arg(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--models-dir")
        .arg(models_dir())
        .args(["say", "--question", &longest.0, "--json", "--out"])
        .arg(&wav);
    let out = crate::cli::in_clean_env(assert_cmd::Command::from_std(cmd), home.path()).output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said = json_of(&out)?;
    // One sentence of about 7 s: made by the model at once, it took 308 MB (and one of 8.5 s,
    // 368 MB; MB as GNU time's kB / 1024).
    assert!(said["duration_s"].as_f64() > Some(6.0), "{said}");
    let kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("max-rss-kb "))
        .and_then(|kb| kb.trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no memory figure: {stderr}"))?;
    assert!(kb < 300 * 1024, "{:?} took {} MB", longest.1, kb / 1024);
    Ok(())
}

/// The bundled questions' ids and texts.
fn bundled_questions(home: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let listed = json_of(&with_model(home).args(["questions", "--json"]).output()?)?;
    let text = |q: &Value, field: &str| q[field].as_str().unwrap_or_default().to_owned();
    Ok(listed
        .as_array()
        .map(|questions| {
            questions
                .iter()
                .map(|q| (text(q, "id"), text(q, "question")))
                .collect()
        })
        .unwrap_or_default())
}

/// The JSON a command printed, once it succeeded.
fn json_of(out: &std::process::Output) -> anyhow::Result<Value> {
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn transcribe(home: &Path, wav: &Path) -> anyhow::Result<String> {
    let out = with_model(home)
        .args(["--prompt-style", "none", "transcribe", "--json"])
        .arg(wav)
        .output()?;
    Ok(json_of(&out)?["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// A one-question bank about Fargate, with a `[glossary]` table when `said` is given.
fn fargate_bank(dir: &Path, said: Option<&str>) -> anyhow::Result<std::path::PathBuf> {
    let mut toml = String::from(
        "deck = \"Containers\"\ncategory = \"containers\"\n\n[[question]]\nid = \"why-fargate\"\n\
         question = \"Why would you run ECS tasks on Fargate?\"\nanswer = \"No servers to manage.\"\n\
         key_points = [\"no servers\"]\n",
    );
    if let Some(said) = said {
        toml.push_str(&format!("\n[glossary]\nFargate = \"{said}\"\n"));
    }
    let path = dir.join(if said.is_some() {
        "glossary.toml"
    } else {
        "plain.toml"
    });
    std::fs::write(&path, toml)?;
    Ok(path)
}

#[test]
#[ignore = "needs espeak-ng: scripts/test runs it"]
fn a_banks_glossary_changes_how_the_voice_says_its_terms() -> TestResult {
    let home = tempfile::tempdir()?;
    let say = |bank: &Path, wav: &Path| -> anyhow::Result<Value> {
        let out = rehearse(home.path())
            .args(["--voice", "espeak", "--bank"])
            .arg(bank)
            .args(["say", "--question", "why-fargate", "--json", "--out"])
            .arg(wav)
            .output()?;
        json_of(&out)
    };
    let (plain_wav, said_wav) = (home.path().join("plain.wav"), home.path().join("said.wav"));
    let plain = say(&fargate_bank(home.path(), None)?, &plain_wav)?;
    let said = say(&fargate_bank(home.path(), Some("far gate"))?, &said_wav)?;
    assert_eq!(
        plain["said"], "Why would you run E C S tasks on Fargate?",
        "{plain}"
    );
    assert_eq!(
        said["said"], "Why would you run E C S tasks on far gate?",
        "{said}"
    );
    assert_ne!(std::fs::read(&plain_wav)?, std::fs::read(&said_wav)?);
    // The glossary of a bank named with --bank also says free text its way.
    let free = rehearse(home.path())
        .args(["--voice", "espeak", "--bank"])
        .arg(fargate_bank(home.path(), Some("far gate"))?)
        .args(["say", "Fargate, then.", "--json", "--out"])
        .arg(home.path().join("free.wav"))
        .output()?;
    let free: Value = serde_json::from_slice(&free.stdout)?;
    assert_eq!(free["said"], "far gate, then.", "{free}");
    Ok(())
}

/// The transcript of the one answer of a `practice --json` run.
fn answered(out: &std::process::Output) -> anyhow::Result<String> {
    Ok(json_of(out)?["answers"][0]["transcript"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

#[test]
#[ignore = "needs pulseaudio, the voice en_US-joe-medium and the tiny.en model: scripts/test runs it"]
fn the_recording_after_a_spoken_question_holds_none_of_its_words() -> TestResult {
    let _turn = crate::whisper::whisper_turn();
    voice_model();
    let room = crate::room::Room::start()?;
    let home = tempfile::tempdir()?;
    let question = "What is Amazon Elastic Container Service?";
    let keys = key_words(question);

    // The room carries the voice to the microphone: the question said during an answer is
    // heard in it.
    let mut answering = room
        .rehearse(home.path())
        .args(["practice", "what-is-ecs", "--time-limit", "8", "--no-save"])
        .arg("--json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    crate::room::wait_for_stderr(
        &mut answering,
        "speak now",
        std::time::Duration::from_secs(60),
    )?;
    let said = room
        .rehearse(home.path())
        .args(["say", "--question", "what-is-ecs"])
        .output()?;
    assert!(said.status.success(), "{said:?}");
    let overheard = answered(&answering.wait_with_output()?)?;
    assert!(
        keys.iter()
            .filter(|k| words(&overheard).contains(*k))
            .count()
            >= 2,
        "the room does not carry the voice: {overheard:?}"
    );

    // Asked aloud, the question is over before the recording starts.
    let out = room
        .rehearse(home.path())
        .args(["practice", "what-is-ecs", "--speak", "--time-limit", "6"])
        .args(["--no-save", "--json"])
        .output()?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("not read aloud") && !stderr.contains("instead"),
        "the neural voice speaks: {stderr}"
    );
    let heard = answered(&out)?;
    let leaked: Vec<&String> = keys.iter().filter(|k| words(&heard).contains(*k)).collect();
    assert!(leaked.is_empty(), "{leaked:?} in the recording: {heard:?}");
    Ok(())
}

#[test]
#[ignore = "needs pulseaudio, tmux and the voice en_US-joe-medium: scripts/test runs it"]
fn enter_while_the_interviewer_speaks_skips_to_the_answer_and_the_terminal_is_restored()
-> TestResult {
    voice_model();
    let room = crate::room::Room::start()?;
    let home = tempfile::tempdir()?;
    let env = format!(
        "{} REHEARSE_MODELS_DIR='{}'",
        room.shell_env(),
        models_dir().display()
    );
    // The longest bundled question: about 8 s of speech.
    let practice = crate::tty::rehearse_line(
        home.path(),
        &env,
        "practice govcloud-cui --speak --type --no-save --json",
    );
    let term = crate::tty::Tmux::run_script(
        &format!(
            "{practice} >/dev/null; echo EXIT=$?; echo AFTER $(stty -a | tr ' ;' '\\n\\n' | \
             grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '); sleep 120"
        ),
        (100, 40),
    )?;
    term.wait_for("Unclassified")?;
    let pressed = std::time::Instant::now();
    term.keys(&["Enter"])?;
    term.wait_for("Type your answer")?;
    let skipped_after = pressed.elapsed().as_secs_f64();
    assert!(
        skipped_after < 6.0,
        "the answer came {skipped_after:.1} s after Enter: the question was not skipped"
    );
    term.type_line("ECS runs in the GovCloud regions")?;
    term.keys(&["Enter"])?;
    let screen = term.wait_for("AFTER")?;
    assert!(screen.contains("EXIT=0"), "{screen}");
    assert!(screen.contains("AFTER icanon echo"), "{screen}");
    Ok(())
}
