//! A bank written to hurt its user: escape sequences meant for the terminal, key points long
//! enough to stall scoring, and files in the bank folder that are no files (a FIFO, a link to
//! `/dev/zero`, a huge file). Each is shown harmlessly, refused with its file and line, or
//! skipped and named once.

use std::path::Path;
use std::time::Duration;

use predicates::prelude::*;
use predicates::str::contains;

use crate::TestResult;
use crate::cli::rehearse;

/// A bank whose deck, category, question, answer, key point and alias carry terminal
/// commands: set the window title, clear the screen, a hidden link, fill the clipboard.
const HOSTILE: &str = r#"deck = "Deck\u001b]0;pwned\u0007"
category = "cat\u001b[2J"

[[question]]
id = "hostile"
question = "What is \u001b]8;;https://evil.example\u001b\\ECS\u001b]8;;\u001b\\?"
answer = "A container orchestrator.\u001b]52;c;cm0gLXJmIH4=\u0007"
key_points = [{ point = "container \u009b2J orchestrator", aliases = ["orchestrator\u0007"] }]
"#;

/// What no output may carry: the start of an operating-system command (title, link,
/// clipboard), a screen clear, a C1 control sequence introducer.
fn assert_harmless(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    for bad in ["\u{1b}]", "\u{1b}[2J", "\u{9b}", "\u{7}"] {
        assert!(!text.contains(bad), "{what} carries {bad:?}: {text:?}");
    }
}

fn write_bank(dir: &Path, name: &str, text: &str) -> anyhow::Result<std::path::PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    Ok(path)
}

#[test]
fn escape_sequences_in_a_bank_never_reach_a_colour_terminal() -> TestResult {
    let home = tempfile::tempdir()?;
    let bank = write_bank(home.path(), "hostile.toml", HOSTILE)?;
    // Each command, and whether it shows the bank's text (a score report shows the answer's).
    let commands: &[(&[&str], bool)] = &[
        (&["questions"], true),
        (&["questions", "--json"], true),
        (&["show", "hostile", "--answer"], true),
        (
            &[
                "practice",
                "hostile",
                "--no-save",
                "--text",
                "a container orchestrator",
            ],
            true,
        ),
        (&["score", "hostile", "--text", "an orchestrator"], false),
        (&["round", "-n", "1", "--type", "--no-save"], true),
    ];
    for &(args, shows_the_bank) in commands {
        let out = rehearse(home.path())
            .env("CLICOLOR_FORCE", "1")
            .arg("--bank")
            .arg(&bank)
            .args(args)
            .write_stdin("a container orchestrator\n\n")
            .timeout(Duration::from_secs(60))
            .output()?;
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert_harmless(&out.stdout, &format!("{args:?} stdout"));
        assert_harmless(&out.stderr, &format!("{args:?} stderr"));
        assert!(
            !shows_the_bank || String::from_utf8_lossy(&out.stdout).contains('␛'),
            "{args:?}: the escapes are shown as symbols"
        );
    }
    Ok(())
}

#[test]
fn bank_check_warns_about_control_characters_with_their_lines() -> TestResult {
    let home = tempfile::tempdir()?;
    let bank = write_bank(home.path(), "hostile.toml", HOSTILE)?;
    let out = rehearse(home.path())
        .env("CLICOLOR_FORCE", "1")
        .args(["bank", "check"])
        .arg(&bank)
        .output()?;
    assert!(out.status.success(), "{out:?}");
    assert_harmless(&out.stdout, "bank check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [1, 2, 6, 7, 8] {
        assert!(
            stdout.contains(&format!("hostile.toml:{line}: "))
                && stdout.contains("control characters"),
            "line {line}: {stdout}"
        );
    }
    Ok(())
}

#[test]
fn bank_import_escapes_control_characters_so_its_toml_is_valid() -> TestResult {
    let home = tempfile::tempdir()?;
    let markdown = home.path().join("notes.md");
    std::fs::write(
        &markdown,
        "# Deck\n\n## What is \u{1b}[2JECS?\n\nA container orchestrator \u{1b}]52;c;cm0=\u{7} \
         that runs\u{8} containers.\n",
    )?;
    let out = home.path().join("imported.toml");
    rehearse(home.path())
        .args(["bank", "import"])
        .arg(&markdown)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let toml = std::fs::read_to_string(&out)?;
    assert!(!toml.contains('\u{1b}'), "{toml}");
    let checked = rehearse(home.path())
        .args(["bank", "check"])
        .arg(&out)
        .output()?;
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{stdout}");
    assert!(stdout.contains("control characters"), "{stdout}");
    assert_harmless(&checked.stdout, "bank check of the import");
    Ok(())
}

#[test]
fn over_long_key_points_and_aliases_fail_with_file_and_line() -> TestResult {
    let home = tempfile::tempdir()?;
    let long_point = vec!["cache"; 200].join(" ");
    let aliases: Vec<String> = (0..200)
        .map(|i| format!("\"{}\"", vec![format!("word{i}"); 50].join(" ")))
        .collect();
    let points: Vec<String> = (0..40).map(|i| format!("\"point {i}\"")).collect();
    let bank = write_bank(
        home.path(),
        "long.toml",
        &format!(
            "deck = \"D\"\ncategory = \"c\"\n\n[[question]]\nid = \"long-point\"\nquestion = \"Q?\"\n\
             answer = \"A.\"\nkey_points = [\"{long_point}\"]\n\n[[question]]\nid = \"many-aliases\"\n\
             question = \"Q?\"\nanswer = \"A.\"\nkey_points = [{{ point = \"p\", aliases = [{}] }}]\n\n\
             [[question]]\nid = \"many-points\"\nquestion = \"Q?\"\nanswer = \"A.\"\nkey_points = [{}]\n",
            aliases.join(", "),
            points.join(", ")
        ),
    )?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&bank)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stdout(
            contains("long.toml:8: question `long-point`: the key point is 200 words")
                .and(contains(
                    "long.toml:14: question `many-aliases`: 200 aliases",
                ))
                .and(contains(
                    "long.toml:20: question `many-points`: 40 key points",
                )),
        );
    rehearse(home.path())
        .arg("--bank")
        .arg(&bank)
        .args(["score", "long-point", "--text", "cache"])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(contains("long.toml:8"));
    Ok(())
}

#[test]
fn a_fifo_a_link_to_dev_zero_and_a_huge_file_are_skipped_and_named_once() -> TestResult {
    let home = tempfile::tempdir()?;
    let user = home.path().join("config/rehearse/questions");
    std::fs::create_dir_all(&user)?;
    std::fs::copy(
        crate::repo_path("tests/fixtures/banks/small.toml"),
        user.join("good.toml"),
    )?;
    let made = std::process::Command::new("mkfifo")
        .arg(user.join("fifo.toml"))
        .status()?;
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", user.join("zero.toml"))?;
    std::fs::File::create(user.join("huge.toml"))?.set_len(100_000_000)?;
    let out = rehearse(home.path())
        .args(["questions", "--json"])
        .timeout(Duration::from_secs(20))
        .output()?;
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for name in ["fifo.toml", "zero.toml", "huge.toml"] {
        let skipped = format!("skipped your bank {}", user.join(name).display());
        assert_eq!(stderr.matches(&skipped).count(), 1, "{name}: {stderr}");
    }
    assert!(
        stderr.contains("not a regular file") && stderr.contains("100.0 MB"),
        "{stderr}"
    );
    Ok(())
}
