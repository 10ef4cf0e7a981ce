//! `rehearse say [TEXT] [--question ID] [--out F.wav] [--json]`: the interviewer's voice on its
//! own, to hear it, to script it, and to measure it (`--json`: the words as said, how long the
//! speech is, how long it took to make, and when its first sentence was ready, from the
//! command's start). The bank's glossary says how its terms are said, as in a session: the
//! bank is read for `--question`, or when `--bank` names one.

use std::io::Cursor;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::bank::BankOrigin;
use crate::cli::SayArgs;
use crate::config::Config;
use crate::error::{Interrupted, UsageError};
use crate::voice;
use crate::voice::playback::Player;
use crate::voice::speech::{self, Flow, Spoken};
use crate::{interrupt, ui};

pub fn run(config: &Config, args: &SayArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let bank = match (&args.question, explicit_bank(config)) {
        (None, false) => None,
        _ => Some(super::load_bank(config)?),
    };
    let text = match (&args.text, &args.question, &bank) {
        (_, Some(id), Some(bank)) => bank.find(id)?.question.clone(),
        (Some(text), _, _) => text.clone(),
        _ => String::new(),
    };
    if text.trim().is_empty() {
        return Err(
            UsageError::new("there is nothing to say: give a text, or --question ID").into(),
        );
    }
    interrupt::install()?;
    let chosen = voice::choose(&config.voice, &config.models_dir, args.seed);
    if let Some(notice) = &chosen.notice {
        ui::warn(config, notice);
    }
    let mut voice = chosen.voice;
    let rate = voice.sample_rate();
    let mut stop = interrupt::requested;
    let glossary = bank.map(|bank| bank.glossary.clone()).unwrap_or_default();
    let (spoken, wrote) = match &args.out {
        Some(path) => {
            let mut audio = Vec::new();
            let spoken = speech::speak(voice.as_mut(), &text, &glossary, &mut |chunk| {
                audio.extend_from_slice(chunk);
                Ok(if stop() { Flow::Stop } else { Flow::Continue })
            })?;
            crate::fsutil::write_atomic(path, &wav_bytes(&audio, rate)?)?;
            (spoken, Some(path))
        }
        None => {
            let mut player: Option<Player> = None;
            let spoken = speech::speak(voice.as_mut(), &text, &glossary, &mut |chunk| {
                if player.is_none() {
                    player = Some(Player::open().context(
                        "nothing can be played here; write the speech to a file with --out F.wav",
                    )?);
                }
                match &mut player {
                    Some(player) => player.play(chunk, rate, &mut stop),
                    None => Ok(Flow::Stop),
                }
            })?;
            if let (Some(player), false) = (&mut player, spoken.stopped) {
                player.finish(&mut stop);
            }
            (spoken, None)
        }
    };
    if spoken.stopped {
        return Err(Interrupted.into());
    }
    report(config, voice.as_ref(), &spoken, started, wrote)?;
    Ok(ExitCode::SUCCESS)
}

fn report(
    config: &Config,
    voice: &dyn voice::Voice,
    spoken: &Spoken,
    started: Instant,
    wrote: Option<&std::path::PathBuf>,
) -> Result<()> {
    let round3 = |s: f64| (s * 1000.0).round() / 1000.0;
    let first_audio_s = spoken
        .first_audio
        .map(|at| round3(at.duration_since(started).as_secs_f64()));
    if config.json {
        return ui::print_json(&serde_json::json!({
            "voice": voice.name(),
            "engine": voice.engine().label(),
            "said": spoken.said,
            "sample_rate": spoken.sample_rate,
            "duration_s": round3(spoken.duration_s),
            "synth_s": round3(spoken.synth_s),
            "first_audio_s": first_audio_s,
        }));
    }
    let made = format!(
        "{} ({}): {:.1} s of speech, made in {:.2} s",
        voice.name(),
        voice.engine().label(),
        spoken.duration_s,
        spoken.synth_s
    );
    match wrote {
        Some(path) => ui::note(config, &format!("Wrote {}: {made}", path.display())),
        None => ui::note(config, &format!("Said with {made}")),
    }
    Ok(())
}

/// Whether `--bank` (or `REHEARSE_BANK`) names the bank: its glossary is then used for any text.
fn explicit_bank(config: &Config) -> bool {
    config
        .banks
        .iter()
        .any(|bank| bank.origin == BankOrigin::Explicit)
}

/// Mono 16-bit PCM WAV bytes.
fn wav_bytes(audio: &[f32], rate: u32) -> Result<Vec<u8>> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut bytes, spec)?;
    for sample in audio {
        writer.write_sample((sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16)?;
    }
    writer.finalize()?;
    Ok(bytes.into_inner())
}
