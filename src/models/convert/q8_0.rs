//! ggml's q8_0 quantization of a weight matrix, block by block.

use half::f16;

/// ggml's reference q8_0 (the deterministic one used to create model files): scale by the inverse
/// of max|x|/127 in f32, round half away from zero, store the scale as f16 before the 32 bytes.
pub(super) fn quantize(block: &[f32], out: &mut Vec<u8>) {
    let amax = block.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    out.extend_from_slice(&f16::from_f32(d).to_le_bytes());
    out.extend(block.iter().map(|&v| (v * id).round() as i8 as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_its_scale_then_rounded_bytes() {
        let block: Vec<f32> = (0..32).map(|i| i as f32 - 16.0).collect();
        let mut out = Vec::new();
        quantize(&block, &mut out);
        assert_eq!(out.len(), 34);
        assert_eq!(
            f16::from_le_bytes([out[0], out[1]]),
            f16::from_f32(16.0 / 127.0)
        );
        assert_eq!(out[2] as i8, -127);
        assert_eq!(out[2 + 16] as i8, 0);
        // 1 * 127/16 = 7.94 -> 8; 8 * 127/16 = 63.5 rounds away from zero.
        assert_eq!(
            [out[2 + 17] as i8, out[2 + 24] as i8, out[33] as i8],
            [8, 64, 119]
        );
        out.clear();
        quantize(&[0.0; 32], &mut out);
        assert_eq!(out, [0; 34]);
    }
}
