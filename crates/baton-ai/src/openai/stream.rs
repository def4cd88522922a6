//! Streamed answers: OpenAI-compatible servers send `chat.completion.chunk` events whose
//! `delta`s carry pieces of the content and of tool calls; [`StreamFold`] puts them back
//! together into one [`Completion`].

use serde_json::Value;

use super::{Completion, ToolCall};
use crate::AiError;
use crate::truncate;

/// Finish reasons that mean the answer is incomplete: out of tokens, or filtered.
pub(super) const CUT_SHORT: [&str; 2] = ["length", "content_filter"];

/// Folds streamed chunks into one [`Completion`]: content deltas are appended; tool calls are
/// keyed by `index`, their name set once and their argument fragments appended.
#[derive(Debug, Default)]
pub(super) struct StreamFold {
    pub(super) completion: Completion,
    /// A chunk carried a `finish_reason`.
    finished: bool,
}

impl StreamFold {
    /// The answer, if the stream said it was complete. Only a `finish_reason` says so: a
    /// server that cuts a stream short (llama.cpp's server does when another request
    /// arrives) may still end it with `[DONE]`, and half an answer must not reach a customer.
    pub(super) fn whole(self) -> Result<Completion, AiError> {
        if self.finished {
            Ok(self.completion)
        } else {
            Err(AiError::Malformed("the stream ended before the answer was complete".into()))
        }
    }

    /// Takes one event's payload; `true` at the end of the stream.
    pub(super) fn take(&mut self, payload: &str) -> Result<bool, AiError> {
        let payload = payload.trim();
        if payload == "[DONE]" {
            return Ok(true);
        }
        if payload.is_empty() {
            return Ok(false);
        }
        let chunk: Value = serde_json::from_str(payload).map_err(|_| {
            AiError::Malformed(format!("a streamed chunk is not JSON: {}", truncate(payload)))
        })?;
        if let Some(error) = chunk.get("error") {
            let detail = error["message"].as_str().map(str::to_owned).unwrap_or_else(|| error.to_string());
            return Err(AiError::Status { status: 200, detail: truncate(&detail) });
        }
        let Some(choice) = chunk["choices"].as_array().and_then(|choices| choices.first()) else {
            return Ok(false);
        };
        if let Some(reason) = choice["finish_reason"].as_str() {
            if CUT_SHORT.contains(&reason) {
                return Err(AiError::Malformed(format!("the answer was cut short ({reason})")));
            }
            self.finished = true;
        }
        let delta = &choice["delta"];
        if let Some(text) = delta["content"].as_str() {
            self.completion.content.push_str(text);
        }
        for call in delta["tool_calls"].as_array().into_iter().flatten() {
            let index = call["index"].as_u64().unwrap_or(0) as usize;
            if index > 16 {
                return Err(AiError::Malformed("too many tool calls".into()));
            }
            let calls = &mut self.completion.tool_calls;
            if calls.len() <= index {
                calls.resize(index + 1, ToolCall::default());
            }
            let function = &call["function"];
            // OpenAI sends the name in a call's first chunk only; llama-cpp-python repeats it
            // in every chunk, so a name is taken once, never appended.
            if let Some(name) = function["name"].as_str()
                && calls[index].name.is_empty()
            {
                calls[index].name = name.to_owned();
            }
            if let Some(arguments) = function["arguments"].as_str() {
                calls[index].arguments.push_str(arguments);
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::openai::{HANDOFF_TOOL, SUMMARY_TOOL};

    fn fold(payloads: &[&str]) -> Result<Completion, AiError> {
        let mut fold = StreamFold::default();
        for payload in payloads {
            if fold.take(payload)? {
                return fold.whole();
            }
        }
        Err(AiError::Malformed("no end".into()))
    }

    #[test]
    fn streamed_tool_calls_are_reassembled() {
        let completion = fold(&[
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"handoff_to_human","arguments":""}}]},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"reason_code\":"}}]},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"user_request\"}"}}]},"finish_reason":null}]}"#,
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ])
        .unwrap();
        assert_eq!(completion.tool_calls.len(), 1);
        assert_eq!(completion.tool_calls[0].name, HANDOFF_TOOL);
        assert_eq!(completion.tool_calls[0].arguments, r#"{"reason_code":"user_request"}"#);
    }

    #[test]
    fn a_name_repeated_in_every_chunk_is_kept_once() {
        let chunk = |arguments: &str| {
            json!({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":SUMMARY_TOOL,"arguments":arguments}}]},"finish_reason":null}]}).to_string()
        };
        let (first, second) = (chunk(r#"{"summary":"#), chunk(r#""x"}"#));
        let finish = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#;
        let completion = fold(&[&first, &second, finish, "[DONE]"]).unwrap();
        assert_eq!(completion.tool_calls[0].name, SUMMARY_TOOL);
        assert_eq!(completion.tool_calls[0].arguments, r#"{"summary":"x"}"#);
    }

    #[test]
    fn a_stream_without_a_finish_reason_is_cut_short() {
        let mut fold = StreamFold::default();
        assert!(
            !fold
                .take(r#"{"choices":[{"index":0,"delta":{"content":"Half an ans"},"finish_reason":null}]}"#)
                .unwrap()
        );
        assert!(fold.take("[DONE]").unwrap());
        assert!(matches!(fold.whole(), Err(AiError::Malformed(_))));
    }
}
