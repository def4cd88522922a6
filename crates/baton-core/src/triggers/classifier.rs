//! The semantic layer's decision on requests for a human: a logistic head over a message's
//! embedding, trained on labelled requests and non-requests in many languages.
//!
//! A single similarity threshold over a few positive examples cannot work for this target: a
//! request for a human has the shape of every other request ("I want to …", "I need help …"),
//! so ordinary messages sit as close to the examples as paraphrased requests do. A classifier
//! trained on both sides learns which directions of the embedding space separate "a person,
//! please" from "my parcel, please", and it carries to languages no lexicon covers, since the
//! embedding model is multilingual.
//!
//! # What is stored
//!
//! A [`RequestClassifier`] holds the model it was trained for (a head only makes sense with the
//! vectors of that model), the standardisation of each dimension, the weights and bias, and
//! two probabilities chosen when it was calibrated (`baton eval --calibrate`):
//! - [`fire_at`](RequestClassifier::fire_at): at or above it the layer decides alone;
//! - [`unsure_from`](RequestClassifier::unsure_from): from it up to `fire_at` the message is in
//!   the uncertain middle, where a judge may be asked.
//!
//! Training ([`train`]) is plain batch logistic regression with an L2 penalty, optimised with
//! Adam from zero weights, so the same data always gives the same head.

use serde::{Deserialize, Serialize};

/// A logistic head over embeddings: the probability that a message asks for a human.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestClassifier {
    /// The embeddings model whose vectors it was trained on.
    pub model: String,
    /// Per dimension, subtracted before weighting.
    pub mean: Vec<f32>,
    /// Per dimension, divided by before weighting.
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
    /// At or above this probability a message is a request.
    pub fire_at: f32,
    /// The same for a message in a language the word rules have no tables for.
    #[serde(default)]
    pub fire_at_other_languages: Option<f32>,
    /// From this probability up to `fire_at` the classifier is unsure.
    pub unsure_from: f32,
    /// What it was trained on, for people reading the file.
    #[serde(default)]
    pub trained_on: TrainingSummary,
}

/// The data a head was trained on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    pub cases: usize,
    pub requests: usize,
    pub languages: Vec<String>,
    pub l2: f32,
}

/// Why a stored head cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassifierError {
    #[error("the classifier's vectors do not agree: {0}")]
    Inconsistent(&'static str),
    #[error(
        "the classifier's thresholds must satisfy 0 < unsure_from <= fire_at < 1, and 0 < fire_at_other_languages < 1"
    )]
    Thresholds,
}

impl RequestClassifier {
    /// How many dimensions the vectors it reads have.
    pub fn dimensions(&self) -> usize {
        self.weights.len()
    }

    /// Refuses a head that could not score anything, so a broken file shows at startup.
    pub fn check(&self) -> Result<(), ClassifierError> {
        let n = self.weights.len();
        if n == 0 || self.mean.len() != n || self.scale.len() != n {
            return Err(ClassifierError::Inconsistent("weights, mean and scale differ in length"));
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        if !finite(&self.weights) || !finite(&self.mean) || !self.bias.is_finite() {
            return Err(ClassifierError::Inconsistent("a value is not a number"));
        }
        if self.scale.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(ClassifierError::Inconsistent("a scale is not positive"));
        }
        if !(0.0 < self.unsure_from && self.unsure_from <= self.fire_at && self.fire_at < 1.0) {
            return Err(ClassifierError::Thresholds);
        }
        if self.fire_at_other_languages.is_some_and(|other| !(0.0 < other && other < 1.0)) {
            return Err(ClassifierError::Thresholds);
        }
        Ok(())
    }

    /// The probability that the text embedded as `vector` asks for a human; `None` for a
    /// vector of another length or of no length (another model's, or a malformed one).
    pub fn probability(&self, vector: &[f32]) -> Option<f32> {
        if vector.len() != self.weights.len() {
            return None;
        }
        let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        if !(norm > 0.0 && norm.is_finite()) {
            return None;
        }
        let mut z = self.bias;
        for (((x, mean), scale), weight) in vector.iter().zip(&self.mean).zip(&self.scale).zip(&self.weights)
        {
            z += (x / norm - mean) / scale * weight;
        }
        Some(sigmoid(z))
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z.clamp(-40.0, 40.0)).exp())
}

/// How a head is trained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainOptions {
    /// Weight of the L2 penalty: larger keeps the head simpler and more cautious.
    pub l2: f32,
    pub epochs: usize,
    pub learning_rate: f32,
}

impl Default for TrainOptions {
    /// Chosen by leave-one-source-out on the project's dev set with multilingual-e5-small
    /// (see `docs/quality.md`).
    fn default() -> Self {
        Self { l2: 3e-3, epochs: 400, learning_rate: 0.05 }
    }
}

/// One training example: an embedding and whether its text asks for a human.
pub struct Sample<'a> {
    pub vector: &'a [f32],
    pub request: bool,
}

/// A head trained on `samples`, with thresholds left for the caller to set (0.5 for both).
/// Every vector must have the same, non-zero length.
pub fn train(model: &str, samples: &[Sample], options: TrainOptions) -> RequestClassifier {
    let dims = samples.first().map_or(0, |s| s.vector.len());
    let rows: Vec<Vec<f32>> = samples.iter().map(|s| unit(s.vector)).collect();
    let n = rows.len().max(1) as f32;
    let mut mean = vec![0.0f32; dims];
    for row in &rows {
        for (m, x) in mean.iter_mut().zip(row) {
            *m += x / n;
        }
    }
    let mut scale = vec![0.0f32; dims];
    for row in &rows {
        for ((s, x), m) in scale.iter_mut().zip(row).zip(&mean) {
            *s += (x - m) * (x - m) / n;
        }
    }
    for s in &mut scale {
        *s = s.sqrt() + 1e-6;
    }
    let standardised: Vec<Vec<f32>> = rows
        .iter()
        .map(|row| row.iter().zip(&mean).zip(&scale).map(|((x, m), s)| (x - m) / s).collect())
        .collect();
    let labels: Vec<f32> = samples.iter().map(|s| if s.request { 1.0 } else { 0.0 }).collect();

    // Adam over the full batch.
    let (beta1, beta2, epsilon) = (0.9f32, 0.999f32, 1e-8f32);
    let mut weights = vec![0.0f32; dims];
    let mut bias = 0.0f32;
    let (mut m_w, mut v_w) = (vec![0.0f32; dims], vec![0.0f32; dims]);
    let (mut m_b, mut v_b) = (0.0f32, 0.0f32);
    let mut gradient = vec![0.0f32; dims];
    for epoch in 1..=options.epochs {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        let mut gradient_bias = 0.0f32;
        for (row, label) in standardised.iter().zip(&labels) {
            let z = bias + row.iter().zip(&weights).map(|(x, w)| x * w).sum::<f32>();
            let error = sigmoid(z) - label;
            for (g, x) in gradient.iter_mut().zip(row) {
                *g += error * x / n;
            }
            gradient_bias += error / n;
        }
        let correction1 = 1.0 - beta1.powi(epoch as i32);
        let correction2 = 1.0 - beta2.powi(epoch as i32);
        for k in 0..dims {
            let g = gradient[k] + options.l2 * weights[k];
            m_w[k] = beta1 * m_w[k] + (1.0 - beta1) * g;
            v_w[k] = beta2 * v_w[k] + (1.0 - beta2) * g * g;
            weights[k] -=
                options.learning_rate * (m_w[k] / correction1) / ((v_w[k] / correction2).sqrt() + epsilon);
        }
        m_b = beta1 * m_b + (1.0 - beta1) * gradient_bias;
        v_b = beta2 * v_b + (1.0 - beta2) * gradient_bias * gradient_bias;
        bias -= options.learning_rate * (m_b / correction1) / ((v_b / correction2).sqrt() + epsilon);
    }
    RequestClassifier {
        model: model.to_owned(),
        mean,
        scale,
        weights,
        bias,
        fire_at: 0.5,
        fire_at_other_languages: None,
        unsure_from: 0.5,
        trained_on: TrainingSummary {
            cases: samples.len(),
            requests: samples.iter().filter(|s| s.request).count(),
            languages: Vec::new(),
            l2: options.l2,
        },
    }
}

fn unit(vector: &[f32]) -> Vec<f32> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 { vector.iter().map(|x| x / norm).collect() } else { vector.to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clusters in three dimensions: requests point along x, the rest along y.
    fn clusters() -> Vec<(Vec<f32>, bool)> {
        let mut data = Vec::new();
        for i in 0..20 {
            let jitter = i as f32 / 100.0;
            data.push((vec![1.0, jitter, 0.1], true));
            data.push((vec![jitter, 1.0, 0.1], false));
        }
        data
    }

    fn trained() -> RequestClassifier {
        let data = clusters();
        let samples: Vec<Sample> = data.iter().map(|(v, r)| Sample { vector: v, request: *r }).collect();
        train("toy", &samples, TrainOptions::default())
    }

    #[test]
    fn a_trained_head_separates_what_it_was_shown() {
        let head = trained();
        head.check().unwrap();
        assert_eq!((head.model.as_str(), head.dimensions()), ("toy", 3));
        assert!(head.probability(&[0.9, 0.05, 0.1]).unwrap() > 0.9);
        assert!(head.probability(&[0.05, 0.9, 0.1]).unwrap() < 0.1);
        // The length of a vector does not matter, only its direction.
        let a = head.probability(&[2.0, 0.1, 0.2]).unwrap();
        let b = head.probability(&[1.0, 0.05, 0.1]).unwrap();
        assert!((a - b).abs() < 1e-5);
        assert_eq!(trained(), head, "training is deterministic");
        assert_eq!((head.trained_on.cases, head.trained_on.requests), (40, 20));
    }

    #[test]
    fn vectors_it_cannot_read_give_no_probability() {
        let head = trained();
        assert_eq!(head.probability(&[1.0, 0.0]), None);
        assert_eq!(head.probability(&[0.0, 0.0, 0.0]), None);
        assert_eq!(head.probability(&[f32::NAN, 0.0, 1.0]), None);
    }

    #[test]
    fn broken_heads_are_refused() {
        let head = trained();
        assert!(RequestClassifier { mean: vec![0.0], ..head.clone() }.check().is_err());
        assert!(RequestClassifier { scale: vec![1.0, 0.0, 1.0], ..head.clone() }.check().is_err());
        assert!(RequestClassifier { bias: f32::NAN, ..head.clone() }.check().is_err());
        let thresholds = RequestClassifier { unsure_from: 0.9, fire_at: 0.8, ..head.clone() };
        assert_eq!(thresholds.check(), Err(ClassifierError::Thresholds));
        assert!(RequestClassifier { fire_at: 1.0, ..head.clone() }.check().is_err());
        let json = serde_json::to_string(&head).unwrap();
        assert_eq!(serde_json::from_str::<RequestClassifier>(&json).unwrap(), head);
    }
}
