//! One published file over HTTP into a `.part` file that a later run resumes; it takes the
//! model's name only once its checksum is the pinned one.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::Fetcher;
use super::digest::{Digests, digests};

/// How long to wait for the model host before falling back on the package index.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// The model host could not be reached at all (no name, no route, no answer): the one failure
/// the package index is a fallback for. A host that answers with the wrong bytes, or a disk
/// that cannot take them, is reported as it is.
#[derive(Debug, thiserror::Error)]
#[error("cannot reach {url}: {reason}")]
pub struct Unreachable {
    url: String,
    reason: String,
}

/// Whether `err` says the model host was out of reach.
pub fn is_unreachable(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.is::<Unreachable>())
}

/// `dest` with `.part` added: where its download waits until it is checked.
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

impl Fetcher {
    /// Download a published file, resuming a `.part` left by an earlier attempt; it takes
    /// `dest`'s name only when `pinned` accepts its digests.
    pub(super) fn download(
        &self,
        url: &str,
        dest: &Path,
        pinned: &dyn Fn(&Digests) -> bool,
    ) -> Result<()> {
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
        let response = request.call().map_err(|err| Unreachable {
            url: url.to_owned(),
            reason: err.to_string(),
        })?;
        let status = response.status().as_u16();
        let opened = match status {
            206 => OpenOptions::new().append(true).open(&part),
            200 => File::create(&part),
            // The .part is already whole: only the check and the rename were missing.
            416 if have > 0 => OpenOptions::new().append(true).open(&part),
            _ => bail!("{url} answered HTTP {status}"),
        };
        let mut file = opened.with_context(|| format!("cannot write {}", part.display()))?;
        let start = if status == 200 { 0 } else { have };
        let remaining = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let bar = self.byte_bar(remaining.map_or(0, |r| r + start), &file_name)?;
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
                file.write_all(&buf[..n])
                    .with_context(|| format!("cannot write {}", part.display()))?;
                bar.inc(n as u64);
            }
        }
        file.sync_all()
            .with_context(|| format!("cannot write {}", part.display()))?;
        bar.finish_and_clear();
        let found = digests(&part)?;
        if !pinned(&found) {
            let _ = fs::remove_file(&part);
            bail!(
                "the downloaded {file_name} does not match its pinned checksum (sha256 {}); it was deleted",
                found.sha256
            );
        }
        super::publish(&part, dest)
    }

    fn byte_bar(&self, total: u64, file_name: &str) -> Result<ProgressBar> {
        let bar = if self.show_progress {
            ProgressBar::new(total)
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
        Ok(bar)
    }
}
