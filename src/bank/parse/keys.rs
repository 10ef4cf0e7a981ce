//! The keys a bank file may use, named once: anything else is reported as unknown, with the
//! nearest of these suggested.

/// A bank file's top-level keys.
pub(super) const FILE: &[&str] = &[
    "deck",
    "category",
    "kind",
    "time_limit_s",
    "question",
    "glossary",
];
/// A `[[question]]`'s keys.
pub(super) const QUESTION: &[&str] = &[
    "id",
    "category",
    "kind",
    "question",
    "answer",
    "key_points",
    "time_limit_s",
];
/// A key point table's keys.
pub(super) const KEY_POINT: &[&str] = &["point", "aliases", "follow_up"];
