//! Typing both ways in Chromium: the agent sees the visitor typing with a preview of the
//! draft; the visitor sees "Ana is typing…".

use baton_core::user::Role;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find_text, log_in, screenshot, type_into, user,
};
use crate::helpers::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn each_side_sees_the_other_typing_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let (inbox, widget) = (driver.browser().await, driver.browser().await);
    let result = run(&app, &inbox, &widget).await;
    let _ = inbox.quit().await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run(app: &TestApp, inbox: &WebDriver, widget: &WebDriver) -> WebDriverResult<()> {
    let (ana, _) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;

    widget.goto(format!("{}/demo", app.base)).await?;
    click(widget, By::Id("baton-launcher")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='bot']"), "assistant").await;
    type_into(widget, By::Id("baton-input"), "I want to talk to a human").await;
    click(widget, By::Id("baton-send")).await;
    click(inbox, By::Css("#queue .handoff-item button.claim")).await;
    click(inbox, By::Css("#mine .handoff-item")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "joined").await;

    // The visitor types without sending: Ana sees it, with the draft.
    type_into(widget, By::Id("baton-input"), "My order 48213 has not arrived").await;
    find_text(inbox, By::Id("contact-typing-who"), "is typing").await;
    find_text(inbox, By::Id("contact-typing-draft"), "48213").await;
    screenshot(inbox, "inbox-contact-typing").await;

    // Ana starts a reply: the visitor sees her typing.
    type_into(inbox, By::Id("chat-input"), "Let me look that up").await;
    find_text(widget, By::Id("baton-typing"), "Ana is typing").await;
    screenshot(widget, "widget-agent-typing").await;

    // Without the preview, only that they are typing.
    click(inbox, By::Id("typing-preview")).await;
    type_into(widget, By::Id("baton-input"), " yet").await;
    find_text(inbox, By::Id("contact-typing-who"), "is typing").await;
    assert!(!inbox.find(By::Id("contact-typing-draft")).await?.is_displayed().await?, "the draft is hidden");
    let stored = inbox.execute("return localStorage.getItem('baton.typingPreview');", vec![]).await?;
    assert_eq!(stored.json().as_str(), Some("off"), "remembered");
    Ok(())
}
