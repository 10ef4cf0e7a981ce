//! Words whisper wrote apart that make a glossary term letter for letter: "Cloud Watch",
//! "cloud watch", "dynamo DB", "get authorization token".

use crate::glossary::{Glossary, Term};

/// The verbs API calls start with ("RunTask", "StartTask"): written apart in lower case, such a
/// call is a verb and its object ("ECS can run task definitions") as often as it is the call.
const CALL_VERBS: &[&str] = &[
    "run", "start", "stop", "get", "put", "list", "describe", "create", "delete", "update",
    "register", "send", "set",
];

/// The term that words written apart (`parts`, bare) stand for, when that reading is the likelier
/// one: they make the term letter for letter and whisper wrote them as a name (each capitalised)
/// or one of them is no ordinary word ("Cloud Watch", "dynamo DB"); or they are the words the term
/// is said as, one for one, and spell it ("cloud watch" for CloudWatch, "elastic cache" for
/// ElastiCache, a bank's `binpack = "bin pack"`), and are not a call's verb and its object.
pub fn written_apart<'g>(
    parts: &[String],
    glossary: &'g Glossary,
    ordinary: &dyn Fn(&str) -> bool,
) -> Option<&'g Term> {
    if parts.len() < 2 || !parts.iter().all(|p| p.chars().all(char::is_alphabetic)) {
        return None;
    }
    let named = parts
        .iter()
        .all(|p| p.chars().next().is_some_and(char::is_uppercase));
    let english = parts.iter().all(|p| ordinary(&p.to_lowercase()));
    let joined = parts.concat();
    let spelled = glossary
        .terms()
        .iter()
        .find(|term| term.text.eq_ignore_ascii_case(&joined));
    match spelled {
        Some(term) if named || !english || said_as(parts, term) => Some(term),
        _ => glossary.terms().iter().find(|term| said_as(parts, term)),
    }
}

/// Whether lower-case words are `term` said piece by piece, one word for each of its written
/// pieces ("cloud" "watch" for CloudWatch, "fed" "ramp" for FedRAMP) or of the words it is said
/// as when those spell it but for a letter ("elastic cache"; not an expansion: a bank's `SRE =
/// "site reliability engineer"` is no mishearing of "SRE"); and either three words or more,
/// which English does not string together so ("get authorization token"), or two that are not a
/// call's verb and its object.
fn said_as(parts: &[String], term: &Term) -> bool {
    let matches = |words: &[&str]| {
        words.len() == parts.len()
            && words
                .iter()
                .zip(parts)
                .all(|(word, part)| word.eq_ignore_ascii_case(part))
    };
    let said: Vec<&str> = term.said.split_whitespace().collect();
    // Spelling last: every run of words of an answer is tried against every term.
    let spells_it =
        || strsim::levenshtein(&said.concat().to_lowercase(), &term.text.to_lowercase()) <= 1;
    (matches(&written_pieces(&term.text)) || (matches(&said) && spells_it()))
        && (parts.len() >= 3 || !CALL_VERBS.contains(&parts[0].to_lowercase().as_str()))
}

/// A term cut where a capital follows a small letter: "CloudWatch" → "Cloud", "Watch";
/// "FedRAMP" → "Fed", "RAMP"; "Fargate" is one piece.
fn written_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut after_small = false;
    for (i, c) in text.char_indices() {
        if c.is_uppercase() && after_small {
            pieces.push(&text[start..i]);
            start = i;
        }
        after_small = c.is_lowercase();
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
            ("ElastiCache", "elastic cache"),
            ("binpack", "bin pack"),
            ("SRE", "site reliability engineer"),
            ("Nginx", "engine X"),
            // As a bank's own term with no `[glossary]` entry would be said.
            ("PaaS", "Paa S"),
            ("FedRAMP", "Fed R A M P"),
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
            "elastic",
            "cache",
            "bin",
            "pack",
            "site",
            "reliability",
            "engineer",
            "engine",
            "x",
            "fed",
            "ramp",
            "pa",
            "as",
        ]
        .contains(&word)
    }

    fn apart(words: &str) -> Option<String> {
        let parts: Vec<String> = words.split_whitespace().map(str::to_owned).collect();
        written_apart(&parts, &glossary(), &ordinary).map(|term| term.text.clone())
    }

    #[test]
    fn a_term_said_word_by_word_is_the_term() {
        assert_eq!(apart("cloud watch").as_deref(), Some("CloudWatch"));
        assert_eq!(apart("Cloud Watch").as_deref(), Some("CloudWatch"));
        assert_eq!(
            apart("get authorization token").as_deref(),
            Some("GetAuthorizationToken")
        );
        // Said as the glossary says it, a letter off its spelling.
        assert_eq!(apart("elastic cache").as_deref(), Some("ElastiCache"));
        assert_eq!(apart("bin pack").as_deref(), Some("binpack"));
        // Its written pieces, whatever it is said as.
        assert_eq!(apart("fed ramp").as_deref(), Some("FedRAMP"));
        // "DB" is no ordinary word.
        assert_eq!(apart("dynamo DB").as_deref(), Some("DynamoDB"));
    }

    #[test]
    fn a_term_is_cut_where_a_capital_follows_a_small_letter() {
        assert_eq!(written_pieces("CloudWatch"), ["Cloud", "Watch"]);
        assert_eq!(written_pieces("FedRAMP"), ["Fed", "RAMP"]);
        assert_eq!(written_pieces("vCPU"), ["v", "CPU"]);
        assert_eq!(written_pieces("Fargate"), ["Fargate"]);
    }

    #[test]
    fn english_that_only_spells_a_term_or_expands_it_stays() {
        // A call's verb and its object.
        assert_eq!(apart("run task"), None);
        // Not how the term is said: "Fargate" is one word, not "far" and "gate".
        assert_eq!(apart("far gate"), None);
        // How a term is said, but not its spelling.
        assert_eq!(apart("site reliability engineer"), None);
        assert_eq!(apart("engine x"), None);
        // Pieces cut where no capital follows a small letter.
        assert_eq!(apart("pa as"), None);
        // One word is no run of words.
        assert_eq!(apart("cloud"), None);
    }
}
