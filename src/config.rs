//! The one place that turns flags, environment variables and platform conventions into paths
//! and settings. Commands receive a resolved [`Config`] and never look at the environment.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use directories::ProjectDirs;

use crate::bank::{BankLocation, BankOrigin};
use crate::cli::{GlobalArgs, PromptStyleArg};
use crate::score::Norms;

/// How chatty stderr is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Which prompt to give whisper (see `transcribe::prompt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PromptStyle {
    /// No prompt at all.
    None,
    /// The question's key terms.
    Terms,
    /// The key terms, in a sentence with filler words so that fillers are written out.
    #[default]
    TermsAndFillers,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub banks: Vec<BankLocation>,
    pub data_dir: PathBuf,
    pub models_dir: PathBuf,
    /// The models dir came from --models-dir or REHEARSE_MODELS_DIR.
    pub models_dir_explicit: bool,
    pub model: String,
    /// The interviewer's voice (`--voice`): one of `voice::NAMES`.
    pub voice: String,
    pub threads: usize,
    /// whisper's flash attention: a little less memory, more time (see BENCHMARKS.md).
    pub flash_attention: bool,
    /// whisper's beam width (`--beam-size`); 1 decodes greedily.
    pub beam_size: u8,
    pub prompt_style: PromptStyle,
    /// Lean whisper's decoder toward the glossary's terms (`transcribe::bias`).
    pub bias: bool,
    /// Correct near-misses of the glossary's terms (`transcribe::correct`).
    pub correct: bool,
    pub json: bool,
    pub verbosity: Verbosity,
    /// The input device named in the user's config file (`device = "NAME"` in
    /// `~/.config/rehearse/config.toml`); `--device` and REHEARSE_DEVICE win over it.
    pub device: Option<String>,
    /// How much faster than real time a `--device wav:FILE` recording plays
    /// (REHEARSE_WAV_SPEED; benchmarks of long answers).
    pub wav_speed: Option<f64>,
    /// Delivery thresholds: the defaults, changed by `[norms]` in the user's config file.
    pub norms: Norms,
    /// For tests: transcripts come from this script instead of a model
    /// (REHEARSE_SCRIPTED_TRANSCRIPTS; see `transcribe::scripted`).
    pub scripted_transcripts: Option<PathBuf>,
}

const DEFAULT_MODEL: &str = "tiny.en";

impl Config {
    pub fn resolve(args: &GlobalArgs) -> Result<Self> {
        let dirs = ProjectDirs::from("", "", "rehearse");

        let banks = match &args.bank {
            Some(path) => {
                if !path.exists() {
                    bail!(
                        "the bank path {} does not exist\n  \
                         Give a .toml bank file or a folder of them with --bank (or REHEARSE_BANK), \
                         or leave it out to use the bundled questions.",
                        path.display()
                    );
                }
                vec![BankLocation {
                    path: path.clone(),
                    origin: BankOrigin::Explicit,
                }]
            }
            None => default_banks(dirs.as_ref()),
        };

        let data_dir = match &args.data_dir {
            Some(dir) => dir.clone(),
            None => dirs
                .as_ref()
                .map(|d| d.data_dir().to_path_buf())
                .context("no home folder found for the data dir: pass --data-dir PATH")?,
        };

        let models_dir = match &args.models_dir {
            Some(dir) => dir.clone(),
            None => match find_checkout() {
                Some(root) => root.join("models"),
                None => data_dir.join("models"),
            },
        };

        let threads = match args.threads {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };

        let config_file = read_config_file(dirs.as_ref())?;

        let verbosity = if args.quiet {
            Verbosity::Quiet
        } else if args.verbose > 0 {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };

        Ok(Self {
            banks,
            data_dir,
            models_dir,
            models_dir_explicit: args.models_dir.is_some(),
            model: args
                .model
                .clone()
                .unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
            voice: args.voice.clone(),
            threads,
            flash_attention: args.flash_attn,
            beam_size: args.beam_size,
            prompt_style: match args.prompt_style {
                PromptStyleArg::None => PromptStyle::None,
                PromptStyleArg::Terms => PromptStyle::Terms,
                PromptStyleArg::TermsAndFillers => PromptStyle::TermsAndFillers,
            },
            bias: args.bias,
            correct: args.correct,
            json: args.json,
            verbosity,
            device: config_file_device(config_file.as_ref())?,
            norms: config_file_norms(config_file.as_ref())?,
            wav_speed: std::env::var("REHEARSE_WAV_SPEED")
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|s: &f64| *s > 0.0),
            scripted_transcripts: std::env::var_os("REHEARSE_SCRIPTED_TRANSCRIPTS")
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
        })
    }
}

/// The user's config file (`~/.config/rehearse/config.toml` on Linux), when there is one.
fn read_config_file(dirs: Option<&ProjectDirs>) -> Result<Option<(PathBuf, toml::Table)>> {
    let Some(path) = dirs.map(|d| d.config_dir().join("config.toml")) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let table: toml::Table = text
        .parse()
        .with_context(|| format!("{} is not valid TOML; fix it or remove it", path.display()))?;
    Ok(Some((path, table)))
}

/// `device = "NAME"` in the user's config file, when there is one.
fn config_file_device(file: Option<&(PathBuf, toml::Table)>) -> Result<Option<String>> {
    let Some((path, table)) = file else {
        return Ok(None);
    };
    match table.get("device") {
        None => Ok(None),
        Some(toml::Value::String(name)) => Ok(Some(name.clone())),
        Some(_) => bail!(
            "`device` in {} must be a string, e.g. device = \"USB\"",
            path.display()
        ),
    }
}

/// The delivery thresholds: `[norms]` of the user's config file over the defaults.
fn config_file_norms(file: Option<&(PathBuf, toml::Table)>) -> Result<Norms> {
    let Some((path, Some(section))) = file.map(|(path, table)| (path, table.get("norms"))) else {
        return Ok(Norms::default());
    };
    let norms: Norms = section.clone().try_into().with_context(|| {
        format!(
            "[norms] in {} cannot be used; fix it or remove it (the README lists its keys \
             and their defaults)",
            path.display()
        )
    })?;
    let problems = norms.problems();
    if !problems.is_empty() {
        bail!(
            "[norms] in {}: {}\n  Fix these values or remove them to use the defaults.",
            path.display(),
            problems.join("; ")
        );
    }
    Ok(norms)
}

/// The bundled bank, then the user's own folder when it exists.
fn default_banks(dirs: Option<&ProjectDirs>) -> Vec<BankLocation> {
    let mut banks = vec![BankLocation::bundled()];
    if let Some(user) = dirs.map(|d| d.config_dir().join("questions"))
        && user.is_dir()
    {
        banks.push(BankLocation {
            path: user,
            origin: BankOrigin::User,
        });
    }
    banks
}

/// The rehearse checkout the binary runs from (`target/<profile>/rehearse` inside it) or that
/// is the current folder, when it has a `models/` folder: models fetched while working on
/// rehearse stay in the project. An installed or copied binary finds none.
fn find_checkout() -> Option<PathBuf> {
    let from_binary = std::env::current_exe()
        .and_then(|exe| exe.canonicalize())
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(2)
                .take(3)
                .find(|d| is_checkout(d))
                .map(Path::to_path_buf)
        });
    from_binary.or_else(|| std::env::current_dir().ok().filter(|cwd| is_checkout(cwd)))
}

/// A folder with rehearse's own Cargo.toml and a `models/` folder.
fn is_checkout(dir: &Path) -> bool {
    if !dir.join("models").is_dir() {
        return false;
    }
    let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return false;
    };
    manifest
        .parse::<toml::Table>()
        .ok()
        .and_then(|table| {
            let name = table.get("package")?.get("name")?.as_str()?.to_owned();
            Some(name == "rehearse")
        })
        .unwrap_or(false)
}
