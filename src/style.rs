//! How text looks on a terminal, shared by the reports and the live screens: the styles (anstream
//! drops them where colour is off) and two compact notations, the m:ss clock and the sparkline.
//! A leaf: it imports nothing of the crate, so every module may use it.

use anstyle::{AnsiColor, Style};

pub const ERROR: Style = AnsiColor::Red.on_default().bold();
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub const HIT: Style = AnsiColor::Green.on_default();
pub const PARTIAL: Style = AnsiColor::Yellow.on_default();
pub const MISSED: Style = AnsiColor::Red.on_default();
pub const HEADING: Style = Style::new().bold();
pub const DIM: Style = Style::new().dimmed();
pub const ACCENT: Style = AnsiColor::Cyan.on_default().bold();

/// m:ss for a time in seconds.
pub fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A trend in one line: scores from 0 to 100 as bars of proportional height, one character each.
pub fn sparkline(scores: &[f64]) -> String {
    scores
        .iter()
        .map(|s| {
            let level = (s.clamp(0.0, 100.0) / 100.0 * (BARS.len() - 1) as f64).round() as usize;
            BARS[level]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats_minutes_and_seconds() {
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(65.4), "1:05");
        assert_eq!(clock(-3.0), "0:00");
    }

    #[test]
    fn bars_follow_the_scores_on_a_fixed_scale() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(sparkline(&[-5.0, 140.0]), "▁█");
        assert_eq!(sparkline(&[]), "");
    }
}
