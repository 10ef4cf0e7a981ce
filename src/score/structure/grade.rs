//! A behavioural answer's score and the one thing to do next time, by the norms interviewers and
//! coaches share (the project's feedback-norms notes): all four parts, the action the largest,
//! situation and task brief, a result that happened and has a figure, told as "I", and a real
//! past event that answers the question asked.

use super::{Part, Structure};

/// What each part present earns, out of 100; the rest is balance and a figure.
const PART_POINTS: [(Part, f64); 4] = [
    (Part::Situation, 10.0),
    (Part::Task, 10.0),
    (Part::Action, 30.0),
    (Part::Result, 25.0),
];
/// Earned in full while situation and task take at most [`BRIEF_SETTING`] of the answer, none
/// once they take [`ALL_SETTING`].
const BALANCE_POINTS: f64 = 15.0;
/// Coaches' norm: situation and task together about 20–30% of the answer.
pub const BRIEF_SETTING: f64 = 0.35;
const ALL_SETTING: f64 = 0.7;
/// A result with a figure.
const FIGURE_POINTS: f64 = 10.0;
/// What is left of the score when the actions are all "we", when the story is what one would do
/// rather than what happened, and when it answers another question.
const ALL_WE_FACTOR: f64 = 0.6;
const HYPOTHETICAL_FACTOR: f64 = 0.4;
const OFF_QUESTION_FACTOR: f64 = 0.4;

/// The story's score, 0 to 100.
pub fn score(structure: &Structure) -> f64 {
    let parts: f64 = PART_POINTS
        .iter()
        .filter(|(part, _)| structure.has(*part))
        .map(|(_, points)| points)
        .sum();
    let setting = setting_share(structure);
    let balance = if structure.has(Part::Action) {
        BALANCE_POINTS
            * (1.0 - ((setting - BRIEF_SETTING) / (ALL_SETTING - BRIEF_SETTING)).clamp(0.0, 1.0))
    } else {
        0.0
    };
    let figure = if structure.quantified_result {
        FIGURE_POINTS
    } else {
        0.0
    };
    let mut score = parts + balance + figure;
    if structure.has(Part::Action) && !structure.personal_action {
        score *= ALL_WE_FACTOR;
    }
    if structure.hypothetical {
        score *= HYPOTHETICAL_FACTOR;
    }
    if structure.on_question == Some(false) {
        score *= OFF_QUESTION_FACTOR;
    }
    score
}

fn setting_share(structure: &Structure) -> f64 {
    structure.share(Part::Situation) + structure.share(Part::Task)
}

/// The one thing to do next time about the story's shape, most important first; `None` when
/// the story is whole.
pub fn advice(structure: &Structure) -> Option<String> {
    if structure.hypothetical {
        return Some(
            "That was what you would do, not what you did: tell one real time it happened \
             (\"At my last job, when ..., I ...\"), in the past tense."
                .into(),
        );
    }
    if structure.on_question == Some(false) {
        return Some(
            "That story doesn't answer the question asked: pick a time that does, and say in \
             your first sentence how it fits."
                .into(),
        );
    }
    if !structure.has(Part::Action) {
        return Some(
            "You never said what you did: spend most of the answer on your own steps (\"I \
             called ..., I wrote ..., I decided ...\")."
                .into(),
        );
    }
    if !structure.personal_action {
        return Some(
            "Every action was \"we\": say what you did yourself (\"I ...\"); the interviewer \
             will ask \"What did you do?\"."
                .into(),
        );
    }
    if !structure.has(Part::Result) {
        return Some(
            "You never said how it ended: finish with the result, and a number if you have one."
                .into(),
        );
    }
    let setting = setting_share(structure);
    if setting > BRIEF_SETTING {
        return Some(format!(
            "The background took {:.0}% of the answer: set the scene in two sentences and spend \
             the time on what you did.",
            setting * 100.0
        ));
    }
    if !structure.has(Part::Situation) && !structure.has(Part::Task) {
        return Some(
            "Start with a sentence of context: where you were and what was at stake.".into(),
        );
    }
    if !structure.quantified_result {
        return Some(
            "Put a number on the result if you have one: time saved, a percentage, users, money."
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::PartFinding;
    use super::*;

    fn story(present: [bool; 4], shares: [f64; 4]) -> Structure {
        Structure {
            framework: "STAR".into(),
            parts: Part::ALL
                .iter()
                .enumerate()
                .map(|(i, &part)| PartFinding {
                    part,
                    present: present[i],
                    quote: None,
                    at_s: None,
                    share: shares[i],
                    pieces: Vec::new(),
                })
                .collect(),
            personal_action: true,
            quantified_result: true,
            hypothetical: false,
            relevance: Some(0.5),
            on_question: Some(true),
        }
    }

    #[test]
    fn a_whole_owned_story_scores_high_and_each_flaw_lower() {
        let whole = story([true; 4], [0.15, 0.1, 0.55, 0.2]);
        assert_eq!(score(&whole), 100.0);
        assert_eq!(advice(&whole), None);
        let no_result = Structure {
            quantified_result: false,
            ..story([true, true, true, false], [0.2, 0.1, 0.7, 0.0])
        };
        let we = Structure {
            personal_action: false,
            ..whole.clone()
        };
        let would = Structure {
            hypothetical: true,
            ..whole.clone()
        };
        let off = Structure {
            on_question: Some(false),
            ..whole.clone()
        };
        let background = story([true, false, true, true], [0.8, 0.0, 0.1, 0.1]);
        for flawed in [&no_result, &we, &would, &off, &background] {
            assert!(score(flawed) <= 80.0, "{flawed:?}");
            assert!(advice(flawed).is_some());
        }
        assert!(advice(&no_result).is_some_and(|a| a.starts_with("You never said how it ended")));
        assert!(advice(&background).is_some_and(|a| a.contains("80%")));
    }
}
