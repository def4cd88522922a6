//! The inbox's keyboard shortcuts, in Chromium: the help overlay, the next waiting chat,
//! claiming, note mode and closing, without the mouse.

use std::time::Duration;

use baton_core::user::Role;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, find, find_text, gone, log_in, screenshot, user,
    visitor_asking_for_a_human,
};
use crate::helpers::{Backend, PATIENCE, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn an_agent_works_a_chat_from_the_keyboard_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn keys(inbox: &WebDriver, text: &str) -> WebDriverResult<()> {
    inbox.action_chain().send_keys(text).perform().await
}

async fn until_state(app: &TestApp, token: &str, handoff: &str, state: &str) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, found) = app.get(&format!("/v1/handoffs/{handoff}"), Some(token)).await;
        if found["state"] == state {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "the handoff did not become {state}: {found}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn run(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let (ana, token) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;
    // On a phone (390 × 844) nothing scrolls sideways.
    inbox.set_window_rect(0, 0, 390, 844).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let overflow = inbox
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    screenshot(inbox, "inbox-phone").await;
    assert_eq!(overflow.json().as_i64(), Some(0), "the inbox scrolls sideways on a phone");
    inbox.set_window_rect(0, 0, 1280, 900).await?;

    keys(inbox, "?").await?;
    find_text(inbox, By::Id("shortcuts-list"), "Open the next waiting chat").await;
    screenshot(inbox, "inbox-shortcuts").await;
    inbox.action_chain().send_keys(Key::Escape).perform().await?;
    gone(inbox, By::Css("#shortcuts:not([hidden])")).await;

    let (cleo, handoff) = visitor_asking_for_a_human(app, "Cleo", None).await;
    find(inbox, By::Css(format!("#queue .handoff-item[data-conversation-id='{}']", cleo.id))).await;
    keys(inbox, "n").await?;
    find_text(inbox, By::Id("chat-contact"), "Cleo").await;
    inbox.find(By::Tag("body")).await?.click().await?;
    keys(inbox, "c").await?;
    until_state(app, &token, &handoff, "live").await;

    // Note mode: the box takes the note, which only the team sees.
    inbox.find(By::Id("messages")).await?.click().await?;
    keys(inbox, "m").await?;
    let focused = inbox.active_element().await?;
    assert_eq!(focused.id().await?.as_deref(), Some("chat-input"));
    assert!(find(inbox, By::Id("note-mode")).await.is_selected().await?);
    focused.send_keys("Refund approved by Bea").await?;
    focused.send_keys(Key::Enter).await?;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let said = app.messages(cleo.id, &token).await;
        if said.iter().any(|m| m["text"] == "Refund approved by Bea" && m["note"] == true) {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no note: {said:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Typing in the box never triggers a shortcut; outside it, x closes the chat.
    inbox.find(By::Id("messages")).await?.click().await?;
    keys(inbox, "x").await?;
    until_state(app, &token, &handoff, "closed").await;
    let typed = inbox.find(By::Id("chat-input")).await?.value().await?.unwrap_or_default();
    assert!(!typed.contains('x'), "the x closed the chat instead of going into the box: {typed:?}");
    Ok(())
}
