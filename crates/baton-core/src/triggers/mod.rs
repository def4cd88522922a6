//! Trigger detection (placeholder until the explicit-request detector lands).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplicitRequest {
    pub language: &'static str,
    pub phrase: String,
}

pub fn normalize(text: &str) -> String {
    text.to_lowercase()
}

pub fn detect_explicit_request(text: &str) -> Option<ExplicitRequest> {
    let text = normalize(text);
    ["human", "agent", "person"]
        .iter()
        .find(|w| text.contains(*w))
        .map(|w| ExplicitRequest { language: "en", phrase: w.to_string() })
}
