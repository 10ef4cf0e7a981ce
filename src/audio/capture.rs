//! Recording an answer: a source (a cpal input stream, or a WAV file played at real-time speed
//! for tests and benchmarks) copies raw samples into a lock-free ring; a capture thread takes them
//! out, converts them to 16 kHz mono, writes the recording to WAV as it goes (so a crash or
//! Ctrl-C keeps what was said), measures the level, and hands the audio to a sink (the phrase
//! cutter of the streaming transcriber).

use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use cpal::traits::{DeviceTrait, StreamTrait};

use super::WHISPER_RATE;
use super::convert::{Encoding, ToWhisper};
use super::device::{self, NoMicrophone};
use super::ring::{RingReader, RingWriter, ring};

/// Where the audio comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A microphone: the default one, or one named as `--device` takes it.
    Mic(Option<String>),
    /// A WAV file delivered at `speed` times real time, in 10 ms buffers, through the same ring
    /// as a device (`--device wav:PATH`). Tests and benchmarks use it to pace speech the way a
    /// person speaks; after the file it delivers silence, like a microphone in a quiet room.
    Wav { path: PathBuf, speed: f64 },
}

impl Input {
    /// `--device` as given: `wav:PATH` is a paced recording, anything else a device name.
    /// `REHEARSE_WAV_SPEED` speeds a paced recording up (benchmarks of long answers).
    pub fn from_device_arg(device: Option<&str>, speed: Option<f64>) -> Self {
        match device.and_then(|d| d.strip_prefix("wav:")) {
            Some(path) => Self::Wav {
                path: PathBuf::from(path),
                speed: speed.filter(|s| *s > 0.0).unwrap_or(1.0),
            },
            None => Self::Mic(device.map(str::to_owned)),
        }
    }

    /// Whether it can be opened now, or why not. A recording played as the microphone always
    /// can (a missing file is found when it is opened).
    pub fn check(&self) -> Result<(), NoMicrophone> {
        match self {
            Self::Wav { .. } => Ok(()),
            Self::Mic(name) => {
                let (found, label) = device::find(name.as_deref())?;
                device::stream_config(&found, &label).map(drop)
            }
        }
    }
}

/// What the answer screen shows, updated by the capture thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level {
    /// Seconds of audio captured (the audio clock).
    pub seconds: f64,
    /// Loudness of the last 100 ms, dBFS (-100 for digital silence).
    pub db: f32,
    /// The largest sample of the last 100 ms, before mixing down (0..1).
    pub peak: f32,
    /// The loudest 100 ms so far, dBFS.
    pub max_db: f32,
    /// Audio time of the last buffer that reached full scale.
    pub clipped_at: Option<f64>,
    /// Audio time of the last 100 ms that was louder than [`SIGNAL_DB`].
    pub signal_at: Option<f64>,
    /// The capture reached its length limit.
    pub full: bool,
}

/// Quieter than this is no signal at all: a muted, disconnected or wrong input. A working
/// microphone's noise floor in a quiet room is well above it.
pub const SIGNAL_DB: f32 = -65.0;
/// A sample this close to full scale means the input clips.
const CLIP: f32 = 0.99;

/// Where the 16 kHz mono audio goes, on the capture thread.
pub trait Sink: Send {
    fn audio(&mut self, samples: &[f32]);
    /// The recording ended; nothing more will come.
    fn end(&mut self);
}

/// A finished recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub path: PathBuf,
    pub duration_s: f64,
    /// Buffers the capture thread could not take in time (lost audio).
    pub overruns: u64,
    pub dropped_bytes: u64,
    /// Buffers the device itself lost (ALSA xruns).
    pub xruns: u64,
    /// Loudness of the whole recording, dBFS.
    pub rms_db: f32,
    pub peak: f32,
}

/// Why the device stopped delivering audio.
const LOST_NONE: u8 = 0;
const LOST_GONE: u8 = 1;
const LOST_ERROR: u8 = 2;

#[derive(Debug, Default)]
struct Shared {
    stop: AtomicBool,
    /// Set by the stream's error callback (audio thread: an atomic store, nothing else).
    lost: AtomicU8,
    xruns: AtomicU64,
    level: Mutex<Level>,
}

/// A recording in progress.
pub struct Capture {
    shared: Arc<Shared>,
    stream: Option<cpal::Stream>,
    feeder: Option<JoinHandle<()>>,
    pump: Option<JoinHandle<Result<Recorded>>>,
    /// The device's name, or the paced file's.
    pub source_name: String,
    /// The format it delivers, e.g. "F32, 2 ch, 48000 Hz".
    pub source_format: String,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture")
            .field("source", &self.source_name)
            .finish()
    }
}

/// Ring capacity in seconds of the device's audio: the capture thread may stall this long
/// (e.g. while the machine is busy transcribing) before audio is lost.
const RING_S: u32 = 4;

impl Capture {
    /// Start recording to `wav_path`. Stops by itself after `max_s` seconds of audio. Problems
    /// with the device come back as [`NoMicrophone`].
    pub fn start(input: &Input, wav_path: &Path, max_s: f64, sink: Box<dyn Sink>) -> Result<Self> {
        let shared = Arc::new(Shared::default());
        if let Ok(mut level) = shared.level.lock() {
            level.db = -100.0;
            level.max_db = -100.0;
        }
        let (stream, feeder, reader, encoding, channels, rate, source_name) = match input {
            Input::Mic(name) => {
                let (device, label) = device::find(name.as_deref())?;
                let (config, format) = device::stream_config(&device, &label)?;
                let encoding =
                    Encoding::from_cpal(format).map_err(|err| NoMicrophone(err.to_string()))?;
                let bytes_per_s =
                    config.sample_rate as usize * usize::from(config.channels) * encoding.bytes();
                let (writer, reader) = ring(bytes_per_s * RING_S as usize);
                let stream = open_stream(
                    &device,
                    &label,
                    &config,
                    format,
                    writer,
                    bytes_per_s,
                    &shared,
                )?;
                (
                    Some(stream),
                    None,
                    reader,
                    encoding,
                    config.channels,
                    config.sample_rate,
                    label,
                )
            }
            Input::Wav { path, speed } => {
                let (feeder, reader, encoding, channels, rate) =
                    start_paced(path, *speed, &shared)?;
                (
                    None,
                    Some(feeder),
                    reader,
                    encoding,
                    channels,
                    rate,
                    format!("wav:{}", path.display()),
                )
            }
        };
        let source_format = format!("{encoding:?}, {channels} ch, {rate} Hz");
        let convert = ToWhisper::new(encoding, channels, rate)?;
        let file = create_wav(wav_path)?;
        let max_samples = (max_s.max(0.0) * f64::from(WHISPER_RATE)) as u64;
        let pump_shared = Arc::clone(&shared);
        let path = wav_path.to_path_buf();
        let pump = std::thread::Builder::new()
            .name("rehearse-capture".into())
            .spawn(move || pump(reader, convert, file, path, max_samples, sink, &pump_shared))
            .context("cannot start the capture thread")?;
        Ok(Self {
            shared,
            stream,
            feeder,
            pump: Some(pump),
            source_name,
            source_format,
        })
    }

    pub fn level(&self) -> Level {
        self.shared
            .level
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default()
    }

    /// The device went away (unplugged) or failed; what was recorded is kept.
    pub fn lost(&self) -> Option<&'static str> {
        match self.shared.lost.load(Ordering::Relaxed) {
            LOST_NONE => None,
            LOST_GONE => Some("the microphone went away (unplugged?)"),
            _ => Some("the microphone stopped delivering audio"),
        }
    }

    /// Stop, take in what the device already delivered, and close the WAV file.
    pub fn finish(mut self) -> Result<Recorded> {
        self.stop_source();
        self.shared.stop.store(true, Ordering::SeqCst);
        let pump = self
            .pump
            .take()
            .ok_or_else(|| anyhow!("the recording was already finished"))?;
        pump.join()
            .map_err(|_| anyhow!("the capture thread crashed; the recording so far is on disk"))?
    }

    fn stop_source(&mut self) {
        // Dropping the stream stops its callbacks and drops the ring's writer with them.
        if let Some(stream) = self.stream.take() {
            let _ = stream.pause();
            drop(stream);
        }
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(feeder) = self.feeder.take() {
            let _ = feeder.join();
        }
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        self.stop_source();
        if let Some(pump) = self.pump.take() {
            let _ = pump.join();
        }
    }
}

fn open_stream(
    device: &cpal::Device,
    label: &str,
    config: &cpal::StreamConfig,
    format: cpal::SampleFormat,
    mut writer: RingWriter,
    bytes_per_s: usize,
    shared: &Arc<Shared>,
) -> Result<cpal::Stream, NoMicrophone> {
    let errors = Arc::clone(shared);
    let started = Instant::now();
    let data = move |data: &cpal::Data, _: &cpal::InputCallbackInfo| {
        // Audio thread: copy, count, nothing else (no allocation, lock or I/O).
        writer.push_or_wait_if_not_live(data.bytes(), started, bytes_per_s);
    };
    let error = move |err: cpal::Error| match err.kind() {
        cpal::ErrorKind::Xrun => {
            errors.xruns.fetch_add(1, Ordering::Relaxed);
        }
        cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated => {
            errors.lost.store(LOST_GONE, Ordering::Relaxed);
        }
        cpal::ErrorKind::DeviceChanged | cpal::ErrorKind::RealtimeDenied => {}
        _ => errors.lost.store(LOST_ERROR, Ordering::Relaxed),
    };
    let stream = device
        .build_input_stream_raw(*config, format, data, error, Some(Duration::from_secs(5)))
        .map_err(|err| device::explain(label, &err))?;
    stream.play().map_err(|err| device::explain(label, &err))?;
    Ok(stream)
}

fn create_wav(path: &Path) -> Result<hound::WavWriter<BufWriter<std::fs::File>>> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: WHISPER_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    hound::WavWriter::create(path, spec)
        .with_context(|| format!("cannot write the recording to {}", path.display()))
}

/// 100 ms at 16 kHz: the level meter's window.
const WINDOW: usize = WHISPER_RATE as usize / 10;

fn db(mean_square: f64) -> f32 {
    if mean_square <= 1e-10 {
        -100.0
    } else {
        (10.0 * mean_square.log10()) as f32
    }
}

/// Loudness as the capture goes: the window level the screen shows, and the whole take's.
#[derive(Debug, Default)]
struct Meter {
    window_sum: f64,
    window_len: usize,
    all_sum: f64,
    all_peak: f32,
}

impl Meter {
    /// Account for `block` (with `peak`, its largest sample before mixing), the samples after
    /// the first `total`, in the level the screen reads; `total` moves past them.
    fn measure(
        &mut self,
        block: &[f32],
        peak: f32,
        total: &mut u64,
        full: bool,
        shared: &Shared,
    ) -> Result<()> {
        self.all_peak = self.all_peak.max(peak);
        let mut level = shared
            .level
            .lock()
            .map_err(|_| anyhow!("level lock poisoned"))?;
        if peak >= CLIP {
            level.clipped_at = Some(*total as f64 / f64::from(WHISPER_RATE));
        }
        level.peak = level.peak.max(peak);
        for &s in block {
            let sq = f64::from(s) * f64::from(s);
            self.window_sum += sq;
            self.all_sum += sq;
            self.window_len += 1;
            *total += 1;
            if self.window_len == WINDOW {
                level.db = db(self.window_sum / WINDOW as f64);
                level.max_db = level.max_db.max(level.db);
                let at = *total as f64 / f64::from(WHISPER_RATE);
                if level.db > SIGNAL_DB {
                    level.signal_at = Some(at);
                }
                self.window_sum = 0.0;
                self.window_len = 0;
                level.seconds = at;
                level.peak = peak;
            }
        }
        level.seconds = *total as f64 / f64::from(WHISPER_RATE);
        level.full = full;
        Ok(())
    }
}

/// The capture thread.
fn pump(
    mut reader: RingReader,
    mut convert: ToWhisper,
    mut wav: hound::WavWriter<BufWriter<std::fs::File>>,
    path: PathBuf,
    max_samples: u64,
    mut sink: Box<dyn Sink>,
    shared: &Shared,
) -> Result<Recorded> {
    let mut scratch = vec![0u8; 1 << 16];
    let mut block = Vec::new();
    let mut total: u64 = 0;
    let mut since_flush = 0usize;
    let mut meter = Meter::default();
    let mut full = false;
    let mut failed: Option<anyhow::Error> = None;
    let mut handle =
        |block: &mut Vec<f32>, peak: f32, total: &mut u64, full: &mut bool| -> Result<()> {
            if *full {
                block.clear();
                return Ok(());
            }
            let room = max_samples.saturating_sub(*total) as usize;
            if block.len() >= room {
                block.truncate(room);
                *full = true;
            }
            for &s in block.iter() {
                wav.write_sample((s.clamp(-1.0, 1.0) * 32_767.0).round() as i16)?;
            }
            since_flush += block.len();
            if since_flush >= WHISPER_RATE as usize {
                // Updates the header, so the file on disk is a valid WAV of everything so far.
                wav.flush()?;
                since_flush = 0;
            }
            meter.measure(block, peak, total, *full, shared)?;
            sink.audio(block);
            block.clear();
            Ok(())
        };
    loop {
        // Read `stop` before draining: everything delivered before it was set gets taken in.
        let stopping = shared.stop.load(Ordering::SeqCst);
        let n = reader.read(&mut scratch);
        if n > 0 {
            if let Err(err) = convert.push(&scratch[..n], &mut block) {
                failed = Some(err);
                break;
            }
            let peak = convert.take_peak();
            if let Err(err) = handle(&mut block, peak, &mut total, &mut full) {
                failed = Some(err);
                break;
            }
            if full {
                // Stop reading: a live device then drops its few remaining buffers until the
                // stream is stopped, and a faster-than-real-time one stops waiting for room.
                break;
            }
            continue;
        }
        if stopping || reader.is_abandoned() {
            break;
        }
        if shared.lost.load(Ordering::Relaxed) != LOST_NONE {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    if failed.is_none() {
        let tail = convert
            .finish(&mut block)
            .and_then(|()| handle(&mut block, 0.0, &mut total, &mut full));
        if let Err(err) = tail {
            failed = Some(err);
        }
    }
    // Let go of the ring: a source waiting for room sees it abandoned and stops waiting.
    let stats = reader.stats();
    drop(reader);
    sink.end();
    let finalized = wav.finalize();
    if let Some(err) = failed {
        return Err(err.context(format!(
            "recording failed; what was captured is in {}",
            path.display()
        )));
    }
    finalized.with_context(|| format!("cannot finish writing {}", path.display()))?;
    Ok(Recorded {
        duration_s: total as f64 / f64::from(WHISPER_RATE),
        path,
        overruns: stats.overruns(),
        dropped_bytes: stats.dropped_bytes(),
        xruns: shared.xruns.load(Ordering::Relaxed),
        rms_db: db(meter.all_sum / total.max(1) as f64),
        peak: meter.all_peak,
    })
}

/// Play a WAV file into a ring in 10 ms buffers at `speed` times real time, then silence.
fn start_paced(
    path: &Path,
    speed: f64,
    shared: &Arc<Shared>,
) -> Result<(JoinHandle<()>, RingReader, Encoding, u16, u32)> {
    let reader = hound::WavReader::open(path).with_context(|| {
        format!(
            "cannot open {} to play it as the microphone",
            path.display()
        )
    })?;
    let spec = reader.spec();
    let encoding = match (spec.sample_format, spec.bits_per_sample) {
        (hound::SampleFormat::Float, 32) => Encoding::F32,
        (hound::SampleFormat::Int, 16) => Encoding::I16,
        (hound::SampleFormat::Int, 8) => Encoding::I8,
        (hound::SampleFormat::Int, _) => Encoding::I32,
        (_, bits) => anyhow::bail!(
            "{} has {bits}-bit float samples; convert it with sox to 16-bit",
            path.display()
        ),
    };
    let bits = spec.bits_per_sample;
    let samples: Vec<u8> = match encoding {
        Encoding::F32 => reader
            .into_samples::<f32>()
            .filter_map(Result::ok)
            .flat_map(f32::to_ne_bytes)
            .collect(),
        Encoding::I16 => reader
            .into_samples::<i16>()
            .filter_map(Result::ok)
            .flat_map(i16::to_ne_bytes)
            .collect(),
        Encoding::I8 => reader
            .into_samples::<i8>()
            .filter_map(Result::ok)
            .flat_map(i8::to_ne_bytes)
            .collect(),
        _ => reader
            .into_samples::<i32>()
            .filter_map(Result::ok)
            .flat_map(|s| (s << (32 - u32::from(bits))).to_ne_bytes())
            .collect(),
    };
    let frame = encoding.bytes() * usize::from(spec.channels);
    let period = (spec.sample_rate as usize / 100).max(1) * frame;
    let bytes_per_s = spec.sample_rate as usize * frame;
    let (mut writer, ring_reader) = ring(bytes_per_s * RING_S as usize);
    let shared = Arc::clone(shared);
    let interval = Duration::from_secs_f64(0.01 / speed);
    let feeder = std::thread::Builder::new()
        .name("rehearse-paced-wav".into())
        .spawn(move || {
            let silence = vec![0u8; period];
            let start = Instant::now();
            let mut n: u32 = 0;
            let mut offset = 0;
            let mut behind = false;
            while !shared.stop.load(Ordering::Relaxed) {
                let buffer = if offset < samples.len() {
                    let end = (offset + period).min(samples.len());
                    let piece = &samples[offset..end];
                    offset = end;
                    piece
                } else {
                    &silence[..]
                };
                writer.push(buffer);
                n += 1;
                let due = start + interval * n;
                match due.checked_duration_since(Instant::now()) {
                    Some(wait) => {
                        std::thread::sleep(wait);
                        behind = false;
                    }
                    // Woken so late that a device's buffer (a few periods) would have
                    // overflowed: counted as an xrun, once per late stretch.
                    None if Instant::now() > due + interval * 4 && !behind => {
                        shared.xruns.fetch_add(1, Ordering::Relaxed);
                        behind = true;
                    }
                    None => {}
                }
            }
        })
        .context("cannot start the paced WAV thread")?;
    Ok((
        feeder,
        ring_reader,
        encoding,
        spec.channels,
        spec.sample_rate,
    ))
}
