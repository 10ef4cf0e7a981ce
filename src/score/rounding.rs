//! Figures rounded as the report shows them, without float noise from sums. A leaf.

/// To the tenth: scores, words a minute, durations.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// To the hundredth: similarities, shares, and times as whisper gives them.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
