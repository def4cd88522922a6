//! The copilot in Chromium: claiming a chat whose bot has an LLM (a local fake following
//! OpenAI's shapes) puts a first draft in the message box, nothing is sent until the agent
//! sends; a chat whose bot has none shows no "Draft a reply".

use baton_core::user::Role;
use serde_json::json;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, item, item_button, log_in, screenshot, user,
};
use crate::fake_openai::{self, FakeOpenAi};
use crate::helpers::{Backend, PATIENCE, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn a_claimed_chat_gets_a_first_draft_to_edit_in_chromium() {
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
    let (_fake, base) = FakeOpenAi::start().await;
    let (ana, _) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let settings = json!({
        "backend": {"kind": "openai", "base_url": base, "model": "gpt-test", "api_key": fake_openai::API_KEY,
            "instructions": "You are Acme's assistant.", "stream": false, "timeout_ms": 1500},
        "policy": {"availability_check": false},
    });
    let bot = crate::ai_backends::create_bot(app, &admin.token, settings).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;

    let cleo = app.open_conversation(json!({"bot_id": bot, "contact": {"name": "Cleo"}})).await;
    app.say(&cleo, "Where is my parcel?").await;
    app.bot_idle(cleo.id).await;
    app.ask_for_human(&cleo).await;
    click(inbox, item_button("queue", &cleo, "claim")).await;
    find(inbox, item("mine", &cleo)).await;
    let input = find(inbox, By::Id("chat-input")).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let text = input.value().await?.unwrap_or_default();
        if text == "Echo: Where is my parcel?" {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no first draft: {text:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(find(inbox, By::Id("draft-reply")).await.is_displayed().await?);
    screenshot(inbox, "inbox-copilot-draft").await;
    let said = app.messages(cleo.id, &cleo.token).await;
    assert!(said.iter().all(|m| m["author"]["kind"] != "user"), "nothing sent: {said:?}");

    // A chat whose bot has no LLM: no button.
    let (dan, _) = crate::browser::visitor_asking_for_a_human(app, "Dan", None).await;
    click(inbox, item_button("queue", &dan, "claim")).await;
    find(inbox, item("mine", &dan)).await;
    let decided = By::Css(format!("#draft-reply[data-for='{}']", dan.id));
    inbox.query(decided).wait(PATIENCE, std::time::Duration::from_millis(100)).exists().await?;
    assert!(!inbox.find(By::Id("draft-reply")).await?.is_displayed().await?);
    Ok(())
}
