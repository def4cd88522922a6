//! The judge in the running server, against a local fake following OpenAI's structured-output
//! shapes: asked only about messages the triggers are unsure of, a confident verdict hands off
//! with its evidence, an unsure one or a slow judge changes nothing, and `url = "bot"` asks the
//! bot's own LLM.

use baton_core::policy::BotSettings;
use baton_core::user::Role;
use baton_server::settings::JudgeSettings;
use serde_json::{Value, json};

use crate::fake_openai::{self, FakeOpenAi};
use crate::helpers::{Backend, Contact, TestApp};

/// Judge requests the fake received (those asking for a JSON schema).
fn judge_requests(fake: &FakeOpenAi) -> Vec<Value> {
    fake.requests().into_iter().filter(|r| r["response_format"]["type"] == "json_schema").collect()
}

async fn said(app: &TestApp, contact: &Contact, text: &str) -> Value {
    app.say(contact, text).await;
    app.bot_idle(contact.id).await;
    app.conversation(contact).await
}

async fn unsure_messages_are_judged_and_a_confident_verdict_hands_off(backend: Backend) {
    let (fake, url) = FakeOpenAi::start().await;
    let judge = JudgeSettings {
        url,
        model: "gpt-judge".into(),
        api_key: fake_openai::API_KEY.into(),
        timeout_ms: 1000,
        ..JudgeSettings::default()
    };
    let app = TestApp::spawn_with(backend, |settings| settings.judge = Some(judge)).await;
    let bot = app.add_bot("judged", BotSettings::demo()).await;

    // The rules are sure: no judge.
    let clear = app.conversation_with(&bot).await;
    let conversation = said(&app, &clear, "let me talk to a human please").await;
    assert_eq!(conversation["handoff"]["trigger"], "explicit_request", "{conversation}");
    let ordinary = app.conversation_with(&bot).await;
    said(&app, &ordinary, "what are your opening hours?").await;
    assert!(judge_requests(&fake).is_empty(), "nothing was unsure");

    // A helper named, no request the grammar knows: the judge is asked, and is sure.
    let unsure = app.conversation_with(&bot).await;
    let text = "I spoke to an agent yesterday, now I need someone who knows about leases";
    let conversation = said(&app, &unsure, text).await;
    let handoff = &conversation["handoff"];
    assert_eq!(handoff["trigger"], "explicit_request", "{conversation}");
    let reason = handoff["reason"].as_str().unwrap();
    assert!(reason.starts_with("judged request_human 0.92 in "), "{reason}");
    let signal = &handoff["signals"][0];
    assert_eq!((signal["name"].as_str(), signal["weight"].as_f64()), (Some("judge"), Some(0.92f32 as f64)));
    assert!(signal["detail"].as_str().unwrap().ends_with("ms: The customer asks for a person."), "{signal}");

    let asked = judge_requests(&fake);
    assert_eq!(asked.len(), 1, "{asked:?}");
    let request = &asked[0];
    assert_eq!(request["model"], "gpt-judge");
    assert_eq!(request["temperature"], 0);
    let format = &request["response_format"]["json_schema"];
    assert_eq!(format["strict"], true);
    let verdicts = &format["schema"]["properties"]["verdict"]["enum"];
    let offered = json!(["request_human", "frustrated", "topic:legal", "topic:safety", "none"]);
    assert_eq!(verdicts, &offered, "the demo bot's topics are offered");
    let user = request["messages"][1]["content"].as_str().unwrap();
    assert!(user.ends_with(&format!("Customer (judge this): {text}")), "{user}");

    // Unsure of itself: shown nowhere, decides nothing; the bot answers.
    let maybe = app.conversation_with(&bot).await;
    let conversation = said(&app, &maybe, "my agent said perhaps a person could check it later").await;
    assert_eq!(conversation["state"], "bot", "{conversation}");
    assert!(conversation["handoff"].is_null(), "{conversation}");
    let messages = app.messages(maybe.id, &maybe.token).await;
    assert_eq!(messages.last().unwrap()["author"]["kind"], "bot");

    // Too slow: the turn goes on without it.
    let slow = app.conversation_with(&bot).await;
    let started = std::time::Instant::now();
    let conversation = said(&app, &slow, "my agent was slow to answer my email").await;
    assert!(started.elapsed() < fake_openai::SLOW, "the turn waited {:?}", started.elapsed());
    assert_eq!(conversation["state"], "bot", "{conversation}");

    // The same unsure message again is answered from the cache.
    let again = app.conversation_with(&bot).await;
    let conversation = said(&app, &again, text).await;
    assert_eq!(conversation["handoff"]["trigger"], "explicit_request", "{conversation}");
    let reason = conversation["handoff"]["reason"].as_str().unwrap();
    assert!(reason.starts_with("judged request_human 0.92 in 0 ms"), "{reason}");
    assert_eq!(judge_requests(&fake).len(), 3, "asked about the unsure, the maybe and the slow one only");
    app.shutdown().await;
}

/// With `url = "bot"` the bot's own LLM judges; a bot without one is not judged.
async fn the_bots_own_llm_can_judge(backend: Backend) {
    let (fake, base) = FakeOpenAi::start().await;
    let judge = JudgeSettings { url: "bot".into(), ..JudgeSettings::default() };
    let app = TestApp::spawn_with(backend, |settings| settings.judge = Some(judge)).await;
    let admin = app.agent("admin@example.com", Role::Admin).await;
    let settings = json!({
        "backend": {"kind": "openai", "base_url": base, "model": "gpt-bot", "api_key": fake_openai::API_KEY,
            "instructions": "You are Acme's assistant.", "stream": false, "timeout_ms": 1500},
    });
    let llm_bot = crate::ai_backends::create_bot(&app, &admin.token, settings).await;
    let contact = app.open_conversation(json!({"bot_id": llm_bot})).await;
    let text = "the agent at the desk was kind, but I need someone who knows about leases";
    let conversation = said(&app, &contact, text).await;
    assert_eq!(conversation["handoff"]["trigger"], "explicit_request", "{conversation}");
    let asked = judge_requests(&fake);
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0]["model"], "gpt-bot", "the bot's own model");

    let rules_bot = app.add_bot("rules", BotSettings::demo()).await;
    let contact = app.conversation_with(&rules_bot).await;
    let conversation = said(&app, &contact, text).await;
    assert_eq!(conversation["state"], "bot", "no LLM, no judge: {conversation}");
    assert_eq!(judge_requests(&fake).len(), 1);
    app.shutdown().await;
}

mod on_sqlite {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn unsure_messages_are_judged_and_a_confident_verdict_hands_off() {
        super::unsure_messages_are_judged_and_a_confident_verdict_hands_off(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_bots_own_llm_can_judge() {
        super::the_bots_own_llm_can_judge(Backend::Sqlite).await
    }
}

mod on_postgres {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
    async fn unsure_messages_are_judged_and_a_confident_verdict_hands_off() {
        super::unsure_messages_are_judged_and_a_confident_verdict_hands_off(Backend::Postgres).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(not(test_postgres), ignore = "needs BATON_TEST_DATABASE_URL")]
    async fn the_bots_own_llm_can_judge() {
        super::the_bots_own_llm_can_judge(Backend::Postgres).await
    }
}
