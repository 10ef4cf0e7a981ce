//! What was said: the text, and when each word was heard. The same shape is the JSON of
//! `rehearse transcribe --json`, so a saved transcript can be scored again with its timings.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub word: String,
    pub start_s: f64,
    pub end_s: f64,
    /// whisper's probability for the word (the lowest of its tokens).
    pub p: f32,
    /// What whisper wrote, when the word was corrected to a glossary term ("PCS" for "ECS").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heard: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start_s: f64,
    pub end_s: f64,
    pub text: String,
    pub words: Vec<Word>,
}

impl Segment {
    /// Move the segment's timestamps by `offset_s`: from a piece of a recording onto the
    /// recording's clock.
    pub fn shift(&mut self, offset_s: f64) {
        let round = |t: f64| (t * 100.0).round() / 100.0;
        self.start_s = round(self.start_s + offset_s);
        self.end_s = round(self.end_s + offset_s);
        for word in &mut self.words {
            word.start_s = round(word.start_s + offset_s);
            word.end_s = round(word.end_s + offset_s);
        }
    }

    /// When the segment's last sound ends: its end, or its last word's if whisper put that later.
    pub fn last_sound_s(&self) -> f64 {
        self.words
            .iter()
            .map(|w| w.end_s)
            .fold(self.end_s, f64::max)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The model that heard it; `None` for a typed answer.
    pub model: Option<String>,
    /// Length of the recording; `None` for a typed answer.
    pub duration_s: Option<f64>,
    pub text: String,
    pub segments: Vec<Segment>,
    /// The voice's pitch over the recording; `None` for a typed answer or too little voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<Pitch>,
}

/// How the voice moved: the median pitch of the voiced audio and its spread (10th to 90th
/// percentile) in semitones. A narrow spread sounds monotone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pitch {
    pub median_hz: f64,
    pub spread_semitones: f64,
}

/// A word corrected to a glossary term: what whisper wrote, what it is read as, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    pub heard: String,
    #[serde(rename = "as")]
    pub read_as: String,
    pub at_s: f64,
}

/// Below this probability whisper was unsure of a word: it is shown faint in the review. Calibrated on
/// spoken answers (BENCHMARKS.md, "Ears"): 74 % of the words below it were wrong.
pub const UNSURE_P: f32 = 0.3;

/// A word of an answer, timed when it was spoken.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerWord<'a> {
    pub text: &'a str,
    pub start_s: Option<f64>,
    pub end_s: Option<f64>,
    /// whisper's probability for it; `None` for typed text.
    pub p: Option<f32>,
    /// What whisper wrote, when the word was corrected to a glossary term.
    pub heard: Option<&'a str>,
}

impl<'a> AnswerWord<'a> {
    /// A typed word: no time, no probability, nothing heard otherwise.
    pub fn typed(text: &'a str) -> Self {
        Self {
            text,
            start_s: None,
            end_s: None,
            p: None,
            heard: None,
        }
    }

    /// whisper was unsure of it (see [`UNSURE_P`]).
    pub fn is_unsure(&self) -> bool {
        self.p.is_some_and(|p| p < UNSURE_P)
    }
}

impl Transcript {
    /// A typed answer: text only, no timings.
    pub fn typed(text: impl Into<String>) -> Self {
        Self {
            model: None,
            duration_s: None,
            text: text.into(),
            segments: Vec::new(),
            pitch: None,
        }
    }

    /// A transcript of a recording `duration_s` long, from whisper's segments.
    pub fn heard(model: &str, duration_s: f64, segments: Vec<Segment>) -> Self {
        let text = segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Self {
            model: Some(model.to_owned()),
            duration_s: Some((duration_s * 100.0).round() / 100.0),
            text,
            segments,
            pitch: None,
        }
    }

    /// The words corrected to glossary terms, in order.
    pub fn corrections(&self) -> Vec<Correction> {
        self.segments
            .iter()
            .flat_map(|s| &s.words)
            .filter_map(|w| {
                let bare =
                    |text: &str| text.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
                Some(Correction {
                    heard: bare(w.heard.as_deref()?),
                    read_as: bare(&w.word),
                    at_s: w.start_s,
                })
            })
            .collect()
    }

    pub fn is_timed(&self) -> bool {
        self.segments.iter().any(|s| !s.words.is_empty())
    }

    /// The answer's words: whisper's timed words when there are any, else the text split on
    /// whitespace.
    pub fn words(&self) -> Vec<AnswerWord<'_>> {
        if self.is_timed() {
            self.segments
                .iter()
                .flat_map(|s| &s.words)
                .map(|w| AnswerWord {
                    text: w.word.trim(),
                    start_s: Some(w.start_s),
                    end_s: Some(w.end_s),
                    p: Some(w.p),
                    heard: w.heard.as_deref(),
                })
                .filter(|w| !w.text.is_empty())
                .collect()
        } else {
            self.text
                .split_whitespace()
                .map(AnswerWord::typed)
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrected_word_keeps_what_was_heard_in_its_json_and_in_the_corrections() {
        let word = |word: &str, heard: Option<&str>, start_s: f64| Word {
            word: word.into(),
            start_s,
            end_s: start_s + 0.4,
            p: 0.9,
            heard: heard.map(str::to_owned),
        };
        let transcript = Transcript::heard(
            "tiny.en",
            3.0,
            vec![Segment {
                start_s: 0.0,
                end_s: 3.0,
                text: "ECS runs tasks".into(),
                words: vec![
                    word("ECS", Some("PCS"), 0.5),
                    word("runs", None, 1.0),
                    word("tasks", None, 1.5),
                ],
            }],
        );
        let json = serde_json::to_value(&transcript).unwrap_or_default();
        let words = &json["segments"][0]["words"];
        assert_eq!(words[0]["heard"], "PCS");
        assert!(words[1].get("heard").is_none());
        assert_eq!(
            serde_json::to_value(transcript.corrections()).unwrap_or_default(),
            serde_json::json!([{"heard": "PCS", "as": "ECS", "at_s": 0.5}])
        );
        // Transcripts saved before corrections existed still read.
        let old = r#"{"word": "ECS", "start_s": 0.5, "end_s": 0.9, "p": 0.9}"#;
        assert!(serde_json::from_str::<Word>(old).is_ok_and(|w| w.heard.is_none()));
    }
}
