//! The copilot: a reply drafted by the bot's LLM (a local fake following OpenAI's shapes) for
//! the agent to edit and send; never sent by itself, and absent without an LLM.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::fake_openai::{self, FakeOpenAi};
use crate::helpers::TestApp;
use crate::routing::act;

crate::on_both_backends!(an_agent_gets_a_draft_in_the_contacts_language_and_nothing_is_sent);

async fn an_agent_gets_a_draft_in_the_contacts_language_and_nothing_is_sent(app: TestApp) {
    let (fake, base) = FakeOpenAi::start().await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    let settings = json!({
        "faq": [{"keywords": ["shipping"], "answer": "Shipping takes 3 days."}],
        "backend": {"kind": "openai", "base_url": base, "model": "gpt-test", "api_key": fake_openai::API_KEY,
            "instructions": "You are Acme's assistant.", "stream": false, "timeout_ms": 1500},
        "policy": {"gather": [{"key": "order", "label": "order number", "kind": "number", "required": false}]},
    });
    let bot = crate::ai_backends::create_bot(&app, &admin.token, settings).await;
    let contact = app.open_conversation(json!({"bot_id": bot, "locale": "de-DE"})).await;
    let handoff = app.ask_for_human(&contact).await;
    let (status, _) = act(&app, &ana, handoff["id"].as_str().unwrap(), "claim").await;
    assert_eq!(status, StatusCode::OK);
    app.say(&contact, "Meine Bestellung 48213 ist nicht angekommen").await;
    let (_, view) = app.get(&format!("/v1/conversations/{}", contact.id), Some(&ana.token)).await;
    assert_eq!(view["copilot"], true, "{view}");

    let before = app.messages(contact.id, &contact.token).await.len();
    let asked_before = fake.requests().len();
    let path = format!("/v1/conversations/{}/draft", contact.id);
    let (status, draft) = app.post(&path, Some(&ana.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(draft["text"], "Echo: Meine Bestellung 48213 ist nicht angekommen");
    assert_eq!(app.messages(contact.id, &contact.token).await.len(), before, "nothing is sent");
    let requests = fake.requests();
    assert_eq!(requests.len(), asked_before + 1);
    let system = requests.last().unwrap()["messages"][0]["content"].as_str().unwrap().to_owned();
    assert!(system.starts_with("You are Acme's assistant."), "{system}");
    assert!(system.contains("Always answer in German"), "{system}");
    assert!(system.contains("Shipping takes 3 days."), "{system}");
    assert!(system.contains("human support agent"), "{system}");
    assert!(requests.last().unwrap().get("tools").is_none(), "a draft never hands off");

    // Without an LLM there is no copilot.
    let plain = app.open_conversation(json!({"contact": {"name": "Dan"}})).await;
    let handoff = app.ask_for_human(&plain).await;
    act(&app, &ana, handoff["id"].as_str().unwrap(), "claim").await;
    let (_, view) = app.get(&format!("/v1/conversations/{}", plain.id), Some(&ana.token)).await;
    assert_eq!(view["copilot"], false);
    let (status, problem) =
        app.post(&format!("/v1/conversations/{}/draft", plain.id), Some(&ana.token), json!({})).await;
    assert_eq!((status, problem["code"].as_str()), (StatusCode::CONFLICT, Some("no_llm")), "{problem}");
    // Only the team asks for drafts.
    let (status, _) = app.post(&path, Some(&contact.token), json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}
