//! Settings: defaults < `baton.toml` (or `--config FILE`) < environment `BATON_*` (`__` for
//! nesting) < command-line flags.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Unknown keys are ignored rather than refused: other tools' `BATON_*` variables (such as
/// the test suite's) share the environment prefix.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address the HTTP server listens on.
    pub listen: String,
    /// `sqlite://FILE` (created if missing) or `postgres://USER@HOST/DB`.
    pub database_url: String,
    /// Log filter, in `RUST_LOG` syntax.
    pub log: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Read and write buffer of each websocket, in bytes. Small buffers keep an idle
    /// connection cheap; frames larger than this still go through.
    pub websocket_buffer_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://baton.db".into(),
            log: "info".into(),
            max_body_bytes: 64 * 1024,
            websocket_buffer_bytes: 4 * 1024,
        }
    }
}

/// The database URL may hold a password: keep it out of logs.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("log", &self.log)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("websocket_buffer_bytes", &self.websocket_buffer_bytes)
            .finish()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Values given on the command line; `None` leaves the lower layers' value.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub listen: Option<String>,
    pub database_url: Option<String>,
}

impl Settings {
    /// Reads the layers. `config_file` must exist when given; otherwise `baton.toml` in the
    /// working directory is read if present.
    pub fn load(config_file: Option<&Path>, overrides: Overrides) -> anyhow::Result<Self> {
        let file = match config_file {
            Some(path) => config::File::from(path).required(true),
            None => config::File::with_name("baton.toml").required(false),
        };
        let mut builder = config::Config::builder()
            .add_source(config::Config::try_from(&Settings::default())?)
            .add_source(file.format(config::FileFormat::Toml))
            .add_source(config::Environment::with_prefix("BATON").prefix_separator("_").separator("__"));
        if let Some(listen) = overrides.listen {
            builder = builder.set_override("listen", listen)?;
        }
        if let Some(url) = overrides.database_url {
            builder = builder.set_override("database_url", url)?;
        }
        Ok(builder.build()?.try_deserialize()?)
    }
}

/// What `baton default-config` prints: every setting with its default and what it does.
pub const DEFAULT_CONFIG: &str = r#"# baton.toml: Baton's settings. Every key is optional; shown here with its default.
# Each can also be set in the environment as BATON_<KEY> (e.g. BATON_DATABASE_URL),
# and `listen` and `database_url` on the command line (--listen, --database-url).

# Address the HTTP server listens on. Use 0.0.0.0:8080 to accept connections from other hosts.
listen = "127.0.0.1:8080"

# Where Baton keeps its data. SQLite (embedded, created on first start):
#   database_url = "sqlite://baton.db"
# PostgreSQL, to run several Baton instances on one database:
#   database_url = "postgres://baton:PASSWORD@db.internal:5432/baton"
database_url = "sqlite://baton.db"

# Log filter, in RUST_LOG syntax: "info", "debug", "baton_server=debug,info", ...
log = "info"

# Largest request body accepted, in bytes. Larger requests get 413.
max_body_bytes = 65536

# Read and write buffer of each websocket, in bytes. Small buffers keep an idle
# connection near 11 KB of memory; larger frames still go through.
websocket_buffer_bytes = 4096
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_default_config_is_the_default() {
        let parsed: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULT_CONFIG, config::FileFormat::Toml))
            .build()
            .unwrap()
            .try_deserialize()
            .unwrap();
        assert_eq!(parsed, Settings::default());
    }

    #[test]
    fn debug_redacts_the_database_password() {
        let settings =
            Settings { database_url: "postgres://baton:hunter2@db/baton".into(), ..Settings::default() };
        let shown = format!("{settings:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://baton:***@db/baton"), "{shown}");
    }
}
