//! The review as Markdown, for notes or a pull request: hits in bold, partials in italics.

use std::fmt::Write;

use anyhow::Result;

use super::review::{Render, ReviewDoc, follow_up_said, lines, status_label};
use crate::score::{MatchedBy, Status};
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

fn mark(status: Status) -> &'static str {
    match status {
        Status::Hit => "✓",
        Status::Partial => "~",
        Status::Missed => "✗",
    }
}

impl Render for Markdown {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let mut out = String::new();
        let s = &doc.session;
        let _ = writeln!(out, "# Session {}\n", s.id);
        let _ = writeln!(
            out,
            "{} · {} · {} answer{} · {}\n",
            s.kind.name(),
            s.started_at.format("%Y-%m-%d %H:%M UTC"),
            doc.answers.len(),
            if doc.answers.len() == 1 { "" } else { "s" },
            status_label(s.status)
        );
        for answer in &doc.answers {
            let r = &answer.report;
            let _ = writeln!(
                out,
                "## {}. {} — {:.0}/100\n",
                answer.number,
                escape(&r.question_id),
                r.score
            );
            let _ = writeln!(out, "> {}\n", escape(&answer.question));
            let _ = writeln!(
                out,
                "Time used {} of {}{}.\n",
                clock(answer.time_used_s),
                clock(f64::from(answer.time_limit_s)),
                if answer.interrupted {
                    " (cut short)"
                } else {
                    ""
                }
            );
            let _ = writeln!(out, "### Transcript\n");
            if answer.words.is_empty() {
                let _ = writeln!(out, "_(nothing was said)_\n");
            }
            let timed = answer.words.iter().any(|w| w.start_s.is_some());
            for (at, line) in lines(&answer.words, 72) {
                let words: Vec<String> = line
                    .iter()
                    .map(|w| match w.mark {
                        Some(Status::Hit) => format!("**{}**", escape(&w.word)),
                        Some(Status::Partial) => format!("_{}_", escape(&w.word)),
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
            if let Some(recording) = &answer.recording {
                if recording.present {
                    let _ = writeln!(out, "Recording: `{}`\n", recording.path);
                } else {
                    let _ = writeln!(
                        out,
                        "Recording: `{}` is gone; only the transcript was kept.\n",
                        recording.file
                    );
                }
            }
            if let Some(said) = &r.verdict_against {
                let _ = writeln!(
                    out,
                    "**You answered “{}”: the reference says the opposite.**\n",
                    escape(said)
                );
            }
            let _ = writeln!(out, "### Key points\n");
            for point in &r.key_points {
                let _ = write!(out, "- {} {}", mark(point.status), escape(&point.point));
                match (&point.heard, point.status) {
                    (Some(said), _) if point.negated => {
                        let _ = write!(out, " — **you said** “{}”", escape(said));
                        at_time(&mut out, point.at_s);
                        out.push_str(", against the reference");
                    }
                    (Some(heard), Status::Hit | Status::Partial) => {
                        let _ = write!(out, " — heard “{}”", escape(heard));
                        at_time(&mut out, point.at_s);
                        if point.matched_by == Some(MatchedBy::Meaning) {
                            out.push_str(" (in other words)");
                        }
                    }
                    _ => {}
                }
                out.push('\n');
                if point.status != Status::Hit
                    && let Some(reference) = &point.reference
                {
                    let label = if point.negated {
                        "the reference says"
                    } else {
                        "reference"
                    };
                    let _ = writeln!(out, "  - {label}: “{}”", escape(reference));
                }
            }
            if r.minor_points().next().is_some() {
                let _ = writeln!(out, "\n### Also in the reference\n");
                for point in r.minor_points() {
                    let _ = write!(
                        out,
                        "- {} “{}”",
                        mark(point.status),
                        escape(&point.sentence)
                    );
                    match (&point.heard, point.status) {
                        (Some(said), _) if point.negated => {
                            let _ = write!(out, " — **you said** “{}”, against it", escape(said));
                        }
                        (Some(heard), Status::Hit | Status::Partial) => {
                            let _ = write!(out, " — heard “{}”", escape(heard));
                            at_time(&mut out, point.at_s);
                        }
                        _ => {}
                    }
                    out.push('\n');
                }
            }
            let d = &r.delivery;
            let mut figures = vec![format!("{} words", d.words)];
            if let Some(wpm) = d.wpm {
                figures.push(format!("{wpm:.0} wpm"));
            }
            figures.push(format!("{} fillers", d.fillers));
            if let Some(pauses) = d.long_pauses {
                figures.push(format!("{pauses} long pauses"));
            }
            let _ = writeln!(out, "\n### Delivery\n\n{}\n", figures.join(" · "));
            if let Some(moment) = &d.moment {
                let _ = writeln!(out, "▸ {}\n", escape(&moment.text));
            }
            let _ = writeln!(out, "**Next time:** {}\n", escape(&r.suggestion));
            if let Some(follow_up) = &answer.follow_up {
                let _ = writeln!(out, "### Follow-up\n\n> {}\n", escape(&follow_up.question));
                let said = follow_up.transcript.trim();
                if said.is_empty() {
                    let _ = writeln!(out, "_(nothing was said)_\n");
                } else {
                    let _ = writeln!(out, "{}\n", escape(said));
                }
                let _ = write!(
                    out,
                    "{} {} — {}, {:.0}/100",
                    mark(follow_up.status),
                    escape(&follow_up.point),
                    follow_up_said(follow_up.status),
                    follow_up.score
                );
                if let Some(heard) = &follow_up.heard {
                    let _ = write!(out, " (heard “{}”", escape(heard));
                    at_time(&mut out, follow_up.at_s);
                    out.push(')');
                }
                out.push_str("\n\n");
            }
            let _ = writeln!(
                out,
                "### Reference answer\n\n{}\n",
                escape(answer.reference_answer.trim())
            );
        }
        Ok(out)
    }
}

/// " at m:ss" when the point was heard in a recording.
fn at_time(out: &mut String, at_s: Option<f64>) {
    if let Some(at) = at_s {
        let _ = write!(out, " at {}", clock(at));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::tests::{reviewed, timed};

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
}
