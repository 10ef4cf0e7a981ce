//! The terminal layout of a question and of a scored answer.

use std::fmt::Write;

use crate::bank::{Kind, Question};
use crate::score::{MatchedBy, PointResult, ReferenceSentence, ScoreReport, Status};
use crate::style::{ACCENT, DIM, HEADING, HIT, MISSED, PARTIAL, clock};

/// A question as shown before answering, with the time allowed for the answer, and with
/// `with_answer` its reference and key points.
pub fn question(q: &Question, time_limit_s: u32, with_answer: bool, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{DIM}{} · {} · {} · {} s{DIM:#}",
        q.deck, q.category, q.id, time_limit_s
    );
    for line in textwrap::wrap(&q.question, width) {
        let _ = writeln!(out, "{HEADING}{line}{HEADING:#}");
    }
    if q.kind == Kind::Behavioral {
        let _ = writeln!(
            out,
            "{DIM}A story from your past: situation, task, what you did, and the result{DIM:#}"
        );
    }
    if with_answer {
        if !q.answer.is_empty() {
            let _ = writeln!(out, "\n{ACCENT}Reference answer{ACCENT:#}");
            for line in textwrap::wrap(&q.answer, width) {
                let _ = writeln!(out, "{line}");
            }
        }
        let heading = match q.kind {
            Kind::Technical => "Key points",
            Kind::Behavioral if q.key_points.is_empty() => "",
            Kind::Behavioral => "What the interviewer listens for",
        };
        if !heading.is_empty() {
            let _ = writeln!(out, "\n{ACCENT}{heading}{ACCENT:#}");
        }
        for kp in &q.key_points {
            let _ = write!(out, "  • {}", kp.point);
            if !kp.aliases.is_empty() {
                let _ = write!(out, " {DIM}(also: {}){DIM:#}", kp.aliases.join(", "));
            }
            out.push('\n');
        }
    }
    out
}

fn status_mark(status: Status) -> String {
    match status {
        Status::Hit => format!("{HIT}✓{HIT:#}"),
        Status::Partial => format!("{PARTIAL}~{PARTIAL:#}"),
        Status::Missed => format!("{MISSED}✗{MISSED:#}"),
    }
}

fn score_bar(score: f64, cells: usize) -> String {
    let filled = ((score / 100.0) * cells as f64).round() as usize;
    let style = if score >= 70.0 {
        HIT
    } else if score >= 40.0 {
        PARTIAL
    } else {
        MISSED
    };
    format!(
        "{style}{}{style:#}{DIM}{}{DIM:#}",
        "█".repeat(filled.min(cells)),
        "░".repeat(cells - filled.min(cells))
    )
}

fn point_line(out: &mut String, point: &PointResult, width: usize) {
    let mut line = format!("  {} {}", status_mark(point.status), point.point);
    match (&point.heard, point.status) {
        (Some(said), _) if point.negated => {
            let _ = write!(line, "  {MISSED}you said \"{said}\"{MISSED:#}");
            at_time(&mut line, point.at_s);
            let _ = write!(line, " {DIM}against the reference{DIM:#}");
        }
        (Some(heard), Status::Hit | Status::Partial) => {
            let _ = write!(line, "  {DIM}heard \"{heard}\"{DIM:#}");
            at_time(&mut line, point.at_s);
            if point.matched_by == Some(MatchedBy::Meaning) {
                let _ = write!(line, " {DIM}(in other words){DIM:#}");
            }
        }
        _ => {}
    }
    let _ = writeln!(out, "{line}");
    if point.status != Status::Hit
        && let Some(reference) = &point.reference
    {
        let indent = "      ";
        let options = textwrap::Options::new(width)
            .initial_indent(indent)
            .subsequent_indent(indent);
        let label = if point.negated {
            "the reference says"
        } else {
            "reference"
        };
        for line in textwrap::wrap(&format!("{label}: {reference}"), options) {
            let _ = writeln!(out, "{DIM}{line}{DIM:#}");
        }
    }
}

fn at_time(line: &mut String, at_s: Option<f64>) {
    if let Some(at) = at_s {
        let _ = write!(line, " {DIM}at {}{DIM:#}", clock(at));
    }
}

/// The reference's other sentences, each marked as the answer covered it.
fn minor_points(out: &mut String, points: &[&ReferenceSentence], width: usize) {
    if points.is_empty() {
        return;
    }
    let covered = points.iter().filter(|p| p.status == Status::Hit).count();
    let _ = writeln!(
        out,
        "\n{ACCENT}Also in the reference{ACCENT:#} {DIM}{covered} of {} covered{DIM:#}",
        points.len()
    );
    for point in points {
        let mark = format!("  {} ", status_mark(point.status));
        let options = textwrap::Options::new(width)
            .initial_indent(&mark)
            .subsequent_indent("    ");
        for line in textwrap::wrap(&point.sentence, options) {
            let _ = writeln!(out, "{line}");
        }
        match (&point.heard, point.status) {
            (Some(said), _) if point.negated => {
                let _ = writeln!(
                    out,
                    "    {MISSED}you said \"{said}\"{MISSED:#} {DIM}against it{DIM:#}"
                );
            }
            (Some(heard), Status::Hit | Status::Partial) => {
                let mut line = format!("    {DIM}heard \"{heard}\"{DIM:#}");
                at_time(&mut line, point.at_s);
                let _ = writeln!(out, "{line}");
            }
            _ => {}
        }
    }
}

/// The score, the key points heard and missed, delivery, and the one suggestion.
pub fn score(report: &ScoreReport, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{HEADING}Score {:.0}/100{HEADING:#}  {}",
        report.score,
        score_bar(report.score, 24)
    );
    if let Some(said) = &report.verdict_against {
        let _ = writeln!(
            out,
            "\n  {MISSED}✗ you answered \"{said}\": the reference says the opposite{MISSED:#}"
        );
    }
    let hits = report
        .key_points
        .iter()
        .filter(|p| p.status == Status::Hit)
        .count();
    let _ = writeln!(
        out,
        "\n{ACCENT}Key points{ACCENT:#} {DIM}{hits} of {} covered{DIM:#}",
        report.key_points.len()
    );
    for point in &report.key_points {
        point_line(&mut out, point, width);
    }
    let minor: Vec<&ReferenceSentence> = report.minor_points().collect();
    minor_points(&mut out, &minor, width);

    let d = &report.delivery;
    let mut figures = vec![format!("{} words", d.words)];
    if let Some(wpm) = d.wpm {
        figures.push(format!("{wpm:.0} wpm"));
    }
    figures.push(format!(
        "{} filler{} ({:.1} per 100 words)",
        d.fillers,
        if d.fillers == 1 { "" } else { "s" },
        d.fillers_per_100_words
    ));
    if d.hedges > 0 {
        figures.push(format!(
            "{} hedge{}",
            d.hedges,
            if d.hedges == 1 { "" } else { "s" }
        ));
    }
    if let Some(pauses) = d.long_pauses {
        figures.push(format!(
            "{pauses} long pause{}",
            if pauses == 1 { "" } else { "s" }
        ));
    }
    if let Some(duration) = d.duration_s {
        let over = if d.over_time == Some(true) {
            format!(" {MISSED}over time{MISSED:#}")
        } else {
            String::new()
        };
        figures.push(format!(
            "{} of {}{over}",
            clock(duration),
            clock(f64::from(d.time_limit_s))
        ));
    }
    if let Some(pitch) = d.pitch {
        figures.push(pitch.figures());
    }
    let _ = writeln!(out, "\n{ACCENT}Delivery{ACCENT:#}");
    let options = textwrap::Options::new(width)
        .initial_indent("  ")
        .subsequent_indent("  ");
    for line in textwrap::wrap(&figures.join(" · "), options) {
        let _ = writeln!(out, "{line}");
    }
    // The one moment worth working on, with its time.
    if let Some(moment) = &d.moment {
        let options = textwrap::Options::new(width)
            .initial_indent("  ▸ ")
            .subsequent_indent("    ");
        for line in textwrap::wrap(&moment.text, options) {
            let _ = writeln!(out, "{PARTIAL}{line}{PARTIAL:#}");
        }
    }

    let _ = writeln!(out, "\n{ACCENT}Next time{ACCENT:#}");
    let options = textwrap::Options::new(width)
        .initial_indent("  ")
        .subsequent_indent("  ");
    for line in textwrap::wrap(&report.suggestion, options) {
        let _ = writeln!(out, "{line}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bar_fills_in_proportion() {
        let plain = |s: String| s.replace(|c: char| c != '█' && c != '░', "");
        assert_eq!(plain(score_bar(50.0, 10)), "█████░░░░░");
        assert_eq!(plain(score_bar(100.0, 4)), "████");
        assert_eq!(plain(score_bar(0.0, 4)), "░░░░");
    }
}
