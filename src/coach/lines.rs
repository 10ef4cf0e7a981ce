//! What the interviewer says aloud, in its own words: the coach decides when each line is said,
//! a front end how (a voice, or nothing).

use std::borrow::Cow;

/// One line of the interviewer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// A question of the bank, or a follow-up, as it was asked.
    Asking(&'a str),
    /// Before every question of a round but the first.
    NextQuestion,
    /// During an answer, at the countdown's warnings: this many seconds are left.
    TimeLeft(u32),
    /// An answer ran to its time limit.
    TimeUp,
    /// A round was answered to its end.
    RoundOver,
}

impl Line<'_> {
    /// The words said.
    pub fn words(&self) -> Cow<'_, str> {
        match *self {
            Line::Asking(text) => Cow::Borrowed(text),
            Line::NextQuestion => Cow::Borrowed("Next question."),
            Line::TimeLeft(left_s) => Cow::Owned(format!("{left_s} seconds left.")),
            Line::TimeUp => Cow::Borrowed("Time's up."),
            Line::RoundOver => Cow::Borrowed("That's the end of the round. Thank you."),
        }
    }
}

/// What the interviewer says while an answer is given. The front end keeps the clock and asks
/// at each of its moments; the coach decides what, if anything, is said then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct During {
    /// The interviewer's lines are read aloud (`--speak`).
    pub aloud: bool,
}

impl During {
    /// What to say when `left_s` seconds of the answer are left (a countdown warning).
    pub fn time_left(self, left_s: u32) -> Option<Line<'static>> {
        self.aloud.then_some(Line::TimeLeft(left_s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_what_an_interviewer_says() {
        assert_eq!(Line::TimeLeft(30).words(), "30 seconds left.");
        assert_eq!(Line::Asking("Why ECS?").words(), "Why ECS?");
        assert_eq!(During { aloud: false }.time_left(30), None);
        assert_eq!(
            During { aloud: true }.time_left(10),
            Some(Line::TimeLeft(10))
        );
    }
}
