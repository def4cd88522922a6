//! The admin console in Chromium: only admins stay in it; its webhooks page manages endpoints
//! through the API, with the server's problems shown next to their fields; its email page
//! shows how mail is set up and sends a test mail.

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::json;
use thirtyfour::prelude::*;

use crate::browser::{Chromedriver, chromedriver_path, click, find, find_text, screenshot, type_into, user};
use crate::helpers::{Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_console_is_for_admins_and_manages_webhooks_and_email_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let (agent_browser, admin_browser) = (driver.browser().await, driver.browser().await);
    let result = async {
        an_agent_is_sent_to_the_inbox(&app, &agent_browser).await?;
        an_admin_manages_webhooks(&app, &admin_browser).await
    }
    .await;
    let _ = agent_browser.quit().await;
    let _ = admin_browser.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn sign_in(app: &TestApp, browser: &WebDriver, email: &str, password: &str) -> WebDriverResult<()> {
    browser.goto(format!("{}/admin", app.base)).await?;
    type_into(browser, By::Id("login-email"), email).await;
    type_into(browser, By::Id("login-password"), password).await;
    click(browser, By::Id("login-submit")).await;
    Ok(())
}

async fn an_agent_is_sent_to_the_inbox(app: &TestApp, browser: &WebDriver) -> WebDriverResult<()> {
    user(app, "ana@example.com", "agent password", Role::Agent).await;
    sign_in(app, browser, "ana@example.com", "agent password").await?;
    // The inbox, signed in with the same session.
    find(browser, By::Id("status-select")).await;
    assert!(browser.current_url().await?.path().ends_with("/inbox"));
    Ok(())
}

async fn an_admin_manages_webhooks(app: &TestApp, browser: &WebDriver) -> WebDriverResult<()> {
    let (_, token) = user(app, "boss@example.com", "admin password", Role::Admin).await;
    sign_in(app, browser, "boss@example.com", "admin password").await?;
    click(browser, By::Css(".nav-link[data-page='webhooks']")).await;
    find_text(browser, By::Id("webhook-empty"), "No endpoints yet").await;

    // A URL Baton cannot call: the server's reason shows under the field, and nothing is made.
    click(browser, By::Id("webhook-add")).await;
    type_into(browser, By::Id("webhook-url"), "ftp://crm.example.com/baton").await;
    click(browser, By::Id("webhook-save")).await;
    let problem = find(browser, By::Id("webhook-url-error")).await.text().await?;
    assert!(!problem.is_empty(), "a reason next to the URL");
    assert_eq!(
        find(browser, By::Id("webhook-url")).await.attr("aria-invalid").await?.as_deref(),
        Some("true")
    );
    assert_eq!(app.get("/v1/webhooks", Some(&token)).await.1, json!([]));
    screenshot(browser, "admin-webhooks-invalid").await;

    // One event only, on a URL it can call: the secret is shown once.
    let url = find(browser, By::Id("webhook-url")).await;
    url.clear().await?;
    url.send_keys("http://127.0.0.1:9/baton").await?;
    type_into(browser, By::Id("webhook-description"), "CRM").await;
    click(browser, By::Id("webhook-all")).await;
    click(browser, By::Css("#webhook-events input[value='handoff.queued']")).await;
    click(browser, By::Id("webhook-save")).await;
    let secret = find(browser, By::Id("secret-value")).await.text().await?;
    assert!(secret.starts_with("whsec_"), "{secret}");
    find_text(browser, By::Id("webhook-rows"), "http://127.0.0.1:9/baton").await;
    click(browser, By::Id("secret-done")).await;
    assert!(!browser.find(By::Id("secret-box")).await?.is_displayed().await?, "gone once saved");
    screenshot(browser, "admin-webhooks").await;
    let (status, endpoints) = app.get("/v1/webhooks", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(endpoints[0]["events"], json!(["handoff.queued"]), "{endpoints}");
    assert_eq!(endpoints[0]["description"], "CRM");

    // Its deliveries: none yet.
    click(browser, By::Css("#webhook-rows button[data-action='deliveries']")).await;
    find_text(browser, By::Id("deliveries-empty"), "Nothing sent").await;

    // Email: this server has no mail server, and the test mail says so.
    click(browser, By::Css(".nav-link[data-page='email']")).await;
    find_text(browser, By::Id("mail-off"), "sends no email yet").await;
    assert!(!browser.find(By::Id("webhooks-page")).await?.is_displayed().await?);
    assert_eq!(
        find(browser, By::Id("test-mail-to")).await.value().await?.as_deref(),
        Some("boss@example.com")
    );
    click(browser, By::Id("test-mail-send")).await;
    find_text(browser, By::Id("test-mail-error"), "sends no mail").await;
    screenshot(browser, "admin-email").await;
    Ok(())
}
