//! The reports as ANSI text for the terminal: a question before it is answered, a scored answer, and the review of a
//! session, as text for the terminal with ANSI styles (anstream strips them where colour is
//! off). The wording is [`view`]'s; this file gives it the terminal's syntax.

use std::fmt::Write;

use anstyle::Style;
use anyhow::Result;

use super::Render;
use super::review::{MarkedWord, ReviewAnswer, ReviewDoc, lines};
use super::view::{self, Finding, FindingKind, Syntax, Tone};
use crate::bank::{Kind, Question};
use crate::score::{ScoreReport, Status};
use crate::style::{ACCENT, DIM, HEADING, HIT, MISSED, PARTIAL, clock};

/// The terminal's look of a tone.
pub fn style(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Dim => DIM,
        Tone::Good => HIT,
        Tone::Fair => PARTIAL,
        Tone::Bad => MISSED,
    }
}

/// The review as terminal text, `width` columns wide. Without colour, words that made a point are
/// bracketed instead: `[hit words]`, `{partial words}`.
#[derive(Debug, Clone, Copy)]
pub struct AnsiText {
    pub width: usize,
    pub color: bool,
}

/// The terminal's syntax: ANSI styles, plain quotes.
#[derive(Debug, Clone, Copy)]
pub struct Ansi;

impl Syntax for Ansi {
    fn words(&self, tone: Tone, text: &str) -> String {
        if tone == Tone::Plain {
            return text.to_owned();
        }
        let style = style(tone);
        format!("{style}{text}{style:#}")
    }

    fn said(&self, tone: Tone, text: &str) -> String {
        self.words(tone, &format!("\"{text}\""))
    }

    fn clock(&self, at_s: f64) -> String {
        format!("{DIM}{}{DIM:#}", clock(at_s))
    }

    fn mark(&self, status: Status) -> String {
        self.words(Tone::of_status(status), view::mark(status))
    }

    fn file(&self, name: &str) -> String {
        name.to_owned()
    }
}

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
        let _ = writeln!(out, "{DIM}{}{DIM:#}", view::TELL_A_STORY);
    }
    if with_answer {
        if !q.answer.is_empty() {
            let _ = writeln!(out, "\n{ACCENT}{}{ACCENT:#}", view::REFERENCE_ANSWER);
            for line in textwrap::wrap(&q.answer, width) {
                let _ = writeln!(out, "{line}");
            }
        }
        let heading = match q.kind {
            Kind::Technical => view::KEY_POINTS,
            Kind::Behavioral => view::LISTENS_FOR,
        };
        if !q.key_points.is_empty() {
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

/// The score, the key points heard and missed, delivery, and the one suggestion.
pub fn score(report: &ScoreReport, width: usize) -> String {
    AnsiText { width, color: true }.score(report)
}

fn score_bar(score: f64, cells: usize) -> String {
    let filled = (((score / 100.0) * cells as f64).round() as usize).min(cells);
    let style = style(Tone::of_score(score));
    format!(
        "{style}{}{style:#}{DIM}{}{DIM:#}",
        "█".repeat(filled),
        "░".repeat(cells - filled)
    )
}

impl AnsiText {
    /// `text` wrapped to the width, each line after `indent`.
    fn wrapped(&self, out: &mut String, text: &str, indent: &str) {
        let options = textwrap::Options::new(self.width)
            .initial_indent(indent)
            .subsequent_indent(indent);
        for line in textwrap::wrap(text, options) {
            let _ = writeln!(out, "{line}");
        }
    }

    fn heading(&self, out: &mut String, label: &str, detail: Option<&str>) {
        let _ = write!(out, "\n{ACCENT}{label}{ACCENT:#}");
        if let Some(detail) = detail {
            let _ = write!(out, " {DIM}{detail}{DIM:#}");
        }
        out.push('\n');
    }

    /// Findings that read as a line of their own (the reference quoted) under the point, the
    /// others after it on its line.
    fn findings(&self, line: &mut String, out: &mut String, findings: &[Finding]) {
        let (own_line, inline): (Vec<&Finding>, Vec<&Finding>) = findings
            .iter()
            .partition(|f| f.kind == FindingKind::Reference);
        for finding in inline {
            let _ = write!(line, "  {}", Ansi.phrase(&finding.phrase));
        }
        let _ = writeln!(out, "{line}");
        for finding in own_line {
            self.wrapped(out, &Ansi.phrase(&finding.phrase), "      ");
        }
    }

    fn key_points(&self, out: &mut String, report: &ScoreReport) {
        let statuses: Vec<Status> = report.key_points.iter().map(|p| p.status).collect();
        self.heading(out, view::KEY_POINTS, Some(&view::covered(statuses.iter())));
        for point in &report.key_points {
            let mut line = format!("  {} {}", Ansi.mark(point.status), point.point);
            self.findings(&mut line, out, &view::point_findings(point));
        }
    }

    /// The reference's other sentences, each marked as the answer covered it.
    fn minor_points(&self, out: &mut String, report: &ScoreReport) {
        let statuses: Vec<Status> = report.minor_points().map(|p| p.status).collect();
        if statuses.is_empty() {
            return;
        }
        let covered = view::covered(statuses.iter());
        self.heading(out, view::ALSO_IN_THE_REFERENCE, Some(&covered));
        for point in report.minor_points() {
            let mark = format!("  {} ", Ansi.mark(point.status));
            let options = textwrap::Options::new(self.width)
                .initial_indent(&mark)
                .subsequent_indent("    ");
            for line in textwrap::wrap(&point.sentence, options) {
                let _ = writeln!(out, "{line}");
            }
            for finding in view::sentence_findings(point) {
                let _ = writeln!(out, "    {}", Ansi.phrase(&finding.phrase));
            }
        }
    }

    fn delivery(&self, out: &mut String, report: &ScoreReport) {
        let d = &report.delivery;
        self.heading(out, view::DELIVERY, None);
        self.wrapped(out, &Ansi.phrase(&view::delivery_line(d)), "  ");
        // The one moment worth working on, with its time.
        if let Some(moment) = &d.moment {
            let lead = format!("  {} ", view::MOMENT);
            let options = textwrap::Options::new(self.width)
                .initial_indent(&lead)
                .subsequent_indent("    ");
            for line in textwrap::wrap(&moment.text, options) {
                let _ = writeln!(out, "{PARTIAL}{line}{PARTIAL:#}");
            }
        }
    }

    /// The score, the key points heard and missed, delivery, and the one suggestion.
    pub fn score(&self, report: &ScoreReport) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{HEADING}Score {}{HEADING:#}  {}",
            view::score(report.score),
            score_bar(report.score, 24)
        );
        if let Some(structure) = &report.structure {
            let _ = writeln!(out, "  {}", Ansi.phrase(&view::star_line(structure)));
        }
        if let Some(said) = &report.verdict_against {
            let _ = writeln!(
                out,
                "\n  {} {}",
                Ansi.mark(Status::Missed),
                Ansi.phrase(&view::verdict_against(said))
            );
        }
        self.key_points(&mut out, report);
        self.minor_points(&mut out, report);
        self.delivery(&mut out, report);
        self.heading(&mut out, view::NEXT_TIME, None);
        self.wrapped(&mut out, &report.suggestion, "  ");
        out
    }

    /// One line of the transcript, marked.
    fn marked_line(&self, line: &[&MarkedWord]) -> String {
        let same = |a: &MarkedWord, b: &MarkedWord| {
            a.mark.is_some() && a.mark == b.mark && a.point == b.point
        };
        let mut out = Vec::with_capacity(line.len());
        for (i, word) in line.iter().enumerate() {
            let text = match (word.mark, self.color) {
                (Some(mark @ (Status::Hit | Status::Partial)), true) => {
                    Ansi.words(Tone::of_status(mark), &word.word)
                }
                (Some(mark @ (Status::Hit | Status::Partial)), false) => {
                    let (open, close) = if mark == Status::Hit {
                        ("[", "]")
                    } else {
                        ("{", "}")
                    };
                    let first = i == 0 || !same(line[i - 1], word);
                    let last = i + 1 == line.len() || !same(line[i + 1], word);
                    format!(
                        "{}{}{}",
                        if first { open } else { "" },
                        word.word,
                        if last { close } else { "" }
                    )
                }
                _ if word.unsure && self.color => Ansi.words(Tone::Dim, &word.word),
                _ if word.unsure => format!("{}(?)", word.word),
                _ => word.word.clone(),
            };
            out.push(text);
        }
        out.join(" ")
    }

    /// The transcript, its words marked, with a time stamp per line when it was spoken.
    fn transcript(&self, out: &mut String, answer: &ReviewAnswer) {
        let unsure = answer.words.iter().any(|w| w.unsure);
        let legend = match (self.color, unsure) {
            (true, false) => format!("{HIT}hit{HIT:#} {DIM}·{DIM:#} {PARTIAL}partial{PARTIAL:#}"),
            (true, true) => format!(
                "{HIT}hit{HIT:#} {DIM}·{DIM:#} {PARTIAL}partial{PARTIAL:#} {DIM}· {}{DIM:#}",
                view::UNSURE
            ),
            (false, false) => "[hit] {partial}".to_owned(),
            (false, true) => format!("[hit] {{partial}} {}", view::UNSURE_MARKED),
        };
        let _ = writeln!(
            out,
            "\n{ACCENT}{}{ACCENT:#} {DIM}({DIM:#}{legend}{DIM}){DIM:#}",
            view::TRANSCRIPT
        );
        if answer.words.is_empty() {
            let _ = writeln!(out, "  {DIM}{}{DIM:#}", view::NOTHING_SAID);
        }
        let timed = answer.words.iter().any(|w| w.start_s.is_some());
        // Room for the time stamp, and for brackets when there is no colour.
        let text_width = self
            .width
            .saturating_sub(if timed { 9 } else { 2 } + 4)
            .max(20);
        for (at, line) in lines(&answer.words, text_width) {
            let stamp = match (timed, at) {
                (true, Some(at)) => format!("{DIM}{:>5}{DIM:#}  ", clock(at)),
                (true, None) => "       ".to_owned(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {stamp}{}", self.marked_line(&line));
        }
        for correction in view::corrections(&answer.words) {
            let _ = writeln!(out, "  {}", Ansi.phrase(&correction));
        }
        match &answer.recording {
            Some(recording) if recording.present => {
                let _ = writeln!(
                    out,
                    "  {DIM}recording: {} (--format html plays it){DIM:#}",
                    recording.file
                );
            }
            Some(recording) => {
                let gone = view::recording_gone(&recording.file);
                let _ = writeln!(out, "  {}", Ansi.phrase(&gone));
            }
            None => {}
        }
    }

    fn follow_up(&self, out: &mut String, answer: &ReviewAnswer) {
        let Some(follow_up) = &answer.follow_up else {
            return;
        };
        self.heading(out, view::FOLLOW_UP, None);
        let width = self.width.saturating_sub(2).max(20);
        for line in textwrap::wrap(&follow_up.question, width) {
            let _ = writeln!(out, "  {HEADING}{line}{HEADING:#}");
        }
        let said = follow_up.transcript.trim();
        if said.is_empty() {
            let _ = writeln!(out, "  {DIM}{}{DIM:#}", view::NOTHING_SAID);
        } else {
            self.wrapped(out, said, "  ");
        }
        let outcome = view::follow_up_outcome(follow_up);
        let _ = writeln!(out, "  {}", Ansi.phrase(&outcome));
    }

    fn answer(&self, out: &mut String, answer: &ReviewAnswer) {
        let id_room = self.width.saturating_sub(44).max(12);
        let _ = writeln!(
            out,
            "\n{ACCENT}━━ Answer {} · {} · {} · {}{ACCENT:#}",
            answer.number,
            view::fit(&answer.report.question_id, id_room),
            view::score(answer.report.score),
            view::time_used(answer.time_used_s, answer.time_limit_s, answer.interrupted)
        );
        for line in textwrap::wrap(&answer.question, self.width) {
            let _ = writeln!(out, "{HEADING}{line}{HEADING:#}");
        }
        self.transcript(out, answer);
        out.push('\n');
        out.push_str(&self.score(&answer.report));
        if !answer.earlier_scores.is_empty() {
            let earlier: Vec<String> = answer
                .earlier_scores
                .iter()
                .map(|e| format!("{:.0}", e.score))
                .collect();
            let _ = writeln!(out, "  {DIM}earlier scores: {}{DIM:#}", earlier.join(", "));
        }
        self.follow_up(out, answer);
        self.heading(out, view::REFERENCE_ANSWER, None);
        self.wrapped(out, answer.reference_answer.trim(), "  ");
    }
}

impl Render for AnsiText {
    fn render(&self, doc: &ReviewDoc) -> Result<String> {
        let mut out = String::new();
        let s = &doc.session;
        let when = s
            .started_at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        let _ = writeln!(
            out,
            "{HEADING}Session {}{HEADING:#}\n{DIM}{}{DIM:#}",
            s.id,
            view::session_meta(s.kind.name(), &when, doc.answers.len(), s.status)
        );
        if doc.answers.is_empty() {
            let _ = writeln!(out, "\nNo answers were given in this session.");
        }
        for answer in &doc.answers {
            self.answer(&mut out, answer);
        }
        for cut in &doc.cut_off {
            let said = view::cut_off(&cut.question_id, &cut.recording.path);
            let _ = writeln!(out, "\n{}", Ansi.phrase(&said));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::mark_words;
    use crate::report::review::tests::scored;
    use crate::transcript::Transcript;

    #[test]
    fn score_bar_fills_in_proportion() {
        let plain = |s: String| s.replace(|c: char| c != '█' && c != '░', "");
        assert_eq!(plain(score_bar(50.0, 10)), "█████░░░░░");
        assert_eq!(plain(score_bar(100.0, 4)), "████");
        assert_eq!(plain(score_bar(0.0, 4)), "░░░░");
    }

    #[test]
    fn without_colour_the_marks_are_brackets() {
        let transcript = Transcript::typed("it is fully managed and does container orchestration");
        let words = mark_words(&transcript, &scored(&transcript));
        let refs: Vec<&MarkedWord> = words.iter().collect();
        let plain = AnsiText {
            width: 80,
            color: false,
        }
        .marked_line(&refs);
        assert_eq!(
            plain,
            "it is [fully managed] and does [container orchestration]"
        );
    }

    /// Terminal text without its ANSI styles.
    fn without_styles(coloured: &str) -> String {
        coloured
            .split('\u{1b}')
            .map(|piece| piece.split_once('m').map_or(piece, |(_, rest)| rest))
            .collect()
    }

    #[test]
    fn corrections_are_shown_with_what_was_heard_and_unsure_words_faint() -> Result<()> {
        let transcript = crate::report::review::tests::corrected_and_unsure(
            "ECS is fully managed and does container orchestration",
        );
        let doc = crate::report::review::tests::reviewed(transcript, true);
        let coloured = AnsiText {
            width: 100,
            color: true,
        }
        .render(&doc)?;
        let unstyled = without_styles(&coloured);
        assert!(
            unstyled.contains("heard \"PCS\", read as \"ECS\" at 0:00"),
            "{unstyled}"
        );
        assert!(
            coloured.contains(&format!("{DIM}does{DIM:#}")),
            "{coloured}"
        );
        assert!(coloured.contains(view::UNSURE), "{coloured}");
        let words = &doc.answers[0].words;
        let refs: Vec<&MarkedWord> = words.iter().collect();
        let plain = AnsiText {
            width: 100,
            color: false,
        }
        .marked_line(&refs);
        assert!(plain.contains(" does(?) "), "{plain}");
        Ok(())
    }

    #[test]
    fn a_point_not_clearly_heard_is_marked_with_what_was_heard() -> Result<()> {
        let doc = crate::report::review::tests::reviewed(
            crate::report::review::tests::unclear_point(),
            true,
        );
        let coloured = AnsiText {
            width: 120,
            color: true,
        }
        .render(&doc)?;
        let unstyled = without_styles(&coloured);
        assert!(
            unstyled.contains(
                "  ? Docker containers  not clearly heard: heard \"dakka containers\" at 0:04"
            ),
            "{unstyled}"
        );
        assert!(
            unstyled.contains("2 of 3 covered · 1 not clearly heard"),
            "{unstyled}"
        );
        Ok(())
    }
}
