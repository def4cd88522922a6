//! The email channel through real servers: customers' mails are put into a Dovecot mailbox by
//! IMAP APPEND, as a mail server would deliver them, Baton reads them from there, and its
//! answers arrive at the local SMTP server (aiosmtpd), whose Maildir the tests read.

use std::time::Duration;

use baton_core::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PATIENCE, TestApp};
use crate::whatsapp::log_until;

macro_rules! with_mail_servers {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(not(all(test_smtp, test_imap)), ignore = "needs BATON_TEST_SMTP_URL and BATON_TEST_IMAP_URL")]
               async fn $name() {
                   let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, super::settings);
                   super::$name(app.await).await
               } )*
        }
        mod on_postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               #[cfg_attr(
                   not(all(test_postgres, test_smtp, test_imap)),
                   ignore = "needs BATON_TEST_DATABASE_URL, BATON_TEST_SMTP_URL and BATON_TEST_IMAP_URL"
               )]
               async fn $name() {
                   let app = crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Postgres, super::settings);
                   super::$name(app.await).await
               } )*
        }
    };
}

with_mail_servers!(
    a_customer_who_mails_reaches_a_person_in_one_thread_and_rates_them,
    a_mail_while_the_team_is_offline_becomes_a_ticket_answered_by_mail,
    mails_are_read_once_across_a_restart_and_programs_get_no_answer,
    email_channels_are_checked_and_their_password_never_shown,
    a_web_ticket_answered_by_mail_goes_on_when_its_contact_replies,
    an_smtp_outage_is_retried_in_the_send_log_and_a_restart_loses_nothing,
);

fn settings(settings: &mut baton_server::settings::Settings) {
    crate::email::mailing(settings);
    settings.channels.retry_schedule_seconds = vec![1, 60];
}

/// A support mailbox of its own (Dovecot gives every user name one) and its address.
struct Mailbox {
    user: String,
    address: String,
}

impl Mailbox {
    fn new(app: &TestApp) -> Self {
        let user = format!("support-{}", app.state.new_id::<()>().as_uuid().simple());
        Self { address: format!("{user}@help.test"), user }
    }

    async fn session(&self) -> async_imap::Session<tokio::net::TcpStream> {
        let url = std::env::var("BATON_TEST_IMAP_URL").expect("BATON_TEST_IMAP_URL");
        let host = url.trim_start_matches("imap://").trim_end_matches('/');
        let tcp = tokio::net::TcpStream::connect(host).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        client.login(&self.user, password()).await.map_err(|(error, _)| error).unwrap()
    }

    /// Delivers `raw` into the mailbox, unread, as the mail server would.
    async fn deliver(&self, raw: &str) {
        let mut session = self.session().await;
        session.append("INBOX", None, None, raw.replace('\n', "\r\n")).await.unwrap();
        session.logout().await.unwrap();
    }

    /// How many of the mailbox's mails are unread.
    async fn unread(&self) -> usize {
        let mut session = self.session().await;
        session.select("INBOX").await.unwrap();
        let unread = session.search("UNSEEN").await.unwrap().len();
        session.logout().await.unwrap();
        unread
    }
}

fn password() -> String {
    std::env::var("BATON_TEST_IMAP_PASSWORD").expect("BATON_TEST_IMAP_PASSWORD")
}

async fn email_channel(app: &TestApp, admin: &str, mailbox: &Mailbox) -> Value {
    let (_, bots) = app.get("/v1/bots", Some(admin)).await;
    let bot = bots.as_array().unwrap().iter().find(|b| b["is_default"] == true).expect("a default bot");
    let body = json!({
        "kind": "email",
        "bot_id": bot["id"],
        "settings": {
            "address": mailbox.address,
            "display_name": "Acme Support",
            "imap_url": std::env::var("BATON_TEST_IMAP_URL").unwrap(),
            "username": mailbox.user,
            "password": password(),
            "poll_seconds": 1,
        },
    });
    let (status, channel) = app.post("/v1/channels", Some(admin), body).await;
    assert_eq!(status, StatusCode::CREATED, "{channel}");
    channel
}

/// A customer's mail, as their mail program would write it.
fn mail(from: &str, to: &str, id: &str, subject: &str, answers: &[&str], body: &str) -> String {
    let mut headers = format!(
        "From: Rosa Diaz <{from}>\nTo: {to}\nSubject: {subject}\nMessage-ID: <{id}>\n\
         Date: Mon, 7 Dec 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    );
    if let Some(last) = answers.last() {
        let references: Vec<String> = answers.iter().map(|id| format!("<{id}>")).collect();
        headers.push_str(&format!("In-Reply-To: <{last}>\nReferences: {}\n", references.join(" ")));
    }
    format!("{headers}\n{body}\n")
}

/// A mail Baton sent, as the SMTP server received it.
#[derive(Debug)]
struct Answer {
    from: String,
    subject: String,
    message_id: String,
    in_reply_to: Option<String>,
    references: Option<String>,
    text: String,
    /// Attached files: name, type and bytes.
    files: Vec<(String, String, Vec<u8>)>,
}

fn answers_to(to: &str) -> Vec<Answer> {
    let dir =
        std::path::PathBuf::from(std::env::var("BATON_TEST_SMTP_MAILDIR").expect("BATON_TEST_SMTP_MAILDIR"))
            .join("new");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let mail = mailparse::parse_mail(&bytes).unwrap();
        let header = |name: &str| {
            mail.headers.iter().find(|h| h.get_key().eq_ignore_ascii_case(name)).map(|h| h.get_value())
        };
        if !header("To").is_some_and(|recipient| recipient.contains(to)) {
            continue;
        }
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).unwrap();
        found.push((
            modified,
            Answer {
                from: header("From").unwrap(),
                subject: header("Subject").unwrap(),
                message_id: header("Message-ID").unwrap(),
                in_reply_to: header("In-Reply-To"),
                references: header("References"),
                text: text_of(&mail),
                files: mail
                    .subparts
                    .iter()
                    .filter(|part| {
                        part.get_content_disposition().disposition == mailparse::DispositionType::Attachment
                    })
                    .map(|part| {
                        let name = part
                            .get_content_disposition()
                            .params
                            .get("filename")
                            .cloned()
                            .unwrap_or_default();
                        (name, part.ctype.mimetype.clone(), part.get_body_raw().unwrap())
                    })
                    .collect(),
            },
        ));
    }
    found.sort_by_key(|(modified, _)| *modified);
    found.into_iter().map(|(_, answer)| answer).collect()
}

/// A mail's text: its body, or a multipart mail's first plain-text part.
fn text_of(mail: &mailparse::ParsedMail) -> String {
    let part = if mail.subparts.is_empty() {
        mail
    } else {
        mail.subparts.iter().find(|p| p.ctype.mimetype == "text/plain").unwrap_or(mail)
    };
    part.get_body().unwrap().replace("\r\n", "\n").trim().to_owned()
}

/// Waits until `to` has received a mail that satisfies `wanted`; returns every mail so far.
async fn answer_until(to: &str, what: &str, wanted: impl Fn(&Answer) -> bool) -> Vec<Answer> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let answers = answers_to(to);
        if answers.iter().any(&wanted) {
            return answers;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {what} for {to}: {answers:#?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn conversation_of_log(app: &TestApp, admin: &str, channel: &Value) -> String {
    let log = log_until(app, admin, channel, |log| log.iter().any(|d| d["status"] == "sent")).await;
    log[0]["conversation_id"].as_str().unwrap().to_owned()
}

async fn open_handoff(app: &TestApp, admin: &str, conversation: &str) -> Value {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let (_, seen) = app.get(&format!("/v1/conversations/{conversation}"), Some(admin)).await;
        if seen["handoff"]["id"].is_string() {
            return seen["handoff"].clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "no handoff: {seen}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn texts_until(app: &TestApp, token: &str, conversation: &str, wanted: &str) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let texts: Vec<String> = app
            .messages(conversation.parse().unwrap(), token)
            .await
            .iter()
            .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
            .collect();
        if texts.iter().any(|t| t == wanted) {
            return texts;
        }
        assert!(tokio::time::Instant::now() < deadline, "no '{wanted}' in {texts:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_customer_who_mails_reaches_a_person_in_one_thread_and_rates_them(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let mailbox = Mailbox::new(&app);
    let channel = email_channel(&app, &admin.token, &mailbox).await;
    let customer = crate::email::address(&app, "rosa");

    // The customer asks for a person by mail; Baton answers in the thread, from the support
    // address, under the customer's subject.
    let first = format!("first-{}@mail.customer.test", channel["id"].as_str().unwrap());
    let body = "I want to talk to a human about my invoice please.\n\n-- \nRosa Diaz\nDiaz Imports";
    mailbox.deliver(&mail(&customer, &mailbox.address, &first, "Invoice 4711", &[], body)).await;
    let conversation = conversation_of_log(&app, &admin.token, &channel).await;
    let texts =
        texts_until(&app, &agent.token, &conversation, "I want to talk to a human about my invoice please.")
            .await;
    assert!(!texts.iter().any(|t| t.contains("Diaz Imports")), "the signature stays out: {texts:#?}");
    let handoff = open_handoff(&app, &admin.token, &conversation).await;
    let told = answer_until(&customer, "queue notice", |a| a.text.to_lowercase().contains("connect")).await;
    let notice = told.iter().find(|a| a.text.to_lowercase().contains("connect")).unwrap();
    assert!(notice.from.contains(&mailbox.address) && notice.from.contains("Acme Support"), "{notice:?}");
    assert_eq!(notice.subject, "Re: Invoice 4711");
    assert_eq!(notice.in_reply_to.as_deref(), Some(format!("<{first}>").as_str()), "{notice:?}");
    let (_, seen) = app.get(&format!("/v1/conversations/{conversation}"), Some(&admin.token)).await;
    assert_eq!(
        (seen["channel"].as_str(), seen["channel_address"].as_str()),
        (Some("email"), Some(customer.as_str()))
    );
    assert_eq!(seen["contact"]["name"], "Rosa Diaz");
    assert!(mailbox.unread().await == 0, "Baton marks what it took read");

    // Ana takes it and answers; the answer continues the thread.
    let handoff_id = handoff["id"].as_str().unwrap();
    let claim = app.post(&format!("/v1/handoffs/{handoff_id}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let reply = json!({"text": "Hi Rosa, this is Ana. Which amount looks wrong?"});
    let (status, body) =
        app.post(&format!("/v1/conversations/{conversation}/messages"), Some(&agent.token), reply).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let answers =
        answer_until(&customer, "Ana's answer", |a| a.text.starts_with("Hi Rosa, this is Ana")).await;
    let ana = answers.iter().find(|a| a.text.starts_with("Hi Rosa, this is Ana")).unwrap();
    assert_eq!(ana.subject, "Re: Invoice 4711");
    let references = ana.references.clone().unwrap_or_default();
    assert!(references.contains(&first) && references.contains(&notice.message_id), "{ana:?}");

    // A file Ana attaches goes as an attachment of an answer in the same thread.
    let pdf = b"%PDF-1.4 corrected invoice".to_vec();
    app.attach(&agent.token, &conversation, "invoice%204711.pdf", "application/pdf", &pdf).await;
    let answers = answer_until(&customer, "the attached invoice", |a| !a.files.is_empty()).await;
    let attached = answers.iter().find(|a| !a.files.is_empty()).unwrap();
    assert_eq!(attached.files, [("invoice 4711.pdf".to_owned(), "application/pdf".to_owned(), pdf)]);
    assert_eq!((attached.subject.as_str(), attached.text.as_str()), ("Re: Invoice 4711", "invoice 4711.pdf"));
    assert!(attached.references.as_deref().unwrap_or_default().contains(&first), "{attached:?}");

    // The customer answers from their mail program, quoting it all; only the new words count.
    // The reply finds its conversation by the thread, even from another address of theirs.
    let answered = ana.message_id.trim_matches(['<', '>']).to_owned();
    let quoted = format!(
        "The shipping fee, 12 EUR.\n\nOn Mon, Dec 7, 2026 at 10:05 AM Acme Support <{}> wrote:\n\
         > Hi Rosa, this is Ana. Which amount looks wrong?\n",
        mailbox.address
    );
    let second = format!("second-{first}");
    let other_address = crate::email::address(&app, "rosa-at-work");
    let thread = [first.as_str(), answered.as_str()];
    mailbox
        .deliver(&mail(&other_address, &mailbox.address, &second, "Re: Invoice 4711", &thread, &quoted))
        .await;
    let texts = texts_until(&app, &agent.token, &conversation, "The shipping fee, 12 EUR.").await;
    assert!(!texts.iter().any(|t| t.contains("> Hi Rosa")), "the quote stays out: {texts:#?}");

    // Closing asks for a rating by mail; the customer types it.
    let close = app.post(&format!("/v1/handoffs/{handoff_id}/close"), Some(&agent.token), json!({})).await;
    assert_eq!(close.0, StatusCode::OK, "{}", close.1);
    let asked = answer_until(&customer, "the request for a rating", |a| a.text.contains('5')).await;
    let rating_request = asked.iter().find(|a| a.text.contains('5')).unwrap();
    let request_id = rating_request.message_id.trim_matches(['<', '>']).to_owned();
    let third = format!("third-{first}");
    mailbox
        .deliver(&mail(&customer, &mailbox.address, &third, "Re: Invoice 4711", &[&request_id], "5"))
        .await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let rated = app.handoff(handoff_id, &admin.token).await;
        if rated["rating"] == 5 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "not rated: {rated}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Every message to the customer went out once, each as a sent mail.
    app.consumers_caught_up().await;
    let log = log_until(&app, &admin.token, &channel, |log| log.iter().all(|d| d["status"] == "sent")).await;
    let mails = answers_to(&customer).len() + answers_to(&other_address).len();
    assert_eq!(mails, log.len(), "one mail per message: {log:#?}");
}

async fn a_mail_while_the_team_is_offline_becomes_a_ticket_answered_by_mail(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.agent("ana@example.com", Role::Agent).await;
    let mailbox = Mailbox::new(&app);
    let channel = email_channel(&app, &admin.token, &mailbox).await;
    let customer = crate::email::address(&app, "rosa");

    let first = format!("offline-{}@mail.customer.test", channel["id"].as_str().unwrap());
    let body = "Can I speak to a person about a refund?";
    mailbox.deliver(&mail(&customer, &mailbox.address, &first, "Refund", &[], body)).await;
    let conversation = conversation_of_log(&app, &admin.token, &channel).await;
    // Nobody is on duty: the sender's address is the lead, no form to fill in.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let ticket = loop {
        let handoff = open_handoff(&app, &admin.token, &conversation).await;
        if handoff["state"] == "ticket" {
            break handoff;
        }
        assert!(tokio::time::Instant::now() < deadline, "no ticket: {handoff}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let full = app.handoff(ticket["id"].as_str().unwrap(), &admin.token).await;
    assert_eq!(full["lead"]["email"], customer.as_str(), "{full}");
    app.consumers_caught_up().await;
    let told = answer_until(&customer, "the thanks", |_| true).await;
    assert!(
        told.iter().all(|a| !a.text.to_lowercase().contains("email address")),
        "a mail's sender is not asked for their address: {told:#?}"
    );

    // Ana takes the ticket and answers: one mail, in the thread.
    let ticket_id = ticket["id"].as_str().unwrap();
    let before = answers_to(&customer).len();
    let claim = app.post(&format!("/v1/handoffs/{ticket_id}/claim"), Some(&agent.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let reply = json!({"text": "Hello Rosa, your refund is on its way."});
    let (status, body) =
        app.post(&format!("/v1/conversations/{conversation}/messages"), Some(&agent.token), reply).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let answers =
        answer_until(&customer, "the answer", |a| a.text.starts_with("Hello Rosa, your refund")).await;
    app.consumers_caught_up().await;
    let answers_now = answers_to(&customer);
    let copies = answers_now.iter().filter(|a| a.text.contains("your refund is on its way")).count();
    assert_eq!(copies, 1, "the answer is mailed once, by the channel: {answers_now:#?}");
    let answer = answers.iter().find(|a| a.text.starts_with("Hello Rosa")).unwrap();
    assert_eq!(answer.subject, "Re: Refund");
    assert!(answer.references.as_deref().unwrap_or_default().contains(&first), "{answer:?}");
    assert!(answers_now.len() > before);
}

async fn mails_are_read_once_across_a_restart_and_programs_get_no_answer(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let agent = app.online_agent("ana@example.com").await;
    let mailbox = Mailbox::new(&app);
    let channel = email_channel(&app, &admin.token, &mailbox).await;
    let customer = crate::email::address(&app, "rosa");
    let id = |n: u32| format!("restart-{n}-{}@mail.customer.test", channel["id"].as_str().unwrap());

    mailbox.deliver(&mail(&customer, &mailbox.address, &id(1), "Order", &[], "Where is my order?")).await;
    let conversation = conversation_of_log(&app, &admin.token, &channel).await;
    // An out-of-office answer and a bounce are left alone.
    let auto = mail(&customer, &mailbox.address, &id(2), "Out of office", &[], "I am away until Monday.")
        .replace("MIME-Version", "Auto-Submitted: auto-replied\nMIME-Version");
    mailbox.deliver(&auto).await;
    let bounce =
        mail("MAILER-DAEMON@mail.customer.test", &mailbox.address, &id(3), "Undelivered", &[], "failed");
    mailbox.deliver(&bounce).await;

    // Mail that arrives while Baton is down is read once it is back, and nothing twice.
    let app = app.restart().await;
    mailbox.deliver(&mail(&customer, &mailbox.address, &id(4), "Re: Order", &[&id(1)], "Order 4711.")).await;
    let texts = texts_until(&app, &agent.token, &conversation, "Order 4711.").await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while mailbox.unread().await > 0 {
        assert!(tokio::time::Instant::now() < deadline, "mails left unread");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A few more reads find nothing new.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let texts_later: Vec<String> = app
        .messages(conversation.parse().unwrap(), &agent.token)
        .await
        .iter()
        .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
        .collect();
    for text in ["Where is my order?", "Order 4711."] {
        assert_eq!(texts_later.iter().filter(|t| *t == text).count(), 1, "{texts_later:#?}");
    }
    assert!(
        !texts.iter().chain(&texts_later).any(|t| t.contains("away until Monday") || t == "failed"),
        "{texts_later:#?}"
    );
    let bounced =
        answers_to("mail.customer.test").iter().filter(|a| a.subject.contains("Undelivered")).count();
    assert_eq!(bounced, 0);
}

async fn email_channels_are_checked_and_their_password_never_shown(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let mailbox = Mailbox::new(&app);
    let channel = email_channel(&app, &admin.token, &mailbox).await;
    assert_eq!(channel["settings"]["password"], "********", "{channel}");
    assert_eq!(channel["settings"]["mailbox"], "INBOX");
    let id = channel["id"].as_str().unwrap();

    // Saved back as read, the password stays; pointed at another server, it must be given.
    let mut form = json!({"kind": "email", "bot_id": channel["bot_id"], "settings": channel["settings"]});
    let (status, body) = app.put(&format!("/v1/channels/{id}"), Some(&admin.token), form.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    form["settings"]["imap_url"] = json!("imaps://imap.elsewhere.test");
    let (status, body) = app.put(&format!("/v1/channels/{id}"), Some(&admin.token), form.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("password"), "{body}");

    for (field, value) in
        [("imap_url", json!("https://mail.test")), ("address", json!("nobody")), ("poll_seconds", json!(0))]
    {
        let mut bad = form.clone();
        bad["settings"]["password"] = json!("secret");
        bad["settings"]["imap_url"] = json!("imap://127.0.0.1:18143");
        bad["settings"][field] = value;
        let (status, body) = app.post("/v1/channels", Some(&admin.token), bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(body["detail"].as_str().unwrap().contains(field), "{body}");
    }
    // Still the one channel, still readable with its mailbox's password.
    let (_, channels) = app.get("/v1/channels", Some(&admin.token)).await;
    assert_eq!(channels.as_array().map(Vec::len), Some(1), "{channels}");
    let (status, body) = app.post(&format!("/v1/channels/{id}/webhook"), None, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an email channel has no webhook: {body}");
}

async fn a_web_ticket_answered_by_mail_goes_on_when_its_contact_replies(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let ana = app.agent("ana@example.com", Role::Agent).await;
    let mailbox = Mailbox::new(&app);
    email_channel(&app, &admin.token, &mailbox).await;
    // A web chat, nobody on duty: the contact leaves their address and closes the tab.
    let contact = app.open_conversation(json!({"contact": {"name": "Zoe"}})).await;
    let handoff = app.ask_for_human(&contact).await;
    assert_eq!(handoff["state"], "offline", "nobody is online");
    let id = handoff["id"].as_str().unwrap().to_owned();
    let customer = crate::email::address(&app, "zoe");
    let lead = json!({"email": customer, "message": "My parcel is late"});
    let (status, ticket) =
        app.post(&format!("/v1/conversations/{}/lead", contact.id), Some(&contact.token), lead).await;
    assert_eq!((status, ticket["state"].as_str()), (StatusCode::OK, Some("ticket")), "{ticket}");
    let claim = app.post(&format!("/v1/handoffs/{id}/claim"), Some(&ana.token), json!({})).await;
    assert_eq!(claim.0, StatusCode::OK, "{}", claim.1);
    let path = format!("/v1/conversations/{}/messages", contact.id);
    let (status, body) =
        app.post(&path, Some(&ana.token), json!({"text": "It left our warehouse today."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mailed = answer_until(&customer, "the ticket's answer", |a| a.subject == "Re: your request").await;
    let first = mailed[0].message_id.trim_matches(['<', '>']).to_owned();

    // The contact answers the mail; the answer reaches the support mailbox and the same chat.
    let reply_id = format!("reply-{first}");
    let quoted = "Thanks! And the tracking number?\n\nOn Mon, 7 Dec 2026, Baton Support wrote:\n> It left";
    mailbox
        .deliver(&mail(&customer, &mailbox.address, &reply_id, "Re: your request", &[&first], quoted))
        .await;
    texts_until(&app, &ana.token, &contact.id.to_string(), "Thanks! And the tracking number?").await;

    // Ana's next answer continues the thread.
    let (status, body) = app.post(&path, Some(&ana.token), json!({"text": "It is 4711."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let mailed = answer_until(&customer, "the second answer", |a| a.message_id != mailed[0].message_id).await;
    let second = mailed.iter().find(|a| a.message_id != mailed[0].message_id).unwrap();
    assert_eq!(second.in_reply_to.as_deref(), Some(format!("<{reply_id}>").as_str()), "{second:?}");
    assert!(second.references.as_deref().unwrap_or_default().contains(&first), "{second:?}");
}

async fn an_smtp_outage_is_retried_in_the_send_log_and_a_restart_loses_nothing(app: TestApp) {
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let mailbox = Mailbox::new(&app);
    let channel = email_channel(&app, &admin.token, &mailbox).await;
    let customer = crate::email::address(&app, "rosa");
    let smtp = app.state.settings.smtp.url.clone();

    // The SMTP server goes away (nothing listens on the port any more).
    let gone = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let app = app.restart_with(|settings| settings.smtp.url = format!("smtp://{gone}")).await;
    let first = format!("outage-{}@mail.customer.test", channel["id"].as_str().unwrap());
    mailbox
        .deliver(&mail(&customer, &mailbox.address, &first, "Opening hours", &[], "When are you open?"))
        .await;
    let log = log_until(&app, &admin.token, &channel, |log| {
        log.first().is_some_and(|d| d["status"] == "pending" && d["attempts"].as_u64() >= Some(1))
    })
    .await;
    let waiting = &log[0];
    assert!(waiting["error"].as_str().is_some_and(|e| !e.is_empty()), "the reason shows: {waiting}");
    assert!(waiting["next_attempt_at"].is_i64(), "a retry is due: {waiting}");
    assert!(answers_to(&customer).is_empty(), "nothing reached the customer yet");

    // Back on the real server after a restart: the answer goes out, once, in the thread.
    let app = app.restart_with(|settings| settings.smtp.url = smtp).await;
    app.clock.advance(Duration::from_secs(2));
    let id = waiting["message_id"].clone();
    let log = log_until(&app, &admin.token, &channel, |log| {
        log.iter().any(|d| d["message_id"] == id && d["status"] == "sent")
    })
    .await;
    let sent = log.iter().find(|d| d["message_id"] == id).unwrap();
    assert!(sent["attempts"].as_u64() >= Some(2), "{sent}");
    let answers = answer_until(&customer, "the bot's answer", |a| a.in_reply_to.is_some()).await;
    assert!(answers[0].in_reply_to.as_deref().is_some_and(|r| r.contains(&first)), "{answers:#?}");
    // Once every message of the log is sent, there is one mail for each: nothing twice.
    app.consumers_caught_up().await;
    let log = log_until(&app, &admin.token, &channel, |log| log.iter().all(|d| d["status"] == "sent")).await;
    let mails = answers_to(&customer);
    assert_eq!(mails.len(), log.len(), "one mail per message in the log: {mails:#?} {log:#?}");
}
