//! Teams and what routing knows of each user, managed by admins; a team's first-response SLA.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Agent, Socket, TestApp};
use crate::routing::act;

crate::on_both_backends!(
    admins_manage_teams,
    admins_set_what_routing_knows_of_users_and_bots,
    a_late_first_response_breaches_the_team_sla,
);

const UNKNOWN_ID: &str = "0190b0b0-0000-7000-8000-000000000000";
const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

fn assert_problem(status: StatusCode, problem: &Value, expected: StatusCode, code: &str) {
    assert_eq!(status, expected, "{problem}");
    assert_eq!(problem["code"], code, "{problem}");
    assert_eq!(problem["status"], expected.as_u16(), "{problem}");
}

async fn users(app: &TestApp, admin: &Agent) -> Vec<Value> {
    let (status, users) = app.get("/v1/users", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{users}");
    users.as_array().unwrap().clone()
}

async fn user(app: &TestApp, admin: &Agent, agent: &Agent) -> Value {
    users(app, admin).await.into_iter().find(|user| user["id"] == agent.id.as_str()).expect("listed")
}

async fn admins_manage_teams(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let settings = json!({
        "schedule": {"timezone": "Europe/Berlin"},
        "strategy": "round_robin",
        "first_response_sla_seconds": 120,
    });
    let (status, team) = app
        .post(
            "/v1/teams",
            Some(&admin.token),
            json!({"name": "berlin", "settings": settings, "members": [ana.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    assert_eq!(team["name"], "berlin");
    assert_eq!(team["members"], json!([ana.id]));
    assert_eq!(team["settings"]["strategy"], "round_robin");
    assert_eq!(team["settings"]["first_response_sla_seconds"], 120);
    assert_eq!(team["settings"]["schedule"]["timezone"], "Europe/Berlin");
    let id = team["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/teams/{id}");

    // (body, status, code, what the detail names)
    let refused = [
        (json!({"name": "berlin"}), StatusCode::CONFLICT, "team_exists", "name"),
        (json!({"name": " berlin "}), StatusCode::CONFLICT, "team_exists", "name"),
        (
            json!({"name": "late", "settings": {"first_response_sla_seconds": 5}}),
            UNPROCESSABLE,
            "validation_failed",
            "first_response_sla_seconds",
        ),
        (
            json!({"name": "mars", "settings": {"schedule": {"timezone": "Mars/Olympus_Mons"}}}),
            UNPROCESSABLE,
            "invalid_body",
            "Mars/Olympus_Mons",
        ),
        (json!({"name": "ghosts", "members": [UNKNOWN_ID]}), UNPROCESSABLE, "validation_failed", "members"),
        (json!({"name": "team:x"}), UNPROCESSABLE, "validation_failed", "name"),
        (json!({"name": ""}), UNPROCESSABLE, "validation_failed", "name"),
    ];
    for (body, expected, code, named) in refused {
        let (status, problem) = app.post("/v1/teams", Some(&admin.token), body.clone()).await;
        assert_problem(status, &problem, expected, code);
        assert!(problem["detail"].as_str().unwrap().contains(named), "{body}: {problem}");
    }

    let (status, listed) = app.get("/v1/teams", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed.as_array().unwrap().len(), 1, "the refused ones were not created: {listed}");
    assert_eq!(listed[0], team);
    let (status, read) = app.get(&path, Some(&admin.token)).await;
    assert_eq!((status, &read), (StatusCode::OK, &team));
    assert_eq!(user(&app, &admin, &ana).await["teams"], json!(["berlin"]));

    // Renaming and reconfiguring keeps the members.
    let (status, renamed) = app
        .put(&path, Some(&admin.token), json!({"name": "berlin-day", "settings": {"strategy": "least_busy"}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "berlin-day");
    assert_eq!(renamed["members"], json!([ana.id]));
    assert_eq!(renamed["settings"]["strategy"], "least_busy");
    assert!(renamed["settings"]["first_response_sla_seconds"].is_null(), "{renamed}");
    assert_eq!(user(&app, &admin, &ana).await["teams"], json!(["berlin-day"]));
    let (status, problem) = app
        .put(&path, Some(&admin.token), json!({"settings": {"first_response_sla_seconds": 1}, "name": "x"}))
        .await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");

    let members = format!("{path}/members");
    let (status, emptied) = app.put(&members, Some(&admin.token), json!({"members": []})).await;
    assert_eq!(status, StatusCode::OK, "{emptied}");
    assert_eq!(emptied["members"], json!([]));
    assert_eq!(user(&app, &admin, &ana).await["teams"], json!([]));
    let (status, problem) = app.put(&members, Some(&admin.token), json!({"members": [UNKNOWN_ID]})).await;
    assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let (status, refilled) =
        app.put(&members, Some(&admin.token), json!({"members": [ana.id, ana.id]})).await;
    assert_eq!(status, StatusCode::OK, "{refilled}");
    assert_eq!(refilled["members"], json!([ana.id]));

    // Agents may not touch any of it.
    let by_agent = [
        (Method::GET, "/v1/teams".to_owned(), None),
        (Method::POST, "/v1/teams".to_owned(), Some(json!({"name": "mine"}))),
        (Method::GET, path.clone(), None),
        (Method::PUT, path.clone(), Some(json!({"name": "mine", "settings": {}}))),
        (Method::PUT, members.clone(), Some(json!({"members": []}))),
        (Method::DELETE, path.clone(), None),
    ];
    for (method, target, body) in by_agent {
        let (status, problem) = app.request(method.clone(), &target, Some(&ana.token), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {target}: {problem}");
    }
    let (status, _) = app.get(&path, Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "still there");

    let (status, body) = app.request(Method::DELETE, &path, Some(&admin.token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(user(&app, &admin, &ana).await["teams"], json!([]));
    let unknown = format!("/v1/teams/{UNKNOWN_ID}");
    for (method, target, body) in [
        (Method::GET, path.clone(), None),
        (Method::DELETE, path.clone(), None),
        (Method::GET, unknown.clone(), None),
        (Method::PUT, unknown.clone(), Some(json!({"name": "x", "settings": {}}))),
        (Method::PUT, format!("{unknown}/members"), Some(json!({"members": []}))),
    ] {
        let (status, problem) = app.request(method.clone(), &target, Some(&admin.token), body).await;
        assert_problem(status, &problem, StatusCode::NOT_FOUND, "not_found");
    }
    app.shutdown().await;
}

async fn admins_set_what_routing_knows_of_users_and_bots(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let path = format!("/v1/users/{}/routing", ana.id);
    let (status, routed) =
        app.put(&path, Some(&admin.token), json!({"languages": ["de", "EN", "de"], "capacity": 3})).await;
    assert_eq!(status, StatusCode::OK, "{routed}");
    assert_eq!((routed["languages"].clone(), routed["capacity"].clone()), (json!(["de", "en"]), json!(3)));
    for body in [
        json!({"languages": ["deutsch"]}),
        json!({"languages": ["d1"]}),
        json!({"capacity": 0}),
        json!({"capacity": 101}),
    ] {
        let (status, problem) = app.put(&path, Some(&admin.token), body.clone()).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    }
    let (status, problem) =
        app.put(&format!("/v1/users/{UNKNOWN_ID}/routing"), Some(&admin.token), json!({"capacity": 2})).await;
    assert_problem(status, &problem, StatusCode::NOT_FOUND, "not_found");
    let listed = user(&app, &admin, &ana).await;
    assert_eq!(listed["languages"], json!(["de", "en"]), "unchanged by the refused ones: {listed}");
    assert_eq!(listed["capacity"], 3);
    assert_eq!(listed["teams"], json!([]));
    let admin_listed = user(&app, &admin, &admin).await;
    assert!(admin_listed["capacity"].is_null() && admin_listed["languages"] == json!([]), "{admin_listed}");
    for (method, target, body) in [
        (Method::GET, "/v1/users".to_owned(), None),
        (Method::PUT, path.clone(), Some(json!({"capacity": 100}))),
    ] {
        let (status, problem) = app.request(method, &target, Some(&ana.token), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{target}: {problem}");
    }
    assert_eq!(user(&app, &admin, &ana).await["capacity"], 3);

    // A bot's routing settings are checked field by field.
    let bot = app.bot_with_policy(json!({})).await;
    let bot_path = format!("/v1/bots/{bot}");
    let refused = [
        (json!({"assignment": {"capacity": 0}}), "policy.assignment"),
        (json!({"assignment": {"offer_ttl_seconds": 1}}), "policy.assignment"),
        (json!({"assignment": {"targets": {"de": ["team:berlin"]}}}), "policy.assignment"),
        (
            json!({"schedule": {"weekly": {"monday": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]}}}),
            "policy.schedule",
        ),
        (json!({"waiting": {"fallback": {"widen": []}}}), "policy.waiting"),
    ];
    for (policy, field) in refused {
        let body = json!({"name": "routed", "settings": {"policy": policy}});
        let (status, problem) = app.put(&bot_path, Some(&admin.token), body).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        assert!(problem["detail"].as_str().unwrap().starts_with(field), "{field}: {problem}");
    }
    let policy =
        json!({"assignment": {"targets": {"de": ["team:berlin"], "*": ["all"]}, "strategy": "least_busy"}});
    let (status, saved) = app
        .put(&bot_path, Some(&admin.token), json!({"name": "routed", "settings": {"policy": policy}}))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["settings"]["policy"]["assignment"]["strategy"], "least_busy");
    app.shutdown().await;
}

/// Sets the status of a user nobody routes to, and reads `inbox` up to the change: every
/// `sla.breached` event recorded before it is returned.
async fn breaches_until_sentinel(
    app: &TestApp,
    inbox: &mut Socket,
    sentinel: &Agent,
    status: &str,
) -> Vec<Value> {
    let (code, body) = app.put("/v1/me/status", Some(&sentinel.token), json!({"status": status})).await;
    assert_eq!(code, StatusCode::OK, "{body}");
    let mut breaches = Vec::new();
    loop {
        let (kind, data) = inbox.next().await;
        match kind.as_str() {
            "sla.breached" => breaches.push(data),
            "user.status_changed" if data["user_id"] == sentinel.id.as_str() && data["status"] == status => {
                return breaches;
            }
            _ => {}
        }
    }
}

async fn a_late_first_response_breaches_the_team_sla(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let mut inbox = app.inbox_socket(&admin).await;
    let sentinel = app.agent("sentinel@example.com", Role::Agent).await;
    let mia = app.online_agent("mia@example.com").await;
    let team = json!({"name": "care", "settings": {"first_response_sla_seconds": 60}, "members": [mia.id]});
    let (status, created) = app.post("/v1/teams", Some(&admin.token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let bot = app.bot_with_policy(json!({})).await;

    // One chat answered in time, one not.
    let mut handoffs = Vec::new();
    for reply in [true, false] {
        let contact = app.conversation_with(&bot).await;
        let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
        assert_eq!(act(&app, &mia, &id, "claim").await.0, StatusCode::OK);
        if reply {
            let path = format!("/v1/conversations/{}/messages", contact.id);
            let (status, sent) = app.post(&path, Some(&mia.token), json!({"text": "Hi, Mia here."})).await;
            assert_eq!(status, StatusCode::CREATED, "{sent}");
        }
        handoffs.push(id);
    }
    let silent = &handoffs[1];

    app.later(Duration::from_secs(59)).await;
    let early = breaches_until_sentinel(&app, &mut inbox, &sentinel, "away").await;
    assert!(early.is_empty(), "within the SLA: {early:?}");

    app.later(Duration::from_secs(2)).await;
    let breaches = breaches_until_sentinel(&app, &mut inbox, &sentinel, "offline").await;
    assert_eq!(breaches.len(), 1, "only the unanswered chat: {breaches:?}");
    let breach = &breaches[0];
    assert_eq!(breach["handoff_id"], silent.as_str(), "{breach}");
    assert_eq!(breach["assignee"]["id"], mia.id.as_str());
    assert_eq!(breach["first_response_sla_seconds"], 60);

    // It is said once.
    app.later(Duration::from_secs(600)).await;
    let again = breaches_until_sentinel(&app, &mut inbox, &sentinel, "away").await;
    assert!(again.is_empty(), "{again:?}");
    app.shutdown().await;
}
