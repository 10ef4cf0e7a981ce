//! The review as Markdown, for notes or a pull request: hits in bold, partials in italics. The
//! wording is [`view`]'s; this file gives it Markdown's syntax.

use std::fmt::Write;

use anyhow::Result;

use super::Render;
use super::review::{ReviewAnswer, ReviewDoc, lines};
use super::view::{self, Finding, FindingKind, Phrase, Piece, Syntax, Tone};
use crate::score::{ScoreReport, Status};
use crate::style::clock;

#[derive(Debug, Clone, Copy)]
pub struct Markdown;

/// Text safe to put in Markdown: characters that would start formatting are escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `text` in bold, with the spaces around it left outside the markers.
fn bold(text: &str) -> String {
    let inner = text.trim();
    if inner.is_empty() {
        return text.to_owned();
    }
    let start = text.len() - text.trim_start().len();
    let end = start + inner.len();
    format!("{}**{inner}**{}", &text[..start], &text[end..])
}

impl Syntax for Markdown {
    fn words(&self, _tone: Tone, text: &str) -> String {
        escape(text)
    }

    fn said(&self, _tone: Tone, text: &str) -> String {
        format!("“{}”", escape(text))
    }

    fn clock(&self, at_s: f64) -> String {
        clock(at_s)
    }

    fn mark(&self, status: Status) -> String {
        view::mark(status).to_owned()
    }

    fn file(&self, name: &str) -> String {
        format!("`{name}`")
    }

    /// As every format, but pieces in a row that went against the answer are one run in bold;
    /// a file named inside the run stays in it.
    fn phrase(&self, phrase: &Phrase) -> String {
        let mut out = String::new();
        let mut bad_run = String::new();
        let mut named = String::new();
        for piece in phrase.pieces() {
            let text = self.piece(piece);
            match piece {
                Piece::Words(Tone::Bad, _) | Piece::Said(Tone::Bad, _) => {
                    bad_run.push_str(&named);
                    named.clear();
                    bad_run.push_str(&text);
                }
                Piece::File(_) if !bad_run.is_empty() => named.push_str(&text),
                _ => {
                    out.push_str(&bold(&bad_run));
                    out.push_str(&named);
                    bad_run.clear();
                    named.clear();
                    out.push_str(&text);
                }
            }
        }
        out.push_str(&bold(&bad_run));
        out.push_str(&named);
        out
    }
}

impl Markdown {
    /// Findings after the point on its line, the reference quoted under it.
    fn findings(&self, out: &mut String, findings: &[Finding]) {
        for finding in findings.iter().filter(|f| f.kind != FindingKind::Reference) {
            let _ = write!(out, " — {}", self.phrase(&finding.phrase));
        }
        out.push('\n');
        for finding in findings.iter().filter(|f| f.kind == FindingKind::Reference) {
            let _ = writeln!(out, "  - {}", self.phrase(&finding.phrase));
        }
    }

    fn transcript(&self, out: &mut String, answer: &ReviewAnswer) {
        let _ = writeln!(out, "### {}\n", view::TRANSCRIPT);
        if answer.words.is_empty() {
            let _ = writeln!(out, "_{}_\n", view::NOTHING_SAID);
        }
        let timed = answer.words.iter().any(|w| w.start_s.is_some());
        for (at, line) in lines(&answer.words, 72) {
            let words: Vec<String> = line
                .iter()
                .map(|w| match w.mark {
                    Some(Status::Hit) => format!("**{}**", escape(&w.word)),
                    Some(Status::Partial) => format!("_{}_", escape(&w.word)),
                    _ if w.unsure => format!("{}(?)", escape(&w.word)),
                    _ => escape(&w.word),
                })
                .collect();
            let stamp = match (timed, at) {
                (true, Some(at)) => format!("`{}` ", clock(at)),
                _ => String::new(),
            };
            // Two trailing spaces: a line break inside the paragraph.
            let _ = writeln!(out, "{stamp}{}  ", words.join(" "));
        }
        out.push('\n');
        if answer.words.iter().any(|w| w.unsure) {
            let _ = writeln!(out, "_{}_\n", view::UNSURE_MARKED);
        }
        let corrections = view::corrections(&answer.words);
        for correction in &corrections {
            let _ = writeln!(out, "- {}", self.phrase(correction));
        }
        if !corrections.is_empty() {
            out.push('\n');
        }
        match &answer.recording {
            Some(recording) if recording.present => {
                let _ = writeln!(out, "Recording: `{}`\n", recording.path);
            }
            Some(recording) => {
                let gone = view::recording_gone(&recording.file);
                let _ = writeln!(out, "{}\n", self.phrase(&gone));
            }
            None => {}
        }
    }

    fn points(&self, out: &mut String, r: &ScoreReport) {
        if let Some(said) = &r.verdict_against {
            let _ = writeln!(out, "{}\n", self.phrase(&view::verdict_against(said)));
        }
        let _ = writeln!(out, "### {}\n", view::KEY_POINTS);
        for point in &r.key_points {
            let _ = write!(
                out,
                "- {} {}",
                self.mark(point.status),
                escape(&point.point)
            );
            self.findings(out, &view::point_findings(point));
        }
        if r.minor_points().next().is_some() {
            let _ = writeln!(out, "\n### {}\n", view::ALSO_IN_THE_REFERENCE);
            for point in r.minor_points() {
                let _ = write!(
                    out,
                    "- {} {}",
                    self.mark(point.status),
                    self.said(Tone::Plain, &point.sentence)
                );
                self.findings(out, &view::sentence_findings(point));
            }
        }
    }

    fn delivery(&self, out: &mut String, r: &ScoreReport) {
        let d = &r.delivery;
        let _ = writeln!(
            out,
            "\n### {}\n\n{}\n",
            view::DELIVERY,
            self.phrase(&view::delivery_line(d))
        );
        if let Some(moment) = &d.moment {
            let _ = writeln!(out, "{} {}\n", view::MOMENT, escape(&moment.text));
        }
        let _ = writeln!(out, "**{}:** {}\n", view::NEXT_TIME, escape(&r.suggestion));
    }

    fn follow_up(&self, out: &mut String, answer: &ReviewAnswer) {
        let Some(follow_up) = &answer.follow_up else {
            return;
        };
        let _ = writeln!(
            out,
            "### {}\n\n> {}\n",
            view::FOLLOW_UP,
            escape(&follow_up.question)
        );
        let said = follow_up.transcript.trim();
        if said.is_empty() {
            let _ = writeln!(out, "_{}_\n", view::NOTHING_SAID);
        } else {
            let _ = writeln!(out, "{}\n", escape(said));
        }
        let outcome = view::follow_up_outcome(follow_up);
        let _ = writeln!(out, "{}\n", self.phrase(&outcome));
    }

    fn answer(&self, out: &mut String, answer: &ReviewAnswer) {
        let r = &answer.report;
        let _ = writeln!(
            out,
            "## {}. {} — {}\n",
            answer.number,
            escape(&r.question_id),
            view::score(r.score)
        );
        let _ = writeln!(out, "> {}\n", escape(&answer.question));
        let _ = writeln!(
            out,
            "{} {}.\n",
            view::TIME_USED,
            view::time_used(answer.time_used_s, answer.time_limit_s, answer.interrupted)
        );
        if let Some(structure) = &r.structure {
            let _ = writeln!(out, "{}\n", self.phrase(&view::star_line(structure)));
        }
        self.transcript(out, answer);
        self.points(out, r);
        self.delivery(out, r);
        self.follow_up(out, answer);
        let _ = writeln!(
            out,
            "### {}\n\n{}\n",
            view::REFERENCE_ANSWER,
            escape(answer.reference_answer.trim())
        );
    }
}

impl Render for Markdown {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let mut out = String::new();
        let s = &doc.session;
        let when = s.started_at.format("%Y-%m-%d %H:%M UTC").to_string();
        let _ = writeln!(out, "# Session {}\n", s.id);
        let _ = writeln!(
            out,
            "{}\n",
            view::session_meta(s.kind.name(), &when, doc.answers.len(), s.status)
        );
        for answer in &doc.answers {
            self.answer(&mut out, answer);
        }
        for cut in &doc.cut_off {
            let said = view::cut_off(&cut.question_id, &cut.recording.path);
            let _ = writeln!(out, "{}\n", self.phrase(&said));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::tests::{reviewed, timed, unclear_point};

    #[test]
    fn hits_are_bold_misses_quote_the_reference_and_text_is_escaped() -> Result<()> {
        let doc = reviewed(timed("it is fully managed, *really* [trust me]"), false);
        let md = Markdown.render(&doc)?;
        assert!(md.contains("`0:00` it is **fully** **managed,**"), "{md}");
        assert!(md.contains("\\*really\\* \\[trust me\\]"), "{md}");
        assert!(
            md.contains("- ✗ container orchestration\n  - reference: “ECS is a fully managed"),
            "{md}"
        );
        assert!(md.contains("`01-what-is-ecs.wav` is gone"), "{md}");
        Ok(())
    }

    #[test]
    fn corrections_unsure_words_and_points_not_clearly_heard_are_marked() -> Result<()> {
        let doc = reviewed(unclear_point(), true);
        let md = Markdown.render(&doc)?;
        assert!(md.contains(" dakka(?) containers"), "{md}");
        assert!(md.contains("- heard “PCS”, read as “ECS” at 0:00"), "{md}");
        assert!(
            md.contains(
                "- ? Docker containers — not clearly heard: heard “dakka containers” at 0:04, not \
                 counted in the score"
            ),
            "{md}"
        );
        Ok(())
    }

    #[test]
    fn what_went_against_the_answer_is_one_bold_run() {
        let verdict = Markdown.phrase(&view::verdict_against("No"));
        assert_eq!(
            verdict,
            "**You answered “No”: the reference says the opposite.**"
        );
        let over = Phrase::new()
            .words(Tone::Plain, "1:40 of 1:30")
            .words(Tone::Bad, " over time");
        assert_eq!(Markdown.phrase(&over), "1:40 of 1:30 **over time**");
        assert_eq!(
            Markdown.phrase(&view::recording_gone("a.wav")),
            "**The recording `a.wav` is gone;** the transcript is what was kept."
        );
    }
}
