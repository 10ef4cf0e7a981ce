//! Audio at the edges: reading recordings, converting them to what whisper wants (16 kHz mono
//! f32), and telling speech from silence.

pub mod capture;
pub mod convert;
pub mod device;
pub mod phrases;
pub mod pitch;
pub mod resample;
pub mod ring;
pub mod vad;
pub mod wav;

/// The sample rate whisper works at.
pub const WHISPER_RATE: u32 = 16_000;

/// Mono audio at [`WHISPER_RATE`], samples in [-1, 1].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audio {
    pub samples: Vec<f32>,
}

impl Audio {
    pub fn duration_s(&self) -> f64 {
        self.samples.len() as f64 / f64::from(WHISPER_RATE)
    }
}

/// Average interleaved channels into one.
pub fn mix_down(interleaved: &[f32], channels: usize) -> Vec<f32> {
    if channels <= 1 {
        return interleaved.to_vec();
    }
    interleaved
        .chunks_exact(channels)
        .map(|frame| frame.iter().sum::<f32>() / channels as f32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mix_down_averages_frames_and_drops_a_partial_one() {
        assert_eq!(mix_down(&[1.0, 0.0, 0.5, 0.5, 0.9], 2), vec![0.5, 0.5]);
        assert_eq!(mix_down(&[0.1, 0.2], 1), vec![0.1, 0.2]);
    }
}
