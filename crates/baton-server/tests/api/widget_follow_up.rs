//! The widget while waiting, in Chromium: "Don't want to wait?" opens the details form, the
//! address is left, the form and the link go, the chat says the answer will come by email, and
//! the handoff keeps its place in the queue.

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
