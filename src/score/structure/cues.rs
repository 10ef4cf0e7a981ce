//! What the words of one unit of a story say about the part it plays: the phrases people use to
//! set a scene, name their task, tell what they did and how it ended, who did it ("I" or "we"),
//! whether it happened or is only what one would do, and whether it has a figure.
//!
//! Spoken answers are matched word by word on lower-case words with their apostrophes kept
//! ("i'd"), and on the tokens of [`crate::text`] for numbers ("forty percent" is "40 percent").

use crate::text::Token;

/// Parts in the order of [`super::Part`]: situation, task, action, result.
pub const PARTS: usize = 4;
const SITUATION: usize = 0;
const TASK: usize = 1;
const ACTION: usize = 2;
const RESULT: usize = 3;

/// Who did what a unit tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    /// "I asked", "I'd ask".
    Me,
    /// "we asked", "the team asked", "our team decided".
    Us,
}

/// What one unit's words say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitCues {
    /// Evidence for each part, from its words alone (0 when nothing points to it).
    pub evidence: [f64; PARTS],
    /// Who acts in the unit, when someone does.
    pub agent: Option<Agent>,
    /// "I would ...", "I'd ...", "if I ...", "I usually ...": what one would do, not what was done.
    pub would: bool,
    /// A thing that happened: someone did something, in the past tense.
    pub happened: bool,
    /// A number with what it counts, a percentage, or "half", "double".
    pub figure: bool,
}

/// Phrases that set the scene.
const SETTING: &[&str] = &[
    "at my last job",
    "at my previous",
    "at my last company",
    "at my old",
    "my last job",
    "my previous job",
    "my first job",
    "my last team",
    "last year",
    "last quarter",
    "last month",
    "last week",
    "last spring",
    "last summer",
    "last autumn",
    "last fall",
    "last winter",
    "ago",
    "back when",
    "back in",
    "when i joined",
    "when i started",
    "when i was",
    "this was",
    "it was at",
    "there was",
    "there were",
    "there had been",
    "we had a",
    "we had this",
    "i was working",
    "i worked at",
    "i worked for",
    "i was at",
    "i was a",
    "i was an",
    "i was on",
    "i was in",
    "i joined",
    "our team",
    "the team was",
    "the company",
    "used to",
    "one time",
    "once",
    "comes to mind",
    "think of",
    "goes back",
    "a while back",
    "at the time",
];
/// Phrases that name the speaker's task or goal.
const TASKING: &[&str] = &[
    "my job",
    "my role",
    "my task",
    "my goal",
    "my responsibility",
    "my project",
    "my part",
    "responsible for",
    "i was asked",
    "was asked to",
    "i was assigned",
    "was assigned",
    "i had to",
    "i needed to",
    "we needed to",
    "we had to",
    "needed to",
    "had to get",
    "on me to",
    "was on me",
    "fell to me",
    "up to me",
    "in charge",
    "i was the",
    "i took it on",
    "i volunteered",
    "i was expected",
    "the goal was",
    "the task was",
    "the challenge was",
    "the ask was",
    "supposed to",
    "it was my",
    "i owned",
    "i was leading",
    "i was tasked",
];
/// Phrases that open an action.
const STEPPING: &[&str] = &[
    "what i did",
    "first thing i",
    "the first thing",
    "so i",
    "then i",
    "first i",
    "next i",
    "i started",
    "i decided",
    "i went",
    "i set up",
    "i reached out",
    "so we",
    "then we",
];
/// Phrases that tell how it ended.
const ENDING: &[&str] = &[
    "in the end",
    "by the end",
    "eventually",
    "as a result",
    "the result",
    "the outcome",
    "ended up",
    "after that",
    "since then",
    "ever since",
    "to this day",
    "still uses",
    "still use",
    "still running",
    "it worked",
    "worked out",
    "paid off",
    "went well",
    "got better",
    "was fine",
    "were happy",
    "was happy",
    "was pleased",
    "were pleased",
    "appreciated",
    "thanked",
    "on time",
    "on schedule",
    "days early",
    "weeks early",
    "day early",
    "week early",
    "too late",
    "than planned",
    "went live",
    "went out",
    "shipped",
    "delivered",
    "launched",
    "finished",
    "made it",
    "passed",
    "renewed",
    "promoted",
    "recovered",
    "we lost",
    "we missed",
    "stopped",
    "i learned",
    "we learned",
    "lesson",
    "took from",
    "takeaway",
    "haven't had",
    "havent had",
    "never had",
    "no longer",
    "now i",
    "now we",
    "now it",
    "i still",
];
/// Words of change: how a figure moved.
const CHANGE: &[&str] = &[
    "went from",
    "went down",
    "went up",
    "down to",
    "up to",
    "dropped",
    "fell",
    "rose",
    "reduced",
    "increased",
    "improved",
    "saved",
    "cut",
    "halved",
    "doubled",
    "tripled",
    "faster",
    "fewer",
    "better",
    "worse",
];
/// What a number counts, when it is a result.
const UNITS: &[&str] = &[
    "percent",
    "%",
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "milliseconds",
    "ms",
    "times",
    "x",
    "users",
    "customers",
    "people",
    "dollars",
    "euros",
    "pounds",
    "k",
    "thousand",
    "million",
    "orders",
    "tickets",
    "bugs",
    "incidents",
    "stars",
];
const QUANTITIES: &[&str] = &["half", "double", "twice", "triple", "zero", "none"];

/// Subjects, as the speaker or the group.
const ME: &[&str] = &["i", "i'd", "i've", "i'll"];
const US: &[&str] = &["we", "we'd", "we've", "we'll"];
const GROUPS: &[&str] = &["team", "everyone", "everybody"];
/// Words that may stand between a subject and its verb ("I then asked", "we all agreed").
const BETWEEN: &[&str] = &[
    "also",
    "then",
    "actually",
    "personally",
    "first",
    "just",
    "really",
    "immediately",
    "quickly",
    "eventually",
    "finally",
    "basically",
    "even",
    "still",
    "all",
    "both",
    "kind",
    "of",
    "sort",
    "literally",
    "straight",
    "um",
    "uh",
];
/// Modal words: what one would do, not what was done.
const MODALS: &[&str] = &["would", "will", "should", "could", "might", "can"];
/// Contractions that are a subject and "would": "I'd", "we'd" (and "Id", as typed).
const WOULD_CONTRACTIONS: &[&str] = &["i'd", "id", "we'd", "you'd"];
/// What one should have done, looking back.
const HINDSIGHT: &[&str] = &[
    "should have",
    "should've",
    "could have",
    "could've",
    "would have",
    "would've",
];
/// Habits are no event either: "I usually ...", "I always try to ...".
const HABITS: &[&str] = &[
    "usually",
    "always",
    "generally",
    "typically",
    "normally",
    "tend",
];
/// Verbs of state, not action: "I was", "we had", "I felt".
const STATES: &[&str] = &[
    "was", "were", "had", "felt", "thought", "knew", "wanted", "needed", "seemed", "liked",
    "loved", "hated", "used", "meant", "believed", "cared", "learned", "learnt", "realized",
    "realised", "didn't", "wasn't", "weren't", "couldn't", "hadn't", "did",
];
/// Verbs that tell how something ended rather than a step taken: "we lost the deal", "I made
/// the deadline", "we shipped on time".
const OUTCOMES: &[&str] = &[
    "lost",
    "won",
    "missed",
    "finished",
    "shipped",
    "delivered",
    "launched",
    "passed",
    "hit",
    "achieved",
    "succeeded",
    "completed",
    "recovered",
    "saved",
    "increased",
];
/// Irregular past forms of verbs of action.
const IRREGULAR_PAST: &[&str] = &[
    "went", "got", "made", "took", "gave", "found", "told", "said", "wrote", "built", "ran",
    "sent", "set", "put", "brought", "bought", "saw", "came", "became", "began", "kept", "left",
    "met", "paid", "led", "lost", "spent", "sat", "stood", "won", "chose", "drew", "held", "let",
    "spoke", "stuck", "taught", "threw", "woke", "cut", "quit", "split", "dug", "fought", "rang",
    "rewrote", "rebuilt", "broke", "caught", "shut", "sold", "paired", "read", "did",
];
/// Words that end in "ed" but are no past tense.
const NOT_PAST: &[&str] = &[
    "need", "feed", "speed", "indeed", "bed", "red", "seed", "shed", "weed", "embed", "bred",
    "hundred", "led",
];

fn is_past(word: &str) -> bool {
    IRREGULAR_PAST.contains(&word)
        || STATES.contains(&word)
        || (word.len() >= 4 && word.ends_with("ed") && !NOT_PAST.contains(&word))
}

/// The lower-case word with its apostrophes ("i'd", "didn't"), curly ones made straight.
pub fn bare(word: &str) -> String {
    word.replace('\u{2019}', "'")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '%')
        .trim_matches('\'')
        .to_lowercase()
}

/// How many times any of `phrases` occurs in `words`.
fn count(words: &[String], phrases: &[&str]) -> usize {
    phrases
        .iter()
        .map(|phrase| {
            let parts: Vec<&str> = phrase.split(' ').collect();
            words
                .windows(parts.len())
                .filter(|w| w.iter().zip(&parts).all(|(a, b)| a == b))
                .count()
        })
        .sum()
}

/// The verb after a subject at `at`, past words that may stand between.
fn verb_after(words: &[String], at: usize) -> Option<&str> {
    words[at + 1..]
        .iter()
        .map(String::as_str)
        .find(|w| !BETWEEN.contains(w))
}

/// Read one unit: `words` its bare words, `tokens` its tokens (numbers joined).
pub fn read(words: &[String], tokens: &[Token]) -> UnitCues {
    let mut cues = UnitCues::default();
    let conditional =
        words.first().is_some_and(|w| w == "if") || count(words, &["if i", "if we", "if you"]) > 0;
    // "we should have asked earlier" is hindsight: a lesson drawn, not a step taken.
    let hindsight = count(words, HINDSIGHT) > 0;
    if hindsight {
        cues.evidence[RESULT] += 1.0;
    }
    for (at, word) in words.iter().enumerate() {
        let agent = if ME.contains(&word.as_str()) {
            Some(Agent::Me)
        } else if US.contains(&word.as_str())
            || (GROUPS.contains(&word.as_str()) && at + 1 < words.len())
        {
            Some(Agent::Us)
        } else {
            None
        };
        let Some(agent) = agent else { continue };
        let verb = verb_after(words, at);
        let contracted_would = WOULD_CONTRACTIONS.contains(&word.as_str());
        let modal = contracted_would || verb.is_some_and(|v| MODALS.contains(&v));
        let habit = verb.is_some_and(|v| HABITS.contains(&v));
        if (modal || habit || (conditional && at > 0 && words[at - 1] == "if")) && !hindsight {
            // "I'd say" is a hedge, not a plan.
            if verb != Some("say") {
                cues.would = true;
                cues.agent.get_or_insert(agent);
                cues.evidence[ACTION] += 1.0;
            }
            continue;
        }
        let Some(verb) = verb else { continue };
        if !is_past(verb) || conditional || hindsight {
            continue;
        }
        cues.happened = true;
        if OUTCOMES.contains(&verb) {
            cues.evidence[RESULT] += 1.0;
        } else if !STATES.contains(&verb) {
            cues.agent.get_or_insert(agent);
            cues.evidence[ACTION] += 1.5;
        }
    }
    let stative = count(words, &["was", "were", "had", "used to", "is", "are"]);
    cues.evidence[SITUATION] +=
        (1.5 * count(words, SETTING) as f64).min(2.5) + 0.4 * stative.min(2) as f64;
    cues.evidence[TASK] += (2.0 * count(words, TASKING) as f64).min(3.0);
    cues.evidence[ACTION] += count(words, STEPPING) as f64;
    let changed = count(words, CHANGE);
    cues.figure = has_figure(words, tokens);
    cues.evidence[RESULT] += (1.5 * count(words, ENDING) as f64).min(3.0)
        + (0.8 * changed as f64).min(1.6)
        + if cues.figure && changed > 0 { 1.0 } else { 0.0 };
    cues
}

/// A figure: a number that counts something ("40 percent", "3 weeks"), a percentage, or a
/// quantity word ("half the time").
fn has_figure(words: &[String], tokens: &[Token]) -> bool {
    let counted = tokens.iter().enumerate().any(|(i, token)| {
        token.is_number()
            && (token.text != "1"
                || tokens
                    .get(i + 1)
                    .is_some_and(|next| UNITS.contains(&next.text.as_str())))
    });
    counted
        || words
            .iter()
            .any(|w| w.ends_with('%') || QUANTITIES.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize_words;

    fn cues(text: &str) -> UnitCues {
        let words: Vec<String> = text.split_whitespace().map(bare).collect();
        read(&words, &tokenize_words(&words))
    }

    fn strongest(cues: &UnitCues) -> usize {
        (0..PARTS)
            .max_by(|&a, &b| cues.evidence[a].total_cmp(&cues.evidence[b]))
            .unwrap_or(0)
    }

    #[test]
    fn each_part_has_its_own_words() {
        assert_eq!(
            strongest(&cues("so at my last job there was a team of five")),
            SITUATION
        );
        assert_eq!(
            strongest(&cues("and it was on me to fix the release")),
            TASK
        );
        assert_eq!(
            strongest(&cues("so I called the vendor and rewrote the query")),
            ACTION
        );
        assert_eq!(
            strongest(&cues("in the end latency dropped by forty percent")),
            RESULT
        );
    }

    #[test]
    fn who_acted_and_whether_it_happened() {
        let me = cues("I then rewrote the parser");
        assert_eq!(
            (me.agent, me.happened, me.would),
            (Some(Agent::Me), true, false)
        );
        let us = cues("the team decided to roll back");
        assert_eq!(us.agent, Some(Agent::Us));
        let would = cues("I'd probably talk to them first");
        assert!(would.would && !would.happened);
        assert!(
            cues("if I failed at something").would,
            "a condition is no event"
        );
        assert!(!cues("I'd say it was hard").would, "a hedge is no plan");
    }

    #[test]
    fn figures_count_something() {
        assert!(cues("errors went down to two percent").figure);
        assert!(cues("it loaded in half the time").figure);
        assert!(!cues("one of the engineers helped").figure);
    }
}
