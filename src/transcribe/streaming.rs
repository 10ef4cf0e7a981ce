//! Transcription while the person is still talking. The capture thread cuts the audio into
//! phrases at pauses ([`crate::audio::phrases`]); one worker thread (two whisper jobs at once on
//! two cores slow each other down about tenfold) transcribes each finished phrase with the same
//! pipeline as a whole recording ([`super::transcribe`]: voice gate, believable segments), with
//! the question's prompt and the text so far as context, and shifts its timestamps to the
//! recording's clock. When the answer stops, only the last phrase is left to do.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use anyhow::{Context, Result, anyhow};

use super::Transcriber;
use crate::audio::Audio;
use crate::audio::capture::Sink;
use crate::audio::phrases::{Cutter, Phrase};
use crate::transcript::{Segment, Transcript};

/// Words of earlier text given to whisper as context for the next phrase. whisper keeps at most
/// 224 prompt tokens; the key-terms prompt comes first and this tail after it, nearest the audio.
const CONTEXT_WORDS: usize = 40;

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

/// Start the worker. `engine` is built on the worker thread (loading a model takes a moment, and
/// runs while recording starts); `cancel` makes a running transcription stop.
pub fn start<F>(
    model: &str,
    engine: F,
    prompt: Option<String>,
    cancel: Arc<AtomicBool>,
) -> Result<(Streaming, PhraseSink)>
where
    F: FnOnce() -> Result<Box<dyn Transcriber + Send>> + Send + 'static,
{
    let (jobs, queue) = mpsc::channel::<Job>();
    let (tell, heard) = mpsc::channel::<Heard>();
    let silence_bits = Arc::new(AtomicU64::new((-1.0f64).to_bits()));
    let worker = std::thread::Builder::new()
        .name("rehearse-transcribe".into())
        .spawn(move || work(engine, prompt, &queue, &tell))
        .context("cannot start the transcription thread")?;
    Ok((
        Streaming {
            heard,
            worker: Some(worker),
            cancel,
            silence_bits: Arc::clone(&silence_bits),
            model: model.to_owned(),
        },
        PhraseSink {
            cutter: Cutter::default(),
            jobs,
            silence_bits,
        },
    ))
}

fn work<F>(
    engine: F,
    prompt: Option<String>,
    queue: &Receiver<Job>,
    tell: &Sender<Heard>,
) -> Result<Vec<Segment>>
where
    F: FnOnce() -> Result<Box<dyn Transcriber + Send>>,
{
    let mut engine = engine()?;
    let mut segments: Vec<Segment> = Vec::new();
    for job in queue {
        let phrase = match job {
            Job::Phrase(phrase) => phrase,
            Job::End => break,
        };
        let context = context_prompt(prompt.as_deref(), &segments);
        let audio = Audio {
            samples: phrase.samples,
        };
        let transcript = super::transcribe(engine.as_mut(), &audio, context.as_deref())?;
        let mut texts = Vec::new();
        for mut segment in transcript.segments {
            shift(&mut segment, phrase.start_s);
            texts.push(segment.text.trim().to_owned());
            segments.push(segment);
        }
        let text = texts.join(" ");
        if !text.is_empty() {
            let _ = tell.send(Heard {
                start_s: phrase.start_s,
                end_s: phrase.start_s + audio.duration_s(),
                text,
            });
        }
    }
    Ok(segments)
}

/// The question's prompt, then the last words said so far.
fn context_prompt(prompt: Option<&str>, segments: &[Segment]) -> Option<String> {
    let words: Vec<&str> = segments
        .iter()
        .flat_map(|s| s.text.split_whitespace())
        .collect();
    let tail = words[words.len().saturating_sub(CONTEXT_WORDS)..].join(" ");
    match (prompt, tail.is_empty()) {
        (None, true) => None,
        (None, false) => Some(tail),
        (Some(p), true) => Some(p.to_owned()),
        (Some(p), false) => Some(format!("{p} {tail}")),
    }
}

/// Move a phrase's timestamps onto the recording's clock.
fn shift(segment: &mut Segment, offset_s: f64) {
    let round = |t: f64| (t * 100.0).round() / 100.0;
    segment.start_s = round(segment.start_s + offset_s);
    segment.end_s = round(segment.end_s + offset_s);
    for word in &mut segment.words {
        word.start_s = round(word.start_s + offset_s);
        word.end_s = round(word.end_s + offset_s);
    }
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
        let text = segments
            .iter()
            .map(|s| s.text.trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let transcript = Transcript {
            model: Some(self.model.clone()),
            duration_s: Some((duration_s * 100.0).round() / 100.0),
            text,
            segments,
        };
        Ok((transcript, rest))
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
    use crate::transcribe::RawSegment;
    use crate::transcript::Word;

    #[test]
    fn context_is_the_prompt_then_the_last_words() {
        let seg = |text: &str| Segment {
            start_s: 0.0,
            end_s: 1.0,
            text: text.into(),
            words: Vec::new(),
        };
        assert_eq!(context_prompt(None, &[]), None);
        assert_eq!(context_prompt(Some("ECS."), &[]).as_deref(), Some("ECS."));
        let many: Vec<Segment> = (0..60).map(|i| seg(&format!("w{i}"))).collect();
        let prompt = context_prompt(Some("ECS."), &many).unwrap_or_default();
        assert!(
            prompt.starts_with("ECS. w20 ") && prompt.ends_with(" w59"),
            "{prompt}"
        );
    }

    #[test]
    fn timestamps_move_to_the_recording_clock() {
        let mut segment = Segment {
            start_s: 0.5,
            end_s: 2.0,
            text: "hello".into(),
            words: vec![Word {
                word: "hello".into(),
                start_s: 0.5,
                end_s: 0.9,
                p: 0.9,
            }],
        };
        shift(&mut segment, 10.25);
        assert_eq!((segment.start_s, segment.end_s), (10.75, 12.25));
        assert_eq!(
            (segment.words[0].start_s, segment.words[0].end_s),
            (10.75, 11.15)
        );
    }

    /// Answers every phrase with the same words; counts what it was given.
    struct Echo {
        calls: Arc<AtomicU64>,
    }

    impl Transcriber for Echo {
        fn model_name(&self) -> &str {
            "echo"
        }

        fn run(&mut self, samples: &[f32], _prompt: Option<&str>) -> Result<Vec<RawSegment>> {
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
        let (streaming, mut sink) = start(
            "echo",
            move || {
                Ok(Box::new(Echo {
                    calls: engine_calls,
                }) as Box<dyn Transcriber + Send>)
            },
            None,
            Arc::new(AtomicBool::new(false)),
        )?;
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
