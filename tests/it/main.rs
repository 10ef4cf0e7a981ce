//! The one integration-test binary: every test module shares it, so the crate links once.

mod answers;
mod bad_input;
mod cli;
mod closed_output;
mod coach;
mod ears;
mod embed;
mod eval;
mod fetch_causes;
mod follow_up;
mod hostile_bank;
mod http;
mod install;
mod kept_sessions;
mod long_recording;
mod mic;
mod modules;
mod review;
mod room;
mod round;
mod session;
mod spoken;
mod star;
mod terminal;
mod tty;
mod voice;
mod whisper;

use std::path::PathBuf;

pub type TestResult = anyhow::Result<()>;

/// A path inside the repository.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}
