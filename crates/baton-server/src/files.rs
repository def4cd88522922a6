//! Where attachment files are kept. With SQLite they go in an `attachments` folder beside the
//! database file, so a backup of that folder and the database holds everything; with
//! PostgreSQL (several machines may serve one database) or an in-memory SQLite database they
//! go in the database itself. A file is durable before its message is stored: it is written
//! to a temporary name, synced, renamed and the folder synced.

use std::io;
use std::path::{Path, PathBuf};

use baton_core::ids::AttachmentId;

#[derive(Debug, Clone)]
pub struct FileStore {
    dir: Option<PathBuf>,
}

impl FileStore {
    /// The store that fits `database_url`.
    pub fn for_database(database_url: &str) -> Self {
        let file = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:"));
        let dir = file
            .map(|file| file.split('?').next().unwrap_or(""))
            .filter(|file| !file.is_empty() && !file.contains(":memory:") && !file.starts_with("file:"))
            .map(|file| Path::new(file).parent().unwrap_or(Path::new("")).join("attachments"));
        Self { dir }
    }

    /// Whether files are kept in the database rather than on disk.
    pub fn in_database(&self) -> bool {
        self.dir.is_none()
    }

    /// Writes `bytes` durably as attachment `id`; returns the path to store (relative to the
    /// folder).
    pub async fn save(&self, id: AttachmentId, bytes: Vec<u8>) -> io::Result<String> {
        let dir = self.dir.clone().ok_or_else(|| io::Error::other("attachments are kept in the database"))?;
        let name = id.to_string();
        let relative = name.clone();
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            std::fs::create_dir_all(&dir)?;
            let temporary = dir.join(format!("{name}.part"));
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temporary, dir.join(&name))?;
            std::fs::File::open(&dir)?.sync_all()
        })
        .await
        .map_err(io::Error::other)??;
        Ok(relative)
    }

    pub async fn read(&self, path: &str) -> io::Result<Vec<u8>> {
        let dir =
            self.dir.as_ref().ok_or_else(|| io::Error::other("attachments are kept in the database"))?;
        if !is_ours(path) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not an attachment path"));
        }
        tokio::fs::read(dir.join(path)).await
    }

    /// Deletes the files at `paths`; a file already gone is not an error.
    pub async fn delete(&self, paths: &[String]) {
        let Some(dir) = &self.dir else { return };
        for path in paths {
            if is_ours(path)
                && let Err(error) = tokio::fs::remove_file(dir.join(path)).await
                && error.kind() != io::ErrorKind::NotFound
            {
                tracing::warn!(%error, path, "deleting an attachment file failed");
            }
        }
    }
}

/// Whether `path` is a name Baton gave a file (an attachment id): anything else is refused
/// rather than followed out of the folder.
fn is_ours(path: &str) -> bool {
    !path.is_empty() && path.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files_sit_beside_the_database_and_the_rest_in_it() {
        let beside = FileStore::for_database("sqlite:///var/lib/baton/baton.db?mode=rwc");
        assert_eq!(beside.dir.as_deref(), Some(Path::new("/var/lib/baton/attachments")));
        assert_eq!(
            FileStore::for_database("sqlite://baton.db").dir.as_deref(),
            Some(Path::new("attachments"))
        );
        assert!(FileStore::for_database("sqlite::memory:").in_database());
        assert!(FileStore::for_database("postgres://postgres@127.0.0.1/baton").in_database());
    }
}
