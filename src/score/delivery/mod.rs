//! How the answer was said: pace, fillers, hedges, long pauses, pitch and time used, in total
//! and on the recording's clock.
//! - [`measures`]: what the words show (fillers, hedges) and the voice's pitch;
//! - [`norms`]: the thresholds, which the user's config file can change;
//! - [`timeline`]: where each thing happened, the pace stretch by stretch;
//! - [`moments`]: the one moment most worth working on.

pub mod measures;
pub mod moments;
pub mod norms;
pub mod timeline;

use serde::{Deserialize, Serialize};

use crate::score::feedback::{Finding, Rank};
use crate::score::rounding::round1;
use crate::transcript::{AnswerWord, Pitch};
pub use measures::{FillerOrHedge, FillerOrHedgeKind, Intonation, bare, fillers_and_hedges};
use moments::{Moment, Timeline};
pub use norms::Norms;
use timeline::{Cluster, FillerAt, HedgeAt, PaceWindow, Pause};

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

/// The first key point made (fully or partly), and when: the content's word on the delivery's
/// clock.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FirstPoint<'a> {
    pub point: &'a str,
    pub at_s: f64,
}

/// The delivery of an answer: counts from its words, and for a recording (timed words, a
/// duration) where each thing happened, its pace over time, its pitch and its key moment.
/// `first_point` is the first key point made, and when (from the content signal).
pub fn measure(
    words: &[AnswerWord<'_>],
    duration_s: Option<f64>,
    pitch: Option<&Pitch>,
    first_point: Option<FirstPoint<'_>>,
    time_limit_s: u32,
    norms: &Norms,
) -> Delivery {
    let found = fillers_and_hedges(words);
    let filler_words: Vec<String> = found
        .iter()
        .filter(|f| f.kind == FillerOrHedgeKind::Filler)
        .map(|f| f.said.clone())
        .collect();
    let hedges = found
        .iter()
        .filter(|f| f.kind == FillerOrHedgeKind::Hedge)
        .count();
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
        first_point_s: is_timed
            .then(|| first_point.as_ref().map(|p| p.at_s))
            .flatten(),
        pitch: pitch.map(|pitch| Intonation {
            pitch: *pitch,
            monotone: pitch.spread_semitones < norms.monotone_semitones,
        }),
        moment: None,
    };
    delivery.moment = delivery
        .timeline(first_point.map(|p| p.point))
        .most_useful(words, &found, norms);
    delivery
}

impl Delivery {
    /// The timeline the key moment is picked from; `first_point` names the first key point made.
    fn timeline<'d>(&'d self, first_point: Option<&'d str>) -> Timeline<'d> {
        Timeline {
            first_point: first_point.zip(self.first_point_s),
            fillers_at: self.fillers_at.as_deref().unwrap_or_default(),
            filler_clusters: self.filler_clusters.as_deref().unwrap_or_default(),
            hedges_at: self.hedges_at.as_deref().unwrap_or_default(),
            pauses: self.pauses.as_deref().unwrap_or_default(),
            pace: self.pace.as_deref().unwrap_or_default(),
            pitch: self.pitch,
            words: self.words,
        }
    }

    /// What the delivery gets wrong, each with its advice: no answer at all, the key moment of a
    /// recording, and over the whole answer fillers, pace and time.
    pub fn findings(&self, norms: &Norms) -> Vec<Finding> {
        let mut findings = Vec::new();
        if self.words == 0 {
            findings.push(Finding::new(
                Rank::NoAnswer,
                "No answer was heard: answer out loud (or type it) in full sentences.",
            ));
        }
        if let Some(moment) = &self.moment {
            findings.push(Finding::new(Rank::DeliveryMoment, moment.advice(norms)));
        }
        if self.fillers_per_100_words > norms.fillers_per_100 {
            findings.push(Finding::new(
                Rank::Fillers,
                format!(
                    "Cut the fillers ({} per 100 words): pause silently instead of saying \"{}\".",
                    self.fillers_per_100_words,
                    self.filler_words.first().map_or("um", String::as_str)
                ),
            ));
        }
        if let Some(wpm) = self.wpm.filter(|w| *w > norms.fast_wpm) {
            findings.push(Finding::new(
                Rank::Pace,
                format!(
                    "Slow down: {wpm:.0} words a minute sounds rushed; {}.",
                    norms.aim()
                ),
            ));
        }
        if let Some(wpm) = self.wpm.filter(|w| *w > 0.0 && *w < norms.slow_wpm) {
            findings.push(Finding::new(
                Rank::Pace,
                format!(
                    "Pick up the pace: {wpm:.0} words a minute; {}.",
                    norms.aim()
                ),
            ));
        }
        if self.over_time == Some(true) {
            findings.push(Finding::new(
                Rank::OverTime,
                format!(
                    "Tighten it: you went over the {} s limit; say the key points first, then stop.",
                    self.time_limit_s
                ),
            ));
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moments::MomentKind;
    use timeline::tests::at as spoken;

    fn typed(text: &str) -> Vec<AnswerWord<'_>> {
        text.split_whitespace().map(AnswerWord::typed).collect()
    }

    #[test]
    fn counts_fillers_and_hedges_in_typed_text() {
        let words =
            typed("Um, so ECS is, like, a scheduler, you know. I think it uh scales maybe.");
        let d = measure(&words, None, None, None, 90, &Norms::default());
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
                p: None,
                heard: None,
            })
            .collect();
        let d = measure(&words, Some(95.0), None, None, 90, &Norms::default());
        assert_eq!(d.wpm, Some(60.0));
        assert_eq!(d.long_pauses, Some(1));
        assert_eq!(d.over_time, Some(true));
        assert_eq!(d.duration_s, Some(95.0));
    }

    #[test]
    fn empty_answer_has_zero_figures() {
        let d = measure(&[], Some(3.0), None, None, 90, &Norms::default());
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
            None,
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
        // Of "fully managed" (missed, at 1 s), "scales" (partly, at 12 s) and "orchestration"
        // (hit, at 3 s), the content signal gives the first made.
        let first = FirstPoint {
            point: "orchestration",
            at_s: 3.0,
        };
        let norms = Norms::default();
        let d = measure(&words, Some(25.0), None, Some(first), 90, &norms);
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
        let late = FirstPoint {
            point: "scales",
            at_s: 21.0,
        };
        let d = measure(&words, Some(25.0), None, Some(late), 90, &norms);
        let late_text = d.moment.map(|m| (m.kind, m.text));
        assert_eq!(
            late_text,
            Some((
                MomentKind::LatePoint,
                "your first key point, \"scales\", came only at 0:21".to_owned()
            ))
        );
        let calm = spoken(&[steady(10, 0.0), steady(10, 10.0)].concat());
        let d = measure(&calm, Some(16.0), None, None, 90, &norms);
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
        let d = measure(&words, Some(21.0), Some(&flat), None, 90, &norms);
        assert_eq!(d.pitch.map(|p| p.monotone), Some(true));
        assert_eq!(d.moment.map(|m| m.kind), Some(MomentKind::Monotone));
        let d = measure(&words, Some(21.0), Some(&lively), None, 90, &norms);
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
        let d = measure(&spoken(&said), Some(25.0), None, None, 90, &norms);
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
        let d = measure(&hedged, Some(3.0), None, None, 90, &norms);
        assert_eq!(d.hedges, 3);
        let text = d.moment.map(|m| m.text).unwrap_or_default();
        assert_eq!(
            text,
            "from 0:00 on, three hedges in 6 words (\"I think\", \"maybe\", \"probably\")"
        );
    }
}
