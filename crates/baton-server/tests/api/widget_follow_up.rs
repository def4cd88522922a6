//! The widget while waiting, in Chromium: "Don't want to wait?" opens the details form, the
//! address is left, the form and the link go, the chat says the answer will come by email, and
//! the handoff keeps its place in the queue. With a WhatsApp number on the bot, the visitor
//! may give their WhatsApp number instead.

use baton_core::user::Role;
use thirtyfour::prelude::*;

use crate::browser::{Chromedriver, chromedriver_path, click, find_text, screenshot, type_into, user};
use crate::helpers::{Backend, PATIENCE, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn a_waiting_visitor_chooses_email_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let widget = driver.browser().await;
    let result = run(&app, &widget).await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run(app: &TestApp, widget: &WebDriver) -> WebDriverResult<()> {
    // Someone is on duty, so the visitor waits in the queue rather than finding the team away.
    let (_, token) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    let online = serde_json::json!({"status": "online"});
    let set = app.request(reqwest::Method::PUT, "/v1/me/status", Some(&token), Some(online)).await;
    assert_eq!(set.0, reqwest::StatusCode::OK, "{}", set.1);

    widget.goto(format!("{}/demo", app.base)).await?;
    click(widget, By::Id("baton-launcher")).await;
    type_into(widget, By::Id("baton-input"), "I want to talk to a human").await;
    click(widget, By::Id("baton-send")).await;
    find_text(widget, By::Id("baton-follow-up"), "Don't want to wait?").await;
    click(widget, By::Id("baton-follow-up")).await;
    find_text(widget, By::Id("baton-lead"), "keep your place in line").await;
    type_into(widget, By::Id("baton-lead-email"), "zoe@example.com").await;
    type_into(widget, By::Id("baton-lead-message"), "Where is my refund?").await;
    screenshot(widget, "widget-follow-up-form").await;
    click(widget, By::Id("baton-lead-submit")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "email").await;

    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let form = widget.find(By::Id("baton-lead")).await?.is_displayed().await?;
        let link = widget.find(By::Id("baton-follow-up")).await?.is_displayed().await?;
        if !form && !link {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the form or the link stayed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let handoffs = app.state.store.list_handoffs(None, 10).await.unwrap();
    let waiting = handoffs.iter().find(|h| h.lead.is_some()).expect("the handoff holds the address");
    assert_eq!(waiting.lead.as_ref().unwrap().email.as_str(), "zoe@example.com");
    assert!(waiting.state.is_open() && waiting.assignee.is_none(), "{:?}", waiting.state);
    screenshot(widget, "widget-follow-up").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn a_waiting_visitor_chooses_whatsapp_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let widget = driver.browser().await;
    let result = run_whatsapp(&app, &widget).await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run_whatsapp(app: &TestApp, widget: &WebDriver) -> WebDriverResult<()> {
    let (_, token) = user(app, "boss@example.com", "admin password", Role::Admin).await;
    let online = serde_json::json!({"status": "online"});
    let set = app.request(reqwest::Method::PUT, "/v1/me/status", Some(&token), Some(online)).await;
    assert_eq!(set.0, reqwest::StatusCode::OK, "{}", set.1);
    let (graph, graph_url) = crate::fake_graph::FakeGraph::start().await;
    let (_, bots) = app.get("/v1/bots", Some(&token)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let body = serde_json::json!({"kind": "whatsapp", "bot_id": bot["id"], "settings": {
        "phone_number_id": crate::fake_graph::PHONE_NUMBER_ID, "access_token": crate::fake_graph::ACCESS_TOKEN,
        "app_secret": crate::fake_graph::APP_SECRET, "verify_token": crate::fake_graph::VERIFY_TOKEN,
        "graph_url": graph_url, "display_phone_number": "+1 555 000 1111"}});
    let (status, channel) = app.post("/v1/channels", Some(&token), body).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{channel}");

    widget.goto(format!("{}/demo", app.base)).await?;
    click(widget, By::Id("baton-launcher")).await;
    type_into(widget, By::Id("baton-input"), "I want to talk to a human").await;
    click(widget, By::Id("baton-send")).await;
    click(widget, By::Id("baton-follow-up")).await;
    find_text(widget, By::Id("baton-whatsapp"), "continue on WhatsApp").await;
    click(widget, By::Id("baton-whatsapp-submit")).await;
    // The business number, the message with its code, and a link that opens WhatsApp with it.
    find_text(widget, By::Id("baton-whatsapp-send"), "+1 555 000 1111").await;
    let text = find_text(widget, By::Id("baton-whatsapp-text"), "code").await.text().await?;
    let link = widget.find(By::Id("baton-whatsapp-link")).await?.attr("href").await?.unwrap_or_default();
    assert!(link.starts_with("https://wa.me/15550001111?text="), "{link}");
    screenshot(widget, "widget-follow-up-whatsapp-form").await;

    // The message arrives from the customer's WhatsApp: their number is confirmed.
    let notification = crate::fake_graph::text_message(crate::whatsapp::CUSTOMER, "Zoe", "wamid.Z1", &text);
    let (status, answer) =
        crate::whatsapp::notify(app, &channel, crate::fake_graph::APP_SECRET, &notification).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{answer}");
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "come on WhatsApp").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let card = widget.find(By::Id("baton-whatsapp")).await?.is_displayed().await?;
        let link = widget.find(By::Id("baton-follow-up")).await?.is_displayed().await?;
        if !card && !link {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the WhatsApp card or the link stayed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let handoffs = app.state.store.list_handoffs(None, 10).await.unwrap();
    let waiting = handoffs.iter().find(|h| h.state.is_open()).expect("the handoff is still open");
    assert!(waiting.assignee.is_none(), "still waiting: {:?}", waiting.state);
    let route = app.state.store.follow_up_route(waiting.conversation_id).await.unwrap().expect("a route");
    assert_eq!(route.address.as_deref(), Some(crate::whatsapp::CUSTOMER));
    screenshot(widget, "widget-follow-up-whatsapp").await;

    // In the inbox the chat says where answers go, and its WhatsApp window is open.
    widget.goto(format!("{}/inbox", app.base)).await?;
    type_into(widget, By::Id("login-email"), "boss@example.com").await;
    type_into(widget, By::Id("login-password"), "admin password").await;
    click(widget, By::Id("login-submit")).await;
    click(widget, By::Css(format!("[data-conversation-id='{}']", waiting.conversation_id))).await;
    find_text(widget, By::Id("chat-meta"), "WhatsApp · +4915112345678").await;
    find_text(widget, By::Id("messages"), "continues on WhatsApp").await;
    click(widget, By::Id("claim-chat")).await;
    find_text(widget, By::Id("chat-meta"), "Open for 23 h more").await;
    type_into(widget, By::Id("chat-input"), "Hi Zoe, your refund went out this morning.").await;
    click(widget, By::Id("chat-send")).await;
    graph
        .until("the reply on WhatsApp", |sent| sent.iter().any(|m| m.text.starts_with("Hi Zoe, your refund")))
        .await;
    screenshot(widget, "inbox-follow-up-whatsapp").await;
    Ok(())
}
