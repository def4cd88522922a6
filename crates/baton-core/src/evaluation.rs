//! Measuring the trigger engine against labelled conversations (`baton eval`).
//!
//! A case is a conversation whose last message is the one judged; its label says what a human
//! annotator expected (`explicit_request`, `frustration` or `none`). For each label, and for
//! `handoff` (any trigger against none), a prediction counts as a true positive, false positive
//! or false negative; precision, recall and F1 follow, overall and per language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One labelled case, as in the JSON Lines files.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub id: String,
    #[serde(default = "unknown_language")]
    pub lang: String,
    /// Where the case comes from (`written:retail`); calibration holds out one source at a
    /// time to see how the semantic layer does on data like none it was trained on.
    #[serde(default)]
    pub source: String,
    pub messages: Vec<CaseMessage>,
    pub label: Label,
}

fn unknown_language() -> String {
    "und".into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct CaseMessage {
    pub author: CaseAuthor,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAuthor {
    Contact,
    Bot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    ExplicitRequest,
    Frustration,
    None,
}

/// What the engine decided for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Predicted {
    ExplicitRequest,
    Frustration,
    ForbiddenTopic,
    BotFailure,
    None,
}

impl Predicted {
    fn is(self, label: Label) -> bool {
        matches!(
            (self, label),
            (Self::ExplicitRequest, Label::ExplicitRequest) | (Self::Frustration, Label::Frustration)
        )
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub tp: u32,
    pub fp: u32,
    #[serde(rename = "fn")]
    pub fn_: u32,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Metrics {
    fn count(&mut self, expected: bool, predicted: bool) {
        match (expected, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn finish(&mut self) {
        let ratio = |num: u32, den: u32| if den == 0 { 0.0 } else { f64::from(num) / f64::from(den) };
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        let sum = self.precision + self.recall;
        self.f1 = if sum == 0.0 { 0.0 } else { 2.0 * self.precision * self.recall / sum };
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub cases: u32,
    pub explicit_request: Metrics,
    pub frustration: Metrics,
    /// Any trigger against none.
    pub handoff: Metrics,
}

impl Scores {
    fn add(&mut self, label: Label, predicted: Predicted) {
        self.cases += 1;
        self.explicit_request.count(label == Label::ExplicitRequest, predicted.is(Label::ExplicitRequest));
        self.frustration.count(label == Label::Frustration, predicted.is(Label::Frustration));
        self.handoff.count(label != Label::None, predicted != Predicted::None);
    }

    fn finish(&mut self) {
        self.explicit_request.finish();
        self.frustration.finish();
        self.handoff.finish();
    }
}

/// A case the engine got wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub id: String,
    pub lang: String,
    pub label: Label,
    pub predicted: Predicted,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub overall: Scores,
    pub by_lang: BTreeMap<String, Scores>,
    /// By where the cases come from: the part of `source` before any `:` ("written-b",
    /// "maia", "xed"), so that one set's figures are not hidden by another's.
    pub by_source: BTreeMap<String, Scores>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<Miss>>,
}

/// Scores predictions; `keep_errors` lists the misclassified cases.
pub fn score<'a>(results: impl IntoIterator<Item = (&'a Case, Predicted)>, keep_errors: bool) -> Report {
    let mut report = Report { errors: keep_errors.then(Vec::new), ..Report::default() };
    for (case, predicted) in results {
        report.overall.add(case.label, predicted);
        report.by_lang.entry(case.lang.clone()).or_default().add(case.label, predicted);
        let source = case.source.split(':').next().unwrap_or_default();
        report.by_source.entry(source.to_owned()).or_default().add(case.label, predicted);
        let correct = match case.label {
            Label::None => predicted == Predicted::None,
            label => predicted.is(label),
        };
        if let (false, Some(errors)) = (correct, report.errors.as_mut()) {
            let text = case.messages.last().map(|m| m.text.clone()).unwrap_or_default();
            errors.push(Miss {
                id: case.id.clone(),
                lang: case.lang.clone(),
                label: case.label,
                predicted,
                text,
            });
        }
    }
    report.overall.finish();
    report.by_lang.values_mut().for_each(Scores::finish);
    report.by_source.values_mut().for_each(Scores::finish);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, lang: &str, label: Label) -> Case {
        Case {
            id: id.into(),
            lang: lang.into(),
            source: String::new(),
            messages: vec![CaseMessage { author: CaseAuthor::Contact, text: format!("text of {id}") }],
            label,
        }
    }

    #[test]
    fn counts_and_ratios() {
        let cases = [
            case("a", "en", Label::ExplicitRequest),
            case("b", "en", Label::ExplicitRequest),
            case("c", "en", Label::None),
            case("d", "pt", Label::Frustration),
            case("e", "pt", Label::None),
        ];
        let predictions = [
            Predicted::ExplicitRequest, // tp
            Predicted::None,            // fn
            Predicted::ExplicitRequest, // fp
            Predicted::ForbiddenTopic,  // a handoff, but not for frustration
            Predicted::None,
        ];
        let report = score(cases.iter().zip(predictions), true);
        let explicit = report.overall.explicit_request;
        assert_eq!((explicit.tp, explicit.fp, explicit.fn_), (1, 1, 1));
        assert!((explicit.precision - 0.5).abs() < 1e-9 && (explicit.recall - 0.5).abs() < 1e-9);
        assert!((explicit.f1 - 0.5).abs() < 1e-9);
        let handoff = report.overall.handoff;
        assert_eq!((handoff.tp, handoff.fp, handoff.fn_), (2, 1, 1));
        assert_eq!(report.overall.frustration.fn_, 1);
        assert_eq!(report.by_lang["pt"].cases, 2);
        assert_eq!(report.by_lang["en"].explicit_request.tp, 1);
        let missed: Vec<String> = report.errors.unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(missed, ["b", "c", "d"]);
    }

    #[test]
    fn scores_by_source_read_the_part_before_the_colon() {
        let mut chat = case("a", "pt", Label::Frustration);
        chat.source = "maia".into();
        let mut written = case("b", "en", Label::None);
        written.source = "written-b:gaming".into();
        let mut other_domain = case("c", "en", Label::None);
        other_domain.source = "written-b:food".into();
        let cases = [chat, written, other_domain];
        let report =
            score(cases.iter().zip([Predicted::Frustration, Predicted::Frustration, Predicted::None]), false);
        assert_eq!(report.by_source["maia"].frustration.tp, 1);
        assert_eq!(report.by_source["written-b"].cases, 2);
        assert_eq!(report.by_source["written-b"].handoff.fp, 1);
    }

    #[test]
    fn no_positives_means_zero_not_nan() {
        let cases = [case("a", "en", Label::None)];
        let report = score(cases.iter().zip([Predicted::None]), false);
        assert_eq!(report.overall.explicit_request.f1, 0.0);
        assert!(report.errors.is_none());
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["overall"]["handoff"]["fn"], 0);
    }
}
