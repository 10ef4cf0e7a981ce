//! Ctrl-C as a flag that long-running loops poll (and whisper's abort callback reads), so they
//! can keep what was done and exit 130. [`install`] may be called by any command, any number of
//! times; the handler is set once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
static INSTALLED: OnceLock<std::result::Result<(), String>> = OnceLock::new();

fn shared() -> &'static Arc<AtomicBool> {
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// Catch Ctrl-C from now on: it sets the flag instead of ending the process.
pub fn install() -> Result<()> {
    INSTALLED
        .get_or_init(|| {
            signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(shared()))
                .map(drop)
                .map_err(|err| err.to_string())
        })
        .clone()
        .map_err(anyhow::Error::msg)
        .context("cannot catch Ctrl-C")
}

/// The flag itself, for code that polls it on another thread, with the handler installed. If
/// the handler cannot be installed, Ctrl-C keeps its default (it ends the process), which is
/// still a correct way to stop.
pub fn flag() -> Arc<AtomicBool> {
    let _ = install();
    Arc::clone(shared())
}

/// Whether Ctrl-C was pressed since [`install`].
pub fn requested() -> bool {
    shared().load(Ordering::SeqCst)
}
