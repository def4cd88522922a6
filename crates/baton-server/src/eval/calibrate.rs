//! `baton eval --calibrate FILE`: trains the semantic layer's request classifier on labelled
//! cases and writes it to FILE, with the probabilities at which it fires and is unsure.
//!
//! Every case's last message is embedded whole and clause by clause, as the server does. The
//! head learns from the whole messages. To choose its thresholds honestly, each source of
//! cases (`written:retail`, …) is held out in turn: a head trained on the others scores it, so
//! every case gets a probability from a head that never saw data like it (with a single
//! source, five folds instead). Over those held-out probabilities:
//! - `fire_at` is the probability that gives the best F1 for requests together with the word
//!   rules, among those that add at most [`MAX_ADDED_FALSE_HANDOFFS`] false handoffs on
//!   ordinary messages to the rules' own;
//! - `fire_at_other_languages` is the same for the messages in languages the rules have no
//!   tables for (where the classifier is all there is), chosen on those alone with at most
//!   [`MAX_FALSE_HANDOFFS_ALONE`];
//! - `unsure_from` is where the classifier has found [`UNSURE_RECALL`] of the requests the
//!   rules miss: between it and `fire_at` a judge may be asked.
//!
//! The report printed gives the held-out figures per language and per source, rules alone and
//! with the classifier: these estimate how the head does on new data. With `--predictions` it
//! is one line per case instead (its held-out probability, whether the gate lets a request by
//! meaning stand, the rules' prediction), to read what the head gets wrong.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use baton_ai::embeddings::{EmbeddingsClient, Role};
use baton_core::evaluation::{Case, Label, Predicted, Scores, score};
use baton_core::triggers::classifier::{RequestClassifier, Sample, TrainOptions, train};
use baton_core::triggers::engine::Engine;
use baton_core::triggers::explicit::{in_lexicon_language, semantic_request_allowed};
use baton_core::triggers::semantic::message_parts;
use serde::Serialize;

use super::{evaluate_case, predicted};
use crate::settings::EmbeddingsSettings;

/// The most false handoffs on ordinary messages the classifier may add to the rules', as a
/// share of the ordinary messages. A team can bear 1 %; on messages nobody tuned them on the
/// rules already spend 0.8–1 % of it (`docs/quality.md`), so the classifier gets a fifth of a
/// percent where they apply, and all of it where the classifier is alone.
const MAX_ADDED_FALSE_HANDOFFS: f64 = 0.002;
const MAX_FALSE_HANDOFFS_ALONE: f64 = 0.01;
/// The share of the requests the rules miss that the uncertain band must reach down to.
const UNSURE_RECALL: f64 = 0.9;
/// Folds when the cases have a single source.
const FOLDS: usize = 5;

#[derive(Serialize)]
struct Report {
    model: String,
    cases: usize,
    folds: Vec<String>,
    fire_at: f32,
    fire_at_other_languages: Option<f32>,
    unsure_from: f32,
    /// Held out, per language: the rules alone and with the classifier.
    rules: BTreeMap<String, Scores>,
    with_classifier: BTreeMap<String, Scores>,
    overall_rules: Scores,
    overall_with_classifier: Scores,
    /// Held out, per source, with the classifier.
    by_source: BTreeMap<String, Scores>,
}

pub async fn run(
    settings: &EmbeddingsSettings,
    engine: &Engine,
    cases: &[Case],
    output: &Path,
    predictions: bool,
    out: &mut (impl Write + Send),
) -> anyhow::Result<()> {
    settings.validate()?;
    let config = baton_ai::embeddings::EmbeddingsConfig {
        timeout: super::EVAL_EMBEDDINGS_TIMEOUT,
        ..settings.client_config()
    };
    let client = EmbeddingsClient::new(config, baton_ai::outbound::Outbound::new(true)?);
    let parts: Vec<Vec<String>> = cases
        .iter()
        .map(|case| message_parts(&case.messages.last().expect("cases have messages").text))
        .collect();
    let flat: Vec<String> = parts.iter().flatten().cloned().collect();
    let mut embedded = client
        .embed(&flat, Role::Query)
        .await
        .with_context(|| format!("embedding with {}", settings.url))?
        .into_iter();
    let vectors: Vec<Vec<Vec<f32>>> =
        parts.iter().map(|p| embedded.by_ref().take(p.len()).collect()).collect();

    let rules: Vec<Predicted> =
        cases.iter().map(|case| predicted(&evaluate_case(engine, case, &[]))).collect();
    let blocked: Vec<bool> = cases
        .iter()
        .map(|case| !semantic_request_allowed(&case.messages.last().expect("has messages").text))
        .collect();

    let (folds, fold_of) = folds(cases);
    let options = TrainOptions::default();
    let mut held_out = vec![0.0f32; cases.len()];
    for fold in 0..folds.len() {
        let samples = samples(cases, &vectors, |i| fold_of[i] != fold);
        let head = train(&settings.model, &samples, options);
        for i in (0..cases.len()).filter(|&i| fold_of[i] == fold) {
            held_out[i] = best(&head, &vectors[i]);
        }
    }

    // Messages in a language the rules have no tables for get a threshold of their own.
    let lexicon: Vec<bool> = cases
        .iter()
        .map(|case| in_lexicon_language(&case.messages.last().expect("has messages").text))
        .collect();
    let combine = |fire_at: f32, fire_other: f32| -> Vec<Predicted> {
        (0..cases.len())
            .map(|i| {
                let threshold = if lexicon[i] { fire_at } else { fire_other };
                match rules[i] {
                    Predicted::ExplicitRequest => Predicted::ExplicitRequest,
                    _ if held_out[i] >= threshold && !blocked[i] => Predicted::ExplicitRequest,
                    other => other,
                }
            })
            .collect()
    };
    let best_threshold = |subset: bool, combine: &dyn Fn(f32) -> Vec<Predicted>| -> Option<f32> {
        let chosen = |results: Vec<Predicted>| -> Vec<(&Case, Predicted)> {
            cases
                .iter()
                .zip(results)
                .enumerate()
                .filter(|(i, _)| lexicon[*i] == subset)
                .map(|(_, r)| r)
                .collect()
        };
        let by_rules = score(chosen(rules.clone()), false).overall;
        let ordinary = by_rules.cases - (by_rules.handoff.tp + by_rules.handoff.fn_);
        let requests = by_rules.explicit_request.tp + by_rules.explicit_request.fn_;
        if ordinary == 0 || requests == 0 {
            return None;
        }
        let rules_false = by_rules.handoff.fp;
        let mut best: Option<(f32, f64)> = None;
        for percent in 50..=99 {
            let threshold = percent as f32 / 100.0;
            let report = score(chosen(combine(threshold)), false);
            let added =
                f64::from(report.overall.handoff.fp.saturating_sub(rules_false)) / f64::from(ordinary);
            let f1 = report.overall.explicit_request.f1;
            let allowed = if subset { MAX_ADDED_FALSE_HANDOFFS } else { MAX_FALSE_HANDOFFS_ALONE };
            if added <= allowed && best.is_none_or(|(_, b)| f1 > b) {
                best = Some((threshold, f1));
            }
        }
        best.map(|(threshold, _)| threshold)
    };
    let fire_at = best_threshold(true, &|t| combine(t, 1.0)).unwrap_or(0.99);
    let fire_other = best_threshold(false, &|t| combine(1.0, t));
    let unsure_from = unsure_from(cases, &rules, &held_out, fire_at);

    let all = samples(cases, &vectors, |_| true);
    let mut head = train(&settings.model, &all, options);
    // Counted in messages: the clauses it also learnt from are parts of them.
    head.trained_on.cases = cases.len();
    head.fire_at = fire_at;
    head.fire_at_other_languages = fire_other;
    head.unsure_from = unsure_from;
    let mut languages: Vec<String> = cases.iter().map(|c| c.lang.clone()).collect();
    languages.sort();
    languages.dedup();
    head.trained_on.languages = languages;
    head.check().context("the trained classifier is unusable")?;
    std::fs::write(output, serde_json::to_string(&head)?)
        .with_context(|| format!("writing {}", output.display()))?;

    if predictions {
        for (i, case) in cases.iter().enumerate() {
            let line = HeldOutLine {
                id: &case.id,
                lang: &case.lang,
                source: &case.source,
                label: case.label,
                rules: rules[i],
                probability: held_out[i],
                allowed: !blocked[i],
                lexicon_language: lexicon[i],
            };
            writeln!(out, "{}", serde_json::to_string(&line)?)?;
        }
        return Ok(());
    }
    let rules_report = score(cases.iter().zip(rules.iter().copied()), false);
    let combined = combine(fire_at, fire_other.unwrap_or(fire_at));
    let combined_report = score(cases.iter().zip(combined.iter().copied()), false);
    let mut by_source: BTreeMap<String, Vec<(&Case, Predicted)>> = BTreeMap::new();
    for (case, p) in cases.iter().zip(&combined) {
        by_source.entry(case.source.clone()).or_default().push((case, *p));
    }
    let report = Report {
        model: settings.model.clone(),
        cases: cases.len(),
        folds,
        fire_at,
        fire_at_other_languages: fire_other,
        unsure_from,
        rules: rules_report.by_lang,
        with_classifier: combined_report.by_lang,
        overall_rules: rules_report.overall,
        overall_with_classifier: combined_report.overall,
        by_source: by_source
            .into_iter()
            .map(|(source, results)| (source, score(results, false).overall))
            .collect(),
    };
    writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    Ok(())
}

/// One case under `--predictions`: what the head trained without its source made of it.
#[derive(Serialize)]
struct HeldOutLine<'a> {
    id: &'a str,
    lang: &'a str,
    source: &'a str,
    label: Label,
    rules: Predicted,
    probability: f32,
    /// Whether a request found by meaning may stand (`semantic_request_allowed`).
    allowed: bool,
    lexicon_language: bool,
}

/// What a head learns from: each chosen case's whole message, and every clause of a message
/// that asks for no one. The server takes the highest probability over a message's parts, so
/// a clause of an ordinary message ("… someone let me know by email?") must be learnt as
/// ordinary too; a clause of a request need not be one, so it is not learnt from.
fn samples<'a>(
    cases: &[Case],
    vectors: &'a [Vec<Vec<f32>>],
    chosen: impl Fn(usize) -> bool,
) -> Vec<Sample<'a>> {
    (0..cases.len())
        .filter(|&i| chosen(i))
        .flat_map(|i| {
            let request = cases[i].label == Label::ExplicitRequest;
            let parts = if request { &vectors[i][..1] } else { &vectors[i][..] };
            parts.iter().map(move |vector| Sample { vector, request })
        })
        .collect()
}

/// The classifier's highest probability over a message's parts, as the server takes it.
fn best(head: &RequestClassifier, parts: &[Vec<f32>]) -> f32 {
    parts.iter().filter_map(|v| head.probability(v)).fold(0.0, f32::max)
}

/// The held-out groups (the sources, or five folds when there is one source) and each case's.
fn folds(cases: &[Case]) -> (Vec<String>, Vec<usize>) {
    let mut sources: Vec<String> = cases.iter().map(|c| c.source.clone()).collect();
    sources.sort();
    sources.dedup();
    if sources.len() >= 2 {
        let fold_of = cases.iter().map(|c| sources.binary_search(&c.source).unwrap_or(0)).collect();
        return (sources, fold_of);
    }
    let names = (1..=FOLDS).map(|k| format!("fold {k}")).collect();
    (names, (0..cases.len()).map(|i| i % FOLDS).collect())
}

/// The probability from which the classifier, held out, finds [`UNSURE_RECALL`] of the
/// requests the rules miss; never above `fire_at` nor below 0.05.
fn unsure_from(cases: &[Case], rules: &[Predicted], held_out: &[f32], fire_at: f32) -> f32 {
    let mut missed: Vec<f32> = (0..cases.len())
        .filter(|&i| cases[i].label == Label::ExplicitRequest && rules[i] != Predicted::ExplicitRequest)
        .map(|i| held_out[i])
        .collect();
    if missed.is_empty() {
        return fire_at;
    }
    missed.sort_by(|a, b| b.total_cmp(a));
    let reach = ((missed.len() as f64 * UNSURE_RECALL).ceil() as usize).clamp(1, missed.len());
    missed[reach - 1].clamp(0.05, fire_at)
}
