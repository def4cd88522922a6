//! Email through a real SMTP server: the one `.ci/run` starts (aiosmtpd), which stores every
//! mail it accepts in a Maildir these tests read. Every recipient's address is unique to its
//! test, so tests running side by side (and on both databases) read only their own mail.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Agent, PATIENCE, TestApp};

/// Runs each test on SQLite and on PostgreSQL, with mail going to the test SMTP server.
macro_rules! with_smtp {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(not(test_smtp), ignore = "needs BATON_TEST_SMTP_URL")]
               async fn $name() {
                   let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, super::mailing);
                   super::$name(app.await).await
               } )*
        }
        mod on_postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(not(all(test_postgres, test_smtp)), ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_SMTP_URL")]
               async fn $name() {
                   let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Postgres, super::mailing);
                   super::$name(app.await).await
               } )*
        }
    };
}
pub(crate) use with_smtp;

with_smtp!(
    a_waiting_chat_is_mailed_once_to_those_away_from_the_inbox_and_more_come_as_a_digest,
    offers_transfers_and_missed_first_responses_are_mailed,
    a_chat_nobody_takes_in_the_teams_time_is_escalated_to_its_admins,
    an_admin_sees_the_mail_setup_and_sends_a_test_mail,
    a_ticket_is_mailed_to_the_team_and_the_answer_to_the_contact,
);

mod preferences {
    crate::on_both_backends!(
        notification_preferences_are_each_users_own_and_checked,
        without_a_mail_server_the_test_mail_says_so,
    );
    use super::*;
}

const FROM: &str = "support@baton.test";

pub(crate) fn mailing(settings: &mut baton_server::settings::Settings) {
    settings.smtp.url = std::env::var("BATON_TEST_SMTP_URL").unwrap_or_default();
    settings.smtp.from = format!("Baton Support <{FROM}>");
    settings.public_url = "https://support.example/".into();
    // Agents who are online stay online while their inbox is closed, however far the clock goes.
    crate::helpers::steady_presence(settings);
}

/// One mail the SMTP server received.
#[derive(Debug)]
pub(crate) struct Received {
    pub(crate) to: String,
    pub(crate) from: String,
    pub(crate) reply_to: Option<String>,
    pub(crate) subject: String,
    pub(crate) text: String,
    pub(crate) html: String,
}

/// Every mail the SMTP server has received for `to`, oldest first.
pub(crate) fn mail_to(to: &str) -> Vec<Received> {
    let dir =
        std::path::PathBuf::from(std::env::var("BATON_TEST_SMTP_MAILDIR").expect("BATON_TEST_SMTP_MAILDIR"))
            .join("new");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let mail = mailparse::parse_mail(&bytes).unwrap();
        let header = |name: &str| {
            mail.headers.iter().find(|h| h.get_key().eq_ignore_ascii_case(name)).map(|h| h.get_value())
        };
        if !header("To").is_some_and(|recipient| recipient.contains(to)) {
            continue;
        }
        let part = |mime: &str| {
            mail.subparts
                .iter()
                .find(|part| part.ctype.mimetype == mime)
                .map(|part| part.get_body().unwrap().replace("\r\n", "\n"))
                .unwrap_or_else(|| panic!("no {mime} part in {}", path.display()))
        };
        assert_eq!(mail.ctype.mimetype, "multipart/alternative");
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).unwrap();
        found.push((
            modified,
            Received {
                to: header("To").unwrap(),
                from: header("From").unwrap(),
                reply_to: header("Reply-To"),
                subject: header("Subject").unwrap(),
                text: part("text/plain"),
                html: part("text/html"),
            },
        ));
    }
    found.sort_by_key(|(modified, _)| *modified);
    found.into_iter().map(|(_, mail)| mail).collect()
}

/// Waits until `to` has received `count` mails, and returns them.
pub(crate) async fn wait_for_mail(app: &TestApp, to: &str, count: usize) -> Vec<Received> {
    app.consumers_caught_up().await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let mail = mail_to(to);
        if mail.len() >= count {
            assert_eq!(mail.len(), count, "more mail than expected for {to}: {mail:#?}");
            return mail;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{to} got {} mails, not {count}: {mail:#?}",
            mail.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An address no other test uses.
pub(crate) fn address(app: &TestApp, name: &str) -> String {
    format!("{name}-{}@mail.test", app.state.new_id::<()>().as_uuid().simple())
}

async fn user(app: &TestApp, name: &str, role: Role, online: bool) -> (Agent, String) {
    let email = address(app, name);
    let agent = if online { app.online_agent(&email).await } else { app.agent(&email, role).await };
    (agent, email)
}

/// Sets `agent`'s preferences; the answer adds whether the server sends mail.
async fn set_prefs(app: &TestApp, agent: &Agent, prefs: Value) {
    let (status, body) = app.put("/v1/me/notifications", Some(&agent.token), prefs.clone()).await;
    let mut expected = prefs;
    expected["mail_enabled"] = json!(app.state.mailer.is_some());
    assert_eq!((status, &body), (StatusCode::OK, &expected));
}

/// `agent`'s preferences as `GET /v1/me/notifications` reads them, without `mail_enabled`.
async fn prefs_of(app: &TestApp, agent: &Agent) -> Value {
    let (status, mut body) = app.get("/v1/me/notifications", Some(&agent.token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mail_enabled = body.as_object_mut().unwrap().remove("mail_enabled");
    assert_eq!(mail_enabled, Some(json!(app.state.mailer.is_some())));
    body
}

async fn a_waiting_chat_is_mailed_once_to_those_away_from_the_inbox_and_more_come_as_a_digest(app: TestApp) {
    let bot = app.bot_with_policy(json!({"waiting": {"timeout_seconds": 0}})).await;
    // Ana has her inbox open; Bob waits two minutes; Carl wants no mail; Dana reads Spanish.
    let (ana, ana_mail) = user(&app, "ana", Role::Agent, true).await;
    let _ana_inbox = app.inbox_socket(&ana).await;
    let (bob, bob_mail) = user(&app, "bob", Role::Agent, true).await;
    set_prefs(&app, &bob, json!({"email": true, "email_after_seconds": 120, "language": null})).await;
    let (carl, carl_mail) = user(&app, "carl", Role::Agent, true).await;
    set_prefs(&app, &carl, json!({"email": false, "email_after_seconds": 60, "language": null})).await;
    let (dana, dana_mail) = user(&app, "dana", Role::Agent, false).await;
    set_prefs(&app, &dana, json!({"email": true, "email_after_seconds": 60, "language": "es"})).await;

    let first = app.open_conversation(json!({"bot_id": bot, "contact": {"name": "Zoe"}})).await;
    assert_eq!(app.ask_for_human(&first).await["state"], "queued");
    app.later(Duration::from_secs(59)).await;
    assert!(mail_to(&dana_mail).is_empty(), "not before a minute");
    app.later(Duration::from_secs(2)).await;
    let dana_got = wait_for_mail(&app, &dana_mail, 1).await;
    assert_eq!(dana_got[0].subject, "Zoe espera una respuesta");
    assert!(
        dana_got[0].from.contains("Baton Support") && dana_got[0].from.contains(&format!("<{FROM}>")),
        "{}",
        dana_got[0].from
    );
    assert!(dana_got[0].to.contains(&dana_mail));
    let link = format!("https://support.example/inbox#c={}", first.id);
    assert!(dana_got[0].text.contains(&link), "{}", dana_got[0].text);
    assert!(dana_got[0].html.contains(&format!("href=\"{link}\"")), "{}", dana_got[0].html);

    // A second chat; a minute on Bob's time has come for the first, Dana's for the second.
    let second = app.conversation_with(&bot).await;
    app.ask_for_human(&second).await;
    app.later(Duration::from_secs(60)).await;
    let bob_got = wait_for_mail(&app, &bob_mail, 1).await;
    assert_eq!(bob_got[0].subject, "Zoe is waiting for a reply");
    assert!(!bob_got[0].text.contains(&second.id.to_string()), "the second has waited a minute only");
    let dana_got = wait_for_mail(&app, &dana_mail, 2).await;
    assert_eq!(dana_got[1].subject, "Un visitante espera una respuesta");

    // Two more; by the time they have waited, Bob gets one mail for all three he has not heard
    // of, Dana one for the two new ones.
    let (third, fourth) = (app.conversation_with(&bot).await, app.conversation_with(&bot).await);
    app.ask_for_human(&third).await;
    app.ask_for_human(&fourth).await;
    app.later(Duration::from_secs(130)).await;
    let bob_got = wait_for_mail(&app, &bob_mail, 2).await;
    assert_eq!(bob_got[1].subject, "3 customers are waiting for a reply");
    for contact in [&second, &third, &fourth] {
        assert!(bob_got[1].text.contains(&contact.id.to_string()), "{}", bob_got[1].text);
    }
    let dana_got = wait_for_mail(&app, &dana_mail, 3).await;
    assert_eq!(dana_got[2].subject, "2 clientes esperan una respuesta");

    // Hours on, nobody is told again; Ana (inbox open) and Carl (no mail) never were.
    app.later(Duration::from_secs(3 * 3600)).await;
    // Mail the timers' events would cause is sent once the consumers have taken them.
    app.consumers_caught_up().await;
    assert_eq!(mail_to(&bob_mail).len(), 2);
    assert_eq!(mail_to(&dana_mail).len(), 3);
    assert!(mail_to(&ana_mail).is_empty() && mail_to(&carl_mail).is_empty());
    let _ = carl;
    app.shutdown().await;
}

async fn offers_transfers_and_missed_first_responses_are_mailed(app: TestApp) {
    let (boss, boss_mail) = user(&app, "boss", Role::Admin, false).await;
    let (_other_admin, other_admin_mail) = user(&app, "other-admin", Role::Admin, false).await;
    let (bob, bob_mail) = user(&app, "bob", Role::Agent, true).await;
    let team = json!({"name": "billing", "settings": {"first_response_sla_seconds": 60}, "members": [bob.id, boss.id]});
    let (status, team) = app.post("/v1/teams", Some(&boss.token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let bot = app
        .bot_with_policy(json!({
            "assignment": {"strategy": "round_robin", "targets": {"*": ["team:billing"]}},
            "waiting": {"timeout_seconds": 0},
        }))
        .await;

    // Offered to Bob, whose inbox is closed.
    let contact = app.open_conversation(json!({"bot_id": bot, "contact": {"name": "Zoe"}})).await;
    let handoff = app.ask_for_human(&contact).await["id"].as_str().unwrap().to_owned();
    let offered = wait_for_mail(&app, &bob_mail, 1).await;
    assert_eq!(offered[0].subject, "A chat with Zoe is offered to you");
    assert!(offered[0].text.contains(&format!("https://support.example/inbox#c={}", contact.id)));
    let accepted = app.post(&format!("/v1/handoffs/{handoff}/accept"), Some(&bob.token), json!({})).await;
    assert_eq!(accepted.0, StatusCode::OK, "{}", accepted.1);

    // A minute without his first reply: the admin of his team hears, the other admin does not.
    app.later(Duration::from_secs(61)).await;
    let escalated = wait_for_mail(&app, &boss_mail, 1).await;
    assert_eq!(escalated[0].subject, format!("Escalation: {}'s chat with Zoe has no reply", bob.name));
    assert!(escalated[0].text.contains("1 min"), "{}", escalated[0].text);

    // Bob hands it to Carl, who is away from the inbox too.
    let (carl, carl_mail) = user(&app, "carl", Role::Agent, true).await;
    let moved = app
        .post(
            &format!("/v1/handoffs/{handoff}/transfer"),
            Some(&bob.token),
            json!({"to": format!("user:{carl_mail}")}),
        )
        .await;
    assert_eq!(moved.0, StatusCode::OK, "{}", moved.1);
    let transferred = wait_for_mail(&app, &carl_mail, 1).await;
    assert_eq!(transferred[0].subject, "A chat with Zoe was transferred to you");
    assert_eq!(app.handoff(&handoff, &carl.token).await["assignee"]["id"], carl.id.as_str());

    // Nothing twice, however long it goes on.
    app.later(Duration::from_secs(3600)).await;
    // Mail the timers' events would cause is sent once the consumers have taken them.
    app.consumers_caught_up().await;
    assert_eq!((mail_to(&bob_mail).len(), mail_to(&boss_mail).len(), mail_to(&carl_mail).len()), (1, 1, 1));
    assert!(mail_to(&other_admin_mail).is_empty(), "the admin of the team, not every admin");
    app.shutdown().await;
}

async fn a_chat_nobody_takes_in_the_teams_time_is_escalated_to_its_admins(app: TestApp) {
    let (boss, boss_mail) = user(&app, "boss", Role::Admin, false).await;
    let (_other_admin, other_admin_mail) = user(&app, "other-admin", Role::Admin, false).await;
    let (bob, bob_mail) = user(&app, "bob", Role::Agent, true).await;
    set_prefs(&app, &bob, json!({"email": false, "email_after_seconds": 60, "language": null})).await;
    // The boss hears of waiting chats only after half an hour.
    set_prefs(&app, &boss, json!({"email": true, "email_after_seconds": 1800, "language": null})).await;
    let members = json!([bob.id, boss.id]);
    let team =
        json!({"name": "support", "settings": {"first_response_sla_seconds": 300}, "members": members});
    let (status, team) = app.post("/v1/teams", Some(&boss.token), team).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let bot = app
        .bot_with_policy(
            json!({"assignment": {"targets": {"*": ["team:support"]}}, "waiting": {"timeout_seconds": 0}}),
        )
        .await;
    let contact = app.open_conversation(json!({"bot_id": bot, "contact": {"name": "Zoe"}})).await;
    assert_eq!(app.ask_for_human(&contact).await["state"], "queued");

    // Bob is online but nobody takes it: at five minutes the team's admin hears.
    app.later(Duration::from_secs(299)).await;
    assert!(mail_to(&boss_mail).is_empty(), "not before the team's time");
    app.later(Duration::from_secs(2)).await;
    let escalated = wait_for_mail(&app, &boss_mail, 1).await;
    assert_eq!(escalated[0].subject, "Escalation: nobody has taken the chat with Zoe");
    assert!(escalated[0].text.contains("first-response time of 5 min"), "{}", escalated[0].text);
    assert!(escalated[0].text.contains(&format!("https://support.example/inbox#c={}", contact.id)));

    app.later(Duration::from_secs(3600)).await;
    let boss_got = wait_for_mail(&app, &boss_mail, 2).await;
    assert_eq!(boss_got[1].subject, "Zoe is waiting for a reply", "at half an hour, as the boss asked");
    // Mail the timers' events would cause is sent once the consumers have taken them.
    app.consumers_caught_up().await;
    assert_eq!(mail_to(&boss_mail).len(), 2, "each once");
    assert!(mail_to(&other_admin_mail).is_empty(), "the team's admin, not every admin");
    assert!(mail_to(&bob_mail).is_empty(), "Bob asked for no mail");
    app.shutdown().await;
}

async fn a_ticket_is_mailed_to_the_team_and_the_answer_to_the_contact(app: TestApp) {
    let (ana, ana_mail) = user(&app, "ana", Role::Agent, false).await;
    let (_bob, bob_mail) = user(&app, "bob", Role::Agent, false).await;
    let contact = app.open_conversation(json!({"contact": {"name": "Zoe"}})).await;
    let handoff = app.ask_for_human(&contact).await;
    assert_eq!(handoff["state"], "offline", "nobody is online");
    let id = handoff["id"].as_str().unwrap().to_owned();
    let customer = address(&app, "zoe");
    let lead = json!({"email": customer, "message": "My parcel is late"});
    let (status, ticket) =
        app.post(&format!("/v1/conversations/{}/lead", contact.id), Some(&contact.token), lead).await;
    assert_eq!((status, ticket["state"].as_str()), (StatusCode::OK, Some("ticket")), "{ticket}");

    for to in [&ana_mail, &bob_mail] {
        let got = wait_for_mail(&app, to, 1).await;
        assert_eq!(got[0].subject, "New ticket from Zoe");
        assert!(got[0].text.contains(&format!("Zoe <{customer}> left a request")), "{}", got[0].text);
        assert!(got[0].text.contains("Their message: My parcel is late"), "{}", got[0].text);
    }

    // Ana takes it and answers: a note stays inside, the answer goes to the contact, who is
    // not in the chat.
    let (status, claimed) = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!((status, claimed["state"].as_str()), (StatusCode::OK, Some("live")), "{claimed}");
    let note = app
        .post(
            &format!("/v1/conversations/{}/notes", contact.id),
            Some(&ana.token),
            json!({"text": "checking the carrier"}),
        )
        .await;
    assert_eq!(note.0, StatusCode::CREATED, "{}", note.1);
    let path = format!("/v1/conversations/{}/messages", contact.id);
    let (status, body) =
        app.post(&path, Some(&ana.token), json!({"text": "It left our warehouse today."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let answer = wait_for_mail(&app, &customer, 1).await;
    assert_eq!(answer[0].subject, "Re: your request");
    assert!(
        answer[0].text.starts_with(&format!("It left our warehouse today.\n\n— {}", ana.name)),
        "{}",
        answer[0].text
    );
    assert!(answer[0].text.contains("Your request: My parcel is late"));
    assert!(!answer[0].text.contains("checking the carrier"));
    assert_eq!(answer[0].reply_to.as_deref(), Some(format!("support+ticket-{id}@baton.test").as_str()));

    // While the contact has the chat open, they read the answer there.
    let mut widget = app.contact_socket(&contact, 0).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while baton_server::service::inactivity::open_widgets(&app.state, contact.id) != 1 {
        assert!(tokio::time::Instant::now() < deadline, "the server did not count the open widget");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (status, _) = app.post(&path, Some(&ana.token), json!({"text": "Anything else?"})).await;
    assert_eq!(status, StatusCode::CREATED);
    widget.until("message.created", |m| m["text"] == "Anything else?").await;
    app.consumers_caught_up().await;
    widget.close().await;

    app.later(Duration::from_secs(3600)).await;
    // Mail the timers' events would cause is sent once the consumers have taken them.
    app.consumers_caught_up().await;
    assert_eq!((mail_to(&customer).len(), mail_to(&ana_mail).len(), mail_to(&bob_mail).len()), (1, 1, 1));
    // Counted for /metrics (process-wide, so other tests' mails count too).
    let metrics = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    for kind in ["ticket", "ticket_reply"] {
        let series = format!(r#"baton_emails_total{{kind="{kind}",outcome="sent"}} "#);
        assert!(metrics.lines().any(|line| line.starts_with(&series)), "{series} in {metrics}");
    }
    app.shutdown().await;
}

async fn notification_preferences_are_each_users_own_and_checked(app: TestApp) {
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let bob = app.agent("bob@example.com", Role::Agent).await;
    assert_eq!(
        prefs_of(&app, &ana).await,
        json!({"email": true, "email_after_seconds": 60, "language": null})
    );
    let shown = app.get("/v1/me/notifications", Some(&ana.token)).await.1;
    assert_eq!(shown["mail_enabled"], false, "no [smtp] here");
    let (status, _) = app.get("/v1/me/notifications", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let chosen = json!({"email": false, "email_after_seconds": 300, "language": "de"});
    set_prefs(&app, &ana, chosen.clone()).await;
    assert_eq!(prefs_of(&app, &ana).await, chosen);
    assert_eq!(prefs_of(&app, &bob).await["email"], true, "Ana's, not Bob's");

    let bad = [
        json!({"email": true, "email_after_seconds": 86_401}),
        json!({"email": true, "email_after_seconds": -1}),
        json!({"email": "yes", "email_after_seconds": 60}),
        json!({"email": true}),
        json!({"email": true, "email_after_seconds": 60, "sms": true}),
        json!({"email": true, "email_after_seconds": 60, "language": "German"}),
        json!({"email": true, "email_after_seconds": 60, "mail_enabled": true}),
    ];
    for body in bad {
        let response = app
            .client
            .put(format!("{}/v1/me/notifications", app.base))
            .bearer_auth(&ana.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
        let problem: Value = response.json().await.unwrap();
        assert!(status.is_client_error(), "{body}: {status}");
        assert_eq!(kind, "application/problem+json", "{body}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{problem}");
    }
    assert_eq!(prefs_of(&app, &ana).await, chosen, "unchanged");
    app.shutdown().await;
}

async fn an_admin_sees_the_mail_setup_and_sends_a_test_mail(app: TestApp) {
    let (admin, admin_mail) = user(&app, "boss", Role::Admin, false).await;
    let (agent, _) = user(&app, "ana", Role::Agent, false).await;
    let (status, setup) = app.get("/v1/email", Some(&admin.token)).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    assert_eq!(setup["enabled"], true);
    assert_eq!(setup["from"], format!("Baton Support <{FROM}>"));
    assert_eq!(setup["public_url"], "https://support.example");
    assert!(setup["server"].as_str().unwrap().starts_with("smtp://127.0.0.1:"), "{setup}");
    assert_eq!(app.get("/v1/email", Some(&agent.token)).await.0, StatusCode::FORBIDDEN);

    let (status, sent) = app.post("/v1/email/test", Some(&admin.token), json!({})).await;
    assert_eq!((status, &sent["sent_to"]), (StatusCode::OK, &json!(admin_mail)), "{sent}");
    let got = wait_for_mail(&app, &admin_mail, 1).await;
    assert_eq!(got[0].subject, "Baton can send email");
    assert!(got[0].text.contains("https://support.example/inbox"), "{}", got[0].text);

    let elsewhere = address(&app, "ops");
    let (status, _) = app.post("/v1/email/test", Some(&admin.token), json!({"to": elsewhere})).await;
    assert_eq!(status, StatusCode::OK);
    wait_for_mail(&app, &elsewhere, 1).await;
    let (status, problem) =
        app.post("/v1/email/test", Some(&admin.token), json!({"to": "not an address"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(app.post("/v1/email/test", Some(&agent.token), json!({})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(mail_to(&admin_mail).len(), 1, "one test, one mail");
    app.shutdown().await;
}

async fn without_a_mail_server_the_test_mail_says_so(app: TestApp) {
    let admin = app.agent("boss@example.com", Role::Admin).await;
    let (status, setup) = app.get("/v1/email", Some(&admin.token)).await;
    assert_eq!((status, &setup["enabled"]), (StatusCode::OK, &json!(false)), "{setup}");
    let (status, problem) = app.post("/v1/email/test", Some(&admin.token), json!({})).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (StatusCode::CONFLICT, Some("mail_not_configured")),
        "{problem}"
    );
    app.shutdown().await;
}
