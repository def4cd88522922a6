//! A support manager sets Baton up in the console, in Chromium, and a real conversation
//! follows the new settings: an invited agent sets their password through the link; a team
//! gets split-shift office hours copied to the other weekdays and a holiday; the bot routes
//! German chats to that team round robin, with a forbidden topic and a detail to gather;
//! "Test this bot" shows the route; then a German visitor's chat through the widget is gathered,
//! routed to the team and offered to the agent. Bad values in each form show the server's
//! message next to the field and change nothing.

use baton_core::time::Timestamp;
use baton_core::user::Role;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

use crate::browser::{
    Chromedriver, chromedriver_path, click, find, find_text, log_in, screenshot, shop_page, type_into, user,
};
use crate::helpers::{Backend, PATIENCE, TestApp};

/// Tuesday 8 December 2026, 09:00 UTC: 10:00 in Berlin, within the team's morning shift.
const TUESDAY_MORNING: Timestamp = Timestamp::from_millis(1_796_720_400_000);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn a_manager_sets_up_a_team_and_a_bot_and_a_chat_follows_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.at(TUESDAY_MORNING).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let (admin, agent, widget) = (driver.browser().await, driver.browser().await, driver.browser().await);
    let result = set_up_and_chat(&app, &admin, &agent, &widget).await;
    for browser in [admin, agent, widget] {
        let _ = browser.quit().await;
    }
    result.unwrap();
    app.shutdown().await;
}

/// Sets a form control's value as a person choosing it would, with the event the page listens
/// for (time and date inputs take keystrokes in the browser's locale format, so they are set).
async fn set_value(browser: &WebDriver, css: &str, value: &str, event: &str) {
    let element = find(browser, By::Css(css)).await;
    browser
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event(arguments[2], { bubbles: true }));",
            vec![element.to_json().unwrap(), json!(value), json!(event)],
        )
        .await
        .unwrap();
}

/// The server's message shown next to the field `id`, which is marked invalid.
async fn invalid(browser: &WebDriver, id: &str) -> String {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let message = loop {
        let text = find(browser, By::Id(format!("{id}-error"))).await.text().await.unwrap_or_default();
        if !text.is_empty() {
            break text;
        }
        assert!(tokio::time::Instant::now() < deadline, "no message next to #{id}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let marked = find(browser, By::Id(id)).await.attr("aria-invalid").await.unwrap();
    assert_eq!(marked.as_deref(), Some("true"), "#{id} marked invalid");
    message
}

/// On a tablet held upright (820 × 1180) the page fits the screen's width: nothing to scroll
/// sideways. The window is put back afterwards.
async fn fits_a_tablet(browser: &WebDriver, name: &str) {
    browser.set_window_rect(0, 0, 820, 1180).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let overflow = browser
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    screenshot(browser, name).await;
    assert_eq!(overflow.json().as_i64(), Some(0), "{name} scrolls sideways on a tablet");
    browser.set_window_rect(0, 0, 1280, 900).await.unwrap();
}

async fn api(app: &TestApp, token: &str, path: &str) -> Value {
    let (status, body) = app.get(path, Some(token)).await;
    assert!(status.is_success(), "{path}: {body}");
    body
}

async fn set_up_and_chat(
    app: &TestApp,
    admin: &WebDriver,
    agent: &WebDriver,
    widget: &WebDriver,
) -> WebDriverResult<()> {
    let (_, token) = user(app, "lead@example.com", "lead password", Role::Admin).await;
    admin.goto(format!("{}/admin", app.base)).await?;
    type_into(admin, By::Id("login-email"), "lead@example.com").await;
    type_into(admin, By::Id("login-password"), "lead password").await;
    click(admin, By::Id("login-submit")).await;
    find_text(admin, By::Id("bot-rows"), "Demo bot").await;

    // Invite an agent who answers in German: a capacity of 0 is refused next to its field.
    click(admin, By::Css(".nav-link[data-page='users']")).await;
    click(admin, By::Id("user-invite")).await;
    type_into(admin, By::Id("user-email"), "jonas@example.com").await;
    type_into(admin, By::Id("user-name"), "Jonas").await;
    click(admin, By::Css("#user-form input[name='user-lang'][value='de']")).await;
    type_into(admin, By::Id("user-capacity"), "0").await;
    click(admin, By::Css("#user-form button[type='submit']")).await;
    let message = invalid(admin, "user-capacity").await;
    assert!(message.contains("between"), "{message}");
    assert_eq!(api(app, &token, "/v1/users").await.as_array().unwrap().len(), 1, "nobody invited yet");
    screenshot(admin, "admin-users-invalid").await;
    find(admin, By::Id("user-capacity")).await.clear().await?;
    type_into(admin, By::Id("user-capacity"), "3").await;
    click(admin, By::Css("#user-form button[type='submit']")).await;
    let link = find_text(admin, By::Id("link-value"), "/set-password#token=").await.text().await?;
    find_text(admin, By::Id("user-rows"), "Jonas").await;
    screenshot(admin, "admin-users").await;
    click(admin, By::Id("link-done")).await;

    // His email alerts: a wait of more than a day is refused next to its field.
    click(admin, By::Css("button[aria-label='Edit Jonas']")).await;
    let wait = find(admin, By::Id("user-alerts-after")).await;
    wait.clear().await?;
    wait.send_keys("2000").await?;
    click(admin, By::Css("#user-form button[type='submit']")).await;
    let message = invalid(admin, "user-alerts-after").await;
    assert!(message.contains("at most"), "{message}");
    screenshot(admin, "admin-user-edit").await;
    wait.clear().await?;
    wait.send_keys("5").await?;
    click(admin, By::Css("#user-form button[type='submit']")).await;
    find_text(admin, By::Id("toast"), "User saved").await;

    // Jonas sets his password with the link and signs in to the inbox, which sets him online.
    assert!(link.starts_with(&app.base), "completed with the console's address: {link}");
    agent.goto(&link).await?;
    type_into(agent, By::Id("new-password"), "jonas own password").await;
    type_into(agent, By::Id("repeat-password"), "jonas own password").await;
    screenshot(agent, "set-password").await;
    click(agent, By::Id("password-submit")).await;
    find_text(agent, By::Id("password-done"), "Password set").await;
    agent.goto(format!("{}/inbox", app.base)).await?;
    let users = api(app, &token, "/v1/users").await;
    let jonas = users.as_array().unwrap().iter().find(|u| u["email"] == "jonas@example.com").unwrap().clone();
    let jonas_id = jonas["id"].as_str().unwrap().to_owned();
    assert_eq!(jonas["languages"], json!(["de"]));
    assert_eq!(jonas["capacity"], 3);
    let alerts =
        api(app, &token, &format!("/v1/users/{}/notifications", jonas["id"].as_str().unwrap())).await;
    assert_eq!(alerts["email_after_seconds"], 300);
    log_in(app, agent, "jonas@example.com", "jonas own password", jonas_id.parse().unwrap()).await;

    // A team with split shifts, Monday's copied to the other weekdays, and a holiday.
    click(admin, By::Css(".nav-link[data-page='teams']")).await;
    click(admin, By::Id("team-add")).await;
    type_into(admin, By::Id("team-name"), "Berlin").await;
    click(admin, By::Css(format!("#team-form [data-field='members'] input[value='{jonas_id}']"))).await;
    click(admin, By::Css("input[name='team-hours-mode'][value='hours']")).await;
    let zone = find(admin, By::Id("team-hours-tz")).await;
    zone.clear().await?;
    zone.send_keys("Europe/Berlin").await?;
    set_value(
        admin,
        "tr[data-day='monday'] .slot:nth-of-type(1) input[type='time']:first-of-type",
        "09:00",
        "input",
    )
    .await;
    set_value(
        admin,
        "tr[data-day='monday'] .slot:nth-of-type(1) input[type='time']:last-of-type",
        "12:30",
        "input",
    )
    .await;
    click(admin, By::Css("button[aria-label='Add hours on Monday']")).await;
    set_value(
        admin,
        "tr[data-day='monday'] .slot:nth-of-type(2) input[type='time']:first-of-type",
        "14:00",
        "input",
    )
    .await;
    set_value(
        admin,
        "tr[data-day='monday'] .slot:nth-of-type(2) input[type='time']:last-of-type",
        "18:00",
        "input",
    )
    .await;
    click(admin, By::Css("button[aria-label=\"Copy Monday's hours to other days\"]")).await;
    click(admin, By::Css(".copy-panel .btn.primary")).await;
    set_value(admin, "#team-hours-holiday", "2026-12-24", "input").await;
    click(admin, By::Css("#team-form .dates .btn")).await;
    find_text(admin, By::Css("#team-form .hours-preview"), "Open now, closes Tuesday 2026-12-08 12:30").await;
    // A first-response target of six seconds is refused, next to its field.
    type_into(admin, By::Id("team-sla"), "0.1").await;
    click(admin, By::Css("#team-form button[type='submit']")).await;
    let message = invalid(admin, "team-sla").await;
    assert!(message.contains("10 seconds to 24 hours"), "{message}");
    assert_eq!(api(app, &token, "/v1/teams").await, json!([]), "no team yet");
    find(admin, By::Id("team-sla")).await.clear().await?;
    type_into(admin, By::Id("team-sla"), "5").await;
    type_into(admin, By::Id("team-phone"), "+4930123456").await;
    screenshot(admin, "admin-team-hours").await;
    fits_a_tablet(admin, "admin-team-hours-tablet").await;
    click(admin, By::Css("#team-form button[type='submit']")).await;
    find_text(admin, By::Id("team-rows"), "Berlin").await;
    let teams = api(app, &token, "/v1/teams").await;
    let team = &teams[0];
    let team_id = team["id"].as_str().unwrap().to_owned();
    let split = json!([{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]);
    let schedule = &team["settings"]["schedule"];
    assert_eq!(schedule["timezone"], "Europe/Berlin");
    for day in ["monday", "tuesday", "wednesday", "thursday", "friday"] {
        assert_eq!(schedule["weekly"][day], split, "{day}: {schedule}");
    }
    assert_eq!(schedule["weekly"]["saturday"], json!([]));
    assert_eq!(schedule["holidays"], json!(["2026-12-24"]));
    assert_eq!(team["members"], json!([jonas_id]));
    assert_eq!(team["settings"]["first_response_sla_seconds"], 300);
    assert_eq!(team["settings"]["phone"], "+4930123456");

    // The bot: German to the Berlin team, round robin; a forbidden topic; a detail to gather.
    click(admin, By::Css(".nav-link[data-page='bots']")).await;
    let demo = &api(app, &token, "/v1/bots").await[0]["settings"]["policy"];
    let topic = demo["topics"].as_array().unwrap().len();
    let field = demo["gather"].as_array().unwrap().len();
    click(admin, By::Css("#bot-rows a.btn")).await;
    find(admin, By::Id("bot-name")).await;
    set_value(admin, "#assignment-strategy", "round_robin", "change").await;
    set_value(admin, "#route-add", "de", "change").await;
    click(
        admin,
        By::Css(format!("[data-field='policy.assignment.targets.de'] input[value='team:{team_id}']")),
    )
    .await;
    click(admin, By::Id("topic-add")).await;
    type_into(admin, By::Id(format!("topic-{topic}-name")), "refund").await;
    type_into(admin, By::Id(format!("topic-{topic}-phrases")), "Rückerstattung").await;
    set_value(admin, &format!("#topic-{topic}-priority"), "urgent", "change").await;
    click(admin, By::Id("gather-add")).await;
    type_into(admin, By::Id(format!("gather-{field}-label")), "Bestellnummer").await;
    type_into(admin, By::Id(format!("gather-{field}-key")), "order").await;
    set_value(admin, &format!("#gather-{field}-kind"), "number", "change").await;
    // Capacity 0 is refused next to its field, and the bot is unchanged.
    let capacity = find(admin, By::Id("assignment-capacity")).await;
    capacity.clear().await?;
    capacity.send_keys("0").await?;
    click(admin, By::Id("bot-save")).await;
    invalid(admin, "assignment-capacity").await;
    let bots = api(app, &token, "/v1/bots").await;
    assert_eq!(bots[0]["settings"]["policy"]["assignment"]["strategy"], "broadcast", "unchanged: {bots}");
    capacity.clear().await?;
    capacity.send_keys("5").await?;

    // "Test this bot" on a German request, with the unsaved settings: the route is the team.
    type_into(admin, By::Id("trial-text"), "Ich möchte bitte mit einem Menschen sprechen").await;
    click(admin, By::Id("trial-run")).await;
    find_text(admin, By::Css("#trial-result .trial-verdict"), "Asked for a person").await;
    find_text(admin, By::Css("#trial-result .trial-route"), "Team Berlin").await;
    find_text(admin, By::Css("#trial-result .candidates"), "Jonas").await;
    find_text(admin, By::Css("#trial-result .trial-route"), "Queued for Jonas").await;
    screenshot(admin, "admin-bot-editor").await;
    fits_a_tablet(admin, "admin-bot-editor-tablet").await;
    click(admin, By::Id("bot-save")).await;
    find_text(admin, By::Id("toast"), "Bot saved").await;
    let bots = api(app, &token, "/v1/bots").await;
    let policy = &bots[0]["settings"]["policy"];
    assert_eq!(policy["assignment"]["strategy"], "round_robin");
    assert_eq!(policy["assignment"]["capacity"], 5);
    assert_eq!(policy["assignment"]["targets"]["de"], json!([format!("team:{team_id}")]));
    assert_eq!(policy["assignment"]["targets"]["*"], json!(["all"]), "other languages: everyone");
    assert_eq!(
        policy["topics"][topic],
        json!({"name": "refund", "phrases": ["Rückerstattung"], "examples": []})
    );
    assert_eq!(policy["priority_by_topic"]["refund"], "urgent");
    assert_eq!(
        policy["gather"][field],
        json!({"key": "order", "label": "Bestellnummer", "kind": "number", "required": true, "options": []})
    );

    // A German visitor asks for a person through the widget: the bot gathers the order number,
    // then the chat is offered to Jonas (round robin), who accepts it in his inbox.
    let (shop, _server) = shop_page(&app.base, "data-locale=\"de-DE\"").await;
    widget.goto(&shop).await?;
    click(widget, By::Id("baton-launcher")).await;
    find(widget, By::Css("#baton-messages .baton-msg[data-author='bot']")).await;
    type_into(widget, By::Id("baton-input"), "Ich möchte mit einem Menschen sprechen").await;
    click(widget, By::Id("baton-send")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg"), "Bestellnummer").await;
    type_into(widget, By::Id("baton-input"), "48213").await;
    click(widget, By::Id("baton-send")).await;
    click(agent, By::Css("#queue .handoff-item button.claim")).await;
    find_text(widget, By::Css("#baton-messages .baton-msg[data-author='system']"), "Jonas").await;
    let (_, listed) = app.get("/v1/handoffs?state=live", Some(&token)).await;
    let handoff = &listed["handoffs"][0];
    assert_eq!(handoff["assignee"]["id"], jonas_id.as_str(), "{listed}");
    assert_eq!(handoff["language"], "de");
    assert_eq!(handoff["gathered"], json!({"order": "48213"}));
    let (_, log) = app.get("/v1/audit?limit=200", Some(&token)).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for action in ["bot.updated", "team.created", "user.created", "user.password_link_created"] {
        assert!(actions.contains(&action), "{action} in the audit log: {actions:?}");
    }
    click(admin, By::Css(".nav-link[data-page='audit']")).await;
    find_text(admin, By::Id("audit-entries"), "changed the bot").await;
    screenshot(admin, "admin-audit").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(not(test_browser), ignore = "needs BATON_TEST_CHROMEDRIVER")]
async fn the_analytics_page_shows_the_figures_of_the_api_in_chromium() {
    let chromedriver = chromedriver_path();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let driver = Chromedriver::start(&chromedriver).await;
    let browser = driver.browser().await;
    let result = read_the_dashboard(&app, &browser).await;
    let _ = browser.quit().await;
    result.unwrap();
    app.shutdown().await;
}

async fn read_the_dashboard(app: &TestApp, browser: &WebDriver) -> WebDriverResult<()> {
    let (_, token) = user(app, "lead@example.com", "lead password", Role::Admin).await;
    let ana = app.online_agent("ana@example.com").await;
    // Three handoffs: one taken by Ana, one closed while it waited, one still waiting.
    let mut handoffs = Vec::new();
    for _ in 0..3 {
        let contact = app.start_conversation().await;
        handoffs.push(app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned());
    }
    let (status, _) = crate::routing::act(app, &ana, &handoffs[0], "claim").await;
    assert!(status.is_success());
    let closed = app.post(&format!("/v1/handoffs/{}/close", handoffs[1]), Some(&token), json!({})).await;
    assert!(closed.0.is_success(), "{}", closed.1);
    app.consumers_caught_up().await;
    let expected = api(app, &token, "/v1/analytics").await;
    assert_eq!(expected["handoffs"], 3);

    browser.goto(format!("{}/admin#analytics", app.base)).await?;
    type_into(browser, By::Id("login-email"), "lead@example.com").await;
    type_into(browser, By::Id("login-password"), "lead password").await;
    click(browser, By::Id("login-submit")).await;
    let shown = |key: &str| format!("[data-figure='{key}'] .figure-value");
    find_text(browser, By::Css(shown("handoffs")), &expected["handoffs"].to_string()).await;
    find_text(browser, By::Css(shown("conversations")), &expected["conversations"].to_string()).await;
    find_text(browser, By::Css(shown("handoff_rate")), "100 %").await;
    find_text(browser, By::Css(shown("human_share")), "33.3 %").await;
    let outcomes = |key: &str| format!("[data-chart='outcomes'] li[data-key='{key}'] .bar-count");
    for key in ["human", "abandoned", "waiting"] {
        let count = expected["outcomes"][key].to_string();
        let text = find(browser, By::Css(outcomes(key))).await.text().await?;
        assert!(text.starts_with(&format!("{count} ·")), "{key}: {text} against {count}");
    }
    find_text(browser, By::Css(".analytics table"), &ana.name).await;
    screenshot(browser, "admin-analytics").await;
    fits_a_tablet(browser, "admin-analytics-tablet").await;

    // A range the wrong way round is refused next to its field.
    set_value(browser, "#an-from", "2026-12-31", "input").await;
    set_value(browser, "#an-to", "2026-12-01", "input").await;
    click(browser, By::Id("analytics-show")).await;
    invalid(browser, "an-from").await;
    Ok(())
}
