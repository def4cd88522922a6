//! Several instances on one PostgreSQL database and one NATS server: what one instance
//! writes reaches sockets on another at once, one instance coordinates (routing, consumers,
//! timers), capacity holds across all of them, and when an instance dies the others carry
//! on with nothing lost.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::durability::{client_id, contact_ids_stored_once_in_order};
use crate::helpers::{Backend, TestApp, database_url, test_settings};
use crate::routing::{act, assignee, held, open_handoffs};

/// NATS subjects of their own, so tests running at once do not hear each other.
fn subject_prefix() -> String {
    format!("test{}", uuid::Uuid::now_v7().simple())
}

/// `count` servers in this process on one new PostgreSQL database, started one after another
/// (the first creates the schema and the demo bot).
async fn instances(count: usize) -> Vec<TestApp> {
    instances_with(count, |_| {}).await
}

/// [`instances`] with the settings changed by `configure` first.
async fn instances_with(count: usize, configure: impl FnOnce(&mut baton_server::Settings)) -> Vec<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(Backend::Postgres, &dir).await;
    let mut settings = test_settings(url);
    configure(&mut settings);
    settings.nats_url =
        std::env::var("BATON_TEST_NATS_URL").expect("BATON_TEST_NATS_URL names the NATS server");
    settings.nats_subject_prefix = subject_prefix();
    let mut apps: Vec<TestApp> = Vec::new();
    for _ in 0..count {
        apps.push(TestApp::start(settings.clone(), tempfile::tempdir().unwrap()).await);
        // The first takes the coordinator's role as it starts serving; the others find it taken.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !apps[0].state.cluster.coordinating() {
            assert!(tokio::time::Instant::now() < deadline, "the first instance never coordinated");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    apps
}

fn coordinators(apps: &[TestApp]) -> usize {
    apps.iter().filter(|app| app.state.cluster.coordinating()).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(test_postgres, test_nats)),
    ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_NATS_URL"
)]
async fn a_contact_on_one_instance_and_an_agent_on_another_talk_live() {
    let apps = instances(3).await;
    assert_eq!(coordinators(&apps), 1, "exactly one instance coordinates");
    assert!(apps[0].state.cluster.coordinating(), "the first to start took the role");
    let (widget_side, inbox_side) = (&apps[1], &apps[2]);

    let agent = inbox_side.online_agent("ana@example.com").await;
    let mut inbox = inbox_side.inbox_socket(&agent).await;
    let contact = widget_side.start_conversation().await;
    let mut widget = widget_side.contact_socket(&contact, 0).await;
    widget.message_from("bot").await;

    // The request is written on one instance, routed by another, and seen on a third.
    widget_side.say(&contact, "I want to talk to a human").await;
    let queued = widget.until("handoff.queued", |_| true).await;
    let seen = inbox.until("handoff.queued", |_| true).await;
    assert_eq!(seen["id"], queued["id"]);
    let handoff_id = queued["id"].as_str().unwrap().to_owned();
    let (status, claimed) =
        inbox_side.post(&format!("/v1/handoffs/{handoff_id}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{claimed}");
    widget.until("handoff.assigned", |_| true).await;

    let (status, reply) = inbox_side
        .post(
            &format!("/v1/conversations/{}/messages", contact.id),
            Some(&agent.token),
            json!({"text": "Hi, I'm here to help."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{reply}");
    let received = widget.message_from("user").await;
    assert_eq!(received["text"], "Hi, I'm here to help.");

    widget_side.say(&contact, "Thanks, my order is late").await;
    let relayed = inbox.until("message.created", |m| m["author"]["kind"] == "contact").await;
    assert_eq!(relayed["text"], "Thanks, my order is late");

    // Each message is stored once, whichever instance wrote it.
    let messages = apps[0].messages(contact.id, &agent.token).await;
    let seqs: Vec<i64> = messages.iter().map(|m| m["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>(), "{messages:?}");
    let texts: Vec<&str> = messages.iter().filter_map(|m| m["text"].as_str()).collect();
    for text in ["Hi, I'm here to help.", "Thanks, my order is late"] {
        assert_eq!(texts.iter().filter(|t| **t == text).count(), 1, "{texts:?}");
    }
    for app in apps {
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(test_postgres, test_nats)),
    ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_NATS_URL"
)]
async fn two_hundred_handoffs_over_three_instances_fill_twenty_places_exactly() {
    const AGENTS: usize = 10;
    const CAPACITY: usize = 2;
    const HANDOFFS: usize = 200;
    let apps = instances(3).await;
    let admin = apps[0].agent("admin@example.com", Role::Admin).await;
    let bot = apps[0].bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let mut agents = Vec::new();
    for n in 0..AGENTS {
        let app = &apps[n % apps.len()];
        let agent = app.online_agent(&format!("agent{n}@example.com")).await;
        let path = format!("/v1/users/{}/routing", agent.id);
        let (status, user) = app.put(&path, Some(&admin.token), json!({"capacity": CAPACITY})).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        agents.push(agent);
    }

    // Every contact asks at once, each through one of the three instances.
    let mut contacts = Vec::new();
    for n in 0..HANDOFFS {
        contacts.push((n % apps.len(), apps[n % apps.len()].conversation_with(&bot).await));
    }
    let requested =
        futures_util::future::join_all(contacts.iter().map(|(at, contact)| apps[*at].ask_for_human(contact)))
            .await;
    assert_eq!(requested.len(), HANDOFFS);

    // Whoever is offered a handoff accepts it, through the instance their agent index names,
    // until no offer is left; nobody ever holds more than their capacity.
    for round in 0.. {
        let open = open_handoffs(&apps[round % apps.len()], &admin.token).await;
        assert_eq!(open.len(), HANDOFFS);
        let held = held(&open);
        assert!(held.values().all(|&n| n <= CAPACITY), "round {round}: past the capacity: {held:?}");
        let offers: Vec<&Value> = open.iter().filter(|h| h["state"] == "offered").collect();
        if offers.is_empty() {
            break;
        }
        assert!(round < 20, "offers keep coming");
        for agent in &agents {
            let pending = offers.iter().filter(|h| assignee(h) == agent.id).count();
            assert!(pending <= 1, "round {round}: {} answers {pending} offers at once", agent.name);
        }
        for handoff in offers {
            let (index, agent) = agents
                .iter()
                .enumerate()
                .find(|(_, agent)| agent.id == assignee(handoff))
                .expect("an agent's offer");
            let app = &apps[(index + round) % apps.len()];
            let (status, accepted) = act(app, agent, handoff["id"].as_str().unwrap(), "accept").await;
            assert_eq!(status, StatusCode::OK, "{accepted}");
        }
    }
    let open = open_handoffs(&apps[2], &admin.token).await;
    let count = |state: &str| open.iter().filter(|h| h["state"] == state).count();
    assert_eq!(
        (count("live"), count("offered"), count("queued")),
        (AGENTS * CAPACITY, 0, HANDOFFS - AGENTS * CAPACITY)
    );
    let held = held(&open);
    assert!(agents.iter().all(|agent| held.get(&agent.id) == Some(&CAPACITY)), "{held:?}");
    for app in apps {
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(test_postgres, test_nats)),
    ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_NATS_URL"
)]
async fn when_the_coordinator_stops_another_instance_takes_over() {
    let mut apps = instances(3).await;
    assert!(apps[0].state.cluster.coordinating());
    let first = apps.remove(0);
    first.shutdown().await;
    // The role is freed at shutdown; one of the others takes it within a claim period or two.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while coordinators(&apps) != 1 {
        assert!(tokio::time::Instant::now() < deadline, "nobody took over");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The new coordinator routes: a request made now is offered.
    let agent = apps[1].online_agent("ana@example.com").await;
    let bot = apps[1].bot_with_policy(json!({"assignment": {"strategy": "round_robin"}})).await;
    let contact = apps[0].conversation_with(&bot).await;
    let handoff = apps[0].ask_for_human(&contact).await;
    let routed = apps[0].handoff(handoff["id"].as_str().unwrap(), &agent.token).await;
    assert_eq!(routed["state"], "offered", "{routed}");
    assert_eq!(assignee(&routed), agent.id);
    for app in apps {
        app.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(test_postgres, test_nats)),
    ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_NATS_URL"
)]
async fn a_chat_window_open_on_another_instance_keeps_a_quiet_live_chat_open() {
    let apps = instances_with(3, |settings| settings.contact_inactive_minutes = 30).await;
    let (coordinator, agent_side, widget_side) = (&apps[0], &apps[1], &apps[2]);
    assert!(coordinator.state.cluster.coordinating());
    let agent = agent_side.online_agent("ana@example.com").await;
    let contact = agent_side.start_conversation().await;
    let widget = widget_side.contact_socket(&contact, 0).await;
    let handoff = agent_side.ask_for_human(&contact).await;
    let id = handoff["id"].as_str().unwrap();
    let (status, claimed) = act(agent_side, &agent, id, "claim").await;
    assert_eq!(status, StatusCode::OK, "{claimed}");

    // Half an hour of silence, with the chat window open on another instance than the one
    // whose timer fires: the chat stays open.
    coordinator.later(Duration::from_secs(31 * 60)).await;
    assert_eq!(agent_side.handoff(id, &agent.token).await["state"], "live");

    // Once the window is closed too, the next half hour of silence closes the chat.
    widget.close().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while crate::helpers::widget_open(widget_side, contact.id) {
        assert!(tokio::time::Instant::now() < deadline, "the widget never closed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    coordinator.later(Duration::from_secs(31 * 60)).await;
    assert_eq!(agent_side.handoff(id, &agent.token).await["state"], "closed");
    for app in apps {
        app.shutdown().await;
    }
}

/// What a contact of the kill test got acknowledged: each message's id and whether it was new
/// (201) or a repeat of a send the server had stored before its answer was lost (200).
type Acknowledged = Vec<(String, u16)>;

const CONTACTS: usize = 12;
const MESSAGES_EACH: usize = 30;

/// Sends every message of one contact, starting on instance `home`; a send that fails (its
/// instance died) is sent again, with the same `client_id`, through the next instance.
async fn send_all(
    client: reqwest::Client,
    bases: Vec<String>,
    (contact, home, id, token): (usize, usize, String, String),
    acknowledged: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> Acknowledged {
    let mut at = home;
    let mut stored = Vec::new();
    for n in 0..MESSAGES_EACH {
        for attempt in 0.. {
            assert!(attempt < 10, "contact {contact}: message {n} was never acknowledged");
            let sent = client
                .post(format!("{}/v1/conversations/{id}/messages", bases[at]))
                .bearer_auth(&token)
                .json(&json!({"text": format!("message {n}"), "client_id": client_id(contact, n)}))
                .timeout(Duration::from_secs(30))
                .send()
                .await;
            let answered = match sent {
                Ok(response) => {
                    let status = response.status().as_u16();
                    response.json::<Value>().await.ok().map(|body| (status, body))
                }
                Err(_) => None,
            };
            let Some((status, body)) = answered else {
                at = (at + 1) % bases.len();
                continue;
            };
            assert!(status == 201 || status == 200, "{status}: {body}");
            stored.push((body["id"].as_str().unwrap().to_owned(), status));
            acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            break;
        }
    }
    stored
}

async fn body_of(request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let body = body_of(
        client.post(format!("{base}/v1/auth/login")).json(&json!({"email": email, "password": password})),
    )
    .await;
    body["token"].as_str().unwrap().to_owned()
}

const PASSWORD: &str = "correct horse battery";

fn inbox_url(base: &str, token: &str) -> String {
    format!("{}/v1/ws?token={token}", base.replacen("http", "ws", 1))
}

/// A new online agent with an inbox open on `base`: their id and the inbox's socket.
async fn agent_with_inbox(
    client: &reqwest::Client,
    base: &str,
    admin: &str,
    name: &str,
) -> (String, crate::helpers::Socket) {
    let email = format!("{name}@example.com");
    let form = json!({"email": email, "password": PASSWORD, "role": "agent"});
    let user = body_of(client.post(format!("{base}/v1/users")).bearer_auth(admin).json(&form)).await;
    let token = login(client, base, &email, PASSWORD).await;
    let online = json!({"status": "online"});
    body_of(client.put(format!("{base}/v1/me/status")).bearer_auth(&token).json(&online)).await;
    let inbox = crate::helpers::Socket::connect(&inbox_url(base, &token)).await;
    (user["id"].as_str().unwrap().to_owned(), inbox)
}

async fn status_of(client: &reqwest::Client, base: &str, admin: &str, user: &str) -> String {
    let users = body_of(client.get(format!("{base}/v1/users")).bearer_auth(admin)).await;
    let users = users.as_array().cloned().unwrap_or_default();
    let user = users.iter().find(|u| u["id"] == user).unwrap_or_else(|| panic!("{user} in {users:?}"));
    user["status"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(test_postgres, test_nats)),
    ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_NATS_URL"
)]
async fn a_kill_9_of_the_coordinator_under_load_loses_nothing_and_its_timers_fire_on_the_others() {
    use crate::process::Server;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let url = database_url(Backend::Postgres, &dir).await;
    let nats = std::env::var("BATON_TEST_NATS_URL").unwrap();
    let prefix = subject_prefix();
    let env = [
        ("BATON_LIMITS__ENABLED", "false"),
        ("BATON_NATS_URL", nats.as_str()),
        ("BATON_NATS_SUBJECT_PREFIX", prefix.as_str()),
        ("BATON_PRESENCE_GRACE_SECONDS", "1"),
    ];
    // All three start at once on the empty database: one of them creates the demo bot and the
    // first admin, and prints the password.
    let starting: Vec<_> = (0..3)
        .map(|_| {
            let (url, env) = (url.clone(), env.map(|(key, value)| (key.to_owned(), value.to_owned())));
            std::thread::spawn(move || {
                let env: Vec<(&str, &str)> =
                    env.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect();
                Server::start_with(&url, &env)
            })
        })
        .collect();
    let mut servers: Vec<Option<Server>> =
        starting.into_iter().map(|start| Some(start.join().unwrap())).collect();
    let passwords: Vec<String> = servers
        .iter()
        .flatten()
        .flat_map(|server| &server.banner)
        .filter_map(|line| line.trim().strip_prefix("password:").map(|p| p.trim().to_owned()))
        .collect();
    let [password] = &passwords[..] else { panic!("one first admin, printed once: {passwords:?}") };
    let password = password.clone();
    // The coordinator dies: whichever took the role first.
    let mut coordinator_first = Vec::new();
    for server in servers.iter().flatten() {
        let ready = body_of(baton_ai::http_client().unwrap().get(format!("{}/readyz", server.base))).await;
        coordinator_first.push(ready["coordinating"] == true);
    }
    let doomed = coordinator_first.iter().position(|&c| c).expect("one instance coordinates");
    assert_eq!(coordinator_first.iter().filter(|&&c| c).count(), 1, "{coordinator_first:?}");
    servers.swap(0, doomed);
    let bases: Vec<String> = servers.iter().map(|s| s.as_ref().unwrap().base.clone()).collect();
    let client = baton_ai::http_client().unwrap();
    let admin = login(&client, &bases[1], "admin@baton.local", &password).await;
    let bots = body_of(client.get(format!("{}/v1/bots", bases[2])).bearer_auth(&admin)).await;
    assert_eq!(bots.as_array().map(Vec::len), Some(1), "one demo bot: {bots}");

    // Ana's inbox is open on the first instance (the coordinator, which dies).
    let (ana, ana_inbox) = agent_with_inbox(&client, &bases[0], &admin, "ana").await;

    let mut contacts = Vec::new();
    for contact in 0..CONTACTS {
        let home = contact % bases.len();
        let created =
            body_of(client.post(format!("{}/v1/conversations", bases[home])).json(&json!({}))).await;
        let id = created["id"].as_str().unwrap().to_owned();
        contacts.push((contact, home, id, created["token"].as_str().unwrap().to_owned()));
    }
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = contacts
        .iter()
        .cloned()
        .map(|contact| tokio::spawn(send_all(client.clone(), bases.clone(), contact, acknowledged.clone())))
        .collect();
    let kill_after = CONTACTS * MESSAGES_EACH / 3;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::SeqCst) < kill_after {
        assert!(tokio::time::Instant::now() < deadline, "the load never got going");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    servers[0].take().unwrap().kill();
    let mut sent = Vec::new();
    for sender in senders {
        sent.push(sender.await.unwrap());
    }

    // Every message acknowledged, stored once, in order, with the id it was given.
    let mut repeats = 0;
    for ((_, _, id, token), (contact, acknowledged)) in contacts.iter().zip(sent.iter().enumerate()) {
        let listed =
            body_of(client.get(format!("{}/v1/conversations/{id}/messages", bases[2])).bearer_auth(token))
                .await;
        let expected: Vec<String> = (0..MESSAGES_EACH).map(|n| client_id(contact, n)).collect();
        let stored_ids = contact_ids_stored_once_in_order(listed["messages"].as_array().unwrap(), &expected);
        let acknowledged_ids: Vec<&str> = acknowledged.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(stored_ids, acknowledged_ids, "every acknowledged message kept with its id");
        repeats += acknowledged.iter().filter(|(_, status)| *status == 200).count();
    }
    assert!(repeats <= CONTACTS, "only a send in flight at the kill can come back as a repeat: {repeats}");

    // A survivor took over the timers: Ana's inbox died with her instance, so the grace
    // period the new coordinator gave every online user ends and she is away.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let coordinator = loop {
        let mut coordinating = Vec::new();
        for at in [1, 2] {
            let ready = body_of(client.get(format!("{}/readyz", bases[at]))).await;
            if ready["coordinating"] == true {
                coordinating.push(at);
            }
        }
        assert!(coordinating.len() <= 1, "two coordinators at once: {coordinating:?}");
        if let [at] = coordinating[..] {
            break at;
        }
        assert!(tokio::time::Instant::now() < deadline, "nobody took over");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    drop(ana_inbox);
    while status_of(&client, &bases[coordinator], &admin, &ana).await != "away" {
        assert!(tokio::time::Instant::now() < deadline, "ana's grace period never ended");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Ben's inbox is open on both survivors. When the coordinator's closes, its grace timer
    // fires there, and the other survivor says his inbox is still open: he stays online.
    let other = 3 - coordinator;
    let (ben, on_coordinator) = agent_with_inbox(&client, &bases[coordinator], &admin, "ben").await;
    let token = login(&client, &bases[other], "ben@example.com", PASSWORD).await;
    let _on_other = crate::helpers::Socket::connect(&inbox_url(&bases[other], &token)).await;
    // Connected before the close: the grace timer may fire while a connection is being made.
    let store = baton_store::SqlStore::connect(&url).await.unwrap();
    on_coordinator.close().await;
    // His grace timer (one second) is set when the socket closes, and removed once it has
    // fired; any other timer of this database is due much later.
    let due_soon = || async {
        let soon = baton_core::time::Timestamp::from_millis(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64
                + 5_000,
        );
        baton_store::Store::next_timer_due(&store).await.unwrap().is_some_and(|due| due <= soon)
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !due_soon().await {
        assert!(tokio::time::Instant::now() < deadline, "closing ben's inbox set no grace timer");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while due_soon().await {
        assert!(tokio::time::Instant::now() < deadline, "ben's grace timer never fired");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status_of(&client, &bases[coordinator], &admin, &ben).await, "online");
    for server in servers.into_iter().flatten() {
        assert!(server.interrupt().success());
    }
}
