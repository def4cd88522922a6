//! The judge's client: asks an OpenAI-compatible chat-completions API about a message the
//! trigger engine is unsure of (see `baton_core::triggers::judge`), for an answer that must
//! follow a JSON schema.
//!
//! # The answer's format
//!
//! OpenAI's API (and vLLM, llama.cpp's own server) take the schema as
//! `response_format: {"type": "json_schema", "json_schema": {"name", "strict", "schema"}}`;
//! llama-cpp-python's server knows only `{"type": "json_object", "schema": …}`. Which one is
//! sent is [`ResponseFormat`]. Either way the answer is read by
//! [`parse_verdict`](baton_core::triggers::judge::parse_verdict), which refuses a verdict that
//! was not offered.
//!
//! # Cache
//!
//! The same unsure message in the same context (a contact repeating themselves, many contacts
//! sending the same phrase) is judged once: answers are kept by the model, the topics offered
//! and the prompt, the oldest forgotten first. A cached answer reports 0 ms.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use baton_core::triggers::Context;
use baton_core::triggers::judge::{Judgement, parse_verdict, prompt, response_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{AiError, answer_body, error_body, error_detail};

/// How the answer's JSON schema is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseFormat {
    /// `{"type": "json_schema", "json_schema": {…}}`: OpenAI, vLLM, llama.cpp's server.
    #[default]
    JsonSchema,
    /// `{"type": "json_object", "schema": …}`: llama-cpp-python's server.
    JsonObject,
}

/// Where a judgement is asked.
#[derive(Clone, PartialEq)]
pub struct JudgeEndpoint {
    /// The API's base URL, up to and including the version.
    pub url: String,
    pub model: String,
    pub api_key: String,
    pub format: ResponseFormat,
    pub timeout: Duration,
}

/// The key stays out of logs.
impl std::fmt::Debug for JudgeEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JudgeEndpoint")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("format", &self.format)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The longest answer asked for: a verdict, a number and one sentence.
const MAX_TOKENS: u32 = 160;

/// Asks the model and remembers its answers.
pub struct Judge {
    http: crate::outbound::Outbound,
    cache: Mutex<AnswerCache>,
}

impl Judge {
    /// A judge remembering at most `capacity` answers.
    pub fn new(http: crate::outbound::Outbound, capacity: usize) -> Self {
        Self { http, cache: Mutex::new(AnswerCache::new(capacity)) }
    }

    /// The model's judgement on `context`'s message, offering the policy's `topics`.
    pub async fn judge(
        &self,
        endpoint: &JudgeEndpoint,
        context: &Context<'_>,
        topics: &[String],
    ) -> Result<Judgement, AiError> {
        let (system, user) = prompt(context, topics);
        let key = format!("{}\u{1f}{}\u{1f}{system}\u{1f}{user}", endpoint.url, endpoint.model);
        if let Some(mut cached) = self.lock().get(&key) {
            cached.latency_ms = 0;
            return Ok(cached);
        }
        let schema = response_schema(topics);
        let response_format = match endpoint.format {
            ResponseFormat::JsonSchema => json!({
                "type": "json_schema",
                "json_schema": {"name": "handoff_verdict", "strict": true, "schema": schema},
            }),
            ResponseFormat::JsonObject => json!({"type": "json_object", "schema": schema}),
        };
        let body = json!({
            "model": endpoint.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "temperature": 0,
            "max_tokens": MAX_TOKENS,
            "response_format": response_format,
        });
        let url = format!("{}/chat/completions", endpoint.url.trim_end_matches('/'));
        let started = Instant::now();
        let mut request =
            self.http.post(&url).map_err(AiError::blocked)?.timeout(endpoint.timeout).json(&body);
        if !endpoint.api_key.is_empty() {
            request = request.bearer_auth(&endpoint.api_key);
        }
        let mut response = request.send().await.map_err(AiError::from_reqwest)?;
        let status = response.status();
        if !status.is_success() {
            let text = error_body(&mut response).await;
            return Err(AiError::Status { status: status.as_u16(), detail: error_detail(&text) });
        }
        let bytes = answer_body(&mut response).await?;
        let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|e| AiError::Malformed(format!("the response is not a chat completion: {e}")))?;
        let content = answer["choices"][0]["message"]["content"]
            .as_str()
            .ok_or_else(|| AiError::Malformed("the response has no message content".into()))?;
        let judgement =
            parse_verdict(content, topics, latency_ms).map_err(|e| AiError::Malformed(e.to_string()))?;
        self.lock().insert(key, judgement.clone());
        Ok(judgement)
    }

    /// How many answers are remembered.
    pub fn cached(&self) -> usize {
        self.lock().answers.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, AnswerCache> {
        // The cache holds no invariant a panic could break halfway: keep using it.
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Answers by prompt, the oldest dropped first once `capacity` are kept.
struct AnswerCache {
    capacity: usize,
    answers: HashMap<String, Judgement>,
    order: VecDeque<String>,
}

impl AnswerCache {
    fn new(capacity: usize) -> Self {
        Self { capacity, answers: HashMap::new(), order: VecDeque::new() }
    }

    fn get(&self, key: &str) -> Option<Judgement> {
        self.answers.get(key).cloned()
    }

    fn insert(&mut self, key: String, judgement: Judgement) {
        if self.capacity == 0 {
            return;
        }
        if self.answers.insert(key.clone(), judgement).is_none() {
            self.order.push_back(key);
        }
        while self.answers.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.answers.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baton_core::triggers::judge::Verdict;

    fn judgement(reason: &str) -> Judgement {
        Judgement { verdict: Verdict::None, confidence: 0.5, reason: reason.into(), latency_ms: 10 }
    }

    #[test]
    fn the_cache_forgets_the_oldest_answers_first() {
        let mut cache = AnswerCache::new(2);
        cache.insert("a".into(), judgement("a"));
        cache.insert("b".into(), judgement("b"));
        cache.insert("a".into(), judgement("a again"));
        assert_eq!(cache.answers.len(), 2, "replacing an answer adds nothing");
        cache.insert("c".into(), judgement("c"));
        assert!(cache.get("a").is_none() && cache.get("b").is_some() && cache.get("c").is_some());
        let mut off = AnswerCache::new(0);
        off.insert("a".into(), judgement("a"));
        assert!(off.get("a").is_none());
    }

    #[test]
    fn the_key_stays_out_of_debug_output() {
        let endpoint = JudgeEndpoint {
            url: "http://127.0.0.1:1/v1".into(),
            model: "m".into(),
            api_key: "sk-secret".into(),
            format: ResponseFormat::JsonObject,
            timeout: Duration::from_secs(1),
        };
        assert!(!format!("{endpoint:?}").contains("sk-secret"));
    }
}
