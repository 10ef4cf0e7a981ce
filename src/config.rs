//! The one place that turns flags, environment variables and platform conventions into paths
//! and settings. Commands receive a resolved [`Config`] and never look at the environment.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use directories::ProjectDirs;

use crate::cli::{GlobalArgs, PromptStyleArg};
use crate::score::Norms;
use crate::transcribe::prompt::PromptStyle;

/// How chatty stderr is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Where a bank file came from; decides how loading problems are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankOrigin {
    /// `--bank` or `REHEARSE_BANK`: replaces every other source.
    Explicit,
    /// The `questions/` folder that ships with rehearse.
    Bundled,
    /// The user's own folder under the platform config dir.
    User,
}

#[derive(Debug, Clone)]
pub struct BankLocation {
    pub path: PathBuf,
    pub origin: BankOrigin,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub banks: Vec<BankLocation>,
    pub data_dir: PathBuf,
    pub models_dir: PathBuf,
    /// The models dir came from --models-dir or REHEARSE_MODELS_DIR.
    pub models_dir_explicit: bool,
    pub model: String,
    pub threads: usize,
    /// whisper's flash attention: a little less memory, more time (see BENCHMARKS.md).
    pub flash_attention: bool,
    pub prompt_style: PromptStyle,
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
}

const DEFAULT_MODEL: &str = "tiny.en";

impl Config {
    pub fn resolve(args: &GlobalArgs) -> Result<Self> {
        let dirs = ProjectDirs::from("", "", "rehearse");
        let project_root = find_project_root();

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
            None => default_banks(project_root.as_deref(), dirs.as_ref())?,
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
            None => match project_root.as_ref().map(|root| root.join("models")) {
                Some(dir) if dir.is_dir() => dir,
                _ => data_dir.join("models"),
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
            threads,
            flash_attention: args.flash_attn,
            prompt_style: match args.prompt_style {
                PromptStyleArg::None => PromptStyle::None,
                PromptStyleArg::Terms => PromptStyle::Terms,
                PromptStyleArg::TermsAndFillers => PromptStyle::TermsAndFillers,
            },
            json: args.json,
            verbosity,
            device: config_file_device(config_file.as_ref())?,
            norms: config_file_norms(config_file.as_ref())?,
            wav_speed: std::env::var("REHEARSE_WAV_SPEED")
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|s: &f64| *s > 0.0),
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
fn default_banks(
    project_root: Option<&Path>,
    dirs: Option<&ProjectDirs>,
) -> Result<Vec<BankLocation>> {
    let mut banks = Vec::new();
    if let Some(root) = project_root {
        banks.push(BankLocation {
            path: root.join("questions"),
            origin: BankOrigin::Bundled,
        });
    }
    if let Some(user) = dirs.map(|d| d.config_dir().join("questions"))
        && user.is_dir()
    {
        banks.push(BankLocation {
            path: user,
            origin: BankOrigin::User,
        });
    }
    if banks.is_empty() {
        bail!(
            "no question bank found: the bundled questions/ folder is not next to the rehearse \
             binary nor in the current folder\n  \
             Run rehearse from its project folder, or pass --bank PATH (or set REHEARSE_BANK)."
        );
    }
    Ok(banks)
}

/// The folder holding the bundled `questions/`: an install prefix (`PREFIX/share/rehearse`),
/// a project checkout the binary was built in (`target/<profile>/rehearse`), the current
/// folder, or the checkout the binary was built from.
fn find_project_root() -> Option<PathBuf> {
    let has_bank = |dir: &Path| dir.join("questions").is_dir();
    if let Ok(exe) = std::env::current_exe().and_then(|p| p.canonicalize())
        && let Some(bin_dir) = exe.parent()
    {
        if let Some(prefix) = bin_dir.parent() {
            let shared = prefix.join("share").join("rehearse");
            if has_bank(&shared) {
                return Some(shared);
            }
        }
        // A checkout: target/release/rehearse or target/debug/deps/<test binary>.
        if let Some(root) = bin_dir.ancestors().skip(1).take(3).find(|d| has_bank(d)) {
            return Some(root.to_path_buf());
        }
    }
    std::env::current_dir()
        .ok()
        .filter(|cwd| has_bank(cwd))
        // A binary built with its target dir elsewhere (CARGO_TARGET_DIR) still finds the
        // checkout it was built from.
        .or_else(|| Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))).filter(|root| has_bank(root)))
}
