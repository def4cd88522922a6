//! Websockets opened with a user's session close when the session ends: at logout, when an
//! admin disables or deletes the user or resets their password, when the user changes their
//! password elsewhere, and when it expires.
//!
//! The first four are announced on [`SessionEnds`], so a socket closes at once; expiry is
//! noticed by each socket checking its session every [`RECHECK`] (one indexed read; it also
//! counts the open socket as use, so an inbox left open does not expire while idle).
//! Announcements are per process: with several instances, another instance's sockets close
//! at their next check.

use std::time::Duration;

use baton_core::ids::UserId;
use baton_core::user::User;
use tokio::sync::broadcast;

use crate::auth::hash_token;
use crate::state::AppState;

/// How often an open socket checks that its session still lives.
pub const RECHECK: Duration = Duration::from_secs(1);

/// Sessions that just ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEnd {
    /// One session, by its token's hash.
    Token(String),
    /// Every session of a user but the one whose hash is `except`.
    User { user: UserId, except: Option<String> },
}

/// Where ended sessions are announced.
pub struct SessionEnds(broadcast::Sender<SessionEnd>);

impl SessionEnds {
    pub fn new() -> Self {
        Self(broadcast::channel(256).0)
    }

    pub fn announce(&self, end: SessionEnd) {
        // Nobody listening is normal: no socket is open.
        let _ = self.0.send(end);
    }

    fn subscribe(&self) -> broadcast::Receiver<SessionEnd> {
        self.0.subscribe()
    }
}

impl Default for SessionEnds {
    fn default() -> Self {
        Self::new()
    }
}

/// One socket's view of the session it was opened with.
pub struct SessionWatch {
    token: String,
    token_hash: String,
    user: UserId,
    ends: broadcast::Receiver<SessionEnd>,
    /// When to ask the store next; kept here because [`ended`](Self::ended) is cancelled and
    /// called again whenever the socket has something else to do.
    next_check: tokio::time::Instant,
}

impl SessionWatch {
    /// Subscribed now, so an end announced from here on is not missed.
    pub fn new(state: &AppState, token: &str, user: &User) -> Self {
        Self {
            token: token.to_owned(),
            token_hash: hash_token(token),
            user: user.id,
            ends: state.session_ends.subscribe(),
            next_check: tokio::time::Instant::now() + RECHECK,
        }
    }

    fn is_mine(&self, end: &SessionEnd) -> bool {
        match end {
            SessionEnd::Token(hash) => *hash == self.token_hash,
            SessionEnd::User { user, except } => {
                *user == self.user && except.as_deref() != Some(self.token_hash.as_str())
            }
        }
    }

    /// Resolves once the session has ended.
    pub async fn ended(&mut self, state: &AppState) {
        loop {
            tokio::select! {
                end = self.ends.recv() => match end {
                    Ok(end) if self.is_mine(&end) => return,
                    Ok(_) => {}
                    // Missed announcements: ask the store instead.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if !self.lives(state).await { return }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                () = tokio::time::sleep_until(self.next_check) => {
                    self.next_check = tokio::time::Instant::now() + RECHECK;
                    if !self.lives(state).await { return }
                }
            }
        }
    }

    /// Boxed: every open socket of a user waits in [`SessionWatch::ended`], which would
    /// otherwise hold the room of these reads for the socket's whole life.
    fn lives<'a>(&'a self, state: &'a AppState) -> futures_util::future::BoxFuture<'a, bool> {
        Box::pin(async move {
            // A store that cannot answer is not a reason to drop the user.
            crate::auth::user_for_token(state, &self.token).await.is_ok() || state.store.ping().await.is_err()
        })
    }
}
