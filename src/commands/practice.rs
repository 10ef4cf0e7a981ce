//! `rehearse practice`: one question, one answer, a score and feedback.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{answer_text, in_category, load_bank, transcribe_wav};
use crate::cli::PracticeArgs;
use crate::config::Config;
use crate::report::terminal;
use crate::score::Scorer;
use crate::transcript::Transcript;
use crate::ui;

pub fn run(config: &Config, args: &PracticeArgs) -> Result<ExitCode> {
    let bank = load_bank(config)?;
    let question = match &args.id {
        Some(id) => bank.find(id)?,
        None => {
            let pool = in_category(&bank, args.category.as_deref())?;
            pool[fastrand::usize(..pool.len())]
        }
    };
    let time_limit_s = args.time_limit.unwrap_or(question.time_limit_s);
    let width = ui::width();
    // Saved unless --no-save; a data dir that cannot be written fails here, before the answer.
    let session = super::round::start_session(
        config,
        crate::session::Kind::Practice,
        args.no_save,
        crate::session::Settings {
            time_limit_s: args.time_limit,
            ..Default::default()
        },
    )?;
    let started_at = chrono::Utc::now();
    let clock = std::time::Instant::now();

    // With --json, stdout carries only the JSON document; the question goes to stderr.
    let shown = terminal::question(question, time_limit_s, false, width);
    if config.json {
        if config.verbosity > crate::config::Verbosity::Quiet {
            anstream::eprint!("{shown}");
        }
    } else {
        anstream::print!("{shown}");
    }

    // The microphone, unless the answer comes another way; `None` when there is none to use
    // (the reason was given) and the answer is typed instead.
    let spoken = if args.source.text.is_none() && args.source.wav.is_none() && !args.source.typed {
        super::mic::practice_answer(config, question, time_limit_s, &args.mic, args.no_save)?
    } else {
        None
    };
    let transcript = if let Some(spoken) = &spoken {
        spoken.transcript.clone()
    } else if let Some(text) = &args.source.text {
        Transcript::typed(answer_text(text)?)
    } else if let Some(wav) = &args.source.wav {
        transcribe_wav(config, wav, Some(question), &mut |_| {})?
    } else {
        Transcript::typed(read_typed_answer(time_limit_s)?)
    };
    let report = Scorer::new(&bank)
        .with_norms(config.norms)
        .score_with_limit(question, &transcript, time_limit_s);
    if config.json {
        ui::print_json(&serde_json::json!({ "answers": [report] }))?;
    } else {
        anstream::println!();
        anstream::print!("{}", terminal::score(&report, width));
    }
    let source = match (&args.source.text, &args.source.wav) {
        (Some(_), _) => crate::session::SourceKind::Text,
        (None, Some(_)) => crate::session::SourceKind::Wav,
        (None, None) => crate::session::SourceKind::Typed,
    };
    let given = super::answer::Given {
        time_used_s: match source {
            crate::session::SourceKind::Text => 0.0,
            _ => transcript
                .duration_s
                .unwrap_or_else(|| (clock.elapsed().as_secs_f64() * 10.0).round() / 10.0),
        },
        source,
        transcript,
        recording: args.source.wav.clone(),
        interrupted: false,
    };
    let given = spoken.unwrap_or(given);
    let answer = super::round::answer_record(question, started_at, time_limit_s, &given, report);
    super::round::save_single(config, session, answer, given.recording.as_deref())?;
    if given.source == crate::session::SourceKind::Mic
        && let Some(recording) = &given.recording
    {
        // The session holds its own copy now (or --no-save wants none kept).
        let _ = std::fs::remove_file(recording);
    }
    Ok(ExitCode::SUCCESS)
}

/// Lines typed at the prompt, up to an empty line or the end of input.
fn read_typed_answer(time_limit_s: u32) -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        anstream::eprintln!(
            "\nType your answer (aim for under {} s of speaking); finish with an empty line:",
            time_limit_s
        );
        std::io::stderr().flush().ok();
    }
    let mut answer = String::new();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read the typed answer: it must be UTF-8 text")?;
        if line.trim().is_empty() && !answer.is_empty() {
            break;
        }
        answer.push_str(&line);
        answer.push('\n');
    }
    Ok(answer)
}
