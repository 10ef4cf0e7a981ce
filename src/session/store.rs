//! The session store: `<data dir>/sessions/<id>/session.json` plus the answers' recordings.
//!
//! Safe with several `rehearse` processes at once: a session folder is prepared under a hidden
//! name and renamed into place, so it never appears without its record; every write is a temp
//! file renamed over the old one; and the process that owns a session holds an advisory lock on
//! its `.lock` file, so others can tell a live session from one whose process died, and never
//! rewrite or delete a live one.

use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Local, Utc};
use fs4::FileExt;

use super::record::{Answer, FollowUp, Kind, Record, RecordStatus};
use crate::error::UsageError;
use crate::fsutil::{TEMP_PREFIX, is_stale, sweep_temp_files, write_atomic};

const RECORD_FILE: &str = "session.json";
const LOCK_FILE: &str = ".lock";
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(25);
/// How long to wait for a session a running round holds: it will not let go, so not long.
const LIVE_PATIENCE: u32 = 20;
/// How long to wait for a finished session another process is rescoring or reading: on a busy
/// machine a rescore of a long round takes seconds, and it will let go.
const FINISHED_PATIENCE: u32 = 1_200;

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// A session read from disk.
#[derive(Debug, Clone)]
pub struct Stored {
    pub record: Record,
    pub dir: PathBuf,
    /// Another process is still writing it.
    pub live: bool,
}

impl Stored {
    /// Recordings of answers cut off before they were scored ([`super::cut_off`]), read from
    /// the folder only when asked for: listing sessions does not need them.
    pub fn cut_off(&self) -> Vec<String> {
        super::cut_off::find(&self.dir)
    }

    /// Whether it keeps an answer, or the recording of one cut off before it was scored.
    pub fn holds_anything(&self) -> bool {
        !self.record.answers.is_empty() || !self.cut_off().is_empty()
    }

    /// The status to show: a session left in progress by a process that is gone was interrupted.
    pub fn status(&self) -> RecordStatus {
        match self.record.status {
            RecordStatus::InProgress if !self.live => RecordStatus::Interrupted,
            status => status,
        }
    }

    pub fn recording_path(&self, answer: &Answer) -> Option<PathBuf> {
        answer.recording.as_ref().map(|name| self.dir.join(name))
    }
}

/// A session file that could not be read, named so the user can find it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct Listing {
    /// Newest first.
    pub sessions: Vec<Stored>,
    pub problems: Vec<Problem>,
}

/// The recording of an answer, handed to its session with it (named apart from
/// `audio::wav::Recording`, the samples, and `report::review::Recording`, what a review shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerAudio {
    /// Made for this answer (by the microphone): the session takes the file itself, so no copy
    /// is left behind.
    Made(PathBuf),
    /// The user's own file (`--wav`): the session keeps a copy, and the file stays theirs.
    Theirs(PathBuf),
}

impl AnswerAudio {
    /// Into the session folder as `target`: one made for the answer is moved, the user's own
    /// is copied.
    fn move_to(self, target: &Path) -> Result<()> {
        match self {
            Self::Made(made) => move_in(&made, target),
            Self::Theirs(theirs) => copy_atomic(&theirs, target),
        }
    }

    /// The recording when no session keeps it (`--no-save`): one made for the answer goes.
    pub fn discard(self) {
        if let Self::Made(path) = self {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A session this process is writing. Each [`Session::push`] saves the record, so an
/// interrupted or killed round keeps every answer already given.
#[derive(Debug)]
pub struct Session {
    pub record: Record,
    dir: PathBuf,
    /// Held for the session's life; the OS releases it if the process dies.
    _lock: File,
}

impl Store {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("sessions"),
        }
    }

    /// Fail early, before any question is asked, when sessions cannot be saved.
    pub fn ensure_writable(&self) -> Result<()> {
        let probe = std::fs::create_dir_all(&self.root).and_then(|()| {
            tempfile::Builder::new()
                .prefix(".rehearse-probe-")
                .tempfile_in(&self.root)
                .map(drop)
        });
        probe.with_context(|| {
            format!(
                "cannot save sessions in {}\n  Make it writable, pass another folder with \
                 --data-dir PATH, or add --no-save to practise without saving.",
                self.root.display()
            )
        })
    }

    /// Start a session: a new folder with its record and lock.
    pub fn create(&self, kind: Kind, bank: Vec<String>) -> Result<Session> {
        self.ensure_writable()?;
        let started = Utc::now();
        for _ in 0..16 {
            let id = session_id(started.with_timezone(&Local), kind, &random_suffix());
            let dir = self.root.join(&id);
            if dir.exists() {
                continue;
            }
            let staging = tempfile::Builder::new()
                .prefix(".new-")
                .tempdir_in(&self.root)
                .with_context(|| format!("cannot create a folder in {}", self.root.display()))?;
            let lock = lock_file(staging.path(), LIVE_PATIENCE)?;
            let record = Record::new(id.clone(), kind, started, bank.clone());
            write_atomic(
                &staging.path().join(RECORD_FILE),
                record.to_json()?.as_bytes(),
            )?;
            // rename() does not replace a non-empty folder, so two processes that picked the
            // same id cannot both win.
            match std::fs::rename(staging.path(), &dir) {
                Ok(()) => {
                    // The folder now lives under its final name; nothing is left to clean up.
                    let _ = staging.keep();
                    return Ok(Session {
                        record,
                        dir,
                        _lock: lock,
                    });
                }
                Err(_) if dir.exists() => continue,
                Err(err) => {
                    return Err(err).with_context(|| format!("cannot create {}", dir.display()));
                }
            }
        }
        bail!(
            "cannot find a free session name in {}; try again",
            self.root.display()
        )
    }

    /// What killed processes left behind: staging folders of sessions never created, folders
    /// of deletions never finished, temp files of writes never renamed. Only what no running
    /// rehearse is still using: a staging folder whose lock is free, anything else once it is
    /// older than [`crate::fsutil::STALE_AFTER`]. Returns how many were removed.
    pub fn sweep(&self) -> usize {
        let Ok(entries) = std::fs::read_dir(&self.root) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let gone = if name.starts_with(".new-") {
                is_stale(&path) && !is_live(&path) && std::fs::remove_dir_all(&path).is_ok()
            } else if name.starts_with(".deleted-") {
                std::fs::remove_dir_all(&path).is_ok()
            } else if name.starts_with(TEMP_PREFIX) {
                is_stale(&path) && std::fs::remove_file(&path).is_ok()
            } else if path.is_dir() {
                removed += sweep_temp_files(&path);
                false
            } else {
                false
            };
            removed += usize::from(gone);
        }
        removed
    }

    /// Every session, newest first, and the files that could not be read.
    pub fn list(&self) -> Result<Listing> {
        let mut listing = Listing::default();
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(err) if err.kind() == ErrorKind::NotFound => return Ok(listing),
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", self.root.display()));
            }
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", self.root.display()))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || !entry.path().is_dir() {
                continue;
            }
            match load(&entry.path()) {
                Ok(stored) => listing.sessions.push(stored),
                Err(err) => listing.problems.push(Problem {
                    path: entry.path().join(RECORD_FILE),
                    reason: format!("{err:#}"),
                }),
            }
        }
        listing.sessions.sort_by(|a, b| {
            b.record
                .started_at
                .cmp(&a.record.started_at)
                .then_with(|| b.record.id.cmp(&a.record.id))
        });
        Ok(listing)
    }

    /// A session by id, unique id prefix, or `latest`.
    pub fn find<'a>(&self, listing: &'a Listing, which: &str) -> Result<&'a Stored> {
        if listing.sessions.is_empty() {
            bail!(
                "no saved sessions in {}\n  Practise with `rehearse practice` or `rehearse round` \
                 first.",
                self.root.display()
            );
        }
        if which == "latest" {
            // A session interrupted before its first answer has nothing to review: it must not
            // hide the last one that has.
            let reviewable = listing
                .sessions
                .iter()
                .find(|s| s.holds_anything() || s.status() != RecordStatus::Interrupted);
            return Ok(reviewable.unwrap_or(&listing.sessions[0]));
        }
        if let Some(exact) = listing.sessions.iter().find(|s| s.record.id == which) {
            return Ok(exact);
        }
        let matches: Vec<&Stored> = listing
            .sessions
            .iter()
            .filter(|s| s.record.id.starts_with(which))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(UsageError::new(format!(
                "no session `{which}`\n  List the sessions with `rehearse history`."
            ))
            .into()),
            many => Err(UsageError::new(format!(
                "`{which}` matches {} sessions; type more of the id",
                many.len()
            ))
            .into()),
        }
    }

    /// Change a saved session under its lock. Fails when another process is writing it.
    pub fn update(
        &self,
        stored: &Stored,
        change: impl FnOnce(&mut Record) -> Result<()>,
    ) -> Result<Record> {
        let _lock = lock_file(&stored.dir, patience(stored))?;
        let (mut record, kept) = Record::from_json_keeping(&read_record(&stored.dir)?)?;
        // A change that fails leaves the session as it was on disk.
        change(&mut record)?;
        write_atomic(
            &stored.dir.join(RECORD_FILE),
            record.to_json_over(kept)?.as_bytes(),
        )?;
        Ok(record)
    }

    /// Remove a session and its recordings. Fails when another process is writing it.
    pub fn delete(&self, stored: &Stored) -> Result<()> {
        let lock = lock_file(&stored.dir, patience(stored))?;
        // Move it out of sight first, so no reader ever sees half a folder.
        let doomed = self.root.join(format!(".deleted-{}", stored.record.id));
        std::fs::rename(&stored.dir, &doomed)
            .with_context(|| format!("cannot remove {}", stored.dir.display()))?;
        drop(lock);
        std::fs::remove_dir_all(&doomed)
            .with_context(|| format!("cannot remove {}", doomed.display()))
    }
}

impl Session {
    pub fn id(&self) -> &str {
        &self.record.id
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Keep an answer, its recording first in the session folder, then save. A transcript
    /// from a model names the model the session used.
    pub fn push(&mut self, mut answer: Answer, recording: Option<AnswerAudio>) -> Result<()> {
        if let Some(recording) = recording {
            let name = format!(
                "{:02}-{}.wav",
                self.record.answers.len() + 1,
                answer.question.id
            );
            recording.move_to(&self.dir.join(&name))?;
            answer.recording = Some(name);
        }
        if let Some(model) = &answer.transcript.model {
            self.record.model = Some(model.clone());
        }
        self.record.answers.push(answer);
        self.save()
    }

    /// Give the last answer its follow-up (asked after the answer was saved, so a fault while
    /// it is answered loses nothing), with the follow-up's recording, and save.
    pub fn add_follow_up(
        &mut self,
        mut follow_up: FollowUp,
        recording: Option<AnswerAudio>,
    ) -> Result<()> {
        let number = self.record.answers.len();
        let Some(answer) = self.record.answers.last_mut() else {
            bail!("a follow-up came before any answer");
        };
        if let Some(recording) = recording {
            let name = format!("{number:02}-{}-follow-up.wav", answer.question.id);
            recording.move_to(&self.dir.join(&name))?;
            follow_up.recording = Some(name);
        }
        answer.follow_up = Some(follow_up);
        self.save()
    }

    /// Mark how the session ended and save it.
    pub fn finish(&mut self, status: RecordStatus) -> Result<()> {
        self.record.status = status;
        self.record.ended_at = Some(Utc::now());
        self.save()
    }

    pub fn save(&self) -> Result<()> {
        write_atomic(
            &self.dir.join(RECORD_FILE),
            self.record.to_json()?.as_bytes(),
        )
        .context("cannot save the session; the answers before this one are kept")
    }
}

/// The text of a session folder's record.
fn read_record(dir: &Path) -> Result<String> {
    match std::fs::read_to_string(dir.join(RECORD_FILE)) {
        Ok(text) => Ok(text),
        Err(err) if err.kind() == ErrorKind::NotFound => bail!("it is missing"),
        Err(err) => Err(err).context("it cannot be read"),
    }
}

/// Read one session folder.
fn load(dir: &Path) -> Result<Stored> {
    let record = Record::from_json(&read_record(dir)?)?;
    Ok(Stored {
        // A finished session's lock is only ever held for a moment (a rescore, a delete): only a
        // round still in progress is live.
        live: record.status == RecordStatus::InProgress && is_live(dir),
        record,
        dir: dir.to_path_buf(),
    })
}

/// Whether a process holds the session's lock.
fn is_live(dir: &Path) -> bool {
    let Ok(file) = File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    matches!(
        FileExt::try_lock_shared(&file),
        Err(fs4::TryLockError::WouldBlock)
    )
}

/// How many tries to take a stored session's lock before saying it is in use.
fn patience(stored: &Stored) -> u32 {
    if stored.live {
        LIVE_PATIENCE
    } else {
        FINISHED_PATIENCE
    }
}

/// Take a session's lock, trying `tries` times, or say who has it.
fn lock_file(dir: &Path, tries: u32) -> Result<File> {
    let path = dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    // Readers take the lock for an instant to see whether a session is live; a writer that
    // meets one of them tries again for a moment. A running round holds it for good.
    for _ in 0..tries {
        match FileExt::try_lock(&file) {
            Ok(()) => return Ok(file),
            Err(fs4::TryLockError::WouldBlock) => std::thread::sleep(LOCK_WAIT),
            Err(fs4::TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
    bail!(
        "session {} is in use by another rehearse; let that one finish first",
        dir.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Move a file in, on disk before it is renamed into place; across file systems, a copy and
/// then the file removed.
fn move_in(source: &Path, target: &Path) -> Result<()> {
    File::open(source)
        .and_then(|file| file.sync_all())
        .with_context(|| format!("cannot read the recording {}", source.display()))?;
    if std::fs::rename(source, target).is_err() {
        copy_atomic(source, target)?;
        let _ = std::fs::remove_file(source);
    }
    Ok(())
}

fn copy_atomic(source: &Path, target: &Path) -> Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut input = File::open(source)
        .with_context(|| format!("cannot read the recording {}", source.display()))?;
    std::io::copy(&mut input, &mut tmp)
        .with_context(|| format!("cannot copy the recording into {}", dir.display()))?;
    tmp.as_file().sync_all()?;
    tmp.persist(target)
        .with_context(|| format!("cannot save {}", target.display()))?;
    Ok(())
}

/// A session id that sorts by time and reads well: `2026-11-26T10-15-03-round-ab12`.
pub fn session_id(started: DateTime<Local>, kind: Kind, suffix: &str) -> String {
    format!(
        "{}-{}-{suffix}",
        started.format("%Y-%m-%dT%H-%M-%S"),
        kind.name()
    )
}

fn random_suffix() -> String {
    (0..4)
        .map(|_| fastrand::alphanumeric().to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::record::{SavedQuestion, Scoring, SourceKind};
    use crate::transcript::Transcript;
    use chrono::TimeZone;

    fn answer(id: &str) -> Result<Answer> {
        let bank = crate::bank::Bank {
            questions: vec![crate::bank::Question {
                id: id.into(),
                deck: "d".into(),
                category: "c".into(),
                question: "What is ECS?".into(),
                kind: crate::bank::Kind::Technical,
                answer: "A container orchestrator.".into(),
                key_points: vec![crate::bank::KeyPoint {
                    point: "container orchestrator".into(),
                    aliases: vec![],
                    follow_up: None,
                }],
                time_limit_s: 60,
                source: "b.toml".into(),
            }],
            ..crate::bank::Bank::default()
        };
        let question = bank.find(id)?;
        let transcript = Transcript::typed("a container orchestrator");
        let report = crate::score::Scorer::words_only().score(question, &transcript)?;
        Ok(Answer {
            question: SavedQuestion::from(question),
            started_at: Utc::now(),
            time_used_s: 3.0,
            time_limit_s: 60,
            source: SourceKind::Typed,
            transcript,
            recording: None,
            interrupted: false,
            score: Scoring::now(report),
            earlier_scores: vec![],
            follow_up: None,
        })
    }

    #[test]
    fn ids_sort_by_time_and_name_the_kind() {
        let at = Local.with_ymd_and_hms(2026, 11, 26, 10, 15, 3).single();
        let id = at.map(|t| session_id(t, Kind::Round, "ab12"));
        assert_eq!(id.as_deref(), Some("2026-11-26T10-15-03-round-ab12"));
    }

    #[test]
    fn a_session_keeps_each_answer_as_it_is_given() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        let mut session = store.create(Kind::Round, vec!["bank".into()])?;
        session.push(answer("one")?, None)?;
        // Readable before the session ends, and seen as live while this process holds it.
        let listing = store.list()?;
        assert_eq!(listing.sessions.len(), 1);
        assert_eq!(listing.sessions[0].record.answers.len(), 1);
        assert!(listing.sessions[0].live);
        assert_eq!(listing.sessions[0].status(), RecordStatus::InProgress);
        assert!(
            store.update(&listing.sessions[0], |_| Ok(())).is_err(),
            "live sessions are not rewritten"
        );

        let theirs = dir.path().join("theirs.wav");
        std::fs::write(&theirs, b"RIFF....WAVE")?;
        session.push(answer("one")?, Some(AnswerAudio::Theirs(theirs.clone())))?;
        let made = dir.path().join("made.wav");
        std::fs::write(&made, b"RIFF....made")?;
        session.push(answer("one")?, Some(AnswerAudio::Made(made.clone())))?;
        session.finish(RecordStatus::Complete)?;
        let id = session.id().to_owned();
        drop(session);

        let listing = store.list()?;
        let stored = store.find(&listing, "latest")?;
        assert_eq!(stored.record.id, id);
        assert!(!stored.live);
        assert_eq!(stored.status(), RecordStatus::Complete);
        let second = &stored.record.answers[1];
        assert_eq!(second.recording.as_deref(), Some("02-one.wav"));
        let copied = stored.recording_path(second).context("recording")?;
        assert_eq!(std::fs::read(copied)?, b"RIFF....WAVE");
        assert!(theirs.is_file(), "the user's own file stays");
        let third = &stored.record.answers[2];
        let moved = stored.recording_path(third).context("recording")?;
        assert_eq!(std::fs::read(moved)?, b"RIFF....made");
        assert!(!made.exists(), "a recording made for the answer moves in");
        Ok(())
    }

    #[test]
    fn a_killed_answers_recording_stays_with_its_session_and_makes_it_latest() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        let mut earlier = store.create(Kind::Practice, vec![])?;
        earlier.push(answer("one")?, None)?;
        earlier.finish(RecordStatus::Complete)?;
        drop(earlier);
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let session = store.create(Kind::Round, vec![])?;
        // Recorded into the session folder, then the process died before it was scored.
        let name = super::super::cut_off::file_name("one", chrono::Local::now());
        std::fs::write(session.dir().join(&name), b"RIFF....cut")?;
        let id = session.id().to_owned();
        drop(session);
        let listing = store.list()?;
        let stored = store.find(&listing, "latest")?;
        assert_eq!(
            stored.record.id, id,
            "not hidden as an empty interrupted session"
        );
        assert_eq!(stored.cut_off(), [name]);
        store.delete(stored)?;
        assert_eq!(store.list()?.sessions.len(), 1);
        Ok(())
    }

    #[test]
    fn a_session_left_in_progress_by_a_dead_process_reads_as_interrupted() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        let mut session = store.create(Kind::Round, vec![])?;
        session.push(answer("one")?, None)?;
        drop(session); // as if the process died: the lock goes, the record says in progress
        let listing = store.list()?;
        assert_eq!(listing.sessions[0].record.status, RecordStatus::InProgress);
        assert_eq!(listing.sessions[0].status(), RecordStatus::Interrupted);
        Ok(())
    }

    #[test]
    fn broken_sessions_are_named_and_skipped() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        let mut good = store.create(Kind::Practice, vec![])?;
        good.finish(RecordStatus::Complete)?;
        let root = dir.path().join("sessions");
        std::fs::create_dir(root.join("2026-01-01T00-00-00-round-miss"))?;
        std::fs::create_dir(root.join("2026-01-01T00-00-00-round-trun"))?;
        std::fs::write(
            root.join("2026-01-01T00-00-00-round-trun")
                .join(RECORD_FILE),
            "{\"schema\": 2, \"id\": \"x\", ",
        )?;
        let listing = store.list()?;
        assert_eq!(listing.sessions.len(), 1);
        let mut problems: Vec<String> = listing
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.path.display(), p.reason))
            .collect();
        problems.sort();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].contains("round-miss") && problems[0].contains("missing"));
        assert!(problems[1].contains("round-trun") && problems[1].contains("not valid JSON"));
        Ok(())
    }

    #[test]
    fn delete_removes_the_folder_and_find_takes_prefixes() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::new(dir.path());
        let mut session = store.create(Kind::Drill, vec![])?;
        session.finish(RecordStatus::Complete)?;
        let id = session.id().to_owned();
        let folder = session.dir().to_path_buf();
        drop(session);
        let listing = store.list()?;
        let stored = store.find(&listing, &id[..id.len() - 2])?;
        assert!(store.find(&listing, "1999").is_err());
        store.delete(stored)?;
        assert!(!folder.exists());
        assert!(store.list()?.sessions.is_empty());
        Ok(())
    }
}
