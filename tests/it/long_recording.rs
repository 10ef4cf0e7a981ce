//! A long recording is transcribed in bounded memory: it is read a second at a time, and only
//! the phrase being heard is held.

use std::io::Write;
use std::process::Command;

use crate::TestResult;
use crate::cli::in_clean_env;
use crate::whisper::models_dir;

/// A WAV header for `seconds` of 16 kHz mono 16-bit audio; the samples follow as zeros.
fn silent_wav(path: &std::path::Path, seconds: u32) -> anyhow::Result<()> {
    let data = seconds * 16_000 * 2;
    let mut file = std::fs::File::create(path)?;
    file.write_all(b"RIFF")?;
    file.write_all(&(36 + data).to_le_bytes())?;
    file.write_all(b"WAVEfmt ")?;
    file.write_all(&16u32.to_le_bytes())?;
    file.write_all(&1u16.to_le_bytes())?; // PCM
    file.write_all(&1u16.to_le_bytes())?; // mono
    file.write_all(&16_000u32.to_le_bytes())?;
    file.write_all(&32_000u32.to_le_bytes())?; // bytes per second
    file.write_all(&2u16.to_le_bytes())?; // bytes per frame
    file.write_all(&16u16.to_le_bytes())?;
    file.write_all(b"data")?;
    file.write_all(&data.to_le_bytes())?;
    // Zeros, without writing them: a sparse file.
    file.set_len(44 + u64::from(data))?;
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model and /usr/bin/time: scripts/test runs it"]
fn two_hours_are_transcribed_in_less_than_400_mb() -> TestResult {
    let home = tempfile::tempdir()?;
    let wav = home.path().join("two-hours.wav");
    silent_wav(&wav, 2 * 3600)?;
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "max-rss-kb %M"])
        .arg(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--models-dir")
        .arg(models_dir())
        .arg("transcribe")
        .arg(&wav);
    let out = in_clean_env(assert_cmd::Command::from_std(cmd), home.path()).output()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("no speech detected"), "{stderr}");
    let kb: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("max-rss-kb "))
        .and_then(|kb| kb.trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no memory figure: {stderr}"))?;
    assert!(kb < 400_000, "2 h of audio took {} MB", kb / 1000);
    Ok(())
}
