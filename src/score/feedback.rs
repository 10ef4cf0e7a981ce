//! The one concrete thing to do next time. Coaches agree that one suggestion helps more than a
//! list of ten, so every signal names what it found with a [`Rank`], and the finding that costs
//! the answer most wins. A new signal adds its kinds of finding to [`Rank`] where they belong.

/// What a finding costs an answer, most first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// Nothing was said.
    NoAnswer,
    /// The answer is about something else.
    OffTopic,
    /// A list of keywords, not sentences.
    KeywordList,
    /// A behavioural story's shape: "I would ...", another question's story, no action, all
    /// "we", no result, mostly background; a story's shape matters more than one beat of it.
    Story,
    /// The opposite verdict of a yes-or-no question: the rest of the answer argues for it.
    WrongVerdict,
    /// A key point said against the reference: worse than leaving it out.
    SaidAgainst,
    /// A key point not fully made.
    MissedPoint,
    /// A key point not clearly heard: the user may have said it.
    UnclearPoint,
    /// The delivery's key moment on a recording, said with its time.
    DeliveryMoment,
    /// Too many fillers over the whole answer.
    Fillers,
    /// Too fast or too slow over the whole answer.
    Pace,
    /// Over the time limit.
    OverTime,
}

/// One thing a signal found wrong, with the advice for next time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rank: Rank,
    pub advice: String,
}

impl Finding {
    pub fn new(rank: Rank, advice: impl Into<String>) -> Self {
        Self {
            rank,
            advice: advice.into(),
        }
    }
}

/// The advice of the finding that costs most; among equals the first given.
pub fn suggestion(findings: impl IntoIterator<Item = Finding>) -> String {
    findings.into_iter().min_by_key(|f| f.rank).map_or_else(
        || {
            "Every key point covered. Next time, try it in fewer words with one concrete \
                 example."
                .to_owned()
        },
        |f| f.advice,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_costliest_finding_wins_and_the_first_among_equals() {
        let findings = [
            Finding::new(Rank::Pace, "slow down"),
            Finding::new(Rank::MissedPoint, "cover a"),
            Finding::new(Rank::MissedPoint, "cover b"),
        ];
        assert_eq!(suggestion(findings), "cover a");
        assert!(suggestion([]).starts_with("Every key point covered"));
    }
}
