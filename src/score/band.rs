//! Score bands: where an answer's score (0 to 100) counts as strong, fair or weak. Named once so
//! that every format (terminal, Markdown, HTML, the round summary) and the schedule agree. A leaf:
//! imports nothing of the crate.

/// From this score up an answer is strong.
pub const STRONG_FROM: f64 = 70.0;
/// From this score up (and below [`STRONG_FROM`]) an answer is fair; below it, weak.
pub const FAIR_FROM: f64 = 40.0;

/// Which band a score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreBand {
    Strong,
    Fair,
    Weak,
}

impl ScoreBand {
    /// The band of `score` (0 to 100).
    pub fn of(score: f64) -> Self {
        if score >= STRONG_FROM {
            Self::Strong
        } else if score >= FAIR_FROM {
            Self::Fair
        } else {
            Self::Weak
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_meet_at_their_thresholds() {
        assert_eq!(ScoreBand::of(100.0), ScoreBand::Strong);
        assert_eq!(ScoreBand::of(STRONG_FROM), ScoreBand::Strong);
        assert_eq!(ScoreBand::of(69.9), ScoreBand::Fair);
        assert_eq!(ScoreBand::of(FAIR_FROM), ScoreBand::Fair);
        assert_eq!(ScoreBand::of(39.9), ScoreBand::Weak);
        assert_eq!(ScoreBand::of(0.0), ScoreBand::Weak);
    }
}
