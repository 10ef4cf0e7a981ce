//! Errors that decide the exit code. Everything else travels as `anyhow::Error` with context that
//! says what to do next; only these two kinds change the code from the default 1.

use thiserror::Error;

/// Bad usage: an unknown question id, category or similar. Exits 2, like clap's own errors.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct UsageError {
    pub message: String,
}

impl UsageError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// The user pressed Ctrl-C. Exits 130 after whatever was recorded has been kept.
#[derive(Debug, Error)]
#[error("interrupted")]
pub struct Interrupted;

/// The process exit code for an error that reached the top.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<UsageError>().is_some() {
        2
    } else if err.downcast_ref::<Interrupted>().is_some() {
        130
    } else {
        1
    }
}
