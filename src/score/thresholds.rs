//! The content thresholds of scoring, named once: where a similarity makes a key point, where a
//! reference sentence counts as covered, what an answer must have to be more than a keyword
//! list. Delivery's thresholds are the user's [`Norms`](super::Norms); score bands are in
//! [`band`](super::band). A leaf: imports nothing of the crate.

/// Word-match similarity (see `content::matcher`) at or above which a point counts as said.
pub const WORDS_HIT: f64 = 0.8;
/// Word-match similarity at or above which a point counts as partly said.
pub const WORDS_PARTIAL: f64 = 0.5;

/// Cosine similarity (all-MiniLM-L6-v2, question words left out on both sides) from which a
/// span of the answer makes a key point, and from which it makes it in part. Both are read off
/// answers to *other* questions, which cannot make the point (`scripts/calibrate-scoring`, run on
/// 2026-11-29 over 936 such key points): one in a hundred of them reaches `MEANING_HIT` (its 99th
/// percentile), one in twenty `MEANING_PARTIAL` (its 95th).
pub const MEANING_HIT: f64 = 0.62;
pub const MEANING_PARTIAL: f64 = 0.41;
/// The words of a key point count only in a clause at least this close to the point: no closer
/// than one unrelated answer in ten comes (the 90th percentile of the same run).
pub const WORDS_IN_CONTEXT: f64 = 0.36;

/// How a reference sentence's best cosine turns into coverage: none up to `SENTENCE_LOW`, all
/// from `SENTENCE_HIGH`, linear in between. `SENTENCE_LOW` is the median of answers to other
/// questions (the typical unrelated answer covers nothing), `SENTENCE_HIGH` the median of answers
/// that both graders of the human-graded set gave full marks (`scripts/calibrate-scoring`, same
/// run: 495 and 578 sentences). The null's 90th percentile (0.36) was tried for `SENTENCE_LOW`
/// first: it kept unrelated answers nearer 0 but gave related, partly right answers too little
/// (BENCHMARKS.md has both).
pub const SENTENCE_LOW: f64 = 0.21;
pub const SENTENCE_HIGH: f64 = 0.62;
/// Coverage of a reference sentence from which it counts as said, and as partly said.
pub const SENTENCE_COVERED: f64 = 0.75;
pub const SENTENCE_PARTLY_COVERED: f64 = 0.25;

/// A span of the answer makes a key point or a reference sentence by meaning only with at least
/// this many content words (or as many as the point itself has, when it has fewer): "So, AWS."
/// shares a topic with "AWS provides the tools" but says none of it.
pub const MIN_MEANING_WORDS: usize = 3;

/// A sentence of fewer words ("Yes.", "It depends.") is no point to make on its own.
pub const MIN_POINT_WORDS: usize = 3;

/// Weight of a key point that the question already names, against 1 for the others.
pub const GIVEN_AWAY_WEIGHT: f64 = 0.35;

/// An answer of at least this many words with fewer function words than this share is a list
/// of keywords, not an explanation.
pub const KEYWORD_LIST_MIN_WORDS: usize = 6;
pub const KEYWORD_LIST_STOP_RATIO: f64 = 0.15;

/// Cosine similarity of the whole answer with its question and reference answer (see
/// `relevance`) up to which the answer is about something else and keeps none of its content
/// score: the median answer to *another* question (`scripts/crossvalidate-scoring`'s null, 120
/// answers, 2026-12-07). From `ON_TOPIC_FROM` it keeps all of it: all but the lowest 5 % of the
/// human-graded answers get there, so relevance takes nothing from an answer that tries.
pub const OFF_TOPIC_BELOW: f64 = 0.12;
pub const ON_TOPIC_FROM: f64 = 0.2;
/// Token-level alignment (see `content::alignment`) counts from the median answer to another
/// question (the same null) and is full at the median of answers both graders gave full marks.
pub const ALIGNMENT_BASELINE: f64 = 0.15;
pub const ALIGNMENT_FULL: f64 = 0.63;
