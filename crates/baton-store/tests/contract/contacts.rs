use std::sync::Arc;

use baton_core::contact::{Attributes, ContactClaim, ExternalId, VisitorId};
use baton_core::handoff::{Command, ContactInfo};
use baton_core::ids::{BotId, ContactId, ConversationId};
use baton_core::message::AuthorKind;
use baton_core::policy::BotSettings;
use baton_core::search::{ConversationSearch, SearchText};
use baton_core::values::Email;
use baton_store::*;

use super::{NOW, change, message, new_id, queued_handoff};

fn claim(
    visitor: Option<&str>,
    verified: Option<&str>,
    name: Option<&str>,
    email: Option<&str>,
) -> ContactClaim {
    ContactClaim {
        visitor: visitor.map(|v| VisitorId::parse(v).unwrap()),
        verified: verified.map(|v| ExternalId::parse(v).unwrap()),
        name: name.map(String::from),
        email: email.map(|e| Email::parse(e).unwrap()),
        phone: None,
        attributes: Attributes::default(),
    }
}

/// A conversation started `at` seconds after `NOW` with `claim`, whose contact said `said`.
async fn chat(store: &SqlStore, bot: BotId, claim: ContactClaim, at: i64, said: &str) -> Conversation {
    let id = new_id();
    let started = NOW.plus_millis(at * 1000);
    let conversation = store
        .create_conversation(
            NewConversation {
                id,
                bot_id: bot,
                token_hash: format!("hash-{id}"),
                contact: ContactInfo {
                    name: claim.name.clone(),
                    email: claim.email.as_ref().map(|e| e.as_str().into()),
                },
                locale: None,
                language: None,
                created_at: started,
                contact_link: Some(ContactLink { new_id: new_id(), claim }),
                channel: None,
            },
            None,
        )
        .await
        .unwrap();
    let mut m = message(id, AuthorKind::Contact, said, None);
    m.created_at = started;
    store.append_message(m, OwnerGuard::Anyone).await.unwrap();
    conversation
}

fn contact_of(conversation: &Conversation) -> ContactId {
    conversation.contact_id.expect("the conversation has a contact")
}

async fn found(store: &SqlStore, words: &str) -> Vec<ContactId> {
    let text = SearchText::parse(words).unwrap();
    store.search_contacts(&text, None, 10).await.unwrap().into_iter().map(|c| c.id).collect()
}

pub async fn contacts_are_found_by_identity_email_and_visitor_and_erased(store: Arc<SqlStore>) {
    let bot = new_id();
    let settings = BotSettings::default();
    store
        .create_bot(Bot { id: bot, name: "b".into(), is_default: true, settings, created_at: NOW })
        .await
        .unwrap();

    // An anonymous visitor, then the same browser with a name, then an email from another browser.
    let first = chat(&store, bot, claim(Some("visitor-aaaa"), None, None, None), 0, "hello").await;
    let rosa = contact_of(&first);
    let named = chat(
        &store,
        bot,
        claim(Some("visitor-aaaa"), None, Some("Rosa"), Some("rosa@example.com")),
        10,
        "my parcel",
    )
    .await;
    assert_eq!(contact_of(&named), rosa);
    let by_email =
        chat(&store, bot, claim(Some("visitor-bbbb"), None, None, Some("Rosa@Example.COM")), 20, "again")
            .await;
    assert_eq!(contact_of(&by_email), rosa, "emails match whatever their case");
    assert_eq!(by_email.contact.name.as_deref(), Some("Rosa"), "the record names the conversation's contact");
    let new_browser =
        chat(&store, bot, claim(Some("visitor-bbbb"), None, None, None), 30, "still there?").await;
    assert_eq!(contact_of(&new_browser), rosa, "the second browser's visitor id now names Rosa");

    // Logging in on the site: the signed identity adopts the anonymous record.
    let verified =
        chat(&store, bot, claim(None, Some("u-1"), None, Some("rosa@example.com")), 40, "logged in").await;
    assert_eq!(contact_of(&verified), rosa);
    assert_eq!(store.contact(rosa).await.unwrap().unwrap().external_id.as_deref(), Some("u-1"));
    // Someone typing Rosa's email in a fresh browser does not land on the verified record.
    let poser =
        chat(&store, bot, claim(Some("visitor-cccc"), None, Some("Eve"), Some("rosa@example.com")), 50, "hi")
            .await;
    assert_ne!(contact_of(&poser), rosa);
    // Another customer logging in on Rosa's first browser gets a record of their own.
    let other =
        chat(&store, bot, claim(Some("visitor-aaaa"), Some("u-2"), Some("Tom"), None), 60, "me").await;
    let tom = contact_of(&other);
    assert_ne!(tom, rosa);
    let again = chat(&store, bot, claim(Some("visitor-aaaa"), None, None, None), 70, "back").await;
    assert_eq!(contact_of(&again), tom, "the browser now speaks for Tom");

    // Search by name, email or site id; most recently seen first.
    assert_eq!(found(&store, "rosa@example.com").await, vec![contact_of(&poser), rosa]);
    assert_eq!(found(&store, "ROS").await, vec![contact_of(&poser), rosa]);
    assert_eq!(found(&store, "tom").await, vec![tom]);
    assert_eq!(found(&store, &rosa.to_string()).await, vec![rosa]);
    assert_eq!(found(&store, "").await.len(), 3);
    // A contact's conversations, through the history search.
    let search = ConversationSearch { contact: Some(rosa), limit: 10, ..Default::default() };
    let hits = store.search_conversations(&search).await.unwrap();
    let ids: Vec<ConversationId> = hits.iter().map(|hit| hit.conversation.id).collect();
    assert_eq!(ids, vec![verified.id, new_browser.id, by_email.id, named.id, first.id]);
    // The language of their latest conversation.
    store.set_language(verified.id, "pt").await.unwrap();
    assert_eq!(store.contact(rosa).await.unwrap().unwrap().language.as_deref(), Some("pt"));

    // Erasure waits for an open handoff to close, then removes every message and personal detail.
    let mut handoff = queued_handoff(named.id);
    handoff.contact = named.contact.clone();
    handoff.gathered.insert("order".into(), "4411".into());
    store.save_handoff(change(handoff.clone(), None)).await.unwrap();
    assert!(matches!(store.erase_contact(rosa).await, Err(StoreError::Conflict(_))));
    let closed = handoff
        .apply(
            Command::Close { by: new_id(), as_admin: true, request_feedback: false },
            NOW.plus_millis(80_000),
        )
        .unwrap()
        .handoff;
    store.save_handoff(change(closed, Some(1))).await.unwrap();
    let erased = store.erase_contact(rosa).await.unwrap().unwrap();
    assert_eq!(
        erased,
        ContactErased { conversations: 5, messages: 5, handoffs: 1, attachment_paths: vec![] }
    );
    assert_eq!(store.contact(rosa).await.unwrap(), None);
    assert!(found(&store, "rosa").await.iter().all(|id| *id != rosa));
    let parcel =
        ConversationSearch { text: SearchText::parse("parcel").unwrap(), limit: 10, ..Default::default() };
    assert!(
        store.search_conversations(&parcel).await.unwrap().is_empty(),
        "the words are gone from the index"
    );
    let named_now = store.conversation(named.id).await.unwrap().unwrap();
    assert_eq!((named_now.contact, named_now.contact_id), (ContactInfo::default(), None));
    assert!(store.messages_after(named.id, 0, true, 100).await.unwrap().is_empty());
    let kept = store.conversation_handoffs(named.id).await.unwrap();
    assert_eq!(kept.len(), 1, "the handoff stays, for the counts");
    assert_eq!((kept[0].contact.clone(), kept[0].gathered.len()), (ContactInfo::default(), 0));
    // Other contacts are untouched; erasing twice finds nothing.
    assert_eq!(store.messages_after(poser.id, 0, true, 100).await.unwrap().len(), 1);
    assert_eq!(store.erase_contact(rosa).await.unwrap(), None);
}
