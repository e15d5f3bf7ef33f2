//! Files Breachdesk writes outside its store (exports, error reports, calendars): written through a
//! temporary file beside the target, created exclusively (never over an existing file, never
//! through a symbolic link), readable by the owner only, removed on every error path, and renamed
//! over the target only once it is complete. Personal data never lingers in a half-written file.

use crate::{Error, Result};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file being written; [`AtomicFile::commit`] puts it in place, dropping it removes it.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_owned(), source }
}

impl AtomicFile {
    /// Starts writing `target`. The temporary file is `.NAME.RANDOM.partial` in the same folder.
    ///
    /// # Errors
    /// [`Error::Validation`] on `output` when the target is a directory or its folder does not
    /// exist; [`Error::Io`] when the temporary file cannot be created.
    pub fn create(target: &Path) -> Result<AtomicFile> {
        if target.as_os_str().is_empty()
            || target.is_dir()
            || target.as_os_str().to_string_lossy().ends_with('/')
        {
            return Err(Error::validation(
                "output",
                format!("{} is a folder: name the file to write", target.display()),
            ));
        }
        let name = target.file_name().ok_or_else(|| {
            Error::validation("output", format!("{} names no file", target.display()))
        })?;
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::validation(
                "output",
                format!("the folder {} does not exist", dir.display()),
            ));
        }
        let mut nonce = [0u8; 6];
        getrandom::fill(&mut nonce).map_err(|e| Error::NoRandomness(e.to_string()))?;
        let tmp = dir.join(format!(".{}.{}.partial", name.to_string_lossy(), hex::encode(nonce)));
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600).custom_flags(libc_o_nofollow());
        }
        let file = opts.open(&tmp).map_err(io(&tmp))?;
        Ok(AtomicFile { tmp, target: target.to_owned(), file: Some(file) })
    }

    /// Where the finished file will be.
    #[must_use]
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes to disk and renames the file over the target.
    ///
    /// # Errors
    /// [`Error::Io`] (the temporary file is removed), [`Error::DiskFull`] when the disk filled up.
    pub fn commit(mut self) -> Result<()> {
        let file =
            self.file.take().ok_or_else(|| Error::Internal("file already committed".into()))?;
        file.sync_all().map_err(|e| disk(&self.tmp, e))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.target).map_err(io(&self.target))?;
        Ok(())
    }

    /// Writes all of `bytes` and commits.
    ///
    /// # Errors
    /// As [`AtomicFile::commit`].
    pub fn write_all(target: &Path, bytes: &[u8]) -> Result<()> {
        let mut f = AtomicFile::create(target)?;
        f.write_all(bytes).map_err(|e| disk(target, e))?;
        f.commit()
    }
}

/// A file name made of `stem`'s letters, digits, `-` and `_` (anything else becomes `_`), so a
/// name taken from user input cannot leave the folder or hide an extension.
#[must_use]
pub fn safe_stem(stem: &str) -> String {
    let safe: String = stem
        .chars()
        .take(100)
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if safe.is_empty() {
        "export".into()
    } else {
        safe
    }
}

/// Writes `bytes` to `dir/name` atomically (creating `dir`): a reader never sees half a file and
/// nothing is left behind on an error. Returns the path written.
///
/// # Errors
/// [`Error::Io`] naming the folder or file.
pub fn write_export(dir: &Path, name: &str, bytes: &[u8]) -> Result<String> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    let target = dir.join(name);
    AtomicFile::write_all(&target, bytes)?;
    Ok(target.display().to_string())
}

/// The largest small input Breachdesk reads whole (a facts file, a mapping, clock settings).
pub const MAX_SMALL_INPUT: u64 = 1 << 20;

/// Reads a small input file (JSON) whole: a regular file (a pipe would block, a device never end)
/// of at most [`MAX_SMALL_INPUT`] bytes, as UTF-8.
///
/// # Errors
/// [`Error::Validation`] on `field` naming the file when it is not a regular file, too large, or
/// not UTF-8; [`Error::Io`].
pub fn read_small(path: &Path, field: &str) -> Result<String> {
    let bytes = read_bytes(path, field, MAX_SMALL_INPUT)?;
    String::from_utf8(bytes)
        .map_err(|_| Error::validation(field, format!("{} is not UTF-8 text", path.display())))
}

/// Reads a regular file of at most `max` bytes whole (a logo, a proof file).
///
/// # Errors
/// [`Error::Validation`] on `field` naming the file when it is not a regular file or too large;
/// [`Error::Io`].
pub fn read_bytes(path: &Path, field: &str, max: u64) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(io(path))?;
    if !meta.is_file() {
        return Err(Error::validation(
            field,
            format!("{} is not a regular file (a folder, pipe or device)", path.display()),
        ));
    }
    if meta.len() > max {
        return Err(Error::validation(
            field,
            format!(
                "{} is {} KB; at most {} KB is read",
                path.display(),
                meta.len() >> 10,
                max >> 10
            ),
        ));
    }
    std::fs::read(path).map_err(io(path))
}

/// An I/O error, with a full disk said plainly.
#[must_use]
pub fn disk(path: &Path, e: std::io::Error) -> Error {
    if e.raw_os_error() == Some(28) {
        Error::DiskFull
    } else {
        Error::Io { path: path.to_owned(), source: e }
    }
}

#[cfg(unix)]
fn libc_o_nofollow() -> i32 {
    // O_NOFOLLOW: 0o400000 on Linux (x86, arm), 0x100 on macOS and the BSDs.
    if cfg!(target_os = "linux") {
        0o400_000
    } else {
        0x100
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.as_mut().ok_or_else(|| std::io::Error::other("committed"))?.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_the_users_own_files_alone() {
        let dir = tempfile::tempdir().expect("tmp");
        let target = dir.path().join("notes.csv");
        // The user's own "notes.partial" is neither overwritten nor removed.
        std::fs::write(dir.path().join("notes.partial"), b"mine").expect("write");
        {
            let mut f = AtomicFile::create(&target).expect("create");
            f.write_all(b"half").expect("write");
            // dropped without commit: an error path
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["notes.partial"], "nothing left behind, the user's file kept");
        assert_eq!(std::fs::read(dir.path().join("notes.partial")).expect("read"), b"mine");
        AtomicFile::write_all(&target, b"a,b\n").expect("write");
        assert_eq!(std::fs::read(&target).expect("read"), b"a,b\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(
                std::fs::metadata(&target).expect("meta").permissions().mode() & 0o777,
                0o600,
                "owner only"
            );
        }
        assert!(AtomicFile::create(dir.path())
            .expect_err("a folder")
            .to_string()
            .contains("folder"));
        assert!(AtomicFile::create(&dir.path().join("nowhere/x.csv"))
            .expect_err("no folder")
            .to_string()
            .contains("does not exist"));
    }
}
