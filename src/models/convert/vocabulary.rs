//! The model's vocabulary: GPT-2 byte-level BPE tokens, spelled in GPT-2's printable alphabet.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, anyhow};

/// GPT-2's byte-level BPE tokens plus `<|endoftext|>`; whisper.cpp derives the special tokens
/// after these itself.
pub(super) const N_TEXT_TOKENS: usize = 50_257;

/// The tokens of `vocabulary.txt` (one a line) or `vocabulary.json` (a list of strings), as
/// bytes.
pub(super) fn read(path: &Path) -> Result<Vec<Vec<u8>>> {
    let text = fs::read_to_string(path)?;
    let tokens: Vec<String> = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).context("the vocabulary is not a JSON list of strings")?
    } else {
        // CTranslate2 reads lines, so a final newline ends the last token rather than adding one.
        let body = text.strip_suffix('\n').unwrap_or(&text);
        body.split('\n').map(str::to_owned).collect()
    };
    tokens
        .iter()
        .enumerate()
        .map(|(id, t)| {
            gpt2_token_bytes(t)
                .ok_or_else(|| anyhow!("token {id} {t:?} is not in GPT-2's byte alphabet"))
        })
        .collect()
}

/// GPT-2 spells bytes as printable characters: the 188 printable Latin-1 bytes stand for
/// themselves and the other 68 bytes are shifted, in order, to U+0100..U+0143.
fn gpt2_token_bytes(token: &str) -> Option<Vec<u8>> {
    token
        .chars()
        .map(|c| match c as u32 {
            b @ (0x21..=0x7e | 0xa1..=0xac | 0xae..=0xff) => Some(b as u8),
            n @ 0x100..=0x143 => Some(match n - 0x100 {
                k @ 0..=32 => k as u8,
                k @ 33..=66 => (k - 33 + 0x7f) as u8,
                _ => 0xad,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gpt2_byte_alphabet() {
        assert_eq!(gpt2_token_bytes("Ġhello").unwrap(), b" hello");
        assert_eq!(gpt2_token_bytes("Ċ").unwrap(), b"\n");
        assert_eq!(gpt2_token_bytes("\u{100}").unwrap(), [0]);
        assert_eq!(
            gpt2_token_bytes("\u{121}\u{142}\u{143}").unwrap(),
            [0x7f, 0xa0, 0xad]
        );
        assert_eq!(gpt2_token_bytes("Ã©").unwrap(), "é".as_bytes());
        assert_eq!(gpt2_token_bytes("<|endoftext|>").unwrap(), b"<|endoftext|>");
        assert!(gpt2_token_bytes(" ").is_none());
        assert!(gpt2_token_bytes("\u{144}").is_none());
        // All 256 bytes are reachable and distinct.
        let mut seen = [false; 256];
        for c in (0x21..=0x143).filter_map(char::from_u32) {
            if let Some(b) = gpt2_token_bytes(&c.to_string()) {
                assert!(!seen[b[0] as usize]);
                seen[b[0] as usize] = true;
            }
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn vocabulary_files() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let write = |name: &str, text: &str| -> Result<std::path::PathBuf> {
            let path = dir.path().join(name);
            fs::write(&path, text)?;
            Ok(path)
        };
        let txt = write("vocabulary.txt", "a\n\nĠb\n")?;
        assert_eq!(read(&txt)?, [b"a".to_vec(), vec![], b" b".to_vec()]);
        let json = write(
            "vocabulary.json",
            r#" [ "a", "", "\u0120b", "\u00c3\u00a9", "\ud83d\ude00" ] "#,
        )?;
        assert_eq!(
            read(&json).map_err(|e| e.to_string()),
            Err("token 4 \"😀\" is not in GPT-2's byte alphabet".to_owned())
        );
        let json = write("vocabulary.json", r#"["a","","\u0120b","\u00c3\u00a9"]"#)?;
        assert_eq!(
            read(&json)?,
            [
                b"a".to_vec(),
                vec![],
                b" b".to_vec(),
                "é".as_bytes().to_vec()
            ]
        );
        assert!(read(&write("vocabulary.json", "[]")?)?.is_empty());
        for bad in [
            "",
            "[",
            "[\"a\"",
            "[\"a\",]",
            "[1]",
            "[\"a\"] x",
            "[\"\\ud800\"]",
            "[\"\\x\"]",
            "[\"\\u12\"]",
        ] {
            let path = write("vocabulary.json", bad)?;
            let err = read(&path).err().map(|e| format!("{e:#}"));
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.starts_with("the vocabulary is not a JSON list")),
                "{bad:?}: {err:?}"
            );
        }
        Ok(())
    }
}
