//! The interviewer's voice. A [`Voice`] turns one sentence into audio; every engine has its own
//! file: the neural Piper voice (`piper`, run in the process), espeak-ng (`espeak`) and macOS's
//! `say` (`macos_say`). What they say is made ready here for all of them (`normalise`, then
//! `sentences`, and for the neural voice `pieces` of a long sentence), and [`speech`] runs a
//! voice piece by piece so that the first can play (`playback`) while the next is made.

pub mod espeak;
pub mod macos_say;
pub mod normalise;
pub mod numbers;
pub mod phonemes;
pub mod pieces;
pub mod piper;
pub mod playback;
pub mod sentences;
pub mod speaker;
pub mod speech;

use std::path::{Path, PathBuf};

use anyhow::Result;

pub use normalise::Glossary;
pub use speaker::{Said, Speaker};

use sentences::Sentence;

/// Which program or model makes the sound (`say --json`'s `engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Piper,
    EspeakNg,
    MacSay,
}

impl Engine {
    /// The engine's name as `say --json` gives it.
    pub fn label(self) -> &'static str {
        match self {
            Engine::Piper => "piper",
            Engine::EspeakNg => "espeak-ng",
            Engine::MacSay => "say",
        }
    }
}

/// A voice: one sentence in, its audio out (mono, samples in [-1, 1], at [`Voice::sample_rate`]).
pub trait Voice: Send {
    /// The name `--voice` takes for it.
    fn name(&self) -> &str;
    fn engine(&self) -> Engine;
    fn sample_rate(&self) -> u32;
    /// `sentence` cut into the pieces this voice makes one at a time (each is then given to
    /// [`Voice::sentence`]); most voices make a whole sentence at once.
    fn pieces(&mut self, sentence: &Sentence) -> Result<Vec<Sentence>> {
        Ok(vec![sentence.clone()])
    }
    fn sentence(&mut self, sentence: &Sentence) -> Result<Vec<f32>>;
}

/// The neural voice's name, as `--voice` and `model fetch` take it.
pub const NEURAL: &str = "en_US-joe-medium";
/// The system's own voice: espeak-ng (`say` on macOS).
pub const SYSTEM: &str = "espeak";

/// The names `--voice` takes.
pub const NAMES: [&str; 2] = [NEURAL, SYSTEM];

/// A Piper voice's config sits beside its model: `X.onnx` → `X.onnx.json`.
pub fn config_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_owned();
    name.push(".json");
    PathBuf::from(name)
}

/// The system's own voice.
pub fn system_voice() -> Box<dyn Voice> {
    if cfg!(target_os = "macos") {
        Box::new(macos_say::MacSay)
    } else {
        Box::new(espeak::Espeak)
    }
}

/// A voice ready to speak, and what the user should be told once about how it was chosen.
pub struct Chosen {
    pub voice: Box<dyn Voice>,
    pub notice: Option<String>,
}

impl std::fmt::Debug for Chosen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chosen")
            .field("voice", &self.voice.name())
            .field("notice", &self.notice)
            .finish()
    }
}

/// The voice named `name` (one of [`NAMES`]), its model in `models_dir`. Without the neural
/// voice's files (or when they don't load) the system voice speaks, with a notice that says so
/// and how to get the natural one.
pub fn choose(name: &str, models_dir: &Path, seed: u64) -> Chosen {
    if name != NEURAL {
        return Chosen {
            voice: system_voice(),
            notice: None,
        };
    }
    let model = models_dir.join(format!("{NEURAL}.onnx"));
    let fallback = |why: String| Chosen {
        voice: system_voice(),
        notice: Some(format!(
            "{why}: speaking with {} instead\n  Get the natural voice (58 MB) with: rehearse model fetch {NEURAL}",
            system_voice().engine().label()
        )),
    };
    if !model.is_file() || !config_path(&model).is_file() {
        return fallback(format!(
            "the voice {NEURAL} is not downloaded (looked in {})",
            models_dir.display()
        ));
    }
    match piper::Piper::load(NEURAL, &model, seed) {
        Ok(voice) => Chosen {
            voice: Box::new(voice),
            notice: None,
        },
        Err(err) => fallback(format!("the voice {NEURAL} does not load ({err:#})")),
    }
}
