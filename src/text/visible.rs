//! Text from outside (bank files, session files, transcripts) made safe to show on a terminal:
//! a control character, the escape above all, could otherwise set the window title, clear the
//! screen, hide a link (OSC 8) or fill the clipboard (OSC 52). Each one is replaced by a visible
//! stand-in, so nothing is silently lost and the author can see what to fix. Line breaks and
//! tabs stay: they are layout, not commands.

use std::borrow::Cow;

/// Whether `c` is a control character a terminal could act on (C0 but line feed and tab, DEL,
/// C1).
pub fn is_terminal_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every terminal control character shown visibly: a C0 character as its Unicode
/// control picture (ESC as ␛), DEL as ␡, a C1 character as the replacement character.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_terminal_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if !is_terminal_control(c) => c,
                '\u{7f}' => '\u{2421}',
                c if u32::from(c) < 0x20 => {
                    char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}')
                }
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

/// Every string inside a JSON value neutralised, keys included.
pub fn neutralise_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if let Cow::Owned(shown) = neutralise(text) {
                *text = shown;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(neutralise_json),
        Value::Object(map) => {
            let keys_ok = map.keys().all(|k| !k.chars().any(is_terminal_control));
            if !keys_ok {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (neutralise(&k).into_owned(), v))
                    .collect();
            }
            map.values_mut().for_each(neutralise_json);
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_other_controls_are_shown_not_obeyed() {
        let hostile = "Title\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{9b}31m\u{7f} ok\n\tnext";
        let shown = neutralise(hostile);
        assert_eq!(shown, "Title␛]0;pwned␇␛[2J␍\u{fffd}31m␡ ok\n\tnext");
        assert!(!shown.chars().any(is_terminal_control));
        assert!(matches!(neutralise("plain, café ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_string_of_a_json_document_is_neutralised() {
        let mut doc = serde_json::json!({"a\u{1b}": ["x\u{1b}[2J", 1, {"b": "\u{7}"}], "c": null});
        neutralise_json(&mut doc);
        assert_eq!(
            doc,
            serde_json::json!({"a␛": ["x␛[2J", 1, {"b": "␇"}], "c": null})
        );
    }
}
