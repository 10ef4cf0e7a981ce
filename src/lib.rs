//! `rehearse`: a local, private mock-interview voice coach.
//!
//! Data flows one way: question bank → answer → transcript → score → report. The pure core
//! (`bank` parsing, `score`, `report`) knows nothing of devices, models or files; commands wire
//! it to the edges: `app` builds the parts from the config, `coach` runs the interview behind a
//! `coach::Frontend` (the terminal's is `frontend::CommandLine`). See `docs/architecture.md`.

pub mod answer;
pub mod app;
pub mod audio;
pub mod bank;
pub mod cli;
pub mod coach;
pub mod commands;
pub mod config;
pub mod embed;
pub mod error;
pub mod frontend;
pub mod fsutil;
pub mod glossary;
pub mod interrupt;
pub mod models;
pub mod report;
pub mod score;
pub mod session;
pub mod style;
pub mod terminal;
pub mod text;
pub mod transcribe;
pub mod transcript;
pub mod ui;
pub mod voice;

use std::process::ExitCode;

use anyhow::Result;

use cli::{Cli, Command};
use config::Config;

/// Run one command line; the exit code for errors is decided by [`error::exit_code`].
pub fn run(cli: Cli) -> Result<ExitCode> {
    // Completions need no settings: a broken config file must not break the shell's start-up.
    if let Command::Completions(args) = &cli.command {
        return commands::completions::run(args);
    }
    let config = Config::resolve(&cli.global)?;
    if let Some(restored) = terminal::recover(&config.data_dir) {
        ui::note(&config, restored);
    }
    match &cli.command {
        Command::Questions(args) => commands::questions::run(&config, args),
        Command::Show(args) => commands::show::run(&config, args),
        Command::Practice(args) => commands::practice::run(&config, args),
        Command::Score(args) => commands::score::run(&config, args),
        Command::Transcribe(args) => commands::transcribe::run(&config, args),
        Command::Model(command) => commands::model::run(&config, command),
        Command::Bank(command) => commands::bank::run(&config, command),
        Command::Round(args) => commands::round::run(&config, args),
        Command::Drill(args) => commands::drill::run(&config, args),
        Command::Review(args) => commands::review::run(&config, args),
        Command::History(args) => commands::history::run(&config, args),
        Command::Rescore(args) => commands::rescore::run(&config, args),
        Command::Devices(args) => commands::devices::run(&config, args),
        Command::Say(args) => commands::say::run(&config, args),
        Command::Completions(args) => commands::completions::run(args),
    }
}
