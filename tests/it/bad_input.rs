//! Every bad input we could think of, each giving the problem and its fix in one run, with the
//! right exit code and no panic: broken banks and transcripts, duplicate ids, empty, huge,
//! binary and non-UTF-8 files, unicode, folders where files belong, unreadable files (duplicate
//! ids in a folder named with --bank: `cli::duplicate_ids_across_files_are_reported`).

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

use crate::cli::{in_clean_env, rehearse};
use crate::{TestResult, repo_path};

fn fixture(name: &str) -> std::path::PathBuf {
    repo_path("tests/fixtures/banks").join(name)
}

/// A file with these bytes in a fresh folder of `home`.
fn write(home: &Path, name: &str, bytes: impl AsRef<[u8]>) -> anyhow::Result<std::path::PathBuf> {
    let path = home.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes)?;
    Ok(path)
}

#[test]
fn a_broken_bank_named_with_bank_shows_its_problems_and_exits_1() -> TestResult {
    let home = tempfile::tempdir()?;
    let garbage = write(
        home.path(),
        "garbage.toml",
        "deck = \"x\"\n[[question]\nid = ",
    )?;
    for command in [
        &["questions"][..],
        &["show", "x"],
        &["score", "x", "--text", "t"],
    ] {
        rehearse(home.path())
            .arg("--bank")
            .arg(&garbage)
            .args(command)
            .assert()
            .code(1)
            .stdout("")
            .stderr(
                contains("garbage.toml:2: TOML syntax error")
                    .and(contains("fix: correct the TOML at this line"))
                    .and(contains("rehearse bank check"))
                    .and(contains("no usable questions").not())
                    .and(contains("skipped").not()),
            );
    }
    rehearse(home.path())
        .arg("--bank")
        .arg(fixture("broken.toml"))
        .arg("questions")
        .assert()
        .code(1)
        .stderr(
            contains("cannot be used (5 problems)")
                .and(contains(
                    "broken.toml:4: question `first`: missing field `answer`",
                ))
                .and(contains(
                    "broken.toml:7: question `first`: unknown field `answr`",
                ))
                .and(contains("fix: did you mean `answer`?"))
                .and(contains("broken.toml:11: question `Second Question`")),
        );
    Ok(())
}

#[test]
fn a_broken_file_of_your_own_is_skipped_and_its_questions_say_why() -> TestResult {
    let home = tempfile::tempdir()?;
    let user = home.path().join("config/rehearse/questions");
    // A question of the bundled bank again, beside one of the user's own.
    let clash = "deck = \"Mine\"\ncategory = \"c\"\n\n[[question]]\nid = \"what-is-ecs\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\n\n[[question]]\nid = \"my-own\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\n";
    write(&user, "mine.toml", clash)?;
    rehearse(home.path())
        .args(["show", "what-is-ecs"])
        .assert()
        .success()
        .stdout(contains("What is Amazon Elastic Container Service?"))
        .stderr(
            contains("skipped your bank")
                .and(contains(
                    "mine.toml:5: question `what-is-ecs`: duplicate id",
                ))
                .and(contains("<bundled>/ecs-general.toml:11")),
        );
    rehearse(home.path())
        .args(["show", "my-own"])
        .assert()
        .code(1)
        .stderr(
            contains("question `my-own` is in")
                .and(contains("mine.toml, which is skipped"))
                .and(contains("duplicate id")),
        );
    Ok(())
}

#[test]
fn broken_and_huge_transcripts_say_what_is_wrong() -> TestResult {
    let home = tempfile::tempdir()?;
    let score = |transcript: &Path| {
        let mut cmd = rehearse(home.path());
        cmd.args(["score", "what-is-ecs", "--transcript"])
            .arg(transcript);
        cmd
    };
    let cut = write(home.path(), "cut.json", "{\"text\": \"ECS is\",\n")?;
    score(&cut).assert().code(1).stderr(
        contains("cut.json looks like JSON but is not a transcript")
            .and(contains("line 2 column"))
            .and(contains("`rehearse transcribe --json`")),
    );
    let wrong = write(home.path(), "wrong.json", "{\"text\": 5}")?;
    score(&wrong)
        .assert()
        .code(1)
        .stderr(contains("invalid type"));
    let empty = write(home.path(), "empty.txt", "")?;
    score(&empty)
        .assert()
        .success()
        .stdout(contains("Score 0/100"));
    let huge = write(home.path(), "huge.txt", "containers ".repeat(200_000))?;
    score(&huge).assert().code(1).stderr(
        contains("huge.txt is 2.2 MB, too large for the transcript of an answer")
            .and(contains("Give the transcript of one answer")),
    );
    score(home.path())
        .assert()
        .code(1)
        .stderr(contains("it is a folder, not a file"));
    let program = std::fs::read(env!("CARGO_BIN_EXE_rehearse"))?;
    let binary = write(home.path(), "binary.txt", &program[..65_536])?;
    score(&binary)
        .assert()
        .code(1)
        .stderr(contains("binary.txt: it is a binary file, not text"));
    let latin1 = write(home.path(), "latin1.txt", b"one\ntwo caf\xe9\n")?;
    score(&latin1)
        .assert()
        .code(1)
        .stderr(contains("not UTF-8 text (an invalid byte on line 2)").and(contains("iconv")));
    Ok(())
}

#[test]
fn empty_huge_binary_and_non_utf8_bank_files() -> TestResult {
    let home = tempfile::tempdir()?;
    let check = |bank: &Path| {
        let mut cmd = rehearse(home.path());
        cmd.args(["bank", "check"]).arg(bank);
        cmd
    };
    let empty = write(home.path(), "empty.toml", "")?;
    check(&empty).assert().code(1).stdout(
        contains("empty.toml:1: the file has no `deck` name")
            .and(contains("empty.toml:1: the file has no questions")),
    );
    // 20 MB on one line: one syntax error, found quickly.
    let huge = write(home.path(), "huge.toml", "x".repeat(20_000_000))?;
    check(&huge)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stdout(contains("huge.toml:1: TOML syntax error").and(contains("1 problem:")));
    // A problem on every line: a thousand are listed, the rest counted.
    let noisy = write(
        home.path(),
        "noisy.toml",
        "deck = \"d\"\n".to_owned() + &"a = 1\n".repeat(5_000),
    )?;
    check(&noisy)
        .assert()
        .code(1)
        .stdout(contains("more problems are not listed"));
    let binary = home.path().join("program.toml");
    std::fs::copy(env!("CARGO_BIN_EXE_rehearse"), &binary)?;
    check(&binary).assert().code(1).stdout(
        contains("program.toml:1: it is a binary file, not text")
            .and(contains("fix: give a text file")),
    );
    let latin1 = write(home.path(), "latin1.toml", b"deck = \"D\"\n# caf\xe9\n")?;
    check(&latin1).assert().code(1).stdout(
        contains("latin1.toml:2: it is not UTF-8 text (an invalid byte on line 2)")
            .and(contains("fix: save it as UTF-8")),
    );
    Ok(())
}

#[test]
fn unicode_in_ids_text_and_file_names() -> TestResult {
    let home = tempfile::tempdir()?;
    let bank = write(
        home.path(),
        "bänk ü.toml",
        "deck = \"Ünïcödé 🚀\"\ncategory = \"général\"\n[[question]]\nid = \"日本語\"\nquestion = \"¿Qué es ECS?\"\nanswer = \"Un servicio — gestionado.\"\nkey_points = [\"gestionado\"]\n",
    )?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&bank)
        .assert()
        .code(1)
        .stdout(
            contains("bänk ü.toml:4: question `日本語`: an id must be kebab-case")
                .and(contains("use lower-case ASCII letters and digits")),
        );
    let fixed = write(
        home.path(),
        "fixed ü.toml",
        std::fs::read_to_string(&bank)?.replace("日本語", "que-es"),
    )?;
    rehearse(home.path())
        .arg("--bank")
        .arg(&fixed)
        .args([
            "score",
            "que-es",
            "--json",
            "--text",
            "Es un servicio gestionado 🚀 ‏עברית‎ e\u{301}",
        ])
        .assert()
        .success()
        .stdout(contains("\"status\": \"hit\""));
    rehearse(home.path())
        .args(["show", "日本語"])
        .assert()
        .code(2)
        .stderr(contains("no question with id `日本語`"));
    Ok(())
}

#[test]
fn folders_where_files_belong_and_files_where_folders_belong() -> TestResult {
    let home = tempfile::tempdir()?;
    let empty = home.path().join("nothing");
    std::fs::create_dir(&empty)?;
    rehearse(home.path())
        .arg("--bank")
        .arg(&empty)
        .arg("questions")
        .assert()
        .code(1)
        .stderr(contains("has no .toml files").and(contains("rehearse bank import")));
    // A folder named like a bank file is a folder of banks; a link back up is followed once.
    let banks = home.path().join("banks");
    std::fs::create_dir_all(banks.join("more.toml"))?;
    std::fs::copy(fixture("small.toml"), banks.join("more.toml/small.toml"))?;
    symlink(&banks, banks.join("loop"))?;
    rehearse(home.path())
        .args(["bank", "check"])
        .arg(&banks)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("in 1 of 1 file"));
    rehearse(home.path())
        .args(["bank", "import"])
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(contains("nothing: it is a folder, not a file"));
    let not_a_folder = write(home.path(), "plain.txt", "text")?;
    rehearse(home.path())
        .arg("--data-dir")
        .arg(not_a_folder.join("data"))
        .args(["practice", "what-is-ecs", "--text", "ECS"])
        .assert()
        .code(1)
        .stderr(contains("plain.txt"));
    Ok(())
}

#[test]
fn a_missing_or_foreign_model_says_how_to_get_one() -> TestResult {
    let home = tempfile::tempdir()?;
    let tone = home.path().join("tone.wav");
    let samples: Vec<i16> = (0..16_000)
        .map(|i| ((f64::from(i) * 0.05).sin() * 8000.0) as i16)
        .collect();
    crate::whisper::write_wav(&tone, &samples)?;
    rehearse(home.path())
        .args(["transcribe", "--model", "/no/such/model.bin"])
        .arg(&tone)
        .assert()
        .code(1)
        .stderr(
            contains("there is no model file at /no/such/model.bin")
                .and(contains("rehearse model list"))
                .and(contains("rehearse model fetch")),
        );
    let foreign = home.path().join("foreign.bin");
    std::fs::copy(env!("CARGO_BIN_EXE_rehearse"), &foreign)?;
    rehearse(home.path())
        .arg("transcribe")
        .arg(&tone)
        .arg("--model")
        .arg(&foreign)
        .assert()
        .code(1)
        .stderr(contains("is not a usable whisper model").and(contains("rehearse model fetch")));
    Ok(())
}

#[test]
fn a_broken_config_file_names_its_line() -> TestResult {
    let home = tempfile::tempdir()?;
    write(home.path(), "config/rehearse/config.toml", "device = \n")?;
    rehearse(home.path())
        .arg("questions")
        .assert()
        .code(1)
        .stderr(contains("config.toml is not valid TOML").and(contains("line 1")));
    Ok(())
}

/// `rehearse` run by a user whom file permissions bind: this one, or `nobody` when the tests run
/// as root, who may read anything.
fn unprivileged(home: &Path) -> anyhow::Result<Command> {
    let uid = Command::new("id").arg("-u").output()?;
    let program = env!("CARGO_BIN_EXE_rehearse");
    let cmd = if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        let mut setpriv = Command::new("setpriv");
        setpriv
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(program);
        setpriv
    } else {
        Command::new(program)
    };
    Ok(in_clean_env(cmd, home))
}

#[test]
fn unreadable_banks_say_so_and_how_to_fix_it() -> TestResult {
    let home = tempfile::tempdir()?;
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755))?;
    let secret = write(home.path(), "secret.toml", "deck = \"D\"\n")?;
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000))?;
    unprivileged(home.path())?
        .args(["bank", "check"])
        .arg(&secret)
        .assert()
        .code(1)
        .stdout(contains("secret.toml:1: permission denied").and(contains("chmod u+r")));
    // The user's own folder, unreadable: a warning, and the bundled bank still works.
    let user = home.path().join("config/rehearse/questions");
    std::fs::create_dir_all(&user)?;
    for dir in [
        home.path().join("config"),
        home.path().join("config/rehearse"),
    ] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))?;
    }
    std::fs::set_permissions(&user, std::fs::Permissions::from_mode(0o000))?;
    unprivileged(home.path())?
        .args(["questions", "--json"])
        .assert()
        .success()
        .stderr(contains("skipped your bank").and(contains("chmod u+rx")));
    std::fs::set_permissions(&user, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}
