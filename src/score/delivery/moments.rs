//! The one moment of a spoken answer most worth working on, said with when it happened ("at
//! 0:42 three fillers in 5 s, right after \"task placement\""). Coaches agree one concrete thing
//! helps more than a list, so the kinds are tried in order of how much they cost an interview
//! answer, and within a kind the worst instance wins.

use serde::{Deserialize, Serialize};

use super::measures::{FillerOrHedge, FillerOrHedgeKind, Intonation};
use super::norms::Norms;
use super::timeline::{Cluster, FillerAt, HedgeAt, PaceFlag, PaceWindow, Pause};
use crate::style::clock;
use crate::transcript::AnswerWord;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    LatePoint,
    FillerCluster,
    LongPause,
    Rushed,
    Hedging,
    Slow,
    Monotone,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Moment {
    pub kind: MomentKind,
    /// Where in the recording; `None` when it concerns the whole answer (a monotone voice).
    pub at_s: Option<f64>,
    /// What happened, with its time.
    pub text: String,
}

impl Moment {
    /// The advice for next time, built around this moment.
    pub fn advice(&self, norms: &Norms) -> String {
        let text = &self.text;
        match self.kind {
            MomentKind::LatePoint => format!(
                "Lead with the answer: {text}; aim for the first {:.0} s.",
                norms.first_point_s
            ),
            MomentKind::FillerCluster => {
                format!("Pause silently instead of filling: {text}.")
            }
            MomentKind::LongPause => format!(
                "Keep the thread through the silences: {text}; say what comes next (\"the second \
                 reason is...\") while you think."
            ),
            MomentKind::Rushed => format!("Slow down: {text}; {}.", norms.aim()),
            MomentKind::Hedging => {
                format!("Say it plainly: {text}; drop the hedges where you know the answer.")
            }
            MomentKind::Slow => format!("Pick up the pace: {text}; {}.", norms.aim()),
            MomentKind::Monotone => format!(
                "Vary your voice: {text}; stress the key words and let your pitch rise and fall."
            ),
        }
    }
}

/// What a recording's moments are picked from: its timeline (empty for a typed answer).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timeline<'d> {
    /// The first key point made, and when.
    pub first_point: Option<(&'d str, f64)>,
    pub fillers_at: &'d [FillerAt],
    pub filler_clusters: &'d [Cluster],
    pub hedges_at: &'d [HedgeAt],
    pub pauses: &'d [Pause],
    pub pace: &'d [PaceWindow],
    pub pitch: Option<Intonation>,
    /// How many words the answer has.
    pub words: usize,
}

impl Timeline<'_> {
    /// The moment to work on, if the answer has one.
    pub fn most_useful(
        &self,
        words: &[AnswerWord<'_>],
        found: &[FillerOrHedge],
        norms: &Norms,
    ) -> Option<Moment> {
        let said = Said { words, found };
        self.late_point(norms)
            .or_else(|| self.filler_cluster(&said))
            .or_else(|| self.long_pause(&said))
            .or_else(|| self.pace(&said, PaceFlag::Rushed))
            .or_else(|| self.hedging(found, norms))
            .or_else(|| self.pace(&said, PaceFlag::Slow))
            .or_else(|| self.monotone())
    }

    fn late_point(&self, norms: &Norms) -> Option<Moment> {
        let (point, at) = self
            .first_point
            .filter(|(_, at)| *at > norms.first_point_s)?;
        Some(Moment {
            kind: MomentKind::LatePoint,
            at_s: Some(at),
            text: format!(
                "your first key point, \"{point}\", came only at {}",
                clock(at)
            ),
        })
    }

    fn filler_cluster(&self, said: &Said<'_, '_>) -> Option<Moment> {
        // The biggest cluster; among equals the first.
        let cluster = self.filler_clusters.iter().rev().max_by_key(|c| c.count)?;
        let fillers: Vec<String> = self
            .fillers_at
            .iter()
            .filter(|f| f.at_s >= cluster.start_s && f.at_s <= cluster.end_s)
            .take(3)
            .map(|f| format!("\"{}\"", f.word))
            .collect();
        let mut text = format!(
            "at {} {} fillers in {:.0} s ({})",
            clock(cluster.start_s),
            in_words(cluster.count),
            (cluster.end_s - cluster.start_s).max(1.0),
            fillers.join(", ")
        );
        said.append_before(&mut text, cluster.start_s);
        Some(Moment {
            kind: MomentKind::FillerCluster,
            at_s: Some(cluster.start_s),
            text,
        })
    }

    fn long_pause(&self, said: &Said<'_, '_>) -> Option<Moment> {
        let pause = self
            .pauses
            .iter()
            .rev()
            .max_by(|a, b| a.duration_s.total_cmp(&b.duration_s))?;
        let mut text = format!(
            "at {} a {:.1} s silence",
            clock(pause.at_s),
            pause.duration_s
        );
        said.append_before(&mut text, pause.end_s());
        Some(Moment {
            kind: MomentKind::LongPause,
            at_s: Some(pause.at_s),
            text,
        })
    }

    /// The fastest rushed stretch, or the slowest slow one.
    fn pace(&self, said: &Said<'_, '_>, flag: PaceFlag) -> Option<Moment> {
        let flagged = self.pace.iter().filter(|w| w.flag == flag);
        let by_wpm = |a: &&PaceWindow, b: &&PaceWindow| a.wpm.total_cmp(&b.wpm);
        let (window, kind, verb) = match flag {
            PaceFlag::Rushed => (flagged.max_by(by_wpm)?, MomentKind::Rushed, "sped up to"),
            PaceFlag::Slow => (flagged.min_by(by_wpm)?, MomentKind::Slow, "slowed to"),
            PaceFlag::Ok => return None,
        };
        let mut text = format!(
            "at {} you {verb} {:.0} words a minute",
            clock(window.start_s),
            window.wpm
        );
        if let Some(words) = said.from(window.start_s) {
            text.push_str(&format!(", saying \"{words}\""));
        }
        Some(Moment {
            kind,
            at_s: Some(window.start_s),
            text,
        })
    }

    fn hedging(&self, found: &[FillerOrHedge], norms: &Norms) -> Option<Moment> {
        let hedges = self.hedges_at;
        let first = hedges.first()?;
        let per_100 = hedges.len() as f64 * 100.0 / self.words.max(1) as f64;
        if hedges.len() < 2 || per_100 <= norms.hedges_per_100 {
            return None;
        }
        let mut phrases: Vec<String> = Vec::new();
        for hedge in found.iter().filter(|f| f.kind == FillerOrHedgeKind::Hedge) {
            let quoted = format!("\"{}\"", hedge.said);
            if !phrases.contains(&quoted) && phrases.len() < 3 {
                phrases.push(quoted);
            }
        }
        Some(Moment {
            kind: MomentKind::Hedging,
            at_s: Some(first.at_s),
            text: format!(
                "from {} on, {} hedges in {} words ({})",
                clock(first.at_s),
                in_words(hedges.len()),
                self.words,
                phrases.join(", ")
            ),
        })
    }

    fn monotone(&self) -> Option<Moment> {
        let pitch = self.pitch.filter(|p| p.monotone)?;
        Some(Moment {
            kind: MomentKind::Monotone,
            at_s: None,
            text: format!(
                "your pitch stayed within {:.1} semitones",
                pitch.pitch.spread_semitones
            ),
        })
    }
}

/// The answer's words, to quote around a moment.
struct Said<'w, 'a> {
    words: &'w [AnswerWord<'a>],
    found: &'w [FillerOrHedge],
}

impl Said<'_, '_> {
    /// The index of the first word starting at or after `at_s`.
    fn index_at(&self, at_s: f64) -> usize {
        self.words
            .iter()
            .position(|w| w.start_s.is_some_and(|s| s >= at_s - 0.005))
            .unwrap_or(self.words.len())
    }

    fn is_filler(&self, index: usize) -> bool {
        self.found.iter().any(|f| {
            f.kind == FillerOrHedgeKind::Filler
                && (f.index..f.index + f.said.split_whitespace().count()).contains(&index)
        })
    }

    /// `, right after "the last words"` before the time, leaving fillers out: the words of the
    /// sentence under way when there are at least two, else the end of the sentence before.
    fn append_before(&self, text: &mut String, at_s: f64) {
        let end = self.index_at(at_s);
        let before: Vec<usize> = (0..end).rev().filter(|&i| !self.is_filler(i)).collect();
        let ends_sentence = |i: &usize| self.words[*i].text.ends_with(['.', '?', '!']);
        let this_sentence = before.iter().take_while(|i| !ends_sentence(i)).count();
        let chosen: &[usize] = if this_sentence >= 2 || this_sentence == before.len() {
            &before[..this_sentence]
        } else {
            &before[this_sentence..]
        };
        let mut quoted: Vec<&str> = chosen
            .iter()
            .map(|&i| plain(self.words[i].text))
            .filter(|w| !w.is_empty())
            .take(3)
            .collect();
        if quoted.is_empty() {
            return;
        }
        quoted.reverse();
        text.push_str(&format!(", right after \"{}\"", quoted.join(" ")));
    }

    /// The first few words said from the time on.
    fn from(&self, at_s: f64) -> Option<String> {
        let words: Vec<&str> = self.words[self.index_at(at_s)..]
            .iter()
            .map(|w| plain(w.text))
            .filter(|w| !w.is_empty())
            .take(4)
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// A small count in words, as said aloud ("three fillers"); larger ones in digits.
fn in_words(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// A word without the punctuation around it.
fn plain(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::delivery::measures::fillers_and_hedges;

    fn said<'a>(text: &'a str) -> Vec<AnswerWord<'a>> {
        text.split_whitespace()
            .enumerate()
            .map(|(i, text)| AnswerWord {
                text,
                start_s: Some(i as f64),
                end_s: Some(i as f64 + 0.8),
                p: None,
                heard: None,
            })
            .collect()
    }

    fn before(text: &str, at_s: f64) -> String {
        let words = said(text);
        let found = fillers_and_hedges(&words);
        let mut quote = String::new();
        Said {
            words: &words,
            found: &found,
        }
        .append_before(&mut quote, at_s);
        quote
    }

    #[test]
    fn the_words_before_a_moment_come_from_one_sentence_without_fillers() {
        // Two words of the sentence under way are enough.
        assert_eq!(
            before("It runs tasks. It places, um, you know, them", 6.0),
            ", right after \"It places\""
        );
        // One word is not: the end of the sentence before says more.
        assert_eq!(
            before("I used it for years now. And, you know, it is hard", 6.0),
            ", right after \"for years now\""
        );
        assert_eq!(before("And, you know, it", 1.0), ", right after \"And\"");
        assert_eq!(before("Um, so", 0.0), "");
    }
}
