//! Presence you can trust: a user is `online` only while their inbox is open.
//!
//! Each inbox websocket counts as the user being there. When a user's last one closes, a
//! durable timer gives them `presence_grace_seconds` to come back (a reload, a flaky network);
//! when it fires and they have not, an `online` user becomes `away` (`Store::set_auto_away`),
//! which takes them out of routing. Reopening the inbox makes them `online` again, unless they
//! chose a status themselves meanwhile. After a restart no inbox is connected, so every online
//! user gets the same grace period to reconnect.
//!
//! The open-socket counts are per process. With several instances, the one whose timer fires
//! asks the others over NATS whether the inbox is open there (`cluster::inbox_open_elsewhere`)
//! before counting the user away.

use std::collections::hash_map::Entry;

use baton_core::deadline::Deadline;
use baton_core::ids::UserId;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, User};
use baton_store::Timer;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn grace_timer(state: &AppState, user: UserId) -> Timer {
    let due = state.now().as_millis() + state.settings.presence_grace_seconds as i64 * 1000;
    Timer::new(Deadline::PresenceGrace(user), Timestamp::from_millis(due))
}

fn open_inboxes(state: &AppState) -> std::sync::MutexGuard<'_, std::collections::HashMap<UserId, usize>> {
    state.inboxes.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether `user` has an inbox open in this process.
pub fn inbox_open(state: &AppState, user: UserId) -> bool {
    open_inboxes(state).contains_key(&user)
}

/// A user opened an inbox websocket.
pub async fn inbox_opened(state: &AppState, user: &User) -> ApiResult<()> {
    let first = {
        let mut open = open_inboxes(state);
        let count = open.entry(user.id).or_default();
        *count += 1;
        *count == 1
    };
    if first {
        state.cluster.inbox_here(user.id, true);
    }
    let grace = Deadline::PresenceGrace(user.id);
    state.store.cancel_timer(grace.kind(), &grace.subject()).await?;
    state.store.return_from_auto_away(user.id, state.now()).await?;
    Ok(())
}

/// A user's inbox websocket closed; with the last one, their grace period starts.
pub async fn inbox_closed(state: &AppState, user: UserId) -> ApiResult<()> {
    let last = match open_inboxes(state).entry(user) {
        Entry::Occupied(mut open) if *open.get() > 1 => {
            *open.get_mut() -= 1;
            false
        }
        Entry::Occupied(open) => {
            open.remove();
            state.cluster.inbox_here(user, false);
            true
        }
        Entry::Vacant(_) => true,
    };
    if last {
        state.store.set_timer(&grace_timer(state, user)).await?;
    }
    Ok(())
}

/// Whether `user` has an inbox open on this instance or, asked over NATS, on another. An
/// error when the others could not be asked, so a caller tries again later instead of guessing.
pub async fn inbox_open_anywhere(state: &AppState, user: UserId) -> ApiResult<bool> {
    if inbox_open(state, user) {
        return Ok(true);
    }
    crate::cluster::inbox_open_elsewhere(&state.cluster, user).await.map_err(|error| ApiError::Unavailable {
        detail: format!("asking the other instances about an inbox: {error}"),
    })
}

/// The grace period of `subject` (a user id) ended: away, unless an inbox came back.
pub async fn grace_over(state: &AppState, user: UserId) -> ApiResult<()> {
    // An error leaves the timer to fire again.
    if inbox_open_anywhere(state, user).await? {
        return Ok(());
    }
    state.store.set_auto_away(user, state.now()).await?;
    Ok(())
}

/// At start no inbox is connected: every online user gets the grace period to reconnect.
pub async fn resume(state: &AppState) -> ApiResult<()> {
    for user in state.store.users_with_status(Presence::Online).await? {
        state.store.set_timer(&grace_timer(state, user.id)).await?;
    }
    Ok(())
}
