//! Sample-rate conversion with rubato's FFT resampler (band-limited, no aliasing), never by
//! dropping or repeating samples.

use anyhow::{Context, Result};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Resample mono audio from `from_rate` to `to_rate`.
pub fn resample_mono(samples: &[f32], from_rate: u32, to_rate: u32) -> Result<Vec<f32>> {
    if from_rate == to_rate || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let mut resampler = Fft::<f32>::new(
        from_rate as usize,
        to_rate as usize,
        1024,
        1,
        FixedSync::Input,
    )
    .with_context(|| format!("cannot resample from {from_rate} Hz to {to_rate} Hz"))?;
    let input = InterleavedSlice::new(samples, 1, samples.len()).context("resampler input")?;
    let capacity = resampler.process_all_needed_output_len(samples.len());
    let mut output = vec![0.0f32; capacity];
    let mut output_adapter =
        InterleavedSlice::new_mut(&mut output, 1, capacity).context("resampler output")?;
    let (_, written) = resampler
        .process_all_into_buffer(&input, &mut output_adapter, samples.len(), None)
        .context("resampling failed")?;
    output.truncate(written);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(rate: u32, hz: f32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|i| (i as f32 / rate as f32 * hz * std::f32::consts::TAU).sin() * 0.5)
            .collect()
    }

    fn rms(x: &[f32]) -> f32 {
        (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt()
    }

    #[test]
    fn keeps_duration_and_level_of_a_tone() -> Result<()> {
        for rate in [8_000, 22_050, 44_100, 48_000] {
            let out = resample_mono(&tone(rate, 440.0, 1.0), rate, 16_000)?;
            assert!(
                (out.len() as i64 - 16_000).abs() <= 1,
                "{rate}: {}",
                out.len()
            );
            let level = rms(&out[1000..15000]);
            assert!((level - 0.3536).abs() < 0.01, "{rate}: rms {level}");
        }
        Ok(())
    }

    #[test]
    fn removes_what_the_new_rate_cannot_carry() -> Result<()> {
        // 12 kHz is above the 8 kHz Nyquist limit of 16 kHz audio: it must vanish, not alias.
        let out = resample_mono(&tone(48_000, 12_000.0, 1.0), 48_000, 16_000)?;
        assert!(rms(&out[1000..15000]) < 0.01);
        Ok(())
    }

    #[test]
    fn same_rate_and_empty_input_pass_through() -> Result<()> {
        assert_eq!(resample_mono(&[0.1, 0.2], 16_000, 16_000)?, vec![0.1, 0.2]);
        assert!(resample_mono(&[], 48_000, 16_000)?.is_empty());
        Ok(())
    }
}
