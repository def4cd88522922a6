//! A client for any OpenAI-compatible chat-completions API (`POST {base_url}/chat/completions`).
//!
//! Each turn sends the bot's instructions, what it knows (its FAQ) and the conversation so far,
//! and offers the model one tool, `handoff_to_human`: its description is the policy's
//! `when_to_use`, its parameters are `reason_code`, `reason`, `priority`, the message for the
//! customer, a summary, and one per field the policy gathers. A model that calls it hands the
//! conversation off with all of that filled in; a model that answers in text answers.
//!
//! Answers can be streamed (`stream: true`): the server-sent chunks are folded back into one
//! answer, tool-call arguments included, and the first token tells the contact the bot is
//! typing. Anything the model returns that cannot be used (no answer, an unknown tool, tool
//! arguments that are not JSON) is an [`AiError::Malformed`], never a half-answer.

use std::collections::BTreeMap;

use async_trait::async_trait;
use baton_core::backend::{BackendSettings, OpenAiSettings, ReasonCode};
use baton_core::gathering::{Field, FieldKind};
use baton_core::handoff::Priority;
use baton_core::message::AuthorKind;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use self::stream::StreamFold;
use crate::sse::Lines;
use crate::{
    AiBackend, AiError, AiHandoff, AiSummary, MAX_RESPONSE_BYTES, Reply, Turn, answer_body, error_body,
    error_detail, language_name, truncate,
};

mod stream;

/// The tool a model calls to hand the conversation to a human.
pub const HANDOFF_TOOL: &str = "handoff_to_human";
/// The tool a model is made to call to summarise a conversation for the human taking over.
pub const SUMMARY_TOOL: &str = "record_handoff_summary";
/// Parameters of the handoff tool that are not fields to gather.
const RESERVED: [&str; 5] = ["reason_code", "reason", "priority", "message", "summary"];

pub struct OpenAiChat {
    settings: OpenAiSettings,
    http: crate::outbound::Outbound,
}

/// One answer, streamed or not: its text and the tools it called.
#[derive(Debug, Default, Clone, PartialEq)]
struct Completion {
    content: String,
    tool_calls: Vec<ToolCall>,
}

#[derive(Debug, Default, Clone, PartialEq)]
struct ToolCall {
    name: String,
    arguments: String,
}

impl OpenAiChat {
    pub fn new(settings: OpenAiSettings, http: crate::outbound::Outbound) -> Self {
        Self { settings, http }
    }

    fn url(&self) -> String {
        format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'))
    }

    async fn complete(
        &self,
        mut body: Value,
        on_first_token: Option<&(dyn Fn() + Send + Sync)>,
    ) -> Result<Completion, AiError> {
        let stream = self.settings.stream;
        body["model"] = json!(self.settings.model);
        body["stream"] = json!(stream);
        if let Some(temperature) = self.settings.temperature {
            body["temperature"] = json!(temperature);
        }
        let mut request = self
            .http
            .post(&self.url())
            .map_err(AiError::blocked)?
            .timeout(std::time::Duration::from_millis(self.settings.timeout_ms))
            .json(&body);
        if !self.settings.api_key.is_empty() {
            request = request.bearer_auth(&self.settings.api_key);
        }
        let mut response = request.send().await.map_err(AiError::from_reqwest)?;
        let status = response.status();
        if !status.is_success() {
            let text = error_body(&mut response).await;
            return Err(AiError::Status { status: status.as_u16(), detail: error_detail(&text) });
        }
        if !stream {
            let body = answer_body(&mut response).await?;
            let parsed: ChatResponse = serde_json::from_slice(&body)
                .map_err(|e| AiError::Malformed(format!("the response is not a chat completion: {e}")))?;
            let choice = parsed
                .choices
                .into_iter()
                .next()
                .ok_or_else(|| AiError::Malformed("the response has no choices".into()))?;
            if let Some(reason) = choice.finish_reason.as_deref().filter(|r| stream::CUT_SHORT.contains(r)) {
                return Err(AiError::Malformed(format!("the answer was cut short ({reason})")));
            }
            return Ok(Completion {
                content: choice.message.content.unwrap_or_default(),
                tool_calls: choice
                    .message
                    .tool_calls
                    .unwrap_or_default()
                    .into_iter()
                    .map(|call| ToolCall {
                        name: call.function.name,
                        arguments: call.function.arguments.into_text(),
                    })
                    .collect(),
            });
        }
        let mut lines = Lines::default();
        let mut folded = StreamFold::default();
        let mut first = true;
        let mut received = 0;
        while let Some(chunk) = response.chunk().await.map_err(AiError::from_reqwest)? {
            received += chunk.len();
            if received > MAX_RESPONSE_BYTES {
                return Err(AiError::Malformed(format!(
                    "the answer is larger than {MAX_RESPONSE_BYTES} bytes"
                )));
            }
            for payload in lines.push(&chunk) {
                if first {
                    first = false;
                    if let Some(notify) = on_first_token {
                        notify();
                    }
                }
                if folded.take(&payload)? {
                    return folded.whole();
                }
            }
        }
        for payload in lines.finish() {
            if folded.take(&payload)? {
                return folded.whole();
            }
        }
        folded.whole()
    }
}

#[async_trait]
impl AiBackend for OpenAiChat {
    async fn reply(&self, turn: Turn<'_>) -> Result<Reply, AiError> {
        let mut body = json!({ "messages": messages(&turn, &system_prompt(&turn)) });
        if turn.may_hand_off {
            body["tools"] =
                json!([handoff_tool(&turn.settings.policy.when_to_use, &turn.settings.policy.gather)]);
            body["tool_choice"] = json!("auto");
        }
        let completion = self.complete(body, turn.on_first_token).await?;
        interpret(completion, &turn)
    }

    async fn summarize(&self, turn: Turn<'_>) -> Result<Option<AiSummary>, AiError> {
        let instructions = "You write handoff notes. The conversation below is being handed from the \
            assistant to a human support agent. Call record_handoff_summary with a summary of at most \
            three sentences, in English, of what the customer needs, what was already tried and \
            anything the agent must know, and a priority.";
        let body = json!({
            "messages": messages(&turn, instructions),
            "tools": [summary_tool()],
            "tool_choice": {"type": "function", "function": {"name": SUMMARY_TOOL}},
        });
        let completion = self.complete(body, None).await?;
        let summary = match completion.tool_calls.iter().find(|call| call.name == SUMMARY_TOOL) {
            Some(call) => {
                let arguments = parse_arguments(&call.arguments)?;
                AiSummary {
                    summary: string_argument(&arguments, "summary").unwrap_or_default(),
                    priority: string_argument(&arguments, "priority").and_then(|p| parse_priority(&p)),
                }
            }
            // Some servers ignore `tool_choice` and answer in text: that is still a summary.
            None => AiSummary { summary: completion.content.trim().to_owned(), priority: None },
        };
        if summary.summary.is_empty() {
            return Err(AiError::Malformed("the summary is empty".into()));
        }
        Ok(Some(summary))
    }

    async fn draft(&self, turn: Turn<'_>, details: &str) -> Result<Option<String>, AiError> {
        let mut system = system_prompt(&turn);
        system.push_str(
            "\n\nA human support agent has taken over this conversation. Write the reply the agent \
             could send next, as the agent, in the customer's language: the reply alone, nothing before \
             or after it.",
        );
        if !details.is_empty() {
            system.push_str(&format!("\n\nDetails the customer gave: {details}"));
        }
        let completion = self.complete(json!({ "messages": messages(&turn, &system) }), None).await?;
        let text = completion.content.trim();
        if text.is_empty() {
            return Err(AiError::Malformed("the draft is empty".into()));
        }
        Ok(Some(text.to_owned()))
    }
}

/// The bot's instructions, its knowledge, what happened so far, and when to hand off.
fn system_prompt(turn: &Turn) -> String {
    let settings = turn.settings;
    let mut prompt = match &settings.backend {
        BackendSettings::OpenAi(s) => s.instructions.clone(),
        _ => OpenAiSettings::default().instructions,
    };
    match turn.language {
        Some(code) => prompt.push_str(&format!("\n\nAlways answer in {}.", language_name(code))),
        None => prompt.push_str("\n\nAnswer in the language the customer writes in."),
    }
    if !settings.faq.is_empty() {
        prompt.push_str("\n\nFacts you can rely on:");
        for entry in &settings.faq {
            prompt.push_str(&format!("\n- {}", entry.answer));
        }
    }
    let events: Vec<&str> = turn
        .history
        .iter()
        .filter(|m| m.author.kind == AuthorKind::System)
        .map(|m| m.text.as_str())
        .collect();
    if !events.is_empty() {
        prompt.push_str("\n\nWhat happened in this conversation so far:");
        for event in events {
            prompt.push_str(&format!("\n- {event}"));
        }
    }
    if turn.may_hand_off {
        prompt.push_str(&format!(
            "\n\nYou can hand the conversation to a human with the {HANDOFF_TOOL} tool. {} \
             When you call it, put in `message` what to tell the customer now, in their language.",
            settings.policy.when_to_use
        ));
    }
    prompt
}

/// The conversation as chat messages: the contact is the `user`; the bot and the team's
/// people are the `assistant`. Consecutive lines of one role are joined, since some chat
/// templates insist that roles alternate.
fn messages(turn: &Turn, system: &str) -> Vec<Value> {
    let mut lines: Vec<(&str, String)> = Vec::new();
    let mut push = |role: &'static str, text: &str| match lines.last_mut() {
        Some((last, joined)) if *last == role => {
            joined.push('\n');
            joined.push_str(text);
        }
        _ => lines.push((role, text.to_owned())),
    };
    for message in turn.history.iter().filter(|m| !m.note) {
        match message.author.kind {
            AuthorKind::Contact => push("user", &message.text),
            AuthorKind::Bot | AuthorKind::User => push("assistant", &message.text),
            AuthorKind::System => {}
        }
    }
    if turn.history.is_empty() {
        push("user", turn.text);
    }
    let mut messages = vec![json!({"role": "system", "content": system})];
    messages.extend(lines.into_iter().map(|(role, content)| json!({"role": role, "content": content})));
    messages
}

/// The `handoff_to_human` tool: when to call it comes from the policy, and so do the details
/// to gather.
pub fn handoff_tool(when_to_use: &str, gather: &[Field]) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "reason_code".into(),
        json!({
            "type": "string",
            "enum": ReasonCode::ALL.map(ReasonCode::as_str),
            "description": "Why a human is needed.",
        }),
    );
    properties.insert(
        "reason".into(),
        json!({"type": "string", "description": "One sentence for the human who takes over."}),
    );
    properties.insert(
        "priority".into(),
        json!({"type": "string", "enum": ["low", "normal", "high", "urgent"], "description": "How urgent this is."}),
    );
    properties.insert(
        "message".into(),
        json!({"type": "string", "description": "What to tell the customer now, in the customer's language."}),
    );
    properties.insert(
        "summary".into(),
        json!({"type": "string", "description": "What the customer needs and what was tried, for the human."}),
    );
    for field in gather.iter().filter(|f| !RESERVED.contains(&f.key.as_str())) {
        let mut schema = json!({
            "type": "string",
            "description": format!("The customer's {}, if they gave it.", field.label),
        });
        if field.kind == FieldKind::Choice && !field.options.is_empty() {
            schema["enum"] = json!(field.options);
        }
        properties.insert(field.key.clone(), schema);
    }
    json!({
        "type": "function",
        "function": {
            "name": HANDOFF_TOOL,
            "description": when_to_use,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": ["reason_code", "reason"],
            },
        },
    })
}

fn summary_tool() -> Value {
    json!({
        "type": "function",
        "function": {
            "name": SUMMARY_TOOL,
            "description": "Record the handoff note for the human support agent.",
            "parameters": {
                "type": "object",
                "properties": {
                    "summary": {"type": "string"},
                    "priority": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
                },
                "required": ["summary", "priority"],
            },
        },
    })
}

/// What the model's answer means for the conversation.
fn interpret(completion: Completion, turn: &Turn) -> Result<Reply, AiError> {
    if let Some(call) = completion.tool_calls.first() {
        if call.name != HANDOFF_TOOL || !turn.may_hand_off {
            return Err(AiError::Malformed(format!("the model called an unknown tool '{}'", call.name)));
        }
        let arguments = parse_arguments(&call.arguments)?;
        let gathered = turn
            .settings
            .policy
            .gather
            .iter()
            .filter(|field| !RESERVED.contains(&field.key.as_str()))
            .filter_map(|field| Some((field.key.clone(), string_argument(&arguments, &field.key)?)))
            .collect::<BTreeMap<_, _>>();
        let content = completion.content.trim();
        return Ok(Reply::HandOff(AiHandoff {
            reason_code: string_argument(&arguments, "reason_code")
                .and_then(|code| ReasonCode::parse(&code))
                .unwrap_or(ReasonCode::Other),
            reason: string_argument(&arguments, "reason").unwrap_or_default(),
            priority: string_argument(&arguments, "priority").and_then(|p| parse_priority(&p)),
            message: string_argument(&arguments, "message")
                .or_else(|| (!content.is_empty()).then(|| content.to_owned())),
            gathered,
            summary: string_argument(&arguments, "summary"),
        }));
    }
    let content = completion.content.trim();
    if content.is_empty() {
        return Err(AiError::Malformed("the model gave no answer".into()));
    }
    Ok(Reply::Answer(content.to_owned()))
}

fn parse_arguments(arguments: &str) -> Result<Map<String, Value>, AiError> {
    let arguments = if arguments.trim().is_empty() { "{}" } else { arguments };
    match serde_json::from_str(arguments) {
        Ok(Value::Object(map)) => Ok(map),
        _ => {
            Err(AiError::Malformed(format!("tool arguments are not a JSON object: {}", truncate(arguments))))
        }
    }
}

/// A non-empty string argument; numbers are taken as their text (an order number).
fn string_argument(arguments: &Map<String, Value>, key: &str) -> Option<String> {
    let text = match arguments.get(key)? {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

fn parse_priority(text: &str) -> Option<Priority> {
    serde_json::from_value(Value::String(text.to_ascii_lowercase())).ok()
}

#[derive(Deserialize)]
struct ChatResponse {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ChoiceMessage,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    content: Option<String>,
    /// Missing or `null` when the model called no tool.
    tool_calls: Option<Vec<WireToolCall>>,
}

#[derive(Deserialize)]
struct WireToolCall {
    function: WireFunction,
}

#[derive(Deserialize)]
struct WireFunction {
    name: String,
    #[serde(default)]
    arguments: Arguments,
}

/// Tool arguments: a JSON string per the specification; some servers send the object itself.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Arguments {
    Text(String),
    Object(Value),
    #[default]
    Missing,
}

impl Arguments {
    fn into_text(self) -> String {
        match self {
            Self::Text(text) => text,
            Self::Object(value) => value.to_string(),
            Self::Missing => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use baton_core::policy::BotSettings;

    use super::*;

    #[test]
    fn a_handoff_carries_what_the_model_knows() {
        let mut settings = BotSettings::default();
        settings.policy.gather = vec![Field {
            key: "order".into(),
            label: "order number".into(),
            kind: FieldKind::Number,
            required: true,
            options: vec![],
        }];
        let turn = Turn::of_text(&settings, "where is my order 123");
        let completion = Completion {
            content: String::new(),
            tool_calls: vec![ToolCall {
                name: HANDOFF_TOOL.into(),
                arguments: r#"{"reason_code":"missing_tool","reason":"needs tracking","priority":"HIGH","order":123,"message":"Un momento"}"#.into(),
            }],
        };
        let Reply::HandOff(handoff) = interpret(completion, &turn).unwrap() else { panic!() };
        assert_eq!(handoff.reason_code, ReasonCode::MissingTool);
        assert_eq!(handoff.priority, Some(Priority::High));
        assert_eq!(handoff.gathered["order"], "123");
        assert_eq!(handoff.message.as_deref(), Some("Un momento"));
    }

    #[test]
    fn unusable_answers_are_errors() {
        let settings = BotSettings::default();
        let turn = Turn::of_text(&settings, "hi");
        let broken = |arguments: &str, name: &str| Completion {
            content: String::new(),
            tool_calls: vec![ToolCall { name: name.into(), arguments: arguments.into() }],
        };
        assert!(matches!(interpret(broken("{not json", HANDOFF_TOOL), &turn), Err(AiError::Malformed(_))));
        assert!(matches!(interpret(broken("{}", "delete_account"), &turn), Err(AiError::Malformed(_))));
        assert!(matches!(interpret(Completion::default(), &turn), Err(AiError::Malformed(_))));
    }

    #[test]
    fn the_tool_is_built_from_the_policy() {
        let gather = [Field {
            key: "plan".into(),
            label: "plan".into(),
            kind: FieldKind::Choice,
            required: false,
            options: vec!["free".into(), "pro".into()],
        }];
        let tool = handoff_tool("Hand off for billing.", &gather);
        assert_eq!(tool["function"]["description"], "Hand off for billing.");
        let parameters = &tool["function"]["parameters"];
        assert_eq!(parameters["properties"]["plan"]["enum"], json!(["free", "pro"]));
        assert_eq!(parameters["properties"]["reason_code"]["enum"].as_array().unwrap().len(), 6);
    }
}
