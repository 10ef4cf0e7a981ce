//! The front ends of the coaching loop (`coach::Frontend`): each shows questions, reads them
//! aloud, takes answers and shows what the coach made of them its own way.
//!
//! - [`command_line`]: the terminal: text on stdout (on stderr when stdout carries JSON),
//!   answers typed, spoken or given as files through `answer::Answers`.

pub mod command_line;

pub use command_line::CommandLine;
