//! What a failed fetch was really about, said so the user can act: a full disk and a folder
//! rehearse may not write are named as such, whatever step they stopped.

use std::io::ErrorKind;
use std::path::Path;

/// `err` with the cause named first when it is the disk or the permissions.
pub fn name_cause(err: anyhow::Error, models_dir: &Path) -> anyhow::Error {
    let kind = err.chain().find_map(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<tempfile::PersistError>()
                    .map(|e| e.error.kind())
            })
    });
    let (dir, quoted) = (models_dir.display(), crate::fsutil::quoted(models_dir));
    let advice = match kind {
        Some(ErrorKind::StorageFull | ErrorKind::QuotaExceeded) => format!(
            "no space left on the disk of {dir}: free some space (or choose another --models-dir) \
             and run the same command again"
        ),
        Some(ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => format!(
            "rehearse may not write in {dir}: make it writable (chmod u+w {quoted}) or choose \
             another --models-dir"
        ),
        _ => return err,
    };
    err.context(advice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_full_disk_and_a_denied_folder_are_named_whatever_step_failed() {
        let dir = Path::new("/models");
        let failed = |kind: ErrorKind| {
            let err: anyhow::Result<()> =
                Err(std::io::Error::from(kind)).context("cannot write /models/x.part");
            let Err(err) = err else { return String::new() };
            format!("{:#}", name_cause(err, dir))
        };
        assert!(failed(ErrorKind::StorageFull).starts_with("no space left on the disk of /models"));
        assert!(
            failed(ErrorKind::PermissionDenied).starts_with("rehearse may not write in /models")
        );
        assert!(failed(ErrorKind::ReadOnlyFilesystem).contains("make it writable"));
        assert!(failed(ErrorKind::InvalidData).starts_with("cannot write /models/x.part"));
    }
}
