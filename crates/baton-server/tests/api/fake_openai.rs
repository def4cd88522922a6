//! A local stand-in for an OpenAI-compatible chat-completions API, following OpenAI's
//! documented shapes: `POST /v1/chat/completions` with bearer auth; a `chat.completion` with
//! `choices[0].message.content` or `tool_calls` (`function.arguments` a JSON string); with
//! `stream: true`, `chat.completion.chunk` server-sent events whose `delta`s carry content and
//! tool-call fragments keyed by `index`, then `data: [DONE]`; errors as `{"error": {...}}`.
//!
//! What it answers depends on the last user message, so a test scripts it by what the contact
//! says:
//! - contains "cancel my contract": calls `handoff_to_human` with every argument filled;
//! - contains "slow": answers after [`SLOW`], past any sensible timeout;
//! - contains "gibberish": calls the tool with arguments that are not JSON;
//! - contains "flaky": fails with 503 on the first attempt, answers on the next;
//! - contains "arrived damaged": offers a person ("Shall I connect you with a claims advisor?");
//! - otherwise: answers "Echo: <message>".
//!
//! A request forcing `record_handoff_summary` gets that tool called with a fixed summary.
//!
//! A request with `response_format: {"type": "json_schema", …}` (the judge) gets a JSON
//! verdict in `content`, as structured outputs return it, chosen by the message judged (the
//! user message's last line): "someone who knows" is `request_human` at 0.92, "perhaps a
//! person" `request_human` at 0.4, "slow" comes after [`SLOW`], anything else `none` at 0.8.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

pub const API_KEY: &str = "sk-test-key";
pub const SLOW: Duration = Duration::from_secs(5);
pub const SUMMARY: &str = "The customer wants a person to sort out their account.";
pub const HANDOFF_MESSAGE: &str = "Le paso con una persona de nuestro equipo.";
/// What it answers to a message saying something "arrived damaged".
pub const OFFER: &str = "I'm sorry to hear that. Shall I connect you with a claims advisor?";

#[derive(Clone, Default)]
pub struct FakeOpenAi {
    /// Every request body received, in order.
    pub requests: Arc<Mutex<Vec<Value>>>,
}

impl FakeOpenAi {
    /// Serves on a free port; returns the base URL (`http://…/v1`).
    pub async fn start() -> (Self, String) {
        let fake = Self::default();
        let app = Router::new().route("/v1/chat/completions", post(complete)).with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/v1", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (fake, base)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

fn error(status: StatusCode, message: &str, kind: &str) -> Response {
    let body = json!({"error": {"message": message, "type": kind, "param": null, "code": null}});
    (status, axum::Json(body)).into_response()
}

async fn complete(State(fake): State<FakeOpenAi>, headers: HeaderMap, body: String) -> Response {
    let authorized = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {API_KEY}"));
    if !authorized {
        return error(StatusCode::UNAUTHORIZED, "Incorrect API key provided.", "invalid_request_error");
    }
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "We could not parse the JSON body of your request.",
            "invalid_request_error",
        );
    };
    let attempts_before = fake.requests.lock().unwrap().len();
    fake.requests.lock().unwrap().push(request.clone());
    let Some(messages) = request["messages"].as_array().filter(|m| !m.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "'messages' is a required property", "invalid_request_error");
    };
    let model = request["model"].as_str().unwrap_or_default().to_owned();
    let stream = request["stream"].as_bool().unwrap_or(false);
    let last_user = messages.iter().rev().find(|m| m["role"] == "user").and_then(|m| m["content"].as_str());
    let last_user = last_user.unwrap_or_default().to_owned();

    if request["response_format"]["type"] == "json_schema" {
        let judged = last_user.lines().last().unwrap_or_default().to_owned();
        let verdict = if judged.contains("someone who knows") {
            json!({"verdict": "request_human", "confidence": 0.92, "reason": "The customer asks for a person."})
        } else if judged.contains("perhaps a person") {
            json!({"verdict": "request_human", "confidence": 0.4, "reason": "Maybe a request."})
        } else {
            if judged.contains("slow") {
                tokio::time::sleep(SLOW).await;
            }
            json!({"verdict": "none", "confidence": 0.8, "reason": "Nothing to hand over."})
        };
        return whole(&model, Some(verdict.to_string()), None);
    }
    let forced = request["tool_choice"]["function"]["name"].as_str();
    let (content, tool_call) = if forced == Some("record_handoff_summary") {
        (None, Some(("record_handoff_summary", json!({"summary": SUMMARY, "priority": "high"}).to_string())))
    } else if last_user.contains("cancel my contract") {
        let arguments = json!({
            "reason_code": "missing_tool",
            "reason": "Cancelling a contract needs a person.",
            "priority": "urgent",
            "message": HANDOFF_MESSAGE,
            "summary": "Wants to cancel their contract.",
            "email": "ana@example.com",
        });
        (None, Some(("handoff_to_human", arguments.to_string())))
    } else if last_user.contains("gibberish") {
        (None, Some(("handoff_to_human", "{\"reason_code\": \"oth".to_owned())))
    } else if last_user.contains("slow") {
        tokio::time::sleep(SLOW).await;
        (Some("Sorry for the wait.".to_owned()), None)
    } else if last_user.contains("arrived damaged") {
        (Some(OFFER.to_owned()), None)
    } else if last_user.contains("flaky") && attempts_before % 2 == 0 {
        return error(StatusCode::SERVICE_UNAVAILABLE, "The server is overloaded.", "server_error");
    } else {
        (Some(format!("Echo: {last_user}")), None)
    };
    if stream { streamed(&model, content, tool_call) } else { whole(&model, content, tool_call) }
}

fn whole(model: &str, content: Option<String>, tool_call: Option<(&str, String)>) -> Response {
    let finish_reason = if tool_call.is_some() { "tool_calls" } else { "stop" };
    let tool_calls = tool_call.map(|(name, arguments)| {
        json!([{"id": "call_abc123", "type": "function", "function": {"name": name, "arguments": arguments}}])
    });
    let mut message = json!({"role": "assistant", "content": content, "refusal": null});
    if let Some(calls) = tool_calls {
        message["tool_calls"] = calls;
    }
    axum::Json(json!({
        "id": "chatcmpl-123",
        "object": "chat.completion",
        "created": 1_741_570_283,
        "model": model,
        "choices": [{"index": 0, "message": message, "logprobs": null, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }))
    .into_response()
}

/// The answer as server-sent chunks, split small so the client must reassemble it.
fn streamed(model: &str, content: Option<String>, tool_call: Option<(&str, String)>) -> Response {
    let chunk = |delta: Value, finish_reason: Value| {
        let chunk = json!({
            "id": "chatcmpl-123",
            "object": "chat.completion.chunk",
            "created": 1_741_570_283,
            "model": model,
            "system_fingerprint": "fp_44709d6fcb",
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason}],
        });
        format!("data: {chunk}\n\n")
    };
    let mut events = vec![chunk(json!({"role": "assistant", "content": ""}), Value::Null)];
    let finish_reason = match (&content, &tool_call) {
        (_, Some((name, arguments))) => {
            events.push(chunk(
                json!({"tool_calls": [{"index": 0, "id": "call_abc123", "type": "function",
                    "function": {"name": name, "arguments": ""}}]}),
                Value::Null,
            ));
            for piece in pieces(arguments, 7) {
                events.push(chunk(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}),
                    Value::Null,
                ));
            }
            "tool_calls"
        }
        (Some(text), None) => {
            for piece in pieces(text, 4) {
                events.push(chunk(json!({"content": piece}), Value::Null));
            }
            "stop"
        }
        (None, None) => "stop",
    };
    events.push(chunk(json!({}), json!(finish_reason)));
    events.push("data: [DONE]\n\n".to_owned());
    // One write per event, so the client sees them arrive separately.
    let stream = futures_util::stream::iter(events.into_iter().map(Ok::<_, std::convert::Infallible>));
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(Body::from_stream(stream))
        .unwrap()
}

fn pieces(text: &str, size: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(size).map(|piece| piece.iter().collect()).collect()
}
