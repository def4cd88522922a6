//! Information to gather before a handoff is routed.

use baton_core::gathering::{Field, FieldKind};
use baton_core::policy::{BotSettings, Topic};

use crate::helpers::{Contact, TestApp};

crate::on_both_backends!(
    details_are_taken_asked_and_validated,
    every_required_field_is_asked_in_order_and_a_repeated_request_routes_at_once,
);

/// A bot that needs the contact's email and order number, and hands refunds to people.
async fn bot_that_gathers(app: &TestApp) -> String {
    let mut settings = BotSettings::demo();
    settings.policy.topics =
        vec![Topic { name: "refund".into(), phrases: vec!["refund".into()], examples: vec![] }];
    let field = |key: &str, label: &str, kind| Field {
        key: key.into(),
        label: label.into(),
        kind,
        required: true,
        options: vec![],
    };
    settings.policy.priority_by_topic.insert("refund".into(), baton_core::handoff::Priority::Urgent);
    settings.policy.gather = vec![
        field("order", "order number", FieldKind::Number),
        field("email", "email address", FieldKind::Email),
    ];
    app.add_bot("gatherer", settings).await
}

async fn last_bot_line(app: &TestApp, contact: &Contact) -> String {
    app.bot_idle(contact.id).await;
    let messages = app.messages(contact.id, &contact.token).await;
    messages.iter().rev().find(|m| m["author"]["kind"] == "bot").unwrap()["text"].as_str().unwrap().to_owned()
}

async fn details_are_taken_asked_and_validated(app: TestApp) {
    let bot = bot_that_gathers(&app).await;
    let contact = app.conversation_with(&bot).await;
    app.say(&contact, "I need a refund for order 48213").await;
    assert!(
        last_bot_line(&app, &contact).await.contains("email address"),
        "the order number was already given"
    );
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "gathering");
    assert_eq!(conversation["handoff"]["gathered"]["order"], "48213");
    assert_eq!(conversation["handoff"]["asking"], "email");
    assert_eq!(conversation["handoff"]["priority"], "urgent", "the policy's floor for refunds");

    app.say(&contact, "ana.example.com").await;
    let again = last_bot_line(&app, &contact).await;
    assert!(again.contains("must contain @") && again.contains("email address"), "{again}");
    assert_eq!(app.conversation(&contact).await["state"], "gathering");

    app.say(&contact, "ana@example.com").await;
    app.bot_idle(contact.id).await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "offline", "nobody is online: {conversation}");
    assert_eq!(conversation["handoff"]["gathered"]["email"], "ana@example.com");
    assert_eq!(conversation["handoff"]["trigger"], "forbidden_topic");
    assert!(conversation["handoff"]["asking"].is_null());
    app.shutdown().await;
}

async fn every_required_field_is_asked_in_order_and_a_repeated_request_routes_at_once(app: TestApp) {
    let bot = bot_that_gathers(&app).await;
    let agent = app.online_agent("ana@example.com").await;

    // Both fields, in order, each value taken from the sentence it came in.
    let contact = app.conversation_with(&bot).await;
    app.say(&contact, "I want to talk to a human").await;
    assert!(last_bot_line(&app, &contact).await.contains("order number"));
    app.say(&contact, "it is 4417").await;
    assert!(last_bot_line(&app, &contact).await.contains("email address"), "the second field is asked too");
    app.say(&contact, "sure, it's ana.lima@example.com thanks").await;
    app.bot_idle(contact.id).await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "queued", "{conversation}");
    assert_eq!(conversation["handoff"]["gathered"]["order"], "4417");
    assert_eq!(conversation["handoff"]["gathered"]["email"], "ana.lima@example.com");

    // Asking for a human again instead of answering routes it with what is known.
    let contact = app.conversation_with(&bot).await;
    app.say(&contact, "I want to talk to a human").await;
    assert!(last_bot_line(&app, &contact).await.contains("order number"));
    app.say(&contact, "I don't have it, I want to talk to a human now").await;
    app.bot_idle(contact.id).await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "queued", "routed with what is known: {conversation}");
    assert!(conversation["handoff"]["gathered"].as_object().unwrap().is_empty());
    let (_, queue) = app.get("/v1/handoffs?state=queued", Some(&agent.token)).await;
    assert_eq!(queue["handoffs"].as_array().unwrap().len(), 2);
    app.shutdown().await;
}
