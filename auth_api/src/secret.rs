//! Where the JWT signing key comes from: `WIBM_AUTH_SECRET`; in a container
//! it is required; otherwise (single-process mode on one machine) one is
//! generated once and kept in `<data dir>/auth_secret`, readable only by
//! its owner, so tokens survive restarts.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::domain::tokens::{MIN_SECRET_BYTES, random_secret};

pub const SECRET_FILE: &str = "auth_secret";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("WIBM_AUTH_SECRET is required inside a container (a random string of at least {MIN_SECRET_BYTES} bytes)")]
    MissingInContainer,
    #[error("the auth secret from {0} must be at least {MIN_SECRET_BYTES} bytes")]
    TooShort(String),
    #[error("keeping the auth secret in {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// The signing key: the configured one, or (outside containers) the one
/// kept in `data_dir`, generated on first use.
pub fn resolve(
    configured: Option<&SecretString>,
    in_container: bool,
    data_dir: &Path,
) -> Result<SecretString, SecretError> {
    if let Some(secret) = configured.filter(|s| !s.expose_secret().is_empty()) {
        if secret.expose_secret().len() < MIN_SECRET_BYTES {
            return Err(SecretError::TooShort("WIBM_AUTH_SECRET".into()));
        }
        return Ok(secret.clone());
    }
    if in_container {
        return Err(SecretError::MissingInContainer);
    }
    load_or_create(&data_dir.join(SECRET_FILE))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SecretError + '_ {
    move |source| SecretError::Io { path: path.to_path_buf(), source }
}

/// Reads the key at `path`, creating it (mode 0600) when missing. Creation
/// writes a temporary file and links it into place, so a concurrent starter
/// never reads a half-written key.
pub fn load_or_create(path: &Path) -> Result<SecretString, SecretError> {
    if !path.exists() {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(io(dir))?;
        let tmp = dir.join(format!(".{SECRET_FILE}.{}", uuid::Uuid::new_v4()));
        let written = write_private(&tmp, random_secret("").expose_secret());
        let linked = written.and_then(|()| match fs::hard_link(&tmp, path) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        });
        let _ = fs::remove_file(&tmp);
        linked.map_err(io(path))?;
        tracing::info!(path = %path.display(), "generated the auth signing key");
    }
    restrict(path)?;
    let secret = fs::read_to_string(path).map_err(io(path))?.trim().to_string();
    if secret.len() < MIN_SECRET_BYTES {
        return Err(SecretError::TooShort(path.display().to_string()));
    }
    Ok(secret.into())
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(content.as_bytes())?;
    file.sync_all()
}

/// Tightens a key file others can read to 0600.
fn restrict(path: &Path) -> Result<(), SecretError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path).map_err(io(path))?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "the auth secret file was readable by others; setting mode 0600");
            fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io(path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_secret_wins_and_must_be_long_enough() {
        let dir = tempfile::tempdir().unwrap();
        let good: SecretString = "k".repeat(32).into();
        assert_eq!(resolve(Some(&good), true, dir.path()).unwrap().expose_secret(), good.expose_secret());
        let short: SecretString = "short".to_string().into();
        assert!(matches!(resolve(Some(&short), false, dir.path()), Err(SecretError::TooShort(_))));
        assert!(!dir.path().join(SECRET_FILE).exists());
    }

    #[test]
    fn containers_refuse_to_start_without_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(resolve(None, true, dir.path()), Err(SecretError::MissingInContainer)));
        let empty: SecretString = String::new().into();
        assert!(matches!(resolve(Some(&empty), true, dir.path()), Err(SecretError::MissingInContainer)));
    }

    #[test]
    fn single_process_mode_generates_one_private_key_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = resolve(None, false, &data).unwrap();
        let second = resolve(None, false, &data).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert!(first.expose_secret().len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(data.join(SECRET_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Only the key file is left behind.
        assert_eq!(fs::read_dir(&data).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_key_is_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SECRET_FILE);
        fs::write(&path, "s".repeat(40)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        load_or_create(&path).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
