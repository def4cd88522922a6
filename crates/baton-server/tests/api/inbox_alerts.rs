//! Sounds and pop-ups in the inbox, in Chromium: a chat starting to wait chimes; switched
//! off, it does not; the choice is remembered across a reload.

use std::time::Duration;

use baton_core::user::Role;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, log_in, screenshot, user, visitor_asking_for_a_human,
};
use crate::helpers::{Backend, PATIENCE, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn waiting_chats_chime_as_each_agent_chose_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn chimes(inbox: &WebDriver) -> i64 {
    let count = inbox.execute("return Number(document.body.dataset.chimed || 0);", vec![]).await.unwrap();
    count.json().as_i64().unwrap_or(0)
}

async fn queued(inbox: &WebDriver, contact: &crate::helpers::Contact) {
    find(inbox, By::Css(format!("#queue .handoff-item[data-conversation-id='{}']", contact.id))).await;
}

async fn run(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let (ana, _) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;

    let (first, _) = visitor_asking_for_a_human(app, "Cleo", None).await;
    queued(inbox, &first).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while chimes(inbox).await < 1 {
        assert!(tokio::time::Instant::now() < deadline, "a waiting chat chimes by default");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    click(inbox, By::Id("notify-toggle")).await;
    let waiting_sound = By::Css("#notify-kinds tr[data-kind='waiting'] td:nth-of-type(1) input");
    let message_sound = By::Css("#notify-kinds tr[data-kind='message'] td:nth-of-type(1) input");
    assert!(find(inbox, waiting_sound.clone()).await.is_selected().await?);
    assert!(!find(inbox, message_sound).await.is_selected().await?, "messages are quiet by default");
    screenshot(inbox, "inbox-sounds").await;
    click(inbox, waiting_sound.clone()).await;
    click(inbox, By::Id("notify-close")).await;

    let before = chimes(inbox).await;
    let (second, _) = visitor_asking_for_a_human(app, "Dan", None).await;
    // The chime is decided when the chat enters the queue, before its item shows.
    queued(inbox, &second).await;
    assert_eq!(chimes(inbox).await, before, "switched off");

    // Remembered in this browser.
    inbox.refresh().await?;
    click(inbox, By::Id("notify-toggle")).await;
    assert!(!find(inbox, waiting_sound).await.is_selected().await?);
    Ok(())
}
