//! espeak-ng, the formant voice every Linux has, and the program that gives the Piper voice its
//! phonemes. espeak-ng is GPL-3: rehearse runs its program and never links its library.

use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};

use super::sentences::Sentence;
use super::{Engine, Voice};

const PROGRAM: &str = "espeak-ng";

/// The language voice espeak-ng speaks and phonemises with.
pub const LANGUAGE: &str = "en-us";

/// Run espeak-ng with `args`, `input` on its standard input; its standard output.
pub fn run(args: &[&str], input: &str) -> Result<Vec<u8>> {
    let mut child = Command::new(PROGRAM)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| match err.kind() {
            ErrorKind::NotFound => anyhow!(
                "espeak-ng is not installed; it speaks, and gives the neural voice its phonemes\n  \
                 Install it with: sudo apt-get install -y espeak-ng"
            ),
            _ => anyhow!("cannot run espeak-ng: {err}"),
        })?;
    // espeak-ng reads all of its input before it writes, so writing first cannot deadlock.
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .context("cannot write to espeak-ng")?;
    }
    let output = child
        .wait_with_output()
        .context("espeak-ng did not finish")?;
    if !output.status.success() {
        bail!(
            "espeak-ng failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The espeak-ng voice.
#[derive(Debug, Default)]
pub struct Espeak;

impl Voice for Espeak {
    fn name(&self) -> &str {
        "espeak"
    }

    fn engine(&self) -> Engine {
        Engine::EspeakNg
    }

    fn sample_rate(&self) -> u32 {
        // espeak-ng's voices all speak at this rate.
        22_050
    }

    fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>> {
        let dir = tempfile::tempdir()?;
        let wav = dir.path().join("sentence.wav");
        // `-w FILE` rather than `--stdout`, whose WAV header carries placeholder sizes.
        let file = wav.to_string_lossy();
        run(&["-v", LANGUAGE, "-w", &file, "--stdin"], &sentence.text())?;
        read_wav(&wav, self.sample_rate())
    }
}

/// A mono 16-bit WAV at `rate` that a speech program wrote, as samples in [-1, 1].
pub fn read_wav(path: &Path, rate: u32) -> Result<Vec<f32>> {
    let mut reader = hound::WavReader::open(path)
        .with_context(|| format!("cannot read the speech in {}", path.display()))?;
    let spec = reader.spec();
    if spec.channels != 1 || spec.sample_rate != rate || spec.bits_per_sample != 16 {
        bail!(
            "the speech program wrote {} channel(s) at {} Hz, {} bits; expected mono at {rate} Hz, 16 bits",
            spec.channels,
            spec.sample_rate,
            spec.bits_per_sample
        );
    }
    reader
        .samples::<i16>()
        .map(|s| s.map(|s| f32::from(s) / 32_768.0))
        .collect::<Result<Vec<_>, _>>()
        .context("the speech file is cut short")
}
