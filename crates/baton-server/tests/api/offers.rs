//! A bot's offer of a person, accepted: the bot (an LLM behind a local fake following OpenAI's
//! shapes) offers to connect the contact with an advisor, and a short "yes please" hands the
//! conversation off as an explicit request, with the offer in the reason; "no thanks" does not.

use baton_core::user::Role;
use serde_json::{Value, json};

use crate::fake_openai::{self, FakeOpenAi};
use crate::helpers::{Contact, TestApp};

crate::on_both_backends!(accepting_the_bots_offer_hands_off_and_declining_it_does_not);

async fn said(app: &TestApp, contact: &Contact, text: &str) -> Value {
    app.say(contact, text).await;
    app.bot_idle(contact.id).await;
    app.conversation(contact).await
}

async fn accepting_the_bots_offer_hands_off_and_declining_it_does_not(app: TestApp) {
    let (_fake, base) = FakeOpenAi::start().await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let settings = json!({
        "backend": {"kind": "openai", "base_url": base, "model": "gpt-bot", "api_key": fake_openai::API_KEY,
            "instructions": "You are Acme's assistant.", "stream": false, "timeout_ms": 1500},
    });
    let bot = crate::ai_backends::create_bot(&app, &admin.token, settings).await;

    let accepting = app.open_conversation(json!({"bot_id": bot})).await;
    let conversation = said(&app, &accepting, "my lamp arrived damaged").await;
    assert_eq!(conversation["state"], "bot", "the complaint alone is no request: {conversation}");
    let messages = app.messages(accepting.id, &accepting.token).await;
    assert_eq!(messages.last().unwrap()["text"], fake_openai::OFFER, "{messages:?}");
    let conversation = said(&app, &accepting, "yes please").await;
    let handoff = &conversation["handoff"];
    assert_eq!(handoff["trigger"], "explicit_request", "{conversation}");
    assert_eq!(
        handoff["reason"], "explicit request: accepted the offer 'connect you with a claims advisor' (en)",
        "{conversation}"
    );

    let declining = app.open_conversation(json!({"bot_id": bot})).await;
    said(&app, &declining, "my lamp arrived damaged").await;
    let conversation = said(&app, &declining, "no thanks, I'll send photos later").await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    assert!(conversation["handoff"].is_null(), "{conversation}");
    app.shutdown().await;
}
