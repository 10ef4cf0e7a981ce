//! Input devices through cpal: listing them, choosing one by name, and opening a stream in the
//! format the device offers. Every way of not having a usable microphone comes back as
//! [`NoMicrophone`], with a message that names the problem and what to do, so that callers can
//! fall back to a typed answer.

use std::collections::BTreeSet;

use cpal::traits::{DeviceTrait, HostTrait};
use serde::Serialize;

/// There is no usable microphone; the message says why and what to do.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NoMicrophone(pub String);

/// An input device as `rehearse devices` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputInfo {
    /// cpal's id, e.g. `alsa:default` or `alsa:hw:CARD=PCH,DEV=0`; `--device` takes it.
    pub id: String,
    pub name: String,
    pub default: bool,
    /// Fewest and most channels it can record.
    pub channels: [u16; 2],
    /// Lowest and highest sample rate it offers, in Hz.
    pub sample_rates: [u32; 2],
    /// What rehearse opens it with: its own default format.
    pub opens_as: Option<Format>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Format {
    pub channels: u16,
    pub sample_rate: u32,
    pub sample_format: String,
}

/// cpal's host, with alsa-lib's own error lines kept off stderr.
pub fn host() -> cpal::Host {
    quiet_alsa_messages();
    // Only the ALSA host is compiled in on Linux (no pulseaudio/pipewire features), so this is
    // ALSA, which is what the test device in tests/audio drives.
    cpal::default_host()
}

/// alsa-lib writes its own error lines to stderr before cpal returns the error that rehearse
/// explains in one sentence: eighteen lines such as "ALSA lib confmisc.c:855:(parse_card) cannot
/// find card '0'" on a machine without a sound card. They go to a buffer instead. alsa-lib keeps
/// this handler per thread, and the devices are opened on the thread that asks for the host.
#[cfg(target_os = "linux")]
fn quiet_alsa_messages() {
    // This fails only when alsa-lib cannot make the buffer; its lines then go to stderr as before.
    let _ = alsa::Output::local_error_handler();
}

#[cfg(not(target_os = "linux"))]
fn quiet_alsa_messages() {}

fn label(device: &cpal::Device) -> (String, String) {
    let id = device
        .id()
        .map(|id| id.to_string())
        .unwrap_or_else(|_| device.to_string());
    let name = device
        .description()
        .map(|d| d.name().to_owned())
        .unwrap_or_else(|_| id.clone());
    (id, name)
}

/// Every input device, the default first. ALSA hides `default` from enumeration and reports it
/// as neither input nor output, so it is asked for separately and checked by opening its config.
pub fn list() -> Result<Vec<InputInfo>, NoMicrophone> {
    let host = host();
    let mut out = Vec::new();
    if let Some(device) = host.default_input_device()
        && let Some(info) = describe(&device, true)
    {
        out.push(info);
    }
    let devices = host
        .input_devices()
        .map_err(|err| NoMicrophone(format!("cannot list the input devices: {err}")))?;
    for device in devices.filter(|d| !is_null(d)) {
        if let Some(info) = describe(&device, false)
            && !out.iter().any(|d: &InputInfo| d.id == info.id)
        {
            out.push(info);
        }
    }
    Ok(out)
}

/// ALSA's `null` device "records" endless silence: not a microphone, so never offered as one.
fn is_null(device: &cpal::Device) -> bool {
    device.id().is_ok_and(|id| id.id() == "null")
}

fn describe(device: &cpal::Device, default: bool) -> Option<InputInfo> {
    let (id, name) = label(device);
    let opens_as = device.default_input_config().ok().map(|c| Format {
        channels: c.channels(),
        sample_rate: c.sample_rate(),
        sample_format: c.sample_format().to_string(),
    });
    let mut channels = BTreeSet::new();
    let mut rates = [u32::MAX, 0];
    if let Ok(configs) = device.supported_input_configs() {
        for range in configs {
            channels.insert(range.channels());
            rates[0] = rates[0].min(range.min_sample_rate());
            rates[1] = rates[1].max(range.max_sample_rate());
        }
    }
    if let Some(format) = &opens_as {
        channels.insert(format.channels);
        rates[0] = rates[0].min(format.sample_rate);
        rates[1] = rates[1].max(format.sample_rate);
    }
    // A device with neither a default format nor any supported one cannot record.
    if channels.is_empty() {
        return None;
    }
    Some(InputInfo {
        id,
        name,
        default,
        channels: [
            channels.first().copied().unwrap_or_default(),
            channels.last().copied().unwrap_or_default(),
        ],
        sample_rates: rates,
        opens_as,
    })
}

/// The device to record from: `wanted` is an id, a name, or a unique part of either
/// (case-insensitive); `None` is the system default.
pub fn find(wanted: Option<&str>) -> Result<(cpal::Device, String), NoMicrophone> {
    let host = host();
    let Some(wanted) = wanted else {
        let device = host.default_input_device().ok_or_else(|| {
            NoMicrophone(
                "no input device found (no sound card, or none that records)\n  \
                 Plug in a microphone, then check `rehearse devices`."
                    .into(),
            )
        })?;
        let (_, name) = label(&device);
        return Ok((device, name));
    };
    let devices: Vec<cpal::Device> = host
        .default_input_device()
        .into_iter()
        .chain(host.input_devices().into_iter().flatten())
        .filter(|d| !is_null(d))
        .collect();
    let labelled: Vec<(String, String)> = devices.iter().map(label).collect();
    let lower = wanted.to_lowercase();
    let exact = labelled.iter().position(|(id, name)| {
        id == wanted
            || id.split_once(':').is_some_and(|(_, rest)| rest == wanted)
            || name.eq_ignore_ascii_case(wanted)
    });
    let index = match exact {
        Some(i) => i,
        None => {
            let matches: Vec<usize> = labelled
                .iter()
                .enumerate()
                .filter(|(_, (id, name))| {
                    id.to_lowercase().contains(&lower) || name.to_lowercase().contains(&lower)
                })
                .map(|(i, _)| i)
                .collect();
            match matches.as_slice() {
                [i] => *i,
                [] => {
                    return Err(NoMicrophone(format!(
                        "no input device matches `{wanted}`; the devices are: {}\n  \
                         Pick one with --device (a unique part of its name is enough); see `rehearse devices`.",
                        if labelled.is_empty() {
                            "none".to_owned()
                        } else {
                            labelled
                                .iter()
                                .map(|(id, _)| id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    )));
                }
                several => {
                    return Err(NoMicrophone(format!(
                        "`{wanted}` matches several input devices: {}\n  Give more of the name with --device.",
                        several
                            .iter()
                            .map(|i| labelled[*i].0.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    };
    let name = labelled[index].1.clone();
    let device = devices
        .into_iter()
        .nth(index)
        .ok_or_else(|| NoMicrophone("the device list changed".into()))?;
    Ok((device, name))
}

/// A cpal error while finding or opening `name`, as the reason there is no microphone.
pub fn explain(name: &str, err: &cpal::Error) -> NoMicrophone {
    use cpal::ErrorKind as K;
    let message = match err.kind() {
        K::DeviceBusy => format!(
            "the microphone `{name}` is busy: another program is using it\n  Close that program, or pick another device with --device."
        ),
        K::PermissionDenied => format!(
            "no permission to record from `{name}`\n  Add yourself to the audio group (sudo usermod -aG audio $USER), log in again, and retry."
        ),
        K::HostUnavailable => "the sound system (ALSA) is not available on this machine\n  Install libasound2, or answer with --type or --wav F.".to_owned(),
        K::DeviceNotAvailable => format!(
            "the microphone `{name}` is not available (no sound card, or it was unplugged)\n  Plug it in and check `rehearse devices`."
        ),
        _ => format!("cannot record from `{name}`: {err}\n  Pick another device with --device; see `rehearse devices`."),
    };
    NoMicrophone(message)
}

/// The stream settings to open `device` with: its default input format (any sample format,
/// rate and channel count; conversion happens later, off the audio thread), with buffers of about
/// 10 ms. cpal's default buffer size on ALSA is the smallest period the device allows, which can
/// be a single frame.
pub fn stream_config(
    device: &cpal::Device,
    name: &str,
) -> Result<(cpal::StreamConfig, cpal::SampleFormat), NoMicrophone> {
    let supported = match device.default_input_config() {
        Ok(config) => config,
        Err(err) => {
            // Some devices have no default but list what they support; take the best of those.
            let fallback = device.supported_input_configs().ok().and_then(|configs| {
                configs
                    .filter(|c| super::convert::Encoding::from_cpal(c.sample_format()).is_ok())
                    .max_by(|a, b| a.cmp_default_heuristics(b))
                    .map(|c| {
                        c.try_with_sample_rate(48_000)
                            .unwrap_or_else(|| c.with_max_sample_rate())
                    })
            });
            fallback.ok_or_else(|| explain(name, &err))?
        }
    };
    let rate = supported.sample_rate();
    let wanted = (rate / 100).max(64);
    let buffer_size = match supported.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => {
            cpal::BufferSize::Fixed(wanted.clamp(*min, *max))
        }
        cpal::SupportedBufferSize::Unknown => cpal::BufferSize::Default,
    };
    Ok((
        cpal::StreamConfig {
            channels: supported.channels(),
            sample_rate: rate,
            buffer_size,
        },
        supported.sample_format(),
    ))
}
