//! What a bank may hold. A key point is a phrase an answer says; limits make a hostile or
//! mistaken bank (a pasted paragraph as a point, hundreds of aliases) fail clearly, with its file
//! and line, instead of stalling the scorer.

/// The most words and characters of a key point or an alias.
pub const MAX_PHRASE_WORDS: usize = 25;
pub const MAX_PHRASE_CHARS: usize = 200;
/// The most aliases of a key point, and key points of a question.
pub const MAX_ALIASES: usize = 16;
pub const MAX_KEY_POINTS: usize = 24;

/// Why `text`, a key point or an alias (`field`), is too long for a phrase, if it is.
pub fn phrase_too_long(field: &str, text: &str) -> Option<String> {
    let words = text.split_whitespace().count();
    let chars = text.chars().count();
    (words > MAX_PHRASE_WORDS || chars > MAX_PHRASE_CHARS).then(|| {
        format!(
            "the {field} is {words} words and {chars} characters long, more than a phrase \
             ({MAX_PHRASE_WORDS} words, {MAX_PHRASE_CHARS} characters at most)"
        )
    })
}

/// Why `count` key points are too many for a question, if they are.
pub fn too_many_key_points(count: usize) -> Option<String> {
    (count > MAX_KEY_POINTS)
        .then(|| format!("{count} key points, more than the {MAX_KEY_POINTS} a question may have"))
}

/// Why `count` aliases are too many for a key point, if they are.
pub fn too_many_aliases(count: usize) -> Option<String> {
    (count > MAX_ALIASES)
        .then(|| format!("{count} aliases, more than the {MAX_ALIASES} a key point may have"))
}
