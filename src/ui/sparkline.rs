//! A trend in one line of block characters: `▂▄▅▇`.

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Scores from 0 to 100 as bars of proportional height, one character each.
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
    fn bars_follow_the_scores_on_a_fixed_scale() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(sparkline(&[-5.0, 140.0]), "▁█");
        assert_eq!(sparkline(&[]), "");
    }
}
