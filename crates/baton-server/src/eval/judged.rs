//! `baton eval --judge-url`: the judge asked about the cases the engine doubts, as in the
//! bot's turn, and what it changed: how often it was asked, answered or failed, how many
//! decisions its verdicts made, and how long it took.

use baton_ai::judge::{Judge, JudgeEndpoint};
use baton_core::evaluation::Case;
use baton_core::policy::Policy;
use baton_core::triggers::engine::{Engine, Evaluation};
use baton_core::triggers::{Context, SemanticHit};
use serde::Serialize;

use super::case_lines;
use crate::settings::JudgeSettings;

/// What the judge did over a run.
#[derive(Debug, Default, Serialize)]
pub struct JudgeStats {
    /// Cases the engine doubted, so the judge was asked.
    pub asked: u32,
    pub answered: u32,
    /// No usable answer in time: the case kept the triggers' decision.
    pub failed: u32,
    /// Cases whose decision the verdict made.
    pub decided: u32,
    pub median_ms: u64,
    pub p95_ms: u64,
}

pub async fn apply(
    settings: &JudgeSettings,
    engine: &Engine,
    policy: &Policy,
    cases: &[Case],
    hits: &[Vec<SemanticHit>],
    evaluations: &mut [Evaluation],
) -> anyhow::Result<JudgeStats> {
    settings.validate()?;
    if settings.uses_bot_llm() {
        anyhow::bail!("--judge-url needs the endpoint's URL: there is no bot here");
    }
    // The operator points `baton eval` at an endpoint of their own, often on this machine.
    let judge = Judge::new(baton_ai::outbound::Outbound::new(true)?, settings.cache_entries);
    let endpoint = JudgeEndpoint {
        url: settings.url.clone(),
        model: settings.model.clone(),
        api_key: settings.api_key.clone(),
        format: settings.response_format,
        timeout: settings.timeout(),
    };
    let topics = crate::service::judge::topics(policy);
    let mut stats = JudgeStats::default();
    let mut latencies = Vec::new();
    for ((case, hits), evaluation) in cases.iter().zip(hits).zip(evaluations.iter_mut()) {
        let (earlier, text) = case_lines(case);
        let context = Context { earlier: &earlier, text, bot_failures: None, semantic: hits };
        if engine.doubt(&context, evaluation).is_none() {
            continue;
        }
        stats.asked += 1;
        match judge.judge(&endpoint, &context, &topics).await {
            Ok(judgement) => {
                stats.answered += 1;
                latencies.push(judgement.latency_ms);
                let judged = engine.apply_verdict(evaluation.clone(), &judgement, settings.min_confidence);
                if judged.decision.is_some() && evaluation.decision.is_none() {
                    stats.decided += 1;
                }
                *evaluation = judged;
            }
            Err(error) => {
                stats.failed += 1;
                tracing::debug!(case = %case.id, %error, "no verdict");
            }
        }
    }
    latencies.sort_unstable();
    let at = |share: f64| {
        latencies
            .get(((latencies.len() as f64 * share).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0)
    };
    stats.median_ms = at(0.5);
    stats.p95_ms = at(0.95);
    Ok(stats)
}
