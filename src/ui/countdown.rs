//! Countdowns for think time and answers: when to warn, and the line that shows time left.
//! Pure functions of elapsed time, so the round's timing is tested without waiting.

use std::fmt::Write;

use crate::style::{DIM, MISSED, PARTIAL, clock};

/// Seconds before the end of an answer at which a warning is given.
pub const WARN_AT_S: [u32; 2] = [30, 10];

/// The warnings (seconds left) whose moment fell in `(before_s, after_s]` of an answer with this
/// limit. A warning is only given when the limit is longer than it, so a 20 s answer gets the
/// 10 s warning and not the 30 s one.
pub fn warnings_crossed(limit_s: u32, before_s: f64, after_s: f64) -> Vec<u32> {
    WARN_AT_S
        .iter()
        .copied()
        .filter(|&left| left < limit_s)
        .filter(|&left| {
            let moment = f64::from(limit_s - left);
            before_s < moment && moment <= after_s
        })
        .collect()
}

/// `label 1:05 ▕████░░░░▏`: time left, and a bar of the time left out of the total.
pub fn line(label: &str, left_s: f64, total_s: f64, cells: usize) -> String {
    let left = left_s.clamp(0.0, total_s.max(0.0));
    let share = if total_s > 0.0 { left / total_s } else { 0.0 };
    let filled = (share * cells as f64).ceil() as usize;
    let style = if left <= 10.0 {
        MISSED
    } else if left <= 30.0 {
        PARTIAL
    } else {
        DIM
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "{label} {} {style}{}{style:#}{DIM}{}{DIM:#}",
        clock(left.ceil()),
        "█".repeat(filled.min(cells)),
        "░".repeat(cells - filled.min(cells)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_come_30_and_10_seconds_before_the_end() {
        assert_eq!(warnings_crossed(90, 59.0, 60.0), [30]);
        assert_eq!(warnings_crossed(90, 60.0, 61.0), Vec::<u32>::new());
        assert_eq!(warnings_crossed(90, 79.5, 80.2), [10]);
        // A late tick that jumps over both moments gives both.
        assert_eq!(warnings_crossed(90, 50.0, 85.0), [30, 10]);
        // Short answers only get the warnings that fit.
        assert_eq!(warnings_crossed(20, 0.0, 20.0), [10]);
        assert_eq!(warnings_crossed(5, 0.0, 5.0), Vec::<u32>::new());
    }

    #[test]
    fn the_line_shows_time_left_and_a_bar() {
        let plain = |s: String| anstream::adapter::strip_str(&s).to_string();
        let text = plain(line("Answer", 45.0, 90.0, 10));
        assert!(text.starts_with("Answer 0:45 "), "{text}");
        assert_eq!(text.matches('█').count(), 5);
        assert_eq!(text.matches('░').count(), 5);
        let done = plain(line("Answer", -2.0, 90.0, 10));
        assert!(
            done.contains("0:00") && done.matches('█').count() == 0,
            "{done}"
        );
    }
}
