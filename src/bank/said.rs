//! A deck's `[glossary]` table: how its terms are said (`EC2 = "E C two"`), for the voice that
//! reads them and the ears that listen for them (see [`crate::glossary`]).

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::DeValue;

/// A problem in the table: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    pub span: Range<usize>,
    pub message: String,
    pub fix: &'static str,
}

/// The table's entries that are sound, and the problems of the others.
pub fn glossary_table(
    value: &Spanned<DeValue<'_>>,
) -> (BTreeMap<String, String>, Vec<TableProblem>) {
    let mut entries = BTreeMap::new();
    let mut problems = Vec::new();
    let Some(table) = value.get_ref().as_table() else {
        problems.push(TableProblem {
            span: value.span(),
            message: "`glossary` must be a table of terms and how they are said".into(),
            fix: "write it as a [glossary] table with lines such as EC2 = \"E C two\"",
        });
        return (entries, problems);
    };
    for (key, said) in table {
        let term = key.get_ref().trim();
        if term.is_empty() || term.chars().any(char::is_whitespace) {
            problems.push(TableProblem {
                span: key.span(),
                message: format!("glossary term `{term}` must be one word"),
                fix: "name one written word (\"EC2\", \"DynamoDB\"); write phrases word by word",
            });
            continue;
        }
        match said.get_ref().as_str().map(str::trim) {
            Some(text) if text.chars().any(char::is_alphabetic) => {
                entries.insert(term.to_owned(), text.to_owned());
            }
            Some(_) => problems.push(TableProblem {
                span: said.span(),
                message: format!("how `{term}` is said is empty"),
                fix: "write it in words as it is spoken, e.g. EC2 = \"E C two\"",
            }),
            None => problems.push(TableProblem {
                span: said.span(),
                message: format!(
                    "how `{term}` is said must be a string, not {}",
                    said.get_ref().type_str()
                ),
                fix: "put how it is said in double quotes, e.g. EC2 = \"E C two\"",
            }),
        }
    }
    (entries, problems)
}
