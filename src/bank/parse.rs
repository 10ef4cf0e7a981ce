//! Parsing and validating one bank file. Works on the span-preserving TOML tree so that every
//! problem names its line, and keeps going after a problem so a file's errors come in one run.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod fields;
mod keys;

pub(crate) use super::ids::{LineStarts, is_kebab_case, to_kebab_case};
use super::limits;
use super::{DEFAULT_TIME_LIMIT_S, Diagnostic, KeyPoint, Kind, Question};
use crate::text::visible::neutralise;

/// What a file yields: the questions that validated, and every problem found.
#[derive(Debug, Default)]
pub struct ParsedFile {
    pub questions: Vec<Question>,
    pub diagnostics: Vec<Diagnostic>,
    /// The line of every question id in the file (its first use), the questions that did not
    /// validate included: where a duplicate across files points, and which ids a skipped file held.
    pub id_lines: HashMap<String, usize>,
    /// The deck's `[glossary]`: how its terms are said.
    pub glossary: BTreeMap<String, String>,
    /// What does not stop the file being used but should be fixed: text shown otherwise than
    /// written (control characters).
    pub warnings: Vec<Diagnostic>,
}

const TIME_LIMIT_RANGE: std::ops::RangeInclusive<i64> = 5..=3600;

/// Parse and validate one bank file's text. Pure: `path` is only used in messages.
pub fn parse_file(path: &Path, text: &str) -> ParsedFile {
    let mut checker = Checker {
        path,
        lines: LineStarts::new(text),
        diagnostics: Vec::new(),
        unlisted: 0,
        id_lines: HashMap::new(),
        glossary: BTreeMap::new(),
        warnings: Vec::new(),
    };
    let questions = checker.file(text);
    let mut diagnostics = checker.diagnostics;
    diagnostics.sort_by_key(|d| d.line);
    if checker.unlisted > 0 {
        diagnostics.push(Diagnostic {
            file: path.to_path_buf(),
            line: diagnostics.last().map_or(1, |d| d.line),
            question_id: None,
            message: format!("{} more problems are not listed", checker.unlisted),
            fix: "fix the problems above first; is this a bank file at all?".into(),
        });
    }
    ParsedFile {
        questions,
        diagnostics,
        id_lines: checker.id_lines,
        glossary: checker.glossary,
        warnings: checker.warnings,
    }
}

/// Problems listed for one file at the most: a file of garbage can have millions, and a
/// thousand already say what is wrong.
const MAX_DIAGNOSTICS: usize = 1_000;

/// Settings a file gives all its questions.
struct FileDefaults {
    deck: String,
    category: Option<String>,
    kind: Kind,
    time_limit_s: u32,
}

struct Checker<'a> {
    path: &'a Path,
    lines: LineStarts,
    diagnostics: Vec<Diagnostic>,
    /// Problems found past [`MAX_DIAGNOSTICS`].
    unlisted: usize,
    id_lines: HashMap<String, usize>,
    glossary: BTreeMap<String, String>,
    warnings: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn diagnostic(
        &self,
        span: Range<usize>,
        id: Option<&str>,
        message: String,
        fix: &str,
    ) -> Diagnostic {
        Diagnostic {
            file: self.path.to_path_buf(),
            line: self.lines.line_of(span.start),
            question_id: id.map(str::to_owned),
            message,
            fix: fix.to_owned(),
        }
    }

    /// A problem that keeps the file from being used.
    fn report(&mut self, span: Range<usize>, id: Option<&str>, message: String, fix: &str) {
        if self.diagnostics.len() == MAX_DIAGNOSTICS {
            self.unlisted += 1;
            return;
        }
        let diagnostic = self.diagnostic(span, id, message, fix);
        self.diagnostics.push(diagnostic);
    }

    /// Something to fix that does not keep the file from being used.
    fn warn(&mut self, span: Range<usize>, id: Option<&str>, message: String, fix: &str) {
        if self.warnings.len() < MAX_DIAGNOSTICS {
            let diagnostic = self.diagnostic(span, id, message, fix);
            self.warnings.push(diagnostic);
        }
    }

    fn file(&mut self, text: &str) -> Vec<Question> {
        let (root, syntax_errors) = DeTable::parse_recoverable(text);
        if !syntax_errors.is_empty() {
            for err in syntax_errors {
                let span = err.span().unwrap_or(0..0);
                let message = format!("TOML syntax error: {}", err.message().trim());
                self.report(
                    span,
                    None,
                    message,
                    "correct the TOML at this line (strings in quotes, one key = value per line)",
                );
            }
            return Vec::new();
        }
        let root = root.get_ref();
        let mut deck = None;
        let mut category = None;
        let mut kind = Kind::default();
        let mut time_limit_s = DEFAULT_TIME_LIMIT_S;
        let mut question_tables = None;
        for (key, value) in root {
            match key.get_ref().as_ref() {
                "deck" => deck = self.non_empty_string(value, "deck", None),
                "category" => category = self.non_empty_string(value, "category", None),
                "kind" => kind = self.kind(value, None).unwrap_or(kind),
                "time_limit_s" => {
                    if let Some(limit) = self.time_limit(value, None) {
                        time_limit_s = limit;
                    }
                }
                "question" => question_tables = Some(value),
                "glossary" => {
                    let (entries, problems) = super::said::glossary_table(value);
                    self.glossary = entries;
                    for problem in problems {
                        self.report(problem.span, None, problem.message, problem.fix);
                    }
                }
                other => self.unknown_key(key.span(), other, keys::FILE, None),
            }
        }
        if !root.contains_key("deck") {
            self.report(
                0..0,
                None,
                "the file has no `deck` name".into(),
                "add a line such as `deck = \"My interview questions\"` at the top",
            );
        }
        // Questions are checked even without a deck so that every problem shows in one run.
        let defaults = FileDefaults {
            deck: deck.clone().unwrap_or_default(),
            category,
            kind,
            time_limit_s,
        };
        let questions = self.questions(question_tables, &defaults);
        if deck.is_none() {
            return Vec::new();
        }
        questions
    }

    fn questions(
        &mut self,
        tables: Option<&Spanned<DeValue<'_>>>,
        defaults: &FileDefaults,
    ) -> Vec<Question> {
        let Some(tables) = tables else {
            self.report(
                0..0,
                None,
                "the file has no questions".into(),
                "add at least one [[question]] table with id, question, answer and key_points",
            );
            return Vec::new();
        };
        let Some(items) = tables.get_ref().as_array() else {
            self.report(
                tables.span(),
                None,
                "`question` must be a list of [[question]] tables".into(),
                "write each question under its own [[question]] header",
            );
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| self.question(item, defaults))
            .collect()
    }

    fn question(
        &mut self,
        item: &Spanned<DeValue<'_>>,
        defaults: &FileDefaults,
    ) -> Option<Question> {
        let Some(table) = item.get_ref().as_table() else {
            self.report(
                item.span(),
                None,
                "a question must be a table".into(),
                "write each question under its own [[question]] header",
            );
            return None;
        };
        let id = self.question_id(table, item.span());
        let id_ref = id.as_deref();
        let mut category = defaults.category.clone();
        let mut kind = defaults.kind;
        let mut question = None;
        let mut answer = None;
        let mut key_points = None;
        let mut time_limit_s = defaults.time_limit_s;
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "id" => {}
                "category" => category = self.non_empty_string(value, "category", id_ref),
                "kind" => kind = self.kind(value, id_ref).unwrap_or(kind),
                "question" => question = self.non_empty_string(value, "question", id_ref),
                "answer" => answer = self.non_empty_string(value, "answer", id_ref),
                "key_points" => key_points = self.key_points(value, id_ref),
                "time_limit_s" => {
                    if let Some(limit) = self.time_limit(value, id_ref) {
                        time_limit_s = limit;
                    }
                }
                other => self.unknown_key(key.span(), other, keys::QUESTION, id_ref),
            }
        }
        // A behavioural question is heard as a story: it needs no reference answer to compare with.
        let technical = kind == Kind::Technical;
        for (field, required, fix) in [
            (
                "question",
                true,
                "add `question = \"...\"` with the question as asked",
            ),
            (
                "answer",
                technical,
                "add `answer = \"\"\"...\"\"\"` with a reference answer, or `kind = \"behavioral\"` for a question about a time in your past",
            ),
            (
                "key_points",
                technical,
                "add `key_points = [{ point = \"...\", aliases = [\"...\"] }]`",
            ),
        ] {
            if required && !table.contains_key(field) {
                self.report(item.span(), id_ref, format!("missing field `{field}`"), fix);
            }
        }
        if category.is_none() && !table.contains_key("category") {
            self.report(
                item.span(),
                id_ref,
                "missing field `category`".into(),
                "add `category = \"...\"` to the question, or one for the whole file at the top",
            );
        }
        Some(Question {
            id: id?,
            deck: defaults.deck.clone(),
            category: category?,
            question: question?,
            kind,
            answer: if technical {
                answer?
            } else {
                answer.unwrap_or_default()
            },
            key_points: if technical || table.contains_key("key_points") {
                key_points?
            } else {
                Vec::new()
            },
            time_limit_s,
            source: self.path.to_path_buf(),
        })
    }

    fn question_id(&mut self, table: &DeTable<'_>, table_span: Range<usize>) -> Option<String> {
        let Some(value) = table.get("id") else {
            self.report(
                table_span,
                None,
                "missing field `id`".into(),
                "add `id = \"short-kebab-case-name\"`, unique across your banks",
            );
            return None;
        };
        let id = self.non_empty_string(value, "id", None)?;
        let line = self.lines.line_of(value.span().start);
        if let Some(&first_line) = self.id_lines.get(&id) {
            self.report(
                value.span(),
                Some(&id),
                format!("duplicate id: also used at line {first_line}"),
                "give each question its own id",
            );
            return None;
        }
        self.id_lines.insert(id.clone(), line);
        if !is_kebab_case(&id) {
            self.report(
                value.span(),
                Some(&id),
                "an id must be kebab-case: lower-case letters and digits joined by single dashes"
                    .into(),
                &match to_kebab_case(&id) {
                    kebab if kebab.is_empty() => {
                        "use lower-case ASCII letters and digits, e.g. `question-1`".to_owned()
                    }
                    kebab => format!("use `{kebab}`"),
                },
            );
            return None;
        }
        Some(id)
    }

    fn key_points(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        id: Option<&str>,
    ) -> Option<Vec<KeyPoint>> {
        const FIX: &str = "list the phrases a good answer must contain: key_points = [{ point = \"...\", aliases = [\"...\"] }]";
        let Some(items) = value.get_ref().as_array() else {
            self.report(value.span(), id, "`key_points` must be a list".into(), FIX);
            return None;
        };
        if items.is_empty() {
            self.report(value.span(), id, "`key_points` is empty".into(), FIX);
            return None;
        }
        if let Some(problem) = limits::too_many_key_points(items.len()) {
            let fix = "keep the points that matter most; split a long question into several";
            self.report(value.span(), id, problem, fix);
            return None;
        }
        let mut points = Vec::new();
        let mut complete = true;
        for item in items.iter() {
            match self.key_point(item, id) {
                Some(point) => points.push(point),
                None => complete = false,
            }
        }
        complete.then_some(points)
    }

    fn key_point(&mut self, item: &Spanned<DeValue<'_>>, id: Option<&str>) -> Option<KeyPoint> {
        if item.get_ref().as_str().is_some() {
            let point = self.phrase(item, "key point", id)?;
            return Some(KeyPoint {
                point,
                aliases: Vec::new(),
                follow_up: None,
            });
        }
        let Some(table) = item.get_ref().as_table() else {
            self.report(
                item.span(),
                id,
                format!(
                    "a key point must be a string or a table, not {}",
                    item.get_ref().type_str()
                ),
                "write it as { point = \"...\", aliases = [\"...\"] }",
            );
            return None;
        };
        let mut point = None;
        let mut aliases = Vec::new();
        let mut follow_up = None;
        let mut complete = true;
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "point" => point = self.phrase(value, "point", id),
                "follow_up" => {
                    follow_up = self.follow_up(value, id);
                    complete &= follow_up.is_some();
                }
                "aliases" => match value.get_ref().as_array() {
                    Some(list) if list.len() > limits::MAX_ALIASES => {
                        let problem = limits::too_many_aliases(list.len()).unwrap_or_default();
                        let fix = "keep the phrasings people really use";
                        self.report(value.span(), id, problem, fix);
                        complete = false;
                    }
                    Some(list) => {
                        for alias in list.iter() {
                            match self.phrase(alias, "alias", id) {
                                Some(alias) => aliases.push(alias),
                                None => complete = false,
                            }
                        }
                    }
                    None => {
                        self.report(
                            value.span(),
                            id,
                            "`aliases` must be a list of strings".into(),
                            "write aliases = [\"other phrasing\", \"ACRONYM\"]",
                        );
                        complete = false;
                    }
                },
                other => {
                    self.unknown_key(key.span(), other, keys::KEY_POINT, id);
                    complete = false;
                }
            }
        }
        if !table.contains_key("point") {
            self.report(
                item.span(),
                id,
                "a key point has no `point`".into(),
                "add point = \"the phrase as the reference says it\"",
            );
        }
        let point = point?;
        complete.then_some(KeyPoint {
            point,
            aliases,
            follow_up,
        })
    }

    fn non_empty_string(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        field: &str,
        id: Option<&str>,
    ) -> Option<String> {
        match value.get_ref().as_str() {
            Some(text) if !text.trim().is_empty() => {
                let shown = neutralise(text.trim());
                if matches!(shown, Cow::Owned(_)) {
                    self.warn(
                        value.span(),
                        id,
                        format!(
                            "`{field}` holds control characters (a terminal could obey them); \
                             they are shown as symbols: {shown:?}"
                        ),
                        "remove them: a bank holds plain text",
                    );
                }
                Some(shown.into_owned())
            }
            Some(_) => {
                self.report(
                    value.span(),
                    id,
                    format!("`{field}` is empty"),
                    &format!("write the {field} between the quotes, or remove the line"),
                );
                None
            }
            None => {
                self.report(
                    value.span(),
                    id,
                    format!(
                        "`{field}` must be a string, not {}",
                        value.get_ref().type_str()
                    ),
                    &format!("put the {field} in double quotes"),
                );
                None
            }
        }
    }

    fn time_limit(&mut self, value: &Spanned<DeValue<'_>>, id: Option<&str>) -> Option<u32> {
        let seconds = value.get_ref().as_integer().and_then(|int| {
            let digits = int.as_str().replace('_', "");
            i64::from_str_radix(&digits, int.radix()).ok()
        });
        match seconds {
            Some(s) if TIME_LIMIT_RANGE.contains(&s) => u32::try_from(s).ok(),
            _ => {
                self.report(
                    value.span(),
                    id,
                    format!(
                        "`time_limit_s` must be a whole number of seconds from {} to {}",
                        TIME_LIMIT_RANGE.start(),
                        TIME_LIMIT_RANGE.end()
                    ),
                    "write e.g. time_limit_s = 90",
                );
                None
            }
        }
    }

    fn unknown_key(&mut self, span: Range<usize>, key: &str, known: &[&str], id: Option<&str>) {
        let closest = known
            .iter()
            .map(|k| (strsim::jaro_winkler(key, k), *k))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let fix = match closest {
            Some((similarity, name)) if similarity > 0.8 => format!("did you mean `{name}`?"),
            _ => format!("remove it; known fields here: {}", known.join(", ")),
        };
        self.report(span, id, format!("unknown field `{key}`"), &fix);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedFile {
        parse_file(Path::new("bank.toml"), text)
    }

    const GOOD: &str = r#"
deck = "Test deck"
category = "general"
time_limit_s = 60

[[question]]
id = "what-is-x"
question = "What is X?"
answer = "X is a thing."
key_points = [
  { point = "a thing", aliases = ["an object"], follow_up = "What kind of thing is it?" },
  "plain point",
]

[[question]]
id = "why-x"
category = "advanced"
question = "Why X?"
answer = "Because."
time_limit_s = 120
key_points = [{ point = "because" }]
"#;

    #[test]
    fn parses_a_valid_file_with_defaults_and_overrides() {
        let parsed = parse(GOOD);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        let [first, second] = parsed.questions.as_slice() else {
            panic!("expected two questions, got {}", parsed.questions.len());
        };
        assert_eq!(first.deck, "Test deck");
        assert_eq!(first.category, "general");
        assert_eq!(first.time_limit_s, 60);
        assert_eq!(first.key_points[0].aliases, vec!["an object"]);
        assert_eq!(
            first.key_points[0].follow_up.as_deref(),
            Some("What kind of thing is it?")
        );
        assert_eq!(first.key_points[1].point, "plain point");
        assert_eq!(first.key_points[1].follow_up, None);
        assert_eq!(second.category, "advanced");
        assert_eq!(second.time_limit_s, 120);
    }

    #[test]
    fn a_follow_up_must_be_one_short_question_in_words() {
        let long = "why ".repeat(30);
        for follow_up in ["\"\"".to_owned(), "3".to_owned(), format!("\"{long}\"")] {
            let text = format!(
                "deck = \"D\"\ncategory = \"c\"\n[[question]]\nid = \"q\"\nquestion = \"Q?\"\nanswer = \"A.\"\n\
                 key_points = [{{ point = \"p\", follow_up = {follow_up} }}]\n"
            );
            let parsed = parse(&text);
            assert!(parsed.questions.is_empty(), "{follow_up}");
            let [problem] = parsed.diagnostics.as_slice() else {
                panic!("{:?}", parsed.diagnostics);
            };
            assert!(problem.message.contains("follow_up"), "{problem:?}");
            assert_eq!(problem.line, 7, "{problem:?}");
        }
    }

    #[test]
    fn reports_every_problem_with_its_line_and_id() {
        let text = r#"deck = "D"
colour = "red"

[[question]]
id = "first"
question = ""
answer = "A"
key_points = []

[[question]]
id = "second"
question = "Q?"
answr = "typo"
key_points = [{ point = "p", alias = ["x"] }]
"#;
        let parsed = parse(text);
        let lines: Vec<(usize, Option<&str>, &str)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.line, d.question_id.as_deref(), d.message.as_str()))
            .collect();
        assert!(
            lines.contains(&(2, None, "unknown field `colour`")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(6, Some("first"), "`question` is empty")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(8, Some("first"), "`key_points` is empty")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(13, Some("second"), "unknown field `answr`")),
            "{lines:?}"
        );
        assert!(
            lines.contains(&(14, Some("second"), "unknown field `alias`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(_, id, m)| *id == Some("second") && *m == "missing field `answer`")
        );
        assert!(
            lines.iter().any(|(_, _, m)| m.contains("category")),
            "no category anywhere: {lines:?}"
        );
        let answr = parsed
            .diagnostics
            .iter()
            .find(|d| d.message.contains("answr"));
        assert_eq!(
            answr.map(|d| d.fix.as_str()),
            Some("did you mean `answer`?")
        );
        assert!(parsed.questions.is_empty());
    }

    #[test]
    fn duplicate_ids_in_one_file_are_errors() {
        let text = format!(
            "{GOOD}\n[[question]]\nid = \"why-x\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\n"
        );
        let parsed = parse(&text);
        assert_eq!(parsed.questions.len(), 2);
        let [dup] = parsed.diagnostics.as_slice() else {
            panic!("{:?}", parsed.diagnostics);
        };
        assert_eq!(dup.question_id.as_deref(), Some("why-x"));
        assert!(
            dup.message.contains("duplicate id: also used at line 16"),
            "{}",
            dup.message
        );
    }

    #[test]
    fn empty_and_malformed_files_are_errors_not_panics() {
        assert_eq!(parse("").diagnostics.len(), 2, "no deck, no questions");
        let syntax = parse("deck = \"D\"\n[[question]\nid = 3");
        assert!(
            syntax.diagnostics[0]
                .message
                .starts_with("TOML syntax error")
        );
        assert_eq!(syntax.diagnostics[0].line, 2);
        let wrong_types = parse("deck = 5\nquestion = \"x\"\n");
        assert_eq!(
            wrong_types.diagnostics.len(),
            2,
            "{:?}",
            wrong_types.diagnostics
        );
    }

    #[test]
    fn ids_must_be_kebab_case_and_limits_in_range() {
        let text = "deck = \"D\"\ncategory = \"c\"\n[[question]]\nid = \"Bad Id\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\ntime_limit_s = 0\n";
        let parsed = parse(text);
        let messages: Vec<&str> = parsed.diagnostics.iter().map(|d| d.fix.as_str()).collect();
        assert!(messages.contains(&"use `bad-id`"), "{messages:?}");
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.message.contains("time_limit_s"))
        );
    }

    #[test]
    fn line_starts_agree_with_counting_newlines() {
        let text = "a\nbc\n\nd";
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 2 {
            let counted = text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            assert_eq!(lines.line_of(offset), counted, "offset {offset}");
        }
    }

    #[test]
    fn a_file_of_garbage_lists_a_thousand_problems_and_counts_the_rest() {
        let text = "deck = \"D\"\n".to_owned() + &"a = 1\n".repeat(3_000);
        let parsed = parse(&text);
        assert_eq!(parsed.diagnostics.len(), MAX_DIAGNOSTICS + 1);
        let last = parsed.diagnostics.last().map(|d| d.message.as_str());
        assert_eq!(last, Some("1999 more problems are not listed"));
    }

    #[test]
    fn ids_in_other_scripts_get_a_fix_that_can_be_typed() {
        let text = "deck = \"D\"\ncategory = \"c\"\n[[question]]\nid = \"日本語\"\nquestion = \"¿Qué?\"\nanswer = \"Sí — claro.\"\nkey_points = [\"claro\"]\n";
        let parsed = parse(text);
        let fixes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.fix.as_str()).collect();
        assert_eq!(
            fixes,
            ["use lower-case ASCII letters and digits, e.g. `question-1`"]
        );
        let accented = parse(&text.replace("日本語", "qué-es"));
        assert_eq!(accented.diagnostics[0].fix, "use `qu-es`");
    }

    #[test]
    fn behavioural_questions_need_no_reference_and_keep_the_beats_they_list() {
        let text = r#"
deck = "Stories"
category = "behavioral"
kind = "behavioral"

[[question]]
id = "conflict"
question = "Tell me about a time you disagreed with a colleague."

[[question]]
id = "my-outage"
question = "Tell me about an incident you handled."
key_points = ["the payments outage", { point = "paged the on-call", aliases = ["woke up the on-call"] }]

[[question]]
id = "what-is-x"
kind = "technical"
question = "What is X?"
"#;
        let parsed = parse(text);
        let [conflict, outage] = parsed.questions.as_slice() else {
            panic!("{:?}", parsed.questions);
        };
        assert_eq!(conflict.kind, Kind::Behavioral);
        assert!(conflict.answer.is_empty() && conflict.key_points.is_empty());
        assert_eq!(outage.key_points[1].aliases, ["woke up the on-call"]);
        let missing: Vec<(&str, &str)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.question_id.as_deref().unwrap_or(""), d.message.as_str()))
            .collect();
        assert_eq!(
            missing,
            [
                ("what-is-x", "missing field `answer`"),
                ("what-is-x", "missing field `key_points`")
            ]
        );
    }

    #[test]
    fn a_kind_is_one_of_two_and_the_british_spelling_is_the_same() {
        let question = |kind: &str| {
            format!(
                "deck = \"D\"\ncategory = \"c\"\n[[question]]\nid = \"q\"\nkind = \"{kind}\"\nquestion = \"Q?\"\nanswer = \"A\"\nkey_points = [\"p\"]\n"
            )
        };
        assert_eq!(
            parse(&question("behavioural")).questions[0].kind,
            Kind::Behavioral
        );
        assert_eq!(
            parse(&question("technical")).questions[0].kind,
            Kind::Technical
        );
        let wrong = parse(&question("story"));
        assert_eq!(wrong.diagnostics[0].line, 5);
        assert!(wrong.diagnostics[0].message.contains("`kind` must be"));
        assert!(wrong.diagnostics[0].fix.contains("kind = \"behavioral\""));
        assert_eq!(
            parse(GOOD).questions[0].kind,
            Kind::Technical,
            "the default"
        );
    }

    #[test]
    fn kebab_case_rules() {
        assert!(is_kebab_case("ecs-vs-lambda"));
        assert!(is_kebab_case("q1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "é"] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
        assert_eq!(
            to_kebab_case("  How is ECS different?? "),
            "how-is-ecs-different"
        );
    }

    #[test]
    fn a_glossary_table_says_how_terms_are_said_and_its_mistakes_are_located() {
        let good = format!("{GOOD}\n[glossary]\nEC2 = \"E C two\"\nHIPAA = \"hippa\"\n");
        let file = parse(&good);
        assert!(file.diagnostics.is_empty(), "{:?}", file.diagnostics);
        assert_eq!(
            file.glossary.get("EC2").map(String::as_str),
            Some("E C two")
        );
        assert_eq!(file.glossary.len(), 2);
        let bad =
            format!("{GOOD}\n[glossary]\nEC2 = 2\n\"Elastic Beanstalk\" = \"x\"\nS3 = \" \"\n");
        let file = parse(&bad);
        let lines: Vec<(usize, &str)> = file
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (24, "how `EC2` is said must be a string, not integer"),
                (25, "glossary term `Elastic Beanstalk` must be one word"),
                (26, "how `S3` is said is empty"),
            ]
        );
        assert!(file.glossary.is_empty());
    }
}
