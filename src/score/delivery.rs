//! How the answer was said: pace, fillers, hedges, long pauses, pitch and time used, in total
//! and on the recording's clock. Thresholds follow common coaching norms (see the project's
//! feedback-norms notes) and live in [`Norms`], which the user's config file can change.

use serde::{Deserialize, Serialize};

use super::PointResult;
use super::moment::{self, Moment};
use super::timeline::{self, Cluster, FillerAt, HedgeAt, PaceWindow, Pause};
use crate::transcript::{AnswerWord, Pitch};

/// Thresholds for delivery feedback; `[norms]` in the config file sets any of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Norms {
    /// Words a minute below which speech sounds slow, overall or in a stretch of it.
    pub slow_wpm: f64,
    /// Words a minute above which speech sounds rushed.
    pub fast_wpm: f64,
    /// Fillers per 100 words above which they distract.
    pub fillers_per_100: f64,
    /// This many fillers within `filler_cluster_s` seconds mark a moment of struggle.
    pub filler_cluster: usize,
    pub filler_cluster_s: f64,
    /// Hedges per 100 words above which the answer sounds unsure.
    pub hedges_per_100: f64,
    /// A silence at least this long between words is noticed by a listener.
    pub long_pause_s: f64,
    /// Pace is measured over stretches of about this many seconds.
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
    /// What is wrong with these thresholds, if anything, in words for the config file's author.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let seconds = [
            ("filler_cluster_s", self.filler_cluster_s),
            ("long_pause_s", self.long_pause_s),
            ("pace_window_s", self.pace_window_s),
            ("first_point_s", self.first_point_s),
            ("slow_wpm", self.slow_wpm),
            ("fast_wpm", self.fast_wpm),
        ];
        for (name, value) in seconds {
            if !(value.is_finite() && value > 0.0) {
                problems.push(format!("{name} must be a number above 0 (it is {value})"));
            }
        }
        let shares = [
            ("fillers_per_100", self.fillers_per_100),
            ("hedges_per_100", self.hedges_per_100),
            ("monotone_semitones", self.monotone_semitones),
        ];
        for (name, value) in shares {
            if !(value.is_finite() && value >= 0.0) {
                problems.push(format!("{name} must be 0 or more (it is {value})"));
            }
        }
        if self.slow_wpm >= self.fast_wpm {
            problems.push(format!(
                "slow_wpm ({}) must be below fast_wpm ({})",
                self.slow_wpm, self.fast_wpm
            ));
        }
        if self.filler_cluster < 2 {
            problems.push("filler_cluster must be 2 or more".to_owned());
        }
        problems
    }
}

/// The voice's pitch, and whether it sounds monotone by the norms.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Intonation {
    #[serde(flatten)]
    pub pitch: Pitch,
    pub monotone: bool,
}

impl Intonation {
    /// "pitch 99 Hz over 5.3 semitones", and "(monotone)" when it is.
    pub fn figures(&self) -> String {
        format!(
            "pitch {:.0} Hz over {:.1} semitones{}",
            self.pitch.median_hz,
            self.pitch.spread_semitones,
            if self.monotone { " (monotone)" } else { "" }
        )
    }
}

/// Delivery figures. Fields that need timing are `None` for typed answers (and absent from
/// sessions saved before they existed).
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
    #[serde(default)]
    pub fillers_at: Option<Vec<FillerAt>>,
    #[serde(default)]
    pub filler_clusters: Option<Vec<Cluster>>,
    #[serde(default)]
    pub hedges_at: Option<Vec<HedgeAt>>,
    #[serde(default)]
    pub pauses: Option<Vec<Pause>>,
    #[serde(default)]
    pub pace: Option<Vec<PaceWindow>>,
    /// When the first key point (hit or partly made) was heard.
    #[serde(default)]
    pub first_point_s: Option<f64>,
    #[serde(default)]
    pub pitch: Option<Intonation>,
    /// The one moment of the delivery most worth working on.
    #[serde(default)]
    pub moment: Option<Moment>,
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
    // whisper writes these as heard.
    &["sorta"],
    &["kind", "of"],
    &["kinda"],
    &["i", "guess"],
    &["probably"],
    &["i", "believe"],
];

/// A filler or hedge found in the answer: what was said, and the index of its first word.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: FoundKind,
    pub said: String,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundKind {
    Filler,
    Hedge,
}

/// Lower-case letters of a word, for filler matching.
pub fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn starts_with_phrase(words: &[String], phrase: &[&str]) -> bool {
    words.len() >= phrase.len() && words.iter().zip(phrase).all(|(w, p)| w == p)
}

/// Every filler and hedge in the answer, in order.
pub fn fillers_and_hedges(words: &[AnswerWord<'_>]) -> Vec<Found> {
    let bare_words: Vec<String> = words.iter().map(|w| bare(w.text)).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bare_words.len() {
        let rest = &bare_words[i..];
        let (kind, said, len) = if FILLER_SOUNDS.contains(&rest[0].as_str())
            || is_comma_like(words, i)
        {
            (FoundKind::Filler, as_said(&words[i..=i]), 1)
        } else if let Some(phrase) = FILLER_PHRASES.iter().find(|p| starts_with_phrase(rest, p)) {
            let len = phrase.len();
            (FoundKind::Filler, as_said(&words[i..i + len]), len)
        } else if let Some(phrase) = HEDGES.iter().find(|p| starts_with_phrase(rest, p)) {
            let len = phrase.len();
            (FoundKind::Hedge, as_said(&words[i..i + len]), len)
        } else {
            i += 1;
            continue;
        };
        found.push(Found {
            kind,
            said,
            index: i,
        });
        i += len;
    }
    found
}

/// Words as the speaker said them, in lower case but for "I", without punctuation ("you know",
/// "I think").
fn as_said(words: &[AnswerWord<'_>]) -> String {
    words
        .iter()
        .map(|w| {
            let word = w.text.trim_matches(|c: char| !c.is_alphanumeric());
            if word == "I" {
                word.to_owned()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The delivery of an answer: counts from its words, and for a recording (timed words, a
/// duration) where each thing happened, its pace over time, its pitch and its key moment.
/// `points` are the answer's judged key points, for the time of the first one made.
pub fn measure(
    words: &[AnswerWord<'_>],
    duration_s: Option<f64>,
    pitch: Option<&Pitch>,
    points: &[PointResult],
    time_limit_s: u32,
    norms: &Norms,
) -> Delivery {
    let found = fillers_and_hedges(words);
    let filler_words: Vec<String> = found
        .iter()
        .filter(|f| f.kind == FoundKind::Filler)
        .map(|f| f.said.clone())
        .collect();
    let hedges = found.iter().filter(|f| f.kind == FoundKind::Hedge).count();
    let count = words.iter().filter(|w| !bare(w.text).is_empty()).count();
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
    let pauses = is_timed.then(|| timeline::pauses(words, norms));
    let fillers_at = is_timed.then(|| timeline::fillers_at(words, &found));
    let mut delivery = Delivery {
        duration_s: duration_s.map(round1),
        words: count,
        wpm,
        fillers,
        fillers_per_100_words,
        long_pauses: pauses.as_ref().map(Vec::len),
        over_time: duration_s.map(|d| d > f64::from(time_limit_s)),
        hedges,
        filler_words,
        time_limit_s,
        filler_clusters: fillers_at
            .as_deref()
            .map(|at| timeline::filler_clusters(at, norms)),
        fillers_at,
        hedges_at: is_timed.then(|| timeline::hedges_at(words, &found)),
        pace: pauses
            .as_ref()
            .map(|pauses| timeline::pace(words, pauses, norms)),
        pauses,
        first_point_s: is_timed.then(|| timeline::first_point_s(points)).flatten(),
        pitch: pitch.map(|pitch| Intonation {
            pitch: *pitch,
            monotone: pitch.spread_semitones < norms.monotone_semitones,
        }),
        moment: None,
    };
    delivery.moment = moment::most_useful(&delivery, words, &found, points, norms);
    delivery
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
    use crate::score::Status;
    use crate::score::moment::MomentKind;
    use crate::score::timeline::tests::at as spoken;

    fn typed(text: &str) -> Vec<AnswerWord<'_>> {
        text.split_whitespace()
            .map(|text| AnswerWord {
                text,
                start_s: None,
                end_s: None,
                p: None,
                heard: None,
            })
            .collect()
    }

    #[test]
    fn counts_fillers_and_hedges_in_typed_text() {
        let words =
            typed("Um, so ECS is, like, a scheduler, you know. I think it uh scales maybe.");
        let d = measure(&words, None, None, &[], 90, &Norms::default());
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
            None,
            &[],
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
                p: None,
                heard: None,
            })
            .collect();
        let d = measure(&words, Some(95.0), None, &[], 90, &Norms::default());
        assert_eq!(d.wpm, Some(60.0));
        assert_eq!(d.long_pauses, Some(1));
        assert_eq!(d.over_time, Some(true));
        assert_eq!(d.duration_s, Some(95.0));
    }

    #[test]
    fn empty_answer_has_zero_figures() {
        let d = measure(&[], Some(3.0), None, &[], 90, &Norms::default());
        assert_eq!((d.words, d.fillers, d.wpm), (0, 0, Some(0.0)));
        assert_eq!(d.fillers_per_100_words, 0.0);
        assert_eq!(d.pace, Some(vec![]));
        assert_eq!(d.moment, None);
    }

    #[test]
    fn typed_answers_have_null_timeline_fields_and_old_records_still_read() -> serde_json::Result<()>
    {
        let d = measure(
            &typed("Um, I think it scales"),
            None,
            None,
            &[],
            90,
            &Norms::default(),
        );
        let json = serde_json::to_value(&d)?;
        for field in [
            "fillers_at",
            "filler_clusters",
            "hedges_at",
            "pauses",
            "pace",
            "first_point_s",
            "pitch",
        ] {
            assert_eq!(json[field], serde_json::Value::Null, "{field}");
        }
        assert_eq!(json["fillers"], 1);
        // A delivery saved before the timeline fields existed.
        let old: Delivery = serde_json::from_str(
            r#"{"duration_s": 12.0, "words": 30, "wpm": 150.0, "fillers": 0,
                "fillers_per_100_words": 0.0, "long_pauses": 0, "over_time": false,
                "hedges": 0, "filler_words": [], "time_limit_s": 90}"#,
        )?;
        assert_eq!((old.pace, old.pitch, old.moment), (None, None, None));
        Ok(())
    }

    fn point(point: &str, status: Status, at_s: f64) -> PointResult {
        PointResult {
            point: point.into(),
            status,
            heard: Some(point.into()),
            similarity: 1.0,
            at_s: Some(at_s),
            matched_by: Some(crate::score::MatchedBy::Words),
            meaning_similarity: None,
            negated: false,
            reference: None,
            weight: 1.0,
        }
    }

    /// A steady answer of `n` words from `from` on, two words a second (120 wpm).
    fn steady(n: usize, from: f64) -> Vec<(&'static str, f64, f64)> {
        (0..n)
            .map(|i| ("word", from + i as f64 * 0.5, from + i as f64 * 0.5 + 0.4))
            .collect()
    }

    #[test]
    fn a_timed_answer_gets_its_timeline_and_the_moment_that_matters_most() {
        let mut said = steady(10, 0.0);
        said.extend([
            ("the", 5.0, 5.2),
            ("task", 5.2, 5.5),
            ("placement,", 5.5, 6.0),
            ("um,", 6.1, 6.3),
            ("you", 7.0, 7.1),
            ("know,", 7.1, 7.4),
            ("uh,", 9.0, 9.3),
        ]);
        said.extend(steady(10, 10.0));
        // A 4 s silence, then more.
        said.extend(steady(10, 19.0));
        let words = spoken(&said);
        let points = [
            point("fully managed", Status::Missed, 1.0),
            point("scales", Status::Partial, 12.0),
            point("orchestration", Status::Hit, 3.0),
        ];
        let norms = Norms::default();
        let d = measure(&words, Some(25.0), None, &points, 90, &norms);
        let fillers: Vec<(&str, f64)> = d
            .fillers_at
            .iter()
            .flatten()
            .map(|f| (f.word.as_str(), f.at_s))
            .collect();
        assert_eq!(fillers, [("um", 6.1), ("you know", 7.0), ("uh", 9.0)]);
        let clusters = d.filler_clusters.clone().unwrap_or_default();
        assert_eq!(clusters.len(), 1);
        assert_eq!((clusters[0].start_s, clusters[0].count), (6.1, 3));
        let pauses = d.pauses.clone().unwrap_or_default();
        assert_eq!(pauses.len(), 1);
        assert_eq!((pauses[0].at_s, pauses[0].duration_s), (14.9, 4.1));
        assert_eq!(d.long_pauses, Some(1));
        assert_eq!(d.first_point_s, Some(3.0), "a missed point does not count");
        assert!(!d.pace.clone().unwrap_or_default().is_empty());

        let moment = d.moment.clone();
        assert_eq!(
            moment.as_ref().map(|m| m.kind),
            Some(MomentKind::FillerCluster)
        );
        let text = moment.map(|m| m.text).unwrap_or_default();
        assert_eq!(
            text,
            "at 0:06 three fillers in 3 s (\"um\", \"you know\", \"uh\"), right after \"the task placement\""
        );

        // With the first point late, that comes first; without fillers, the pause.
        let late = [point("scales", Status::Hit, 21.0)];
        let d = measure(&words, Some(25.0), None, &late, 90, &norms);
        let late_text = d.moment.map(|m| (m.kind, m.text));
        assert_eq!(
            late_text,
            Some((
                MomentKind::LatePoint,
                "your first key point, \"scales\", came only at 0:21".to_owned()
            ))
        );
        let calm = spoken(&[steady(10, 0.0), steady(10, 10.0)].concat());
        let d = measure(&calm, Some(16.0), None, &[], 90, &norms);
        let pause = d.moment.map(|m| (m.kind, m.at_s, m.text));
        assert_eq!(
            pause,
            Some((
                MomentKind::LongPause,
                Some(4.9),
                "at 0:05 a 5.1 s silence, right after \"word word word\"".to_owned()
            ))
        );
    }

    #[test]
    fn a_flat_voice_is_monotone_by_the_norms() {
        let words = spoken(&steady(40, 0.0));
        let flat = Pitch {
            median_hz: 110.0,
            spread_semitones: 1.2,
        };
        let lively = Pitch {
            median_hz: 110.0,
            spread_semitones: 6.0,
        };
        let norms = Norms::default();
        let d = measure(&words, Some(21.0), Some(&flat), &[], 90, &norms);
        assert_eq!(d.pitch.map(|p| p.monotone), Some(true));
        assert_eq!(d.moment.map(|m| m.kind), Some(MomentKind::Monotone));
        let d = measure(&words, Some(21.0), Some(&lively), &[], 90, &norms);
        assert_eq!(d.pitch.map(|p| p.monotone), Some(false));
        assert_eq!(
            d.moment, None,
            "a steady 120 wpm with a lively voice is fine"
        );
    }

    #[test]
    fn rushing_and_hedging_are_said_with_the_words_there() {
        let norms = Norms::default();
        // 12 s at 120 wpm, then 12 s at 240 wpm.
        let mut said = steady(24, 0.0);
        said.extend((0..48).map(|i| ("fast", 12.0 + i as f64 * 0.25, 12.2 + i as f64 * 0.25)));
        let d = measure(&spoken(&said), Some(25.0), None, &[], 90, &norms);
        let moment = d
            .moment
            .map(|m| (m.kind, m.text))
            .unwrap_or((MomentKind::Slow, String::new()));
        assert_eq!(moment.0, MomentKind::Rushed);
        assert!(
            moment.1.starts_with("at 0:12 you sped up to 24")
                && moment.1.ends_with("saying \"fast fast fast fast\""),
            "{}",
            moment.1
        );

        let hedged = spoken(&[
            ("I", 0.0, 0.3),
            ("think", 0.5, 0.8),
            ("it", 1.0, 1.3),
            ("maybe", 1.5, 1.8),
            ("scales,", 2.0, 2.3),
            ("probably.", 2.5, 2.9),
        ]);
        let d = measure(&hedged, Some(3.0), None, &[], 90, &norms);
        assert_eq!(d.hedges, 3);
        let text = d.moment.map(|m| m.text).unwrap_or_default();
        assert_eq!(
            text,
            "from 0:00 on, three hedges in 6 words (\"I think\", \"maybe\", \"probably\")"
        );
    }

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
    }
}
