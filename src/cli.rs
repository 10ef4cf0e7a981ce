//! Command-line types (clap derive). No logic lives here: `lib::run` dispatches on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A local, private mock-interview voice coach.
///
/// Shows a question, takes your spoken (or typed) answer, transcribes it on this machine and
/// scores how well it covers the key points of the reference answer.
#[derive(Debug, Parser)]
#[command(
    name = "rehearse",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand accepts, before or after the subcommand name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// A bank file or a folder of bank files [default: the bundled questions/ folder]
    #[arg(long, global = true, env = "REHEARSE_BANK", value_name = "PATH")]
    pub bank: Option<PathBuf>,

    /// Where sessions and recordings go [default: the platform data dir]
    #[arg(long, global = true, env = "REHEARSE_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,

    /// Whisper model: a name from `rehearse model list` or a path to a ggml file
    #[arg(long, global = true, env = "REHEARSE_MODEL", value_name = "NAME|PATH")]
    pub model: Option<String>,

    /// Where models live [default: models/ of the project, else the platform data dir]
    #[arg(long, global = true, env = "REHEARSE_MODELS_DIR", value_name = "PATH")]
    pub models_dir: Option<PathBuf>,

    /// Transcription threads [default: all cores]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,

    /// Print one JSON document on stdout and nothing else there
    #[arg(long, global = true)]
    pub json: bool,

    /// Less output on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// More detail on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the questions of the bank
    Questions(QuestionsArgs),
    /// Show one question (and with --answer its reference answer and key points)
    Show(ShowArgs),
    /// Practise one question: show it, take your answer, score it, give feedback
    Practice(PracticeArgs),
    /// Score one answer without a session
    Score(ScoreArgs),
    /// Check or import question banks
    #[command(subcommand)]
    Bank(BankCommand),
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// Only questions of this category
    #[arg(long, short)]
    pub category: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Question id (a unique prefix is enough)
    pub id: String,
    /// Also show the reference answer and its key points
    #[arg(long, short)]
    pub answer: bool,
}

/// Where an answer comes from.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct AnswerSource {
    /// The answer as text (`-` reads it from standard input)
    #[arg(long, value_name = "T")]
    pub text: Option<String>,
    /// Type the answer at the prompt instead of speaking it
    #[arg(long = "type")]
    pub typed: bool,
}

#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Question id (a unique prefix is enough) [default: a random question]
    pub id: Option<String>,

    #[command(flatten)]
    pub source: AnswerSource,

    /// Answer time limit in seconds [default: the bank's, else 90]
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub time_limit: Option<u32>,

    /// Only questions of this category when picking at random
    #[arg(long, short)]
    pub category: Option<String>,

    /// Don't keep this answer in the practice history
    #[arg(long)]
    pub no_save: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ScoreInput {
    /// The answer as text (`-` reads it from standard input)
    #[arg(long, value_name = "T")]
    pub text: Option<String>,
    /// A transcript file: plain text, or the JSON of `rehearse transcribe --json` (keeps timings)
    #[arg(long, value_name = "F")]
    pub transcript: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Question id (a unique prefix is enough)
    pub id: String,
    #[command(flatten)]
    pub input: ScoreInput,
}

#[derive(Debug, Subcommand)]
pub enum BankCommand {
    /// Validate bank files: every problem, with its file, line and a fix
    Check {
        /// A bank file or folder [default: the banks in use]
        path: Option<PathBuf>,
    },
    /// Turn a Markdown Q&A document into a bank file, ready to edit
    Import {
        /// The Markdown file
        file: PathBuf,
        /// Write the bank here instead of standard output
        #[arg(long, short, value_name = "F")]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists
        #[arg(long)]
        force: bool,
    },
}
