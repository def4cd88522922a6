//! In Chromium: a customer logged in on the shop (a signed identity and attributes on the
//! widget's script tag) is recognised in the inbox's contact panel, and files go both ways: the
//! customer's photo shows inline in the inbox, the agent's file arrives in the widget.

use baton_core::user::Role;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, find_text, log_in, screenshot, shop_page, type_into, user,
};
use crate::helpers::{Backend, PATIENCE, TestApp};

/// A 24×24 red PNG.
const PHOTO: &str = "89504e470d0a1a0a0000000d49484452000000180000001808020000006f15aaaf0000001f4944415478da63b863a34115c4306ad0a841a3068d1a346ad0a841036f1000ec47d01f43bd8ed90000000049454e44ae426082";
const SECRET: &str = "identity-secret-of-the-shop";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn a_logged_in_customer_is_recognised_and_files_go_both_ways_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let widget = driver.browser().await;
    let result = run(&app, &inbox, &widget).await;
    let _ = inbox.quit().await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

/// Sends `path` through the hidden file input `id`, as choosing it in the file dialog does.
async fn choose_file(driver: &WebDriver, id: &str, path: &std::path::Path) -> WebDriverResult<()> {
    driver.execute(&format!("document.getElementById('{id}').hidden = false;"), Vec::new()).await?;
    driver.find(By::Id(id)).await?.send_keys(path.to_str().unwrap()).await?;
    driver.execute(&format!("document.getElementById('{id}').hidden = true;"), Vec::new()).await?;
    Ok(())
}

/// Waits until the image `by` finds has loaded (its pixels decoded).
async fn image_loaded(driver: &WebDriver, by: By) -> WebDriverResult<()> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let image = find(driver, by.clone()).await;
        if image.prop("naturalWidth").await?.as_deref() == Some("24") {
            return Ok(());
        }
        assert!(tokio::time::Instant::now() < deadline, "{by:?} did not load");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn run(app: &TestApp, inbox: &WebDriver, widget: &WebDriver) -> WebDriverResult<()> {
    let (ana, _) = user(app, "ana@example.com", "inbox password", Role::Agent).await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (status, bot) = app
        .post(
            "/v1/bots",
            Some(&admin.token),
            json!({"name": "shop", "settings": {"identity_secret": SECRET}}),
        )
        .await;
    assert!(status.is_success(), "{bot}");
    let bot = bot["id"].as_str().unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(b"customer-7");
    let hash: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let attributes = format!(
        "data-bot-id=\"{bot}\" data-user-id=\"customer-7\" data-user-hash=\"{hash}\" data-user-name=\"Rosa Marques\" \
         data-user-email=\"rosa@example.com\" data-attribute-plan=\"pro\" data-attribute-account-id=\"A-991\""
    );
    let (shop, _server) = shop_page(&app.base, &attributes).await;
    let files = tempfile::tempdir().unwrap();
    let photo = files.path().join("broken box.png");
    std::fs::write(
        &photo,
        (0..PHOTO.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&PHOTO[i..i + 2], 16).unwrap())
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let label = files.path().join("return-label.txt");
    std::fs::write(&label, "Return to: Acme, 1 Main St").unwrap();

    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", "inbox password", ana).await;
    widget.goto(&shop).await?;
    click(widget, By::Id("baton-launcher")).await;
    type_into(widget, By::Id("baton-input"), "I want to talk to a human").await;
    click(widget, By::Id("baton-send")).await;
    click(inbox, By::Css("#queue .handoff-item button.claim")).await;
    click(inbox, By::Css("#mine .handoff-item")).await;

    // The contact panel knows her from the shop: verified, with what the shop passed.
    find_text(inbox, By::Css("#contact-card .contact-name"), "Rosa Marques").await;
    find_text(inbox, By::Css("#contact-card .tag.verified"), "Verified by your site").await;
    let details = find(inbox, By::Id("contact-card")).await.text().await?;
    assert!(
        details.contains("rosa@example.com") && details.contains("pro") && details.contains("A-991"),
        "{details}"
    );

    // Her photo shows inline in the inbox; the agent's file arrives in the widget.
    choose_file(widget, "baton-file", &photo).await?;
    image_loaded(widget, By::Css("#baton-messages .baton-msg[data-author='contact'] img.baton-image"))
        .await?;
    image_loaded(inbox, By::Css("#messages .msg[data-author='contact'] img.msg-image")).await?;
    choose_file(inbox, "attach-input", &label).await?;
    find_text(inbox, By::Css("#messages .msg[data-author='user'] .file-chip"), "return-label.txt").await;
    find_text(
        widget,
        By::Css("#baton-messages .baton-msg[data-author='user'] .baton-file"),
        "return-label.txt",
    )
    .await;
    screenshot(inbox, "inbox-contact-panel-and-files").await;
    screenshot(widget, "widget-files").await;

    // On a phone one pane shows at a time: the chat, its contact, the lists.
    inbox.set_window_rect(0, 0, 390, 844).await?;
    let shown = |id: &'static str| async move { inbox.find(By::Id(id)).await?.is_displayed().await };
    find(inbox, By::Id("pane-back")).await;
    assert!(shown("chat").await? && !shown("queue").await? && !shown("contact-panel").await?);
    screenshot(inbox, "inbox-phone-chat").await;
    click(inbox, By::Id("pane-contact")).await;
    find_text(inbox, By::Css("#contact-card .contact-name"), "Rosa Marques").await;
    assert!(!shown("chat").await?);
    screenshot(inbox, "inbox-phone-contact").await;
    click(inbox, By::Id("pane-chat")).await;
    click(inbox, By::Id("pane-back")).await;
    find(inbox, By::Id("mine")).await;
    assert!(!shown("chat").await? && !shown("contact-panel").await?);
    click(inbox, By::Css("#mine .handoff-item")).await;
    find(inbox, By::Id("chat-input")).await;
    let overflow = inbox
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await?;
    assert_eq!(overflow.json().as_i64(), Some(0), "nothing scrolls sideways");
    Ok(())
}
