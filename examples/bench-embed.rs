//! The sentence embedder's speed and memory, as the scorer uses it: a fresh process loads the
//! model and embeds the spans of a 150-word answer with the bank texts of its question.
//!
//!     cargo run --release --example bench-embed -- [--models-dir DIR] [--runs N]
//!
//! Each run is a new process (as `rehearse score` is), with candle's threads set to 1 or to all
//! cores (its default), the two settings taking turns. Prints a Markdown table for BENCHMARKS.md.
//! Needs the embedder: `rehearse model fetch all-MiniLM-L6-v2`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rehearse::embed::{self, Availability, Embed};

/// A 150-word answer to "How does Fargate work?", written for this benchmark.
const ANSWER: &str = "Fargate is the serverless way to run containers on ECS. Instead of \
    registering your own EC2 instances in the cluster, you choose Fargate as the launch type or \
    capacity provider, and AWS finds compute capacity for every task when it starts. You size \
    each task yourself: the task definition states how much CPU and memory it needs, from a \
    quarter of a virtual CPU up to sixteen, and you pay for exactly that for as long as the task \
    runs. Every task gets its own isolated environment and its own elastic network interface in \
    your VPC, so security groups apply per task and the awsvpc network mode is required. There \
    are no hosts to patch, scale or replace, which removes a whole layer of operations work. The \
    trade-offs are a higher price per unit of compute than well-packed instances, no GPUs, and \
    less control over the underlying machine, so daemons and privileged containers are out.";

/// Key points and reference sentences of a question, as the scorer embeds them beside the
/// answer's spans.
const BANK_TEXTS: [&str; 20] = [
    "serverless compute for containers",
    "no EC2 instances to manage",
    "per-task CPU and memory",
    "pay per task resources",
    "awsvpc network mode",
    "elastic network interface per task",
    "launch type",
    "capacity provider",
    "task isolation",
    "no GPU support",
    "AWS Fargate is a serverless compute engine for containers that works with ECS.",
    "You no longer provision, configure or scale clusters of virtual machines.",
    "Each task specifies the CPU and memory it needs in its task definition.",
    "You pay for the vCPU and memory your tasks request, per second.",
    "Fargate tasks use the awsvpc network mode and get their own network interface.",
    "Each task runs in its own kernel runtime environment and shares none with other tasks.",
    "Fargate is chosen as a launch type or through a capacity provider strategy.",
    "There are no hosts to patch or upgrade.",
    "Daemon services and privileged containers are not supported on Fargate.",
    "It is usually more expensive per unit of compute than well-used EC2 instances.",
];

/// Windows of `size` words every `step` words.
fn windows(words: &[&str], size: usize, step: usize) -> Vec<String> {
    (0..words.len().saturating_sub(size) + 1)
        .step_by(step)
        .map(|start| words[start..start + size].join(" "))
        .collect()
}

/// The two workloads: 60 texts of 10 words, and the scorer's mix (sentences, clauses and
/// windows of 4 and 12 words of the answer, about 80, plus the 20 bank texts).
fn workloads() -> [(&'static str, Vec<String>); 2] {
    let words: Vec<&str> = ANSWER.split_whitespace().collect();
    let mut uniform = windows(&words, 10, 2);
    uniform.truncate(60);
    let mut mixed: Vec<String> = ANSWER
        .split_inclusive(['.', ','])
        .map(|s| s.trim().to_owned())
        .collect();
    mixed.extend(windows(&words, 4, 4));
    mixed.extend(windows(&words, 12, 6));
    mixed.extend(BANK_TEXTS.iter().map(|s| (*s).to_owned()));
    [
        ("60 texts of 10 words", uniform),
        ("a scorer's call", mixed),
    ]
}

/// CPU time of this process so far (user + system), from /proc/self/stat in clock ticks of
/// 10 ms.
fn cpu_ms() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ticks = |i: usize| -> Result<f64> {
        Ok(fields
            .get(i)
            .context("short /proc/self/stat")?
            .parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) * 10.0)
}

fn peak_rss_mb() -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmHWM in /proc/self/status")?;
    Ok(kb / 1024.0)
}

/// One measured process: load, then embed each workload once; prints its figures as JSON.
fn once(models_dir: &Path) -> Result<()> {
    let start = Instant::now();
    let Availability::Ready(model) = embed::load(models_dir)? else {
        bail!(
            "the embedder is not in {}: rehearse model fetch all-MiniLM-L6-v2",
            models_dir.display()
        );
    };
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let mut figures = serde_json::json!({"load_ms": load_ms});
    for (name, texts) in workloads() {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let start = Instant::now();
        let embeddings = model.embed(&texts)?;
        figures[name] = serde_json::json!({
            "ms": start.elapsed().as_secs_f64() * 1000.0,
            "texts": embeddings.len(),
        });
    }
    figures["total_ms"] = (start.elapsed().as_secs_f64() * 1000.0).into();
    figures["cpu_ms"] = cpu_ms()?.into();
    figures["peak_rss_mb"] = peak_rss_mb()?.into();
    println!("{figures}");
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut models_dir = std::env::var_os("REHEARSE_MODELS_DIR")
        .map_or_else(|| PathBuf::from("models"), PathBuf::from);
    let mut runs = 11;
    let mut child = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--models-dir" => {
                models_dir = args.next().context("--models-dir takes a folder")?.into()
            }
            "--runs" => runs = args.next().context("--runs takes a number")?.parse()?,
            "--once" => child = true,
            _ => bail!("unknown argument {arg}; usage: bench-embed [--models-dir DIR] [--runs N]"),
        }
    }
    if child {
        return once(&models_dir);
    }
    let texts = workloads();
    let tokens = word_pieces(&models_dir, &texts)?;
    eprintln!(
        "bench-embed: {runs} runs per setting, interleaved; load average before: {}",
        std::fs::read_to_string("/proc/loadavg")?.trim()
    );
    println!(
        "| candle threads | load ms | {} ({} word pieces) ms | {} ({} texts, {} word pieces) ms | \
         load + both ms | CPU ms | peak RSS MB |",
        texts[0].0,
        tokens[0],
        texts[1].0,
        texts[1].1.len(),
        tokens[1]
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let settings = [1, cores];
    let mut rows: Vec<Vec<serde_json::Value>> = vec![Vec::new(); settings.len()];
    for _ in 0..runs {
        for (threads, rows) in settings.iter().zip(&mut rows) {
            // RAYON_NUM_THREADS sizes candle's matrix products, CANDLE_NUM_THREADS its
            // element-wise pool.
            let output = Command::new(std::env::current_exe()?)
                .args(["--once", "--models-dir"])
                .arg(&models_dir)
                .env("RAYON_NUM_THREADS", threads.to_string())
                .env("CANDLE_NUM_THREADS", threads.to_string())
                .output()?;
            if !output.status.success() {
                bail!("a run failed: {}", String::from_utf8_lossy(&output.stderr));
            }
            rows.push(serde_json::from_slice(&output.stdout)?);
        }
    }
    for (threads, rows) in settings.iter().zip(&rows) {
        let column = |pick: &dyn Fn(&serde_json::Value) -> Option<f64>| {
            median(rows.iter().filter_map(pick).collect())
        };
        println!(
            "| {threads} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |",
            column(&|r| r["load_ms"].as_f64()),
            column(&|r| r[texts[0].0]["ms"].as_f64()),
            column(&|r| r[texts[1].0]["ms"].as_f64()),
            column(&|r| r["total_ms"].as_f64()),
            column(&|r| r["cpu_ms"].as_f64()),
            column(&|r| r["peak_rss_mb"].as_f64()),
        );
    }
    Ok(())
}

/// Word pieces (with [CLS] and [SEP]) of each workload: what the model's cost grows with.
fn word_pieces(models_dir: &Path, workloads: &[(&str, Vec<String>)]) -> Result<Vec<usize>> {
    let path = embed::folder(models_dir).join(embed::TOKENIZER_FILE);
    let mut tokenizer = tokenizers::Tokenizer::from_file(&path)
        .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", path.display()))?;
    tokenizer.with_padding(None);
    workloads
        .iter()
        .map(|(_, texts)| {
            texts.iter().try_fold(0, |sum, text| {
                let encoding = tokenizer
                    .encode(text.as_str(), true)
                    .map_err(|err| anyhow::anyhow!("{err}"))?;
                Ok(sum + encoding.get_ids().len())
            })
        })
        .collect()
}
