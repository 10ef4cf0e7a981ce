//! Leaning whisper's decoder toward the glossary's terms while it decodes (contextual biasing by
//! shallow fusion). The terms' token sequences make a trie; at each decoder step, every way the
//! tokens written so far could be the start of a term raises the logits of the tokens that
//! continue it. The first token of a term gets a small lift, its continuations a larger one: a
//! term whisper has begun to write is finished ("Bean" + "stalk", not "bean stock"), while the
//! audio still decides whether a term begins at all.
//!
//! whisper.cpp calls [`lean_toward_terms`] through its logits filter hook, the one raw callback
//! here (whisper-rs offers no safe wrapper for it).

use std::ffi::{c_int, c_void};

use whisper_rs::{FullParams, WhisperSysContext, WhisperSysState, WhisperTokenData};

/// How much a term's first token is lifted, in log-probability: enough to tip a near tie
/// toward the term, too little to put a term where nothing like it was said. For the question's
/// own terms, and for the rest of the bank's. Chosen on spoken answers (BENCHMARKS.md): at 4 and
/// 8, whisper wrote "Fargate" where it was not said.
const START_ASKED: f32 = 2.0;
const START_BANK: f32 = 1.0;
/// How much a token that continues a term already begun is lifted.
const CONTINUE: f32 = 5.0;

/// A token sequence to lean toward, and whether the question being answered uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermTokens {
    pub tokens: Vec<i32>,
    pub asked: bool,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<(i32, usize)>,
    /// The lift for reaching this node from its parent.
    lift: f32,
}

/// The trie of the terms' tokens, ready for the decoder.
#[derive(Debug, Clone)]
pub struct Bias {
    nodes: Vec<Node>,
    depth: usize,
    /// Tokens from here on are special (end of text, timestamps): they end any term.
    first_special: i32,
    n_vocab: usize,
}

impl Bias {
    pub fn new(terms: &[TermTokens], first_special: i32, n_vocab: usize) -> Self {
        let mut bias = Self {
            nodes: vec![Node::default()],
            depth: 0,
            first_special,
            n_vocab,
        };
        for term in terms.iter().filter(|t| !t.tokens.is_empty()) {
            bias.depth = bias.depth.max(term.tokens.len());
            let mut at = 0;
            for (i, &token) in term.tokens.iter().enumerate() {
                let lift = match (i, term.asked) {
                    (0, true) => START_ASKED,
                    (0, false) => START_BANK,
                    _ => CONTINUE,
                };
                at = match bias.child(at, token) {
                    Some(next) => next,
                    None => {
                        bias.nodes.push(Node {
                            children: Vec::new(),
                            lift,
                        });
                        let next = bias.nodes.len() - 1;
                        bias.nodes[at].children.push((token, next));
                        next
                    }
                };
                let node = &mut bias.nodes[at];
                node.lift = node.lift.max(lift);
            }
        }
        bias
    }

    fn child(&self, node: usize, token: i32) -> Option<usize> {
        self.nodes[node]
            .children
            .iter()
            .find(|(t, _)| *t == token)
            .map(|(_, n)| *n)
    }

    /// Raise `logits` for every token that starts a term, or continues one that the end of
    /// `written` (the tokens decoded so far) has begun.
    pub fn lean(&self, written: &[i32], logits: &mut [f32]) {
        // A special token (a timestamp) ends whatever term was being written.
        let text_start = written
            .iter()
            .rposition(|&t| t >= self.first_special)
            .map_or(0, |i| i + 1);
        let text = &written[text_start..];
        let from = text.len().saturating_sub(self.depth);
        for start in from..=text.len() {
            let Some(node) = self.walk(&text[start..]) else {
                continue;
            };
            for &(token, child) in &self.nodes[node].children {
                if let Some(logit) = usize::try_from(token).ok().and_then(|t| logits.get_mut(t)) {
                    *logit += self.nodes[child].lift;
                }
            }
        }
    }

    /// The node that `tokens` lead to from the root, if they are the start of a term.
    fn walk(&self, tokens: &[i32]) -> Option<usize> {
        tokens
            .iter()
            .try_fold(0, |node, &token| self.child(node, token))
    }

    /// Have whisper call [`lean_toward_terms`] with this trie at each decoder step. `self` must
    /// outlive the `full` call that `params` are given to (the caller holds it across it).
    pub fn install(&self, params: &mut FullParams<'_, '_>) {
        // SAFETY: the callback only reads `self` (a `Bias` no one changes while whisper runs; the
        // caller keeps it alive for the whole `full` call) and writes the logits array whisper
        // hands it, `n_vocab` floats long.
        #[allow(unsafe_code)]
        unsafe {
            params.set_filter_logits_callback(Some(lean_toward_terms));
            params.set_filter_logits_callback_user_data(std::ptr::from_ref(self) as *mut c_void);
        }
    }
}

/// whisper.cpp's logits filter: called by each decoder before it picks its next token, with the
/// tokens it has written in this window and its logits (one per vocabulary entry).
#[allow(unsafe_code)]
unsafe extern "C" fn lean_toward_terms(
    _ctx: *mut WhisperSysContext,
    _state: *mut WhisperSysState,
    tokens: *const WhisperTokenData,
    n_tokens: c_int,
    logits: *mut f32,
    user_data: *mut c_void,
) {
    if user_data.is_null() || logits.is_null() {
        return;
    }
    // SAFETY: user_data is the `Bias` that `Bias::install` registered, alive and unchanged for
    // the whole decode; whisper passes `n_tokens` token records at `tokens` and a logits array of
    // the vocabulary's size, which `Bias::n_vocab` was read from.
    let (bias, logits) = unsafe {
        let bias = &*(user_data as *const Bias);
        (bias, std::slice::from_raw_parts_mut(logits, bias.n_vocab))
    };
    let written: Vec<i32> = match usize::try_from(n_tokens) {
        Ok(n) if n > 0 && !tokens.is_null() => {
            // SAFETY: as above: `n_tokens` records at `tokens`, read only.
            unsafe { std::slice::from_raw_parts(tokens, n) }
                .iter()
                .map(|t| t.id)
                .collect()
        }
        _ => Vec::new(),
    };
    bias.lean(&written, logits);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECIAL: i32 = 100;

    /// " Bean" "stalk" (1, 2) and " E" "CS" (3, 4), the second asked.
    fn bias() -> Bias {
        Bias::new(
            &[
                TermTokens {
                    tokens: vec![1, 2],
                    asked: false,
                },
                TermTokens {
                    tokens: vec![3, 4],
                    asked: true,
                },
            ],
            SPECIAL,
            120,
        )
    }

    fn lifted(written: &[i32]) -> Vec<(usize, f32)> {
        let mut logits = vec![0.0; 120];
        bias().lean(written, &mut logits);
        logits
            .iter()
            .enumerate()
            .filter(|(_, l)| **l != 0.0)
            .map(|(i, l)| (i, *l))
            .collect()
    }

    #[test]
    fn terms_begun_are_continued_and_terms_may_start_anywhere() {
        // Nothing written: the first tokens get their small lifts, the asked term's more.
        assert_eq!(lifted(&[]), [(1, START_BANK), (3, START_ASKED)]);
        // " Bean" written: "stalk" gets the large lift.
        assert_eq!(
            lifted(&[50, 1]),
            [(1, START_BANK), (2, CONTINUE), (3, START_ASKED)]
        );
        // A finished term continues nothing.
        assert_eq!(lifted(&[1, 2]), [(1, START_BANK), (3, START_ASKED)]);
    }

    #[test]
    fn a_timestamp_ends_a_term() {
        assert_eq!(
            lifted(&[3, SPECIAL + 7]),
            [(1, START_BANK), (3, START_ASKED)]
        );
        assert_eq!(
            lifted(&[SPECIAL + 7, 3]),
            [(1, START_BANK), (3, START_ASKED), (4, CONTINUE)]
        );
    }

    #[test]
    fn tokens_outside_the_vocabulary_are_ignored() {
        let bias = Bias::new(
            &[TermTokens {
                tokens: vec![-1, 500],
                asked: true,
            }],
            SPECIAL,
            120,
        );
        let mut logits = vec![0.0; 120];
        bias.lean(&[-1], &mut logits);
        assert!(logits.iter().all(|l| *l == 0.0));
    }
}
