//! Question banks: the data model, loading from TOML files, validation, id lookup and Markdown
//! import. Parsing and validation are pure functions of text; only [`load`] touches the disk.

pub mod bundled;
mod ids;
pub mod limits;
mod load;
mod location;
mod lookup;
pub mod markdown;
mod parse;
mod said;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use load::{LoadedBank, SkippedFile, bank_files, load};
pub use location::{BankLocation, BankOrigin};
pub use lookup::{BankInUse, SkippedQuestion};
pub use parse::{ParsedFile, parse_file};

/// Answer time limit when neither the question nor its file sets one.
pub const DEFAULT_TIME_LIMIT_S: u32 = 90;

/// A phrase a good answer must contain, with other ways a speaker might say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyPoint {
    pub point: String,
    pub aliases: Vec<String>,
    /// What an interviewer would ask when the point is missed, as the bank's author wrote it
    /// (`follow_up` in bank TOML); without it the coach words one from the reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<String>,
}

impl KeyPoint {
    /// The point followed by its aliases: every phrasing that counts.
    pub fn phrasings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.point.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// What a question asks for, and so how its answer is heard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Knowledge, judged against a reference answer and its key points.
    #[default]
    Technical,
    /// "Tell me about a time...": a story from the speaker's past, heard as STAR (situation,
    /// task, action, result); its key points, when it has any, are what the interviewer listens
    /// for.
    Behavioral,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Behavioral => "behavioral",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub deck: String,
    pub category: String,
    pub question: String,
    pub kind: Kind,
    /// The reference answer; empty for a behavioural question that has none.
    pub answer: String,
    pub key_points: Vec<KeyPoint>,
    pub time_limit_s: u32,
    #[serde(skip)]
    pub source: PathBuf,
}

#[cfg(test)]
impl Question {
    /// A technical question of deck `d` for unit tests: its text, reference answer and key points
    /// with their aliases.
    pub(crate) fn technical(question: &str, answer: &str, key_points: &[(&str, &[&str])]) -> Self {
        Self {
            id: "q".into(),
            deck: "d".into(),
            category: "c".into(),
            question: question.into(),
            kind: Kind::Technical,
            answer: answer.into(),
            key_points: key_points
                .iter()
                .map(|(point, aliases)| KeyPoint {
                    point: (*point).into(),
                    aliases: aliases.iter().map(|a| (*a).into()).collect(),
                    follow_up: None,
                })
                .collect(),
            time_limit_s: 90,
            source: "b.toml".into(),
        }
    }
}

/// All questions in use, in file order.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    pub questions: Vec<Question>,
    /// How terms are said, from the decks' `[glossary]` tables (`EC2 = "E C two"`); the first
    /// deck to name a term wins. See [`crate::glossary`].
    pub glossary: BTreeMap<String, String>,
}

impl Bank {
    pub fn categories(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for q in &self.questions {
            if !seen.contains(&q.category.as_str()) {
                seen.push(&q.category);
            }
        }
        seen
    }
}

/// One problem in a bank file, located and with a suggested fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub question_id: Option<String>,
    pub message: String,
    pub fix: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // File names, ids and keys come from the bank's author: shown, never obeyed.
        let mut text = format!("{}:{}: ", self.file.display(), self.line);
        if let Some(id) = &self.question_id {
            text.push_str(&format!("question `{id}`: "));
        }
        text.push_str(&format!("{}\n    fix: {}", self.message, self.fix));
        f.write_str(&crate::text::visible::neutralise(&text))
    }
}
