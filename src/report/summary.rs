//! Terminal tables: the summary at the end of a round, and `history`. Pure functions of data;
//! they fit the given width (80 columns and up) by shortening the free-text columns.

use std::fmt::Write;

use chrono::{DateTime, Local, Utc};

use super::ansi_text::{self, Ansi};
use super::view::{self, Syntax, Tone, fit};
use crate::score::Status;
use crate::session::RecordStatus;
use crate::session::history::Summary;
use crate::session::{Answer, FollowUp};
use crate::style::{ACCENT, DIM, HEADING, clock, sparkline};

/// How many of the newest sessions `history` lists in the terminal.
const SESSIONS_SHOWN: usize = 12;

fn score_style(score: f64) -> anstyle::Style {
    ansi_text::style(Tone::of_score(score))
}

/// The table at the end of a round: score, time used and the points missed, per answer.
pub fn round(answers: &[Answer], width: usize) -> String {
    let mut out = String::new();
    let average =
        answers.iter().map(|a| a.score.report.score).sum::<f64>() / answers.len().max(1) as f64;
    let used: f64 = answers.iter().map(|a| a.time_used_s).sum();
    let _ = writeln!(
        out,
        "{HEADING}Round summary{HEADING:#} {DIM}· {} answer{} · average {average:.0}/100 · {} answering{DIM:#}",
        answers.len(),
        if answers.len() == 1 { "" } else { "s" },
        clock(used)
    );
    let id_width = answers
        .iter()
        .map(|a| a.question.id.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 28);
    // "  #  " + id + "  score   time  " + missed
    let missed_width = width.saturating_sub(5 + id_width + 16).max(10);
    let _ = writeln!(
        out,
        "{DIM}  #  {:<id_width$}  score   time  missed{DIM:#}",
        "question"
    );
    for (i, answer) in answers.iter().enumerate() {
        let report = &answer.score.report;
        let missed = report.missed_points();
        let missed = if missed.is_empty() {
            "—".to_owned()
        } else {
            fit(&missed.join(", "), missed_width)
        };
        let style = score_style(report.score);
        let _ = writeln!(
            out,
            "{:>3}  {:<id_width$}  {style}{:>5.0}{style:#}  {:>5}  {missed}",
            i + 1,
            fit(&answer.question.id, id_width),
            report.score,
            clock(answer.time_used_s),
        );
        if let Some(follow_up) = &answer.follow_up {
            let _ = writeln!(
                out,
                "     {DIM}↳ follow-up on{DIM:#} {}{DIM}:{DIM:#} {}",
                fit(&follow_up.point, width.saturating_sub(40).max(12)),
                follow_up_result(follow_up)
            );
        }
    }
    out
}

/// "said · 80/100", coloured by how the follow-up's answer covered its point.
pub fn follow_up_result(follow_up: &FollowUp) -> String {
    Ansi.phrase(&view::follow_up_result(follow_up))
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A session's status where it is worth a word: complete goes without saying.
fn status_note(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Complete => "",
        other => view::session_status(other),
    }
}

/// `rehearse history`: sessions newest first, per-question trends, points missed most, time.
pub fn history(summary: &Summary, width: usize) -> String {
    let mut out = String::new();
    if summary.sessions.is_empty() {
        let _ = writeln!(
            out,
            "No sessions yet. Practise with `rehearse round` or `rehearse practice`."
        );
        return out;
    }
    sessions(&mut out, summary, width);
    questions(&mut out, summary, width);
    missed_most(&mut out, summary, width);
    let _ = writeln!(
        out,
        "\n{DIM}Last session: {}. `rehearse review latest` shows it.{DIM:#}",
        summary
            .sessions
            .first()
            .map_or_else(String::new, |s| local(s.started_at))
    );
    out
}

/// The newest sessions, with their average scores.
fn sessions(out: &mut String, summary: &Summary, width: usize) {
    let _ = writeln!(
        out,
        "{ACCENT}Sessions{ACCENT:#} {DIM}{} · {} practising{DIM:#}",
        summary.sessions.len(),
        clock(summary.total_practice_s)
    );
    let id_width = summary
        .sessions
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(20)
        .min(width.saturating_sub(32).max(20));
    let _ = writeln!(out, "{DIM}  {:<id_width$}  avg  answers{DIM:#}", "session");
    for line in summary.sessions.iter().take(SESSIONS_SHOWN) {
        let average = line
            .average_score
            .map_or_else(|| "  –".to_owned(), |s| format!("{s:>3.0}"));
        let _ = writeln!(
            out,
            "  {:<id_width$}  {average}  {:>2} answer{}  {DIM}{}{DIM:#}",
            fit(&line.id, id_width),
            line.answers,
            if line.answers == 1 { " " } else { "s" },
            status_note(line.status)
        );
    }
    if summary.sessions.len() > SESSIONS_SHOWN {
        let _ = writeln!(
            out,
            "  {DIM}… and {} older (`rehearse history --json` lists them all){DIM:#}",
            summary.sessions.len() - SESSIONS_SHOWN
        );
    }
}

/// Per question: tries, best, last and average scores, and the trend.
fn questions(out: &mut String, summary: &Summary, width: usize) {
    if summary.questions.is_empty() {
        return;
    }
    let id_width = summary
        .questions
        .iter()
        .map(|q| q.question_id.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, width.saturating_sub(48).max(12));
    let _ = writeln!(out, "\n{ACCENT}Questions{ACCENT:#}");
    let _ = writeln!(
        out,
        "{DIM}  {:<id_width$}  tries  best  last   avg  trend{DIM:#}",
        "question"
    );
    for q in &summary.questions {
        let style = score_style(q.last);
        let _ = writeln!(
            out,
            "  {:<id_width$}  {:>5}  {:>4.0}  {style}{:>4.0}{style:#}  {:>4.0}  {}",
            fit(&q.question_id, id_width),
            q.attempts,
            q.best,
            q.last,
            q.average,
            sparkline(&q.trend)
        );
        if !q.story_trend.is_empty() {
            // The story's parts over the last few tries: did the missing part come?
            let shown = &q.story_trend[q.story_trend.len().saturating_sub(STORY_TRIES)..];
            let _ = writeln!(
                out,
                "  {:<id_width$}  {DIM}STAR{DIM:#}  {}",
                "",
                shown.join(" → ")
            );
        }
    }
}

/// How many tries of a story's STAR parts a history line shows.
const STORY_TRIES: usize = 4;

/// The key points missed most, with how often, and how often a follow-up recovered them.
fn missed_most(out: &mut String, summary: &Summary, width: usize) {
    if summary.missed_most.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{ACCENT}Missed most often{ACCENT:#} {DIM}(missed in how many tries){DIM:#}"
    );
    let texts: Vec<String> = summary
        .missed_most
        .iter()
        .map(|p| format!("{} ({})", p.point, p.question_id))
        .collect();
    // A column for the counts: the texts padded to the longest that fits.
    let room = width.saturating_sub(16);
    let column = texts
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .min(room);
    for (point, text) in summary.missed_most.iter().zip(&texts) {
        let recovered = match point.recovered {
            0 => String::new(),
            n => format!(" · said in {}", view::count(n, "follow-up")),
        };
        let _ = writeln!(
            out,
            "  {} {:<column$}  {DIM}{} of {}{recovered}{DIM:#}",
            Ansi.mark(Status::Missed),
            fit(text, room),
            point.missed,
            point.attempts
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::history::summarize;
    use crate::session::history::tests::{answer, at, record};

    fn plain(s: &str) -> String {
        anstream::adapter::strip_str(s).to_string()
    }

    fn widest(text: &str) -> usize {
        plain(text)
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_round_table_fits_80_columns() {
        let answers = vec![
            answer("what-is-ecs", at(1, 9), 82.0, &[]),
            answer(
                "an-extremely-long-question-identifier-that-goes-on",
                at(1, 10),
                36.0,
                &["a", "b"],
            ),
        ];
        let text = round(&answers, 80);
        assert!(widest(&text) <= 80, "{}", plain(&text));
        let plain = plain(&text);
        assert!(plain.contains("average 59/100"), "{plain}");
        assert!(plain.contains("  1  what-is-ecs"), "{plain}");
        assert!(plain.contains("a, b"), "{plain}");
    }

    #[test]
    fn history_shows_a_storys_parts_over_its_tries() -> anyhow::Result<()> {
        let question = crate::bank::Question {
            kind: crate::bank::Kind::Behavioral,
            ..crate::bank::Question::technical(
                "Tell me about a time you missed a deadline.",
                "",
                &[],
            )
        };
        let heard = |told: &str| {
            crate::score::Scorer::words_only()
                .score(&question, &crate::transcript::Transcript::typed(told))
                .map(|r| r.structure)
        };
        let mut first = answer("q", at(1, 9), 40.0, &[]);
        first.score.report.structure = heard(
            "last spring I was on the payments team and it was my job to ship the invoice \
             export by the end of the quarter so I split the work and I told the customer \
             myself about the delay",
        )?;
        let mut second = answer("q", at(2, 9), 80.0, &[]);
        second.score.report.structure = heard(
            "last spring I was on the payments team and it was my job to ship the invoice \
             export by the end of the quarter so I split the work and I told the customer \
             myself and in the end we shipped nine days late and they renewed for two years",
        )?;
        let (s1, s2) = (record("s1", vec![first]), record("s2", vec![second]));
        let sessions = [(&s2, RecordStatus::Complete), (&s1, RecordStatus::Complete)];
        let summary = summarize(&sessions, None);
        let trend = &summary.questions[0].story_trend;
        assert_eq!(trend.len(), 2, "{trend:?}");
        assert!(
            trend[0].ends_with('–') && trend[1].ends_with('R'),
            "{trend:?}"
        );
        let shown = plain(&history(&summary, 80));
        assert!(
            shown.contains(&format!("STAR  {} → {}", trend[0], trend[1])),
            "{shown}"
        );
        Ok(())
    }

    #[test]
    fn history_shows_trends_and_fits_80_columns() {
        let s1 = record(
            "2026-11-01T09-00-00-round-ab12",
            vec![answer("what-is-ecs", at(1, 9), 30.0, &["a"])],
        );
        let s2 = record(
            "2026-11-02T09-00-00-drill-cd34",
            vec![answer("what-is-ecs", at(2, 9), 90.0, &[])],
        );
        let sessions = [
            (&s2, RecordStatus::Complete),
            (&s1, RecordStatus::Interrupted),
        ];
        let text = history(&summarize(&sessions, None), 80);
        assert!(widest(&text) <= 80, "{}", plain(&text));
        let shown = plain(&text);
        assert!(shown.contains("interrupted"), "{shown}");
        assert!(shown.contains("▃▇"), "trend oldest first: {shown}");
        assert!(shown.contains("1 of 2"), "{shown}");
        assert!(history(&summarize(&[], None), 80).contains("No sessions yet"));

        let many: Vec<_> = (1..=14)
            .map(|day| {
                record(
                    &format!("s{day:02}"),
                    vec![answer("q", at(day, 9), 50.0, &[])],
                )
            })
            .collect();
        let sessions: Vec<_> = many
            .iter()
            .rev()
            .map(|r| (r, RecordStatus::Complete))
            .collect();
        let text = plain(&history(&summarize(&sessions, None), 80));
        assert!(
            text.contains("  s14 ") && text.contains("  s03 ") && !text.contains("  s02 "),
            "{text}"
        );
        assert!(text.contains("… and 2 older"), "{text}");
    }
}
