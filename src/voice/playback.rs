//! Playing speech on the default output device through cpal. The voice's audio is resampled to
//! the device's rate (rubato, as everywhere in rehearse) and queued in a lock-free ring that the
//! audio callback empties; the callback plays silence when the ring runs dry.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SizedSample};

use super::speech::Flow;
use crate::audio::resample::resample_mono;

/// How long to wait between checks while the ring is full or draining.
const POLL: Duration = Duration::from_millis(10);
/// What the device may still hold after the ring is empty: its own buffer, at most this.
const DEVICE_TAIL: Duration = Duration::from_millis(150);

/// The default output device, playing.
pub struct Player {
    _stream: cpal::Stream,
    ring: rtrb::Producer<f32>,
    /// Samples the callback took out of the ring.
    played: Arc<AtomicU64>,
    queued: u64,
    rate: u32,
    pub device: String,
}

impl std::fmt::Debug for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Player")
            .field("device", &self.device)
            .field("rate", &self.rate)
            .finish()
    }
}

impl Player {
    /// Open the default output device at its own format. Fails on a machine with no sound
    /// output (no card, no server).
    pub fn open() -> Result<Self> {
        let host = crate::audio::device::host();
        let device = host
            .default_output_device()
            .ok_or_else(|| anyhow!("no sound output device found"))?;
        let name = device
            .description()
            .map(|d| d.name().to_owned())
            .unwrap_or_else(|_| "the default output".to_owned());
        let supported = device
            .default_output_config()
            .map_err(|err| anyhow!("no sound output device found ({name}: {err})"))?;
        let rate = supported.sample_rate();
        // A second of the device's audio: the voice runs ahead by one sentence at most anyway.
        let (ring, taker) = rtrb::RingBuffer::new(rate as usize);
        let played = Arc::new(AtomicU64::new(0));
        let config: cpal::StreamConfig = supported.config();
        let stream = match supported.sample_format() {
            cpal::SampleFormat::F32 => build::<f32>(&device, &config, taker, &played),
            cpal::SampleFormat::I16 => build::<i16>(&device, &config, taker, &played),
            cpal::SampleFormat::U16 => build::<u16>(&device, &config, taker, &played),
            cpal::SampleFormat::I32 => build::<i32>(&device, &config, taker, &played),
            other => Err(anyhow!(
                "the output device plays {other} samples, which rehearse does not write"
            )),
        }
        .with_context(|| format!("cannot play on {name}"))?;
        stream
            .play()
            .map_err(|err| anyhow!("cannot play on {name}: {err}"))?;
        Ok(Self {
            _stream: stream,
            ring,
            played,
            queued: 0,
            rate,
            device: name,
        })
    }

    /// Queue `audio` (mono, at `rate`), waiting for room; `stop` is asked while it waits.
    pub fn play(
        &mut self,
        audio: &[f32],
        rate: u32,
        stop: &mut dyn FnMut() -> bool,
    ) -> Result<Flow> {
        let audio = resample_mono(audio, rate, self.rate)?;
        let mut rest = audio.as_slice();
        while !rest.is_empty() {
            if stop() {
                return Ok(Flow::Stop);
            }
            let room = self.ring.slots().min(rest.len());
            if room == 0 {
                std::thread::sleep(POLL);
                continue;
            }
            let Ok(chunk) = self.ring.write_chunk_uninit(room) else {
                continue;
            };
            let written = chunk.fill_from_iter(rest[..room].iter().copied());
            rest = &rest[written..];
            self.queued += written as u64;
        }
        Ok(Flow::Continue)
    }

    /// Wait until everything queued has been played (and the device's own buffer with it).
    pub fn finish(&mut self, stop: &mut dyn FnMut() -> bool) -> Flow {
        while self.played.load(Ordering::Acquire) < self.queued {
            if stop() {
                return Flow::Stop;
            }
            std::thread::sleep(POLL);
        }
        std::thread::sleep(DEVICE_TAIL);
        Flow::Continue
    }
}

fn build<T: SizedSample + FromSample<f32>>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut taker: rtrb::Consumer<f32>,
    played: &Arc<AtomicU64>,
) -> Result<cpal::Stream> {
    let channels = usize::from(config.channels).max(1);
    let played = Arc::clone(played);
    device
        .build_output_stream(
            *config,
            move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
                let mut taken = 0u64;
                for frame in data.chunks_mut(channels) {
                    let sample = match taker.pop() {
                        Ok(sample) => {
                            taken += 1;
                            sample
                        }
                        Err(_) => 0.0,
                    };
                    frame.fill(T::from_sample(sample));
                }
                played.fetch_add(taken, Ordering::Release);
            },
            // A lost buffer is a click, not a reason to stop talking.
            |_err| {},
            Some(Duration::from_secs(5)),
        )
        .map_err(|err| anyhow!("{err}"))
}
