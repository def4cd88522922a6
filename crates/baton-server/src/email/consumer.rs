//! Who is mailed what, when: the reactions of [`Emails`] to events, and the waiting timer.

use baton_core::deadline::Deadline;
use baton_core::event::Event;
use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::{HandoffId, TeamId, UserId};
use baton_core::message::{AuthorKind, Message};
use baton_core::notification::{Composer, Mail, MailKind, NotificationPrefs};
use baton_core::user::{Role, User};
use baton_store::{RosterEntry, StoredEvent, Timer};

use super::{SendError, Threading};
use crate::error::ApiResult;
use crate::events::Consumer;
use crate::service::presence;
use crate::service::routing::Snapshot;
use crate::state::AppState;

pub struct Emails;

impl Consumer for Emails {
    fn name(&self) -> &'static str {
        "email"
    }

    #[tracing::instrument(name = "email", skip_all, fields(events = events.len()))]
    async fn consume(&self, state: &AppState, events: &[StoredEvent]) -> anyhow::Result<()> {
        if state.mailer.is_none() {
            return Ok(());
        }
        for stored in events {
            react(state, &stored.event).await.map_err(|error| anyhow::anyhow!("{error}"))?;
        }
        Ok(())
    }
}

async fn react(state: &AppState, event: &Event) -> ApiResult<()> {
    match event {
        Event::HandoffQueued(handoff) => arm_waiting(state, handoff).await,
        Event::HandoffOffered(handoff) => assigned(state, handoff, MailKind::Offered).await,
        Event::HandoffTransferred(handoff) if handoff.state == HandoffState::Live => {
            assigned(state, handoff, MailKind::Transferred).await
        }
        Event::LeadCaptured(handoff) => ticket(state, handoff).await,
        Event::SlaBreached(breach) => {
            // Not if the assignee has answered (or the chat moved on) since.
            let Some(current) = state.store.handoff(breach.handoff_id).await? else { return Ok(()) };
            let handoff = current.value;
            let unchanged = handoff.state == HandoffState::Live
                && handoff.first_response_at.is_none()
                && handoff.assignee.as_ref().is_some_and(|holder| holder.id == breach.assignee.id);
            if !unchanged {
                return Ok(());
            }
            escalate(state, &handoff, &breach.assignee.name, breach.first_response_sla_seconds).await
        }
        Event::MessageCreated(message) => ticket_reply(state, message).await,
        _ => Ok(()),
    }
}

/// Mails for `reader`, in their language.
fn composer<'a>(public_url: &'a str, reader: &User, prefs: &NotificationPrefs) -> Composer<'a> {
    Composer::new(prefs.language_for(reader), public_url)
}

/// The user's preferences, if they want mail at all.
async fn wants_mail(state: &AppState, user: &User) -> ApiResult<Option<NotificationPrefs>> {
    if user.disabled {
        return Ok(None);
    }
    Ok(state.store.notification_prefs(user.id).await?.filter(|prefs| prefs.email))
}

/// Sends `mail` of `kind` to `to` unless one about `about[0]` was sent already, then logs it as
/// telling of each of `about`. Returns whether it was sent.
async fn send_once(
    state: &AppState,
    to: &str,
    kind: MailKind,
    about: &[String],
    mail: &Mail,
    reply_to: Option<&str>,
) -> ApiResult<bool> {
    send_once_in_thread(state, to, kind, about, mail, reply_to, None).await
}

/// [`send_once`], as a mail of `thread` when given.
async fn send_once_in_thread(
    state: &AppState,
    to: &str,
    kind: MailKind,
    about: &[String],
    mail: &Mail,
    reply_to: Option<&str>,
    thread: Option<&Threading<'_>>,
) -> ApiResult<bool> {
    let (Some(mailer), Some(first)) = (&state.mailer, about.first()) else { return Ok(false) };
    if state.store.email_sent(to, kind.as_str(), first).await? {
        return Ok(false);
    }
    let sent = mailer.send_in_thread(to, mail, reply_to, thread).await;
    let outcome = match &sent {
        Ok(()) => "sent",
        Err(SendError::Permanent(_)) => "refused",
        Err(SendError::Transient(_)) => "failed",
    };
    metrics::counter!("baton_emails_total", "kind" => kind.as_str(), "outcome" => outcome).increment(1);
    match sent {
        Ok(()) => {
            state.store.record_email(to, kind.as_str(), about, state.now()).await?;
            tracing::info!(kind = kind.as_str(), about = first, "mail sent");
            Ok(true)
        }
        Err(SendError::Permanent(error)) => {
            tracing::warn!(
                kind = kind.as_str(),
                about = first,
                error,
                "a mail was refused and is not sent again"
            );
            Ok(false)
        }
        Err(error @ SendError::Transient(_)) => {
            Err(anyhow::anyhow!("{} about {first}: {error}", kind.as_str()).into())
        }
    }
}

/// How long `handoff` has been waiting in the queue, in seconds.
fn waited(now: baton_core::time::Timestamp, handoff: &Handoff) -> i64 {
    now.millis_since(handoff.queued_at.unwrap_or(handoff.requested_at)) / 1000
}

/// A handoff entered the queue: look again once the shortest `email_after_seconds` of those
/// who want mail has passed.
/// Also, if its route reaches teams with a first-response time, look again once that has
/// passed, to tell their admins if nobody took it.
async fn arm_waiting(state: &AppState, handoff: &Handoff) -> ApiResult<()> {
    let prefs = state.store.notification_prefs_of_all().await?;
    let since = handoff.queued_at.unwrap_or(handoff.requested_at);
    let at = |seconds: u32| since.plus_millis(i64::from(seconds) * 1000);
    let mut timers = Vec::new();
    if let Some(soonest) =
        prefs.values().filter(|prefs| prefs.email).map(|prefs| prefs.email_after_seconds).min()
    {
        timers.push(Timer::new(Deadline::EmailWaiting(handoff.id), at(soonest)));
    }
    let snapshot = Snapshot::load_one(state, handoff.id).await?;
    if let Some(sla) = snapshot.route_of(handoff.id).and_then(|route| snapshot.route_teams(route).1) {
        timers.push(Timer::new(Deadline::EmailUnclaimed(handoff.id), at(sla)));
    }
    for timer in &timers {
        state.store.set_timer(timer).await?;
    }
    Ok(())
}

/// The unclaimed timer fired: if the handoff is still queued past its teams' first-response
/// time, their admins hear of it.
#[tracing::instrument(skip_all, fields(handoff_id = %id))]
pub async fn fire_unclaimed(state: &AppState, id: HandoffId) -> ApiResult<()> {
    if state.mailer.is_none() {
        return Ok(());
    }
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    let handoff = current.value;
    if handoff.state != HandoffState::Queued {
        return Ok(());
    }
    let snapshot = Snapshot::load_one(state, handoff.id).await?;
    let Some(route) = snapshot.route_of(handoff.id) else { return Ok(()) };
    let (teams, Some(sla)) = snapshot.route_teams(route) else { return Ok(()) };
    let due = handoff.queued_at.unwrap_or(handoff.requested_at).plus_millis(i64::from(sla) * 1000);
    if due > state.now() {
        // Queued again since, or the team's time changed: look again when it is due.
        state.store.set_timer(&Timer::new(Deadline::EmailUnclaimed(id), due)).await?;
        return Ok(());
    }
    let public_url = state.settings.public_base_url();
    for RosterEntry { user, .. } in admins_of(snapshot.users(), &teams, None) {
        let Some(prefs) = wants_mail(state, user).await? else { continue };
        let mail = composer(&public_url, user, &prefs).unclaimed(&handoff, sla);
        send_once(state, &user.email, MailKind::Escalation, &[handoff.id.to_string()], &mail, None).await?;
    }
    Ok(())
}

/// The admins in `teams`, or every admin when none is in them; never `except`.
fn admins_of<'a>(users: &'a [RosterEntry], teams: &[TeamId], except: Option<UserId>) -> Vec<&'a RosterEntry> {
    let admins: Vec<&RosterEntry> = users
        .iter()
        .filter(|entry| {
            entry.user.role == Role::Admin && !entry.user.disabled && Some(entry.user.id) != except
        })
        .collect();
    let of_teams: Vec<&RosterEntry> = admins
        .iter()
        .filter(|entry| entry.team_ids.iter().any(|team| teams.contains(team)))
        .copied()
        .collect();
    if of_teams.is_empty() { admins } else { of_teams }
}

/// The waiting timer fired: mail everyone the handoff is routed to whose time has come (each
/// one mail for every chat that has waited long enough for them), and look again for those
/// whose time has not.
#[tracing::instrument(skip_all, fields(handoff_id = %id))]
pub async fn fire_waiting(state: &AppState, id: HandoffId) -> ApiResult<()> {
    if state.mailer.is_none() {
        return Ok(());
    }
    let Some(current) = state.store.handoff(id).await? else { return Ok(()) };
    if current.value.state != HandoffState::Queued {
        return Ok(());
    }
    let snapshot = Snapshot::load(state).await?;
    let prefs = state.store.notification_prefs_of_all().await?;
    let now = state.now();
    let public_url = state.settings.public_base_url();
    let queued: Vec<&Handoff> = snapshot
        .open
        .iter()
        .map(|open| &open.handoff.value)
        .filter(|handoff| handoff.state == HandoffState::Queued)
        .collect();
    let routed_to = |user: UserId, handoff: &Handoff| {
        snapshot.route_of(handoff.id).is_some_and(|route| snapshot.roster.routes_to(user, route))
    };
    let mut next_look: Option<i64> = None;
    for RosterEntry { user, .. } in snapshot.users() {
        let Some(wanted) = prefs.get(&user.id).filter(|prefs| prefs.email) else { continue };
        let after = i64::from(wanted.email_after_seconds);
        if user.disabled || !routed_to(user.id, &current.value) {
            continue;
        }
        let left = after - waited(now, &current.value);
        if left > 0 {
            next_look = Some(next_look.map_or(left, |soonest| soonest.min(left)));
            continue;
        }
        if presence::inbox_open_anywhere(state, user.id).await? {
            continue;
        }
        let mut theirs = Vec::new();
        for handoff in
            queued.iter().filter(|handoff| routed_to(user.id, handoff) && waited(now, handoff) >= after)
        {
            if !state
                .store
                .email_sent(&user.email, MailKind::Waiting.as_str(), &handoff.id.to_string())
                .await?
            {
                theirs.push(*handoff);
            }
        }
        // This handoff first, so the log's check is about it.
        theirs.sort_by_key(|handoff| (handoff.id != current.value.id, handoff.queued_at));
        if theirs.first().is_none_or(|first| first.id != current.value.id) {
            continue;
        }
        let mail = composer(&public_url, user, wanted).waiting(&theirs);
        let about: Vec<String> = theirs.iter().map(|handoff| handoff.id.to_string()).collect();
        send_once(state, &user.email, MailKind::Waiting, &about, &mail, None).await?;
    }
    if let Some(seconds) = next_look {
        let again = Timer::new(Deadline::EmailWaiting(id), now.plus_millis(seconds.max(1) * 1000));
        state.store.set_timer(&again).await?;
    }
    Ok(())
}

/// A chat offered or transferred to a user with no inbox open.
async fn assigned(state: &AppState, handoff: &Handoff, kind: MailKind) -> ApiResult<()> {
    let Some(assignee) = &handoff.assignee else { return Ok(()) };
    if presence::inbox_open_anywhere(state, assignee.id).await? {
        return Ok(());
    }
    // Not if it was answered, declined or moved on since.
    let current = state.store.handoff(handoff.id).await?.map(|current| current.value);
    let unchanged = current.is_some_and(|current| {
        current.state == handoff.state && current.assignee.is_some_and(|holder| holder.id == assignee.id)
    });
    if !unchanged {
        return Ok(());
    }
    let Some(user) = state.store.user(assignee.id).await? else { return Ok(()) };
    let Some(prefs) = wants_mail(state, &user).await? else { return Ok(()) };
    let public_url = state.settings.public_base_url();
    let mail = composer(&public_url, &user, &prefs).assigned(handoff, kind == MailKind::Transferred);
    send_once(state, &user.email, kind, &[handoff.id.to_string()], &mail, None).await?;
    Ok(())
}

/// A new ticket, for everyone it is routed to who wants mail.
async fn ticket(state: &AppState, handoff: &Handoff) -> ApiResult<()> {
    let snapshot = Snapshot::load(state).await?;
    let Some(route) = snapshot.route_of(handoff.id) else { return Ok(()) };
    let prefs = state.store.notification_prefs_of_all().await?;
    let public_url = state.settings.public_base_url();
    for RosterEntry { user, .. } in snapshot.users() {
        let Some(theirs) = prefs.get(&user.id).filter(|prefs| prefs.email) else { continue };
        if user.disabled || !snapshot.roster.routes_to(user.id, route) {
            continue;
        }
        let mail = composer(&public_url, user, theirs).ticket(handoff);
        send_once(state, &user.email, MailKind::Ticket, &[handoff.id.to_string()], &mail, None).await?;
    }
    Ok(())
}

/// A missed first-response time, for the admins of the assignee's teams (or every admin, if
/// none is in them).
async fn escalate(state: &AppState, handoff: &Handoff, assignee: &str, sla_seconds: u32) -> ApiResult<()> {
    let Some(holder) = &handoff.assignee else { return Ok(()) };
    let snapshot = Snapshot::load_roster(state).await?;
    let users = snapshot.users();
    let teams = users
        .iter()
        .find(|entry| entry.user.id == holder.id)
        .map(|entry| entry.team_ids.as_slice())
        .unwrap_or(&[]);
    let recipients = admins_of(users, teams, Some(holder.id));
    let public_url = state.settings.public_base_url();
    for RosterEntry { user, .. } in recipients {
        let Some(prefs) = wants_mail(state, user).await? else { continue };
        let mail = composer(&public_url, user, &prefs).escalation(handoff, assignee, sla_seconds);
        send_once(state, &user.email, MailKind::Escalation, &[handoff.id.to_string()], &mail, None).await?;
    }
    Ok(())
}

/// A user's answer to a ticket they took goes to the email the contact left, in the chat's
/// language, unless the contact has the chat open and reads it there.
async fn ticket_reply(state: &AppState, message: &Message) -> ApiResult<()> {
    if message.note || message.author.kind != AuthorKind::User {
        return Ok(());
    }
    let Some(open) = state.store.open_handoff(message.conversation_id).await? else { return Ok(()) };
    let handoff = open.value;
    let (Some(lead), Some(mailer)) = (&handoff.lead, &state.mailer) else { return Ok(()) };
    // The email channel sends every answer of its conversations itself, in their thread.
    let conversation = crate::service::conversations::load(state, message.conversation_id).await?;
    if conversation.channel.as_ref().is_some_and(|c| c.kind == baton_core::channel::ChannelKind::Email) {
        return Ok(());
    }
    if crate::service::inactivity::open_widgets(state, message.conversation_id) > 0 {
        return Ok(());
    }
    let mail = Composer::new(handoff.language.as_deref(), "").ticket_reply(
        message.author.name.as_deref(),
        &message.text,
        lead.message.as_deref(),
    );
    let reply_to = mailer.ticket_address(handoff.id);
    // The answers of a ticket are one thread, and the contact's reply to any of them finds
    // the conversation again (an email channel's mailbox reads it: `service::mailbox`).
    let thread = state.store.email_thread(message.conversation_id).await?;
    let references = thread.map(|thread| thread.message_ids).unwrap_or_default();
    let message_id = mailer.message_id_for(message.id);
    let threading = Threading { message_id: &message_id, references: &references };
    let sent = send_once_in_thread(
        state,
        lead.email.as_str(),
        MailKind::TicketReply,
        &[message.id.to_string()],
        &mail,
        Some(&reply_to),
        Some(&threading),
    )
    .await?;
    if sent {
        state
            .store
            .record_thread_mail(&message_id, message.conversation_id, &mail.subject, state.now())
            .await?;
    }
    Ok(())
}
