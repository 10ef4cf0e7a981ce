//! A room where what rehearse plays is heard by the microphone it records from: a PulseAudio
//! server of the test's own with a null sink as the speaker and that sink's monitor as the
//! default microphone (option B of test-audio.md), reached through ALSA's `pulse` plugin. With
//! it a test hears whether the interviewer's voice gets into an answer's recording.
//!
//! Needs pulseaudio, pulseaudio-utils and libasound2-plugins (scripts/setup installs them).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// The server, its keep-alive stream, and the folder they live in; both end on drop.
pub struct Room {
    dir: tempfile::TempDir,
    keep_alive: Option<Child>,
}

impl Room {
    pub fn start() -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let room = Self {
            dir,
            keep_alive: None,
        };
        std::fs::create_dir_all(room.runtime())?;
        std::fs::set_permissions(
            room.runtime(),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )?;
        let script = room.dir.path().join("room.pa");
        std::fs::write(
            &script,
            "load-module module-native-protocol-unix auth-anonymous=1\n\
             load-module module-null-sink sink_name=room rate=48000 channels=2\n\
             set-default-sink room\n\
             set-default-source room.monitor\n",
        )?;
        std::fs::write(
            room.alsa_config(),
            "pcm.!default { type pulse }\nctl.!default { type pulse }\n",
        )?;
        let started = room
            .env(Command::new("pulseaudio"))
            .args(["-n", "--daemonize=yes", "--exit-idle-time=-1", "-F"])
            .arg(&script)
            .arg(format!(
                "--log-target=file:{}",
                room.dir.path().join("pa.log").display()
            ))
            .status()
            .context("pulseaudio is not installed (scripts/setup installs it)")?;
        anyhow::ensure!(started.success(), "pulseaudio did not start");
        let mut room = room;
        // Without a stream that always plays, the null sink's monitor loses audio (test-audio.md).
        room.keep_alive = Some(
            room.env(Command::new("pacat"))
                .args(["--latency-msec=20", "-d", "room", "--format=s16le"])
                .args(["--rate=48000", "--channels=2", "/dev/zero"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context("pacat is not installed (pulseaudio-utils)")?,
        );
        Ok(room)
    }

    fn runtime(&self) -> PathBuf {
        self.dir.path().join("run")
    }

    fn alsa_config(&self) -> PathBuf {
        self.dir.path().join("asound.conf")
    }

    /// `cmd` talking to this room's server, and nothing else of the machine's sound setup.
    fn env(&self, mut cmd: Command) -> Command {
        cmd.env("XDG_RUNTIME_DIR", self.runtime())
            .env(
                "PULSE_SERVER",
                format!("unix:{}", self.runtime().join("pulse/native").display()),
            )
            .env("ALSA_CONFIG_PATH", self.alsa_config());
        cmd
    }

    /// The same settings as shell words, for a command line run in a terminal.
    pub fn shell_env(&self) -> String {
        format!(
            "XDG_RUNTIME_DIR='{run}' PULSE_SERVER='unix:{run}/pulse/native' ALSA_CONFIG_PATH='{alsa}'",
            run = self.runtime().display(),
            alsa = self.alsa_config().display(),
        )
    }

    /// `rehearse` in this room, with its data in `home` and the test run's models.
    pub fn rehearse(&self, home: &Path) -> Command {
        let mut cmd = self.env(Command::new(env!("CARGO_BIN_EXE_rehearse")));
        for var in [
            "REHEARSE_BANK",
            "REHEARSE_DATA_DIR",
            "REHEARSE_MODEL",
            "REHEARSE_DEVICE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("HOME", home)
            .current_dir(home)
            .arg("--models-dir")
            .arg(crate::whisper::models_dir())
            .stdin(Stdio::null());
        cmd
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        if let Some(mut keep_alive) = self.keep_alive.take() {
            let _ = keep_alive.kill();
            let _ = keep_alive.wait();
        }
        let _ = self.env(Command::new("pulseaudio")).arg("-k").status();
    }
}

/// Wait until `child`'s standard error has said `what` (it is read line by line, and the rest
/// drained on a thread so that the child never blocks on it).
pub fn wait_for_stderr(child: &mut Child, what: &str, within: Duration) -> anyhow::Result<()> {
    use std::io::BufRead;
    let stderr = child.stderr.take().context("stderr is not piped")?;
    let (seen, said) = std::sync::mpsc::channel();
    let what = what.to_owned();
    std::thread::spawn(move || {
        let mut told = false;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if !told && line.contains(&what) {
                told = seen.send(()).is_ok();
            }
        }
    });
    let deadline = Instant::now() + within;
    match said.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(()) => Ok(()),
        Err(_) => bail!("the command never said it was ready"),
    }
}
