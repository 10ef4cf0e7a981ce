//! Errors that decide the exit code. Everything else travels as `anyhow::Error` with context that
//! says what to do next; only these kinds change the code from the default 1.

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

/// The reader of standard output closed it (`| head`): it has read all it wanted. Exits 0,
/// quietly, as Unix tools do.
#[derive(Debug, Error)]
#[error("standard output was closed")]
pub struct OutputClosed;

/// The process exit code for an error that reached the top.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<OutputClosed>().is_some() {
        0
    } else if err.downcast_ref::<UsageError>().is_some() {
        2
    } else if err.downcast_ref::<Interrupted>().is_some() {
        130
    } else {
        1
    }
}
