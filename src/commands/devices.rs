//! `rehearse devices`: the input devices, and `--test`, a microphone check that records a few
//! seconds, shows the level and peak, says whether the signal is too quiet or clipping, and
//! prints what whisper heard.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Serialize;

use crate::audio::capture::{Capture, Input, Recorded, SIGNAL_DB, Sink};
use crate::audio::device::{self, InputInfo, NoMicrophone};
use crate::cli::DevicesArgs;
use crate::config::{Config, Verbosity};
use crate::style::HEADING;
use crate::terminal;
use crate::ui::{self, answer_screen};

pub fn run(config: &Config, args: &DevicesArgs) -> Result<ExitCode> {
    if args.test {
        return test(config, args);
    }
    let devices = match device::list() {
        Ok(devices) => devices,
        Err(err) => {
            ui::warn(config, &err.to_string());
            Vec::new()
        }
    };
    if config.json {
        ui::print_json(&devices)?;
    } else if devices.is_empty() {
        crate::outln!(
            "No input devices found (no sound card, or none that records).\n\
             Plug in a microphone; until then answer with --type or --wav F."
        )?;
    } else {
        for device in &devices {
            crate::outln!("{}", line(device))?;
        }
        ui::note(
            config,
            "* is the default. Pick one with --device NAME (or REHEARSE_DEVICE); a unique part of the name is enough.",
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn line(device: &InputInfo) -> String {
    let channels = match device.channels {
        [one, two] if one == two => format!("{one} ch"),
        [first, last] => format!("{first}-{last} ch"),
    };
    let rates = if device.sample_rates[0] == device.sample_rates[1] {
        format!("{} Hz", device.sample_rates[0])
    } else {
        format!("{}-{} Hz", device.sample_rates[0], device.sample_rates[1])
    };
    let opens = device
        .opens_as
        .as_ref()
        .map(|f| {
            format!(
                "; records {} {} ch {} Hz",
                f.sample_format, f.channels, f.sample_rate
            )
        })
        .unwrap_or_default();
    format!(
        "{} {}{}{:#}  {}  ({channels}, {rates}{opens})",
        if device.default { "*" } else { " " },
        HEADING,
        device.id,
        HEADING,
        device.name,
    )
}

/// The mic check's findings.
#[derive(Debug, Serialize)]
struct Check {
    device: String,
    format: String,
    duration_s: f64,
    rms_db: f32,
    /// The loudest 100 ms, dBFS.
    loudest_db: f32,
    peak: f32,
    verdict: &'static str,
    advice: Option<&'static str>,
    heard: Option<String>,
    overruns: u64,
    xruns: u64,
    recording: Option<String>,
}

/// Takes audio and drops it: the mic check without a model still measures the level.
struct Discard;

impl Sink for Discard {
    fn audio(&mut self, _: &[f32]) {}
    fn end(&mut self) {}
}

fn test(config: &Config, args: &DevicesArgs) -> Result<ExitCode> {
    crate::interrupt::install()?;
    let input = Input::from_device_arg(
        args.device.as_deref().or(config.device.as_deref()),
        config.wav_speed,
    );
    let path = match &args.save {
        Some(path) => path.clone(),
        None => std::env::temp_dir().join(format!("rehearse-mic-check-{}.wav", std::process::id())),
    };
    let streaming = match crate::app::transcribers(config)
        .and_then(|transcribers| transcribers.prepare())
        .and_then(|loader| crate::transcribe::streaming::start(loader, Default::default()))
    {
        Ok(pair) => Some(pair),
        Err(err) => {
            ui::warn(
                config,
                &format!("{err:#}\n  The check goes on without transcription."),
            );
            None
        }
    };
    let (streaming, sink): (_, Box<dyn Sink>) = match streaming {
        Some((streaming, sink)) => (Some(streaming), Box::new(sink)),
        None => (None, Box::new(Discard)),
    };
    let capture = match Capture::start(&input, &path, args.seconds, sink) {
        Ok(capture) => capture,
        Err(err) if err.downcast_ref::<NoMicrophone>().is_some() => {
            anyhow::bail!("{err}");
        }
        Err(err) => return Err(err),
    };
    let chatty = config.verbosity > Verbosity::Quiet;
    let draw = chatty && std::io::stderr().is_terminal();
    if chatty {
        anstream::eprintln!(
            "Recording {:.0} s from {} ({}): say something.",
            args.seconds,
            capture.source_name,
            capture.source_format
        );
    }
    let started = Instant::now();
    let mut loudest = -100.0f32;
    let mut ended_by = None;
    loop {
        let level = capture.level();
        loudest = loudest.max(level.db);
        if level.full {
            break;
        }
        if let Some(why) = capture.lost() {
            ended_by = Some(why);
            break;
        }
        if crate::interrupt::requested() {
            ended_by = Some("interrupted");
            break;
        }
        // A device that stops delivering audio must not hang the check.
        if started.elapsed().as_secs_f64() > args.seconds + 5.0 {
            ended_by = Some("the device stopped delivering audio");
            break;
        }
        if draw {
            terminal::redraw_line(&answer_screen::meter(level.db, level.peak >= 0.99, 24));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if draw {
        terminal::clear_line();
    }
    let (source_name, source_format) = (capture.source_name.clone(), capture.source_format.clone());
    let loudest = loudest.max(capture.level().max_db);
    let recorded = capture.finish()?;
    if let Some(why) = ended_by {
        ui::warn(config, &format!("the check stopped early: {why}"));
    }
    let heard = match streaming {
        Some(streaming) => Some(streaming.finish(recorded.duration_s)?.text),
        None => None,
    };
    let mut check = verdict(&recorded, loudest, heard, source_name, args.save.is_some());
    check.format = source_format;
    if args.save.is_none() {
        let _ = std::fs::remove_file(&path);
    }
    print_check(config, check)?;
    if ended_by == Some("interrupted") {
        return Err(crate::error::Interrupted.into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The check's findings, as JSON or as lines of text.
fn print_check(config: &Config, check: Check) -> Result<()> {
    if config.json {
        ui::print_json(&check)?;
    } else {
        crate::outln!("Device:    {} ({})", check.device, check.format)?;
        crate::outln!("Recorded:  {:.1} s", check.duration_s)?;
        crate::outln!(
            "Level:     {:.0} dBFS average, {:.0} dBFS loudest, peak {:.2}",
            check.rms_db,
            check.loudest_db,
            check.peak
        )?;
        crate::outln!(
            "Verdict:   {}{}",
            check.verdict,
            check.advice.map(|a| format!(": {a}")).unwrap_or_default()
        )?;
        match &check.heard {
            Some(text) if !text.is_empty() => crate::outln!("Heard:     {text}")?,
            Some(_) => crate::outln!("Heard:     (no speech)")?,
            None => {}
        }
        if check.overruns + check.xruns > 0 {
            crate::outln!(
                "Lost:      {} buffers ({} overruns, {} xruns)",
                check.overruns + check.xruns,
                check.overruns,
                check.xruns
            )?;
        }
        if let Some(saved) = &check.recording {
            crate::outln!("Saved:     {saved}")?;
        }
    }
    Ok(())
}

/// Too quiet, clipping, or fine: speech near a working microphone peaks well above -30 dBFS.
fn verdict(
    recorded: &Recorded,
    loudest_db: f32,
    heard: Option<String>,
    device: String,
    saved: bool,
) -> Check {
    let (verdict, advice) = if recorded.peak >= 0.99 {
        (
            "clipping",
            Some("move back from the microphone or turn its input gain down"),
        )
    } else if loudest_db <= SIGNAL_DB {
        (
            "no signal",
            Some(
                "is the right microphone selected? Check `rehearse devices` and --device, and that it is not muted",
            ),
        )
    } else if loudest_db < -35.0 {
        (
            "too quiet",
            Some("speak closer to the microphone or turn its input gain up"),
        )
    } else {
        ("ok", None)
    };
    Check {
        device,
        format: String::new(),
        duration_s: (recorded.duration_s * 100.0).round() / 100.0,
        rms_db: (recorded.rms_db * 10.0).round() / 10.0,
        loudest_db: (loudest_db * 10.0).round() / 10.0,
        peak: (recorded.peak * 1000.0).round() / 1000.0,
        verdict,
        advice,
        heard,
        overruns: recorded.overruns,
        xruns: recorded.xruns,
        recording: saved.then(|| recorded.path.display().to_string()),
    }
}
