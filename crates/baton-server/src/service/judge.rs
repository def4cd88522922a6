//! The judge in the bot's turn: when the engine doubts a message, the configured language
//! model is asked (see `baton_core::triggers::judge` for when and what), and a confident
//! verdict decides. Like the semantic layer it may only add: the call runs under `timeout_ms`
//! in a task of its own (so an answer arriving late is still cached), and a failure or a
//! timeout is logged and leaves the turn as the rules judged it.

use std::sync::Arc;

use baton_ai::judge::{Judge, JudgeEndpoint};
use baton_core::backend::BackendSettings;
use baton_core::policy::Policy;
use baton_core::triggers::Context;
use baton_core::triggers::engine::{Engine, Evaluation};
use baton_core::triggers::judge::Judgement;

use crate::settings::JudgeSettings;
use crate::state::AppState;

/// The judge the server keeps for its lifetime, or `None` when `[judge]` is absent.
pub fn judge(settings: Option<&JudgeSettings>, http: &baton_ai::outbound::Outbound) -> Option<Arc<Judge>> {
    settings.map(|settings| Arc::new(Judge::new(http.clone(), settings.cache_entries)))
}

/// Where to ask for a bot: the configured endpoint, or the bot's own LLM with `url = "bot"`
/// (none for a bot without one).
pub fn endpoint(settings: &JudgeSettings, bot: &BackendSettings) -> Option<JudgeEndpoint> {
    let (url, model, api_key) = if settings.uses_bot_llm() {
        let BackendSettings::OpenAi(llm) = bot else { return None };
        let model = if settings.model.trim().is_empty() { llm.model.clone() } else { settings.model.clone() };
        (llm.base_url.clone(), model, llm.api_key.clone())
    } else {
        (settings.url.clone(), settings.model.clone(), settings.api_key.clone())
    };
    Some(JudgeEndpoint { url, model, api_key, format: settings.response_format, timeout: settings.timeout() })
}

/// The topics a verdict may name: the policy's, when topics hand off.
pub fn topics(policy: &Policy) -> Vec<String> {
    if policy.triggers().forbidden_topics {
        policy.topics.iter().map(|t| t.name.clone()).collect()
    } else {
        Vec::new()
    }
}

/// `evaluation`, with the judge's verdict applied when the engine doubts the message and a
/// judge is configured for this bot.
pub async fn consult(
    state: &AppState,
    engine: &Engine,
    policy: &Policy,
    bot: &BackendSettings,
    context: &Context<'_>,
    evaluation: Evaluation,
) -> Evaluation {
    let (Some(judge), Some(settings)) = (state.judge.clone(), state.settings.judge.as_ref()) else {
        return evaluation;
    };
    if engine.doubt(context, &evaluation).is_none() {
        return evaluation;
    }
    let Some(endpoint) = endpoint(settings, bot) else { return evaluation };
    match ask(judge, endpoint, context, topics(policy)).await {
        Ok(judgement) => engine.apply_verdict(evaluation, &judgement, settings.min_confidence),
        Err(problem) => {
            tracing::warn!(%problem, "the judge gave no verdict; this turn is judged by the triggers alone");
            evaluation
        }
    }
}

/// Asks in a task of its own, waiting at most the endpoint's timeout.
async fn ask(
    judge: Arc<Judge>,
    endpoint: JudgeEndpoint,
    context: &Context<'_>,
    topics: Vec<String>,
) -> Result<Judgement, String> {
    let text = context.text.to_owned();
    let earlier: Vec<(baton_core::triggers::Speaker, String)> =
        context.earlier.iter().map(|line| (line.speaker, line.text.to_owned())).collect();
    let bot_failures = context.bot_failures;
    let timeout = endpoint.timeout;
    let task = tokio::spawn(async move {
        let lines: Vec<baton_core::triggers::Line> = earlier
            .iter()
            .map(|(speaker, text)| baton_core::triggers::Line { speaker: *speaker, text })
            .collect();
        let context = Context { earlier: &lines, text: &text, bot_failures, semantic: &[] };
        judge.judge(&endpoint, &context, &topics).await
    });
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(Ok(judgement))) => Ok(judgement),
        Ok(Ok(Err(error))) => Err(error.to_string()),
        Ok(Err(error)) => Err(format!("the judge's task failed: {error}")),
        Err(_) => Err(format!("no answer within {} ms", timeout.as_millis())),
    }
}
