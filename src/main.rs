use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rehearse::cli::Cli::parse();
    match rehearse::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let code = rehearse::error::exit_code(&err);
            // Exit 0 with an error is a closed output: nothing to say about it.
            if code != 0 {
                rehearse::ui::print_error(&err);
            }
            ExitCode::from(code)
        }
    }
}
