//! Delivery on the timeline, on recordings built for the purpose: espeak-ng pieces at known
//! speeds and pitches joined with silences of known length (sox), transcribed by the real
//! tiny.en model, with every time checked against where the piece was put. Then the pictures:
//! the review's answer timeline and the progress page in headless Chromium, at desktop and phone
//! widths. And the norms from the user's config file.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::TestResult;
use crate::cli::rehearse;
use crate::review::headless;
use crate::session::sessions_dir;
use crate::whisper::{clip, librivox, sox, whisper_turn, with_model, write_wav};

/// Where whisper puts a word against where the piece starts: espeak-ng's first sound and
/// whisper's word timings differ by up to a few hundred milliseconds.
const TOLERANCE_S: f64 = 0.45;

/// sox's output options for what whisper takes: 16 kHz mono 16-bit.
const TO_16K: [&str; 8] = ["-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer"];

/// How espeak-ng says a piece.
#[derive(Debug, Clone, Copy)]
struct Voice {
    /// espeak-ng's -s (its own words a minute; measured speech runs about 1.3 times that).
    speed: u32,
    /// -g: extra gap between words, in 10 ms.
    gap: u32,
    /// -p: 0 to 99.
    pitch: u32,
    /// Pitch range 0 %: one flat note (SSML prosody).
    flat: bool,
}

const PLAIN: Voice = Voice {
    speed: 130,
    gap: 0,
    pitch: 50,
    flat: false,
};

enum Part<'a> {
    Say(&'a str, Voice),
    Silence(f64),
}

/// A recording made of parts, and where each part lies in it (seconds).
struct Built {
    path: PathBuf,
    spans: Vec<(f64, f64)>,
}

impl Built {
    fn start(&self, part: usize) -> f64 {
        self.spans[part].0
    }

    fn end(&self, part: usize) -> f64 {
        self.spans[part].1
    }

    fn length(&self) -> f64 {
        self.spans.last().map_or(0.0, |s| s.1)
    }
}

fn seconds(path: &Path) -> anyhow::Result<f64> {
    let reader = hound::WavReader::open(path)?;
    Ok(f64::from(reader.duration()) / f64::from(reader.spec().sample_rate))
}

/// Speak or pad each part into a 16 kHz WAV (speech trimmed of espeak-ng's own leading and
/// trailing silence, so a part's span is where its sound is), and join them.
fn build(dir: &Path, name: &str, parts: &[Part<'_>]) -> anyhow::Result<Built> {
    let mut files = Vec::new();
    let mut spans = Vec::new();
    let mut at = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let file = dir.join(format!("{name}-{i}.wav"));
        let file_arg = file.display().to_string();
        match part {
            Part::Say(text, voice) => {
                let raw = dir.join("espeak.wav");
                let said = if voice.flat {
                    format!("<speak><prosody range=\"0%\">{text}</prosody></speak>")
                } else {
                    (*text).to_owned()
                };
                let status = Command::new("espeak-ng")
                    .args(["-m", "-v", "en-us"])
                    .args(["-s", &voice.speed.to_string()])
                    .args(["-g", &voice.gap.to_string()])
                    .args(["-p", &voice.pitch.to_string()])
                    .arg("-w")
                    .arg(&raw)
                    .arg(said)
                    .status()
                    .map_err(|e| anyhow::anyhow!("espeak-ng is needed: scripts/setup ({e})"))?;
                anyhow::ensure!(status.success(), "espeak-ng failed on {text}");
                let raw = raw.display().to_string();
                // Speech trimmed of espeak-ng's leading and trailing silence.
                let trim = ["silence", "1", "0.01", "0.5%", "reverse"];
                sox(&[&["-R", &raw][..], &TO_16K, &[&file_arg], &trim, &trim].concat())?;
            }
            Part::Silence(length) => {
                let length = length.to_string();
                sox(&[&["-n"][..], &TO_16K, &[&file_arg, "trim", "0", &length]].concat())?;
            }
        }
        let length = seconds(&file)?;
        spans.push((at, at + length));
        at += length;
        files.push(file_arg);
    }
    let path = dir.join(format!("{name}.wav"));
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = path.display().to_string();
    args.push(&out);
    sox(&args)?;
    Ok(Built { path, spans })
}

/// An answer to what-is-ecs with a stretch of fillers, a 4 s silence, the key points, then
/// hedges: parts 1 (intro), 3 (fillers), 4 (silence), 5 (points), 7 (hedges).
fn coached_answer(dir: &Path) -> anyhow::Result<Built> {
    build(
        dir,
        "answer",
        &[
            Part::Silence(0.5),
            Part::Say(
                "So, this is something that I have used a lot at work, for several years now.",
                PLAIN,
            ),
            Part::Silence(0.3),
            Part::Say(
                "You know, I mean, it is, like, you know, hard to explain.",
                PLAIN,
            ),
            Part::Silence(4.0),
            Part::Say(
                "Fully managed container orchestration is what it does, and it runs Docker \
                 containers for you.",
                PLAIN,
            ),
            Part::Silence(0.3),
            Part::Say("I think it probably scales well, maybe.", PLAIN),
            Part::Silence(0.5),
        ],
    )
}

fn run_json(command: &mut assert_cmd::Command) -> anyhow::Result<Value> {
    let out = command.output()?;
    anyhow::ensure!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn near(value: &Value, expected: f64, tolerance: f64, what: &str) {
    let got = value.as_f64().unwrap_or(f64::NAN);
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: {got} is not within {tolerance} of {expected}"
    );
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn score_json_puts_fillers_pauses_hedges_and_the_first_point_where_they_were_said() -> TestResult {
    let home = tempfile::tempdir()?;
    let answer = coached_answer(home.path())?;
    let _turn = whisper_turn();
    let report = run_json(
        with_model(home.path())
            .args(["score", "what-is-ecs", "--json", "--wav"])
            .arg(&answer.path),
    )?;
    let d = &report["delivery"];
    eprintln!("{}", serde_json::to_string_pretty(d)?);
    let (fillers_from, fillers_to) = (answer.start(3), answer.end(3));

    let fillers = list(&d["fillers_at"]);
    assert!(fillers.len() >= 3, "{fillers:?}");
    near(
        &fillers[0]["at_s"],
        fillers_from,
        TOLERANCE_S,
        "first filler",
    );
    for filler in fillers {
        let at = filler["at_s"].as_f64().unwrap_or(f64::NAN);
        assert!(
            at > fillers_from - TOLERANCE_S && at < fillers_to,
            "a filler outside its piece: {filler}"
        );
    }
    let clusters = list(&d["filler_clusters"]);
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    near(
        &clusters[0]["start_s"],
        fillers_from,
        TOLERANCE_S,
        "cluster",
    );
    assert!(clusters[0]["count"].as_u64() >= Some(3));

    let pauses = list(&d["pauses"]);
    assert_eq!(pauses.len(), 1, "{pauses:?}");
    near(
        &pauses[0]["at_s"],
        answer.start(4),
        TOLERANCE_S,
        "pause start",
    );
    near(&pauses[0]["duration_s"], 4.0, TOLERANCE_S, "pause length");
    assert_eq!(d["long_pauses"], 1);

    let hedges = list(&d["hedges_at"]);
    let phrases: Vec<&str> = hedges.iter().filter_map(|h| h["phrase"].as_str()).collect();
    assert_eq!(phrases, ["I think", "probably", "maybe"]);
    near(
        &hedges[0]["at_s"],
        answer.start(7),
        TOLERANCE_S,
        "first hedge",
    );
    near(
        &d["first_point_s"],
        answer.start(5),
        TOLERANCE_S,
        "first key point",
    );

    // Steady speech at espeak-ng's 130: every stretch reads as ok.
    let pace = list(&d["pace"]);
    assert!(!pace.is_empty());
    assert!(pace.iter().all(|w| w["flag"] == "ok"), "{pace:?}");
    // espeak-ng's -p 50 measured 101 Hz by autocorrelation; its default intonation varies.
    let median = d["pitch"]["median_hz"].as_f64().unwrap_or(0.0);
    assert!((90.0..112.0).contains(&median), "{}", d["pitch"]);
    assert_eq!(d["pitch"]["monotone"], false);

    // The moment said, and the advice built on it.
    assert_eq!(d["moment"]["kind"], "filler_cluster");
    let moment = d["moment"]["text"].as_str().unwrap_or_default();
    assert!(moment.starts_with("at 0:0"), "{moment}");
    assert!(
        moment.contains("right after \"several years now\""),
        "{moment}"
    );
    let suggestion = report["suggestion"].as_str().unwrap_or_default();
    assert!(suggestion.contains(moment), "{suggestion}");
    Ok(())
}

/// `score what-is-ecs --json` of a built recording, heard by whisper.
fn score_recording(home: &Path, built: &Built) -> anyhow::Result<Value> {
    let _turn = whisper_turn();
    run_json(
        with_model(home)
            .args(["score", "what-is-ecs", "--json", "--wav"])
            .arg(&built.path),
    )
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn pace_follows_the_speed_each_stretch_was_spoken_at() -> TestResult {
    let home = tempfile::tempdir()?;
    let steady = Voice {
        speed: 125,
        ..PLAIN
    };
    let rushed = Voice {
        speed: 175,
        ..PLAIN
    };
    let slow = Voice {
        speed: 80,
        gap: 12,
        ..PLAIN
    };
    let built = build(
        home.path(),
        "pace",
        &[
            Part::Silence(0.5),
            Part::Say(
                "Amazon's container service runs your applications as tasks. You write a task \
                 definition that names the image, the memory and the ports, and the service \
                 keeps that many copies running. When one of them stops, it starts another in \
                 its place, and it can put them behind a load balancer.",
                steady,
            ),
            Part::Silence(0.3),
            Part::Say(
                "It keeps the right number of tasks running on your cluster, it replaces the ones \
                 that fail, it spreads them across the zones of a region, it talks to the load \
                 balancer for you, and it rolls out new versions of your service one batch at a \
                 time so that nothing goes down while you deploy a change to production, and when \
                 traffic grows it adds more tasks and when traffic falls it takes them away again.",
                rushed,
            ),
            Part::Silence(0.3),
            Part::Say(
                "That is why teams pick it when they want less work and fewer moving parts to \
                 look after every day.",
                slow,
            ),
            Part::Silence(0.5),
        ],
    )?;
    let report = score_recording(home.path(), &built)?;
    let pace = list(&report["delivery"]["pace"]);
    eprintln!("{pace:?}");
    // Each stretch that lies (80 % or more) within one piece has that piece's flag.
    let pieces = [(1, "ok"), (3, "rushed"), (5, "slow")];
    let mut judged = [0; 3];
    for window in pace {
        let (from, to) = (
            window["start_s"].as_f64().unwrap_or(0.0),
            window["end_s"].as_f64().unwrap_or(0.0),
        );
        for (n, (part, flag)) in pieces.iter().enumerate() {
            let inside = to.min(built.end(*part)) - from.max(built.start(*part));
            if inside >= 0.8 * (to - from) {
                assert_eq!(window["flag"], *flag, "{window} in piece {part}");
                judged[n] += 1;
            }
        }
    }
    assert!(
        judged.iter().all(|n| *n > 0),
        "a piece had no stretch: {pace:?}"
    );
    assert_eq!(report["delivery"]["moment"]["kind"], "rushed");
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn a_rushed_burst_inside_a_calm_answer_is_flagged_where_it_happens() -> TestResult {
    let home = tempfile::tempdir()?;
    // espeak-ng's 115 reads at about 150 words a minute, its 215 at about 280.
    let calm = Voice {
        speed: 115,
        ..PLAIN
    };
    let burst = Voice {
        speed: 215,
        ..PLAIN
    };
    let built = build(
        home.path(),
        "burst",
        &[
            Part::Silence(0.5),
            Part::Say(
                "Amazon's container service runs your applications as tasks. You write a task \
                 definition that names the image, the memory and the ports. The service then \
                 keeps that many copies running for you. When one of them stops, it starts \
                 another one in its place.",
                calm,
            ),
            Part::Silence(0.3),
            Part::Say(
                "It spreads the tasks across the zones of a region, it talks to the load balancer \
                 for you, and it rolls out new versions one batch at a time so that nothing goes \
                 down while you deploy a change.",
                burst,
            ),
            Part::Silence(0.3),
            Part::Say(
                "So you can think of it as the part that looks after your containers. You say \
                 what should run, and it makes sure that it does.",
                calm,
            ),
            Part::Silence(0.5),
        ],
    )?;
    let report = score_recording(home.path(), &built)?;
    let pace = list(&report["delivery"]["pace"]);
    eprintln!(
        "burst {:.2}–{:.2} s: {pace:?}",
        built.start(3),
        built.end(3)
    );
    let burst_s = built.end(3) - built.start(3);
    assert!(
        (7.0..13.0).contains(&burst_s),
        "the burst lasts {burst_s} s"
    );
    // Stretches that lie mostly (two thirds or more) within the burst are rushed, those within
    // the calm parts are not flagged. Not more: a stretch begins where whisper heard a phrase
    // begin, and tiny.en's word times drift by a second or two from the audio.
    let mut rushed = 0;
    for window in pace {
        let (from, to) = (
            window["start_s"].as_f64().unwrap_or(0.0),
            window["end_s"].as_f64().unwrap_or(0.0),
        );
        let within = |part: usize| {
            to.min(built.end(part)) - from.max(built.start(part)) >= (to - from) * 2.0 / 3.0
        };
        if within(3) {
            assert_eq!(window["flag"], "rushed", "{window}");
            assert!(window["wpm"].as_f64() > Some(230.0), "{window}");
            rushed += 1;
        }
        if within(1) || within(5) {
            assert_eq!(window["flag"], "ok", "{window}");
        }
    }
    assert!(rushed > 0, "no stretch within the burst: {pace:?}");
    // The moment to work on is the burst, said where it happens.
    let moment = &report["delivery"]["moment"];
    assert_eq!(moment["kind"], "rushed", "{moment}");
    // Within a sentence of it: the stretch can begin with the calm sentence before the burst
    // when whisper hears no phrase end between them (a 0.3 s breath, no full stop).
    near(&moment["at_s"], built.start(3), 3.0, "the rushed moment");
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn pitch_follows_espeak_settings_and_only_a_flat_voice_is_monotone() -> TestResult {
    let home = tempfile::tempdir()?;
    let text = "Amazon ECS is a fully managed container orchestration service. It runs Docker \
                containers and scales them for you.";
    let pitch_of = |wav: &Path| -> anyhow::Result<Value> {
        let _turn = whisper_turn();
        let report = run_json(
            with_model(home.path())
                .args(["score", "what-is-ecs", "--json", "--wav"])
                .arg(wav),
        )?;
        Ok(report["delivery"]["pitch"].clone())
    };
    // Medians of espeak-ng's en-us voice at -p 20, 50 and 80, measured independently (plain
    // autocorrelation over 40 ms frames): 80, 102 and 138 Hz.
    let mut medians = Vec::new();
    for (setting, expected) in [(20, 80.0), (50, 102.0), (80, 138.0)] {
        let voice = Voice {
            pitch: setting,
            ..PLAIN
        };
        let built = build(
            home.path(),
            &format!("p{setting}"),
            &[Part::Say(text, voice)],
        )?;
        let pitch = pitch_of(&built.path)?;
        let median = pitch["median_hz"].as_f64().unwrap_or(0.0);
        assert!(
            (median / expected - 1.0).abs() < 0.1,
            "-p {setting}: {pitch} against {expected} Hz"
        );
        assert_eq!(pitch["monotone"], false, "-p {setting}: {pitch}");
        medians.push(median);
    }
    assert!(medians.windows(2).all(|m| m[0] < m[1]), "{medians:?}");

    let flat = Voice {
        flat: true,
        ..PLAIN
    };
    let built = build(home.path(), "flat", &[Part::Say(text, flat)])?;
    let pitch = pitch_of(&built.path)?;
    assert_eq!(pitch["monotone"], true, "{pitch}");
    assert!(pitch["spread_semitones"].as_f64() < Some(1.5), "{pitch}");

    // A human reader (the five LibriVox sentences) moves a good deal more.
    let (samples, _) = librivox()?;
    let reader = home.path().join("librivox.wav");
    write_wav(&reader, &samples)?;
    let pitch = pitch_of(&reader)?;
    assert_eq!(pitch["monotone"], false, "{pitch}");
    assert!(pitch["spread_semitones"].as_f64() > Some(4.5), "{pitch}");
    let median = pitch["median_hz"].as_f64().unwrap_or(0.0);
    assert!((80.0..115.0).contains(&median), "{pitch}");
    // JFK, raised voice at a rally: a high median, far from monotone.
    let pitch = pitch_of(&clip("jfk.wav"))?;
    assert_eq!(pitch["monotone"], false, "{pitch}");
    Ok(())
}

/// A timed transcript of `n` words spoken evenly from 0 to `seconds`.
fn even_transcript(n: usize, seconds: f64) -> Value {
    let step = seconds / n as f64;
    let words: Vec<Value> = (0..n)
        .map(|i| {
            let start = (i as f64 * step * 100.0).round() / 100.0;
            serde_json::json!({"word": " word", "start_s": start,
                               "end_s": start + step * 0.8, "p": 0.9})
        })
        .collect();
    let text = vec!["word"; n].join(" ");
    serde_json::json!({"model": "tiny.en", "duration_s": seconds, "text": text,
        "segments": [{"start_s": 0.0, "end_s": seconds, "text": text, "words": words}]})
}

#[test]
fn norms_from_the_config_file_change_the_flags_and_bad_ones_are_named() -> TestResult {
    let home = tempfile::tempdir()?;
    // 60 words in 24 s: 150 words a minute.
    let transcript = home.path().join("t.json");
    std::fs::write(&transcript, even_transcript(60, 24.0).to_string())?;
    let flags = || -> anyhow::Result<Vec<Value>> {
        let report = run_json(
            rehearse(home.path())
                .args(["score", "what-is-ecs", "--json", "--transcript"])
                .arg(&transcript),
        )?;
        Ok(list(&report["delivery"]["pace"])
            .iter()
            .map(|w| w["flag"].clone())
            .collect())
    };
    assert_eq!(flags()?, ["ok", "ok"]);

    let config = home.path().join("config").join("rehearse");
    std::fs::create_dir_all(&config)?;
    let file = config.join("config.toml");
    std::fs::write(&file, "[norms]\nfast_wpm = 140.0\npace_window_s = 8.0\n")?;
    assert_eq!(flags()?, ["rushed", "rushed", "rushed"]);

    for (norms, said) in [
        (
            "[norms]\nfast_wpm = 90.0\n",
            "slow_wpm (100) must be below fast_wpm (90)",
        ),
        ("[norms]\nfast_wmp = 190.0\n", "unknown field `fast_wmp`"),
        ("[norms]\nlong_pause_s = \"long\"\n", "invalid type"),
    ] {
        std::fs::write(&file, norms)?;
        let out = rehearse(home.path())
            .args(["score", "what-is-ecs", "--text", "ECS"])
            .output()?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(stderr.contains("[norms] in"), "{stderr}");
    }
    Ok(())
}

/// The page as headless Chromium sees it after its script ran, and the console's complaints.
fn dom(url: &str) -> anyhow::Result<(String, String)> {
    let profile = tempfile::tempdir()?;
    let out = headless(profile.path())?
        .arg("--dump-dom")
        .arg(url)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

/// Screenshots of the page at desktop and phone widths, checked to be real pictures; they stay
/// in `dir` to look at.
fn screenshots(url: &str, dir: &Path, name: &str) -> TestResult {
    for (width, height) in [(1280, 1100), (390, 2400)] {
        let profile = tempfile::tempdir()?;
        let shot = dir.join(format!("{name}-{width}.png"));
        let out = headless(profile.path())?
            .arg("--hide-scrollbars")
            .arg(format!("--window-size={width},{height}"))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(url)
            .output()?;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let png = std::fs::read(&shot)?;
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name} at {width}: {} bytes",
            png.len()
        );
    }
    Ok(())
}

/// Every `attribute="value"` in the markup.
fn attributes<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let key = format!("{attribute}=\"");
    html.match_indices(&key)
        .filter_map(|(i, _)| html[i + key.len()..].split('"').next())
        .collect()
}

#[test]
#[ignore = "needs the tiny.en model and Chromium: scripts/test runs it"]
fn a_spoken_answer_is_saved_with_its_timeline_and_shown_as_pictures() -> TestResult {
    let home = tempfile::tempdir()?;
    let answer = coached_answer(home.path())?;
    {
        let _turn = whisper_turn();
        let out = with_model(home.path())
            .args(["practice", "what-is-ecs", "--wav"])
            .arg(&answer.path)
            .output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The terminal summary says the moment, with its time.
        assert!(stdout.contains("▸ at 0:0"), "{stdout}");
        assert!(stdout.contains("pitch "), "{stdout}");
    }

    // The saved answer keeps the timeline, and review's JSON gives it back.
    let session = std::fs::read_dir(sessions_dir(home.path()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("session.json").is_file())
        .ok_or_else(|| anyhow::anyhow!("no session saved"))?;
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(session.join("session.json"))?)?;
    let saved = &record["answers"][0]["score"]["report"]["delivery"];
    assert_eq!(list(&saved["pauses"]).len(), 1, "{saved}");
    assert!(saved["pitch"]["median_hz"].as_f64() > Some(0.0));
    assert!(record["answers"][0]["transcript"]["pitch"].is_object());
    let review = run_json(rehearse(home.path()).args(["review", "--format", "json"]))?;
    assert_eq!(review["answers"][0]["delivery"], *saved);

    let page = home.path().join("review.html");
    rehearse(home.path())
        .args(["review", "--format", "html", "--output"])
        .arg(&page)
        .assert()
        .success();
    let url = format!("file://{}", page.display());
    let (html, console) = dom(&url)?;
    assert!(!console.contains("Uncaught"), "script errors: {console}");
    assert!(
        html.contains("data-audio=\"ready\""),
        "recording not loaded"
    );
    let kinds = attributes(&html, "data-kind");
    for kind in ["point", "filler", "hedge", "pause", "pace"] {
        assert!(kinds.contains(&kind), "no {kind} mark: {kinds:?}");
    }
    let times = attributes(&html, "data-at");
    assert_eq!(times.len(), kinds.len(), "every mark has its time");
    let length = answer.length();
    for at in &times {
        let at: f64 = at.parse()?;
        assert!(
            (0.0..=length).contains(&at),
            "a mark at {at} s of {length} s"
        );
    }
    let pause_at: Vec<&str> = html
        .match_indices("data-kind=\"pause\" data-at=\"")
        .filter_map(|(i, m)| html[i + m.len()..].split('"').next())
        .collect();
    assert_eq!(pause_at.len(), 1);
    let pause_at: f64 = pause_at[0].parse()?;
    assert!(
        (pause_at - answer.start(4)).abs() <= TOLERANCE_S,
        "{pause_at}"
    );
    screenshots(&url, home.path(), "review")?;

    // The progress page: a trend per question with a mark per attempt, delivery over time.
    let progress = home.path().join("progress.html");
    rehearse(home.path())
        .args(["history", "--format", "html", "--output"])
        .arg(&progress)
        .assert()
        .success();
    let url = format!("file://{}", progress.display());
    let (html, console) = dom(&url)?;
    assert!(!console.contains("Uncaught"), "{console}");
    assert!(html.contains("data-question=\"what-is-ecs\""), "{html}");
    assert_eq!(attributes(&html, "data-score").len(), 1);
    assert!(html.contains("data-trend=\"pace\"") && html.contains("data-trend=\"fillers\""));
    screenshots(&url, home.path(), "progress")?;
    Ok(())
}
