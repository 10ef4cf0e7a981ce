//! The review as one self-contained HTML page that works offline: styles and script inline, an
//! audio player per answer pointing at its recording, and a transcript where clicking a word
//! plays the recording from that moment. Key points are listed beside the transcript.

use std::fmt::Write;

use anyhow::Result;

use super::review::{Render, ReviewAnswer, ReviewDoc, status_label};
use crate::score::{MatchedBy, Status};
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

const STYLE: &str = r#"
:root { --hit: #1a7f37; --partial: #9a6700; --missed: #cf222e; --dim: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 70rem; padding: 1.5rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 0; } .meta { color: var(--dim); margin: .2rem 0 1.5rem; }
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
.next { background: #f6f8fa; border-left: 3px solid #0969da; padding: .5rem .8rem; }
.dim { color: var(--dim); }
"#;

const SCRIPT: &str = r#"
(function () {
  function clock(s) { s = Math.max(0, Math.round(s)); return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0'); }
  document.querySelectorAll('.answer').forEach(function (section) {
    var audio = section.querySelector('audio');
    if (!audio) { return; }
    var state = section.querySelector('.audio-state');
    var words = Array.prototype.slice.call(section.querySelectorAll('.w[data-t]'));
    audio.addEventListener('loadedmetadata', function () {
      section.dataset.audio = 'ready';
      state.textContent = clock(audio.duration) + ' recorded · click a word to play from there';
    });
    audio.addEventListener('error', function () {
      section.dataset.audio = 'error';
      state.textContent = 'This recording cannot be played.';
    });
    section.querySelectorAll('[data-t]').forEach(function (el) {
      el.addEventListener('click', function () {
        audio.currentTime = parseFloat(el.dataset.t);
        audio.play();
      });
    });
    audio.addEventListener('timeupdate', function () {
      var t = audio.currentTime;
      words.forEach(function (w) {
        w.classList.toggle('now', t >= parseFloat(w.dataset.t) && t < parseFloat(w.dataset.end));
      });
    });
  });
})();
"#;

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
    out.push_str("<div class=\"grid\"><div class=\"main\">\n");
    match &answer.recording {
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
    out.push_str("<p class=\"transcript\">");
    if answer.words.is_empty() {
        out.push_str("<span class=\"dim\">(nothing was said)</span>");
    }
    let mut last_stamp = f64::NEG_INFINITY;
    for word in &answer.words {
        // A time stamp every ten seconds or so, at the word where that time starts.
        if let Some(start) = word.start_s
            && start - last_stamp >= 10.0
        {
            let _ = write!(out, "<span class=\"stamp\">{}</span>", clock(start));
            last_stamp = start;
        }
        let classes = match word.mark {
            Some(status) => format!("w {}", class(status)),
            None => "w".to_owned(),
        };
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
    out.push_str("</p>\n</div>\n<aside class=\"points\">");
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
    out.push_str("</ul>\n<h3>Delivery</h3><p>");
    let d = &r.delivery;
    let mut figures = vec![format!("{} words", d.words)];
    if let Some(wpm) = d.wpm {
        figures.push(format!("{wpm:.0} words a minute"));
    }
    figures.push(format!("{} filler words", d.fillers));
    if let Some(pauses) = d.long_pauses {
        figures.push(format!("{pauses} long pauses"));
    }
    out.push_str(&escape(&figures.join(" · ")));
    let _ = writeln!(
        out,
        "</p>\n<p class=\"next\"><strong>Next time:</strong> {}</p>\n</aside></div>",
        escape(&r.suggestion)
    );
    let _ = writeln!(
        out,
        "<details><summary>Reference answer</summary><p>{}</p></details>\n</section>",
        escape(answer.reference_answer.trim())
    );
}

impl Render for Html {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let s = &doc.session;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>rehearse · {id}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
             <h1>Session {id}</h1>\n<p class=\"meta\">{} · {} · {} answer{} · {}</p>",
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
