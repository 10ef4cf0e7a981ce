//! `rehearse`: a local, private mock-interview voice coach.
//!
//! Data flows one way: question bank → answer → transcript → score → report. The pure core
//! (`bank` parsing, `score`, `report`) knows nothing of devices, models or files; commands wire
//! it to the edges.

pub mod bank;
pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod fsutil;
pub mod report;
pub mod score;
pub mod transcript;
pub mod ui;

use std::process::ExitCode;

use anyhow::Result;

use cli::{Cli, Command};
use config::Config;

/// Run one command line; the exit code for errors is decided by [`error::exit_code`].
pub fn run(cli: Cli) -> Result<ExitCode> {
    let config = Config::resolve(&cli.global)?;
    match &cli.command {
        Command::Questions(args) => commands::questions::run(&config, args),
        Command::Show(args) => commands::show::run(&config, args),
        Command::Practice(args) => commands::practice::run(&config, args),
        Command::Score(args) => commands::score::run(&config, args),
        Command::Bank(command) => commands::bank::run(&config, command),
    }
}
