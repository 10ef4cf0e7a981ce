//! `history --format html`: one self-contained page of progress. Per question a trend of its
//! scores, the key points missed most, and how spoken answers were delivered over time (fillers
//! per 100 words, pace) against the norms. Works offline: inline styles, no script.

use std::fmt::Write;

use super::page::{escape, page_start};
use super::svg::{Chart, ChartPoint, line_chart};
use crate::score::Norms;
use crate::session::history::{DeliveryTry, Progress};
use crate::style::clock;

const STYLE: &str = include_str!("progress.css");

/// The progress page; `norms` shade the comfortable ranges of the delivery charts.
pub fn page(progress: &Progress, norms: &Norms) -> String {
    let summary = &progress.summary;
    let mut out = page_start("rehearse · progress", STYLE);
    out.push_str("<h1>Progress</h1>\n");
    let answers: usize = progress.questions.iter().map(|q| q.tries.len()).sum();
    if summary.sessions.is_empty() {
        out.push_str(
            "<p class=\"meta\">No sessions yet. Practise with <code>rehearse practice</code> or \
             <code>rehearse round</code>, then come back.</p>\n</body>\n</html>\n",
        );
        return out;
    }
    let first = summary.sessions.iter().map(|s| s.started_at).min();
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} session{} · {} answer{} · {} practising{}</p>",
        summary.sessions.len(),
        plural(summary.sessions.len()),
        answers,
        plural(answers),
        clock(summary.total_practice_s),
        first
            .map(|at| format!(" · since {}", at.format("%Y-%m-%d")))
            .unwrap_or_default()
    );
    scores(&mut out, progress);
    missed_most(&mut out, progress);
    delivery(&mut out, progress, norms);
    out.push_str("</body>\n</html>\n");
    out
}

/// A card per question with the trend of its scores.
fn scores(out: &mut String, progress: &Progress) {
    out.push_str("<h2>Scores by question</h2>\n<div class=\"cards\">\n");
    for (trend, stats) in progress.questions.iter().zip(&progress.summary.questions) {
        let chart = Chart {
            attributes: format!("data-question=\"{}\"", escape(&trend.question_id)),
            label: &format!("Scores of {} over attempts", trend.question_id),
            points: trend
                .tries
                .iter()
                .map(|t| ChartPoint {
                    value: t.score,
                    data: vec![
                        ("score", format!("{:.1}", t.score)),
                        ("when", t.at.to_rfc3339()),
                        ("session", t.session_id.clone()),
                    ],
                    title: format!("{} · {:.0}/100", t.at.format("%Y-%m-%d %H:%M"), t.score),
                })
                .collect(),
            max: 100.0,
            band: None,
            unit: "",
        };
        let _ = writeln!(
            out,
            "<article class=\"card\"><h3>{}</h3><p class=\"dim\">{}</p>\
             <p class=\"figures\">{} attempt{} · best <b>{:.0}</b> · last <b>{:.0}</b> · \
             average <b>{:.0}</b></p>{}{}</article>",
            escape(&trend.question_id),
            escape(&trend.question),
            stats.attempts,
            plural(stats.attempts),
            stats.best,
            stats.last,
            stats.average,
            line_chart(&chart),
            span(
                trend.tries.first().map(|t| t.at),
                trend.tries.last().map(|t| t.at)
            ),
        );
    }
    out.push_str("</div>\n");
}

fn missed_most(out: &mut String, progress: &Progress) {
    let missed_most = &progress.summary.missed_most;
    out.push_str("<h2>Points missed most</h2>\n");
    if missed_most.is_empty() {
        out.push_str("<p class=\"dim\">No key point missed yet.</p>\n");
        return;
    }
    out.push_str("<ul class=\"missed\">\n");
    for point in missed_most {
        let share = point.missed as f64 / point.attempts.max(1) as f64 * 100.0;
        let _ = writeln!(
            out,
            "<li><span>{}</span><span class=\"n\">missed {} of {}<span class=\"bar\">\
             <i style=\"width:{share:.0}%\"></i></span></span><span class=\"q\">{}</span></li>",
            escape(&point.point),
            point.missed,
            point.attempts,
            escape(&point.question_id)
        );
    }
    out.push_str("</ul>\n");
}

/// Fillers per 100 words and pace over the spoken answers, against the norms.
fn delivery(out: &mut String, progress: &Progress, norms: &Norms) {
    out.push_str("<h2>Delivery over time</h2>\n");
    if progress.delivery.is_empty() {
        out.push_str(
            "<p class=\"dim\">No spoken answers yet: answer out loud (or with <code>--wav</code>) \
             to see your pace and fillers here.</p>\n",
        );
        return;
    }
    let when = |i: usize| progress.delivery.get(i).map(|d| d.at);
    let dates = span(when(0), when(progress.delivery.len() - 1));
    let figure = |kind: &'static str, value: fn(&DeliveryTry) -> f64| {
        progress
            .delivery
            .iter()
            .map(|d| ChartPoint {
                value: value(d),
                data: vec![
                    ("kind", kind.to_owned()),
                    ("value", format!("{:.1}", value(d))),
                    ("when", d.at.to_rfc3339()),
                ],
                title: format!(
                    "{} · {} · {:.1}",
                    d.at.format("%Y-%m-%d %H:%M"),
                    d.question_id,
                    value(d)
                ),
            })
            .collect()
    };
    let fillers = Chart {
        attributes: "data-trend=\"fillers\"".into(),
        label: "Fillers per 100 words over spoken answers",
        points: figure("fillers", |d| d.fillers_per_100_words),
        max: norms.fillers_per_100 * 2.0,
        band: Some((0.0, norms.fillers_per_100)),
        unit: "per 100 words",
    };
    let pace = Chart {
        attributes: "data-trend=\"pace\"".into(),
        label: "Words a minute over spoken answers",
        points: figure("pace", |d| d.wpm),
        max: norms.fast_wpm * 1.3,
        band: Some((norms.slow_wpm, norms.fast_wpm)),
        unit: "words a minute",
    };
    let _ = writeln!(
        out,
        "<div class=\"pair\"><section><h3>Fillers per 100 words</h3>{}{dates}\
         <p class=\"dim\">Green: under {:.0}, which listeners don't notice.</p></section>\
         <section><h3>Pace, words a minute</h3>{}{dates}<p class=\"dim\">Green: {:.0} to \
         {:.0}, comfortable to follow.</p></section></div>",
        line_chart(&fillers),
        norms.fillers_per_100,
        line_chart(&pace),
        norms.slow_wpm,
        norms.fast_wpm
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The first and last dates under a chart.
fn span(
    first: Option<chrono::DateTime<chrono::Utc>>,
    last: Option<chrono::DateTime<chrono::Utc>>,
) -> String {
    match (first, last) {
        (Some(first), Some(last)) => format!(
            "<div class=\"span\"><span>{}</span><span>{}</span></div>",
            first.format("%Y-%m-%d"),
            last.format("%Y-%m-%d")
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::RecordStatus;
    use crate::session::history::progress;
    use crate::session::history::tests::{answer, at, record};

    #[test]
    fn one_trend_per_question_with_a_mark_per_attempt() {
        let mut spoken = answer("ecs", at(3, 9), 70.0, &[]);
        spoken.score.report.delivery.wpm = Some(190.0);
        let s1 = record(
            "s1",
            vec![
                answer("ecs", at(1, 9), 40.0, &["a"]),
                answer("iam", at(1, 10), 90.0, &[]),
            ],
        );
        let s2 = record("s2", vec![spoken]);
        let sessions = [(&s2, RecordStatus::Complete), (&s1, RecordStatus::Complete)];
        let html = page(&progress(&sessions, None), &Norms::default());
        assert!(html.contains("<svg class=\"chart\" data-question=\"ecs\""));
        assert!(html.contains("<svg class=\"chart\" data-question=\"iam\""));
        assert_eq!(html.matches("data-score=").count(), 3);
        assert!(html.contains("data-score=\"40.0\"") && html.contains("data-score=\"70.0\""));
        assert!(html.contains("missed 1 of 2"), "{html}");
        assert!(html.contains("data-trend=\"pace\"") && html.contains("data-value=\"190.0\""));
        assert!(!html.contains("http"), "nothing online");
        let empty = page(&progress(&[], None), &Norms::default());
        assert!(empty.contains("No sessions yet"));
    }
}
