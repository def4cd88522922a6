//! The whole loop in a real browser: the widget on the demo page in one Chromium session, the
//! inbox in another; moving live chats from the inbox (transfer, release to the bot); and each
//! user's email alerts.
//! Runs when `BATON_TEST_CHROMEDRIVER` names a chromedriver binary (`.ci/run` installs
//! Debian's chromium and chromium-driver and sets it).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use baton_core::handoff::HandoffState;
use baton_core::ids::UserId;
use baton_core::user::{Presence, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use thirtyfour::components::SelectElement;
use thirtyfour::prelude::*;

use crate::helpers::{Backend, Contact, PATIENCE, TestApp};

pub(crate) struct Chromedriver {
    process: Child,
    url: String,
}

impl Chromedriver {
    pub(crate) async fn start(binary: &str) -> Self {
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

    pub(crate) async fn browser(&self) -> WebDriver {
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

pub(crate) async fn find(driver: &WebDriver, by: By) -> WebElement {
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
pub(crate) async fn click(driver: &WebDriver, by: By) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let element = find(driver, by.clone()).await;
        // In the middle of the window, clear of sticky bars at its edges (as a person scrolls).
        let _ = element.scroll_into_view().await;
        if let Ok(json) = element.to_json() {
            let center = "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });";
            let _ = driver.execute(center, vec![json]).await;
        }
        match element.click().await {
            Ok(()) => return,
            Err(e) if tokio::time::Instant::now() < deadline => {
                eprintln!("retrying click on {by:?}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("could not click {by:?}: {e}"),
        }
    }
}

pub(crate) async fn type_into(driver: &WebDriver, by: By, text: &str) {
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

/// Waits until nothing matches `by` (an item left its list, say).
pub(crate) async fn gone(driver: &WebDriver, by: By) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !driver.find_all(by.clone()).await.unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "{by:?} is still there");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Signs in to the inbox (already open, or signed out) and waits until it shows.
pub(crate) async fn log_in(app: &TestApp, inbox: &WebDriver, email: &str, password: &str, user: UserId) {
    find(inbox, By::Id("login-email")).await.clear().await.unwrap();
    type_into(inbox, By::Id("login-email"), email).await;
    type_into(inbox, By::Id("login-password"), password).await;
    click(inbox, By::Id("login-submit")).await;
    find(inbox, By::Id("status-select")).await;
    // Signing in to the inbox sets the user online.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while app.state.store.user(user).await.unwrap().unwrap().status != Presence::Online {
        assert!(tokio::time::Instant::now() < deadline, "the inbox did not set {email} online");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The first element `by` finds whose text contains `text`. Reading the text of an element the
/// page has just re-rendered fails (stale element) at once, so that is tried again.
pub(crate) async fn find_text(driver: &WebDriver, by: By, text: &str) -> WebElement {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let found = driver
            .query(by.clone())
            .with_text(thirtyfour::stringmatch::StringMatch::new(text).partial())
            .ignore_errors(true)
            .wait(deadline - tokio::time::Instant::now(), Duration::from_millis(100))
            .first()
            .await;
        match found {
            Ok(element) => return element,
            Err(e) if tokio::time::Instant::now() + Duration::from_millis(100) < deadline => {
                eprintln!("retrying {by:?} with text {text:?}: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no element with text {text:?}: {e}"),
        }
    }
}

/// Chromedriver's path; the browser tests are ignored unless it was set at build time.
pub(crate) fn chromedriver_path() -> String {
    std::env::var("BATON_TEST_CHROMEDRIVER").expect("BATON_TEST_CHROMEDRIVER names chromedriver")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn widget_and_inbox_complete_the_loop_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
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
    ana: UserId,
) -> WebDriverResult<()> {
    // The user logs in to the inbox, which sets them online.
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", password, ana).await;

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
    // The visitor's newest message says it was sent; Ana's show her initials.
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='contact'] .baton-msg-state"), "Sent")
        .await;
    assert_eq!(
        widget.find_all(By::Css("#baton-messages .baton-msg-state")).await?.len(),
        1,
        "only the newest"
    );
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='user'] .baton-avatar"), "A").await;
    screenshot(widget, "widget-delivery-and-avatar").await;

    // The user closes; the bot takes over again and asks for a rating.
    click(inbox, By::Id("close-chat")).await;
    click(widget, By::Css("#baton-rating button[data-rating='5']")).await;
    find_text(
        widget,
        By::Css("#baton-messages .baton-msg[data-author='bot']"),
        "Thank you for your feedback",
    )
    .await;
    gone(widget, By::Css("#baton-rating:not([hidden])")).await;
    let handoffs = app.state.store.list_handoffs(Some(HandoffState::Closed), 10).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    assert_eq!(handoffs[0].rating.map(|r| r.value()), Some(5));
    assert_eq!(handoffs[0].assignee.as_ref().map(|a| a.id), Some(ana));

    // The page's onHandoff callback saw the handoff.
    let log = find(widget, By::Id("demo-handoff-log")).await.text().await?;
    assert!(log.contains("explicit_request"), "{log}");
    Ok(())
}

/// A user added the way `baton user add` does, with a session token for the HTTP API.
pub(crate) async fn user(app: &TestApp, email: &str, password: &str, role: Role) -> (UserId, String) {
    let user = baton_server::service::users::add_user(&app.state, email, password, role, None).await.unwrap();
    let (status, body) =
        app.post("/v1/auth/login", None, json!({"email": email, "password": password})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (user.id, body["token"].as_str().unwrap().to_owned())
}

/// A visitor called `name` talking to `bot` (the default one: `None`) asks for a human;
/// returns them and the handoff's id.
pub(crate) async fn visitor_asking_for_a_human(
    app: &TestApp,
    name: &str,
    bot: Option<&str>,
) -> (Contact, String) {
    let mut conversation = json!({"contact": {"name": name}});
    if let Some(bot) = bot {
        conversation["bot_id"] = json!(bot);
    }
    let contact = app.open_conversation(conversation).await;
    let path = format!("/v1/conversations/{}/handoff", contact.id);
    let (status, handoff) = app.post(&path, Some(&contact.token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{handoff}");
    let id = handoff["id"].as_str().unwrap().to_owned();
    (contact, id)
}

/// The item of `contact`'s handoff in the inbox list `list` (`queue`, `mine`, `others`…).
pub(crate) fn item(list: &str, contact: &Contact) -> By {
    By::Css(format!("#{list} .handoff-item[data-conversation-id='{}']", contact.id))
}

/// A button of that item: `claim` (labelled Claim, or Accept for an offer) or `decline`.
pub(crate) fn item_button(list: &str, contact: &Contact, button: &str) -> By {
    By::Css(format!("#{list} .handoff-item[data-conversation-id='{}'] button.{button}", contact.id))
}

async fn handoff(app: &TestApp, id: &str, token: &str) -> Value {
    let (status, handoff) = app.get(&format!("/v1/handoffs/{id}"), Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{handoff}");
    handoff
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_inbox_transfers_a_live_chat_and_releases_one_to_the_bot_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run_transfers(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run_transfers(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let password = "inbox password";
    let (ana, ana_token) = user(app, "ana@example.com", password, Role::Agent).await;
    let (ben, _) = user(app, "ben@example.com", password, Role::Agent).await;
    let (admin, admin_token) = user(app, "admin@example.com", password, Role::Admin).await;
    let team = json!({"name": "billing", "settings": {"first_response_sla_seconds": 60}, "members": [ana]});
    let (status, team) = app.post("/v1/teams", Some(&admin_token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");

    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", password, ana).await;

    // Ana claims a visitor's chat from the queue: it is among her chats, open in the main pane.
    let (chloe, chloe_handoff) = visitor_asking_for_a_human(app, "Chloe", None).await;
    click(inbox, item_button("queue", &chloe, "claim")).await;
    find(inbox, item("mine", &chloe)).await;

    // A minute without a first reply breaks her team's SLA: the item says so, and so does the live region.
    app.later(Duration::from_secs(61)).await;
    let late = By::Css(format!("#mine .handoff-item.late[data-conversation-id='{}'] .tag.late", chloe.id));
    find(inbox, late).await;
    find_text(inbox, By::Id("toast"), "Late: your chat with Chloe").await;

    click(inbox, By::Id("transfer-chat")).await;

    // An agent picks from the directory: people with presence and load, and the teams.
    click(inbox, By::Id("transfer-submit")).await;
    find_text(inbox, By::Id("transfer-error"), "Choose whom").await;
    let ben_option = format!("user:{ben}");
    let ben_listed = By::Css(format!("#transfer-pick option[value='{ben_option}']"));
    let listed = inbox.query(ben_listed).wait(PATIENCE, Duration::from_millis(100)).first().await?;
    let label = listed.text().await?;
    assert!(label.starts_with("Ben · offline") && label.contains("0 of 10 live chats"), "{label}");
    let team_option = format!("#transfer-pick option[value='team:{}']", team["id"].as_str().unwrap());
    assert!(inbox.find(By::Css(team_option)).await?.text().await?.contains("Team billing"));
    assert!(
        inbox.find_all(By::Css(format!("#transfer-pick option[value='user:{ana}']"))).await?.is_empty(),
        "not to herself"
    );
    screenshot(inbox, "inbox-transfer-picker").await;

    // To Ben, with a note: the chat leaves her chats for the others' live chats.
    SelectElement::new(&find(inbox, By::Id("transfer-pick")).await)
        .await?
        .select_by_value(&ben_option)
        .await?;
    type_into(inbox, By::Id("transfer-note"), "Wants a refund for #4411").await;
    click(inbox, By::Id("transfer-submit")).await;
    gone(inbox, item("mine", &chloe)).await;
    find(inbox, item("others", &chloe)).await;
    assert!(!inbox.find(By::Id("transfer-form")).await?.is_displayed().await?);
    assert!(
        !inbox.find(By::Id("transfer-chat")).await?.is_displayed().await?,
        "the chat is no longer Ana's to move"
    );
    let moved = handoff(app, &chloe_handoff, &ana_token).await;
    assert_eq!(moved["state"], "live", "{moved}");
    assert_eq!(moved["assignee"]["id"], ben.to_string(), "{moved}");
    let messages = app.messages(chloe.id, &admin_token).await;
    let note = "Transfer note: Wants a refund for #4411";
    assert!(messages.iter().any(|m| m["text"] == note && m["note"] == true), "{messages:?}");

    // Another visitor: Ana claims the chat, then gives it back to the bot.
    let (dan, dan_handoff) = visitor_asking_for_a_human(app, "Dan", None).await;
    click(inbox, item_button("queue", &dan, "claim")).await;
    find(inbox, item("mine", &dan)).await;
    click(inbox, By::Id("release-chat")).await;
    gone(inbox, item("mine", &dan)).await;
    find(inbox, By::Id("takeover")).await;
    let conversation = app.conversation(&dan).await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    assert_eq!(conversation["owner"], json!({"kind": "bot"}), "{conversation}");
    assert_eq!(conversation["feedback_pending"], false, "{conversation}");
    let released = handoff(app, &dan_handoff, &ana_token).await;
    assert_eq!(released["state"], "closed", "{released}");

    // An admin picks the target from the users and teams they can list: Chloe goes back to Ana.
    click(inbox, By::Id("logout")).await;
    log_in(app, inbox, "admin@example.com", password, admin).await;
    click(inbox, item("others", &chloe)).await;
    click(inbox, By::Id("transfer-chat")).await;
    let ana_option = format!("user:{ana}");
    let ana_listed = By::Css(format!("#transfer-pick option[value='{ana_option}']"));
    inbox.query(ana_listed).wait(PATIENCE, Duration::from_millis(100)).first().await?;
    // Ben has the chat, so he is not offered as its target; the team is.
    assert!(inbox.find_all(By::Css(format!("#transfer-pick option[value='user:{ben}']"))).await?.is_empty());
    inbox.query(By::Css("#transfer-pick optgroup[label='Teams'] option")).first().await?;
    SelectElement::new(&find(inbox, By::Id("transfer-pick")).await)
        .await?
        .select_by_value(&ana_option)
        .await?;
    click(inbox, By::Id("transfer-submit")).await;
    find(inbox, item("others", &chloe)).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let back = handoff(app, &chloe_handoff, &admin_token).await;
        if back["assignee"]["id"] == ana.to_string() {
            assert_eq!(back["state"], "live", "{back}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "the admin's transfer did not happen: {back}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The admin gives a waiting chat to Ben, whoever routing would have chosen.
    let (eve, eve_handoff) = visitor_asking_for_a_human(app, "Eve", None).await;
    click(inbox, item("queue", &eve)).await;
    let ben_choice = By::Css(format!("#assign-pick option[value='{ben}']"));
    inbox.query(ben_choice).wait(PATIENCE, Duration::from_millis(100)).first().await?;
    SelectElement::new(&find(inbox, By::Id("assign-pick")).await)
        .await?
        .select_by_value(&ben.to_string())
        .await?;
    screenshot(inbox, "inbox-assign").await;
    click(inbox, By::Id("assign-submit")).await;
    find(inbox, item("others", &eve)).await;
    let given = handoff(app, &eve_handoff, &admin_token).await;
    assert_eq!(
        (given["state"].as_str(), given["assignee"]["id"].as_str()),
        (Some("live"), Some(ben.to_string().as_str()))
    );
    assert!(
        !inbox.find(By::Id("assign-field")).await?.is_displayed().await?,
        "a live chat is transferred, not assigned"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_inbox_accepts_and_declines_offers_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run_offers(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run_offers(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let password = "inbox password";
    let (ana, ana_token) = user(app, "ana@example.com", password, Role::Agent).await;
    let (ben, ben_token) = user(app, "ben@example.com", password, Role::Agent).await;
    let settings =
        serde_json::from_value(json!({"policy": {"assignment": {"strategy": "round_robin"}}})).unwrap();
    let bot = app.add_bot("round robin", settings).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", password, ana).await;

    // Ana is the only one online, so she is offered the chat: she accepts it from the list.
    let (eve, _) = visitor_asking_for_a_human(app, "Eve", Some(&bot)).await;
    let accept = item_button("queue", &eve, "claim");
    find_text(inbox, accept.clone(), "Accept").await;
    find(inbox, item_button("queue", &eve, "decline")).await;
    click(inbox, accept).await;
    find(inbox, item("mine", &eve)).await;

    // The next one she declines from the conversation's header: it is offered to Ben at once.
    let (finn, finn_handoff) = visitor_asking_for_a_human(app, "Finn", Some(&bot)).await;
    find(inbox, item_button("queue", &finn, "decline")).await;
    let (status, body) =
        app.request(Method::PUT, "/v1/me/status", Some(&ben_token), Some(json!({"status": "online"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    click(inbox, item("queue", &finn)).await;
    find_text(inbox, By::Id("claim-chat"), "Accept").await;
    click(inbox, By::Id("decline-chat")).await;
    find_text(inbox, item("queue", &finn), "Offered to Ben").await;
    find_text(inbox, item("queue", &finn), "You declined").await;
    assert!(!inbox.find(By::Id("decline-chat")).await?.is_displayed().await?);
    let handoff = handoff(app, &finn_handoff, &ana_token).await;
    assert_eq!(handoff["state"], "offered", "{handoff}");
    assert_eq!(handoff["assignee"]["id"], ben.to_string(), "{handoff}");
    assert_eq!(handoff["declined_by"], json!([ana.to_string()]), "{handoff}");
    Ok(())
}

/// A shop's own page, on another port (so another origin), that embeds the widget from Baton
/// with `attributes` on its script tag.
pub(crate) async fn shop_page(baton: &str, attributes: &str) -> (String, tokio::task::JoinHandle<()>) {
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head>\
         <body><h1>A shop elsewhere</h1><script src=\"{baton}/widget.js\" {attributes} async></script></body></html>"
    );
    let app =
        axum::Router::new().route("/", axum::routing::get(move || async move { axum::response::Html(page) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://localhost:{}/", listener.local_addr().unwrap().port());
    let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_widget_embedded_on_another_site_completes_a_chat_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, ana_token) = user(&app, "ana@example.com", "inbox password", Role::Agent).await;
    let (status, body) =
        app.request(Method::PUT, "/v1/me/status", Some(&ana_token), Some(json!({"status": "online"}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // `localhost` for the shop and `127.0.0.1` for Baton: two origins, as on the internet.
    let (shop, _server) = shop_page(&app.base, "").await;
    let driver = Chromedriver::start(&chromedriver).await;
    let widget = driver.browser().await;
    let result = async {
        widget.goto(&shop).await?;
        click(&widget, By::Id("baton-launcher")).await;
        find_text(&widget, By::Css("#baton-messages .baton-msg[data-author='bot']"), "assistant").await;
        type_into(&widget, By::Id("baton-input"), "I want to talk to a human").await;
        click(&widget, By::Id("baton-send")).await;
        find_text(&widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "connecting you")
            .await;

        // Ana takes it over the API and answers; the answer reaches the page on the other origin.
        let open = app.state.store.list_handoffs(None, 10).await.unwrap();
        assert_eq!(open.len(), 1, "{open:?}");
        let (conversation, handoff) = (open[0].conversation_id, open[0].id);
        let (status, body) =
            app.post(&format!("/v1/handoffs/{handoff}/claim"), Some(&ana_token), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let path = format!("/v1/conversations/{conversation}/messages");
        let (status, body) = app.post(&path, Some(&ana_token), json!({"text": "Hello from Ana"})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        find_text(&widget, By::Css("#baton-messages .baton-msg[data-author='user']"), "Hello from Ana").await;
        type_into(&widget, By::Id("baton-input"), "Thanks, Ana").await;
        click(&widget, By::Id("baton-send")).await;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let messages = app.state.store.messages_after(conversation, 0, false, 100).await.unwrap();
            if messages.iter().any(|m| m.text == "Thanks, Ana") {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the contact's reply did not arrive: {messages:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        WebDriverResult::Ok(())
    }
    .await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_widget_speaks_the_conversations_language_and_escape_closes_it_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (shop, _server) = shop_page(&app.base, "data-locale=\"de-DE\"").await;
    let driver = Chromedriver::start(&chromedriver).await;
    let widget = driver.browser().await;
    let result = async {
        widget.goto(&shop).await?;
        let launcher = find(&widget, By::Id("baton-launcher")).await;
        assert_eq!(launcher.attr("aria-label").await?.as_deref(), Some("Chat öffnen"));
        click(&widget, By::Id("baton-launcher")).await;
        find_text(&widget, By::Css(".baton-title"), "Chatten Sie mit uns").await;
        let input = find(&widget, By::Id("baton-input")).await;
        assert_eq!(input.attr("placeholder").await?.as_deref(), Some("Nachricht schreiben…"));
        find_text(&widget, By::Id("baton-human"), "Mit einem Menschen sprechen").await;
        // The bot's greeting arrives, then Escape closes the chat and the launcher has the focus.
        find(&widget, By::Css("#baton-messages .baton-msg[data-author='bot']")).await;
        input.send_keys(Key::Escape).await?;
        gone(&widget, By::Css("#baton-panel:not([hidden])")).await;
        let focused = widget.active_element().await?;
        assert_eq!(focused.id().await?.as_deref(), Some("baton-launcher"));
        WebDriverResult::Ok(())
    }
    .await;
    let _ = widget.quit().await;
    result.unwrap();
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_inbox_says_why_in_plain_words_with_the_evidence_behind_a_toggle_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let password = "inbox password";
    let (ana, _) = user(&app, "ana@example.com", password, Role::Agent).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = async {
        inbox.goto(format!("{}/inbox", app.base)).await?;
        log_in(&app, &inbox, "ana@example.com", password, ana).await;
        let contact = app.open_conversation(json!({"contact": {"name": "Gus"}})).await;
        app.say(&contact, "This is ridiculous, third time I ask, where is my parcel??? I want a human NOW")
            .await;
        app.bot_idle(contact.id).await;
        click(&inbox, item("queue", &contact)).await;
        find_text(&inbox, By::Css("#chat-meta dt"), "Why").await;
        find_text(&inbox, By::Css("#chat-meta dd"), "Asked for a human").await;
        find_text(&inbox, By::Css("#chat-meta dt"), "Mood").await;
        let toggle = find(&inbox, By::Css("#chat-lead details.evidence")).await;
        assert_eq!(toggle.attr("open").await?, None, "the evidence starts folded");
        let evidence = toggle.find(By::Css("ul")).await?;
        assert!(!evidence.is_displayed().await?);
        click(&inbox, By::Css("#chat-lead details.evidence summary")).await;
        find_text(&inbox, By::Css("#chat-lead details.evidence li"), "explicit request").await;
        WebDriverResult::Ok(())
    }
    .await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

/// Saves a screenshot of the page as `<name>.png` in `BATON_TEST_SCREENSHOT_DIR`, when set, for
/// a person to look at.
pub(crate) async fn screenshot(driver: &WebDriver, name: &str) {
    if let Ok(dir) = std::env::var("BATON_TEST_SCREENSHOT_DIR") {
        driver.screenshot(&std::path::Path::new(&dir).join(format!("{name}.png"))).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn each_user_sets_their_email_alerts_in_the_inbox_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let inbox = driver.browser().await;
    let result = run_alerts(&app, &inbox).await;
    let _ = inbox.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn run_alerts(app: &TestApp, inbox: &WebDriver) -> WebDriverResult<()> {
    let password = "inbox password";
    let (ana, ana_token) = user(app, "ana@example.com", password, Role::Agent).await;
    inbox.goto(format!("{}/inbox", app.base)).await?;
    log_in(app, inbox, "ana@example.com", password, ana).await;

    // The defaults, and a word that this server sends no mail yet (it has no [smtp]).
    click(inbox, By::Id("alerts-toggle")).await;
    find_text(inbox, By::Id("alerts-off"), "sends no email yet").await;
    assert!(find(inbox, By::Id("alerts-email")).await.is_selected().await?);
    let after = find(inbox, By::Id("alerts-after")).await;
    assert_eq!(after.value().await?.as_deref(), Some("1"));
    screenshot(inbox, "inbox-email-alerts").await;

    // More than a day is refused next to the field, and nothing is saved.
    after.clear().await?;
    after.send_keys("2000").await?;
    click(inbox, By::Id("alerts-save")).await;
    find_text(inbox, By::Id("alerts-error"), "between 0 and 1440").await;
    assert_eq!(after.attr("aria-invalid").await?.as_deref(), Some("true"));
    screenshot(inbox, "inbox-email-alerts-invalid").await;
    let (_, saved) = app.get("/v1/me/notifications", Some(&ana_token)).await;
    assert_eq!(saved["email_after_seconds"], 60, "{saved}");

    // Two and a half minutes, in German, then off altogether.
    after.clear().await?;
    after.send_keys("2.5").await?;
    SelectElement::new(&find(inbox, By::Id("alerts-language")).await).await?.select_by_value("de").await?;
    click(inbox, By::Id("alerts-email")).await;
    click(inbox, By::Id("alerts-save")).await;
    find_text(inbox, By::Id("toast"), "Email alerts turned off").await;
    assert!(!inbox.find(By::Id("alerts-form")).await?.is_displayed().await?);
    let (status, saved) = app.get("/v1/me/notifications", Some(&ana_token)).await;
    assert_eq!(status, StatusCode::OK);
    let expected =
        json!({"email": false, "email_after_seconds": 150, "language": "de", "mail_enabled": false});
    assert_eq!(saved, expected);

    // Opened again, it shows what was saved; Escape closes it.
    click(inbox, By::Id("alerts-toggle")).await;
    assert_eq!(find(inbox, By::Id("alerts-after")).await.value().await?.as_deref(), Some("2.5"));
    assert!(!find(inbox, By::Id("alerts-email")).await.is_selected().await?);
    find(inbox, By::Id("alerts-email")).await.send_keys(Key::Escape).await?;
    gone(inbox, By::Css("#alerts-form:not([hidden])")).await;
    Ok(())
}
