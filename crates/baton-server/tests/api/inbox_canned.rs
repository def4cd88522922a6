//! Saved replies in the inbox, in Chromium: an agent saves one in the panel (a bad shortcut is
//! refused next to its field), then types "/" in a live chat, picks it, and sends it filled in
//! for the contact.

use baton_core::user::Role;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, find_text, item, item_button, log_in, screenshot,
    type_into, user, visitor_asking_for_a_human,
};
use crate::helpers::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn an_agent_saves_a_reply_and_inserts_it_with_a_slash_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let (ana, _) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;

    click(inbox, By::Id("canned-toggle")).await;
    find(inbox, By::Id("canned-shortcut")).await;
    assert!(!inbox.find(By::Id("canned-shared-label")).await?.is_displayed().await?, "sharing is for admins");
    type_into(inbox, By::Id("canned-shortcut"), "thank you").await;
    type_into(inbox, By::Id("canned-text"), "Thanks {{contact.name}}, glad I could help! {{user.name}}")
        .await;
    click(inbox, By::Id("canned-save")).await;
    let problem = find_text(inbox, By::Id("canned-shortcut-error"), "lowercase").await.text().await?;
    assert!(problem.contains("letters"), "{problem}");
    let saved = app.state.store.canned_responses_for(ana).await.unwrap();
    assert!(saved.is_empty(), "nothing saved: {saved:?}");
    let shortcut = find(inbox, By::Id("canned-shortcut")).await;
    shortcut.clear().await?;
    shortcut.send_keys("/thanks").await?;
    click(inbox, By::Id("canned-save")).await;
    find_text(inbox, By::Css("#canned-rows .canned-row"), "/thanks").await;
    screenshot(inbox, "inbox-saved-replies").await;
    click(inbox, By::Id("canned-close")).await;

    // Cleo asks for a person; Ana takes the chat and answers with the saved reply.
    let (contact, _) = visitor_asking_for_a_human(app, "Cleo", None).await;
    click(inbox, item_button("queue", &contact, "claim")).await;
    click(inbox, item("mine", &contact)).await;
    let input = find(inbox, By::Id("chat-input")).await;
    input.send_keys("/tha").await?;
    find_text(inbox, By::Css("#canned-picker .canned-option[aria-selected='true']"), "Thanks Cleo").await;
    screenshot(inbox, "inbox-saved-reply-picker").await;
    input.send_keys(Key::Enter).await?;
    let value = input.value().await?.unwrap_or_default();
    assert_eq!(value, "Thanks Cleo, glad I could help! Ana", "inserted, filled in, not sent yet");
    input.send_keys(Key::Enter).await?;
    let deadline = tokio::time::Instant::now() + crate::helpers::PATIENCE;
    loop {
        let said = app.messages(contact.id, &contact.token).await;
        if said
            .iter()
            .any(|m| m["author"]["kind"] == "user" && m["text"] == "Thanks Cleo, glad I could help! Ana")
        {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the reply did not reach Cleo: {said:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}
