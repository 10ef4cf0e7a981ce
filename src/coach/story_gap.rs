//! The follow-up to a behavioural answer, as an interviewer probes what its story lacked: a real
//! event rather than what one would do, actions, an outcome, the speaker's own part, a figure
//! for the outcome. Pure: a function of the answer's STAR structure, and of the structure of the
//! follow-up's answer to say whether it filled the gap.

use crate::score::Structure;
use crate::score::structure::{Part, PartFinding};

/// What a story lacked, in the order an interviewer asks about it: a story that did not happen
/// cannot be probed for its result, and actions come before what they led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryGap {
    /// "I would…": no real past event.
    RealEvent,
    /// No step the speaker took.
    Action,
    /// No outcome.
    Result,
    /// Every action "we" or "the team".
    OwnPart,
    /// An outcome with no figure.
    Figure,
}

impl StoryGap {
    /// The gap to ask about first; `None` for a complete, owned story with a figure.
    pub fn of(story: &Structure) -> Option<Self> {
        if story.hypothetical {
            Some(Self::RealEvent)
        } else if !story.has(Part::Action) {
            Some(Self::Action)
        } else if !story.has(Part::Result) {
            Some(Self::Result)
        } else if !story.personal_action {
            Some(Self::OwnPart)
        } else if !story.quantified_result {
            Some(Self::Figure)
        } else {
            None
        }
    }

    /// What the follow-up is about, as the session keeps it (`follow_up.point`).
    pub fn label(self) -> &'static str {
        match self {
            Self::RealEvent => "a real event",
            Self::Action => "your actions",
            Self::Result => "the result",
            Self::OwnPart => "your own part",
            Self::Figure => "a figure for the result",
        }
    }

    /// The follow-up, in an interviewer's words.
    pub fn question(self) -> &'static str {
        match self {
            Self::RealEvent => {
                "That sounds like what you would do. Can you tell me about a time it actually \
                 happened, and what you did?"
            }
            Self::Action => "What did you actually do, step by step?",
            Self::Result => "And what was the outcome?",
            Self::OwnPart => "You said what the team did. What did you do yourself?",
            Self::Figure => "Can you put a number on the result?",
        }
    }

    /// Whether the follow-up's answer, heard as a story, gives what was asked for.
    pub fn filled_by(self, answer: &Structure) -> bool {
        match self {
            Self::RealEvent => !answer.hypothetical && answer.has(Part::Action),
            Self::Action => answer.has(Part::Action),
            Self::Result => answer.has(Part::Result),
            Self::OwnPart => answer.personal_action,
            Self::Figure => answer.quantified_result,
        }
    }

    /// The part of the follow-up's answer that carries what was asked for.
    pub fn carried_by(self, answer: &Structure) -> Option<&PartFinding> {
        let part = match self {
            Self::RealEvent | Self::Action | Self::OwnPart => Part::Action,
            Self::Result | Self::Figure => Part::Result,
        };
        answer.part(part).filter(|p| p.present)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(parts: [bool; 4], personal: bool, figure: bool, hypothetical: bool) -> Structure {
        Structure {
            framework: "STAR".into(),
            parts: Part::ALL
                .iter()
                .zip(parts)
                .map(|(&part, present)| PartFinding {
                    part,
                    present,
                    quote: present.then(|| part.name().to_owned()),
                    at_s: None,
                    share: if present { 0.25 } else { 0.0 },
                    pieces: Vec::new(),
                })
                .collect(),
            personal_action: personal,
            quantified_result: figure,
            hypothetical,
            relevance: None,
            on_question: None,
        }
    }

    #[test]
    fn the_gap_asked_about_first_is_the_one_an_interviewer_would_probe() {
        let all = [true; 4];
        assert_eq!(
            StoryGap::of(&story(all, true, true, true)),
            Some(StoryGap::RealEvent)
        );
        assert_eq!(
            StoryGap::of(&story([true, true, false, false], false, false, false)),
            Some(StoryGap::Action)
        );
        assert_eq!(
            StoryGap::of(&story([true, true, true, false], false, false, false)),
            Some(StoryGap::Result)
        );
        assert_eq!(
            StoryGap::of(&story(all, false, true, false)),
            Some(StoryGap::OwnPart)
        );
        assert_eq!(
            StoryGap::of(&story(all, true, false, false)),
            Some(StoryGap::Figure)
        );
        assert_eq!(StoryGap::of(&story(all, true, true, false)), None);
    }

    #[test]
    fn a_gap_is_filled_only_by_what_it_asked_for() {
        let outcome_only = story([false, false, false, true], false, true, false);
        assert!(StoryGap::Result.filled_by(&outcome_only));
        assert!(StoryGap::Figure.filled_by(&outcome_only));
        assert!(!StoryGap::Action.filled_by(&outcome_only));
        assert!(!StoryGap::OwnPart.filled_by(&outcome_only));
        assert_eq!(
            StoryGap::Result
                .carried_by(&outcome_only)
                .and_then(|p| p.quote.as_deref()),
            Some("result")
        );
        let still_would = story([false, false, true, false], true, false, true);
        assert!(!StoryGap::RealEvent.filled_by(&still_would));
        assert!(StoryGap::OwnPart.filled_by(&still_would));
    }
}
