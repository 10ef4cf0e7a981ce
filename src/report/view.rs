//! What every report says, worded once: the marks, the labels, the findings about a point, the
//! delivery figures, the follow-up's outcome and the score. The formats (terminal text,
//! Markdown, HTML) only give each piece its syntax through [`Syntax`], as hyperfine's
//! `export/markup.rs` leaves a table's syntax to each markup format.
//!
//! A new finding (a STAR part heard, a word heard with low confidence) is one more
//! [`FindingKind`] and its wording here; a format adds syntax only where it wants the finding to
//! look different from the others (an HTML class, say).

use crate::score::band::ScoreBand;
use crate::score::structure::{Part, Structure};
use crate::score::{Delivery, MatchedBy, PointResult, ReferenceSentence, Status};
use crate::session::{FollowUp, RecordStatus};
use crate::style::clock;

pub const KEY_POINTS: &str = "Key points";
pub const ALSO_IN_THE_REFERENCE: &str = "Also in the reference";
pub const DELIVERY: &str = "Delivery";
pub const NEXT_TIME: &str = "Next time";
pub const TRANSCRIPT: &str = "Transcript";
pub const REFERENCE_ANSWER: &str = "Reference answer";
/// A behavioural question's key points: what the interviewer listens for in the story.
pub const LISTENS_FOR: &str = "What the interviewer listens for";
/// Under a behavioural question: what the answer should be.
pub const TELL_A_STORY: &str =
    "A story from your past: the situation, your task, what you did, and the result";
pub const FOLLOW_UP: &str = "Follow-up";
pub const TIME_USED: &str = "Time used";
pub const NOTHING_SAID: &str = "(nothing was said)";
/// Leads the one moment of the delivery worth working on.
pub const MOMENT: &str = "▸";
/// Between figures on one line.
pub const SEPARATOR: &str = " · ";

/// How a piece of wording should stand out; each format gives it its own look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Secondary: times, what was heard, the reference quoted.
    Dim,
    /// Made, strong.
    Good,
    /// Partly made, fair.
    Fair,
    /// Missed, weak, or said against the reference.
    Bad,
}

impl Tone {
    pub fn of_status(status: Status) -> Self {
        match status {
            Status::Hit => Self::Good,
            Status::Partial => Self::Fair,
            Status::Missed => Self::Bad,
            Status::Unclear => Self::Dim,
        }
    }

    pub fn of_score(score: f64) -> Self {
        match ScoreBand::of(score) {
            ScoreBand::Strong => Self::Good,
            ScoreBand::Fair => Self::Fair,
            ScoreBand::Weak => Self::Bad,
        }
    }
}

/// A piece of a [`Phrase`].
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    /// Our own words.
    Words(Tone, String),
    /// What the answer or the reference said, quoted.
    Said(Tone, String),
    /// A moment of the recording, in seconds.
    Clock(f64),
    /// How a point was covered: ✓, ~, ✗, or ? when it was not clearly heard.
    Mark(Status),
    /// A file's name.
    File(String),
}

/// Worded text made of pieces, for a format to give each piece its syntax.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Phrase(Vec<Piece>);

impl Phrase {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn words(mut self, tone: Tone, text: impl Into<String>) -> Self {
        self.0.push(Piece::Words(tone, text.into()));
        self
    }

    pub fn said(mut self, tone: Tone, text: impl Into<String>) -> Self {
        self.0.push(Piece::Said(tone, text.into()));
        self
    }

    pub fn mark(mut self, status: Status) -> Self {
        self.0.push(Piece::Mark(status));
        self
    }

    pub fn file(mut self, name: impl Into<String>) -> Self {
        self.0.push(Piece::File(name.into()));
        self
    }

    /// " at 0:12" when the moment is known.
    pub fn at(mut self, at_s: Option<f64>) -> Self {
        if let Some(at) = at_s {
            self.0.push(Piece::Words(Tone::Dim, " at ".into()));
            self.0.push(Piece::Clock(at));
        }
        self
    }

    /// This phrase, then `other`.
    pub fn then(mut self, other: Phrase) -> Self {
        self.0.extend(other.0);
        self
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.0
    }

    /// The wording without any syntax, quotes as “”.
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Words(_, text) | Piece::File(text) => text.clone(),
                Piece::Said(_, text) => format!("“{text}”"),
                Piece::Clock(at) => clock(*at),
                Piece::Mark(status) => mark(*status).to_owned(),
            })
            .collect()
    }
}

/// What a format supplies: the syntax of each piece. Escaping is the format's too.
pub trait Syntax {
    fn words(&self, tone: Tone, text: &str) -> String;
    fn said(&self, tone: Tone, text: &str) -> String;
    fn clock(&self, at_s: f64) -> String;
    fn mark(&self, status: Status) -> String;
    fn file(&self, name: &str) -> String;

    fn piece(&self, piece: &Piece) -> String {
        match piece {
            Piece::Words(tone, text) => self.words(*tone, text),
            Piece::Said(tone, text) => self.said(*tone, text),
            Piece::Clock(at) => self.clock(*at),
            Piece::Mark(status) => self.mark(*status),
            Piece::File(name) => self.file(name),
        }
    }

    fn phrase(&self, phrase: &Phrase) -> String {
        phrase
            .pieces()
            .iter()
            .map(|piece| self.piece(piece))
            .collect()
    }
}

pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Hit => "✓",
        Status::Partial => "~",
        Status::Missed => "✗",
        Status::Unclear => "?",
    }
}

/// "72/100".
pub fn score(score: f64) -> String {
    format!("{score:.0}/100")
}

/// "1 hedge", "3 hedges".
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// "2 of 3 covered", and "· 1 not clearly heard" when one was.
pub fn covered<'a>(statuses: impl ExactSizeIterator<Item = &'a Status> + Clone) -> String {
    let of = statuses.len();
    let hits = statuses.clone().filter(|s| **s == Status::Hit).count();
    let unclear = statuses.filter(|s| **s == Status::Unclear).count();
    let mut text = format!("{hits} of {of} covered");
    if unclear > 0 {
        text.push_str(&format!("{SEPARATOR}{unclear} {NOT_CLEARLY_HEARD}"));
    }
    text
}

/// Cut text to `max` characters, marking the cut with `…`.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn session_status(status: RecordStatus) -> &'static str {
    match status {
        RecordStatus::Complete => "complete",
        RecordStatus::Interrupted => "interrupted",
        RecordStatus::InProgress => "in progress",
    }
}

/// "round · 2026-11-02 09:00 · 3 answers · complete", with `when` as the format writes dates.
pub fn session_meta(kind: &str, when: &str, answers: usize, status: RecordStatus) -> String {
    [
        kind,
        when,
        &count(answers, "answer"),
        session_status(status),
    ]
    .join(SEPARATOR)
}

/// "0:42 of 1:30", and "· cut short" when the answer was.
pub fn time_used(used_s: f64, limit_s: u32, interrupted: bool) -> String {
    let mut text = format!("{} of {}", clock(used_s), clock(f64::from(limit_s)));
    if interrupted {
        text.push_str(SEPARATOR);
        text.push_str("cut short");
    }
    text
}

pub fn recording_gone(file: &str) -> Phrase {
    Phrase::new()
        .words(Tone::Bad, "The recording ")
        .file(file)
        .words(Tone::Bad, " is gone;")
        .words(Tone::Plain, " the transcript is what was kept.")
}

/// An answer cut off before it was scored, whose recording the session kept.
pub fn cut_off(question_id: &str, file: &str) -> Phrase {
    Phrase::new()
        .words(Tone::Bad, "Cut off before it was scored:")
        .words(
            Tone::Plain,
            format!(" an answer to {question_id}; its recording is "),
        )
        .file(file)
        .words(Tone::Plain, ".")
}

/// The answer's verdict (yes or no) is the opposite of the reference's.
pub fn verdict_against(said: &str) -> Phrase {
    Phrase::new()
        .words(Tone::Bad, "You answered ")
        .said(Tone::Bad, said)
        .words(Tone::Bad, ": the reference says the opposite.")
}

/// A behavioural answer's STAR structure in one line: each part heard or not, the action's share,
/// and the story's flaws ("STAR  S✓ T✓ A✓ R✗ · action 52% · all \"we\"").
pub fn star_line(structure: &Structure) -> Phrase {
    let mut line = Phrase::new().words(Tone::Dim, "STAR ");
    for finding in &structure.parts {
        let (tone, mark) = if finding.present {
            (Tone::Good, "✓")
        } else {
            (Tone::Bad, "✗")
        };
        line = line.words(tone, format!(" {}{mark}", finding.part.letter()));
    }
    line = line.words(
        Tone::Plain,
        format!(
            "{SEPARATOR}action {:.0}%",
            structure.share(Part::Action) * 100.0
        ),
    );
    let flaws = [
        (!structure.personal_action, "all \"we\""),
        (
            structure.hypothetical,
            "what you would do, not what you did",
        ),
        (
            structure.on_question == Some(false),
            "far from the question",
        ),
    ];
    for (_, flaw) in flaws.iter().filter(|(is, _)| *is) {
        line = line.words(Tone::Plain, SEPARATOR).words(Tone::Bad, *flaw);
    }
    if structure.quantified_result {
        line = line
            .words(Tone::Plain, SEPARATOR)
            .words(Tone::Good, "a figure in the result");
    }
    line
}

/// What a finding is about; formats may give each kind its own look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// Where the point was heard.
    Heard,
    /// Said against the reference.
    Against,
    /// The reference's sentence, for a point not made.
    Reference,
    /// Not clearly heard: what whisper wrote where the point would be.
    Unclear,
}

impl FindingKind {
    /// A name for the kind, as markup classes use it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Heard => "heard",
            Self::Against => "against",
            Self::Reference => "reference",
            Self::Unclear => "unclear",
        }
    }
}

/// Something found about a point of the reference, worded.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    pub phrase: Phrase,
}

/// A word corrected to a bank term: "heard “PCS”, read as “ECS” at 0:03".
pub fn correction(heard: &str, read_as: &str, at_s: Option<f64>) -> Phrase {
    Phrase::new()
        .words(Tone::Dim, "heard ")
        .said(Tone::Dim, heard)
        .words(Tone::Dim, ", read as ")
        .said(Tone::Plain, read_as)
        .at(at_s)
}

/// The corrections among the words of a transcript, worded, in order.
pub fn corrections(words: &[crate::report::review::MarkedWord]) -> Vec<Phrase> {
    let bare = |text: &str| text.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
    words
        .iter()
        .filter_map(|w| {
            let heard = w.heard.as_deref()?;
            Some(correction(&bare(heard), &bare(&w.word), w.start_s))
        })
        .collect()
}

/// A key point whose place in the answer whisper was unsure of.
pub const NOT_CLEARLY_HEARD: &str = "not clearly heard";

/// What the faint words of a transcript are.
pub const UNSURE: &str = "faint: whisper was unsure";
/// The same, where words are marked "(?)" instead of faint.
pub const UNSURE_MARKED: &str = "word(?): whisper was unsure";

fn heard(heard: &str, at_s: Option<f64>) -> Phrase {
    Phrase::new()
        .words(Tone::Dim, "heard ")
        .said(Tone::Dim, heard)
        .at(at_s)
}

fn against(said: &str, at_s: Option<f64>, what: &str) -> Finding {
    Finding {
        kind: FindingKind::Against,
        phrase: Phrase::new()
            .words(Tone::Bad, "you said ")
            .said(Tone::Bad, said)
            .at(at_s)
            .words(Tone::Dim, format!(", against {what}")),
    }
}

/// What was found about a key point: where it was heard (or said against the reference), and
/// the reference's sentence when the point was not made.
pub fn point_findings(point: &PointResult) -> Vec<Finding> {
    let mut findings = Vec::new();
    match (&point.heard, point.status) {
        (Some(said), _) if point.negated => {
            findings.push(against(said, point.at_s, "the reference"));
        }
        (Some(words), Status::Unclear) => findings.push(Finding {
            kind: FindingKind::Unclear,
            phrase: Phrase::new()
                .words(Tone::Dim, format!("{NOT_CLEARLY_HEARD}: "))
                .then(heard(words, point.at_s))
                .words(Tone::Dim, ", not counted in the score"),
        }),
        (Some(words), Status::Hit | Status::Partial) => {
            let mut phrase = heard(words, point.at_s);
            if point.matched_by == Some(MatchedBy::Meaning) {
                phrase = phrase.words(Tone::Dim, " (in other words)");
            }
            findings.push(Finding {
                kind: FindingKind::Heard,
                phrase,
            });
        }
        _ => {}
    }
    if point.status != Status::Hit
        && let Some(reference) = &point.reference
    {
        let label = if point.negated {
            "the reference says: "
        } else {
            "reference: "
        };
        findings.push(Finding {
            kind: FindingKind::Reference,
            phrase: Phrase::new()
                .words(Tone::Dim, label)
                .said(Tone::Dim, reference),
        });
    }
    findings
}

/// What was found about one of the reference's other sentences.
pub fn sentence_findings(sentence: &ReferenceSentence) -> Vec<Finding> {
    match (&sentence.heard, sentence.status) {
        (Some(said), _) if sentence.negated => vec![against(said, sentence.at_s, "it")],
        (Some(words), Status::Hit | Status::Partial) => vec![Finding {
            kind: FindingKind::Heard,
            phrase: heard(words, sentence.at_s),
        }],
        _ => vec![],
    }
}

/// The delivery's figures, in the order they are shown.
pub fn delivery_figures(d: &Delivery) -> Vec<Phrase> {
    let figure = |text: String| Phrase::new().words(Tone::Plain, text);
    let mut figures = vec![figure(count(d.words, "word"))];
    if let Some(wpm) = d.wpm {
        figures.push(figure(format!("{wpm:.0} wpm")));
    }
    figures.push(figure(format!(
        "{} ({:.1} per 100 words)",
        count(d.fillers, "filler"),
        d.fillers_per_100_words
    )));
    if d.hedges > 0 {
        figures.push(figure(count(d.hedges, "hedge")));
    }
    if let Some(pauses) = d.long_pauses {
        figures.push(figure(count(pauses, "long pause")));
    }
    if let Some(duration) = d.duration_s {
        let mut used = figure(format!(
            "{} of {}",
            clock(duration),
            clock(f64::from(d.time_limit_s))
        ));
        if d.over_time == Some(true) {
            used = used.words(Tone::Bad, " over time");
        }
        figures.push(used);
    }
    if let Some(at) = d.first_point_s {
        figures.push(figure("first key point".into()).at(Some(at)));
    }
    if let Some(pitch) = d.pitch {
        figures.push(figure(pitch.figures()));
    }
    figures
}

/// The figures on one line.
pub fn delivery_line(d: &Delivery) -> Phrase {
    delivery_figures(d)
        .into_iter()
        .enumerate()
        .fold(Phrase::new(), |line, (i, figure)| {
            let line = if i == 0 {
                line
            } else {
                line.words(Tone::Plain, SEPARATOR)
            };
            line.then(figure)
        })
}

/// How a follow-up's answer covered its point, in words.
pub fn follow_up_said(status: Status) -> &'static str {
    match status {
        Status::Hit => "said",
        Status::Partial => "partly said",
        Status::Missed => "still missed",
        Status::Unclear => NOT_CLEARLY_HEARD,
    }
}

/// "said · 80/100", toned by how the follow-up's answer covered its point.
pub fn follow_up_result(follow_up: &FollowUp) -> Phrase {
    Phrase::new()
        .words(
            Tone::of_status(follow_up.status),
            follow_up_said(follow_up.status),
        )
        .words(
            Tone::Plain,
            format!("{SEPARATOR}{}", score(follow_up.score)),
        )
}

/// "✓ the point: said · 80/100 (heard “…” at 0:04)".
pub fn follow_up_outcome(follow_up: &FollowUp) -> Phrase {
    let mut line = Phrase::new()
        .mark(follow_up.status)
        .words(Tone::Plain, format!(" {}: ", follow_up.point))
        .then(follow_up_result(follow_up));
    if let Some(words) = &follow_up.heard {
        line = line
            .words(Tone::Dim, " (")
            .then(heard(words, follow_up.at_s))
            .words(Tone::Dim, ")");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::review::tests::{scored, timed};

    #[test]
    fn a_story_is_one_line_of_parts_and_flaws() -> anyhow::Result<()> {
        let question = crate::bank::Question {
            kind: crate::bank::Kind::Behavioral,
            key_points: Vec::new(),
            answer: String::new(),
            ..crate::report::review::tests::question()
        };
        let said = "at my last job our team had a slow deploy so we wrote a script and we ran it";
        let report = crate::score::Scorer::words_only()
            .score(&question, &crate::transcript::Transcript::typed(said))?;
        let line = report.structure.as_ref().map(|s| star_line(s).plain());
        let line = line.unwrap_or_default();
        assert!(line.starts_with("STAR  S✓ T✗ A✓ R✗ · action"), "{line}");
        assert!(line.ends_with("· all \"we\""), "{line}");
        Ok(())
    }

    #[test]
    fn findings_say_where_a_point_was_heard_and_quote_the_reference_when_missed() {
        let report = scored(&timed("it is fully managed and that is all"));
        let plain = |p: &PointResult| -> Vec<String> {
            point_findings(p).iter().map(|f| f.phrase.plain()).collect()
        };
        assert_eq!(
            plain(&report.key_points[0]),
            ["heard “fully managed” at 0:01"]
        );
        let missed = plain(&report.key_points[1]);
        assert_eq!(missed.len(), 1);
        assert!(
            missed[0].starts_with("reference: “ECS is a fully managed"),
            "{missed:?}"
        );
    }

    #[test]
    fn figures_are_worded_once_with_plurals() {
        let report = scored(&timed("um so ECS is fully managed"));
        let line = delivery_line(&report.delivery).plain();
        assert!(
            line.starts_with("6 words · 124 wpm · 1 filler (16.7 per 100 words)"),
            "{line}"
        );
    }

    #[test]
    fn scores_take_their_tone_from_the_bands() {
        assert_eq!(Tone::of_score(70.0), Tone::Good);
        assert_eq!(Tone::of_score(69.0), Tone::Fair);
        assert_eq!(Tone::of_score(39.0), Tone::Bad);
    }

    #[test]
    fn fit_marks_a_cut() {
        assert_eq!(fit("container orchestration", 9), "containe…");
        assert_eq!(fit("short", 9), "short");
    }
}
