//! [`Store`] over sqlx's `Any` driver: the same SQL runs on SQLite and PostgreSQL.
//!
//! Write transactions begin with [`SqlStore::begin_write`]: on SQLite that is `BEGIN
//! IMMEDIATE`, which takes the write lock up front (waiting for it through `busy_timeout`)
//! instead of failing to upgrade a read lock later. A read can come first without anyone
//! noticing, e.g. the full-text index reading its own configuration when a connection first
//! uses it, so every write transaction starts this way.

use std::collections::HashMap;

use async_trait::async_trait;
use baton_core::channel::ChannelKind;
use baton_core::conversation::Owner;
use baton_core::event::{ConversationStarted, Event, UserChanged, UserStatusChanged};
use baton_core::handoff::{Handoff, HandoffState};
use baton_core::ids::{BotId, ConversationId, HandoffId, TeamId, UserId};
use baton_core::message::Message;
use baton_core::notification::NotificationPrefs;
use baton_core::policy::BotSettings;
use baton_core::team::TeamSettings;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, User};
use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, AssertSqlSafe, Executor, Row, Transaction};

use crate::appends::message_created;
use crate::rows::*;
use crate::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    /// Reads, and on PostgreSQL writes too.
    pool: AnyPool,
    /// Where writes go ([`SqlStore::writer`]): on SQLite a pool of one connection, so this
    /// process's writers queue for it in order instead of sleeping in SQLite's busy handler;
    /// on PostgreSQL the same pool as reads.
    writes: AnyPool,
    /// The group commit of appends (see [`crate::appends`]).
    appends: crate::appends::AppendQueue,
    dialect: Dialect,
    /// The newest event id this process committed.
    events: std::sync::Arc<tokio::sync::watch::Sender<i64>>,
    /// Counts the timers this process set, and the webhook deliveries it queued, so their
    /// workers look again without every caller having to wake them.
    timers_set: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
    deliveries_queued: std::sync::Arc<tokio::sync::watch::Sender<u64>>,
}

impl SqlStore {
    /// Connects to `url` (`sqlite://FILE` or `postgres://…`), creating a SQLite file if it does
    /// not exist, and applies the migrations.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (dialect, url) = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") {
                url.to_owned()
            } else {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            };
            (Dialect::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Dialect::Postgres, url.to_owned())
        } else {
            return Err(StoreError::Corrupt(format!(
                "unsupported database URL scheme in `{}`: use sqlite:// or postgres://",
                url.split(':').next().unwrap_or(url)
            )));
        };
        if dialect == Dialect::Postgres {
            // PostgreSQL connections are pinged before use (sqlx's default): one that died
            // idle (a restarted server, a proxy's timeout) is replaced instead of failing a
            // request, such as a bot's turn that would then be skipped.
            let pool = AnyPoolOptions::new().max_connections(16).connect(&url).await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            let events = std::sync::Arc::new(tokio::sync::watch::Sender::new(0));
            let appends = crate::appends::start_appends(pool.clone(), dialect, events.clone());
            return Ok(Self::assemble(pool.clone(), pool, appends, events, dialect));
        }
        // A SQLite connection is a file handle that cannot drop, so it is not pinged before each
        // use (sqlx's default), which would cost a round trip to its thread per checkout.
        let options = AnyPoolOptions::new().test_before_acquire(false);
        let read_options = options.clone().max_connections(8);
        let with_pragmas = |options: AnyPoolOptions| {
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers proceed during a write; the timeout makes a writer of
                    // another process (a CLI command) wait its turn instead of failing.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                    )
                    .await?;
                    Ok(())
                })
            })
        };
        let pool = with_pragmas(read_options).connect(&url).await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let writes = with_pragmas(options.max_connections(1)).connect(&url).await?;
        let events = std::sync::Arc::new(tokio::sync::watch::Sender::new(0));
        let appends = crate::appends::start_appends(writes.clone(), dialect, events.clone());
        Ok(Self::assemble(pool, writes, appends, events, dialect))
    }

    fn assemble(
        pool: AnyPool,
        writes: AnyPool,
        appends: crate::appends::AppendQueue,
        events: std::sync::Arc<tokio::sync::watch::Sender<i64>>,
        dialect: Dialect,
    ) -> Self {
        let counter = || std::sync::Arc::new(tokio::sync::watch::Sender::new(0));
        Self { pool, writes, appends, dialect, events, timers_set: counter(), deliveries_queued: counter() }
    }

    /// A transaction that will write (see the module's notes).
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.dialect {
            Dialect::Sqlite => self.writes.begin_with("BEGIN IMMEDIATE").await?,
            Dialect::Postgres => self.pool.begin().await?,
        })
    }

    /// Where reads go.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Where a write outside [`begin_write`](Self::begin_write)'s transactions goes. Never
    /// use it while this task holds a write transaction: on SQLite that waits for itself.
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writes
    }

    pub(crate) fn append_queue(&self) -> &crate::appends::AppendQueue {
        &self.appends
    }

    pub(crate) fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub(crate) fn events_committed(&self) -> &tokio::sync::watch::Sender<i64> {
        &self.events
    }

    pub(crate) fn timers_changed(&self) {
        self.timers_set.send_modify(|count| *count += 1);
    }

    pub(crate) fn deliveries_changed(&self) {
        self.deliveries_queued.send_modify(|count| *count += 1);
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writes.close().await;
    }
}

/// The `user.status_changed` event announcing `user`'s status.
pub(crate) fn status_changed(user: &User, now: Timestamp) -> NewEvent {
    NewEvent::new(
        Event::UserStatusChanged(UserStatusChanged {
            user_id: user.id,
            name: user.name.clone(),
            status: user.status,
        }),
        now,
    )
}

/// The `user.created/updated/deleted` payload of `user`.
pub(crate) fn user_changed(user: &User) -> UserChanged {
    UserChanged { user_id: user.id, name: user.name.clone(), role: user.role }
}

#[async_trait]
impl Store for SqlStore {
    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(self.pool()).await?;
        Ok(())
    }

    async fn claim_role(&self, role: &str) -> Result<Option<RoleHold>> {
        self.claim(role).await
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.insert_user(user).await
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        self.user_by_id(id).await
    }

    async fn user_credentials(&self, email: &str) -> Result<Option<(User, String)>> {
        self.credentials(email).await
    }

    async fn count_users(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?.try_get(0)?)
    }

    async fn users_with_status(&self, status: Presence) -> Result<Vec<User>> {
        self.select_users(Some(status)).await
    }

    async fn set_user_status(&self, id: UserId, status: Presence, now: Timestamp) -> Result<User> {
        self.write_user_status(id, status, now).await
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: UserId,
        now: Timestamp,
        verified_password_hash: &str,
    ) -> Result<bool> {
        // One statement, so a password reset or a disabling between the check and this write
        // leaves no session behind.
        let inserted = sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_used_at) \
             SELECT $1, id, $3, $3 FROM users WHERE id = $2 AND password_hash = $4 AND disabled = 0",
        )
        .bind(token_hash)
        .bind(id_text(user_id))
        .bind(now.as_millis())
        .bind(verified_password_hash)
        .execute(self.writer())
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: Timestamp,
        rules: SessionRules,
    ) -> Result<Option<User>> {
        self.select_session_user(token_hash, now, rules).await
    }

    async fn delete_sessions_of(&self, user: UserId, except: Option<&str>) -> Result<u64> {
        self.remove_sessions_of(user, except).await
    }

    async fn delete_expired_sessions(&self, now: Timestamp, rules: SessionRules) -> Result<u64> {
        self.remove_expired_sessions(now, rules).await
    }

    async fn update_account(&self, id: UserId, changes: &AccountChanges) -> Result<Option<User>> {
        self.write_user_account(id, changes).await
    }

    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<bool> {
        self.write_password_hash(id, hash).await
    }

    async fn delete_user(&self, id: UserId) -> Result<bool> {
        self.remove_user(id).await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    async fn create_bot(&self, bot: Bot) -> Result<()> {
        self.insert_bot(bot).await
    }

    async fn bot(&self, id: BotId) -> Result<Option<Bot>> {
        self.select_bot("id", id_text(id)).await
    }

    async fn default_bot(&self) -> Result<Option<Bot>> {
        self.select_default_bot().await
    }

    async fn bots(&self) -> Result<Vec<Bot>> {
        self.select_bots().await
    }

    async fn update_bot(&self, id: BotId, name: &str, settings: &BotSettings) -> Result<Option<Bot>> {
        self.write_bot(id, name, settings).await
    }

    async fn set_bot_api_key(&self, id: BotId, key_hash: &str) -> Result<bool> {
        self.write_bot_api_key(id, key_hash).await
    }

    async fn bot_by_api_key(&self, key_hash: &str) -> Result<Option<Bot>> {
        self.select_bot("api_key_hash", key_hash.to_owned()).await
    }

    async fn set_bot_seq(&self, id: ConversationId, seq: i64) -> Result<()> {
        self.advance_bot_seq(id, seq).await
    }

    async fn set_timer(&self, timer: &Timer) -> Result<()> {
        self.upsert_timer(timer).await
    }

    async fn set_timers(&self, timers: &[Timer]) -> Result<()> {
        self.upsert_timers(timers).await
    }

    async fn set_timers_if_unset(&self, timers: &[Timer]) -> Result<usize> {
        self.insert_timers(timers).await
    }

    async fn cancel_timer(&self, kind: &str, subject: &str) -> Result<bool> {
        self.delete_timer(kind, subject).await
    }

    async fn claim_due_timers(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Timer>> {
        self.claim_timers(now, lease_until, limit).await
    }

    async fn timer_done(&self, timer: &Timer) -> Result<()> {
        self.finish_timer(timer).await
    }

    async fn next_timer_due(&self) -> Result<Option<Timestamp>> {
        self.earliest_timer().await
    }

    async fn set_auto_away(&self, id: UserId, now: Timestamp) -> Result<Option<User>> {
        self.auto_presence(id, (Presence::Online, false), (Presence::Away, true), now).await
    }

    async fn return_from_auto_away(&self, id: UserId, now: Timestamp) -> Result<Option<User>> {
        self.auto_presence(id, (Presence::Away, true), (Presence::Online, false), now).await
    }

    async fn pending_turns(&self, id: ConversationId, limit: i64) -> Result<Vec<Message>> {
        self.select_pending_turns(id, limit).await
    }

    async fn conversations_with_turns_pending_since(&self, before: Timestamp) -> Result<Vec<ConversationId>> {
        self.select_conversations_with_pending_turns(before).await
    }

    async fn create_conversation(
        &self,
        mut new: NewConversation,
        greeting: Option<NewMessage>,
    ) -> Result<Conversation> {
        let mut tx = self.begin_write().await?;
        let mut contact_id = None;
        if let Some(link) = &new.contact_link {
            let contact = crate::contacts::resolve_contact(
                &mut tx,
                self.dialect(),
                link.new_id,
                &link.claim,
                new.language.as_deref(),
                new.created_at,
            )
            .await?;
            new.contact.name = new.contact.name.or(contact.name);
            new.contact.email = new.contact.email.or(contact.email);
            contact_id = Some(contact.id);
        }
        sqlx::query(
            "INSERT INTO conversations \
             (id, bot_id, token_hash, contact_name, contact_email, locale, language, language_from_locale, owner_kind, created_at, \
              last_message_at, contact_id, channel, channel_id, channel_address) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'bot', $9, $9, $10, $11, $12, $13)",
        )
        .bind(id_text(new.id))
        .bind(id_text(new.bot_id))
        .bind(new.token_hash)
        .bind(new.contact.name.clone())
        .bind(new.contact.email.clone())
        .bind(new.locale.clone())
        .bind(new.language.clone())
        .bind(new.language.is_some() as i64)
        .bind(new.created_at.as_millis())
        .bind(contact_id.map(id_text))
        .bind(new.channel.as_ref().map_or(ChannelKind::Web, |c| c.kind).as_str())
        .bind(new.channel.as_ref().and_then(|c| c.channel_id).map(id_text))
        .bind(new.channel.as_ref().and_then(|c| c.address.clone()))
        .execute(&mut *tx)
        .await
        .map_err(|error| match is_unique_violation(&error) {
            true => StoreError::Conflict("the channel address has a conversation"),
            false => error.into(),
        })?;
        let mut events = vec![NewEvent::new(
            Event::ConversationStarted(ConversationStarted {
                conversation_id: new.id,
                bot_id: new.bot_id,
                contact: new.contact.clone(),
            }),
            new.created_at,
        )];
        let mut last_seq = 0;
        if let Some(greeting) = greeting {
            let stored = crate::appends::insert_next(&mut tx, greeting).await?;
            last_seq = stored.seq;
            events.push(message_created(&stored));
        }
        self.commit_with_events(tx, &events).await?;
        Ok(Conversation {
            id: new.id,
            bot_id: new.bot_id,
            contact: new.contact,
            locale: new.locale,
            language_from_locale: new.language.is_some(),
            language: new.language,
            owner: Owner::Bot,
            last_seq,
            bot_failures: 0,
            bot_seq: 0,
            created_at: new.created_at,
            contact_id,
            channel: new.channel,
        })
    }

    async fn conversation(&self, id: ConversationId) -> Result<Option<Conversation>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = $1"
        )))
        .bind(id_text(id))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(conversation_from_row).transpose()
    }

    async fn conversation_token_hash(&self, id: ConversationId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT token_hash FROM conversations WHERE id = $1")
            .bind(id_text(id))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| row.try_get(0)).transpose().map_err(Into::into)
    }

    async fn set_bot_failures(&self, id: ConversationId, failures: i64) -> Result<()> {
        sqlx::query("UPDATE conversations SET bot_failures = $1 WHERE id = $2")
            .bind(failures)
            .bind(id_text(id))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    async fn set_language(&self, id: ConversationId, language: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE conversations SET language = $1 WHERE id = $2")
            .bind(language)
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        // The contact's language is their latest conversation's.
        sqlx::query("UPDATE contacts SET language = $1 WHERE id = (SELECT contact_id FROM conversations WHERE id = $2)")
            .bind(language)
            .bind(id_text(id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_message(&self, message: NewMessage, guard: OwnerGuard) -> Result<Appended> {
        self.append(message, guard, None).await
    }

    async fn messages_after(
        &self,
        conversation: ConversationId,
        after: i64,
        include_notes: bool,
        limit: i64,
    ) -> Result<Vec<Message>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND seq > $2 AND (note = 0 OR $3 = 1) \
             ORDER BY seq LIMIT $4"
        )))
        .bind(id_text(conversation))
        .bind(after)
        .bind(include_notes as i64)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    async fn handoff(&self, id: HandoffId) -> Result<Option<Versioned<Handoff>>> {
        let row = sqlx::query("SELECT document, version FROM handoffs WHERE id = $1")
            .bind(id_text(id))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(handoff_from_row).transpose()
    }

    async fn open_handoff(&self, conversation: ConversationId) -> Result<Option<Versioned<Handoff>>> {
        let row =
            sqlx::query("SELECT document, version FROM handoffs WHERE conversation_id = $1 AND is_open = 1")
                .bind(id_text(conversation))
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(handoff_from_row).transpose()
    }

    async fn latest_handoff(&self, conversation: ConversationId) -> Result<Option<Versioned<Handoff>>> {
        let row = sqlx::query(
            "SELECT document, version FROM handoffs WHERE conversation_id = $1 ORDER BY requested_at DESC, id DESC LIMIT 1",
        )
        .bind(id_text(conversation))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(handoff_from_row).transpose()
    }

    async fn list_handoffs(&self, state: Option<HandoffState>, limit: i64) -> Result<Vec<Handoff>> {
        let query = match state {
            None => sqlx::query("SELECT document, version FROM handoffs WHERE is_open = 1 ORDER BY requested_at, id LIMIT $1")
                .bind(limit),
            Some(HandoffState::Closed) => sqlx::query(
                "SELECT document, version FROM handoffs WHERE state = 'closed' ORDER BY requested_at DESC, id DESC LIMIT $1",
            )
            .bind(limit),
            Some(state) => sqlx::query("SELECT document, version FROM handoffs WHERE state = $2 ORDER BY requested_at, id LIMIT $1")
                .bind(limit)
                .bind(state.as_str()),
        };
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|row| handoff_from_row(row).map(|h| h.value)).collect()
    }

    async fn save_handoff(&self, change: HandoffChange) -> Result<HandoffSaved> {
        let handoff = &change.handoff;
        let document = serde_json::to_string(handoff).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let version = match change.expected_version {
            None => {
                let inserted = sqlx::query(
                    "INSERT INTO handoffs \
                     (id, conversation_id, state, is_open, assignee_id, requested_at, assigned_at, version, document) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
                )
                .bind(id_text(handoff.id))
                .bind(id_text(handoff.conversation_id))
                .bind(handoff.state.as_str())
                .bind(handoff.state.is_open() as i64)
                .bind(handoff.assignee.as_ref().map(|a| id_text(a.id)))
                .bind(handoff.requested_at.as_millis())
                .bind(handoff.assigned_at.map(Timestamp::as_millis))
                .bind(document)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::Conflict("the conversation already has an open handoff"));
                    }
                    other => other?,
                };
                1
            }
            Some(expected) => {
                let updated = sqlx::query(
                    "UPDATE handoffs SET state = $1, is_open = $2, assignee_id = $3, assigned_at = $4, document = $5, \
                     version = version + 1 WHERE id = $6 AND version = $7",
                )
                .bind(handoff.state.as_str())
                .bind(handoff.state.is_open() as i64)
                .bind(handoff.assignee.as_ref().map(|a| id_text(a.id)))
                .bind(handoff.assigned_at.map(Timestamp::as_millis))
                .bind(document)
                .bind(id_text(handoff.id))
                .bind(expected)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict("the handoff changed since it was read"));
                }
                expected + 1
            }
        };
        sqlx::query("UPDATE conversations SET owner_kind = $1, owner_user_id = $2 WHERE id = $3")
            .bind(change.owner.kind_str())
            .bind(change.owner.user_id().map(id_text))
            .bind(id_text(handoff.conversation_id))
            .execute(&mut *tx)
            .await?;
        let mut events = change.events;
        let mut messages = Vec::with_capacity(change.messages.len());
        for message in change.messages {
            let stored = crate::appends::insert_next(&mut tx, message).await?;
            events.push(message_created(&stored));
            messages.push(stored);
        }
        self.commit_with_events(tx, &events).await?;
        Ok(HandoffSaved { version, messages })
    }

    async fn create_team(&self, team: &Team) -> Result<()> {
        self.insert_team(team).await
    }

    async fn team(&self, id: TeamId) -> Result<Option<Team>> {
        self.select_team("id", id_text(id)).await
    }

    async fn team_by_name(&self, name: &str) -> Result<Option<Team>> {
        self.select_team("name", name.to_owned()).await
    }

    async fn teams(&self) -> Result<Vec<Team>> {
        self.select_teams().await
    }

    async fn update_team(&self, id: TeamId, name: &str, settings: &TeamSettings) -> Result<Option<Team>> {
        self.write_team(id, name, settings).await
    }

    async fn delete_team(&self, id: TeamId) -> Result<bool> {
        self.remove_team(id).await
    }

    async fn set_team_members(&self, id: TeamId, members: &[UserId]) -> Result<Option<Team>> {
        self.replace_members(id, members).await
    }

    async fn users(&self) -> Result<Vec<User>> {
        self.select_users(None).await
    }

    async fn set_user_routing(
        &self,
        id: UserId,
        languages: &[String],
        capacity: Option<u32>,
    ) -> Result<Option<User>> {
        self.write_user_routing(id, languages, capacity).await
    }

    async fn roster(&self) -> Result<Vec<RosterEntry>> {
        self.select_roster().await
    }

    async fn set_last_assigned(&self, id: UserId, at: Timestamp) -> Result<()> {
        self.write_last_assigned(id, at).await
    }

    async fn open_handoffs(&self) -> Result<Vec<OpenHandoff>> {
        self.select_open_handoffs().await
    }

    async fn open_handoff_versions(&self) -> Result<Vec<(HandoffId, i64)>> {
        self.select_open_handoff_versions().await
    }

    async fn open_handoffs_among(&self, ids: &[HandoffId]) -> Result<Vec<OpenHandoff>> {
        self.select_open_handoffs_among(ids).await
    }

    async fn recent_assignments(&self, limit: i64) -> Result<Vec<Handoff>> {
        self.select_recent_assignments(limit).await
    }

    async fn record_events(&self, events: Vec<NewEvent>) -> Result<()> {
        self.insert_events(events).await
    }

    async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        self.select_events_after(after, limit).await
    }

    async fn consumer_cursor(&self, consumer: &str) -> Result<i64> {
        self.select_consumer_cursor(consumer).await
    }

    async fn advance_consumer(&self, consumer: &str, last_id: i64) -> Result<()> {
        self.update_consumer_cursor(consumer, last_id).await
    }

    async fn consumer_cursors(&self) -> Result<Vec<(String, i64)>> {
        self.select_consumer_cursors().await
    }

    async fn outbox_head(&self) -> Result<i64> {
        self.select_outbox_head().await
    }

    async fn prune_consumed_events(&self) -> Result<u64> {
        self.delete_consumed_events().await
    }

    fn watch_events(&self) -> tokio::sync::watch::Receiver<i64> {
        self.events.subscribe()
    }

    fn watch_timers(&self) -> tokio::sync::watch::Receiver<u64> {
        self.timers_set.subscribe()
    }

    fn watch_deliveries(&self) -> tokio::sync::watch::Receiver<u64> {
        self.deliveries_queued.subscribe()
    }

    async fn create_webhook(&self, endpoint: &WebhookEndpoint) -> Result<WebhookEndpoint> {
        self.insert_webhook(endpoint).await
    }

    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>> {
        self.select_webhooks().await
    }

    async fn webhook(&self, id: WebhookId) -> Result<Option<WebhookEndpoint>> {
        self.select_webhook(id).await
    }

    async fn update_webhook(
        &self,
        id: WebhookId,
        changes: &WebhookChanges,
    ) -> Result<Option<WebhookEndpoint>> {
        SqlStore::update_webhook(self, id, changes).await
    }

    async fn set_webhook_secret(&self, id: WebhookId, secret: &str) -> Result<Option<WebhookEndpoint>> {
        self.update_webhook_secret(id, secret).await
    }

    async fn delete_webhook(&self, id: WebhookId) -> Result<bool> {
        SqlStore::delete_webhook(self, id).await
    }

    async fn queue_deliveries(&self, deliveries: &[NewDelivery]) -> Result<u64> {
        self.insert_deliveries(deliveries).await
    }

    async fn claim_due_deliveries(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        SqlStore::claim_due_deliveries(self, now, lease_until, limit).await
    }

    async fn next_delivery_due(&self) -> Result<Option<Timestamp>> {
        self.select_next_delivery_due().await
    }

    async fn record_attempts(&self, attempts: &[(DeliveryId, Attempt)]) -> Result<Vec<Delivery>> {
        self.update_delivery_attempts(attempts).await
    }

    async fn deliveries(&self, webhook: WebhookId, before: Option<i64>, limit: i64) -> Result<Vec<Delivery>> {
        self.select_deliveries(webhook, before, limit).await
    }

    async fn retry_delivery(
        &self,
        webhook: WebhookId,
        id: DeliveryId,
        now: Timestamp,
    ) -> Result<Option<Delivery>> {
        self.update_delivery_for_retry(webhook, id, now).await
    }

    async fn notification_prefs(&self, user: UserId) -> Result<Option<NotificationPrefs>> {
        self.select_notification_prefs(user).await
    }

    async fn notification_prefs_of_all(&self) -> Result<HashMap<UserId, NotificationPrefs>> {
        self.select_all_notification_prefs().await
    }

    async fn set_notification_prefs(&self, user: UserId, prefs: &NotificationPrefs) -> Result<bool> {
        self.update_notification_prefs(user, prefs).await
    }

    async fn email_sent(&self, recipient: &str, kind: &str, about: &str) -> Result<bool> {
        self.select_email_sent(recipient, kind, about).await
    }

    async fn record_email(&self, recipient: &str, kind: &str, about: &[String], at: Timestamp) -> Result<()> {
        self.insert_emails_sent(recipient, kind, about, at).await
    }

    async fn prune_email_log(&self, before: Timestamp) -> Result<u64> {
        self.delete_emails_before(before).await
    }

    async fn prune_deliveries(&self, before: Timestamp) -> Result<u64> {
        self.delete_finished_deliveries_before(before).await
    }

    async fn replace_password_link(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        self.insert_password_link(user, token_hash, expires_at, now).await
    }

    async fn use_password_link(
        &self,
        token_hash: &str,
        now: Timestamp,
        password_hash: &str,
    ) -> Result<Option<UserId>> {
        self.redeem_password_link(token_hash, now, password_hash).await
    }

    async fn handoff_fact(&self, id: HandoffId) -> Result<Option<(baton_core::analytics::HandoffFact, i64)>> {
        self.select_handoff_fact(id).await
    }

    async fn save_handoff_facts(
        &self,
        facts: &[(baton_core::analytics::HandoffFact, i64)],
        now: Timestamp,
    ) -> Result<()> {
        self.write_handoff_facts(facts, now).await
    }

    async fn has_handoff_facts(&self) -> Result<bool> {
        self.select_any_handoff_fact().await
    }

    async fn handoffs_after(&self, after: Option<HandoffId>, limit: i64) -> Result<Vec<Handoff>> {
        self.select_handoffs_after(after, limit).await
    }

    async fn count_conversations_so_far(&self, seen_up_to: i64) -> Result<u64> {
        self.insert_conversation_counts_so_far(seen_up_to).await
    }

    async fn count_conversations(&self, started: &[(i64, BotId, i64)]) -> Result<()> {
        self.insert_conversation_counts(started).await
    }

    async fn analytics(&self, query: &AnalyticsQuery) -> Result<baton_core::analytics::Sums> {
        self.select_analytics(query).await
    }

    async fn canned_responses_for(&self, user: UserId) -> Result<Vec<baton_core::canned::CannedResponse>> {
        self.select_canned_for(user).await
    }

    async fn canned_response(
        &self,
        id: baton_core::ids::CannedId,
    ) -> Result<Option<baton_core::canned::CannedResponse>> {
        self.select_canned(id).await
    }

    async fn create_canned_response(&self, response: &baton_core::canned::CannedResponse) -> Result<()> {
        self.insert_canned(response).await
    }

    async fn update_canned_response(&self, response: &baton_core::canned::CannedResponse) -> Result<bool> {
        self.write_canned(response).await
    }

    async fn delete_canned_response(&self, id: baton_core::ids::CannedId) -> Result<bool> {
        self.remove_canned(id).await
    }

    async fn record_audit(&self, entry: &baton_core::audit::NewAuditEntry) -> Result<()> {
        self.insert_audit(entry).await
    }

    async fn search_conversations(
        &self,
        search: &baton_core::search::ConversationSearch,
    ) -> Result<Vec<ConversationHit>> {
        self.select_conversations(search).await
    }

    async fn conversation_handoffs(&self, conversation: ConversationId) -> Result<Vec<Handoff>> {
        Ok(self.handoffs_of(&[conversation]).await?.remove(&conversation).unwrap_or_default())
    }

    async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<baton_core::audit::AuditEntry>> {
        self.select_audit(query).await
    }
}
