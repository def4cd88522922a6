//! The semantic layer in the bot's turn: the examples of a policy nearest to a contact's
//! message, from the embeddings endpoint when `[embeddings]` is configured (see
//! `baton_core::triggers::semantic` for what is embedded and why).
//!
//! The layer may only add to the word-based triggers, never hold a turn up or fail it: the
//! search runs under the configured timeout, and a failure or a timeout is logged and gives no
//! hits. The search itself runs as its own task, so when a turn gives up waiting the example
//! phrases still finish embedding and are cached for the next turn.

use std::sync::Arc;

use anyhow::Context as _;
use baton_ai::embeddings::{EmbeddingsClient, SemanticIndex};
use baton_core::handoff::Trigger;
use baton_core::policy::Policy;
use baton_core::triggers::classifier::RequestClassifier;
use baton_core::triggers::engine::Evaluation;
use baton_core::triggers::{SemanticHit, SemanticThresholds, semantic};

use crate::settings::EmbeddingsSettings;
use crate::state::AppState;

/// How many example vectors are kept: far more than the built-in requests plus the topics of
/// many bots, and under 10 MB at 384 dimensions.
const CACHE_CAPACITY: usize = 4096;

/// The index the server keeps for its lifetime, or `None` when embeddings are not configured.
pub fn index(
    settings: Option<&EmbeddingsSettings>,
    http: &baton_ai::outbound::Outbound,
) -> anyhow::Result<Option<Arc<SemanticIndex>>> {
    let Some(settings) = settings else { return Ok(None) };
    settings.validate()?;
    let client = EmbeddingsClient::new(settings.client_config(), http.clone());
    let index = SemanticIndex::new(client, CACHE_CAPACITY).with_classifier(classifier(settings)?);
    Ok(Some(Arc::new(index)))
}

/// The request classifier `[embeddings] classifier` names: the one shipped for the model when
/// empty, none when `off`, or a file. A file that cannot be read, is not a sound classifier, or
/// was trained for another model stops the start-up: its figures would mean nothing.
pub fn classifier(settings: &EmbeddingsSettings) -> anyhow::Result<Option<RequestClassifier>> {
    match settings.classifier.trim() {
        "" => Ok(baton_ai::heads::builtin(&settings.model)),
        "off" => Ok(None),
        path => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the embeddings classifier {path}"))?;
            let classifier: RequestClassifier =
                serde_json::from_str(&text).with_context(|| format!("{path} is not a request classifier"))?;
            classifier.check().with_context(|| format!("the classifier {path}"))?;
            if classifier.model != settings.model {
                anyhow::bail!(
                    "the classifier {path} was trained for the model {:?}, not {:?}",
                    classifier.model,
                    settings.model
                );
            }
            Ok(Some(classifier))
        }
    }
}

/// The similarities at which semantic hits fire: the configured ones, or the defaults (which
/// matter only to callers passing hits without embeddings configured).
pub fn thresholds(state: &AppState) -> SemanticThresholds {
    let mut thresholds = state
        .settings
        .embeddings
        .as_ref()
        .map_or_else(SemanticThresholds::default, EmbeddingsSettings::thresholds);
    // With a classifier the request hit is its probability, which fires at its own threshold.
    if let Some(classifier) = state.semantic.as_ref().and_then(|index| index.classifier()) {
        thresholds.explicit_request = classifier.fire_at;
        thresholds.explicit_request_other = classifier.fire_at_other_languages.unwrap_or(classifier.fire_at);
        thresholds.explicit_unsure = classifier.unsure_from;
    }
    thresholds
}

/// Whether a turn of a bot with `policy` asks the embeddings endpoint at all.
pub fn searches(state: &AppState, policy: &Policy) -> bool {
    state.semantic.is_some() && state.settings.embeddings.is_some() && !semantic::examples(policy).is_empty()
}

/// The nearest example per target of `policy` to `text`. Empty when embeddings are not
/// configured, when the policy needs no examples, when the words alone already found a request
/// for a human (`by_words`, the engine's evaluation without hits: nothing semantic could
/// change the decision), and when the endpoint fails or is too slow.
pub async fn hits(state: &AppState, policy: &Policy, text: &str, by_words: &Evaluation) -> Vec<SemanticHit> {
    let (Some(index), Some(settings)) = (state.semantic.clone(), state.settings.embeddings.as_ref()) else {
        return Vec::new();
    };
    let examples = semantic::examples(policy);
    if examples.is_empty()
        || by_words.decision.as_ref().is_some_and(|d| d.trigger == Trigger::ExplicitRequest)
    {
        return Vec::new();
    }
    let owned = text.to_owned();
    let search = tokio::spawn(async move { index.search(&examples, &owned).await });
    match tokio::time::timeout(settings.timeout(), search).await {
        Ok(Ok(Ok(hits))) => hits,
        Ok(Ok(Err(error))) => {
            tracing::warn!(%error, "the semantic layer is unavailable; this turn's triggers match by words only");
            Vec::new()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "the semantic search failed; this turn's triggers match by words only");
            Vec::new()
        }
        Err(_) => {
            tracing::warn!(
                timeout_ms = settings.timeout_ms,
                "the embeddings endpoint was too slow; this turn's triggers match by words only"
            );
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(classifier: &str, model: &str) -> EmbeddingsSettings {
        EmbeddingsSettings {
            url: "http://127.0.0.1:1/v1".into(),
            model: model.into(),
            classifier: classifier.into(),
            ..EmbeddingsSettings::default()
        }
    }

    #[test]
    fn the_classifier_setting_picks_the_shipped_one_a_file_or_none() {
        let shipped = classifier(&settings("", "multilingual-e5-small")).unwrap().unwrap();
        assert_eq!(shipped.model, "multilingual-e5-small");
        assert!(classifier(&settings("", "text-embedding-3-small")).unwrap().is_none());
        assert!(classifier(&settings("off", "multilingual-e5-small")).unwrap().is_none());

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("head.json");
        let mut other = shipped.clone();
        other.model = "my-model".into();
        std::fs::write(&path, serde_json::to_string(&other).unwrap()).unwrap();
        let file = path.to_str().unwrap();
        assert_eq!(classifier(&settings(file, "my-model")).unwrap(), Some(other.clone()));
        let wrong_model = classifier(&settings(file, "multilingual-e5-small")).unwrap_err();
        assert!(format!("{wrong_model:#}").contains("trained for the model"), "{wrong_model:#}");

        other.fire_at = 2.0;
        std::fs::write(&path, serde_json::to_string(&other).unwrap()).unwrap();
        assert!(classifier(&settings(file, "my-model")).is_err(), "thresholds out of range");
        std::fs::write(&path, "{}").unwrap();
        assert!(classifier(&settings(file, "my-model")).is_err(), "not a classifier");
        assert!(classifier(&settings("/nonexistent/head.json", "my-model")).is_err());
    }
}
