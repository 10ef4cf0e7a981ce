//! Importing a Markdown Q&A document as a bank file. Understands the common shapes:
//! numbered bold questions followed by answer paragraphs (bold lines or `#` headings as
//! categories), `## Question?` headings followed by answer text, and `Q:` / `A:` pairs.
//! Ids and key points are generated as a starting point for the author to edit.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::parse::to_kebab_case;
use crate::text::{is_stop_word, spans, tokenize};

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

/// Words that open a question asked as an instruction ("Briefly describe the divide-and-conquer
/// paradigm.", "Explain how ECS schedules tasks").
const INSTRUCTIONS: &[&str] = &[
    "briefly",
    "compare",
    "contrast",
    "define",
    "describe",
    "discuss",
    "distinguish",
    "explain",
    "give",
    "identify",
    "list",
    "name",
    "outline",
    "state",
    "summarise",
    "summarize",
];

/// The question in a heading or bold line: it ends with `?`, carries a Q: prefix, or is an
/// instruction ("Describe ...", "Explain ...") of a few words.
fn question_text(text: &str) -> Option<&str> {
    let text = strip_numbering(text.trim());
    if let Some(rest) = strip_prefixes(text, &["Q:", "Q.", "Question:"]) {
        return Some(rest);
    }
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    // "List of questions" names a section; "List the stages ..." asks.
    let instruction =
        words.len() >= 3 && INSTRUCTIONS.contains(&words[0].as_str()) && words[1] != "of";
    (text.ends_with('?') || instruction).then_some(text)
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

/// A long text as a literal block, which reads well; a text a literal string cannot hold (its
/// closing quotes, or control characters such as an escape) as a basic string, escaped, so the
/// TOML written is always valid.
fn toml_multiline(text: &str) -> String {
    if text.contains("'''")
        || text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
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

/// Words too vague to be, or to start or end, a key point: they say how much or how, not what
/// ("various factors", "easily deploy", "typically composed", "in a scalable manner").
const VAGUE: &[&str] = &[
    "allow",
    "allows",
    "basically",
    "certain",
    "choice",
    "different",
    "etc",
    "example",
    "factor",
    "factors",
    "feature",
    "features",
    "generally",
    "ideal",
    "include",
    "includes",
    "including",
    "let",
    "lets",
    "like",
    "main",
    "mainly",
    "make",
    "makes",
    "making",
    "manner",
    "many",
    "need",
    "needs",
    "particular",
    "possible",
    "primarily",
    "provide",
    "provided",
    "provides",
    "several",
    "simply",
    "specific",
    "such",
    "thing",
    "things",
    "typically",
    "usually",
    "various",
    "way",
    "ways",
    "well",
];
/// A key point is at most this many words: the tail of a longer run of content words, where
/// English puts the head noun ("long-lived containerized applications").
const MAX_POINT_WORDS: usize = 3;
/// How many key points an answer gets: one per clause, within these bounds.
const MIN_POINTS: usize = 2;
const MAX_POINTS: usize = 5;

fn is_vague(bare: &str) -> bool {
    // Adverbs in -ly ("easily", "directly") qualify; they never name the thing itself.
    VAGUE.contains(&bare) || (bare.len() > 4 && bare.ends_with("ly") && bare != "only")
}

/// A candidate key point: a run of content words inside one clause of the answer.
struct Candidate {
    weight: f64,
    phrase: String,
    aliases: Vec<String>,
    clause: usize,
}

/// Key points from the answer: the terms of each clause that are specific to this answer (rare
/// across the document), preferring phrases of several words and names of things, one per clause
/// first so that every part of the answer is asked for; an acronym in brackets right after a
/// phrase becomes its alias ("Elastic Container Registry (ECR)"). The scorer finds each point's
/// clause in the reference again and matches it by meaning, so a point names what the clause is
/// about; it need not be the only way to say it.
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
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let clauses: Vec<std::ops::Range<usize>> = spans::sentences(&words)
        .into_iter()
        .flat_map(|sentence| spans::clauses(&words, sentence))
        .collect();
    let mut candidates: Vec<Candidate> = Vec::new();
    for (clause_index, clause) in clauses.iter().enumerate() {
        let mut run: Vec<usize> = Vec::new();
        let mut flush = |run: &mut Vec<usize>, next: Option<usize>| {
            let Some(&last) = run.last() else {
                return;
            };
            let first = run[run.len().saturating_sub(MAX_POINT_WORDS)];
            let phrase = words[first..=last]
                .iter()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .collect::<Vec<_>>()
                .join(" ");
            run.clear();
            let tokens = tokenize(&phrase);
            let new_words: Vec<_> = tokens
                .iter()
                .filter(|t| !question_stems.contains(&t.stem))
                .collect();
            if new_words.is_empty() || phrase.len() < 3 {
                return;
            }
            let named = words[first..=last].iter().any(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    || w.chars().any(|c| c.is_ascii_digit())
            });
            let weight = new_words.iter().map(|t| idf(&t.stem)).sum::<f64>()
                + 0.5 * (last - first) as f64
                + if named { 0.5 } else { 0.0 };
            let aliases = next
                .map(|i| words[i])
                .filter(|w| w.starts_with('('))
                .map(|w| w.trim_matches(|c: char| c == '(' || c == ')' || c == ',' || c == '.'))
                .filter(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()))
                .map(|a| vec![a.to_owned()])
                .unwrap_or_default();
            candidates.push(Candidate {
                weight,
                phrase,
                aliases,
                clause: clause_index,
            });
        };
        for i in clause.clone() {
            let word = words[i];
            let lower = bare(word);
            if lower.is_empty() || is_stop_word(&lower) || is_vague(&lower) || word.starts_with('(')
            {
                flush(&mut run, Some(i));
                continue;
            }
            run.push(i);
            if word.ends_with([',', '.', ';', ':', '?', '!', ')']) {
                flush(&mut run, words.get(i + 1).map(|_| i + 1));
            }
        }
        flush(&mut run, None);
    }
    choose_points(candidates, clauses.len().clamp(MIN_POINTS, MAX_POINTS))
}

/// The `wanted` heaviest candidates, the best of each clause first so that every part of the
/// answer is asked for, then the next best anywhere; each phrase once.
fn choose_points(mut candidates: Vec<Candidate>, wanted: usize) -> Vec<(String, Vec<String>)> {
    candidates.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut chosen: Vec<&Candidate> = Vec::new();
    let mut clauses_done: HashSet<usize> = HashSet::new();
    for first_round in [true, false] {
        for candidate in &candidates {
            if chosen.len() == wanted {
                break;
            }
            let lower = candidate.phrase.to_lowercase();
            let taken = chosen.iter().any(|c| c.phrase.to_lowercase() == lower);
            if taken || (first_round && clauses_done.contains(&candidate.clause)) {
                continue;
            }
            clauses_done.insert(candidate.clause);
            chosen.push(candidate);
        }
    }
    chosen
        .into_iter()
        .map(|c| (c.phrase.clone(), c.aliases.clone()))
        .collect()
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

    #[test]
    fn instructions_are_questions_but_section_names_are_not() {
        let doc = parse(
            "# Deck\n\n## List of questions\n\n## Briefly describe the divide-and-conquer paradigm.\n\n\
             Divide the problem, solve the parts, combine the results.\n",
        );
        assert_eq!(doc.questions.len(), 1, "{doc:?}");
        assert_eq!(doc.questions[0].category, "List of questions");
        assert!(doc.questions[0].question.starts_with("Briefly describe"));
    }

    #[test]
    fn key_points_name_things_in_every_clause_and_skip_vague_words() {
        let question = ImportedQuestion {
            category: "general".into(),
            question: "What is the pricing for Amazon ECS?".into(),
            answer: "The pricing depends on various factors such as the launch type and the \
                     region, and you pay for the compute resources you easily use."
                .into(),
        };
        let points: Vec<String> = suggest_key_points(&question, &HashMap::new(), 1)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert!(
            points
                .iter()
                .all(|p| !p.contains("various") && !p.contains("easily")),
            "{points:?}"
        );
        assert!(
            points.iter().any(|p| p.contains("launch type")),
            "{points:?}"
        );
        assert!(
            points.iter().any(|p| p.contains("compute resources")),
            "{points:?}"
        );
        assert!((MIN_POINTS..=MAX_POINTS).contains(&points.len()));
    }
}
