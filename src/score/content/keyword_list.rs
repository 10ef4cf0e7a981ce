//! An answer that is a list of keywords rather than sentences names the right things without
//! showing how they fit together.

use super::analysed::Analysed;
use crate::score::thresholds::{KEYWORD_LIST_MIN_WORDS, KEYWORD_LIST_STOP_RATIO};

/// The answer has enough words, but too few function words among them, to be an explanation.
pub fn is_keyword_list(answer: &Analysed<'_>, word_count: usize) -> bool {
    if word_count < KEYWORD_LIST_MIN_WORDS {
        return false;
    }
    let stop = answer.tokens.iter().filter(|t| t.is_stop_word()).count();
    (stop as f64) < KEYWORD_LIST_STOP_RATIO * answer.tokens.len() as f64
}
