//! Token-level alignment, as BERTScore's recall (Zhang et al. 2020): each content word of the
//! reference, in its context, is matched with the answer's word closest in meaning in its own
//! context, and the alignment is the mean of those best cosines. It sees a point made in other
//! words where no span of the answer is close enough as a whole, and it needs no threshold.
//! Words the question already says count for nothing, as Mohler et al. (2011) left them out:
//! saying them back shows nothing.

use std::collections::HashSet;

use crate::embed::WordVector;
use crate::text::tokenize;

/// The mean, over the reference's content words that the question does not say, of the best
/// cosine with a content word of the answer; `None` when the reference has no such word (then
/// there is nothing to align), 0 when the answer has no content word.
pub fn recall(
    answer: &[WordVector],
    reference: &[WordVector],
    asked: &HashSet<String>,
) -> Option<f64> {
    let wanted: Vec<&WordVector> = reference
        .iter()
        .filter(|w| is_content(&w.word, Some(asked)))
        .collect();
    if wanted.is_empty() {
        return None;
    }
    let said: Vec<&WordVector> = answer
        .iter()
        .filter(|w| is_content(&w.word, None))
        .collect();
    let best = wanted.iter().map(|r| {
        said.iter()
            .map(|a| f64::from(r.vector.cosine(&a.vector)))
            .fold(0.0, f64::max)
    });
    Some(best.sum::<f64>() / wanted.len() as f64)
}

/// A word with a content token (not a function word, nor one of the question's when `asked` is
/// given).
fn is_content(word: &str, asked: Option<&HashSet<String>>) -> bool {
    tokenize(word)
        .iter()
        .any(|t| !t.is_stop_word() && asked.is_none_or(|asked| !asked.contains(&t.stem)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::Embed;
    use crate::embed::fake::HashedStems;
    use crate::score::content::analysed::content_stems;

    fn recall_of(answer: &str, reference: &str, question: &str) -> Option<f64> {
        let texts = HashedStems.embed_words(&[answer, reference]).ok()?;
        recall(&texts[0].words, &texts[1].words, &content_stems(question))
    }

    #[test]
    fn the_reference_words_said_align_and_the_question_words_count_for_nothing() {
        let question = "What does a load balancer do?";
        let reference = "A load balancer spreads requests across healthy targets.";
        let full = recall_of(
            "It spreads requests over healthy targets.",
            reference,
            question,
        );
        assert!(full.is_some_and(|r| r > 0.99), "{full:?}");
        let half = recall_of("It spreads requests.", reference, question).unwrap_or(1.0);
        let parrot =
            recall_of("A load balancer does load balancing.", reference, question).unwrap_or(1.0);
        assert!(half < 0.99 && parrot < half, "{half} {parrot}");
        assert_eq!(recall_of("", reference, question), Some(0.0));
        assert_eq!(recall_of("anything", "Load balancer.", question), None);
    }
}
