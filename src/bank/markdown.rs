//! Importing a Markdown Q&A document as a bank file. Understands the common shapes:
//! numbered bold questions followed by answer paragraphs (bold lines or `#` headings as
//! categories), `## Question?` headings followed by answer text, and `Q:` / `A:` pairs.
//! Ids and key points are generated as a starting point for the author to edit.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::parse::to_kebab_case;
use crate::text::{is_stop_word, tokenize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedQuestion {
    pub category: String,
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDoc {
    pub deck: Option<String>,
    pub questions: Vec<ImportedQuestion>,
}

/// What a line of the document is.
enum Line<'a> {
    Blank,
    /// A heading or a whole bold line that is not a question.
    Category(&'a str),
    /// The document title (`# Title` first, or front matter `title:`).
    Title(&'a str),
    Question(&'a str),
    Text(&'a str),
}

pub fn parse(text: &str) -> ImportedDoc {
    let mut deck = None;
    let mut category = String::from("general");
    let mut questions: Vec<ImportedQuestion> = Vec::new();
    let mut answer_open = false;
    let body = strip_front_matter(text, &mut deck);
    for raw in body.lines() {
        match classify(raw, deck.is_none() && questions.is_empty()) {
            Line::Blank => {}
            Line::Title(title) => deck = Some(title.to_owned()),
            Line::Category(name) => {
                category = name.to_owned();
                answer_open = false;
            }
            Line::Question(question) => {
                questions.push(ImportedQuestion {
                    category: category.clone(),
                    question: question.to_owned(),
                    answer: String::new(),
                });
                answer_open = true;
            }
            Line::Text(text) => {
                if let Some(last) = questions.last_mut().filter(|_| answer_open) {
                    if !last.answer.is_empty() {
                        last.answer.push(' ');
                    }
                    last.answer.push_str(text);
                }
            }
        }
    }
    ImportedDoc { deck, questions }
}

/// Drops a leading `---` YAML block, taking its `title:` as the deck name.
fn strip_front_matter<'a>(text: &'a str, deck: &mut Option<String>) -> &'a str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let Some(end) = rest.find("\n---") else {
        return text;
    };
    for line in rest[..end].lines() {
        if let Some(title) = line.strip_prefix("title:") {
            let title = title.trim().trim_matches(['"', '\'']).trim();
            if !title.is_empty() {
                *deck = Some(title.to_owned());
            }
        }
    }
    let after = &rest[end + 4..];
    after.split_once('\n').map_or("", |(_, body)| body)
}

fn classify(raw: &str, title_allowed: bool) -> Line<'_> {
    let line = raw.trim();
    if line.is_empty() || line == "---" || line.starts_with("```") {
        return Line::Blank;
    }
    if let Some(heading) = heading_text(line) {
        let (level, text) = heading;
        if let Some(question) = question_text(text) {
            return Line::Question(question);
        }
        if level == 1 && title_allowed {
            return Line::Title(text);
        }
        return Line::Category(text);
    }
    if let Some((marker_removed, numbered)) = strip_list_marker(line) {
        let bold = whole_bold(marker_removed);
        if let Some(question) = question_text(bold.unwrap_or(marker_removed))
            && (bold.is_some() || numbered)
        {
            return Line::Question(question);
        }
        return Line::Text(clean_inline(marker_removed));
    }
    if let Some(bold) = whole_bold(line) {
        return match question_text(bold) {
            Some(question) => Line::Question(question),
            None => Line::Category(bold.trim_end_matches(':')),
        };
    }
    if let Some(question) = strip_prefixes(line, &["Q:", "Question:", "**Q:**", "**Q.**"]) {
        return Line::Question(clean_inline(question));
    }
    let answer = strip_prefixes(line, &["A:", "Answer:", "**A:**", "**A.**"]).unwrap_or(line);
    Line::Text(clean_inline(answer))
}

fn heading_text(line: &str) -> Option<(usize, &str)> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let text = line[level..].strip_prefix(' ')?.trim();
    let text = whole_bold(text).unwrap_or(text);
    Some((level, text.trim_end_matches('#').trim()))
}

/// The question in a heading or bold line: it ends with `?` or carries a Q: prefix.
fn question_text(text: &str) -> Option<&str> {
    let text = strip_numbering(text.trim());
    if let Some(rest) = strip_prefixes(text, &["Q:", "Q.", "Question:"]) {
        return Some(rest);
    }
    text.ends_with('?').then_some(text)
}

fn strip_prefixes<'a>(text: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .map(str::trim)
        .filter(|rest| !rest.is_empty())
}

/// "3. text", "3) text", "- text", "* text" → (text, numbered?).
fn strip_list_marker(line: &str) -> Option<(&str, bool)> {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return Some((rest.trim(), false));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = line[digits..]
        .strip_prefix(". ")
        .or_else(|| line[digits..].strip_prefix(") "))?;
    Some((rest.trim(), true))
}

/// "Question 3: text" or "3. text" inside a heading → "text".
fn strip_numbering(text: &str) -> &str {
    strip_list_marker(text).map_or(text, |(rest, _)| rest)
}

/// "**text**" (or "__text__") as a whole → "text".
fn whole_bold(text: &str) -> Option<&str> {
    ["**", "__"].iter().find_map(|m| {
        let inner = text.strip_prefix(m)?.strip_suffix(m)?;
        (!inner.contains(m) && !inner.trim().is_empty()).then(|| inner.trim())
    })
}

/// Inline emphasis markers removed.
fn clean_inline(text: &str) -> &str {
    text.trim_matches(|c| c == '*' || c == '_').trim()
}

/// Writes the document as a bank file, with generated ids and suggested key points.
pub fn to_bank_toml(doc: &ImportedDoc, fallback_deck: &str) -> String {
    let deck = doc.deck.as_deref().unwrap_or(fallback_deck);
    let deck_words: HashSet<String> = tokenize(deck).into_iter().map(|t| t.stem).collect();
    let doc_freq = document_frequencies(&doc.questions);
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by `rehearse bank import`. Check the ids, the answers and above all the\n\
         # key points: they are suggestions from the answer text. Then run `rehearse bank check`."
    );
    let _ = writeln!(out, "deck = {}", toml_string(deck));
    for q in &doc.questions {
        let id = unique_id(&question_id(&q.question), &mut used_ids);
        let category = category_slug(&q.category, &deck_words);
        let _ = writeln!(out, "\n[[question]]");
        let _ = writeln!(out, "id = {}", toml_string(&id));
        let _ = writeln!(out, "category = {}", toml_string(&category));
        let _ = writeln!(out, "question = {}", toml_string(&q.question));
        let _ = writeln!(out, "answer = {}", toml_multiline(&q.answer));
        let points = suggest_key_points(q, &doc_freq, doc.questions.len());
        let _ = writeln!(out, "key_points = [");
        for (point, aliases) in points {
            let aliases: Vec<String> = aliases.iter().map(|a| toml_string(a)).collect();
            let _ = writeln!(
                out,
                "  {{ point = {}, aliases = [{}] }},",
                toml_string(&point),
                aliases.join(", ")
            );
        }
        let _ = writeln!(out, "]");
    }
    out
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_multiline(text: &str) -> String {
    if text.contains("'''") || text.contains('\r') {
        toml_string(text)
    } else {
        let wrapped = textwrap::fill(text, 96);
        format!("'''\n{wrapped}\n'''")
    }
}

fn question_id(question: &str) -> String {
    let content: Vec<String> = question
        .split_whitespace()
        .map(to_kebab_case)
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .take(4)
        .collect();
    let id = content.join("-");
    if id.is_empty() {
        "question".to_owned()
    } else {
        id
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

/// A category name as a short slug, without the words every heading of the deck repeats.
fn category_slug(category: &str, deck_words: &HashSet<String>) -> String {
    const NOISE: &[&str] = &["question", "questions", "interview", "q", "a", "qa"];
    let words: Vec<String> = category
        .split_whitespace()
        .filter(|w| {
            let lower = to_kebab_case(w);
            let stem = tokenize(w)
                .first()
                .map(|t| t.stem.clone())
                .unwrap_or_default();
            !lower.is_empty()
                && !NOISE.contains(&lower.as_str())
                && !is_stop_word(&lower)
                && !deck_words.contains(&stem)
        })
        .map(to_kebab_case)
        .collect();
    if words.is_empty() {
        "general".to_owned()
    } else {
        words.join("-")
    }
}

fn document_frequencies(questions: &[ImportedQuestion]) -> HashMap<String, usize> {
    let mut freq = HashMap::new();
    for q in questions {
        let stems: HashSet<String> = tokenize(&q.answer).into_iter().map(|t| t.stem).collect();
        for stem in stems {
            *freq.entry(stem).or_insert(0) += 1;
        }
    }
    freq
}

/// Up to three phrases from the answer that are specific to it: runs of one to three content
/// words, ranked by how rare their words are across the document; an acronym in brackets right
/// after a phrase becomes its alias ("Elastic Container Registry (ECR)").
fn suggest_key_points(
    q: &ImportedQuestion,
    doc_freq: &HashMap<String, usize>,
    docs: usize,
) -> Vec<(String, Vec<String>)> {
    let question_stems: HashSet<String> =
        tokenize(&q.question).into_iter().map(|t| t.stem).collect();
    let idf = |stem: &str| {
        let df = doc_freq.get(stem).copied().unwrap_or(0);
        ((docs as f64 + 1.0) / (df as f64 + 1.0)).ln() + 0.1
    };
    let words: Vec<&str> = q.answer.split_whitespace().collect();
    let mut candidates: Vec<(f64, String, Vec<String>)> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>,
                 next: Option<&str>,
                 candidates: &mut Vec<(f64, String, Vec<String>)>| {
        if run.is_empty() {
            return;
        }
        let phrase_words: Vec<&str> = run.iter().rev().take(3).rev().copied().collect();
        let phrase = phrase_words
            .iter()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .collect::<Vec<_>>()
            .join(" ");
        let tokens = tokenize(&phrase);
        let new_words: Vec<_> = tokens
            .iter()
            .filter(|t| !question_stems.contains(&t.stem))
            .collect();
        if !new_words.is_empty() && phrase.len() >= 3 {
            let weight: f64 = new_words.iter().map(|t| idf(&t.stem)).sum();
            let alias = next
                .map(|w| w.trim_matches(|c: char| c == '(' || c == ')' || c == ',' || c == '.'))
                .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
                .filter(|_| next.is_some_and(|w| w.starts_with('(')))
                .map(|a| vec![a.to_owned()])
                .unwrap_or_default();
            candidates.push((weight, phrase, alias));
        }
        run.clear();
    };
    for (i, word) in words.iter().enumerate() {
        let bare = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let breaks_after = word.ends_with([',', '.', ';', ':', '?', '!', ')']);
        if bare.is_empty() || is_stop_word(&bare) || word.starts_with('(') {
            flush(&mut run, Some(word), &mut candidates);
            continue;
        }
        run.push(word);
        if breaks_after {
            flush(&mut run, words.get(i + 1).copied(), &mut candidates);
        }
    }
    flush(&mut run, None, &mut candidates);
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut chosen: Vec<(String, Vec<String>)> = Vec::new();
    for (_, phrase, aliases) in candidates {
        let lower = phrase.to_lowercase();
        if chosen.iter().any(|(p, _)| p.to_lowercase() == lower) {
            continue;
        }
        chosen.push((phrase, aliases));
        if chosen.len() == 3 {
            break;
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_bold_questions_with_bold_categories() {
        let doc = parse(
            "---\ntitle: \"My Deck\"\n---\n\n**Basics**\n\n1. **What is X?**\n\n   X is a thing.\n   It does Y.\n\n\
             2. **Why X?**\n   Because Z.\n\n**Advanced Topics**\n\n1. **How does X scale?**\n   Horizontally.\n",
        );
        assert_eq!(doc.deck.as_deref(), Some("My Deck"));
        let summary: Vec<(&str, &str, &str)> = doc
            .questions
            .iter()
            .map(|q| (q.category.as_str(), q.question.as_str(), q.answer.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("Basics", "What is X?", "X is a thing. It does Y."),
                ("Basics", "Why X?", "Because Z."),
                ("Advanced Topics", "How does X scale?", "Horizontally."),
            ]
        );
    }

    #[test]
    fn heading_questions_and_q_a_prefixes() {
        let doc = parse(
            "# Deck\n\n## Networking\n\n### What is a VPC?\nA private network.\n\nQ: What is a subnet?\nA: A range of addresses.\n",
        );
        assert_eq!(doc.deck.as_deref(), Some("Deck"));
        assert_eq!(doc.questions.len(), 2);
        assert_eq!(doc.questions[0].category, "Networking");
        assert_eq!(doc.questions[1].question, "What is a subnet?");
        assert_eq!(doc.questions[1].answer, "A range of addresses.");
    }

    #[test]
    fn ids_categories_and_key_points_are_generated() {
        let doc = ImportedDoc {
            deck: Some("Amazon ECS".into()),
            questions: vec![
                ImportedQuestion {
                    category: "Amazon ECS Interview Questions".into(),
                    question: "How can I pull images?".into(),
                    answer: "Attach permissions to the Elastic Container Registry (ECR) so the \
                             instances can pull images."
                        .into(),
                },
                ImportedQuestion {
                    category: "Questions on Security".into(),
                    question: "How can I pull images?".into(),
                    answer: "Use IAM roles.".into(),
                },
            ],
        };
        let toml = to_bank_toml(&doc, "fallback");
        assert!(toml.contains("id = \"pull-images\""), "{toml}");
        assert!(toml.contains("id = \"pull-images-2\""), "{toml}");
        assert!(toml.contains("category = \"general\""), "{toml}");
        assert!(toml.contains("category = \"security\""), "{toml}");
        assert!(toml.contains("aliases = [\"ECR\"]"), "{toml}");
        let parsed = super::super::parse_file(std::path::Path::new("x.toml"), &toml);
        assert!(
            parsed.diagnostics.is_empty(),
            "{:?}\n{toml}",
            parsed.diagnostics
        );
        assert_eq!(parsed.questions.len(), 2);
    }
}
