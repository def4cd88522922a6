//! What the admin console needs beyond plain configuration: the audit log, the office-hours
//! preview, invitations by a one-time link, and "Test this bot".

use std::time::Duration;

use baton_core::time::Timestamp;
use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Agent, TestApp};

crate::on_both_backends!(
    every_configuration_change_is_audited_with_who_and_what,
    the_office_hours_preview_says_what_the_edited_schedule_means_now,
    an_invited_user_sets_their_password_once_with_the_link,
    testing_a_bot_shows_the_trigger_and_the_route_without_changing_anything,
    a_user_is_invited_and_changed_in_one_checked_request,
);

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

fn problem_is(status: StatusCode, problem: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{problem}");
    assert_eq!(problem["code"], code, "{problem}");
}

async fn audit(app: &TestApp, admin: &Agent, query: &str) -> Value {
    let (status, page) = app.get(&format!("/v1/audit{query}"), Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

fn change<'a>(entry: &'a Value, field: &str) -> &'a Value {
    entry["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change to {field} in {entry}"))
}

async fn every_configuration_change_is_audited_with_who_and_what(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.agent("ana@example.com", Role::Agent).await;

    let (status, team) = app.post("/v1/teams", Some(&admin.token), json!({"name": "berlin"})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let team_id = team["id"].as_str().unwrap().to_owned();
    let renamed = json!({"name": "berlin", "settings": {"strategy": "round_robin"}});
    let (status, body) = app.put(&format!("/v1/teams/{team_id}"), Some(&admin.token), renamed).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let members = json!({"members": [ana.id]});
    let (status, body) = app.put(&format!("/v1/teams/{team_id}/members"), Some(&admin.token), members).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Refused changes leave no trace.
    let bad = json!({"name": "berlin", "settings": {"first_response_sla_seconds": 0}});
    let (status, _) = app.put(&format!("/v1/teams/{team_id}"), Some(&admin.token), bad).await;
    assert_eq!(status, UNPROCESSABLE);

    let (status, bots) = app.get("/v1/bots", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK);
    let bot = bots[0].clone();
    let bot_id = bot["id"].as_str().unwrap().to_owned();
    let mut settings = bot["settings"].clone();
    settings["backend"] = json!({"kind": "openai", "base_url": "https://llm.example.com/v1", "model": "m", "api_key": "sk-first-secret"});
    let body = json!({"name": bot["name"], "settings": settings});
    let (status, body) = app.put(&format!("/v1/bots/{bot_id}"), Some(&admin.token), body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    settings["backend"]["api_key"] = json!("sk-second-secret");
    settings["policy"]["preset"] = json!("quick");
    let body = json!({"name": bot["name"], "settings": settings});
    let (status, body) = app.put(&format!("/v1/bots/{bot_id}"), Some(&admin.token), body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.post(&format!("/v1/bots/{bot_id}/api-key"), Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED);

    let routing = json!({"languages": ["de"], "capacity": 3});
    let (status, body) = app.put(&format!("/v1/users/{}/routing", ana.id), Some(&admin.token), routing).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .put(
            &format!("/v1/users/{}/password", ana.id),
            Some(&admin.token),
            json!({"password": "a new secret!"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) =
        app.request(Method::DELETE, &format!("/v1/teams/{team_id}"), Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let page = audit(&app, &admin, "").await;
    let entries = page["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "team.deleted",
            "user.password_reset",
            "user.routing_changed",
            "bot.api_key_issued",
            "bot.updated",
            "bot.updated",
            "team.members_changed",
            "team.updated",
            "team.created",
            "user.created",
            "user.created",
        ],
        "newest first, the refused change absent: {page}"
    );
    let (by_admin, by_baton) = entries.split_at(9);
    assert!(
        by_admin.iter().all(|e| e["actor"]["id"] == admin.id.as_str() && e["actor"]["name"] == admin.name)
    );
    // The test made its users as `baton user add` does: Baton itself is the actor.
    assert!(by_baton.iter().all(|e| e["actor"].is_null()), "{page}");
    assert_eq!(change(&by_baton[0], "email")["after"], "ana@example.com");
    assert!(page["next_before"].is_null(), "{page}");

    let updated = &entries[7];
    assert_eq!(updated["subject"], json!({"kind": "team", "id": team_id, "name": "berlin"}));
    assert_eq!(change(updated, "settings.strategy")["after"], "round_robin");
    assert_eq!(change(&entries[6], "members")["after"], json!([ana.id]));
    let routing = &entries[2];
    assert_eq!(routing["subject"]["name"], ana.name);
    assert_eq!(change(routing, "languages")["after"], json!(["de"]));
    assert_eq!(change(routing, "capacity")["after"], 3);
    let deleted = &entries[0];
    assert_eq!(change(deleted, "name")["before"], "berlin");
    assert!(change(deleted, "name")["after"].is_null());

    // The key change shows as changed, never the key.
    let text = page.to_string();
    assert!(!text.contains("sk-first-secret") && !text.contains("sk-second-secret"), "{page}");
    let second = &entries[4];
    assert_eq!(change(second, "settings.backend.api_key")["before"], "********");
    assert_eq!(change(second, "settings.backend.api_key")["after"], "********");
    assert_eq!(change(second, "settings.policy.preset")["before"], "balanced");
    assert_eq!(change(second, "settings.policy.preset")["after"], "quick");

    // Filters and pages.
    let teams = audit(&app, &admin, "?subject_kind=team").await;
    assert_eq!(teams["entries"].as_array().unwrap().len(), 4, "{teams}");
    let of_ana = audit(&app, &admin, &format!("?subject_id={}", ana.id)).await;
    let actions: Vec<&str> =
        of_ana["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.password_reset", "user.routing_changed", "user.created"]);
    let first = audit(&app, &admin, "?limit=4").await;
    assert_eq!(first["entries"].as_array().unwrap().len(), 4);
    let before = first["next_before"].as_i64().expect("a next page");
    let rest = audit(&app, &admin, &format!("?limit=4&before={before}")).await;
    assert_eq!(rest["entries"][0]["action"], "bot.updated");
    assert_eq!(rest["entries"].as_array().unwrap().len(), 4);

    let (status, problem) = app.get("/v1/audit?limit=0", Some(&admin.token)).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let (status, problem) = app.get("/v1/audit?subject_kind=planet", Some(&admin.token)).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    assert!(problem["detail"].as_str().unwrap().starts_with("subject_kind:"), "{problem}");
    let (status, _) = app.get("/v1/audit", Some(&ana.token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a reset password ended Ana's session");
    let bea = app.agent("bea@example.com", Role::Agent).await;
    let (status, problem) = app.get("/v1/audit", Some(&bea.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    app.shutdown().await;
}

/// Sunday 6 December 2026, 18:00 UTC: 19:00 in Berlin.
const SUNDAY_EVENING: Timestamp = Timestamp::from_millis(1_796_580_000_000);

async fn the_office_hours_preview_says_what_the_edited_schedule_means_now(app: TestApp) {
    app.at(SUNDAY_EVENING).await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let day = json!([{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]);
    let schedule = json!({
        "timezone": "Europe/Berlin",
        "weekly": {"monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day},
    });
    let (status, outlook) = app.post("/v1/schedules/preview", Some(&admin.token), schedule.clone()).await;
    assert_eq!(status, StatusCode::OK, "{outlook}");
    assert_eq!(outlook["open"], false);
    assert_eq!(outlook["summary"], "Closed, opens Monday 2026-12-07 09:00 (in 14 h)");
    assert_eq!(outlook["changes_at_local"], "Monday 2026-12-07 09:00");

    // Monday 7 December is a holiday in the edited schedule: it opens on Tuesday instead.
    let mut holiday = schedule.clone();
    holiday["holidays"] = json!(["2026-12-07"]);
    let (_, outlook) = app.post("/v1/schedules/preview", Some(&admin.token), holiday).await;
    assert_eq!(outlook["summary"], "Closed, opens Tuesday 2026-12-08 09:00 (in 38 h)");

    // A night shift past midnight on Sunday is open now.
    let mut night = schedule.clone();
    night["weekly"]["sunday"] = json!([{"start": "18:30", "end": "02:00"}]);
    let (_, outlook) = app.post("/v1/schedules/preview", Some(&admin.token), night).await;
    assert_eq!(outlook["open"], true);
    assert_eq!(outlook["summary"], "Open now, closes Monday 2026-12-07 02:00 (in 7 h)");

    let (_, outlook) = app.post("/v1/schedules/preview", Some(&admin.token), json!({})).await;
    assert_eq!(outlook["summary"], "Open now, around the clock");

    let (status, problem) =
        app.post("/v1/schedules/preview", Some(&admin.token), json!({"timezone": "Mars/Olympus"})).await;
    assert_eq!(status, UNPROCESSABLE, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("not a time zone"), "{problem}");
    let overlapping = json!({"weekly": {"monday": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}});
    let (status, problem) = app.post("/v1/schedules/preview", Some(&admin.token), overlapping).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let agent = app.agent("ana@example.com", Role::Agent).await;
    let (status, _) = app.post("/v1/schedules/preview", Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.shutdown().await;
}

async fn an_invited_user_sets_their_password_once_with_the_link(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (status, user) = app
        .post(
            "/v1/users",
            Some(&admin.token),
            json!({"email": "Nina@Example.com", "role": "agent", "name": "Nina"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let id = user["id"].as_str().unwrap().to_owned();

    let (status, link) =
        app.post(&format!("/v1/users/{id}/password-link"), Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{link}");
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("/set-password#token=pl_"), "{link}");
    let token = url.split("#token=").nth(1).unwrap().to_owned();
    let page = reqwest::get(format!("{}/set-password", app.base)).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Set your password"));

    // A refused password leaves the link usable.
    let (status, problem) =
        app.post("/v1/password-links/use", None, json!({"token": token, "password": "short"})).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let (status, body) = app
        .post("/v1/password-links/use", None, json!({"token": token, "password": "nina's own secret"}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let login = json!({"email": "nina@example.com", "password": "nina's own secret"});
    let (status, body) = app.post("/v1/auth/login", None, login.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, problem) =
        app.post("/v1/password-links/use", None, json!({"token": token, "password": "someone else's"})).await;
    problem_is(status, &problem, StatusCode::FORBIDDEN, "link_invalid");
    let (status, _) = app.post("/v1/auth/login", None, login).await;
    assert_eq!(status, StatusCode::OK, "a used link changes nothing");

    // A new link replaces the old one; an expired one does not work.
    let (_, first) = app.post(&format!("/v1/users/{id}/password-link"), Some(&admin.token), json!({})).await;
    let (_, second) = app.post(&format!("/v1/users/{id}/password-link"), Some(&admin.token), json!({})).await;
    let token_of = |link: &Value| link["url"].as_str().unwrap().split("#token=").nth(1).unwrap().to_owned();
    let (status, problem) = app
        .post(
            "/v1/password-links/use",
            None,
            json!({"token": token_of(&first), "password": "replaced link!"}),
        )
        .await;
    problem_is(status, &problem, StatusCode::FORBIDDEN, "link_invalid");

    let (status, problem) = app
        .post("/v1/password-links/use", None, json!({"token": "pl_nonsense", "password": "whatever it is"}))
        .await;
    problem_is(status, &problem, StatusCode::FORBIDDEN, "link_invalid");
    let agent = app.agent("ana@example.com", Role::Agent).await;
    let (status, _) = app.post(&format!("/v1/users/{id}/password-link"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let unknown = "0190b0b0-0000-7000-8000-000000000000";
    let (status, _) =
        app.post(&format!("/v1/users/{unknown}/password-link"), Some(&admin.token), json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, log) = app.get(&format!("/v1/audit?subject_id={id}"), Some(&admin.token)).await;
    let actions: Vec<&str> =
        log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "user.password_link_created",
            "user.password_link_created",
            "user.password_link_created",
            "user.created"
        ]
    );

    // Three days later the newest link has expired.
    app.later(Duration::from_secs(73 * 3600)).await;
    let (status, problem) = app
        .post(
            "/v1/password-links/use",
            None,
            json!({"token": token_of(&second), "password": "expired link!"}),
        )
        .await;
    problem_is(status, &problem, StatusCode::FORBIDDEN, "link_invalid");
    app.shutdown().await;
}

async fn testing_a_bot_shows_the_trigger_and_the_route_without_changing_anything(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let jonas = app.online_agent("jonas@example.com").await;
    let (status, team) =
        app.post("/v1/teams", Some(&admin.token), json!({"name": "berlin", "members": [jonas.id]})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let bot = app
        .bot_with_policy(json!({
            "languages": ["en", "de"],
            "availability_check": true,
            "assignment": {"targets": {"de": ["team:berlin"], "*": ["all"]}, "strategy": "round_robin"},
            "topics": [{"name": "refund", "phrases": ["refund", "Rückerstattung"]}],
            "priority_by_topic": {"refund": "urgent"},
            "gather": [{"key": "order", "label": "order number", "kind": "number", "required": true}],
        }))
        .await;
    let path = format!("/v1/bots/{bot}/trial");

    let german = json!({"messages": [{"text": "Ich möchte bitte mit einem Menschen sprechen"}]});
    let (status, trial) = app.post(&path, Some(&admin.token), german.clone()).await;
    assert_eq!(status, StatusCode::OK, "{trial}");
    assert_eq!(trial["language"], "de", "{trial}");
    assert_eq!(trial["handoff"]["trigger"], "explicit_request", "{trial}");
    assert!(!trial["signals"].as_array().unwrap().is_empty(), "{trial}");
    assert_eq!(trial["handoff"]["would_ask"], "order", "{trial}");
    assert_eq!(trial["route"]["targets"], json!(["team:berlin"]));
    assert_eq!(trial["route"]["strategy"], "round_robin");
    assert_eq!(trial["route"]["outcome"], "queue", "{trial}");
    assert_eq!(
        trial["route"]["candidates"],
        json!([{"id": jonas.id, "name": jonas.name, "status": "online", "on_duty": true, "live": 0}])
    );

    // Routing answers for now: with Jonas away the German handoff would go offline.
    let (status, _) =
        app.request(Method::PUT, "/v1/me/status", Some(&jonas.token), Some(json!({"status": "away"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, trial) = app.post(&path, Some(&admin.token), german).await;
    assert_eq!(trial["route"]["outcome"], "offline", "{trial}");
    assert_eq!(trial["route"]["candidates"][0]["on_duty"], false, "{trial}");
    assert!(trial["route"]["explanation"].as_str().unwrap().contains("Nobody"), "{trial}");

    // A pasted conversation: the refund topic, with the order number said earlier.
    let pasted = json!({"messages": [
        {"text": "Hello, my order 48213 arrived broken"},
        {"from": "bot", "text": "I am sorry to hear that. How can I help?"},
        {"text": "I want a refund"},
    ]});
    let (_, trial) = app.post(&path, Some(&admin.token), pasted).await;
    assert_eq!(trial["language"], "en", "{trial}");
    assert_eq!(trial["handoff"]["trigger"], "forbidden_topic", "{trial}");
    assert_eq!(trial["handoff"]["topic"], "refund");
    assert_eq!(trial["handoff"]["priority"], "urgent");
    assert_eq!(trial["handoff"]["gathered"], json!({"order": "48213"}));
    assert!(trial["handoff"]["would_ask"].is_null(), "{trial}");
    assert!(trial["handoff"]["summary"].as_str().unwrap().contains("refund"), "{trial}");

    // Unsaved settings are tried instead of the saved ones: handoff switched off.
    let (_, saved) = app.get(&format!("/v1/bots/{bot}"), Some(&admin.token)).await;
    let mut settings = saved["settings"].clone();
    settings["policy"]["enabled"] = json!(false);
    let (_, trial) = app
        .post(
            &path,
            Some(&admin.token),
            json!({"messages": [{"text": "I want a refund"}], "settings": settings}),
        )
        .await;
    assert!(trial["handoff"].is_null(), "{trial}");
    assert_eq!(trial["route"]["outcome"], "disabled");
    let (_, ordinary) = app
        .post(&path, Some(&admin.token), json!({"messages": [{"text": "What are your opening hours?"}]}))
        .await;
    assert!(ordinary["handoff"].is_null(), "an ordinary question: {ordinary}");

    // Bad input changes nothing and says what is wrong.
    let (status, problem) =
        app.post(&path, Some(&admin.token), json!({"messages": [{"from": "bot", "text": "Hi"}]})).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let mut broken = saved["settings"].clone();
    broken["policy"]["languages"] = json!(["xx"]);
    let (status, problem) =
        app.post(&path, Some(&admin.token), json!({"messages": [{"text": "hi"}], "settings": broken})).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let (status, problem) =
        app.post(&path, Some(&admin.token), json!({"messages": [{"text": "hi"}], "language": "fr"})).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");

    let (_, open) = app.get("/v1/handoffs", Some(&admin.token)).await;
    assert_eq!(open["handoffs"], json!([]), "trying opens no handoff");
    let (_, unchanged) = app.get(&format!("/v1/bots/{bot}"), Some(&admin.token)).await;
    assert_eq!(unchanged, saved);
    let (status, _) = app.post(&path, Some(&jonas.token), json!({"messages": [{"text": "hi"}]})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.shutdown().await;
}

async fn a_user_is_invited_and_changed_in_one_checked_request(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let (_, berlin) = app.post("/v1/teams", Some(&admin.token), json!({"name": "berlin"})).await;
    let (_, madrid) = app.post("/v1/teams", Some(&admin.token), json!({"name": "madrid"})).await;
    let (berlin, madrid) = (berlin["id"].as_str().unwrap(), madrid["id"].as_str().unwrap());

    // A bad value anywhere refuses the whole invitation.
    let bad = [
        (json!({"routing": {"languages": ["german"]}}), "languages:"),
        (json!({"routing": {"capacity": 0}}), "capacity:"),
        (json!({"teams": ["0190b0b0-0000-7000-8000-000000000000"]}), "teams:"),
    ];
    for (extra, field) in bad {
        let mut body = json!({"email": "jonas@example.com", "role": "agent", "name": "Jonas"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let (status, problem) = app.post("/v1/users", Some(&admin.token), body).await;
        problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{problem}");
    }
    let (_, listed) = app.get("/v1/users", Some(&admin.token)).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "nobody was created: {listed}");

    let invite = json!({"email": "jonas@example.com", "role": "agent", "name": "Jonas",
        "routing": {"languages": ["DE", "en"], "capacity": 4}, "teams": [berlin]});
    let (status, jonas) = app.post("/v1/users", Some(&admin.token), invite).await;
    assert_eq!(status, StatusCode::CREATED, "{jonas}");
    assert_eq!(jonas["languages"], json!(["de", "en"]));
    assert_eq!(jonas["capacity"], 4);
    assert_eq!(jonas["teams"], json!(["berlin"]));
    let id = jonas["id"].as_str().unwrap().to_owned();

    // A refused change leaves the name, languages and teams as they were.
    let path = format!("/v1/users/{id}");
    let refused =
        json!({"name": "Jonas B.", "routing": {"languages": ["de"], "capacity": 1000}, "teams": [madrid]});
    let (status, problem) = app.put(&path, Some(&admin.token), refused).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    let (_, listed) = app.get("/v1/users", Some(&admin.token)).await;
    let unchanged = listed.as_array().unwrap().iter().find(|u| u["id"] == id.as_str()).unwrap().clone();
    assert_eq!(unchanged["name"], "Jonas");
    assert_eq!(unchanged["teams"], json!(["berlin"]));
    assert_eq!(unchanged["capacity"], 4);
    assert_eq!(unchanged["connected"], false);

    let moved =
        json!({"name": "Jonas B.", "routing": {"languages": [], "capacity": null}, "teams": [madrid]});
    let (status, after) = app.put(&path, Some(&admin.token), moved).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["name"], "Jonas B.");
    assert_eq!(after["teams"], json!(["madrid"]));
    assert_eq!(after["languages"], json!([]));
    assert!(after["capacity"].is_null());
    let (_, team) = app.get(&format!("/v1/teams/{berlin}"), Some(&admin.token)).await;
    assert_eq!(team["members"], json!([]));

    // Email alerts, by an admin: in the same checked request, or on their own.
    let alerts_path = format!("/v1/users/{id}/notifications");
    let (status, alerts) = app.get(&alerts_path, Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{alerts}");
    assert_eq!(alerts["email"], true);
    let too_late =
        json!({"name": "Someone else", "notifications": {"email": true, "email_after_seconds": 90000}});
    let (status, problem) = app.put(&path, Some(&admin.token), too_late).await;
    problem_is(status, &problem, UNPROCESSABLE, "validation_failed");
    assert!(problem["detail"].as_str().unwrap().starts_with("email_after_seconds:"), "{problem}");
    let (_, unchanged) = app.get(&alerts_path, Some(&admin.token)).await;
    assert_eq!(unchanged, alerts);
    let quiet = json!({"email": false, "email_after_seconds": 600, "language": "de"});
    let (status, changed) = app.put(&alerts_path, Some(&admin.token), quiet).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["email"], false);
    assert_eq!(changed["language"], "de");
    let (status, _) =
        app.get(&alerts_path, Some(&app.agent("bea@example.com", Role::Agent).await.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, log) = app.get(&format!("/v1/audit?subject_id={id}"), Some(&admin.token)).await;
    let alerts_entry = &log["entries"][0];
    assert_eq!(alerts_entry["action"], "user.notifications_changed");
    assert_eq!(change(alerts_entry, "email")["after"], false);
    assert_eq!(change(alerts_entry, "email_after_seconds")["after"], 600);
    let entry = &log["entries"][1];
    assert_eq!(entry["action"], "user.updated");
    assert_eq!(change(entry, "teams")["before"], json!(["berlin"]));
    assert_eq!(change(entry, "teams")["after"], json!(["madrid"]));
    assert_eq!(change(entry, "name")["after"], "Jonas B.");
    assert_eq!(
        log["entries"].as_array().unwrap().len(),
        3,
        "created, updated, alerts changed; nothing for the refusals: {log}"
    );
    app.shutdown().await;
}
