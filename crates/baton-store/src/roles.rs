//! Roles: work that exactly one of the processes sharing a database may do at a time.
//!
//! Several Baton instances may serve one PostgreSQL database. Most of their work can run
//! anywhere (requests, websockets, leased webhook and channel sends), but some must run in one
//! place: the event consumers share one cursor each, and routing hands out capacity that two
//! deciders could both hand out. Whoever holds a role does that work; the others wait to
//! take it over.
//!
//! On PostgreSQL a role is a session-level advisory lock held on a connection of its own,
//! outside the pool. The database frees it the moment that connection ends, which is also the
//! moment its process dies (a `kill -9` closes the socket), so a successor never waits for a
//! lease to run out, and two holders cannot overlap while the database is reachable. SQLite
//! serves one process, which always holds every role.

use sqlx::{AnyConnection, Connection, Row};

use crate::Result;
use crate::sql::{Dialect, SqlStore};

/// A role this process holds until the hold is dropped or its connection fails.
pub struct RoleHold {
    /// The connection that holds the lock; `None` where the process is alone (SQLite).
    connection: Option<AnyConnection>,
}

impl std::fmt::Debug for RoleHold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoleHold").field("exclusive", &self.connection.is_some()).finish()
    }
}

impl RoleHold {
    /// Whether the role is still this process's: the connection holding it still answers.
    /// A hold that answers `false` is lost for good; drop it and claim the role again.
    pub async fn still_held(&mut self) -> bool {
        match &mut self.connection {
            None => true,
            Some(connection) => connection.ping().await.is_ok(),
        }
    }

    /// Gives the role up at once, so a successor need not wait.
    pub async fn release(self) {
        if let Some(connection) = self.connection {
            // Ending the session frees its advisory locks.
            let _ = connection.close().await;
        }
    }
}

impl SqlStore {
    pub(crate) async fn claim(&self, role: &str) -> Result<Option<RoleHold>> {
        if self.dialect() != Dialect::Postgres {
            return Ok(Some(RoleHold { connection: None }));
        }
        let mut connection = self.pool().acquire().await?.detach();
        let held: bool = sqlx::query("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(format!("baton.role.{role}"))
            .fetch_one(&mut connection)
            .await?
            .try_get(0)?;
        if held {
            Ok(Some(RoleHold { connection: Some(connection) }))
        } else {
            let _ = connection.close().await;
            Ok(None)
        }
    }
}
