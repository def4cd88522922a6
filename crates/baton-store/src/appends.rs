//! Appending messages, and SQLite's group commit.
//!
//! An append takes the conversation's next `seq` (locking its row), refuses a repeated
//! `client_id`, inserts the message, its file and its `message.created` event, and moves the
//! bot's cursor when the message completes a turn or needs none, all in one transaction.
//!
//! Every commit pays a sync of the log, and on SQLite (one writer) and PostgreSQL alike (where
//! the outbox's ordering lock is held through the commit, see `crate::outbox`) commits that
//! write events happen one at a time. So an append is a job for one task ([`run_appends`])
//! that commits a whole batch: it takes every job waiting when it starts, runs each inside a
//! savepoint (a job that fails is rolled back alone), writes the batch's events last, commits
//! once, and only then answers each caller. A message is therefore durable before it is
//! acknowledged, as with one transaction each, but a busy server pays one sync and one turn of
//! the ordering lock for dozens of messages. Nobody waits for a batch to fill: jobs arriving
//! while a batch commits make up the next one.

use baton_core::event::Event;
use baton_core::ids::ConversationId;
use baton_core::message::{AuthorKind, Message};
use baton_core::time::Timestamp;
use sqlx::{Any, AnyPool, AssertSqlSafe, Row, Transaction};
use tokio::sync::{mpsc, oneshot, watch};

use crate::rows::{MESSAGE_COLUMNS, id_text, message_from_row};
use crate::sql::{Dialect, SqlStore};
use crate::{Appended, NewAttachment, NewEvent, NewMessage, OwnerGuard, Result, StoreError};

/// The most appends one transaction takes.
const MAX_BATCH: usize = 256;

/// Appends waiting for the writer; past this, callers wait to queue.
const QUEUE: usize = 4_096;

/// One caller's append, waiting for [`run_appends`].
pub(crate) struct AppendJob {
    message: NewMessage,
    guard: OwnerGuard,
    attachment: Option<NewAttachment>,
    answer: oneshot::Sender<Result<Appended>>,
}

/// The sending side of SQLite's append queue.
pub(crate) type AppendQueue = mpsc::Sender<AppendJob>;

/// How many batches commit at once: SQLite has one writer; PostgreSQL overlaps one batch's
/// statements with another's commit (their rows are locked in one order, so they cannot
/// deadlock, and the ordering lock is taken only around each commit).
fn writers(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Sqlite => 1,
        Dialect::Postgres => 4,
    }
}

/// Starts the tasks that commit appends in batches on `writes`, telling `events` the newest
/// event id after each commit. They stop when every sender is gone.
pub(crate) fn start_appends(
    writes: AnyPool,
    dialect: Dialect,
    events: std::sync::Arc<watch::Sender<i64>>,
) -> AppendQueue {
    let (queue, jobs) = mpsc::channel(QUEUE);
    let jobs = std::sync::Arc::new(tokio::sync::Mutex::new(jobs));
    for _ in 0..writers(dialect) {
        tokio::spawn(run_appends(writes.clone(), dialect, events.clone(), jobs.clone()));
    }
    queue
}

async fn run_appends(
    writes: AnyPool,
    dialect: Dialect,
    events: std::sync::Arc<watch::Sender<i64>>,
    jobs: std::sync::Arc<tokio::sync::Mutex<mpsc::Receiver<AppendJob>>>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // A writer takes what waits and lets the next writer take what arrives meanwhile.
    while jobs.lock().await.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A task of its own, so that a panic drops this batch's answers (its callers get an
        // error) and not the writer.
        let batch = std::mem::take(&mut batch);
        let committed = tokio::spawn(commit_batch(writes.clone(), dialect, events.clone(), batch));
        if committed.await.is_err() {
            tracing::error!("the append writer panicked on a batch");
        }
    }
}

/// Runs `batch` in one transaction, tells the consumers of its events, and answers each job once
/// it is durable.
async fn commit_batch(
    writes: AnyPool,
    dialect: Dialect,
    events: std::sync::Arc<watch::Sender<i64>>,
    batch: Vec<AppendJob>,
) {
    // Every batch locks its conversations' rows in the same order (by id; a conversation's own
    // appends keep their order), so two batches (of two instances) cannot deadlock.
    let mut batch = batch;
    batch.sort_by_key(|job| id_text(job.message.conversation_id));
    let mut answers = Vec::with_capacity(batch.len());
    let mut appends = Vec::with_capacity(batch.len());
    for job in batch {
        answers.push(job.answer);
        appends.push((job.message, job.guard, job.attachment));
    }
    // SQLite: take the write lock now rather than upgrade to it mid-transaction.
    let begun = match dialect {
        Dialect::Sqlite => writes.begin_with("BEGIN IMMEDIATE").await,
        Dialect::Postgres => writes.begin().await,
    };
    let mut tx = match begun {
        Ok(tx) => tx,
        Err(error) => return fail_all(answers, Vec::new(), &error.into()),
    };
    let mut outcomes = Vec::with_capacity(answers.len());
    let mut created = Vec::new();
    for (message, guard, attachment) in appends {
        match appended_in_savepoint(&mut tx, message, guard, attachment).await {
            Ok(appended) => {
                if let Appended::Created { message, .. } = &appended {
                    created.push(message_created(message));
                }
                outcomes.push(Ok(appended));
            }
            Err(Broken(error)) => return fail_all(answers, outcomes, &error),
            Err(Refused(error)) => outcomes.push(Err(error)),
        }
    }
    // The batch's events go last, in one go: on PostgreSQL under the outbox's ordering lock,
    // taken when the transaction holds every row lock it needs (see `crate::outbox`).
    let last_event = match crate::outbox::insert_events_last(&mut tx, dialect, &created).await {
        Ok(last) => last,
        Err(error) => return fail_all(answers, outcomes, &error),
    };
    if let Err(error) = tx.commit().await {
        return fail_all(answers, outcomes, &error.into());
    }
    if last_event > 0 {
        events.send_if_modified(|latest| {
            let newer = last_event > *latest;
            *latest = (*latest).max(last_event);
            newer
        });
    }
    for (answer, outcome) in answers.into_iter().zip(outcomes) {
        // A caller that stopped waiting still has its message stored; a retry with its
        // client_id finds it.
        let _ = answer.send(outcome);
    }
}

/// Why one job in a batch failed.
enum JobError {
    /// The job alone failed and was rolled back; the batch goes on.
    Refused(StoreError),
    /// The transaction itself failed: nothing in the batch can be committed.
    Broken(StoreError),
}
use JobError::{Broken, Refused};

/// One job inside its own savepoint: kept when it wrote a message, rolled back otherwise (a
/// repeated `client_id` took a seq it must give back). Its event is the batch's to write.
async fn appended_in_savepoint(
    tx: &mut Transaction<'static, Any>,
    message: NewMessage,
    guard: OwnerGuard,
    attachment: Option<NewAttachment>,
) -> Result<Appended, JobError> {
    let statement = |sql: &'static str| sqlx::query(sql);
    statement("SAVEPOINT append").execute(&mut **tx).await.map_err(|e| Broken(e.into()))?;
    let outcome = append_in(tx, message, guard, attachment).await;
    let (end, result) = match outcome {
        Ok(Written::Kept(appended)) => ("RELEASE SAVEPOINT append", Ok(appended)),
        Ok(Written::Undone(appended)) => ("ROLLBACK TO SAVEPOINT append", Ok(appended)),
        Err(error) => ("ROLLBACK TO SAVEPOINT append", Err(Refused(error))),
    };
    statement(end).execute(&mut **tx).await.map_err(|e| Broken(e.into()))?;
    if end.starts_with("ROLLBACK") {
        statement("RELEASE SAVEPOINT append").execute(&mut **tx).await.map_err(|e| Broken(e.into()))?;
    }
    result
}

/// The batch's transaction failed: nothing in it was stored. A job that had failed on its own
/// keeps its own error; every other one gets the transaction's.
fn fail_all(
    answers: Vec<oneshot::Sender<Result<Appended>>>,
    outcomes: Vec<Result<Appended>>,
    error: &StoreError,
) {
    tracing::error!(?error, appends = answers.len(), "a batch of appends failed");
    let mut outcomes = outcomes.into_iter();
    for answer in answers {
        let own = outcomes.next().and_then(Result::err);
        let _ = answer.send(Err(own.unwrap_or_else(|| StoreError::Batch(error.to_string()))));
    }
}

/// What an append did inside its transaction.
enum Written {
    /// Keep these writes: the message was stored.
    Kept(Appended),
    /// Undo whatever was written: nothing new is stored.
    Undone(Appended),
}

impl SqlStore {
    /// Appends a message (with the file it sends, if any) under `guard`; see
    /// [`crate::Store::append_message`].
    pub(crate) async fn append(
        &self,
        message: NewMessage,
        guard: OwnerGuard,
        attachment: Option<NewAttachment>,
    ) -> Result<Appended> {
        let (answer, answered) = oneshot::channel();
        let job = AppendJob { message, guard, attachment, answer };
        let queue = self.append_queue();
        queue.send(job).await.map_err(|_| StoreError::Batch("the append writer has stopped".into()))?;
        answered.await.map_err(|_| StoreError::Batch("the append writer dropped the append".into()))?
    }
}

/// The append's statements inside `tx`; its event is the caller's to write, last.
async fn append_in(
    tx: &mut Transaction<'static, Any>,
    message: NewMessage,
    guard: OwnerGuard,
    attachment: Option<NewAttachment>,
) -> Result<Written> {
    // Taking the seq locks the conversation, so a concurrent send with the same client_id
    // waits here and then finds the first one's message below.
    let from_contact = message.author.kind == AuthorKind::Contact;
    let Some(taken) = next_seq(tx, message.conversation_id, guard, message.created_at, from_contact).await?
    else {
        let exists = sqlx::query("SELECT 1 FROM conversations WHERE id = $1")
            .bind(id_text(message.conversation_id))
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
        return if exists { Ok(Written::Undone(Appended::OwnerMoved)) } else { Err(StoreError::NotFound) };
    };
    if let Some(client_id) = &message.client_id {
        let existing = sqlx::query(AssertSqlSafe(format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = $1 AND client_id = $2"
        )))
        .bind(id_text(message.conversation_id))
        .bind(client_id.clone())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = existing {
            return Ok(Written::Undone(Appended::Duplicate(message_from_row(&row)?)));
        }
    }
    let completes_turn = message.completes_turn;
    let mut stored = insert_message(tx, message, taken.seq).await?;
    if let Some(attachment) = attachment {
        crate::attachments::insert_attachment(tx, &stored, &attachment).await?;
        stored.attachment = Some(attachment.reference);
    }
    if let Some(turn) = completes_turn {
        sqlx::query("UPDATE conversations SET bot_seq = $1 WHERE id = $2 AND bot_seq < $1")
            .bind(turn)
            .bind(id_text(stored.conversation_id))
            .execute(&mut **tx)
            .await?;
    }
    let awaits_bot = from_contact && taken.bot_seq < taken.seq;
    Ok(Written::Kept(Appended::Created { message: stored, awaits_bot }))
}

/// Stores `message` as its conversation's next, unguarded, inside a transaction that also
/// writes other things (a handoff's change, a new conversation's greeting); its event is the
/// caller's to write.
pub(crate) async fn insert_next(tx: &mut Transaction<'static, Any>, message: NewMessage) -> Result<Message> {
    let from_contact = message.author.kind == AuthorKind::Contact;
    let taken = next_seq(tx, message.conversation_id, OwnerGuard::Anyone, message.created_at, from_contact)
        .await?
        .ok_or(StoreError::NotFound)?;
    insert_message(tx, message, taken.seq).await
}

/// The `message.created` event of a stored message.
pub(crate) fn message_created(message: &Message) -> NewEvent {
    NewEvent::new(Event::MessageCreated(message.clone()), message.created_at)
}

/// The seq an append took, and where the bot's cursor stands after it.
struct Taken {
    seq: i64,
    bot_seq: i64,
}

/// Takes the conversation's next `seq` (locking its row), unless the guard's owner moved. A
/// contact's message in a conversation a person owns is no work for the bot (a person answers
/// it, and asking again for a person is moot there), so the bot's cursor moves past it here.
async fn next_seq(
    tx: &mut Transaction<'static, Any>,
    conversation: ConversationId,
    guard: OwnerGuard,
    at: Timestamp,
    from_contact: bool,
) -> Result<Option<Taken>> {
    // SET expressions read the row as it was, on both databases: `last_seq + 1` is the new seq.
    let (owner_kind, owner_user) = match guard {
        OwnerGuard::Anyone => (None, None),
        OwnerGuard::Must(owner) => {
            (Some(owner.kind_str()), Some(owner.user_id().map(id_text).unwrap_or_default()))
        }
    };
    let row = sqlx::query(
        "UPDATE conversations SET last_seq = last_seq + 1, last_message_at = $2, \
         bot_seq = CASE WHEN $3 = 1 AND owner_kind = 'user' THEN last_seq + 1 ELSE bot_seq END \
         WHERE id = $1 AND ($4 IS NULL OR (owner_kind = $4 AND COALESCE(owner_user_id, '') = $5)) \
         RETURNING last_seq, bot_seq",
    )
    .bind(id_text(conversation))
    .bind(at.as_millis())
    .bind(i64::from(from_contact))
    .bind(owner_kind)
    .bind(owner_user)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| -> Result<Taken> { Ok(Taken { seq: row.try_get(0)?, bot_seq: row.try_get(1)? }) })
        .transpose()
}

async fn insert_message(
    tx: &mut Transaction<'static, Any>,
    message: NewMessage,
    seq: i64,
) -> Result<Message> {
    let stored = Message {
        id: message.id,
        conversation_id: message.conversation_id,
        seq,
        author: message.author,
        text: message.text,
        note: message.note,
        created_at: message.created_at,
        client_id: message.client_id,
        attachment: None,
        template: message.template,
    };
    sqlx::query(
        "INSERT INTO messages (id, conversation_id, seq, author_kind, author_id, author_name, text, note, client_id, created_at, template) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id_text(stored.id))
    .bind(id_text(stored.conversation_id))
    .bind(seq)
    .bind(stored.author.kind.as_str())
    .bind(stored.author.id.map(id_text))
    .bind(stored.author.name.clone())
    .bind(stored.text.clone())
    .bind(stored.note as i64)
    .bind(stored.client_id.clone())
    .bind(stored.created_at.as_millis())
    .bind(crate::channels::template_text(stored.template.as_ref()))
    .execute(&mut **tx)
    .await?;
    Ok(stored)
}
