//! The review as JSON: each answer is the score JSON of the contract, with the question, the
//! reference, the marked words and the recording beside it.

use anyhow::Result;

use super::Render;
use super::review::ReviewDoc;

#[derive(Debug, Clone, Copy)]
pub struct Json;

impl Render for Json {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let mut text = serde_json::to_string_pretty(doc)?;
        text.push('\n');
        Ok(text)
    }
}
