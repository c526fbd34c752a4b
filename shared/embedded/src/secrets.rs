//! Secrets for the local stack: one file per secret under the data
//! directory's `secrets/`, readable by the owner only; and in memory, for
//! tests.

use async_trait::async_trait;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use switchboard_app::channels::Secret;
use switchboard_app::ports::{SecretWriter, Secrets, SecretsError};

pub struct FileSecrets {
    dir: PathBuf,
}

impl FileSecrets {
    pub fn new(dir: PathBuf) -> Self {
        FileSecrets { dir }
    }

    /// Names are paths of safe segments (`channel/whatsapp/123`); anything
    /// else could leave the directory.
    fn path(&self, name: &str) -> Result<PathBuf, SecretsError> {
        let safe = !name.is_empty()
            && name.split('/').all(|segment| {
                !segment.is_empty()
                    && segment != "."
                    && segment != ".."
                    && segment
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
            });
        if !safe {
            return Err(SecretsError::backend(
                "secret name",
                format!("{name:?} is not a safe secret name"),
            ));
        }
        Ok(self.dir.join(name))
    }
}

fn io(context: &str, e: std::io::Error) -> SecretsError {
    SecretsError::backend(context.to_string(), e)
}

#[async_trait]
impl Secrets for FileSecrets {
    async fn secret(&self, name: &str) -> Result<Option<Secret>, SecretsError> {
        match std::fs::read_to_string(self.path(name)?) {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("reading a secret", e)),
        }
    }
}

#[async_trait]
impl SecretWriter for FileSecrets {
    async fn put_secret(&self, name: &str, value: &Secret) -> Result<(), SecretsError> {
        let path = self.path(name)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io("creating the secrets folder", e))?;
        }
        // Written aside and renamed, so a reader never sees half a secret.
        let partial = path.with_extension("partial");
        {
            use std::io::Write;
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(&partial)
                .map_err(|e| io("writing a secret", e))?;
            file.write_all(value.expose().as_bytes())
                .map_err(|e| io("writing a secret", e))?;
        }
        std::fs::rename(&partial, &path).map_err(|e| io("writing a secret", e))
    }

    async fn delete_secret(&self, name: &str) -> Result<(), SecretsError> {
        match std::fs::remove_file(self.path(name)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("deleting a secret", e)),
        }
    }
}

/// Secrets in memory, for tests.
#[derive(Default)]
pub struct MemorySecrets(Mutex<HashMap<String, String>>);

#[async_trait]
impl Secrets for MemorySecrets {
    async fn secret(&self, name: &str) -> Result<Option<Secret>, SecretsError> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        Ok(map.get(name).map(|v| Secret::new(v.clone())))
    }
}

#[async_trait]
impl SecretWriter for MemorySecrets {
    async fn put_secret(&self, name: &str, value: &Secret) -> Result<(), SecretsError> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(name.to_string(), value.expose().to_string());
        Ok(())
    }

    async fn delete_secret(&self, name: &str) -> Result<(), SecretsError> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(name);
        Ok(())
    }
}
