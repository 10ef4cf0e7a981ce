//! Saved sessions: what was asked, answered and scored, kept so that answers can be reviewed,
//! rescored and drilled later. `record` is the on-disk shape, `store` the only code that touches
//! the data dir; `history` and `schedule` are pure functions of loaded records. The two
//! functions here are what commands do with the store: start a session, and list the sessions
//! there are.

pub mod cut_off;
pub mod history;
pub mod record;
pub mod schedule;
pub mod store;

use anyhow::Result;

pub use record::{
    Answer, FollowUp, Kind, Record, RecordStatus, SavedQuestion, Scoring, Settings, SourceKind,
};
pub use store::{AnswerAudio, Session, Store, Stored};

use crate::config::Config;
use crate::ui;

/// A new session in the data dir, unless `--no-save`. Fails before any question is asked when
/// the data dir is not writable.
pub fn start(
    config: &Config,
    kind: Kind,
    no_save: bool,
    settings: Settings,
) -> Result<Option<Session>> {
    if no_save {
        return Ok(None);
    }
    let bank = config
        .banks
        .iter()
        .map(|b| b.path.display().to_string())
        .collect();
    let store = Store::new(&config.data_dir);
    store.sweep();
    let mut session = store.create(kind, bank)?;
    session.record.settings = settings;
    session.save()?;
    Ok(Some(session))
}

/// Every readable session; the others are named in a warning and skipped. What killed
/// processes left in the store is swept first.
pub fn listing(config: &Config, store: &Store) -> Result<store::Listing> {
    store.sweep();
    let listing = store.list()?;
    for problem in &listing.problems {
        ui::warn(
            config,
            &format!(
                "skipped {}: {}\n  Fix the file, or remove its folder with `rehearse history delete`.",
                problem.path.display(),
                problem.reason
            ),
        );
    }
    Ok(listing)
}
