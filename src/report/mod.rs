//! Reports: pure functions from data to text. [`view`] words what every report says once; each
//! format gives it syntax: terminal text (styles as ANSI codes, which anstream strips where colour
//! is off), Markdown, HTML (with SVG pictures), and JSON.

pub mod ansi_text;
pub mod html;
pub mod json;
pub mod markdown;
pub mod page;
pub mod progress;
pub mod review;
pub mod summary;
pub mod svg;
pub mod view;

use anyhow::Result;

use review::ReviewDoc;

/// A format of `rehearse review`.
pub trait Render {
    fn render(&self, doc: &ReviewDoc) -> Result<String>;
}
