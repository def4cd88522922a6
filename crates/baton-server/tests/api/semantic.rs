//! The semantic layer in the running server: a topic found by meaning opens a handoff, an LLM
//! bot's answer is asked for while the layer searches (and dropped when it hands off), and an
//! endpoint that does not answer never holds a turn up. The first two tests need a real
//! embeddings server (`BATON_TEST_EMBEDDINGS_URL`, which `.ci/run` sets); the last needs none.

use std::time::{Duration, Instant};

use baton_core::policy::{BotSettings, Topic};
use baton_core::user::Role;
use baton_server::settings::EmbeddingsSettings;
use serde_json::{Value, json};

use crate::fake_openai::{self, FakeOpenAi};
use crate::helpers::{Backend, Contact, TestApp};

/// A German contact whose parcel never arrived; nothing in it is an English refund phrase.
const PARCEL_DE: &str = "Mein Paket ist nie angekommen und ich will mein Geld zurück";

/// The real embeddings endpoint; tests that need it are ignored unless it was set at build time.
fn embeddings_url() -> String {
    std::env::var("BATON_TEST_EMBEDDINGS_URL").expect("BATON_TEST_EMBEDDINGS_URL names an embeddings server")
}

/// A bot whose refund topic is written in English only.
async fn refund_bot(app: &TestApp) -> String {
    let mut settings = BotSettings::demo();
    settings.policy.topics = vec![Topic {
        name: "refund".into(),
        phrases: vec!["refund".into(), "money back".into()],
        examples: vec!["I want my money back".into()],
    }];
    app.add_bot("refunds", settings).await
}

/// What the contact sees after saying `text` and the bot taking its turn.
async fn say_and_wait(app: &TestApp, contact: &Contact, text: &str) -> Value {
    app.say(contact, text).await;
    app.bot_idle(contact.id).await;
    app.conversation(contact).await
}

async fn a_topic_found_by_meaning_opens_a_handoff(backend: Backend) {
    let embeddings = EmbeddingsSettings {
        url: embeddings_url(),
        // The first turn embeds every example phrase; leave a loaded machine time for it.
        timeout_ms: 30_000,
        ..EmbeddingsSettings::default()
    };
    let app = TestApp::spawn_with(backend, |settings| settings.embeddings = Some(embeddings)).await;
    let bot = refund_bot(&app).await;

    let parcel = app.conversation_with(&bot).await;
    let conversation = say_and_wait(&app, &parcel, PARCEL_DE).await;
    let handoff = &conversation["handoff"];
    assert_eq!(handoff["trigger"], "forbidden_topic", "{conversation}");
    assert_eq!(handoff["topic"], "refund", "{handoff}");
    let signal = &handoff["signals"][0];
    assert_eq!(signal["name"], "semantic_topic", "{handoff}");
    let detail = signal["detail"].as_str().unwrap();
    assert!(detail.starts_with("refund ~ '"), "the nearest example and its similarity: {detail}");
    assert!(handoff["reason"].as_str().unwrap().starts_with("forbidden topic: refund ~ '"), "{handoff}");

    let hours = app.conversation_with(&bot).await;
    let conversation = say_and_wait(&app, &hours, "What are your opening hours?").await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    let messages = app.messages(hours.id, &hours.token).await;
    let answer = messages.last().unwrap();
    assert_eq!(answer["author"]["kind"], "bot");
    assert!(answer["text"].as_str().unwrap().contains("whenever someone is online"), "{answer}");
    app.shutdown().await;
}

/// The contact messages the fake model was asked to answer (not to summarise a handoff).
fn answers_asked(fake: &FakeOpenAi) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|request| request["tool_choice"]["function"]["name"] != "record_handoff_summary")
        .filter_map(|request| {
            let messages = request["messages"].as_array()?;
            let last = messages.iter().rev().find(|m| m["role"] == "user")?;
            last["content"].as_str().map(str::to_owned)
        })
        .collect()
}

async fn an_llm_answer_is_asked_during_the_search_and_dropped_on_a_handoff(backend: Backend) {
    let embeddings =
        EmbeddingsSettings { url: embeddings_url(), timeout_ms: 30_000, ..EmbeddingsSettings::default() };
    let app = TestApp::spawn_with(backend, |settings| settings.embeddings = Some(embeddings)).await;
    let (fake, base) = FakeOpenAi::start().await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let settings = json!({
        "backend": {"kind": "openai", "base_url": base, "model": "gpt-bot", "api_key": fake_openai::API_KEY,
            "instructions": "You are Acme's assistant.", "stream": false, "timeout_ms": 20_000},
        "policy": {"topics": [{"name": "refund", "phrases": ["refund", "money back"],
            "examples": ["I want my money back"]}]},
    });
    let bot = crate::ai_backends::create_bot(&app, &admin.token, settings).await;

    // Nothing semantic: the answer asked for during the search is the one written, once.
    let hours = app.open_conversation(json!({"bot_id": bot})).await;
    let conversation = say_and_wait(&app, &hours, "What are your opening hours?").await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    let messages = app.messages(hours.id, &hours.token).await;
    // After the greeting, the contact's question and one answer.
    let answers: Vec<&Value> = messages.iter().skip(2).filter(|m| m["author"]["kind"] == "bot").collect();
    assert_eq!(messages[1]["author"]["kind"], "contact", "{messages:?}");
    assert_eq!(answers.len(), 1, "{messages:?}");
    assert_eq!(answers[0]["text"], "Echo: What are your opening hours?", "{messages:?}");
    assert_eq!(answers_asked(&fake), ["What are your opening hours?"]);

    // Found by meaning while the model (scripted to take seconds) is still answering: the
    // handoff does not wait for the answer, and the answer is never written.
    let parcel = app.open_conversation(json!({"bot_id": bot})).await;
    let slow_parcel = format!("{PARCEL_DE} (slow)");
    let started = Instant::now();
    let conversation = say_and_wait(&app, &parcel, &slow_parcel).await;
    assert!(started.elapsed() < fake_openai::SLOW, "the turn waited for the answer: {:?}", started.elapsed());
    assert_eq!(conversation["handoff"]["topic"], "refund", "{conversation}");
    assert_eq!(conversation["handoff"]["signals"][0]["name"], "semantic_topic", "{conversation}");
    assert!(answers_asked(&fake).contains(&slow_parcel), "the answer was asked for during the search");
    let messages = app.messages(parcel.id, &parcel.token).await;
    assert!(
        messages
            .iter()
            .all(|m| m["author"]["kind"] != "bot" || !m["text"].as_str().unwrap().contains("wait")),
        "the answer asked ahead was dropped: {messages:?}"
    );
    app.shutdown().await;
}

async fn a_silent_endpoint_does_not_hold_up_the_turn(backend: Backend) {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let _silent = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let embeddings = EmbeddingsSettings { url, timeout_ms: 300, ..EmbeddingsSettings::default() };
    let app = TestApp::spawn_with(backend, |settings| settings.embeddings = Some(embeddings)).await;
    let bot = refund_bot(&app).await;

    let parcel = app.conversation_with(&bot).await;
    let started = Instant::now();
    let conversation = say_and_wait(&app, &parcel, PARCEL_DE).await;
    assert!(started.elapsed() < Duration::from_secs(10), "the turn waited {:?}", started.elapsed());
    assert_eq!(conversation["state"], "bot", "no match by meaning without embeddings: {conversation}");
    let messages = app.messages(parcel.id, &parcel.token).await;
    assert_eq!(messages.last().unwrap()["author"]["kind"], "bot", "the bot still answered");

    // The words still work.
    let refund = app.conversation_with(&bot).await;
    let conversation = say_and_wait(&app, &refund, "I want a refund for my order").await;
    assert_eq!(conversation["handoff"]["topic"], "refund", "{conversation}");
    assert_eq!(conversation["handoff"]["signals"][0]["name"], "forbidden_topic");
    app.shutdown().await;
}

mod on_sqlite {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(test_embeddings), ignore = "needs BATON_TEST_EMBEDDINGS_URL")]
    async fn a_topic_found_by_meaning_opens_a_handoff() {
        super::a_topic_found_by_meaning_opens_a_handoff(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(test_embeddings), ignore = "needs BATON_TEST_EMBEDDINGS_URL")]
    async fn an_llm_answer_is_asked_during_the_search_and_dropped_on_a_handoff() {
        super::an_llm_answer_is_asked_during_the_search_and_dropped_on_a_handoff(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_silent_endpoint_does_not_hold_up_the_turn() {
        super::a_silent_endpoint_does_not_hold_up_the_turn(Backend::Sqlite).await
    }
}

mod on_postgres {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(all(test_postgres, test_embeddings)),
        ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_EMBEDDINGS_URL"
    )]
    async fn a_topic_found_by_meaning_opens_a_handoff() {
        super::a_topic_found_by_meaning_opens_a_handoff(Backend::Postgres).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(all(test_postgres, test_embeddings)),
        ignore = "needs BATON_TEST_DATABASE_URL and BATON_TEST_EMBEDDINGS_URL"
    )]
    async fn an_llm_answer_is_asked_during_the_search_and_dropped_on_a_handoff() {
        super::an_llm_answer_is_asked_during_the_search_and_dropped_on_a_handoff(Backend::Postgres).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
    async fn a_silent_endpoint_does_not_hold_up_the_turn() {
        super::a_silent_endpoint_does_not_hold_up_the_turn(Backend::Postgres).await
    }
}
