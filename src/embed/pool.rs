//! From token vectors to one sentence vector: the mean over the real tokens, then unit length.
//! This is all-MiniLM-L6-v2's own recipe (its `1_Pooling/config.json` asks for mean pooling and
//! sentence-transformers normalises after it); the fake embedder of the tests uses it too.

use super::Embedding;

/// Mean of the rows of `tokens` (`mask.len()` rows of `dim` values each) whose mask is set.
///
/// Padding rows (mask 0) are left out: counting them would pull every sentence of a batch towards
/// the same padding vector. A sequence with no real token gives the zero vector.
pub fn mean_pool(tokens: &[f32], dim: usize, mask: &[bool]) -> Vec<f32> {
    debug_assert_eq!(tokens.len(), dim * mask.len());
    let mut sum = vec![0f32; dim];
    let mut count = 0usize;
    for (row, _) in tokens
        .chunks_exact(dim)
        .zip(mask)
        .filter(|(_, real)| **real)
    {
        for (total, value) in sum.iter_mut().zip(row) {
            *total += value;
        }
        count += 1;
    }
    if count > 0 {
        let scale = 1.0 / count as f32;
        sum.iter_mut().for_each(|v| *v *= scale);
    }
    sum
}

/// The sentence embedding of a sequence's token vectors: mean-pooled, then normalised.
pub fn sentence_embedding(tokens: &[f32], dim: usize, mask: &[bool]) -> Embedding {
    Embedding::normalised(mean_pool(tokens, dim, mask))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_rows_do_not_count() {
        let tokens = [1.0, 2.0, 3.0, 4.0, 5.0, 9.0];
        assert_eq!(mean_pool(&tokens, 2, &[true, true, false]), vec![2.0, 3.0]);
        assert_eq!(mean_pool(&tokens, 2, &[true, true, true]), vec![3.0, 5.0]);
        assert_eq!(mean_pool(&tokens, 2, &[false, true, true]), vec![4.0, 6.5]);
    }

    #[test]
    fn no_real_token_gives_the_zero_vector() {
        assert_eq!(mean_pool(&[5.0, 6.0], 2, &[false]), vec![0.0, 0.0]);
        let embedding = sentence_embedding(&[5.0, 6.0], 2, &[false]);
        assert_eq!(embedding.values(), &[0.0, 0.0]);
        assert_eq!(embedding.cosine(&embedding), 0.0);
    }

    #[test]
    fn sentence_embeddings_have_unit_length_and_keep_direction() {
        // Rows (3, 0, 1) and (1, 0, 3) average to (2, 0, 2): unit length is (1, 0, 1) / sqrt 2.
        let embedding = sentence_embedding(&[3.0, 0.0, 1.0, 1.0, 0.0, 3.0], 3, &[true, true]);
        let half = std::f32::consts::FRAC_1_SQRT_2;
        for (got, want) in embedding.values().iter().zip([half, 0.0, half]) {
            assert!((got - want).abs() < 1e-6, "{:?}", embedding.values());
        }
    }
}
