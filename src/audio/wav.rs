//! Reading recordings: WAV of any sample rate, sample format and channel count, converted to
//! 16 kHz mono f32 for whisper.

use std::path::Path;

use anyhow::{Context, Result, bail};
use hound::{SampleFormat, WavReader};

use super::{Audio, WHISPER_RATE, mix_down, resample::resample_mono};

/// A recording as read from disk, with what the file said about itself.
#[derive(Debug, Clone)]
pub struct Recording {
    pub audio: Audio,
    pub source_rate: u32,
    pub source_channels: u16,
    pub source_bits: u16,
    /// The file ended before its header said it would; the audio read so far is kept.
    pub truncated: bool,
}

pub fn read(path: &Path) -> Result<Recording> {
    let reader = WavReader::open(path).map_err(|err| match err {
        hound::Error::IoError(io) => {
            anyhow::Error::new(io).context(format!("cannot read {}", path.display()))
        }
        other => anyhow::anyhow!(
            "{} is not a WAV file rehearse can read ({other})\n  \
             Convert it with: sox {} -r 16000 -c 1 -b 16 answer.wav",
            path.display(),
            crate::fsutil::quoted(path)
        ),
    })?;
    let spec = reader.spec();
    if spec.channels == 0 || spec.sample_rate == 0 {
        bail!(
            "{} has an invalid WAV header (no channels or no sample rate)",
            path.display()
        );
    }
    let (interleaved, truncated) = samples_as_f32(reader)
        .with_context(|| format!("cannot read the samples of {}", path.display()))?;
    let mono = mix_down(&interleaved, usize::from(spec.channels));
    let samples = resample_mono(&mono, spec.sample_rate, WHISPER_RATE)?;
    Ok(Recording {
        audio: Audio { samples },
        source_rate: spec.sample_rate,
        source_channels: spec.channels,
        source_bits: spec.bits_per_sample,
        truncated,
    })
}

/// All samples scaled to [-1, 1]; stops at the first read error when the file is cut short.
fn samples_as_f32<R: std::io::Read>(mut reader: WavReader<R>) -> Result<(Vec<f32>, bool)> {
    let spec = reader.spec();
    let mut samples = Vec::with_capacity(reader.len() as usize);
    let mut truncated = false;
    let mut keep = |result: hound::Result<f32>| -> Result<bool> {
        match result {
            Ok(sample) => {
                samples.push(sample);
                Ok(true)
            }
            // hound reports a file that ends early as an I/O error ("Failed to read enough
            // bytes"); what came before it is good audio, e.g. a recording cut by a crash.
            Err(hound::Error::IoError(_)) => {
                truncated = true;
                Ok(false)
            }
            Err(err) => Err(err.into()),
        }
    };
    match (spec.sample_format, spec.bits_per_sample) {
        (SampleFormat::Float, 32) => {
            for s in reader.samples::<f32>() {
                if !keep(s)? {
                    break;
                }
            }
        }
        (SampleFormat::Int, bits @ 1..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            for s in reader.samples::<i32>() {
                if !keep(s.map(|v| v as f32 * scale))? {
                    break;
                }
            }
        }
        (format, bits) => bail!(
            "unsupported WAV sample format: {bits}-bit {}\n  \
             Convert it with: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav",
            if format == SampleFormat::Float {
                "float"
            } else {
                "integer"
            }
        ),
    }
    // Whole frames only: a cut in the middle of a frame would shift the channels.
    let channels = usize::from(spec.channels);
    samples.truncate(samples.len() - samples.len() % channels);
    Ok((samples, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, spec: hound::WavSpec, frames: usize) -> Result<()> {
        let mut writer = hound::WavWriter::create(path, spec)?;
        for i in 0..frames * usize::from(spec.channels) {
            let x = ((i / usize::from(spec.channels)) as f32 * 0.05).sin() * 0.5;
            match (spec.sample_format, spec.bits_per_sample) {
                (SampleFormat::Float, _) => writer.write_sample(x)?,
                (SampleFormat::Int, 8) => writer.write_sample((x * 127.0) as i8)?,
                (SampleFormat::Int, 16) => writer.write_sample((x * 32767.0) as i16)?,
                (SampleFormat::Int, bits) => {
                    writer.write_sample((x * ((1i64 << (bits - 1)) - 1) as f32) as i32)?
                }
            }
        }
        writer.finalize()?;
        Ok(())
    }

    fn spec(channels: u16, rate: u32, bits: u16, format: SampleFormat) -> hound::WavSpec {
        hound::WavSpec {
            channels,
            sample_rate: rate,
            bits_per_sample: bits,
            sample_format: format,
        }
    }

    #[test]
    fn reads_every_common_format_to_16k_mono() -> Result<()> {
        let dir = tempfile::tempdir()?;
        for (channels, rate, bits, format) in [
            (1, 16_000, 16, SampleFormat::Int),
            (2, 48_000, 16, SampleFormat::Int),
            (1, 44_100, 8, SampleFormat::Int),
            (1, 22_050, 24, SampleFormat::Int),
            (2, 8_000, 32, SampleFormat::Int),
            (1, 48_000, 32, SampleFormat::Float),
        ] {
            let path = dir.path().join(format!("{channels}-{rate}-{bits}.wav"));
            write(&path, spec(channels, rate, bits, format), rate as usize / 2)?;
            let recording = read(&path)?;
            let len = recording.audio.samples.len();
            assert!((len as i64 - 8_000).abs() <= 1, "{path:?}: {len} samples");
            let peak = recording
                .audio
                .samples
                .iter()
                .fold(0.0f32, |m, s| m.max(s.abs()));
            assert!((0.45..0.56).contains(&peak), "{path:?}: peak {peak}");
            assert_eq!(recording.source_rate, rate);
        }
        Ok(())
    }

    #[test]
    fn empty_truncated_and_non_wav_files() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let empty = dir.path().join("empty.wav");
        write(&empty, spec(1, 16_000, 16, SampleFormat::Int), 0)?;
        assert!(read(&empty)?.audio.samples.is_empty());

        let full = dir.path().join("full.wav");
        write(&full, spec(1, 16_000, 16, SampleFormat::Int), 16_000)?;
        let bytes = std::fs::read(&full)?;
        let cut = dir.path().join("cut.wav");
        std::fs::write(&cut, &bytes[..bytes.len() / 2 + 1])?;
        let recording = read(&cut)?;
        assert!(recording.truncated);
        assert!((7_900..8_100).contains(&recording.audio.samples.len()));

        let text = dir.path().join("notes.wav");
        std::fs::write(&text, "not audio at all")?;
        let err = read(&text).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("is not a WAV file"), "{err}");
        let zero = dir.path().join("zero.wav");
        std::fs::write(&zero, "")?;
        assert!(read(&zero).is_err());
        assert!(read(&dir.path().join("missing.wav")).is_err());
        Ok(())
    }
}
