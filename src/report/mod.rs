//! Reports: pure functions from data to text. [`view`] words what every report says once; each
//! format gives it syntax: terminal text (styles as ANSI codes, which anstream strips where colour
//! is off), Markdown, HTML (with SVG pictures), and JSON.
//!
//! Where a new thing goes:
//! - something found about a key point or a sentence of the reference (a word heard with low
//!   confidence and read as another): a [`view::FindingKind`] and its wording in
//!   [`view::point_findings`]; every format shows it with the others, HTML with a class of its
//!   kind's name;
//! - a line about the whole answer (a compact STAR structure): a function in [`view`] that
//!   returns a [`view::Phrase`], which each format places where it wants it;
//! - a mark on the transcript's words: a field of [`review::MarkedWord`], set in
//!   [`review::mark_words`], given its syntax in each format's transcript;
//! - a band or lane on the answer's timeline: [`svg`], with its legend in [`html`];
//! - a new format: a type that implements [`view::Syntax`] and [`Render`].

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
