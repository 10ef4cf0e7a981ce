//! Negation: which words of a text a negation cue governs, so that a point said against the
//! reference ("ECS does not support dynamic port mapping") is caught instead of credited.
//! Sentence embeddings and word matches both miss it: the negated sentence shares nearly all of
//! its words and most of its meaning with the one it contradicts.
//!
//! A cue ("not", "no", "never", "isn't", "without", "rejects", ...) governs the words after it up
//! to the end of its clause, at most [`MAX_SCOPE`] words; a cue on a predicate of relevance
//! ("cost and control don't matter") governs the words before it instead. Some cues do not deny
//! what follows: fixed phrases ("not only", "no matter") and a cue on an obligation ("you don't
//! have to patch hosts", "no need to", "without having to"), which is how people say a thing is
//! done for them, the very opposite of denying it.

use std::collections::HashSet;

use crate::text::Token;

/// A cue governs at most this many words: far enough for "does not support dynamic port mapping",
/// short enough not to run into the next thought of a run-on spoken sentence.
const MAX_SCOPE: usize = 8;

/// Negation cues, as tokens (the tokenizer turns "doesn't" into "doesnt"), and verbs that deny
/// their object.
const CUES: &[&str] = &[
    "aint",
    "arent",
    "cannot",
    "cant",
    "couldnt",
    "didnt",
    "disallows",
    "doesnt",
    "dont",
    "forbids",
    "hadnt",
    "hasnt",
    "havent",
    "impossible",
    "isnt",
    "lack",
    "lacks",
    "neither",
    "never",
    "no",
    "none",
    "nor",
    "not",
    "nothing",
    "prevents",
    "prohibits",
    "refuses",
    "rejects",
    "shouldnt",
    "unable",
    "wasnt",
    "werent",
    "without",
    "wont",
    "wouldnt",
];
/// Idioms: a cue followed by one of these is no denial ("not only", "no matter", "no doubt").
const IDIOMS: &[(&str, &str)] = &[
    ("not", "only"),
    ("not", "just"),
    ("no", "matter"),
    ("no", "doubt"),
    ("nothing", "but"),
];
/// Obligation words: a cue on one of these (within two words) says "you needn't", not "it isn't".
const OBLIGATION: &[&str] = &[
    "have", "having", "need", "needs", "needing", "worry", "worrying", "bother", "require",
    "required",
];
/// Predicates of relevance: denied, they deny their subject ("the region doesn't matter").
const RELEVANCE: &[&str] = &[
    "apply", "applies", "count", "counts", "exist", "exists", "matter", "matters",
];
/// Words that end a cue's scope: the clause turns.
const SCOPE_ENDS: &[&str] = &[
    "although", "because", "but", "however", "so", "though", "whereas", "which", "while",
    "instead", "rather",
];

/// Whether a token is a negation cue word at all (before its context is looked at): a phrase
/// that contains one ("no servers") is not the phrase without it.
pub fn is_cue_word(token: &str) -> bool {
    CUES.contains(&token)
}

/// Which way a cue's scope runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Forward,
    Backward,
}

fn cue_at(tokens: &[Token], i: usize) -> Option<Scope> {
    let word = tokens[i].text.as_str();
    if !is_cue_word(word) {
        return None;
    }
    let next = |k: usize| tokens.get(i + k).map(|t| t.text.as_str());
    if IDIOMS
        .iter()
        .any(|(cue, after)| *cue == word && next(1) == Some(after))
    {
        return None;
    }
    if (1..=2).any(|k| next(k).is_some_and(|w| OBLIGATION.contains(&w))) {
        return None;
    }
    if (1..=2).any(|k| next(k).is_some_and(|w| RELEVANCE.contains(&w))) {
        return Some(Scope::Backward);
    }
    Some(Scope::Forward)
}

/// For each token, whether a negation cue governs it. `words` are the source words the tokens
/// index: their punctuation marks where clauses and sentences end.
pub fn negated<S: AsRef<str>>(tokens: &[Token], words: &[S]) -> Vec<bool> {
    let ends_clause = |word: usize| {
        words[word]
            .as_ref()
            .ends_with([',', '.', ';', ':', '?', '!'])
    };
    let ends_sentence = |word: usize| words[word].as_ref().ends_with(['.', ';', ':', '?', '!']);
    let mut out = vec![false; tokens.len()];
    for i in 0..tokens.len() {
        let Some(scope) = cue_at(tokens, i) else {
            continue;
        };
        let mut words_seen = 0;
        let mut last_word = tokens[i].word;
        match scope {
            Scope::Forward => {
                // The cue's own word may close the clause ("no." / "not,").
                let mut open = !ends_clause(last_word);
                for j in i + 1..tokens.len() {
                    let token = &tokens[j];
                    if !open || SCOPE_ENDS.contains(&token.text.as_str()) {
                        break;
                    }
                    if token.word != last_word {
                        words_seen += 1;
                        last_word = token.word;
                    }
                    if words_seen > MAX_SCOPE {
                        break;
                    }
                    out[j] = true;
                    open = !ends_clause(token.word);
                }
            }
            // Back to the start of the sentence: a subject may be a list with commas in it
            // ("cost, control and overhead don't matter").
            Scope::Backward => {
                for j in (0..i).rev() {
                    let token = &tokens[j];
                    if token.word != last_word {
                        if ends_sentence(token.word) {
                            break;
                        }
                        words_seen += 1;
                        last_word = token.word;
                    }
                    if words_seen > MAX_SCOPE || SCOPE_ENDS.contains(&token.text.as_str()) {
                        break;
                    }
                    out[j] = true;
                }
            }
        }
    }
    out
}

/// The content stems a text denies, and those it asserts (a stem can be both).
fn polarities(tokens: &[Token], marks: &[bool]) -> (HashSet<String>, HashSet<String>) {
    let mut denied = HashSet::new();
    let mut asserted = HashSet::new();
    for (token, &negated) in tokens.iter().zip(marks) {
        if token.is_stop_word() || token.is_number() || is_cue_word(&token.text) {
            continue;
        }
        if negated {
            denied.insert(token.stem.clone());
        } else {
            asserted.insert(token.stem.clone());
        }
    }
    (denied, asserted)
}

/// Whether one text says that what the other says is not so: what it denies is, for the most
/// part (at least two words, or half of what it denies), what the other asserts. One shared word
/// is not enough: "without any access keys in code" shares "access" with "the role controls
/// access" and denies something else. `a` and `b` are tokens with their negation marks.
pub fn contradicts(a: (&[Token], &[bool]), b: (&[Token], &[bool])) -> bool {
    let (a_denied, a_asserted) = polarities(a.0, a.1);
    let (b_denied, b_asserted) = polarities(b.0, b.1);
    let denies = |denied: &HashSet<String>, asserted: &HashSet<String>, other: &HashSet<String>| {
        let against = denied
            .iter()
            .filter(|stem| !asserted.contains(*stem) && other.contains(*stem))
            .count();
        against >= 2 || (against >= 1 && 2 * against >= denied.len())
    };
    let b_only_asserts: HashSet<String> = b_asserted.difference(&b_denied).cloned().collect();
    let a_only_asserts: HashSet<String> = a_asserted.difference(&a_denied).cloned().collect();
    denies(&a_denied, &a_asserted, &b_only_asserts)
        || denies(&b_denied, &b_asserted, &a_only_asserts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn marks(text: &str) -> Vec<(String, bool)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let tokens = tokenize(text);
        let negated = negated(&tokens, &words);
        tokens.into_iter().map(|t| t.text).zip(negated).collect()
    }

    fn denied(text: &str) -> Vec<String> {
        marks(text)
            .into_iter()
            .filter(|(_, n)| *n)
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn a_cue_governs_the_rest_of_its_clause() {
        assert_eq!(
            denied("No, ECS does not support dynamic port mapping. You fix the port."),
            ["support", "dynamic", "port", "mapping"]
        );
        assert_eq!(denied("It isn't HIPAA eligible"), ["hipaa", "eligible"]);
        assert_eq!(
            denied("there is no network isolation"),
            ["network", "isolation"]
        );
        assert_eq!(
            denied("it is not managed but it scales"),
            ["managed"],
            "the clause turns at but"
        );
    }

    #[test]
    fn obligations_and_fixed_phrases_are_not_denials() {
        assert!(denied("you don't have to patch or manage the hosts").is_empty());
        assert!(denied("there is no need to run a control plane").is_empty());
        assert!(denied("it scales without having to add servers").is_empty());
        assert!(denied("it is not only managed but also cheap").is_empty());
        assert_eq!(denied("it is no longer supported"), ["longer", "supported"]);
    }

    #[test]
    fn the_scope_is_bounded() {
        let long = "it does not alpha beta gamma delta epsilon zeta eta theta iota kappa";
        assert_eq!(denied(long).len(), MAX_SCOPE);
    }

    fn view((tokens, marks): &(Vec<Token>, Vec<bool>)) -> (&[Token], &[bool]) {
        (tokens, marks)
    }

    #[test]
    fn denial_verbs_and_irrelevance_count_too() {
        assert_eq!(
            denied("ECS rejects any custom AMI"),
            ["any", "custom", "ami"]
        );
        assert_eq!(
            denied("First. Cost, control and overhead don't matter here"),
            ["cost", "control", "and", "overhead"],
            "the subject of a denied relevance, back to the sentence start"
        );
    }

    fn analysed(text: &str) -> (Vec<Token>, Vec<bool>) {
        let words: Vec<&str> = text.split_whitespace().collect();
        let tokens = tokenize(text);
        let marks = negated(&tokens, &words);
        (tokens, marks)
    }

    #[test]
    fn contradiction_is_what_one_side_denies_and_the_other_asserts() {
        let reference = analysed("ECS supports dynamic port mapping with the ALB");
        let against = analysed("ECS does not support dynamic port mapping");
        let agrees = analysed("ECS can map ports dynamically");
        assert!(contradicts(view(&against), view(&reference)));
        assert!(contradicts(view(&reference), view(&against)));
        assert!(!contradicts(view(&agrees), view(&reference)));
        let relief = analysed("you don't have to manage servers");
        let managed = analysed("AWS manages the servers for you");
        assert!(!contradicts(view(&relief), view(&managed)));
        let both_deny = analysed("there are no access keys in the code");
        let without = analysed("the SDKs pick them up without any access keys in code");
        assert!(!contradicts(view(&without), view(&both_deny)));
        let incidental = analysed("so the role controls access to the resources");
        assert!(
            !contradicts(view(&without), view(&incidental)),
            "one shared word of four denied is not a contradiction"
        );
        let free = analysed("ECS itself is free");
        let no_charge = analysed("There is no extra charge for ECS itself");
        assert!(!contradicts(view(&free), view(&no_charge)));
    }
}
