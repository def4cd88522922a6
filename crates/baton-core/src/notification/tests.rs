use super::*;
use crate::handoff::{ContactInfo, Evidence, Lead, Priority, Request, Trigger};
use crate::ids::{ConversationId, HandoffId};
use crate::time::Timestamp;
use crate::values::Email;

const NOW: Timestamp = Timestamp::from_millis(1_000_000);

fn handoff(name: Option<&str>, n: u8) -> Handoff {
    let request = Request {
        id: HandoffId::new_v7(NOW, [n; 10]),
        conversation_id: ConversationId::new_v7(NOW, [n + 1; 10]),
        trigger: Trigger::ExplicitRequest,
        reason: "asked for a <human>".into(),
        language: Some("en".into()),
        priority: Priority::Normal,
        contact: ContactInfo { name: name.map(str::to_owned), email: None },
        evidence: Evidence::default(),
        gathered: Default::default(),
        ask: None,
        humans_available: true,
    };
    Handoff::request(request, NOW).handoff
}

#[test]
fn one_waiting_chat_names_the_contact_and_links_to_it() {
    let one = handoff(Some("Ana"), 1);
    let mail = Composer::new(Some("en"), "https://support.example/").waiting(&[&one]);
    assert_eq!(mail.subject, "Ana is waiting for a reply");
    let link = format!("https://support.example/inbox#c={}", one.conversation_id);
    assert!(mail.text.contains(&link), "{}", mail.text);
    assert!(mail.html.contains(&format!("href=\"{link}\"")), "{}", mail.html);
    // The reason is the contact's words: escaped in HTML, as is in text.
    assert!(mail.html.contains("asked for a &lt;human&gt;") && !mail.html.contains("<human>"));
    assert!(mail.text.contains("asked for a <human>"));
}

#[test]
fn several_waiting_chats_are_one_digest_with_a_link_each() {
    let (a, b, c) = (handoff(Some("Ana"), 1), handoff(None, 3), handoff(Some("  "), 5));
    let mail = Composer::new(None, "http://127.0.0.1:8080").waiting(&[&a, &b, &c]);
    assert_eq!(mail.subject, "3 customers are waiting for a reply");
    for handoff in [&a, &b, &c] {
        assert!(mail.text.contains(&handoff.conversation_id.to_string()));
    }
    assert_eq!(mail.text.matches("A visitor:").count(), 2, "{}", mail.text);
}

#[test]
fn mails_speak_the_readers_language_and_fall_back_to_english() {
    let one = handoff(Some("Ana"), 1);
    let german = Composer::new(Some("de"), "http://x").assigned(&one, true);
    assert_eq!(german.subject, "Ein Chat mit Ana wurde an dich übergeben");
    let spanish = Composer::new(Some("es"), "http://x").assigned(&one, false);
    assert_eq!(spanish.subject, "Se te ofrece una conversación con Ana");
    let unknown = Composer::new(Some("xx"), "http://x").assigned(&one, false);
    assert_eq!(unknown.subject, "A chat with Ana is offered to you");
}

#[test]
fn every_language_fills_every_placeholder() {
    let mut ticket = handoff(None, 1);
    ticket.lead = Some(Lead {
        email: Email::parse("ana@example.com").unwrap(),
        name: None,
        message: Some("Where is my order?".into()),
    });
    for language in crate::catalog::LANGUAGES {
        let composer = Composer::new(Some(language), "http://x");
        let mails = [
            composer.waiting(&[&ticket]),
            composer.waiting(&[&ticket, &ticket]),
            composer.assigned(&ticket, false),
            composer.assigned(&ticket, true),
            composer.ticket(&ticket),
            composer.escalation(&ticket, "Bea", 300),
            composer.unclaimed(&ticket, 300),
            composer.test(),
            composer.ticket_reply(Some("Bea"), "It ships today.", Some("Where is my order?")),
        ];
        for mail in mails {
            for part in [&mail.subject, &mail.text, &mail.html] {
                assert!(!part.contains('{') && !part.contains('}'), "{language}: {part}");
            }
        }
        let escalation = composer.escalation(&ticket, "Bea", 300);
        assert!(escalation.subject.contains("Bea") && escalation.text.contains('5'), "{language}");
        assert!(composer.ticket(&ticket).text.contains("ana@example.com"), "{language}");
        assert!(!composer.ticket(&ticket).text.contains("ana@example.com <ana@example.com>"), "{language}");
        if language != "en" {
            assert_ne!(
                composer.ticket(&ticket).subject,
                Composer::new(Some("en"), "http://x").ticket(&ticket).subject
            );
        }
    }
}

#[test]
fn a_ticket_reply_carries_the_answer_and_the_request_without_settings_footer() {
    let mail =
        Composer::new(Some("en"), "http://x").ticket_reply(None, "It ships today.", Some("Where is it?"));
    assert_eq!(mail.subject, "Re: your request");
    assert!(mail.text.starts_with("It ships today.\n\n— Our team"), "{}", mail.text);
    assert!(mail.text.contains("Your request: Where is it?"));
    assert!(!mail.text.contains("notification settings"));
}

#[test]
fn preferences_bound_the_delay() {
    assert!(NotificationPrefs::default().validate().is_ok());
    let late = NotificationPrefs { email_after_seconds: 86_401, ..NotificationPrefs::default() };
    assert!(late.validate().is_err());
    for language in ["english", "EN", "e1", ""] {
        let odd = NotificationPrefs { language: Some(language.into()), ..NotificationPrefs::default() };
        assert!(odd.validate().is_err(), "{language}");
    }
    assert!(
        NotificationPrefs { language: Some("pt".into()), ..NotificationPrefs::default() }.validate().is_ok()
    );
}

#[test]
fn mails_are_in_the_chosen_language_else_the_only_one_spoken_else_english() {
    let mut user = crate::user::User {
        id: crate::ids::UserId::new_v7(NOW, [9; 10]),
        email: "ana@example.com".into(),
        name: "Ana".into(),
        role: crate::user::Role::Agent,
        status: crate::user::Presence::Offline,
        teams: Vec::new(),
        languages: vec!["es".into()],
        capacity: None,
        disabled: false,
        created_at: NOW,
    };
    let default = NotificationPrefs::default();
    assert_eq!(default.language_for(&user), Some("es"));
    user.languages.push("en".into());
    assert_eq!(default.language_for(&user), None);
    let chosen = NotificationPrefs { language: Some("fr".into()), ..NotificationPrefs::default() };
    assert_eq!(chosen.language_for(&user), Some("fr"));
}
