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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::report::{ansi_text::AnsiText, html::Html, json::Json, markdown::Markdown};
    use crate::session::RecordStatus;

    #[test]
    fn a_cut_off_recording_is_shown_in_every_format() -> anyhow::Result<()> {
        let record = crate::session::history::tests::record("s1", vec![]);
        let files = [
            "recording-101500-what-is-ecs.wav".to_owned(),
            "notes.wav".to_owned(),
        ];
        let doc = review::build(
            &record,
            RecordStatus::Interrupted,
            (Path::new("/data/s1"), &files),
            |_| true,
        );
        assert_eq!(doc.cut_off.len(), 1, "only a recording name counts");
        assert_eq!(doc.cut_off[0].question_id, "what-is-ecs");
        let text = AnsiText {
            width: 80,
            color: false,
        }
        .render(&doc)?;
        let markdown = Markdown.render(&doc)?;
        for shown in [&text, &markdown] {
            assert!(
                shown.contains("Cut off before it was scored")
                    && shown.contains("/data/s1/recording-101500-what-is-ecs.wav"),
                "{shown}"
            );
        }
        let html = Html.render(&doc)?;
        assert!(html.contains("Cut off before it was scored") && html.contains("<audio"));
        let json: serde_json::Value = serde_json::from_str(&Json.render(&doc)?)?;
        assert_eq!(json["cut_off"][0]["question_id"], "what-is-ecs");
        Ok(())
    }
}
