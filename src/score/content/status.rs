//! How well one thing of the reference (a key point, a sentence) was made: the verdict the
//! content signals share.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Hit,
    Partial,
    Missed,
    /// Not found, but where the answer would make it whisper was unsure of what it heard
    /// (see `unclear`): neither credited nor held against the answer.
    Unclear,
}

impl Status {
    /// What the status adds to a share: a hit all, a partial half.
    pub fn credit(self) -> f64 {
        match self {
            Self::Hit => 1.0,
            Self::Partial => 0.5,
            Self::Missed | Self::Unclear => 0.0,
        }
    }

    /// Made, fully or in part.
    pub fn is_made(self) -> bool {
        matches!(self, Self::Hit | Self::Partial)
    }

    /// The status of a similarity against the thresholds for a hit and a partial.
    pub fn of(similarity: f64, hit: f64, partial: f64) -> Self {
        if similarity >= hit {
            Self::Hit
        } else if similarity >= partial {
            Self::Partial
        } else {
            Self::Missed
        }
    }
}
