//! From what a device delivers (any sample format, rate and channel count, as raw bytes) to what
//! whisper wants (16 kHz mono f32), a piece at a time. Runs on the capture thread, never on the
//! audio thread.

use anyhow::{Context, Result, bail};
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::WHISPER_RATE;

/// A PCM sample encoding, in native byte order (what cpal hands over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    I8,
    I16,
    /// 24-bit in the low bits of 4 bytes.
    I24,
    I32,
    I64,
    U8,
    U16,
    /// Unsigned 24-bit in the low bits of 4 bytes, centred on 2^23.
    U24,
    U32,
    U64,
    F32,
    F64,
}

impl Encoding {
    pub fn from_cpal(format: cpal::SampleFormat) -> Result<Self> {
        use cpal::SampleFormat as S;
        Ok(match format {
            S::I8 => Self::I8,
            S::I16 => Self::I16,
            S::I24 => Self::I24,
            S::I32 => Self::I32,
            S::I64 => Self::I64,
            S::U8 => Self::U8,
            S::U16 => Self::U16,
            S::U24 => Self::U24,
            S::U32 => Self::U32,
            S::U64 => Self::U64,
            S::F32 => Self::F32,
            S::F64 => Self::F64,
            other => bail!(
                "the device offers only {other} audio, which is not PCM; choose another device with --device"
            ),
        })
    }

    pub fn bytes(self) -> usize {
        match self {
            Self::I8 | Self::U8 => 1,
            Self::I16 | Self::U16 => 2,
            Self::I24 | Self::U24 | Self::I32 | Self::U32 | Self::F32 => 4,
            Self::I64 | Self::U64 | Self::F64 => 8,
        }
    }
}

/// Append the samples in `bytes` (a whole number of samples) to `out`, scaled to [-1, 1].
pub fn decode(encoding: Encoding, bytes: &[u8], out: &mut Vec<f32>) {
    fn each<const N: usize>(bytes: &[u8], out: &mut Vec<f32>, f: impl Fn([u8; N]) -> f32) {
        out.extend(bytes.chunks_exact(N).map(|c| {
            let mut a = [0u8; N];
            a.copy_from_slice(c);
            f(a)
        }));
    }
    const I24_SCALE: f32 = 1.0 / (1 << 23) as f32;
    match encoding {
        Encoding::I8 => each::<1>(bytes, out, |b| f32::from(i8::from_ne_bytes(b)) / 128.0),
        Encoding::U8 => each::<1>(bytes, out, |b| (f32::from(b[0]) - 128.0) / 128.0),
        Encoding::I16 => each::<2>(bytes, out, |b| f32::from(i16::from_ne_bytes(b)) / 32_768.0),
        Encoding::U16 => each::<2>(bytes, out, |b| {
            (f32::from(u16::from_ne_bytes(b)) - 32_768.0) / 32_768.0
        }),
        Encoding::I24 => each::<4>(bytes, out, |b| {
            // Sign-extend the low 24 bits, whatever the top byte holds.
            ((i32::from_ne_bytes(b) << 8) >> 8) as f32 * I24_SCALE
        }),
        Encoding::U24 => each::<4>(bytes, out, |b| {
            ((u32::from_ne_bytes(b) & 0x00ff_ffff) as f32 - (1 << 23) as f32) * I24_SCALE
        }),
        Encoding::I32 => each::<4>(bytes, out, |b| {
            (f64::from(i32::from_ne_bytes(b)) / 2_147_483_648.0) as f32
        }),
        Encoding::U32 => each::<4>(bytes, out, |b| {
            ((f64::from(u32::from_ne_bytes(b)) - 2_147_483_648.0) / 2_147_483_648.0) as f32
        }),
        Encoding::I64 => each::<8>(bytes, out, |b| {
            (i64::from_ne_bytes(b) as f64 / 9.223_372_036_854_776e18) as f32
        }),
        Encoding::U64 => each::<8>(bytes, out, |b| {
            ((u64::from_ne_bytes(b) as f64 - 9.223_372_036_854_776e18) / 9.223_372_036_854_776e18)
                as f32
        }),
        Encoding::F32 => each::<4>(bytes, out, f32::from_ne_bytes),
        Encoding::F64 => each::<8>(bytes, out, |b| f64::from_ne_bytes(b) as f32),
    }
}

/// Resamples mono audio as it arrives, with the same FFT resampler the WAV reader uses, so a
/// recording and the same audio read from a file come out alike. The resampler's start-up
/// delay is dropped and its tail flushed, so N input frames give round(N * ratio) output
/// frames, aligned with the input.
pub struct StreamResampler {
    inner: Option<Fft<f32>>,
    ratio: f64,
    pending: Vec<f32>,
    scratch: Vec<f32>,
    to_trim: usize,
    /// Input frames the resampler takes per call.
    chunk: usize,
    frames_in: u64,
    frames_out: u64,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler")
            .field("ratio", &self.ratio)
            .finish()
    }
}

const CHUNK: usize = 1024;

impl StreamResampler {
    pub fn new(from_rate: u32, to_rate: u32) -> Result<Self> {
        let inner = if from_rate == to_rate {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    from_rate as usize,
                    to_rate as usize,
                    CHUNK,
                    1,
                    FixedSync::Input,
                )
                .with_context(|| format!("cannot resample from {from_rate} Hz to {to_rate} Hz"))?,
            )
        };
        let to_trim = inner.as_ref().map_or(0, |r| r.output_delay());
        let scratch = vec![0.0; inner.as_ref().map_or(0, |r| r.output_frames_max())];
        let chunk = inner.as_ref().map_or(CHUNK, |r| r.input_frames_next());
        Ok(Self {
            inner,
            ratio: f64::from(to_rate) / f64::from(from_rate),
            pending: Vec::with_capacity(CHUNK * 2),
            scratch,
            to_trim,
            chunk,
            frames_in: 0,
            frames_out: 0,
        })
    }

    /// Feed input; resampled output is appended to `out`.
    pub fn push(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<()> {
        self.frames_in += input.len() as u64;
        if self.inner.is_none() {
            out.extend_from_slice(input);
            self.frames_out += input.len() as u64;
            return Ok(());
        }
        self.pending.extend_from_slice(input);
        let mut start = 0;
        while self.pending.len() - start >= self.chunk {
            self.run_chunk(start, None, out)?;
            start += self.chunk;
        }
        self.pending.drain(..start);
        Ok(())
    }

    /// The end of the input: flush what the resampler still holds.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<()> {
        if self.inner.is_none() {
            return Ok(());
        }
        let expected = (self.frames_in as f64 * self.ratio).round() as u64;
        let partial = self.pending.len();
        self.pending.resize(self.chunk, 0.0);
        self.run_chunk(0, Some(partial), out)?;
        let mut guard = 0;
        while self.frames_out < expected && guard < 64 {
            self.pending.fill(0.0);
            self.run_chunk(0, Some(0), out)?;
            guard += 1;
        }
        let extra = self.frames_out.saturating_sub(expected) as usize;
        out.truncate(out.len().saturating_sub(extra));
        self.frames_out -= extra as u64;
        self.pending.clear();
        Ok(())
    }

    fn run_chunk(
        &mut self,
        start: usize,
        partial: Option<usize>,
        out: &mut Vec<f32>,
    ) -> Result<()> {
        let Some(resampler) = self.inner.as_mut() else {
            return Ok(());
        };
        let chunk = self.chunk;
        let input = InterleavedSlice::new(&self.pending[start..start + chunk], 1, chunk)
            .context("resampler input")?;
        let capacity = self.scratch.len();
        let mut output = InterleavedSlice::new_mut(&mut self.scratch, 1, capacity)
            .context("resampler output")?;
        let indexing = Indexing {
            input_offset: 0,
            output_offset: 0,
            partial_len: partial,
            active_channels_mask: None,
        };
        let (_, written) = resampler
            .process_into_buffer(&input, &mut output, Some(&indexing))
            .context("resampling failed")?;
        let skip = self.to_trim.min(written);
        self.to_trim -= skip;
        out.extend_from_slice(&self.scratch[skip..written]);
        self.frames_out += (written - skip) as u64;
        Ok(())
    }
}

/// Raw device bytes in, 16 kHz mono f32 out, across reads that may split samples and frames.
#[derive(Debug)]
pub struct ToWhisper {
    encoding: Encoding,
    channels: usize,
    carry: Vec<u8>,
    interleaved: Vec<f32>,
    mono: Vec<f32>,
    resampler: StreamResampler,
    /// Largest absolute sample seen on any channel before mixing, to tell clipping apart.
    peak: f32,
}

impl ToWhisper {
    pub fn new(encoding: Encoding, channels: u16, rate: u32) -> Result<Self> {
        if channels == 0 || rate == 0 {
            bail!(
                "the device reports {channels} channels at {rate} Hz; choose another device with --device"
            );
        }
        Ok(Self {
            encoding,
            channels: usize::from(channels),
            carry: Vec::new(),
            interleaved: Vec::new(),
            mono: Vec::new(),
            resampler: StreamResampler::new(rate, WHISPER_RATE)?,
            peak: 0.0,
        })
    }

    /// Convert `bytes`; whole frames go out now, a split frame waits for the next call.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<f32>) -> Result<()> {
        let frame = self.encoding.bytes() * self.channels;
        self.carry.extend_from_slice(bytes);
        let whole = self.carry.len() - self.carry.len() % frame;
        self.interleaved.clear();
        decode(self.encoding, &self.carry[..whole], &mut self.interleaved);
        self.carry.drain(..whole);
        self.peak = self
            .interleaved
            .iter()
            .fold(self.peak, |m, s| m.max(s.abs()));
        self.mono.clear();
        if self.channels == 1 {
            self.mono.extend_from_slice(&self.interleaved);
        } else {
            let scale = 1.0 / self.channels as f32;
            self.mono.extend(
                self.interleaved
                    .chunks_exact(self.channels)
                    .map(|f| f.iter().sum::<f32>() * scale),
            );
        }
        self.resampler.push(&self.mono, out)
    }

    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<()> {
        self.carry.clear();
        self.resampler.finish(out)
    }

    /// The largest absolute sample of any channel since the last call, before mixing down.
    pub fn take_peak(&mut self) -> f32 {
        std::mem::take(&mut self.peak)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_maps_full_scale_and_zero() {
        let cases: Vec<(Encoding, Vec<u8>, [f32; 3])> = vec![
            (
                Encoding::I8,
                [i8::MIN, 0, i8::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (Encoding::U8, vec![0, 128, 255], [-1.0, 0.0, 1.0]),
            (
                Encoding::I16,
                [i16::MIN, 0, i16::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::U16,
                [0u16, 32_768, u16::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::I24,
                [-(1i32 << 23), 0, (1 << 23) - 1]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::U24,
                [0u32, 1 << 23, (1 << 24) - 1]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::I32,
                [i32::MIN, 0, i32::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::U32,
                [0u32, 1 << 31, u32::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::I64,
                [i64::MIN, 0, i64::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::U64,
                [0u64, 1 << 63, u64::MAX]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::F32,
                [-1.0f32, 0.0, 1.0]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
            (
                Encoding::F64,
                [-1.0f64, 0.0, 1.0]
                    .iter()
                    .flat_map(|v| v.to_ne_bytes())
                    .collect(),
                [-1.0, 0.0, 1.0],
            ),
        ];
        for (encoding, bytes, want) in cases {
            assert_eq!(bytes.len(), 3 * encoding.bytes(), "{encoding:?}");
            let mut out = Vec::new();
            decode(encoding, &bytes, &mut out);
            assert_eq!(out.len(), 3, "{encoding:?}");
            // 8-bit full scale is 127/128 on the positive side.
            let tolerance = if encoding.bytes() == 1 { 0.01 } else { 1e-3 };
            for (got, want) in out.iter().zip(want) {
                assert!((got - want).abs() < tolerance, "{encoding:?}: {out:?}");
            }
        }
        // The top byte of a 24-bit sample is padding and must not change its value.
        let mut out = Vec::new();
        decode(
            Encoding::I24,
            &(0x7f00_0001u32 as i32).to_ne_bytes(),
            &mut out,
        );
        assert!((out[0] - 1.0 / (1 << 23) as f32).abs() < 1e-9, "{out:?}");
    }

    fn tone(rate: u32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|i| (i as f32 / rate as f32 * 440.0 * std::f32::consts::TAU).sin() * 0.5)
            .collect()
    }

    #[test]
    fn streaming_resampling_matches_resampling_all_at_once() -> Result<()> {
        for rate in [8_000, 44_100, 48_000] {
            let input = tone(rate, 2.0);
            let whole = super::super::resample::resample_mono(&input, rate, WHISPER_RATE)?;
            let mut streamed = Vec::new();
            let mut resampler = StreamResampler::new(rate, WHISPER_RATE)?;
            // Odd piece sizes, as a device would deliver them.
            for piece in input.chunks(333) {
                resampler.push(piece, &mut streamed)?;
            }
            resampler.finish(&mut streamed)?;
            assert!(
                (streamed.len() as i64 - whole.len() as i64).abs() <= 1,
                "{rate}: {} vs {}",
                streamed.len(),
                whole.len()
            );
            let worst = streamed
                .iter()
                .zip(&whole)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0f32, f32::max);
            assert!(
                worst < 1e-3,
                "{rate}: streamed differs from whole by {worst}"
            );
        }
        Ok(())
    }

    #[test]
    fn stereo_48k_i16_bytes_in_split_reads_become_16k_mono() -> Result<()> {
        // Left carries the tone, right is silent: the mix is half the tone.
        let left = tone(48_000, 1.0);
        let bytes: Vec<u8> = left
            .iter()
            .flat_map(|s| {
                let l = (s * 32_767.0) as i16;
                [l.to_ne_bytes(), 0i16.to_ne_bytes()].concat()
            })
            .collect();
        let mut convert = ToWhisper::new(Encoding::I16, 2, 48_000)?;
        let mut out = Vec::new();
        // 7-byte reads split samples and frames.
        for piece in bytes.chunks(7) {
            convert.push(piece, &mut out)?;
        }
        convert.finish(&mut out)?;
        assert!((out.len() as i64 - 16_000).abs() <= 1, "{}", out.len());
        let rms = (out[1000..15_000].iter().map(|v| v * v).sum::<f32>() / 14_000.0).sqrt();
        assert!((rms - 0.1768).abs() < 0.005, "rms {rms}");
        assert!((convert.take_peak() - 0.5).abs() < 0.01);
        assert_eq!(convert.take_peak(), 0.0);
        Ok(())
    }
}
