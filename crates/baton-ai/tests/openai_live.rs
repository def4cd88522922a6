//! The OpenAI-compatible client against a real server and a real (tiny) model. Runs when
//! `BATON_TEST_OPENAI_URL` names the API's base URL (e.g. `http://127.0.0.1:18092/v1`, as
//! `.ci/run` starts llama-cpp-python's server); `BATON_TEST_OPENAI_MODEL` names the model, or
//! the server's first listed model is used.
//!
//! The unit tests in `openai.rs` check the client against recorded payloads; this checks that
//! a real server accepts what the client sends and that the client reads what the server
//! really sends back. A model this small cannot be relied on to choose a tool, so whether it
//! hands off is never asserted; forcing a tool (the summary) is enforced by the server's
//! grammar and is.

use std::sync::atomic::{AtomicUsize, Ordering};

use baton_ai::openai::OpenAiChat;
use baton_ai::{AiBackend, AiError, Reply, Turn};
use baton_core::backend::{BackendSettings, OpenAiSettings};
use baton_core::policy::BotSettings;

/// The server's settings and a client; the tests are ignored unless `BATON_TEST_OPENAI_URL`
/// was set at build time.
async fn server() -> (OpenAiSettings, baton_ai::outbound::Outbound) {
    let base_url = std::env::var("BATON_TEST_OPENAI_URL").expect("BATON_TEST_OPENAI_URL names a chat server");
    let http = baton_ai::http_client().unwrap();
    let model = match std::env::var("BATON_TEST_OPENAI_MODEL") {
        Ok(model) => model,
        Err(_) => {
            let models: serde_json::Value = http
                .get(format!("{}/models", base_url.trim_end_matches('/')))
                .send()
                .await
                .expect("the server lists its models")
                .json()
                .await
                .expect("the model list is JSON");
            models["data"][0]["id"].as_str().expect("the server has a model").to_owned()
        }
    };
    let settings = OpenAiSettings {
        base_url,
        model,
        // Greedy decoding makes a failure reproducible.
        temperature: Some(0.0),
        // The client sends no `max_tokens`, so a rambling model stops only at the server's
        // context size; on two slow cores that can take a while.
        timeout_ms: 120_000,
        ..OpenAiSettings::default()
    };
    // The server runs on this machine.
    (settings, baton_ai::outbound::Outbound::new(true).unwrap())
}

fn bot(settings: &OpenAiSettings) -> BotSettings {
    BotSettings { backend: BackendSettings::OpenAi(settings.clone()), ..BotSettings::default() }
}

#[tokio::test]
#[cfg_attr(not(test_openai), ignore = "needs BATON_TEST_OPENAI_URL")]
async fn answers_arrive_streamed_and_not() {
    let (settings, http) = server().await;
    for stream in [false, true] {
        let settings = OpenAiSettings { stream, ..settings.clone() };
        let chat = OpenAiChat::new(settings.clone(), http.clone());
        let bot = bot(&settings);
        let first_tokens = AtomicUsize::new(0);
        let on_first_token = || {
            first_tokens.fetch_add(1, Ordering::SeqCst);
        };

        // Without the tool the model can only answer in text.
        let turn = Turn {
            may_hand_off: false,
            on_first_token: Some(&on_first_token),
            ..Turn::of_text(&bot, "What are your opening hours?")
        };
        let reply = chat.reply(turn).await;
        let Ok(Reply::Answer(text)) = &reply else { panic!("stream {stream}: {reply:?}") };
        assert!(!text.trim().is_empty(), "stream {stream}");
        assert_eq!(
            first_tokens.load(Ordering::SeqCst),
            usize::from(stream),
            "typing is signalled once when streamed"
        );

        // With the `handoff_to_human` tool offered the server must accept the request; what
        // the model makes of it is its own business.
        let turn = Turn::of_text(&bot, "I want to talk to a person about my invoice.");
        let reply = chat.reply(turn).await;
        assert!(matches!(reply, Ok(Reply::Answer(_) | Reply::HandOff(_))), "stream {stream}: {reply:?}");
    }
}

#[tokio::test]
#[cfg_attr(not(test_openai), ignore = "needs BATON_TEST_OPENAI_URL")]
async fn summaries_come_through_the_forced_tool() {
    let (settings, http) = server().await;
    for stream in [false, true] {
        let settings = OpenAiSettings { stream, ..settings.clone() };
        let chat = OpenAiChat::new(settings.clone(), http.clone());
        let bot = bot(&settings);
        let turn = Turn::of_text(&bot, "My invoice shows the wrong amount and I was charged twice.");
        let summary: Result<_, AiError> = chat.summarize(turn).await;
        let Ok(Some(summary)) = &summary else { panic!("stream {stream}: {summary:?}") };
        assert!(!summary.summary.trim().is_empty(), "stream {stream}");
    }
}
