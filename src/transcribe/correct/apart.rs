//! Words whisper wrote apart that make a glossary term letter for letter: "Cloud Watch",
//! "cloud watch", "dynamo DB", "get authorization token".

use crate::glossary::{Glossary, Term};

/// The verbs API calls start with ("RunTask", "StartTask"): written apart in lower case, such a
/// call is a verb and its object ("ECS can run task definitions") as often as it is the call.
const CALL_VERBS: &[&str] = &[
    "run", "start", "stop", "get", "put", "list", "describe", "create", "delete", "update",
    "register", "send", "set",
];

/// The term that words written apart (`parts`, bare) make letter for letter, when that reading
/// is the likelier one: whisper wrote them as a name (each capitalised), one of them is no
/// ordinary word, or they are the term's capitalised pieces one for one and not a call's verb
/// and object ("cloud watch" is CloudWatch; "run task" stays English).
pub fn written_apart<'g>(
    parts: &[String],
    glossary: &'g Glossary,
    ordinary: &dyn Fn(&str) -> bool,
) -> Option<&'g Term> {
    if parts.len() < 2 || !parts.iter().all(|p| p.chars().all(char::is_alphabetic)) {
        return None;
    }
    let joined = parts.concat();
    let term = glossary
        .terms()
        .iter()
        .find(|term| term.text.eq_ignore_ascii_case(&joined))?;
    let named = parts
        .iter()
        .all(|p| p.chars().next().is_some_and(char::is_uppercase));
    let english = parts.iter().all(|p| ordinary(&p.to_lowercase()));
    (named || !english || names_the_term(parts, &term.text)).then_some(term)
}

/// Whether lower-case words are a term's name said piece by piece: one word for each of its
/// capitalised pieces ("cloud" "watch" for CloudWatch), and either three pieces or more, which
/// English does not string together so ("get authorization token"), or two that are not a
/// call's verb and its object.
fn names_the_term(parts: &[String], text: &str) -> bool {
    let pieces = capitalised_pieces(text);
    pieces.len() == parts.len()
        && pieces
            .iter()
            .zip(parts)
            .all(|(piece, part)| piece.eq_ignore_ascii_case(part))
        && (pieces.len() >= 3 || !CALL_VERBS.contains(&parts[0].to_lowercase().as_str()))
}

/// A term cut where a capital follows a small letter: "CloudWatch" → "Cloud", "Watch";
/// "DynamoDB" → "Dynamo", "DB"; "Fargate" is one piece.
fn capitalised_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous_small = false;
    for (i, c) in text.char_indices() {
        if c.is_uppercase() && previous_small {
            pieces.push(&text[start..i]);
            start = i;
        }
        previous_small = c.is_lowercase();
    }
    pieces.push(&text[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::from_pairs([
            ("CloudWatch", "Cloud Watch"),
            ("RunTask", "Run Task"),
            ("GetAuthorizationToken", "Get Authorization Token"),
            ("DynamoDB", "Dynamo D B"),
            ("Fargate", "Fargate"),
        ])
    }

    fn ordinary(word: &str) -> bool {
        [
            "cloud",
            "watch",
            "run",
            "task",
            "get",
            "authorization",
            "token",
            "far",
            "gate",
            "dynamo",
        ]
        .contains(&word)
    }

    fn apart(words: &str) -> Option<String> {
        let parts: Vec<String> = words.split_whitespace().map(str::to_owned).collect();
        written_apart(&parts, &glossary(), &ordinary).map(|term| term.text.clone())
    }

    #[test]
    fn a_name_said_piece_by_piece_is_the_term() {
        assert_eq!(apart("cloud watch").as_deref(), Some("CloudWatch"));
        assert_eq!(apart("Cloud Watch").as_deref(), Some("CloudWatch"));
        assert_eq!(
            apart("get authorization token").as_deref(),
            Some("GetAuthorizationToken")
        );
        // "DB" is no ordinary word.
        assert_eq!(apart("dynamo DB").as_deref(), Some("DynamoDB"));
    }

    #[test]
    fn english_that_only_spells_a_term_stays() {
        // A call's verb and its object.
        assert_eq!(apart("run task"), None);
        // Not the term's pieces: "Fargate" is one word, not "Far" and "Gate".
        assert_eq!(apart("far gate"), None);
        // One word is no run of words.
        assert_eq!(apart("cloud"), None);
    }

    #[test]
    fn a_term_is_cut_where_a_capital_follows_a_small_letter() {
        assert_eq!(capitalised_pieces("CloudWatch"), ["Cloud", "Watch"]);
        assert_eq!(capitalised_pieces("DynamoDB"), ["Dynamo", "DB"]);
        assert_eq!(capitalised_pieces("vCPU"), ["v", "CPU"]);
        assert_eq!(capitalised_pieces("Fargate"), ["Fargate"]);
        assert_eq!(capitalised_pieces("ECS"), ["ECS"]);
    }
}
