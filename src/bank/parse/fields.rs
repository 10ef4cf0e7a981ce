//! The checks of single fields whose rules come from other rooms: a key point's or alias's
//! length (`bank::limits`) and a question's `kind`. Kept apart so `parse.rs` stays the reader.

use toml::Spanned;
use toml::de::DeValue;

use super::Checker;
use crate::bank::{Kind, limits};

impl Checker<'_> {
    /// A key point or an alias: a non-empty string within the phrase limits.
    pub(super) fn phrase(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        field: &str,
        id: Option<&str>,
    ) -> Option<String> {
        let text = self.non_empty_string(value, field, id)?;
        if let Some(problem) = limits::phrase_too_long(field, &text) {
            let fix = "give the few words an answer must say; the reference answer holds the rest";
            self.report(value.span(), id, problem, fix);
            return None;
        }
        Some(text)
    }

    /// A key point's `follow_up`: the question an interviewer asks when the point is missed,
    /// as short as a phrase.
    pub(super) fn follow_up(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        id: Option<&str>,
    ) -> Option<String> {
        let text = self.non_empty_string(value, "follow_up", id)?;
        if let Some(problem) = limits::phrase_too_long("follow_up", &text) {
            let fix = "ask one short question, as an interviewer would say it";
            self.report(value.span(), id, problem, fix);
            return None;
        }
        Some(text)
    }

    /// `kind = "technical" | "behavioral"` (the British spelling is the same kind).
    pub(super) fn kind(&mut self, value: &Spanned<DeValue<'_>>, id: Option<&str>) -> Option<Kind> {
        match value.get_ref().as_str().map(str::trim) {
            Some("technical") => Some(Kind::Technical),
            Some("behavioral" | "behavioural") => Some(Kind::Behavioral),
            _ => {
                self.report(
                    value.span(),
                    id,
                    "`kind` must be \"technical\" or \"behavioral\"".into(),
                    "write kind = \"behavioral\" for a question about a time in your past (\"Tell me about a time...\"), or leave it out for a technical one",
                );
                None
            }
        }
    }
}
