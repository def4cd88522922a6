//! Channels in Chromium: the console's Channels page adds WhatsApp, SMS, phone and Slack channels (the
//! server's problems next to their fields, secrets never shown again, WhatsApp's approved
//! templates), and the inbox shows a WhatsApp chat's channel and number, says so when
//! WhatsApp's 24-hour window has closed, and then sends an approved template instead.

use std::time::Duration;

use baton_core::user::Role;
use baton_server::state::{Clock, SystemClock};
use reqwest::{Method, StatusCode};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::browser::{Chromedriver, chromedriver_path, click, find, find_text, screenshot, type_into, user};
use crate::fake_graph::{self, FakeGraph, PHONE_NUMBER_ID};
use crate::helpers::{Backend, PATIENCE, TestApp};
use crate::whatsapp::{CUSTOMER, customer_says, deliveries};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn an_admin_adds_whatsapp_and_the_inbox_shows_its_window_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let browser = driver.browser().await;
    let result = run(&app, &browser).await;
    let _ = browser.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run(app: &TestApp, browser: &WebDriver) -> WebDriverResult<()> {
    let (_, token) = user(app, "boss@example.com", "admin password", Role::Admin).await;
    let online =
        app.request(Method::PUT, "/v1/me/status", Some(&token), Some(json!({"status": "online"}))).await;
    assert_eq!(online.0, StatusCode::OK, "{}", online.1);
    let (graph, graph_url) = FakeGraph::start().await;
    browser.goto(format!("{}/admin", app.base)).await?;
    type_into(browser, By::Id("login-email"), "boss@example.com").await;
    type_into(browser, By::Id("login-password"), "admin password").await;
    click(browser, By::Id("login-submit")).await;
    click(browser, By::Css(".nav-link[data-page='channels']")).await;
    find_text(browser, By::Id("channel-empty"), "No channels yet").await;

    // Without an access token: the reason shows under that field, and nothing is made.
    click(browser, By::Id("channel-add")).await;
    type_into(browser, By::Id("channel-name"), "WhatsApp support").await;
    type_into(browser, By::Id("channel-phone-number-id"), PHONE_NUMBER_ID).await;
    type_into(browser, By::Id("channel-app-secret"), fake_graph::APP_SECRET).await;
    type_into(browser, By::Id("channel-verify-token"), fake_graph::VERIFY_TOKEN).await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-access-token-error"), "required").await;
    let invalid = find(browser, By::Id("channel-access-token")).await.attr("aria-invalid").await?;
    assert_eq!(invalid.as_deref(), Some("true"));
    assert_eq!(app.get("/v1/channels", Some(&token)).await.1, json!([]));

    type_into(browser, By::Id("channel-access-token"), fake_graph::ACCESS_TOKEN).await;
    click(browser, By::Css("#channel-form details summary")).await;
    let graph_field = find(browser, By::Id("channel-graph-url")).await;
    graph_field.clear().await?;
    graph_field.send_keys(&graph_url).await?;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "WhatsApp support").await;
    let (_, channels) = app.get("/v1/channels", Some(&token)).await;
    let channel = channels[0].clone();
    assert_eq!(channel["kind"], "whatsapp");
    find_text(browser, By::Id("channel-rows"), channel["webhook_url"].as_str().unwrap()).await;
    assert_eq!(channel["settings"]["access_token"], "********", "{channel}");
    screenshot(browser, "admin-channels").await;

    // Edited with the secrets left empty: they stay, and the channel still takes messages.
    click(browser, By::Css("#channel-rows button[data-action='edit']")).await;
    let name = find(browser, By::Id("channel-name")).await;
    name.clear().await?;
    name.send_keys("WhatsApp EU").await?;
    // Its approved templates, one per line; a name WhatsApp would not have is refused there.
    type_into(browser, By::Id("channel-templates"), "Order Update en_US: Hi {{1}}").await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-templates-error"), "lowercase letters").await;
    let templates = find(browser, By::Id("channel-templates")).await;
    templates.clear().await?;
    templates
        .send_keys("order_update en_US: Hi {{1}}, there is news about your order {{2}}.\n  Reply to continue.\nwelcome_back de: Hallo! Wir sind wieder da.")
        .await?;
    screenshot(browser, "admin-channel-whatsapp-templates").await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "WhatsApp EU").await;
    find_text(browser, By::Id("channel-rows"), "2 templates").await;
    let (_, channels) = app.get("/v1/channels", Some(&token)).await;
    assert_eq!(
        channels[0]["settings"]["templates"],
        json!([
            {"name": "order_update", "language": "en_US",
             "body": "Hi {{1}}, there is news about your order {{2}}.\nReply to continue."},
            {"name": "welcome_back", "language": "de", "body": "Hallo! Wir sind wieder da."},
        ])
    );
    graph.approve(
        "order_update",
        "en_US",
        "Hi {{1}}, there is news about your order {{2}}.\nReply to continue.",
    );

    // SMS through Twilio, from the same page: only its own fields show.
    click(browser, By::Id("channel-add-sms")).await;
    find(browser, By::Id("channel-account-sid")).await;
    assert!(!browser.find(By::Id("channel-phone-number-id")).await?.is_displayed().await?);
    type_into(browser, By::Id("channel-account-sid"), crate::fake_twilio::ACCOUNT_SID).await;
    type_into(browser, By::Id("channel-auth-token"), crate::fake_twilio::AUTH_TOKEN).await;
    type_into(browser, By::Id("channel-from"), "4155550100").await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-from-error"), "E.164").await;
    let from = find(browser, By::Id("channel-from")).await;
    from.clear().await?;
    from.send_keys(crate::fake_twilio::FROM).await?;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "SMS (Twilio) · from +14155550100").await;

    // The team's Slack channel: a bot token that is not one is refused next to its field.
    click(browser, By::Id("channel-add-slack")).await;
    type_into(browser, By::Id("channel-slack-channel"), crate::fake_slack::CHANNEL).await;
    type_into(browser, By::Id("channel-bot-token"), "xoxp-a-user-token").await;
    type_into(browser, By::Id("channel-signing-secret"), crate::fake_slack::SIGNING_SECRET).await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-bot-token-error"), "xoxb").await;
    let token_field = find(browser, By::Id("channel-bot-token")).await;
    token_field.clear().await?;
    token_field.send_keys(crate::fake_slack::BOT_TOKEN).await?;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "Slack · channel C0TEAM").await;

    // A phone line: forwarded to the team's number, with Baton's own words for callers.
    click(browser, By::Id("channel-add-voice")).await;
    type_into(browser, By::Id("channel-account-sid"), crate::fake_twilio::ACCOUNT_SID).await;
    type_into(browser, By::Id("channel-auth-token"), crate::fake_twilio::AUTH_TOKEN).await;
    type_into(browser, By::Id("channel-forward-to"), "+4930123456").await;
    screenshot(browser, "admin-channel-phone-form").await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "Phone (Twilio Voice) · forwarded to +4930123456").await;
    screenshot(browser, "admin-channels-sms").await;

    // Freshchat, added switched off (this bot's handoffs stay in the inbox below): a key that
    // is not one is refused next to its field, and the fallback is chosen from a list.
    click(browser, By::Id("channel-add-freshchat")).await;
    assert!(!browser.find(By::Id("channel-account-sid")).await?.is_displayed().await?);
    type_into(browser, By::Id("channel-freshchat-api-url"), "https://acme.freshchat.com/v2").await;
    type_into(browser, By::Id("channel-api-token"), crate::fake_freshchat::API_TOKEN).await;
    type_into(browser, By::Id("channel-freshchat-channel"), crate::fake_freshchat::CHANNEL_ID).await;
    type_into(browser, By::Id("channel-public-key"), "not a key").await;
    find(browser, By::Css("#channel-on-failure option[value='offline']")).await.click().await?;
    click(browser, By::Id("channel-enabled")).await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-public-key-error"), "PEM").await;
    let key = find(browser, By::Id("channel-public-key")).await;
    key.clear().await?;
    key.send_keys(crate::fake_freshchat::SigningKey::new().public_pem).await?;
    screenshot(browser, "admin-channel-freshchat-form").await;
    click(browser, By::Id("channel-save")).await;
    find_text(browser, By::Id("channel-rows"), "Freshchat · handoffs go to Freshchat · then a ticket").await;
    let (_, channels) = app.get("/v1/channels", Some(&token)).await;
    let freshchat = channels.as_array().unwrap().iter().find(|c| c["kind"] == "freshchat").unwrap();
    assert_eq!(
        (&freshchat["enabled"], &freshchat["settings"]["on_failure"], &freshchat["settings"]["api_token"]),
        (&json!(false), &json!("offline"), &json!("********")),
        "{freshchat}"
    );

    // A customer who wrote 25 hours ago and asked for a person.
    let now = SystemClock.now();
    app.clock.set(now.plus_millis(-25 * 3_600_000));
    customer_says(app, &channel, "wamid.IN1", "I want to talk to a person").await;
    graph.until("the queue message", |sent| !sent.is_empty()).await;
    let conversation =
        deliveries(app, &token, &channel).await[0]["conversation_id"].as_str().unwrap().to_owned();
    app.clock.set(SystemClock.now());

    browser.goto(format!("{}/inbox#c={conversation}", app.base)).await?;
    find_text(browser, By::Id("chat-meta"), &format!("WhatsApp · +{CUSTOMER}")).await;
    find_text(browser, By::Id("composer-hint"), "24-hour window has closed").await;
    assert!(!find(browser, By::Id("chat-input")).await.is_enabled().await?);
    screenshot(browser, "inbox-whatsapp-window-closed").await;

    // Claimed, the chat takes only an approved template: picked, filled in, previewed, sent.
    click(browser, By::Id("claim-chat")).await;
    find_text(browser, By::Id("composer-hint"), "Send an approved template below").await;
    find_text(browser, By::Id("template-panel"), "Send an approved template").await;
    assert!(!find(browser, By::Id("template-send")).await.is_enabled().await?, "the values are missing");
    type_into(browser, By::Id("template-var-1"), "Rosa").await;
    type_into(browser, By::Id("template-var-2"), "#1042").await;
    let filled = "Hi Rosa, there is news about your order #1042.\nReply to continue.";
    let preview = find(browser, By::Id("template-preview")).await.text().await?;
    assert_eq!(preview, filled);
    screenshot(browser, "inbox-whatsapp-template").await;
    click(browser, By::Id("template-send")).await;
    let sent = graph.until("the template", |sent| sent.iter().any(|m| m.template.is_some())).await;
    assert_eq!(sent.iter().find(|m| m.template.is_some()).unwrap().text, filled);
    find_text(browser, By::Id("messages"), "there is news about your order #1042").await;

    // Another chat, from the widget: its text box is back and no template shows there.
    let web = app.start_conversation().await;
    let takeover = app.post(&format!("/v1/conversations/{}/takeover", web.id), Some(&token), json!({})).await;
    assert_eq!(takeover.0, StatusCode::OK, "{}", takeover.1);
    click(browser, By::Css(format!("[data-conversation-id='{}']", web.id))).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !browser.find(By::Id("chat-input")).await?.is_displayed().await? {
        assert!(tokio::time::Instant::now() < deadline, "the text box stays hidden in a web chat");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!browser.find(By::Id("template-panel")).await?.is_displayed().await?);
    click(browser, By::Css(format!("[data-conversation-id='{conversation}']"))).await;
    find_text(browser, By::Id("template-panel"), "Send an approved template").await;

    // The customer writes again: the window opens, and the chat can be answered freely.
    customer_says(app, &channel, "wamid.IN2", "Hello? Still there?").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let input = browser.find(By::Id("chat-input")).await?;
    while !(input.is_enabled().await? && input.is_displayed().await?) {
        assert!(tokio::time::Instant::now() < deadline, "the composer stays closed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!browser.find(By::Id("template-panel")).await?.is_displayed().await?);
    find_text(browser, By::Id("chat-meta"), "Open for 23 h more").await;
    type_into(browser, By::Id("chat-input"), "Hi, sorry for the wait!").await;
    click(browser, By::Id("chat-send")).await;
    graph.until("the reply", |sent| sent.iter().any(|m| m.text == "Hi, sorry for the wait!")).await;
    screenshot(browser, "inbox-whatsapp").await;
    Ok(())
}
