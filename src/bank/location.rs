//! Where a bank is read from: the user names it, it is built in, or it is in the user's folder.

use std::path::PathBuf;

/// Where a bank file came from; decides how loading problems are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankOrigin {
    /// `--bank` or `REHEARSE_BANK`: replaces every other source.
    Explicit,
    /// The questions built into rehearse (`bank::bundled`).
    Bundled,
    /// The user's own folder under the platform config dir.
    User,
}

#[derive(Debug, Clone)]
pub struct BankLocation {
    /// A file or a folder; for the bundled bank, the name its files go by.
    pub path: PathBuf,
    pub origin: BankOrigin,
}

impl BankLocation {
    /// The questions built into rehearse.
    pub fn bundled() -> Self {
        Self {
            path: PathBuf::from(super::bundled::FOLDER),
            origin: BankOrigin::Bundled,
        }
    }
}
