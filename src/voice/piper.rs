//! The Piper voice: a VITS model in ONNX run in the process by rten (pure Rust), with its JSON
//! config (sample rate, scales, phoneme → id map). The recipe is Piper's: phonemes from espeak-ng
//! (`phonemes`), ids `^ _ (ids _)… $`, the model's `input`, `input_lengths` and `scales`, each
//! sentence's audio scaled by its peak; a long sentence is made in pieces (`pieces`), each
//! scaled by its own.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail, ensure};
use rten::{Model, NodeId};
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, Tensor};
use serde::Deserialize;

use super::phonemes::Phonemiser;
use super::sentences::Sentence;
use super::{Engine, Voice, pieces};

/// The parts of a Piper voice config that synthesis uses.
#[derive(Debug, Clone, Deserialize)]
pub struct PiperConfig {
    pub audio: AudioConfig,
    pub inference: Scales,
    pub phoneme_id_map: HashMap<char, Vec<i32>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AudioConfig {
    pub sample_rate: u32,
}

/// VITS's randomness and speed: `noise_scale` (voice), `length_scale` (duration), `noise_w`
/// (timing).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Scales {
    pub noise_scale: f32,
    pub length_scale: f32,
    pub noise_w: f32,
}

const PAD: char = '_';
const BOS: char = '^';
const EOS: char = '$';

impl PiperConfig {
    pub fn parse(json: &str) -> Result<Self> {
        let config: Self = serde_json::from_str(json).context("not a Piper voice config")?;
        for special in [PAD, BOS, EOS] {
            ensure!(
                config.phoneme_id_map.contains_key(&special),
                "the voice config has no id for `{special}`"
            );
        }
        Ok(config)
    }

    /// Piper's ids for one sentence: `^`, a pad, then each phoneme's ids followed by a pad,
    /// then `$`. Phonemes the voice doesn't know are left out, as Piper does; they are returned
    /// too.
    pub fn ids(&self, phonemes: &[char]) -> (Vec<i32>, Vec<char>) {
        let map = &self.phoneme_id_map;
        let pad = &map[&PAD];
        let mut ids = map[&BOS].clone();
        ids.extend(pad);
        let mut missing = Vec::new();
        for phoneme in phonemes {
            match map.get(phoneme) {
                Some(found) => {
                    ids.extend(found);
                    ids.extend(pad);
                }
                None => missing.push(*phoneme),
            }
        }
        ids.extend(&map[&EOS]);
        (ids, missing)
    }
}

/// A Piper voice, loaded.
pub struct Piper {
    name: String,
    config: PiperConfig,
    model: Model,
    input: NodeId,
    lengths: NodeId,
    scales: NodeId,
    output: NodeId,
    phonemiser: Phonemiser,
    /// The noise's seed for each piece (VITS draws random noise; a fixed seed makes the
    /// same text sound the same every time).
    seed: u64,
}

impl std::fmt::Debug for Piper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Piper").field("name", &self.name).finish()
    }
}

/// The most phonemes the model makes at once: about 5 s of speech. Its memory grows with the
/// speech it makes in one go (about 35 MB a second, on top of the 63 MB of weights), so a longer
/// sentence is cut into pieces of at most this many (`pieces`).
pub const MAX_PHONEMES: usize = 100;

/// The seed of the noise when none is asked for.
pub const DEFAULT_SEED: u64 = 1;

impl Piper {
    /// Load `model` (.onnx) with its config (`model` + `.json`).
    pub fn load(name: &str, model_path: &Path, seed: u64) -> Result<Self> {
        let config_path = super::config_path(model_path);
        let json = std::fs::read_to_string(&config_path)
            .with_context(|| format!("cannot read the voice config {}", config_path.display()))?;
        let config = PiperConfig::parse(&json)?;
        let model = Model::load_file(model_path)
            .map_err(|err| anyhow!("cannot load the voice {}: {err}", model_path.display()))?;
        let node = |name: &str| {
            model
                .find_node(name)
                .ok_or_else(|| anyhow!("the voice model has no `{name}` node: not a Piper voice"))
        };
        Ok(Self {
            name: name.to_owned(),
            input: node("input")?,
            lengths: node("input_lengths")?,
            scales: node("scales")?,
            output: node("output")?,
            config,
            model,
            phonemiser: Phonemiser::default(),
            seed,
        })
    }

    fn synthesize(&self, ids: Vec<i32>) -> Result<Vec<f32>> {
        let n = ids.len();
        let input = NdTensor::from_data([1, n], ids);
        let lengths = NdTensor::from_data([1], vec![n as i32]);
        let s = self.config.inference;
        let scales = NdTensor::from_data([3], vec![s.noise_scale, s.length_scale, s.noise_w]);
        seed_noise(self.seed);
        let [audio] = self
            .model
            .run_n(
                vec![
                    (self.input, input.into()),
                    (self.lengths, lengths.into()),
                    (self.scales, scales.into()),
                ],
                [self.output],
                None,
            )
            .map_err(|err| anyhow!("the voice model failed: {err}"))?;
        let audio: Tensor<f32> = audio
            .try_into()
            .map_err(|err| anyhow!("the voice model gave no audio: {err:?}"))?;
        Ok(peak_scaled(audio.to_vec()))
    }
}

/// rten's random operators draw from the thread-local generator of the worker thread that runs
/// the graph; seeding every worker of rten's pool makes the draw the same each time.
fn seed_noise(seed: u64) {
    rten::thread_pool().run(|| {
        rayon::broadcast(|_| fastrand::seed(seed));
    });
}

/// Audio scaled so that its peak is full scale, as Piper does (a near-silent sentence is not
/// blown up: the peak counts as at least 0.01).
pub fn peak_scaled(mut audio: Vec<f32>) -> Vec<f32> {
    let peak = audio.iter().fold(0.0f32, |m, s| m.max(s.abs())).max(0.01);
    for s in &mut audio {
        *s = (*s / peak).clamp(-1.0, 1.0);
    }
    audio
}

impl Voice for Piper {
    fn name(&self) -> &str {
        &self.name
    }

    fn engine(&self) -> Engine {
        Engine::Piper
    }

    fn sample_rate(&self) -> u32 {
        self.config.audio.sample_rate
    }

    fn pieces(&mut self, sentence: &Sentence) -> Result<Vec<Sentence>> {
        let phonemiser = &mut self.phonemiser;
        phonemiser.forget();
        pieces::cut(sentence, MAX_PHONEMES, &mut |texts| {
            phonemiser.counts(texts)
        })
    }

    fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>> {
        let phonemes = self.phonemiser.of_sentence(sentence)?;
        let (ids, _missing) = self.config.ids(&phonemes);
        if ids.len() <= 3 {
            bail!("nothing to say in {:?}", sentence.text());
        }
        self.synthesize(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of `en_US-joe-medium.onnx.json` that the test sentence uses, as the file
    /// has them.
    const CONFIG: &str = r#"{
        "audio": {"sample_rate": 22050},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], ",": [8], "?": [13],
            "i": [21], "l": [24], "m": [25], "t": [32], "ɛ": [61],
            "ˈ": [120], "ˌ": [121], "ː": [122]}
    }"#;

    #[test]
    fn ids_as_worked_out_by_hand_from_the_config() {
        let config = PiperConfig::parse(CONFIG).expect("config");
        let phonemes: Vec<char> = "tˈɛl mˌiː?".chars().collect();
        let (ids, missing) = config.ids(&phonemes);
        // ^ _ t _ ˈ _ ɛ _ l _ ␠ _ m _ ˌ _ i _ ː _ ? _ $
        assert_eq!(
            ids,
            vec![
                1, 0, 32, 0, 120, 0, 61, 0, 24, 0, 3, 0, 25, 0, 121, 0, 21, 0, 122, 0, 13, 0, 2
            ]
        );
        assert!(missing.is_empty());
        let (ids, missing) = config.ids(&['t', 'ʘ']);
        assert_eq!(ids, vec![1, 0, 32, 0, 2]);
        assert_eq!(missing, vec!['ʘ']);
    }

    #[test]
    fn a_config_without_the_special_symbols_is_refused() {
        assert!(PiperConfig::parse(r#"{"audio": {"sample_rate": 1}, "inference": {"noise_scale": 1, "length_scale": 1, "noise_w": 1}, "phoneme_id_map": {"a": [1]}}"#).is_err());
        assert!(PiperConfig::parse("{}").is_err());
    }

    #[test]
    fn audio_is_scaled_by_its_peak() {
        let close = |got: Vec<f32>, want: &[f32]| {
            got.len() == want.len() && got.iter().zip(want).all(|(g, w)| (g - w).abs() < 1e-6)
        };
        assert!(close(peak_scaled(vec![0.25, -0.5, 0.1]), &[0.5, -1.0, 0.2]));
        // A near-silent sentence is not blown up to full scale.
        assert!(close(peak_scaled(vec![0.001, -0.002]), &[0.1, -0.2]));
    }
}
