//! The bundled question bank, built into the binary: rehearse needs no files beside it, wherever
//! it is installed or copied to.

use std::path::{Path, PathBuf};

/// The name the bundled files go by in messages (`<bundled>/ecs-general.toml`) and in saved
/// sessions.
pub const FOLDER: &str = "<bundled>";

/// Each file of the project's `questions/` folder: its name and its text.
const FILES: &[(&str, &str)] = &[
    (
        "behavioral.toml",
        include_str!("../../questions/behavioral.toml"),
    ),
    (
        "ecs-general.toml",
        include_str!("../../questions/ecs-general.toml"),
    ),
    (
        "ecs-security.toml",
        include_str!("../../questions/ecs-security.toml"),
    ),
    ("ecs-sla.toml", include_str!("../../questions/ecs-sla.toml")),
];

/// The bundled files as the loader reads them: a path that names them, and their text.
pub fn files() -> impl Iterator<Item = (PathBuf, &'static str)> {
    FILES
        .iter()
        .map(|(name, text)| (Path::new(FOLDER).join(name), *text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_questions_folder_is_built_in() -> anyhow::Result<()> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("questions");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "toml") {
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                on_disk.push((name.unwrap_or_default(), std::fs::read_to_string(&path)?));
            }
        }
        on_disk.sort();
        let built_in: Vec<(String, String)> = FILES
            .iter()
            .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
            .collect();
        assert_eq!(
            built_in, on_disk,
            "questions/ and the files built in differ: list every questions/*.toml in FILES"
        );
        Ok(())
    }

    #[test]
    fn every_bundled_key_point_carries_a_follow_up_an_interviewer_would_ask() -> anyhow::Result<()>
    {
        let loaded = crate::bank::load(&[crate::bank::BankLocation::bundled()])?;
        let mut points = 0;
        for question in &loaded.bank.questions {
            for point in &question.key_points {
                let Some(follow_up) = point.follow_up.as_deref() else {
                    panic!("{}: \"{}\" has no follow_up", question.id, point.point);
                };
                assert!(follow_up.ends_with('?'), "{follow_up}");
                assert_eq!(
                    follow_up.matches('?').count(),
                    1,
                    "one question: {follow_up}"
                );
                assert!(!follow_up.contains("mention"), "{follow_up}");
                points += 1;
            }
        }
        assert!(points >= 120, "{points}");
        Ok(())
    }
}
