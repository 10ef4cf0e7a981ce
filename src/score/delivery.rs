//! How the answer was said: pace, fillers, hedges, long pauses and time used. Thresholds follow
//! common coaching norms (see the project's feedback-norms notes) and live in [`Norms`].

use serde::{Deserialize, Serialize};

use crate::transcript::AnswerWord;

/// Thresholds for delivery feedback.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Norms {
    pub slow_wpm: f64,
    pub fast_wpm: f64,
    /// Fillers per 100 words above which they distract.
    pub fillers_per_100: f64,
    /// A silence at least this long between words is noticed by a listener.
    pub long_pause_s: f64,
    /// The first key point should come within this many seconds.
    pub first_point_s: f64,
}

impl Default for Norms {
    fn default() -> Self {
        Self {
            slow_wpm: 100.0,
            fast_wpm: 165.0,
            fillers_per_100: 5.0,
            long_pause_s: 2.5,
            first_point_s: 20.0,
        }
    }
}

/// Delivery figures. Fields that need timing are `None` for typed answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub duration_s: Option<f64>,
    pub words: usize,
    pub wpm: Option<f64>,
    pub fillers: usize,
    pub fillers_per_100_words: f64,
    pub long_pauses: Option<usize>,
    pub over_time: Option<bool>,
    /// Hedging phrases ("I think", "maybe", "sort of"...).
    pub hedges: usize,
    /// The filler words heard, in order, for the report.
    pub filler_words: Vec<String>,
    pub time_limit_s: u32,
}

/// Sounds that are always fillers.
const FILLER_SOUNDS: &[&str] = &[
    "ah", "eh", "er", "erm", "hm", "hmm", "mm", "uh", "uhm", "um", "umm",
];
/// Phrases that are fillers in speech.
const FILLER_PHRASES: &[&[&str]] = &[&["you", "know"], &["i", "mean"]];
const HEDGES: &[&[&str]] = &[
    &["i", "think"],
    &["maybe"],
    &["sort", "of"],
    &["kind", "of"],
    &["i", "guess"],
    &["probably"],
    &["i", "believe"],
];

/// Lower-case letters of a word, for filler matching.
fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn starts_with_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

pub fn measure(
    words: &[AnswerWord<'_>],
    duration_s: Option<f64>,
    time_limit_s: u32,
    norms: &Norms,
) -> Delivery {
    let bare_words: Vec<String> = words.iter().map(|w| bare(w.text)).collect();
    let mut filler_words = Vec::new();
    let mut hedges = 0;
    let mut i = 0;
    while i < bare_words.len() {
        let rest = &bare_words[i..];
        if FILLER_SOUNDS.contains(&rest[0].as_str()) || is_comma_like(words, i) {
            filler_words.push(rest[0].clone());
            i += 1;
        } else if let Some(phrase) = FILLER_PHRASES.iter().find(|p| starts_with_phrase(rest, p)) {
            filler_words.push(phrase.join(" "));
            i += phrase.len();
        } else if let Some(phrase) = HEDGES.iter().find(|p| starts_with_phrase(rest, p)) {
            hedges += 1;
            i += phrase.len();
        } else {
            i += 1;
        }
    }
    let count = bare_words.iter().filter(|w| !w.is_empty()).count();
    let fillers = filler_words.len();
    let fillers_per_100_words = if count == 0 {
        0.0
    } else {
        round1(fillers as f64 * 100.0 / count as f64)
    };

    let timed: Vec<(f64, f64)> = words
        .iter()
        .filter_map(|w| Some((w.start_s?, w.end_s?)))
        .collect();
    let is_timed = !timed.is_empty() || duration_s.is_some();
    let speaking_s = match (timed.first(), timed.last()) {
        (Some(first), Some(last)) => last.1 - first.0,
        _ => 0.0,
    };
    // Under a second of speech gives no meaningful pace.
    let wpm = is_timed.then(|| {
        if speaking_s > 1.0 {
            round1(count as f64 * 60.0 / speaking_s)
        } else {
            0.0
        }
    });
    let long_pauses = is_timed.then(|| {
        timed
            .windows(2)
            .filter(|pair| pair[1].0 - pair[0].1 >= norms.long_pause_s)
            .count()
    });
    Delivery {
        duration_s: duration_s.map(round1),
        words: count,
        wpm,
        fillers,
        fillers_per_100_words,
        long_pauses,
        over_time: duration_s.map(|d| d > f64::from(time_limit_s)),
        hedges,
        filler_words,
        time_limit_s,
    }
}

/// "like" is a filler when set off by commas ("it's, like, a scheduler"), as whisper writes it.
fn is_comma_like(words: &[AnswerWord<'_>], i: usize) -> bool {
    let word = words[i].text.to_lowercase();
    let set_off_after = word.trim_end_matches(',') == "like" && word.ends_with(',');
    let set_off_before = i > 0 && words[i - 1].text.ends_with(',') && bare(&word) == "like";
    set_off_after || set_off_before
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> Vec<AnswerWord<'_>> {
        text.split_whitespace()
            .map(|text| AnswerWord {
                text,
                start_s: None,
                end_s: None,
            })
            .collect()
    }

    #[test]
    fn counts_fillers_and_hedges_in_typed_text() {
        let words =
            typed("Um, so ECS is, like, a scheduler, you know. I think it uh scales maybe.");
        let d = measure(&words, None, 90, &Norms::default());
        assert_eq!(d.filler_words, ["um", "like", "you know", "uh"]);
        assert_eq!(d.hedges, 2);
        assert_eq!(d.words, 15);
        assert_eq!(d.wpm, None);
        assert_eq!(d.long_pauses, None);
        assert_eq!(d.over_time, None);
        assert_eq!(d.fillers_per_100_words, 26.7);
    }

    #[test]
    fn like_as_a_verb_is_not_a_filler() {
        let d = measure(
            &typed("I like ECS because tasks look like services"),
            None,
            90,
            &Norms::default(),
        );
        assert_eq!(d.fillers, 0);
    }

    #[test]
    fn pace_pauses_and_time_from_timed_words() {
        // 6 words spoken over 3 s with one 3 s silence: 6 words in 6 s of speech span.
        let times = [
            (0.0, 0.4),
            (0.5, 0.9),
            (1.0, 1.4),
            (4.4, 4.8),
            (4.9, 5.3),
            (5.4, 6.0),
        ];
        let words: Vec<AnswerWord<'_>> = times
            .iter()
            .map(|&(s, e)| AnswerWord {
                text: "word",
                start_s: Some(s),
                end_s: Some(e),
            })
            .collect();
        let d = measure(&words, Some(95.0), 90, &Norms::default());
        assert_eq!(d.wpm, Some(60.0));
        assert_eq!(d.long_pauses, Some(1));
        assert_eq!(d.over_time, Some(true));
        assert_eq!(d.duration_s, Some(95.0));
    }

    #[test]
    fn empty_answer_has_zero_figures() {
        let d = measure(&[], Some(3.0), 90, &Norms::default());
        assert_eq!((d.words, d.fillers, d.wpm), (0, 0, Some(0.0)));
        assert_eq!(d.fillers_per_100_words, 0.0);
    }
}
