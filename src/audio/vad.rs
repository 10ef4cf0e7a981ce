//! Is anyone speaking? whisper invents words for silence and noise ("you", "(fire crackling)"),
//! so a voice-activity detector (earshot, a small neural VAD) decides before whisper runs.

use earshot::Detector;

use super::WHISPER_RATE;

/// Samples per VAD frame: earshot works on 16 ms frames at 16 kHz.
pub const FRAME: usize = 256;
/// A frame whose score reaches this counts as voiced.
const VOICED: f32 = 0.5;
/// Less voiced audio than this in a whole recording is not an answer.
const MIN_SPEECH_S: f64 = 0.25;

/// Voiced speech crosses zero far less often than broadband noise, which earshot alone can
/// take for a voice when it is loud (measured: uniform noise at RMS 0.29 scored as speech in
/// 181 of 187 frames). Frames crossing zero more often than this are not counted.
const MAX_ZERO_CROSSINGS: f32 = 0.3;

/// Which 16 ms frames of 16 kHz mono audio hold speech.
pub fn voiced_frames(samples: &[f32]) -> Vec<bool> {
    let mut detector = Detector::default();
    samples
        .chunks_exact(FRAME)
        .map(|frame| {
            detector.predict_f32(frame) >= VOICED && zero_crossing_rate(frame) < MAX_ZERO_CROSSINGS
        })
        .collect()
}

/// Whether one [`FRAME`] of 16 kHz mono audio is voiced, by the same rule as
/// [`voiced_frames`], for callers that see audio as it arrives and keep their own detector.
pub fn frame_is_voiced(detector: &mut Detector, frame: &[f32]) -> bool {
    detector.predict_f32(frame) >= VOICED && zero_crossing_rate(frame) < MAX_ZERO_CROSSINGS
}

fn zero_crossing_rate(frame: &[f32]) -> f32 {
    let crossings = frame
        .windows(2)
        .filter(|pair| (pair[0] >= 0.0) != (pair[1] >= 0.0))
        .count();
    crossings as f32 / frame.len().max(1) as f32
}

/// Seconds that these frames of [`voiced_frames`] hold voiced audio.
pub fn voiced_seconds(voiced: &[bool]) -> f64 {
    let frames = voiced.iter().filter(|v| **v).count();
    (frames * FRAME) as f64 / f64::from(WHISPER_RATE)
}

/// Whether this much voiced audio is enough to be an answer worth transcribing.
pub fn is_enough_speech(voiced_s: f64) -> bool {
    voiced_s >= MIN_SPEECH_S
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_speech(samples: &[f32]) -> bool {
        is_enough_speech(voiced_seconds(&voiced_frames(samples)))
    }

    #[test]
    fn silence_and_noise_of_any_level_are_not_speech() {
        assert!(!is_speech(&vec![0.0; 48_000]));
        assert!(!is_speech(&[]));
        let mut state = 12345u32;
        for level in [1.0f32, 0.3, 0.1, 0.03] {
            let noise: Vec<f32> = (0..48_000)
                .map(|_| {
                    state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    ((state >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * level
                })
                .collect();
            assert!(
                !is_speech(&noise),
                "white noise at {level} counted as speech"
            );
        }
    }

    #[test]
    fn zero_crossings_of_a_low_tone_and_of_alternating_samples() {
        let tone: Vec<f32> = (0..256).map(|i| (i as f32 * 0.05).sin()).collect();
        assert!(zero_crossing_rate(&tone) < 0.05);
        let buzz: Vec<f32> = (0..256)
            .map(|i| if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        assert!(zero_crossing_rate(&buzz) > 0.9);
    }
}
