//! Transcription while the person is still talking. The capture thread cuts the audio into
//! phrases at pauses ([`crate::audio::phrases`]); one worker thread (two whisper jobs at once on
//! two cores slow each other down about tenfold) transcribes each finished phrase with the same
//! code as a recorded file ([`super::phrased`]). When the answer stops, only the last phrase is
//! left to do.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow};

use super::phrased::PhraseTranscriber;
use super::{Ears, Loader};
use crate::audio::capture::Sink;
use crate::audio::phrases::{Cutter, Phrase};
use crate::transcript::{Segment, Transcript};

enum Job {
    Phrase(Phrase),
    End,
}

/// A phrase transcribed, for the live transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Heard {
    pub start_s: f64,
    pub end_s: f64,
    pub text: String,
}

/// The worker side, kept by whoever waits for the transcript.
pub struct Streaming {
    heard: Receiver<Heard>,
    worker: Option<JoinHandle<Result<Vec<Segment>>>>,
    cancel: Arc<AtomicBool>,
    silence_bits: Arc<AtomicU64>,
    model: String,
}

impl std::fmt::Debug for Streaming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Streaming")
            .field("model", &self.model)
            .finish()
    }
}

/// The capture side: cuts phrases and queues them for the worker.
pub struct PhraseSink {
    cutter: Cutter,
    jobs: Sender<Job>,
    silence_bits: Arc<AtomicU64>,
}

impl std::fmt::Debug for PhraseSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhraseSink")
            .field("cutter", &self.cutter)
            .finish()
    }
}

impl Sink for PhraseSink {
    fn audio(&mut self, samples: &[f32]) {
        let jobs = &self.jobs;
        // A send fails only when the worker has stopped (its error is reported at the end).
        self.cutter.push(samples, &mut |phrase| {
            let _ = jobs.send(Job::Phrase(phrase));
        });
        let silence = self.cutter.silence_s().unwrap_or(-1.0);
        self.silence_bits
            .store(silence.to_bits(), Ordering::Relaxed);
    }

    fn end(&mut self) {
        if let Some(last) = self.cutter.finish() {
            let _ = self.jobs.send(Job::Phrase(last));
        }
        let _ = self.jobs.send(Job::End);
    }
}

/// Start the worker. The transcriber is loaded on the worker thread (loading a model takes a
/// moment, and runs while recording starts). It has a cancel flag of its own, not Ctrl-C's: a
/// round may still want what was said transcribed after Ctrl-C.
pub fn start(loader: Loader, ears: Ears) -> Result<(Streaming, PhraseSink)> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let (tell, heard) = mpsc::channel::<Heard>();
    let silence_bits = Arc::new(AtomicU64::new((-1.0f64).to_bits()));
    let cancel = Arc::new(AtomicBool::new(false));
    let model = loader.model().to_owned();
    let worker_cancel = Arc::clone(&cancel);
    let worker = std::thread::Builder::new()
        .name("rehearse-transcribe".into())
        .spawn(move || work(loader, worker_cancel, ears, &queue, &tell))
        .context("cannot start the transcription thread")?;
    Ok((
        Streaming {
            heard,
            worker: Some(worker),
            cancel,
            silence_bits: Arc::clone(&silence_bits),
            model,
        },
        PhraseSink {
            cutter: Cutter::default(),
            jobs,
            silence_bits,
        },
    ))
}

fn work(
    loader: Loader,
    cancel: Arc<AtomicBool>,
    ears: Ears,
    queue: &Receiver<Job>,
    tell: &Sender<Heard>,
) -> Result<Vec<Segment>> {
    let mut engine = loader.load(cancel)?;
    let mut phrases = PhraseTranscriber::new(ears);
    for job in queue {
        let phrase = match job {
            Job::Phrase(phrase) => phrase,
            Job::End => break,
        };
        let (start_s, end_s) = (phrase.start_s, phrase.end_s());
        let text = phrases
            .push(engine.as_mut(), phrase)?
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if !text.is_empty() {
            let _ = tell.send(Heard {
                start_s,
                end_s,
                text,
            });
        }
    }
    Ok(phrases.finish(engine.as_ref()))
}

impl Streaming {
    /// Phrases transcribed since the last call.
    pub fn heard(&self) -> Vec<Heard> {
        self.heard.try_iter().collect()
    }

    /// Seconds since the voice was last heard (`None` before the first word).
    pub fn silence_s(&self) -> Option<f64> {
        let s = f64::from_bits(self.silence_bits.load(Ordering::Relaxed));
        (s >= 0.0).then_some(s)
    }

    /// Wait for the last phrase and build the transcript of a recording `duration_s` long.
    /// The capture must have ended (it sends the last phrase).
    pub fn finish(self, duration_s: f64) -> Result<Transcript> {
        self.finish_with_rest(duration_s)
            .map(|(transcript, _)| transcript)
    }

    /// [`Streaming::finish`], with the phrases heard since [`Streaming::heard`] was last asked,
    /// for the live transcript to show them too.
    pub fn finish_with_rest(mut self, duration_s: f64) -> Result<(Transcript, Vec<Heard>)> {
        let worker = self
            .worker
            .take()
            .ok_or_else(|| anyhow!("the transcription was already finished"))?;
        let segments = worker
            .join()
            .map_err(|_| anyhow!("the transcription thread crashed; the recording is kept"))??;
        let rest = self.heard();
        Ok((Transcript::heard(&self.model, duration_s, segments), rest))
    }

    /// Give up on the transcript (Ctrl-C): stop whisper and let the worker end by itself.
    pub fn abandon(mut self) {
        self.cancel.store(true, Ordering::SeqCst);
        self.worker.take();
    }
}

impl Drop for Streaming {
    fn drop(&mut self) {
        if self.worker.is_some() {
            self.cancel.store(true, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::{Ears, RawSegment, Transcriber};

    /// Answers every phrase with the same words; counts what it was given.
    struct Echo {
        calls: Arc<AtomicU64>,
    }

    impl Transcriber for Echo {
        fn model_name(&self) -> &str {
            "echo"
        }

        fn run(&mut self, samples: &[f32], _ears: &Ears) -> Result<Vec<RawSegment>> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let end = samples.len() as f64 / 16_000.0;
            Ok(vec![RawSegment {
                segment: Segment {
                    start_s: 0.0,
                    end_s: end,
                    text: " said".into(),
                    words: Vec::new(),
                },
                no_speech_p: 0.0,
            }])
        }
    }

    #[test]
    fn silence_never_reaches_the_worker_engine() -> Result<()> {
        let calls = Arc::new(AtomicU64::new(0));
        let engine_calls = Arc::clone(&calls);
        let loader = Loader::new("echo", move |_cancel| {
            Ok(Box::new(Echo {
                calls: engine_calls,
            }) as Box<dyn Transcriber + Send>)
        });
        let (streaming, mut sink) = start(loader, Ears::default())?;
        for _ in 0..50 {
            sink.audio(&[0.0; 1600]);
        }
        sink.end();
        let transcript = streaming.finish(5.0)?;
        assert!(transcript.text.is_empty());
        assert_eq!(transcript.duration_s, Some(5.0));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        Ok(())
    }
}
