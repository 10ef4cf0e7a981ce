//! How the voice moved: a pitch track of the voiced audio (YIN: de Cheveigné and Kawahara, 2002),
//! summed up as its median and its spread in semitones. Only frames the voice-activity detector
//! heard as speech are tracked, so breath, clicks and room noise between words add nothing.

use super::vad::{FRAME, voiced_frames};
use super::{Audio, WHISPER_RATE};
use crate::transcript::Pitch;

/// Speech is tracked at half whisper's rate: a voice's fundamental lies far below 4 kHz, and it
/// quarters the work.
const RATE: f64 = WHISPER_RATE as f64 / 2.0;
/// The lowest and highest fundamentals looked for: below a deep male voice, above a high female
/// or child's one.
const MIN_HZ: f64 = 60.0;
const MAX_HZ: f64 = 500.0;
/// Samples (at [`RATE`]) compared per lag: 30 ms, enough for two periods at the low end.
const WINDOW: usize = 240;
/// One pitch estimate every 20 ms: plenty for a median and a spread, at half the work of 10 ms
/// (measured: 10.5 minutes of speech in 1.3 s, the VAD included, on a busy 2-core machine).
const HOP: usize = 160;
/// YIN's absolute threshold: the first lag whose normalised difference falls below it is the
/// period (taking the first, not the deepest, avoids picking a multiple of the period).
const THRESHOLD: f64 = 0.15;
/// A frame whose best normalised difference stays above this is not periodic (a consonant, a
/// whisper); it gives no pitch.
const APERIODIC: f64 = 0.35;
/// Fewer pitched frames than this (0.3 s of voice) make no summary.
const MIN_FRAMES: usize = 15;

/// The voice's pitch over the voiced audio; `None` when too little of it is voiced and periodic.
pub fn track(audio: &Audio) -> Option<Pitch> {
    summarize(&contour(&audio.samples))
}

/// Pitch estimates (Hz), one per 20 ms of voiced, periodic audio, in time order.
pub fn contour(samples: &[f32]) -> Vec<f64> {
    let voiced = voiced_frames(samples);
    let half: Vec<f32> = samples
        .chunks_exact(2)
        .map(|pair| (pair[0] + pair[1]) / 2.0)
        .collect();
    let min_lag = (RATE / MAX_HZ).floor() as usize;
    let max_lag = (RATE / MIN_HZ).ceil() as usize;
    let mut diff = vec![0.0; max_lag + 1];
    let mut hz = Vec::new();
    let mut start = 0;
    while start + WINDOW + max_lag <= half.len() {
        // The VAD frame holding the middle of this window (VAD frames are at the full rate).
        let middle = (start + (WINDOW + max_lag) / 2) * 2;
        if voiced.get(middle / FRAME).copied().unwrap_or(false)
            && let Some(f0) = period(&half[start..start + WINDOW + max_lag], min_lag, &mut diff)
                .map(|lag| RATE / lag)
        {
            hz.push(f0);
        }
        start += HOP;
    }
    hz
}

/// The period in samples (fractional) of a frame of `WINDOW + max_lag` samples, if it has one.
fn period(frame: &[f32], min_lag: usize, diff: &mut [f64]) -> Option<f64> {
    let max_lag = diff.len() - 1;
    let (head, _) = frame.split_at(WINDOW);
    // The difference function, then each value over the running mean of those before it.
    diff[0] = 1.0;
    let mut running = 0.0;
    for lag in 1..=max_lag {
        let shifted = &frame[lag..lag + WINDOW];
        // f32 lanes vectorise twice as wide; 240 squares lose nothing that matters here.
        let d = f64::from(
            head.iter()
                .zip(shifted)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f32>(),
        );
        running += d;
        diff[lag] = if running > 0.0 {
            d * lag as f64 / running
        } else {
            1.0
        };
    }
    let below = (min_lag..max_lag).find(|&lag| diff[lag] < THRESHOLD);
    let lag = match below {
        // Walk down to the bottom of the dip that first crossed the threshold.
        Some(mut lag) => {
            while lag + 1 < max_lag && diff[lag + 1] < diff[lag] {
                lag += 1;
            }
            lag
        }
        None => {
            let best = (min_lag..max_lag).min_by(|a, b| diff[*a].total_cmp(&diff[*b]))?;
            if diff[best] > APERIODIC {
                return None;
            }
            best
        }
    };
    if lag <= min_lag || lag + 1 > max_lag {
        return None;
    }
    // A parabola through the dip and its neighbours places the period between samples.
    let (before, at, after) = (diff[lag - 1], diff[lag], diff[lag + 1]);
    let curve = before - 2.0 * at + after;
    let shift = if curve > 0.0 {
        (0.5 * (before - after) / curve).clamp(-0.5, 0.5)
    } else {
        0.0
    };
    Some(lag as f64 + shift)
}

/// Median and spread of a contour. The spread is the distance in semitones between the 10th and
/// the 90th percentile: the range a listener hears, without the odd octave error at either end.
pub fn summarize(hz: &[f64]) -> Option<Pitch> {
    if hz.len() < MIN_FRAMES {
        return None;
    }
    let mut sorted = hz.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |share: f64| sorted[((sorted.len() - 1) as f64 * share).round() as usize];
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    Some(Pitch {
        median_hz: round1(at(0.5)),
        spread_semitones: round1(12.0 * (at(0.9) / at(0.1)).log2()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(hz: impl Fn(f64) -> f64, seconds: f64) -> Vec<f32> {
        // A buzz with harmonics (as a voice has), at 8 kHz.
        let mut phase = 0.0;
        (0..(seconds * RATE) as usize)
            .map(|i| {
                phase += std::f64::consts::TAU * hz(i as f64 / RATE) / RATE;
                ((1..=5)
                    .map(|k| (phase * k as f64).sin() / k as f64)
                    .sum::<f64>()
                    * 0.3) as f32
            })
            .collect()
    }

    fn periods(samples: &[f32]) -> Vec<f64> {
        let max_lag = (RATE / MIN_HZ).ceil() as usize;
        let mut diff = vec![0.0; max_lag + 1];
        samples
            .windows(WINDOW + max_lag)
            .step_by(HOP)
            .filter_map(|frame| period(frame, (RATE / MAX_HZ) as usize, &mut diff))
            .map(|lag| RATE / lag)
            .collect()
    }

    #[test]
    fn the_period_of_harmonic_tones_is_found_within_a_percent() {
        for f0 in [85.0, 120.0, 210.0, 330.0] {
            let found = periods(&tone(|_| f0, 0.5));
            assert!(!found.is_empty(), "{f0} Hz: nothing found");
            for hz in found {
                assert!((hz / f0 - 1.0).abs() < 0.01, "{f0} Hz heard as {hz}");
            }
        }
    }

    #[test]
    fn noise_and_silence_have_no_period() {
        let mut state = 7u32;
        let noise: Vec<f32> = (0..4000)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (f64::from(state >> 8) / f64::from(1u32 << 24) - 0.5) as f32
            })
            .collect();
        assert!(periods(&noise).is_empty());
        assert!(periods(&[0.0; 4000]).is_empty());
    }

    #[test]
    fn a_glide_over_an_octave_spreads_about_ten_semitones_and_a_flat_tone_none()
    -> Result<(), String> {
        // 100 -> 200 Hz: from the 10th to the 90th percentile is 0.8 of the octave's 12 semitones.
        let glide = periods(&tone(|t| 100.0 * 2f64.powf(t / 2.0), 2.0));
        let pitch = summarize(&glide).ok_or("no summary of the glide")?;
        assert!((9.0..10.5).contains(&pitch.spread_semitones), "{pitch:?}");
        assert!((135.0..150.0).contains(&pitch.median_hz), "{pitch:?}");
        let flat = summarize(&periods(&tone(|_| 150.0, 1.0))).ok_or("no summary of the tone")?;
        assert_eq!(flat.spread_semitones, 0.0);
        assert_eq!(flat.median_hz, 150.0);
        assert_eq!(summarize(&[120.0; 5]), None, "too short to tell");
        Ok(())
    }
}
