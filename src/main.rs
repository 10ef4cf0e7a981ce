use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rehearse::cli::Cli::parse();
    match rehearse::run(cli) {
        Ok(code) => code,
        Err(err) => {
            rehearse::ui::print_error(&err);
            ExitCode::from(rehearse::error::exit_code(&err))
        }
    }
}
