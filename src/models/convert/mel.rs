//! The mel filter bank whisper.cpp reads from the model file.

const SAMPLE_RATE: f64 = 16_000.0;
const N_FFT: usize = 400;
/// Frequency bins of one FFT frame: the filter table's width.
pub const N_FREQ_BINS: usize = N_FFT / 2 + 1;

fn hz_to_mel(hz: f64) -> f64 {
    // Slaney: linear below 1 kHz, logarithmic above.
    let f_sp = 200.0 / 3.0;
    let min_log_mel = 1000.0 / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if hz >= 1000.0 {
        min_log_mel + (hz / 1000.0).ln() / logstep
    } else {
        hz / f_sp
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    let f_sp = 200.0 / 3.0;
    let min_log_mel = 1000.0 / f_sp;
    let logstep = 6.4f64.ln() / 27.0;
    if mel >= min_log_mel {
        1000.0 * (logstep * (mel - min_log_mel)).exp()
    } else {
        f_sp * mel
    }
}

/// librosa's `filters.mel(sr=16000, n_fft=400, n_mels)` (Slaney scale and area norm), row-major
/// `n_mels × 201`. The arithmetic follows numpy's order of operations and both of librosa's f32
/// roundings, which reproduces OpenAI's published 80-band table bit for bit.
pub fn filters(n_mels: usize) -> Vec<f32> {
    let bin_hz = 1.0 / (N_FFT as f64 * (1.0 / SAMPLE_RATE));
    let fft_freqs: Vec<f64> = (0..N_FREQ_BINS).map(|k| k as f64 * bin_hz).collect();

    let n_points = n_mels + 2;
    let max_mel = hz_to_mel(SAMPLE_RATE / 2.0);
    let step = max_mel / (n_points - 1) as f64;
    let mel_f: Vec<f64> = (0..n_points)
        .map(|i| {
            if i == n_points - 1 {
                max_mel
            } else {
                i as f64 * step
            }
        })
        .map(mel_to_hz)
        .collect();

    let mut weights = Vec::with_capacity(n_mels * N_FREQ_BINS);
    for i in 0..n_mels {
        let (lo, mid, hi) = (mel_f[i], mel_f[i + 1], mel_f[i + 2]);
        let enorm = 2.0 / (hi - lo);
        weights.extend(fft_freqs.iter().map(|&f| {
            let lower = -(lo - f) / (mid - lo);
            let upper = (hi - f) / (hi - mid);
            // `>=` keeps the -0.0 numpy's maximum(0, -0.0) returns at cell [0][0], as in OpenAI's
            // mel_filters.npz; real negatives become +0.0.
            let tri = lower.min(upper);
            let tri = if tri >= 0.0 { tri as f32 } else { 0.0 };
            (f64::from(tri) * enorm) as f32
        }));
    }
    weights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mel_filters_match_openai_table() {
        let m = filters(80);
        assert_eq!(m.len(), 80 * 201);
        let at = |r: usize, c: usize| m[r * 201 + c];
        // Bit patterns from OpenAI's whisper/assets/mel_filters.npz (mel_80).
        for (r, c, bits) in [
            (0, 1, 0x3ccb_aca4),
            (1, 2, 0x3cbb_5d95),
            (10, 10, 0x3ca3_168f),
            (10, 11, 0x3ba2_584f),
            (39, 41, 0x3c3c_33a5),
            (40, 43, 0x3c71_6d72),
            (79, 192, 0x3b4f_670e),
            (79, 199, 0x39eb_476a),
            (79, 200, 0),
            (40, 60, 0),
        ] {
            assert_eq!(at(r, c).to_bits(), bits, "cell [{r}][{c}]");
        }
        assert_eq!(
            at(0, 0).to_bits(),
            0x8000_0000,
            "librosa leaves -0.0 at [0][0]"
        );
        assert!(m.iter().all(|&v| v >= 0.0 && v.is_finite()));
        assert_eq!(m.iter().filter(|&&v| v != 0.0).count(), 391);

        let row_sum = |r: usize| {
            m[r * 201..(r + 1) * 201]
                .iter()
                .map(|&v| f64::from(v))
                .sum::<f64>()
        };
        for (r, sum) in [
            (0, 0.02486259490251541),
            (10, 0.024862592574208975),
            (40, 0.026664861012250185),
            (79, 0.024925339792389423),
        ] {
            assert!((row_sum(r) - sum).abs() < 1e-12, "row {r}: {}", row_sum(r));
        }
        let total: f64 = m.iter().map(|&v| f64::from(v)).sum();
        assert!((total - 1.999024092387117).abs() < 1e-9, "{total}");
        let argmax = |r: usize| {
            (0..201)
                .max_by(|&a, &b| at(r, a).total_cmp(&at(r, b)))
                .unwrap()
        };
        assert_eq!(
            [argmax(0), argmax(10), argmax(40), argmax(79)],
            [1, 10, 43, 192]
        );
    }

    #[test]
    fn mel_filters_128_bands() {
        let m = filters(128);
        assert_eq!(m.len(), 128 * 201);
        assert_eq!(m[1].to_bits(), 0x3c4a_bc43);
        assert_eq!(m[127 * 201 + 196].to_bits(), 0x3b92_0d0a);
        assert_eq!(m.iter().filter(|&&v| v != 0.0).count(), 394);
        let total: f64 = m.iter().map(|&v| f64::from(v)).sum();
        assert!((total - 3.1909855409403463).abs() < 1e-9, "{total}");
    }
}
