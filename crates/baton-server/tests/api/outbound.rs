//! Outgoing calls stay out of the server's own network unless allowed.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::ai_backends::create_bot;
use crate::external_bot::{ExternalBot, SECRET};
use crate::helpers::TestApp;

crate::on_both_backends!(settings = |settings| settings.outbound.allow_private_addresses = false;
    webhooks_to_private_addresses_are_never_called,
);

/// With `outbound.allow_private_addresses` off (the default), a bot whose webhook points into
/// the server's own network is never called, however the address is written; the contact is
/// handed to a human as for any unreachable bot. A redacted secret does not follow a new URL.
async fn webhooks_to_private_addresses_are_never_called(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (external, url) = ExternalBot::start().await;
    let port = url.trim_start_matches("http://127.0.0.1:").trim_end_matches("/hook").to_owned();
    for written in
        [url.clone(), format!("http://2130706433:{port}/hook"), format!("http://localhost:{port}/hook")]
    {
        let settings = json!({"backend": {"kind": "webhook", "url": written, "secret": SECRET},
            "policy": {"availability_check": false, "ai_failure": {"retries": 0, "fallback": "hand_off"}}});
        let bot = create_bot(&app, &admin.token, settings).await;
        let contact = app.conversation_with(&bot).await;
        app.say(&contact, "hello").await;
        app.bot_idle(contact.id).await;
        let handoff = &app.conversation(&contact).await["handoff"];
        assert_eq!(handoff["trigger"], "bot_failure", "{written}: {handoff}");
        let reason = handoff["reason"].as_str().unwrap();
        assert!(reason.contains("unreachable"), "{written}: {reason}");
    }
    assert!(external.deliveries().is_empty(), "nothing reached the bot: {:?}", external.deliveries());

    // A stored secret is sent only where it was meant to go.
    let settings =
        json!({"backend": {"kind": "webhook", "url": "https://bot.example/hook", "secret": SECRET}});
    let bot = create_bot(&app, &admin.token, settings).await;
    let (_, read) = app.get(&format!("/v1/bots/{bot}"), Some(&admin.token)).await;
    let mut moved = read["settings"].clone();
    assert_eq!(moved["backend"]["secret"], "********");
    moved["backend"]["url"] = json!("https://elsewhere.example/hook");
    let (status, problem) = app
        .request(
            reqwest::Method::PUT,
            &format!("/v1/bots/{bot}"),
            Some(&admin.token),
            Some(json!({"name": "moved", "settings": moved})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("secret"), "{problem}");
    app.shutdown().await;
}
