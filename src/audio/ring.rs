//! Where audio crosses from the device's real-time thread to ours: a lock-free single-producer
//! single-consumer ring (rtrb) of raw sample bytes, in whatever format the device delivers.
//!
//! The writer runs inside the audio callback, so it never allocates, locks, blocks or does I/O.
//! A buffer that does not fit whole is dropped and counted as an overrun: writing part of one
//! would shift the sample and channel alignment of everything after it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Counters both ends can read: how often, and how much, the reader fell behind.
#[derive(Debug, Default)]
pub struct RingStats {
    overruns: AtomicU64,
    dropped_bytes: AtomicU64,
    written_bytes: AtomicU64,
}

impl RingStats {
    /// Buffers dropped because the ring was full.
    pub fn overruns(&self) -> u64 {
        self.overruns.load(Ordering::Relaxed)
    }

    pub fn dropped_bytes(&self) -> u64 {
        self.dropped_bytes.load(Ordering::Relaxed)
    }

    pub fn written_bytes(&self) -> u64 {
        self.written_bytes.load(Ordering::Relaxed)
    }
}

/// The audio-thread end.
#[derive(Debug)]
pub struct RingWriter {
    producer: rtrb::Producer<u8>,
    stats: Arc<RingStats>,
}

/// The capture-thread end.
#[derive(Debug)]
pub struct RingReader {
    consumer: rtrb::Consumer<u8>,
    stats: Arc<RingStats>,
}

/// A ring holding `capacity` bytes.
pub fn ring(capacity: usize) -> (RingWriter, RingReader) {
    let (producer, consumer) = rtrb::RingBuffer::new(capacity.max(1));
    let stats = Arc::new(RingStats::default());
    (
        RingWriter {
            producer,
            stats: Arc::clone(&stats),
        },
        RingReader { consumer, stats },
    )
}

impl RingWriter {
    /// Copy a whole buffer in, or drop it whole when there is no room. Real-time safe.
    pub fn push(&mut self, bytes: &[u8]) -> bool {
        let len = bytes.len() as u64;
        if self.producer.push_entire_slice(bytes).is_ok() {
            self.stats.written_bytes.fetch_add(len, Ordering::Relaxed);
            true
        } else {
            self.stats.overruns.fetch_add(1, Ordering::Relaxed);
            self.stats.dropped_bytes.fetch_add(len, Ordering::Relaxed);
            false
        }
    }

    pub fn stats(&self) -> Arc<RingStats> {
        Arc::clone(&self.stats)
    }

    /// [`RingWriter::push`], except for a source that delivers audio much faster than real time
    /// (a file or virtual device, like the test microphone in tests/audio): nothing live can be
    /// lost there, so it waits for room instead of dropping audio. A real microphone never gets
    /// ahead of the clock, so on one this never waits.
    pub fn push_or_wait_if_not_live(
        &mut self,
        bytes: &[u8],
        started: Instant,
        bytes_per_s: usize,
    ) -> bool {
        if self.producer.push_entire_slice(bytes).is_ok() {
            self.stats
                .written_bytes
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
            return true;
        }
        if self.producer.is_abandoned() {
            // The capture thread has finished; nothing reads this any more.
            return false;
        }
        let audio_s = self.stats.written_bytes() as f64 / bytes_per_s.max(1) as f64;
        if audio_s >= started.elapsed().as_secs_f64() * 2.0 + 1.0 {
            while !self.producer.is_abandoned() {
                std::thread::sleep(Duration::from_micros(500));
                if self.producer.push_entire_slice(bytes).is_ok() {
                    self.stats
                        .written_bytes
                        .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    return true;
                }
            }
        }
        self.push(bytes)
    }
}

impl RingReader {
    /// Move what is waiting into `scratch` (up to its length); the number of bytes read.
    pub fn read(&mut self, scratch: &mut [u8]) -> usize {
        let (read, _) = self.consumer.pop_partial_slice(scratch);
        read.len()
    }

    /// Bytes waiting to be read.
    pub fn waiting(&self) -> usize {
        self.consumer.slots()
    }

    /// The writer is gone (the stream was dropped), so nothing more will come.
    pub fn is_abandoned(&self) -> bool {
        self.consumer.is_abandoned()
    }

    pub fn stats(&self) -> Arc<RingStats> {
        Arc::clone(&self.stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_reader_loses_whole_buffers_never_parts_of_one() {
        // 10 buffers of 100 bytes fit; the writer pushes 50 while the reader sleeps.
        let (mut writer, mut reader) = ring(1000);
        let stats = writer.stats();
        let producer = std::thread::spawn(move || {
            for i in 0..50u8 {
                let buffer = [i; 100];
                writer.push(&buffer);
                std::thread::sleep(Duration::from_micros(200));
            }
        });
        std::thread::sleep(Duration::from_millis(30));
        let mut got = Vec::new();
        let mut scratch = [0u8; 64];
        loop {
            let n = reader.read(&mut scratch);
            got.extend_from_slice(&scratch[..n]);
            if n == 0 && reader.is_abandoned() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        producer.join().ok();
        assert!(
            stats.overruns() > 0,
            "the slow reader should have made the ring overflow"
        );
        assert_eq!(got.len() % 100, 0, "a buffer was cut: {} bytes", got.len());
        assert_eq!(got.len() as u64, stats.written_bytes());
        assert_eq!(stats.written_bytes() + stats.dropped_bytes(), 5000);
        // Each surviving buffer is intact and in order.
        let firsts: Vec<u8> = got.chunks(100).map(|c| c[0]).collect();
        assert!(got.chunks(100).all(|c| c.iter().all(|b| *b == c[0])));
        assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
    }

    #[test]
    fn a_reader_that_keeps_up_gets_every_byte_in_order() {
        let (mut writer, mut reader) = ring(4096);
        let stats = writer.stats();
        let producer = std::thread::spawn(move || {
            for i in 0..2000u32 {
                let bytes = i.to_le_bytes();
                while !writer.push(&bytes) {
                    std::thread::yield_now();
                }
            }
        });
        let mut got = Vec::new();
        let mut scratch = [0u8; 256];
        while got.len() < 8000 {
            let n = reader.read(&mut scratch);
            got.extend_from_slice(&scratch[..n]);
        }
        producer.join().ok();
        let values: Vec<u32> = got
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        assert!(values.iter().enumerate().all(|(i, v)| *v == i as u32));
        assert_eq!(stats.written_bytes(), 8000);
    }
}
