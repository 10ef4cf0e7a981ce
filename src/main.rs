use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // candle would run large elementwise operations on a pool of its own that spins beside the
    // sentence embedder's threads, which already keep every core busy (src/embed/minilm.rs).
    if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
        // SAFETY: this is the first thing the program does, before any thread exists, so no
        // other thread can read the environment while it changes.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("CANDLE_NUM_THREADS", "1");
        }
    }
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
