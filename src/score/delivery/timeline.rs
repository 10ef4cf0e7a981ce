//! Delivery on the recording's clock: when each filler and hedge was said, where fillers bunch
//! up, the long silences inside the answer and the pace stretch by stretch. Pure functions of the
//! timed words.

use serde::{Deserialize, Serialize};

use super::measures::{FillerOrHedge, FillerOrHedgeKind};
use super::norms::Norms;
use crate::score::rounding::{round1, round2};
use crate::transcript::AnswerWord;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FillerAt {
    pub word: String,
    pub at_s: f64,
}

/// Several fillers close together: a moment of struggle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub start_s: f64,
    pub end_s: f64,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HedgeAt {
    pub phrase: String,
    pub at_s: f64,
}

/// A silence between two words: where it starts and how long it lasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pause {
    pub at_s: f64,
    pub duration_s: f64,
}

impl Pause {
    pub fn end_s(&self) -> f64 {
        self.at_s + self.duration_s
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaceFlag {
    Ok,
    Rushed,
    Slow,
}

/// The pace over one stretch of the answer; long pauses inside it don't count as speaking time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaceWindow {
    pub start_s: f64,
    pub end_s: f64,
    pub wpm: f64,
    pub flag: PaceFlag,
}

/// The found fillers or hedges that have a time, with what was said.
fn timed<'a>(
    words: &'a [AnswerWord<'_>],
    found: &'a [FillerOrHedge],
    kind: FillerOrHedgeKind,
) -> impl Iterator<Item = (String, f64)> + 'a {
    found
        .iter()
        .filter(move |f| f.kind == kind)
        .filter_map(|f| Some((f.said.clone(), words.get(f.index)?.start_s?)))
}

pub fn fillers_at(words: &[AnswerWord<'_>], found: &[FillerOrHedge]) -> Vec<FillerAt> {
    timed(words, found, FillerOrHedgeKind::Filler)
        .map(|(word, at_s)| FillerAt { word, at_s })
        .collect()
}

pub fn hedges_at(words: &[AnswerWord<'_>], found: &[FillerOrHedge]) -> Vec<HedgeAt> {
    timed(words, found, FillerOrHedgeKind::Hedge)
        .map(|(phrase, at_s)| HedgeAt { phrase, at_s })
        .collect()
}

/// Runs of fillers where at least `norms.filler_cluster` fall within `norms.filler_cluster_s`
/// seconds; overlapping or touching runs make one cluster.
pub fn filler_clusters(fillers: &[FillerAt], norms: &Norms) -> Vec<Cluster> {
    let times: Vec<f64> = fillers.iter().map(|f| f.at_s).collect();
    let window = norms.filler_cluster_s;
    let mut in_cluster = vec![false; times.len()];
    let mut last = 0;
    for first in 0..times.len() {
        last = last.max(first);
        while last + 1 < times.len() && times[last + 1] - times[first] <= window {
            last += 1;
        }
        if last + 1 - first >= norms.filler_cluster {
            in_cluster[first..=last].fill(true);
        }
    }
    let mut clusters: Vec<Cluster> = Vec::new();
    for (i, &at) in times.iter().enumerate() {
        if !in_cluster[i] {
            continue;
        }
        match clusters.last_mut() {
            Some(cluster) if in_cluster[i - 1] && at - cluster.end_s <= window => {
                cluster.end_s = at;
                cluster.count += 1;
            }
            _ => clusters.push(Cluster {
                start_s: at,
                end_s: at,
                count: 1,
            }),
        }
    }
    clusters
}

/// Silences of at least `norms.long_pause_s` between words (not before the first word or
/// after the last: those are not inside the answer).
pub fn pauses(words: &[AnswerWord<'_>], norms: &Norms) -> Vec<Pause> {
    let timed: Vec<(f64, f64)> = words
        .iter()
        .filter_map(|w| Some((w.start_s?, w.end_s?)))
        .collect();
    timed
        .windows(2)
        .filter_map(|pair| {
            let gap = pair[1].0 - pair[0].1;
            (gap >= norms.long_pause_s).then(|| Pause {
                at_s: pair[0].1,
                duration_s: round2(gap),
            })
        })
        .collect()
}

/// A stretch of speech shorter than this (long pauses left out) gives no steady pace: a phrase
/// that short joins the next.
const MIN_STRETCH_S: f64 = 6.0;
/// A silence between words at least this long ends a phrase, as a sentence's end does.
const PHRASE_GAP_S: f64 = 0.4;

/// Words a minute phrase by phrase, each flagged against the norms. The answer is cut where a
/// sentence or a phrase ends (and at the latest after `norms.pace_window_s` of speech); a phrase
/// with less than [`MIN_STRETCH_S`] of speech gives no steady pace, so it joins the neighbour
/// whose pace is closest to its own, the shortest first: a rushed sentence is measured on its
/// own, not averaged with the calm ones around it, and a calm phrase beside it stays calm. A
/// stretch runs from its first word to the next stretch's first word (the last to its last
/// word), long pauses inside it left out.
pub fn pace(words: &[AnswerWord<'_>], pauses: &[Pause], norms: &Norms) -> Vec<PaceWindow> {
    let timed: Vec<(f64, f64, bool)> = words
        .iter()
        .filter_map(|w| Some((w.start_s?, w.end_s?, w.text.ends_with(['.', '?', '!']))))
        .collect();
    let (Some(first), Some(last)) = (timed.first(), timed.last()) else {
        return Vec::new();
    };
    if last.1 - first.0 < 1.0 {
        return Vec::new();
    }
    let speaking = |from: f64, to: f64| {
        let silent: f64 = pauses
            .iter()
            .map(|p| (p.end_s().min(to) - p.at_s.max(from)).max(0.0))
            .sum();
        to - from - silent
    };
    // Each phrase as the index of its first word.
    let mut starts: Vec<usize> = vec![0];
    for (i, pair) in timed.windows(2).enumerate() {
        let (word, next) = (pair[0], pair[1]);
        let from = timed[starts[starts.len() - 1]].0;
        let phrase_ends = word.2 || next.0 - word.1 >= PHRASE_GAP_S;
        if phrase_ends || speaking(from, next.0) >= norms.pace_window_s {
            starts.push(i + 1);
        }
    }
    join_short_phrases(&mut starts, timed.len(), |begin, end| {
        let to = timed.get(end).map_or(last.1, |next| next.0);
        let seconds = speaking(timed[begin].0, to);
        (seconds, (end - begin) as f64 * 60.0 / seconds.max(0.1))
    });
    starts
        .iter()
        .enumerate()
        .filter_map(|(k, &begin)| {
            let end = starts.get(k + 1).copied().unwrap_or(timed.len());
            let from = timed[begin].0;
            let to = timed.get(end).map_or(last.1, |next| next.0);
            let seconds = speaking(from, to);
            (seconds >= 1.0).then(|| {
                let wpm = round1((end - begin) as f64 * 60.0 / seconds);
                PaceWindow {
                    start_s: round2(from),
                    end_s: round2(to),
                    wpm,
                    flag: if wpm > norms.fast_wpm {
                        PaceFlag::Rushed
                    } else if wpm < norms.slow_wpm {
                        PaceFlag::Slow
                    } else {
                        PaceFlag::Ok
                    },
                }
            })
        })
        .collect()
}

/// Join each phrase (by its first word's index in `starts`, of `words` words in all) shorter
/// than [`MIN_STRETCH_S`] to the neighbour whose pace is closest, shortest first, until none is
/// left or one stretch is. `measure(begin, end)` gives the speech seconds and words a minute of
/// words `begin..end`.
fn join_short_phrases(
    starts: &mut Vec<usize>,
    words: usize,
    measure: impl Fn(usize, usize) -> (f64, f64),
) {
    // The end of stretch `k`: the next one's start, or past the last word.
    let end_of = |starts: &[usize], k: usize| starts.get(k + 1).copied().unwrap_or(words);
    // Measured once; a join measures again only the stretch it makes.
    let mut measured: Vec<(f64, f64)> = (0..starts.len())
        .map(|k| measure(starts[k], end_of(starts, k)))
        .collect();
    while starts.len() > 1 {
        let Some(short) = (0..starts.len())
            .filter(|&k| measured[k].0 < MIN_STRETCH_S)
            .min_by(|&a, &b| measured[a].0.total_cmp(&measured[b].0))
        else {
            return;
        };
        let gap_to = |k: usize| (measured[k].1 - measured[short].1).abs();
        let with_next = match (short.checked_sub(1), short + 1 < starts.len()) {
            (Some(before), true) => gap_to(short + 1) < gap_to(before),
            (None, _) => true,
            (Some(_), false) => false,
        };
        // Joining drops the later of the two stretches' starts.
        let kept = if with_next { short } else { short - 1 };
        starts.remove(kept + 1);
        measured.remove(kept + 1);
        measured[kept] = measure(starts[kept], end_of(starts, kept));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::score::delivery::measures::fillers_and_hedges;

    /// Words at the given (start, end) times.
    pub(crate) fn at<'a>(said: &[(&'a str, f64, f64)]) -> Vec<AnswerWord<'a>> {
        said.iter()
            .map(|&(text, start, end)| AnswerWord {
                text,
                start_s: Some(start),
                end_s: Some(end),
                p: None,
                heard: None,
            })
            .collect()
    }

    /// `n` words evenly over `from`..`to`.
    fn even(n: usize, from: f64, to: f64) -> Vec<(&'static str, f64, f64)> {
        let step = (to - from) / n as f64;
        (0..n)
            .map(|i| {
                let start = from + i as f64 * step;
                ("word", start, start + step * 0.8)
            })
            .collect()
    }

    #[test]
    fn fillers_and_hedges_are_placed_at_their_first_word() {
        let words = at(&[
            ("So,", 0.0, 0.3),
            ("um,", 0.5, 0.7),
            ("I", 1.0, 1.1),
            ("think", 1.1, 1.4),
            ("you", 2.0, 2.1),
            ("know,", 2.1, 2.4),
            ("maybe.", 3.0, 3.5),
        ]);
        let found = fillers_and_hedges(&words);
        let fillers: Vec<(String, f64)> = fillers_at(&words, &found)
            .into_iter()
            .map(|f| (f.word, f.at_s))
            .collect();
        assert_eq!(
            fillers,
            [("um".to_owned(), 0.5), ("you know".to_owned(), 2.0)]
        );
        let hedges: Vec<(String, f64)> = hedges_at(&words, &found)
            .into_iter()
            .map(|h| (h.phrase, h.at_s))
            .collect();
        assert_eq!(
            hedges,
            [("I think".to_owned(), 1.0), ("maybe".to_owned(), 3.0)]
        );
    }

    fn fillers(times: &[f64]) -> Vec<FillerAt> {
        times
            .iter()
            .map(|&at_s| FillerAt {
                word: "um".into(),
                at_s,
            })
            .collect()
    }

    #[test]
    fn three_fillers_within_eight_seconds_make_a_cluster() {
        let norms = Norms::default();
        assert!(filler_clusters(&fillers(&[1.0, 5.0, 9.5, 20.0]), &norms).is_empty());
        let clusters = filler_clusters(&fillers(&[1.0, 10.0, 12.0, 17.9, 40.0]), &norms);
        assert_eq!(
            clusters,
            [Cluster {
                start_s: 10.0,
                end_s: 17.9,
                count: 3
            }]
        );
        // A long run of fillers is one cluster, not one per window; a later run is another.
        let clusters = filler_clusters(
            &fillers(&[2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 50.0, 51.0, 52.0]),
            &norms,
        );
        let spans: Vec<(f64, f64, usize)> = clusters
            .iter()
            .map(|c| (c.start_s, c.end_s, c.count))
            .collect();
        assert_eq!(spans, [(2.0, 14.0, 7), (50.0, 52.0, 3)]);
        assert!(filler_clusters(&[], &norms).is_empty());
    }

    #[test]
    fn long_silences_between_words_are_pauses_but_not_before_or_after() {
        let words = at(&[
            ("one", 3.0, 3.4),
            ("two", 3.5, 3.9),
            ("three", 7.0, 7.3),
            ("four", 9.5, 9.9),
        ]);
        let found = pauses(&words, &Norms::default());
        assert_eq!(
            found,
            [Pause {
                at_s: 3.9,
                duration_s: 3.1
            }]
        );
        assert!(pauses(&at(&[("alone", 5.0, 5.5)]), &Norms::default()).is_empty());
    }

    #[test]
    fn pace_is_measured_stretch_by_stretch_and_flagged() {
        let norms = Norms::default();
        // 12 s at 150 wpm, 12 s at 240 wpm, 12 s at 60 wpm.
        let said = [
            even(30, 0.0, 12.0),
            even(48, 12.0, 24.0),
            even(12, 24.0, 36.0),
        ]
        .concat();
        let words = at(&said);
        let windows = pace(&words, &pauses(&words, &norms), &norms);
        let flags: Vec<PaceFlag> = windows.iter().map(|w| w.flag).collect();
        assert_eq!(flags, [PaceFlag::Ok, PaceFlag::Rushed, PaceFlag::Slow]);
        assert!((windows[1].wpm - 240.0).abs() < 12.0, "{windows:?}");
        assert_eq!(windows[0].start_s, 0.0);
        assert_eq!(windows[2].end_s, 35.8);
    }

    /// `even`, ending in a full stop.
    fn sentence(n: usize, from: f64, to: f64) -> Vec<(&'static str, f64, f64)> {
        let mut words = even(n, from, to);
        if let Some(last) = words.last_mut() {
            last.0 = "end.";
        }
        words
    }

    #[test]
    fn a_short_calm_sentence_before_a_burst_stays_with_the_calm_ones() {
        let norms = Norms::default();
        // 7 s and 2.5 s at 144 wpm, then 8 s at 270, then 8 s at 135.
        let said = [
            sentence(17, 0.0, 7.0),
            sentence(6, 7.0, 9.5),
            sentence(36, 9.5, 17.5),
            sentence(18, 17.5, 25.5),
        ]
        .concat();
        let words = at(&said);
        let windows = pace(&words, &pauses(&words, &norms), &norms);
        let flags: Vec<PaceFlag> = windows.iter().map(|w| w.flag).collect();
        assert_eq!(flags, [PaceFlag::Ok, PaceFlag::Rushed, PaceFlag::Ok]);
        assert_eq!(windows[1].start_s, 9.5, "the burst measured on its own");
        assert!((windows[1].wpm - 270.0).abs() < 15.0, "{windows:?}");
    }

    #[test]
    fn a_long_pause_is_not_counted_as_slow_speech() {
        let norms = Norms::default();
        // 150 wpm on both sides of an 8 s silence.
        let said = [even(15, 0.0, 6.0), even(15, 14.0, 20.0)].concat();
        let words = at(&said);
        let gaps = pauses(&words, &norms);
        assert_eq!(gaps.len(), 1);
        let windows = pace(&words, &gaps, &norms);
        assert!(!windows.is_empty());
        for window in windows {
            assert_eq!(window.flag, PaceFlag::Ok, "{window:?}");
        }
        assert!(pace(&at(&[("hi", 1.0, 1.5)]), &[], &norms).is_empty());
    }
}
