//! The review as one self-contained HTML page that works offline: styles and script inline, an
//! audio player per answer pointing at its recording, and a transcript where clicking a word
//! plays the recording from that moment. Key points are listed beside the transcript.

use std::fmt::Write;

use anyhow::Result;

use super::review::{Recording, Render, ReviewAnswer, ReviewDoc, follow_up_said, status_label};
use super::svg;
use crate::score::{MatchedBy, ScoreReport, Status};
use crate::style::clock;

#[derive(Debug, Clone, Copy)]
pub struct Html;

/// Text safe inside HTML elements and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A `file://` URL for an absolute path, percent-encoding all but unreserved characters.
pub fn file_url(path: &str) -> String {
    let mut url = String::from("file://");
    if !path.starts_with('/') {
        url.push('/');
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                url.push(char::from(byte));
            }
            other => {
                let _ = write!(url, "%{other:02X}");
            }
        }
    }
    url
}

fn class(status: Status) -> &'static str {
    match status {
        Status::Hit => "hit",
        Status::Partial => "partial",
        Status::Missed => "missed",
    }
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Hit => "✓",
        Status::Partial => "~",
        Status::Missed => "✗",
    }
}

/// What every page shares: colours, type and the page's frame.
const BASE_STYLE: &str = r#"
:root { --hit: #1a7f37; --partial: #9a6700; --missed: #cf222e; --dim: #57606a; --line: #d0d7de; --filler: #8250df; --hedge: #bf3989; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 70rem; padding: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0; } .meta { color: var(--dim); margin: .2rem 0 1.5rem; }
.dim { color: var(--dim); }
@media (max-width: 40rem) { body { padding: 1rem .8rem; } }
"#;

const STYLE: &str = r#"
.answer { border-top: 1px solid var(--line); padding: 1rem 0 1.5rem; }
.answer header { display: flex; gap: 1rem; align-items: baseline; justify-content: space-between; }
.answer h2 { font-size: 1.1rem; margin: 0; } .question { font-weight: 600; font-size: 1.1rem; }
.score { font-weight: 700; font-size: 1.2rem; } .score.high { color: var(--hit); } .score.mid { color: var(--partial); } .score.low { color: var(--missed); }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr); gap: 1.5rem; }
@media (max-width: 50rem) { .grid { grid-template-columns: 1fr; } }
audio { width: 100%; } .audio-state { color: var(--dim); font-size: .85rem; } .gone { color: var(--missed); }
.transcript { line-height: 1.9; } .w { border-radius: 3px; padding: 0 1px; }
.w[data-t] { cursor: pointer; } .w[data-t]:hover { background: #ddf4ff; }
.w.hit { background: #dafbe1; color: var(--hit); font-weight: 600; } .w.partial { background: #fff8c5; color: var(--partial); }
.w.now { outline: 2px solid #0969da; }
.stamp { color: var(--dim); font-size: .8rem; margin-right: .3rem; font-variant-numeric: tabular-nums; }
.points ul { list-style: none; padding: 0; margin: 0; } .points li { margin: .35rem 0; }
.points li.hit .m { color: var(--hit); } .points li.partial .m { color: var(--partial); } .points li.missed .m { color: var(--missed); }
.points q { display: block; color: var(--dim); font-size: .9rem; margin-left: 1.3rem; }
.points .against { color: var(--missed); font-size: .9rem; margin-left: 1.3rem; } .points .other-words { color: var(--dim); font-size: .9rem; margin-left: 1.3rem; font-style: italic; }
.at { border: 1px solid var(--line); background: none; border-radius: 4px; font-size: .8rem; cursor: pointer; }
.follow-up { border-left: 3px solid var(--line); padding: .2rem .9rem; margin: .8rem 0; }
.follow-up.hit { border-color: var(--hit); } .follow-up.partial { border-color: var(--partial); } .follow-up.missed { border-color: var(--missed); }
.follow-up h3 { margin: .2rem 0; font-size: 1rem; }
.follow-up.hit .m { color: var(--hit); } .follow-up.partial .m { color: var(--partial); } .follow-up.missed .m { color: var(--missed); }
.next { background: #f6f8fa; border-left: 3px solid #0969da; padding: .5rem .8rem; }
.w.filler { color: var(--filler); text-decoration: underline wavy var(--filler); text-underline-offset: 3px; }
.w.hedge { color: var(--hedge); text-decoration: underline dotted var(--hedge); text-underline-offset: 3px; }
.timeline { margin: .6rem 0 1.2rem; }
.tl-wrap { display: grid; grid-template-columns: 4.8rem minmax(0, 1fr); column-gap: .5rem; }
.tl-labels { display: grid; grid-template-rows: repeat(4, 26px) 50px; font-size: .75rem; color: var(--dim); line-height: 1.1; }
.tl-labels span { align-self: center; }
.tl-plot { position: relative; } .tl { display: block; overflow: visible; }
.tl-wpm span { position: absolute; transform: translateX(-50%); font-size: .68rem; line-height: 1; color: #0550ae; pointer-events: none; font-variant-numeric: tabular-nums; background: rgba(246, 248, 250, .85); padding: 0 2px; border-radius: 2px; }
.tl-wpm .rushed { color: var(--missed); font-weight: 600; } .tl-wpm .slow { color: var(--partial); font-weight: 600; }
.tl line { vector-effect: non-scaling-stroke; }
.tl .lane { fill: #f6f8fa; } .tl .lane.alt { fill: #eef1f4; }
.tl .grid { stroke: #d0d7de; stroke-width: 1; }
.tl .mark, .tl .cluster, .tl .moment { cursor: pointer; }
.tl .hit-area { stroke: transparent; stroke-width: 16; }
.tl .ink { stroke-width: 3; stroke-linecap: round; }
.tl .mark:hover .ink { stroke-width: 5; }
.tl .point.hit .ink { stroke: var(--hit); stroke-width: 4; } .tl .point.partial .ink { stroke: var(--partial); stroke-width: 4; }
.tl .filler .ink { stroke: var(--filler); } .tl .hedge .ink { stroke: var(--hedge); }
.tl .cluster { fill: var(--filler); fill-opacity: .16; }
.tl .pause { fill: #6e7781; fill-opacity: .5; } .tl .pause:hover { fill-opacity: .8; }
.tl .pace.ok { fill: #0969da; fill-opacity: .45; } .tl .pace.rushed { fill: var(--missed); fill-opacity: .8; } .tl .pace.slow { fill: var(--partial); fill-opacity: .8; }
.tl .pace:hover { fill-opacity: 1; }
.tl .moment { stroke: #cf222e; stroke-width: 2; stroke-dasharray: 5 4; }
.tl .playhead { stroke: #0969da; stroke-width: 2; visibility: hidden; } .tl.playing .playhead { visibility: visible; }
.tl-axis { position: relative; height: 1.3rem; font-size: .72rem; color: var(--dim); font-variant-numeric: tabular-nums; }
.tl-axis span { position: absolute; top: .15rem; transform: translateX(-50%); } .tl-axis span:first-child { transform: none; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; font-size: .8rem; color: var(--dim); margin-top: .2rem; }
.sw { display: inline-block; width: .75rem; height: .75rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
.sw.point { background: var(--hit); } .sw.filler { background: var(--filler); } .sw.hedge { background: var(--hedge); }
.sw.pause { background: #6e7781; } .sw.ok { background: #0969da; opacity: .6; } .sw.rushed { background: var(--missed); } .sw.slow { background: var(--partial); }
.moment-at { display: block; margin-top: .5rem; border: 1px solid #ffb8b0; background: #fff5f3; color: #82071e; border-radius: 6px; padding: .35rem .6rem; font: inherit; font-size: .9rem; text-align: left; cursor: pointer; width: 100%; }
.moment-at[disabled] { cursor: default; }
@media (max-width: 40rem) { .tl-wrap { grid-template-columns: 3.6rem minmax(0, 1fr); } .tl-labels { font-size: .68rem; } }
"#;

const SCRIPT: &str = r#"
(function () {
  function clock(s) { s = Math.max(0, Math.round(s)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
  document.querySelectorAll('.answer').forEach(function (section) {
    var audio = section.querySelector('audio');
    if (!audio) { return; }
    var state = section.querySelector('.audio-state');
    var words = Array.prototype.slice.call(section.querySelectorAll('.w[data-t]'));
    var timeline = section.querySelector('svg.tl');
    var playheads = section.querySelectorAll('.playhead');
    audio.addEventListener('loadedmetadata', function () {
      section.dataset.audio = 'ready';
      state.textContent = clock(audio.duration) + ' recorded · click a word to play from there';
    });
    audio.addEventListener('error', function () {
      section.dataset.audio = 'error';
      state.textContent = 'This recording cannot be played.';
    });
    // Words, key-point times and timeline marks play the recording from their moment.
    section.querySelectorAll('[data-t], [data-at]').forEach(function (el) {
      el.addEventListener('click', function () {
        audio.currentTime = parseFloat(el.dataset.t !== undefined ? el.dataset.t : el.dataset.at);
        audio.play();
      });
    });
    audio.addEventListener('timeupdate', function () {
      var t = audio.currentTime;
      if (timeline) {
        var x = String(Math.min(1, t / parseFloat(timeline.dataset.length)) * 1000);
        timeline.classList.add('playing');
        playheads.forEach(function (line) { line.setAttribute('x1', x); line.setAttribute('x2', x); });
      }
      words.forEach(function (w) {
        w.classList.toggle('now', t >= parseFloat(w.dataset.t) && t < parseFloat(w.dataset.end));
      });
    });
  });
})();
"#;

/// One answer: its heading, recording and timeline, the transcript beside the key points and
/// delivery, then the reference. Each part is a block of its own inside the section, so more
/// (a follow-up question and its answer) can go under the answer.
fn answer_html(out: &mut String, answer: &ReviewAnswer) {
    let r = &answer.report;
    let level = if r.score >= 70.0 {
        "high"
    } else if r.score >= 40.0 {
        "mid"
    } else {
        "low"
    };
    let _ = writeln!(
        out,
        "<section class=\"answer\" id=\"answer-{n}\" data-question=\"{id}\">\n<header><h2>{n}. {id}</h2>\
         <span class=\"score {level}\">{score:.0}/100</span></header>",
        n = answer.number,
        id = escape(&r.question_id),
        score = r.score
    );
    let _ = writeln!(
        out,
        "<p class=\"question\">{}</p>",
        escape(&answer.question)
    );
    let _ = writeln!(
        out,
        "<p class=\"dim\">Time used {} of {}{}</p>",
        clock(answer.time_used_s),
        clock(f64::from(answer.time_limit_s)),
        if answer.interrupted {
            " · cut short"
        } else {
            ""
        }
    );
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
        "<details><summary>Reference answer</summary><p>{}</p></details>\n</section>",
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
        "<section class=\"follow-up {}\" data-point=\"{}\"><h3>Follow-up</h3>\
         <p class=\"question\">{}</p>",
        class(follow_up.status),
        escape(&follow_up.point),
        escape(&follow_up.question)
    );
    recording_html(out, answer.follow_up_recording.as_ref());
    let said = follow_up.transcript.trim();
    if said.is_empty() {
        out.push_str("<p class=\"dim\">(nothing was said)</p>");
    } else {
        let _ = write!(out, "<p class=\"transcript\">{}</p>", escape(said));
    }
    let _ = write!(
        out,
        "<p><span class=\"m\">{}</span> {} — {}, {:.0}/100",
        mark(follow_up.status),
        escape(&follow_up.point),
        follow_up_said(follow_up.status),
        follow_up.score
    );
    if let Some(heard) = &follow_up.heard {
        let _ = write!(out, " <span class=\"dim\">(heard “{}”", escape(heard));
        if let Some(at) = follow_up.at_s {
            let _ = write!(out, " at {}", clock(at));
        }
        out.push_str(")</span>");
    }
    out.push_str("</p></section>\n");
}

fn recording_html(out: &mut String, recording: Option<&Recording>) {
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
            let _ = writeln!(
                out,
                "<p class=\"gone\">The recording {} is gone; the transcript is what was kept.</p>",
                escape(&rec.file)
            );
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
    for lane in svg::LANES {
        let _ = write!(out, "<span>{lane}</span>");
    }
    let _ = write!(
        out,
        "</div><div class=\"tl-plot\">{drawing}</div></div>\n<figcaption><div class=\"legend\">\
         <span><i class=\"sw point\"></i>key point heard</span>\
         <span><i class=\"sw filler\"></i>filler</span>\
         <span><i class=\"sw hedge\"></i>hedge</span>\
         <span><i class=\"sw pause\"></i>long pause</span>\
         <span><i class=\"sw ok\"></i><i class=\"sw rushed\"></i><i class=\"sw slow\"></i>pace: \
         steady, rushed, slow</span></div>"
    );
    if let Some(moment) = &answer.report.delivery.moment {
        match moment.at_s {
            Some(at) => {
                let _ = write!(
                    out,
                    "<button class=\"moment-at\" data-t=\"{at:.2}\">▸ {}</button>",
                    escape(&moment.text)
                );
            }
            None => {
                let _ = write!(
                    out,
                    "<button class=\"moment-at\" disabled>▸ {}</button>",
                    escape(&moment.text)
                );
            }
        }
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
        let title = word
            .point
            .as_ref()
            .map(|p| format!(" title=\"{}\"", escape(p)))
            .unwrap_or_default();
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
}

fn points_html(out: &mut String, r: &ScoreReport) {
    if let Some(said) = &r.verdict_against {
        let _ = write!(
            out,
            "<p class=\"against\">You answered “{}”: the reference says the opposite.</p>",
            escape(said)
        );
    }
    out.push_str("<h3>Key points</h3><ul>\n");
    for point in &r.key_points {
        let _ = write!(
            out,
            "<li class=\"{}\"><span class=\"m\">{}</span> {}",
            class(point.status),
            mark(point.status),
            escape(&point.point)
        );
        if (point.status != Status::Missed || point.negated)
            && let Some(at) = point.at_s
        {
            let _ = write!(
                out,
                " <button class=\"at\" data-t=\"{at:.2}\">{}</button>",
                clock(at)
            );
        }
        match (&point.heard, point.status) {
            (Some(said), _) if point.negated => {
                let _ = write!(
                    out,
                    "<div class=\"against\">you said “{}”, against the reference</div>",
                    escape(said)
                );
            }
            (Some(heard), _) if point.matched_by == Some(MatchedBy::Meaning) => {
                let _ = write!(
                    out,
                    "<div class=\"other-words\">in other words: “{}”</div>",
                    escape(heard)
                );
            }
            _ => {}
        }
        if point.status != Status::Hit
            && let Some(reference) = &point.reference
        {
            let _ = write!(out, "<q>{}</q>", escape(reference));
        }
        out.push_str("</li>\n");
    }
    if r.minor_points().next().is_some() {
        out.push_str("</ul>\n<h3>Also in the reference</h3><ul>\n");
        for point in r.minor_points() {
            let _ = write!(
                out,
                "<li class=\"{}\"><span class=\"m\">{}</span> {}",
                class(point.status),
                mark(point.status),
                escape(&point.sentence)
            );
            match (&point.heard, point.status) {
                (Some(said), _) if point.negated => {
                    let _ = write!(
                        out,
                        "<div class=\"against\">you said “{}”, against it</div>",
                        escape(said)
                    );
                }
                (Some(heard), Status::Hit | Status::Partial) => {
                    let _ = write!(
                        out,
                        "<div class=\"other-words\">heard “{}”</div>",
                        escape(heard)
                    );
                }
                _ => {}
            }
            out.push_str("</li>\n");
        }
    }
    out.push_str("</ul>\n");
}

/// "1 hedge", "3 hedges".
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

fn delivery_html(out: &mut String, r: &ScoreReport) {
    let d = &r.delivery;
    let mut figures = vec![format!("{} words", d.words)];
    if let Some(wpm) = d.wpm {
        figures.push(format!("{wpm:.0} words a minute"));
    }
    figures.push(count(d.fillers, "filler word"));
    if d.hedges > 0 {
        figures.push(count(d.hedges, "hedge"));
    }
    if let Some(pauses) = d.long_pauses {
        figures.push(count(pauses, "long pause"));
    }
    if let Some(at) = d.first_point_s {
        figures.push(format!("first key point at {}", clock(at)));
    }
    if let Some(pitch) = d.pitch {
        figures.push(pitch.figures());
    }
    let _ = writeln!(
        out,
        "<h3>Delivery</h3><p>{}</p>\n<p class=\"next\"><strong>Next time:</strong> {}</p>",
        escape(&figures.join(" · ")),
        escape(&r.suggestion)
    );
}

/// The start of a self-contained page, up to its `<body>`: the base styles and the page's own.
pub fn page_start(title: &str, style: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{BASE_STYLE}{style}</style>\n</head>\n<body>\n",
        escape(title)
    )
}

impl Render for Html {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let s = &doc.session;
        let mut out = String::new();
        out.push_str(&page_start(&format!("rehearse · {}", s.id), STYLE));
        let _ = writeln!(
            out,
            "<h1>Session {id}</h1>\n<p class=\"meta\">{} · {} · {} answer{} · {}</p>",
            s.kind.name(),
            s.started_at.format("%Y-%m-%d %H:%M UTC"),
            doc.answers.len(),
            if doc.answers.len() == 1 { "" } else { "s" },
            status_label(s.status),
            id = escape(&s.id),
        );
        for answer in &doc.answers {
            answer_html(&mut out, answer);
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
    fn escapes_markup_and_encodes_paths() {
        assert_eq!(
            escape("<b a=\"1\">&'"),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            file_url("/home/me/my sessions/01-a#b.wav"),
            "file:///home/me/my%20sessions/01-a%23b.wav"
        );
    }
}
