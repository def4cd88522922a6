//! The whole loop in a real browser: the widget on the demo page in one Chromium session, the
//! inbox in another. Runs when `BATON_TEST_CHROMEDRIVER` names a chromedriver binary
//! (`.ci/run` installs Debian's chromium and chromium-driver and sets it).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use baton_core::handoff::HandoffState;
use baton_core::user::{Presence, Role};
use thirtyfour::prelude::*;

use crate::helpers::{Backend, PATIENCE, TestApp};

struct Chromedriver {
    process: Child,
    url: String,
}

impl Chromedriver {
    async fn start(binary: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let process = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(tokio::time::Instant::now() < deadline, "chromedriver did not listen");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { process, url: format!("http://127.0.0.1:{port}") }
    }

    async fn browser(&self) -> WebDriver {
        let mut caps = DesiredCapabilities::chrome();
        if let Ok(chromium) = std::env::var("BATON_TEST_CHROMIUM") {
            caps.set_binary(&chromium).unwrap();
        }
        let profile = tempfile::tempdir().unwrap().keep();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", profile.display()),
        ] {
            caps.add_arg(arg).unwrap();
        }
        WebDriver::new(&self.url, caps).await.expect("a browser session")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

async fn find(driver: &WebDriver, by: By) -> WebElement {
    driver
        .query(by.clone())
        .ignore_errors(true)
        .wait(PATIENCE, Duration::from_millis(100))
        .and_displayed()
        .first()
        .await
        .unwrap_or_else(|e| panic!("{by:?} did not appear: {e}"))
}

/// Clicks the element `by` finds, finding it again if the page re-rendered it meanwhile.
async fn click(driver: &WebDriver, by: By) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match find(driver, by.clone()).await.click().await {
            Ok(()) => return,
            Err(e) if tokio::time::Instant::now() < deadline => {
                eprintln!("retrying click on {by:?}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("could not click {by:?}: {e}"),
        }
    }
}

async fn type_into(driver: &WebDriver, by: By, text: &str) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match find(driver, by.clone()).await.send_keys(text).await {
            Ok(()) => return,
            Err(e) if tokio::time::Instant::now() < deadline => {
                eprintln!("retrying typing into {by:?}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("could not type into {by:?}: {e}"),
        }
    }
}

async fn find_text(driver: &WebDriver, by: By, text: &str) -> WebElement {
    driver
        .query(by)
        .with_text(thirtyfour::stringmatch::StringMatch::new(text).partial())
        .ignore_errors(true)
        .wait(PATIENCE, Duration::from_millis(100))
        .first()
        .await
        .unwrap_or_else(|e| panic!("no element with text {text:?}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widget_and_inbox_complete_the_loop_in_chromium() {
    let Ok(chromedriver) = std::env::var("BATON_TEST_CHROMEDRIVER") else {
        println!("skipped: BATON_TEST_CHROMEDRIVER is not set");
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let password = "inbox password";
    let ana =
        baton_server::service::users::add_user(&app.state, "ana@example.com", password, Role::Agent, None)
            .await
            .unwrap();
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let widget = driver.browser().await;
    let result = run_loop(&app, &inbox, &widget, password, ana.id).await;
    let _ = inbox.quit().await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run_loop(
    app: &TestApp,
    inbox: &WebDriver,
    widget: &WebDriver,
    password: &str,
    ana: baton_core::ids::UserId,
) -> WebDriverResult<()> {
    // The user logs in to the inbox, which sets them online.
    inbox.goto(format!("{}/inbox", app.base)).await?;
    type_into(inbox, By::Id("login-email"), "ana@example.com").await;
    type_into(inbox, By::Id("login-password"), password).await;
    click(inbox, By::Id("login-submit")).await;
    find(inbox, By::Id("status-select")).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.state.store.user(ana).await.unwrap().unwrap().status != Presence::Online {
        assert!(tokio::time::Instant::now() < deadline, "the inbox did not set the user online");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The contact opens the widget on the demo page and asks for a human.
    widget.goto(format!("{}/demo", app.base)).await?;
    click(widget, By::Id("baton-launcher")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='bot']"), "assistant").await;
    type_into(widget, By::Id("baton-input"), "I want to talk to a human").await;
    click(widget, By::Id("baton-send")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "connecting you").await;

    // The handoff appears in the inbox queue; the user claims it.
    click(inbox, By::Css("#queue .handoff-item button.claim")).await;
    click(inbox, By::Css("#mine .handoff-item")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "joined").await;

    // They talk live, both ways.
    type_into(inbox, By::Id("chat-input"), "Hi, this is Ana. How can I help?").await;
    click(inbox, By::Id("chat-send")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='user']"), "this is Ana").await;
    type_into(widget, By::Id("baton-input"), "My parcel is late").await;
    click(widget, By::Id("baton-send")).await;
    find_text(inbox, By::Css("#messages .msg[data-author='contact']"), "My parcel is late").await;

    // The user closes; the bot takes over again and asks for a rating.
    click(inbox, By::Id("close-chat")).await;
    click(widget, By::Css("#baton-rating button[data-rating='5']")).await;
    find(widget, By::Id("baton-thanks")).await;
    let handoffs = app.state.store.list_handoffs(Some(HandoffState::Closed), 10).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    assert_eq!(handoffs[0].rating.map(|r| r.value()), Some(5));
    assert_eq!(handoffs[0].assignee.as_ref().map(|a| a.id), Some(ana));

    // The page's onHandoff callback saw the handoff.
    let log = find(widget, By::Id("demo-handoff-log")).await.text().await?;
    assert!(log.contains("explicit_request"), "{log}");
    Ok(())
}
