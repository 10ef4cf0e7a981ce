//! `model fetch` when things go wrong: the real cause is named, the package index is tried only
//! when the model host is out of reach, no `.part` outlives an installed model, and installed
//! files are readable by everyone (0644).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;

use crate::TestResult;
use crate::embed::offline;
use crate::http::serve;
use crate::whisper::{model_file, models_dir};

fn mode(path: &Path) -> anyhow::Result<u32> {
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o777)
}

#[test]
fn a_wrong_checksum_is_named_and_the_package_index_is_not_tried() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    let (url, server) = serve(vec![("/ggml-tiny.en.bin", vec![0u8; 4096])], 1)?;
    offline(home.path(), &dir)
        .env("REHEARSE_MODEL_URL", &url)
        .args(["model", "fetch", "tiny.en"])
        .assert()
        .code(1)
        .stderr(
            contains("does not match its pinned checksum")
                .and(contains("package index").not())
                .and(contains("unreachable").not()),
        );
    server
        .join()
        .map_err(|_| anyhow::anyhow!("server thread panicked"))?;
    assert!(!dir.join("ggml-tiny.en.bin").exists());
    Ok(())
}

#[test]
#[ignore = "needs the tiny.en model: scripts/test runs it"]
fn an_installed_model_is_0644_and_leaves_no_part_file() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    std::fs::create_dir(&dir)?;
    let part = dir.join("ggml-tiny.en.bin.part");
    std::fs::write(&part, b"the start of an earlier download")?;
    offline(home.path(), &dir)
        .args(["model", "fetch", "tiny.en", "--from"])
        .arg(model_file())
        .assert()
        .success();
    assert_eq!(mode(&dir.join("ggml-tiny.en.bin"))?, 0o644);
    assert!(!part.exists(), "the .part outlived the installed model");

    let model = std::fs::read(model_file())?;
    let (url, server) = serve(vec![("/ggml-tiny.en.bin", model)], 1)?;
    std::fs::remove_file(dir.join("ggml-tiny.en.bin"))?;
    offline(home.path(), &dir)
        .env("REHEARSE_MODEL_URL", &url)
        .args(["model", "fetch", "tiny.en"])
        .assert()
        .success();
    server
        .join()
        .map_err(|_| anyhow::anyhow!("server thread panicked"))?;
    assert_eq!(mode(&dir.join("ggml-tiny.en.bin"))?, 0o644);
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn the_embedder_folder_holds_its_files_alone_each_0644() -> TestResult {
    let home = tempfile::tempdir()?;
    let dir = home.path().join("models");
    let installed = models_dir().join("all-MiniLM-L6-v2");
    // A copy of the user's folder whose files are private, and the `.part` of a download that
    // an earlier run left in the staging folder.
    let from = home.path().join("mine");
    std::fs::create_dir(&from)?;
    for item in std::fs::read_dir(&installed)? {
        let path = item?.path();
        let copy = from.join(path.file_name().unwrap_or_default());
        std::fs::copy(&path, &copy)?;
        std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o600))?;
    }
    let staging = dir.join("all-MiniLM-L6-v2.part");
    std::fs::create_dir_all(&staging)?;
    std::fs::write(staging.join("model.safetensors.part"), b"half a download")?;
    offline(home.path(), &dir)
        .args(["model", "fetch", "all-MiniLM-L6-v2", "--from"])
        .arg(&from)
        .assert()
        .success();
    let folder = dir.join("all-MiniLM-L6-v2");
    let mut names = Vec::new();
    for item in std::fs::read_dir(&folder)? {
        let path = item?.path();
        assert_eq!(mode(&path)?, 0o644, "{}", path.display());
        names.push(path.file_name().unwrap_or_default().to_owned());
    }
    assert!(
        !names.iter().any(|n| n.to_string_lossy().ends_with(".part")),
        "{names:?}"
    );
    Ok(())
}
