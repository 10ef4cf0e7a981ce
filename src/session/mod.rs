//! Saved sessions: what was asked, answered and scored, kept so that answers can be reviewed,
//! rescored and drilled later. `record` is the on-disk shape, `store` the only code that touches
//! the data dir; `history` and `schedule` are pure functions of loaded records.

pub mod history;
pub mod record;
pub mod schedule;
pub mod store;

pub use record::{
    Answer, Kind, Record, RecordStatus, SavedQuestion, Scoring, Settings, SourceKind,
};
pub use store::{Session, Store, Stored};
