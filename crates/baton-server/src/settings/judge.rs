//! `[judge]`: the language model asked about the messages the triggers are unsure of.

use std::time::Duration;

use baton_ai::judge::ResponseFormat;
use serde::{Deserialize, Serialize};

/// Where the judge is asked and how far it is trusted (see `baton_core::triggers::judge`).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JudgeSettings {
    /// An OpenAI-compatible API's base URL, up to and including the version; or `bot`: each
    /// bot's own LLM (a bot without one is not judged).
    pub url: String,
    /// The model asked; with `url = "bot"`, empty for the bot's own.
    pub model: String,
    /// Sent as a bearer token; empty for local servers that need none.
    pub api_key: String,
    /// `json_schema` (OpenAI, vLLM, llama.cpp's server) or `json_object` (llama-cpp-python).
    pub response_format: ResponseFormat,
    /// The most the judge may add to a turn; slower, and the turn goes on without it.
    pub timeout_ms: u64,
    /// A verdict decides only at or above this confidence; below, it is only shown.
    pub min_confidence: f32,
    /// How many answers are remembered, so one message in one context is judged once.
    pub cache_entries: usize,
}

/// Default answer budget: well under a turn's patience, enough for a small hosted model.
pub const DEFAULT_TIMEOUT_MS: u64 = 1500;

impl Default for JudgeSettings {
    fn default() -> Self {
        Self {
            url: String::new(),
            model: String::new(),
            api_key: String::new(),
            response_format: ResponseFormat::JsonSchema,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            min_confidence: 0.7,
            cache_entries: 2048,
        }
    }
}

impl JudgeSettings {
    /// Whether each bot's own LLM is asked.
    pub fn uses_bot_llm(&self) -> bool {
        self.url.trim() == "bot"
    }

    /// Refuses settings that could never work, so a typo shows at startup.
    pub fn validate(&self) -> anyhow::Result<()> {
        let url = self.url.trim();
        if !(self.uses_bot_llm() || url.starts_with("http://") || url.starts_with("https://")) {
            anyhow::bail!("judge.url must be an http:// or https:// URL or \"bot\", not {:?}", self.url);
        }
        if !self.uses_bot_llm() && self.model.trim().is_empty() {
            anyhow::bail!("judge.model must name the model to ask");
        }
        if self.timeout_ms == 0 {
            anyhow::bail!("judge.timeout_ms must be above 0");
        }
        if !(self.min_confidence > 0.0 && self.min_confidence <= 1.0) {
            anyhow::bail!("judge.min_confidence must be above 0 and at most 1, not {}", self.min_confidence);
        }
        Ok(())
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

/// The API key stays out of logs.
impl std::fmt::Debug for JudgeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JudgeSettings")
            .field("url", &super::redact_url(&self.url))
            .field("model", &self.model)
            .field("api_key", &if self.api_key.is_empty() { "" } else { "***" })
            .field("response_format", &self.response_format)
            .field("timeout_ms", &self.timeout_ms)
            .field("min_confidence", &self.min_confidence)
            .field("cache_entries", &self.cache_entries)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_cannot_work_are_refused() {
        let good =
            JudgeSettings { url: "http://127.0.0.1:8000/v1".into(), model: "m".into(), ..Default::default() };
        good.validate().unwrap();
        JudgeSettings { url: "bot".into(), ..Default::default() }.validate().unwrap();
        for bad in [
            JudgeSettings { url: String::new(), ..good.clone() },
            JudgeSettings { url: "ftp://x".into(), ..good.clone() },
            JudgeSettings { model: " ".into(), ..good.clone() },
            JudgeSettings { timeout_ms: 0, ..good.clone() },
            JudgeSettings { min_confidence: 0.0, ..good.clone() },
            JudgeSettings { min_confidence: 1.5, ..good.clone() },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
        let secret = JudgeSettings { api_key: "sk-secret".into(), ..good };
        assert!(!format!("{secret:?}").contains("sk-secret"));
    }
}
