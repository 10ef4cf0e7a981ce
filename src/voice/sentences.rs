//! Text cut into sentences, and sentences into clauses that keep their closing punctuation: the
//! punctuation carries the prosody (a question rises, a comma pauses), and a voice speaks one
//! sentence at a time so that the first can play while the next is made. Pure.

/// A clause and the punctuation that closes it (`.`, `,`, `?`, `!`, `;`, `:`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub text: String,
    pub end: Option<char>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub clauses: Vec<Clause>,
}

impl Sentence {
    /// The sentence written out again, punctuation in place (for voices that take text).
    pub fn text(&self) -> String {
        self.clauses
            .iter()
            .map(|c| match c.end {
                Some(end) => format!("{}{end}", c.text),
                None => c.text.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Punctuation that ends a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '?' | '!')
}

/// Punctuation that closes a clause; brackets pause like commas.
fn clause_end(c: char) -> Option<char> {
    match c {
        '.' | '?' | '!' | ',' | ';' | ':' => Some(c),
        '(' | ')' | '[' | ']' => Some(','),
        _ => None,
    }
}

/// Of two marks in a row (")?", "?!"), the one that says more: a sentence end over a pause.
fn stronger(a: char, b: char) -> char {
    let rank = |c: char| match c {
        '?' => 3,
        '!' => 2,
        '.' => 1,
        _ => 0,
    };
    if rank(b) >= rank(a) { b } else { a }
}

/// Sentences of `text`, each a list of clauses. A mark counts only where a word ends (before a
/// space or the end, or a bracket after a space), so "3.5" or "node.js" stay whole; the
/// normaliser has by then written numbers out anyway.
pub fn split(text: &str) -> Vec<Sentence> {
    let chars: Vec<char> = text.chars().collect();
    let mut sentences = Vec::new();
    let mut clauses: Vec<Clause> = Vec::new();
    let mut current = String::new();
    let mut pending: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        let at_word_end = chars
            .get(i + 1)
            .is_none_or(|n| n.is_whitespace() || clause_end(*n).is_some());
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        let mark =
            clause_end(c).filter(|_| at_word_end || (matches!(c, '(' | '[') && at_word_start));
        match mark {
            Some(mark) => {
                pending = Some(pending.map_or(mark, |p| stronger(p, mark)));
            }
            None if c.is_whitespace() && pending.is_none() => current.push(' '),
            None if c.is_whitespace() => {}
            None => {
                if let Some(end) = pending.take() {
                    close(&mut sentences, &mut clauses, &mut current, Some(end));
                }
                current.push(c);
            }
        }
    }
    close(&mut sentences, &mut clauses, &mut current, pending);
    if !clauses.is_empty() {
        sentences.push(Sentence { clauses });
    }
    sentences
}

fn close(
    sentences: &mut Vec<Sentence>,
    clauses: &mut Vec<Clause>,
    current: &mut String,
    end: Option<char>,
) {
    let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
    current.clear();
    if text.is_empty() {
        // A mark with no words before it ("(AMI)" right after a comma): it only strengthens
        // the clause before.
        if let (Some(last), Some(end)) = (clauses.last_mut(), end) {
            last.end = Some(last.end.map_or(end, |e| stronger(e, end)));
        }
    } else {
        clauses.push(Clause { text, end });
    }
    // The last clause's mark decides: it may have been made a sentence end just above.
    if clauses
        .last()
        .and_then(|c| c.end)
        .is_some_and(ends_sentence)
    {
        sentences.push(Sentence {
            clauses: std::mem::take(clauses),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<Vec<(String, Option<char>)>> {
        split(text)
            .into_iter()
            .map(|s| s.clauses.into_iter().map(|c| (c.text, c.end)).collect())
            .collect()
    }

    fn clause(text: &str, end: Option<char>) -> (String, Option<char>) {
        (text.to_owned(), end)
    }

    #[test]
    fn sentences_and_clauses_keep_their_marks() {
        assert_eq!(
            shape("I want to launch E C S containers. Why do I have to launch tasks?"),
            vec![
                vec![clause("I want to launch E C S containers", Some('.'))],
                vec![clause("Why do I have to launch tasks", Some('?'))],
            ]
        );
        assert_eq!(
            shape("Tell me, briefly: why?"),
            vec![vec![
                clause("Tell me", Some(',')),
                clause("briefly", Some(':')),
                clause("why", Some('?')),
            ]]
        );
    }

    #[test]
    fn brackets_pause_and_the_stronger_mark_wins() {
        assert_eq!(
            shape("Can I use my own Amazon Machine Image (eigh M I)?"),
            vec![vec![
                clause("Can I use my own Amazon Machine Image", Some(',')),
                clause("eigh M I", Some('?')),
            ]]
        );
        assert_eq!(
            shape("Time's up! Next question"),
            vec![
                vec![clause("Time's up", Some('!'))],
                vec![clause("Next question", None)],
            ]
        );
    }

    #[test]
    fn marks_inside_words_stay() {
        assert_eq!(
            shape("Use node.js, not 3.5"),
            vec![vec![
                clause("Use node.js", Some(',')),
                clause("not 3.5", None)
            ]]
        );
        assert!(split("  ").is_empty());
        assert!(split("?!").is_empty());
    }

    #[test]
    fn written_back_with_its_marks() {
        let sentence = &split("Tell me, briefly: why?")[0];
        assert_eq!(sentence.text(), "Tell me, briefly: why?");
    }
}
