//! History and search in Chromium: a closed conversation is found by a word of its transcript,
//! by its rating and by state, opens read-only with every handoff episode, and the results
//! page on with "Load more".

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, find_text, log_in, screenshot, type_into, user,
};
use crate::helpers::{Backend, Contact, PATIENCE, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn closed_chats_are_searched_filtered_and_read_back_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn post_ok(app: &TestApp, path: &str, token: &str, body: serde_json::Value) {
    let (status, answer) = app.post(path, Some(token), body).await;
    assert!(status.is_success(), "{path}: {status} {answer}");
}

/// One handoff of `contact`'s conversation, claimed by the agent, answered with `reply` and closed.
async fn episode(app: &TestApp, contact: &Contact, token: &str, reply: &str) {
    app.bot_idle(contact.id).await;
    let handoff = app.ask_for_human(contact).await;
    let id = handoff["id"].as_str().unwrap();
    post_ok(app, &format!("/v1/handoffs/{id}/claim"), token, json!({})).await;
    let messages = format!("/v1/conversations/{}/messages", contact.id);
    post_ok(app, &messages, token, json!({"text": reply})).await;
    post_ok(app, &format!("/v1/handoffs/{id}/close"), token, json!({})).await;
}

fn result_items(conversation: &Contact) -> By {
    By::Css(format!("#history-results .history-item[data-conversation-id='{}']", conversation.id))
}

/// The conversations listed, once the list answers the search the form holds now (typing
/// searches as it goes, so an earlier answer may still be on screen).
async fn settled_results(inbox: &WebDriver) -> WebDriverResult<Option<Vec<String>>> {
    let script = "const list = document.getElementById('history-results'); \
        const wanted = searchPath(null); \
        if (list.dataset.search !== wanted || found.loading) return null; \
        return [...list.querySelectorAll('.history-item')].map((item) => item.dataset.conversationId);";
    let answer = inbox.execute(script, Vec::new()).await?;
    Ok(serde_json::from_value(answer.json().clone()).unwrap_or(None))
}

/// Waits until the results are exactly `expected` (in that order).
async fn results_are(inbox: &WebDriver, expected: &[&Contact]) -> WebDriverResult<()> {
    let wanted: Vec<String> = expected.iter().map(|c| c.id.to_string()).collect();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let shown = settled_results(inbox).await?;
        if shown.as_ref() == Some(&wanted) {
            return Ok(());
        }
        assert!(tokio::time::Instant::now() < deadline, "results {shown:?}, wanted {wanted:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn select(inbox: &WebDriver, id: &str, value: &str) -> WebDriverResult<()> {
    SelectElement::new(&find(inbox, By::Id(id)).await).await?.select_by_value(value).await
}

async fn run(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let (ana, token) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    // Rosa was helped twice, rated the first time 5 stars; Dan once, unrated; Eve never left the bot.
    let rosa = app
        .open_conversation(json!({"contact": {"name": "Rosa Marques", "email": "rosa@example.com"}}))
        .await;
    app.say(&rosa, "Where is my parcel?").await;
    episode(app, &rosa, &token, "A replacement parcel ships today").await;
    let feedback = format!("/v1/conversations/{}/feedback", rosa.id);
    let (status, body) = app.post(&feedback, Some(&rosa.token), json!({"rating": 5})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    episode(app, &rosa, &token, "Send us a photo of the box please").await;
    let dan = app.open_conversation(json!({"contact": {"name": "Dan"}})).await;
    app.say(&dan, "My invoice is wrong").await;
    episode(app, &dan, &token, "I corrected the invoice").await;
    let eve = app.open_conversation(json!({"contact": {"name": "Eve"}})).await;
    app.say(&eve, "Do you sell gift cards?").await;
    app.consumers_caught_up().await;

    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;
    click(inbox, By::Id("tab-history")).await;
    // Without words: every conversation, the most recently active first.
    results_are(inbox, &[&eve, &dan, &rosa]).await?;
    assert!(!inbox.find(By::Id("queue")).await?.is_displayed().await?, "the inbox's lists are hidden");

    // A word of the first reply (a prefix is enough) finds Rosa, marked in the excerpt.
    type_into(inbox, By::Id("history-query"), "replacem").await;
    results_are(inbox, &[&rosa]).await?;
    screenshot(inbox, "inbox-history-search").await;
    let mark = find(inbox, By::Css("#history-results .history-item .item-excerpt mark")).await;
    assert_eq!(mark.text().await?.to_lowercase(), "replacement");
    let item = find(inbox, result_items(&rosa)).await;
    let tags = item.find(By::ClassName("item-tags")).await?.text().await?;
    assert!(tags.contains("Closed") && tags.contains("2 handoffs") && tags.contains("★★★★★"), "{tags}");

    // Opened: read-only, the whole transcript, both episodes.
    click(inbox, result_items(&rosa)).await;
    find_text(inbox, By::Css("#messages .msg-text"), "Send us a photo of the box please").await;
    find_text(inbox, By::Css("#messages .msg-text"), "A replacement parcel ships today").await;
    assert!(find(inbox, By::Id("history-note")).await.is_displayed().await?);
    assert!(!inbox.find(By::Id("composer")).await?.is_displayed().await?, "nothing to answer");
    assert!(!inbox.find(By::Id("takeover")).await?.is_displayed().await?);
    find_text(inbox, By::Id("chat-episodes-title"), "Handed over 2 times").await;
    let episodes = inbox.find_all(By::Css("#chat-episodes-list .episode")).await?;
    assert_eq!(episodes.len(), 2);
    let first = episodes[0].text().await?;
    assert!(
        first.starts_with("1. Asked for a human") && first.contains("with you") && first.contains("★★★★★"),
        "{first}"
    );
    assert!(!episodes[1].text().await?.contains('★'), "the second episode is unrated");
    // The contact panel: Rosa by her email, with her one conversation and its rating.
    let panel = find_text(inbox, By::Css("#contact-card .contact-name"), "Rosa Marques").await;
    assert!(panel.is_displayed().await?);
    find_text(inbox, By::Css("#contact-card h3"), "Conversations (1)").await;
    find_text(inbox, By::Css("#contact-card .past-chat .rating"), "★★★★★").await;
    screenshot(inbox, "inbox-history-read-only").await;

    // Filters: the rating, then the state, with the words cleared.
    find(inbox, By::Id("history-query")).await.clear().await?;
    click(inbox, By::Css("#history-filters summary")).await;
    select(inbox, "history-rating", "5").await?;
    results_are(inbox, &[&rosa]).await?;
    find_text(inbox, By::Id("history-filter-count"), "1").await;
    select(inbox, "history-rating", "").await?;
    select(inbox, "history-state", "bot").await?;
    results_are(inbox, &[&eve]).await?;
    click(inbox, By::Id("history-clear")).await;
    results_are(inbox, &[&eve, &dan, &rosa]).await?;

    // Past a page: "Load more" brings the rest, and then goes away.
    let mut newer = Vec::new();
    for n in 0..24 {
        let contact = app.start_conversation().await;
        app.say(&contact, &format!("Question number {n}")).await;
        newer.push(contact);
    }
    app.consumers_caught_up().await;
    click(inbox, By::Id("history-clear")).await;
    let mut expected: Vec<&Contact> = newer.iter().rev().collect();
    expected.push(&eve);
    results_are(inbox, &expected).await?;
    click(inbox, By::Id("history-more")).await;
    expected.extend([&dan, &rosa]);
    results_are(inbox, &expected).await?;
    crate::browser::gone(inbox, By::Css("#history-more:not([hidden])")).await;
    Ok(())
}
