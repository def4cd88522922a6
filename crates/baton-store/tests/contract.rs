//! The contract every `Store` implementation must keep, run on SQLite and PostgreSQL.
//! PostgreSQL runs when `BATON_TEST_DATABASE_URL` is set (e.g. postgres://postgres@127.0.0.1/test).

use std::sync::Arc;

use baton_core::conversation::Owner;
use baton_core::event::{Event, EventKind};
use baton_core::handoff::{Command, ContactInfo, Handoff, HandoffState, Priority, Request, Trigger, UserRef};
use baton_core::ids::{BotId, ConversationId, HandoffId, Id, MessageId, UserId};
use baton_core::message::{Author, AuthorKind};
use baton_core::policy::BotSettings;
use baton_core::time::Timestamp;
use baton_core::user::{Presence, Role};
use baton_store::*;

#[path = "contract/analytics.rs"]
mod analytics;
#[path = "contract/contacts.rs"]
mod contacts;
#[path = "contract/notifications.rs"]
mod notifications;
#[path = "contract/search.rs"]
mod search;
#[path = "contract/teams.rs"]
mod teams;
#[path = "contract/webhooks.rs"]
mod webhooks;
use analytics::*;
use contacts::*;
use notifications::*;
use search::*;
use teams::*;
use webhooks::*;

const NOW: Timestamp = Timestamp::from_millis(1_750_000_000_000);

/// Sessions end after an hour unused or a day in all.
const RULES: SessionRules = SessionRules { idle_ms: 3_600_000, max_age_ms: 86_400_000 };

fn new_id<K>() -> Id<K> {
    Id::from_uuid(uuid::Uuid::now_v7())
}

struct Db {
    store: Arc<SqlStore>,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("contract.db").display());
    Db { store: Arc::new(SqlStore::connect(&url).await.unwrap()), _dir: Some(dir) }
}

/// A fresh database on the PostgreSQL server `BATON_TEST_DATABASE_URL` names; the tests are
/// ignored unless it was set at build time.
async fn postgres() -> Db {
    let base =
        std::env::var("BATON_TEST_DATABASE_URL").expect("BATON_TEST_DATABASE_URL names a PostgreSQL server");
    let name = format!("baton_contract_{}", uuid::Uuid::now_v7().simple());
    let url = testing::create_postgres_database(&base, &name).await.unwrap();
    Db { store: Arc::new(SqlStore::connect(&url).await.unwrap()), _dir: None }
}

/// Runs each contract test on both backends.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(super::sqlite().await.store).await } )* }
        mod on_postgres { $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
            async fn $name() { super::$name(super::postgres().await.store).await }
        )* }
    };
}

contract!(
    seq_is_gap_free_under_concurrent_sends,
    client_id_makes_a_send_idempotent,
    owner_guard_drops_a_stale_reply,
    notes_are_hidden_unless_asked,
    handoff_changes_are_compare_and_set,
    one_open_handoff_per_conversation,
    outbox_keeps_events_until_every_consumer_passed,
    users_sessions_and_status,
    sessions_end_when_idle_or_old_and_with_their_user,
    handoffs_list_by_state,
    bots_are_edited_and_found_by_api_key,
    pending_bot_turns_follow_the_cursor,
    a_contact_message_awaits_the_bot_only_where_no_person_owns_the_chat,
    appends_at_once_each_keep_their_own_outcome,
    timers_fire_once_and_survive_until_done,
    baton_sets_away_and_back_only_when_it_may,
    teams_are_created_edited_and_deleted,
    users_carry_teams_languages_and_capacity,
    roster_carries_team_ids_and_last_assignment,
    open_handoffs_carry_their_bot,
    recent_assignments_are_newest_first,
    recorded_events_wait_in_the_outbox,
    configuration_changes_are_events,
    notification_prefs_and_the_mail_log,
    facts_roll_up_and_a_stale_event_changes_nothing,
    conversations_are_counted_once,
    handoffs_are_read_in_pages_for_the_backfill,
    finished_deliveries_are_forgotten_when_old,
    history_is_searched_by_words_ids_and_state,
    contacts_are_found_by_identity_email_and_visitor_and_erased,
);

async fn conversation(store: &SqlStore) -> ConversationId {
    let bot = BotId::from_uuid(uuid::Uuid::now_v7());
    store
        .create_bot(Bot {
            id: bot,
            name: "b".into(),
            is_default: true,
            settings: BotSettings::default(),
            created_at: NOW,
        })
        .await
        .unwrap();
    let id = new_id();
    store
        .create_conversation(
            NewConversation {
                id,
                bot_id: bot,
                token_hash: format!("hash-{id}"),
                contact: ContactInfo::default(),
                locale: Some("de-AT".into()),
                language: Some("de".into()),
                created_at: NOW,
                contact_link: None,
                channel: None,
            },
            Some(message(id, AuthorKind::Bot, "hello", None)),
        )
        .await
        .unwrap();
    id
}

fn message(
    conversation: ConversationId,
    kind: AuthorKind,
    text: &str,
    client_id: Option<&str>,
) -> NewMessage {
    NewMessage {
        id: MessageId::from_uuid(uuid::Uuid::now_v7()),
        conversation_id: conversation,
        author: Author::of_kind(kind),
        text: text.into(),
        note: false,
        client_id: client_id.map(Into::into),
        created_at: NOW,
        completes_turn: None,
        template: None,
    }
}

fn queued_handoff(conversation: ConversationId) -> Handoff {
    Handoff::request(
        Request {
            id: HandoffId::from_uuid(uuid::Uuid::now_v7()),
            conversation_id: conversation,
            trigger: Trigger::ExplicitRequest,
            reason: "asked".into(),
            language: None,
            priority: Priority::Normal,
            contact: ContactInfo::default(),
            evidence: Default::default(),
            gathered: Default::default(),
            ask: None,
            humans_available: true,
        },
        NOW,
    )
    .handoff
}

fn change(handoff: Handoff, expected_version: Option<i64>) -> HandoffChange {
    let owner = Owner::for_handoff(Some(&handoff));
    HandoffChange { handoff, expected_version, owner, events: vec![], messages: vec![] }
}

async fn seq_is_gap_free_under_concurrent_sends(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let sends = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .append_message(
                    message(conv, AuthorKind::Contact, &format!("m{i}"), None),
                    OwnerGuard::Anyone,
                )
                .await
        })
    });
    for send in sends.collect::<Vec<_>>() {
        assert!(matches!(send.await.unwrap().unwrap(), Appended::Created { .. }));
    }
    let seqs: Vec<i64> =
        store.messages_after(conv, 0, true, 100).await.unwrap().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=21).collect::<Vec<_>>());
    assert_eq!(store.conversation(conv).await.unwrap().unwrap().last_seq, 21);
    let stored = store.conversation(conv).await.unwrap().unwrap();
    assert_eq!((stored.language.as_deref(), stored.language_from_locale), (Some("de"), true));
    store.set_language(conv, "fr").await.unwrap();
    assert_eq!(store.conversation(conv).await.unwrap().unwrap().language.as_deref(), Some("fr"));
}

async fn client_id_makes_a_send_idempotent(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let sends = (0..8).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .append_message(message(conv, AuthorKind::Contact, "once", Some("c-1")), OwnerGuard::Anyone)
                .await
        })
    });
    let mut created = Vec::new();
    let mut duplicates = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        match send.await.unwrap().unwrap() {
            Appended::Created { message: m, .. } => created.push(m),
            Appended::Duplicate(m) => duplicates.push(m),
            Appended::OwnerMoved => panic!("no guard was set"),
        }
    }
    assert_eq!(created.len(), 1);
    assert_eq!(duplicates.len(), 7);
    assert!(duplicates.iter().all(|d| d == &created[0]));
    let after = store
        .append_message(message(conv, AuthorKind::Contact, "next", Some("c-2")), OwnerGuard::Anyone)
        .await
        .unwrap();
    let Appended::Created { message: next, .. } = after else { panic!("{after:?}") };
    assert_eq!(next.seq, created[0].seq + 1, "a duplicate must not use up a seq");
    assert_eq!(store.messages_after(conv, 0, true, 100).await.unwrap().len(), 3);
}

async fn owner_guard_drops_a_stale_reply(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let bot_reply = |text: &str| message(conv, AuthorKind::Bot, text, None);
    let ok = store.append_message(bot_reply("while bot owns"), OwnerGuard::Must(Owner::Bot)).await.unwrap();
    assert!(matches!(ok, Appended::Created { .. }));
    store.save_handoff(change(queued_handoff(conv), None)).await.unwrap();
    assert_eq!(store.conversation(conv).await.unwrap().unwrap().owner, Owner::None);
    let dropped = store.append_message(bot_reply("too late"), OwnerGuard::Must(Owner::Bot)).await.unwrap();
    assert_eq!(dropped, Appended::OwnerMoved);
    let texts: Vec<String> =
        store.messages_after(conv, 0, true, 100).await.unwrap().into_iter().map(|m| m.text).collect();
    assert_eq!(texts, vec!["hello", "while bot owns"]);
    let missing =
        store.append_message(message(new_id(), AuthorKind::Bot, "x", None), OwnerGuard::Anyone).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn notes_are_hidden_unless_asked(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let mut note = message(conv, AuthorKind::User, "internal", None);
    note.note = true;
    store.append_message(note, OwnerGuard::Anyone).await.unwrap();
    store
        .append_message(message(conv, AuthorKind::Contact, "public", None), OwnerGuard::Anyone)
        .await
        .unwrap();
    let public: Vec<String> =
        store.messages_after(conv, 0, false, 100).await.unwrap().into_iter().map(|m| m.text).collect();
    assert_eq!(public, vec!["hello", "public"]);
    let all = store.messages_after(conv, 1, true, 100).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].note);
}

async fn handoff_changes_are_compare_and_set(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let queued = queued_handoff(conv);
    let saved = store.save_handoff(change(queued.clone(), None)).await.unwrap();
    assert_eq!(saved.version, 1);
    let claim = |n: u8| {
        let user = UserRef { id: UserId::new_v7(NOW, [n; 10]), name: format!("u{n}") };
        queued.apply(Command::Claim { user }, NOW).unwrap().handoff
    };
    let first = store.save_handoff(change(claim(1), Some(1))).await.unwrap();
    assert_eq!(first.version, 2);
    let second = store.save_handoff(change(claim(2), Some(1))).await;
    assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
    let stored = store.handoff(queued.id).await.unwrap().unwrap();
    assert_eq!(stored.version, 2);
    assert_eq!(stored.value.assignee.unwrap().name, "u1");
    let owner = store.conversation(conv).await.unwrap().unwrap().owner;
    assert_eq!(owner, Owner::User { user_id: UserId::new_v7(NOW, [1; 10]) });
}

async fn one_open_handoff_per_conversation(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let first = queued_handoff(conv);
    store.save_handoff(change(first.clone(), None)).await.unwrap();
    let second = store.save_handoff(change(queued_handoff(conv), None)).await;
    assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
    let closed =
        first.apply(Command::Close { by: new_id(), as_admin: true, request_feedback: false }, NOW).unwrap();
    store.save_handoff(change(closed.handoff, Some(1))).await.unwrap();
    assert!(store.open_handoff(conv).await.unwrap().is_none());
    let third = queued_handoff(conv);
    store.save_handoff(change(third.clone(), None)).await.unwrap();
    assert_eq!(store.open_handoff(conv).await.unwrap().unwrap().value.id, third.id);
    assert_eq!(store.latest_handoff(conv).await.unwrap().unwrap().value.id, third.id);
}

async fn outbox_keeps_events_until_every_consumer_passed(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let events = store.events_after(0, 100).await.unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
    assert_eq!(kinds, [EventKind::BotCreated, EventKind::ConversationStarted, EventKind::MessageCreated]);
    assert!(events.windows(2).all(|pair| pair[0].id < pair[1].id), "ids ascend");
    match &events[2].event {
        Event::MessageCreated(message) => assert_eq!(message.text, "hello"),
        other => panic!("{other:?}"),
    }
    assert_eq!(events[2].conversation_id(), Some(conv));
    assert_eq!(store.events_after(events[0].id, 1).await.unwrap()[0].id, events[1].id, "after, limited");
    let last = events[2].id;
    assert_eq!(*store.watch_events().borrow(), last, "this process was told of the last commit");

    // Each consumer reads from its own cursor; the outbox keeps what the slowest has not read.
    assert_eq!(store.consumer_cursor("fast").await.unwrap(), 0);
    assert_eq!(store.consumer_cursor("slow").await.unwrap(), 0);
    store.advance_consumer("fast", last).await.unwrap();
    assert_eq!(store.prune_consumed_events().await.unwrap(), 0, "slow has read nothing");
    store.advance_consumer("slow", events[0].id).await.unwrap();
    assert_eq!(store.prune_consumed_events().await.unwrap(), 1);
    assert_eq!(store.events_after(0, 100).await.unwrap().len(), 2);
    store.advance_consumer("fast", events[0].id).await.unwrap();
    assert_eq!(store.consumer_cursor("fast").await.unwrap(), last, "a cursor never moves back");
    // A consumer seen for the first time starts at the slowest one: it sees all that is kept.
    assert_eq!(store.consumer_cursor("late").await.unwrap(), events[0].id);
    let cursors = store.consumer_cursors().await.unwrap();
    assert_eq!(
        cursors,
        [("fast".to_string(), last), ("late".into(), events[0].id), ("slow".into(), events[0].id)]
    );
    store.advance_consumer("slow", last).await.unwrap();
    store.advance_consumer("late", last).await.unwrap();
    assert_eq!(store.prune_consumed_events().await.unwrap(), 2);
    assert!(store.events_after(0, 100).await.unwrap().is_empty());
    assert_eq!(store.outbox_head().await.unwrap(), last, "an emptied outbox keeps its place");

    // A handoff's events and messages commit with it, in the order they were given.
    let handoff = queued_handoff(conv);
    let mut handoff_change = change(handoff.clone(), None);
    handoff_change.events.push(NewEvent::new(Event::HandoffQueued(Box::new(handoff)), NOW));
    handoff_change.messages.push(message(conv, AuthorKind::System, "queued", None));
    let saved = store.save_handoff(handoff_change).await.unwrap();
    assert_eq!(saved.messages[0].seq, 2);
    let events = store.events_after(last, 100).await.unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind()).collect();
    assert_eq!(kinds, [EventKind::HandoffQueued, EventKind::MessageCreated]);
    assert!(events[0].id > last);
    assert_eq!(store.outbox_head().await.unwrap(), events[1].id);
    assert_eq!(*store.watch_events().borrow(), events[1].id);
}

async fn sessions_end_when_idle_or_old_and_with_their_user(store: Arc<SqlStore>) {
    let user = |email: &str| NewUser {
        id: new_id(),
        email: email.into(),
        name: "Someone".into(),
        role: Role::Agent,
        password_hash: "hash".into(),
        team: Some("Support".into()),
        created_at: NOW,
    };
    let ana = store.create_user(user("ana@example.com")).await.unwrap();
    let at = |minutes: i64| Timestamp::from_millis(NOW.as_millis() + minutes * 60_000);
    assert!(store.create_session("ana-1", ana.id, NOW, "hash").await.unwrap());
    // Used every 50 minutes, it lives on, until its day is over.
    for minutes in [50, 100, 150, 200] {
        assert!(store.session_user("ana-1", at(minutes), RULES).await.unwrap().is_some(), "{minutes}");
    }
    assert!(store.session_user("ana-1", at(24 * 60 + 1), RULES).await.unwrap().is_none(), "a day old");
    // Unused for an hour, it has ended.
    assert!(store.create_session("ana-2", ana.id, NOW, "hash").await.unwrap());
    assert!(store.session_user("ana-2", at(61), RULES).await.unwrap().is_none(), "idle");
    assert_eq!(store.delete_expired_sessions(at(24 * 60 + 1), RULES).await.unwrap(), 2);

    // Ending every session but one; disabling ends them all and refuses new use.
    for token in ["a", "b", "c"] {
        assert!(store.create_session(token, ana.id, NOW, "hash").await.unwrap());
    }
    assert_eq!(store.delete_sessions_of(ana.id, Some("c")).await.unwrap(), 2);
    assert!(store.session_user("c", NOW, RULES).await.unwrap().is_some());
    let changes = AccountChanges { name: Some("Ana Lima".into()), disabled: Some(true), role: None };
    let disabled = store.update_account(ana.id, &changes).await.unwrap().unwrap();
    assert_eq!((disabled.name.as_str(), disabled.disabled, disabled.role), ("Ana Lima", true, Role::Agent));
    assert!(store.session_user("c", NOW, RULES).await.unwrap().is_none());
    assert!(
        !store.create_session("d", ana.id, NOW, "hash").await.unwrap(),
        "a disabled user gets no session"
    );
    assert!(store.session_user("d", NOW, RULES).await.unwrap().is_none(), "a disabled user has no session");
    assert!(
        store.roster().await.unwrap().iter().all(|entry| entry.user.id != ana.id),
        "nor a place in routing"
    );
    let enabled =
        store.update_account(ana.id, &AccountChanges { disabled: Some(false), ..Default::default() }).await;
    assert!(!enabled.unwrap().unwrap().disabled);
    assert!(store.create_session("d", ana.id, NOW, "hash").await.unwrap());
    assert!(
        !store.create_session("e", ana.id, NOW, "an older hash").await.unwrap(),
        "a password changed since it was checked opens no session"
    );
    assert!(store.session_user("d", NOW, RULES).await.unwrap().is_some());

    assert!(store.set_password_hash(ana.id, "new hash").await.unwrap());
    assert_eq!(store.user_credentials("ana@example.com").await.unwrap().unwrap().1, "new hash");
    assert!(store.delete_user(ana.id).await.unwrap());
    assert!(store.user(ana.id).await.unwrap().is_none());
    assert!(store.session_user("d", NOW, RULES).await.unwrap().is_none());
    assert!(!store.delete_user(ana.id).await.unwrap());
    assert_eq!(store.update_account(ana.id, &AccountChanges::default()).await.unwrap(), None);
    assert!(!store.set_password_hash(ana.id, "x").await.unwrap());
    let support = store.team_by_name("Support").await.unwrap().unwrap();
    assert!(support.members.is_empty(), "{support:?}");
}

/// An agent named Ana with `email`, no team.
fn new_user(email: &str) -> NewUser {
    NewUser {
        id: new_id(),
        email: email.into(),
        name: "Ana".into(),
        role: Role::Agent,
        password_hash: "hash".into(),
        team: None,
        created_at: NOW,
    }
}

async fn users_sessions_and_status(store: Arc<SqlStore>) {
    let ana = store.create_user(new_user("ana@example.com")).await.unwrap();
    let again = store.create_user(new_user("ana@example.com")).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.count_users().await.unwrap(), 1);
    let (found, hash) = store.user_credentials("ana@example.com").await.unwrap().unwrap();
    assert_eq!((found.id, hash.as_str()), (ana.id, "hash"));
    assert!(store.user_credentials("bob@example.com").await.unwrap().is_none());

    assert!(store.create_session("token-hash", ana.id, NOW, "hash").await.unwrap());
    assert_eq!(store.session_user("token-hash", NOW, RULES).await.unwrap().unwrap().id, ana.id);
    assert!(store.session_user("other", NOW, RULES).await.unwrap().is_none());
    store.delete_session("token-hash").await.unwrap();
    assert!(store.session_user("token-hash", NOW, RULES).await.unwrap().is_none());

    assert!(store.users_with_status(Presence::Online).await.unwrap().is_empty());
    store.set_user_status(ana.id, Presence::Online, NOW).await.unwrap();
    store.set_user_status(ana.id, Presence::Online, NOW).await.unwrap();
    assert_eq!(store.users_with_status(Presence::Online).await.unwrap().len(), 1);
    let changes: Vec<_> = store
        .events_after(0, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind() == EventKind::UserStatusChanged)
        .collect();
    assert_eq!(changes.len(), 1, "an unchanged status writes no event");
    assert_eq!(changes[0].event.data()["status"], "online");
    let missing = store.set_user_status(new_id(), Presence::Away, NOW).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
}

async fn handoffs_list_by_state(store: Arc<SqlStore>) {
    let a = queued_handoff(conversation(&store).await);
    let b = queued_handoff(conversation(&store).await);
    store.save_handoff(change(a.clone(), None)).await.unwrap();
    store.save_handoff(change(b.clone(), None)).await.unwrap();
    let closed = b
        .apply(Command::Close { by: new_id(), as_admin: true, request_feedback: false }, NOW)
        .unwrap()
        .handoff;
    store.save_handoff(change(closed, Some(1))).await.unwrap();
    let ids = |list: Vec<Handoff>| list.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids(store.list_handoffs(Some(HandoffState::Queued), 10).await.unwrap()), vec![a.id]);
    assert_eq!(ids(store.list_handoffs(Some(HandoffState::Closed), 10).await.unwrap()), vec![b.id]);
    assert_eq!(ids(store.list_handoffs(None, 10).await.unwrap()), vec![a.id]);
    assert!(store.list_handoffs(Some(HandoffState::Live), 10).await.unwrap().is_empty());
}

async fn bots_are_edited_and_found_by_api_key(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let bot = store.conversation(conv).await.unwrap().unwrap().bot_id;
    let mut settings = BotSettings::demo();
    settings.greeting = "Moin".into();
    let updated = store.update_bot(bot, "renamed", &settings).await.unwrap().unwrap();
    assert_eq!((updated.name.as_str(), updated.settings.greeting.as_str()), ("renamed", "Moin"));
    assert_eq!(store.bot(bot).await.unwrap().unwrap(), updated);
    assert_eq!(store.update_bot(new_id(), "x", &settings).await.unwrap(), None);
    assert_eq!(store.bots().await.unwrap(), vec![updated.clone()]);

    assert_eq!(store.bot_by_api_key("hash-1").await.unwrap(), None);
    assert!(store.set_bot_api_key(bot, "hash-1").await.unwrap());
    assert_eq!(store.bot_by_api_key("hash-1").await.unwrap().map(|b| b.id), Some(bot));
    assert!(store.set_bot_api_key(bot, "hash-2").await.unwrap(), "a new key replaces the old");
    assert_eq!(store.bot_by_api_key("hash-1").await.unwrap(), None);
    assert!(!store.set_bot_api_key(new_id(), "hash-3").await.unwrap());
}

async fn pending_bot_turns_follow_the_cursor(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let said = |text: &str| message(conv, AuthorKind::Contact, text, None);
    store.append_message(said("one"), OwnerGuard::Anyone).await.unwrap();
    store.append_message(message(conv, AuthorKind::Bot, "answer", None), OwnerGuard::Anyone).await.unwrap();
    store.append_message(said("two"), OwnerGuard::Anyone).await.unwrap();
    let quiet = conversation(&store).await;
    let pending = |store: Arc<SqlStore>| async move {
        let texts =
            store.pending_turns(conv, 10).await.unwrap().into_iter().map(|m| m.text).collect::<Vec<_>>();
        let waiting = store.conversations_with_pending_turns().await.unwrap();
        assert!(!waiting.contains(&quiet), "a conversation with only the bot's greeting waits for nothing");
        assert_eq!(waiting.contains(&conv), !texts.is_empty());
        texts
    };
    assert_eq!(pending(store.clone()).await, vec!["one", "two"], "only the contact's messages");
    let answer = NewMessage { completes_turn: Some(2), ..message(conv, AuthorKind::Bot, "answer", None) };
    store.append_message(answer, OwnerGuard::Anyone).await.unwrap();
    assert_eq!(pending(store.clone()).await, vec!["two"], "an answer completes its turn");
    assert_eq!(store.conversation(conv).await.unwrap().unwrap().bot_seq, 2);
    store.set_bot_seq(conv, 4).await.unwrap();
    store.set_bot_seq(conv, 1).await.unwrap();
    assert!(pending(store.clone()).await.is_empty(), "the cursor never moves back");
}

async fn a_contact_message_awaits_the_bot_only_where_no_person_owns_the_chat(store: Arc<SqlStore>) {
    let conv = conversation(&store).await;
    let said = |text: &str| message(conv, AuthorKind::Contact, text, None);
    let awaits = |appended: Appended| match appended {
        Appended::Created { awaits_bot, .. } => awaits_bot,
        other => panic!("{other:?}"),
    };
    assert!(awaits(store.append_message(said("hello"), OwnerGuard::Anyone).await.unwrap()));
    let bot_reply = message(conv, AuthorKind::Bot, "hi", None);
    assert!(!awaits(store.append_message(bot_reply, OwnerGuard::Anyone).await.unwrap()));
    store.save_handoff(change(queued_handoff(conv), None)).await.unwrap();
    assert!(awaits(store.append_message(said("still there?"), OwnerGuard::Anyone).await.unwrap()));
    assert_eq!(store.conversation(conv).await.unwrap().unwrap().bot_seq, 0, "waiting, the bot judges each");

    let agent = store.create_user(new_user("live@example.com")).await.unwrap();
    let open = store.open_handoff(conv).await.unwrap().unwrap();
    let live =
        HandoffChange { owner: Owner::User { user_id: agent.id }, ..change(open.value, Some(open.version)) };
    store.save_handoff(live).await.unwrap();
    let before = store.conversation(conv).await.unwrap().unwrap();
    assert!(!awaits(store.append_message(said("thanks, Ana"), OwnerGuard::Anyone).await.unwrap()));
    let after = store.conversation(conv).await.unwrap().unwrap();
    assert_eq!(after.bot_seq, before.last_seq + 1, "the cursor moved past it in the append");
    // The turns not yet taken before it are passed too: with a person in the chat, a turn
    // would only find that it has nothing to do.
    assert!(store.pending_turns(conv, 10).await.unwrap().is_empty());
}

async fn appends_at_once_each_keep_their_own_outcome(store: Arc<SqlStore>) {
    let convs = [conversation(&store).await, conversation(&store).await];
    let missing = ConversationId::from_uuid(uuid::Uuid::now_v7());
    let first =
        store.append_message(message(convs[0], AuthorKind::Contact, "first", Some("x")), OwnerGuard::Anyone);
    assert!(matches!(first.await.unwrap(), Appended::Created { .. }));
    store.save_handoff(change(queued_handoff(convs[1]), None)).await.unwrap();
    // Sent together, so on SQLite they share batches: each gets its own answer.
    let sends: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            let (conv, guard, client_id) = match i % 4 {
                0 => (missing, OwnerGuard::Anyone, None),
                1 => (convs[0], OwnerGuard::Anyone, Some("x".to_owned())),
                2 => (convs[1], OwnerGuard::Must(Owner::Bot), None),
                _ => (convs[i % 8 / 4], OwnerGuard::Anyone, Some(format!("m{i}"))),
            };
            tokio::spawn(async move {
                let new = message(conv, AuthorKind::Contact, &format!("m{i}"), client_id.as_deref());
                (i, store.append_message(new, guard).await)
            })
        })
        .collect();
    let mut created = 0;
    for send in sends {
        let (i, outcome) = send.await.unwrap();
        match (i % 4, outcome) {
            (0, Err(StoreError::NotFound)) => {}
            (1, Ok(Appended::Duplicate(m))) => assert_eq!(m.text, "first"),
            (2, Ok(Appended::OwnerMoved)) => {}
            (3, Ok(Appended::Created { .. })) => created += 1,
            (kind, outcome) => panic!("send {i} (kind {kind}): {outcome:?}"),
        }
    }
    assert_eq!(created, 10);
    for conv in convs {
        let seqs: Vec<i64> =
            store.messages_after(conv, 0, true, 100).await.unwrap().iter().map(|m| m.seq).collect();
        assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "gap-free: refused sends took no seq");
        assert_eq!(store.conversation(conv).await.unwrap().unwrap().last_seq, seqs.len() as i64);
    }
    let events = store.events_after(0, 1000).await.unwrap();
    let message_events = events.iter().filter(|e| e.event.kind() == EventKind::MessageCreated).count();
    assert_eq!(message_events, 2 + 11, "one event per stored message (two greetings), none for refused ones");
}

fn timer(kind: &str, subject: &str, due_at: i64) -> Timer {
    Timer {
        kind: kind.into(),
        subject: subject.into(),
        due_at: Timestamp::from_millis(due_at),
        data: serde_json::json!({"n": due_at}),
    }
}

async fn timers_fire_once_and_survive_until_done(store: Arc<SqlStore>) {
    let at = Timestamp::from_millis;
    store.set_timer(&timer("grace", "ana", 100)).await.unwrap();
    store.set_timer(&timer("offer", "h1", 50)).await.unwrap();
    store.set_timer(&timer("grace", "bob", 300)).await.unwrap();
    store.set_timer(&timer("grace", "ana", 200)).await.unwrap(); // moved, not doubled
    assert_eq!(store.next_timer_due().await.unwrap(), Some(at(50)));
    assert!(store.claim_due_timers(at(49), at(1049), 10).await.unwrap().is_empty());

    let due = store.claim_due_timers(at(250), at(1250), 10).await.unwrap();
    let names: Vec<(&str, &str)> = due.iter().map(|t| (t.kind.as_str(), t.subject.as_str())).collect();
    assert_eq!(names, [("offer", "h1"), ("grace", "ana")], "earliest first, each once");
    assert_eq!(due[1].data, serde_json::json!({"n": 200}));
    assert!(store.claim_due_timers(at(260), at(1260), 10).await.unwrap().is_empty(), "leased");

    store.timer_done(&due[0]).await.unwrap();
    store.set_timer(&timer("grace", "ana", 900)).await.unwrap(); // set again while firing
    store.timer_done(&due[1]).await.unwrap();
    // A lease that ran out (the instance died mid-fire) makes a timer due again.
    let again = store.claim_due_timers(at(1300), at(2300), 10).await.unwrap();
    let names: Vec<&str> = again.iter().map(|t| t.subject.as_str()).collect();
    assert_eq!(names, ["bob", "ana"], "bob's lease ran out; ana's timer was set again, not removed");
    assert!(store.cancel_timer("grace", "bob").await.unwrap());
    assert!(!store.cancel_timer("grace", "bob").await.unwrap());

    // Several at once: each set or moved (a leased one made due again), in one transaction.
    store.set_timers(&[timer("grace", "ana", 5000), timer("offer", "h2", 4000)]).await.unwrap();
    store.set_timers(&[]).await.unwrap();
    let due = store.claim_due_timers(at(5000), at(6000), 10).await.unwrap();
    let names: Vec<(&str, i64)> = due.iter().map(|t| (t.subject.as_str(), t.due_at.as_millis())).collect();
    assert_eq!(names, [("h2", 4000), ("ana", 5000)], "ana's leased timer moved, h2's set");
}

async fn baton_sets_away_and_back_only_when_it_may(store: Arc<SqlStore>) {
    let user = store
        .create_user(NewUser {
            id: new_id(),
            email: "sam@example.com".into(),
            name: "Sam".into(),
            role: Role::Agent,
            password_hash: "hash".into(),
            team: None,
            created_at: NOW,
        })
        .await
        .unwrap();
    assert!(store.set_auto_away(user.id, NOW).await.unwrap().is_none(), "an offline user stays offline");
    store.set_user_status(user.id, Presence::Online, NOW).await.unwrap();
    let away = store.set_auto_away(user.id, NOW).await.unwrap().unwrap();
    assert_eq!(away.status, Presence::Away);
    let back = store.return_from_auto_away(user.id, NOW).await.unwrap().unwrap();
    assert_eq!(back.status, Presence::Online);
    assert!(store.return_from_auto_away(user.id, NOW).await.unwrap().is_none(), "only once");

    store.set_auto_away(user.id, NOW).await.unwrap().unwrap();
    store.set_user_status(user.id, Presence::Away, NOW).await.unwrap();
    assert!(store.return_from_auto_away(user.id, NOW).await.unwrap().is_none(), "the user chose away");
    let changes = store.events_after(0, 100).await.unwrap();
    assert_eq!(changes.iter().filter(|e| e.kind() == EventKind::UserStatusChanged).count(), 4);
}

/// Claims `role` until it is free, for at most a few seconds: a closed or dropped connection's
/// advisory locks are freed when the server has ended its session, a moment after the close.
async fn claim_when_free(store: &SqlStore, role: &str) -> baton_store::RoleHold {
    for _ in 0..100 {
        if let Some(hold) = store.claim_role(role).await.unwrap() {
            return hold;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{role} was never freed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
async fn on_postgres_a_role_has_one_holder_until_its_connection_ends() {
    let store = postgres().await.store;
    let mut first = store.claim_role("coordinator").await.unwrap().expect("nobody holds it yet");
    assert!(store.claim_role("coordinator").await.unwrap().is_none(), "held by the first");
    let _other = store.claim_role("another").await.unwrap().expect("roles are independent");
    assert!(first.still_held().await);

    // Given up on purpose, or lost with its connection (as when its process dies).
    first.release().await;
    let second = claim_when_free(&store, "coordinator").await;
    assert!(store.claim_role("coordinator").await.unwrap().is_none(), "held by the second");
    drop(second);
    let mut third = claim_when_free(&store, "coordinator").await;
    assert!(third.still_held().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_the_one_process_holds_every_role() {
    let store = sqlite().await.store;
    let mut first = store.claim_role("coordinator").await.unwrap().expect("held");
    let mut again = store.claim_role("coordinator").await.unwrap().expect("one process holds every role");
    assert!(first.still_held().await && again.still_held().await);
}
