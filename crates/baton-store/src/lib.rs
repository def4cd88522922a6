//! Persistence behind one trait.
//!
//! [`Store`] is everything the server needs from a database. [`SqlStore`] implements it for
//! SQLite (the embedded default) and PostgreSQL (for scale-out) with one body of SQL: both
//! dialects accept the same statements for everything Baton does, so only the migrations
//! differ. The contract tests in `tests/contract.rs` run against both.
//!
//! Two guarantees live here rather than in the server, because only a transaction can give
//! them:
//! - every message gets the next gap-free `seq` of its conversation, and a repeated
//!   `client_id` returns the message already stored instead of writing a second one;
//! - a state change, the messages it announces and its outbox events are written together or
//!   not at all, and a change computed from a stale handoff is refused ([`StoreError::Conflict`]).

mod analytics;
mod appends;
mod attachments;
mod audit;
mod bots;
mod canned;
mod channels;
mod contacts;
mod email;
mod follow_ups;
mod helpdesk;
mod notifications;
mod outbox;
mod password_links;
mod roles;
mod routing;
mod rows;
mod search;
mod sql;
mod teams;
mod timers;
mod users;
mod webhooks;

use std::collections::HashMap;

use async_trait::async_trait;
use baton_core::audit::{AuditEntry, NewAuditEntry};
use baton_core::conversation::Owner;
use baton_core::deadline::Deadline;
use baton_core::event::{Event, EventKind};
use baton_core::handoff::{ContactInfo, Handoff, HandoffState};
use baton_core::ids::{BotId, ConversationId, DeliveryId, HandoffId, MessageId, TeamId, UserId, WebhookId};
use baton_core::message::{Author, Message};
use baton_core::notification::NotificationPrefs;
use baton_core::policy::BotSettings;
use baton_core::team::TeamSettings;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, Role, User};

pub use analytics::AnalyticsQuery;
pub use channels::{Channel, ChannelAttempt, ChannelDelivery, ChannelStore, NewChannelDelivery, SlackThread};
pub use email::{EmailStore, EmailThread, MailboxPosition};
pub use follow_ups::{FollowUpRoute, FollowUpStore};
pub use helpdesk::{HelpdeskHandoff, HelpdeskState, HelpdeskStore, Opened};
pub use roles::RoleHold;
pub use sql::SqlStore;
pub use webhooks::{Attempt, Delivery, NewDelivery, WebhookChanges, WebhookEndpoint};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row changed since it was read, or a unique rule refused the write.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The transaction an append was committed in together with others failed.
    #[error("the batch of appends failed: {0}")]
    Batch(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    /// The name of a team to join, created if there is none by that name.
    pub team: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bot {
    pub id: BotId,
    pub name: String,
    pub is_default: bool,
    pub settings: BotSettings,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: ConversationId,
    pub bot_id: BotId,
    pub contact: ContactInfo,
    pub locale: Option<String>,
    /// The language system messages are sent in (ISO 639-1), once known.
    pub language: Option<String>,
    /// Whether `language` came from the widget's locale, which detection does not override.
    pub language_from_locale: bool,
    pub owner: Owner,
    pub last_seq: i64,
    /// Consecutive bot answers that could not help; reset by a helpful one.
    pub bot_failures: i64,
    /// The last contact message the bot has taken its turn on.
    pub bot_seq: i64,
    pub created_at: Timestamp,
    /// The contact's record across conversations; `None` when the conversation named nobody
    /// (or the contact was erased).
    pub contact_id: Option<baton_core::ids::ContactId>,
    /// The channel it came in on; `None` for the web widget.
    pub channel: Option<baton_core::channel::ConversationChannel>,
}

#[derive(Debug, Clone)]
pub struct NewConversation {
    pub id: ConversationId,
    pub bot_id: BotId,
    pub token_hash: String,
    pub contact: ContactInfo,
    pub locale: Option<String>,
    /// The language the locale names, if Baton speaks it.
    pub language: Option<String>,
    pub created_at: Timestamp,
    /// Finds or makes the contact's record; the conversation's name and email default to it.
    pub contact_link: Option<ContactLink>,
    /// The channel it comes in on; `None` for the web widget.
    pub channel: Option<baton_core::channel::ConversationChannel>,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub author: Author,
    pub text: String,
    pub note: bool,
    pub client_id: Option<String>,
    pub created_at: Timestamp,
    /// The seq of the contact message this bot answer completes the turn on: the bot's cursor
    /// moves there in the same transaction, so a restart never answers it twice.
    pub completes_turn: Option<i64>,
    /// Sent as this WhatsApp template (a team member's message outside the 24-hour window).
    pub template: Option<baton_core::channel::TemplateUse>,
}

/// Who must still own the conversation for a message to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerGuard {
    Anyone,
    Must(Owner),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Appended {
    Created {
        message: Message,
        /// The bot has a turn to take on it: a contact's message, in a conversation no person
        /// owns (there the store moves the bot's cursor past it).
        awaits_bot: bool,
    },
    /// The `client_id` was seen before: this is the message stored then.
    Duplicate(Message),
    /// Ownership moved away from the guard's owner; nothing was written.
    OwnerMoved,
}

/// A team and its members.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub settings: TeamSettings,
    /// Sorted by id.
    pub members: Vec<UserId>,
    pub created_at: Timestamp,
}

/// A user as routing reads them: their teams by id and when they were last given a handoff.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterEntry {
    pub user: User,
    /// Sorted by id.
    pub team_ids: Vec<TeamId>,
    pub last_assigned_at: Option<Timestamp>,
}

/// An open handoff with the bot of its conversation.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenHandoff {
    pub handoff: Versioned<Handoff>,
    pub bot_id: BotId,
}

/// Something to do at `due_at`, kept in the database so a restart does not lose it. There is
/// at most one per `kind` and `subject` (a user, a handoff): setting it again moves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Timer {
    pub kind: String,
    pub subject: String,
    pub due_at: Timestamp,
    pub data: serde_json::Value,
}

impl Timer {
    /// A timer for `deadline` at `due_at`, with no data.
    pub fn new(deadline: Deadline, due_at: Timestamp) -> Self {
        Self {
            kind: deadline.kind().into(),
            subject: deadline.subject(),
            due_at,
            data: serde_json::json!({}),
        }
    }

    /// What it waits for; `None` for a kind this version does not know.
    pub fn deadline(&self) -> Option<Deadline> {
        Deadline::parse(&self.kind, &self.subject)
    }
}

/// When sessions end: after `idle_ms` without use, and `max_age_ms` after login, whatever
/// their use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    pub idle_ms: i64,
    pub max_age_ms: i64,
}

/// How often a session's last use is written: reading it within this costs no write.
pub const SESSION_TOUCH_MS: i64 = 60_000;

/// What an admin (or the user, for their name) changes of an account; `None` keeps it.
/// Which audit entries to read: the newest `limit` before `before`, of one kind of subject or
/// one subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub before: Option<i64>,
    pub limit: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// A value with the version it was read at, for compare-and-set writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// An event to write with the change it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event: Event,
    pub created_at: Timestamp,
}

/// An event as the outbox keeps it: ids grow in commit order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub event: Event,
    pub created_at: Timestamp,
}

impl StoredEvent {
    pub fn kind(&self) -> EventKind {
        self.event.kind()
    }

    pub fn conversation_id(&self) -> Option<ConversationId> {
        self.event.conversation_id()
    }
}

/// One state change of a handoff, written atomically with what it announces.
#[derive(Debug, Clone)]
pub struct HandoffChange {
    pub handoff: Handoff,
    /// The version the change was computed from; `None` creates the handoff.
    pub expected_version: Option<i64>,
    /// The conversation's owner after the change.
    pub owner: Owner,
    pub events: Vec<NewEvent>,
    /// Messages to append (system messages announcing the change), each with its own
    /// `message.created` event.
    pub messages: Vec<NewMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffSaved {
    pub version: i64,
    pub messages: Vec<Message>,
}

#[async_trait]
pub trait Store:
    ContactStore
    + AttachmentStore
    + ChannelStore
    + EmailStore
    + FollowUpStore
    + HelpdeskStore
    + Send
    + Sync
    + 'static
{
    async fn ping(&self) -> Result<()>;
    /// Tries to take `role` (see [`roles`]): `None` while another process holds it.
    async fn claim_role(&self, role: &str) -> Result<Option<RoleHold>>;

    async fn create_user(&self, user: NewUser) -> Result<User>;
    async fn user(&self, id: UserId) -> Result<Option<User>>;
    /// The user and their password hash.
    async fn user_credentials(&self, email: &str) -> Result<Option<(User, String)>>;
    async fn count_users(&self) -> Result<i64>;
    async fn users_with_status(&self, status: Presence) -> Result<Vec<User>>;
    /// Sets the status and writes `user.status_changed` if it changed.
    async fn set_user_status(&self, id: UserId, status: Presence, now: Timestamp) -> Result<User>;
    /// Opens a session for a user whose password was just checked against
    /// `verified_password_hash`; `false` (and nothing written) if that hash is no longer theirs
    /// (the password changed meanwhile) or they are disabled.
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: UserId,
        now: Timestamp,
        verified_password_hash: &str,
    ) -> Result<bool>;
    /// The user of a session that `rules` has not ended by `now`, if the user is not
    /// disabled; records the use.
    async fn session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
        rules: SessionRules,
    ) -> Result<Option<User>>;
    /// Ends every session of `user` but `except` (a token hash); returns how many ended.
    async fn delete_sessions_of(&self, user: UserId, except: Option<&str>) -> Result<u64>;
    /// Deletes the sessions `rules` has ended by `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp, rules: SessionRules) -> Result<u64>;
    /// Renames, changes the role of, disables (ending their sessions) or enables a user;
    /// `None` if there is no such user.
    async fn update_account(&self, id: UserId, changes: &AccountChanges) -> Result<Option<User>>;
    /// `false` if there is no such user.
    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<bool>;
    /// Deletes the user, their sessions and team places; `false` if there was none.
    async fn delete_user(&self, id: UserId) -> Result<bool>;
    /// Makes an `online` user `away` because their inbox went quiet, remembering that Baton
    /// did it; `None` (and no change) if they were not online.
    async fn set_auto_away(&self, id: UserId, now: Timestamp) -> Result<Option<User>>;
    /// Makes a user Baton made `away` `online` again; `None` if Baton had not, or the user
    /// has since chosen a status.
    async fn return_from_auto_away(&self, id: UserId, now: Timestamp) -> Result<Option<User>>;

    /// Sets (or moves) the timer of its kind and subject.
    async fn set_timer(&self, timer: &Timer) -> Result<()>;
    /// Sets (or moves) each timer, in one transaction.
    async fn set_timers(&self, timers: &[Timer]) -> Result<()>;
    /// Sets each timer unless one of its kind and subject is set, in one transaction; returns
    /// how many were set.
    async fn set_timers_if_unset(&self, timers: &[Timer]) -> Result<usize>;
    /// `false` if there was none.
    async fn cancel_timer(&self, kind: &str, subject: &str) -> Result<bool>;
    /// Timers due at `now`, leased until `lease_until` so no one else fires them meanwhile;
    /// earliest first. A timer not marked done by then is due again.
    async fn claim_due_timers(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Timer>>;
    /// Removes a fired timer, unless it was set again meanwhile.
    async fn timer_done(&self, timer: &Timer) -> Result<()>;
    async fn next_timer_due(&self) -> Result<Option<Timestamp>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    async fn create_bot(&self, bot: Bot) -> Result<()>;
    async fn bot(&self, id: BotId) -> Result<Option<Bot>>;
    async fn default_bot(&self) -> Result<Option<Bot>>;
    /// Every bot, oldest first.
    async fn bots(&self) -> Result<Vec<Bot>>;
    /// Replaces the bot's name and settings; `None` if there is no such bot.
    async fn update_bot(&self, id: BotId, name: &str, settings: &BotSettings) -> Result<Option<Bot>>;
    /// Sets the hash of the bot's API key, replacing any earlier one; `false` if no such bot.
    async fn set_bot_api_key(&self, id: BotId, key_hash: &str) -> Result<bool>;
    async fn bot_by_api_key(&self, key_hash: &str) -> Result<Option<Bot>>;

    /// Creates the conversation and writes `conversation.started`, with the greeting if any.
    async fn create_conversation(
        &self,
        conversation: NewConversation,
        greeting: Option<NewMessage>,
    ) -> Result<Conversation>;
    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>>;
    async fn conversation_token_hash(&self, id: ConversationId) -> Result<Option<String>>;
    async fn set_bot_failures(&self, id: ConversationId, failures: i64) -> Result<()>;
    async fn set_language(&self, id: ConversationId, language: &str) -> Result<()>;
    /// Records that the bot has taken its turn on contact messages up to `seq` (never moves back).
    async fn set_bot_seq(&self, id: ConversationId, seq: i64) -> Result<()>;
    /// The conversation's contact messages the bot has not taken its turn on yet, in `seq`
    /// order, at most `limit`.
    async fn pending_turns(&self, id: ConversationId, limit: i64) -> Result<Vec<Message>>;
    /// Every conversation with a contact message the bot has not taken its turn on: the
    /// bot's work left over from before a restart.
    async fn conversations_with_pending_turns(&self) -> Result<Vec<ConversationId>> {
        self.conversations_with_turns_pending_since(Timestamp::from_millis(i64::MAX)).await
    }
    /// Those of [`Store::conversations_with_pending_turns`] with a contact message the bot has
    /// not taken that was written before `before`.
    async fn conversations_with_turns_pending_since(&self, before: Timestamp) -> Result<Vec<ConversationId>>;

    async fn append_message(&self, message: NewMessage, guard: OwnerGuard) -> Result<Appended>;
    /// Messages with `seq > after`, oldest first, at most `limit`.
    async fn messages_after(
        &self,
        conversation: ConversationId,
        after: i64,
        include_notes: bool,
        limit: i64,
    ) -> Result<Vec<Message>>;

    async fn handoff(&self, id: HandoffId) -> Result<Option<Versioned<Handoff>>>;
    async fn open_handoff(&self, conversation: ConversationId) -> Result<Option<Versioned<Handoff>>>;
    /// The most recent handoff of a conversation, open or closed.
    async fn latest_handoff(&self, conversation: ConversationId) -> Result<Option<Versioned<Handoff>>>;
    /// Handoffs in `state` (all open ones when `None`), oldest request first; closed ones newest
    /// first. At most `limit`.
    async fn list_handoffs(&self, state: Option<HandoffState>, limit: i64) -> Result<Vec<Handoff>>;
    async fn save_handoff(&self, change: HandoffChange) -> Result<HandoffSaved>;

    /// Creates the team with its members; `Conflict` if the name is taken, `NotFound` if a
    /// member does not exist.
    async fn create_team(&self, team: &Team) -> Result<()>;
    /// The team with this id, with its members.
    async fn team(&self, id: TeamId) -> Result<Option<Team>>;
    /// The team with exactly this name, with its members.
    async fn team_by_name(&self, name: &str) -> Result<Option<Team>>;
    /// Every team, by name.
    async fn teams(&self) -> Result<Vec<Team>>;
    /// Renames and reconfigures; `None` if there is no such team, `Conflict` if the name is taken.
    async fn update_team(&self, id: TeamId, name: &str, settings: &TeamSettings) -> Result<Option<Team>>;
    /// Deletes the team and its memberships; `false` if there was none.
    async fn delete_team(&self, id: TeamId) -> Result<bool>;
    /// Replaces the team's members (in one transaction); `None` if no such team, `NotFound` if
    /// a user does not exist (and nothing changes).
    async fn set_team_members(&self, id: TeamId, members: &[UserId]) -> Result<Option<Team>>;

    /// Every user, oldest first.
    async fn users(&self) -> Result<Vec<User>>;
    /// Sets what routing knows of a user; `None` if no such user.
    async fn set_user_routing(
        &self,
        id: UserId,
        languages: &[String],
        capacity: Option<u32>,
    ) -> Result<Option<User>>;
    /// Every user with their team ids and last assignment, oldest first: routing's roster.
    async fn roster(&self) -> Result<Vec<RosterEntry>>;
    /// Records that the user was just offered or given a handoff (round robin serves whoever
    /// waited longest).
    async fn set_last_assigned(&self, id: UserId, at: Timestamp) -> Result<()>;
    /// Every handoff that is not closed, with its conversation's bot, oldest request first.
    async fn open_handoffs(&self) -> Result<Vec<OpenHandoff>>;
    /// The id and version of every handoff that is not closed: what changed since an earlier
    /// read, without reading the handoffs.
    async fn open_handoff_versions(&self) -> Result<Vec<(HandoffId, i64)>>;
    /// Those of `ids` that are not closed, with their conversation's bot, in no order.
    async fn open_handoffs_among(&self, ids: &[HandoffId]) -> Result<Vec<OpenHandoff>>;
    /// Handoffs that were assigned to a user, most recently assigned first, at most `limit`
    /// (waiting-time estimates).
    async fn recent_assignments(&self, limit: i64) -> Result<Vec<Handoff>>;
    /// Writes outbox events that no handoff change carries (queue positions, SLA breaches).
    async fn record_events(&self, events: Vec<NewEvent>) -> Result<()>;

    /// Up to `limit` events after id `after`, oldest first.
    async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>>;
    /// The last event id the named consumer is done with (registering it if it is new).
    async fn consumer_cursor(&self, consumer: &str) -> Result<i64>;
    /// Moves the consumer's cursor forward to `last_id` (never back).
    async fn advance_consumer(&self, consumer: &str, last_id: i64) -> Result<()>;
    /// Every consumer's cursor, by name.
    async fn consumer_cursors(&self) -> Result<Vec<(String, i64)>>;
    /// The id of the newest event written.
    async fn outbox_head(&self) -> Result<i64>;
    /// Deletes the events every consumer has passed; returns how many.
    async fn prune_consumed_events(&self) -> Result<u64>;
    /// Changes to the id of the newest event this process committed: consumers wait on it
    /// instead of polling (other processes' events are found by polling).
    fn watch_events(&self) -> tokio::sync::watch::Receiver<i64>;
    /// Changes when this process sets a timer, so the timer worker looks again at what is due
    /// next (other processes' timers are found by polling).
    fn watch_timers(&self) -> tokio::sync::watch::Receiver<u64>;
    /// Changes when this process queues webhook deliveries or a retry, so the sender sends them.
    fn watch_deliveries(&self) -> tokio::sync::watch::Receiver<u64>;

    /// Creates a webhook endpoint; it hears the events committed from now on.
    async fn create_webhook(&self, endpoint: &WebhookEndpoint) -> Result<WebhookEndpoint>;
    /// Every endpoint, oldest first.
    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>>;
    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>>;
    async fn update_webhook(
        &self,
        id: WebhookId,
        changes: &WebhookChanges,
    ) -> Result<Option<WebhookEndpoint>>;
    async fn set_webhook_secret(&self, id: WebhookId, secret: &str) -> Result<Option<WebhookEndpoint>>;
    /// Deletes the endpoint and its deliveries.
    async fn delete_webhook(&self, id: WebhookId) -> Result<bool>;
    /// Queues deliveries, skipping those already queued; returns how many were new.
    async fn queue_deliveries(&self, deliveries: &[NewDelivery]) -> Result<u64>;
    /// Takes the pending deliveries due at `now` that may go now (each conversation's in event
    /// order), at most `limit`, holding them until `lease_until`.
    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Delivery>>;
    /// When the earliest pending delivery is due.
    async fn next_delivery_due(&self) -> Result<Option<Timestamp>>;
    /// Records attempts' outcomes (see [`Attempt`]) in one transaction; returns the deliveries
    /// still pending when their attempt was recorded, as they are now.
    async fn record_attempts(&self, attempts: &[(DeliveryId, Attempt)]) -> Result<Vec<Delivery>>;
    /// An endpoint's deliveries, newest first, before event id `before` if given.
    async fn deliveries(&self, webhook: WebhookId, before: Option<i64>, limit: i64) -> Result<Vec<Delivery>>;
    /// Queues one more attempt at a delivery, due at `now`.
    async fn retry_delivery(
        &self,
        webhook: WebhookId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>>;

    /// A user's notification preferences; `None` for no such user.
    async fn notification_prefs(&self, user: UserId) -> Result<Option<NotificationPrefs>>;
    /// Every user's notification preferences.
    async fn notification_prefs_of_all(&self) -> Result<HashMap<UserId, NotificationPrefs>>;
    /// Returns whether the user exists.
    async fn set_notification_prefs(&self, user: UserId, prefs: &NotificationPrefs) -> Result<bool>;
    /// Whether a mail of `kind` about `about` was sent to `recipient`.
    async fn email_sent(&self, recipient: &str, kind: &str, about: &str) -> Result<bool>;
    /// Logs that one mail of `kind` to `recipient` told of each of `about`.
    async fn record_email(&self, recipient: &str, kind: &str, about: &[String], at: Timestamp) -> Result<()>;
    /// Forgets the mails sent before `before`; returns how many.
    async fn prune_email_log(&self, before: Timestamp) -> Result<u64>;
    /// Deletes the deliveries, delivered or given up, queued before `before`; returns how many.
    async fn prune_deliveries(&self, before: Timestamp) -> Result<u64>;

    /// Makes `token_hash` the user's one-time link to set a password, replacing any earlier
    /// one (expired links of everyone are forgotten on the way); `false` for no such user.
    async fn replace_password_link(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool>;
    /// Uses the link: sets the password of its user, ends their sessions and forgets the link.
    /// `None` when no such link exists or it has expired.
    async fn use_password_link(
        &self,
        token_hash: &str,
        now: Timestamp,
        password_hash: &str,
    ) -> Result<Option<UserId>>;

    /// The analytics fact of a handoff, with the id of the last event folded into it.
    async fn handoff_fact(&self, id: HandoffId) -> Result<Option<(baton_core::analytics::HandoffFact, i64)>>;
    /// Stores facts, each with the id of the event it reflects (skipped when the stored fact
    /// is already past it), and recomputes the roll-ups they leave and join.
    async fn save_handoff_facts(
        &self,
        facts: &[(baton_core::analytics::HandoffFact, i64)],
        now: Timestamp,
    ) -> Result<()>;
    /// Whether any handoff has an analytics fact yet.
    async fn has_handoff_facts(&self) -> Result<bool>;
    /// Every handoff, by id, after `after`: at most `limit`.
    async fn handoffs_after(&self, after: Option<HandoffId>, limit: i64) -> Result<Vec<Handoff>>;
    /// On a database with no conversation counted yet, counts every stored one, as seen by the
    /// event `seen_up_to`; returns how many hour rows it wrote.
    async fn count_conversations_so_far(&self, seen_up_to: i64) -> Result<u64>;
    /// Counts conversations started, each `(UTC hour, bot, event id)` once.
    async fn count_conversations(&self, started: &[(i64, BotId, i64)]) -> Result<()>;
    /// The sums of an analytics report.
    async fn analytics(&self, query: &AnalyticsQuery) -> Result<baton_core::analytics::Sums>;

    /// The shared canned responses and `user`'s own.
    async fn canned_responses_for(&self, user: UserId) -> Result<Vec<baton_core::canned::CannedResponse>>;
    async fn canned_response(
        &self,
        id: baton_core::ids::CannedId,
    ) -> Result<Option<baton_core::canned::CannedResponse>>;
    /// `Conflict` when its owner (or the team, for a shared one) has the shortcut in that language.
    async fn create_canned_response(&self, response: &baton_core::canned::CannedResponse) -> Result<()>;
    /// Replaces it; `false` if there is none; `Conflict` as for creating.
    async fn update_canned_response(&self, response: &baton_core::canned::CannedResponse) -> Result<bool>;
    async fn delete_canned_response(&self, id: baton_core::ids::CannedId) -> Result<bool>;

    /// Records a configuration change.
    async fn record_audit(&self, entry: &NewAuditEntry) -> Result<()>;
    /// Audit entries, newest first.
    async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>>;

    /// Conversations matching a history search, most recently active first.
    async fn search_conversations(
        &self,
        search: &baton_core::search::ConversationSearch,
    ) -> Result<Vec<ConversationHit>>;
    /// Every handoff of a conversation, oldest first.
    async fn conversation_handoffs(&self, conversation: ConversationId) -> Result<Vec<Handoff>>;
}

/// Contacts: one record per person across conversations (see `baton_core::contact`); a
/// conversation finds or makes its contact when it is created ([`ContactLink`]).
#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn contact(&self, id: baton_core::ids::ContactId) -> Result<Option<baton_core::contact::Contact>>;
    /// Contacts whose name, email or site user id has the words (or whose id it is), most
    /// recently seen first.
    async fn search_contacts(
        &self,
        text: &baton_core::search::SearchText,
        after: Option<baton_core::search::Cursor<baton_core::ids::ContactKind>>,
        limit: u32,
    ) -> Result<Vec<baton_core::contact::Contact>>;
    /// Erases a contact's messages, files and personal data, keeping their conversations and
    /// handoffs as anonymous records. `Conflict` while one of their conversations has an open
    /// handoff; `None` when there is no such contact.
    async fn erase_contact(&self, id: baton_core::ids::ContactId) -> Result<Option<ContactErased>>;
}

/// Files sent in conversations (see `baton_core::attachment`).
#[async_trait]
pub trait AttachmentStore: Send + Sync {
    /// Stores a file and the message that sends it together, as [`Store::append_message`]
    /// does (the same `client_id` and owner rules).
    async fn append_attachment(
        &self,
        message: NewMessage,
        attachment: NewAttachment,
        guard: OwnerGuard,
    ) -> Result<Appended>;
    async fn attachment(&self, id: baton_core::ids::AttachmentId) -> Result<Option<StoredAttachment>>;
}

/// A file to store with the message that sends it: its bytes go in the database (`content`)
/// or are already on disk (`path`).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub reference: baton_core::attachment::AttachmentRef,
    pub path: Option<String>,
    pub content: Option<Vec<u8>>,
}

/// A stored file: what it is, whose conversation it belongs to, and where its bytes are.
#[derive(Debug, Clone)]
pub struct StoredAttachment {
    pub reference: baton_core::attachment::AttachmentRef,
    pub conversation_id: ConversationId,
    pub path: Option<String>,
    pub content: Option<Vec<u8>>,
}

/// What erasing a contact removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactErased {
    /// Conversations made anonymous.
    pub conversations: u64,
    pub messages: u64,
    /// Handoffs stripped of personal data.
    pub handoffs: u64,
    /// The files on disk of the attachments whose rows were deleted, for the caller to delete.
    pub attachment_paths: Vec<String>,
}

/// Who a new conversation's contact is: the claim to find them by, and the id a new record
/// gets when none is found (see `baton_core::contact`).
#[derive(Debug, Clone)]
pub struct ContactLink {
    pub new_id: baton_core::ids::ContactId,
    pub claim: baton_core::contact::ContactClaim,
}

/// One answer of a history search.
#[derive(Debug, Clone)]
pub struct ConversationHit {
    pub conversation: Conversation,
    pub last_message_at: Timestamp,
    /// Every handoff, oldest first.
    pub handoffs: Vec<Handoff>,
    /// The text that matched the search's words: the newest such message, else the contact's
    /// name and email.
    pub matched: Option<String>,
}

/// Support for tests that run against a real database server.
pub mod testing {
    use sqlx::{AnyPool, AssertSqlSafe};

    /// Creates an empty database named `name` on the PostgreSQL server of `base_url` and
    /// returns its URL, so each test gets its own schema and runs in isolation.
    pub async fn create_postgres_database(base_url: &str, name: &str) -> super::Result<String> {
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "database name `{name}`");
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(base_url).await?;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await?;
        pool.close().await;
        let (server, _database) = base_url.rsplit_once('/').unwrap_or((base_url, ""));
        let query = base_url.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
        Ok(format!("{server}/{name}{query}"))
    }
}
