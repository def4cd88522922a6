//! Routing: who is offered each waiting handoff (round robin, least busy), within everyone's
//! capacity; offers that expire, are declined or are withdrawn when their user leaves; the
//! fallback when nobody is left; and the targets that decide who may take a conversation.

use std::collections::HashMap;
use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Agent, Contact, TestApp};

crate::on_both_backends!(
    offers_and_live_chats_never_exceed_capacity,
    round_robin_takes_turns,
    offers_expire_and_declines_stick_until_someone_takes_it,
    when_everyone_declined_the_no_accept_timeout_still_applies,
    least_busy_offers_to_whoever_holds_fewest_live_chats,
    an_offer_follows_presence_and_the_fallback_applies_when_everyone_leaves,
    language_targets_decide_who_may_claim,
);

/// Every open handoff, as `token`'s user lists them.
pub async fn open_handoffs(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = app.get("/v1/handoffs", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["handoffs"].as_array().unwrap().clone()
}

/// The id of the user a handoff is offered to or assigned to; `""` when nobody.
pub fn assignee(handoff: &Value) -> &str {
    handoff["assignee"]["id"].as_str().unwrap_or_default()
}

/// `POST /v1/handoffs/{id}/{action}` (`accept`, `decline`, `claim`, `close`) as `agent`.
pub async fn act(app: &TestApp, agent: &Agent, id: &str, action: &str) -> (StatusCode, Value) {
    app.post(&format!("/v1/handoffs/{id}/{action}"), Some(&agent.token), json!({})).await
}

async fn set_capacity(app: &TestApp, admin: &Agent, agent: &Agent, capacity: u32) {
    let path = format!("/v1/users/{}/routing", agent.id);
    let (status, user) = app.put(&path, Some(&admin.token), json!({"capacity": capacity})).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["capacity"], capacity);
}

async fn set_status(app: &TestApp, agent: &Agent, status: &str) {
    let (code, body) = app.put("/v1/me/status", Some(&agent.token), json!({"status": status})).await;
    assert_eq!(code, StatusCode::OK, "{body}");
}

/// How many handoffs each user holds (offered or live), by user id.
pub fn held(open: &[Value]) -> HashMap<String, usize> {
    let mut held = HashMap::new();
    for handoff in open.iter().filter(|h| h["state"] == "live" || h["state"] == "offered") {
        *held.entry(assignee(handoff).to_owned()).or_default() += 1;
    }
    held
}

/// The agent among `agents` a handoff is offered to; fails if it is not offered to one of them.
fn offered_to<'a>(handoff: &Value, agents: &[&'a Agent]) -> &'a Agent {
    assert_eq!(handoff["state"], "offered", "{handoff}");
    agents.iter().copied().find(|agent| agent.id == assignee(handoff)).expect("offered to one of the agents")
}

/// A handoff requested in a new conversation with `bot`, as routing left it.
async fn routed_handoff(app: &TestApp, bot: &str, token: &str) -> (Contact, Value) {
    let contact = app.conversation_with(bot).await;
    let id = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    (contact, app.handoff(&id, token).await)
}

fn id(handoff: &Value) -> &str {
    handoff["id"].as_str().unwrap()
}

async fn offers_and_live_chats_never_exceed_capacity(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let mut agents = Vec::new();
    for name in ["ana", "ben", "cleo"] {
        let agent = app.online_agent(&format!("{name}@example.com")).await;
        set_capacity(&app, &admin, &agent, 2).await;
        agents.push(agent);
    }
    let mut contacts = Vec::new();
    for _ in 0..20 {
        contacts.push(app.conversation_with(&bot).await);
    }
    let requested = futures_util::future::join_all(contacts.iter().map(|c| app.ask_for_human(c))).await;
    assert_eq!(requested.len(), 20);

    // Whoever is offered a handoff accepts it, until no offer is left.
    let agent_refs: Vec<&Agent> = agents.iter().collect();
    for round in 0.. {
        let open = open_handoffs(&app, &admin.token).await;
        assert_eq!(open.len(), 20, "{open:?}");
        let held = held(&open);
        assert!(held.values().all(|&n| n <= 2), "round {round}: more than the capacity of 2: {held:?}");
        let offers: Vec<&Value> = open.iter().filter(|h| h["state"] == "offered").collect();
        if offers.is_empty() {
            break;
        }
        assert!(round < 10, "offers keep coming: {open:?}");
        for agent in &agents {
            let pending = offers.iter().filter(|h| assignee(h) == agent.id).count();
            assert!(pending <= 1, "round {round}: {} answers {pending} offers at once", agent.name);
        }
        for handoff in offers {
            let agent = offered_to(handoff, &agent_refs);
            let (status, accepted) = act(&app, agent, id(handoff), "accept").await;
            assert_eq!(status, StatusCode::OK, "{accepted}");
            assert_eq!(accepted["state"], "live");
        }
    }
    let open = open_handoffs(&app, &admin.token).await;
    let count = |state: &str| open.iter().filter(|h| h["state"] == state).count();
    assert_eq!((count("live"), count("offered"), count("queued")), (6, 0, 14), "{open:?}");
    let held = held(&open);
    assert!(agents.iter().all(|agent| held.get(&agent.id) == Some(&2)), "{held:?}");

    // A freed place takes the head of the queue at once.
    let head = open.iter().find(|h| h["state"] == "queued").unwrap();
    let mine = open.iter().find(|h| h["state"] == "live" && assignee(h) == agents[0].id).unwrap();
    let (status, closed) = act(&app, &agents[0], id(mine), "close").await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    let head = app.handoff(id(head), &admin.token).await;
    assert_eq!(head["state"], "offered", "{head}");
    assert_eq!(assignee(&head), agents[0].id);
    let open = open_handoffs(&app, &admin.token).await;
    assert_eq!(open.iter().filter(|h| h["state"] == "offered").count(), 1, "{open:?}");
    app.shutdown().await;
}

async fn round_robin_takes_turns(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let mut agents = Vec::new();
    for name in ["ana", "ben", "cleo"] {
        let agent = app.online_agent(&format!("{name}@example.com")).await;
        set_capacity(&app, &admin, &agent, 100).await;
        agents.push(agent);
    }
    let agent_refs: Vec<&Agent> = agents.iter().collect();
    let mut order = Vec::new();
    for _ in 0..30 {
        app.later(Duration::from_secs(1)).await;
        let (_, handoff) = routed_handoff(&app, &bot, &admin.token).await;
        let agent = offered_to(&handoff, &agent_refs);
        let (status, accepted) = act(&app, agent, id(&handoff), "accept").await;
        assert_eq!(status, StatusCode::OK, "{accepted}");
        order.push(agent.name.clone());
    }
    for agent in &agents {
        assert_eq!(order.iter().filter(|name| **name == agent.name).count(), 10, "{order:?}");
    }
    assert!(order.windows(3).all(|w| w[0] != w[1] && w[1] != w[2] && w[0] != w[2]), "in turn: {order:?}");
    app.shutdown().await;
}

async fn offers_expire_and_declines_stick_until_someone_takes_it(app: TestApp) {
    let bot = app
        .bot_with_policy(json!({"assignment": {"strategy": "round_robin", "offer_ttl_seconds": 30}}))
        .await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let (_, handoff) = routed_handoff(&app, &bot, &ana.token).await;
    let first = offered_to(&handoff, &[&ana, &ben]);
    let second = if first.id == ana.id { &ben } else { &ana };
    let ttl = handoff["offer_expires_at"].as_i64().unwrap() - handoff["queued_at"].as_i64().unwrap();
    assert!((30_000..32_000).contains(&ttl), "the offer lasts 30 s: {handoff}");
    let id = id(&handoff).to_owned();

    app.later(Duration::from_secs(29)).await;
    assert_eq!(assignee(&app.handoff(&id, &ana.token).await), first.id, "not expired yet");
    app.later(Duration::from_secs(2)).await;
    let handoff = app.handoff(&id, &ana.token).await;
    assert_eq!(offered_to(&handoff, &[&ana, &ben]).id, second.id, "expired: {handoff}");
    assert_eq!(handoff["declined_by"], json!([first.id]), "an expired offer counts as declined");
    let (status, problem) = act(&app, first, &id, "accept").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_offered_to_you");

    // Both have now turned it down: nobody is offered it again in this waiting period; it waits
    // in the queue, where either may still claim it.
    app.later(Duration::from_secs(1)).await;
    let (status, declined) = act(&app, second, &id, "decline").await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    app.later(Duration::from_secs(1)).await;
    let handoff = app.handoff(&id, &ana.token).await;
    assert_eq!(handoff["state"], "queued", "not re-offered to the last decliner: {handoff}");
    assert!(handoff["assignee"].is_null(), "{handoff}");
    assert_eq!(handoff["declined_by"], json!([first.id, second.id]), "{handoff}");
    for agent in [&ana, &ben] {
        let (_, list) = app.get("/v1/handoffs?state=queued", Some(&agent.token)).await;
        assert!(list.to_string().contains(&id), "visible to {}: {list}", agent.name);
    }

    // Someone who comes on duty is offered it; when they decline too, it waits again.
    let cleo = app.online_agent("cleo@example.com").await;
    let handoff = app.handoff(&id, &cleo.token).await;
    assert_eq!(assignee(&handoff), cleo.id, "{handoff}");
    assert_eq!(act(&app, &cleo, &id, "decline").await.0, StatusCode::OK);
    let handoff = app.handoff(&id, &cleo.token).await;
    assert_eq!(handoff["state"], "queued", "{handoff}");

    // Any of them may still take it.
    let (status, claimed) = act(&app, second, &id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(claimed["state"], "live");
    app.shutdown().await;
}

async fn when_everyone_declined_the_no_accept_timeout_still_applies(app: TestApp) {
    let policy = json!({"assignment": {"strategy": "round_robin"}, "waiting": {"timeout_seconds": 120}});
    let bot = app.bot_with_policy(policy).await;
    let ana = app.online_agent("ana@example.com").await;
    let (_, handoff) = routed_handoff(&app, &bot, &ana.token).await;
    let id = id(&handoff).to_owned();
    assert_eq!(act(&app, &ana, &id, "decline").await.0, StatusCode::OK);
    app.later(Duration::from_secs(60)).await;
    assert_eq!(app.handoff(&id, &ana.token).await["state"], "queued");
    app.later(Duration::from_secs(61)).await;
    assert_eq!(app.handoff(&id, &ana.token).await["state"], "offline", "the policy's fallback");
    app.shutdown().await;
}

async fn least_busy_offers_to_whoever_holds_fewest_live_chats(app: TestApp) {
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "least_busy"}})).await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let (_, first) = routed_handoff(&app, &bot, &ana.token).await;
    let busy = offered_to(&first, &[&ana, &ben]);
    let idle = if busy.id == ana.id { &ben } else { &ana };
    assert_eq!(act(&app, busy, id(&first), "accept").await.0, StatusCode::OK);

    app.later(Duration::from_secs(1)).await;
    let (_, second) = routed_handoff(&app, &bot, &ana.token).await;
    assert_eq!(offered_to(&second, &[&ana, &ben]).id, idle.id, "{second}");
    assert_eq!(act(&app, idle, id(&second), "accept").await.0, StatusCode::OK);
    assert_eq!(act(&app, idle, id(&second), "close").await.0, StatusCode::OK);

    // Round robin would pick the user offered one longest ago; least busy picks the one
    // without a live chat.
    app.later(Duration::from_secs(1)).await;
    let (_, third) = routed_handoff(&app, &bot, &ana.token).await;
    assert_eq!(offered_to(&third, &[&ana, &ben]).id, idle.id, "{third}");
    app.shutdown().await;
}

async fn an_offer_follows_presence_and_the_fallback_applies_when_everyone_leaves(app: TestApp) {
    let bot = app.bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let ana = app.online_agent("ana@example.com").await;
    let ben = app.online_agent("ben@example.com").await;
    let (contact, handoff) = routed_handoff(&app, &bot, &ana.token).await;
    let first = offered_to(&handoff, &[&ana, &ben]);
    let second = if first.id == ana.id { &ben } else { &ana };

    set_status(&app, first, "away").await;
    let handoff = app.handoff(id(&handoff), &ana.token).await;
    assert_eq!(offered_to(&handoff, &[&ana, &ben]).id, second.id, "withdrawn and offered on: {handoff}");

    set_status(&app, second, "offline").await;
    let conversation = app.conversation(&contact).await;
    assert_eq!(conversation["state"], "offline", "nobody is left: {conversation}");
    assert!(conversation["handoff"]["assignee"].is_null(), "{conversation}");
    let english = baton_core::catalog::messages("en");
    let said: Vec<Value> = app.messages(contact.id, &contact.token).await;
    let system: Vec<&str> = said
        .iter()
        .filter(|m| m["author"]["kind"] == "system")
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        system[system.len() - 2..],
        [english.offline.as_str(), english.lead_prompt.as_str()],
        "{said:?}"
    );
    app.shutdown().await;
}

async fn language_targets_decide_who_may_claim(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let jonas = app.online_agent("jonas@example.com").await;
    let ana = app.online_agent("ana@example.com").await;
    let (status, team) =
        app.post("/v1/teams", Some(&admin.token), json!({"name": "berlin", "members": [jonas.id]})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let bot =
        app.bot_with_policy(json!({"assignment": {"targets": {"de": ["team:berlin"], "*": ["all"]}}})).await;

    let german = app.open_conversation(json!({"bot_id": bot, "locale": "de-DE"})).await;
    assert_eq!(app.conversation(&german).await["language"], "de");
    let handoff = app.ask_for_human(&german).await;
    assert_eq!(handoff["state"], "queued", "a Berlin member is online: {handoff}");
    let (status, problem) = act(&app, &ana, id(&handoff), "claim").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    assert_eq!(problem["code"], "not_eligible");
    assert_eq!(app.conversation(&german).await["state"], "queued");
    let (status, claimed) = act(&app, &jonas, id(&handoff), "claim").await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    assert_eq!(assignee(&claimed), jonas.id);

    let english = app.open_conversation(json!({"bot_id": bot, "locale": "en-US"})).await;
    let handoff = app.ask_for_human(&english).await;
    let (status, claimed) = act(&app, &ana, id(&handoff), "claim").await;
    assert_eq!(status, StatusCode::OK, "anyone takes other languages: {claimed}");
    assert_eq!(claimed["state"], "live");
    app.shutdown().await;
}
