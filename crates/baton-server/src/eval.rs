//! `baton eval`: runs the trigger engine over labelled conversations and reports how well it
//! decides (see `baton_core::evaluation`). With `--embeddings-url` the semantic layer runs too,
//! as in the server: every case's last message is matched against the policy's examples first.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use baton_core::evaluation::{Case, CaseAuthor, Predicted, score};
use baton_core::handoff::Trigger;
use baton_core::policy::Policy;
use baton_core::triggers::engine::{Engine, Evaluation};
use baton_core::triggers::{Context, Line, SemanticHit, Speaker, semantic};
use serde::Serialize;

use crate::settings::EmbeddingsSettings;

mod calibrate;
mod judged;

pub struct EvalArgs {
    pub policy: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub errors: bool,
    pub predictions: bool,
    /// The semantic layer's endpoint and thresholds; word-based triggers only when `None`.
    pub embeddings: Option<EmbeddingsSettings>,
    /// Train a request classifier on the cases and write it here, instead of measuring.
    pub calibrate: Option<PathBuf>,
    /// Ask this judge about the cases the engine doubts.
    pub judge: Option<crate::settings::JudgeSettings>,
}

/// How long one batch of embeddings may take: evaluation embeds many messages at once, and
/// unlike a live turn it may wait.
pub(crate) const EVAL_EMBEDDINGS_TIMEOUT: Duration = Duration::from_secs(120);

fn load_policy(path: Option<&Path>) -> anyhow::Result<Policy> {
    let Some(path) = path else { return Ok(Policy::default()) };
    config::Config::builder()
        .add_source(config::File::from(path).format(config::FileFormat::Toml))
        .build()
        .and_then(|c| c.try_deserialize())
        .with_context(|| format!("reading the policy {}", path.display()))
}

fn load_cases(path: &Path) -> anyhow::Result<Vec<Case>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut cases = Vec::new();
    for (number, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a case", path.display(), number + 1))?;
        if case.messages.is_empty() {
            anyhow::bail!("{}:{}: a case needs at least one message", path.display(), number + 1);
        }
        cases.push(case);
    }
    Ok(cases)
}

/// A case's earlier lines and the message judged.
pub fn case_lines(case: &Case) -> (Vec<Line<'_>>, &str) {
    let (last, earlier) = case.messages.split_last().expect("cases have messages");
    let earlier = earlier
        .iter()
        .map(|m| Line {
            speaker: match m.author {
                CaseAuthor::Contact => Speaker::Contact,
                CaseAuthor::Bot => Speaker::Bot,
            },
            text: &m.text,
        })
        .collect();
    (earlier, &last.text)
}

pub fn evaluate_case(engine: &Engine, case: &Case, semantic: &[SemanticHit]) -> Evaluation {
    let (earlier, text) = case_lines(case);
    engine.evaluate(&Context { earlier: &earlier, text, bot_failures: None, semantic })
}

pub fn predicted(evaluation: &Evaluation) -> Predicted {
    match evaluation.decision.as_ref().map(|d| d.trigger) {
        Some(Trigger::ExplicitRequest) => Predicted::ExplicitRequest,
        Some(Trigger::Frustration) => Predicted::Frustration,
        Some(Trigger::ForbiddenTopic) => Predicted::ForbiddenTopic,
        Some(Trigger::BotFailure) => Predicted::BotFailure,
        _ => Predicted::None,
    }
}

#[derive(Serialize)]
struct PredictionLine<'a> {
    id: &'a str,
    label: baton_core::evaluation::Label,
    predicted: Predicted,
    signals: Vec<SignalOut<'a>>,
}

#[derive(Serialize)]
struct SignalOut<'a> {
    name: &'a str,
    detail: &'a str,
    weight: f32,
}

/// The semantic hits of every case's last message; failing loudly, unlike a live turn, since
/// a measurement without them would be a different measurement.
async fn semantic_hits(
    settings: &EmbeddingsSettings,
    policy: &Policy,
    cases: &[Case],
) -> anyhow::Result<Vec<Vec<SemanticHit>>> {
    settings.validate()?;
    let config = baton_ai::embeddings::EmbeddingsConfig {
        timeout: EVAL_EMBEDDINGS_TIMEOUT,
        ..settings.client_config()
    };
    // The operator points `baton eval` at an endpoint of their own, often on this machine.
    let http = baton_ai::outbound::Outbound::new(true)?;
    let client = baton_ai::embeddings::EmbeddingsClient::new(config, http);
    let classifier = crate::service::semantic::classifier(settings)?;
    let index = baton_ai::embeddings::SemanticIndex::new(client, 4096).with_classifier(classifier);
    let texts: Vec<&str> =
        cases.iter().map(|case| case.messages.last().map_or("", |m| m.text.as_str())).collect();
    index
        .search_many(&semantic::examples(policy), &texts)
        .await
        .with_context(|| format!("embedding with {}", settings.url))
}

pub async fn run(args: EvalArgs, out: &mut (impl Write + Send)) -> anyhow::Result<()> {
    if args.files.is_empty() {
        anyhow::bail!("give at least one FILE.jsonl");
    }
    let policy = load_policy(args.policy.as_deref())?;
    let mut engine = Engine::new(&policy);
    let mut cases = Vec::new();
    for file in &args.files {
        cases.extend(load_cases(file)?);
    }
    if let Some(output) = &args.calibrate {
        let settings = args.embeddings.as_ref().context("--calibrate needs --embeddings-url")?;
        return calibrate::run(settings, &engine, &cases, output, args.predictions, out).await;
    }
    let hits = match &args.embeddings {
        Some(settings) => {
            let mut thresholds = settings.thresholds();
            if let Some(classifier) = crate::service::semantic::classifier(settings)? {
                thresholds.explicit_request = classifier.fire_at;
                thresholds.explicit_request_other =
                    classifier.fire_at_other_languages.unwrap_or(classifier.fire_at);
                thresholds.explicit_unsure = classifier.unsure_from;
            }
            engine = engine.with_semantic_thresholds(thresholds);
            semantic_hits(settings, &policy, &cases).await?
        }
        None => vec![Vec::new(); cases.len()],
    };
    let mut evaluations: Vec<Evaluation> =
        cases.iter().zip(&hits).map(|(case, hits)| evaluate_case(&engine, case, hits)).collect();
    let judge_stats = match &args.judge {
        Some(judge) => Some(judged::apply(judge, &engine, &policy, &cases, &hits, &mut evaluations).await?),
        None => None,
    };
    if args.predictions {
        for (case, evaluation) in cases.iter().zip(&evaluations) {
            let line = PredictionLine {
                id: &case.id,
                label: case.label,
                predicted: predicted(evaluation),
                signals: evaluation
                    .signals
                    .iter()
                    .map(|s| SignalOut { name: s.name, detail: &s.detail, weight: s.weight })
                    .collect(),
            };
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
        return Ok(());
    }
    let report = score(cases.iter().zip(evaluations.iter().map(predicted)), args.errors);
    let mut report = serde_json::to_value(&report)?;
    if let Some(stats) = judge_stats {
        report["judge"] = serde_json::to_value(stats)?;
    }
    writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    Ok(())
}
