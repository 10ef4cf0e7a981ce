//! Finding a phrase in an answer, tolerant to how people speak and how whisper writes.
//!
//! Three ways to find a phrase, the best one wins:
//! - in order: its words in sequence, a couple of filler words allowed between them;
//! - joined: its letters against neighbouring answer words glued together, which catches split and
//!   joined words ("auto scaling" / "autoscaling", "far gate" / "Fargate");
//! - nearby: all (or most) of its words within a short stretch, in any order ("orchestrates
//!   containers" for "container orchestration").
//!
//! Words compare by stem, and near misses by edit distance (strsim).

use crate::score::thresholds::{WORDS_HIT, WORDS_PARTIAL};
use crate::text::{Token, tokenize};

/// Two different words count as the same word from this similarity on.
pub const WORD_MATCH: f64 = 0.8;
/// Words this short must match exactly: edits turn short words into other words.
const MIN_FUZZY_LEN: usize = 5;
/// At most this many content words may stand between two words of a phrase said in order
/// (each costs a little similarity), plus this many function words (free: "scales the task").
const MAX_GAP: usize = 2;
const MAX_STOP_GAP: usize = 3;
/// The similarity a phrase gets when all its words are near each other but not in order.
const NEARBY_ALL: f64 = 0.82;
/// The content words of a phrase that are matched: a key point is a phrase (banks allow 25
/// words), and what is past this many words of one is no phrase. With it, the work per answer
/// word is bounded whatever a bank or an old session holds, repeated words included.
const MAX_PHRASE_TOKENS: usize = 32;
/// The longest phrase compared letter by letter against glued answer words: gluing catches a
/// word split or joined ("auto scaling" / "autoscaling"), and an edit distance costs the square
/// of the length, which on a pasted paragraph took minutes.
const MAX_JOINED_LETTERS: usize = 48;

/// A phrase prepared for matching.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// Content tokens (all tokens when the phrase is only stop words).
    tokens: Vec<Token>,
    /// The phrase's letters with no spaces, for the joined comparison.
    compact: String,
}

impl Phrase {
    pub fn new(text: &str) -> Self {
        let all = tokenize(text);
        // A negation stays: "no servers" is not "servers".
        let content: Vec<Token> = all
            .iter()
            .filter(|t| !t.is_stop_word() || super::negation::is_cue_word(&t.text))
            .cloned()
            .collect();
        let mut tokens = if content.is_empty() { all } else { content };
        tokens.truncate(MAX_PHRASE_TOKENS);
        let compact = tokens.iter().map(|t| t.text.as_str()).collect();
        Self { tokens, compact }
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// Where and how well a phrase was found: `answer[start..end]` are the tokens heard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseMatch {
    pub similarity: f64,
    pub start: usize,
    pub end: usize,
}

/// How alike two words are, 0 to 1: same stem is 1; otherwise edit similarity of the words
/// (or of their stems), only for words long enough that an edit is a mishearing, not another word.
pub fn word_similarity(a: &Token, b: &Token) -> f64 {
    if a.stem == b.stem || a.text == b.text {
        return 1.0;
    }
    if a.is_number() || b.is_number() {
        return 0.0;
    }
    let (la, lb) = (a.text.chars().count(), b.text.chars().count());
    if la.min(lb) < MIN_FUZZY_LEN || la.abs_diff(lb) * 3 > la.max(lb) {
        return 0.0;
    }
    strsim::normalized_damerau_levenshtein(&a.text, &b.text)
        .max(strsim::normalized_damerau_levenshtein(&a.stem, &b.stem))
}

/// The best place `phrase` appears in `answer`, if it appears at least partly.
pub fn find(phrase: &Phrase, answer: &[Token]) -> Option<PhraseMatch> {
    places(phrase, answer)
        .into_iter()
        .flatten()
        .max_by(|a, b| better_first(a, b).reverse())
}

/// Every place `phrase` appears in `answer`, left to right and none overlapping: the best place,
/// then the best place after it, and so on. One pass over the answer, so a long answer that says a
/// phrase many times costs no more per word than a short one.
pub fn find_each(phrase: &Phrase, answer: &[Token]) -> Vec<PhraseMatch> {
    let places = places(phrase, answer);
    // best_from[i]: the best place starting at token i or later.
    let mut best_from: Vec<Option<PhraseMatch>> = vec![None; places.len() + 1];
    for (i, place) in places.iter().enumerate().rev() {
        best_from[i] = match (place, best_from[i + 1]) {
            (Some(here), Some(later)) if better_first(&later, here).is_lt() => Some(later),
            (Some(here), _) => Some(*here),
            (None, later) => later,
        };
    }
    let mut each = Vec::new();
    let mut from = 0;
    while let Some(found) = best_from.get(from).copied().flatten() {
        each.push(found);
        from = found.end;
    }
    each
}

/// Orders places best first: higher similarity, then the earlier place (when the point was first
/// heard).
fn better_first(a: &PhraseMatch, b: &PhraseMatch) -> std::cmp::Ordering {
    b.similarity
        .total_cmp(&a.similarity)
        .then(a.start.cmp(&b.start))
}

/// For each answer token, the best place the phrase starts there (each way of finding tried),
/// if it is at least a partial match.
fn places(phrase: &Phrase, answer: &[Token]) -> Vec<Option<PhraseMatch>> {
    if phrase.is_empty() || answer.is_empty() {
        return Vec::new();
    }
    let nearby_words = nearby_words(phrase, answer);
    (0..answer.len())
        .map(|start| {
            [
                in_order(phrase, answer, start),
                joined(phrase, answer, start),
                nearby(phrase, &nearby_words, start),
            ]
            .into_iter()
            .flatten()
            .filter(|found| found.similarity >= WORDS_PARTIAL)
            // On a tie the later way wins: nearby's span ends at the last word it covered.
            .max_by(|a, b| a.similarity.total_cmp(&b.similarity))
        })
        .collect()
}

/// The phrase's words said in sequence from `start`, a few other words allowed between them.
fn in_order(phrase: &Phrase, answer: &[Token], start: usize) -> Option<PhraseMatch> {
    let first_similarity = word_similarity(&phrase.tokens[0], &answer[start]);
    if first_similarity < WORD_MATCH {
        return None;
    }
    let mut total = first_similarity;
    let mut gaps = 0;
    let mut at = start;
    for word in &phrase.tokens[1..] {
        let mut next = None;
        let mut skipped_content = 0;
        for (j, token) in answer
            .iter()
            .enumerate()
            .skip(at + 1)
            .take(MAX_GAP + MAX_STOP_GAP + 1)
        {
            let similarity = word_similarity(word, token);
            if similarity >= WORD_MATCH {
                next = Some((j, similarity));
                break;
            }
            if !token.is_stop_word() {
                skipped_content += 1;
                if skipped_content > MAX_GAP {
                    break;
                }
            }
        }
        let (j, similarity) = next?;
        gaps += skipped_content;
        total += similarity;
        at = j;
    }
    Some(PhraseMatch {
        similarity: total / phrase.tokens.len() as f64 - 0.03 * gaps as f64,
        start,
        end: at + 1,
    })
}

/// The phrase's letters against answer words from `start` glued together.
fn joined(phrase: &Phrase, answer: &[Token], start: usize) -> Option<PhraseMatch> {
    let target = phrase.compact.as_str();
    let target_len = target.chars().count();
    if !(MIN_FUZZY_LEN..=MAX_JOINED_LETTERS).contains(&target_len) {
        return None;
    }
    let max_words = phrase.tokens.len() + 2;
    let mut best: Option<PhraseMatch> = None;
    let mut glued = String::new();
    for (end, token) in answer.iter().enumerate().skip(start).take(max_words) {
        glued.push_str(&token.text);
        let glued_len = glued.chars().count();
        if glued_len * 4 > target_len * 5 {
            break;
        }
        if glued_len * 5 < target_len * 4 {
            continue;
        }
        let similarity = strsim::normalized_damerau_levenshtein(target, &glued);
        if similarity >= WORDS_HIT && best.is_none_or(|b| similarity > b.similarity) {
            best = Some(PhraseMatch {
                similarity,
                start,
                end: end + 1,
            });
        }
    }
    best
}

/// For each answer token, which of the phrase's words it is (for `nearby`).
fn nearby_words(phrase: &Phrase, answer: &[Token]) -> Vec<Vec<usize>> {
    if phrase.tokens.len() < 2 {
        return Vec::new();
    }
    answer
        .iter()
        .map(|token| {
            (0..phrase.tokens.len())
                .filter(|&k| word_similarity(&phrase.tokens[k], token) >= WORD_MATCH)
                .collect()
        })
        .collect()
}

/// All (or most) of the phrase's words within a short stretch from `start`, in any order.
fn nearby(phrase: &Phrase, words: &[Vec<usize>], start: usize) -> Option<PhraseMatch> {
    let n = phrase.tokens.len();
    if words.get(start).is_none_or(Vec::is_empty) {
        return None;
    }
    let width = (3 * n).max(8);
    let mut covered = vec![false; n];
    let mut last = start;
    for (j, matched) in words.iter().enumerate().skip(start).take(width) {
        for &k in matched {
            if !covered[k] {
                covered[k] = true;
                last = j;
            }
        }
    }
    let count = covered.iter().filter(|c| **c).count();
    let similarity = if count == n {
        NEARBY_ALL
    } else if count >= 2 && count * 2 >= n {
        // Half or more of the words, two at least (one shared word of a two-word phrase
        // proves little): a partial mention, better the more it has.
        WORDS_PARTIAL + (WORDS_HIT - WORDS_PARTIAL) * (count as f64 / n as f64 - 0.5)
    } else {
        return None;
    };
    Some(PhraseMatch {
        similarity,
        start,
        end: last + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similarity(phrase: &str, answer: &str) -> f64 {
        find(&Phrase::new(phrase), &tokenize(answer)).map_or(0.0, |f| f.similarity)
    }

    #[test]
    fn exact_phrases_and_inflections_hit_fully() {
        assert_eq!(
            similarity(
                "container orchestration",
                "it is a Container Orchestration service"
            ),
            1.0
        );
        assert_eq!(
            similarity("Docker containers", "it runs a docker container"),
            1.0
        );
        assert_eq!(similarity("scales tasks", "scaling the task"), 1.0);
    }

    #[test]
    fn split_and_joined_words() {
        assert!(similarity("autoscaling", "it has auto scaling built in") >= WORDS_HIT);
        assert!(similarity("auto scaling", "it has autoscaling built in") >= WORDS_HIT);
        assert!(similarity("auto-scaling", "auto scaling") >= WORDS_HIT);
        assert!(similarity("Fargate", "you can use far gate for that") >= WORDS_HIT);
    }

    #[test]
    fn numbers_in_words_or_digits() {
        assert_eq!(
            similarity(
                "99.99 percent",
                "ninety nine point nine nine percent uptime"
            ),
            1.0
        );
        assert_eq!(
            similarity("three availability zones", "across 3 availability zones"),
            1.0
        );
    }

    #[test]
    fn near_misses_by_edit_distance_with_thresholds() {
        // One wrong letter in a long word: a transcription slip, still heard.
        assert!(similarity("Kubernetes", "we compared it with cubernetes") >= WORDS_HIT);
        assert!(similarity("orchestration", "an orchestraton layer") >= WORDS_HIT);
        // Short words must match exactly: "task" is not "tusk", "role" is not "rule".
        assert_eq!(similarity("task", "an elephant tusk"), 0.0);
        assert_eq!(similarity("IAM role", "a rule of thumb"), 0.0);
        // Different words of similar length stay apart.
        assert_eq!(similarity("instances", "distances"), 0.0);
    }

    #[test]
    fn word_similarity_threshold_is_where_documented() {
        let t = |w: &str| tokenize(w).remove(0);
        assert!(word_similarity(&t("fargate"), &t("forgate")) >= WORD_MATCH);
        assert!(word_similarity(&t("fargate"), &t("fargo")) < WORD_MATCH);
        assert!(word_similarity(&t("lambda"), &t("lamda")) >= WORD_MATCH);
    }

    #[test]
    fn reordered_words_nearby_hit_and_half_are_partial() {
        let reordered = similarity("container orchestration", "it orchestrates your containers");
        assert!(reordered >= WORDS_HIT, "{reordered}");
        let half = similarity("encrypt data at rest", "you should encrypt the data");
        assert!((WORDS_PARTIAL..WORDS_HIT).contains(&half), "{half}");
        assert_eq!(
            similarity("container orchestration", "a database engine"),
            0.0
        );
    }

    #[test]
    fn gaps_in_order_cost_a_little() {
        let tight = similarity("task definition", "the task definition file");
        let loose = similarity("task definition", "the task and its JSON definition");
        assert!(tight > loose && loose >= WORDS_HIT, "{tight} {loose}");
    }

    #[test]
    fn reports_where_the_phrase_was_heard() {
        let answer = tokenize("well you know it is container orchestration really");
        let found = find(&Phrase::new("container orchestration"), &answer);
        assert_eq!(found.map(|f| (f.start, f.end)), Some((5, 7)));
    }

    #[test]
    fn empty_inputs_find_nothing() {
        assert_eq!(find(&Phrase::new(""), &tokenize("text")), None);
        assert_eq!(find(&Phrase::new("text"), &[]), None);
    }

    /// CPU time of this thread, where Linux tells: unlike the wall clock, it does not grow when
    /// other processes take the cores.
    fn thread_cpu_time() -> Option<std::time::Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        Some(std::time::Duration::from_nanos(
            stat.split_whitespace().next()?.parse().ok()?,
        ))
    }

    #[test]
    fn a_long_point_of_repeated_words_cannot_stall_the_matcher() {
        // A pasted 200-word point of one word against a 300-word answer of it took tens of
        // seconds; it is bounded now by the words matched of a phrase.
        let phrase = Phrase::new(&vec!["cache"; 200].join(" "));
        let answer = tokenize(&vec!["caches"; 300].join(" "));
        let (cpu, wall) = (thread_cpu_time(), std::time::Instant::now());
        let found = find_each(&phrase, &answer);
        let spent = match (cpu, thread_cpu_time()) {
            (Some(before), Some(after)) => after.saturating_sub(before),
            _ => wall.elapsed(),
        };
        assert!(!found.is_empty());
        assert!(spent.as_secs_f64() < 1.0, "took {spent:?}");
        assert_eq!(phrase.tokens().len(), MAX_PHRASE_TOKENS);
    }
}
