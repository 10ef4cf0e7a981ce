//! Thresholds for delivery feedback. They follow common coaching norms (see the project's
//! feedback-norms notes); `[norms]` in the config file sets any of them.

use serde::{Deserialize, Serialize};

/// Thresholds for delivery feedback; `[norms]` in the config file sets any of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Norms {
    /// Words a minute below which speech sounds slow, overall or in a stretch of it.
    pub slow_wpm: f64,
    /// Words a minute above which speech sounds rushed.
    pub fast_wpm: f64,
    /// The pace that advice on a rushed or slow answer aims at, from this many words a minute...
    pub aim_from_wpm: f64,
    /// ... to this many.
    pub aim_to_wpm: f64,
    /// Fillers per 100 words above which they distract.
    pub fillers_per_100: f64,
    /// This many fillers within `filler_cluster_s` seconds mark a moment of struggle.
    pub filler_cluster: usize,
    pub filler_cluster_s: f64,
    /// Hedges per 100 words above which the answer sounds unsure.
    pub hedges_per_100: f64,
    /// A silence at least this long between words is noticed by a listener.
    pub long_pause_s: f64,
    /// Pace is measured phrase by phrase, over stretches of at most about this many seconds.
    pub pace_window_s: f64,
    /// The first key point should come within this many seconds.
    pub first_point_s: f64,
    /// A pitch spread (10th to 90th percentile) narrower than this sounds monotone.
    pub monotone_semitones: f64,
}

impl Default for Norms {
    fn default() -> Self {
        Self {
            slow_wpm: 100.0,
            fast_wpm: 165.0,
            // Where many coaches aim, inside the comfortable range.
            aim_from_wpm: 130.0,
            aim_to_wpm: 160.0,
            fillers_per_100: 5.0,
            filler_cluster: 3,
            filler_cluster_s: 8.0,
            hedges_per_100: 3.0,
            long_pause_s: 2.5,
            pace_window_s: 12.0,
            first_point_s: 20.0,
            // Measured: LibriVox readers 5.2 to 8.7 semitones per sentence, espeak-ng's default
            // intonation 3.4 to 5.7, espeak-ng with its pitch range at 0 % 0.4.
            monotone_semitones: 3.0,
        }
    }
}

impl Norms {
    /// "aim for 130 to 160": the pace advice's target, in words.
    pub fn aim(&self) -> String {
        format!("aim for {:.0} to {:.0}", self.aim_from_wpm, self.aim_to_wpm)
    }

    /// What is wrong with these thresholds, if anything, in words for the config file's author.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let seconds = [
            ("filler_cluster_s", self.filler_cluster_s),
            ("long_pause_s", self.long_pause_s),
            ("pace_window_s", self.pace_window_s),
            ("first_point_s", self.first_point_s),
        ];
        let words_a_minute = [
            ("slow_wpm", self.slow_wpm),
            ("fast_wpm", self.fast_wpm),
            ("aim_from_wpm", self.aim_from_wpm),
            ("aim_to_wpm", self.aim_to_wpm),
        ];
        for (name, value) in seconds.into_iter().chain(words_a_minute) {
            if !(value.is_finite() && value > 0.0) {
                problems.push(format!("{name} must be a number above 0 (it is {value})"));
            }
        }
        let at_least_zero = [
            ("fillers_per_100", self.fillers_per_100),
            ("hedges_per_100", self.hedges_per_100),
            ("monotone_semitones", self.monotone_semitones),
        ];
        for (name, value) in at_least_zero {
            if !(value.is_finite() && value >= 0.0) {
                problems.push(format!("{name} must be 0 or more (it is {value})"));
            }
        }
        for (slow, fast) in [
            (("slow_wpm", self.slow_wpm), ("fast_wpm", self.fast_wpm)),
            (
                ("aim_from_wpm", self.aim_from_wpm),
                ("aim_to_wpm", self.aim_to_wpm),
            ),
        ] {
            if slow.1 >= fast.1 {
                problems.push(format!(
                    "{} ({}) must be below {} ({})",
                    slow.0, slow.1, fast.0, fast.1
                ));
            }
        }
        if self.filler_cluster < 2 {
            problems.push("filler_cluster must be 2 or more".to_owned());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norms_that_make_no_sense_are_named() {
        assert!(Norms::default().problems().is_empty());
        let backwards = Norms {
            slow_wpm: 180.0,
            filler_cluster: 1,
            long_pause_s: -1.0,
            ..Norms::default()
        };
        let problems = backwards.problems().join("; ");
        assert!(
            problems.contains("slow_wpm (180) must be below fast_wpm (165)"),
            "{problems}"
        );
        assert!(
            problems.contains("filler_cluster must be 2 or more"),
            "{problems}"
        );
        assert!(
            problems.contains("long_pause_s must be a number above 0"),
            "{problems}"
        );
        let aim = Norms {
            aim_from_wpm: 150.0,
            aim_to_wpm: 140.0,
            ..Norms::default()
        };
        assert_eq!(
            aim.problems(),
            ["aim_from_wpm (150) must be below aim_to_wpm (140)"]
        );
        assert_eq!(Norms::default().aim(), "aim for 130 to 160");
    }
}
