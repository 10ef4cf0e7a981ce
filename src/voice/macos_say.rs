//! macOS's own `say`: the system voice where espeak-ng is usually missing.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use super::sentences::Sentence;
use super::{Engine, Voice, espeak};

/// The rate `say` is asked to write at.
const RATE: u32 = 22_050;

#[derive(Debug, Default)]
pub struct MacSay;

impl Voice for MacSay {
    fn name(&self) -> &str {
        "say"
    }

    fn engine(&self) -> Engine {
        Engine::MacSay
    }

    fn sample_rate(&self) -> u32 {
        RATE
    }

    fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>> {
        let dir = tempfile::tempdir()?;
        let wav = dir.path().join("sentence.wav");
        let status = Command::new("say")
            .args([
                "--file-format=WAVE",
                &format!("--data-format=LEI16@{RATE}"),
                "-o",
            ])
            .arg(&wav)
            .arg(sentence.text())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .context("cannot run say")?;
        if !status.success() {
            bail!("say failed ({status})");
        }
        espeak::read_wav(&wav, RATE)
    }
}
