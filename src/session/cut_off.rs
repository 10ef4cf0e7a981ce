//! Recordings of answers that were cut off before they were scored (Ctrl-C answered "no", or
//! the process killed mid-answer). A spoken answer is recorded straight into its session's
//! folder under a name of its own; once scored, the session renames it to the answer's. A file
//! that still carries the recording name belongs to no answer: it is the session's cut-off
//! recording, shown by `review` and removed with the session by `history delete`.

use std::path::Path;

use chrono::{DateTime, Local};

const PREFIX: &str = "recording-";
const SUFFIX: &str = ".wav";

/// The name a spoken answer to `question_id` is recorded under while it is made.
pub fn file_name(question_id: &str, at: DateTime<Local>) -> String {
    format!("{PREFIX}{}-{question_id}{SUFFIX}", at.format("%H%M%S"))
}

/// The question a recording name was made for; `None` when it is not one of these names.
pub fn question_id(file: &str) -> Option<&str> {
    let rest = file.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (clock, id) = rest.split_once('-')?;
    (clock.len() == 6 && clock.bytes().all(|b| b.is_ascii_digit()) && !id.is_empty()).then_some(id)
}

/// The cut-off recordings in a session folder, by name, in the order they were made.
pub fn find(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| question_id(name).is_some())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_recording_name_gives_back_its_question_whatever_its_dashes() {
        let at = Local
            .with_ymd_and_hms(2026, 12, 7, 9, 5, 3)
            .single()
            .unwrap_or_default();
        let name = file_name("ecs-vs-eks", at);
        assert_eq!(name, "recording-090503-ecs-vs-eks.wav");
        assert_eq!(question_id(&name), Some("ecs-vs-eks"));
    }

    #[test]
    fn an_answers_own_recording_and_other_files_are_not_cut_off() {
        for name in [
            "01-what-is-ecs.wav",
            "recording-0905-ecs.wav",
            "recording-090503-.wav",
            "recording-090503-ecs.wav.part",
            "session.json",
        ] {
            assert_eq!(question_id(name), None, "{name}");
        }
    }

    #[test]
    fn only_cut_off_recordings_are_found_in_order() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        for name in [
            "recording-101500-b.wav",
            "01-a.wav",
            "recording-091500-a.wav",
            "session.json",
        ] {
            std::fs::write(dir.path().join(name), b"")?;
        }
        std::fs::create_dir(dir.path().join("recording-111500-c.wav"))?;
        assert_eq!(
            find(dir.path()),
            ["recording-091500-a.wav", "recording-101500-b.wav"]
        );
        assert!(find(&dir.path().join("gone")).is_empty());
        Ok(())
    }
}
