//! Reading recordings: WAV of any sample rate, sample format and channel count, converted to
//! 16 kHz mono f32 for whisper.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, Result, bail};
use hound::{SampleFormat, WavReader};

use super::convert::StreamResampler;
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
    let mut reader = open_checked(path)?;
    let spec = reader.spec();
    let mut interleaved = Vec::with_capacity(reader.len() as usize);
    let truncated = read_f32(&mut reader, usize::MAX, &mut interleaved)
        .with_context(|| format!("cannot read the samples of {}", path.display()))?
        == Read::Truncated;
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

/// A recording read a second at a time and converted to 16 kHz mono as it goes: the memory it
/// takes is the same for an hour as for a minute.
pub struct WavStream {
    reader: WavReader<BufReader<File>>,
    channels: usize,
    resampler: StreamResampler,
    interleaved: Vec<f32>,
    ended: bool,
    /// The file ended before its header said it would; the audio before that is used.
    pub truncated: bool,
    /// 16 kHz samples handed out so far.
    given: u64,
}

impl std::fmt::Debug for WavStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WavStream")
            .field("spec", &self.reader.spec())
            .field("given", &self.given)
            .finish()
    }
}

/// Open a recording to read as a stream; a file that is no WAV rehearse can read fails here.
pub fn stream(path: &Path) -> Result<WavStream> {
    let reader = open_checked(path)?;
    let spec = reader.spec();
    Ok(WavStream {
        channels: usize::from(spec.channels),
        resampler: StreamResampler::new(spec.sample_rate, WHISPER_RATE)?,
        reader,
        interleaved: Vec::new(),
        ended: false,
        truncated: false,
        given: 0,
    })
}

impl WavStream {
    /// How long the header says the recording is.
    pub fn header_duration_s(&self) -> f64 {
        f64::from(self.reader.duration()) / f64::from(self.reader.spec().sample_rate)
    }

    /// How long the audio handed out so far is.
    pub fn duration_s(&self) -> f64 {
        self.given as f64 / f64::from(WHISPER_RATE)
    }

    /// The next second or so of audio into `out` (cleared first); false once the recording
    /// has been read to its end.
    pub fn next_chunk(&mut self, out: &mut Vec<f32>) -> Result<bool> {
        out.clear();
        if self.ended {
            return Ok(false);
        }
        let frames = self.reader.spec().sample_rate as usize;
        self.interleaved.clear();
        let read = read_f32(
            &mut self.reader,
            frames * self.channels,
            &mut self.interleaved,
        )
        .context("cannot read the samples of the recording")?;
        let mono = mix_down(&self.interleaved, self.channels);
        self.resampler.push(&mono, out)?;
        if read != Read::More {
            self.truncated = read == Read::Truncated;
            self.ended = true;
            self.resampler.finish(out)?;
        }
        self.given += out.len() as u64;
        Ok(true)
    }
}

/// A WAV file's reader, its header checked.
fn open_checked(path: &Path) -> Result<WavReader<BufReader<File>>> {
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
    Ok(reader)
}

/// How a read of samples ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    /// It took all it was asked for; there may be more.
    More,
    /// The file's samples are all read.
    End,
    /// The file ended before its header said it would.
    Truncated,
}

/// Up to `max` more samples scaled to [-1, 1], appended to `samples`, whole frames only; stops
/// at the first read error when the file is cut short.
fn read_f32<R: std::io::Read>(
    reader: &mut WavReader<R>,
    max: usize,
    samples: &mut Vec<f32>,
) -> Result<Read> {
    let spec = reader.spec();
    let before = samples.len();
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
            for s in reader.samples::<f32>().take(max) {
                if !keep(s)? {
                    break;
                }
            }
        }
        (SampleFormat::Int, bits @ 1..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            for s in reader.samples::<i32>().take(max) {
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
    let read = samples.len() - before;
    samples.truncate(samples.len() - read % channels);
    Ok(if truncated {
        Read::Truncated
    } else if read == max {
        Read::More
    } else {
        Read::End
    })
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

    #[test]
    fn a_stream_gives_the_audio_a_whole_read_gives() -> Result<()> {
        let dir = tempfile::tempdir()?;
        for (channels, rate) in [(1, 16_000), (2, 48_000), (1, 44_100)] {
            let path = dir.path().join(format!("{channels}-{rate}.wav"));
            // 3.5 s: several pieces and a part-filled last one.
            write(
                &path,
                spec(channels, rate, 16, SampleFormat::Int),
                rate as usize * 7 / 2,
            )?;
            let whole = read(&path)?.audio.samples;
            let mut stream = stream(&path)?;
            let (mut streamed, mut piece) = (Vec::new(), Vec::new());
            while stream.next_chunk(&mut piece)? {
                assert!(piece.len() <= 17_000, "a piece is about a second");
                streamed.extend_from_slice(&piece);
            }
            assert!(streamed.len().abs_diff(whole.len()) <= 2, "{path:?}");
            let worst = whole
                .iter()
                .zip(&streamed)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(worst < 0.01, "{path:?}: differs by {worst}");
            assert_eq!(stream.duration_s(), streamed.len() as f64 / 16_000.0);
            assert!(!stream.truncated);
        }
        let full = dir.path().join("full.wav");
        write(&full, spec(1, 16_000, 16, SampleFormat::Int), 32_000)?;
        let bytes = std::fs::read(&full)?;
        let cut = dir.path().join("cut.wav");
        std::fs::write(&cut, &bytes[..bytes.len() / 2 + 1])?;
        let mut stream = stream(&cut)?;
        let mut piece = Vec::new();
        while stream.next_chunk(&mut piece)? {}
        assert!(stream.truncated);
        assert!((0.9..1.1).contains(&stream.duration_s()));
        Ok(())
    }
}
