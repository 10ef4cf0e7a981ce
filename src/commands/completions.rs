//! `rehearse completions SHELL`: the shell's completion script, on stdout.

use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    // Written to memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "rehearse", &mut script);
    crate::ui::stdout::print(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}
