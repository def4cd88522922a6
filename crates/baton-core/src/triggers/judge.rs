//! The judge: a language model asked about the messages the rules and the semantic layer are
//! unsure of, and only those.
//!
//! Most messages are clear: the rules find "can I talk to a person?", and nothing in "where is
//! my parcel?" looks like a request. The judge is for the middle: the request classifier's
//! probability between its `unsure_from` and `fire_at`, a frustration score just under the
//! preset's threshold, or a message that names a person or the bot without the grammar finding
//! a request in it ("my agent said…", "is anybody real?"). [`Engine::doubt`] says whether a
//! message is such a case; the server then asks the model (under a time budget, with a cache),
//! and [`Engine::apply_verdict`] turns a confident verdict into the decision, with the verdict
//! and its latency in the evidence.
//!
//! This module is the pure half: what the model is asked ([`prompt`]), the JSON schema its
//! answer must follow ([`response_schema`]), and reading the answer ([`parse_verdict`]).
//!
//! [`Engine::doubt`]: super::engine::Engine::doubt
//! [`Engine::apply_verdict`]: super::engine::Engine::apply_verdict

use serde_json::{Value, json};

use super::context::{Context, Speaker};

/// What the judge may answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    RequestHuman,
    Frustrated,
    /// One of the policy's topics, by name.
    Topic(String),
    None,
}

impl Verdict {
    /// The label the model answers with: `request_human`, `frustrated`, `topic:<name>`, `none`.
    pub fn label(&self) -> String {
        match self {
            Self::RequestHuman => "request_human".into(),
            Self::Frustrated => "frustrated".into(),
            Self::Topic(name) => format!("topic:{name}"),
            Self::None => "none".into(),
        }
    }
}

/// The judge's answer on one message.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    pub verdict: Verdict,
    /// From 0 to 1.
    pub confidence: f32,
    /// One sentence from the model, shown to the team.
    pub reason: String,
    /// How long the model took, in milliseconds.
    pub latency_ms: u64,
}

/// Why an answer could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VerdictError {
    #[error("the answer is not the JSON object asked for: {0}")]
    NotJson(String),
    #[error("the verdict {0:?} is not one of those offered")]
    UnknownVerdict(String),
}

/// Why the engine doubts a message, which the model is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// The request classifier's probability is in its uncertain band.
    Request,
    /// The frustration score is just under the threshold.
    Frustration,
    /// The message names a person or the bot, and no request was found.
    Mention,
}

/// The most earlier lines shown to the model.
const CONTEXT_LINES: usize = 6;
/// The longest a line shown to the model may be, in characters.
const LINE_CHARS: usize = 600;
/// The longest reason kept from the model.
const REASON_CHARS: usize = 300;

/// The system and user messages that ask the model about `context`.
pub fn prompt(context: &Context, topics: &[String]) -> (String, String) {
    let mut system = String::from(
        "You review one message a customer sent to a company's support chatbot, and decide \
         whether the conversation must now be handed to a human. Answer with a JSON object: \
         \"verdict\", \"confidence\" (0 to 1) and \"reason\" (one short sentence).\n\
         Verdicts:\n\
         - \"request_human\": the customer asks, in any words or language, to talk to a person \
         (an agent, staff, a named person or role), asks whether a person is there, or refuses \
         to go on with the bot.\n\
         - \"frustrated\": the customer is clearly angry or fed up with the service or the bot.\n",
    );
    for topic in topics {
        system.push_str(&format!(
            "- \"topic:{topic}\": the message is about {topic}, a subject this company hands to \
             a person.\n"
        ));
    }
    system.push_str(
        "- \"none\": anything else, including mentions of people that ask for nothing now \
         (\"my agent said\", \"I spoke to your staff yesterday\", \"no need for a person\"), \
         questions about the bot itself, and ordinary questions.\n\
         Judge the last customer message; earlier lines are context only.",
    );
    let mut user = String::new();
    let earlier = &context.earlier[context.earlier.len().saturating_sub(CONTEXT_LINES)..];
    for line in earlier {
        let who = match line.speaker {
            Speaker::Contact => "Customer",
            Speaker::Bot => "Bot",
        };
        user.push_str(&format!("{who}: {}\n", clip(line.text, LINE_CHARS)));
    }
    user.push_str(&format!("Customer (judge this): {}", clip(context.text, LINE_CHARS)));
    (system, user)
}

/// The JSON schema of the answer: the verdicts offered, a confidence and a reason.
pub fn response_schema(topics: &[String]) -> Value {
    let mut verdicts = vec![json!("request_human"), json!("frustrated")];
    verdicts.extend(topics.iter().map(|t| json!(format!("topic:{t}"))));
    verdicts.push(json!("none"));
    json!({
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": verdicts},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "reason": {"type": "string"},
        },
        "required": ["verdict", "confidence", "reason"],
        "additionalProperties": false,
    })
}

/// Reads the model's answer. A confidence above 1 is read as a percentage (small models write
/// "85"), and anything outside 0 to 1 is clamped; the reason is cut to 300 characters.
pub fn parse_verdict(content: &str, topics: &[String], latency_ms: u64) -> Result<Judgement, VerdictError> {
    // Some servers wrap the object in a code fence or add words around it.
    let start = content.find('{').ok_or_else(|| VerdictError::NotJson(clip(content, 80)))?;
    let end = content
        .rfind('}')
        .filter(|end| *end > start)
        .ok_or_else(|| VerdictError::NotJson(clip(content, 80)))?;
    let value: Value =
        serde_json::from_str(&content[start..=end]).map_err(|e| VerdictError::NotJson(e.to_string()))?;
    let label = value["verdict"].as_str().unwrap_or_default().trim().to_lowercase();
    let verdict = match label.as_str() {
        "request_human" => Verdict::RequestHuman,
        "frustrated" => Verdict::Frustrated,
        "none" => Verdict::None,
        other => match other
            .strip_prefix("topic:")
            .and_then(|name| topics.iter().find(|t| t.to_lowercase() == name))
        {
            Some(name) => Verdict::Topic(name.clone()),
            None => return Err(VerdictError::UnknownVerdict(clip(other, 60))),
        },
    };
    let raw = value["confidence"].as_f64().unwrap_or(0.0) as f32;
    let confidence = if raw > 1.0 && raw <= 100.0 { raw / 100.0 } else { raw };
    let confidence = if confidence.is_finite() { confidence.clamp(0.0, 1.0) } else { 0.0 };
    let reason = clip(value["reason"].as_str().unwrap_or_default().trim(), REASON_CHARS);
    Ok(Judgement { verdict, confidence, reason, latency_ms })
}

fn clip(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triggers::context::Line;

    fn topics() -> Vec<String> {
        vec!["refund".into(), "legal".into()]
    }

    #[test]
    fn the_model_is_asked_about_the_last_message_with_its_context() {
        let earlier = [
            Line { speaker: Speaker::Contact, text: "my order is late" },
            Line { speaker: Speaker::Bot, text: "Sorry, I did not understand." },
        ];
        let context =
            Context { earlier: &earlier, text: "is anybody real there?", bot_failures: None, semantic: &[] };
        let (system, user) = prompt(&context, &topics());
        assert!(system.contains("\"topic:refund\"") && system.contains("\"topic:legal\""), "{system}");
        assert!(system.contains("\"request_human\"") && system.contains("\"none\""));
        assert_eq!(
            user,
            "Customer: my order is late\nBot: Sorry, I did not understand.\nCustomer (judge this): is anybody real there?"
        );
        let long = "word ".repeat(400);
        let context = Context { earlier: &[], text: &long, bot_failures: None, semantic: &[] };
        assert!(prompt(&context, &[]).1.chars().count() < 650, "long messages are clipped");
    }

    #[test]
    fn the_schema_offers_the_policys_topics() {
        let schema = response_schema(&topics());
        let offered: Vec<&str> = schema["properties"]["verdict"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(offered, ["request_human", "frustrated", "topic:refund", "topic:legal", "none"]);
        assert_eq!(schema["required"], json!(["verdict", "confidence", "reason"]));
    }

    #[test]
    fn answers_are_read_forgivingly_but_never_invented() {
        let read = |s: &str| parse_verdict(s, &topics(), 42);
        let j = read(r#"{"verdict": "request_human", "confidence": 0.9, "reason": "asks for a person"}"#)
            .unwrap();
        assert_eq!(
            (j.verdict, j.confidence, j.reason.as_str(), j.latency_ms),
            (Verdict::RequestHuman, 0.9, "asks for a person", 42)
        );
        let fenced =
            read("```json\n{\"verdict\": \"topic:Refund\", \"confidence\": 85, \"reason\": \"money\"}\n```")
                .unwrap();
        assert_eq!((fenced.verdict, fenced.confidence), (Verdict::Topic("refund".into()), 0.85));
        assert_eq!(read(r#"{"verdict": "none", "confidence": -3, "reason": ""}"#).unwrap().confidence, 0.0);
        assert_eq!(read(r#"{"verdict": "NONE", "confidence": 500}"#).unwrap().confidence, 1.0);
        assert!(matches!(
            read(r#"{"verdict": "topic:billing", "confidence": 1}"#),
            Err(VerdictError::UnknownVerdict(_))
        ));
        assert!(matches!(read(r#"{"verdict": "maybe"}"#), Err(VerdictError::UnknownVerdict(_))));
        assert!(matches!(read("I think they want a human"), Err(VerdictError::NotJson(_))));
        assert!(matches!(read("{not json}"), Err(VerdictError::NotJson(_))));
        assert_eq!(Verdict::Topic("legal".into()).label(), "topic:legal");
    }
}
