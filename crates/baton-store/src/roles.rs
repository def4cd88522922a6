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
//! lease to run out. A holder whose host stops answering is ended by the database's TCP
//! keepalives within seconds, after the holder itself has stopped for want of an answer. What
//! this cannot exclude is a session the database ends on purpose (`pg_terminate_backend`, a
//! proxy's idle timeout): the holder notices at its next check, about a second, during which
//! a successor may already have started. A pooler in transaction mode (PgBouncer's default)
//! breaks session locks: connect Baton to PostgreSQL directly or in session mode. SQLite
//! serves one process, which always holds every role.

use std::time::Duration;

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
    /// Whether the role is still this process's: the connection holding it answers within
    /// [`ANSWER_WITHIN`]. A hold that answers `false` is lost for good; drop it and claim the
    /// role again.
    pub async fn still_held(&mut self) -> bool {
        match &mut self.connection {
            None => true,
            Some(connection) => {
                matches!(tokio::time::timeout(ANSWER_WITHIN, connection.ping()).await, Ok(Ok(())))
            }
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

/// How long the holder's connection may take to answer before the holder counts the role as
/// lost and stops its work.
pub const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// The database ends a holder's session this long after its host stopped answering (a crash,
/// a cut network), by TCP keepalives, instead of the system's default of two hours; by then
/// the holder has long stopped (see [`ANSWER_WITHIN`]), so the successor does not overlap it.
const KEEPALIVES: &str =
    "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; SET tcp_keepalives_count = 3";

impl SqlStore {
    pub(crate) async fn claim(&self, role: &str) -> Result<Option<RoleHold>> {
        if self.dialect() != Dialect::Postgres {
            return Ok(Some(RoleHold { connection: None }));
        }
        // Tried on a pooled connection, which goes back to the pool when the role is taken;
        // only a holder keeps one of its own.
        let mut connection = self.pool().acquire().await?;
        let held: bool = sqlx::query("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(format!("baton.role.{role}"))
            .fetch_one(&mut *connection)
            .await?
            .try_get(0)?;
        if !held {
            return Ok(None);
        }
        let mut connection = connection.detach();
        sqlx::raw_sql(KEEPALIVES).execute(&mut connection).await?;
        Ok(Some(RoleHold { connection: Some(connection) }))
    }
}
