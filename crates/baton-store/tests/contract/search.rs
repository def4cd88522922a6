//! History search: full text over messages and the contact, ids, filters, and the cursor.

use std::sync::Arc;

use baton_core::handoff::{Command, ContactInfo};
use baton_core::ids::{BotId, ConversationId};
use baton_core::message::AuthorKind;
use baton_core::policy::BotSettings;
use baton_core::search::{ConversationSearch, Cursor, SearchText, StateFilter};
use baton_store::*;

use super::{NOW, change, message, new_id, queued_handoff};

/// A conversation with `contact` started at `NOW + at` seconds whose contact said `said`.
async fn chat(store: &SqlStore, bot: BotId, contact: ContactInfo, at: i64, said: &[&str]) -> ConversationId {
    let id = new_id();
    let started = NOW.plus_millis(at * 1000);
    store
        .create_conversation(
            NewConversation {
                id,
                bot_id: bot,
                token_hash: format!("hash-{id}"),
                contact,
                locale: None,
                language: None,
                created_at: started,
                contact_link: None,
                channel: None,
            },
            None,
        )
        .await
        .unwrap();
    for (i, text) in said.iter().enumerate() {
        let mut m = message(id, AuthorKind::Contact, text, None);
        m.created_at = started.plus_millis(i as i64 * 1000);
        store.append_message(m, OwnerGuard::Anyone).await.unwrap();
    }
    id
}

fn search(text: &str) -> ConversationSearch {
    ConversationSearch { text: SearchText::parse(text).unwrap(), limit: 10, ..Default::default() }
}

async fn ids(store: &SqlStore, search: &ConversationSearch) -> Vec<ConversationId> {
    store.search_conversations(search).await.unwrap().into_iter().map(|hit| hit.conversation.id).collect()
}

pub async fn history_is_searched_by_words_ids_and_state(store: Arc<SqlStore>) {
    let bot = new_id();
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
    let ana = ContactInfo { name: Some("Ana Lima".into()), email: Some("ana@example.com".into()) };
    let refund = chat(&store, bot, ana, 0, &["Where is my refund?", "order 4411 never arrived"]).await;
    let invoice = chat(&store, bot, ContactInfo::default(), 10, &["I need an invoice for my refund"]).await;
    let other = chat(&store, bot, ContactInfo::default(), 20, &["hello there"]).await;

    // Most recently active first; every word must be in one message; prefixes match.
    assert_eq!(ids(&store, &search("refund")).await, vec![invoice, refund]);
    assert_eq!(ids(&store, &search("REFU")).await, vec![invoice, refund]);
    assert_eq!(ids(&store, &search("invoice refund")).await, vec![invoice]);
    assert_eq!(ids(&store, &search("invoice arrived")).await, Vec::<ConversationId>::new());
    assert_eq!(ids(&store, &search("")).await, vec![other, invoice, refund]);
    // The contact's name and email are searched too.
    assert_eq!(ids(&store, &search("lima")).await, vec![refund]);
    assert_eq!(ids(&store, &search("ana@example.com")).await, vec![refund]);

    // The newest matching message is the one shown.
    let hits = store.search_conversations(&search("4411")).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched.as_deref(), Some("order 4411 never arrived"));
    assert_eq!(hits[0].last_message_at, NOW.plus_millis(1000));
    let by_name = store.search_conversations(&search("lima")).await.unwrap();
    assert_eq!(by_name[0].matched.as_deref(), Some("Ana Lima ana@example.com"));

    // A handoff's id finds its conversation; closed and open are told apart.
    let handoff = queued_handoff(refund);
    store.save_handoff(change(handoff.clone(), None)).await.unwrap();
    assert_eq!(ids(&store, &search(&handoff.id.to_string())).await, vec![refund]);
    assert_eq!(ids(&store, &search(&other.to_string())).await, vec![other]);
    let with = |state| ConversationSearch { state: Some(state), ..search("") };
    assert_eq!(ids(&store, &with(StateFilter::Open)).await, vec![refund]);
    assert_eq!(
        ids(&store, &with(StateFilter::Handoff(baton_core::handoff::HandoffState::Queued))).await,
        vec![refund]
    );
    assert!(ids(&store, &with(StateFilter::Closed)).await.is_empty());
    assert_eq!(ids(&store, &with(StateFilter::Bot)).await, vec![other, invoice]);
    let closed =
        handoff.apply(Command::Close { by: new_id(), as_admin: true, request_feedback: false }, NOW).unwrap();
    store.save_handoff(change(closed.handoff, Some(1))).await.unwrap();
    assert_eq!(ids(&store, &with(StateFilter::Closed)).await, vec![refund]);
    assert!(ids(&store, &with(StateFilter::Open)).await.is_empty());
    let episodes = store.conversation_handoffs(refund).await.unwrap();
    assert_eq!(episodes.iter().map(|h| h.id).collect::<Vec<_>>(), vec![handoff.id]);
    let hits = store.search_conversations(&search("4411")).await.unwrap();
    assert_eq!(hits[0].handoffs.len(), 1);

    // Dates: active at or after `from`, started before `to`.
    let dated = ConversationSearch {
        from: Some(NOW.plus_millis(5_000)),
        to: Some(NOW.plus_millis(15_000)),
        ..search("")
    };
    assert_eq!(ids(&store, &dated).await, vec![invoice]);

    // The cursor pages through without repeats or gaps.
    let mut page = ConversationSearch { limit: 2, ..search("") };
    let first = store.search_conversations(&page).await.unwrap();
    assert_eq!(first.iter().map(|h| h.conversation.id).collect::<Vec<_>>(), vec![other, invoice]);
    let last = first.last().unwrap();
    page.after = Some(Cursor { at: last.last_message_at, id: last.conversation.id });
    assert_eq!(ids(&store, &page).await, vec![refund]);
}
