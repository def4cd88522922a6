//! Notification preferences and the log of mails sent.

use std::sync::Arc;

use baton_core::notification::NotificationPrefs;
use baton_store::*;

use super::{NOW, new_id, new_user};

pub async fn notification_prefs_and_the_mail_log(store: Arc<SqlStore>) {
    let ana = store.create_user(new_user("ana@example.com")).await.unwrap();
    let bob = store.create_user(new_user("bob@example.com")).await.unwrap();
    assert_eq!(store.notification_prefs(ana.id).await.unwrap(), Some(NotificationPrefs::default()));
    assert_eq!(store.notification_prefs(new_id()).await.unwrap(), None);

    let chosen = NotificationPrefs { email: false, email_after_seconds: 900, language: Some("pt".into()) };
    assert!(store.set_notification_prefs(ana.id, &chosen).await.unwrap());
    assert!(!store.set_notification_prefs(new_id(), &chosen).await.unwrap(), "no such user");
    assert_eq!(store.notification_prefs(ana.id).await.unwrap(), Some(chosen.clone()));
    let all = store.notification_prefs_of_all().await.unwrap();
    assert_eq!((all.len(), &all[&ana.id], &all[&bob.id]), (2, &chosen, &NotificationPrefs::default()));

    // One mail about two things: both logged, for that recipient and kind only.
    assert!(!store.email_sent("ana@example.com", "waiting", "h1").await.unwrap());
    let about = ["h1".to_owned(), "h2".to_owned()];
    store.record_email("ana@example.com", "waiting", &about, NOW).await.unwrap();
    for (to, kind, subject, sent) in [
        ("ana@example.com", "waiting", "h1", true),
        ("ana@example.com", "waiting", "h2", true),
        ("ana@example.com", "offered", "h1", false),
        ("bob@example.com", "waiting", "h1", false),
    ] {
        assert_eq!(store.email_sent(to, kind, subject).await.unwrap(), sent, "{to} {kind} {subject}");
    }
    // Logging again (a consumer that saw its event twice) is harmless.
    store.record_email("ana@example.com", "waiting", &about[..1], NOW).await.unwrap();
    assert!(store.email_sent("ana@example.com", "waiting", "h1").await.unwrap());

    // Old mail is forgotten, newer kept.
    let later = NOW.plus_millis(60_000);
    store.record_email("bob@example.com", "ticket", &["h3".to_owned()], later).await.unwrap();
    assert_eq!(store.prune_email_log(later).await.unwrap(), 2);
    assert!(!store.email_sent("ana@example.com", "waiting", "h1").await.unwrap());
    assert!(store.email_sent("bob@example.com", "ticket", "h3").await.unwrap());
}
