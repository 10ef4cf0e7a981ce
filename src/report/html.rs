//! The review as one self-contained HTML page that works offline: styles and script inline, an
//! audio player per answer pointing at its recording, and a transcript where clicking a word
//! plays the recording from that moment. Key points are listed beside the transcript.

use std::fmt::Write;

use anyhow::Result;

use super::Render;
use super::page::{escape, file_url, page_start};
use super::review::{RecordingFile, ReviewAnswer, ReviewDoc};
use super::svg;
use super::view::{self, Syntax, Tone};
use crate::score::{ScoreReport, Status};
use crate::style::clock;

#[derive(Debug, Clone, Copy)]
pub struct Html;

const STYLE: &str = include_str!("review.css");
const SCRIPT: &str = include_str!("review.js");

fn class(status: Status) -> &'static str {
    match status {
        Status::Hit => "hit",
        Status::Partial => "partial",
        Status::Missed => "missed",
        Status::Unclear => "unclear",
    }
}

fn tone_class(tone: Tone) -> &'static str {
    match tone {
        Tone::Plain => "",
        Tone::Dim => "dim",
        Tone::Good => "good",
        Tone::Fair => "fair",
        Tone::Bad => "bad",
    }
}

impl Syntax for Html {
    fn words(&self, tone: Tone, text: &str) -> String {
        match tone {
            Tone::Plain => escape(text),
            _ => format!(
                "<span class=\"{}\">{}</span>",
                tone_class(tone),
                escape(text)
            ),
        }
    }

    fn said(&self, tone: Tone, text: &str) -> String {
        self.words(tone, &format!("“{text}”"))
    }

    fn clock(&self, at_s: f64) -> String {
        format!(
            "<button class=\"at\" data-t=\"{at_s:.2}\">{}</button>",
            clock(at_s)
        )
    }

    fn mark(&self, status: Status) -> String {
        format!("<span class=\"m\">{}</span>", view::mark(status))
    }

    fn file(&self, name: &str) -> String {
        escape(name)
    }
}

/// One answer: its heading, recording and timeline, the transcript beside the key points and
/// delivery, then the reference. Each part is a block of its own inside the section, so more
/// (a follow-up question and its answer) can go under the answer.
fn answer_html(out: &mut String, answer: &ReviewAnswer) {
    let r = &answer.report;
    let _ = writeln!(
        out,
        "<section class=\"answer\" id=\"answer-{n}\" data-question=\"{id}\">\n<header><h2>{n}. {id}</h2>\
         <span class=\"score {band}\">{score}</span></header>",
        n = answer.number,
        id = escape(&r.question_id),
        band = tone_class(Tone::of_score(r.score)),
        score = view::score(r.score)
    );
    let _ = writeln!(
        out,
        "<p class=\"question\">{}</p>",
        escape(&answer.question)
    );
    let _ = writeln!(
        out,
        "<p class=\"dim\">{} {}</p>",
        view::TIME_USED,
        view::time_used(answer.time_used_s, answer.time_limit_s, answer.interrupted)
    );
    if let Some(structure) = &r.structure {
        let star = Html.phrase(&view::star_line(structure));
        let _ = writeln!(out, "<p class=\"star-line\">{star}</p>");
    }
    recording_html(out, answer.recording.as_ref());
    timeline_html(out, answer);
    out.push_str("<div class=\"grid\"><div class=\"main\">\n");
    transcript_html(out, answer);
    out.push_str("</div>\n<aside class=\"points\">");
    points_html(out, r);
    delivery_html(out, r);
    out.push_str("</aside></div>\n");
    follow_up_html(out, answer);
    let _ = writeln!(
        out,
        "<details><summary>{}</summary><p>{}</p></details>\n</section>",
        view::REFERENCE_ANSWER,
        escape(answer.reference_answer.trim())
    );
}

/// The follow-up question under its answer: what was asked, its recording, what was said, and
/// whether that made the point.
fn follow_up_html(out: &mut String, answer: &ReviewAnswer) {
    let Some(follow_up) = &answer.follow_up else {
        return;
    };
    let _ = write!(
        out,
        "<section class=\"follow-up {}\" data-point=\"{}\"><h3>{}</h3>\
         <p class=\"question\">{}</p>",
        class(follow_up.status),
        escape(&follow_up.point),
        view::FOLLOW_UP,
        escape(&follow_up.question)
    );
    recording_html(out, answer.follow_up_recording.as_ref());
    let said = follow_up.transcript.trim();
    if said.is_empty() {
        let _ = write!(out, "<p class=\"dim\">{}</p>", view::NOTHING_SAID);
    } else {
        let _ = write!(out, "<p class=\"transcript\">{}</p>", escape(said));
    }
    let outcome = view::follow_up_outcome(follow_up);
    let _ = writeln!(out, "<p>{}</p></section>", Html.phrase(&outcome));
}

fn recording_html(out: &mut String, recording: Option<&RecordingFile>) {
    match recording {
        Some(rec) if rec.present => {
            let _ = writeln!(
                out,
                "<audio controls preload=\"metadata\" src=\"{}\"></audio>\
                 <div class=\"audio-state\">{}</div>",
                escape(&file_url(&rec.path)),
                escape(&rec.file)
            );
        }
        Some(rec) => {
            let gone = view::recording_gone(&rec.file);
            let _ = writeln!(out, "<p class=\"gone\">{}</p>", Html.phrase(&gone));
        }
        None => {}
    }
}

/// The answer's timeline with its lanes labelled, a legend, and the moment to work on.
fn timeline_html(out: &mut String, answer: &ReviewAnswer) {
    let length = answer
        .timed_transcript
        .duration_s
        .or(answer.report.delivery.duration_s)
        .unwrap_or(answer.time_used_s);
    let Some(drawing) = svg::answer_timeline(&answer.report, length) else {
        return;
    };
    out.push_str("<figure class=\"timeline\"><div class=\"tl-wrap\"><div class=\"tl-labels\">");
    for lane in svg::lane_labels(&answer.report) {
        let _ = write!(out, "<span>{lane}</span>");
    }
    let story = if answer.report.structure.is_some() {
        "<span><i class=\"sw star situation\"></i><i class=\"sw star task\"></i>\
         <i class=\"sw star action\"></i><i class=\"sw star result\"></i>story: situation, \
         task, action, result</span>"
    } else {
        ""
    };
    let _ = write!(
        out,
        "</div><div class=\"tl-plot\">{drawing}</div></div>\n<figcaption><div class=\"legend\">\
         {story}<span><i class=\"sw point\"></i>key point heard</span>\
         <span><i class=\"sw filler\"></i>filler</span>\
         <span><i class=\"sw hedge\"></i>hedge</span>\
         <span><i class=\"sw pause\"></i>long pause</span>\
         <span><i class=\"sw ok\"></i><i class=\"sw rushed\"></i><i class=\"sw slow\"></i>pace: \
         steady, rushed, slow</span></div>"
    );
    if let Some(moment) = &answer.report.delivery.moment {
        let at = match moment.at_s {
            Some(at) => format!("data-t=\"{at:.2}\""),
            None => "disabled".to_owned(),
        };
        let _ = write!(
            out,
            "<button class=\"moment-at\" {at}>{} {}</button>",
            view::MOMENT,
            escape(&moment.text)
        );
    }
    out.push_str("</figcaption></figure>\n");
}

/// The transcript, each word clickable at its time, key-point words marked, fillers and hedges
/// underlined.
fn transcript_html(out: &mut String, answer: &ReviewAnswer) {
    let d = &answer.report.delivery;
    // Fillers and hedges by the time of their first word, with their length in words.
    let said_at: Vec<(f64, &str, usize)> = d
        .fillers_at
        .iter()
        .flatten()
        .map(|f| (f.at_s, "filler", f.word.split_whitespace().count()))
        .chain(
            d.hedges_at
                .iter()
                .flatten()
                .map(|h| (h.at_s, "hedge", h.phrase.split_whitespace().count())),
        )
        .collect();
    out.push_str("<p class=\"transcript\">");
    if answer.words.is_empty() {
        out.push_str("<span class=\"dim\">(nothing was said)</span>");
    }
    let mut last_stamp = f64::NEG_INFINITY;
    let mut underline: Option<(&str, usize)> = None;
    for word in &answer.words {
        // A time stamp every ten seconds or so, at the word where that time starts.
        if let Some(start) = word.start_s
            && start - last_stamp >= 10.0
        {
            let _ = write!(out, "<span class=\"stamp\">{}</span>", clock(start));
            last_stamp = start;
        }
        if let Some(start) = word.start_s
            && let Some((_, kind, len)) = said_at.iter().find(|(at, _, _)| *at == start)
        {
            underline = Some((kind, *len));
        }
        let mut classes = match word.mark {
            Some(status) => format!("w {}", class(status)),
            None => "w".to_owned(),
        };
        if let Some((kind, left)) = underline {
            classes.push(' ');
            classes.push_str(kind);
            underline = (left > 1).then_some((kind, left - 1));
        }
        if let Some(part) = word.story_part {
            classes.push_str(" star-");
            classes.push_str(part.name());
        }
        if word.unsure {
            classes.push_str(" unsure");
        }
        if word.heard.is_some() {
            classes.push_str(" corrected");
        }
        let correction = word
            .heard
            .as_deref()
            .map(|heard| view::correction(heard, &word.word, None).plain());
        let title = match (&word.point, correction) {
            (Some(point), Some(correction)) => format!("{point}; {correction}"),
            (Some(point), None) => point.clone(),
            (None, Some(correction)) => correction,
            (None, None) => String::new(),
        };
        let title = if title.is_empty() {
            title
        } else {
            format!(" title=\"{}\"", escape(&title))
        };
        match (word.start_s, word.end_s) {
            (Some(start), Some(end)) => {
                let _ = write!(
                    out,
                    "<span class=\"{classes}\" data-t=\"{start:.2}\" data-end=\"{end:.2}\"{title}>{}</span> ",
                    escape(&word.word)
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "<span class=\"{classes}\"{title}>{}</span> ",
                    escape(&word.word)
                );
            }
        }
    }
    out.push_str("</p>\n");
    for correction in view::corrections(&answer.words) {
        let _ = writeln!(
            out,
            "<div class=\"correction\">{}</div>",
            Html.phrase(&correction)
        );
    }
}

/// A point's findings, each a block of its kind under the point.
fn findings_html(out: &mut String, findings: &[view::Finding]) {
    for finding in findings {
        let _ = write!(
            out,
            "<div class=\"finding {}\">{}</div>",
            finding.kind.name(),
            Html.phrase(&finding.phrase)
        );
    }
}

fn points_html(out: &mut String, r: &ScoreReport) {
    if let Some(said) = &r.verdict_against {
        let verdict = view::verdict_against(said);
        let _ = write!(out, "<p class=\"against\">{}</p>", Html.phrase(&verdict));
    }
    let _ = writeln!(out, "<h3>{}</h3><ul>", view::KEY_POINTS);
    for point in &r.key_points {
        let _ = write!(
            out,
            "<li class=\"{}\">{} {}",
            class(point.status),
            Html.mark(point.status),
            escape(&point.point)
        );
        findings_html(out, &view::point_findings(point));
        out.push_str("</li>\n");
    }
    if r.minor_points().next().is_some() {
        let _ = writeln!(out, "</ul>\n<h3>{}</h3><ul>", view::ALSO_IN_THE_REFERENCE);
        for point in r.minor_points() {
            let _ = write!(
                out,
                "<li class=\"{}\">{} {}",
                class(point.status),
                Html.mark(point.status),
                escape(&point.sentence)
            );
            findings_html(out, &view::sentence_findings(point));
            out.push_str("</li>\n");
        }
    }
    out.push_str("</ul>\n");
}

fn delivery_html(out: &mut String, r: &ScoreReport) {
    let _ = writeln!(
        out,
        "<h3>{}</h3><p>{}</p>\n<p class=\"next\"><strong>{}:</strong> {}</p>",
        view::DELIVERY,
        Html.phrase(&view::delivery_line(&r.delivery)),
        view::NEXT_TIME,
        escape(&r.suggestion)
    );
}

impl Render for Html {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let s = &doc.session;
        let mut out = String::new();
        out.push_str(&page_start(&format!("rehearse · {}", s.id), STYLE));
        let when = s.started_at.format("%Y-%m-%d %H:%M UTC").to_string();
        let _ = writeln!(
            out,
            "<h1>Session {}</h1>\n<p class=\"meta\">{}</p>",
            escape(&s.id),
            escape(&view::session_meta(
                s.kind.name(),
                &when,
                doc.answers.len(),
                s.status
            )),
        );
        for answer in &doc.answers {
            answer_html(&mut out, answer);
        }
        for cut in &doc.cut_off {
            let said = view::cut_off(&cut.question_id, &cut.recording.file);
            let _ = writeln!(out, "<p class=\"gone\">{}</p>", Html.phrase(&said));
            recording_html(&mut out, Some(&cut.recording));
        }
        let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::tests::{reviewed, timed};
    use crate::transcript::Transcript;

    fn page(transcript: Transcript) -> Result<String> {
        Html.render(&reviewed(transcript, true))
    }

    #[test]
    fn a_spoken_answer_gets_a_timeline_whose_marks_carry_their_time() -> Result<()> {
        // One word every half second: "um" at 0.0, "fully" at 2.0, "you know" at 3.0...
        let html = page(timed(
            "um so ECS is fully managed you know and I think it maybe does container orchestration",
        ))?;
        for mark in [
            "data-kind=\"filler\" data-at=\"0.00\"",
            "data-kind=\"filler\" data-at=\"3.00\"",
            "data-kind=\"point\" data-at=\"2.00\"",
            "data-kind=\"hedge\" data-at=\"4.50\"",
            "data-kind=\"hedge\" data-at=\"6.00\"",
            "data-kind=\"pace\" data-at=\"0.00\"",
        ] {
            assert!(html.contains(mark), "no {mark} in {html}");
        }
        assert!(html.contains("<svg class=\"tl\""));
        // Fillers and hedges are underlined in the transcript, each word of a phrase.
        assert!(
            html.contains("class=\"w filler\" data-t=\"3.00\""),
            "{html}"
        );
        assert!(
            html.contains("class=\"w filler\" data-t=\"3.50\""),
            "{html}"
        );
        assert!(html.contains("class=\"w hedge\" data-t=\"5.00\""), "{html}");
        Ok(())
    }

    #[test]
    fn a_typed_answer_has_no_timeline() -> Result<()> {
        let html = page(Transcript::typed("ECS is fully managed"))?;
        assert!(!html.contains("<svg"), "{html}");
        assert!(!html.contains("data-kind"));
        Ok(())
    }

    #[test]
    fn a_point_not_clearly_heard_has_its_own_mark_and_class() -> Result<()> {
        let html = page(crate::report::review::tests::unclear_point())?;
        assert!(
            html.contains("<li class=\"unclear\"><span class=\"m\">?</span> Docker containers"),
            "{html}"
        );
        assert!(
            html.contains(
                "<div class=\"finding unclear\"><span class=\"dim\">not clearly heard: </span>"
            ),
            "{html}"
        );
        Ok(())
    }

    #[test]
    fn corrected_words_carry_what_was_heard_and_unsure_words_are_faint() -> Result<()> {
        let html = page(crate::report::review::tests::corrected_and_unsure(
            "ECS is fully managed and does container orchestration",
        ))?;
        assert!(html.contains("w corrected\" data-t=\"0.00\" data-end=\"0.40\" title=\"heard “PCS”, read as “ECS”\">ECS</span>"), "{html}");
        assert!(html.contains("unsure\" data-t=\"2.50\""), "{html}");
        assert!(html.contains("<div class=\"correction\">"), "{html}");
        Ok(())
    }
}
